// Package bot is neurotutor's conversation: it routes commands and button
// presses to handlers, formats replies (HTML, Telegram's size limits,
// inline keyboards) and sends them through an Outbox — Telegram via
// go-telegram/bot, or the terminal console.
//
// It does no math (core does), draws nothing (charts does), and reaches
// storage only through the Store interface it declares. All Russian text
// the learner reads, except the lessons themselves, lives in messages.go.
package bot
