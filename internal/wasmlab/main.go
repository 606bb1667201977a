//go:build js && wasm

// Command wasmlab is the neuron lab of the Mini App compiled to
// WebAssembly (GOOS=js GOARCH=wasm): core's neuron, its span and curves,
// answered in the JSON API's shape. It exists only to measure that way
// of shipping the math against the JSON API on the real neuron page;
// bot/webapp's TestBrowserAPIOrWasm builds it, loads it in chromium in
// place of the API and compares. It is not served to learners.
//
// Its argument parser reads only the canonical text the page sends
// ("w=0.5,1 x=2,3 b=-1 f=sigmoid"); shipping WebAssembly for real would
// compile bot's parsers and errors too, which need the bot package split
// from its storage (bbolt does not build for js/wasm).
package main

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"syscall/js"

	"neurotutor/core"
)

// curvePoints matches the API's (bot.curvePoints).
const curvePoints = 181

// lab is bot.NeuronLab's JSON.
type lab struct {
	W        []float64 `json:"w"`
	X        []float64 `json:"x"`
	Products []float64 `json:"products"`
	Sum      float64   `json:"sum"`
	B        float64   `json:"b"`
	Z        float64   `json:"z"`
	F        string    `json:"f"`
	Y        float64   `json:"y"`
	YNoBias  float64   `json:"y_nobias"`
	Curve    struct {
		Sum     []float64 `json:"sum"`
		Y       []float64 `json:"y"`
		YNoBias []float64 `json:"y_nobias"`
	} `json:"curve"`
}

func main() {
	js.Global().Set("neurotutorNeuron", js.FuncOf(func(_ js.Value, args []js.Value) any {
		if len(args) != 1 {
			return `{"error":"one argument"}`
		}
		return neuron(args[0].String())
	}))
	select {}
}

// neuron answers the page's args with the lab's JSON, or {"error": …}.
func neuron(args string) string {
	w, x, b, f, err := parse(args)
	var out any
	if err == nil {
		var r core.NeuronResult
		r, err = core.Neuron(w, x, b, f)
		if err == nil {
			l := lab{W: r.W, X: r.X, Products: r.Products, Sum: r.Sum, B: r.B, Z: r.Z, F: string(r.F), Y: r.Y, YNoBias: r.YNoBias}
			lo, hi := r.Span()
			l.Curve.Sum, l.Curve.Y, l.Curve.YNoBias = r.Curves(lo, hi, curvePoints)
			out = l
		}
	}
	if err != nil {
		out = map[string]string{"error": err.Error()}
	}
	b2, _ := json.Marshal(out)
	return string(b2)
}

func parse(args string) (w, x []float64, b float64, f core.Activation, err error) {
	f = core.Sigmoid
	for _, field := range strings.Fields(args) {
		k, v, ok := strings.Cut(field, "=")
		if !ok {
			return nil, nil, 0, "", errors.New("expected key=value: " + field)
		}
		switch k {
		case "w", "x":
			var vs []float64
			for _, s := range strings.Split(v, ",") {
				n, err := strconv.ParseFloat(s, 64)
				if err != nil {
					return nil, nil, 0, "", err
				}
				vs = append(vs, n)
			}
			if k == "w" {
				w = vs
			} else {
				x = vs
			}
		case "b":
			if b, err = strconv.ParseFloat(v, 64); err != nil {
				return nil, nil, 0, "", err
			}
		case "f":
			f = core.Activation(v)
		default:
			return nil, nil, 0, "", errors.New("unknown key " + k)
		}
	}
	return w, x, b, f, nil
}
