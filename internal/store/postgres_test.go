package store_test

import (
	"sync"
	"testing"
	"time"

	"masthead/internal/news"
	"masthead/internal/newsroom"
	"masthead/internal/store"
	"masthead/internal/testutil"
)

// A PostgreSQL restart or failover kills every connection in the pools. The
// store must carry on without a restart of its own: the next calls, reads
// and transactional writes alike, succeed on fresh connections.
func TestPostgresSurvivesDroppedConnections(t *testing.T) {
	dbURL := testutil.PostgresURL(t)
	st, err := store.OpenPostgres(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	desk := newsroom.New(st, newsroom.Config{Location: time.UTC})
	a := &news.Article{Headline: "Ferry returns to the harbour", Body: "The ferry is back.", PublishedAt: time.Now().Add(-time.Hour)}
	if err := desk.CreatePublished(ctx, a); err != nil {
		t.Fatal(err)
	}
	// Fill both pools with several open connections.
	var wg sync.WaitGroup
	for range 6 {
		wg.Go(func() {
			if _, err := st.PublishedArticles(ctx, news.ArticleFilter{}, true); err != nil {
				t.Error(err)
			}
			if err := st.SetSetting(ctx, "warm", "yes"); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()

	steps := []struct {
		name string
		call func() error
	}{
		{"read one row", func() error {
			_, err := st.PublishedArticle(ctx, a.Path)
			return err
		}},
		{"read a listing", func() error {
			_, err := st.PublishedArticles(ctx, news.ArticleFilter{}, false)
			return err
		}},
		{"search", func() error {
			_, err := st.Search(ctx, news.SearchQuery{Text: "ferry", Limit: 10})
			return err
		}},
		{"write in a transaction", func() error {
			return st.CreateComment(ctx, &news.Comment{ArticleID: a.ID, Name: "R", Email: "r@example.test", Body: "Hi", Status: news.CommentApproved})
		}},
		{"health check", func() error { return st.Ping(ctx) }},
	}
	for _, step := range steps {
		t.Run(step.name, func(t *testing.T) {
			if n := testutil.TerminateConnections(t, dbURL); n == 0 {
				t.Fatal("no connections to terminate: the pools should hold some")
			}
			if err := step.call(); err != nil {
				t.Fatalf("first call after the connections were dropped: %v", err)
			}
			// And the store keeps working afterwards, writes included.
			if err := st.SetSetting(ctx, "after", step.name); err != nil {
				t.Fatalf("write after recovery: %v", err)
			}
			if v, _, err := st.Setting(ctx, "after"); err != nil || v != step.name {
				t.Fatalf("read after recovery: %q, %v", v, err)
			}
		})
	}
}

// The reader pool is read-only: a write sent there by mistake fails on
// PostgreSQL as it does on SQLite (query_only), so tests catch it on both.
func TestReadPoolIsReadOnly(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		st := b.Open(t)
		if err := store.WriteThroughReadPool(st, ctx); err == nil {
			t.Fatal("a write through the reader pool succeeded")
		}
	})
}

// The change log is written by triggers (plpgsql on PostgreSQL): both
// engines must name the same things for the same writes.
func TestChangeLogTriggers(t *testing.T) {
	each(t, func(t *testing.T, site *testutil.Site) {
		st := site.Store
		sec := site.Section(t, "City")
		tag := site.Tag(t, "Harbour")
		au := site.Author(t, "Ann Reporter")
		first := site.Article(t, &news.Article{Headline: "First", Section: sec, PublishedAt: time.Now().Add(-2 * time.Hour)})
		start, err := st.LatestChange(ctx)
		if err != nil {
			t.Fatal(err)
		}
		a := site.Article(t, &news.Article{Headline: "Second", Section: sec, Tags: []news.Tag{tag}, Authors: []news.Staff{au}})
		c := site.Comment(t, a, &news.Comment{})
		if err := st.SetCommentStatus(ctx, c.ID, news.CommentSpam); err != nil {
			t.Fatal(err)
		}
		if err := st.SetSetting(ctx, "site.name", "Renamed"); err != nil {
			t.Fatal(err)
		}
		if err := st.SetSetting(ctx, "secret.other", "x"); err != nil { // not public: no change
			t.Fatal(err)
		}
		changes, complete, err := st.ChangesSince(ctx, start, 100)
		if err != nil || !complete {
			t.Fatalf("ChangesSince: %v, complete %v", err, complete)
		}
		seen := map[string]int{}
		var last int64
		for _, ch := range changes {
			if ch.ID <= last {
				t.Errorf("change ids out of order: %d after %d", ch.ID, last)
			}
			last = ch.ID
			seen[string(ch.Kind)+":"+ch.Ref]++
		}
		for _, want := range []string{"article:" + a.Path, "article:" + first.Path, "site:", "section:city", "tag:harbour", "author:" + au.Slug, "all:"} {
			if seen[want] == 0 {
				t.Errorf("no %q change in %v", want, seen)
			}
		}
		if seen["all:"] != 1 {
			t.Errorf("%d 'all' changes, want 1 (the secret setting is not public)", seen["all:"])
		}
	})
}
