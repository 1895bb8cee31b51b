package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"masthead/internal/news"
	"masthead/internal/testutil"
)

var tagLike = regexp.MustCompile(`<[a-zA-Z!/]`)

// TestNaughtyStrings sends every string of the Big List of Naughty Strings
// through every public query parameter and form field: nothing may answer
// 5xx, nothing tag-like may come back unescaped, and an accepted comment
// must read back as submitted (less surrounding white space).
func TestNaughtyStrings(t *testing.T) {
	f := newFixtureLimit(t, 1<<30)
	ctx := context.Background()
	strs := testutil.NaughtyStrings(t)
	article := f.middle.URLPath()
	checked, accepted := 0, 0
	for _, s := range strs {
		q := url.QueryEscape(s)
		for _, target := range []string{
			"/search?q=" + q, "/search?q=quay&page=" + q, "/?page=" + q, "/section/city-hall?page=" + q,
			"/section/" + url.PathEscape(s), "/tag/" + url.PathEscape(s), "/author/" + url.PathEscape(s),
			"/2026/01/01/" + url.PathEscape(s), article + "?replyto=" + q, "/sitemaps/" + url.PathEscape(s),
		} {
			req, err := http.NewRequest("GET", target, nil)
			if err != nil {
				continue // not expressible as a request line at all
			}
			rec := httptest.NewRecorder()
			f.handler.ServeHTTP(rec, req)
			checked++
			if rec.Code >= 500 {
				t.Errorf("GET %s: %d", target, rec.Code)
			}
			if tagLike.MatchString(s) && strings.Contains(rec.Body.String(), s) {
				t.Errorf("GET %s reflects %q unescaped", target, s)
			}
		}
		for _, field := range []string{"name", "email", "website", "comment", "parent_id"} {
			form := url.Values{"name": {"Naughty Tester"}, "email": {"naughty@example.test"}, "website": {""}, "comment": {"A fine comment."}}
			form.Set(field, s)
			res := f.post(t, article+"/comments", form)
			checked++
			switch {
			case res.StatusCode >= 500:
				t.Errorf("POST %s=%q: %d", field, s, res.StatusCode)
			case res.StatusCode == http.StatusSeeOther:
				accepted++
				cid, err := strconv.ParseInt(strings.TrimPrefix(res.Header.Get("Location"), article+"#comment-"), 10, 64)
				if err != nil {
					t.Fatalf("redirect to %q", res.Header.Get("Location"))
				}
				c := commentByID(t, f, ctx, cid)
				got := map[string]string{"name": c.Name, "email": c.Email, "website": c.Website, "comment": c.Body}[field]
				want := strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
				if field == "email" {
					want = strings.ToLower(want)
				}
				if field != "parent_id" && got != want && !(field == "website" && got == "https://"+want) {
					t.Errorf("%s: stored %q, submitted %q", field, got, s)
				}
			case res.StatusCode >= 400:
				if tagLike.MatchString(s) && strings.Contains(res.body, s) {
					t.Errorf("error page for %s reflects %q unescaped", field, s)
				}
			}
		}
	}
	t.Logf("%d strings, %d requests, %d comments accepted", len(strs), checked, accepted)
}

func commentByID(t *testing.T, f *fixture, ctx context.Context, id int64) *news.Comment {
	t.Helper()
	c, err := f.site.Store.Comment(ctx, id)
	if err != nil {
		t.Fatalf("comment %d: %v", id, err)
	}
	return c
}

// FuzzPublicURLs requests arbitrary paths and queries: the site answers
// every one without a server error.
func FuzzPublicURLs(f *testing.F) {
	for _, s := range []string{"/", "/search?q=x", "/section/city-hall?page=2", "/2026/11/24/x", "/tag/%00", "/sitemaps/articles-2026-13.xml", "/feed.xml?x=1", "/author/ana-ruiz/feed.atom"} {
		f.Add(s)
	}
	fx := newFixture(f)
	f.Fuzz(func(t *testing.T, target string) {
		req, err := http.NewRequest("GET", target, nil)
		if err != nil || req.URL.Path == "" || req.URL.Path[0] != '/' {
			return
		}
		rec := httptest.NewRecorder()
		fx.handler.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("GET %q: %d", target, rec.Code)
		}
	})
}
