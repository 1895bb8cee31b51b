// Package cli implements Masthead's subcommands. Each is a function of a
// context, its arguments and its output streams returning an error, so it
// can be run from tests exactly as from the shell; main only maps the error
// to an exit code.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
)

// Env is what a subcommand may touch of the outside world.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
}

type command struct {
	summary string
	run     func(ctx context.Context, env Env, args []string) error
}

func commands() map[string]command {
	return map[string]command{
		"serve":   {"run the web server", serve},
		"user":    {"manage staff accounts (user add)", user},
		"backup":  {"write a consistent backup of a running site to a file", backupCmd},
		"restore": {"restore a backup into a data folder (site stopped)", restoreCmd},
		"copy":    {"copy a whole site to another database (SQLite ⇄ PostgreSQL)", copySite},
		// The old name of copy, which read as if it ran schema migrations
		// (those run by themselves at start); kept so scripts keep working.
		"migrate":     {"", renamed("copy", copySite)},
		"import":      {"bring in a WordPress site (import wordpress EXPORT.xml)", importCmd},
		"export":      {"write the site as a WordPress export (export wordpress > site.xml)", exportCmd},
		"bench":       {"synthetic archives, exports and render timings (bench seed, bench render, bench wxr)", bench},
		"quotes":      {"quotations: extract and eval on JSONL, reindex a site's articles", quotesCmd},
		"newsletter":  {"send an issue of a newsletter (newsletter send)", newsletterCmd},
		"subscribers": {"a newsletter's subscribers as CSV (subscribers import|export)", subscribersCmd},
		"version": {"print the version", func(ctx context.Context, env Env, args []string) error {
			_, err := fmt.Fprintln(env.Stdout, "masthead", Version)
			return err
		}},
	}
}

// Version is set at build time with -ldflags "-X masthead/internal/cli.Version=…".
var Version = "dev"

// ErrUsage marks a mistake in how the command was called; main exits 2.
var ErrUsage = errors.New("usage error")

// Main runs the subcommand named by args[0].
func Main(ctx context.Context, env Env, args []string) error {
	cmds := commands()
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(env.Stderr, cmds)
		if len(args) == 0 {
			return ErrUsage
		}
		return nil
	}
	cmd, ok := cmds[args[0]]
	if !ok {
		usage(env.Stderr, cmds)
		return fmt.Errorf("%w: unknown command %q", ErrUsage, args[0])
	}
	err := cmd.run(ctx, env, args[1:])
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	return err
}

func usage(w io.Writer, cmds map[string]command) {
	fmt.Fprintln(w, "Masthead: a news publishing platform.\n\nUsage: masthead COMMAND [flags]\n\nCommands:")
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if cmds[n].summary != "" { // hidden: an old name
			fmt.Fprintf(w, "  %-10s %s\n", n, cmds[n].summary)
		}
	}
	fmt.Fprintln(w, "\nRun 'masthead COMMAND -h' for a command's flags.")
}

// renamed runs a command under its old name, saying what it is called now.
func renamed(name string, run func(context.Context, Env, []string) error) func(context.Context, Env, []string) error {
	return func(ctx context.Context, env Env, args []string) error {
		fmt.Fprintf(env.Stderr, "masthead: this command is now called %q\n", name)
		return run(ctx, env, args)
	}
}
