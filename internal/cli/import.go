package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"masthead/internal/config"
	"masthead/internal/wpimport"
	"masthead/internal/wxr"
)

// importCmd brings another system's content into the site: `masthead
// import wordpress EXPORT.xml`.
func importCmd(ctx context.Context, env Env, args []string) error {
	if len(args) == 0 || args[0] != "wordpress" {
		fmt.Fprintln(env.Stderr, "Usage: masthead import wordpress [--data DIR | --database URL] [--media-dir DIR] [--timezone ZONE] EXPORT.xml")
		return fmt.Errorf("%w: import what? (only wordpress)", ErrUsage)
	}
	fs := flag.NewFlagSet("import wordpress", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	var st config.Storage
	config.RegisterStorage(fs, &st)
	mediaDir := fs.String("media-dir", "", "a copy of the WordPress site's wp-content/uploads folder: attachments found there join the media library (otherwise their URLs are kept)")
	zone := fs.String("timezone", envOr("MASTHEAD_TIMEZONE", "UTC"), "the newsroom's time zone, e.g. Europe/London: WordPress's local dates are read in it, and dated URLs use it (env MASTHEAD_TIMEZONE)")
	fs.Usage = func() {
		fmt.Fprint(env.Stderr, `Usage: masthead import wordpress [flags] EXPORT.xml

Imports a WordPress export (Tools → Export → All content; WXR 1.0 to 1.2):
authors, categories, tags, posts, pages, comments and attachments. The file
is checked to the end first, then imported in one transaction, so a bad
file or a failure leaves the site as it was. Importing the same file again
changes nothing; a newer export updates what changed. Old WordPress links
(/?p=123, /2024/05/01/slug/, /category/news/ …) redirect to the new pages.

`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	var problems []string
	if fs.NArg() != 1 {
		problems = append(problems, "name one export file")
	}
	if err := st.Validate(); err != nil {
		problems = append(problems, err.Error())
	}
	loc, err := time.LoadLocation(*zone)
	if err != nil {
		problems = append(problems, fmt.Sprintf("--timezone %q: not a known time zone (try Europe/London)", *zone))
	}
	if *mediaDir != "" {
		if fi, err := os.Stat(*mediaDir); err != nil || !fi.IsDir() {
			problems = append(problems, fmt.Sprintf("--media-dir %s: not a folder", *mediaDir))
		}
	}
	if len(problems) > 0 {
		fs.Usage()
		return fmt.Errorf("%w: %s", ErrUsage, strings.Join(problems, "; "))
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer f.Close()
	s, err := openStore(ctx, st)
	if err != nil {
		return err
	}
	defer s.Close()
	opts := wpimport.Options{Location: loc, MediaDir: *mediaDir}
	if fi, err := os.Stat(st.DataDir); err == nil && fi.IsDir() {
		// Beside the database rather than in a /tmp that may be memory.
		opts.SpoolDir = st.DataDir
	}
	if *mediaDir != "" {
		if opts.Media, err = openMedia(st); err != nil {
			return err
		}
	}
	bar := newImportProgress(env.Stderr)
	opts.Progress = bar.update
	start := time.Now()
	sum, err := wpimport.Import(ctx, s, f, opts)
	bar.finish()
	var se *wxr.SyntaxError
	switch {
	case errors.As(err, &se):
		return fmt.Errorf("%s is not a complete, well-formed export: %w\nNothing was imported", fs.Arg(0), err)
	case errors.Is(err, wxr.ErrNotWXR):
		return fmt.Errorf("%s: %w\nNothing was imported", fs.Arg(0), err)
	case err != nil:
		return fmt.Errorf("import %s: %w\nNothing was imported: the import runs in one transaction", fs.Arg(0), err)
	}
	fmt.Fprintf(env.Stdout, "Imported %s from %s in %s.\n\n", fs.Arg(0), sum.Site, time.Since(start).Round(time.Millisecond))
	if err := sum.Write(env.Stdout); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, "\nImported authors have no password: invite them from Staff in the newsroom.")
	return nil
}

// envOr reads an environment variable with a default.
func envOr(key, def string) string {
	if v, ok := os.LookupEnv(key); ok {
		return v
	}
	return def
}

// importProgress draws a bar on a terminal, and writes a plain line per
// phase (and every 10%) otherwise.
type importProgress struct {
	w        io.Writer
	terminal bool
	last     time.Time
	phase    string
	tenth    int64
	drawn    bool
}

func newImportProgress(w io.Writer) *importProgress {
	p := &importProgress{w: w}
	if f, ok := w.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			p.terminal = true
		}
	}
	return p
}

func (p *importProgress) update(pr wpimport.Progress) {
	frac := 1.0
	if pr.Size > 0 {
		frac = float64(pr.Read) / float64(pr.Size)
	}
	if !p.terminal {
		tenth := int64(frac * 10)
		if pr.Phase != p.phase || tenth > p.tenth {
			p.phase, p.tenth = pr.Phase, tenth
			fmt.Fprintf(p.w, "%s: %3.0f%% (%d items)\n", pr.Phase, frac*100, pr.Items)
		}
		return
	}
	if pr.Phase == p.phase && time.Since(p.last) < 100*time.Millisecond && pr.Read < pr.Size {
		return
	}
	p.phase, p.last = pr.Phase, time.Now()
	const width = 30
	filled := int(frac * width)
	items := fmt.Sprintf("%d items", pr.Items)
	if pr.TotalItems > 0 {
		items = fmt.Sprintf("%d/%d items", pr.Items, pr.TotalItems)
	}
	fmt.Fprintf(p.w, "\r\x1b[K[%s%s] %3.0f%%  %s  %s", strings.Repeat("█", filled), strings.Repeat("·", width-filled), frac*100, items, pr.Phase)
	p.drawn = true
}

func (p *importProgress) finish() {
	if p.terminal && p.drawn {
		fmt.Fprintln(p.w)
	}
}
