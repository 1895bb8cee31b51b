package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"masthead/internal/clock"
	"masthead/internal/news"
	"masthead/internal/newsroom"
	"masthead/internal/render"
	"masthead/internal/store"
	"masthead/internal/testutil"
	"masthead/internal/web"
)

// TestTwoInstancesOnPostgres runs two reader sites on one PostgreSQL
// database, as two machines behind a load balancer would: what the newsroom
// publishes through instance A shows on instance B (whose page cache was
// already warm) within a second, and a scheduled article goes out exactly
// once with both instances' schedulers racing.
func TestTwoInstancesOnPostgres(t *testing.T) {
	ctx := context.Background()
	url, _ := testutil.Postgres.NewDatabase(t)
	open := func() *store.Store {
		st, err := store.OpenPostgres(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
	a, b := open(), open()
	eng, err := render.New(time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	siteB := web.New(b, newsroom.New(b, newsroom.Config{Location: time.UTC}), eng, slog.New(slog.DiscardHandler), web.Config{BaseURL: baseURL, Secret: []byte("x"), CachePoll: time.Hour}).Handler()
	get := func(path string) string {
		rec := httptest.NewRecorder()
		siteB.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		body, _ := io.ReadAll(rec.Body)
		return string(body)
	}
	get("/") // warm B's cache
	get("/")

	// One clock for both instances, moved by hand past the scheduled time.
	clk := clock.NewManual(time.Now())
	deskA := newsroom.New(a, newsroom.Config{Location: time.UTC, Clock: clk})
	u := news.Staff{Slug: "ann-instance", Name: "Ann Instance", Email: "ann@example.test", Role: news.RoleEditor}
	if err := a.CreateStaff(ctx, &u); err != nil {
		t.Fatal(err)
	}
	if err := deskA.CreatePublished(ctx, &news.Article{Headline: "Published on instance A", Body: "Text.", Authors: []news.Staff{u}, CommentsOpen: true}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(time.Second)
	for !strings.Contains(get("/"), "Published on instance A") {
		if time.Now().After(deadline) {
			t.Fatal("instance B did not show A's article within a second")
		}
		time.Sleep(20 * time.Millisecond)
	}

	me := news.Actor{ID: u.ID, Role: news.RoleEditor}
	draft, err := deskA.Create(ctx, me, news.Snapshot{Headline: "Scheduled across instances", Body: "Text."})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := deskA.Transition(ctx, me, draft.ID, news.ActionSchedule, clk.Now().Add(time.Hour), ""); err != nil {
		t.Fatal(err)
	}
	clk.Advance(2 * time.Hour)
	desks := []*newsroom.Service{deskA, newsroom.New(b, newsroom.Config{Location: time.UTC, Clock: clk})}
	counts := make([]int, 2)
	var wg sync.WaitGroup
	for i, d := range desks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var err error
			if counts[i], err = d.PublishDue(ctx); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if counts[0]+counts[1] != 1 {
		t.Fatalf("scheduled article published %v times, want once", counts)
	}
}
