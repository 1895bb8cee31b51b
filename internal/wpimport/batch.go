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
// New drafts, posts in review and private posts go with the batch too,
// ahead of its published posts (queueEarly): built and checked by the
// desk (newsroom.NewDraft, CheckStep) but stored with the rest, since
// storing them one by one made every full-text index write out what it
// held at nearly every statement. Pages, scheduled posts and updates go
// through the desk one by one, as before, after the batch's early posts
// are stored (flushEarly), so that every row gets the id it would have
// had.

// batchSize is how many new posts are stored together.
const batchSize = 500

// queued is a new published post waiting for its batch.
type queued struct {
	w        *wanted
	article  *news.Article      // what is stored: w.article, or the desk's draft of it
	step     *news.StatusChange // the status change it takes once stored (early posts)
	early    bool               // a draft, post in review or private post
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
	posts []*queued
	early []*queued // drafts, posts in review and private posts: stored first
	// full is the last batch to fill, stored when the next one fills or
	// before anything else is stored: while this goroutine stores it,
	// the workers convert the next batch's bodies (storing each batch as
	// it filled left them idle while it was stored).
	full    []*queued
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

// queue adds a new published post (and its comments) to the batch.
func (im *importer) queue(ctx context.Context, it *wxr.Item, w *wanted) error {
	q, err := im.newQueued(it, w)
	if err != nil {
		return err
	}
	w.article.Status = news.StatusPublished
	im.prepareQueued(ctx, q)
	im.batch.posts = append(im.batch.posts, q)
	return im.queued(ctx, q)
}

// newQueued is a new post waiting, with what its comments become.
func (im *importer) newQueued(it *wxr.Item, w *wanted) (*queued, error) {
	q := &queued{w: w, article: w.article, wpID: strconv.FormatInt(it.PostID, 10), kind: it.PostType, comments: parentsFirst(it.Comments), done: make(chan struct{})}
	index := map[int64]int64{} // WordPress comment id → its index+1 in q.made
	for i, wc := range q.comments {
		c, err := im.comment(wc, 0)
		if err != nil {
			return nil, fmt.Errorf("comment %d: %w", wc.ID, err)
		}
		c.ParentID = index[wc.Parent]
		index[wc.ID] = int64(i + 1)
		q.made = append(q.made, c)
	}
	return q, nil
}

// queued notes a post added to the batch, and sets the batch aside once
// it is full, to be stored when the next one fills (storeFull).
func (im *importer) queued(ctx context.Context, q *queued) error {
	if im.batch.pending == nil {
		im.batch.pending = map[string]bool{}
	}
	im.batch.pending[q.kind+"/"+q.wpID] = true
	// Counting only the published posts, the batches are the ones the
	// desk storing the others one by one made, and every id is the same.
	switch {
	case len(im.batch.posts) >= batchSize:
		if err := im.storeFull(ctx); err != nil {
			return err
		}
		im.batch.full = append(im.batch.early, im.batch.posts...)
		im.batch.early, im.batch.posts = nil, nil
		return nil
	case len(im.batch.early) >= batchSize:
		return im.flushEarly(ctx)
	}
	return nil
}

// importNote is the note of the status changes an import makes.
const importNote = "imported from WordPress"

// earlyStatus reports whether a new post (not a page) of status is stored
// with the batch, ahead of its published posts (queueEarly): drafts and
// posts in review always; private posts, whose unpublication the desk
// would federate, while that would queue nothing (no one follows).
func (im *importer) earlyStatus(ctx context.Context, status news.Status) (bool, error) {
	switch status {
	case news.StatusDraft, news.StatusReview:
		return true, nil
	case news.StatusUnpublished:
		if im.federating == nil {
			f, err := im.desk.FederatesArticles(ctx)
			if err != nil {
				return false, err
			}
			im.federating = &f
		}
		return !*im.federating, nil
	}
	return false, nil
}

// queueEarly adds a new draft, post in review or private post to the
// batch, as the desk would make it: a draft built by newsroom.NewDraft
// (with its submission for review), or a private post stored as
// published and then unpublished (newsroom.CheckStep).
func (im *importer) queueEarly(ctx context.Context, it *wxr.Item, w *wanted) error {
	q, err := im.newQueued(it, w)
	if err != nil {
		return err
	}
	q.early = true
	who := actor(w.author)
	if w.status == news.StatusUnpublished {
		w.article.Status = news.StatusPublished
		if q.step, err = im.desk.CheckStep(ctx, who, w.article, newsroom.Step{Action: news.ActionUnpublish, Note: importNote}); err != nil {
			return err
		}
		im.prepareQueued(ctx, q)
	} else {
		// The desk reads the database to build a draft: here, on the
		// goroutine that writes.
		if err := im.convert(ctx, w); err != nil {
			return err
		}
		step := newsroom.Step{}
		if w.status == news.StatusReview {
			step = newsroom.Step{Action: news.ActionSubmit, Note: importNote}
		}
		if q.article, q.step, err = im.desk.NewDraft(ctx, who, w.article.Snapshot(), step); err != nil {
			return err
		}
		close(q.done)
	}
	im.batch.early = append(im.batch.early, q)
	return im.queued(ctx, q)
}

// prepareQueued has a queued post's body converted and rendered: by the
// workers, or here when rendering needs the database.
func (im *importer) prepareQueued(ctx context.Context, q *queued) {
	w := q.w
	if im.lib != nil {
		// Bodies may show library images, which rendering looks up in
		// the transaction: convert here, one at a time.
		q.err = im.prepare(ctx, im.desk, w)
		close(q.done)
	} else {
		im.startWorkers(ctx)
		im.batch.jobs <- q
	}
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
	// The goroutine storing the batches is the import's slowest part:
	// it keeps a core to itself, as far as the scheduler lets it (on two
	// cores, two workers took turns with it and slowed the import).
	for range max(runtime.GOMAXPROCS(0)-1, 1) {
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
// and their mappings; the early posts first, as they came before the
// published posts were stored.
func (im *importer) flush(ctx context.Context) error {
	if err := im.storeFull(ctx); err != nil {
		return err
	}
	posts := append(im.batch.early, im.batch.posts...)
	im.batch.early, im.batch.posts = nil, nil
	return im.store(ctx, posts)
}

// flushEarly stores the early posts waiting, before the desk stores
// anything else: the published posts wait on.
func (im *importer) flushEarly(ctx context.Context) error {
	if err := im.storeFull(ctx); err != nil {
		return err
	}
	posts := im.batch.early
	im.batch.early = nil
	return im.store(ctx, posts)
}

// storeFull stores the last full batch, if it is still waiting.
func (im *importer) storeFull(ctx context.Context) error {
	posts := im.batch.full
	im.batch.full = nil
	return im.store(ctx, posts)
}

func (im *importer) store(ctx context.Context, posts []*queued) error {
	if len(posts) == 0 {
		return nil
	}
	for _, q := range posts {
		delete(im.batch.pending, q.kind+"/"+q.wpID)
	}
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
	var paths []string
	for _, q := range posts {
		if a := q.article; a.Status == news.StatusPublished {
			paths = append(paths, news.ArticlePath(a.PublishedAt, loc, a.Slug))
		}
	}
	taken, err := im.st.TakenPaths(ctx, paths)
	if err != nil {
		return err
	}
	bulk := make([]store.BulkArticle, len(posts))
	modified := make([]time.Time, len(posts)) // an early post's, set once it is stored, as create sets it
	for i, q := range posts {
		a := q.article
		if q.early {
			if a == q.w.article && a.ModifiedAt.IsZero() {
				a.ModifiedAt = a.LastModified() // as the desk's CreatePublished
			}
			modified[i] = q.w.article.ModifiedAt // the step changes it
		}
		if a.Status == news.StatusPublished {
			if err := im.freePath(ctx, a, loc, taken); err != nil {
				return err
			}
			taken[a.Path] = true
			bulk[i] = q.bulk
		}
		bulk[i].Article, bulk[i].Comments, bulk[i].History, bulk[i].By, bulk[i].Step = a, q.made, true, q.w.author.ID, q.step
	}
	if err := im.st.InsertBatchKnowing(ctx, bulk, &im.speakers); err != nil {
		return err
	}
	// What the desk does after storing an early post: forgets its
	// writer's autosave of a new draft; and what the import does after
	// storing any post one by one: its modification date.
	drafted := map[int64]bool{}
	for _, q := range posts {
		if !q.early || q.article == q.w.article {
			continue // not a draft of the desk's
		}
		if id := q.w.author.ID; !drafted[id] {
			drafted[id] = true
			if err := im.st.DeleteAutosave(ctx, id, 0); err != nil {
				return err
			}
		}
	}
	for i, q := range posts {
		if q.early && !modified[i].IsZero() {
			if err := im.st.SetModified(ctx, q.article.ID, modified[i]); err != nil {
				return err
			}
		}
	}
	var maps []store.WPMapping
	commented := im.sum.Counts[KindComment]
	for _, q := range posts {
		maps = append(maps, store.WPMapping{Site: im.site, Kind: q.kind, WPID: q.wpID, TargetID: q.article.ID,
			OldPath: q.w.oldPath, Checksum: q.w.sum})
		im.sum.Counts[q.kind].Created++
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
