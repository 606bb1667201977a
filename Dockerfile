# Build a static binary, then ship it alone in a distroless image that runs
# as a non-root user, with the bbolt file on a volume.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/neurotutor ./cmd/neurotutor \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/neurotutor /neurotutor
COPY --from=build --chown=65532:65532 /out/data /data
ENV NEUROTUTOR_DB=/data/neurotutor.db
# The webhook and the operator endpoints (/healthz, /metrics, /backup).
ENV NEUROTUTOR_LISTEN=:8080
EXPOSE 8080
VOLUME ["/data"]
USER 65532:65532
ENTRYPOINT ["/neurotutor"]
