package main_test

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// binary is the masthead command built once for all tests in this package.
var binary string

func TestMain(m *testing.M) {
	flag.Parse()
	if !testing.Short() {
		dir, err := os.MkdirTemp("", "masthead-bin-*")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		binary = filepath.Join(dir, "masthead")
		build := exec.Command("go", "build", "-o", binary, ".")
		build.Stderr = os.Stderr
		if err := build.Run(); err != nil {
			fmt.Fprintln(os.Stderr, "build:", err)
			os.Exit(1)
		}
		code := m.Run()
		os.RemoveAll(dir)
		os.Exit(code)
	}
	os.Exit(m.Run())
}

// server is a running masthead process.
type server struct {
	base   string
	cmd    *exec.Cmd
	logs   *strings.Builder
	killed bool
}

// masthead runs a subcommand to completion with stdin and returns stdout.
func masthead(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("masthead %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// startServer starts `masthead serve` on a random port with data folder dir
// and stops it with SIGTERM when the test ends (it must exit cleanly).
func startServer(t *testing.T, dir string, extraArgs ...string) *server {
	t.Helper()
	if testing.Short() {
		t.Skip("runs the real binary")
	}
	args := append([]string{"serve", "--addr", "127.0.0.1:0", "--data", dir}, extraArgs...)
	cmd := exec.Command(binary, args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	s := &server{cmd: cmd, logs: &strings.Builder{}}
	cmd.Stderr = s.logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := regexp.MustCompile(`running at (http://\S+)`).FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
			}
		}
		close(found)
	}()
	t.Cleanup(func() {
		if s.killed {
			return
		}
		_ = cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("server exited with %v\n%s", err, s.logs.String())
			}
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
			t.Errorf("server did not stop within 30s of SIGTERM")
		}
	})
	select {
	case base, ok := <-found:
		if !ok {
			t.Fatalf("server exited before serving:\n%s", s.logs.String())
		}
		s.base = base
		return s
	case <-time.After(60 * time.Second):
		t.Fatalf("server did not start:\n%s", s.logs.String())
	}
	return nil
}

// kill stops the server with SIGKILL: no chance to flush or finish anything.
func (s *server) kill() {
	s.killed = true
	_ = s.cmd.Process.Kill()
	_ = s.cmd.Wait()
}

var linkPattern = regexp.MustCompile(`(?:href|src)="([^"]+)"|<loc>([^<]+)</loc>`)

// TestCrawl starts the real binary on an empty data folder (so the demo
// newsroom loads) and follows every internal link from the front page,
// sitemaps included. Nothing may answer 4xx or 5xx.
func TestCrawl(t *testing.T) {
	base := startServer(t, filepath.Join(t.TempDir(), "data")).base
	client := &http.Client{Timeout: 10 * time.Second}
	ctx := context.Background()
	seen := map[string]bool{}
	queue := []string{base + "/", base + "/sitemap.xml", base + "/robots.txt"}
	pages, articles := 0, 0
	for len(queue) > 0 && len(seen) < 3000 {
		u := queue[0]
		queue = queue[1:]
		if seen[u] {
			continue
		}
		seen[u] = true
		req, _ := http.NewRequestWithContext(ctx, "GET", u, nil)
		res, err := client.Do(req)
		if err != nil {
			t.Fatalf("GET %s: %v", u, err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode >= 400 {
			t.Errorf("GET %s: %d", u, res.StatusCode)
			continue
		}
		pages++
		if regexp.MustCompile(`^/\d{4}/\d{2}/\d{2}/[a-z0-9-]+$`).MatchString(strings.TrimPrefix(u, base)) {
			articles++
		}
		ct := res.Header.Get("Content-Type")
		if !strings.Contains(ct, "html") && !strings.Contains(ct, "xml") {
			continue
		}
		for _, m := range linkPattern.FindAllStringSubmatch(string(body), -1) {
			link := strings.ReplaceAll(m[1]+m[2], "&amp;", "&")
			ref, err := url.Parse(link)
			if err != nil {
				t.Errorf("%s links to unparseable %q", u, link)
				continue
			}
			abs := res.Request.URL.ResolveReference(ref)
			abs.Fragment = ""
			if !strings.HasPrefix(abs.String(), base+"/") || strings.HasPrefix(abs.Path, "/admin/") {
				continue // external, or the newsroom (which needs a sign-in)
			}
			queue = append(queue, abs.String())
		}
	}
	t.Logf("crawled %d URLs (%d articles)", pages, articles)
	if articles < 5 {
		t.Errorf("crawl reached only %d article pages; is the demo newsroom loaded?", articles)
	}
}

// TestStartEmpty starts without the demo: the site still works, and says
// how to create the first administrator.
func TestStartEmpty(t *testing.T) {
	base := startServer(t, filepath.Join(t.TempDir(), "data"), "--demo=false").base
	for path, want := range map[string]int{"/": 200, "/healthz": 200, "/feed.xml": 200, "/sitemap.xml": 200, "/nope": 404, "/admin/": 303} {
		client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		res, err := client.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != want {
			t.Errorf("GET %s = %d, want %d", path, res.StatusCode, want)
		}
	}
}
