package admin_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"masthead/internal/admin"
	"masthead/internal/clock"
	"masthead/internal/news"
	"masthead/internal/render"
	"masthead/internal/testutil"
)

const password = "correct horse battery"

type newsroom struct {
	site *testutil.Site
	srv  *httptest.Server
}

func newNewsroom(t *testing.T) *newsroom {
	t.Helper()
	return newNewsroomOn(t, testutil.SiteBackend())
}

// newNewsroomOn is newNewsroom on a chosen backend.
func newNewsroomOn(t *testing.T, b testutil.Backend) *newsroom {
	t.Helper()
	return newNewsroomFor(t, testutil.NewSiteOn(t, b))
}

// newNewsroomAt is newNewsroom reading clk.
func newNewsroomAt(t *testing.T, clk clock.Clock) *newsroom {
	t.Helper()
	return newNewsroomFor(t, testutil.NewSiteAt(t, clk))
}

func newNewsroomFor(t *testing.T, site *testutil.Site) *newsroom {
	t.Helper()
	eng, err := render.New(time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	h := admin.New(site.Desk, eng, slog.New(slog.NewTextHandler(testLog{t}, nil)), admin.Config{Secret: []byte("test")})
	srv := httptest.NewServer(h.Handler())
	t.Cleanup(srv.Close)
	return &newsroom{site: site, srv: srv}
}

// client is one browser: a cookie jar that does not follow redirects.
type client struct {
	t    *testing.T
	base string
	http *http.Client
	csrf string
}

func (n *newsroom) browser(t *testing.T) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, base: n.srv.URL, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

type page struct {
	status   int
	body     string
	location string
	header   http.Header
}

var csrfPattern = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func (c *client) do(method, path string, form url.Values) page {
	c.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, c.base+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	p := page{status: res.StatusCode, body: string(b), location: res.Header.Get("Location"), header: res.Header}
	if m := csrfPattern.FindStringSubmatch(p.body); m != nil {
		c.csrf = m[1]
	}
	return p
}

func (c *client) get(path string) page { return c.do("GET", path, nil) }

// post sends a form with the current CSRF token.
func (c *client) post(path string, form url.Values) page {
	if form == nil {
		form = url.Values{}
	}
	if form.Get("csrf") == "" {
		form.Set("csrf", c.csrf)
	}
	return c.do("POST", path, form)
}

func (c *client) login(email, pw string) page {
	c.t.Helper()
	c.get("/admin/login")
	return c.post("/admin/login", url.Values{"email": {email}, "password": {pw}})
}

func (n *newsroom) signedIn(t *testing.T, name string, role news.Role) (*client, news.Staff) {
	t.Helper()
	u := n.site.Staff(t, name, role, password)
	c := n.browser(t)
	if res := c.login(u.Email, password); res.status != http.StatusSeeOther {
		t.Fatalf("login as %s: %d\n%s", role, res.status, res.body)
	}
	c.get("/admin/") // pick up the session's CSRF token
	return c, u
}

func TestLoginAndSessions(t *testing.T) {
	n := newNewsroom(t)
	u := n.site.Staff(t, "Lee Login", news.RoleAuthor, password)
	c := n.browser(t)
	if res := c.get("/admin/"); res.status != http.StatusSeeOther || !strings.HasPrefix(res.location, "/admin/login") {
		t.Fatalf("anonymous dashboard: %d %s", res.status, res.location)
	}
	if res := c.login(u.Email, "wrong password"); res.status != http.StatusUnauthorized || !strings.Contains(res.body, "do not match") || !strings.Contains(res.body, `value="`+u.Email+`"`) {
		t.Fatalf("bad password: %d", res.status)
	}
	res := c.login(strings.ToUpper(u.Email), password)
	if res.status != http.StatusSeeOther {
		t.Fatalf("login: %d", res.status)
	}
	ck := res.header.Values("Set-Cookie")
	var session string
	for _, v := range ck {
		if strings.HasPrefix(v, "mh_session=") {
			session = v
		}
	}
	if !strings.Contains(session, "HttpOnly") || !strings.Contains(session, "SameSite=Lax") {
		t.Errorf("session cookie flags: %q", session)
	}
	if home := c.get("/admin/"); home.status != 200 || !strings.Contains(home.body, "Lee Login") {
		t.Fatalf("dashboard: %d", home.status)
	}
	// Sign out everywhere ends other browsers' sessions too.
	other := n.browser(t)
	other.login(u.Email, password)
	if res := c.post("/admin/logout-everywhere", nil); res.status != http.StatusSeeOther {
		t.Fatalf("logout everywhere: %d", res.status)
	}
	if res := other.get("/admin/"); res.status != http.StatusSeeOther {
		t.Errorf("other browser still signed in: %d", res.status)
	}
	// Open redirects are impossible.
	c2 := n.browser(t)
	c2.get("/admin/login")
	if res := c2.post("/admin/login", url.Values{"email": {u.Email}, "password": {password}, "next": {"//evil.example/x"}}); res.location != "/admin/" {
		t.Errorf("next redirect to %q", res.location)
	}
}

func TestLoginThrottling(t *testing.T) {
	n := newNewsroom(t)
	u := n.site.Staff(t, "Tia Throttle", news.RoleEditor, password)
	c := n.browser(t)
	for i := 0; i < 5; i++ {
		if res := c.login(u.Email, "nope nope nope"); res.status != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d", i, res.status)
		}
	}
	res := c.login(u.Email, password) // even the right password waits now
	if res.status != http.StatusTooManyRequests || res.header.Get("Retry-After") == "" || !strings.Contains(res.body, "Too many failed attempts") {
		t.Fatalf("after 5 failures: %d %q", res.status, res.header.Get("Retry-After"))
	}
	// Another account from the same address is not locked yet.
	v := n.site.Staff(t, "Vic Other", news.RoleEditor, password)
	if res := c.login(v.Email, password); res.status != http.StatusSeeOther {
		t.Errorf("other account: %d", res.status)
	}
}

func TestCSRF(t *testing.T) {
	n := newNewsroom(t)
	c, _ := n.signedIn(t, "Cara Csrf", news.RoleEditor)
	form := url.Values{"headline": {"Sneaky"}, "body": {"x"}, "csrf": {"forged-token"}}
	if res := c.do("POST", "/admin/articles", form); res.status != http.StatusForbidden {
		t.Errorf("forged token: %d", res.status)
	}
	delete(form, "csrf")
	if res := c.do("POST", "/admin/articles", form); res.status != http.StatusForbidden {
		t.Errorf("missing token: %d", res.status)
	}
	// Login form without its double-submit token.
	fresh := n.browser(t)
	if res := fresh.do("POST", "/admin/login", url.Values{"email": {"x@example.test"}, "password": {"y"}}); res.status != http.StatusForbidden {
		t.Errorf("login without token: %d", res.status)
	}
	// Cross-site requests are refused before anything else.
	req, _ := http.NewRequest("POST", n.srv.URL+"/admin/articles", strings.NewReader(url.Values{"csrf": {c.csrf}}.Encode()))
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site: %d", res.StatusCode)
	}
}

var idPattern = regexp.MustCompile(`^/admin/articles/(\d+)\?`)

func (c *client) createArticle(headline string) string {
	c.t.Helper()
	c.get("/admin/articles/new")
	res := c.post("/admin/articles", url.Values{"headline": {headline}, "body": {"\"Quote,\" said Ana."}, "standfirst": {"Short."}, "comments_open": {"1"}})
	m := idPattern.FindStringSubmatch(res.location)
	if res.status != http.StatusSeeOther || m == nil {
		c.t.Fatalf("create: %d %q\n%s", res.status, res.location, res.body)
	}
	return "/admin/articles/" + m[1]
}

// TestRolesOverHTTP checks each role's powers at the HTTP edge.
func TestRolesOverHTTP(t *testing.T) {
	n := newNewsroom(t)
	contributor, _ := n.signedIn(t, "Con Tributor", news.RoleContributor)
	author, _ := n.signedIn(t, "Au Thor", news.RoleAuthor)
	editor, _ := n.signedIn(t, "Ed Itor", news.RoleEditor)
	adminC, _ := n.signedIn(t, "Ad Min", news.RoleAdmin)

	draft := contributor.createArticle("Contributor's story")
	contributor.get(draft)
	if res := contributor.post(draft+"/workflow", url.Values{"action": {"publish"}}); res.status != http.StatusForbidden {
		t.Errorf("contributor published: %d", res.status)
	}
	if res := contributor.post(draft+"/workflow", url.Values{"action": {"submit"}}); res.status != http.StatusSeeOther {
		t.Errorf("contributor submit: %d %s", res.status, res.body)
	}
	if res := author.get(draft); res.status != http.StatusForbidden {
		t.Errorf("author opened someone else's draft: %d", res.status)
	}
	if res := editor.get(draft); res.status != 200 || !strings.Contains(res.body, "Publish now") {
		t.Fatalf("editor view: %d", res.status)
	}
	if res := editor.post(draft+"/workflow", url.Values{"action": {"publish"}}); res.status != http.StatusSeeOther {
		t.Fatalf("editor publish: %d %s", res.status, res.body)
	}
	// Authors publish their own work, not others'.
	own := author.createArticle("Author's own story")
	author.get(own)
	if res := author.post(own+"/workflow", url.Values{"action": {"publish"}}); res.status != http.StatusSeeOther {
		t.Errorf("author publish own: %d", res.status)
	}
	for _, c := range []*client{contributor, author} {
		if res := c.get("/admin/comments"); res.status != http.StatusForbidden {
			t.Errorf("moderation open to a writer: %d", res.status)
		}
		if res := c.get("/admin/staff"); res.status != http.StatusForbidden {
			t.Errorf("staff page open to a writer: %d", res.status)
		}
	}
	if res := editor.get("/admin/comments"); res.status != 200 {
		t.Errorf("editor moderation: %d", res.status)
	}
	if res := editor.get("/admin/staff"); res.status != http.StatusForbidden {
		t.Errorf("staff page open to an editor: %d", res.status)
	}
	if res := adminC.get("/admin/staff"); res.status != 200 {
		t.Errorf("admin staff page: %d", res.status)
	}
}

func TestEditorConflictAndValidation(t *testing.T) {
	n := newNewsroom(t)
	a, _ := n.signedIn(t, "First Editor", news.RoleEditor)
	b, _ := n.signedIn(t, "Second Editor", news.RoleEditor)
	path := a.createArticle("Shared story")
	a.get(path)
	b.get(path)
	ver := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(a.get(path).body)[1]
	save := func(c *client, headline string) page {
		return c.post(path, url.Values{"version": {ver}, "headline": {headline}, "body": {"Body by " + headline}, "author": {"1"}})
	}
	if res := save(a, "First wins"); res.status != http.StatusSeeOther {
		t.Fatalf("first save: %d %s", res.status, res.body)
	}
	res := save(b, "Second loses")
	if res.status != http.StatusConflict || !strings.Contains(res.body, "Someone else saved this article") || !strings.Contains(res.body, `value="Second loses"`) {
		t.Fatalf("conflict: %d", res.status)
	}
	if cur := a.get(path); !strings.Contains(cur.body, `value="First wins"`) {
		t.Error("the first save was overwritten")
	}
	revs := a.get(path + "/revisions")
	if !strings.Contains(revs.body, "conflict") || !strings.Contains(revs.body, "Second loses") {
		t.Error("the losing edit is not kept as a revision")
	}
	// A failed save keeps what was typed.
	bad := a.post(path, url.Values{"version": {"99"}, "headline": {""}, "body": {"Kept <b>body</b>"}, "author": {"1"}})
	if bad.status != http.StatusUnprocessableEntity || !strings.Contains(bad.body, "Kept &lt;b&gt;body&lt;/b&gt;</textarea>") {
		t.Errorf("invalid save: %d", bad.status)
	}
	// Preview renders (sanitised) Markdown.
	prev := a.post("/admin/preview", url.Values{"body": {"**bold** <script>x()</script>"}})
	if !strings.Contains(prev.body, "<strong>bold</strong>") || strings.Contains(prev.body, "<script") {
		t.Errorf("preview = %q", prev.body)
	}
	// Autosave keeps unsaved text and offers it back.
	if res := a.post("/admin/autosave?article=0", url.Values{"headline": {"Half-written"}, "body": {"unsaved words"}}); res.status != http.StatusNoContent {
		t.Fatalf("autosave: %d", res.status)
	}
	if res := a.get("/admin/articles/new"); !strings.Contains(res.body, "You have unsaved changes") {
		t.Error("no autosave offered")
	}
	if res := a.get("/admin/articles/new?restore=autosave"); !strings.Contains(res.body, "unsaved words") {
		t.Error("autosave not restored")
	}
	// A new page keeps its unsaved text apart from a new article's.
	if res := a.get("/admin/pages/new"); strings.Contains(res.body, "You have unsaved changes") || !strings.Contains(res.body, "autosave?article=-1") {
		t.Error("a new page is offered a new article's autosave, or autosaves in its slot")
	}
	if res := a.post("/admin/autosave?article=-1", url.Values{"headline": {"About us"}, "body": {"unsaved page words"}}); res.status != http.StatusNoContent {
		t.Fatalf("page autosave: %d", res.status)
	}
	if res := a.get("/admin/pages/new?restore=autosave"); !strings.Contains(res.body, "unsaved page words") {
		t.Error("page autosave not restored")
	}
	if res := a.get("/admin/articles/new?restore=autosave"); !strings.Contains(res.body, "unsaved words") || strings.Contains(res.body, "unsaved page words") {
		t.Error("the new article's autosave was overwritten by the page's")
	}
	if res := a.post("/admin/autosave?article=-2", url.Values{"body": {"x"}}); res.status != http.StatusBadRequest {
		t.Errorf("autosave to slot -2: %d", res.status)
	}
}

func TestEveryAdminPageRenders(t *testing.T) {
	n := newNewsroom(t)
	c, _ := n.signedIn(t, "Page Admin", news.RoleAdmin)
	path := c.createArticle("Pages story")
	c.get(path)
	c.post(path+"/workflow", url.Values{"action": {"publish"}})
	for _, p := range []string{"/admin/", "/admin/articles", "/admin/articles?status=published", "/admin/articles/new", path, path + "/revisions", path + "/diff", "/admin/comments", "/admin/comments?status=spam", "/admin/staff"} {
		if res := c.get(p); res.status != 200 {
			t.Errorf("GET %s: %d", p, res.status)
		}
	}
	for p, want := range map[string]int{"/admin/articles/999999": 404, "/admin/articles/abc": 404, "/admin/nope": 404, "/admin/articles?status=bogus": 400} {
		if res := c.get(p); res.status != want {
			t.Errorf("GET %s: %d, want %d", p, res.status, want)
		}
	}
}

// testLog sends the server's log to the test's log.
type testLog struct{ t *testing.T }

func (l testLog) Write(p []byte) (int, error) {
	l.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}
