package bot

import (
	"context"
	"strings"
	"unicode/utf8"
)

// command is a slash command: its name, its menu description (Russian,
// for setMyCommands) and its handler, which receives the text after the
// command word.
type command struct {
	name string
	desc string
	run  func(ctx context.Context, out Outbox, req Request, args string) error
	menu bool // listed in Telegram's command menu
}

// commandList is every command the bot answers, in menu order.
func (s *Service) commandList() []command {
	return []command{
		{"start", descStart, s.handleStart, true},
		{"help", descHelp, s.handleHelp, true},
		{"lessons", descLessons, s.handleLessons, true},
		{"lesson", descLesson, s.handleLesson, false},
		{"neuron", descNeuron, s.handleNeuron, true},
		{"posenc", descPosenc, s.handlePosenc, true},
		{"seed", descSeed, s.handleSeed, true},
		{"embed", descEmbed, s.handleEmbed, true},
		{"attention", descAttention, s.handleAttention, true},
		{"quiz", descQuiz, s.handleQuiz, true},
		{"progress", descProgress, s.handleProgress, true},
		{"remind", descRemind, s.handleRemind, true},
		{"export", descExport, s.handleExport, true},
		{"forget", descForget, s.handleForget, true},
		{"top", descTop, s.handleTop, true},
		{"stop", descStop, s.handleStop, false},
		{"daily", descDaily, s.handleDaily, true},
		{"timer", descTimer, s.handleTimer, false},
		{"lab", descLab, s.handleLab, true},
	}
}

// MenuCommand is one entry of Telegram's command menu.
type MenuCommand struct{ Command, Description string }

// Menu lists the commands for setMyCommands.
func (s *Service) Menu() []MenuCommand {
	var m []MenuCommand
	for _, c := range s.commandList() {
		if c.menu {
			m = append(m, MenuCommand{c.name, c.desc})
		}
	}
	return m
}

// hasCommand reports whether the bot answers /name; lessons offer buttons
// only for labs that exist.
func (s *Service) hasCommand(name string) bool {
	_, ok := s.commands[name]
	return ok
}

// commandAliases are Russian names and spellings of the commands that a
// learner types instead of the Latin ones ("/нейрон", "/ембед").
var commandAliases = map[string]string{
	"старт": "start", "начать": "start", "начало": "start",
	"помощь": "help", "хелп": "help", "справка": "help", "команды": "help",
	"уроки": "lessons", "лессонс": "lessons", "урок": "lesson", "лессон": "lesson",
	"нейрон": "neuron", "ньюрон": "neuron", "нейроны": "neuron",
	"позенк": "posenc", "позенц": "posenc", "позэнк": "posenc", "посенк": "posenc", "позиции": "posenc",
	"сид": "seed", "сиид": "seed",
	"эмбед": "embed", "ембед": "embed", "эмбэд": "embed", "эмбеддинг": "embed", "эмбеддинги": "embed", "ембеддинг": "embed",
	"аттеншн": "attention", "аттеншен": "attention", "атеншн": "attention", "атеншен": "attention", "внимание": "attention",
	"квиз": "quiz", "тест": "quiz", "викторина": "quiz",
	"прогресс": "progress", "прогрес": "progress",
	"ремайнд": "remind", "напомни": "remind", "напоминание": "remind", "напоминания": "remind",
	"экспорт": "export", "експорт": "export", "выгрузить": "export",
	"форгет": "forget", "забудь": "forget", "удалить": "forget",
	"лаб": "lab", "лаба": "lab", "лаборатория": "lab", "топ": "top", "рейтинг": "top", "стоп": "stop", "дейли": "daily", "таймер": "timer",
}

// maxGuessDistance is how many typos a guessed command may differ by.
const maxGuessDistance = 2

// commandGuess reads a command name the bot does not know as one it does:
// sure is true for a Russian name, a transliteration or the Latin name
// typed on the Russian layout ("/тугкщт"), false for a near miss that
// should be asked about ("/nueron", "/нейорн").
func (s *Service) commandGuess(name string) (cmd string, sure bool) {
	if len(name) > 64 {
		return "", false
	}
	key := strings.ReplaceAll(name, "ё", "е")
	if c, ok := commandAliases[key]; ok && s.hasCommand(c) {
		return c, true
	}
	if c := mapRunes(key, sameKey); c != key && s.hasCommand(c) {
		return c, true
	}
	// A near miss: the closest command by edit distance, in Latin letters
	// or in Russian spellings, when only one is that close.
	latin := mapRunes(key, translit)
	best, bestD, ties := "", maxGuessDistance+1, 0
	consider := func(typed, known, cmd string) {
		limit := min(maxGuessDistance, utf8.RuneCountInString(known)/3)
		d := editDistance(typed, known)
		if d > limit || d > bestD {
			return
		}
		if d < bestD {
			best, bestD, ties = cmd, d, 0
		} else if cmd != best {
			ties++
		}
	}
	for _, c := range s.commandList() {
		consider(latin, c.name, c.name)
	}
	for alias, c := range commandAliases {
		if s.hasCommand(c) {
			consider(key, alias, c)
		}
	}
	if best == "" || ties > 0 {
		return "", false
	}
	return best, false
}

// translit spells Cyrillic letters in Latin, for comparing names.
var translit = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ж': "zh", 'з': "z", 'и': "i", 'й': "y",
	'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u",
	'ф': "f", 'х': "h", 'ц': "c", 'ч': "ch", 'ш': "sh", 'щ': "sch", 'ъ': "", 'ы': "y", 'ь': "", 'э': "e",
	'ю': "yu", 'я': "ya",
}

// editDistance is the Levenshtein distance between a and c, in runes, with
// a swap of two neighbours counting as one edit.
func editDistance(a, c string) int {
	x, y := []rune(a), []rune(c)
	prev2 := make([]int, len(y)+1)
	prev := make([]int, len(y)+1)
	cur := make([]int, len(y)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(x); i++ {
		cur[0] = i
		for j := 1; j <= len(y); j++ {
			cost := 1
			if x[i-1] == y[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && x[i-1] == y[j-2] && x[i-2] == y[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(y)]
}
