package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"masthead/internal/news"
	"masthead/internal/newsroom"
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
