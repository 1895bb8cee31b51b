package quotes

import "testing"

// keepExample is one quoted span the rules decided about, and whether the
// annotation counts it as a quotation.
type keepExample struct {
	fs    keepSet
	quote bool
}

// keepExamples extracts arts with the rules and records, for every span
// they decide about (the later pieces of a split quotation follow the
// first), its features and whether it matches a gold quotation.
func keepExamples(t testing.TB, arts []annotatedArticle) []keepExample {
	t.Helper()
	var out []keepExample
	for i := range arts {
		art := &arts[i]
		a := newAnalyzer()
		recorded := map[int]keepSet{}
		a.recordKeep = func(ci int, fs keepSet) {
			recorded[ci] = fs
		}
		if !a.run(art.Text) {
			continue
		}
		conv := newRuneOffsets(art.Text)
		for ci := range a.cands {
			fs, ok := recorded[ci]
			if !ok {
				continue
			}
			c := &a.cands[ci]
			s, e := conv.at(c.start), conv.at(c.end)
			if fs&(1<<kRule) == 0 || !inTurn(fs) {
				// the model only drops what the rules keep, and only in
				// an interview's turns: it learns from those alone, so
				// that a change of the rules for news stories leaves it be
				continue
			}
			ex := keepExample{fs: fs}
			for _, q := range art.Quotes {
				if ov := min(e, q.End) - max(s, q.Start); 2*ov >= q.End-q.Start && ov > 0 {
					ex.quote = true
				}
			}
			out = append(out, ex)
		}
	}
	return out
}

// trainKeep learns the keep weights of m with an averaged perceptron,
// deterministic as trainRanker is, and turns them on.
func trainKeep(m *rankModel, exs []keepExample) {
	order := append([]keepExample(nil), exs...)
	var avg, avgT [nKeepFeat]float64
	seed := uint64(21)
	for o := 0; o < rankOrders; o++ {
		if o > 0 {
			for i := len(order) - 1; i > 0; i-- {
				seed = seed*6364136223846793005 + 1442695040888963407
				j := int((seed >> 33) % uint64(i+1))
				order[i], order[j] = order[j], order[i]
			}
		}
		var w, sum, wt, sumT [nKeepFeat]float64
		// start from the rules: keep what they keep
		w[kRule], w[kBias] = 1, -0.5
		n := 0
		for range rankEpochs {
			for _, ex := range order {
				s := 0.0
				turn := keepTurnWeights && inTurn(ex.fs)
				for f := range nKeepFeat {
					if ex.fs&(1<<f) != 0 {
						s += w[f]
						if turn {
							s += wt[f]
						}
					}
				}
				if (s > 0) != ex.quote {
					d := 1.0
					if !ex.quote {
						d = -1
					}
					for f := range nKeepFeat {
						if ex.fs&(1<<f) == 0 {
							continue
						}
						w[f] += d
						if turn {
							wt[f] += d
						}
					}
				}
				for f := range w {
					sum[f] += w[f]
					sumT[f] += wt[f]
				}
				n++
			}
		}
		for f := range avg {
			avg[f] += sum[f] / float64(max(n, 1)) / rankOrders
			avgT[f] += sumT[f] / float64(max(n, 1)) / rankOrders
		}
	}
	for f := range m.k {
		m.k[f] = float32(avg[f])
		m.kt[f] = float32(avgT[f])
	}
	m.keepOn = true
}

// keepTurnWeights learns a second set of keep weights for the spans of
// an interview's turns (rankModel.kt).
var keepTurnWeights = true

// keepFeatNames spells each feature as its constant, for ranker_weights.go.
var keepFeatNames = [nKeepFeat]string{
	"kBias",
	"kRule",
	"kHasCue",
	"kAfter",
	"kNaming",
	"kTitle",
	"kTerminal",
	"kQuestion",
	"kOpenEnded",
	"kW1",
	"kW2",
	"kW4",
	"kW6",
	"kW9",
	"kW16",
	"kParaStart",
	"kSpeaker",
	"kThought",
	"kModal",
	"kLike",
	"kCalled",
	"kDetBefore",
	"kNounAfter",
	"kFirstIn",
	"kFirstOut",
	"kColon",
	"kSay",
	"kHypo",
	"kIf",
	"kAnswer",
	"kAsk",
	"kAnswerNoCue",
	"kSelfSay",
	"kYouSay",
	"kOtherSay",
	"kAnswerFrame",
	"kAnswerBare",
	"kThoughtNear",
	"kThoughtAfter",
	"kInfSay",
}
