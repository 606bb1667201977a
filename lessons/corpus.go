package lessons

import (
	_ "embed"
	"strings"
)

// corpusText is the built-in corpus: one Russian sentence a line, lines
// starting with '#' are comments.
//
//go:embed corpus.txt
var corpusText string

// Corpus returns the built-in sentences (one string each, comments and blank
// lines dropped) for the /embed lab's word–context statistics: a few hundred
// short Russian sentences on the topics of the lessons, each at most 300
// characters. It returns a fresh slice on each call, in file order.
func Corpus() []string {
	var out []string
	for line := range strings.Lines(corpusText) {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		out = append(out, line)
	}
	return out
}
