package main_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"masthead/internal/mail/mailtest"
	"masthead/internal/news"
	"masthead/internal/newsroom"
	"masthead/internal/store"
)

// TestNewsletterSendSurvivesKill queues one issue to many subscribers,
// lets the real server send it to Mailpit, kills the server with SIGKILL
// mid-send, restarts it and waits for the send to finish: every address
// must have exactly one copy, except the message in flight at the kill,
// which the queue marks in doubt and never sends again (so at most one
// copy). MASTHEAD_MAIL_CRASH_RECIPIENTS sets the number of subscribers
// (1,000 by default, to keep CI short; 10000 for the run the README
// cites).
func TestNewsletterSendSurvivesKill(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the real binary")
	}
	recipients := 1000
	if v := os.Getenv("MASTHEAD_MAIL_CRASH_RECIPIENTS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 10 {
			t.Fatalf("MASTHEAD_MAIL_CRASH_RECIPIENTS=%q: give a number, 10 or more", v)
		}
		recipients = n
	}
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "data")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	emails := make([]string, recipients)
	for i := range emails {
		emails[i] = fmt.Sprintf("reader%05d@example.test", i)
	}
	issueID := queueIssue(t, filepath.Join(dir, "masthead.db"), emails)

	smtp := mailtest.Start(t, mailtest.Options{})
	args := []string{"--demo=false", "--smtp-addr", smtp.Addr, "--smtp-from", "bounces@gazette.test"}
	start := time.Now()
	first := startServer(t, dir, args...)
	// Kill once a fifth has arrived: well inside the send.
	if got := smtp.WaitCount(t, recipients/5, 10*time.Minute); got < recipients/5 {
		t.Fatalf("only %d of %d messages arrived before the kill\n%s", got, recipients, first.logs.String())
	}
	first.kill()
	atKill := smtp.Count(t)
	t.Logf("killed with SIGKILL after %d of %d messages (%v)", atKill, recipients, time.Since(start).Round(time.Millisecond))

	second := startServer(t, dir, args...)
	st, err := store.OpenSQLite(ctx, filepath.Join(dir, "masthead.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var p news.SendProgress
	deadline := time.Now().Add(15 * time.Minute) // generous: the machine may be busy
	var emptied time.Time
	for {
		if p, err = st.IssueProgress(ctx, issueID, time.Now()); err != nil {
			t.Fatal(err)
		}
		if p.Queued == 0 && emptied.IsZero() {
			emptied = time.Now()
		}
		// Once nothing is queued the restarted server may still be
		// sending the last message (its worker's one in flight): wait
		// for it, a while, so that only the kill's is left in doubt.
		settled := p.Sending+p.Unknown <= 1 || time.Since(emptied) > 30*time.Second
		if p.Queued == 0 && settled || time.Now().After(deadline) {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if p.Queued != 0 {
		t.Fatalf("the send did not finish: %+v\n%s", p, second.logs.String())
	}
	t.Logf("the restarted server finished the send %v after the first start: %+v", time.Since(start).Round(time.Millisecond), p)

	// Everything handed over has arrived once the queue is empty: a
	// delivery is recorded sent only after Mailpit has answered its DATA.
	counts := smtp.CountByRecipient(t)
	inDoubt := p.Sending + p.Unknown // the kill's message in flight: its lease is still running, or has run out
	missing := 0
	for _, e := range emails {
		switch n := counts[e]; {
		case n > 1:
			t.Errorf("%s got %d copies", e, n)
		case n == 0:
			missing++
		}
		delete(counts, e)
	}
	if len(counts) > 0 {
		t.Errorf("mail to addresses never queued: %v", counts)
	}
	if p.Sent+inDoubt != recipients || p.Failed != 0 || p.Skipped != 0 {
		t.Errorf("progress %+v, want %d sent or in doubt", p, recipients)
	}
	if inDoubt > 1 || missing > inDoubt {
		t.Errorf("%d addresses have no copy, %d deliveries are in doubt; a kill leaves at most one in doubt (one worker)", missing, inDoubt)
	}
	t.Logf("%d recipients: %d with exactly one copy, %d in doubt at the kill (%d of them without a copy), none with two",
		recipients, recipients-missing, inDoubt, missing)
}

// queueIssue makes the database at path with a newsletter whose confirmed
// subscribers are emails, and queues one issue to them.
func queueIssue(t *testing.T, path string, emails []string) int64 {
	t.Helper()
	ctx := context.Background()
	st, err := store.OpenSQLite(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	desk := newsroom.New(st, newsroom.Config{BaseURL: "https://gazette.test"})
	admin := news.Actor{Role: news.RoleAdmin}
	n, err := desk.CreateNewsletter(ctx, admin, newsroom.NewsletterInput{Name: "Morning Briefing", Kind: news.NewsletterBriefing, FromName: "The Gazette", FromEmail: "news@gazette.test"})
	if err != nil {
		t.Fatal(err)
	}
	if rep, err := desk.ImportSubscribers(ctx, admin, n.ID, strings.NewReader("email\n"+strings.Join(emails, "\n")+"\n")); err != nil || rep.Refused {
		t.Fatalf("import: %+v, %v", rep, err)
	}
	is, err := desk.SendIssue(ctx, admin, n.ID, newsroom.IssueInput{Subject: "Tuesday", Markdown: "# Top stories\n\nThe council met."})
	if err != nil || is.Recipients != len(emails) {
		t.Fatalf("queue: %+v, %v", is, err)
	}
	return is.ID
}
