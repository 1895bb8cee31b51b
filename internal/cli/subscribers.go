package cli

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"masthead/internal/clock"
	"masthead/internal/config"
	"masthead/internal/news"
	"masthead/internal/newsroom"
)

// subscribersCmd imports and exports a newsletter's subscribers as CSV:
//
//	masthead subscribers import --data DIR --newsletter SLUG --file EXPORT.csv
//	masthead subscribers export --data DIR --newsletter SLUG --file OUT.csv
func subscribersCmd(ctx context.Context, env Env, args []string) error {
	if len(args) == 0 || args[0] != "import" && args[0] != "export" {
		fmt.Fprint(env.Stderr, `Usage:
  masthead subscribers import [--data DIR | --database URL] --newsletter SLUG --file EXPORT.csv
      make the addresses of a Mailchimp, Substack or Ghost export confirmed subscribers (they
      opted in there); all or nothing; prints the rows left out; never re-subscribes an address
      that unsubscribed, bounced or complained
  masthead subscribers export [--data DIR | --database URL] --newsletter SLUG [--file OUT.csv]
      write the confirmed subscribers as CSV (email, name, subscribed_at), to standard output
      without --file
`)
		if len(args) > 0 && (args[0] == "help" || args[0] == "-h" || args[0] == "--help") {
			return nil
		}
		return fmt.Errorf("%w: subscribers needs a command (import or export)", ErrUsage)
	}
	cmd := args[0]
	fs := flag.NewFlagSet("subscribers "+cmd, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	var st config.Storage
	config.RegisterStorage(fs, &st)
	slug := fs.String("newsletter", "", "the newsletter's slug")
	file := fs.String("file", "", "the CSV file")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	switch {
	case fs.NArg() > 0:
		return fmt.Errorf("%w: subscribers %s takes no arguments", ErrUsage, cmd)
	case *slug == "":
		return fmt.Errorf("%w: subscribers %s needs --newsletter", ErrUsage, cmd)
	case cmd == "import" && *file == "":
		return fmt.Errorf("%w: subscribers import needs --file", ErrUsage)
	}
	if err := st.Validate(); err != nil {
		return fmt.Errorf("%w: %v", ErrUsage, err)
	}
	s, err := openStore(ctx, st)
	if err != nil {
		return err
	}
	defer s.Close()
	desk := newsroom.New(s, newsroom.Config{Clock: clock.System{}})
	n, err := desk.Newsletter(ctx, *slug)
	if errors.Is(err, news.ErrNotFound) {
		return fmt.Errorf("%w: no newsletter %q", ErrUsage, *slug)
	} else if err != nil {
		return err
	}
	// The command line is the site's operator: it acts as an administrator.
	operator := news.Actor{Role: news.RoleAdmin}
	if cmd == "export" {
		var b bytes.Buffer
		if err := desk.ExportSubscribers(ctx, operator, n.ID, &b); err != nil {
			return err
		}
		if *file == "" {
			_, err = env.Stdout.Write(b.Bytes())
			return err
		}
		return os.WriteFile(*file, b.Bytes(), 0o600)
	}
	f, err := os.Open(*file)
	if err != nil {
		return fmt.Errorf("--file: %w", err)
	}
	defer f.Close()
	rep, err := desk.ImportSubscribers(ctx, operator, n.ID, f)
	var fe news.FieldErrors
	if errors.As(err, &fe) {
		return fmt.Errorf("%w: %s: %s", ErrUsage, *file, fe["file"])
	} else if err != nil {
		return err
	}
	printImport(env.Stdout, n, rep)
	if rep.Refused {
		return fmt.Errorf("%s: nothing imported: correct the malformed addresses and import again", *file)
	}
	return nil
}

func printImport(w io.Writer, n *news.Newsletter, rep *newsroom.SubscriberImport) {
	if !rep.Refused {
		fmt.Fprintf(w, "Imported %s to %s from a %s export (confirmed: they opted in there); %d already subscribed.\n",
			plural(rep.Imported, "new subscriber", "new subscribers"), n.Name, rep.Format, rep.Already)
	}
	if len(rep.Rejected) > 0 {
		fmt.Fprintf(w, "Rows left out (%d):\n", len(rep.Rejected))
		for _, r := range rep.Rejected {
			fmt.Fprintf(w, "  %s\n", r)
		}
	}
}
