package cli

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"masthead/internal/auth"
	"masthead/internal/mail/mailtest"
	"masthead/internal/news"
	"masthead/internal/newsroom"
	"masthead/internal/store"
)

func TestNewsletterSend(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := store.OpenSQLite(ctx, filepath.Join(dir, "masthead.db"))
	if err != nil {
		t.Fatal(err)
	}
	n, err := newsroom.New(st, newsroom.Config{}).CreateNewsletter(ctx, news.Actor{Role: news.RoleAdmin},
		newsroom.NewsletterInput{Name: "Weekly", Kind: news.NewsletterBriefing, FromEmail: "weekly@gazette.test"})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	for _, e := range []string{"a@example.test", "b@example.test"} {
		token, hash := auth.NewToken()
		if _, err := st.Subscribe(ctx, n.ID, e, hash, now); err != nil {
			t.Fatal(err)
		}
		if _, _, err := st.ConfirmSubscription(ctx, auth.HashToken(token), now.Add(-time.Hour), now); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()
	body := filepath.Join(dir, "issue.md")
	if err := os.WriteFile(body, []byte("# This week\n\nAll the news."), 0o600); err != nil {
		t.Fatal(err)
	}
	srv := mailtest.Start(t, mailtest.Options{})
	var out bytes.Buffer
	args := []string{"newsletter", "send", "--data", dir, "--newsletter", "weekly", "--subject", "This week", "--file", body,
		"--base-url", "https://gazette.test", "--smtp-addr", srv.Addr, "--smtp-from", "bounces@gazette.test"}
	if err := Main(ctx, Env{Stdout: &out, Stderr: &out}, args); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "2 sent") {
		t.Errorf("output:\n%s", out.String())
	}
	for range 2 {
		if m := srv.Next(t); m.Header.Get("Subject") != "This week" || m.Header.Get("List-Unsubscribe") == "" {
			t.Errorf("message: %v", m.Header)
		}
	}
	args[5] = "no-such-list"
	if err := Main(ctx, Env{Stdout: &out, Stderr: &out}, args); !errors.Is(err, ErrUsage) {
		t.Errorf("unknown newsletter: %v", err)
	}
}
