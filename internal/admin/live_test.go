package admin_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"masthead/internal/news"
)

// An editor makes an article live and posts from the desk's form; a failed
// post keeps the text; an author not on the story is refused; pin, edit and
// delete work from the list; the editor ends the coverage.
func TestLiveDesk(t *testing.T) {
	n := newNewsroom(t)
	ed, _ := n.signedIn(t, "Eda Editor", news.RoleEditor)
	au, _ := n.signedIn(t, "Abe Author", news.RoleAuthor)
	a := n.site.Article(t, &news.Article{})
	desk := fmt.Sprintf("/admin/articles/%d/live", a.ID)

	if res := au.get(desk); res.status != http.StatusForbidden {
		t.Errorf("an author opening another's live desk: %d", res.status)
	}
	ed.get(desk)
	if res := au.post(desk+"/state", url.Values{"action": {"start"}}); res.status != http.StatusForbidden {
		t.Errorf("an author making an article live: %d", res.status)
	}
	if res := ed.post(desk+"/state", url.Values{"action": {"start"}}); res.status != http.StatusSeeOther {
		t.Fatalf("making it live: %d %s", res.status, res.body)
	}
	if res := ed.post(desk, url.Values{"body": {"<script>x</script>"}, "csrf": {"forged"}}); res.status != http.StatusForbidden {
		t.Errorf("a forged post: %d", res.status)
	}
	ed.get(desk)
	long := strings.Repeat("Flood. ", news.LiveBodyMax/7+1)
	if res := ed.post(desk, url.Values{"body": {long}, "headline": {"Kept"}}); res.status != http.StatusUnprocessableEntity ||
		!strings.Contains(res.body, "Flood. Flood.") || !strings.Contains(res.body, `value="Kept"`) {
		t.Errorf("a failed post: %d, text kept: %v", res.status, strings.Contains(res.body, "Flood. Flood."))
	}
	if res := au.post(desk, url.Values{"body": {"Not my story."}}); res.status != http.StatusForbidden {
		t.Errorf("an author posting to another's live blog: %d", res.status)
	}
	res := ed.post(desk, url.Values{"body": {"Water at **the bridge**."}, "key_event": {"1"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("posting: %d %s", res.status, res.body)
	}
	page := ed.get(res.location)
	if !strings.Contains(page.body, "<strong>the bridge</strong>") || !strings.Contains(page.body, "Entry posted.") {
		t.Fatalf("the desk after posting:\n%s", page.body)
	}
	entries, err := n.site.Store.LiveEntries(t.Context(), a.ID, 0, false, 10)
	if err != nil || len(entries) != 1 {
		t.Fatalf("entries: %v %v", entries, err)
	}
	entry := fmt.Sprintf("/admin/live/%d", entries[0].ID)
	if res := ed.post(entry, url.Values{"body": {entries[0].Body}, "pinned": {"1"}, "key_event": {"1"}}); res.status != http.StatusSeeOther {
		t.Errorf("pinning: %d", res.status)
	}
	if res := ed.post(entry, url.Values{"body": {" "}}); res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "Write the update.") {
		t.Errorf("an empty edit: %d", res.status)
	}
	if res := au.post(entry, url.Values{"action": {"delete"}}); res.status != http.StatusForbidden {
		t.Errorf("an author deleting: %d", res.status)
	}
	if res := ed.post(entry, url.Values{"action": {"delete"}}); res.status != http.StatusSeeOther {
		t.Errorf("deleting: %d", res.status)
	}
	if res := ed.post(desk+"/state", url.Values{"action": {"close"}}); res.status != http.StatusSeeOther {
		t.Errorf("closing: %d", res.status)
	}
	if page := ed.get(desk); strings.Contains(page.body, "Post entry") || !strings.Contains(page.body, "Make live again") {
		t.Errorf("the closed desk still offers posting")
	}
}

// An editor sets the breaking-news banner from its screen (a failed try
// keeps the text) and takes it down; an author may not.
func TestBreakingDesk(t *testing.T) {
	n := newNewsroom(t)
	ed, _ := n.signedIn(t, "Bea Editor", news.RoleEditor)
	au, _ := n.signedIn(t, "Ben Author", news.RoleAuthor)
	a := n.site.Article(t, &news.Article{Headline: "Valley evacuated"})
	if res := au.get("/admin/breaking"); res.status != http.StatusForbidden {
		t.Errorf("an author opening the banner's screen: %d", res.status)
	}
	page := ed.get("/admin/breaking")
	if page.status != http.StatusOK || !strings.Contains(page.body, "Valley evacuated") || !strings.Contains(page.body, "No banner is showing.") {
		t.Fatalf("the screen: %d\n%s", page.status, page.body)
	}
	if res := au.post("/admin/breaking", url.Values{"text": {"Mine"}, "for": {"60"}}); res.status != http.StatusForbidden {
		t.Errorf("an author setting the banner: %d", res.status)
	}
	if res := ed.post("/admin/breaking", url.Values{"text": {"Kept <b>text</b>"}, "for": {"7"}}); res.status != http.StatusUnprocessableEntity ||
		!strings.Contains(res.body, `value="Kept &lt;b&gt;text&lt;/b&gt;"`) || !strings.Contains(res.body, "Choose how long") {
		t.Errorf("a failed try: %d\n%s", res.status, res.body)
	}
	res := ed.post("/admin/breaking", url.Values{"text": {"Leave the valley now"}, "article": {fmt.Sprint(a.ID)}, "for": {"120"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("setting: %d %s", res.status, res.body)
	}
	if page := ed.get(res.location); !strings.Contains(page.body, "Showing now") || !strings.Contains(page.body, "Leave the valley now") {
		t.Errorf("after setting:\n%s", page.body)
	}
	if res := ed.post("/admin/breaking", url.Values{"action": {"clear"}}); res.status != http.StatusSeeOther {
		t.Fatalf("clearing: %d", res.status)
	}
	if page := ed.get("/admin/breaking"); !strings.Contains(page.body, "No banner is showing.") {
		t.Errorf("after clearing:\n%s", page.body)
	}
}

// An entry's history keeps every version, its deletion included, and the
// desk links to the history of a deleted entry; an author not on the story
// may not read it.
func TestLiveEntryHistory(t *testing.T) {
	n := newNewsroom(t)
	ed, _ := n.signedIn(t, "Hal Editor", news.RoleEditor)
	au, _ := n.signedIn(t, "Hana Author", news.RoleAuthor)
	a := n.site.Article(t, &news.Article{})
	desk := fmt.Sprintf("/admin/articles/%d/live", a.ID)
	ed.get(desk)
	ed.post(desk+"/state", url.Values{"action": {"start"}})
	ed.get(desk)
	if res := ed.post(desk, url.Values{"body": {"First <words>."}}); res.status != http.StatusSeeOther {
		t.Fatalf("posting: %d", res.status)
	}
	entries, err := n.site.Store.LiveEntries(t.Context(), a.ID, 0, false, 10)
	if err != nil || len(entries) != 1 {
		t.Fatalf("entries: %v %v", entries, err)
	}
	entry := fmt.Sprintf("/admin/live/%d", entries[0].ID)
	ed.get(desk)
	ed.post(entry, url.Values{"body": {"Second words."}})
	ed.get(desk)
	ed.post(entry, url.Values{"body": {"Second words."}, "action": {"delete"}})
	if page := ed.get(desk); !strings.Contains(page.body, "Deleted entries (1)") || !strings.Contains(page.body, entry+"/history") {
		t.Errorf("the desk lists no deleted entry:\n%s", page.body)
	}
	page := ed.get(entry + "/history")
	if page.status != http.StatusOK {
		t.Fatalf("history: %d", page.status)
	}
	for _, want := range []string{"Posted", "First &lt;words&gt;.", "Edited", "Second words.", "Deleted", "by Hal Editor", "readers no longer see it"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("the history lacks %q", want)
		}
	}
	if res := au.get(entry + "/history"); res.status != http.StatusForbidden {
		t.Errorf("an author reading another's entry history: %d", res.status)
	}
}
