package bot

import (
	"errors"
)

// labArgError rephrases a generic argument problem of /seed or /embed
// with that command's own example.
func labArgError(err error, example string) error {
	var ae *argError
	if !errors.As(err, &ae) {
		return err
	}
	switch ae.kind {
	case errEmpty:
		return userErrorf(msgLabArgEmpty, esc(ae.key), example)
	case errDupKey:
		return userErrorf(msgArgDup, esc(ae.key))
	}
	return userErrorf(msgLabArgTooLong, example)
}
