package admin_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"maps"
	"mime"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"masthead/internal/admin"
	"masthead/internal/auth"
	"masthead/internal/mail"
	"masthead/internal/mail/mailtest"
	"masthead/internal/news"
	nr "masthead/internal/newsroom"
	"masthead/internal/render"
	"masthead/internal/testutil"
)

const newPassword = "a brand new passphrase"

// mailNewsroom is a newsroom whose mail goes to an SMTP server in the test
// process (or, with no server, to its log).
type mailNewsroom struct {
	*newsroom
	desk *nr.Service      // sends the mail, in the background for resets
	smtp *mailtest.Server // nil: mail is not configured
	logs *syncBuffer
}

func newMailNewsroom(t *testing.T, withSMTP bool) *mailNewsroom {
	t.Helper()
	site := testutil.NewSite(t)
	eng, err := render.New(time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	n := &mailNewsroom{logs: &syncBuffer{}}
	log := slog.New(slog.NewTextHandler(n.logs, nil))
	// The service needs the server's URL for the links it mails.
	var handler http.Handler
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handler.ServeHTTP(w, r) }))
	t.Cleanup(srv.Close)
	cfg := nr.Config{Location: time.UTC, BaseURL: srv.URL, Log: log}
	if withSMTP {
		n.smtp = mailtest.Start(t, mailtest.Options{})
		cfg.Mailer = &mail.SMTP{Addr: n.smtp.Addr, From: mail.Address{Name: "Gazette Newsroom", Email: "newsroom@gazette.test"}}
	}
	n.desk = nr.New(site.Store, cfg)
	handler = admin.New(n.desk, eng, log, admin.Config{Secret: []byte("test")}).Handler()
	t.Cleanup(func() {
		if err := n.desk.Wait(context.Background()); err != nil {
			t.Error(err)
		}
		if t.Failed() {
			t.Logf("server log:\n%s", n.logs)
		}
	})
	n.newsroom = &newsroom{site: site, srv: srv}
	return n
}

// syncBuffer is a log that mail sent in the background may write to while
// the test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

var linkPattern = regexp.MustCompile(`(http://[0-9.:]+)(/admin/(?:reset|invite)/([A-Za-z0-9_-]{43}))`)

// linkIn finds the one-time link in a message and checks it points at the
// site; it returns the link's path and token.
func (n *mailNewsroom) linkIn(t *testing.T, text string) (path, token string) {
	t.Helper()
	m := linkPattern.FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("no link in:\n%s", text)
	}
	if m[1] != n.srv.URL {
		t.Errorf("link on %s, want the base URL %s", m[1], n.srv.URL)
	}
	return m[2], m[3]
}

func (c *client) forgot(email string) page {
	c.t.Helper()
	c.get("/admin/forgot")
	return c.post("/admin/forgot", url.Values{"email": {email}})
}

func (c *client) setPassword(path, pw, again string) page {
	c.t.Helper()
	return c.post(path, url.Values{"password": {pw}, "password2": {again}})
}

func TestPasswordResetByEmail(t *testing.T) {
	n := newMailNewsroom(t, true)
	u := n.site.Staff(t, "Rita Reset", news.RoleEditor, password)
	other := n.browser(t) // signed in elsewhere: the reset signs it out
	if res := other.login(u.Email, password); res.status != http.StatusSeeOther {
		t.Fatalf("login: %d", res.status)
	}
	locked := n.browser(t) // locked out by failures: the reset lets it in
	for range 5 {
		locked.login(u.Email, "not the password")
	}
	if res := locked.login(u.Email, password); res.status != http.StatusTooManyRequests {
		t.Fatalf("not locked: %d", res.status)
	}

	c := n.browser(t)
	if res := c.get("/admin/login"); !strings.Contains(res.body, `href="/admin/forgot"`) {
		t.Error("the sign-in page does not link to /admin/forgot")
	}
	res := c.forgot(strings.ToUpper(u.Email))
	if res.status != http.StatusOK || !strings.Contains(res.body, "If an account exists for that address, we have sent it a link") {
		t.Fatalf("forgot: %d\n%s", res.status, res.body)
	}
	if strings.Contains(res.body, "Mail is not configured") {
		t.Error("claims mail is not configured")
	}
	msg := n.smtp.Next(t)
	to, err := msg.Header.AddressList("To")
	if err != nil || len(to) != 1 || to[0].Address != u.Email || to[0].Name != u.Name {
		t.Errorf("To = %v (%v)", to, err)
	}
	if subject := msg.Header.Get("Subject"); subject != "Reset your password at The Test Gazette" {
		t.Errorf("Subject = %q", subject)
	}
	path, token := n.linkIn(t, msg.Body)
	if !strings.HasPrefix(path, "/admin/reset/") {
		t.Fatalf("link %s", path)
	}
	// The link lives an hour.
	ctx, hash := context.Background(), auth.HashToken(token)
	if _, err := n.site.Store.PeekStaffToken(ctx, hash, "reset", time.Now().Add(59*time.Minute)); err != nil {
		t.Errorf("link dead within the hour: %v", err)
	}
	if _, err := n.site.Store.PeekStaffToken(ctx, hash, "reset", time.Now().Add(61*time.Minute)); !errors.Is(err, news.ErrNotFound) {
		t.Errorf("link alive after an hour: %v", err)
	}

	form := c.get(path)
	if form.status != http.StatusOK || !strings.Contains(form.body, "Choose a new password") || !strings.Contains(form.body, u.Email) ||
		!strings.Contains(form.body, "revokes your application passwords") {
		t.Fatalf("reset form: %d\n%s", form.status, form.body)
	}
	if got := form.header.Get("Referrer-Policy"); got != "no-referrer" {
		t.Errorf("Referrer-Policy = %q", got)
	}
	slow := n.browser(t) // opens the same link, submits after c
	slow.get(path)

	for _, tt := range []struct {
		name, pw, again string
		status          int
		want            string
	}{
		{"mismatch", newPassword, newPassword + "!", http.StatusUnprocessableEntity, "not the same"},
		{"too short", "short", "short", http.StatusUnprocessableEntity, "at least 10 characters"},
	} {
		if res := c.setPassword(path, tt.pw, tt.again); res.status != tt.status || !strings.Contains(res.body, tt.want) {
			t.Errorf("%s: %d, want %d with %q", tt.name, res.status, tt.status, tt.want)
		}
	}
	if res := n.browser(t).do("POST", path, url.Values{"password": {newPassword}, "password2": {newPassword}}); res.status != http.StatusForbidden {
		t.Errorf("without the form's token: %d", res.status)
	}

	res = c.setPassword(path, newPassword, newPassword)
	if res.status != http.StatusSeeOther || res.location != "/admin/?done=password" {
		t.Fatalf("set password: %d %q\n%s", res.status, res.location, res.body)
	}
	if home := c.get(res.location); home.status != http.StatusOK || !strings.Contains(home.body, "Your new password is set") || !strings.Contains(home.body, "Rita Reset") {
		t.Errorf("signed in after the reset: %d", home.status)
	}
	if res := other.get("/admin/"); res.status != http.StatusSeeOther {
		t.Errorf("a session from before the reset survived: %d", res.status)
	}
	if res := n.browser(t).login(u.Email, password); res.status != http.StatusUnauthorized {
		t.Errorf("old password: %d", res.status)
	}
	if res := locked.login(u.Email, newPassword); res.status != http.StatusSeeOther {
		t.Errorf("new password from the locked-out browser: %d", res.status)
	}

	// The link works once.
	if res := slow.setPassword(path, "yet another passphrase", "yet another passphrase"); res.status != http.StatusGone || !strings.Contains(res.body, "already been used") {
		t.Errorf("second use of the link: %d", res.status)
	}
	if res := c.get(path); res.status != http.StatusGone || !strings.Contains(res.body, `href="/admin/forgot"`) {
		t.Errorf("spent link: %d", res.status)
	}
	if res := n.browser(t).login(u.Email, newPassword); res.status != http.StatusSeeOther {
		t.Errorf("the spent link changed the password: %d", res.status)
	}
}

func TestExpiredResetLinkFails(t *testing.T) {
	n := newMailNewsroom(t, true)
	u := n.site.Staff(t, "Ed Expired", news.RoleAuthor, password)
	token, hash := auth.NewToken()
	if err := n.site.Store.CreateStaffToken(context.Background(), hash, u.ID, "reset", time.Now().Add(-time.Minute)); err != nil {
		t.Fatal(err)
	}
	c := n.browser(t)
	for _, path := range []string{"/admin/reset/" + token, "/admin/reset/not-a-token", "/admin/invite/" + token} {
		if res := c.get(path); res.status != http.StatusGone || !strings.Contains(res.body, "This link no longer works") {
			t.Errorf("GET %s: %d", path, res.status)
		}
	}
	c.get("/admin/forgot") // a valid form token, so only the link is wrong
	if res := c.setPassword("/admin/reset/"+token, newPassword, newPassword); res.status != http.StatusGone {
		t.Errorf("POST with an expired link: %d", res.status)
	}
	if res := n.browser(t).login(u.Email, password); res.status != http.StatusSeeOther {
		t.Errorf("the expired link changed the password: %d", res.status)
	}
}

func TestForgotAnswersTheSameForUnknownEmail(t *testing.T) {
	n := newMailNewsroom(t, true)
	u := n.site.Staff(t, "Kim Known", news.RoleAuthor, password)
	c := n.browser(t)
	unknown := c.forgot("nobody@example.test")
	known := c.forgot(u.Email)
	if unknown.status != http.StatusOK || unknown.status != known.status || unknown.body != known.body {
		t.Errorf("answers differ: %d vs %d\n%s\n---\n%s", unknown.status, known.status, unknown.body, known.body)
	}
	// Only the account's owner got mail.
	if msg := n.smtp.Next(t); len(msg.To) != 1 || msg.To[0] != u.Email {
		t.Errorf("mail went to %q", msg.To)
	}
	if res := c.forgot("not an address"); res.status != http.StatusUnprocessableEntity {
		t.Errorf("malformed address: %d", res.status)
	}

	// Three requests an hour per address asked about, known or not.
	for i := 2; i <= 4; i++ {
		k, u2 := c.forgot(u.Email), c.forgot("nobody@example.test")
		want := http.StatusOK
		if i == 4 {
			want = http.StatusTooManyRequests
		}
		if k.status != want || u2.status != want {
			t.Errorf("request %d: known %d, unknown %d; want %d", i, k.status, u2.status, want)
		}
		if i == 4 && (k.header.Get("Retry-After") == "" || !strings.Contains(k.body, "Too many reset requests")) {
			t.Errorf("limited answer: Retry-After %q\n%s", k.header.Get("Retry-After"), k.body)
		}
	}
	n.smtp.Next(t)
	n.smtp.Next(t)
	// Ten an hour per client address, whatever the email.
	for i := range 4 {
		if res := c.forgot("someone" + string(rune('a'+i)) + "@example.test"); res.status != http.StatusOK {
			t.Errorf("address request %d: %d", 7+i, res.status)
		}
	}
	if res := c.forgot("one-too-many@example.test"); res.status != http.StatusTooManyRequests {
		t.Errorf("11th request from one address: %d", res.status)
	}
	if err := n.desk.Wait(context.Background()); err != nil || n.smtp.Pending() != 0 {
		t.Errorf("unexpected mail: %d (%v)", n.smtp.Pending(), err)
	}
}

func TestInvitationByEmail(t *testing.T) {
	n := newMailNewsroom(t, true)
	boss, _ := n.signedIn(t, "Ada Admin", news.RoleAdmin)
	editor, _ := n.signedIn(t, "Eve Editor", news.RoleEditor)
	if res := boss.get("/admin/staff"); !strings.Contains(res.body, `action="/admin/staff/invite"`) {
		t.Fatal("no invitation form on the staff page")
	}
	invite := url.Values{"email": {"  Zoe.Nunez@Example.test "}, "name": {"Zoë Ångström-Núñez"}, "role": {"editor"}, "job_title": {"Night editor"}}
	if res := editor.post("/admin/staff/invite", maps.Clone(invite)); res.status != http.StatusForbidden {
		t.Errorf("an editor invited someone: %d", res.status)
	}
	bad := url.Values{"email": {"zoe at example"}, "name": {"Zoë"}, "role": {"editor"}}
	if res := boss.post("/admin/staff/invite", bad); res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "Enter an email address") || !strings.Contains(res.body, `value="Zoë"`) {
		t.Errorf("invalid invitation: %d", res.status)
	}

	res := boss.post("/admin/staff/invite", maps.Clone(invite))
	if res.status != http.StatusSeeOther || res.location != "/admin/staff?done=invited" {
		t.Fatalf("invite: %d %q\n%s", res.status, res.location, res.body)
	}
	if list := boss.get(res.location); !strings.Contains(list.body, "Invitation sent.") || !strings.Contains(list.body, "Zoë Ångström-Núñez") {
		t.Error("the staff page does not show the invitation")
	}
	msg := n.smtp.Next(t)
	to, err := msg.Header.AddressList("To")
	if err != nil || len(to) != 1 || to[0].Address != "zoe.nunez@example.test" || to[0].Name != "Zoë Ångström-Núñez" {
		t.Errorf("To = %v (%v)", to, err)
	}
	var dec mime.WordDecoder
	if subject, _ := dec.DecodeHeader(msg.Header.Get("Subject")); subject != "Your invitation to join The Test Gazette" {
		t.Errorf("Subject = %q", subject)
	}
	if !strings.Contains(msg.Body, "Ada Admin has invited you") || !strings.Contains(msg.Body, "as an editor") {
		t.Errorf("body:\n%s", msg.Body)
	}
	path, token := n.linkIn(t, msg.Body)
	if !strings.HasPrefix(path, "/admin/invite/") {
		t.Fatalf("link %s", path)
	}
	ctx, hash := context.Background(), auth.HashToken(token)
	if _, err := n.site.Store.PeekStaffToken(ctx, hash, "invite", time.Now().Add(7*24*time.Hour-time.Hour)); err != nil {
		t.Errorf("invitation dead within 7 days: %v", err)
	}
	if _, err := n.site.Store.PeekStaffToken(ctx, hash, "invite", time.Now().Add(7*24*time.Hour+time.Hour)); !errors.Is(err, news.ErrNotFound) {
		t.Errorf("invitation alive after 7 days: %v", err)
	}
	if _, err := n.site.Store.PeekStaffToken(ctx, hash, "reset", time.Now()); !errors.Is(err, news.ErrNotFound) {
		t.Error("an invitation link works as a reset link")
	}

	// Until they accept, the account has no password to sign in with.
	if res := n.browser(t).login("zoe.nunez@example.test", ""); res.status != http.StatusUnauthorized {
		t.Errorf("sign-in without a password: %d", res.status)
	}
	zoe := n.browser(t)
	form := zoe.get(path)
	if form.status != http.StatusOK || !strings.Contains(form.body, "Join The Test Gazette") || !strings.Contains(form.body, "invited as editor") {
		t.Fatalf("invitation page: %d\n%s", form.status, form.body)
	}
	res = zoe.setPassword(path, newPassword, newPassword)
	if res.status != http.StatusSeeOther || res.location != "/admin/?done=welcome" {
		t.Fatalf("accept: %d %q\n%s", res.status, res.location, res.body)
	}
	if home := zoe.get(res.location); !strings.Contains(home.body, "Welcome! Your password is set") || !strings.Contains(home.body, "(editor)") {
		t.Errorf("dashboard after accepting: %d", home.status)
	}
	// Signing in again gives the role they were invited with.
	again := n.browser(t)
	if res := again.login("zoe.nunez@example.test", newPassword); res.status != http.StatusSeeOther {
		t.Fatalf("sign in with the chosen password: %d", res.status)
	}
	if res := again.get("/admin/comments"); res.status != http.StatusOK {
		t.Errorf("the invited editor cannot moderate: %d", res.status)
	}
	if res := again.get("/admin/staff"); res.status != http.StatusForbidden {
		t.Errorf("the invited editor manages staff: %d", res.status)
	}
	if res := n.browser(t).get(path); res.status != http.StatusGone {
		t.Errorf("the invitation works twice: %d", res.status)
	}

	// Inviting an address that already has an account says so.
	boss.get("/admin/staff")
	res = boss.post("/admin/staff/invite", maps.Clone(invite))
	if res.status != http.StatusConflict || !strings.Contains(res.body, "zoe.nunez@example.test already has an account") {
		t.Errorf("re-invite an account: %d\n%s", res.status, res.body)
	}
	// Inviting someone who never accepted sends a fresh link.
	pending := url.Values{"email": {"pat@example.test"}, "name": {"Pat Pending"}, "role": {"contributor"}}
	boss.post("/admin/staff/invite", maps.Clone(pending))
	first, _ := n.linkIn(t, n.smtp.Next(t).Body)
	res = boss.post("/admin/staff/invite", maps.Clone(pending))
	if res.status != http.StatusSeeOther || res.location != "/admin/staff?done=reinvited" {
		t.Fatalf("re-invite a pending account: %d %q", res.status, res.location)
	}
	if list := boss.get(res.location); !strings.Contains(list.body, "a new invitation was sent") {
		t.Error("no message for a repeated invitation")
	}
	second, _ := n.linkIn(t, n.smtp.Next(t).Body)
	if first == second {
		t.Error("the repeated invitation reused the link")
	}
	if res := n.browser(t).get(first); res.status != http.StatusGone || !strings.Contains(res.body, "replaced by a newer one") {
		t.Errorf("the first invitation still opens: %d", res.status)
	}
	if msg := n.smtp.Pending(); msg != 0 {
		t.Errorf("%d unexpected messages", msg)
	}
}

func TestInvitationMailFailure(t *testing.T) {
	site := testutil.NewSite(t)
	eng, err := render.New(time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := ln.Addr().String()
	ln.Close() // nothing listens there now
	logs := &syncBuffer{}
	log := slog.New(slog.NewTextHandler(logs, nil))
	desk := nr.New(site.Store, nr.Config{Location: time.UTC, BaseURL: "https://gazette.test", Log: log,
		Mailer: &mail.SMTP{Addr: dead, From: mail.Address{Email: "newsroom@gazette.test"}}})
	h := admin.New(desk, eng, log, admin.Config{Secret: []byte("test")})
	srv := httptest.NewServer(h.Handler())
	t.Cleanup(srv.Close)
	n := &newsroom{site: site, srv: srv}
	boss, _ := n.signedIn(t, "Ada Admin", news.RoleAdmin)
	res := boss.post("/admin/staff/invite", url.Values{"email": {"sam@example.test"}, "name": {"Sam Sent"}, "role": {"author"}})
	if res.status != http.StatusBadGateway || !strings.Contains(res.body, "the invitation could not be sent") || !strings.Contains(res.body, `value="sam@example.test"`) {
		t.Errorf("invite with mail down: %d\n%s", res.status, res.body)
	}
	if !strings.Contains(logs.String(), "send invitation") {
		t.Errorf("the failure is not logged:\n%s", logs)
	}
}

func TestMailNotConfigured(t *testing.T) {
	n := newMailNewsroom(t, false)
	u := n.site.Staff(t, "Lou Logged", news.RoleAdmin, password)
	c := n.browser(t)
	res := c.forgot(u.Email)
	if res.status != http.StatusOK || !strings.Contains(res.body, "Mail is not configured; the link was written to the server log.") {
		t.Fatalf("forgot without mail: %d\n%s", res.status, res.body)
	}
	// The reset link is in the log once the background send is done, and works.
	if err := n.desk.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	m := linkPattern.FindStringSubmatch(n.logs.String())
	if m == nil || !strings.Contains(n.logs.String(), "mail is not configured") {
		t.Fatalf("no reset link in the log:\n%s", n.logs)
	}
	path := m[2]
	c.get(path)
	if res := c.setPassword(path, newPassword, newPassword); res.status != http.StatusSeeOther {
		t.Fatalf("reset from the logged link: %d", res.status)
	}

	c.get("/admin/staff")
	res = c.post("/admin/staff/invite", url.Values{"email": {"new@example.test"}, "name": {"Nia New"}, "role": {"author"}})
	if res.status != http.StatusSeeOther || res.location != "/admin/staff?done=invited-logged" {
		t.Fatalf("invite without mail: %d %q", res.status, res.location)
	}
	if list := c.get(res.location); !strings.Contains(list.body, "Account created. Mail is not configured; the link was written to the server log.") {
		t.Error("the staff page does not say where the invitation went")
	}
	if !strings.Contains(n.logs.String(), "/admin/invite/") {
		t.Errorf("no invitation link in the log:\n%s", n.logs)
	}
}
