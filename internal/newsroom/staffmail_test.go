package newsroom_test

import (
	"context"
	"mime"
	"strings"
	"testing"
	"time"

	"masthead/internal/clock"
	"masthead/internal/mail/mailtest"
	"masthead/internal/news"
	"masthead/internal/newsroom"
	"masthead/internal/testutil"
)

// TestWorkflowMail: a story's steps are told by mail, through a real SMTP
// server, to those who act next — the editors of a submission, the writer
// of a return (with the note), a schedule, a publication — never to the
// one who took the step, nor to anyone who turned it off; each message
// once, across workers and a crash mid-send.
func TestWorkflowMail(t *testing.T) {
	ctx := context.Background()
	clk := clock.NewManual(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	site := testutil.NewSiteAt(t, clk) // the store queues by the same clock the sender reads
	srv := mailtest.Start(t, mailtest.Options{})
	desk := smtpDesk(site.Store, srv, clk)
	staff := site.StaffByRole(t, "Staff", staffPassword)
	writer, editor, admin := staff[news.RoleContributor], staff[news.RoleEditor], staff[news.RoleAdmin]
	quiet := site.Staff(t, "Quinn Quiet", news.RoleEditor, staffPassword)
	if err := desk.SetWorkflowMail(ctx, news.Actor{ID: quiet.ID, Role: quiet.Role}, false); err != nil {
		t.Fatal(err)
	}
	email := func(a news.Actor) string {
		u, err := site.Store.StaffByID(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		return u.Email
	}
	a, err := desk.Create(ctx, writer, news.Snapshot{Headline: "Pier to reopen in spring", Body: "Work is nearly done.", AuthorIDs: []int64{writer.ID}})
	if err != nil {
		t.Fatal(err)
	}
	step := func(by news.Actor, action news.Action, at time.Time, note string) {
		t.Helper()
		if _, err := desk.Transition(ctx, by, a.ID, action, at, note); err != nil {
			t.Fatalf("%s: %v", action, err)
		}
	}
	send := func(want int) {
		t.Helper()
		if n, err := desk.SendStaffMail(ctx, "worker", 0); err != nil || n != want {
			t.Fatalf("sent %d, %v; want %d", n, err, want)
		}
	}
	expect := func(to string, subject string, body ...string) {
		t.Helper()
		m := srv.Next(t)
		if got, subj := strings.Join(m.To, ","), subjectOf(t, m); got != to || subj != subject+" — The Test Gazette" {
			t.Errorf("to %s, %q; want to %s, %q", got, subj, to, subject)
		}
		for _, b := range body {
			if !strings.Contains(m.Body, b) {
				t.Errorf("mail to %s lacks %q:\n%s", to, b, m.Body)
			}
		}
	}

	step(writer, news.ActionSubmit, time.Time{}, "")
	send(2) // the editor and the administrator; not Quinn, who turned it off
	counts := srv.CountByRecipient(t)
	if counts[email(editor)] != 1 || counts[email(admin)] != 1 || len(counts) != 2 {
		t.Errorf("a submission was mailed to %v", counts)
	}
	expect(email(admin), "For review: Pier to reopen in spring", "Staff contributor submitted “Pier to reopen in spring” for review.",
		"https://gazette.test/admin/articles/", "https://gazette.test/admin/profile#mail")
	expect(email(editor), "For review: Pier to reopen in spring")

	step(editor, news.ActionReturn, time.Time{}, "Ask the harbour master.\nAnd add a photo.")
	send(1)
	expect(email(writer), "Returned to you: Pier to reopen in spring", "Staff editor returned “Pier to reopen in spring” to you as a draft, with this note:",
		"    Ask the harbour master.\n    And add a photo.")

	step(writer, news.ActionSubmit, time.Time{}, "")
	when := clk.Now().Add(2 * time.Hour)
	step(editor, news.ActionSchedule, when, "") // the admin's copy of the submission, and the writer's of the schedule
	clk.Advance(3 * time.Hour)
	if n, err := desk.PublishDue(ctx); err != nil || n != 1 {
		t.Fatalf("the scheduler published %d, %v", n, err)
	}
	// Two workers share the queue; each message goes once.
	if n, err := desk.SendStaffMail(ctx, "first", 2); err != nil || n != 2 {
		t.Fatalf("first worker: %d, %v", n, err)
	}
	second := smtpDesk(site.Store, srv, clk)
	if n, err := second.SendStaffMail(ctx, "second", 0); err != nil || n != 2 {
		t.Fatalf("second worker: %d, %v", n, err)
	}
	send(0)
	counts = srv.CountByRecipient(t)
	if counts[email(writer)] != 3 || counts[email(editor)] != 2 || counts[email(admin)] != 2 { // since the start
		t.Errorf("resubmitted, scheduled and published: mail to %v", counts)
	}
	for range 4 {
		m := srv.Next(t)
		if strings.HasPrefix(subjectOf(t, m), "Published:") && (!strings.Contains(m.Body, "“Pier to reopen in spring” was published as scheduled.") ||
			!strings.Contains(m.Body, "Read it on the site:\nhttps://gazette.test/2026/03/02/pier-to-reopen-in-spring\n")) {
			t.Errorf("the publication's mail:\n%s", m.Body)
		}
		if strings.HasPrefix(subjectOf(t, m), "Scheduled:") && !strings.Contains(m.Body, "scheduled “Pier to reopen in spring” for "+when.Format("2 January 2006 at 15:04 MST")+".") {
			t.Errorf("the schedule's mail:\n%s", m.Body)
		}
	}

	// A worker that stopped mid-send leaves its message unknown, never sent twice.
	step(editor, news.ActionUnpublish, time.Time{}, "")
	now := clk.Now()
	leased, err := site.Store.LeaseStaffMail(ctx, "crashed", now, now.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	clk.Advance(2 * time.Minute)
	send(0)
	states, err := site.Store.StaffMailStates(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if st := states[[2]int64{leased.EventID, leased.UserID}]; st != "unknown" {
		t.Errorf("the crashed worker's message: %s, want unknown", st)
	}
	if extra := srv.Pending(); extra != 0 {
		t.Errorf("%d messages more than expected", extra)
	}

	// Without a mail server, nothing is queued.
	plain := newsroom.New(site.Store, newsroom.Config{Location: time.UTC, Clock: clk})
	b, err := plain.Create(ctx, writer, news.Snapshot{Headline: "Quiet story", Body: "Text.", AuthorIDs: []int64{writer.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := plain.Transition(ctx, writer, b.ID, news.ActionSubmit, time.Time{}, ""); err != nil {
		t.Fatal(err)
	}
	if states, err := site.Store.StaffMailStates(ctx, b.ID); err != nil || len(states) != 0 {
		t.Errorf("queued without a mail server: %v, %v", states, err)
	}
}

func subjectOf(t *testing.T, m *mailtest.Message) string {
	t.Helper()
	s, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}
