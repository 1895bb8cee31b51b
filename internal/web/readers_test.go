package web_test

import (
	"context"
	"encoding/json"
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

	"masthead/internal/clock"
	"masthead/internal/mail"
	"masthead/internal/mail/mailtest"
	"masthead/internal/news"
	"masthead/internal/newsroom"
	"masthead/internal/render"
	"masthead/internal/server"
	"masthead/internal/testutil"
)

// readerSite is a whole site (reader site and newsroom) behind a real
// HTTP server, mailing through a real SMTP server, on a clock the test
// moves.
type readerSite struct {
	site    *testutil.Site
	clock   *clock.Manual
	smtp    *mailtest.Server
	desk    *newsroom.Service
	srv     *httptest.Server
	article *news.Article
}

func newReaderSite(t *testing.T) *readerSite {
	t.Helper()
	rs := &readerSite{clock: clock.NewManual(time.Now().Truncate(time.Second))}
	rs.site = testutil.NewSiteAt(t, rs.clock)
	rs.smtp = mailtest.Start(t, mailtest.Options{})
	rs.article = rs.site.Article(t, &news.Article{Headline: "Harbour festival returns", Section: rs.site.Section(t, "City"),
		Authors: []news.Staff{rs.site.Author(t, "Ana Ruiz")}, PublishedAt: rs.clock.Now().Add(-time.Hour)})
	eng, err := render.New(time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	rs.desk = newsroom.New(rs.site.Store, newsroom.Config{Location: time.UTC, Clock: rs.clock, BaseURL: baseURL,
		Mailer: &mail.SMTP{Addr: rs.smtp.Addr, From: mail.Address{Name: "The Test Gazette", Email: "news@gazette.test"}}})
	site := server.New(rs.site.Store, rs.desk, eng, slog.New(slog.DiscardHandler), server.Config{BaseURL: baseURL, Secret: []byte("test-secret")})
	rs.srv = httptest.NewServer(site.Handler())
	t.Cleanup(func() {
		rs.srv.Close()
		if err := rs.desk.Wait(context.Background()); err != nil {
			t.Error(err)
		}
	})
	return rs
}

// browser is one browser, with its own cookies.
type browser struct {
	rs *readerSite
	c  *http.Client
}

func (rs *readerSite) browser(t *testing.T) *browser {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &browser{rs: rs, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *browser) do(t *testing.T, req *http.Request) response {
	t.Helper()
	res, err := b.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return response{Response: res, body: string(body)}
}

func (b *browser) get(t *testing.T, path string) response {
	t.Helper()
	req, _ := http.NewRequest("GET", b.rs.srv.URL+path, nil)
	return b.do(t, req)
}

func (b *browser) post(t *testing.T, path string, form url.Values) response {
	t.Helper()
	req, _ := http.NewRequest("POST", b.rs.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(t, req)
}

func (b *browser) cookie(name string) *http.Cookie {
	u, _ := url.Parse(b.rs.srv.URL + "/account")
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name == name {
			return c
		}
	}
	return nil
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// submit posts a form of the page at path with its CSRF token.
func (b *browser) submit(t *testing.T, page, action string, form url.Values) response {
	t.Helper()
	got := b.get(t, page)
	m := csrfField.FindStringSubmatch(got.body)
	if m == nil {
		t.Fatalf("no CSRF token on %s (%d):\n%s", page, got.StatusCode, got.body)
	}
	form.Set("csrf", m[1])
	return b.post(t, action, form)
}

// askLink asks for a sign-in link for email.
func (b *browser) askLink(t *testing.T, email string) response {
	t.Helper()
	return b.submit(t, "/account", "/account/signin", url.Values{"email": {email}})
}

var readerLink = regexp.MustCompile(regexp.QuoteMeta(baseURL) + `(/account/(?:signin|email)/[A-Za-z0-9_-]{43}(?:\?next=\S+)?)`)

// mailedLink is the path of the link in the next message, which must go
// to email.
func (rs *readerSite) mailedLink(t *testing.T, email string) (string, *mailtest.Message) {
	t.Helper()
	msg := rs.smtp.Next(t)
	if len(msg.To) != 1 || msg.To[0] != email {
		t.Fatalf("mail to %v, want %s", msg.To, email)
	}
	m := readerLink.FindStringSubmatch(msg.Body)
	if m == nil {
		t.Fatalf("no link in:\n%s", msg.Body)
	}
	return m[1], msg
}

// signIn signs b in as email, creating the account with name if need be.
func (b *browser) signIn(t *testing.T, email, name string) {
	t.Helper()
	if res := b.askLink(t, email); res.StatusCode != http.StatusOK {
		t.Fatalf("ask for a link: %d", res.StatusCode)
	}
	link, _ := b.rs.mailedLink(t, email)
	res := b.submit(t, link, link, url.Values{"name": {name}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in: %d\n%s", res.StatusCode, res.body)
	}
}

func TestReaderSignIn(t *testing.T) {
	rs := newReaderSite(t)
	b := rs.browser(t)

	page := b.get(t, "/account")
	mustContain(t, page.body, "<h1>Sign in</h1>", `name="email"`, "no password")
	if cc := page.Header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
		t.Errorf("account page Cache-Control %q", cc)
	}
	binding := b.cookie("mh_reader_browser")
	if binding == nil {
		t.Fatal("no browser cookie")
	}

	sent := b.askLink(t, " Nora.Reader@Example.test ")
	mustContain(t, sent.body, "Check your email", "nora.reader@example.test", "in this browser")
	link, msg := rs.mailedLink(t, "nora.reader@example.test")
	if msg.Header.Get("Subject") != "Your link to sign in to The Test Gazette" || !strings.Contains(msg.Body, "create a reader account") {
		t.Errorf("mail %q:\n%s", msg.Header.Get("Subject"), msg.Body)
	}

	confirm := b.get(t, link)
	mustContain(t, confirm.body, "Create your account", "nora.reader@example.test", `name="name"`)
	if noName := b.submit(t, link, link, url.Values{"name": {"  "}}); noName.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("no name: %d", noName.StatusCode)
	}
	in := b.submit(t, link, link, url.Values{"name": {"Nora <Reader>"}})
	if in.StatusCode != http.StatusSeeOther || in.Header.Get("Location") != "/account?done=welcome" {
		t.Fatalf("sign in: %d %s", in.StatusCode, in.Header.Get("Location"))
	}
	var session *http.Cookie
	for _, c := range in.Cookies() {
		if c.Name == "mh_reader" {
			session = c
		}
	}
	if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode || session.Path != "/" || session.MaxAge <= 0 {
		t.Fatalf("session cookie %+v", session)
	}
	account := b.get(t, "/account?done=welcome")
	mustContain(t, account.body, "You are signed in.", "Your account", "nora.reader@example.test", "Nora &lt;Reader&gt;", "Download my data", "Delete my account")

	t.Run("a link works once", func(t *testing.T) {
		again := b.get(t, link)
		if again.StatusCode != http.StatusGone {
			t.Errorf("reused link: %d", again.StatusCode)
		}
		mustContain(t, again.body, "This link no longer works", `action="/account/signin"`)
	})

	t.Run("signing out ends the session", func(t *testing.T) {
		out := b.submit(t, "/account", "/account/signout", url.Values{})
		if out.StatusCode != http.StatusSeeOther {
			t.Fatalf("sign out: %d", out.StatusCode)
		}
		mustContain(t, b.get(t, "/account?done=signedout").body, "You are signed out.", "<h1>Sign in</h1>")
		if _, err := rs.desk.ReaderSession(context.Background(), session.Value); err == nil {
			t.Error("the session outlived signing out")
		}
	})

	t.Run("signing in again", func(t *testing.T) {
		b.askLink(t, "nora.reader@example.test")
		link, msg := rs.mailedLink(t, "nora.reader@example.test")
		if !strings.Contains(msg.Body, "asked to sign in") {
			t.Errorf("mail for an account:\n%s", msg.Body)
		}
		confirm := b.get(t, link)
		mustContain(t, confirm.body, "Sign in as <strong>nora.reader@example.test</strong>")
		mustNotContain(t, confirm.body, `name="name"`)
		if res := b.submit(t, link, link, url.Values{}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("sign in again: %d", res.StatusCode)
		}
	})

	t.Run("the same answer for any address", func(t *testing.T) {
		other := rs.browser(t)
		// One at a time: the mail goes out in the background, so two
		// asked together may arrive in either order.
		known := other.askLink(t, "nora.reader@example.test")
		rs.mailedLink(t, "nora.reader@example.test")
		unknown := other.askLink(t, "nobody.yet@example.test")
		rs.mailedLink(t, "nobody.yet@example.test")
		if known.StatusCode != unknown.StatusCode ||
			strings.ReplaceAll(known.body, "nora.reader@example.test", "X") != strings.ReplaceAll(unknown.body, "nobody.yet@example.test", "X") {
			t.Error("the answer differs for an address with an account")
		}
	})
}

func TestReaderLinkRefusals(t *testing.T) {
	rs := newReaderSite(t)
	asker, other := rs.browser(t), rs.browser(t)

	asker.askLink(t, "ines@example.test")
	link, _ := rs.mailedLink(t, "ines@example.test")
	elsewhere := other.get(t, link)
	if elsewhere.StatusCode != http.StatusForbidden {
		t.Errorf("link in another browser: %d", elsewhere.StatusCode)
	}
	mustContain(t, elsewhere.body, "Open the link in the browser you asked from", `action="/account/signin"`)
	if res := other.submit(t, "/account", link, url.Values{"name": {"Mallory"}}); res.StatusCode != http.StatusForbidden || other.cookie("mh_reader") != nil {
		t.Errorf("posted from another browser: %d", res.StatusCode)
	}
	// The other browser did not spend it.
	asker.signInWith(t, link, "Ines")

	asker2 := rs.browser(t)
	asker2.askLink(t, "late@example.test")
	late, _ := rs.mailedLink(t, "late@example.test")
	rs.clock.Advance(newsroom.ReaderLinkTTL + time.Second)
	if res := asker2.get(t, late); res.StatusCode != http.StatusGone {
		t.Errorf("expired link: %d", res.StatusCode)
	}
}

func (b *browser) signInWith(t *testing.T, link, name string) {
	t.Helper()
	if res := b.submit(t, link, link, url.Values{"name": {name}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in: %d\n%s", res.StatusCode, res.body)
	}
}

func TestReaderLinkLimits(t *testing.T) {
	rs := newReaderSite(t)
	b := rs.browser(t)
	for i := range 5 {
		if res := b.askLink(t, "flood@example.test"); res.StatusCode != http.StatusOK {
			t.Fatalf("link %d: %d", i+1, res.StatusCode)
		}
	}
	over := b.askLink(t, "flood@example.test")
	if over.StatusCode != http.StatusTooManyRequests || over.Header.Get("Retry-After") == "" {
		t.Fatalf("sixth link for one address: %d", over.StatusCode)
	}
	mustContain(t, over.body, "Too many links asked for")
	// Per client: 20 in all, whatever the addresses.
	for i := range 15 {
		if res := b.askLink(t, "victim"+string(rune('a'+i))+"@example.test"); res.StatusCode != http.StatusOK {
			t.Fatalf("link %d: %d", i+6, res.StatusCode)
		}
	}
	if res := b.askLink(t, "another@example.test"); res.StatusCode != http.StatusTooManyRequests {
		t.Errorf("21st link from one client: %d", res.StatusCode)
	}
	rs.clock.Advance(time.Hour + time.Second)
	if res := b.askLink(t, "flood@example.test"); res.StatusCode != http.StatusOK {
		t.Errorf("an hour later: %d", res.StatusCode)
	}
	if err := rs.desk.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := rs.smtp.Pending(); n != 21 {
		t.Errorf("%d mails sent, want 21", n)
	}
}

func TestReaderCannotReachTheNewsroom(t *testing.T) {
	rs := newReaderSite(t)
	b := rs.browser(t)
	b.signIn(t, "reader@example.test", "Rea Der")
	token := b.cookie("mh_reader").Value
	for _, ck := range []*http.Cookie{{Name: "mh_reader", Value: token}, {Name: "mh_session", Value: token}} {
		req, _ := http.NewRequest("GET", rs.srv.URL+"/admin/", nil)
		req.AddCookie(ck)
		res := rs.browser(t).do(t, req)
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/admin/login") {
			t.Errorf("%s cookie at /admin/: %d %s", ck.Name, res.StatusCode, res.Header.Get("Location"))
		}
	}
}

func TestSignedInReaderComments(t *testing.T) {
	rs := newReaderSite(t)
	path := rs.article.URLPath()
	anonymous := rs.browser(t)
	page := anonymous.get(t, path)
	mustContain(t, page.body, `<a class="account-link" href="/account">Account</a>`, `href="/account?next=`+strings.ToLower(url.QueryEscape(path))+`%23respond"`, `name="email"`)
	if again := anonymous.get(t, path); again.Header.Get("X-Cache") != "HIT" {
		t.Errorf("anonymous article page not cached: %q", again.Header.Get("X-Cache"))
	}

	b := rs.browser(t)
	b.signIn(t, "kim@example.test", "Kim Commenter")
	mine := b.get(t, path)
	mustContain(t, mine.body, "Commenting as <strong>Kim Commenter</strong>")
	mustNotContain(t, mine.body, `name="email"`, `name="name"`)
	if mine.Header.Get("X-Cache") == "HIT" || !strings.Contains(mine.Header.Get("Cache-Control"), "private") {
		t.Errorf("personal page: X-Cache %q, Cache-Control %q", mine.Header.Get("X-Cache"), mine.Header.Get("Cache-Control"))
	}
	// The cached page is still everyone's.
	mustNotContain(t, anonymous.get(t, path).body, "Kim Commenter")
	// Other pages are the same for a signed-in reader and come from the cache.
	b.get(t, "/")
	if res := b.get(t, "/"); res.Header.Get("X-Cache") != "HIT" {
		t.Errorf("front page for a signed-in reader: X-Cache %q", res.Header.Get("X-Cache"))
	}

	// Name and email come from the account, whatever the form says.
	res := b.post(t, path+"/comments", url.Values{"comment": {"First words."}, "name": {"Someone Else"}, "email": {"else@example.test"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("comment: %d\n%s", res.StatusCode, res.body)
	}
	ctx := context.Background()
	list, err := rs.site.Store.ArticleThread(ctx, rs.article.ID)
	if err != nil || len(list) != 1 || list[0].Name != "Kim Commenter" || list[0].Email != "kim@example.test" || list[0].Status != news.CommentPending {
		t.Fatalf("stored %+v, %v", list, err)
	}
	if err := rs.site.Store.SetCommentStatus(ctx, list[0].ID, news.CommentApproved); err != nil {
		t.Fatal(err)
	}
	b.post(t, path+"/comments", url.Values{"comment": {"Straight through."}})
	mustContain(t, anonymous.get(t, path).body, "Straight through.", "Kim Commenter")
	mustContain(t, b.get(t, "/account").body, `href="`+path+`#comment-`, "First words.", "Straight through.")
}

func TestReaderEmailChange(t *testing.T) {
	rs := newReaderSite(t)
	b := rs.browser(t)
	b.signIn(t, "old@example.test", "Ola")
	res := b.submit(t, "/account", "/account/email", url.Values{"email": {"New@Example.test"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/account?done=emailsent" {
		t.Fatalf("ask to change: %d %s\n%s", res.StatusCode, res.Header.Get("Location"), res.body)
	}
	link, _ := rs.mailedLink(t, "new@example.test")
	if rs.browser(t).get(t, link).StatusCode != http.StatusForbidden {
		t.Error("a change-of-address link works in another browser")
	}
	mustContain(t, b.get(t, link).body, "Move your account from old@example.test to <strong>new@example.test</strong>")
	if res := b.submit(t, link, link, url.Values{}); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/account?done=email" {
		t.Fatalf("confirm: %d", res.StatusCode)
	}
	notice := rs.smtp.Next(t)
	if notice.To[0] != "old@example.test" || !strings.Contains(notice.Body, "changed to\nnew@example.test") {
		t.Errorf("notice to %v:\n%s", notice.To, notice.Body)
	}
	mustContain(t, b.get(t, "/account").body, "Signed in as <strong>new@example.test</strong>")

	// An address with an account of its own is not taken over.
	rs.browser(t).signIn(t, "taken@example.test", "Tak")
	b.submit(t, "/account", "/account/email", url.Values{"email": {"taken@example.test"}})
	link, _ = rs.mailedLink(t, "taken@example.test")
	if res := b.submit(t, link, link, url.Values{}); res.StatusCode != http.StatusConflict {
		t.Errorf("move onto an account: %d", res.StatusCode)
	}

	for _, bad := range []string{"new@example.test", "not an address"} {
		if res := b.submit(t, "/account", "/account/email", url.Values{"email": {bad}}); res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("change to %q: %d", bad, res.StatusCode)
		}
	}
}

func TestReaderData(t *testing.T) {
	rs := newReaderSite(t)
	// A comment from before the account joins it.
	rs.site.Comment(t, rs.article, &news.Comment{Name: "Dee", Email: "dee@example.test", Body: "Before my account."})
	b := rs.browser(t)
	b.signIn(t, "dee@example.test", "Dee Data")
	res := b.get(t, "/account/data.json")
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment") ||
		!strings.Contains(res.Header.Get("Cache-Control"), "no-store") {
		t.Fatalf("download: %d %v", res.StatusCode, res.Header)
	}
	var d newsroom.ReaderData
	if err := json.Unmarshal([]byte(res.body), &d); err != nil {
		t.Fatal(err)
	}
	if d.Account.Email != "dee@example.test" || d.Account.Name != "Dee Data" || len(d.Comments) != 1 || len(d.SignIns) != 1 ||
		d.Comments[0].ArticleURL != baseURL+rs.article.URLPath() || d.Comments[0].Text != "Before my account." {
		t.Errorf("data: %s", res.body)
	}
	if res := rs.browser(t).get(t, "/account/data.json"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("data without signing in: %d", res.StatusCode)
	}
}

func TestReaderAccountDeletion(t *testing.T) {
	for _, choice := range []string{"keep", "remove"} {
		t.Run(choice, func(t *testing.T) {
			rs := newReaderSite(t)
			ctx := context.Background()
			b := rs.browser(t)
			b.signIn(t, "gone@example.test", "Gail Gone")
			c := rs.site.Comment(t, rs.article, &news.Comment{Name: "Gail Gone", Email: "gone@example.test", Website: "https://gail.example.org", Body: "My words.", IP: "198.51.100.7"})
			if res := b.submit(t, "/account", "/account/delete", url.Values{"comments": {choice}}); res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("delete without confirming: %d", res.StatusCode)
			}
			res := b.submit(t, "/account", "/account/delete", url.Values{"comments": {choice}, "confirm": {"yes"}})
			if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/account?done=deleted" {
				t.Fatalf("delete: %d", res.StatusCode)
			}
			mustContain(t, b.get(t, "/account?done=deleted").body, "Your account is deleted", "<h1>Sign in</h1>")
			if _, err := rs.site.Store.ReaderByEmail(ctx, "gone@example.test"); err == nil {
				t.Error("the reader is still there")
			}
			got, err := rs.site.Store.Comment(ctx, c.ID)
			if choice == "remove" {
				if err == nil {
					t.Errorf("comment kept: %+v", got)
				}
				return
			}
			if err != nil || got.Name != news.DeletedReaderName || got.Email != "" || got.Website != "" || got.IP != "" || got.Body != "My words." {
				t.Errorf("kept comment %+v, %v", got, err)
			}
			page := rs.browser(t).get(t, rs.article.URLPath()).body
			mustContain(t, page, "deleted reader", "My words.")
			mustNotContain(t, page, "Gail Gone", "gail.example.org")
		})
	}
}

func TestReaderFormsNeedTheirToken(t *testing.T) {
	rs := newReaderSite(t)
	b := rs.browser(t)
	b.signIn(t, "csrf@example.test", "Cee")
	b.submit(t, "/account", "/account/email", url.Values{"email": {"csrf2@example.test"}})
	emailLink, _ := rs.mailedLink(t, "csrf2@example.test")
	asker := rs.browser(t)
	asker.askLink(t, "fresh@example.test")
	signinLink, _ := rs.mailedLink(t, "fresh@example.test")

	for _, tt := range []struct {
		who    *browser
		action string
		form   url.Values
	}{
		{asker, "/account/signin", url.Values{"email": {"x@example.test"}}},
		{asker, signinLink, url.Values{"name": {"Fresh"}}},
		{b, emailLink, url.Values{}},
		{b, "/account/email", url.Values{"email": {"y@example.test"}}},
		{b, "/account/name", url.Values{"name": {"Forged"}}},
		{b, "/account/delete", url.Values{"comments": {"remove"}, "confirm": {"yes"}}},
		{b, "/account/signout", url.Values{}},
	} {
		for _, token := range []string{"", "forged"} {
			tt.form.Set("csrf", token)
			if res := tt.who.post(t, tt.action, tt.form); res.StatusCode != http.StatusForbidden {
				t.Errorf("%s with token %q: %d", tt.action, token, res.StatusCode)
			}
		}
		// From another site, with the right token.
		page := tt.who.get(t, "/account")
		tt.form.Set("csrf", csrfField.FindStringSubmatch(page.body)[1])
		req, _ := http.NewRequest("POST", rs.srv.URL+tt.action, strings.NewReader(tt.form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		if res := tt.who.do(t, req); res.StatusCode != http.StatusForbidden {
			t.Errorf("%s from another site: %d", tt.action, res.StatusCode)
		}
	}
	mustContain(t, b.get(t, "/account").body, "csrf@example.test", "Cee")
	if err := rs.desk.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	if rs.smtp.Pending() != 0 {
		t.Error("a forged form sent mail")
	}
}

func TestReaderHostileAddresses(t *testing.T) {
	rs := newReaderSite(t)
	b := rs.browser(t)
	for _, bad := range []string{"victim@example.test\r\nBcc: everyone@example.test", "victim@example.test\nSubject: hi", "Name <a@example.test>", "not an address", "a@b@c", ""} {
		res := b.askLink(t, bad)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%q: %d", bad, res.StatusCode)
		}
		mustContain(t, res.body, "Enter your email address, like name@example.com.")
	}
	for _, s := range testutil.NaughtyStrings(t) {
		res := b.askLink(t, s)
		if res.StatusCode >= 500 {
			t.Errorf("%q: %d", s, res.StatusCode)
		}
	}
	if err := rs.desk.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	for rs.smtp.Pending() > 0 {
		if msg := rs.smtp.Next(t); len(msg.To) != 1 || strings.ContainsAny(msg.To[0], "\r\n <>") || msg.Header.Get("Bcc") != "" {
			t.Errorf("mail to %q", msg.To)
		}
	}
}
