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
// extracted, as for bulk-loaded archives) come back, and editors'
// decisions stay.
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
	first, err := st.ArticleQuotes(ctx, ids[0])
	if err != nil || len(first) == 0 {
		t.Fatalf("the demo's first article has no quotes: %v", err)
	}
	if err := st.DecideQuote(ctx, ids[0], first[0].Text, &news.QuoteDecision{Verdict: news.VerdictDismissed}, 0); err != nil {
		t.Fatal(err)
	}
	if err := st.ReplaceQuotes(ctx, ids[1], []news.Quote{}); err != nil { // as if never extracted
		t.Fatal(err)
	}
	st.Close()

	var out, progress bytes.Buffer
	err = Main(ctx, Env{Stdout: &out, Stderr: &progress}, []string{"quotes", "reindex", "--data", filepath.Dir(path)})
	if err != nil {
		t.Fatalf("reindex: %v\n%s%s", err, out.String(), progress.String())
	}
	if !regexp.MustCompile(`Re-extracted the quotations of \d+ articles in .*: \d+ quotations found\.`).MatchString(out.String()) {
		t.Errorf("summary: %q", out.String())
	}
	if !strings.Contains(progress.String(), " of ") || strings.Contains(progress.String(), "\r") {
		t.Errorf("progress off a terminal should be plain lines: %q", progress.String())
	}

	st, err = store.OpenSQLite(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	again, _ := st.ArticleQuotes(ctx, ids[0])
	if len(again) != len(first) || again[0].Status != news.QuoteDismissed {
		t.Errorf("after reindex: %d quotes, first %s; want %d, the first dismissed", len(again), again[0].Status, len(first))
	}
	if back, _ := st.ArticleQuotes(ctx, ids[1]); len(back) == 0 {
		t.Error("the emptied article's quotes did not come back")
	}

	if err := Main(ctx, Env{Stdout: &out, Stderr: &out}, []string{"quotes", "reindex", "--data", t.TempDir()}); err == nil {
		t.Error("reindex of an empty folder succeeded (it would create a site)")
	}
}
