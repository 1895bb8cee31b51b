package main_test

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"masthead/internal/store"
)

// countingInboxes is a fediverse server with many inboxes on loopback
// that counts what each receives. From the gateAt-th request on, it holds
// each request (counted: it has arrived) until open is called, so that a
// test can kill the sender while deliveries are in flight.
type countingInboxes struct {
	srv    *httptest.Server
	gateAt int
	gate   chan struct{}

	mu      sync.Mutex
	total   int
	got     map[string]int // inbox path → deliveries received
	ids     map[string]bool
	blocked map[string]bool // inbox paths whose request is being held
	opened  bool
}

func newCountingInboxes(t *testing.T, gateAt int) *countingInboxes {
	c := &countingInboxes{gateAt: gateAt, gate: make(chan struct{}), got: map[string]int{}, ids: map[string]bool{}, blocked: map[string]bool{}}
	c.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var act struct{ ID, Type string }
		_ = json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&act)
		c.mu.Lock()
		c.total++
		c.got[r.URL.Path]++
		c.ids[act.ID] = true
		hold := c.total >= c.gateAt && !c.opened
		if hold {
			c.blocked[r.URL.Path] = true
		}
		c.mu.Unlock()
		if hold {
			<-c.gate
		}
		w.WriteHeader(http.StatusAccepted)
	}))
	t.Cleanup(func() {
		c.open()
		c.srv.Close()
	})
	return c
}

// open lets held requests be answered, holds no more, and returns the
// inbox paths of those that were held.
func (c *countingInboxes) open() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.opened {
		c.opened = true
		close(c.gate)
	}
	held := make([]string, 0, len(c.blocked))
	for path := range c.blocked {
		held = append(held, path)
	}
	sort.Strings(held)
	return held
}

func (c *countingInboxes) snapshot() (total, distinct, blocked int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.total, len(c.got), len(c.blocked)
}

// TestFederationDeliveryCrash delivers one article's Create to 1,000
// follower inboxes from the real binary, kills it with SIGKILL while four
// deliveries are in flight (each held by the inbox after it arrived, before
// it is answered: the worst moment), restarts it, and checks that every
// inbox gets the activity, and that only the deliveries in flight at the
// kill (leased, not yet recorded as sent) arrive twice — the at-least-once
// that HTTP allows, with one activity id, so receivers keep one copy. No
// other inbox gets two.
func TestFederationDeliveryCrash(t *testing.T) {
	const followers = 1000
	started := time.Now()
	dir := filepath.Join(t.TempDir(), "data")
	masthead(t, "a long enough password\n", "user", "add", "--data", dir, "--email", "desk@example.test", "--name", "Desk Editor", "--role", "editor")
	inboxes := newCountingInboxes(t, 300)

	// The followers, straight into the database the server will use.
	ctx := context.Background()
	st, err := store.Open(ctx, "", filepath.Join(dir, "masthead.db"))
	if err != nil {
		t.Fatal(err)
	}
	err = st.Atomically(ctx, func(tx *store.Store) error {
		for i := range followers {
			err := tx.AddFollower(ctx, store.Follower{Actor: "site", Follower: fmt.Sprintf("%s/users/%d", inboxes.srv.URL, i),
				Inbox: fmt.Sprintf("%s/users/%d/inbox", inboxes.srv.URL, i), CreatedAt: time.Now()})
			if err != nil {
				return err
			}
		}
		return nil
	})
	st.Close()
	if err != nil {
		t.Fatal(err)
	}

	flags := []string{"--demo=false", "--federation-test-loopback"}
	srv := startServer(t, dir, flags...)
	c := signIn(t, srv.base)
	if c == nil {
		t.Fatalf("could not sign in:\n%s", srv.logs)
	}
	res, err := c.http.PostForm(c.base+"/admin/articles", url.Values{"csrf": {c.csrf}, "headline": {"Storm closes the harbour"}, "body": {"Every ferry is cancelled."}})
	if err != nil || res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %v %v", res, err)
	}
	res.Body.Close()
	edit := res.Header.Get("Location")
	id := regexp.MustCompile(`/admin/articles/(\d+)`).FindStringSubmatch(edit)
	if id == nil || !c.csrfFrom(edit) {
		t.Fatalf("no editor at %q", edit)
	}
	res, err = c.http.PostForm(c.base+"/admin/articles/"+id[1]+"/workflow", url.Values{"csrf": {c.csrf}, "action": {"publish"}})
	if err != nil || res.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish: %v %v", res, err)
	}
	res.Body.Close()

	// Wait until each of the four workers holds a delivery that has
	// arrived, or for five seconds after the first (a worker still between
	// two deliveries is in the race any kill allows; the sender's timeout
	// is ten).
	var firstHeld time.Time
	for {
		total, _, blocked := inboxes.snapshot()
		if blocked > 0 && firstHeld.IsZero() {
			firstHeld = time.Now()
		}
		if blocked >= 4 || (blocked > 0 && time.Since(firstHeld) > 5*time.Second) {
			t.Logf("killing with %d received, %d held in flight (after %s)", total, blocked, time.Since(started).Round(time.Millisecond))
			break
		}
		if time.Since(started) > 3*time.Minute {
			t.Fatalf("no delivery arrived: %d received\n%s", total, srv.logs)
		}
		time.Sleep(5 * time.Millisecond)
	}
	srv.kill()
	held := inboxes.open()
	_, distinctAtKill, _ := inboxes.snapshot()
	if distinctAtKill >= followers {
		t.Fatalf("every inbox had it before the kill: nothing was tested")
	}
	leased := sendingInboxes(t, filepath.Join(dir, "masthead.db"), inboxes.srv.URL)

	srv = startServer(t, dir, flags...)
	restarted := time.Now()
	for {
		_, distinct, _ := inboxes.snapshot()
		queued, sending := metric(t, srv.base, "queued"), metric(t, srv.base, "sending")
		if distinct == followers && queued == 0 && sending == 0 {
			break
		}
		if time.Since(restarted) > 3*time.Minute {
			t.Fatalf("after the restart %d of %d inboxes have it; %d queued, %d sending\n%s", distinct, followers, queued, sending, srv.logs)
		}
		time.Sleep(50 * time.Millisecond)
	}

	inboxes.mu.Lock()
	defer inboxes.mu.Unlock()
	var twice []string
	for path, n := range inboxes.got {
		switch {
		case n == 2 && leased[path]:
			twice = append(twice, path)
		case n != 1:
			t.Errorf("%s received %d deliveries (in flight at the kill: %v)", path, n, leased[path])
		}
	}
	sort.Strings(twice)
	if len(inboxes.ids) != 1 {
		t.Errorf("%d activity ids sent, want one", len(inboxes.ids))
	}
	for _, path := range held { // arrived, never answered: sent again
		if inboxes.got[path] != 2 {
			t.Errorf("%s, held when the sender was killed, received %d deliveries", path, inboxes.got[path])
		}
	}
	if len(twice) > len(held) { // a worker that was not held was in the same window
		t.Logf("%d more were answered but not yet recorded as sent at the kill: %v", len(twice)-len(held), twice)
	}
	t.Logf("%d inboxes each got the Create: %d exactly once, %d twice (the deliveries in flight at the kill, all with one activity id); %d requests; took %s",
		len(inboxes.got), len(inboxes.got)-len(twice), len(twice), inboxes.total, time.Since(started).Round(time.Millisecond))
}

// sendingInboxes reads, from a stopped server's database, the inbox paths
// of deliveries leased when it stopped.
func sendingInboxes(t *testing.T, path, prefix string) map[string]bool {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT inbox FROM fed_deliveries WHERE state = 'sending'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var inbox string
		if err := rows.Scan(&inbox); err != nil {
			t.Fatal(err)
		}
		out[strings.TrimPrefix(inbox, prefix)] = true
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// metric reads masthead_federation_deliveries{state=state} from /metrics.
func metric(t *testing.T, base, state string) int {
	t.Helper()
	res, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	want := fmt.Sprintf(`masthead_federation_deliveries{state=%q} `, state)
	sc := bufio.NewScanner(res.Body)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), want); ok {
			var n int
			fmt.Sscan(v, &n)
			return n
		}
	}
	t.Fatalf("no %s in /metrics", strings.TrimSpace(want))
	return 0
}
