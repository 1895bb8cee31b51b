package main_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// rssKB reads a process's resident memory from /proc.
func rssKB(t *testing.T, pid int) int {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`VmRSS:\s+(\d+) kB`).FindSubmatch(b)
	if m == nil {
		t.Fatal("no VmRSS")
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

// TestSoak runs 256 concurrent connections of mixed reads and comment posts
// against the real server on 127.0.0.1 (5 s here; MASTHEAD_SOAK=60s for the
// full run from scripts/soak) and expects no errors other than the intended
// 429s, and memory that levels off.
func TestSoak(t *testing.T) {
	duration := 5 * time.Second
	if v := os.Getenv("MASTHEAD_SOAK"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			t.Fatalf("MASTHEAD_SOAK=%q: %v", v, err)
		}
		duration = d
	}
	srv := startServer(t, filepath.Join(t.TempDir(), "data"), "--log-level", "warn")
	client := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Transport: &http.Transport{MaxIdleConnsPerHost: 256, MaxConnsPerHost: 256}}
	home, err := client.Get(srv.base + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(home.Body)
	home.Body.Close()
	var articles, open []string
	for _, m := range regexp.MustCompile(`href="(/\d{4}/\d{2}/\d{2}/[a-z0-9-]+)"`).FindAllStringSubmatch(string(body), -1) {
		articles = append(articles, m[1])
		res, err := client.Get(srv.base + m[1])
		if err != nil {
			t.Fatal(err)
		}
		page, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if strings.Contains(string(page), `name="comment"`) {
			open = append(open, m[1]) // comments are open here
		}
	}
	paths := append([]string{"/", "/section/news", "/feed.xml", "/search?q=council", "/sitemap.xml", "/tag/transport"}, articles...)

	warm := time.Now().Add(duration / 5)
	var startRSS int
	var requests, posts, limited, failures atomic.Int64
	var firstErr atomic.Value
	ctx, cancel := context.WithTimeout(context.Background(), duration)
	defer cancel()
	var wg sync.WaitGroup
	for c := 0; c < 256; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ctx.Err() == nil; i++ {
				var res *http.Response
				var err error
				if i%10 == 9 { // one request in ten posts a comment
					form := url.Values{"name": {"Soak"}, "email": {fmt.Sprintf("soak%d@example.test", c)}, "comment": {fmt.Sprintf("soak %d %d", c, i)}}
					req, _ := http.NewRequestWithContext(ctx, "POST", srv.base+open[i%len(open)]+"/comments", strings.NewReader(form.Encode()))
					req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
					res, err = client.Do(req)
					posts.Add(1)
				} else {
					req, _ := http.NewRequestWithContext(ctx, "GET", srv.base+paths[(c+i)%len(paths)], nil)
					req.Header.Set("Accept-Encoding", "gzip")
					res, err = client.Do(req)
				}
				if ctx.Err() != nil {
					return
				}
				requests.Add(1)
				if err != nil {
					failures.Add(1)
					firstErr.CompareAndSwap(nil, err.Error())
					continue
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				switch {
				case res.StatusCode == http.StatusTooManyRequests:
					limited.Add(1)
				case res.StatusCode >= 400:
					failures.Add(1)
					firstErr.CompareAndSwap(nil, fmt.Sprintf("%s %d", res.Request.URL, res.StatusCode))
				}
			}
		}()
	}
	time.Sleep(time.Until(warm))
	startRSS = rssKB(t, srv.cmd.Process.Pid)
	wg.Wait()
	endRSS := rssKB(t, srv.cmd.Process.Pid)
	t.Logf("soak %s: %d requests (%d comment posts, %d intended 429s), %d errors; RSS %d MB after warm-up, %d MB at the end",
		duration, requests.Load(), posts.Load(), limited.Load(), failures.Load(), startRSS/1024, endRSS/1024)
	if failures.Load() > 0 {
		t.Errorf("%d errors, first: %v", failures.Load(), firstErr.Load())
	}
	if endRSS > startRSS*2+128*1024 { // the page cache (64 MB by default) fills during the run
		t.Errorf("memory grew from %d MB to %d MB", startRSS/1024, endRSS/1024)
	}
}

// TestGracefulShutdown sends SIGTERM while a request is in flight: the
// request completes, new connections are refused, and the process exits
// well within its deadline.
func TestGracefulShutdown(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	srv := startServer(t, dir)
	srv.killed = true // this test stops the server itself
	res, err := http.Get(srv.base + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	article := regexp.MustCompile(`href="(/\d{4}/\d{2}/\d{2}/[a-z0-9-]+)"`).FindSubmatch(body)
	if article == nil {
		t.Fatal("no article")
	}
	// Start a comment whose body arrives slowly: the handler is mid-request.
	pr, pw := io.Pipe()
	req, _ := http.NewRequest("POST", srv.base+string(article[1])+"/comments", pr)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	done := make(chan *http.Response, 1)
	go func() {
		client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		res, err := client.Do(req)
		if err != nil {
			t.Errorf("in-flight request failed: %v", err)
			done <- nil
			return
		}
		done <- res
	}()
	io.WriteString(pw, "name=Last+Reader&email=last%40example.test&")
	time.Sleep(300 * time.Millisecond)
	start := time.Now()
	if err := srv.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	host := strings.TrimPrefix(srv.base, "http://")
	if c, err := net.DialTimeout("tcp", host, time.Second); err == nil {
		c.Close()
		t.Error("new connections are still accepted after SIGTERM")
	}
	io.WriteString(pw, "comment=Sent+while+the+server+was+stopping")
	pw.Close()
	if res := <-done; res == nil || res.StatusCode != http.StatusSeeOther {
		t.Errorf("in-flight request did not complete: %v", res)
	}
	exited := make(chan error, 1)
	go func() { exited <- srv.cmd.Wait() }()
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("exit: %v\n%s", err, srv.logs.String())
		}
	case <-time.After(20 * time.Second):
		srv.cmd.Process.Kill()
		t.Fatal("server did not exit within 20s")
	}
	t.Logf("stopped %s after SIGTERM, with the in-flight comment saved", time.Since(start).Round(time.Millisecond))
}
