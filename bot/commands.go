package bot

import "context"

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
