package admin_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"masthead/internal/news"
)

// TestSectionMergeScreen: an editor merges a section into another from
// the Sections screen (a missing target comes back to the form); an
// author may not.
func TestSectionMergeScreen(t *testing.T) {
	n := newNewsroom(t)
	editor, _ := n.signedIn(t, "Eda Editor", news.RoleEditor)
	author, _ := n.signedIn(t, "Ari Author", news.RoleAuthor)
	city, sport := n.site.Section(t, "City"), n.site.Section(t, "Sport")
	story := n.site.Article(t, &news.Article{Headline: "Council meets", Section: city})
	path := "/admin/sections/" + strconv.FormatInt(city.ID, 10) + "/merge"
	into := func() url.Values { return url.Values{"merge_into": {strconv.FormatInt(sport.ID, 10)}} }

	author.get("/admin/")
	if res := author.post(path, into()); res.status != http.StatusForbidden {
		t.Errorf("an author merging: %d", res.status)
	}
	page := editor.get("/admin/sections")
	if !strings.Contains(page.body, `action="`+path+`"`) || !strings.Contains(page.body, `aria-label="Merge City into the chosen section"`) {
		t.Fatalf("no merge form:\n%s", page.body)
	}
	if res := editor.post(path, url.Values{"merge_into": {"0"}}); res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "Choose another section") {
		t.Errorf("merge into nothing: %d\n%s", res.status, res.body)
	}
	if res := editor.post(path, into()); res.status != http.StatusSeeOther || res.location != "/admin/sections?done=merged" {
		t.Fatalf("merge: %d %s\n%s", res.status, res.location, res.body)
	}
	if a, err := n.site.Store.Article(context.Background(), story.ID); err != nil || a.Section == nil || a.Section.ID != sport.ID {
		t.Errorf("the story after the merge: %+v %v", a, err)
	}
}

// TestTagsScreen: editors list, search, rename, merge and delete tags,
// failed forms keeping what was typed; writers get neither the menu item
// nor the screens.
func TestTagsScreen(t *testing.T) {
	n := newNewsroom(t)
	ctx := context.Background()
	editor, _ := n.signedIn(t, "Eda Editor", news.RoleEditor)
	author, _ := n.signedIn(t, "Ari Author", news.RoleAuthor)
	roads, transport := n.site.Tag(t, "Roads"), n.site.Tag(t, "Transport")
	story := n.site.Article(t, &news.Article{Headline: "Bus lanes", Tags: []news.Tag{roads, transport}})
	id := strconv.FormatInt(roads.ID, 10)

	if page := author.get("/admin/"); strings.Contains(page.body, `href="/admin/tags"`) {
		t.Error("an author is offered Tags")
	}
	for _, path := range []string{"/admin/tags", "/admin/tags/" + id} {
		if page := author.get(path); page.status != http.StatusForbidden {
			t.Errorf("an author opened %s: %d", path, page.status)
		}
	}
	for _, path := range []string{"/admin/tags/" + id, "/admin/tags/" + id + "/merge", "/admin/tags/" + id + "/delete"} {
		if res := author.post(path, url.Values{"name": {"Mine"}, "merge_into": {"Transport"}}); res.status != http.StatusForbidden {
			t.Errorf("an author posting to %s: %d", path, res.status)
		}
	}

	page := editor.get("/admin/tags?q=road")
	if page.status != http.StatusOK || !strings.Contains(page.body, `href="/admin/tags/`+id+`">Roads</a>`) || strings.Contains(page.body, ">Transport</a>") ||
		!strings.Contains(page.body, "1 tag matches") || !strings.Contains(page.body, `href="/admin/tags"`) {
		t.Fatalf("search: %d\n%s", page.status, page.body)
	}
	if res := editor.post("/admin/tags", url.Values{"name": {"roads"}}); res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, `value="roads"`) {
		t.Errorf("adding a tag that exists: %d\n%s", res.status, res.body)
	}
	if res := editor.post("/admin/tags", url.Values{"name": {"Cycling"}}); res.status != http.StatusSeeOther {
		t.Errorf("adding a tag: %d\n%s", res.status, res.body)
	}

	if page := editor.get("/admin/tags/" + id); page.status != http.StatusOK || !strings.Contains(page.body, `value="Roads"`) {
		t.Fatalf("the tag: %d\n%s", page.status, page.body)
	}
	res := editor.post("/admin/tags/"+id, url.Values{"name": {"Highways"}, "slug": {"Not A Slug"}})
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, `value="Highways"`) || !strings.Contains(res.body, "A slug may contain only") {
		t.Errorf("a bad slug: %d\n%s", res.status, res.body)
	}
	if res := editor.post("/admin/tags/"+id, url.Values{"name": {"Highways"}, "slug": {"highways"}}); res.status != http.StatusSeeOther {
		t.Fatalf("rename: %d\n%s", res.status, res.body)
	}
	res = editor.post("/admin/tags/"+id+"/merge", url.Values{"merge_into": {"Nowhere"}})
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "There is no tag “Nowhere”") || !strings.Contains(res.body, `value="Nowhere"`) {
		t.Errorf("merge into a tag that does not exist: %d\n%s", res.status, res.body)
	}
	res = editor.post("/admin/tags/"+id+"/merge", url.Values{"merge_into": {"Transport"}})
	if want := "/admin/tags/" + strconv.FormatInt(transport.ID, 10) + "?done=tag-merged"; res.status != http.StatusSeeOther || res.location != want {
		t.Fatalf("merge: %d %s\n%s", res.status, res.location, res.body)
	}
	if a, _ := n.site.Store.Article(ctx, story.ID); len(a.Tags) != 1 || a.Tags[0].ID != transport.ID {
		t.Errorf("the story's tags after the merge: %+v", a.Tags)
	}
	if res := editor.post("/admin/tags/"+strconv.FormatInt(transport.ID, 10)+"/delete", nil); res.status != http.StatusSeeOther || res.location != "/admin/tags?done=tag-deleted" {
		t.Errorf("delete: %d %s", res.status, res.location)
	}
	if a, _ := n.site.Store.Article(ctx, story.ID); len(a.Tags) != 0 {
		t.Errorf("the story's tags after the delete: %+v", a.Tags)
	}
	if page := editor.get("/admin/tags/" + id); page.status != http.StatusNotFound {
		t.Errorf("a merged tag's page: %d", page.status)
	}
}

// TestStaffHandover: an administrator deactivates a member, handing their
// drafts to a colleague, or hands work over on its own; editors may not.
func TestStaffHandover(t *testing.T) {
	n := newNewsroom(t)
	ctx := context.Background()
	admin, _ := n.signedIn(t, "Ada Admin", news.RoleAdmin)
	editor, _ := n.signedIn(t, "Eli Editor", news.RoleEditor)
	_, leaver := n.signedIn(t, "Ari Leaving", news.RoleAuthor)
	_, taker := n.signedIn(t, "Tam Taking", news.RoleAuthor)
	draft, err := n.site.Desk.Create(ctx, news.Actor{ID: leaver.ID, Role: leaver.Role}, news.Snapshot{Headline: "Half-written", Body: "Text."})
	if err != nil {
		t.Fatal(err)
	}
	id := strconv.FormatInt(leaver.ID, 10)
	to := func() url.Values { return url.Values{"to": {strconv.FormatInt(taker.ID, 10)}} }

	editor.get("/admin/")
	for _, path := range []string{"/admin/staff/" + id + "/deactivate", "/admin/staff/" + id + "/transfer"} {
		if page := editor.get(path); page.status != http.StatusForbidden {
			t.Errorf("an editor opened %s: %d", path, page.status)
		}
		if res := editor.post(path, to()); res.status != http.StatusForbidden {
			t.Errorf("an editor posted to %s: %d", path, res.status)
		}
	}

	page := admin.get("/admin/staff")
	if !strings.Contains(page.body, `href="/admin/staff/`+id+`/deactivate"`) || !strings.Contains(page.body, `href="/admin/staff/`+id+`/transfer"`) {
		t.Fatalf("the Staff page's links:\n%s", page.body)
	}
	page = admin.get("/admin/staff/" + id + "/deactivate")
	if page.status != http.StatusOK || !strings.Contains(page.body, "Half-written") || !strings.Contains(page.body, ">Tam Taking (author)</option>") ||
		strings.Contains(page.body, ">Ari Leaving (author)</option>") {
		t.Fatalf("the deactivation form: %d\n%s", page.status, page.body)
	}
	if res := admin.post("/admin/staff/"+id+"/transfer", url.Values{"to": {id}}); res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "Choose someone else") {
		t.Errorf("handing work to its owner: %d\n%s", res.status, res.body)
	}
	if res := admin.post("/admin/staff/"+id+"/deactivate", to()); res.status != http.StatusSeeOther || res.location != "/admin/staff?done=deactivated" {
		t.Fatalf("deactivate and hand over: %d %s\n%s", res.status, res.location, res.body)
	}
	if a, _ := n.site.Store.Article(ctx, draft.ID); len(a.Authors) != 1 || a.Authors[0].ID != taker.ID {
		t.Errorf("the draft's byline: %+v", a.Authors)
	}
	if page := admin.get("/admin/staff/" + id + "/transfer"); page.status != http.StatusOK || !strings.Contains(page.body, "nothing to hand over") {
		t.Errorf("a deactivated member's handover page: %d\n%s", page.status, page.body)
	}
}
