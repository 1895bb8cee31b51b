package cli

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"masthead/internal/news"
	"masthead/internal/store"
	"masthead/internal/testutil"
)

// TestQuotesExtractEval runs `masthead quotes extract` on the annotated
// dev set and scores its output with `masthead quotes eval`.
func TestQuotesExtractEval(t *testing.T) {
	gold := testutil.SharedData(t, "quotes", "dev.jsonl")
	in, err := os.Open(gold)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	var pred, errs bytes.Buffer
	if err := Main(context.Background(), Env{Stdin: in, Stdout: &pred, Stderr: &errs}, []string{"quotes", "extract"}); err != nil {
		t.Fatalf("quotes extract: %v\n%s", err, errs.String())
	}
	if lines := strings.Count(pred.String(), "\n"); lines != 30 {
		t.Errorf("extract wrote %d lines, want one per article (30)", lines)
	}
	predPath := filepath.Join(t.TempDir(), "predictions.jsonl")
	if err := os.WriteFile(predPath, pred.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := Main(context.Background(), Env{Stdout: &out, Stderr: &out}, []string{"quotes", "eval", "--gold", gold, "--pred", predPath}); err != nil {
		t.Fatalf("quotes eval: %v\n%s", err, out.String())
	}
	t.Logf("\n%s", out.String())
	m := regexp.MustCompile(`(?m)^quotes: P=([0-9.]+) R=([0-9.]+) F1=([0-9.]+) attribution=([0-9.]+)$`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("no summary line in:\n%s", out.String())
	}
	if f1, _ := strconv.ParseFloat(m[3], 64); f1 < 0.95 {
		t.Errorf("F1 = %.3f, want ≥ 0.95", f1)
	}
	if attr, _ := strconv.ParseFloat(m[4], 64); attr < 0.90 {
		t.Errorf("attribution = %.3f, want ≥ 0.90", attr)
	}

	// Mistakes in how it is called are usage errors.
	for _, args := range [][]string{{"quotes"}, {"quotes", "nonsense"}, {"quotes", "eval", "--gold", gold}, {"quotes", "extract", "file.jsonl"}} {
		if err := Main(context.Background(), Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &out}, args); !errors.Is(err, ErrUsage) {
			t.Errorf("%q: %v, want a usage error", args, err)
		}
	}
}

// TestQuotesReindex re-extracts a whole site: quotes lost (or never
// extracted, as for bulk-loaded archives) come back, speakers an older
// finder got wrong are replaced and counted, and editors' decisions stay:
// a dismissed quote goes to nobody, a corrected one to whom the editor chose.
func TestQuotesReindex(t *testing.T) {
	ctx := context.Background()
	path := demoSite(t)
	st, err := store.OpenSQLite(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	ids, err := st.ArticleIDs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// three articles with quotes given a speaker, other than ids[1]
	var with []int64
	quotes := map[int64][]news.Quote{}
	for _, id := range ids {
		qs, err := st.ArticleQuotes(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		quotes[id] = qs
		if id != ids[1] && len(qs) > 0 && qs[0].Person != nil && len(with) < 3 {
			with = append(with, id)
		}
	}
	if len(with) < 3 {
		t.Fatalf("the demo has %d articles whose first quote has a speaker; want 3", len(with))
	}
	dismissed, corrected, wrong := quotes[with[0]][0], quotes[with[1]][0], with[2]
	if err := st.DecideQuote(ctx, with[0], dismissed.Text, &news.QuoteDecision{Verdict: news.VerdictDismissed}, 0); err != nil {
		t.Fatal(err)
	}
	editorsChoice, err := st.EnsurePerson(ctx, "Edna Corrector", news.KindPerson)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.DecideQuote(ctx, with[1], corrected.Text, &news.QuoteDecision{Verdict: news.VerdictConfirmed, PersonID: editorsChoice.ID}, 0); err != nil {
		t.Fatal(err)
	}
	// as an older finder might have read it: a place for a speaker
	old := append([]news.Quote(nil), quotes[wrong]...)
	for i := range old {
		old[i].Speaker, old[i].SpeakerKind = "Tannery Ground", news.KindPerson
	}
	if err := st.ReplaceQuotes(ctx, wrong, old); err != nil {
		t.Fatal(err)
	}
	ground, err := st.PersonByName(ctx, "Tannery Ground")
	if err != nil {
		t.Fatal(err)
	}
	if err := st.ReplaceQuotes(ctx, ids[1], []news.Quote{}); err != nil { // as if never extracted
		t.Fatal(err)
	}
	st.Close()

	summary := regexp.MustCompile(`Re-extracted the quotations of \d+ articles in .*: \d+ quotations found; (\d+) speakers? changed, (\d+) added, (\d+) gone\.`)
	var out, progress bytes.Buffer
	err = Main(ctx, Env{Stdout: &out, Stderr: &progress}, []string{"quotes", "reindex", "--data", filepath.Dir(path)})
	if err != nil {
		t.Fatalf("reindex: %v\n%s%s", err, out.String(), progress.String())
	}
	t.Log(out.String())
	m := summary.FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("summary: %q", out.String())
	}
	if changed, _ := strconv.Atoi(m[1]); changed < len(old) {
		t.Errorf("%s speakers changed, want at least the %d given to the ground", m[1], len(old))
	}
	if added, _ := strconv.Atoi(m[2]); added != len(quotes[ids[1]]) {
		t.Errorf("%s quotations added, want the %d of the emptied article", m[2], len(quotes[ids[1]]))
	}
	if !strings.Contains(progress.String(), " of ") || strings.Contains(progress.String(), "\r") {
		t.Errorf("progress off a terminal should be plain lines: %q", progress.String())
	}

	st, err = store.OpenSQLite(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	byText := func(id int64, text string) news.Quote {
		qs, err := st.ArticleQuotes(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range qs {
			if q.Text == text {
				return q
			}
		}
		t.Fatalf("article %d lost the quote %q", id, text)
		return news.Quote{}
	}
	if q := byText(with[0], dismissed.Text); q.Status != news.QuoteDismissed || q.Person != nil {
		t.Errorf("dismissed quote after reindex: %s, person %+v", q.Status, q.Person)
	}
	if q := byText(with[1], corrected.Text); q.Person == nil || q.Person.ID != editorsChoice.ID {
		t.Errorf("corrected quote after reindex: person %+v, want %s", q.Person, editorsChoice.Name)
	}
	for _, p := range []struct {
		person *news.Person
		not    string
	}{{corrected.Person, corrected.Text}, {dismissed.Person, dismissed.Text}} {
		qs, err := st.QuotesOfPerson(ctx, p.person.ID, 1000, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range qs {
			if q.Text == p.not {
				t.Errorf("%s's page has %q, which an editor took from them", p.person.Name, q.Text)
			}
		}
	}
	if qs, _ := st.QuotesOfPerson(ctx, ground.ID, 10, 0); len(qs) != 0 {
		t.Errorf("the ground still speaks: %+v", qs)
	}
	if back, _ := st.ArticleQuotes(ctx, ids[1]); len(back) == 0 {
		t.Error("the emptied article's quotes did not come back")
	}

	// A second run finds nothing to change.
	out.Reset()
	if err := Main(ctx, Env{Stdout: &out, Stderr: &progress}, []string{"quotes", "reindex", "--data", filepath.Dir(path)}); err != nil {
		t.Fatal(err)
	}
	if m := summary.FindStringSubmatch(out.String()); m == nil || m[1] != "0" || m[2] != "0" || m[3] != "0" {
		t.Errorf("second run: %q", out.String())
	}

	if err := Main(ctx, Env{Stdout: &out, Stderr: &out}, []string{"quotes", "reindex", "--data", t.TempDir()}); err == nil {
		t.Error("reindex of an empty folder succeeded (it would create a site)")
	}
}
