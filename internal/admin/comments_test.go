package admin_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"masthead/internal/news"
	service "masthead/internal/newsroom"
	"masthead/internal/render"
	"masthead/internal/web"
)

// moderation is a newsroom with the reader site on the same database and
// one published article with comments open, so tests can post as readers
// and moderate as staff.
type moderation struct {
	*newsroom
	reader  http.Handler
	article *news.Article
}

func newModeration(t *testing.T) *moderation {
	t.Helper()
	n := newNewsroom(t)
	eng, err := render.New(time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	// The page cache stays on, reading the change log on every request,
	// so staff replies reach the reader site the way they do in production.
	desk := service.New(n.site.Store, service.Config{Location: time.UTC, CommentLimit: 1000, CommentWindow: time.Minute})
	site := web.New(n.site.Store, desk, eng, slog.New(slog.DiscardHandler), web.Config{BaseURL: "https://news.example.test",
		Secret: []byte("reader-secret"), CachePoll: time.Nanosecond})
	a := n.site.Article(t, &news.Article{Headline: "Swing bridge stays shut for the summer"})
	return &moderation{newsroom: n, reader: site.Handler(), article: a}
}

// posted is what a reader's browser got back for a comment.
type posted struct {
	status int
	id     int64 // from the redirect's #comment-N
	cookie *http.Cookie
}

var commentAnchor = regexp.MustCompile(`#comment-(\d+)$`)

// post sends the "Leave a Reply" form from the network address ip.
func (m *moderation) post(t *testing.T, ip string, form url.Values) posted {
	t.Helper()
	req := httptest.NewRequest("POST", m.article.URLPath()+"/comments", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.RemoteAddr = ip + ":41000"
	rec := httptest.NewRecorder()
	m.reader.ServeHTTP(rec, req)
	p := posted{status: rec.Code}
	if mm := commentAnchor.FindStringSubmatch(rec.Header().Get("Location")); mm != nil {
		p.id, _ = strconv.ParseInt(mm[1], 10, 64)
	}
	for _, c := range rec.Result().Cookies() {
		if c.Name == "mh_pending" {
			p.cookie = c
		}
	}
	if p.status != http.StatusSeeOther || p.id == 0 {
		t.Fatalf("post from %s: status %d, location %q\n%s", ip, rec.Code, rec.Header().Get("Location"), rec.Body)
	}
	return p
}

// articlePage fetches the article as a reader, with their cookie if any.
func (m *moderation) articlePage(t *testing.T, cookie *http.Cookie) string {
	t.Helper()
	req := httptest.NewRequest("GET", m.article.URLPath(), nil)
	if cookie != nil {
		req.AddCookie(cookie)
	}
	rec := httptest.NewRecorder()
	m.reader.ServeHTTP(rec, req)
	if rec.Code != 200 {
		t.Fatalf("article page: %d", rec.Code)
	}
	return rec.Body.String()
}

func (m *moderation) status(t *testing.T, id int64) news.CommentStatus {
	t.Helper()
	c, err := m.site.Store.Comment(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return c.Status
}

func readerForm(name, email, body string) url.Values {
	return url.Values{"name": {name}, "email": {email}, "comment": {body}, "website": {""}}
}

func contains(t *testing.T, what, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("%s lacks %q", what, w)
		}
	}
}

const thoughtful = "I was at the meeting, and the vote was a good deal closer than this report suggests."

// TestSpamCheckOnPosting posts through the reader site and follows each
// comment into the moderation queue.
func TestSpamCheckOnPosting(t *testing.T) {
	m := newModeration(t)
	editor, _ := m.signedIn(t, "Ed Moderator", news.RoleEditor)

	clean := m.post(t, "198.51.100.1", readerForm("Clean Reader", "clean@example.test", thoughtful))
	borderline := m.post(t, "198.51.100.2", readerForm("Link Reader", "links@example.test",
		thoughtful+" See https://council.example/minutes and https://council.example/vote!!!"))
	obvious := m.post(t, "198.51.100.3", readerForm("Best Deals", "deals@example.test",
		"Cheap https://a.example https://b.example https://c.example https://d.example https://e.example https://f.example"))
	bot := readerForm("Bot", "bot@example.test", thoughtful+" (a bot)")
	bot.Set("fax", "555-0100")
	honeypot := m.post(t, "198.51.100.4", bot)

	for name, tt := range map[string]struct {
		p    posted
		want news.CommentStatus
	}{
		"clean": {clean, news.CommentPending}, "borderline": {borderline, news.CommentPending},
		"obvious": {obvious, news.CommentSpam}, "honeypot": {honeypot, news.CommentSpam},
	} {
		if got := m.status(t, tt.p.id); got != tt.want {
			t.Errorf("%s comment is %s, want %s", name, got, tt.want)
		}
		// Every poster is told the same thing: their comment awaits
		// moderation. The spam verdict is never revealed.
		if tt.p.cookie == nil {
			t.Errorf("%s: no pending cookie", name)
			continue
		}
		page := m.articlePage(t, tt.p.cookie)
		contains(t, name+"'s own view", page, "Your comment is awaiting moderation.", fmt.Sprintf(`id="comment-%d"`, tt.p.id))
		if strings.Contains(strings.ToLower(page), "spam") {
			t.Errorf("%s's own view mentions spam", name)
		}
	}
	if public := m.articlePage(t, nil); strings.Contains(public, "awaiting moderation") || strings.Contains(public, "Best Deals") {
		t.Error("held comments are public")
	}

	pending := editor.get("/admin/comments?status=pending")
	contains(t, "pending folder", pending.body, "Pending (2)", "Spam (2)", "Clean Reader", "Link Reader",
		"Spam score 4: held for review", "2 links. <span class=\"meta\">(+2)</span>", "Runs of !!! or ??? (1).", "Spam score 0")
	spam := editor.get("/admin/comments?status=spam")
	contains(t, "spam folder", spam.body, "Best Deals", "Spam score 13: sent to spam", "6 links.", "Little or no text besides the link.",
		"Spam score 100: sent to spam", "The hidden field that only bots see was filled in.")

	// The same text from several addresses: the third copy is spam.
	copypasta := "Everyone should read https://petition.example/sign and https://petition.example/share today"
	var copies []posted
	for i := range 3 {
		copies = append(copies, m.post(t, fmt.Sprintf("198.51.100.%d", 20+i), readerForm("Copier", fmt.Sprintf("copier%d@example.test", i), copypasta)))
	}
	for i, want := range []news.CommentStatus{news.CommentPending, news.CommentPending, news.CommentSpam} {
		if got := m.status(t, copies[i].id); got != want {
			t.Errorf("copy %d is %s, want %s", i+1, got, want)
		}
	}
	contains(t, "spam folder", editor.get("/admin/comments?status=spam").body, "The same text came from 2 other comments in the last 24 hours.")

	// A known reader's clean comment is published; the same reader's
	// borderline comment waits.
	m.site.Comment(t, m.article, &news.Comment{Name: "Regular", Email: "regular@example.test"})
	if p := m.post(t, "198.51.100.30", readerForm("Regular", "regular@example.test", thoughtful+" Again.")); m.status(t, p.id) != news.CommentApproved {
		t.Error("a known reader's clean comment waits")
	}
	shouting := "THE COUNCIL HAS IGNORED EVERY SINGLE RESIDENT ON THIS!!! https://a.example https://b.example https://c.example"
	if p := m.post(t, "198.51.100.30", readerForm("Regular", "regular@example.test", shouting)); m.status(t, p.id) != news.CommentPending {
		t.Error("a known reader's borderline comment was published")
	}
}

// TestBlocklistEnforced manages the blocklist through the newsroom and
// posts through the reader site.
func TestBlocklistEnforced(t *testing.T) {
	m := newModeration(t)
	editor, _ := m.signedIn(t, "Bo Blocker", news.RoleEditor)
	editor.get("/admin/blocklist")
	for _, entry := range [][2]string{{"email", "Troll@Example.test"}, {"ip", "203.0.113.0/24"}, {"word", "casino"}, {"domain", "https://www.pills.example/"}} {
		if res := editor.post("/admin/blocklist", url.Values{"kind": {entry[0]}, "value": {entry[1]}, "note": {"test"}}); res.status != http.StatusSeeOther || res.location != "/admin/blocklist?done=blocked" {
			t.Fatalf("block %v: %d %q\n%s", entry, res.status, res.location, res.body)
		}
	}
	list := editor.get("/admin/blocklist?done=blocked")
	contains(t, "blocklist", list.body, "Added to the blocklist.", "troll@example.test", "203.0.113.0/24", "casino", "pills.example", "by Bo Blocker")
	if res := editor.post("/admin/blocklist", url.Values{"kind": {"email"}, "value": {"troll@example.test"}}); res.location != "/admin/blocklist?done=already" {
		t.Errorf("blocking twice: %d %q", res.status, res.location)
	}
	bad := editor.post("/admin/blocklist", url.Values{"kind": {"ip"}, "value": {"not an address"}})
	if bad.status != http.StatusUnprocessableEntity || !strings.Contains(bad.body, "Enter a network address") || !strings.Contains(bad.body, `value="not an address"`) {
		t.Errorf("invalid entry: %d", bad.status)
	}

	// Blocked email or address: silently to spam, answered like any other.
	byEmail := m.post(t, "198.51.100.1", readerForm("Troll", "troll@example.test", thoughtful))
	byIP := m.post(t, "203.0.113.50", readerForm("Someone", "someone@example.test", thoughtful))
	word := m.post(t, "198.51.100.2", readerForm("Gambler", "gambler@example.test", thoughtful+" Try the casino."))
	domain := m.post(t, "198.51.100.3", readerForm("Pharma", "pharma@example.test", thoughtful+" https://shop.pills.example/"))
	for name, tt := range map[string]struct {
		p    posted
		want news.CommentStatus
	}{
		"blocked email": {byEmail, news.CommentSpam}, "blocked address": {byIP, news.CommentSpam},
		"blocked word": {word, news.CommentPending}, "blocked domain": {domain, news.CommentSpam},
	} {
		if got := m.status(t, tt.p.id); got != tt.want {
			t.Errorf("%s: %s, want %s", name, got, tt.want)
		}
		if tt.p.cookie == nil || !strings.Contains(m.articlePage(t, tt.p.cookie), "Your comment is awaiting moderation.") {
			t.Errorf("%s: the poster is not told their comment awaits moderation", name)
		}
	}
	contains(t, "spam folder", editor.get("/admin/comments?status=spam").body,
		"The email address is blocked (troll@example.test).", "The network address is blocked (203.0.113.0/24).", "Links to blocked domain pills.example.")
	contains(t, "pending folder", editor.get("/admin/comments?status=pending").body, "Blocked word “casino”.")

	// Block from a comment in context, then unblock from the list.
	ctxPage := editor.get(fmt.Sprintf("/admin/comments/%d", word.id))
	contains(t, "comment in context", ctxPage.body, "Block gambler@example.test", "Block 198.51.100.2")
	if res := editor.post("/admin/blocklist", url.Values{"kind": {"email"}, "value": {"gambler@example.test"}, "comment": {fmt.Sprint(word.id)}}); res.location != fmt.Sprintf("/admin/comments/%d?done=blocked#comment-%d", word.id, word.id) {
		t.Errorf("block from a comment: %d %q", res.status, res.location)
	}
	if p := m.post(t, "198.51.100.2", readerForm("Gambler", "gambler@example.test", "Another thought entirely, nothing to see.")); m.status(t, p.id) != news.CommentSpam {
		t.Error("email blocked from a comment still gets through")
	}
	entries, err := m.site.Store.Blocklist(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range entries {
		if b.Kind == news.BlockEmail && b.Value == "troll@example.test" {
			editor.get("/admin/blocklist")
			if res := editor.post(fmt.Sprintf("/admin/blocklist/%d/delete", b.ID), nil); res.location != "/admin/blocklist?done=unblocked" {
				t.Errorf("unblock: %d %q", res.status, res.location)
			}
		}
	}
	if p := m.post(t, "198.51.100.1", readerForm("Troll", "troll@example.test", "A reformed and entirely new comment here.")); m.status(t, p.id) != news.CommentPending {
		t.Error("unblocked email still goes to spam")
	}
}

// TestStaffReplies replies from the queue, from a comment in context and
// from an article's comments, and checks the reader site.
func TestStaffReplies(t *testing.T) {
	m := newModeration(t)
	editor, ed := m.signedIn(t, "Ines Desk", news.RoleEditor)
	question := m.post(t, "198.51.100.1", readerForm("Curious Reader", "curious@example.test", "When will the bridge reopen? Nobody seems to know."))

	editor.get("/admin/comments?status=pending")
	res := editor.post(fmt.Sprintf("/admin/comments/%d/reply", question.id), url.Values{"reply": {"The council says September; we will update this story."}, "from": {"pending"}, "page": {"1"}})
	if res.status != http.StatusSeeOther || res.location != "/admin/comments?status=pending&done=replied" {
		t.Fatalf("reply from the queue: %d %q\n%s", res.status, res.location, res.body)
	}
	if m.status(t, question.id) != news.CommentApproved {
		t.Error("replying did not approve the pending comment")
	}
	contains(t, "queue", editor.get(res.location).body, "Reply published.", "Pending (0)", "Approved (2)")

	page := m.articlePage(t, nil)
	contains(t, "article page", page, "When will the bridge reopen?", "The council says September", `<span class="badge">Staff</span>`, "Ines Desk", `<li class="comment staff"`)
	q := strings.Index(page, fmt.Sprintf(`id="comment-%d"`, question.id))
	a := strings.Index(page, "The council says September")
	if q < 0 || a < q || !strings.Contains(page[q:a], `<ol class="comment-replies">`) {
		t.Error("the staff reply is not nested under the question")
	}
	comments, _ := m.site.Store.ArticleComments(context.Background(), m.article.ID, nil)
	last := comments[len(comments)-1]
	if !last.IsStaff || last.Email != ed.Email || last.ParentID != question.id {
		t.Errorf("stored reply %+v", last)
	}

	// From the comment in context, the reply lands on the reply's own page.
	ctxPage := editor.get(fmt.Sprintf("/admin/comments/%d", question.id))
	contains(t, "comment in context", ctxPage.body, "Comment by Curious Reader", "Swing bridge stays shut for the summer", `aria-current="true"`, "Reply to Curious Reader as staff", "Publish reply")
	res = editor.post(fmt.Sprintf("/admin/comments/%d/reply", question.id), url.Values{"reply": {"Update: the date is now confirmed."}})
	if res.status != http.StatusSeeOther || !strings.HasPrefix(res.location, "/admin/comments/") || !strings.Contains(res.location, "done=replied") {
		t.Fatalf("reply in context: %d %q", res.status, res.location)
	}
	contains(t, "reply in context", editor.get(res.location).body, "Reply published.", "Update: the date is now confirmed.")

	// A top-level comment from the article's comments page.
	art := fmt.Sprintf("/admin/articles/%d/comments", m.article.ID)
	contains(t, "article comments", editor.get(art).body, "Comment as staff", "When will the bridge reopen?", "The council says September")
	if res := editor.post(art, url.Values{"reply": {"Editor's note: comments close on Friday."}}); res.status != http.StatusSeeOther {
		t.Fatalf("staff comment: %d\n%s", res.status, res.body)
	}
	contains(t, "article page", m.articlePage(t, nil), "Editor&#39;s note: comments close on Friday.")

	// Empty replies and replies to spam are refused, keeping the text.
	editor.get(art)
	if res := editor.post(art, url.Values{"reply": {"   "}}); res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "Please write a reply.") {
		t.Errorf("empty reply: %d", res.status)
	}
	junk := m.site.Comment(t, m.article, &news.Comment{Status: news.CommentSpam, Body: "junk"})
	contains(t, "spam comment in context", editor.get(fmt.Sprintf("/admin/comments/%d", junk.ID)).body, "Approve it or send it back to pending before replying.")
	res = editor.post(fmt.Sprintf("/admin/comments/%d/reply", junk.ID), url.Values{"reply": {"Kept <text>"}})
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "Restore it before replying.") || !strings.Contains(res.body, "Kept &lt;text&gt;</textarea>") {
		t.Errorf("reply to spam: %d\n%s", res.status, res.body)
	}
	if res := editor.post("/admin/comments/999999/reply", url.Values{"reply": {"hello"}}); res.status != http.StatusNotFound {
		t.Errorf("reply to a missing comment: %d", res.status)
	}
}

// TestBulkModeration moves comments between folders from the queue and
// from a comment in context.
func TestBulkModeration(t *testing.T) {
	m := newModeration(t)
	editor, _ := m.signedIn(t, "Bulk Editor", news.RoleEditor)
	var ids []string
	for range 4 {
		c := m.site.Comment(t, m.article, &news.Comment{Status: news.CommentPending})
		ids = append(ids, fmt.Sprint(c.ID))
	}
	steps := []struct {
		action string
		ids    []string
		counts []string
	}{
		{"approved", ids[:2], []string{"Pending (2)", "Approved (2)"}},
		{"spam", ids[2:3], []string{"Pending (1)", "Spam (1)"}},
		{"trash", ids[:1], []string{"Approved (1)", "Trash (1)"}},
		{"pending", ids[2:3], []string{"Pending (2)", "Spam (0)"}},
	}
	for _, s := range steps {
		editor.get("/admin/comments?status=pending")
		res := editor.post("/admin/comments", url.Values{"action": {s.action}, "id": s.ids, "from": {"spam"}, "page": {"1"}})
		if res.status != http.StatusSeeOther || res.location != "/admin/comments?status=spam&done=moderated" {
			t.Fatalf("%s: %d %q", s.action, res.status, res.location)
		}
		contains(t, s.action, editor.get(res.location).body, append(s.counts, "Comments updated.")...)
	}
	id, _ := strconv.ParseInt(ids[3], 10, 64)
	if res := editor.post("/admin/comments", url.Values{"action": {"approved"}, "id": {ids[3]}, "comment": {ids[3]}}); res.location != fmt.Sprintf("/admin/comments/%d?done=moderated#comment-%d", id, id) {
		t.Errorf("from a comment in context: %q", res.location)
	}
	if m.status(t, id) != news.CommentApproved {
		t.Error("not approved from the context page")
	}
	for _, bad := range []url.Values{{"action": {"publish"}, "id": {ids[0]}}, {"action": {"spam"}, "id": {"x"}}} {
		if res := editor.post("/admin/comments", bad); res.status != http.StatusBadRequest {
			t.Errorf("%v: %d", bad, res.status)
		}
	}
}

func TestQueuePages(t *testing.T) {
	m := newModeration(t)
	editor, _ := m.signedIn(t, "Page Editor", news.RoleEditor)
	for i := range 120 {
		m.site.Comment(t, m.article, &news.Comment{Status: news.CommentPending, Body: fmt.Sprintf("Comment number %03d", i),
			CreatedAt: time.Now().Add(time.Duration(i-200) * time.Minute)})
	}
	first := editor.get("/admin/comments")
	contains(t, "page 1", first.body, "Pending (120)", "120 comments · page 1 of 3", `href="/admin/comments?status=pending&amp;page=2" rel="next"`, "Comment number 119")
	if n := strings.Count(first.body, `<li class="mod-item"`); n != 50 {
		t.Errorf("page 1 shows %d comments", n)
	}
	last := editor.get("/admin/comments?status=pending&page=3")
	contains(t, "page 3", last.body, "page 3 of 3", `rel="prev"`, "Comment number 000", `name="page" value="3"`)
	if n := strings.Count(last.body, `<li class="mod-item"`); n != 20 || strings.Contains(last.body, `rel="next"`) {
		t.Errorf("page 3 shows %d comments", n)
	}
	if past := editor.get("/admin/comments?status=pending&page=9"); !strings.Contains(past.body, "page 3 of 3") {
		t.Error("a page past the end does not show the last page")
	}
	for _, p := range []string{"/admin/comments?page=0", "/admin/comments?page=x", "/admin/comments?status=deleted"} {
		if res := editor.get(p); res.status != http.StatusBadRequest {
			t.Errorf("GET %s: %d", p, res.status)
		}
	}
}

// TestModerationRoles: only roles with news.PermModerate (editors and
// administrators) may see or change anything about comments.
func TestModerationRoles(t *testing.T) {
	m := newModeration(t)
	c := m.site.Comment(t, m.article, &news.Comment{Status: news.CommentPending})
	block, _ := news.NewBlock(news.BlockWord, "casino", "")
	if err := m.site.Store.AddBlock(context.Background(), &block, 0); err != nil {
		t.Fatal(err)
	}
	gets := []string{"/admin/comments", "/admin/comments?status=spam", fmt.Sprintf("/admin/comments/%d", c.ID),
		fmt.Sprintf("/admin/articles/%d/comments", m.article.ID), "/admin/blocklist"}
	posts := []struct {
		path string
		form url.Values
	}{
		{"/admin/comments", url.Values{"action": {"approved"}, "id": {fmt.Sprint(c.ID)}}},
		{fmt.Sprintf("/admin/comments/%d/reply", c.ID), url.Values{"reply": {"hi"}}},
		{fmt.Sprintf("/admin/articles/%d/comments", m.article.ID), url.Values{"reply": {"hi"}}},
		{"/admin/blocklist", url.Values{"kind": {"word"}, "value": {"poker"}}},
		{fmt.Sprintf("/admin/blocklist/%d/delete", block.ID), nil},
	}
	for _, role := range []news.Role{news.RoleContributor, news.RoleAuthor} {
		t.Run(string(role), func(t *testing.T) {
			u, _ := m.signedIn(t, "Writer "+string(role), role)
			for _, p := range gets {
				if res := u.get(p); res.status != http.StatusForbidden {
					t.Errorf("GET %s: %d, want 403", p, res.status)
				}
			}
			u.get("/admin/")
			for _, p := range posts {
				if res := u.post(p.path, p.form); res.status != http.StatusForbidden {
					t.Errorf("POST %s: %d, want 403", p.path, res.status)
				}
			}
		})
	}
	if m.status(t, c.ID) != news.CommentPending {
		t.Error("a writer moderated a comment")
	}
	if list, _ := m.site.Store.Blocklist(context.Background()); len(list) != 1 {
		t.Errorf("a writer changed the blocklist: %+v", list)
	}
	if all, _ := m.site.Store.ArticleThread(context.Background(), m.article.ID); len(all) != 1 {
		t.Errorf("a writer posted as staff: %d comments", len(all))
	}
	for _, role := range []news.Role{news.RoleEditor, news.RoleAdmin} {
		t.Run(string(role), func(t *testing.T) {
			u, _ := m.signedIn(t, "Moderator "+string(role), role)
			for _, p := range gets {
				if res := u.get(p); res.status != http.StatusOK {
					t.Errorf("GET %s: %d, want 200", p, res.status)
				}
			}
		})
	}
}

// TestModerationCSRF: moderation forms without the session's token are
// refused and change nothing.
func TestModerationCSRF(t *testing.T) {
	m := newModeration(t)
	editor, _ := m.signedIn(t, "Cy Csrf", news.RoleEditor)
	c := m.site.Comment(t, m.article, &news.Comment{Status: news.CommentPending})
	id := fmt.Sprint(c.ID)
	forms := []struct {
		path string
		form url.Values
	}{
		{"/admin/comments", url.Values{"action": {"spam"}, "id": {id}}},
		{"/admin/comments/" + id + "/reply", url.Values{"reply": {"forged"}}},
		{"/admin/blocklist", url.Values{"kind": {"email"}, "value": {"victim@example.test"}}},
	}
	for _, f := range forms {
		for name, token := range map[string]string{"forged": "0123456789abcdef0123456789abcdef01234567", "missing": ""} {
			form := url.Values{}
			for k, v := range f.form {
				form[k] = v
			}
			if token != "" {
				form.Set("csrf", token)
			}
			if res := editor.do("POST", f.path, form); res.status != http.StatusForbidden || !strings.Contains(res.body, "did not come from the newsroom") {
				t.Errorf("POST %s with a %s token: %d", f.path, name, res.status)
			}
		}
	}
	// Cross-site posts are refused even with the right token.
	req, _ := http.NewRequest("POST", m.srv.URL+"/admin/comments", strings.NewReader(url.Values{"csrf": {editor.csrf}, "action": {"spam"}, "id": {id}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	res, err := editor.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site moderation: %d", res.StatusCode)
	}
	if m.status(t, c.ID) != news.CommentPending {
		t.Error("a forged form moderated a comment")
	}
	if all, _ := m.site.Store.ArticleThread(context.Background(), m.article.ID); len(all) != 1 {
		t.Error("a forged form posted a reply")
	}
	if list, _ := m.site.Store.Blocklist(context.Background()); len(list) != 0 {
		t.Error("a forged form changed the blocklist")
	}
	// The real token works.
	editor.get("/admin/comments")
	if res := editor.post("/admin/comments", url.Values{"action": {"spam"}, "id": {id}}); res.status != http.StatusSeeOther {
		t.Errorf("genuine form: %d", res.status)
	}
}
