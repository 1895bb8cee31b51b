package newsroom_test

import (
	"context"
	"database/sql"
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
}

func newFedDB(t *testing.T, b testutil.Backend, clk clock.Clock) *fedDB {
	t.Helper()
	ctx := context.Background()
	dbURL, path := b.NewDatabase(t)
	st, err := store.Open(ctx, dbURL, path, store.WithClock(clk))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	driver, dsn := "sqlite", path
	if dbURL != "" {
		driver, dsn = "pgx", dbURL
	}
	raw, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	desk := newsroom.New(st, newsroom.Config{Location: time.UTC, Clock: clk, BaseURL: "https://news.example.test"})
	return &fedDB{store: st, desk: desk, raw: raw, pg: dbURL != ""}
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
