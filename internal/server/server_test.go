package server_test

import (
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"masthead/internal/fastpath"
	"masthead/internal/news"
	"masthead/internal/observe"
	"masthead/internal/render"
	"masthead/internal/server"
	"masthead/internal/testutil"
)

// What the fast path sends from a page's kept head is what the site's
// handlers send for the same request, for every way a page is answered:
// each encoding, HEAD, Not Modified, and HTTPS behind a trusted proxy.
func TestFastPathAnswersAsTheSite(t *testing.T) {
	site := testutil.NewSite(t)
	sec := site.Section(t, "Town")
	article := site.Article(t, &news.Article{Headline: "The quay reopens", Section: sec,
		Body: strings.Repeat("The harbour master said the quay would reopen on Monday. ", 60)})
	eng, err := render.New(time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	site2 := server.New(site.Store, site.Desk, eng, log, server.Config{BaseURL: base, TrustProxy: true, Secret: []byte("test")})
	handler := observe.Middleware(log, nil, site2.InternalError, site2.Handler())
	var kept atomic.Int32
	fast := &fastpath.Server{HTTP: &http.Server{Handler: handler}, Fast: site2.FastHit,
		Answered: func(*http.Request, string, int, int, time.Time) { kept.Add(1) }}
	go func() { _ = fast.Serve(ln) }()
	t.Cleanup(func() { _ = fast.Shutdown(t.Context()) })
	// The same handler served by net/http alone.
	plainLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	plainSrv := &http.Server{Handler: handler}
	go func() { _ = plainSrv.Serve(plainLn) }()
	t.Cleanup(func() { plainSrv.Close() })
	siteURL := "http://" + plainLn.Addr().String()

	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	do := func(url, method, path string, header ...string) (int, http.Header, string) {
		t.Helper()
		req, _ := http.NewRequest(method, url+path, nil)
		for i := 0; i < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		res.Header.Del("Date")
		res.Header.Del("X-Request-Id")
		return res.StatusCode, res.Header, string(b)
	}

	path := article.URLPath()
	_, plain, _ := do(siteURL, "GET", path) // rendered and kept
	etag := plain.Get("Etag")
	cases := []struct {
		name   string
		method string
		header []string
	}{
		{"GET", "GET", nil},
		{"HEAD", "HEAD", nil},
		{"gzip", "GET", []string{"Accept-Encoding", "gzip"}},
		{"Not Modified", "GET", []string{"If-None-Match", etag}},
		{"gzip, Not Modified", "GET", []string{"Accept-Encoding", "gzip", "If-None-Match", etag}},
		{"HTTPS behind the proxy", "GET", []string{"X-Forwarded-Proto", "https"}},
		{"front page", "GET", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := path
			if tc.name == "front page" {
				p = "/"
				do(siteURL, "GET", p)
			}
			kept.Store(0)
			wantStatus, want, wantBody := do(siteURL, tc.method, p, tc.header...)
			if want.Get("X-Cache") != "HIT" {
				t.Fatalf("the site did not answer from the cache: X-Cache %q", want.Get("X-Cache"))
			}
			// A change logged before the case began can reach the cache late
			// (PostgreSQL's notifications are asynchronous) and empty the page
			// between answers: then the three answers are asked again.
			for attempt := 1; attempt <= 3; attempt++ {
				if attempt > 1 {
					if kept.Load() >= 2 {
						break
					}
					do(siteURL, tc.method, p, tc.header...)
					kept.Store(0)
				}
				for i := range 3 {
					status, got, body := do(base, tc.method, p, tc.header...)
					if status != wantStatus || body != wantBody {
						t.Errorf("answer %d: %d with %d bytes, the site %d with %d", i, status, len(body), wantStatus, len(wantBody))
					}
					for k, v := range want {
						if strings.Join(got[k], "|") != strings.Join(v, "|") {
							t.Errorf("answer %d: %s: %q, the site %q", i, k, got[k], v)
						}
					}
					for k, v := range got {
						if _, ok := want[k]; !ok {
							t.Errorf("answer %d: %s: %q, which the site does not send", i, k, v)
						}
					}
				}
			}
			if kept.Load() < 2 {
				t.Errorf("%d of 3 answers came from a kept head, want at least 2", kept.Load())
			}
		})
	}
	// A comment empties the article's page; the connection that meets the
	// miss has it rendered and stays on the fast path.
	site.Comment(t, article, &news.Comment{Body: "Good to see it open again.", Status: news.CommentApproved})
	kept.Store(0)
	for range 3 {
		if _, _, body := do(base, "GET", path); !strings.Contains(body, "Good to see it open again.") {
			t.Fatal("the article came back without its new comment")
		}
	}
	if kept.Load() == 0 {
		t.Error("after a miss the connection left the fast path")
	}
	// An old WordPress link to the front page is still redirected.
	res, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Get(base + "/?p=99999")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode == http.StatusOK {
		t.Errorf("/?p=99999 answered with the front page")
	}
}
