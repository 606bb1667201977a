// Package core is neurotutor's pure computation: the neuron, activation
// functions, positional encodings and the other labs' math.
//
// It must not do I/O, log, keep package-level mutable state, know about
// Telegram or charts, or hold Russian text. Bad data is reported with an
// error; programmer errors panic with a "core:" prefix, as gonum does.
package core
