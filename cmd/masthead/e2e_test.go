package main_test

import (
	"bufio"
	"context"
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

// startBinary builds masthead, starts `serve` on a random port with an empty
// data folder, and returns the site's base URL. The server is stopped with
// SIGTERM when the test ends, and must exit cleanly.
func startBinary(t *testing.T, extraArgs ...string) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the real binary")
	}
	bin := filepath.Join(t.TempDir(), "masthead")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		t.Fatalf("build: %v", err)
	}
	args := append([]string{"serve", "--addr", "127.0.0.1:0", "--data", filepath.Join(t.TempDir(), "data")}, extraArgs...)
	cmd := exec.Command(bin, args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var logs strings.Builder
	cmd.Stderr = &logs
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
		_ = cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("server exited with %v\n%s", err, logs.String())
			}
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
			t.Errorf("server did not stop within 30s of SIGTERM")
		}
	})
	select {
	case base, ok := <-found:
		if !ok {
			t.Fatalf("server exited before serving:\n%s", logs.String())
		}
		return base
	case <-time.After(60 * time.Second):
		t.Fatalf("server did not start:\n%s", logs.String())
	}
	return ""
}

var linkPattern = regexp.MustCompile(`(?:href|src)="([^"]+)"|<loc>([^<]+)</loc>`)

// TestCrawl starts the real binary on an empty data folder (so the demo
// newsroom loads) and follows every internal link from the front page,
// sitemaps included. Nothing may answer 4xx or 5xx.
func TestCrawl(t *testing.T) {
	base := startBinary(t)
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
			link := m[1] + m[2]
			link = strings.ReplaceAll(link, "&amp;", "&")
			ref, err := url.Parse(link)
			if err != nil {
				t.Errorf("%s links to unparseable %q", u, link)
				continue
			}
			abs := res.Request.URL.ResolveReference(ref)
			abs.Fragment = ""
			if !strings.HasPrefix(abs.String(), base+"/") {
				continue // external
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
// there is nothing yet.
func TestStartEmpty(t *testing.T) {
	base := startBinary(t, "--demo=false")
	for path, want := range map[string]int{"/": 200, "/healthz": 200, "/feed.xml": 200, "/sitemap.xml": 200, "/nope": 404} {
		res, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != want {
			t.Errorf("GET %s = %d, want %d", path, res.StatusCode, want)
		}
	}
}
