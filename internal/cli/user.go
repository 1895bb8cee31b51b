package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"masthead/internal/auth"
	"masthead/internal/config"
	"masthead/internal/news"
	"masthead/internal/newsroom"
)

// user manages staff accounts: `masthead user add …`.
func user(ctx context.Context, env Env, args []string) error {
	if len(args) == 0 || args[0] != "add" {
		fmt.Fprintln(env.Stderr, "Usage: masthead user add --email EMAIL --name NAME --role admin|editor|author|contributor [--data DIR | --database URL]")
		return fmt.Errorf("%w: unknown user command", ErrUsage)
	}
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	var st config.Storage
	config.RegisterStorage(fs, &st)
	email := fs.String("email", "", "email address (sign-in name)")
	name := fs.String("name", "", "full name, as in bylines")
	role := fs.String("role", "author", "admin, editor, author or contributor")
	title := fs.String("job-title", "", "job title shown in the author box")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	// Obvious mistakes are caught before asking for the password; the
	// newsroom checks everything again.
	var problems []string
	if !strings.Contains(*email, "@") {
		problems = append(problems, "--email must be an email address")
	}
	if strings.TrimSpace(*name) == "" {
		problems = append(problems, "--name is required")
	}
	if !news.ValidRole(news.Role(*role)) {
		problems = append(problems, "--role must be admin, editor, author or contributor")
	}
	if err := st.Validate(); err != nil {
		problems = append(problems, err.Error())
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: %s", ErrUsage, strings.Join(problems, "; "))
	}
	pw, err := readPassword(env)
	if err != nil {
		return err
	}
	s, err := openStore(ctx, st)
	if err != nil {
		return err
	}
	defer s.Close()
	a, err := newsroom.New(s, newsroom.Config{}).CreateStaff(ctx, newsroom.NewStaff{Email: *email, Name: *name, Role: news.Role(*role), JobTitle: *title}, pw)
	var taken *newsroom.EmailTakenError
	if errors.As(err, &taken) {
		return fmt.Errorf("an account with the email %s already exists", taken.Email)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Created %s %s <%s>. Sign in at /admin/login.\n", a.Role, a.Name, a.Email)
	return nil
}

// readPassword asks twice without echo on a terminal, or reads one line
// from standard input otherwise (for scripts); never from a flag, where it
// would end up in shell history and process lists.
func readPassword(env Env) (string, error) {
	if f, ok := env.Stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(env.Stderr, "Password: ")
		a, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(env.Stderr)
		if err != nil {
			return "", err
		}
		fmt.Fprint(env.Stderr, "Again: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(env.Stderr)
		if err != nil {
			return "", err
		}
		if string(a) != string(b) {
			return "", errors.New("the passwords did not match")
		}
		return checkStrength(string(a))
	}
	line, err := bufio.NewReader(env.Stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password from standard input: %w", err)
	}
	return checkStrength(strings.TrimRight(line, "\r\n"))
}

func checkStrength(pw string) (string, error) {
	if msg := auth.CheckPasswordStrength(pw); msg != "" {
		return "", errors.New("password too weak: " + msg)
	}
	return pw, nil
}
