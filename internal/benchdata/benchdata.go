// Package benchdata generates a synthetic newsroom archive for load tests
// and benchmarks: sections, about twenty journalists, a few dozen tags, and
// any number of published articles with realistic-length Markdown bodies
// (subheadings, quotations, block quotes, lists) and reader comments.
//
// Everything is derived from a seed, so two archives of the same size are
// the same archive. Articles go in oldest first, in large transactions
// through store.InsertBatch, while the other cores render the next batches'
// Markdown; a 100,000-article archive takes well under a minute on two
// cores.
package benchdata

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync"
	"time"

	"masthead/internal/news"
	"masthead/internal/newsroom"
	"masthead/internal/store"
)

// Options describe the archive to generate.
type Options struct {
	Articles int
	Seed     uint64
	Now      time.Time      // the newest article is a little before Now
	Location *time.Location // the newsroom's time zone (article dates in paths)
	Interval time.Duration  // average time between articles; default 40 minutes
	// Progress, if set, is called after each batch with the number of
	// articles stored so far.
	Progress func(done int)
}

const batchSize = 1000

// Generate fills an empty store with a synthetic archive.
func Generate(ctx context.Context, st *store.Store, opt Options) error {
	if opt.Location == nil {
		opt.Location = time.UTC
	}
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	if opt.Interval <= 0 {
		opt.Interval = 40 * time.Minute
	}
	g := &generator{opt: opt, st: st, desk: newsroom.New(st, newsroom.Config{Location: opt.Location}), paths: map[string]bool{}}
	if err := g.newsroom(ctx, st); err != nil {
		return err
	}
	batches := (opt.Articles + batchSize - 1) / batchSize
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	// Workers render batches in any order; the inserter stores them in order
	// so ids rise with publication dates. Tokens bound how far ahead the
	// workers run (each batch is some megabytes).
	results := make([]chan []store.BulkArticle, batches)
	for i := range results {
		results[i] = make(chan []store.BulkArticle, 1)
	}
	jobs := make(chan int)
	tokens := make(chan struct{}, 4)
	errs := make(chan error, runtime.NumCPU()+1)
	var wg sync.WaitGroup
	for range runtime.NumCPU() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range jobs {
				batch, err := g.batch(ctx, b)
				if err != nil {
					errs <- err
					cancel()
					return
				}
				results[b] <- batch
			}
		}()
	}
	go func() {
		defer close(jobs)
		for b := 0; b < batches; b++ {
			select {
			case tokens <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case jobs <- b:
			case <-ctx.Done():
				return
			}
		}
	}()
	done := 0
	var err error
	for b := 0; b < batches && err == nil; b++ {
		select {
		case batch := <-results[b]:
			if err = insert(ctx, st, batch); err == nil {
				done += len(batch)
				if opt.Progress != nil {
					opt.Progress(done)
				}
			}
			<-tokens
		case err = <-errs:
		case <-ctx.Done():
			err = ctx.Err()
		}
	}
	cancel()
	wg.Wait()
	if err != nil {
		return fmt.Errorf("generate archive: %w", err)
	}
	return st.ResetChanges(context.WithoutCancel(ctx))
}

// insert stores a batch. On SQLite the change log is suspended meanwhile,
// as a large import does (store.SuspendChangeLog): its triggers wrote a
// dozen entries an article, all replaced by ResetChanges at the end, and
// were a quarter of the writer's work. (On PostgreSQL suspending also
// recounts every listing and the vocabulary, each batch.)
func insert(ctx context.Context, st *store.Store, batch []store.BulkArticle) error {
	if st.Backend() != "sqlite" {
		return st.InsertBatch(ctx, batch)
	}
	return st.Atomically(ctx, func(tx *store.Store) error {
		resume, err := tx.SuspendChangeLog(ctx)
		if err != nil {
			return err
		}
		if err := tx.InsertBatch(ctx, batch); err != nil {
			return err
		}
		return resume(ctx, true)
	})
}

type generator struct {
	opt      Options
	st       *store.Store
	desk     *newsroom.Service
	sections []*news.Section
	authors  []news.Staff
	tags     []news.Tag

	mu    sync.Mutex
	paths map[string]bool
}

// newsroom creates the publication, sections, staff and tags.
func (g *generator) newsroom(ctx context.Context, st *store.Store) error {
	if err := st.SetPublication(ctx, news.Publication{Name: "The Northgate Courier", Tagline: "The city's paper since 1881",
		Description: "News, sport and culture from Northgate and the Wend valley.", Language: "en"}); err != nil {
		return err
	}
	for i, s := range sectionNames {
		sec := &news.Section{Slug: news.Slugify(s.name), Name: s.name, Description: s.desc, Position: i}
		if err := st.CreateSection(ctx, sec); err != nil {
			return err
		}
		g.sections = append(g.sections, sec)
	}
	rng := rand.New(rand.NewPCG(g.opt.Seed, 1))
	for i := 0; i < 20; i++ {
		name := firstNames[i%len(firstNames)] + " " + lastNames[(i*7+3)%len(lastNames)]
		slug := news.Slugify(name)
		au := news.Staff{Slug: slug, Name: name, Email: slug + "@courier.example", Role: news.RoleAuthor,
			JobTitle: jobTitles[rng.IntN(len(jobTitles))],
			Bio:      name + " has reported on " + topics[rng.IntN(len(topics))] + " and " + topics[rng.IntN(len(topics))] + " for the Courier since " + fmt.Sprint(2005+rng.IntN(18)) + "."}
		if err := st.CreateStaff(ctx, &au); err != nil {
			return err
		}
		g.authors = append(g.authors, au)
	}
	names := append(append([]string{}, tagNames...), places...)
	for _, n := range names {
		t, err := st.EnsureTag(ctx, strings.TrimPrefix(n, "the "))
		if err != nil {
			return err
		}
		g.tags = append(g.tags, t)
	}
	return nil
}

// batch generates and prepares articles [b*batchSize, …) with comments.
func (g *generator) batch(ctx context.Context, b int) ([]store.BulkArticle, error) {
	rng := rand.New(rand.NewPCG(g.opt.Seed, uint64(b)+2))
	first := b * batchSize
	last := min(first+batchSize, g.opt.Articles)
	out := make([]store.BulkArticle, 0, last-first)
	for i := first; i < last; i++ {
		a, comments := g.article(rng, i)
		if err := g.desk.Render(ctx, a); err != nil { // no quotations: InsertBatch stores none without History
			return nil, err
		}
		a.Path = g.path(a)
		out = append(out, store.BulkArticle{Article: a, Comments: comments})
	}
	g.st.Prepack(out)
	return out, nil
}

// path gives the article the first free dated path for its slug.
func (g *generator) path(a *news.Article) string {
	g.mu.Lock()
	defer g.mu.Unlock()
	base := a.Slug
	for n := 1; ; n++ {
		if n > 1 {
			a.Slug = news.SlugWithSuffix(base, n)
		}
		p := news.ArticlePath(a.PublishedAt, g.opt.Location, a.Slug)
		if !g.paths[p] {
			g.paths[p] = true
			return p
		}
	}
}

func pick[T any](rng *rand.Rand, list []T) T { return list[rng.IntN(len(list))] }

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// article makes the i-th article of the archive (0 is the oldest).
func (g *generator) article(rng *rand.Rand, i int) (*news.Article, []*news.Comment) {
	age := time.Duration(g.opt.Articles-i) * g.opt.Interval
	jitter := time.Duration(rng.Int64N(int64(g.opt.Interval)))
	published := g.opt.Now.Add(-age - jitter).Truncate(time.Second)
	topic, place, inst := pick(rng, topics), pick(rng, places), pick(rng, institutions)
	headline := capitalize(fmt.Sprintf("%s %s %s %s for %s", inst, pick(rng, headlineVerbs), topic, pick(rng, headlineNouns), place))
	if rng.IntN(4) == 0 {
		headline = capitalize(fmt.Sprintf("%s %s: %s", place, topic, g.clause(rng)))
	}
	a := &news.Article{
		Slug:         news.Slugify(headline),
		Headline:     headline,
		Standfirst:   capitalize(g.clause(rng)) + ".",
		Body:         g.body(rng, topic, place, inst),
		Section:      g.sections[rng.IntN(len(g.sections))],
		Status:       news.StatusPublished,
		Featured:     rng.IntN(50) == 0,
		CommentsOpen: rng.IntN(10) != 0,
		PublishedAt:  published,
		CreatedAt:    published.Add(-time.Duration(1+rng.IntN(5)) * time.Hour),
	}
	if rng.IntN(8) == 0 {
		a.UpdatedAt = published.Add(time.Duration(1+rng.IntN(48)) * time.Hour)
		if a.UpdatedAt.After(g.opt.Now) {
			a.UpdatedAt = time.Time{}
		}
	}
	a.Authors = append(a.Authors, g.authors[rng.IntN(len(g.authors))])
	if rng.IntN(6) == 0 {
		if co := g.authors[rng.IntN(len(g.authors))]; co.ID != a.Authors[0].ID {
			a.Authors = append(a.Authors, co)
		}
	}
	seen := map[int64]bool{}
	for n := 1 + rng.IntN(4); n > 0; n-- {
		t := g.tags[rng.IntN(len(g.tags))]
		if !seen[t.ID] {
			seen[t.ID] = true
			a.Tags = append(a.Tags, t)
		}
	}
	var comments []*news.Comment
	if a.CommentsOpen && rng.IntN(5) < 2 {
		at := published
		for n := 1 + rng.IntN(6); n > 0; n-- {
			at = at.Add(time.Duration(5+rng.IntN(600)) * time.Minute)
			if at.After(g.opt.Now) {
				break
			}
			name := pick(rng, firstNames) + " " + pick(rng, lastNames)[:1] + "."
			c := &news.Comment{Name: name, Email: strings.ToLower(strings.NewReplacer(" ", ".", ".", "").Replace(name)) + fmt.Sprint(rng.IntN(500)) + "@reader.example",
				Body: pick(rng, commentBodies), Status: news.CommentApproved, CreatedAt: at}
			if rng.IntN(10) == 0 {
				c.Status = news.CommentPending
			}
			if len(comments) > 0 && rng.IntN(3) == 0 {
				c.ParentID = int64(1 + rng.IntN(len(comments)))
			}
			comments = append(comments, c)
		}
	}
	return a, comments
}

// clause is one sentence's worth of reporting, numbers and names filled in.
func (g *generator) clause(rng *rand.Rand) string {
	c := pick(rng, clauses)
	var args []any
	for i := 0; i+1 < len(c); i++ {
		if c[i] != '%' {
			continue
		}
		switch c[i+1] {
		case 's':
			if rng.IntN(2) == 0 {
				args = append(args, pick(rng, places))
			} else {
				args = append(args, pick(rng, institutions))
			}
		case 'd':
			args = append(args, 2+rng.IntN(900))
		}
	}
	return fmt.Sprintf(c, args...)
}

func (g *generator) person(rng *rand.Rand) (name, role string) {
	name = pick(rng, firstNames) + " " + pick(rng, lastNames)
	switch rng.IntN(4) {
	case 0:
		role = "a councillor for " + pick(rng, places)
	case 1:
		role = "who chairs " + pick(rng, institutions)
	case 2:
		role = "a resident of " + pick(rng, places)
	default:
		role = "a spokesperson for " + pick(rng, institutions)
	}
	return name, role
}

func (g *generator) quote(rng *rand.Rand) string {
	q := pick(rng, quotes)
	if strings.Contains(q, "%s") {
		q = fmt.Sprintf(q, pick(rng, places))
	}
	return q
}

// body writes 400–1,200 words of Markdown.
func (g *generator) body(rng *rand.Rand, topic, place, inst string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s the %s plans for %s on %s, and %s.\n\n", capitalize(inst), pick(rng, []string{"set out", "confirmed", "published", "defended"}),
		topic, place, pick(rng, []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday"}), g.clause(rng))
	paragraphs := 8 + rng.IntN(14)
	for p := 0; p < paragraphs; p++ {
		switch r := rng.IntN(10); {
		case r < 3:
			name, role := g.person(rng)
			fmt.Fprintf(&b, "\"%s,\" %s %s, %s. \"%s.\"\n\n", g.quote(rng), pick(rng, verbs), name, role, g.quote(rng))
		case r == 3 && p > 2:
			fmt.Fprintf(&b, "## %s\n\n", pick(rng, subheads))
			fallthrough
		case r < 9:
			for s := 2 + rng.IntN(3); s > 0; s-- {
				fmt.Fprintf(&b, "%s, %s. ", capitalize(g.clause(rng)), g.clause(rng))
			}
			b.WriteString("\n\n")
		default:
			if rng.IntN(2) == 0 {
				name, _ := g.person(rng)
				fmt.Fprintf(&b, "> \"%s.\"\n>\n> — %s\n\n", g.quote(rng), name)
			} else {
				b.WriteString("The main points:\n\n")
				for s := 2 + rng.IntN(3); s > 0; s-- {
					fmt.Fprintf(&b, "- %s\n", capitalize(g.clause(rng)))
				}
				b.WriteString("\n")
			}
		}
	}
	return b.String()
}
