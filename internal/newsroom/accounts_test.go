package newsroom_test

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"masthead/internal/auth"
	"masthead/internal/clock"
	"masthead/internal/mail"
	"masthead/internal/news"
	"masthead/internal/newsroom"
	"masthead/internal/testutil"
)

const staffPassword = "a long password"

// mailbox is a Mailer that keeps what it is given, or refuses it all.
type mailbox struct {
	mu   sync.Mutex
	sent []mail.Message
	down bool // the mail server refuses everything
}

func (m *mailbox) Send(ctx context.Context, msg mail.Message) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.down {
		return errors.New("connection refused")
	}
	m.sent = append(m.sent, msg)
	return nil
}

// take returns the messages sent since the last take.
func (m *mailbox) take() []mail.Message {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := m.sent
	m.sent = nil
	return out
}

var linkToken = regexp.MustCompile(`https://gazette\.test/admin/(reset|invite)/([A-Za-z0-9_-]{43})`)

// tokenIn is the one-time link's token in a message, checked to be for purpose.
func tokenIn(t *testing.T, msg mail.Message, purpose newsroom.LinkPurpose) string {
	t.Helper()
	m := linkToken.FindStringSubmatch(msg.Body)
	if m == nil || m[1] != string(purpose) {
		t.Fatalf("no %s link in:\n%s", purpose, msg.Body)
	}
	return m[2]
}

// accountsDesk is a newsroom whose clock and mail the test holds.
type accountsDesk struct {
	site  *testutil.Site
	desk  *newsroom.Service
	clock *clock.Manual
	mail  *mailbox
	staff map[news.Role]news.Actor // one member of staff per role
}

func newAccountsDesk(t *testing.T) *accountsDesk {
	t.Helper()
	return newAccountsDeskOn(t, testutil.SiteBackend())
}

// newAccountsDeskOn is newAccountsDesk on backend b.
func newAccountsDeskOn(t *testing.T, b testutil.Backend) *accountsDesk {
	t.Helper()
	site := testutil.NewSiteOn(t, b)
	d := &accountsDesk{site: site, clock: clock.NewManual(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)), mail: &mailbox{}}
	d.desk = newsroom.New(site.Store, newsroom.Config{Location: time.UTC, Clock: d.clock, BaseURL: "https://gazette.test", Mailer: d.mail})
	d.staff = site.StaffByRole(t, "Staff", staffPassword)
	return d
}

// sent waits for mail sent in the background and returns it.
func (d *accountsDesk) sent(t *testing.T) []mail.Message {
	t.Helper()
	if err := d.desk.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	return d.mail.take()
}

func TestStaffPermissions(t *testing.T) {
	ctx := context.Background()
	d := newAccountsDesk(t)
	target := d.site.Staff(t, "Ted Target", news.RoleAuthor, staffPassword)
	tests := []struct {
		role    news.Role
		allowed bool
	}{
		{news.RoleContributor, false},
		{news.RoleAuthor, false},
		{news.RoleEditor, false},
		{news.RoleAdmin, true},
	}
	for _, tt := range tests {
		t.Run(string(tt.role), func(t *testing.T) {
			actor := d.staff[tt.role]
			if got := d.desk.Abilities(actor).ManageStaff; got != tt.allowed {
				t.Errorf("Abilities.ManageStaff = %v", got)
			}
			_, err := d.desk.Staff(ctx, actor)
			if got := err == nil; got != tt.allowed {
				t.Errorf("Staff: %v", err)
			}
			err = d.desk.ChangeRole(ctx, actor, target.ID, news.RoleEditor)
			if got := err == nil; got != tt.allowed || (!tt.allowed && !errors.Is(err, news.ErrForbidden)) {
				t.Errorf("ChangeRole: %v", err)
			}
			_, err = d.desk.Invite(ctx, actor, &newsroom.NewStaff{Email: string(tt.role) + "-invitee@example.test", Name: "Ivy Invitee", Role: news.RoleAuthor})
			if got := err == nil; got != tt.allowed || (!tt.allowed && !errors.Is(err, news.ErrForbidden)) {
				t.Errorf("Invite: %v", err)
			}
		})
	}
	if sent := d.mail.take(); len(sent) != 1 {
		t.Errorf("%d invitations sent, want the administrator's one", len(sent))
	}
}

func TestLastAdministratorKeepsTheRole(t *testing.T) {
	ctx := context.Background()
	d := newAccountsDesk(t)
	boss := d.staff[news.RoleAdmin]
	tests := []struct {
		name string
		id   int64
		role news.Role
		want error
	}{
		{"unknown role", boss.ID, "overlord", news.FieldErrors{}},
		{"unknown account", 999999, news.RoleEditor, news.ErrNotFound},
		{"the last administrator steps down", boss.ID, news.RoleEditor, newsroom.ErrLastAdmin},
		{"an administrator keeps the role", boss.ID, news.RoleAdmin, nil},
		{"an editor is promoted", d.staff[news.RoleEditor].ID, news.RoleAdmin, nil},
		{"one of two administrators steps down", boss.ID, news.RoleEditor, nil},
	}
	for _, tt := range tests {
		err := d.desk.ChangeRole(ctx, boss, tt.id, tt.role)
		var fe news.FieldErrors
		switch {
		case tt.want == nil && err != nil, tt.want != nil && err == nil:
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
		case tt.want != nil && errors.As(tt.want, &fe):
			if !errors.As(err, &fe) || fe["role"] == "" {
				t.Errorf("%s: %v, want a message about the role", tt.name, err)
			}
		case tt.want != nil && !errors.Is(err, tt.want):
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
		}
	}
	if !errors.Is(newsroom.ErrLastAdmin, news.ErrConflict) {
		t.Error("ErrLastAdmin is not a conflict")
	}
}

func TestSignInThrottling(t *testing.T) {
	ctx := context.Background()
	d := newAccountsDesk(t)
	u := d.site.Staff(t, "Tia Throttle", news.RoleEditor, staffPassword)
	from := newsroom.Client{IP: "192.0.2.1", UserAgent: "Test browser"}
	for i := range 5 {
		if _, err := d.desk.SignIn(ctx, u.Email, "not the password", from); !errors.Is(err, newsroom.ErrBadCredentials) {
			t.Fatalf("failure %d: %v", i+1, err)
		}
		d.clock.Advance(time.Minute)
	}
	// Locked: even the right password waits until the latest failure is
	// 15 minutes old.
	_, err := d.desk.SignIn(ctx, strings.ToUpper(u.Email), staffPassword, from)
	var te *newsroom.ThrottledError
	if !errors.As(err, &te) || te.RetryAfter != 14*time.Minute || te.Message != "Too many failed attempts. Try again in 14 minutes, or reset your password." {
		t.Fatalf("after 5 failures: %v", err)
	}
	// Another account from the same address is not locked.
	if _, err := d.desk.SignIn(ctx, d.site.Staff(t, "Vic Other", news.RoleAuthor, staffPassword).Email, staffPassword, from); err != nil {
		t.Errorf("another account: %v", err)
	}
	d.clock.Advance(14 * time.Minute)
	in, err := d.desk.SignIn(ctx, u.Email, staffPassword, from)
	if err != nil {
		t.Fatalf("once the window has passed: %v", err)
	}
	if in.Staff.ID != u.ID || in.Token == "" || in.Lifetime != 14*24*time.Hour {
		t.Errorf("signed in: %+v", in)
	}
	// Signing in forgives the client's failures: four more do not lock it.
	for range 4 {
		d.desk.SignIn(ctx, u.Email, "not the password", from)
	}
	if _, err := d.desk.SignIn(ctx, u.Email, staffPassword, from); err != nil {
		t.Errorf("failures before a sign-in still counted: %v", err)
	}

	// Twenty failures from one address lock it, whatever the account.
	bot := newsroom.Client{IP: "198.51.100.7"}
	for i := range 20 {
		d.desk.SignIn(ctx, "nobody"+string(rune('a'+i))+"@example.test", "guess", bot)
	}
	if _, err := d.desk.SignIn(ctx, u.Email, staffPassword, bot); !errors.As(err, &te) {
		t.Errorf("21st attempt from one address: %v", err)
	}
	// An invited account without a password cannot sign in.
	inv, err := d.desk.Invite(ctx, d.staff[news.RoleAdmin], &newsroom.NewStaff{Email: "pat@example.test", Name: "Pat Pending", Role: news.RoleAuthor})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.desk.SignIn(ctx, inv.Staff.Email, "", from); !errors.Is(err, newsroom.ErrBadCredentials) {
		t.Errorf("sign-in without a password: %v", err)
	}
}

func TestSessions(t *testing.T) {
	ctx := context.Background()
	d := newAccountsDesk(t)
	u := d.site.Staff(t, "Sam Session", news.RoleAuthor, staffPassword)
	actor := news.Actor{ID: u.ID, Role: u.Role}
	signIn := func() *newsroom.SignedIn {
		t.Helper()
		in, err := d.desk.SignIn(ctx, u.Email, staffPassword, newsroom.Client{IP: "192.0.2.1", UserAgent: "Test browser"})
		if err != nil {
			t.Fatal(err)
		}
		return in
	}
	live := func(in *newsroom.SignedIn) bool {
		t.Helper()
		sess, err := d.desk.Session(ctx, in.Token)
		if err != nil && !errors.Is(err, news.ErrNotFound) {
			t.Fatal(err)
		}
		return err == nil && sess.Staff.ID == u.ID
	}
	a, b := signIn(), signIn()
	if !live(a) || !live(b) {
		t.Fatal("new sessions are not live")
	}
	if _, err := d.desk.Session(ctx, "not a token"); !errors.Is(err, news.ErrNotFound) {
		t.Errorf("unknown token: %v", err)
	}
	sess, _ := d.desk.Session(ctx, a.Token)
	if err := d.desk.SignOut(ctx, sess); err != nil {
		t.Fatal(err)
	}
	if live(a) || !live(b) {
		t.Error("signing out ended the wrong session")
	}
	if err := d.desk.SignOutEverywhere(ctx, actor); err != nil {
		t.Fatal(err)
	}
	if live(b) {
		t.Error("a session survived signing out everywhere")
	}
	c := signIn()
	d.clock.Advance(14*24*time.Hour - time.Minute)
	if !live(c) {
		t.Error("the session ended within 14 days")
	}
	d.clock.Advance(2 * time.Minute)
	if live(c) {
		t.Error("the session outlived 14 days")
	}
}

func TestPasswordReset(t *testing.T) {
	ctx := context.Background()
	d := newAccountsDesk(t)
	u := d.site.Staff(t, "Rita Reset", news.RoleEditor, staffPassword)
	from := newsroom.Client{IP: "192.0.2.1"}
	elsewhere, err := d.desk.SignIn(ctx, u.Email, staffPassword, from)
	if err != nil {
		t.Fatal(err)
	}

	var fe news.FieldErrors
	if err := d.desk.RequestPasswordReset(ctx, "not an address", from); !errors.As(err, &fe) || fe["email"] == "" {
		t.Errorf("malformed address: %v", err)
	}
	for _, email := range []string{"nobody@example.test", " " + strings.ToUpper(u.Email)} {
		if err := d.desk.RequestPasswordReset(ctx, email, from); err != nil {
			t.Fatalf("reset %q: %v", email, err)
		}
	}
	sent := d.sent(t)
	if len(sent) != 1 || sent[0].To.Email != u.Email || sent[0].Subject != "Reset your password at The Test Gazette" ||
		!strings.Contains(sent[0].Body, "address 192.0.2.1") {
		t.Fatalf("sent %+v, want one reset to %s", sent, u.Email)
	}
	token := tokenIn(t, sent[0], newsroom.LinkReset)
	if _, err := d.desk.LinkOwner(ctx, newsroom.LinkInvite, token); !errors.Is(err, news.ErrNotFound) {
		t.Errorf("a reset link works as an invitation: %v", err)
	}
	if owner, err := d.desk.LinkOwner(ctx, newsroom.LinkReset, token); err != nil || owner.ID != u.ID {
		t.Fatalf("link owner: %v, %v", owner, err)
	}

	for _, tt := range []struct{ name, pw, again string }{
		{"too short", "short", "short"},
		{"not the same twice", "a brand new passphrase", "a brand new passphrase!"},
	} {
		if _, err := d.desk.UseLink(ctx, newsroom.LinkReset, token, tt.pw, tt.again, from); !errors.As(err, &fe) || fe["password"] == "" {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
	// Lock the account out; the reset lifts the lock.
	for range 5 {
		d.desk.SignIn(ctx, u.Email, "not the password", newsroom.Client{IP: "203.0.113.9"})
	}
	d.clock.Advance(59 * time.Minute)
	in, err := d.desk.UseLink(ctx, newsroom.LinkReset, token, "a brand new passphrase", "a brand new passphrase", from)
	if err != nil || in.Staff.ID != u.ID {
		t.Fatalf("use the link within the hour: %v", err)
	}
	if _, err := d.desk.Session(ctx, elsewhere.Token); !errors.Is(err, news.ErrNotFound) {
		t.Errorf("a session from before the reset survived: %v", err)
	}
	if _, err := d.desk.SignIn(ctx, u.Email, "a brand new passphrase", newsroom.Client{IP: "203.0.113.9"}); err != nil {
		t.Errorf("the new password from the locked-out address: %v", err)
	}
	if _, err := d.desk.UseLink(ctx, newsroom.LinkReset, token, "yet another passphrase", "yet another passphrase", from); !errors.Is(err, news.ErrNotFound) {
		t.Errorf("the link worked twice: %v", err)
	}

	// A link lives an hour.
	if err := d.desk.RequestPasswordReset(ctx, u.Email, newsroom.Client{IP: "192.0.2.2"}); err != nil {
		t.Fatal(err)
	}
	late := tokenIn(t, d.sent(t)[0], newsroom.LinkReset)
	d.clock.Advance(61 * time.Minute)
	if _, err := d.desk.LinkOwner(ctx, newsroom.LinkReset, late); !errors.Is(err, news.ErrNotFound) {
		t.Errorf("the link outlived the hour: %v", err)
	}
}

func TestPasswordResetLimits(t *testing.T) {
	ctx := context.Background()
	d := newAccountsDesk(t)
	u := d.site.Staff(t, "Kim Known", news.RoleAuthor, staffPassword)
	tests := []struct {
		name      string
		email, ip string
		throttled bool
	}{
		{"1st for the account", u.Email, "192.0.2.1", false},
		{"2nd, from another address", u.Email, "192.0.2.2", false},
		{"3rd", u.Email, "192.0.2.3", false},
		{"4th within the hour", u.Email, "192.0.2.4", true},
		{"an unknown address, 1st", "nobody@example.test", "198.51.100.1", false},
		{"an unknown address, 2nd", "nobody@example.test", "198.51.100.1", false},
		{"an unknown address, 3rd", "nobody@example.test", "198.51.100.1", false},
		{"an unknown address, 4th", "nobody@example.test", "198.51.100.1", true},
	}
	// Ten an hour from one client address, whatever the email: three so far.
	for i := 4; i <= 11; i++ {
		tests = append(tests, struct {
			name      string
			email, ip string
			throttled bool
		}{fmt.Sprintf("one client address, request %d", i), fmt.Sprintf("someone%d@example.test", i), "198.51.100.1", i == 11})
	}
	for _, tt := range tests {
		err := d.desk.RequestPasswordReset(ctx, tt.email, newsroom.Client{IP: tt.ip})
		var te *newsroom.ThrottledError
		if got := errors.As(err, &te); got != tt.throttled || (!got && err != nil) {
			t.Errorf("%s: %v", tt.name, err)
		}
		if te != nil && (te.RetryAfter <= 0 || !strings.HasPrefix(te.Message, "Too many reset requests. Try again in")) {
			t.Errorf("%s: %+v", tt.name, te)
		}
	}
	if sent := d.sent(t); len(sent) != 3 {
		t.Errorf("%d resets sent, want 3", len(sent))
	}
	d.clock.Advance(time.Hour + time.Second)
	if err := d.desk.RequestPasswordReset(ctx, u.Email, newsroom.Client{IP: "192.0.2.4"}); err != nil {
		t.Errorf("an hour later: %v", err)
	}
	d.sent(t)
}

func TestInvitations(t *testing.T) {
	ctx := context.Background()
	d := newAccountsDesk(t)
	boss := d.staff[news.RoleAdmin]
	n := &newsroom.NewStaff{Email: "  Zoe.Nunez@Example.test ", Name: " Zoë   Ångström-Núñez ", Role: news.RoleEditor, JobTitle: " Night editor "}
	inv, err := d.desk.Invite(ctx, boss, n)
	if err != nil || inv.Again {
		t.Fatalf("invite: %+v, %v", inv, err)
	}
	if n.Email != "zoe.nunez@example.test" || n.Name != "Zoë Ångström-Núñez" || n.JobTitle != "Night editor" {
		t.Errorf("not tidied: %+v", n)
	}
	sent := d.mail.take()
	if len(sent) != 1 || sent[0].To != (mail.Address{Name: "Zoë Ångström-Núñez", Email: "zoe.nunez@example.test"}) ||
		sent[0].Subject != "Your invitation to join The Test Gazette" ||
		!strings.Contains(sent[0].Body, "Staff admin has invited you to join the newsroom of The Test Gazette, as an editor.") ||
		!strings.Contains(sent[0].Body, "until 9 March 2026, 09:00 UTC") {
		t.Fatalf("invitation: %+v", sent)
	}
	first := tokenIn(t, sent[0], newsroom.LinkInvite)

	// Until accepted, inviting again sends a fresh link (which ends the
	// first: TestOneTimeLinksEndEachOther).
	again, err := d.desk.Invite(ctx, boss, &newsroom.NewStaff{Email: "zoe.nunez@example.test", Name: "Zoë", Role: news.RoleAuthor})
	if err != nil || !again.Again || again.Staff.ID != inv.Staff.ID || again.Staff.Role != news.RoleEditor {
		t.Fatalf("invite again: %+v, %v", again, err)
	}
	second := tokenIn(t, d.mail.take()[0], newsroom.LinkInvite)
	if second == first {
		t.Error("the repeated invitation reused the link")
	}
	d.clock.Advance(7*24*time.Hour - time.Minute)
	if _, err := d.desk.UseLink(ctx, newsroom.LinkReset, second, "a brand new passphrase", "a brand new passphrase", newsroom.Client{}); !errors.Is(err, news.ErrNotFound) {
		t.Errorf("an invitation works as a reset link: %v", err)
	}
	in, err := d.desk.UseLink(ctx, newsroom.LinkInvite, second, "a brand new passphrase", "a brand new passphrase", newsroom.Client{})
	if err != nil || in.Staff.ID != inv.Staff.ID {
		t.Fatalf("accept within 7 days: %v", err)
	}

	// Once accepted, the address has an account.
	var taken *newsroom.EmailTakenError
	_, err = d.desk.Invite(ctx, boss, &newsroom.NewStaff{Email: "zoe.nunez@example.test", Name: "Zoë", Role: news.RoleAuthor})
	if !errors.As(err, &taken) || taken.Staff == nil || taken.Staff.ID != inv.Staff.ID || !errors.Is(err, news.ErrConflict) {
		t.Errorf("invite an account: %v", err)
	}

	// An invitation lives 7 days.
	if _, err := d.desk.Invite(ctx, boss, &newsroom.NewStaff{Email: "late@example.test", Name: "Lee Late", Role: news.RoleAuthor}); err != nil {
		t.Fatal(err)
	}
	late := tokenIn(t, d.mail.take()[0], newsroom.LinkInvite)
	d.clock.Advance(7*24*time.Hour + time.Minute)
	if _, err := d.desk.LinkOwner(ctx, newsroom.LinkInvite, late); !errors.Is(err, news.ErrNotFound) {
		t.Errorf("the invitation outlived 7 days: %v", err)
	}

	var fe news.FieldErrors
	_, err = d.desk.Invite(ctx, boss, &newsroom.NewStaff{Email: "zoe at example", Name: strings.Repeat("x", 101), Role: "overlord", JobTitle: strings.Repeat("x", 101)})
	if !errors.As(err, &fe) || len(fe) != 4 {
		t.Errorf("invalid invitation: %v", err)
	}

	// The account stays when the mail server refuses the link.
	d.mail.down = true
	_, err = d.desk.Invite(ctx, boss, &newsroom.NewStaff{Email: "sam@example.test", Name: "Sam Sent", Role: news.RoleAuthor})
	if !errors.Is(err, newsroom.ErrMailNotSent) {
		t.Errorf("mail down: %v", err)
	}
	d.mail.down = false
	if again, err := d.desk.Invite(ctx, boss, &newsroom.NewStaff{Email: "sam@example.test", Name: "Sam Sent", Role: news.RoleAuthor}); err != nil || !again.Again {
		t.Errorf("invite again once mail works: %+v, %v", again, err)
	}
}

func TestCreateStaff(t *testing.T) {
	ctx := context.Background()
	d := newAccountsDesk(t)
	ann := newsroom.NewStaff{Email: "ann@example.test", Name: "Ann Smith", Role: news.RoleAuthor}
	a, err := d.desk.CreateStaff(ctx, ann, staffPassword)
	if err != nil || a.Slug != "ann-smith" {
		t.Fatalf("create: %+v, %v", a, err)
	}
	if _, err := d.desk.SignIn(ctx, "ann@example.test", staffPassword, newsroom.Client{}); err != nil {
		t.Errorf("sign in with the password given: %v", err)
	}
	// A namesake gets a numbered slug, from the command line and by invitation.
	namesake, err := d.desk.CreateStaff(ctx, newsroom.NewStaff{Email: "ann2@example.test", Name: "Ann Smith", Role: news.RoleEditor}, staffPassword)
	if err != nil || namesake.Slug != "ann-smith-2" {
		t.Errorf("namesake: %+v, %v", namesake, err)
	}
	inv, err := d.desk.Invite(ctx, d.staff[news.RoleAdmin], &newsroom.NewStaff{Email: "ann3@example.test", Name: "Ann Smith", Role: news.RoleAuthor})
	if err != nil || inv.Staff.Slug != "ann-smith-3" {
		t.Errorf("invited namesake: %+v, %v", inv, err)
	}

	var taken *newsroom.EmailTakenError
	if _, err := d.desk.CreateStaff(ctx, newsroom.NewStaff{Email: "ANN@example.test", Name: "Other Ann", Role: news.RoleAuthor}, staffPassword); !errors.As(err, &taken) || taken.Staff.ID != a.ID {
		t.Errorf("same email: %v", err)
	}
	var fe news.FieldErrors
	if _, err := d.desk.CreateStaff(ctx, newsroom.NewStaff{Email: "weak@example.test", Name: "Wes Weak", Role: news.RoleAuthor}, "short"); !errors.As(err, &fe) || fe["password"] == "" {
		t.Errorf("weak password: %v", err)
	}
}

func TestAppPasswords(t *testing.T) {
	ctx := context.Background()
	d := newAccountsDesk(t)
	u := d.site.Staff(t, "Wren Writer", news.RoleAuthor, staffPassword)
	owner := news.Actor{ID: u.ID, Role: u.Role}
	from := newsroom.Client{IP: "192.0.2.1"}

	var fe news.FieldErrors
	for _, name := range []string{"  ", strings.Repeat("x", 101)} {
		if _, _, err := d.desk.CreateAppPassword(ctx, owner, name, staffPassword, from); !errors.As(err, &fe) || fe["name"] == "" {
			t.Errorf("name %q: %v", name, err)
		}
	}
	made, pw, err := d.desk.CreateAppPassword(ctx, owner, "  Desktop editor ", staffPassword, from)
	if err != nil || made.Name != "Desktop editor" || len(pw) != 29 {
		t.Fatalf("create: %+v %q %v", made, pw, err)
	}
	list, err := d.desk.AppPasswords(ctx, owner)
	if err != nil || len(list) != 1 || list[0].ID != made.ID {
		t.Fatalf("list: %+v, %v", list, err)
	}

	tests := []struct {
		name, user, pw string
		want           error
	}{
		{"email", u.Email, pw, nil},
		{"email in capitals", strings.ToUpper(u.Email), pw, nil},
		{"slug, password without spaces", u.Slug, strings.ReplaceAll(pw, " ", ""), nil},
		{"someone else's name", d.site.Staff(t, "Other Person", news.RoleAuthor, staffPassword).Email, pw, newsroom.ErrBadCredentials},
		{"wrong password", u.Email, "abcd efgh ijkl mnop qrst uvwx", newsroom.ErrBadCredentials},
		{"sign-in password", u.Email, staffPassword, newsroom.ErrBadCredentials},
	}
	for _, tt := range tests {
		got, err := d.desk.AuthenticateAppPassword(ctx, tt.user, tt.pw, "192.0.2.1")
		if !errors.Is(err, tt.want) || (tt.want == nil && got.ID != u.ID) {
			t.Errorf("%s: %v, %v; want %v", tt.name, got, err, tt.want)
		}
	}
	if list, _ := d.desk.AppPasswords(ctx, owner); list[0].LastIP != "192.0.2.1" || !list[0].LastUsedAt.Equal(d.clock.Now()) {
		t.Errorf("use not noted: %+v", list[0])
	}

	if err := d.desk.RevokeAppPassword(ctx, d.staff[news.RoleAdmin], made.ID); !errors.Is(err, news.ErrNotFound) {
		t.Errorf("someone else revoked it: %v", err)
	}
	if err := d.desk.RevokeAppPassword(ctx, owner, made.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := d.desk.AuthenticateAppPassword(ctx, u.Email, pw, "192.0.2.1"); !errors.Is(err, newsroom.ErrBadCredentials) {
		t.Errorf("revoked password: %v", err)
	}
}

// Failing at an account's password cannot lock its owner out (issue 15,
// finding 9): failures count per client address, for the account and in
// all, so the right password from a client that has not been failing
// gets through.
func TestSignInLockIsPerClient(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		ctx := context.Background()
		d := newAccountsDeskOn(t, b)
		u := d.site.Staff(t, "Olga Owner", news.RoleEditor, staffPassword)
		// Five failures from each of four addresses: twenty for the account.
		for _, ip := range []string{"203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4"} {
			for range 5 {
				if _, err := d.desk.SignIn(ctx, u.Email, "a guess at it", newsroom.Client{IP: ip}); !errors.Is(err, newsroom.ErrBadCredentials) {
					t.Fatalf("guess from %s: %v", ip, err)
				}
			}
		}
		tests := []struct {
			name, ip  string
			throttled bool
		}{
			{"the owner, from an address that has not been failing", "192.0.2.10", false},
			{"a failing address, with the right password", "203.0.113.1", true},
			{"the owner, from a second device", "192.0.2.11", false},
		}
		for _, tt := range tests {
			_, err := d.desk.SignIn(ctx, u.Email, staffPassword, newsroom.Client{IP: tt.ip})
			var te *newsroom.ThrottledError
			if got := errors.As(err, &te); got != tt.throttled || (!got && err != nil) {
				t.Errorf("%s: %v", tt.name, err)
			}
		}
	})
}

// Setting a password and signing out everywhere end the account's sessions
// and its application passwords (issue 15, finding 3).
func TestPasswordChangeRevokesAppPasswords(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		ctx := context.Background()
		d := newAccountsDeskOn(t, b)
		from := newsroom.Client{IP: "192.0.2.1"}
		tests := []struct {
			name string
			end  func(t *testing.T, u news.Staff)
		}{
			{"a reset link", func(t *testing.T, u news.Staff) {
				if err := d.desk.RequestPasswordReset(ctx, u.Email, from); err != nil {
					t.Fatal(err)
				}
				token := tokenIn(t, d.sent(t)[0], newsroom.LinkReset)
				if _, err := d.desk.UseLink(ctx, newsroom.LinkReset, token, "a brand new passphrase", "a brand new passphrase", from); err != nil {
					t.Fatal(err)
				}
			}},
			{"sign out everywhere", func(t *testing.T, u news.Staff) {
				if err := d.desk.SignOutEverywhere(ctx, news.Actor{ID: u.ID, Role: u.Role}); err != nil {
					t.Fatal(err)
				}
			}},
		}
		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				u := d.site.Staff(t, fmt.Sprintf("Pat Password %d", i), news.RoleAuthor, staffPassword)
				owner := news.Actor{ID: u.ID, Role: u.Role}
				in, err := d.desk.SignIn(ctx, u.Email, staffPassword, from)
				if err != nil {
					t.Fatal(err)
				}
				_, pw, err := d.desk.CreateAppPassword(ctx, owner, "Phone app", staffPassword, from)
				if err != nil {
					t.Fatal(err)
				}
				tt.end(t, u)
				if _, err := d.desk.Session(ctx, in.Token); !errors.Is(err, news.ErrNotFound) {
					t.Errorf("the session survived: %v", err)
				}
				if _, err := d.desk.AuthenticateAppPassword(ctx, u.Email, pw, "192.0.2.1"); !errors.Is(err, newsroom.ErrBadCredentials) {
					t.Errorf("the application password survived: %v", err)
				}
				if list, err := d.desk.AppPasswords(ctx, owner); err != nil || len(list) != 0 {
					t.Errorf("application passwords left: %+v, %v", list, err)
				}
			})
		}
	})
}

// Making an application password asks for the account's password again, so
// a stolen session cannot mint a credential that outlives it (issue 15,
// finding 3); wrong passwords are throttled as sign-ins are.
func TestAppPasswordNeedsThePassword(t *testing.T) {
	ctx := context.Background()
	d := newAccountsDesk(t)
	u := d.site.Staff(t, "Tom Thief", news.RoleEditor, staffPassword)
	owner := news.Actor{ID: u.ID, Role: u.Role}
	from := newsroom.Client{IP: "192.0.2.1"}
	for _, tt := range []struct{ name, password string }{
		{"no password", ""},
		{"the wrong password", "not the password"},
		{"someone else's password", "another long password"},
	} {
		var fe news.FieldErrors
		if _, _, err := d.desk.CreateAppPassword(ctx, owner, "Exfiltrator", tt.password, from); !errors.As(err, &fe) || fe["password"] == "" || fe["name"] != "" {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
	if list, err := d.desk.AppPasswords(ctx, owner); err != nil || len(list) != 0 {
		t.Fatalf("made without the password: %+v, %v", list, err)
	}
	// Two wrong so far; three more and this client waits, here and at sign-in.
	for range 3 {
		d.desk.CreateAppPassword(ctx, owner, "Exfiltrator", "another guess", from)
	}
	var te *newsroom.ThrottledError
	if _, _, err := d.desk.CreateAppPassword(ctx, owner, "Phone app", staffPassword, from); !errors.As(err, &te) {
		t.Errorf("after five wrong passwords: %v", err)
	}
	if _, err := d.desk.SignIn(ctx, u.Email, staffPassword, from); !errors.As(err, &te) {
		t.Errorf("sign-in after five wrong passwords: %v", err)
	}
	if _, _, err := d.desk.CreateAppPassword(ctx, owner, "Phone app", staffPassword, newsroom.Client{IP: "192.0.2.2"}); err != nil {
		t.Errorf("the right password from another client: %v", err)
	}
}

// An unknown user and a wrong application password are refused alike, and
// failures from one client address are throttled with its sign-ins
// (issue 15, finding 10).
func TestAppPasswordFailures(t *testing.T) {
	ctx := context.Background()
	d := newAccountsDesk(t)
	u := d.site.Staff(t, "Ada API", news.RoleAuthor, staffPassword)
	_, pw, err := d.desk.CreateAppPassword(ctx, news.Actor{ID: u.ID, Role: u.Role}, "Script", staffPassword, newsroom.Client{})
	if err != nil {
		t.Fatal(err)
	}
	const bot = "198.51.100.7"
	for i := range 20 {
		user, guess := u.Email, "abcd efgh ijkl mnop qrst uvwx"
		if i%2 == 0 {
			user, guess = fmt.Sprintf("nobody%d@example.test", i), pw
		}
		if _, err := d.desk.AuthenticateAppPassword(ctx, user, guess, bot); !errors.Is(err, newsroom.ErrBadCredentials) {
			t.Fatalf("failure %d (%s): %v", i+1, user, err)
		}
	}
	var te *newsroom.ThrottledError
	if _, err := d.desk.AuthenticateAppPassword(ctx, u.Email, pw, bot); !errors.As(err, &te) || te.RetryAfter <= 0 {
		t.Errorf("the right password after twenty failures from the address: %v", err)
	}
	if _, err := d.desk.SignIn(ctx, u.Email, staffPassword, newsroom.Client{IP: bot}); !errors.As(err, &te) {
		t.Errorf("sign-in from the failing address: %v", err)
	}
	if got, err := d.desk.AuthenticateAppPassword(ctx, u.Email, pw, "192.0.2.1"); err != nil || got.ID != u.ID {
		t.Errorf("the right password from another address: %v", err)
	}
	d.clock.Advance(15*time.Minute + time.Second)
	if _, err := d.desk.AuthenticateAppPassword(ctx, u.Email, pw, bot); err != nil {
		t.Errorf("once the window has passed: %v", err)
	}
}

// Using a one-time link ends the account's other links, and sending one
// ends older links of its kind; an invitation never sets the password of
// an account that has one (issue 15, finding 4).
func TestOneTimeLinksEndEachOther(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		ctx := context.Background()
		d := newAccountsDeskOn(t, b)
		boss := d.staff[news.RoleAdmin]
		from := newsroom.Client{IP: "192.0.2.1"}
		type link struct {
			purpose newsroom.LinkPurpose
			token   string
		}
		invite := func(t *testing.T, email string) link {
			t.Helper()
			if _, err := d.desk.Invite(ctx, boss, &newsroom.NewStaff{Email: email, Name: "Lin Link", Role: news.RoleAuthor}); err != nil {
				t.Fatal(err)
			}
			return link{newsroom.LinkInvite, tokenIn(t, d.mail.take()[0], newsroom.LinkInvite)}
		}
		reset := func(t *testing.T, email string) link {
			t.Helper()
			if err := d.desk.RequestPasswordReset(ctx, email, from); err != nil {
				t.Fatal(err)
			}
			return link{newsroom.LinkReset, tokenIn(t, d.sent(t)[0], newsroom.LinkReset)}
		}
		use := func(l link) error {
			_, err := d.desk.UseLink(ctx, l.purpose, l.token, "a brand new passphrase", "a brand new passphrase", from)
			return err
		}
		tests := []struct {
			name  string
			links func(t *testing.T) (older, used link)
		}{
			{"two invitations, accepted with the second", func(t *testing.T) (link, link) {
				return invite(t, "ivan@example.test"), invite(t, "ivan@example.test")
			}},
			{"two resets, the second used", func(t *testing.T) (link, link) {
				u := d.site.Staff(t, "Rex Reset", news.RoleAuthor, staffPassword)
				return reset(t, u.Email), reset(t, u.Email)
			}},
			{"an invitation, then a reset used", func(t *testing.T) (link, link) {
				return invite(t, "ines@example.test"), reset(t, "ines@example.test")
			}},
			{"a reset, then the invitation accepted", func(t *testing.T) (link, link) {
				inv := invite(t, "rosa@example.test")
				return reset(t, "rosa@example.test"), inv
			}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				older, used := tt.links(t)
				if err := use(used); err != nil {
					t.Fatalf("using the latest link: %v", err)
				}
				if _, err := d.desk.LinkOwner(ctx, older.purpose, older.token); !errors.Is(err, news.ErrNotFound) {
					t.Errorf("the older %s link still opens: %v", older.purpose, err)
				}
				if err := use(older); !errors.Is(err, news.ErrNotFound) {
					t.Errorf("the older %s link still sets the password: %v", older.purpose, err)
				}
			})
		}

		t.Run("two links used at once", func(t *testing.T) {
			links := []link{invite(t, "both@example.test"), reset(t, "both@example.test")}
			errs := make([]error, len(links))
			var wg sync.WaitGroup
			for i, l := range links {
				wg.Go(func() { errs[i] = use(l) })
			}
			wg.Wait()
			if (errs[0] == nil) == (errs[1] == nil) || !errors.Is(errors.Join(errs...), news.ErrNotFound) {
				t.Errorf("want one link to work and the other to be gone: %v", errs)
			}
		})

		t.Run("an invitation to an account with a password", func(t *testing.T) {
			u := d.site.Staff(t, "Ina Installed", news.RoleAuthor, staffPassword)
			token, hash := auth.NewToken() // as if sent just as the account got its password
			if err := d.site.Store.CreateStaffToken(ctx, hash, u.ID, string(newsroom.LinkInvite), d.clock.Now().Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
			if _, err := d.desk.LinkOwner(ctx, newsroom.LinkInvite, token); !errors.Is(err, news.ErrNotFound) {
				t.Errorf("the invitation opens: %v", err)
			}
			if err := use(link{newsroom.LinkInvite, token}); !errors.Is(err, news.ErrNotFound) {
				t.Errorf("the invitation set the password: %v", err)
			}
			var taken *newsroom.EmailTakenError
			if _, err := d.desk.Invite(ctx, boss, &newsroom.NewStaff{Email: u.Email, Name: u.Name, Role: news.RoleAuthor}); !errors.As(err, &taken) || taken.Staff == nil {
				t.Errorf("invited again: %v", err)
			}
			if _, err := d.desk.SignIn(ctx, u.Email, staffPassword, from); err != nil {
				t.Errorf("the password changed: %v", err)
			}
		})
	})
}

// TestOwnProfile: every member of staff edits their own details, within
// limits, and nobody else's role or email changes with them.
func TestOwnProfile(t *testing.T) {
	ctx := context.Background()
	d := newAccountsDesk(t)
	for _, role := range news.Roles {
		t.Run(string(role), func(t *testing.T) {
			me := d.staff[role]
			u, err := d.desk.UpdateProfile(ctx, me, newsroom.Profile{Name: "  New   Name " + string(role), JobTitle: "Night editor",
				Bio: "Covers the harbour.\r\nAnd the council.", PhotoURL: "/media/lib/ab/face.jpg"})
			if err != nil {
				t.Fatal(err)
			}
			got, err := d.site.Store.StaffByID(ctx, me.ID)
			if err != nil || got.Name != "New Name "+string(role) || got.JobTitle != "Night editor" || got.Bio != "Covers the harbour.\nAnd the council." ||
				got.PhotoURL != "/media/lib/ab/face.jpg" || got.Role != role || got.Email != u.Email {
				t.Errorf("stored %+v (%v)", got, err)
			}
		})
	}
	bad := []struct {
		p     newsroom.Profile
		field string
	}{
		{newsroom.Profile{Name: "  "}, "byline_name"},
		{newsroom.Profile{Name: strings.Repeat("n", 101)}, "byline_name"},
		{newsroom.Profile{Name: "Ok", JobTitle: strings.Repeat("j", 101)}, "job_title"},
		{newsroom.Profile{Name: "Ok", Bio: strings.Repeat("b", 2001)}, "bio"},
		{newsroom.Profile{Name: "Ok", PhotoURL: "javascript:alert(1)"}, "photo_url"},
		{newsroom.Profile{Name: "Ok", PhotoURL: "http://tracker.example/p.png"}, "photo_url"},
		{newsroom.Profile{Name: "Ok", PhotoURL: "//tracker.example/p.png"}, "photo_url"},
	}
	for _, tt := range bad {
		_, err := d.desk.UpdateProfile(ctx, d.staff[news.RoleAuthor], tt.p)
		var fe news.FieldErrors
		if !errors.As(err, &fe) || fe[tt.field] == "" {
			t.Errorf("%+v: %v, want an error on %s", tt.p, err, tt.field)
		}
	}
}

// TestChangePassword: the current password first (a wrong one counts as
// a failed sign-in); then the new one works, the old one does not, other
// sessions and application passwords end, and this browser has a session.
func TestChangePassword(t *testing.T) {
	ctx := context.Background()
	d := newAccountsDesk(t)
	me := d.staff[news.RoleContributor]
	u, _ := d.site.Store.StaffByID(ctx, me.ID)
	from := newsroom.Client{IP: "192.0.2.7", UserAgent: "test"}
	other, err := d.desk.SignIn(ctx, u.Email, staffPassword, newsroom.Client{IP: "198.51.100.1"})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := d.desk.CreateAppPassword(ctx, me, "phone", staffPassword, from); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		current, password, again, field string
	}{
		{"", "a brand new password", "a brand new password", "current"},
		{"not my password", "a brand new password", "a brand new password", "current"},
		{staffPassword, "short", "short", "new_password"},
		{staffPassword, "a brand new password", "a different new password", "new_password"},
	}
	for _, tt := range tests {
		_, err := d.desk.ChangePassword(ctx, me, tt.current, tt.password, tt.again, from)
		var fe news.FieldErrors
		if !errors.As(err, &fe) || fe[tt.field] == "" {
			t.Errorf("%+v: %v, want an error on %s", tt, err, tt.field)
		}
	}
	in, err := d.desk.ChangePassword(ctx, me, staffPassword, "a brand new password", "a brand new password", from)
	if err != nil || in == nil {
		t.Fatalf("change: %v", err)
	}
	if _, err := d.desk.Session(ctx, other.Token); err == nil {
		t.Error("another browser's session survived the change")
	}
	if list, _ := d.desk.AppPasswords(ctx, me); len(list) != 0 {
		t.Errorf("application passwords survived the change: %v", list)
	}
	if _, err := d.desk.Session(ctx, in.Token); err != nil {
		t.Errorf("this browser's new session: %v", err)
	}
	if _, err := d.desk.SignIn(ctx, u.Email, staffPassword, newsroom.Client{IP: "203.0.113.9"}); err == nil {
		t.Error("the old password still signs in")
	}
	if _, err := d.desk.SignIn(ctx, u.Email, "a brand new password", newsroom.Client{IP: "203.0.113.9"}); err != nil {
		t.Errorf("the new password: %v", err)
	}
}

// TestDeactivate: only administrators close an account; a deactivated
// account's session and application password are refused on the next
// request and it cannot sign in, while its author page stays; reactivated,
// it signs in again.
func TestDeactivate(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		ctx := context.Background()
		d := newAccountsDeskOn(t, b)
		admin := d.staff[news.RoleAdmin]
		leaver := d.site.Staff(t, "Lee Leaving", news.RoleAuthor, staffPassword)
		me := news.Actor{ID: leaver.ID, Role: leaver.Role}
		from := newsroom.Client{IP: "192.0.2.50"}
		sess, err := d.desk.SignIn(ctx, leaver.Email, staffPassword, from)
		if err != nil {
			t.Fatal(err)
		}
		_, app, err := d.desk.CreateAppPassword(ctx, me, "scripts", staffPassword, from)
		if err != nil {
			t.Fatal(err)
		}

		for _, role := range []news.Role{news.RoleContributor, news.RoleAuthor, news.RoleEditor} {
			if err := d.desk.Deactivate(ctx, d.staff[role], leaver.ID); !errors.Is(err, news.ErrForbidden) {
				t.Errorf("%s deactivated an account: %v", role, err)
			}
		}
		if err := d.desk.Deactivate(ctx, admin, admin.ID); !errors.Is(err, newsroom.ErrSelf) {
			t.Errorf("an administrator deactivated themselves: %v", err)
		}
		if err := d.desk.Deactivate(ctx, admin, 999999); !errors.Is(err, news.ErrNotFound) {
			t.Errorf("an unknown account: %v", err)
		}

		if err := d.desk.Deactivate(ctx, admin, leaver.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := d.desk.Session(ctx, sess.Token); err == nil {
			t.Error("the deactivated account's session still works")
		}
		if _, err := d.desk.AuthenticateAppPassword(ctx, leaver.Email, app, "192.0.2.51"); err == nil {
			t.Error("the deactivated account's application password still works")
		}
		if _, err := d.desk.SignIn(ctx, leaver.Email, staffPassword, newsroom.Client{IP: "192.0.2.52"}); err == nil {
			t.Error("the deactivated account signs in")
		}
		if _, err := d.site.Store.StaffBySlug(ctx, leaver.Slug); err != nil {
			t.Errorf("the author page went with the account: %v", err)
		}
		gone, err := d.desk.DeactivatedStaff(ctx, admin)
		if err != nil || len(gone) != 1 || gone[0].ID != leaver.ID {
			t.Errorf("deactivated list: %v %v", gone, err)
		}

		if err := d.desk.Reactivate(ctx, d.staff[news.RoleEditor], leaver.ID); !errors.Is(err, news.ErrForbidden) {
			t.Errorf("an editor reactivated: %v", err)
		}
		if err := d.desk.Reactivate(ctx, admin, leaver.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := d.desk.SignIn(ctx, leaver.Email, staffPassword, newsroom.Client{IP: "192.0.2.53"}); err != nil {
			t.Errorf("reactivated, the account cannot sign in: %v", err)
		}
	})
}

// TestLastAdministratorStays: an account that is the last administrator
// is never deactivated, even by a request made with a role that has just
// changed (here, an administrator demoted a moment before).
func TestLastAdministratorStays(t *testing.T) {
	ctx := context.Background()
	d := newAccountsDesk(t)
	boss := d.staff[news.RoleAdmin]
	second := d.site.Staff(t, "Second Admin", news.RoleAdmin, staffPassword)
	if err := d.desk.Deactivate(ctx, boss, second.ID); err != nil {
		t.Fatalf("one of two administrators: %v", err)
	}
	if err := d.desk.Reactivate(ctx, boss, second.ID); err != nil {
		t.Fatal(err)
	}
	if err := d.desk.ChangeRole(ctx, boss, second.ID, news.RoleEditor); err != nil {
		t.Fatal(err)
	}
	stale := news.Actor{ID: second.ID, Role: news.RoleAdmin}
	if err := d.desk.Deactivate(ctx, stale, boss.ID); !errors.Is(err, newsroom.ErrLastAdmin) {
		t.Errorf("the last administrator was deactivated: %v", err)
	}
}
