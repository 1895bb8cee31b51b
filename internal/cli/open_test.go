package cli

import (
	"context"
	"io"
	"io/fs"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"masthead/internal/media/s3test"
	"masthead/internal/testutil"
)

// syncBuffer collects a running command's output.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startServe runs `masthead serve` with args until the test ends and
// returns the site's URL.
func startServe(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var out syncBuffer
	done := make(chan struct{})
	var serveErr error
	go func() {
		defer close(done)
		serveErr = Main(ctx, Env{Stdout: &out, Stderr: &out}, append([]string{"serve"}, args...))
	}()
	t.Cleanup(func() {
		cancel()
		<-done
		if serveErr != nil {
			t.Errorf("serve: %v", serveErr)
		}
	})
	running := regexp.MustCompile(`running at (http://\S+)`)
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := running.FindStringSubmatch(out.String()); m != nil {
			return m[1]
		}
		select {
		case <-done:
			t.Fatalf("serve stopped:\n%s", out.String())
		default:
		}
	}
	t.Fatalf("serve did not start:\n%s", out.String())
	return ""
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// Two instances of one site: the database on PostgreSQL and the media in
// an S3 bucket, each with a data folder of its own that holds nothing.
// What one instance stored, the other serves.
func TestServeTwoInstancesOnPostgresAndS3(t *testing.T) {
	pg := testutil.PostgresURL(t)
	s3 := s3test.Start(t, "site")
	t.Setenv("MASTHEAD_S3_ACCESS_KEY", s3test.AccessKey)
	t.Setenv("MASTHEAD_S3_SECRET_KEY", s3test.SecretKey)
	common := []string{"--addr", "127.0.0.1:0", "--database", pg, "--media", "s3://site/media?endpoint=" + s3.URL + "&region=" + s3test.Region, "--log-level", "warn"}

	first := startServe(t, append([]string{"--data", t.TempDir()}, common...)...) // loads the demo
	second := startServe(t, append([]string{"--data", t.TempDir()}, common...)...)

	status, home := get(t, second+"/")
	if status != 200 {
		t.Fatalf("second instance's front page: %d", status)
	}
	article := regexp.MustCompile(`href="(?:http://[^/"]+)?(/\d{4}/\d{2}/\d{2}/[a-z0-9-]+)"`).FindStringSubmatch(home)
	image := regexp.MustCompile(`<img src="(/media/[^"?]+\.jpg)"`).FindStringSubmatch(home)
	avif := regexp.MustCompile(`<source type="image/avif" srcset="(/media/[^" ]+\.avif) `).FindStringSubmatch(home)
	if article == nil || image == nil || avif == nil {
		t.Fatalf("front page has no article link or image:\n%.2000s", home)
	}
	for _, base := range []string{first, second} {
		if status, body := get(t, base+article[1]); status != 200 || !strings.Contains(body, "<article") {
			t.Errorf("%s%s: %d", base, article[1], status)
		}
		if status, body := get(t, base+image[1]); status != 200 || !strings.HasPrefix(body, "\xff\xd8") {
			t.Errorf("%s%s: %d (%d bytes)", base, image[1], status, len(body))
		}
		// Made by the first instance on its first request, stored in
		// the bucket, served from there by the second.
		if status, body := get(t, base+avif[1]); status != 200 || len(body) < 12 || body[4:12] != "ftypavif" {
			t.Errorf("%s%s: %d (%d bytes)", base, avif[1], status, len(body))
		}
		if status, _ := get(t, base+"/healthz"); status != 200 {
			t.Errorf("%s/healthz: %d", base, status)
		}
	}
	// The gateway keeps each object as a file under the bucket's folder.
	var objects []string
	err := filepath.WalkDir(filepath.Join(s3.Dir, "site"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(filepath.Join(s3.Dir, "site"), p)
			objects = append(objects, filepath.ToSlash(rel))
		}
		return err
	})
	if err != nil || len(objects) == 0 || !strings.HasPrefix(objects[0], "media/") {
		t.Errorf("the bucket holds %v, %v; want the demo's images under media/", objects, err)
	}
}
