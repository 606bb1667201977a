package bot

import (
	"fmt"
	"math"
	"math/rand/v2"

	"neurotutor/core"
	"neurotutor/lessons"
)

// Generated questions. Each kind has ONE stable id, "gen:<kind>", and is
// a question of one lesson: spaced repetition tracks the skill (computing
// a neuron, reading a softmax weight), not one set of numbers, so every
// time the id comes up it is asked with fresh numbers. The ":" keeps these
// ids apart from the bank's, which may hold only letters, digits, "_" and
// "-". Never rename an id: it is stored in learners' progress.
const (
	genPrefix    = "gen:"
	genNeuronID  = genPrefix + "neuron"
	genPosencID  = genPrefix + "posenc"
	genSoftmaxID = genPrefix + "softmax"
)

// generator makes one instance of a generated question from rng. The
// answer is computed by core; distractors are the usual mistakes.
type generator struct {
	id       string
	lesson   int
	explains string // the lesson's section with a worked example of this kind
	make     func(rng *rand.Rand) lessons.Question
}

// generators in teaching order.
var generators = [...]generator{
	{genNeuronID, 1, "example", genNeuron},
	{genPosencID, 4, "formula", genPosenc},
	{genSoftmaxID, 5, lessons.NoteID, genSoftmax},
}

func generatorOf(id string) (generator, bool) {
	for _, g := range generators {
		if g.id == id {
			return g, true
		}
	}
	return generator{}, false
}

// options builds a shuffled option list from the right answer and
// candidate distractors, dropping candidates that read the same as an
// earlier one, and padding with answer±step·k until there are four.
// It returns the options and the index of the right one.
func options(rng *rand.Rand, right float64, format func(float64) string, step float64, wrong ...float64) ([]string, int) {
	seen := map[string]bool{format(right): true}
	opts := []string{format(right)}
	add := func(v float64) {
		if len(opts) >= 4 || math.IsNaN(v) || math.IsInf(v, 0) {
			return
		}
		if f := format(v); !seen[f] {
			seen[f] = true
			opts = append(opts, f)
		}
	}
	for _, w := range wrong {
		add(w)
	}
	for k := 1; len(opts) < 4 && k < 100; k++ {
		add(right + step*float64(k))
		add(right - step*float64(k))
	}
	rng.Shuffle(len(opts), func(i, j int) { opts[i], opts[j] = opts[j], opts[i] })
	for i, o := range opts {
		if o == format(right) {
			return opts, i
		}
	}
	panic("bot: right answer lost in shuffle")
}

func pick[T any](rng *rand.Rand, xs ...T) T { return xs[rng.IntN(len(xs))] }

// genNeuron: "w = (0.5, 1), x = (2, 3), b = −1, f = step. Чему равен y?"
func genNeuron(rng *rand.Rand) lessons.Question {
	w := []float64{pick(rng, -1, -0.5, 0.5, 1, 1.5, 2), pick(rng, -1, -0.5, 0.5, 1, 2)}
	x := []float64{float64(rng.IntN(7) - 3), float64(rng.IntN(5) + 1)}
	b := float64(rng.IntN(5) - 2)
	f := pick(rng, core.Step, core.ReLU, core.Linear)
	res, err := core.Neuron(w, x, b, f)
	if err != nil {
		panic(err) // the numbers above are always valid
	}
	crossed := w[0]*x[1] + w[1]*x[0]
	opts, right := options(rng, res.Y, num, 1,
		f.Apply(res.Sum),     // forgot the bias
		f.Apply(res.Sum-2*b), // subtracted the bias
		f.Apply(crossed+b),   // multiplied w₁ by x₂
		res.Z,                // forgot the activation
		f.Apply(-res.Z),      // sign slip
	)
	text := fmt.Sprintf(msgGenNeuron, num(w[0]), num(w[1]), num(x[0]), num(x[1]), num(b), f)
	expl := fmt.Sprintf(msgGenNeuronExpl, num(res.Products[0]), num(res.Products[1]), signed(b), num(res.Z), f, num(res.Z), num(res.Y))
	return lessons.Question{ID: genNeuronID, Lesson: 1, Text: text, Options: opts, Correct: right, Explanation: expl}
}

// genPosenc asks one positional-encoding value at d = 4, where the
// frequencies are 1 and 1/100.
func genPosenc(rng *rand.Rand) lessons.Question {
	const d = 4
	pos := rng.IntN(6) + 1
	dim := rng.IntN(d)
	pe, err := core.PositionalEncoding(pos+1, d)
	if err != nil {
		panic(err)
	}
	right := pe[pos][dim]
	i2 := dim - dim%2 // 2i
	angle := float64(pos) / math.Pow(10000, float64(i2)/d)
	fn, other := math.Sin, math.Cos
	fname := "sin"
	if dim%2 == 1 {
		fn, other, fname = math.Cos, math.Sin, "cos"
	}
	format := func(v float64) string { return fixed(v, 3) }
	opts, ri := options(rng, right, format, 0.25,
		other(angle),           // sin and cos swapped
		fn(float64(pos)),       // forgot the frequency
		fn(float64(pos)/10000), // wrong exponent
		angle,                  // forgot the sine
	)
	text := fmt.Sprintf(msgGenPosenc, d, pos, dim)
	expl := fmt.Sprintf(msgGenPosencExpl, dim, fname, pos, i2, d, format(right))
	return lessons.Question{ID: genPosencID, Lesson: 4, Text: text, Options: opts, Correct: ri, Explanation: expl}
}

// genSoftmax asks the weight softmax gives one of three scores.
func genSoftmax(rng *rand.Rand) lessons.Question {
	s := []float64{float64(rng.IntN(4)), float64(rng.IntN(4)), float64(rng.IntN(4))}
	k := rng.IntN(3)
	w := core.Softmax(nil, s)
	format := func(v float64) string { return fixed(v, 2) }
	sum := s[0] + s[1] + s[2]
	linear := math.NaN()
	if sum > 0 {
		linear = s[k] / sum // normalised without exp
	}
	opts, ri := options(rng, w[k], format, 0.1,
		linear,
		1.0/3,             // uniform
		w[(k+1)%3],        // another token's weight
		math.Exp(s[k])/10, // exp without normalising
	)
	text := fmt.Sprintf(msgGenSoftmax, num(s[0]), num(s[1]), num(s[2]), k+1)
	expl := fmt.Sprintf(msgGenSoftmaxExpl, k+1, num(s[k]), num(s[0]), num(s[1]), num(s[2]), format(w[k]))
	return lessons.Question{ID: genSoftmaxID, Lesson: 5, Text: text, Options: opts, Correct: ri, Explanation: expl}
}

// signed renders "+ 2" or "− 1" for a term added to a sum.
func signed(v float64) string {
	if v < 0 {
		return "− " + num(-v)
	}
	return "+ " + num(v)
}
