package cli

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"masthead/internal/news"
	"masthead/internal/newsroom"
	"masthead/internal/store"
)

func TestSubscribersImportExport(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := store.OpenSQLite(ctx, filepath.Join(dir, "masthead.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := newsroom.New(st, newsroom.Config{}).CreateNewsletter(ctx, news.Actor{Role: news.RoleAdmin},
		newsroom.NewsletterInput{Name: "Weekly", Kind: news.NewsletterBriefing, FromEmail: "weekly@gazette.test"}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	run := func(args ...string) (string, error) {
		var out bytes.Buffer
		err := Main(ctx, Env{Stdout: &out, Stderr: &out}, append(args, "--data", dir, "--newsletter", "weekly"))
		return out.String(), err
	}

	bad := write("bad.csv", "email,active_subscription\nok@example.test,true\nnope,true\n")
	if out, err := run("subscribers", "import", "--file", bad); err == nil || !strings.Contains(out, "line 3: nope: malformed address") {
		t.Errorf("a malformed address: %v\n%s", err, out)
	}
	good := write("good.csv", "Email Address,First Name,Last Name\nok@example.test,=cmd,Name\nok@example.test,,\n")
	out, err := run("subscribers", "import", "--file", good)
	if err != nil || !strings.Contains(out, "Imported 1 new subscriber to Weekly from a Mailchimp export") || !strings.Contains(out, "line 3: ok@example.test: duplicate of line 2") {
		t.Errorf("import: %v\n%s", err, out)
	}
	out, err = run("subscribers", "export")
	if err != nil || !strings.HasPrefix(out, "email,name,subscribed_at\nok@example.test,'=cmd Name,") {
		t.Errorf("export: %v\n%s", err, out)
	}
	if _, err := run("subscribers", "import"); !errors.Is(err, ErrUsage) {
		t.Errorf("no --file: %v", err)
	}
}
