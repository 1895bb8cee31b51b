package cli

import (
	"context"
	"flag"
	"fmt"
	"os"

	"masthead/internal/backup"
	"masthead/internal/config"
)

// backupCmd writes a consistent online backup: `masthead backup FILE`.
func backupCmd(ctx context.Context, env Env, args []string) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	var st config.Storage
	config.RegisterStorage(fs, &st)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("%w: usage: masthead backup [--data DIR] FILE.tar.gz", ErrUsage)
	}
	s, err := openStore(ctx, st)
	if err != nil {
		return err
	}
	defer s.Close()
	out := fs.Arg(0)
	tmp := out + ".partial"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if err := backup.Create(ctx, s, st.MediaDir(), f); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, out); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Backed up %s to %s\n", st.DataDir, out)
	return nil
}

// restoreCmd brings a backup back: `masthead restore FILE` (site stopped).
func restoreCmd(ctx context.Context, env Env, args []string) error {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	var st config.Storage
	config.RegisterStorage(fs, &st)
	force := fs.Bool("force", false, "replace an existing site in the data folder")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("%w: usage: masthead restore [--data DIR] [--force] FILE.tar.gz", ErrUsage)
	}
	if st.DatabaseURL != "" {
		return fmt.Errorf("%w: restore writes a SQLite data folder; for PostgreSQL restore into SQLite, then masthead copy", ErrUsage)
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer f.Close()
	if err := backup.Restore(f, st.DataDir, *force); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Restored %s into %s\n", fs.Arg(0), st.DataDir)
	return nil
}
