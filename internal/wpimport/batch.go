package wpimport

import (
	"context"
	"fmt"
	"runtime"
	"strconv"
	"time"

	"masthead/internal/news"
	"masthead/internal/newsroom"
	"masthead/internal/store"
	"masthead/internal/wxr"
)

// Most of an export is new published posts, and most of an import's time
// went into storing them one statement at a time. They are gathered
// instead — their bodies converted and rendered on the other cores while
// the file is read on — and stored a few hundred at a time with
// store.InsertBatch, inside the import's one transaction, with what the
// desk records of a new article (first revision, event, quotations).
// Everything else (drafts, pages, updates) goes through the desk one by
// one, as before.

// batchSize is how many new posts are stored together.
const batchSize = 500

// queued is a new published post waiting for its batch.
type queued struct {
	w        *wanted
	wpID     string
	kind     string
	comments []wxr.Comment   // parents first
	made     []*news.Comment // what they become; ParentID an index+1 into made
	done     chan struct{}   // closed once the body is converted and rendered
	err      error
	bulk     store.BulkArticle // the article with its bodies packed for storing, once done (workers only)
}

// batch is the posts waiting, and the workers converting their bodies.
type batch struct {
	posts   []*queued
	pending map[string]bool // kind/id of the posts waiting
	jobs    chan *queued    // nil until the first post comes
}

func (b *batch) has(kind, id string) bool { return b.pending[kind+"/"+id] }

// stop ends the workers.
func (b *batch) stop() {
	if b.jobs != nil {
		close(b.jobs)
		b.jobs = nil
	}
}

// mapping is what a WordPress record became, from the map of its kind
// loaded whole the first time it is needed.
func (im *importer) mapping(ctx context.Context, kind, id string) (store.WPMapping, bool, error) {
	ms, ok := im.mapped[kind]
	if !ok {
		var err error
		if ms, err = im.st.WPImported(ctx, im.site, kind); err != nil {
			return store.WPMapping{}, false, err
		}
		im.mapped[kind] = ms
	}
	m, ok := ms[id]
	return m, ok, nil
}

// putMapping records a mapping, in the database and the loaded map.
func (im *importer) putMapping(ctx context.Context, m store.WPMapping) error {
	if err := im.st.PutWPMapping(ctx, m); err != nil {
		return err
	}
	im.remember(m)
	return nil
}

func (im *importer) remember(m store.WPMapping) {
	if ms, ok := im.mapped[m.Kind]; ok {
		ms[m.WPID] = m
	}
}

// queue adds a new published post (and its comments) to the batch, and
// stores the batch once it is full.
func (im *importer) queue(ctx context.Context, it *wxr.Item, w *wanted) error {
	q := &queued{w: w, wpID: strconv.FormatInt(it.PostID, 10), kind: it.PostType, comments: parentsFirst(it.Comments), done: make(chan struct{})}
	index := map[int64]int64{} // WordPress comment id → its index+1 in q.made
	for i, wc := range q.comments {
		c, err := im.comment(wc, 0)
		if err != nil {
			return fmt.Errorf("comment %d: %w", wc.ID, err)
		}
		c.ParentID = index[wc.Parent]
		index[wc.ID] = int64(i + 1)
		q.made = append(q.made, c)
	}
	w.article.Status = news.StatusPublished
	if im.lib != nil {
		// Bodies may show library images, which rendering looks up in
		// the transaction: convert here, one at a time.
		q.err = im.prepare(ctx, im.desk, w)
		close(q.done)
	} else {
		im.startWorkers(ctx)
		im.batch.jobs <- q
	}
	if im.batch.pending == nil {
		im.batch.pending = map[string]bool{}
	}
	im.batch.pending[q.kind+"/"+q.wpID] = true
	im.batch.posts = append(im.batch.posts, q)
	if len(im.batch.posts) >= batchSize {
		return im.flush(ctx)
	}
	return nil
}

// startWorkers starts the goroutines that convert and render bodies. They
// use a desk without a store: nothing they do reads the database.
func (im *importer) startWorkers(ctx context.Context) {
	if im.batch.jobs != nil {
		return
	}
	desk := newsroom.New(nil, newsroom.Config{Location: im.opts.Location})
	jobs := make(chan *queued, 2*batchSize)
	im.batch.jobs = jobs
	for range max(runtime.GOMAXPROCS(0), 2) {
		go func() {
			for q := range jobs {
				q.err = im.prepare(ctx, desk, q.w)
				if q.err == nil {
					// Packing the bodies here keeps it off the one
					// goroutine that writes.
					b := []store.BulkArticle{{Article: q.w.article}}
					im.st.Prepack(b)
					q.bulk = b[0]
				}
				close(q.done)
			}
		}()
	}
}

// prepare converts and renders a new post's body, as the desk would
// before storing it.
func (im *importer) prepare(ctx context.Context, desk *newsroom.Service, w *wanted) error {
	if err := im.convert(ctx, w); err != nil {
		return err
	}
	return desk.Prepare(ctx, w.article)
}

// flush stores the posts waiting: each at the first free dated path for
// its slug (as the desk's CreatePublished chooses), with its comments
// and their mappings.
func (im *importer) flush(ctx context.Context) error {
	posts := im.batch.posts
	if len(posts) == 0 {
		return nil
	}
	im.batch.posts, im.batch.pending = nil, nil
	for _, q := range posts {
		<-q.done
		if q.err != nil {
			return fmt.Errorf("%s %s (%q): %w", q.kind, q.wpID, truncate(q.w.article.Headline, 60), q.err)
		}
	}
	loc, err := im.desk.Location(ctx)
	if err != nil {
		return err
	}
	paths := make([]string, len(posts))
	for i, q := range posts {
		paths[i] = news.ArticlePath(q.w.article.PublishedAt, loc, q.w.article.Slug)
	}
	taken, err := im.st.TakenPaths(ctx, paths)
	if err != nil {
		return err
	}
	bulk := make([]store.BulkArticle, len(posts))
	for i, q := range posts {
		a := q.w.article
		if err := im.freePath(ctx, a, loc, taken); err != nil {
			return err
		}
		taken[a.Path] = true
		bulk[i] = q.bulk
		bulk[i].Article, bulk[i].Comments, bulk[i].History, bulk[i].By = a, q.made, true, q.w.author.ID
	}
	if err := im.st.InsertBatchKnowing(ctx, bulk, &im.speakers); err != nil {
		return err
	}
	var maps []store.WPMapping
	posted, commented := im.sum.Counts[KindPost], im.sum.Counts[KindComment]
	for _, q := range posts {
		maps = append(maps, store.WPMapping{Site: im.site, Kind: q.kind, WPID: q.wpID, TargetID: q.w.article.ID,
			OldPath: q.w.oldPath, Checksum: q.w.sum})
		posted.Created++
		for i, wc := range q.comments {
			c := q.made[i]
			maps = append(maps, store.WPMapping{Site: im.site, Kind: KindComment, WPID: strconv.FormatInt(wc.ID, 10),
				TargetID: c.ID, Checksum: commentSum(wc, c.ParentID)})
			commented.Created++
		}
	}
	if err := im.st.PutWPMappings(ctx, maps); err != nil {
		return err
	}
	for _, m := range maps {
		im.remember(m)
	}
	return nil
}

// freePath gives a the first dated path for its slug that neither the
// site nor the batch uses.
func (im *importer) freePath(ctx context.Context, a *news.Article, loc *time.Location, taken map[string]bool) error {
	base := a.Slug
	for n := 1; n < 1000; n++ {
		slug := base
		if n > 1 {
			slug = news.SlugWithSuffix(base, n)
		}
		path := news.ArticlePath(a.PublishedAt, loc, slug)
		if taken[path] {
			continue
		}
		if n > 1 { // the first was checked with the batch
			used, err := im.st.PathTaken(ctx, path)
			if err != nil {
				return err
			}
			if used {
				continue
			}
		}
		a.Slug, a.Path = slug, path
		return nil
	}
	return fmt.Errorf("no free path for %q", base)
}
