//go:build race

package telegram_test

// raceDetector is true under -race, where the heaviest tests shrink their
// load: the race pass checks the same paths, not the same volume.
const raceDetector = true
