package admin_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"masthead/internal/news"
	nr "masthead/internal/newsroom"
)

// TestNewslettersScreen: an editor defines a newsletter (a failed form
// keeps what was typed) and sends a briefing of chosen stories, whose
// progress the screen shows; writers get neither the menu item nor the
// screens.
func TestNewslettersScreen(t *testing.T) {
	n := newNewsroom(t)
	editor, _ := n.signedIn(t, "Eda Editor", news.RoleEditor)
	author, _ := n.signedIn(t, "Ari Author", news.RoleAuthor)
	story := n.site.Article(t, &news.Article{Headline: "Council meets", Standfirst: "The budget *passes*."})

	if page := author.get("/admin/"); strings.Contains(page.body, `href="/admin/newsletters"`) {
		t.Error("an author is offered Newsletters")
	}
	if res := author.get("/admin/newsletters"); res.status != http.StatusForbidden {
		t.Errorf("an author's screen: %d", res.status)
	}
	if res := author.post("/admin/newsletters", url.Values{"name": {"X"}, "kind": {"briefing"}, "from_email": {"x@gazette.test"}}); res.status != http.StatusForbidden {
		t.Errorf("an author creating: %d", res.status)
	}
	if page := editor.get("/admin/"); !strings.Contains(page.body, `href="/admin/newsletters"`) {
		t.Error("an editor is not offered Newsletters")
	}
	bad := editor.post("/admin/newsletters", url.Values{"name": {"Morning Briefing"}, "kind": {"briefing"}, "from_email": {"not an address"}})
	if bad.status != http.StatusUnprocessableEntity || !strings.Contains(bad.body, `value="Morning Briefing"`) || !strings.Contains(bad.body, "sender") {
		t.Fatalf("a bad sender: %d\n%s", bad.status, bad.body)
	}
	res := editor.post("/admin/newsletters", url.Values{"name": {"Morning Briefing"}, "kind": {"briefing"}, "from_email": {"news@gazette.test"}})
	if res.status != http.StatusSeeOther || !strings.HasPrefix(res.location, "/admin/newsletters/") {
		t.Fatalf("create: %d %s\n%s", res.status, res.location, res.body)
	}
	page := strings.TrimSuffix(res.location, "?done=saved")
	if res := author.get(page); res.status != http.StatusForbidden {
		t.Errorf("an author's newsletter screen: %d", res.status)
	}
	if body := editor.get(page).body; !strings.Contains(body, "Council meets") || !strings.Contains(body, "Send to 0 subscribers now") ||
		strings.Contains(body, "Keep for") {
		t.Fatalf("the newsletter screen:\n%s", body)
	}
	if res := author.post(page+"/send", url.Values{"subject": {"Hi"}, "intro": {"Hello"}}); res.status != http.StatusForbidden {
		t.Errorf("an author sending: %d", res.status)
	}
	if res := editor.post(page+"/send", url.Values{"subject": {""}, "intro": {"Good morning."}}); res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "Good morning.") {
		t.Errorf("no subject: %d", res.status)
	}
	res = editor.post(page+"/send", url.Values{"subject": {"Monday"}, "intro": {"Good morning."}, "story": {strconv.FormatInt(story.ID, 10)}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("send: %d\n%s", res.status, res.body)
	}
	body := editor.get(res.location).body
	if !strings.Contains(body, "Issue queued") || !strings.Contains(body, "Monday") {
		t.Errorf("progress:\n%s", body)
	}
	id, _ := strconv.ParseInt(strings.TrimPrefix(page, "/admin/newsletters/"), 10, 64)
	arch, err := n.site.Desk.NewsletterArchive(context.Background(), "morning-briefing")
	if err != nil || len(arch.Issues) != 1 || arch.Newsletter.ID != id ||
		!strings.Contains(arch.Issues[0].HTML, "Council meets</a></h2>") || !strings.Contains(arch.Issues[0].HTML, "<p>The budget *passes*.</p>") {
		t.Errorf("the briefing: %+v %v", arch, err)
	}
}

// TestNewsletterScheduleScreen: an editor gives a briefing a schedule,
// keeps a briefing for its next time and discards it, and defines a
// section follow, whose screen explains its digest.
func TestNewsletterScheduleScreen(t *testing.T) {
	n := newNewsroom(t)
	editor, _ := n.signedIn(t, "Eda Editor", news.RoleEditor)
	sec := n.site.Section(t, "Politics")
	story := n.site.Article(t, &news.Article{Headline: "Council meets", Section: sec})
	bad := editor.post("/admin/newsletters", url.Values{"name": {"Weekly"}, "kind": {"briefing"}, "from_email": {"news@gazette.test"},
		"every": {"weekly"}, "weekday": {"someday"}, "at": {"07:00"}})
	if bad.status != http.StatusUnprocessableEntity || !strings.Contains(bad.body, "day of the week") || !strings.Contains(bad.body, `value="Weekly"`) {
		t.Fatalf("a bad day: %d\n%s", bad.status, bad.body)
	}
	res := editor.post("/admin/newsletters", url.Values{"name": {"Weekly"}, "kind": {"briefing"}, "from_email": {"news@gazette.test"},
		"every": {"weekly"}, "weekday": {"friday"}, "at": {"17:30"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("create: %d\n%s", res.status, res.body)
	}
	page := strings.TrimSuffix(res.location, "?done=saved")
	if list := editor.get("/admin/newsletters").body; !strings.Contains(list, "nothing prepared") {
		t.Errorf("the list does not say that nothing is prepared:\n%s", list)
	}
	body := editor.get(page).body
	if !strings.Contains(body, "Every Friday at 17:30") || !strings.Contains(body, "Nothing is prepared") ||
		!strings.Contains(body, `formaction="`+page+`/prepare"`) || !strings.Contains(body, `<option value="friday" selected>`) {
		t.Fatalf("the scheduled briefing's screen:\n%s", body)
	}
	res = editor.post(page+"/prepare", url.Values{"subject": {"Friday"}, "intro": {"The week."}, "story": {strconv.FormatInt(story.ID, 10)}})
	if res.status != http.StatusSeeOther || !strings.Contains(res.location, "done=prepared") {
		t.Fatalf("prepare: %d\n%s", res.status, res.body)
	}
	if body := editor.get(page).body; !strings.Contains(body, "A briefing is prepared") || !strings.Contains(body, `value="Friday"`) {
		t.Errorf("the prepared briefing:\n%s", body)
	}
	if list := editor.get("/admin/newsletters").body; !strings.Contains(list, "a briefing is prepared") {
		t.Error("the list does not say that a briefing is prepared")
	}
	if res := editor.post(page+"/discard", nil); res.status != http.StatusSeeOther {
		t.Errorf("discard: %d", res.status)
	}
	if body := editor.get(page).body; !strings.Contains(body, "Nothing is prepared") {
		t.Error("the discarded briefing is still prepared")
	}

	res = editor.post("/admin/newsletters", url.Values{"name": {"Politics daily"}, "kind": {"section"}, "section": {strconv.FormatInt(sec.ID, 10)},
		"from_email": {"news@gazette.test"}, "every": {"daily"}, "at": {"07:00"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("create a follow: %d\n%s", res.status, res.body)
	}
	body = editor.get(strings.TrimSuffix(res.location, "?done=saved")).body
	if !strings.Contains(body, "section follow: Politics") || !strings.Contains(body, "published in Politics since the last digest") ||
		strings.Contains(body, `name="subject"`) {
		t.Errorf("the follow's screen:\n%s", body)
	}
	noTopic := editor.post("/admin/newsletters", url.Values{"name": {"Nothing"}, "kind": {"author"}, "author": {"x"},
		"from_email": {"news@gazette.test"}, "every": {"daily"}, "at": {"07:00"}})
	if noTopic.status != http.StatusUnprocessableEntity || !strings.Contains(noTopic.body, "Choose the author to follow") {
		t.Errorf("a follow of nothing: %d", noTopic.status)
	}
}

// TestSubscribersImportScreen: an editor imports a CSV export and sees
// the rows left out; a file with a malformed address imports nothing and
// says so; the export downloads; authors may do neither.
func TestSubscribersImportScreen(t *testing.T) {
	n := newNewsroom(t)
	editor, _ := n.signedIn(t, "Eda Editor", news.RoleEditor)
	author, _ := n.signedIn(t, "Ari Author", news.RoleAuthor)
	res := editor.post("/admin/newsletters", url.Values{"name": {"Morning Briefing"}, "kind": {"briefing"}, "from_email": {"news@gazette.test"}})
	page := strings.TrimSuffix(res.location, "?done=saved")
	if body := editor.get(page).body; !strings.Contains(body, `enctype="multipart/form-data"`) || !strings.Contains(body, "count as confirmed") {
		t.Fatalf("no import form:\n%s", body)
	}
	good := file{"mailchimp.csv", []byte("Email Address,First Name,Last Name\r\nada@example.com,<b>Ada</b>,Lovelace\r\nada@example.com,Ada,\r\n")}
	if res := author.postMultipart(page+"/import", nil, map[string]file{"file": good}); res.status != http.StatusForbidden {
		t.Errorf("an author importing: %d", res.status)
	}
	if res := author.get(page + "/subscribers.csv"); res.status != http.StatusForbidden {
		t.Errorf("an author exporting: %d", res.status)
	}
	res = editor.postMultipart(page+"/import", nil, map[string]file{"file": good})
	if res.status != http.StatusOK || !strings.Contains(res.body, "Imported 1 new subscriber from a Mailchimp export") ||
		!strings.Contains(res.body, "<td>3</td><td>ada@example.com</td><td>duplicate of line 2</td>") {
		t.Errorf("import: %d\n%s", res.status, res.body)
	}
	bad := file{"ghost.csv", []byte("email,name,subscribed_to_emails\nbob@example.com,Bob,true\n<script>@x,Eve,true\n")}
	res = editor.postMultipart(page+"/import", nil, map[string]file{"file": bad})
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "Nothing imported") ||
		!strings.Contains(res.body, "&lt;script&gt;@x") || strings.Contains(res.body, "<script>@x") {
		t.Errorf("a malformed address: %d\n%s", res.status, res.body)
	}
	if res := editor.postMultipart(page+"/import", nil, nil); res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "Choose a CSV file") {
		t.Errorf("no file: %d", res.status)
	}
	res = editor.get(page + "/subscribers.csv")
	if res.status != http.StatusOK || res.header.Get("Content-Type") != "text/csv; charset=utf-8" ||
		!strings.Contains(res.body, "ada@example.com,<b>Ada</b> Lovelace,") || strings.Contains(res.body, "bob@") {
		t.Errorf("export: %d %v\n%s", res.status, res.header, res.body)
	}
}

// TestPublishAsAlert: an editor publishing from the editor may tick
// "Send as a breaking-news alert", which queues an issue; an author is
// not offered it, and a forged tick is refused with nothing published.
func TestPublishAsAlert(t *testing.T) {
	n := newNewsroom(t)
	editor, ed := n.signedIn(t, "Eda Editor", news.RoleEditor)
	author, au := n.signedIn(t, "Ari Author", news.RoleAuthor)
	alert, err := n.site.Desk.CreateNewsletter(t.Context(), news.Actor{ID: ed.ID, Role: ed.Role},
		nr.NewsletterInput{Name: "Breaking News", Kind: news.NewsletterAlert, FromEmail: "news@gazette.test"})
	if err != nil {
		t.Fatal(err)
	}
	ownDraft := n.draft(t, au, news.Snapshot{Headline: "Author story", Body: "Text.", AuthorIDs: []int64{au.ID}})
	draft := n.draft(t, ed, news.Snapshot{Headline: "Bridge closes", Standfirst: "Traffic diverted.", Body: "Text.", AuthorIDs: []int64{ed.ID}})
	box := `name="alert" value="` + strconv.FormatInt(alert.ID, 10) + `"`
	if body := author.get(fmt.Sprintf("/admin/articles/%d", ownDraft.ID)).body; strings.Contains(body, box) {
		t.Error("an author is offered the alert")
	}
	if body := editor.get(fmt.Sprintf("/admin/articles/%d", draft.ID)).body; !strings.Contains(body, box) || !strings.Contains(body, "Send as a breaking-news alert to Breaking News") {
		t.Fatal("an editor is not offered the alert")
	}
	form := func(a *news.Article, by news.Staff) url.Values {
		return url.Values{"version": {strconv.Itoa(a.Version)}, "headline": {a.Headline}, "standfirst": {a.Standfirst}, "body": {a.Body},
			"author": {strconv.FormatInt(by.ID, 10)}, "action": {"publish"}, "alert": {strconv.FormatInt(alert.ID, 10)}}
	}
	if res := author.post(fmt.Sprintf("/admin/articles/%d", ownDraft.ID), form(ownDraft, au)); res.status != http.StatusForbidden {
		t.Errorf("an author's forged alert: %d", res.status)
	}
	if a, _ := n.site.Store.Article(t.Context(), ownDraft.ID); a.Status == news.StatusPublished {
		t.Error("the refused alert published the article")
	}
	if res := editor.post(fmt.Sprintf("/admin/articles/%d", draft.ID), form(draft, ed)); res.status != http.StatusSeeOther {
		t.Fatalf("publish with an alert: %d\n%s", res.status, res.body)
	}
	issues, err := n.site.Store.Issues(t.Context(), alert.ID, 10)
	if err != nil || len(issues) != 1 || issues[0].Subject != "Bridge closes" || !strings.Contains(issues[0].HTML, "Traffic diverted.") {
		t.Errorf("the alert: %+v, %v", issues, err)
	}
}
