package quotes

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"masthead/internal/testutil/shareddata"
)

// This file scores the extractor on annotated sets: the shared dev set, and
// our own annotations in testdata (which hold offsets and speakers but not
// the Wikinews texts; those are read from the shared data). Besides the
// README's scores it counts the errors by the categories of issue 21, and it
// splits a set by article into folds, so that a change can be judged by how
// it does on articles it was not built on.

type annotatedQuote struct {
	Start      int     `json:"start"`
	End        int     `json:"end"`
	Text       string  `json:"text"`
	Speaker    *string `json:"speaker"`
	SpeakerOrg *string `json:"speaker_org"`
	Cue        string  `json:"cue"`
	Group      int     `json:"group"`
	Mention    string  `json:"mention"`
}

type annotatedSpan struct {
	Start int    `json:"start"`
	End   int    `json:"end"`
	Text  string `json:"text"`
}

type annotatedArticle struct {
	ID                string           `json:"id"`
	URL               string           `json:"url"`
	Date              string           `json:"date,omitempty"`
	Title             string           `json:"title,omitempty"`
	Text              string           `json:"text,omitempty"`
	Quotes            []annotatedQuote `json:"quotes"`
	NotQuotes         []annotatedSpan  `json:"not_quotes"`
	AmbiguousSurnames []string         `json:"ambiguous_surnames"`
}

// Error categories, as issue 21 counts them.
const (
	errPolluted  = "name polluted"   // the name with a place, office or other word before it
	errShortened = "shortened name"  // fewer words than the fullest form the article gives
	errNoSpeaker = "no speaker"      // a named source, but no speaker predicted
	errWrongOne  = "wrong speaker"   // another person (or a person for an organisation)
	errScare     = "scare/title"     // a not-quote (scare quotes, a title, a term) taken for a quote
	errFalsePos  = "false positive"  // any other prediction with no gold partner
	errMissed    = "missed quote"    // a gold quote with no predicted partner
	errCorrect   = "correct speaker" // not an error; the total for reference
)

var errOrder = []string{errPolluted, errNoSpeaker, errWrongOne, errShortened, errScare, errFalsePos, errMissed}

// setResult is the score of one set of articles and its errors.
type setResult struct {
	Scores
	errors  map[string]int
	details []string // one line per error, for QUOTES_DEBUG
}

func (r setResult) errorLine() string {
	var parts []string
	for _, c := range errOrder {
		parts = append(parts, fmt.Sprintf("%s %d", c, r.errors[c]))
	}
	return strings.Join(parts, ", ")
}

// scoreSet extracts the quotations of arts and scores them.
func scoreSet(t testing.TB, arts []annotatedArticle) setResult {
	t.Helper()
	return scoreSetWith(t, arts, defaultRanker())
}

// scoreSetWith scores arts with speakers chosen by model (nil: the rules).
func scoreSetWith(t testing.TB, arts []annotatedArticle, model *rankModel) setResult {
	t.Helper()
	var gold bytes.Buffer
	enc := json.NewEncoder(&gold)
	for _, a := range arts {
		if err := enc.Encode(a); err != nil {
			t.Fatal(err)
		}
	}
	var pred bytes.Buffer
	if err := extractJSONL(bytes.NewReader(gold.Bytes()), &pred, model); err != nil {
		t.Fatal(err)
	}
	s, err := Evaluate(bytes.NewReader(gold.Bytes()), bytes.NewReader(pred.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	preds := map[string][]predQuote{}
	dec := json.NewDecoder(&pred)
	for {
		var p prediction
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		preds[p.ID] = p.Quotes
	}
	r := setResult{Scores: s, errors: map[string]int{}}
	for i := range arts {
		r.categorise(&arts[i], preds[arts[i].ID])
	}
	return r
}

// categorise counts the errors of one article.
func (r *setResult) categorise(a *annotatedArticle, ps []predQuote) {
	g := goldArticle{ID: a.ID, AmbiguousSurnames: a.AmbiguousSurnames}
	for _, q := range a.Quotes {
		g.Quotes = append(g.Quotes, goldQuote{Start: q.Start, End: q.End, Speaker: q.Speaker, SpeakerOrg: q.SpeakerOrg})
	}
	rs := []rune(a.Text)
	ctx := func(s, e int) string {
		l, rt := max(0, s-90), min(len(rs), e+50)
		return strings.ReplaceAll(string(rs[l:s])+"[["+string(rs[s:min(e, s+60)])+"]]"+string(rs[e:rt]), "\n", "/")
	}
	str := func(p *string) string {
		if p == nil {
			return "-"
		}
		return *p
	}
	usedG := make([]bool, len(a.Quotes))
	usedP := make([]bool, len(ps))
	for _, m := range matchArticle(&g, ps) {
		usedG[m.gi], usedP[m.pi] = true, true
		if m.correct {
			r.errors[errCorrect]++
			continue
		}
		gq, p := a.Quotes[m.gi], ps[m.pi].Speaker
		c := speakerError(gq, p)
		r.errors[c]++
		r.details = append(r.details, fmt.Sprintf("%-15s %s gold=%s/%s pred=%s: %s", c, a.ID, str(gq.Speaker), str(gq.SpeakerOrg), str(p), ctx(gq.Start, gq.End)))
	}
	for gi, q := range a.Quotes {
		if !usedG[gi] {
			r.errors[errMissed]++
			r.details = append(r.details, fmt.Sprintf("%-15s %s gold=%s/%s: %s", errMissed, a.ID, str(q.Speaker), str(q.SpeakerOrg), ctx(q.Start, q.End)))
		}
	}
	for pi, p := range ps {
		if usedP[pi] {
			continue
		}
		c := errFalsePos
		for _, n := range a.NotQuotes {
			if min(p.End, n.End) > max(p.Start, n.Start) {
				c = errScare
			}
		}
		r.errors[c]++
		r.details = append(r.details, fmt.Sprintf("%-15s %s pred=%s: %s", c, a.ID, str(p.Speaker), ctx(p.Start, p.End)))
	}
}

// speakerError names the category of a wrong speaker.
func speakerError(gq annotatedQuote, pred *string) string {
	if pred == nil || *pred == "" {
		return errNoSpeaker
	}
	if gq.Speaker == nil {
		return errWrongOne
	}
	gw, pw := strings.Fields(normName(*gq.Speaker)), strings.Fields(normName(*pred))
	in := func(w string, ws []string) bool {
		for _, x := range ws {
			if x == w {
				return true
			}
		}
		return false
	}
	extra, shared := 0, 0
	for _, w := range pw {
		if in(w, gw) {
			shared++
		} else {
			extra++
		}
	}
	switch {
	case shared > 0 && extra == 0:
		return errShortened
	case shared > 0 && pw[len(pw)-1] == gw[len(gw)-1]:
		return errPolluted
	}
	return errWrongOne
}

// folds splits arts by article into k folds: sorted by id, every k-th.
func folds(arts []annotatedArticle, k int) [][]annotatedArticle {
	sorted := append([]annotatedArticle(nil), arts...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].ID < sorted[j].ID })
	out := make([][]annotatedArticle, k)
	for i, a := range sorted {
		out[i%k] = append(out[i%k], a)
	}
	return out
}

// reportSet logs a set's scores, its error counts and, split by article
// into five folds, each fold's scores.
func reportSet(t *testing.T, name string, arts []annotatedArticle) setResult {
	t.Helper()
	r := scoreSet(t, arts)
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%d articles, %d quotes): P=%.3f R=%.3f F1=%.3f attribution=%.3f (%d/%d)\n",
		name, r.Articles, r.Gold, r.Precision, r.Recall, r.F1, r.AttributionAccuracy, r.Correct, r.Matched)
	fmt.Fprintf(&b, "  errors: %s\n", r.errorLine())
	for i, f := range folds(arts, 5) {
		fr := scoreSet(t, f)
		fmt.Fprintf(&b, "  fold %d (%d articles, %d quotes): F1=%.3f attribution=%.3f\n", i+1, fr.Articles, fr.Gold, fr.F1, fr.AttributionAccuracy)
	}
	t.Log("\n" + b.String())
	if os.Getenv("QUOTES_DEBUG") != "" {
		t.Log("\n" + strings.Join(r.details, "\n"))
	}
	return r
}

// loadJSONL reads annotated articles, one a line.
func loadJSONL(t testing.TB, path string) []annotatedArticle {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []annotatedArticle
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<24)
	for n := 1; sc.Scan(); n++ {
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		var a annotatedArticle
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			t.Fatalf("%s:%d: %v", path, n, err)
		}
		out = append(out, a)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func loadDev(t testing.TB) []annotatedArticle {
	return loadJSONL(t, shareddata.Path(t, "quotes", "dev.jsonl"))
}

// loadAnnotated reads one of our annotation files and fills in each
// article's text from the shared Wikinews CSVs by URL, checking that every
// annotated span still reads as annotated.
func loadAnnotated(t testing.TB, name string) []annotatedArticle {
	t.Helper()
	arts := loadJSONL(t, filepath.Join("testdata", name))
	texts := wikinewsTexts(t)
	for i := range arts {
		a := &arts[i]
		text, ok := texts[a.URL]
		if !ok {
			t.Fatalf("%s: %s: no article with url %s in the shared Wikinews data", name, a.ID, a.URL)
		}
		a.Text = text
		rs := []rune(text)
		check := func(s, e int, want string) {
			if s < 1 || e >= len(rs) || s >= e || string(rs[s:e]) != want {
				t.Fatalf("%s: %s: span [%d,%d) does not read %q", name, a.ID, s, e, want)
			}
			if !isDoubleQuote(rs[s-1]) || !isDoubleQuote(rs[e]) {
				t.Fatalf("%s: %s: span [%d,%d) is not between double quotation marks", name, a.ID, s, e)
			}
		}
		for _, q := range a.Quotes {
			check(q.Start, q.End, q.Text)
		}
		for _, q := range a.NotQuotes {
			check(q.Start, q.End, q.Text)
		}
	}
	return arts
}

// wikinewsTexts maps each shared Wikinews article's URL (with the scraper's
// double slash made single) to its text.
func wikinewsTexts(t testing.TB) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, year := range []string{"2019", "2020"} {
		f, err := os.Open(shareddata.Path(t, "news", "wikinews", "wikinews_"+year+".csv"))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(f).ReadAll()
		f.Close()
		if err != nil {
			t.Fatalf("wikinews %s: %v", year, err)
		}
		for _, row := range rows[1:] {
			out[strings.Replace(row[0], "//wiki/", "/wiki/", 1)] = row[3]
		}
	}
	return out
}

// TestDevSet scores the shared dev set, whole and in five folds by article,
// and holds the targets. With QUOTES_DEBUG=1 it logs every error.
func TestDevSet(t *testing.T) {
	r := reportSet(t, "dev", loadDev(t))
	if r.F1 < 0.95 {
		t.Errorf("quote F1 = %.3f, want ≥ 0.95", r.F1)
	}
	if r.AttributionAccuracy < 0.90 {
		t.Errorf("attribution accuracy = %.3f, want ≥ 0.90", r.AttributionAccuracy)
	}
}

// TestAnnotatedSets scores our own annotations (testdata/README.md): the
// training set, whose errors the rules may be built from, and the held-out
// set, which is only ever scored: its errors are never logged, so that its
// figures keep measuring how the rules do on articles they were not built on.
func TestAnnotatedSets(t *testing.T) {
	train := loadAnnotated(t, "annotated-train.jsonl")
	reportSet(t, "annotated-train", train)
	held := scoreSet(t, loadAnnotated(t, "annotated-heldout.jsonl"))
	t.Logf("annotated-heldout (%d articles, %d quotes): P=%.3f R=%.3f F1=%.3f attribution=%.3f (%d/%d)\n  errors: %s",
		held.Articles, held.Gold, held.Precision, held.Recall, held.F1, held.AttributionAccuracy, held.Correct, held.Matched, held.errorLine())
}
