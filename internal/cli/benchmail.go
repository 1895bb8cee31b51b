package cli

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"masthead/internal/clock"
	"masthead/internal/config"
	"masthead/internal/news"
	"masthead/internal/newsroom"
)

// benchMail measures a newsletter send on an empty site: it makes a
// newsletter with N confirmed subscribers (an import), queues one issue to
// them (SendIssue, timed: the time to queue), then sends the queue
// through the SMTP server at --smtp-addr with the same SendDue as `masthead
// serve` (timed: messages per second), and prints the process's peak
// memory (VmHWM). Point it at a local Mailpit (scripts/mailbench does).
func benchMail(ctx context.Context, env Env, args []string) error {
	fs := flag.NewFlagSet("bench mail", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	var storage config.Storage
	config.RegisterStorage(fs, &storage)
	subscribers := fs.Int("subscribers", 100000, "how many confirmed subscribers to queue the issue to")
	workers := fs.Int("workers", 1, "senders at once (masthead serve runs one per instance)")
	smtp := config.SMTP{From: "bounces@bench.example"}
	fs.StringVar(&smtp.Addr, "smtp-addr", "", "the SMTP server to send to, host:port (a local Mailpit)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := storage.Validate(); err != nil || *subscribers < 1 || *workers < 1 || smtp.Addr == "" || fs.NArg() > 0 {
		return fmt.Errorf("%w: bench mail --data DIR --subscribers N --smtp-addr HOST:PORT [--workers N]: %v", ErrUsage, err)
	}
	log := slog.New(slog.NewTextHandler(env.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	mailer, err := newMailer(smtp, log)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, storage)
	if err != nil {
		return err
	}
	defer st.Close()
	desk := newsroom.New(st, newsroom.Config{Clock: clock.System{}, BaseURL: "https://bench.example", Mailer: mailer, Log: log})
	admin := news.Actor{Role: news.RoleAdmin}
	n, err := desk.CreateNewsletter(ctx, admin, newsroom.NewsletterInput{Name: "Bench " + strconv.FormatInt(time.Now().UnixNano(), 36),
		Kind: news.NewsletterBriefing, FromName: "The Bench", FromEmail: "news@bench.example"})
	if err != nil {
		return err
	}
	var csv strings.Builder
	csv.WriteString("email\n")
	for i := range *subscribers {
		fmt.Fprintf(&csv, "reader%07d@example.test\n", i)
	}
	start := time.Now()
	if rep, err := desk.ImportSubscribers(ctx, admin, n.ID, strings.NewReader(csv.String())); err != nil || rep.Refused {
		return fmt.Errorf("import subscribers: %v (%+v)", err, rep)
	}
	imported := time.Since(start)
	start = time.Now()
	is, err := desk.SendIssue(ctx, admin, n.ID, newsroom.IssueInput{Subject: "The bench briefing",
		Markdown: "# Top stories\n\nThe council met on Tuesday and agreed the budget. " + strings.Repeat("More news follows. ", 40)})
	if err != nil {
		return err
	}
	queued := time.Since(start)
	fmt.Fprintf(env.Stdout, "imported %d subscribers in %.1f s; queued the issue to %d in %.2f s\n", *subscribers, imported.Seconds(), is.Recipients, queued.Seconds())

	start = time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, *workers)
	for w := range *workers {
		wg.Go(func() {
			if _, err := desk.SendDue(ctx, fmt.Sprintf("bench-%d", w), 0); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return err
	}
	took := time.Since(start)
	p, err := desk.IssueProgress(ctx, admin, is.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "sent %d (failed %d, in doubt %d) in %.1f s with %d worker(s): %.0f messages/s\n",
		p.Sent, p.Failed, p.Unknown, took.Seconds(), *workers, float64(p.Sent)/took.Seconds())
	fmt.Fprintf(env.Stdout, "peak memory (VmHWM): %s\n", peakRSS())
	return nil
}

// peakRSS is the process's peak resident memory, from Linux's
// /proc/self/status; "unknown" elsewhere.
func peakRSS() string {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return "unknown"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}
