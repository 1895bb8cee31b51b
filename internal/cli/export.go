package cli

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"masthead/internal/config"
	"masthead/internal/wpimport"
)

// exportCmd writes the site in another system's format: `masthead export
// wordpress > site.xml`.
func exportCmd(ctx context.Context, env Env, args []string) error {
	if len(args) == 0 || args[0] != "wordpress" {
		fmt.Fprintln(env.Stderr, "Usage: masthead export wordpress [--data DIR | --database URL] [--base-url URL] [-o FILE] > site.xml")
		return fmt.Errorf("%w: export as what? (only wordpress)", ErrUsage)
	}
	fs := flag.NewFlagSet("export wordpress", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	var st config.Storage
	config.RegisterStorage(fs, &st)
	base := fs.String("base-url", envOr("MASTHEAD_BASE_URL", "http://localhost:8080"), "the site's public URL: links, GUIDs and media addresses are built on it (env MASTHEAD_BASE_URL)")
	zone := fs.String("timezone", envOr("MASTHEAD_TIMEZONE", "UTC"), "the newsroom's time zone, for WordPress's local dates (env MASTHEAD_TIMEZONE)")
	outFile := fs.String("o", "", "write to this file instead of standard output")
	fs.Usage = func() {
		fmt.Fprint(env.Stderr, `Usage: masthead export wordpress [flags] > site.xml

Writes the whole site as a WordPress export (WXR 1.2) that WordPress's
importer (Tools → Import → WordPress) accepts: staff, sections (as
categories), tags, articles (as posts), pages, lead images (as
attachments, by URL) and every comment. Masthead reads its own exports
back exactly (masthead import wordpress).

`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	var problems []string
	if fs.NArg() > 0 {
		problems = append(problems, "export takes no arguments")
	}
	if err := st.Validate(); err != nil {
		problems = append(problems, err.Error())
	}
	loc, err := time.LoadLocation(*zone)
	if err != nil {
		problems = append(problems, fmt.Sprintf("--timezone %q: not a known time zone", *zone))
	}
	if !strings.HasPrefix(*base, "http://") && !strings.HasPrefix(*base, "https://") {
		problems = append(problems, fmt.Sprintf("--base-url %q: use the site's root, like https://news.example.org", *base))
	}
	if len(problems) > 0 {
		fs.Usage()
		return fmt.Errorf("%w: %s", ErrUsage, strings.Join(problems, "; "))
	}
	if _, err := os.Stat(st.SQLitePath()); st.DatabaseURL == "" && err != nil {
		return fmt.Errorf("no site in %s: %w", st.DataDir, err)
	}
	s, err := openStore(ctx, st)
	if err != nil {
		return err
	}
	defer s.Close()
	var out io.Writer = env.Stdout
	var f *os.File
	if *outFile != "" {
		if f, err = os.Create(*outFile); err != nil {
			return err
		}
		defer f.Close()
		out = f
	}
	bw := bufio.NewWriterSize(out, 64<<10)
	n, err := wpimport.Export(ctx, s, bw, wpimport.ExportOptions{BaseURL: *base, Location: loc})
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if f != nil {
		if err := f.Close(); err != nil {
			return err
		}
	}
	fmt.Fprintf(env.Stderr, "Exported %d posts, %d pages, %d comments, %d authors, %d categories, %d tags and %d attachments.\n",
		n.Posts, n.Pages, n.Comments, n.Authors, n.Categories, n.Tags, n.Attachments)
	return nil
}
