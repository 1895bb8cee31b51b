package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"time"

	"masthead/internal/config"
	"masthead/internal/newsroom"
	"masthead/internal/quotes"
)

// quotesCmd runs the quote extractor outside the server:
//
//	masthead quotes extract < articles.jsonl > predictions.jsonl
//	masthead quotes eval --gold FILE --pred FILE
//	masthead quotes reindex [--data DIR | --database URL]
func quotesCmd(ctx context.Context, env Env, args []string) error {
	usage := func() {
		fmt.Fprint(env.Stderr, `Usage:
  masthead quotes extract < articles.jsonl > predictions.jsonl
      find the quotations in {"id","text"} lines; write {"id","quotes":[{"start","end","speaker"}]}
      lines (offsets in characters of text; speaker null unless a named person)
  masthead quotes eval --gold FILE --pred FILE
      score predictions against annotated articles: precision, recall, F1, attribution
  masthead quotes reindex [--data DIR | --database URL]
      find the quotations of every article again and store them (editors' decisions kept)
`)
	}
	if len(args) == 0 {
		usage()
		return fmt.Errorf("%w: quotes needs a command", ErrUsage)
	}
	switch args[0] {
	case "extract":
		if len(args) > 1 {
			return fmt.Errorf("%w: quotes extract reads standard input and takes no arguments", ErrUsage)
		}
		return quotes.ExtractJSONL(env.Stdin, env.Stdout)
	case "eval":
		return quotesEval(env, args[1:])
	case "reindex":
		return quotesReindex(ctx, env, args[1:])
	case "help", "-h", "--help":
		usage()
		return nil
	}
	usage()
	return fmt.Errorf("%w: unknown quotes command %q", ErrUsage, args[0])
}

func quotesEval(env Env, args []string) error {
	fs := flag.NewFlagSet("quotes eval", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	gold := fs.String("gold", "", "annotated articles, JSONL (the dev set's format)")
	pred := fs.String("pred", "", "predictions, JSONL (what quotes extract writes)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *gold == "" || *pred == "" || fs.NArg() > 0 {
		fs.Usage()
		return fmt.Errorf("%w: quotes eval needs --gold and --pred", ErrUsage)
	}
	g, err := os.Open(*gold)
	if err != nil {
		return fmt.Errorf("--gold: %w", err)
	}
	defer g.Close()
	p, err := os.Open(*pred)
	if err != nil {
		return fmt.Errorf("--pred: %w", err)
	}
	defer p.Close()
	s, err := quotes.Evaluate(g, p)
	if err != nil {
		return err
	}
	_, err = io.WriteString(env.Stdout, s.String())
	return err
}

func quotesReindex(ctx context.Context, env Env, args []string) error {
	fs := flag.NewFlagSet("quotes reindex", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	var st config.Storage
	config.RegisterStorage(fs, &st)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: quotes reindex takes no arguments", ErrUsage)
	}
	if err := st.Validate(); err != nil {
		return fmt.Errorf("%w: %v", ErrUsage, err)
	}
	if st.DatabaseURL == "" {
		if _, err := os.Stat(st.SQLitePath()); err != nil {
			return fmt.Errorf("no site in %s: %w", st.DataDir, err)
		}
	}
	s, err := openStore(ctx, st)
	if err != nil {
		return err
	}
	defer s.Close()
	ids, err := s.ArticleIDs(ctx)
	if err != nil {
		return err
	}
	desk := newsroom.New(s, newsroom.Config{Location: time.UTC})
	bar := newCountBar(env.Stderr, "articles")
	start := time.Now()
	var total newsroom.Reextracted
	failed := 0
	// Batches: a commit (and a wait for the disk) per article made a
	// large archive's reindex take hours (8.5 ms an article here).
	const batch = 500
	for from := 0; from < len(ids); from += batch {
		r, bad, err := desk.ReextractMany(ctx, ids[from:min(from+batch, len(ids))])
		if err != nil {
			bar.finish()
			return err
		}
		if len(bad) > 0 {
			bar.finish()
		}
		for _, id := range slices.Sorted(maps.Keys(bad)) {
			failed++
			fmt.Fprintf(env.Stderr, "article %d: %v\n", id, bad[id])
		}
		total.Found += r.Found
		total.SpeakerChanged += r.SpeakerChanged
		total.Added += r.Added
		total.Removed += r.Removed
		bar.update(min(from+batch, len(ids)), len(ids))
	}
	bar.finish()
	fmt.Fprintf(env.Stdout, "Re-extracted the quotations of %d articles in %s: %d quotations found; %s, %d added, %d gone.\n",
		len(ids)-failed, time.Since(start).Round(time.Millisecond), total.Found,
		plural(total.SpeakerChanged, "speaker changed", "speakers changed"), total.Added, total.Removed)
	if failed > 0 {
		return errors.New(plural(failed, "article", "articles") + " could not be re-extracted (see above)")
	}
	return nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// countBar shows progress through a count: a bar redrawn in place on a
// terminal, a line every tenth of the way otherwise (a log file, CI).
type countBar struct {
	w        io.Writer
	what     string
	terminal bool
	last     time.Time
	step     int
	drawn    bool
}

func newCountBar(w io.Writer, what string) *countBar {
	return &countBar{w: w, what: what, terminal: newProgress(w).terminal}
}

func (b *countBar) update(done, total int) {
	if !b.terminal {
		if step := done * 10 / max(total, 1); step > b.step || done == total {
			b.step = step
			fmt.Fprintf(b.w, "%d of %d %s\n", done, total, b.what)
		}
		return
	}
	if done != total && time.Since(b.last) < 100*time.Millisecond {
		return
	}
	b.last = time.Now()
	const width = 30
	frac := float64(done) / float64(max(total, 1))
	filled := int(frac * width)
	fmt.Fprintf(b.w, "\r\x1b[K[%s%s] %3.0f%%  %d/%d %s", strings.Repeat("█", filled), strings.Repeat("·", width-filled), frac*100, done, total, b.what)
	b.drawn = true
}

func (b *countBar) finish() {
	if b.terminal && b.drawn {
		fmt.Fprintln(b.w)
		b.drawn = false
	}
}
