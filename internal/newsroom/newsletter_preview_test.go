package newsroom_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"masthead/internal/mail/mailtest"
	"masthead/internal/news"
	"masthead/internal/newsroom"
)

func TestNewsletterPreviewAndTestSend(t *testing.T) {
	ctx := context.Background()
	d := newAccountsDesk(t)
	srv := mailtest.Start(t, mailtest.Options{})
	desk := smtpDesk(d.site.Store, srv, d.clock)
	editor := d.staff[news.RoleEditor]
	me, err := d.site.Store.StaffByID(ctx, editor.ID)
	if err != nil {
		t.Fatal(err)
	}
	n, err := desk.CreateNewsletter(ctx, d.staff[news.RoleAdmin], briefingInput())
	if err != nil {
		t.Fatal(err)
	}
	subscribed(t, d.site.Store, n, addresses(3)...)
	in := newsroom.BriefingInput{Subject: "Today\r\nBcc: victim@example.test", Intro: "The *council* met.", Stories: []int64{}}

	t.Run("permissions", func(t *testing.T) {
		for _, role := range []news.Role{news.RoleContributor, news.RoleAuthor} {
			if _, err := desk.PreviewBriefing(ctx, d.staff[role], n.ID, in); !errors.Is(err, news.ErrForbidden) {
				t.Errorf("%s previews: %v", role, err)
			}
			if _, err := desk.SendBriefingTest(ctx, d.staff[role], n.ID, in); !errors.Is(err, news.ErrForbidden) {
				t.Errorf("%s sends a test: %v", role, err)
			}
		}
		var fe news.FieldErrors
		if _, err := desk.SendBriefingTest(ctx, editor, n.ID, newsroom.BriefingInput{}); !errors.As(err, &fe) || fe["subject"] == "" || fe["body"] == "" {
			t.Errorf("an empty briefing: %v", err)
		}
		if srv.Pending() != 0 {
			t.Errorf("a refused test was mailed")
		}
	})

	t.Run("preview", func(t *testing.T) {
		p, err := desk.PreviewBriefing(ctx, editor, n.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		if p.Subject != "Today Bcc: victim@example.test" || p.From.Email != "news@gazette.test" || p.From.Name != "The Gazette" {
			t.Errorf("preview: %q from %+v", p.Subject, p.From)
		}
		for _, part := range []string{p.HTML, p.Text} {
			if !strings.Contains(part, "https://gazette.test/newsletters/unsubscribe/test") || strings.Contains(part, "This is a test") {
				t.Errorf("a part lacks the inert unsubscribe link or says it is a test:\n%s", part)
			}
		}
		if !strings.Contains(p.HTML, "<em>council</em>") || !strings.Contains(p.Text, "council") {
			t.Errorf("the preview lacks the issue:\n%s\n%s", p.HTML, p.Text)
		}
	})

	t.Run("test send", func(t *testing.T) {
		sent, err := desk.SendBriefingTest(ctx, editor, n.ID, in)
		if err != nil || sent.To != me.Email || sent.Logged {
			t.Fatalf("test: %+v, %v", sent, err)
		}
		_, msgs := received(t, srv, 1)
		m := msgs[0]
		if len(m.To) != 1 || m.To[0] != me.Email {
			t.Errorf("the test went to %v, want %s only", m.To, me.Email)
		}
		if got := m.Header.Get("Subject"); got != "[Test] Today Bcc: victim@example.test" {
			t.Errorf("subject %q", got)
		}
		if m.Header.Get("Bcc") != "" || strings.Contains(string(m.Raw), "\nBcc:") {
			t.Errorf("a line break in the subject became a header:\n%s", m.Raw)
		}
		if got := m.Header.Get("List-Unsubscribe"); got != "<https://gazette.test/newsletters/unsubscribe/test>" {
			t.Errorf("List-Unsubscribe %q, want the inert link", got)
		}
		if body := strings.ReplaceAll(m.Body, "=\n", ""); !strings.Contains(body, "This is a test sent only to you") || !strings.Contains(body, "<em>council</em>") {
			t.Errorf("the test lacks the issue or its note:\n%s", m.Body)
		}
		dk, err := desk.NewsletterDesk(ctx, editor, n.ID)
		if err != nil || len(dk.Issues) != 0 {
			t.Errorf("a test became an issue: %+v, %v", dk, err)
		}
		if k, err := desk.SendDue(ctx, "worker", 0); err != nil || k != 0 {
			t.Errorf("the queue held %d after a test, %v", k, err)
		}
	})

	t.Run("rate limit", func(t *testing.T) {
		// One test went already; nine more are allowed this hour.
		for i := range 9 {
			if _, err := desk.SendBriefingTest(ctx, editor, n.ID, in); err != nil {
				t.Fatalf("test %d: %v", i+2, err)
			}
		}
		srv.WaitCount(t, 10, time.Minute)
		var te *newsroom.ThrottledError
		if _, err := desk.SendBriefingTest(ctx, editor, n.ID, in); !errors.As(err, &te) || te.RetryAfter <= 0 {
			t.Fatalf("the eleventh test in an hour: %v", err)
		}
		// The limit is the member of staff's, not the newsletter's.
		if _, err := desk.SendBriefingTest(ctx, d.staff[news.RoleAdmin], n.ID, in); err != nil {
			t.Errorf("another editor's test: %v", err)
		}
		d.clock.Advance(time.Hour + time.Second)
		if _, err := desk.SendBriefingTest(ctx, editor, n.ID, in); err != nil {
			t.Errorf("a test an hour later: %v", err)
		}
		srv.WaitCount(t, 12, time.Minute)
		admin, _ := d.site.Store.StaffByID(ctx, d.staff[news.RoleAdmin].ID)
		if got := srv.CountByRecipient(t); len(got) != 2 || got[me.Email] != 11 || got[admin.Email] != 1 {
			t.Errorf("tests went to %v, want the senders only", got)
		}
	})
}
