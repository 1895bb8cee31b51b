package bounces_test

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/smtp"
	"net/textproto"
	"strings"
	"testing"
	"time"

	"masthead/internal/bounces"
	"masthead/internal/clock"
	"masthead/internal/mail"
	"masthead/internal/mail/mailtest"
	"masthead/internal/news"
	"masthead/internal/newsroom"
	"masthead/internal/testutil"
)

// TestBouncesOverSMTP sends an issue to Mailpit with per-message return
// paths, then mails delivery-status reports to those return paths at the
// intake over SMTP, as a receiving server would, and checks what each did.
func TestBouncesOverSMTP(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		ctx := context.Background()
		site := testutil.NewSiteOn(t, b)
		clk := clock.NewManual(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
		srv := mailtest.Start(t, mailtest.Options{})
		desk := newsroom.New(site.Store, newsroom.Config{Location: time.UTC, Clock: clk, BaseURL: "https://gazette.test",
			Mailer: &mail.SMTP{Addr: srv.Addr, From: mail.Address{Email: "bounces@gazette.test"}}, ReturnPath: "bounces@gazette.test"})
		admin := news.Actor{Role: news.RoleAdmin}
		n, err := desk.CreateNewsletter(ctx, admin, newsroom.NewsletterInput{Name: "Morning Briefing", Kind: news.NewsletterBriefing, FromEmail: "news@gazette.test"})
		if err != nil {
			t.Fatal(err)
		}
		readers := []string{"gone@example.test", "full@example.test", "late@example.test", "fine@example.test"}
		if rep, err := desk.ImportSubscribers(ctx, admin, n.ID, strings.NewReader("email\n"+strings.Join(readers, "\n")+"\n")); err != nil || rep.Refused {
			t.Fatalf("import: %+v, %v", rep, err)
		}
		if _, err := desk.SendIssue(ctx, admin, n.ID, newsroom.IssueInput{Subject: "Issue one", Markdown: "News."}); err != nil {
			t.Fatal(err)
		}
		if k, err := desk.SendDue(ctx, "worker", 0); err != nil || k != len(readers) {
			t.Fatalf("sent %d: %v", k, err)
		}
		returnPath := map[string]string{}
		for _, m := range srv.Messages(t) {
			if !strings.HasPrefix(m.From, "bounces+") || !strings.HasSuffix(m.From, "@gazette.test") {
				t.Errorf("return path %q", m.From)
			}
			returnPath[m.To[0]] = m.From
		}

		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		intake := bounces.New(ctx, desk, slog.New(slog.DiscardHandler), "gazette.test")
		go func() { _ = intake.Serve(ln) }()
		t.Cleanup(func() { _ = intake.Shutdown(context.Background()) })
		addr := ln.Addr().String()
		report := func(rcpt, about, action, status string) error {
			return smtp.SendMail(addr, nil, "", []string{rcpt}, mailtest.DSN(rcpt, about, action, status, "550 "+status+" said the server"))
		}

		tests := []struct {
			name       string
			rcpt       string
			send       func(rcpt string) error
			wantCode   int      // an SMTP refusal, or 0
			suppressed []string // addresses suppressed afterwards
		}{
			{"hard bounce suppresses at once", returnPath["gone@example.test"],
				func(rcpt string) error { return report(rcpt, "gone@example.test", "failed", "5.1.1") }, 0, []string{"gone@example.test"}},
			{"two soft bounces do not", returnPath["full@example.test"], func(rcpt string) error {
				if err := report(rcpt, "full@example.test", "failed", "4.2.2"); err != nil {
					return err
				}
				return report(rcpt, "full@example.test", "delayed", "4.4.1")
			}, 0, []string{"gone@example.test"}},
			{"the third soft bounce does", returnPath["full@example.test"],
				func(rcpt string) error { return report(rcpt, "full@example.test", "failed", "4.2.2") }, 0, []string{"gone@example.test", "full@example.test"}},
			{"an auto-reply is taken and dropped", returnPath["late@example.test"], func(rcpt string) error {
				return smtp.SendMail(addr, nil, "late@example.test", []string{rcpt}, []byte("From: late@example.test\r\nSubject: Out of office\r\n\r\nBack on Monday.\r\n"))
			}, 0, []string{"gone@example.test", "full@example.test"}},
			{"a made-up return path is refused", strings.Replace(returnPath["fine@example.test"], "+", "+9", 1),
				func(rcpt string) error { return report(rcpt, "fine@example.test", "failed", "5.1.1") }, 550, []string{"gone@example.test", "full@example.test"}},
			{"a forged signature is refused", returnPath["fine@example.test"][:strings.IndexByte(returnPath["fine@example.test"], '@')-1] + "x@gazette.test",
				func(rcpt string) error { return report(rcpt, "fine@example.test", "failed", "5.1.1") }, 550, []string{"gone@example.test", "full@example.test"}},
			{"a plain address is refused", "bounces@gazette.test",
				func(rcpt string) error { return report(rcpt, "fine@example.test", "failed", "5.1.1") }, 550, []string{"gone@example.test", "full@example.test"}},
			{"CRLF in the recipient is refused", "bounces+1.1.x@gazette.test\r\nRCPT TO:<a@b>",
				func(rcpt string) error { return report(rcpt, "fine@example.test", "failed", "5.1.1") }, -1, []string{"gone@example.test", "full@example.test"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if tt.rcpt == "" {
					t.Fatal("no return path for the test's reader")
				}
				err := tt.send(tt.rcpt)
				var reply *textproto.Error
				switch {
				case tt.wantCode == 0 && err != nil:
					t.Fatalf("refused: %v", err)
				case tt.wantCode > 0 && (!errors.As(err, &reply) || reply.Code != tt.wantCode):
					t.Fatalf("err = %v, want a %d reply", err, tt.wantCode)
				case tt.wantCode < 0 && err == nil:
					t.Fatal("accepted")
				}
				for _, r := range readers {
					want := false
					for _, s := range tt.suppressed {
						want = want || s == r
					}
					if got, err := site.Store.Suppressed(ctx, r, n.ID); err != nil || got != want {
						t.Errorf("%s suppressed = %v (%v), want %v", r, got, err, want)
					}
				}
			})
		}
		// The next issue leaves the bounced addresses out.
		is, err := desk.SendIssue(ctx, admin, n.ID, newsroom.IssueInput{Subject: "Issue two", Markdown: "More news."})
		if err != nil || is.Recipients != 2 {
			t.Errorf("issue two queued to %+v, %v; want the 2 addresses that did not bounce", is, err)
		}
	})
}
