// Package charts draws neurotutor's PNG charts: the neuron's activation
// curve (with go-chart) and heatmaps (drawn straight into an image).
//
// It takes numbers from core and every visible word from its caller, so
// that user-facing text stays in the bot. It does no I/O beyond returning
// PNG bytes and keeps no package-level state: a Renderer owns the parsed
// font and the encoder's buffers.
package charts
