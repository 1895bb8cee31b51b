package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"time"

	"masthead/internal/benchdata"
	"masthead/internal/config"
	"masthead/internal/news"
	"masthead/internal/newsroom"
	"masthead/internal/render"
	"masthead/internal/server"
)

// bench runs the performance tooling: "seed" makes a synthetic archive,
// "render" times pages rendered from the database with no page cache,
// "mail" times queuing and sending a newsletter issue, "wxr" writes a
// synthetic WordPress export.
func bench(ctx context.Context, env Env, args []string) error {
	if len(args) == 0 || (args[0] != "seed" && args[0] != "render" && args[0] != "mail" && args[0] != "wxr") {
		fmt.Fprint(env.Stderr, `Usage:
  masthead bench seed --data DIR --articles N   generate a synthetic archive into an empty site
  masthead bench render --data DIR [--n 500]    time uncached page renders on a site
  masthead bench mail --data DIR --subscribers N --smtp-addr HOST:PORT
                                                queue an issue to N subscribers and send it
  masthead bench wxr --posts N > export.xml     write a synthetic WordPress export (for import timings)
`)
		return fmt.Errorf("%w: bench needs seed, render, mail or wxr", ErrUsage)
	}
	switch args[0] {
	case "seed":
		return benchSeed(ctx, env, args[1:])
	case "mail":
		return benchMail(ctx, env, args[1:])
	case "wxr":
		return benchWXR(ctx, env, args[1:])
	}
	return benchRender(ctx, env, args[1:])
}

// benchWXR writes a synthetic WordPress export to standard output.
func benchWXR(ctx context.Context, env Env, args []string) error {
	fs := flag.NewFlagSet("bench wxr", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	posts := fs.Int("posts", 100000, "how many posts to write")
	seed := fs.Uint64("seed", 1, "random seed: the same seed and size write the same file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *posts < 1 || fs.NArg() > 0 {
		return fmt.Errorf("%w: bench wxr --posts N (N ≥ 1)", ErrUsage)
	}
	return benchdata.WriteWXR(ctx, env.Stdout, benchdata.WXROptions{Posts: *posts, Seed: *seed})
}

func benchSeed(ctx context.Context, env Env, args []string) error {
	fs := flag.NewFlagSet("bench seed", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	var storage config.Storage
	config.RegisterStorage(fs, &storage)
	articles := fs.Int("articles", 10000, "how many articles to generate")
	seed := fs.Uint64("seed", 1, "random seed: the same seed and size make the same archive")
	tz := fs.String("timezone", "UTC", "the newsroom's time zone, for article dates")
	profile := fs.String("cpuprofile", "", "write a CPU profile of the seeding to this file")
	nowFlag := fs.String("now", "", "date the archive as if seeded at this time (RFC 3339), for two identical archives; default: now")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := storage.Validate(); err != nil || *articles < 1 || fs.NArg() > 0 {
		return fmt.Errorf("%w: bench seed --data DIR --articles N (N ≥ 1): %v", ErrUsage, err)
	}
	var now time.Time
	if *nowFlag != "" {
		var err error
		if now, err = time.Parse(time.RFC3339, *nowFlag); err != nil {
			return fmt.Errorf("%w: --now %q: %v", ErrUsage, *nowFlag, err)
		}
	}
	// The batches in flight are some megabytes each: collecting less
	// often costs little memory and saves about a twentieth of the CPU.
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(400)
	}
	loc, err := time.LoadLocation(*tz)
	if err != nil {
		return fmt.Errorf("%w: --timezone %q: %v", ErrUsage, *tz, err)
	}
	st, err := openStore(ctx, storage)
	if err != nil {
		return err
	}
	defer st.Close()
	if n, err := st.CountPublished(ctx, news.ArticleFilter{}); err != nil {
		return err
	} else if n > 0 {
		return fmt.Errorf("%s already has %d articles; seed an empty data folder", storage.DataDir, n)
	}
	stop, err := startCPUProfile(*profile)
	if err != nil {
		return err
	}
	defer stop()
	start := time.Now()
	bar := newSeedBar(env.Stderr, *articles)
	// A seed that dies midway is simply run again into a new folder.
	err = st.LoadFresh(ctx, func() error {
		return benchdata.Generate(ctx, st, benchdata.Options{Articles: *articles, Seed: *seed, Now: now, Location: loc, Progress: bar.update})
	})
	bar.finish()
	if err != nil {
		return err
	}
	if err := st.SetSetting(ctx, "site.initialized", time.Now().UTC().Format(time.RFC3339)); err != nil {
		return err
	}
	took := time.Since(start)
	fmt.Fprintf(env.Stdout, "seeded %d articles into %s in %.1f s (%.0f articles/s)\n", *articles, storage.DataDir, took.Seconds(), float64(*articles)/took.Seconds())
	return nil
}

// seedBar draws a progress bar on a terminal, and nothing elsewhere.
type seedBar struct {
	w     io.Writer
	tty   bool
	total int
	start time.Time
	last  time.Time
}

func newSeedBar(w io.Writer, total int) *seedBar {
	p := &seedBar{w: w, total: total, start: time.Now()}
	if f, ok := w.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			p.tty = true
		}
	}
	return p
}

func (p *seedBar) update(done int) {
	if !p.tty || (time.Since(p.last) < 100*time.Millisecond && done < p.total) {
		return
	}
	p.last = time.Now()
	const width = 30
	filled := width * done / max(p.total, 1)
	fmt.Fprintf(p.w, "\r[%s%s] %3d%%  %d/%d articles  %.0f s ", strings.Repeat("#", filled), strings.Repeat(" ", width-filled),
		100*done/max(p.total, 1), done, p.total, time.Since(p.start).Seconds())
}

func (p *seedBar) finish() {
	if p.tty {
		fmt.Fprintln(p.w)
	}
}

func benchRender(ctx context.Context, env Env, args []string) error {
	fs := flag.NewFlagSet("bench render", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	var storage config.Storage
	config.RegisterStorage(fs, &storage)
	n := fs.Int("n", 500, "pages of each kind to render")
	only := fs.String("only", "", "render only this kind of page (article, home, section, tag, sitemap, feed, search)")
	profile := fs.String("cpuprofile", "", "write a CPU profile of the renders to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := storage.Validate(); err != nil || *n < 1 || fs.NArg() > 0 {
		return fmt.Errorf("%w: bench render --data DIR [--n N]: %v", ErrUsage, err)
	}
	tuneGC(0) // as serve does; no page cache here
	st, err := openStore(ctx, storage)
	if err != nil {
		return err
	}
	defer st.Close()
	eng, err := render.New(time.UTC)
	if err != nil {
		return err
	}
	site := server.New(st, newsroom.New(st, newsroom.Config{}), eng, slog.New(slog.DiscardHandler), server.Config{BaseURL: "http://localhost", Secret: []byte("bench"), CacheBytes: -1})
	h := site.Handler()
	months, err := st.ArchiveMonths(ctx)
	if err != nil || len(months) == 0 {
		return errors.Join(err, fmt.Errorf("%s has no published articles", storage.DataDir))
	}
	rng := rand.New(rand.NewPCG(1, 2))
	var articles []string
	for len(articles) < *n {
		m := months[rng.IntN(len(months))]
		list, err := st.ArticlesInMonth(ctx, m.Year, m.Month)
		if err != nil {
			return err
		}
		if len(list) > 0 {
			articles = append(articles, list[rng.IntN(len(list))].URLPath())
		}
	}
	sections, err := st.Sections(ctx)
	if err != nil {
		return err
	}
	// The 50th page of each section, or its last when it has fewer.
	deep := make([]int, len(sections))
	for i, sec := range sections {
		n, err := st.CountPublished(ctx, news.ArticleFilter{SectionID: sec.ID})
		if err != nil {
			return err
		}
		deep[i] = max(1, min(50, (n+11)/12))
	}
	tags, err := st.PopularTags(ctx, 20)
	if err != nil || len(tags) == 0 {
		return errors.Join(err, errors.New("no tags in use"))
	}
	kinds := []struct {
		name string
		path func(i int) string
	}{
		{"article", func(i int) string { return articles[i] }},
		{"home", func(int) string { return "/" }},
		{"section p1", func(i int) string { return sections[i%len(sections)].URLPath() }},
		{"section p50", func(i int) string {
			return sections[i%len(sections)].URLPath() + "?page=" + strconv.Itoa(deep[i%len(sections)])
		}},
		{"tag", func(i int) string { return tags[i%len(tags)].URLPath() }},
		{"sitemap", func(int) string { return "/sitemap.xml" }},
		{"sitemap month", func(i int) string {
			m := months[i%len(months)]
			return fmt.Sprintf("/sitemaps/articles-%04d-%02d.xml", m.Year, m.Month)
		}},
		{"feed", func(int) string { return "/feed.xml" }},
		{"search", func(i int) string { return "/search?q=" + benchQueries[i%len(benchQueries)] }},
	}
	stop, err := startCPUProfile(*profile)
	if err != nil {
		return err
	}
	defer stop()
	fmt.Fprintf(env.Stdout, "%-22s %8s %8s %8s %8s %8s  (uncached, %d renders each, ms; cpu: the process's CPU time a render)\n", "page", "p50", "p95", "p99", "max", "cpu", *n)
	for _, k := range kinds {
		if *only != "" && !strings.HasPrefix(k.name, *only) {
			continue
		}
		times := make([]time.Duration, 0, *n)
		cpu := processCPU()
		for i := 0; i < *n; i++ {
			req := httptest.NewRequest(http.MethodGet, k.path(i), nil).WithContext(ctx)
			rec := httptest.NewRecorder()
			start := time.Now()
			h.ServeHTTP(rec, req)
			times = append(times, time.Since(start))
			if rec.Code != http.StatusOK {
				return fmt.Errorf("GET %s: %d", k.path(i), rec.Code)
			}
		}
		cpu = processCPU() - cpu
		printTimes(env.Stdout, k.name, slices.Clone(times), cpu/time.Duration(*n))
		if k.name == "search" {
			// Queries differ in cost by an order of magnitude (a common
			// word, a prefix, a typo), so each gets its own line too.
			printSearchKinds(env.Stdout, times)
		}
	}
	return nil
}

// printTimes writes one line of percentiles, in milliseconds, and the
// mean CPU time a render when it is known (not 0).
func printTimes(w io.Writer, name string, times []time.Duration, cpu time.Duration) {
	slices.Sort(times)
	ms := func(q float64) float64 { return float64(times[int(q*float64(len(times)-1))]) / 1e6 }
	fmt.Fprintf(w, "%-22s %8.2f %8.2f %8.2f %8.2f", name, ms(0.5), ms(0.95), ms(0.99), ms(1))
	if cpu > 0 {
		fmt.Fprintf(w, " %8.3f", float64(cpu)/1e6)
	}
	fmt.Fprintln(w)
}

// printSearchKinds writes the percentiles of each of benchQueries, given
// the times of a search run in request order.
func printSearchKinds(w io.Writer, times []time.Duration) {
	for qi, q := range benchQueries {
		var own []time.Duration
		for i := qi; i < len(times); i += len(benchQueries) {
			own = append(own, times[i])
		}
		if len(own) > 0 {
			printTimes(w, "  "+q, own, 0)
		}
	}
}

// benchQueries are what the render and load benchmarks (scripts/loadtest)
// search for: common and rare words, two-word queries, a prefix and a typo.
var benchQueries = []string{"council", "library+plan", "flood", "tanners+green", "bridge+delays", "festival",
	"sewage", "harbour+funding", "brewery", "stadium+consultation", "budg", "libary", "housing+scheme", "museum", "tram+review"}

// startCPUProfile writes a CPU profile to path ("": none) until stop.
func startCPUProfile(path string) (stop func(), err error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}
