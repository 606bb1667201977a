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

// stopWords are the function words of Russian the /embed lab leaves out:
// prepositions, conjunctions, particles, pronouns, forms of «быть» and a
// few linking adverbs (сначала, потом, очень), a small part of the usual
// Russian stop-word lists such as NLTK's. They are written as
// core.Tokenize writes words: lower case, е for ё.
const stopWords = `
а без бы был была были было быть в вам вас ведь весь во вот все всего всем всех всю вся вы
где да даже для до его ее ей ему если есть еще же за затем здесь и из или им их
к как какая какие каким какое какой когда ко который которая которого которое которой котором которые кто
ли между меня мне может мы на над нас не него нее нем ни них но ну
о об обо он она они оно от очень перед по под после потом почти при про просто
с сам сама сами само самого самом свое свои свой своя себе себя сначала со
так также там тем то того тоже той только том тот ту тут ты у уже хотя
чего чем через что чтобы чуть эта эти этим этих это этого этой этом этот эту я
`

// StopWords returns the function words (и, в, на, как, это, …) the /embed
// lab removes from the corpus before counting, as if they were not there:
// they stand next to every kind of word, so as nearest neighbours they
// say nothing about a word's meaning, and in a corpus of a few hundred
// sentences they take most of the word–context counts. Lower case, е for
// ё; a fresh slice on each call.
func StopWords() []string { return strings.Fields(stopWords) }
