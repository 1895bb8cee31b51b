package quotes

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
)

// Scores are the evaluation counts and metrics of the data README: span
// matching by ≥50% overlap of the gold span, one-to-one, and attribution
// accuracy over the matched pairs.
type Scores struct {
	Articles  int // gold articles
	Gold      int // gold quote spans
	Predicted int // predicted spans
	Matched   int // one-to-one matched pairs
	Correct   int // matched pairs with an accepted speaker

	Precision, Recall, F1 float64
	AttributionAccuracy   float64
}

// String reports the scores, the README's summary line first and then one
// metric per line.
func (s Scores) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "quotes: P=%.3f R=%.3f F1=%.3f attribution=%.3f\n", s.Precision, s.Recall, s.F1, s.AttributionAccuracy)
	fmt.Fprintf(&b, "articles: %d\n", s.Articles)
	fmt.Fprintf(&b, "gold quotes: %d\n", s.Gold)
	fmt.Fprintf(&b, "predicted quotes: %d\n", s.Predicted)
	fmt.Fprintf(&b, "matched: %d\n", s.Matched)
	fmt.Fprintf(&b, "precision: %.3f\n", s.Precision)
	fmt.Fprintf(&b, "recall: %.3f\n", s.Recall)
	fmt.Fprintf(&b, "f1: %.3f\n", s.F1)
	fmt.Fprintf(&b, "attribution accuracy: %.3f (%d/%d)\n", s.AttributionAccuracy, s.Correct, s.Matched)
	return b.String()
}

type goldQuote struct {
	Start      int     `json:"start"`
	End        int     `json:"end"`
	Speaker    *string `json:"speaker"`
	SpeakerOrg *string `json:"speaker_org"`
}

type goldArticle struct {
	ID                string      `json:"id"`
	Quotes            []goldQuote `json:"quotes"`
	AmbiguousSurnames []string    `json:"ambiguous_surnames"`
}

// Evaluate scores predictions against gold annotations, both JSONL streams
// keyed by "id". Predictions for articles not in the gold file count as
// false positives; gold articles with no prediction line count as missed.
func Evaluate(gold, pred io.Reader) (Scores, error) {
	var s Scores
	golds := map[string]*goldArticle{}
	var order []string
	dec := json.NewDecoder(gold)
	for n := 1; ; n++ {
		var g goldArticle
		if err := dec.Decode(&g); err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return s, fmt.Errorf("quotes: gold record %d: %w", n, err)
		}
		if _, dup := golds[g.ID]; dup {
			return s, fmt.Errorf("quotes: gold id %q repeated", g.ID)
		}
		golds[g.ID] = &g
		order = append(order, g.ID)
	}
	preds := map[string][]predQuote{}
	dec = json.NewDecoder(pred)
	for n := 1; ; n++ {
		var p prediction
		if err := dec.Decode(&p); err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return s, fmt.Errorf("quotes: prediction record %d: %w", n, err)
		}
		preds[p.ID] = append(preds[p.ID], p.Quotes...)
	}
	for id, ps := range preds {
		if _, ok := golds[id]; !ok {
			s.Predicted += len(ps)
		}
	}
	for _, id := range order {
		g := golds[id]
		ps := preds[id]
		s.Articles++
		s.Gold += len(g.Quotes)
		s.Predicted += len(ps)
		m, c := scoreArticle(g, ps)
		s.Matched += m
		s.Correct += c
	}
	if s.Predicted > 0 {
		s.Precision = float64(s.Matched) / float64(s.Predicted)
	}
	if s.Gold > 0 {
		s.Recall = float64(s.Matched) / float64(s.Gold)
	}
	if s.Precision+s.Recall > 0 {
		s.F1 = 2 * s.Precision * s.Recall / (s.Precision + s.Recall)
	}
	if s.Matched > 0 {
		s.AttributionAccuracy = float64(s.Correct) / float64(s.Matched)
	}
	return s, nil
}

// scoreArticle matches one article's spans and counts correct speakers.
func scoreArticle(g *goldArticle, ps []predQuote) (matched, correct int) {
	for _, p := range matchArticle(g, ps) {
		matched++
		if p.correct {
			correct++
		}
	}
	return matched, correct
}

// matchedPair is a gold quote and the prediction matched to it.
type matchedPair struct {
	gi, pi  int
	correct bool // the predicted speaker is accepted
}

// matchArticle pairs one article's gold and predicted spans one-to-one, by
// decreasing overlap ratio, and judges each pair's speaker.
func matchArticle(g *goldArticle, ps []predQuote) []matchedPair {
	type pair struct {
		gi, pi int
		ratio  float64
	}
	var pairs []pair
	for gi, gq := range g.Quotes {
		glen := gq.End - gq.Start
		if glen <= 0 {
			continue
		}
		for pi, pq := range ps {
			ov := min(pq.End, gq.End) - max(pq.Start, gq.Start)
			if ov <= 0 || 2*ov < glen {
				continue
			}
			pairs = append(pairs, pair{gi, pi, float64(ov) / float64(glen)})
		}
	}
	sort.SliceStable(pairs, func(i, j int) bool {
		if pairs[i].ratio != pairs[j].ratio {
			return pairs[i].ratio > pairs[j].ratio
		}
		if pairs[i].gi != pairs[j].gi {
			return pairs[i].gi < pairs[j].gi
		}
		return pairs[i].pi < pairs[j].pi
	})
	usedG := make([]bool, len(g.Quotes))
	usedP := make([]bool, len(ps))
	blocked := blockedSurnames(g)
	var out []matchedPair
	for _, p := range pairs {
		if usedG[p.gi] || usedP[p.pi] {
			continue
		}
		usedG[p.gi], usedP[p.pi] = true, true
		out = append(out, matchedPair{p.gi, p.pi, speakerCorrect(g.Quotes[p.gi], ps[p.pi].Speaker, blocked)})
	}
	return out
}

// blockedSurnames lists the surnames of article g that may not stand alone
// for a speaker.
func blockedSurnames(g *goldArticle) map[string]bool {
	// surnames that may not stand alone: listed as ambiguous, or shared by
	// two gold speakers of the article
	blocked := map[string]bool{}
	for _, s := range g.AmbiguousSurnames {
		blocked[normName(s)] = true
	}
	speakersBySurname := map[string]map[string]bool{}
	for _, q := range g.Quotes {
		if q.Speaker == nil {
			continue
		}
		sn := surname(*q.Speaker)
		if speakersBySurname[sn] == nil {
			speakersBySurname[sn] = map[string]bool{}
		}
		speakersBySurname[sn][normName(*q.Speaker)] = true
	}
	for sn, set := range speakersBySurname {
		if len(set) > 1 {
			blocked[sn] = true
		}
	}
	return blocked
}

func speakerCorrect(gq goldQuote, pred *string, blocked map[string]bool) bool {
	p := ""
	if pred != nil {
		p = normName(*pred)
	}
	if gq.Speaker == nil {
		return p == "" || gq.SpeakerOrg != nil && p == normName(*gq.SpeakerOrg)
	}
	g := normName(*gq.Speaker)
	if p == g {
		return true
	}
	sn := surname(*gq.Speaker)
	return p != "" && p == sn && !blocked[sn]
}

// normName lower-cases a name and collapses its white space.
func normName(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(s)), " ")
}

// surname is the last token of a name, ignoring "Jr." and "Sr.".
func surname(s string) string {
	f := strings.Fields(normName(s))
	for len(f) > 1 {
		l := f[len(f)-1]
		if l == "jr." || l == "sr." || l == "jr" || l == "sr" {
			f = f[:len(f)-1]
			continue
		}
		break
	}
	if len(f) == 0 {
		return ""
	}
	return f[len(f)-1]
}
