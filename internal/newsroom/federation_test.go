package newsroom_test

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"masthead/internal/clock"
	"masthead/internal/news"
	"masthead/internal/newsroom"
	"masthead/internal/store"
	"masthead/internal/testutil"
)

// fedDB is a federating newsroom with a second, raw connection to its
// database, through which a test makes the database refuse what it wants.
type fedDB struct {
	store *store.Store
	desk  *newsroom.Service
	raw   *sql.DB
	pg    bool

	dbURL, path string // what store.Open was given: another instance opens the same
}

func newFedDB(t *testing.T, b testutil.Backend, clk clock.Clock) *fedDB {
	t.Helper()
	dbURL, path := b.NewDatabase(t)
	st, desk := openInstance(t, dbURL, path, clk)
	driver, dsn := "sqlite", path
	if dbURL != "" {
		driver, dsn = "pgx", dbURL
	}
	raw, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	return &fedDB{store: st, desk: desk, raw: raw, pg: dbURL != "", dbURL: dbURL, path: path}
}

// openInstance opens one Masthead instance on a database: its store and
// newsroom, federating, allowed to deliver to loopback.
func openInstance(t *testing.T, dbURL, path string, clk clock.Clock) (*store.Store, *newsroom.Service) {
	t.Helper()
	st, err := store.Open(context.Background(), dbURL, path, store.WithClock(clk))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st, newsroom.New(st, newsroom.Config{Location: time.UTC, Clock: clk, BaseURL: "https://news.example.test",
		Federation: newsroom.FederationConfig{AllowLoopback: true}})
}

// refuseQueue makes every insert into the federation queue fail (on) or
// work again (off), as a full disk or a lost connection would at that
// moment.
func (f *fedDB) refuseQueue(t *testing.T, on bool) {
	t.Helper()
	stmts := []string{`CREATE TRIGGER refuse_fed BEFORE INSERT ON fed_activities BEGIN SELECT RAISE(ABORT, 'the queue refuses'); END`}
	if f.pg {
		stmts = []string{
			`CREATE OR REPLACE FUNCTION refuse_fed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'the queue refuses'; END $$`,
			`CREATE TRIGGER refuse_fed BEFORE INSERT ON fed_activities FOR EACH ROW EXECUTE FUNCTION refuse_fed()`,
		}
	}
	if !on {
		stmts = []string{`DROP TRIGGER refuse_fed`}
		if f.pg {
			stmts = []string{`DROP TRIGGER refuse_fed ON fed_activities`}
		}
	}
	for _, q := range stmts {
		if _, err := f.raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

func (f *fedDB) queued(t *testing.T) int {
	t.Helper()
	states, err := f.store.FedDeliveryStates(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return states["queued"]
}

// TestFederationQueuedWithTheChange: the Create of a publication (by hand
// or on schedule), the Update of an edit or a correction and the Delete
// of an unpublication, a trashing or a deletion are queued in the
// transaction that makes the change. When queueing fails the change is
// not made either, so no crash between the two can publish an article
// whose followers are never told.
func TestFederationQueuedWithTheChange(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		ctx := context.Background()
		clk := clock.NewManual(time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC))
		f := newFedDB(t, b, clk)
		ed := news.Staff{Slug: "eda-editor", Name: "Eda Editor", Email: "eda@example.test", Role: news.RoleEditor}
		if err := f.store.CreateStaff(ctx, &ed); err != nil {
			t.Fatal(err)
		}
		editor := news.Actor{ID: ed.ID, Role: news.RoleEditor}
		if err := f.store.AddFollower(ctx, store.Follower{Actor: "site", Follower: "https://peer.example/users/ann",
			Inbox: "https://peer.example/users/ann/inbox", CreatedAt: clk.Now()}); err != nil {
			t.Fatal(err)
		}
		a, err := f.desk.Create(ctx, editor, news.Snapshot{Headline: "Bridge reopens", Body: "Traffic is back.", AuthorIDs: []int64{ed.ID}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.desk.Transition(ctx, editor, a.ID, news.ActionSchedule, clk.Now().Add(time.Hour), ""); err != nil {
			t.Fatal(err)
		}
		clk.Advance(2 * time.Hour)

		current := func() *news.Article {
			t.Helper()
			got, err := f.store.Article(ctx, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			return got
		}
		steps := []struct {
			name string
			do   func() error
		}{
			{"scheduled publication", func() error { _, err := f.desk.PublishDue(ctx); return err }},
			{"correction", func() error { return f.desk.Correct(ctx, editor, a.ID, "correction", "It reopened on Tuesday.") }},
			{"edit", func() error {
				cur := current()
				snap := cur.Snapshot()
				snap.Body += " Buses too."
				_, err := f.desk.Save(ctx, editor, a.ID, cur.Version, snap, true, "save")
				return err
			}},
			{"unpublication", func() error {
				_, err := f.desk.Transition(ctx, editor, a.ID, news.ActionUnpublish, time.Time{}, "")
				return err
			}},
			{"publication", func() error {
				_, err := f.desk.Transition(ctx, editor, a.ID, news.ActionPublish, time.Time{}, "")
				return err
			}},
			{"trashing", func() error { _, err := f.desk.TrashArticle(ctx, editor, a.ID, ""); return err }},
			{"restoring", func() error { _, err := f.desk.RestoreArticle(ctx, editor, a.ID); return err }},
			{"deletion", func() error { _, err := f.desk.DeleteArticle(ctx, editor, a.ID); return err }},
		}
		for _, step := range steps {
			before, queued := current(), f.queued(t)
			f.refuseQueue(t, true)
			if err := step.do(); err == nil {
				t.Fatalf("%s: the queue refused, yet it succeeded", step.name)
			}
			f.refuseQueue(t, false)
			after := current()
			if after.Status != before.Status || after.Version != before.Version || len(after.Corrections) != len(before.Corrections) || (after.Trash == nil) != (before.Trash == nil) {
				t.Fatalf("%s: made without its activity: %s v%d → %s v%d", step.name, before.Status, before.Version, after.Status, after.Version)
			}
			if err := step.do(); err != nil {
				t.Fatalf("%s: %v", step.name, err)
			}
			if got := f.queued(t); got != queued+1 {
				t.Errorf("%s: %d deliveries queued, want %d", step.name, got, queued+1)
			}
		}
		if _, err := f.store.Article(ctx, a.ID); err == nil {
			t.Error("the article was not deleted")
		}
	})
}

// inboxCounter is a fediverse server on loopback counting what each of its
// inboxes receives; it answers status (0: 202).
type inboxCounter struct {
	url string

	mu       sync.Mutex
	status   int
	got      map[string]int // path → deliveries
	requests int
}

func newInboxCounter(t *testing.T) *inboxCounter {
	c := &inboxCounter{got: map[string]int{}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.mu.Lock()
		c.requests++
		status := c.status
		if status == 0 {
			status = http.StatusAccepted
			c.got[r.URL.Path]++
		}
		c.mu.Unlock()
		w.WriteHeader(status)
	}))
	t.Cleanup(srv.Close)
	c.url = srv.URL
	return c
}

func (c *inboxCounter) answer(status int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.status = status
}

func (c *inboxCounter) counts() (map[string]int, int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return maps.Clone(c.got), c.requests
}

// follow makes n remote accounts follow the paper, each with its own
// inbox, and shared more that share one shared inbox.
func (f *fedDB) follow(t *testing.T, c *inboxCounter, n, shared int, now time.Time) {
	t.Helper()
	ctx := context.Background()
	for i := range n + shared {
		fl := store.Follower{Actor: "site", Follower: fmt.Sprintf("%s/users/%d", c.url, i), Inbox: fmt.Sprintf("%s/users/%d/inbox", c.url, i), CreatedAt: now}
		if i >= n {
			fl.SharedInbox = c.url + "/inbox"
		}
		if err := f.store.AddFollower(ctx, fl); err != nil {
			t.Fatal(err)
		}
	}
}

// publish writes and publishes an article as a new editor.
func (f *fedDB) publish(t *testing.T, headline string) {
	t.Helper()
	ctx := context.Background()
	ed := news.Staff{Slug: news.Slugify(headline), Name: headline + " Editor", Email: news.Slugify(headline) + "@example.test", Role: news.RoleEditor}
	if err := f.store.CreateStaff(ctx, &ed); err != nil {
		t.Fatal(err)
	}
	editor := news.Actor{ID: ed.ID, Role: news.RoleEditor}
	a, err := f.desk.Create(ctx, editor, news.Snapshot{Headline: headline, Body: "Text of " + headline, AuthorIDs: []int64{ed.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.desk.Transition(ctx, editor, a.ID, news.ActionPublish, time.Time{}, ""); err != nil {
		t.Fatal(err)
	}
}

// TestFederationInstancesShareTheQueue: two instances on one database,
// two workers each, deliver one Create to 300 inboxes and a shared inbox
// that 50 followers offer: each inbox gets it exactly once.
func TestFederationInstancesShareTheQueue(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		ctx := context.Background()
		f := newFedDB(t, b, clock.System{})
		_, other := openInstance(t, f.dbURL, f.path, clock.System{})
		remote := newInboxCounter(t)
		f.follow(t, remote, 300, 50, time.Now())
		f.publish(t, "Council votes")

		var wg sync.WaitGroup
		errs := make(chan error, 4)
		for i, desk := range []*newsroom.Service{f.desk, other, f.desk, other} {
			wg.Go(func() {
				_, err := desk.DeliverFederated(ctx, fmt.Sprintf("worker-%d", i), 0)
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		got, requests := remote.counts()
		if len(got) != 301 || requests != 301 {
			t.Errorf("%d inboxes got %d requests, want 301 and 301", len(got), requests)
		}
		for path, n := range got {
			if n != 1 {
				t.Errorf("%s got %d", path, n)
			}
		}
		if got["/inbox"] != 1 {
			t.Errorf("the shared inbox got %d", got["/inbox"])
		}
		states, _ := f.store.FedDeliveryStates(ctx)
		if states["sent"] != 301 || len(states) != 1 {
			t.Errorf("states %v", states)
		}
	})
}

// TestFederationDeadServer: a server that answers no delivery for a day is
// given up on and reported; its later deliveries fail without a request,
// but for one attempt a day, which brings it back when it answers.
func TestFederationDeadServer(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		ctx := context.Background()
		clk := clock.NewManual(time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC))
		f := newFedDB(t, b, clk)
		remote := newInboxCounter(t)
		f.follow(t, remote, 1, 0, clk.Now())
		remote.answer(http.StatusServiceUnavailable)
		deliver := func() {
			t.Helper()
			if _, err := f.desk.DeliverFederated(ctx, "worker", 0); err != nil {
				t.Fatal(err)
			}
		}

		f.publish(t, "First story")
		for range 30 { // retried with backoff for a day, then given up
			deliver()
			clk.Advance(time.Hour)
		}
		report, err := f.desk.FederationReport(ctx)
		if err != nil {
			t.Fatal(err)
		}
		host := strings.TrimPrefix(remote.url, "http://")
		if len(report.Dead) != 1 || report.Dead[0].Host != host || report.Deliveries["failed"] != 1 || report.Dead[0].LastError == "" {
			t.Fatalf("report after a day of failures: %+v", report)
		}
		_, before := remote.counts()

		// A dead server: its deliveries are given up unsent until a day
		// has passed.
		f.publish(t, "Second story")
		deliver()
		clk.Advance(17 * time.Hour) // 23 hours after it was given up on
		f.publish(t, "Third story")
		deliver()
		if _, after := remote.counts(); after != before {
			t.Errorf("%d requests to a dead server", after-before)
		}
		report, _ = f.desk.FederationReport(ctx)
		if report.Deliveries["failed"] != 3 {
			t.Errorf("deliveries to a dead server: %v", report.Deliveries)
		}

		// The next day's probe finds it answering: it is alive again.
		remote.answer(0)
		clk.Advance(2 * time.Hour)
		f.publish(t, "Fourth story")
		deliver()
		report, _ = f.desk.FederationReport(ctx)
		if len(report.Dead) != 0 || report.Deliveries["sent"] != 1 {
			t.Errorf("after it answered: %+v", report)
		}
	})
}
