package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"masthead/internal/news"
)

func commentForm(name, email, body string) url.Values {
	return url.Values{"name": {name}, "email": {email}, "comment": {body}, "website": {""}}
}

func TestCommentPosting(t *testing.T) {
	f := newFixture(t)
	path := f.middle.URLPath()
	ctx := context.Background()

	t.Run("valid comment awaits moderation, shown only to its author", func(t *testing.T) {
		res := f.post(t, path+"/comments", commentForm("Jo Reader", "jo@example.test", "First line\nsecond line, see https://example.org/x"))
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("status %d, want 303:\n%s", res.StatusCode, res.body)
		}
		loc := res.Header.Get("Location")
		if !strings.HasPrefix(loc, path+"#comment-") {
			t.Fatalf("redirect to %q", loc)
		}
		cookies := res.Cookies()
		if len(cookies) != 1 || !cookies[0].HttpOnly || cookies[0].SameSite != http.SameSiteLaxMode {
			t.Fatalf("pending cookie = %+v", cookies)
		}
		req := httptest.NewRequest("GET", path, nil)
		req.AddCookie(cookies[0])
		mine := f.do(t, req)
		mustContain(t, mine.body, "Your comment is awaiting moderation.", "Jo Reader", "First line<br>\nsecond line", `<a href="https://example.org/x" rel="nofollow ugc noopener">`)
		if cc := mine.Header.Get("Cache-Control"); !strings.Contains(cc, "private") {
			t.Errorf("page with a pending comment is cacheable: %q", cc)
		}
		other := f.get(t, path)
		mustNotContain(t, other.body, "Jo Reader", "awaiting moderation")
		// A forged cookie shows nothing.
		req = httptest.NewRequest("GET", path, nil)
		req.AddCookie(&http.Cookie{Name: cookies[0].Name, Value: strings.Split(cookies[0].Value, "~")[0] + "~deadbeef"})
		mustNotContain(t, f.do(t, req).body, "Jo Reader")
	})

	t.Run("reader with an approved comment is trusted", func(t *testing.T) {
		f.site.Comment(t, f.first, &news.Comment{Name: "Regular", Email: "regular@example.test"})
		res := f.post(t, path+"/comments", commentForm("Regular", "Regular@Example.test", "Approved at once."))
		if res.StatusCode != http.StatusSeeOther || len(res.Cookies()) != 0 {
			t.Fatalf("status %d, cookies %v", res.StatusCode, res.Cookies())
		}
		mustContain(t, f.get(t, path).body, "Approved at once.", "1 comment")
	})

	t.Run("invalid submission keeps what was typed", func(t *testing.T) {
		form := url.Values{"name": {"  "}, "email": {"not-an-email"}, "website": {"ftp://x"}, "comment": {"Keep <this> text & more"}}
		res := f.post(t, path+"/comments", form)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422", res.StatusCode)
		}
		mustContain(t, res.body,
			`role="alert"`, "Please enter your name.", "That does not look like an email address.", "Please enter a web address",
			`value="not-an-email"`, `value="ftp://x"`, "Keep &lt;this&gt; text &amp; more</textarea>", `aria-invalid="true"`)
		mustNotContain(t, res.body, "Keep <this>")
		empty := f.post(t, path+"/comments", commentForm("Someone", "someone@example.test", ""))
		mustContain(t, empty.body, "Please write a comment.", `value="Someone"`)
	})

	t.Run("threaded replies", func(t *testing.T) {
		parent := f.site.Comment(t, f.middle, &news.Comment{Name: "Parent Poster", Email: "parent@example.test", Body: "Top-level thought."})
		reply := f.site.Comment(t, f.middle, &news.Comment{Name: "Child Poster", ParentID: parent.ID, Body: "A reply."})
		res := f.post(t, path+"/comments", url.Values{"name": {"Grandchild"}, "email": {"parent@example.test"}, "comment": {"A reply to a reply."}, "parent_id": {fmt.Sprint(reply.ID)}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("status %d:\n%s", res.StatusCode, res.body)
		}
		page := f.get(t, path).body
		// Parent contains the reply's list, which contains the grandchild.
		p := strings.Index(page, fmt.Sprintf(`id="comment-%d"`, parent.ID))
		c := strings.Index(page, fmt.Sprintf(`id="comment-%d"`, reply.ID))
		g := strings.Index(page, "A reply to a reply.")
		if p < 0 || c < p || g < c || strings.Count(page[p:g], `<ol class="comment-replies">`) != 2 {
			t.Errorf("replies are not nested under their parents")
		}
		// The reply form names who is being answered.
		mustContain(t, f.get(t, fmt.Sprintf("%s?replyto=%d", path, parent.ID)).body, "Reply to Parent Poster", fmt.Sprintf(`name="parent_id" value="%d"`, parent.ID))
		// A reply to a comment on another article is refused, text kept.
		elsewhere := f.site.Comment(t, f.first, &news.Comment{})
		bad := f.post(t, path+"/comments", url.Values{"name": {"X"}, "email": {"x@example.test"}, "comment": {"Lost?"}, "parent_id": {fmt.Sprint(elsewhere.ID)}})
		if bad.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(bad.body, "Lost?</textarea>") {
			t.Errorf("cross-article reply: status %d", bad.StatusCode)
		}
		// Only approved comments can be answered (issue 15, finding 10):
		// a held one is not on the page, so a reply would hang from nothing.
		for _, st := range []news.CommentStatus{news.CommentPending, news.CommentSpam, news.CommentTrash} {
			hidden := f.site.Comment(t, f.middle, &news.Comment{Status: st})
			res := f.post(t, path+"/comments", url.Values{"name": {"X"}, "email": {"x@example.test"}, "comment": {"Answering the " + string(st) + " one"}, "parent_id": {fmt.Sprint(hidden.ID)}})
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Errorf("a reply to a %s comment: status %d, want 422", st, res.StatusCode)
			}
			mustContain(t, res.body, "Answering the "+string(st)+" one</textarea>", "no longer available")
		}
	})

	t.Run("honeypot sends bots to spam", func(t *testing.T) {
		form := commentForm("Bot", "bot@example.test", "Buy now")
		form.Set("fax", "555")
		res := f.post(t, path+"/comments", form)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("status %d", res.StatusCode)
		}
		mustNotContain(t, f.get(t, path).body, "Buy now")
		spam, err := f.site.Store.HasApprovedComment(ctx, "bot@example.test")
		if err != nil || spam {
			t.Errorf("bot comment approved: %v %v", spam, err)
		}
	})

	t.Run("closed comments", func(t *testing.T) {
		closed := f.site.ClosedArticle(t, &news.Article{Headline: "No comments here"})
		mustContain(t, f.get(t, closed.URLPath()).body, "Comments are closed")
		res := f.post(t, closed.URLPath()+"/comments", commentForm("A", "a@example.test", "hello"))
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("status %d, want 403", res.StatusCode)
		}
	})

	t.Run("cross-site posts are refused", func(t *testing.T) {
		req := httptest.NewRequest("POST", path+"/comments", strings.NewReader(commentForm("A", "a@example.test", "x").Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		if res := f.do(t, req); res.StatusCode != http.StatusForbidden {
			t.Errorf("status %d, want 403", res.StatusCode)
		}
	})

	t.Run("unknown article", func(t *testing.T) {
		if res := f.post(t, "/2020/01/01/nothing/comments", commentForm("A", "a@example.test", "x")); res.StatusCode != 404 {
			t.Errorf("status %d", res.StatusCode)
		}
	})
}

func TestCommentRateLimit(t *testing.T) {
	f := newFixtureLimit(t, 3)
	path := f.last.URLPath() + "/comments"
	for i := 0; i < 3; i++ {
		if res := f.post(t, path, commentForm("Fast", "fast@example.test", fmt.Sprint("comment ", i))); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("comment %d: status %d", i, res.StatusCode)
		}
	}
	res := f.post(t, path, commentForm("Fast", "fast@example.test", "one too many"))
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" {
		t.Fatalf("status %d, Retry-After %q", res.StatusCode, res.Header.Get("Retry-After"))
	}
	mustContain(t, res.body, "one too many</textarea>", "Please wait")
}
