package main_test

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"masthead/internal/news"
	"masthead/internal/store"
)

// TestCrashSafety posts comments and saves drafts from several goroutines
// against the real server, kills it with SIGKILL mid-load, restarts it, and
// checks that every write the server acknowledged (2xx/3xx) is there and the
// database is sound. It repeats with different kill points.
// MASTHEAD_CRASH_ROUNDS raises the number of rounds for a longer soak.
func TestCrashSafety(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	rounds := 3
	if v := os.Getenv("MASTHEAD_CRASH_ROUNDS"); v != "" {
		fmt.Sscan(v, &rounds)
	}
	masthead(t, "a long enough password\n", "user", "add", "--data", dir, "--email", "desk@example.test", "--name", "Desk Editor", "--role", "editor")

	type ack struct{ kind, text string }
	var mu sync.Mutex
	var acked []ack
	var article string
	for round := 0; round < rounds; round++ {
		srv := startServer(t, dir, "--comment-limit", "1000000")
		if article == "" {
			home, err := http.Get(srv.base + "/")
			if err != nil {
				t.Fatal(err)
			}
			buf := make([]byte, 1<<20)
			n, _ := io.ReadFull(home.Body, buf)
			home.Body.Close()
			m := regexp.MustCompile(`href="(/\d{4}/\d{2}/\d{2}/[a-z0-9-]+)"`).FindSubmatch(buf[:n])
			if m == nil {
				t.Fatal("no article on the front page")
			}
			article = string(m[1])
		}
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		client := &http.Client{Timeout: 5 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		for g := 0; g < 6; g++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; ctx.Err() == nil; i++ {
					body := fmt.Sprintf("crash test r%d g%d i%d", round, g, i)
					form := url.Values{"name": {"Load Tester"}, "email": {fmt.Sprintf("load%d@example.test", g)}, "comment": {body}}
					res, err := client.PostForm(srv.base+article+"/comments", form)
					if err != nil {
						return // the server died under us
					}
					res.Body.Close()
					if res.StatusCode == http.StatusSeeOther {
						mu.Lock()
						acked = append(acked, ack{"comment", body})
						mu.Unlock()
					}
				}
			}()
		}
		var signedIn sync.WaitGroup
		for g := 0; g < 2; g++ {
			wg.Add(1)
			signedIn.Add(1)
			go func() {
				defer wg.Done()
				c := signIn(t, srv.base)
				signedIn.Done()
				if c == nil {
					return
				}
				for i := 0; ctx.Err() == nil; i++ {
					headline := fmt.Sprintf("Crash draft r%d g%d i%d", round, g, i)
					if c.createDraft(headline) {
						mu.Lock()
						acked = append(acked, ack{"draft", headline})
						mu.Unlock()
					}
				}
			}()
		}
		signedIn.Wait() // password hashing is slow on purpose; kill mid-load, not mid-sign-in
		time.Sleep(time.Duration(200+rand.IntN(600)) * time.Millisecond)
		srv.kill()
		cancel()
		wg.Wait()
	}

	ctx := context.Background()
	st, err := store.OpenSQLite(ctx, filepath.Join(dir, "masthead.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if v, err := st.IntegrityCheck(ctx); err != nil || v != "ok" {
		t.Fatalf("integrity check: %q %v", v, err)
	}
	a, err := st.PublishedArticle(ctx, strings.TrimPrefix(article, "/"))
	if err != nil {
		t.Fatal(err)
	}
	comments, err := st.CommentsByStatus(ctx, news.CommentPending, 1<<30, 0)
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, c := range comments {
		if c.Comment.ArticleID == a.ID {
			have["comment:"+c.Comment.Body] = true
		}
	}
	drafts, err := st.AdminArticles(ctx, news.AdminFilter{Status: news.StatusDraft, Limit: 1 << 30})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range drafts {
		have["draft:"+d.Headline] = true
	}
	counts := map[string]int{}
	for _, k := range acked {
		counts[k.kind]++
		if !have[k.kind+":"+k.text] {
			t.Errorf("acknowledged %s lost: %q", k.kind, k.text)
		}
	}
	t.Logf("%d kills survived; %d acknowledged writes checked (%d comments, %d drafts)", rounds, len(acked), counts["comment"], counts["draft"])
	if counts["comment"] == 0 || counts["draft"] == 0 {
		t.Errorf("the load did not get going: %v", counts)
	}
}

type staffClient struct {
	http *http.Client
	base string
	csrf string
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func (c *staffClient) csrfFrom(path string) bool {
	res, err := c.http.Get(c.base + path)
	if err != nil {
		return false
	}
	defer res.Body.Close()
	buf := make([]byte, 1<<20)
	n, _ := io.ReadFull(res.Body, buf)
	m := csrfField.FindSubmatch(buf[:n])
	if m == nil {
		return false
	}
	c.csrf = string(m[1])
	return true
}

func signIn(t *testing.T, base string) *staffClient {
	jar, _ := cookiejar.New(nil)
	c := &staffClient{base: base, http: &http.Client{Jar: jar, Timeout: 5 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	if !c.csrfFrom("/admin/login") {
		return nil
	}
	res, err := c.http.PostForm(base+"/admin/login", url.Values{"csrf": {c.csrf}, "email": {"desk@example.test"}, "password": {"a long enough password"}})
	if err != nil {
		return nil
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Errorf("sign in: %d", res.StatusCode)
		return nil
	}
	if !c.csrfFrom("/admin/articles/new") {
		return nil
	}
	return c
}

func (c *staffClient) createDraft(headline string) bool {
	res, err := c.http.PostForm(c.base+"/admin/articles", url.Values{"csrf": {c.csrf}, "headline": {headline}, "body": {"Body of " + headline}})
	if err != nil {
		return false
	}
	res.Body.Close()
	return res.StatusCode == http.StatusSeeOther
}
