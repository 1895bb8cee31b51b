package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"time"

	"masthead/internal/store"
)

// copySite copies a whole site from one database to another: SQLite to
// PostgreSQL when a site outgrows one machine, or back. (Schema migrations
// are something else: they run by themselves when a site opens.)
func copySite(ctx context.Context, env Env, args []string) error {
	fs := flag.NewFlagSet("copy", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	from := fs.String("from", "", "the site to copy: a SQLite file (data/masthead.db) or a postgres:// URL")
	to := fs.String("to", "", "where to copy it: a SQLite file or a postgres:// URL; created or migrated as needed")
	replace := fs.Bool("replace", false, "replace whatever the target holds (otherwise a target with any data is refused)")
	fs.Usage = func() {
		fmt.Fprint(env.Stderr, `Usage: masthead copy --from SRC --to DST [--replace]

Copies every table of a site — ids, comments, settings, everything but the
media files — in one transaction on the target, rebuilds the search index
there, and checks each table's row count and checksum before committing.
A failed or interrupted copy leaves the target as it was. Stop the site's
instances first, or new writes on the source may miss the copy.

`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *from == "" || *to == "" || fs.NArg() > 0 {
		fs.Usage()
		return fmt.Errorf("%w: copy needs --from and --to", ErrUsage)
	}
	if *from == *to {
		return fmt.Errorf("%w: --from and --to name the same database", ErrUsage)
	}
	if !store.IsPostgresURL(*from) {
		if _, err := os.Stat(sqliteFile(*from)); err != nil {
			return fmt.Errorf("--from: %w", err)
		}
	}
	src, err := openDatabase(ctx, *from)
	if err != nil {
		return fmt.Errorf("--from: %w", err)
	}
	defer src.Close()
	dst, err := openDatabase(ctx, *to)
	if err != nil {
		return fmt.Errorf("--to: %w", err)
	}
	defer dst.Close()

	fmt.Fprintf(env.Stdout, "Copying the site from %s (%s) to %s (%s)\n", redactURL(*from), src.Backend(), redactURL(*to), dst.Backend())
	bar := newProgress(env.Stderr)
	start := time.Now()
	report, err := store.CopySite(ctx, src, dst, store.CopyOptions{Replace: *replace, Progress: bar.update})
	bar.finish()
	if errors.Is(err, store.ErrTargetNotEmpty) {
		return fmt.Errorf("%w\nuse --replace to overwrite it, or choose an empty database", err)
	}
	if err != nil {
		return err
	}
	var rows int64
	for _, t := range report {
		fmt.Fprintf(env.Stdout, "  %-16s %8d rows  checksum %.16s ✓\n", t.Table, t.Rows, t.Checksum)
		rows += t.Rows
	}
	fmt.Fprintf(env.Stdout, "Copied and verified %d tables, %d rows, in %s.\n", len(report), rows, time.Since(start).Round(time.Millisecond))
	fmt.Fprintln(env.Stdout, "Media files are not in the database: copy the media folder (or bucket) separately.")
	return nil
}

// openDatabase opens a SQLite file or a PostgreSQL URL.
func openDatabase(ctx context.Context, target string) (*store.Store, error) {
	if store.IsPostgresURL(target) {
		return store.Open(ctx, target, "")
	}
	return store.Open(ctx, "", sqliteFile(target))
}

func sqliteFile(target string) string {
	return strings.TrimPrefix(strings.TrimPrefix(target, "sqlite:"), "//")
}

// progress draws a bar on a terminal and writes plain lines otherwise
// (a log file, CI): one per table.
type progress struct {
	w        io.Writer
	terminal bool
	last     time.Time
	drawn    bool
}

func newProgress(w io.Writer) *progress {
	p := &progress{w: w}
	if f, ok := w.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			p.terminal = true
		}
	}
	return p
}

func (p *progress) update(c store.CopyProgress) {
	if !p.terminal {
		switch {
		case c.Verifying:
			fmt.Fprintf(p.w, "verifying the row counts and checksums of %d rows\n", c.Total)
		case c.Rows == c.TableRows:
			fmt.Fprintf(p.w, "copied %s: %d rows (%d of %d)\n", c.Table, c.Rows, c.Done, c.Total)
		}
		return
	}
	if !c.Verifying && c.Rows != c.TableRows && time.Since(p.last) < 100*time.Millisecond {
		return
	}
	p.last = time.Now()
	const width = 30
	frac := 1.0
	if c.Total > 0 {
		frac = float64(c.Done) / float64(c.Total)
	}
	filled := int(frac * width)
	label := "copying " + c.Table
	if c.Verifying {
		label = "verifying"
	}
	fmt.Fprintf(p.w, "\r\x1b[K[%s%s] %3.0f%%  %d/%d rows  %s", strings.Repeat("█", filled), strings.Repeat("·", width-filled), frac*100, c.Done, c.Total, label)
	p.drawn = true
}

func (p *progress) finish() {
	if p.terminal && p.drawn {
		fmt.Fprintln(p.w)
	}
}

// redactURL hides the password of a database URL; a file path stays.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if !store.IsPostgresURL(raw) || err != nil {
		return raw
	}
	return u.Redacted()
}
