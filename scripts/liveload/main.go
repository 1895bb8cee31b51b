// Command liveload is the live blogs' load benchmark: many Server-Sent
// Events readers on one live blog of a running masthead, an editor posting
// an entry at a fixed interval, and a few clients reading a cached article
// meanwhile. It reports post-to-delivery latency across every reader
// (p50, p99, max), whether any reader missed an entry or got one twice,
// the server's memory per open stream (from its /metrics, before and after
// the readers connect), and the cached page's throughput during the run.
//
// It talks to 127.0.0.1 only, and everything is bounded: readers, posts,
// the interval, and a deadline for the stragglers. Readers spread over
// loopback source addresses (127.0.x.y), a few per address, so that the
// server's per-client stream cap holds for each of them as it would for
// readers on as many machines. scripts/liveload (the shell script beside
// this folder) builds and starts the server and runs this.
package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "liveload:", err)
		os.Exit(1)
	}
}

type config struct {
	base      string
	readers   int
	perAddr   int
	posts     int
	interval  time.Duration
	cached    string
	fetchers  int
	email     string
	password  string
	page      string
	articleID int64 // read from the page
}

func run() error {
	var c config
	flag.StringVar(&c.base, "base", "http://127.0.0.1:8080", "the server (loopback only)")
	flag.IntVar(&c.readers, "readers", 10000, "concurrent stream readers (at most 20000)")
	flag.IntVar(&c.perAddr, "per-addr", 4, "readers per loopback source address (below the server's per-client cap)")
	flag.IntVar(&c.posts, "posts", 60, "entries to post (at most 600)")
	flag.DurationVar(&c.interval, "interval", time.Second, "time between posts (at least 100ms)")
	flag.StringVar(&c.cached, "cached", "/", "the cached page to read meanwhile")
	flag.IntVar(&c.fetchers, "fetchers", 4, "concurrent clients reading the cached page")
	flag.StringVar(&c.email, "email", "", "an editor's email")
	flag.StringVar(&c.password, "password", "", "the editor's password")
	flag.StringVar(&c.page, "page", "", "the live blog's page, a path (/2026/07/11/slug)")
	flag.Parse()
	u, err := url.Parse(c.base)
	if err != nil || u.Hostname() != "127.0.0.1" {
		return fmt.Errorf("-base %q: only http://127.0.0.1:PORT is allowed", c.base)
	}
	switch {
	case c.readers < 1 || c.readers > 20000:
		return errors.New("-readers: 1 to 20000")
	case c.posts < 1 || c.posts > 600:
		return errors.New("-posts: 1 to 600")
	case c.interval < 100*time.Millisecond:
		return errors.New("-interval: at least 100ms")
	case c.perAddr < 1 || c.fetchers < 0 || c.fetchers > 64:
		return errors.New("-per-addr at least 1, -fetchers 0 to 64")
	case !strings.HasPrefix(c.page, "/") || c.email == "":
		return errors.New("-page (a path) and -email are required")
	}
	// Everything ends by this deadline, whatever happens.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute+time.Duration(c.posts)*c.interval)
	defer cancel()

	var after int64
	if c.articleID, after, err = streamStart(ctx, c); err != nil {
		return err
	}
	fmt.Printf("live blog %s (article %d), stream from %d; %d readers, %d per source address; %d posts every %v\n", c.page, c.articleID, after, c.readers, c.perAddr, c.posts, c.interval)

	ed, err := signIn(ctx, c)
	if err != nil {
		return err
	}
	before, err := serverMemory(ctx, c.base)
	if err != nil {
		return err
	}
	posted := make([]atomic.Int64, c.posts) // unix ns when each post was sent
	readers := make([]*reader, c.readers)
	t0 := time.Now()
	if err := connect(ctx, c, after, readers, posted); err != nil {
		return err
	}
	fmt.Printf("connected %d readers in %v\n", c.readers, time.Since(t0).Round(time.Millisecond))
	time.Sleep(2 * time.Second) // let the server settle before measuring it
	withStreams, err := serverMemory(ctx, c.base)
	if err != nil {
		return err
	}

	fetchCtx, stopFetch := context.WithCancel(ctx)
	fetched := make(chan fetchStats, c.fetchers)
	for range c.fetchers {
		go func() { fetched <- fetchLoop(fetchCtx, c.base+c.cached) }()
	}
	fetchStart := time.Now()
	var postLat []time.Duration
	tick := time.NewTicker(c.interval)
	for k := range c.posts {
		<-tick.C
		start := time.Now()
		posted[k].Store(start.UnixNano())
		if err := ed.post(ctx, k); err != nil {
			tick.Stop()
			stopFetch()
			return fmt.Errorf("post %d: %w", k, err)
		}
		postLat = append(postLat, time.Since(start))
	}
	tick.Stop()
	// Stragglers: wait while deliveries still come (a slow machine is
	// late, not lossy), until 15 s pass without one or 2 minutes in all;
	// what never came then is missed.
	quietUntil, giveUp, last := time.Now().Add(15*time.Second), time.Now().Add(2*time.Minute), delivered(readers)
	for time.Now().Before(quietUntil) && time.Now().Before(giveUp) && last < c.readers*c.posts {
		time.Sleep(100 * time.Millisecond)
		if n := delivered(readers); n > last {
			last, quietUntil = n, time.Now().Add(15*time.Second)
		}
	}
	stopFetch()
	fetchTime := time.Since(fetchStart)
	var fs fetchStats
	for range c.fetchers {
		f := <-fetched
		fs.n, fs.errs = fs.n+f.n, fs.errs+f.errs
		fs.lat = append(fs.lat, f.lat...)
	}
	after2, err := serverMemory(ctx, c.base)
	if err != nil {
		return err
	}
	for _, r := range readers {
		r.conn.Close()
	}

	// The figures.
	var lat []time.Duration
	missed, dup, dropped := 0, 0, 0
	for _, r := range readers {
		r.mu.Lock()
		for k := range c.posts {
			if r.got[k] == 0 {
				missed++
			} else {
				lat = append(lat, time.Duration(r.got[k]-posted[k].Load()))
			}
		}
		dup += r.dups
		if r.err != nil && !errors.Is(r.err, net.ErrClosed) {
			dropped++
		}
		r.mu.Unlock()
	}
	slices.Sort(lat)
	slices.Sort(postLat)
	slices.Sort(fs.lat)
	fmt.Printf("deliveries: %d of %d (missed %d, twice %d, streams that broke %d)\n", len(lat), c.readers*c.posts, missed, dup, dropped)
	fmt.Printf("post -> delivery: p50 %v, p90 %v, p99 %v, max %v (target p99 <= 1s)\n", pct(lat, 50), pct(lat, 90), pct(lat, 99), pct(lat, 100))
	fmt.Printf("the editor's post request: p50 %v, p99 %v\n", pct(postLat, 50), pct(postLat, 99))
	per := func(a, b int64) string { return fmt.Sprintf("%.1f KiB", float64(b-a)/float64(c.readers)/1024) }
	fmt.Printf("server memory: RSS %.1f MiB -> %.1f MiB with the streams (%s per stream), %.1f MiB at the end\n",
		mib(before.rss), mib(withStreams.rss), per(before.rss, withStreams.rss), mib(after2.rss))
	fmt.Printf("server Go memory (heap in use + stacks): %.1f MiB -> %.1f MiB (%s per stream); goroutines %d -> %d (target <= 16 KiB per stream)\n",
		mib(before.goMem()), mib(withStreams.goMem()), per(before.goMem(), withStreams.goMem()), before.goroutines, withStreams.goroutines)
	fmt.Printf("cached page %s meanwhile: %d requests in %v = %.0f req/s with %d clients, p50 %v, p99 %v, errors %d\n",
		c.cached, fs.n, fetchTime.Round(time.Millisecond), float64(fs.n)/fetchTime.Seconds(), c.fetchers, pct(fs.lat, 50), pct(fs.lat, 99), fs.errs)
	if missed > 0 || dup > 0 {
		return fmt.Errorf("%d deliveries missed, %d twice", missed, dup)
	}
	return nil
}

func mib(b int64) float64 { return float64(b) / (1 << 20) }

func pct(d []time.Duration, p int) time.Duration {
	if len(d) == 0 {
		return 0
	}
	i := (len(d)*p + 99) / 100
	return d[min(max(i-1, 0), len(d)-1)].Round(100 * time.Microsecond)
}

// editor is a signed-in member of staff who posts entries.
type editor struct {
	c      config
	client *http.Client
}

var csrfPattern = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func signIn(ctx context.Context, c config) (*editor, error) {
	jar, _ := cookiejar.New(nil)
	ed := &editor{c: c, client: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	token, err := ed.csrf(ctx, "/admin/login")
	if err != nil {
		return nil, err
	}
	res, err := ed.form(ctx, "/admin/login", url.Values{"csrf": {token}, "email": {c.email}, "password": {c.password}, "next": {""}})
	if err != nil {
		return nil, err
	}
	if res.StatusCode != http.StatusSeeOther {
		return nil, fmt.Errorf("signing in as %s: %s", c.email, res.Status)
	}
	return ed, nil
}

func (ed *editor) csrf(ctx context.Context, path string) (string, error) {
	req, _ := http.NewRequestWithContext(ctx, "GET", ed.c.base+path, nil)
	res, err := ed.client.Do(req)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	m := csrfPattern.FindSubmatch(body)
	if m == nil {
		return "", fmt.Errorf("%s (%s) has no form token", path, res.Status)
	}
	return string(m[1]), nil
}

func (ed *editor) form(ctx context.Context, path string, v url.Values) (*http.Response, error) {
	req, _ := http.NewRequestWithContext(ctx, "POST", ed.c.base+path, strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", ed.c.base)
	res, err := ed.client.Do(req)
	if err != nil {
		return nil, err
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res, nil
}

// post sends entry k, as the live desk's form does (its token read once).
func (ed *editor) post(ctx context.Context, k int) error {
	path := fmt.Sprintf("/admin/articles/%d/live", ed.c.articleID)
	if deskToken == "" {
		t, err := ed.csrf(ctx, path)
		if err != nil {
			return err
		}
		deskToken = t
	}
	res, err := ed.form(ctx, path, url.Values{"csrf": {deskToken}, "body": {fmt.Sprintf("Load entry %s.", entryMark(k))}})
	if err != nil {
		return err
	}
	if res.StatusCode != http.StatusSeeOther {
		return fmt.Errorf("posting: %s", res.Status)
	}
	return nil
}

var deskToken string // set by the one posting goroutine

// entryMark names entry k in its text, so a reader knows which it got.
func entryMark(k int) string { return fmt.Sprintf("LL%04dLL", k) }

// entryIndex finds entry k's mark in a line (cheaply: 10,000 readers
// share the machine with the server).
func entryIndex(line []byte) (int, bool) {
	i := bytes.Index(line, []byte("LL"))
	if i < 0 || i+8 > len(line) || string(line[i+6:i+8]) != "LL" {
		return 0, false
	}
	k, err := strconv.Atoi(string(line[i+2 : i+6]))
	return k, err == nil
}

var streamAttr = regexp.MustCompile(`id="live"[^>]* data-stream="/live/(\d+)/events\?after=(\d+)"`)

// streamStart reads the live blog's page: its article id, and the number
// its stream starts after.
func streamStart(ctx context.Context, c config) (int64, int64, error) {
	page, err := get(ctx, c.base+c.page)
	if err != nil {
		return 0, 0, err
	}
	m := streamAttr.FindSubmatch(page)
	if m == nil {
		return 0, 0, fmt.Errorf("%s is not an open live blog", c.page)
	}
	id, _ := strconv.ParseInt(string(m[1]), 10, 64)
	after, _ := strconv.ParseInt(string(m[2]), 10, 64)
	return id, after, nil
}

func get(ctx context.Context, u string) ([]byte, error) {
	req, _ := http.NewRequestWithContext(ctx, "GET", u, nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: %s", u, res.Status)
	}
	return io.ReadAll(res.Body)
}

// reader is one open stream.
type reader struct {
	conn net.Conn
	mu   sync.Mutex
	got  []int64 // unix ns when entry k arrived; 0: not yet
	dups int
	err  error
}

// connect opens every reader's stream, a few hundred at a time.
func connect(ctx context.Context, c config, after int64, readers []*reader, posted []atomic.Int64) error {
	addr := strings.TrimPrefix(c.base, "http://")
	sem := make(chan struct{}, 200)
	errs := make(chan error, len(readers))
	var wg sync.WaitGroup
	for i := range readers {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			// 127.0.x.y, from 127.0.1.1 on: one address per perAddr readers.
			n := i/c.perAddr + 257
			src := net.IPv4(127, byte(n>>16), byte(n>>8), byte(n))
			d := net.Dialer{LocalAddr: &net.TCPAddr{IP: src}, Timeout: 30 * time.Second}
			conn, err := d.DialContext(ctx, "tcp", addr)
			if err != nil {
				errs <- fmt.Errorf("reader %d from %s: %w", i, src, err)
				return
			}
			r := &reader{conn: conn, got: make([]int64, c.posts)}
			readers[i] = r
			fmt.Fprintf(conn, "GET /live/%d/events?after=%d HTTP/1.1\r\nHost: %s\r\nAccept: text/event-stream\r\n\r\n", c.articleID, after, addr)
			in := bufio.NewReaderSize(conn, 2048)
			status, err := in.ReadString('\n')
			if err != nil || !strings.Contains(status, " 200 ") {
				errs <- fmt.Errorf("reader %d from %s: %q %v", i, src, status, err)
				conn.Close()
				return
			}
			// Headers, then the retry field's block: the stream is open.
			for blank := 0; blank < 2; {
				line, err := in.ReadString('\n')
				if err != nil {
					errs <- fmt.Errorf("reader %d: %w", i, err)
					return
				}
				if strings.TrimSpace(line) == "" {
					blank++
				}
			}
			go r.read(in)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		return err // the first is enough
	}
	return nil
}

// read records when each entry arrives.
func (r *reader) read(in *bufio.Reader) {
	for {
		line, err := in.ReadSlice('\n')
		if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
			r.mu.Lock()
			r.err = err
			r.mu.Unlock()
			return
		}
		if !bytes.HasPrefix(line, []byte("data: ")) {
			continue
		}
		now := time.Now().UnixNano()
		k, ok := entryIndex(line)
		if !ok {
			continue
		}
		r.mu.Lock()
		if k < len(r.got) {
			if r.got[k] != 0 {
				r.dups++
			} else {
				r.got[k] = now
			}
		}
		r.mu.Unlock()
	}
}

// delivered counts the entries every reader has so far.
func delivered(readers []*reader) int {
	n := 0
	for _, r := range readers {
		r.mu.Lock()
		for _, t := range r.got {
			if t != 0 {
				n++
			}
		}
		r.mu.Unlock()
	}
	return n
}

type fetchStats struct {
	n, errs int
	lat     []time.Duration
}

// fetchLoop reads a page over one keep-alive connection until ctx ends.
func fetchLoop(ctx context.Context, u string) fetchStats {
	var s fetchStats
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1, DisableCompression: false}, Timeout: 10 * time.Second}
	for ctx.Err() == nil {
		start := time.Now()
		req, _ := http.NewRequestWithContext(ctx, "GET", u, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		res, err := client.Do(req)
		if err != nil {
			if ctx.Err() == nil {
				s.errs++
			}
			continue
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			s.errs++
			continue
		}
		s.n++
		s.lat = append(s.lat, time.Since(start))
	}
	return s
}

// memory is what the server's /metrics says of its memory.
type memory struct {
	rss, heap, stack int64
	goroutines       int
}

func (m memory) goMem() int64 { return m.heap + m.stack }

func serverMemory(ctx context.Context, base string) (memory, error) {
	req, _ := http.NewRequestWithContext(ctx, "GET", base+"/metrics", nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return memory{}, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return memory{}, fmt.Errorf("/metrics: %s", res.Status)
	}
	var m memory
	sc := bufio.NewScanner(res.Body)
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), " ")
		if !ok {
			continue
		}
		f, err := strconv.ParseFloat(value, 64)
		if err != nil {
			continue
		}
		switch name {
		case "process_resident_memory_bytes":
			m.rss = int64(f)
		case "go_memstats_heap_inuse_bytes":
			m.heap = int64(f)
		case "go_memstats_stack_inuse_bytes":
			m.stack = int64(f)
		case "go_goroutines":
			m.goroutines = int(f)
		}
	}
	return m, sc.Err()
}
