package web_test

import (
	"net/http"
	"testing"

	"masthead/internal/news"
	"masthead/internal/newsroom"
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
