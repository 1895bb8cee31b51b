package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"masthead/internal/news"
)

// A published article moved to the trash leaves the reader site at once,
// cached pages included: its page answers 404, as for an article never
// published (and as WordPress does), and the front page, its section, tag
// and author listings, feeds, sitemaps, search and its neighbours' links
// drop it. Restored, it is back at the same address.
func TestTrashedArticleLeavesTheSite(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	editor := f.site.StaffByRole(t, "Desk", "a long password")[news.RoleEditor]
	listings := []string{"/", "/section/city-hall", "/section/city-hall/feed.xml", "/tag/city-council", "/tag/housing/feed.atom",
		"/author/tom-okafor", "/author/ana-ruiz/feed.xml", "/feed.xml", "/feed.json", "/sitemaps/news.xml",
		f.first.URLPath(), f.last.URLPath()} // its neighbours link to it
	f.warm(t, append([]string{f.middle.URLPath()}, listings...)...)
	shows := func(p string) bool {
		t.Helper()
		res := f.get(t, p)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d", p, res.StatusCode)
		}
		return strings.Contains(res.body, f.middle.Headline) || strings.Contains(res.body, f.middle.Path)
	}
	month := "/sitemaps/articles-" + f.middle.PublishedAt.UTC().Format("2006-01") + ".xml"
	for _, p := range append(listings, month, "/search?q=quay") {
		if !shows(p) {
			t.Fatalf("%s does not show the article before it is trashed", p)
		}
	}

	if _, err := f.site.Desk.TrashArticle(ctx, editor, f.middle.ID, ""); err != nil {
		t.Fatal(err)
	}
	if res := f.get(t, f.middle.URLPath()); res.StatusCode != http.StatusNotFound || strings.Contains(res.body, f.middle.Headline) {
		t.Errorf("the trashed article's page: %d", res.StatusCode)
	}
	for _, p := range append(listings, month, "/search?q=quay") {
		if shows(p) {
			t.Errorf("%s still shows the trashed article", p)
		}
	}

	if _, err := f.site.Desk.RestoreArticle(ctx, editor, f.middle.ID); err != nil {
		t.Fatal(err)
	}
	if res := f.get(t, f.middle.URLPath()); res.StatusCode != http.StatusOK || !strings.Contains(res.body, f.middle.Headline) {
		t.Errorf("the restored article's page: %d", res.StatusCode)
	}
	for _, p := range listings {
		if !shows(p) {
			t.Errorf("%s does not show the restored article", p)
		}
	}
}

// An editor's change to a comment's text shows on the article at once,
// marked as the newsroom's; what it said before never reaches readers.
func TestCacheCommentEdited(t *testing.T) {
	f := newFixture(t)
	editor := f.site.StaffByRole(t, "Desk", "a long password")[news.RoleEditor]
	c := f.site.Comment(t, f.middle, &news.Comment{Body: "Ring me on 555 0100 about the quay."})
	f.warm(t, f.middle.URLPath(), f.first.URLPath())
	if _, err := f.site.Desk.EditComment(context.Background(), editor, c.ID, "Ring me about the quay.", "a phone number"); err != nil {
		t.Fatal(err)
	}
	f.expect(t, "MISS", "Ring me about the quay.", f.middle.URLPath())
	_, body := f.cacheState(t, f.middle.URLPath())
	if strings.Contains(body, "555 0100") || strings.Contains(body, "a phone number") || !strings.Contains(body, "Edited by the newsroom") {
		t.Errorf("the article's page after the edit:\n%s", body)
	}
	f.expect(t, "HIT", "", f.first.URLPath())
}
