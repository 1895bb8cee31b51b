package web_test

import (
	"encoding/xml"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
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

// TestRenamedSectionRedirects: a section's old address, and its feeds,
// answer 301 with the new one once an editor renames it.
func TestRenamedSectionRedirects(t *testing.T) {
	f := newFixture(t)
	ed := f.site.Staff(t, "Eda Editor", news.RoleEditor, "a long password")
	if err := f.site.Desk.UpdateSection(t.Context(), news.Actor{ID: ed.ID, Role: ed.Role}, f.section.ID,
		newsroom.SectionInput{Name: "Town Hall", Slug: "town-hall"}); err != nil {
		t.Fatal(err)
	}
	for from, to := range map[string]string{
		"/section/city-hall":           "/section/town-hall",
		"/section/city-hall?page=2":    "/section/town-hall?page=2",
		"/section/city-hall/feed.xml":  "/section/town-hall/feed.xml",
		"/section/city-hall/feed.atom": "/section/town-hall/feed.atom",
	} {
		res := f.get(t, from)
		if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != to {
			t.Errorf("GET %s: %d %q, want 301 to %s", from, res.StatusCode, res.Header.Get("Location"), to)
		}
	}
	if res := f.get(t, "/section/town-hall"); res.StatusCode != http.StatusOK {
		t.Errorf("the new address: %d", res.StatusCode)
	}
	if res := f.get(t, "/section/never-was"); res.StatusCode != http.StatusNotFound {
		t.Errorf("an unknown section: %d", res.StatusCode)
	}
}

// TestMergedRedirects: a merged section's address and feeds lead to the
// section it went into; a tag's old addresses — renamed, or merged into
// another — and feeds lead to the tag it became.
func TestMergedRedirects(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	ed := f.site.Staff(t, "Eda Editor", news.RoleEditor, "a long password")
	editor := news.Actor{ID: ed.ID, Role: ed.Role}
	sport, err := f.site.Store.SectionBySlug(ctx, "sport")
	if err != nil {
		t.Fatal(err)
	}
	if err := f.site.Desk.MergeSection(ctx, editor, sport.ID, f.section.ID); err != nil {
		t.Fatal(err)
	}
	council, err := f.site.Store.TagBySlug(ctx, "city-council")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.site.Desk.UpdateTag(ctx, editor, council.ID, newsroom.TagInput{Name: "Council"}); err != nil {
		t.Fatal(err)
	}
	housing, err := f.site.Store.TagBySlug(ctx, "housing")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.site.Desk.MergeTag(ctx, editor, housing.ID, "Council"); err != nil {
		t.Fatal(err)
	}
	for from, to := range map[string]string{
		"/section/sport":           "/section/city-hall",
		"/section/sport/feed.atom": "/section/city-hall/feed.atom",
		"/tag/city-council":        "/tag/council",
		"/tag/housing?page=2":      "/tag/council?page=2",
		"/tag/housing/feed.xml":    "/tag/council/feed.xml",
	} {
		res := f.get(t, from)
		if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != to {
			t.Errorf("GET %s: %d %q, want 301 to %s", from, res.StatusCode, res.Header.Get("Location"), to)
		}
	}
	if res := f.get(t, "/tag/council"); res.StatusCode != http.StatusOK || !strings.Contains(res.body, "Bridge reopens after repairs") {
		t.Errorf("the tag merged into: %d", res.StatusCode)
	}
	if res := f.get(t, "/section/city-hall"); !strings.Contains(res.body, "Wanderers win the derby") {
		t.Error("the merged section's story is not in the section it went into")
	}
}

// TestDeepPagesMatchOffset: every page of a section, tag and author
// listing found from its month (store.WithListingSeek) is the page OFFSET
// finds, byte for byte, with stories over many months, several at one
// time, and static pages in the section; past the last page is a 404.
func TestDeepPagesMatchOffset(t *testing.T) {
	site := testutil.NewSiteWith(t, store.WithListingSeek(1)) // every page but the first seeks
	ctx := t.Context()
	city := site.Section(t, "City")
	ann, bob := site.Author(t, "Ann Lee"), site.Author(t, "Bob Day")
	harbour := site.Tag(t, "Harbour")
	base := time.Date(2026, 3, 15, 12, 0, 0, 0, time.UTC)
	var stories []*news.Article
	for i := range 40 {
		au := []news.Staff{ann}
		if i%3 == 0 {
			au = append(au, bob)
		}
		stories = append(stories, site.Article(t, &news.Article{Headline: fmt.Sprintf("Story %d", i), Section: city, Authors: au,
			Tags: []news.Tag{harbour}, PublishedAt: base.Add(-time.Duration(i/2*5*24) * time.Hour)}))
	}
	for i, id := range []int64{stories[3].ID, stories[25].ID} {
		if err := site.Store.PutPage(ctx, news.Page{ArticleID: id, Slug: fmt.Sprintf("page-%d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	eng, err := render.New(time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	server := func(st *store.Store) http.Handler {
		desk := newsroom.New(st, newsroom.Config{Location: time.UTC})
		return web.New(st, desk, eng, slog.New(slog.DiscardHandler), web.Config{BaseURL: baseURL, Secret: []byte("test-secret")}).Handler()
	}
	seeks, walks := server(site.Store), server(site.OpenAgain(t)) // the default walks pages this shallow
	get := func(h http.Handler, path string) (int, string) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		return rec.Code, rec.Body.String()
	}
	for _, list := range []string{city.URLPath(), harbour.URLPath(), ann.URLPath(), bob.URLPath()} {
		for page := 1; ; page++ {
			path := fmt.Sprintf("%s?page=%d", list, page)
			code, body := get(seeks, path)
			wantCode, want := get(walks, path)
			if code != wantCode || body != want {
				t.Errorf("%s: %d, want %d; the pages differ: %v", path, code, wantCode, body != want)
			}
			if wantCode != http.StatusOK {
				if page < 2 || wantCode != http.StatusNotFound {
					t.Errorf("%s: %d", path, wantCode)
				}
				break
			}
		}
	}
}

// TestSitemapIndexFollowsChanges: each month the sitemap index lists has
// the latest change its own sitemap shows, and the index lists exactly the
// months with published stories, as stories are edited, unpublished,
// scheduled and deleted.
func TestSitemapIndexFollowsChanges(t *testing.T) {
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	clk := clock.NewManual(now)
	site := testutil.NewSiteAt(t, clk)
	ctx := t.Context()
	st := site.Store
	city := site.Section(t, "City")
	old := site.Article(t, &news.Article{Headline: "An old story", Section: city, PublishedAt: now.AddDate(0, -3, 0)})
	site.Article(t, &news.Article{Headline: "Earlier today", Section: city, PublishedAt: now.Add(-2 * time.Hour)})
	middle := site.Article(t, &news.Article{Headline: "Today", Section: city, PublishedAt: now.Add(-time.Hour)})
	eng, err := render.New(time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	h := web.New(st, site.Desk, eng, slog.New(slog.DiscardHandler), web.Config{BaseURL: baseURL, Secret: []byte("test-secret")}).Handler()
	get := func(path string) string {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		return rec.Body.String()
	}
	check := func(step string) {
		t.Helper()
		var index struct {
			Sitemaps []struct {
				Loc     string `xml:"loc"`
				LastMod string `xml:"lastmod"`
			} `xml:"sitemap"`
		}
		if err := xml.Unmarshal([]byte(get("/sitemap.xml")), &index); err != nil {
			t.Fatal(err)
		}
		months := map[string]bool{}
		for _, sm := range index.Sitemaps {
			path := strings.TrimPrefix(sm.Loc, baseURL)
			if !strings.Contains(path, "articles-") {
				continue
			}
			months[path] = true
			var set struct {
				URLs []struct {
					LastMod string `xml:"lastmod"`
				} `xml:"url"`
			}
			if err := xml.Unmarshal([]byte(get(path)), &set); err != nil || len(set.URLs) == 0 {
				t.Errorf("%s: %s lists %d stories (%v)", step, path, len(set.URLs), err)
				continue
			}
			latest := ""
			for _, u := range set.URLs {
				latest = max(latest, u.LastMod)
			}
			if sm.LastMod != latest {
				t.Errorf("%s: the index gives %s last changed %s, its sitemap %s", step, path, sm.LastMod, latest)
			}
		}
		list, err := st.PublishedArticles(ctx, news.ArticleFilter{Limit: 100}, false)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]bool{}
		for _, a := range list {
			want[a.PublishedAt.UTC().Format("/sitemaps/articles-2006-01.xml")] = true
		}
		if fmt.Sprint(months) != fmt.Sprint(want) {
			t.Errorf("%s: the index lists %v, want %v", step, months, want)
		}
	}
	check("published")

	clk.Advance(time.Hour)
	a, err := st.Article(ctx, old.ID)
	if err != nil {
		t.Fatal(err)
	}
	a.Headline = "An old story, corrected"
	if err := st.UpdateArticle(ctx, a, a.Version, 0, "save"); err != nil {
		t.Fatal(err)
	}
	check("edited")

	if err := st.ChangeStatus(ctx, middle.ID, news.StatusChange{From: news.StatusPublished, To: news.StatusUnpublished, Action: "unpublish"}); err != nil {
		t.Fatal(err)
	}
	check("unpublished")

	clk.Advance(time.Hour)
	later := &news.Article{Slug: "later", Headline: "Later", Status: news.StatusScheduled, Section: city, PublishAt: clk.Now()}
	if err := st.CreateArticle(ctx, later); err != nil {
		t.Fatal(err)
	}
	check("scheduled")
	at := now.AddDate(0, -7, 0)
	if err := st.ChangeStatus(ctx, later.ID, news.StatusChange{From: news.StatusScheduled, To: news.StatusPublished, Action: "publish",
		Path: at.Format("2006/01/02") + "/later", Slug: "later", PublishedAt: at}); err != nil {
		t.Fatal(err)
	}
	check("scheduled and published")

	if err := st.DeleteArticle(ctx, old.ID); err != nil {
		t.Fatal(err)
	}
	check("deleted")
}
