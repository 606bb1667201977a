package bot

import (
	"testing"

	"neurotutor/core"
)

// Every lab's parameter names, as a learner on a Russian keyboard types
// them: letters that look alike, the same key on ЙЦУКЕН, the same sound.
func TestLatinKeyEveryLab(t *testing.T) {
	labs := map[string][]string{
		"neuron": {"w", "x", "b", "f"}, "posenc": {"n", "d"}, "seed": {"seed", "n"},
		"attention": {"cur"}, "embed": {"dim"},
	}
	for _, c := range []struct {
		lab, typed, want string
	}{
		{"neuron", "х", "x"}, {"neuron", "ч", "x"}, {"neuron", "в", "b"}, {"neuron", "ь", "b"}, {"neuron", "б", "b"},
		{"neuron", "и", "b"}, {"neuron", "ш", "w"}, {"neuron", "ц", "w"}, {"neuron", "ф", "f"}, {"neuron", "а", "f"},
		{"neuron", "у", ""}, {"neuron", "k", ""}, {"neuron", "вес", ""},
		{"posenc", "д", "d"}, {"posenc", "в", "d"}, {"posenc", "н", "n"}, {"posenc", "т", "n"}, {"posenc", "п", "n"},
		{"posenc", "к", ""},
		{"seed", "сид", "seed"}, {"seed", "ыуув", "seed"}, {"seed", "ѕееd", "seed"}, {"seed", "н", "n"}, {"seed", "т", "n"},
		{"attention", "сur", "cur"}, {"attention", "кур", "cur"}, {"attention", "сгк", "cur"}, {"attention", "сир", ""},
		{"embed", "дим", "dim"}, {"embed", "вшь", "dim"}, {"embed", "dіm", "dim"}, {"embed", "дом", ""},
	} {
		if got := latinKey(c.typed, labs[c.lab]); got != c.want {
			t.Errorf("%s: %q read as %q, want %q", c.lab, c.typed, got, c.want)
		}
	}
}

// Russian names of activation functions, in the forms a sentence puts
// them in.
func TestActivationNames(t *testing.T) {
	for typed, want := range map[string]core.Activation{
		"сигмоида": core.Sigmoid, "Сигмоиду": core.Sigmoid, "сигмоид": core.Sigmoid, "сигмоидальная": core.Sigmoid,
		"логистическая": core.Sigmoid, "σ": core.Sigmoid, "SIGMOID": core.Sigmoid, "logistic": core.Sigmoid,
		"ступенька": core.Step, "ступеньку": core.Step, "ступенчатая": core.Step, "пороговая": core.Step,
		"функция Хевисайда": core.Step, "heaviside": core.Step, "шаг": core.Step,
		"гиперболический тангенс": core.Tanh, "тангенс": core.Tanh, "гиперболического тангенса": core.Tanh, "th": core.Tanh,
		"tanh": core.Tanh, "танх": core.Tanh,
		"релу": core.ReLU, "ReLU": core.ReLU, "rеlu": core.ReLU, "релю": core.ReLU,
		"линейная": core.Linear, "линейную": core.Linear, "линейной": core.Linear, "тождественная": core.Linear, "identity": core.Linear,
	} {
		if got, stray := activation(typed); got != want || stray != "" {
			t.Errorf("%q = %q (stray %q), want %q", typed, got, stray, want)
		}
	}
	for _, typed := range []string{"softplus", "gelu", "синус", "линия", "сигма-дельта", ""} {
		if got, _ := activation(typed); got != "" {
			t.Errorf("%q read as %q", typed, got)
		}
	}
	if got, stray := activation("relu please"); got != core.ReLU || stray != "please" {
		t.Errorf("relu please = %q, %q", got, stray)
	}
}

func TestEditDistance(t *testing.T) {
	for _, c := range []struct {
		a, b string
		d    int
	}{{"", "", 0}, {"neuron", "neuron", 0}, {"nueron", "neuron", 1}, {"neron", "neuron", 1}, {"нейорн", "нейрон", 1},
		{"posenc", "posneс", 2}, {"kitten", "sitting", 3}, {"", "abc", 3}} {
		if got := editDistance(c.a, c.b); got != c.d {
			t.Errorf("editDistance(%q, %q) = %d, want %d", c.a, c.b, got, c.d)
		}
	}
}
