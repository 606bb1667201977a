// Package webapp is the Mini App's HTTP side: it serves the labs' static
// page and their JSON API on the operator HTTP server, and validates the
// initData Telegram signs for the page (ValidateInitData), so that a lab is
// recorded only for the user Telegram vouches for. It turns HTTP requests
// into calls of the labs and their results into JSON, and must not decide
// what to answer: every computation and every text comes from package bot
// and, through it, core. Its errors and logs never contain the bot token.
package webapp
