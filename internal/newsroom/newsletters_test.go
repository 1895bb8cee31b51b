package newsroom_test

import (
	"context"
	"errors"
	"fmt"
	"net/textproto"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"masthead/internal/auth"
	"masthead/internal/clock"
	"masthead/internal/mail"
	"masthead/internal/mail/mailtest"
	"masthead/internal/news"
	"masthead/internal/newsroom"
	"masthead/internal/store"
	"masthead/internal/testutil"
)

var confirmLink = regexp.MustCompile(`https://gazette\.test/newsletters/confirm/([A-Za-z0-9_-]{43})`)

func briefingInput() newsroom.NewsletterInput {
	return newsroom.NewsletterInput{Name: "Morning Briefing", Kind: news.NewsletterBriefing, FromName: "The Gazette", FromEmail: "news@gazette.test"}
}

// subscribed gives a newsletter confirmed subscribers, straight through
// the store (the sign-up's limits are tested on their own).
func subscribed(t *testing.T, st *store.Store, n *news.Newsletter, emails ...string) {
	t.Helper()
	ctx := context.Background()
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for _, e := range emails {
		token, hash := auth.NewToken()
		if _, err := st.Subscribe(ctx, n.ID, e, hash, now); err != nil {
			t.Fatal(err)
		}
		if _, _, err := st.ConfirmSubscription(ctx, auth.HashToken(token), now.Add(-time.Hour), now); err != nil {
			t.Fatal(err)
		}
	}
}

func TestNewsletterPermissions(t *testing.T) {
	ctx := context.Background()
	d := newAccountsDesk(t)
	for _, role := range news.Roles {
		t.Run(string(role), func(t *testing.T) {
			in := briefingInput()
			in.Slug = "briefing-" + string(role)
			n, err := d.desk.CreateNewsletter(ctx, d.staff[role], in)
			allowed := role == news.RoleAdmin || role == news.RoleEditor
			if allowed != (err == nil) || !allowed && !errors.Is(err, news.ErrForbidden) {
				t.Fatalf("create: %v (allowed: %v)", err, allowed)
			}
			if !allowed {
				n, _ = d.desk.CreateNewsletter(ctx, d.staff[news.RoleAdmin], in)
			}
			_, err = d.desk.SendIssue(ctx, d.staff[role], n.ID, newsroom.IssueInput{Subject: "Hello", Markdown: "Hello."})
			if allowed != (err == nil) || !allowed && !errors.Is(err, news.ErrForbidden) {
				t.Errorf("send: %v", err)
			}
			if _, err := d.desk.NewsletterDesk(ctx, d.staff[role], n.ID); allowed != (err == nil) {
				t.Errorf("desk: %v", err)
			}
		})
	}
}

func TestNewsletterForm(t *testing.T) {
	ctx := context.Background()
	d := newAccountsDesk(t)
	admin := d.staff[news.RoleAdmin]
	n, err := d.desk.CreateNewsletter(ctx, admin, briefingInput())
	if err != nil || n.Slug != "morning-briefing" {
		t.Fatalf("create: %+v, %v", n, err)
	}
	tests := []struct {
		name  string
		edit  func(*newsroom.NewsletterInput)
		field string
	}{
		{"no name", func(in *newsroom.NewsletterInput) { in.Name = " \r\n " }, "name"},
		{"taken slug", func(in *newsroom.NewsletterInput) {}, "slug"},
		{"bad slug", func(in *newsroom.NewsletterInput) { in.Slug = "Bad Slug/.." }, "slug"},
		{"unknown kind", func(in *newsroom.NewsletterInput) { in.Kind = "spam" }, "kind"},
		{"sender with a header", func(in *newsroom.NewsletterInput) { in.FromEmail = "news@gazette.test\r\nBcc: all@example.test" }, "from_email"},
		{"sender with a name", func(in *newsroom.NewsletterInput) { in.FromEmail = "Gazette <news@gazette.test>" }, "from_email"},
	}
	for _, tt := range tests {
		in := briefingInput()
		tt.edit(&in)
		var fe news.FieldErrors
		if _, err := d.desk.CreateNewsletter(ctx, admin, in); !errors.As(err, &fe) || fe[tt.field] == "" {
			t.Errorf("%s: %v, want an error on %s", tt.name, err, tt.field)
		}
	}
	in := briefingInput()
	in.FromName = "The\r\nBcc: all@example.test"
	if n, err := d.desk.UpdateNewsletter(ctx, admin, n.ID, in); err != nil || n.FromName != "The Bcc: all@example.test" {
		t.Errorf("a name's line break was kept: %+v, %v", n, err)
	}
}

func TestNewsletterDoubleOptIn(t *testing.T) {
	ctx := context.Background()
	d := newAccountsDesk(t)
	admin := d.staff[news.RoleAdmin]
	n, err := d.desk.CreateNewsletter(ctx, admin, briefingInput())
	if err != nil {
		t.Fatal(err)
	}
	from := newsroom.Client{IP: "192.0.2.7"}
	var fe news.FieldErrors
	for _, bad := range []string{"", "not an address", "lee@example.test\r\nBcc: x@example.test", "Lee <lee@example.test>"} {
		if err := d.desk.SubscribeNewsletter(ctx, n.Slug, bad, from); !errors.As(err, &fe) || fe["email"] == "" {
			t.Errorf("%q: %v", bad, err)
		}
	}
	if err := d.desk.SubscribeNewsletter(ctx, "no-such-list", "lee@example.test", from); !errors.As(err, &fe) || fe["newsletter"] == "" {
		t.Errorf("unknown newsletter: %v", err)
	}
	if err := d.desk.SubscribeNewsletter(ctx, n.Slug, " Lee@Example.test ", from); err != nil {
		t.Fatal(err)
	}
	sent := d.sent(t)
	if len(sent) != 1 || sent[0].To.Email != "lee@example.test" || sent[0].From.Email != "news@gazette.test" {
		t.Fatalf("confirmation: %+v", sent)
	}
	m := confirmLink.FindStringSubmatch(sent[0].Body)
	if m == nil {
		t.Fatalf("no confirmation link in %s", sent[0].Body)
	}
	// Not confirmed: not a recipient.
	is, err := d.desk.SendIssue(ctx, admin, n.ID, newsroom.IssueInput{Subject: "One", Markdown: "Hello."})
	if err != nil || is.Recipients != 0 {
		t.Fatalf("before confirming: %+v, %v", is, err)
	}
	if _, err := d.desk.ConfirmSubscription(ctx, "forged"); !errors.Is(err, news.ErrNotFound) {
		t.Errorf("forged link: %v", err)
	}
	if got, err := d.desk.ConfirmSubscription(ctx, m[1]); err != nil || got.ID != n.ID {
		t.Fatalf("confirm: %v", err)
	}
	if _, err := d.desk.ConfirmSubscription(ctx, m[1]); !errors.Is(err, news.ErrNotFound) {
		t.Errorf("the link worked twice: %v", err)
	}
	is, err = d.desk.SendIssue(ctx, admin, n.ID, newsroom.IssueInput{Subject: "Two", Markdown: "Hello."})
	if err != nil || is.Recipients != 1 {
		t.Fatalf("after confirming: %+v, %v", is, err)
	}
	// Signing up again when subscribed mails nothing; asking too often is refused.
	if err := d.desk.SubscribeNewsletter(ctx, n.Slug, "lee@example.test", from); err != nil {
		t.Fatal(err)
	}
	if sent := d.sent(t); len(sent) != 0 {
		t.Errorf("mailed a subscriber again: %+v", sent)
	}
	var throttled *newsroom.ThrottledError
	if err := d.desk.SubscribeNewsletter(ctx, n.Slug, "lee@example.test", newsroom.Client{IP: "192.0.2.8"}); err != nil {
		t.Fatal(err)
	}
	if err := d.desk.SubscribeNewsletter(ctx, n.Slug, "lee@example.test", newsroom.Client{IP: "192.0.2.9"}); !errors.As(err, &throttled) {
		t.Errorf("a fourth sign-up for one address within the hour: %v", err)
	}
	// An old link expires.
	if err := d.desk.SubscribeNewsletter(ctx, n.Slug, "old@example.test", from); err != nil {
		t.Fatal(err)
	}
	old := confirmLink.FindStringSubmatch(d.sent(t)[0].Body)
	d.clock.Advance(newsroom.SubscriptionConfirmTTL + time.Second)
	if _, err := d.desk.ConfirmSubscription(ctx, old[1]); !errors.Is(err, news.ErrNotFound) {
		t.Errorf("an expired link: %v", err)
	}
}

// smtpDesk is a newsroom on st that sends through the test SMTP server.
func smtpDesk(st *store.Store, srv *mailtest.Server, clk clock.Clock) *newsroom.Service {
	return newsroom.New(st, newsroom.Config{Location: time.UTC, Clock: clk, BaseURL: "https://gazette.test",
		Mailer: &mail.SMTP{Addr: srv.Addr, From: mail.Address{Email: "bounces@gazette.test"}}})
}

// received takes n messages from the server and counts them by recipient.
func received(t *testing.T, srv *mailtest.Server, n int) (map[string]int, []*mailtest.Message) {
	t.Helper()
	counts := map[string]int{}
	var msgs []*mailtest.Message
	for range n {
		m := srv.Next(t)
		counts[strings.Join(m.To, ",")]++
		msgs = append(msgs, m)
	}
	if extra := srv.Pending(); extra != 0 {
		t.Errorf("%d more messages than expected", extra)
	}
	return counts, msgs
}

func addresses(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("reader%02d@example.test", i)
	}
	return out
}

func TestNewsletterSendSurvivesRestart(t *testing.T) {
	ctx := context.Background()
	d := newAccountsDesk(t)
	srv := mailtest.Start(t, mailtest.Options{})
	admin := d.staff[news.RoleAdmin]
	in := briefingInput()
	in.FromName = "The Gazette\r\nBcc: everyone@example.test"
	n, err := d.desk.CreateNewsletter(ctx, admin, in)
	if err != nil {
		t.Fatal(err)
	}
	readers := addresses(12)
	subscribed(t, d.site.Store, n, readers...)
	is, err := d.desk.SendIssue(ctx, admin, n.ID, newsroom.IssueInput{Subject: "Today\r\nBcc: victim@example.test", Markdown: "# Top stories\n\nThe *council* met."})
	if err != nil || is.Recipients != 12 {
		t.Fatalf("queue: %+v, %v", is, err)
	}
	// The first process stops after five; a new one on the same database
	// picks up the rest by itself.
	first := smtpDesk(d.site.Store, srv, d.clock)
	if k, err := first.SendDue(ctx, "first", 5); err != nil || k != 5 {
		t.Fatalf("first worker: %d, %v", k, err)
	}
	second := smtpDesk(d.site.Store, srv, d.clock)
	if k, err := second.SendDue(ctx, "second", 0); err != nil || k != 7 {
		t.Fatalf("second worker: %d, %v", k, err)
	}
	counts, msgs := received(t, srv, 12)
	for _, r := range readers {
		if counts[r] != 1 {
			t.Errorf("%s got %d copies", r, counts[r])
		}
	}
	p, err := d.desk.IssueProgress(ctx, admin, is.ID)
	if err != nil || p.Sent != 12 || p.Remaining() != 0 {
		t.Errorf("progress: %+v, %v", p, err)
	}

	m := msgs[0]
	if m.Header.Get("Bcc") != "" || strings.Contains(string(m.Raw), "\nBcc:") {
		t.Errorf("a line break in a name or subject became a header:\n%s", m.Raw)
	}
	if m.Header.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
		t.Errorf("List-Unsubscribe-Post: %q", m.Header.Get("List-Unsubscribe-Post"))
	}
	unsub := regexp.MustCompile(`^<https://gazette\.test/newsletters/unsubscribe/([0-9]+\.[0-9]+\.[A-Za-z0-9_-]+)>$`).FindStringSubmatch(m.Header.Get("List-Unsubscribe"))
	if unsub == nil {
		t.Fatalf("List-Unsubscribe: %q", m.Header.Get("List-Unsubscribe"))
	}
	if body := strings.ReplaceAll(m.Body, "=\n", ""); !strings.Contains(body, "/newsletters/unsubscribe/"+unsub[1]) || !strings.Contains(body, "<em>council</em>") {
		t.Errorf("the body lacks the issue or its visible unsubscribe link:\n%s", m.Body)
	}

	// One click unsubscribes; the next issue skips that address, and a
	// re-import (a new confirmed subscription by the store) does not bring it back.
	if _, err := d.desk.UnsubscribeByToken(ctx, unsub[1]+"x", 0); !errors.Is(err, news.ErrNotFound) {
		t.Errorf("a forged token: %v", err)
	}
	if _, err := d.desk.UnsubscribeByToken(ctx, unsub[1], 0); err != nil {
		t.Fatal(err)
	}
	gone := m.To[0]
	prefs, err := d.desk.NewsletterPreferences(ctx, unsub[1])
	if err != nil || len(prefs.Subscriptions) != 1 || prefs.Subscriptions[0].Status != news.SubscriptionUnsubscribed {
		t.Fatalf("preferences: %+v, %v", prefs, err)
	}
	if err := d.site.Store.Suppress(ctx, gone, n.ID, "unsubscribe", "", d.clock.Now()); err != nil {
		t.Fatal(err)
	}
	is2, err := d.desk.SendIssue(ctx, admin, n.ID, newsroom.IssueInput{Subject: "Tomorrow", Markdown: "More."})
	if err != nil || is2.Recipients != 11 {
		t.Fatalf("second issue: %+v, %v", is2, err)
	}
	if _, err := first.SendDue(ctx, "first", 0); err != nil {
		t.Fatal(err)
	}
	if counts, _ := received(t, srv, 11); counts[gone] != 0 {
		t.Errorf("mailed %s after they unsubscribed", gone)
	}
}

// TestNewsletterCrashWindow: a worker that dies holding a lease leaves
// its delivery "unknown", never sent again.
func TestNewsletterCrashWindow(t *testing.T) {
	ctx := context.Background()
	d := newAccountsDesk(t)
	srv := mailtest.Start(t, mailtest.Options{})
	admin := d.staff[news.RoleAdmin]
	n, _ := d.desk.CreateNewsletter(ctx, admin, briefingInput())
	subscribed(t, d.site.Store, n, addresses(3)...)
	is, err := d.desk.SendIssue(ctx, admin, n.ID, newsroom.IssueInput{Subject: "S", Markdown: "B"})
	if err != nil {
		t.Fatal(err)
	}
	now := d.clock.Now()
	if _, err := d.site.Store.LeaseDelivery(ctx, "crashed", now, now.Add(5*time.Minute)); err != nil {
		t.Fatal(err)
	}
	w := smtpDesk(d.site.Store, srv, d.clock)
	if k, _ := w.SendDue(ctx, "alive", 0); k != 2 {
		t.Errorf("sent %d while the lease was live, want 2", k)
	}
	d.clock.Advance(6 * time.Minute)
	if k, _ := w.SendDue(ctx, "alive", 0); k != 0 {
		t.Errorf("sent %d after the lease ran out", k)
	}
	received(t, srv, 2)
	if p, _ := d.desk.IssueProgress(ctx, admin, is.ID); p.Sent != 2 || p.Unknown != 1 {
		t.Errorf("progress: %+v", p)
	}
}

// flaky refuses the first attempts at each address temporarily, and one
// address for good.
type flaky struct {
	mu       sync.Mutex
	attempts map[string]int
	sent     map[string]int
}

func (f *flaky) Send(ctx context.Context, m mail.Message) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.attempts[m.To.Email]++
	switch {
	case m.To.Email == "gone@example.test":
		return &textproto.Error{Code: 550, Msg: "no such user"}
	case f.attempts[m.To.Email] < 3:
		return &textproto.Error{Code: 451, Msg: "try again later"}
	}
	f.sent[m.To.Email]++
	return nil
}

func TestNewsletterRetriesAndBounces(t *testing.T) {
	ctx := context.Background()
	d := newAccountsDesk(t)
	admin := d.staff[news.RoleAdmin]
	n, _ := d.desk.CreateNewsletter(ctx, admin, briefingInput())
	subscribed(t, d.site.Store, n, "lee@example.test", "gone@example.test")
	is, _ := d.desk.SendIssue(ctx, admin, n.ID, newsroom.IssueInput{Subject: "S", Markdown: "B"})
	f := &flaky{attempts: map[string]int{}, sent: map[string]int{}}
	w := newsroom.New(d.site.Store, newsroom.Config{Clock: d.clock, BaseURL: "https://gazette.test", Mailer: f})
	for range 4 {
		if _, err := w.SendDue(ctx, "w", 0); err != nil {
			t.Fatal(err)
		}
		d.clock.Advance(time.Hour)
	}
	if f.sent["lee@example.test"] != 1 || f.attempts["lee@example.test"] != 3 || f.attempts["gone@example.test"] != 1 {
		t.Errorf("attempts %v, sent %v", f.attempts, f.sent)
	}
	if p, _ := d.desk.IssueProgress(ctx, admin, is.ID); p.Sent != 1 || p.Failed != 1 {
		t.Errorf("progress: %+v", p)
	}
	// The bounced address stays subscribed, and is never mailed again.
	if is, _ := d.desk.SendIssue(ctx, admin, n.ID, newsroom.IssueInput{Subject: "S2", Markdown: "B"}); is.Recipients != 1 {
		t.Errorf("recipients after a bounce: %d", is.Recipients)
	}
}

// TestNewsletterTwoWorkers: two instances on one database share a send,
// and each address gets one copy.
func TestNewsletterTwoWorkers(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		ctx := context.Background()
		dbURL, path := b.NewDatabase(t)
		open := func() *store.Store {
			st, err := store.Open(ctx, dbURL, path)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			return st
		}
		stA, stB := open(), open()
		clk := clock.NewManual(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
		srv := mailtest.Start(t, mailtest.Options{})
		a, bDesk := smtpDesk(stA, srv, clk), smtpDesk(stB, srv, clk)
		admin := news.Actor{Role: news.RoleAdmin}
		n, err := a.CreateNewsletter(ctx, admin, briefingInput())
		if err != nil {
			t.Fatal(err)
		}
		// Two instances with two workers each, leasing from one queue
		// (the SMTP listener buffers 100 messages).
		const total = 90
		readers := addresses(total)
		subscribed(t, stA, n, readers...)
		is, err := a.SendIssue(ctx, admin, n.ID, newsroom.IssueInput{Subject: "S", Markdown: "B"})
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		workers := []*newsroom.Service{a, bDesk, a, bDesk}
		handled := make([]int, len(workers))
		for i, w := range workers {
			wg.Go(func() {
				k, err := w.SendDue(ctx, fmt.Sprintf("worker-%d", i), 0)
				if err != nil {
					t.Error(err)
				}
				handled[i] = k
			})
		}
		wg.Wait()
		if sum := handled[0] + handled[1] + handled[2] + handled[3]; sum != total {
			t.Errorf("handled %v", handled)
		}
		if p, err := bDesk.IssueProgress(ctx, admin, is.ID); err != nil || p.Sent != total || p.Remaining() != 0 || p.PerMinute() != total {
			t.Errorf("progress %+v, %v", p, err)
		}
		// The rate counts the last minute only.
		clk.Advance(time.Minute)
		if p, _ := bDesk.IssueProgress(ctx, admin, is.ID); p.PerMinute() != 0 {
			t.Errorf("a minute later: %d a minute", p.PerMinute())
		}
		if _, counts, err := a.NewsletterStats(ctx); err != nil || counts[n.ID]["sent"] != total || counts[n.ID]["sent_recent"] != 0 {
			t.Errorf("stats %v, %v", counts, err)
		}
		counts, _ := received(t, srv, total)
		for _, r := range readers {
			if counts[r] != 1 {
				t.Errorf("%s got %d copies", r, counts[r])
			}
		}
	})
}
