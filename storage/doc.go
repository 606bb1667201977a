// Package storage keeps everything neurotutor must remember in one bbolt
// file: the schema version, and per user the lessons they opened.
//
// It knows nothing of Telegram, lessons' texts or math: it stores plain
// records keyed by Telegram user id. Every value carries a schema version
// so that opening an older file can migrate it.
package storage
