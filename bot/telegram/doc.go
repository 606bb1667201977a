// Package telegram is neurotutor's Telegram transport: the getUpdates loop
// with its durable inbox, the Sender that keeps every outgoing message
// within Telegram's limits, and the Outbox that turns the conversation's
// replies into Bot API calls through go-telegram/bot.
//
// It turns Telegram's updates into bot.Requests and bot.Messages into
// requests, and decides nothing about what to answer: that is package bot.
// Errors it returns or logs never contain the token.
package telegram
