package web_test

import (
	"context"
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
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

// uncached is the fixture's site with no page cache: every page is
// rendered from the store, and the layout from the site memo.
func (f *fixture) uncached(t *testing.T) {
	t.Helper()
	eng, err := render.New(time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	srv := web.New(f.site.Store, f.site.Desk, eng, slog.New(slog.DiscardHandler), web.Config{BaseURL: baseURL, Secret: []byte("test-secret"), CacheBytes: -1})
	f.server, f.handler = srv, srv.Handler()
}

// page fetches path, failing unless it answers status.
func (f *fixture) page(t *testing.T, path string, status int) string {
	t.Helper()
	res := f.get(t, path)
	if res.StatusCode != status {
		t.Fatalf("GET %s: status %d, want %d", path, res.StatusCode, status)
	}
	return res.body
}

// With no page cache, what the site memo keeps (settings, sections, menus,
// the banner) and what it does not (the story, its neighbours and related
// stories) show every write on the next render.
func TestMemoUncachedWrites(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		// write changes something; the first page then shows want and not
		// gone, the other pages (if any) too.
		write      func(t *testing.T, f *fixture) (want, gone string)
		paths      func(f *fixture) []string
		unpublishs bool // write takes f.middle down: its own page is 404
	}{
		{"site renamed", func(t *testing.T, f *fixture) (string, string) {
			if err := f.site.Store.SetPublication(ctx, news.Publication{Name: "The Renamed Gazette", Language: "en"}); err != nil {
				t.Fatal(err)
			}
			return "The Renamed Gazette", ""
		}, func(f *fixture) []string { return []string{f.middle.URLPath(), "/", "/section/sport"} }, false},
		{"section renamed", func(t *testing.T, f *fixture) (string, string) {
			sec := *f.section
			sec.Name = "Town Hall"
			if err := f.site.Store.UpdateSection(ctx, &sec); err != nil {
				t.Fatal(err)
			}
			return `">Town Hall</a>`, `">City Hall</a>`
		}, func(f *fixture) []string { return []string{f.last.URLPath(), "/"} }, false},
		{"menu saved", func(t *testing.T, f *fixture) (string, string) {
			if err := f.site.Store.SetMenu(ctx, news.FooterMenu, []news.MenuItem{{Kind: news.MenuCustom, Label: "Archive desk", URL: "/authors"}}); err != nil {
				t.Fatal(err)
			}
			return `<a href="/authors">Archive desk</a>`, ""
		}, func(f *fixture) []string { return []string{f.last.URLPath(), "/"} }, false},
		{"newsletter started", func(t *testing.T, f *fixture) (string, string) {
			if _, err := f.site.Desk.CreateNewsletter(ctx, news.Actor{Role: news.RoleAdmin}, newsroom.NewsletterInput{Name: "Morning Briefing",
				Kind: news.NewsletterBriefing, FromName: "The Gazette", FromEmail: "briefing@gazette.test"}); err != nil {
				t.Fatal(err)
			}
			return `value="morning-briefing"`, ""
		}, func(f *fixture) []string { return []string{f.last.URLPath(), f.first.URLPath()} }, false},
		{"story edited", func(t *testing.T, f *fixture) (string, string) {
			edited := *f.middle
			edited.Headline = "Council backs 450 new homes on the old quay"
			if err := f.site.Store.UpdateArticle(ctx, &edited, f.middle.Version, 0, "save"); err != nil {
				t.Fatal(err)
			}
			return edited.Headline, f.middle.Headline + "<"
		}, func(f *fixture) []string { return []string{f.middle.URLPath(), f.first.URLPath(), f.last.URLPath()} }, false},
		{"story published with a new tag", func(t *testing.T, f *fixture) (string, string) {
			f.site.Article(t, &news.Article{Headline: "Lamps relit along the quay", Tags: []news.Tag{f.site.Tag(t, "Harbour Lights")}})
			return ">Harbour Lights<", ""
		}, func(f *fixture) []string { return []string{"/"} }, false},
		{"story corrected", func(t *testing.T, f *fixture) (string, string) {
			c := &news.Correction{ArticleID: f.middle.ID, Kind: "correction", Body: "An earlier version misstated the vote.", CreatedAt: time.Now()}
			if err := f.site.Store.AddCorrection(ctx, c, 0); err != nil {
				t.Fatal(err)
			}
			return "An earlier version misstated the vote.", ""
		}, func(f *fixture) []string { return []string{f.middle.URLPath(), "/corrections"} }, false},
		{"comment approved", func(t *testing.T, f *fixture) (string, string) {
			f.site.Comment(t, f.last, &news.Comment{Body: "First to say so."})
			return "First to say so.", ""
		}, func(f *fixture) []string { return []string{f.last.URLPath()} }, false},
		{"story unpublished", func(t *testing.T, f *fixture) (string, string) {
			editor := f.site.StaffByRole(t, "Memo", "a long password")[news.RoleEditor]
			if _, err := f.site.Desk.Transition(ctx, editor, f.middle.ID, news.ActionUnpublish, time.Time{}, ""); err != nil {
				t.Fatal(err)
			}
			return "", f.middle.URLPath()
		}, func(f *fixture) []string { return []string{f.first.URLPath(), f.last.URLPath(), "/"} }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			f.uncached(t)
			paths := tt.paths(f)
			for _, p := range append([]string{f.middle.URLPath()}, paths...) {
				f.page(t, p, http.StatusOK) // the memo is filled
			}
			want, gone := tt.write(t, f)
			if tt.unpublishs {
				f.page(t, f.middle.URLPath(), http.StatusNotFound)
			}
			for _, p := range paths {
				body := f.page(t, p, http.StatusOK)
				if want != "" && !strings.Contains(body, want) {
					t.Errorf("GET %s does not show %q", p, want)
				}
				if gone != "" && strings.Contains(body, gone) {
					t.Errorf("GET %s still shows %q", p, gone)
				}
			}
		})
	}
}

// The banner, kept by the memo, goes with the story it links to and with
// its expiry, which writes nothing.
func TestMemoUncachedBanner(t *testing.T) {
	ctx := t.Context()
	start := time.Now().Truncate(time.Second)
	clk := clock.NewManual(start)
	site := testutil.NewSiteAt(t, clk)
	story := site.Article(t, &news.Article{Headline: "Dam gives way", PublishedAt: start.Add(-time.Hour)})
	eng, err := render.New(time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{site: site}
	f.handler = web.New(site.Store, site.Desk, eng, slog.New(slog.DiscardHandler), web.Config{BaseURL: baseURL, Secret: []byte("x"), CacheBytes: -1}).Handler()
	editor := site.StaffByRole(t, "Banner", "a long password")[news.RoleEditor]
	if _, err := site.Desk.SetBreaking(ctx, editor, news.BreakingInput{Text: "Evacuate the valley", ArticleID: story.ID, For: 30 * time.Minute}); err != nil {
		t.Fatal(err)
	}
	link := `<a href="` + story.URLPath() + `">Evacuate the valley</a>`
	mustContain(t, f.page(t, "/", http.StatusOK), link)
	mustContain(t, f.page(t, "/section/none", http.StatusNotFound), link)

	// Taken down, the story is no longer linked; the banner stays.
	if _, err := site.Desk.Transition(ctx, editor, story.ID, news.ActionUnpublish, time.Time{}, ""); err != nil {
		t.Fatal(err)
	}
	body := f.page(t, "/", http.StatusOK)
	mustContain(t, body, `<span>Evacuate the valley</span>`)
	if strings.Contains(body, story.URLPath()) {
		t.Errorf("the banner still links to the story taken down")
	}

	// A moment before it expires it shows; at its expiry it is gone.
	clk.Set(start.Add(30*time.Minute - time.Second))
	mustContain(t, f.page(t, "/", http.StatusOK), "Evacuate the valley")
	clk.Set(start.Add(30 * time.Minute))
	if body := f.page(t, "/", http.StatusOK); strings.Contains(body, "Evacuate the valley") {
		t.Errorf("the banner shows after its expiry")
	}
}

// Another process (a second store on the same file, with no commit hook
// into this one) renames the site; uncached pages show it at the next poll.
func TestMemoOtherWriter(t *testing.T) {
	ctx := context.Background()
	dbPath := filepath.Join(t.TempDir(), "masthead.db")
	open := func() *store.Store {
		st, err := store.OpenSQLite(ctx, dbPath)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
	reader, writer := open(), open()
	if err := writer.SetPublication(ctx, news.Publication{Name: "Shared", Language: "en"}); err != nil {
		t.Fatal(err)
	}
	eng, err := render.New(time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	const poll = 30 * time.Millisecond
	srv := web.New(reader, newsroom.New(reader, newsroom.Config{Location: time.UTC}), eng, slog.New(slog.DiscardHandler),
		web.Config{BaseURL: baseURL, Secret: []byte("x"), CacheBytes: -1, CachePoll: poll})
	f := &fixture{site: &testutil.Site{Store: writer}, handler: srv.Handler()}
	mustContain(t, f.page(t, "/", http.StatusOK), "<title>Shared</title>")

	if err := writer.SetPublication(ctx, news.Publication{Name: "Shared and renamed", Language: "en"}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * poll)
	mustContain(t, f.page(t, "/", http.StatusOK), "<title>Shared and renamed</title>")
}
