package web_test

import (
	"context"
	"encoding/xml"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"masthead/internal/news"
	"masthead/internal/newsroom"
	"masthead/internal/testutil"
)

func TestNewsletterSignUpAndOneClickUnsubscribe(t *testing.T) {
	ctx := context.Background()
	rs := newReaderSite(t)
	admin := news.Actor{Role: news.RoleAdmin}
	n, err := rs.desk.CreateNewsletter(ctx, admin, newsroom.NewsletterInput{Name: "Morning Briefing", Kind: news.NewsletterBriefing,
		FromName: "The Gazette", FromEmail: "briefing@gazette.test"})
	if err != nil {
		t.Fatal(err)
	}
	// The form after the story is the same for everyone (the page is cached).
	a, b := rs.browser(t), rs.browser(t)
	pageA, pageB := a.get(t, "/"+rs.article.Path), b.get(t, "/"+rs.article.Path)
	mustContain(t, pageA.body, `action="/newsletters/subscribe"`, `value="morning-briefing"`)
	if pageA.body != pageB.body {
		t.Error("the article page differs between two visitors")
	}

	bad := a.post(t, "/newsletters/subscribe", url.Values{"newsletter": {n.Slug}, "email": {"lee@example.test\r\nBcc: x@example.test"}})
	if bad.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("a malformed address: %d", bad.StatusCode)
	}
	mustContain(t, bad.body, "Enter your email address", `aria-invalid="true"`)

	res := a.post(t, "/newsletters/subscribe", url.Values{"newsletter": {n.Slug}, "email": {"Lee@Example.test"}})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("sign up: %d\n%s", res.StatusCode, res.body)
	}
	mustContain(t, res.body, "Check your email", "lee@example.test")
	msg := rs.smtp.Next(t)
	m := regexp.MustCompile(`/newsletters/confirm/[A-Za-z0-9_-]{43}`).FindString(msg.Body)
	if m == "" || msg.Header.Get("From") != `"The Gazette" <briefing@gazette.test>` {
		t.Fatalf("confirmation mail from %q:\n%s", msg.Header.Get("From"), msg.Body)
	}
	// Following the link only shows a button (a link scanner confirms nothing).
	mustContain(t, b.get(t, m).body, "Confirm my subscription")
	if is, _ := rs.desk.SendIssue(ctx, admin, n.ID, newsroom.IssueInput{Subject: "Early", Markdown: "x"}); is.Recipients != 0 {
		t.Fatal("subscribed before confirming")
	}
	mustContain(t, b.post(t, m, nil).body, "You are subscribed")
	// The reader's page lists it once they sign in.
	a.signIn(t, "lee@example.test", "Lee")
	mustContain(t, a.get(t, "/account").body, "Your newsletters", "Morning Briefing")

	is, err := rs.desk.SendIssue(ctx, admin, n.ID, newsroom.IssueInput{Subject: "Today", Markdown: "The **council** met."})
	if err != nil || is.Recipients != 1 {
		t.Fatalf("send: %+v, %v", is, err)
	}
	if _, err := rs.desk.SendDue(ctx, "test", 0); err != nil {
		t.Fatal(err)
	}
	issue := rs.smtp.Next(t)
	target := strings.Trim(issue.Header.Get("List-Unsubscribe"), "<>")
	if !strings.HasPrefix(target, baseURL+"/newsletters/unsubscribe/") || issue.Header.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
		t.Fatalf("headers: %v", issue.Header)
	}
	path := strings.TrimPrefix(target, baseURL)
	token := strings.TrimPrefix(path, "/newsletters/unsubscribe/")
	mustContain(t, a.get(t, "/newsletters/preferences/"+token).body, "lee@example.test", "You receive it.")

	// RFC 8058: the provider posts from its own server, no cookie, no token
	// but the URL's, from no page of ours.
	req, _ := http.NewRequest("POST", rs.srv.URL+path, strings.NewReader("List-Unsubscribe=One-Click"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://mail.example.net")
	one, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	one.Body.Close()
	if one.StatusCode != http.StatusOK {
		t.Fatalf("one-click unsubscribe: %d", one.StatusCode)
	}
	if forged := a.post(t, path+"x", nil); forged.StatusCode != http.StatusNotFound {
		t.Errorf("a forged token: %d", forged.StatusCode)
	}
	if later, _ := rs.desk.SendIssue(ctx, admin, n.ID, newsroom.IssueInput{Subject: "Later", Markdown: "x"}); later.Recipients != 0 {
		t.Error("mailed after unsubscribing")
	}

	archive := a.get(t, "/newsletters/morning-briefing")
	mustContain(t, archive.body, "Today", "/newsletters/morning-briefing/")
	mustContain(t, a.get(t, "/newsletters/morning-briefing/"+strconv.FormatInt(is.ID, 10)).body, "<strong>council</strong>")
	if res := a.get(t, "/newsletters/no-such-list"); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown newsletter: %d", res.StatusCode)
	}
}

// TestNewsletterFollowForms: a section's and an author's follows have
// their sign-up forms beside them (section page, author page, the author
// box under a story), not in the general form after the story.
func TestNewsletterFollowForms(t *testing.T) {
	ctx := context.Background()
	rs := newReaderSite(t)
	admin := news.Actor{Role: news.RoleAdmin}
	a := rs.article
	for _, in := range []newsroom.NewsletterInput{
		{Name: "Morning Briefing", Kind: news.NewsletterBriefing},
		{Name: "City daily", Kind: news.NewsletterSection, TopicID: a.Section.ID, Every: "daily", At: "07:00"},
		{Name: "Ana Ruiz weekly", Kind: news.NewsletterAuthor, TopicID: a.Authors[0].ID, Every: "weekly", Weekday: "friday", At: "17:00"},
	} {
		in.FromEmail = "news@gazette.test"
		if _, err := rs.desk.CreateNewsletter(ctx, admin, in); err != nil {
			t.Fatal(err)
		}
	}
	b := rs.browser(t)
	story := b.get(t, "/"+a.Path).body
	box := story[strings.Index(story, `class="author-box"`):]
	box = box[:strings.Index(box, "</section>")]
	mustContain(t, box, `value="ana-ruiz-weekly"`, "Every Friday at 17:00", "No tracking pixels, no rewritten links")
	signup := story[strings.Index(story, `class="newsletter-signup"`):]
	if strings.Contains(signup, "city-daily") || strings.Contains(signup, "ana-ruiz-weekly") || !strings.Contains(signup, `value="morning-briefing"`) {
		t.Errorf("the form after the story offers the follows, or not the briefing:\n%s", signup)
	}
	mustContain(t, b.get(t, a.Section.URLPath()).body, `value="city-daily"`, "Daily at 07:00")
	mustContain(t, b.get(t, a.Authors[0].URLPath()).body, `value="ana-ruiz-weekly"`)
	mustContain(t, b.get(t, "/newsletters").body, "City daily", "Daily at 07:00, when there are new stories")

	// Signing up by a follow's form is the same double opt-in.
	res := b.post(t, "/newsletters/subscribe", url.Values{"newsletter": {"city-daily"}, "email": {"kim@example.test"}})
	mustContain(t, res.body, "Check your email")
	if m := rs.smtp.Next(t); !strings.Contains(m.Header.Get("Subject"), "City daily") {
		t.Errorf("confirmation: %q", m.Header.Get("Subject"))
	}
}

// TestNewsletterArchiveFeed: a newsletter's archive has an Atom feed of
// its issues, each with its own URL, linked from the archive's pages.
func TestNewsletterArchiveFeed(t *testing.T) {
	ctx := context.Background()
	rs := newReaderSite(t)
	admin := news.Actor{Role: news.RoleAdmin}
	n, err := rs.desk.CreateNewsletter(ctx, admin, newsroom.NewsletterInput{Name: "Morning <Briefing>", Slug: "morning",
		Kind: news.NewsletterBriefing, FromEmail: "news@gazette.test"})
	if err != nil {
		t.Fatal(err)
	}
	b := rs.browser(t)
	empty := b.get(t, "/newsletters/morning/feed.atom")
	if empty.StatusCode != http.StatusOK || !strings.Contains(empty.body, "<feed") {
		t.Fatalf("an empty archive's feed: %d\n%s", empty.StatusCode, empty.body)
	}
	is, err := rs.desk.SendIssue(ctx, admin, n.ID, newsroom.IssueInput{Subject: "Tuesday & <more>", Markdown: "The **council** met. [Story](/2026/01/01/x)"})
	if err != nil {
		t.Fatal(err)
	}
	issueURL := baseURL + "/newsletters/morning/" + strconv.FormatInt(is.ID, 10)
	feed := b.get(t, "/newsletters/morning/feed.atom")
	if feed.StatusCode != http.StatusOK || !strings.HasPrefix(feed.Header.Get("Content-Type"), "application/atom+xml") {
		t.Fatalf("feed: %d %s", feed.StatusCode, feed.Header.Get("Content-Type"))
	}
	var doc struct {
		Title   string `xml:"title"`
		Entries []struct {
			Title string `xml:"title"`
			ID    string `xml:"id"`
			Link  struct {
				Href string `xml:"href,attr"`
			} `xml:"link"`
			Content string `xml:"content"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal([]byte(feed.body), &doc); err != nil {
		t.Fatalf("not XML: %v\n%s", err, feed.body)
	}
	if doc.Title != "Morning <Briefing> | The Test Gazette" || len(doc.Entries) != 1 || doc.Entries[0].Title != "Tuesday & <more>" ||
		doc.Entries[0].Link.Href != issueURL || doc.Entries[0].ID != issueURL ||
		!strings.Contains(doc.Entries[0].Content, `<strong>council</strong>`) || !strings.Contains(doc.Entries[0].Content, `href="`+baseURL+`/2026/01/01/x"`) {
		t.Errorf("feed: %+v", doc)
	}
	link := `<link rel="alternate" type="application/atom&#43;xml" title="Morning &lt;Briefing&gt; (Atom)" href="` + baseURL + `/newsletters/morning/feed.atom">`
	mustContain(t, b.get(t, "/newsletters/morning").body, link, `href="/newsletters/morning/feed.atom"`)
	mustContain(t, b.get(t, strings.TrimPrefix(issueURL, baseURL)).body, link)
	if res := b.get(t, "/newsletters/nothing/feed.atom"); res.StatusCode != http.StatusNotFound {
		t.Errorf("no such newsletter's feed: %d", res.StatusCode)
	}
}

// TestNewsletterNaughtyStrings: every naughty string through the sign-up
// form's fields, the preferences page's unsubscribe field and the emailed
// links' tokens: never a 5xx, never reflected unescaped, and a malformed
// address gets a clear message. (Imports: newsroom's
// TestSubscriberImportNaughtyStrings.)
func TestNewsletterNaughtyStrings(t *testing.T) {
	ctx := context.Background()
	rs := newReaderSite(t)
	n, err := rs.desk.CreateNewsletter(ctx, news.Actor{Role: news.RoleAdmin}, newsroom.NewsletterInput{Name: "Morning Briefing",
		Kind: news.NewsletterBriefing, FromEmail: "news@gazette.test"})
	if err != nil {
		t.Fatal(err)
	}
	// A real subscriber's token, for the preferences page's own field.
	if _, err := rs.site.Store.Subscribe(ctx, n.ID, "kept@example.test", "hash", rs.clock.Now()); err != nil {
		t.Fatal(err)
	}
	kept, err := rs.site.Store.ReaderByEmail(ctx, "kept@example.test")
	if err != nil {
		t.Fatal(err)
	}
	token, err := rs.desk.NewsletterToken(ctx, kept, n.ID)
	if err != nil {
		t.Fatal(err)
	}
	b := rs.browser(t)
	mailed := 0
	for _, s := range testutil.NaughtyStrings(t) {
		for _, field := range []string{"email", "newsletter"} {
			form := url.Values{"newsletter": {"morning-briefing"}, "email": {"naughty@example.test"}}
			form.Set(field, s)
			res := b.post(t, "/newsletters/subscribe", form)
			switch {
			case res.StatusCode >= 500:
				t.Errorf("%s=%q: %d", field, s, res.StatusCode)
			case tagLike.MatchString(s) && strings.Contains(res.body, s):
				t.Errorf("%s=%q reflected unescaped", field, s)
			case res.StatusCode == http.StatusOK:
				mailed++
			case res.StatusCode == http.StatusUnprocessableEntity && field == "email" && !strings.Contains(res.body, "Enter your email address, like name@example.com."):
				t.Errorf("a malformed address %q has no clear message", s)
			}
		}
		res := b.post(t, "/newsletters/unsubscribe/"+token, url.Values{"newsletter": {s}})
		if res.StatusCode >= 500 || tagLike.MatchString(s) && strings.Contains(res.body, s) {
			t.Errorf("unsubscribe with newsletter=%q: %d", s, res.StatusCode)
		}
		for _, path := range []string{"/newsletters/preferences/", "/newsletters/unsubscribe/", "/newsletters/confirm/"} {
			target := path + url.PathEscape(s)
			for _, method := range []string{"GET", "POST"} {
				if method == "POST" && path == "/newsletters/preferences/" {
					continue
				}
				req, err := http.NewRequest(method, rs.srv.URL+target, strings.NewReader("List-Unsubscribe=One-Click"))
				if err != nil {
					continue
				}
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				res := b.do(t, req)
				if res.StatusCode >= 500 || tagLike.MatchString(s) && strings.Contains(res.body, s) {
					t.Errorf("%s %s: %d", method, target, res.StatusCode)
				}
			}
		}
	}
	for range mailed {
		rs.smtp.Next(t)
	}
	t.Logf("%d sign-ups accepted (the rest refused, or over the per-client limit)", mailed)
}
