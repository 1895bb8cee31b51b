package web_test

import (
	"net/http"
	"strings"
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
