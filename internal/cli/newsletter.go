package cli

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"time"

	"masthead/internal/clock"
	"masthead/internal/config"
	"masthead/internal/news"
	"masthead/internal/newsroom"
)

// newsletterCmd is newsletters for automation:
//
//	masthead newsletter send --data DIR --newsletter SLUG --subject TEXT --file BODY.md
func newsletterCmd(ctx context.Context, env Env, args []string) error {
	if len(args) == 0 || args[0] != "send" {
		fmt.Fprint(env.Stderr, `Usage:
  masthead newsletter send [--data DIR | --database URL] --newsletter SLUG --subject TEXT --file BODY.md
      --base-url URL --smtp-addr HOST:PORT --smtp-from ADDRESS [--smtp-user USER]
      [--dkim-key FILE --dkim-selector NAME [--dkim-domain DOMAIN]]
      queue an issue (Markdown) to the newsletter's confirmed subscribers and send it; a running
      'masthead serve' on the same database shares the sending, and either resumes what the other left
`)
		if len(args) > 0 && (args[0] == "help" || args[0] == "-h" || args[0] == "--help") {
			return nil
		}
		return fmt.Errorf("%w: newsletter needs a command (send)", ErrUsage)
	}
	fs := flag.NewFlagSet("newsletter send", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	var st config.Storage
	config.RegisterStorage(fs, &st)
	slug := fs.String("newsletter", "", "the newsletter's slug")
	subject := fs.String("subject", "", "the issue's subject")
	file := fs.String("file", "", "the issue's body, Markdown")
	baseURL := fs.String("base-url", os.Getenv("MASTHEAD_BASE_URL"), "public URL of the site, for the links in the mail (env MASTHEAD_BASE_URL)")
	smtp := config.SMTP{Password: os.Getenv("MASTHEAD_SMTP_PASSWORD")}
	fs.StringVar(&smtp.Addr, "smtp-addr", os.Getenv("MASTHEAD_SMTP_ADDR"), "mail server, host:port (env MASTHEAD_SMTP_ADDR)")
	fs.StringVar(&smtp.User, "smtp-user", os.Getenv("MASTHEAD_SMTP_USER"), "mail server user; the password from $MASTHEAD_SMTP_PASSWORD")
	fs.StringVar(&smtp.From, "smtp-from", os.Getenv("MASTHEAD_SMTP_FROM"), "envelope sender, where bounces go (env MASTHEAD_SMTP_FROM)")
	config.RegisterDKIM(fs, &smtp)
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	switch {
	case fs.NArg() > 0:
		return fmt.Errorf("%w: newsletter send takes no arguments", ErrUsage)
	case *slug == "" || *subject == "" || *file == "":
		return fmt.Errorf("%w: newsletter send needs --newsletter, --subject and --file", ErrUsage)
	case *baseURL == "":
		return fmt.Errorf("%w: newsletter send needs --base-url (or MASTHEAD_BASE_URL) for the unsubscribe links", ErrUsage)
	case smtp.Addr == "":
		return fmt.Errorf("%w: newsletter send needs --smtp-addr and --smtp-from (or MASTHEAD_SMTP_ADDR and MASTHEAD_SMTP_FROM)", ErrUsage)
	}
	if err := st.Validate(); err != nil {
		return fmt.Errorf("%w: %v", ErrUsage, err)
	}
	body, err := os.ReadFile(*file)
	if err != nil {
		return fmt.Errorf("--file: %w", err)
	}
	log := slog.New(slog.NewTextHandler(env.Stderr, nil))
	mailer, err := newMailer(smtp, log)
	if err != nil {
		return err
	}
	s, err := openStore(ctx, st)
	if err != nil {
		return err
	}
	defer s.Close()
	desk := newsroom.New(s, newsroom.Config{Clock: clock.System{}, BaseURL: *baseURL, Mailer: mailer, Log: log})
	n, err := desk.Newsletter(ctx, *slug)
	if errors.Is(err, news.ErrNotFound) {
		return fmt.Errorf("%w: no newsletter %q", ErrUsage, *slug)
	} else if err != nil {
		return err
	}
	// The command line is the site's operator: it acts as an administrator.
	is, err := desk.SendIssue(ctx, news.Actor{Role: news.RoleAdmin}, n.ID, newsroom.IssueInput{Subject: *subject, Markdown: string(body)})
	var fe news.FieldErrors
	if errors.As(err, &fe) {
		return fmt.Errorf("%w: %v", ErrUsage, fe)
	} else if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Queued issue %d of %s to %s.\n", is.ID, n.Name, plural(is.Recipients, "subscriber", "subscribers"))
	start := time.Now()
	sent, err := desk.SendDue(ctx, workerName(), 0)
	if err != nil {
		return err
	}
	p, err := desk.IssueProgress(ctx, news.Actor{Role: news.RoleAdmin}, is.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Handled %d messages in %s: %d sent, %d failed, %d skipped, %d in doubt, %d waiting to retry.\n",
		sent, time.Since(start).Round(time.Millisecond), p.Sent, p.Failed, p.Skipped, p.Unknown, p.Remaining())
	if p.Remaining() > 0 {
		fmt.Fprintln(env.Stdout, "The rest is retried by 'masthead serve' on this database, or by running this command's sender again.")
	}
	return nil
}

// workerName names this process's send-queue worker, unique across
// instances, for the leases it takes.
func workerName() string {
	host, _ := os.Hostname()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%s/%d/%s", host, os.Getpid(), hex.EncodeToString(b))
}

// runNewsletterSender delivers the newsletter send queue, and the mail
// that tells staff of their stories' steps: at start (which resumes
// whatever a stopped instance left) and then every few seconds. Several
// instances on one database share the work.
func runNewsletterSender(ctx context.Context, log *slog.Logger, desk *newsroom.Service) {
	owner := workerName()
	everyTick(ctx, 5*time.Second, func() {
		n, err := desk.SendStaffMail(ctx, owner, 0)
		logRound(ctx, log, "sending mail to staff", "staff messages handled", n, err)
		n, err = desk.SendDue(ctx, owner, 0)
		logRound(ctx, log, "sending newsletters", "newsletter messages handled", n, err)
	})
}

// runNewsletterSchedules queues scheduled newsletters as their times come
// (by the service's clock): at start, which catches up on a time passed
// while the server was down, then every 20 seconds. Each scheduled time
// is handled once across restarts and instances (newsroom.RunSchedules);
// the sender above delivers what it queues.
func runNewsletterSchedules(ctx context.Context, log *slog.Logger, desk *newsroom.Service) {
	everyTick(ctx, 20*time.Second, func() {
		n, err := desk.RunSchedules(ctx)
		logRound(ctx, log, "scheduled newsletters", "scheduled newsletter issues queued", n, err)
	})
}

// everyTick runs fn now and then every interval until ctx ends.
func everyTick(ctx context.Context, interval time.Duration, fn func()) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		fn()
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// logRound logs one round of background work: its error (unless the
// server is stopping), or how much it did when it did anything.
func logRound(ctx context.Context, log *slog.Logger, what, done string, n int, err error) {
	if err != nil && ctx.Err() == nil {
		log.Error(what, slog.Any("err", err))
	}
	if n > 0 {
		log.Info(done, slog.Int("count", n))
	}
}
