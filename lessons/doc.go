// Package lessons holds neurotutor's teaching material: the five lessons
// (the learner's own notes, embedded with go:embed, in teaching order),
// the labs each lesson offers, the quiz bank and the corpus for the
// embeddings lab, with the validation that keeps them within Telegram's
// limits.
//
// It imports only the standard library: no Telegram, no math, no storage.
package lessons
