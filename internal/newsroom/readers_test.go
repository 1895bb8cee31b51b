package newsroom_test

import (
	"context"
	"errors"
	"regexp"
	"testing"
	"time"

	"masthead/internal/mail"
	"masthead/internal/news"
	"masthead/internal/newsroom"
)

var readerToken = regexp.MustCompile(`https://gazette\.test/account/(signin|email)/([A-Za-z0-9_-]{43})`)

// readerLinkIn is the token of the one link in the one message sent.
func readerLinkIn(t *testing.T, d *accountsDesk, to string, purpose newsroom.ReaderLinkPurpose) string {
	t.Helper()
	sent := d.sent(t)
	if len(sent) != 1 || sent[0].To.Email != to {
		t.Fatalf("sent %+v, want one message to %s", sent, to)
	}
	m := readerToken.FindStringSubmatch(sent[0].Body)
	if m == nil || m[1] != string(purpose) {
		t.Fatalf("no %s link in:\n%s", purpose, sent[0].Body)
	}
	return m[2]
}

const (
	browserA = "browser-a-browser-a-browser-a-browser-a-abc" // the cookie values of two browsers
	browserB = "browser-b-browser-b-browser-b-browser-b-abc"
)

func TestReaderSignInLinks(t *testing.T) {
	ctx := context.Background()
	d := newAccountsDesk(t)
	from := newsroom.Client{IP: "192.0.2.1", UserAgent: "Test Browser"}

	if err := d.desk.RequestReaderLink(ctx, "Lee@Example.test", browserA, "/2026/03/01/story#respond", from); err != nil {
		t.Fatal(err)
	}
	token := readerLinkIn(t, d, "lee@example.test", newsroom.ReaderSignInLink)
	if _, err := d.desk.ReaderLink(ctx, newsroom.ReaderSignInLink, token, browserB); !errors.Is(err, newsroom.ErrOtherBrowser) {
		t.Errorf("another browser: %v", err)
	}
	if _, err := d.desk.SignInReader(ctx, token, "", "Lee", from); !errors.Is(err, newsroom.ErrOtherBrowser) {
		t.Errorf("no browser cookie: %v", err)
	}
	if _, err := d.desk.ReaderLink(ctx, newsroom.ReaderEmailLink, token, browserA); !errors.Is(err, news.ErrNotFound) {
		t.Errorf("a sign-in link works as a change of address: %v", err)
	}
	l, err := d.desk.ReaderLink(ctx, newsroom.ReaderSignInLink, token, browserA)
	if err != nil || !l.NewAccount || l.Email != "lee@example.test" {
		t.Fatalf("link: %+v, %v", l, err)
	}
	var fe news.FieldErrors
	if _, err := d.desk.SignInReader(ctx, token, browserA, " ", from); !errors.As(err, &fe) || fe["name"] == "" {
		t.Errorf("new account without a name: %v", err)
	}
	in, err := d.desk.SignInReader(ctx, token, browserA, "  Lee   Reader ", from)
	if err != nil || in.Reader.Name != "Lee Reader" || !in.Reader.HasAccount() || in.Lifetime != newsroom.ReaderSessionTTL {
		t.Fatalf("sign in: %+v, %v", in, err)
	}
	if _, err := d.desk.SignInReader(ctx, token, browserA, "Lee", from); !errors.Is(err, news.ErrNotFound) {
		t.Errorf("the link worked twice: %v", err)
	}
	sess, err := d.desk.ReaderSession(ctx, in.Token)
	if err != nil || sess.Reader.ID != in.Reader.ID {
		t.Fatalf("session: %v", err)
	}
	// A reader's token is nothing to the newsroom.
	if _, err := d.desk.Session(ctx, in.Token); !errors.Is(err, news.ErrNotFound) {
		t.Errorf("a reader session is a staff session: %v", err)
	}
	d.clock.Advance(newsroom.ReaderSessionTTL + time.Second)
	if _, err := d.desk.ReaderSession(ctx, in.Token); !errors.Is(err, news.ErrNotFound) {
		t.Errorf("session outlived its time: %v", err)
	}

	// Expiry.
	if err := d.desk.RequestReaderLink(ctx, "lee@example.test", browserA, "", from); err != nil {
		t.Fatal(err)
	}
	late := readerLinkIn(t, d, "lee@example.test", newsroom.ReaderSignInLink)
	d.clock.Advance(newsroom.ReaderLinkTTL)
	if _, err := d.desk.SignInReader(ctx, late, browserA, "", from); !errors.Is(err, news.ErrNotFound) {
		t.Errorf("expired link: %v", err)
	}

	// Hostile and malformed addresses never reach the mailer.
	for _, bad := range []string{"a@example.test\r\nBcc: b@example.test", "Lee <lee@example.test>", "nope", ""} {
		if err := d.desk.RequestReaderLink(ctx, bad, browserA, "", from); !errors.As(err, &fe) || fe["email"] == "" {
			t.Errorf("%q: %v", bad, err)
		}
	}
	// Where a link leads afterwards stays on the site.
	for _, next := range []string{"https://evil.test/", "//evil.test", "/ok\r\nX: y"} {
		if newsroom.LocalPath(next) != "" {
			t.Errorf("LocalPath(%q) kept", next)
		}
	}
	if len(d.sent(t)) != 0 {
		t.Error("mail sent for a refused address")
	}
}

func TestReaderLinkLimits(t *testing.T) {
	ctx := context.Background()
	d := newAccountsDesk(t)
	from := newsroom.Client{IP: "192.0.2.1"}
	for range 5 {
		if err := d.desk.RequestReaderLink(ctx, "target@example.test", browserA, "", newsroom.Client{IP: "198.51.100.1"}); err != nil {
			t.Fatal(err)
		}
	}
	var te *newsroom.ThrottledError
	// The address is protected whoever asks.
	if err := d.desk.RequestReaderLink(ctx, "target@example.test", browserA, "", from); !errors.As(err, &te) || te.RetryAfter <= 0 {
		t.Errorf("sixth link for one address: %v", err)
	}
	if err := d.desk.RequestReaderLink(ctx, "other@example.test", browserA, "", from); err != nil {
		t.Errorf("another address: %v", err)
	}
	if got := len(d.sent(t)); got != 6 {
		t.Errorf("%d mails, want 6", got)
	}
}

func TestReaderComments(t *testing.T) {
	ctx := context.Background()
	d := newAccountsDesk(t)
	a := d.site.Article(t, &news.Article{Headline: "A story", Section: d.site.Section(t, "News"), PublishedAt: d.clock.Now().Add(-time.Hour)})
	d.site.Comment(t, a, &news.Comment{Name: "Pat", Email: "pat@example.test", Body: "Before the account.", Status: news.CommentPending})
	in := signInReader(t, d, "pat@example.test", "Pat Reader")
	r := in.Reader

	acc, err := d.desk.ReaderAccount(ctx, r)
	if err != nil || len(acc.Comments) != 1 || acc.Comments[0].Public || len(acc.SignIns) != 1 || acc.SignIns[0].UserAgent != "Test Browser" {
		t.Fatalf("account: %+v, %v", acc, err)
	}
	origin := newsroom.CommentOrigin{IP: "192.0.2.9", Reader: r}
	first, err := d.desk.PostComment(ctx, a, news.CommentInput{Name: "Forged", Email: "forged@example.test", Body: "Signed in."}, origin)
	if err != nil || first.Name != "Pat Reader" || first.Email != "pat@example.test" || first.ReaderID != r.ID || first.Status != news.CommentPending {
		t.Fatalf("first comment: %+v, %v", first, err)
	}
	if err := d.site.Store.SetCommentStatus(ctx, first.ID, news.CommentApproved); err != nil {
		t.Fatal(err)
	}
	// The account's approved comment vouches for it, under a new address too.
	if err := d.desk.RequestReaderEmailChange(ctx, r, "pat.new@example.test", browserA, newsroom.Client{IP: "192.0.2.1"}); err != nil {
		t.Fatal(err)
	}
	token := readerLinkIn(t, d, "pat.new@example.test", newsroom.ReaderEmailLink)
	if _, err := d.desk.ChangeReaderEmail(ctx, token, browserB); !errors.Is(err, newsroom.ErrOtherBrowser) {
		t.Errorf("change from another browser: %v", err)
	}
	moved, err := d.desk.ChangeReaderEmail(ctx, token, browserA)
	if err != nil || moved.Email != "pat.new@example.test" {
		t.Fatalf("change: %+v, %v", moved, err)
	}
	if notice := d.sent(t); len(notice) != 1 || notice[0].To != (mail.Address{Name: "Pat Reader", Email: "pat@example.test"}) {
		t.Errorf("notice: %+v", notice)
	}
	second, err := d.desk.PostComment(ctx, a, news.CommentInput{Body: "Trusted now."}, newsroom.CommentOrigin{IP: "192.0.2.9", Reader: moved})
	if err != nil || second.Status != news.CommentApproved || second.Email != "pat.new@example.test" {
		t.Fatalf("second comment: %+v, %v", second, err)
	}

	data, err := d.desk.ReaderData(ctx, moved)
	linked := 0
	for _, c := range data.Comments {
		if c.URL != "" {
			linked++ // the approved ones
		}
	}
	if err != nil || data.Account.Email != "pat.new@example.test" || len(data.Comments) != 3 || linked != 2 {
		t.Errorf("data: %+v, %v", data, err)
	}

	var fe news.FieldErrors
	if err := d.desk.DeleteReaderAccount(ctx, moved, "keep", false); !errors.As(err, &fe) || fe["confirm"] == "" {
		t.Errorf("unconfirmed deletion: %v", err)
	}
	if err := d.desk.DeleteReaderAccount(ctx, moved, "", true); !errors.As(err, &fe) || fe["comments"] == "" {
		t.Errorf("deletion without a choice: %v", err)
	}
	if err := d.desk.DeleteReaderAccount(ctx, moved, newsroom.KeepCommentsAnonymous, true); err != nil {
		t.Fatal(err)
	}
	thread, err := d.site.Store.ArticleThread(ctx, a.ID)
	if err != nil || len(thread) != 3 {
		t.Fatalf("thread: %v, %v", thread, err)
	}
	for _, c := range thread {
		if c.Name != news.DeletedReaderName || c.Email != "" || c.IP != "" || c.UserAgent != "" {
			t.Errorf("comment left with its author: %+v", c)
		}
	}
	if _, err := d.desk.ReaderSession(ctx, in.Token); !errors.Is(err, news.ErrNotFound) {
		t.Errorf("session outlived the account: %v", err)
	}

	// Removed entirely.
	again := signInReader(t, d, "sam@example.test", "Sam")
	if _, err := d.desk.PostComment(ctx, a, news.CommentInput{Body: "Gone soon."}, newsroom.CommentOrigin{IP: "192.0.2.10", Reader: again.Reader}); err != nil {
		t.Fatal(err)
	}
	if err := d.desk.DeleteReaderAccount(ctx, again.Reader, newsroom.RemoveComments, true); err != nil {
		t.Fatal(err)
	}
	if thread, _ := d.site.Store.ArticleThread(ctx, a.ID); len(thread) != 3 {
		t.Errorf("after removing: %d comments, want 3", len(thread))
	}
}

func TestReaderEmailTaken(t *testing.T) {
	ctx := context.Background()
	d := newAccountsDesk(t)
	one := signInReader(t, d, "one@example.test", "One")
	signInReader(t, d, "two@example.test", "Two")
	if err := d.desk.RequestReaderEmailChange(ctx, one.Reader, "TWO@example.test", browserA, newsroom.Client{IP: "192.0.2.1"}); err != nil {
		t.Fatal(err)
	}
	token := readerLinkIn(t, d, "two@example.test", newsroom.ReaderEmailLink)
	if _, err := d.desk.ChangeReaderEmail(ctx, token, browserA); !errors.Is(err, newsroom.ErrReaderEmailTaken) {
		t.Errorf("onto an account: %v", err)
	}
	var fe news.FieldErrors
	if err := d.desk.RequestReaderEmailChange(ctx, one.Reader, "one@example.test", browserA, newsroom.Client{}); !errors.As(err, &fe) {
		t.Errorf("to the same address: %v", err)
	}
	if err := d.desk.RenameReader(ctx, one.Reader, "\x00"); !errors.As(err, &fe) {
		t.Errorf("a control character in a name: %v", err)
	}
}

// signInReader signs email in from browser A, creating the account.
func signInReader(t *testing.T, d *accountsDesk, email, name string) *newsroom.ReaderSignedIn {
	t.Helper()
	ctx := context.Background()
	from := newsroom.Client{IP: "192.0.2.1", UserAgent: "Test Browser"}
	if err := d.desk.RequestReaderLink(ctx, email, browserA, "", from); err != nil {
		t.Fatal(err)
	}
	in, err := d.desk.SignInReader(ctx, readerLinkIn(t, d, email, newsroom.ReaderSignInLink), browserA, name, from)
	if err != nil {
		t.Fatal(err)
	}
	return in
}
