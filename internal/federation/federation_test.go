package federation_test

import (
	"bytes"
	"context"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"masthead/internal/activitypub"
	"masthead/internal/clock"
	"masthead/internal/federation"
	"masthead/internal/news"
	"masthead/internal/newsroom"
	"masthead/internal/testutil"
)

// fedSite is a Masthead site served over HTTP on loopback, federating.
type fedSite struct {
	*testutil.Site
	desk *newsroom.Service
	url  string
	clk  clock.Clock
}

func newFedSite(t *testing.T, clk clock.Clock) *fedSite {
	t.Helper()
	return newFedSiteWith(t, clk, newsroom.FederationConfig{})
}

// newFedSiteWith is newFedSite with federation configured as fc (loopback
// always allowed).
func newFedSiteWith(t *testing.T, clk clock.Clock, fc newsroom.FederationConfig) *fedSite {
	t.Helper()
	fc.AllowLoopback = true
	site := testutil.NewSiteAt(t, clk)
	var handler http.Handler
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handler.ServeHTTP(w, r) }))
	t.Cleanup(srv.Close)
	desk := newsroom.New(site.Store, newsroom.Config{Location: time.UTC, Clock: clk, BaseURL: srv.URL, Log: slog.New(slog.NewTextHandler(t.Output(), nil)),
		Federation: fc})
	pages := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, "<!doctype html><p>the page</p>")
	})
	handler = federation.New(desk, slog.New(slog.DiscardHandler)).Wrap(pages)
	return &fedSite{Site: site, desk: desk, url: srv.URL, clk: clk}
}

// peer is a remote fediverse server: actors with their own key, a shared
// inbox that records what it is sent, and checks its signature.
type peer struct {
	t      *testing.T
	url    string
	key    *rsa.PrivateKey
	status int // what its inbox answers; 0: 202

	mu       sync.Mutex
	profiles map[string]map[string]any // more of an actor's document, by name
	received []delivered
}

type delivered struct {
	Path     string
	Activity map[string]any
	Verified error
}

func newPeer(t *testing.T) *peer {
	t.Helper()
	pair, err := activitypub.NewKeyPair()
	if err != nil {
		t.Fatal(err)
	}
	key, err := activitypub.ParsePrivateKey(pair.PrivatePEM)
	if err != nil {
		t.Fatal(err)
	}
	p := &peer{t: t, key: key}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /users/{name}", func(w http.ResponseWriter, r *http.Request) {
		id := p.actor(r.PathValue("name"))
		w.Header().Set("Content-Type", activitypub.ContentType)
		doc := map[string]any{
			"id": id, "type": "Person", "preferredUsername": r.PathValue("name"), "inbox": id + "/inbox",
			"endpoints": map[string]string{"sharedInbox": p.url + "/inbox"},
			"publicKey": map[string]string{"id": id + "#main-key", "owner": id, "publicKeyPem": pair.PublicPEM},
		}
		p.mu.Lock()
		for k, v := range p.profiles[r.PathValue("name")] {
			doc[k] = v
		}
		p.mu.Unlock()
		json.NewEncoder(w).Encode(doc)
	})
	receive := func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var act map[string]any
		_ = json.Unmarshal(body, &act)
		p.mu.Lock()
		p.received = append(p.received, delivered{Path: r.URL.Path, Activity: act, Verified: verify(r, body)})
		status := p.status
		p.mu.Unlock()
		if status == 0 {
			status = http.StatusAccepted
		}
		w.WriteHeader(status)
	}
	mux.HandleFunc("POST /inbox", receive)
	mux.HandleFunc("POST /users/{name}/inbox", receive)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	p.url = srv.URL
	return p
}

func (p *peer) actor(name string) string { return p.url + "/users/" + name }

func (p *peer) deliveries() []delivered {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]delivered(nil), p.received...)
}

// verify checks a delivery's signature as a peer would: the key fetched
// from the signer's actor document.
func verify(r *http.Request, body []byte) error {
	sr := activitypub.SignedRequest{Method: r.Method, Target: r.URL.RequestURI(), Host: r.Host, Header: r.Header, Body: body}
	date, err := http.ParseTime(r.Header.Get("Date"))
	if err != nil {
		return err
	}
	sig, err := activitypub.ParseSignature(sr, date)
	if err != nil {
		return err
	}
	req, _ := http.NewRequest(http.MethodGet, sig.KeyID, nil)
	req.Header.Set("Accept", activitypub.ContentType)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var actor activitypub.Actor
	if err := json.NewDecoder(resp.Body).Decode(&actor); err != nil {
		return err
	}
	key, err := activitypub.ParsePublicKey(actor.PublicKey.PublicKeyPem)
	if err != nil {
		return err
	}
	return sig.Verify(sr, key)
}

// send POSTs activity to inbox as actor name of the peer, signed with key
// at date; tamper changes the body after signing.
func (p *peer) send(t *testing.T, inbox string, activity map[string]any, key *rsa.PrivateKey, date time.Time, tamper bool) *http.Response {
	t.Helper()
	body, _ := json.Marshal(activity)
	req, _ := http.NewRequest(http.MethodPost, inbox, bytes.NewReader(body))
	req.Header.Set("Content-Type", activitypub.ContentType)
	if key != nil {
		if err := activitypub.Sign(req, body, activity["actor"].(string)+"#main-key", key, date); err != nil {
			t.Fatal(err)
		}
	}
	if tamper {
		body = bytes.Replace(body, []byte("Follow"), []byte("Folloz"), 1)
		req.Body, req.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

func get(t *testing.T, url, accept string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, body
}

func TestDiscovery(t *testing.T) {
	s := newFedSite(t, clock.System{})
	ada := s.Author(t, "Ada Reporter")
	s.Author(t, "Nob Unpublished")
	tag := s.Tag(t, "City council")
	a := s.Article(t, &news.Article{Headline: "Bridge reopens", Standfirst: "After <two> years.", Authors: []news.Staff{ada}, Tags: []news.Tag{tag}})
	host := strings.TrimPrefix(s.url, "http://")

	tests := []struct {
		resource string
		status   int
		self     string
	}{
		{"acct:ada-reporter@" + host, 200, s.url + fmt.Sprintf("/ap/staff/%d", ada.ID)},
		{"acct:the-test-gazette@" + host, 200, s.url + "/ap/site"},
		{s.url + "/ap/site", 200, s.url + "/ap/site"},
		{"acct:nob-unpublished@" + host, 404, ""},
		{"acct:ada-reporter@elsewhere.example", 404, ""},
		{"acct:nobody@" + host, 404, ""},
	}
	for _, tt := range tests {
		resp, body := get(t, s.url+"/.well-known/webfinger?resource="+tt.resource, "")
		if resp.StatusCode != tt.status {
			t.Errorf("webfinger %s: %d, want %d", tt.resource, resp.StatusCode, tt.status)
			continue
		}
		if tt.status != 200 {
			continue
		}
		var wf newsroom.WebFinger
		if err := json.Unmarshal(body, &wf); err != nil {
			t.Fatal(err)
		}
		if len(wf.Links) == 0 || wf.Links[0].Rel != "self" || wf.Links[0].Type != activitypub.ContentType || wf.Links[0].Href != tt.self {
			t.Errorf("webfinger %s: links %+v, want self %s", tt.resource, wf.Links, tt.self)
		}
	}

	// The author page: HTML for a browser, the Person for the fediverse.
	for _, accept := range []string{activitypub.ContentType, `application/ld+json; profile="https://www.w3.org/ns/activitystreams"`} {
		resp, body := get(t, s.url+"/author/ada-reporter", accept)
		var actor activitypub.Actor
		if err := json.Unmarshal(body, &actor); err != nil || actor.Type != "Person" || actor.Name != "Ada Reporter" ||
			actor.PublicKey.PublicKeyPem == "" || actor.Inbox == "" || actor.Followers == "" || actor.URL != s.url+"/author/ada-reporter" {
			t.Errorf("author as %s: %s (%v)", accept, body, err)
		}
		if resp.Header.Get("Vary") != "Accept" {
			t.Errorf("author as AS2: Vary %q", resp.Header.Get("Vary"))
		}
	}
	if _, body := get(t, s.url+"/author/ada-reporter", "text/html,application/xhtml+xml,*/*;q=0.8"); !strings.Contains(string(body), "the page") {
		t.Errorf("a browser got %s", body)
	}
	// The key is made once and kept.
	_, one := get(t, s.url+fmt.Sprintf("/ap/staff/%d", ada.ID), activitypub.ContentType)
	_, two := get(t, s.url+"/author/ada-reporter", activitypub.ContentType)
	if !bytes.Equal(one, two) {
		t.Error("the actor changed between two fetches")
	}

	// The article.
	_, body := get(t, s.url+a.URLPath(), activitypub.ContentType)
	var o activitypub.Object
	if err := json.Unmarshal(body, &o); err != nil {
		t.Fatal(err)
	}
	if o.Type != "Article" || o.Name != "Bridge reopens" || o.Summary != "<p>After &lt;two&gt; years.</p>" || o.URL != s.url+a.URLPath() ||
		len(o.AttributedTo) != 1 || o.AttributedTo[0] != s.url+fmt.Sprintf("/ap/staff/%d", ada.ID) || o.Content == "" ||
		len(o.Tag) != 1 || o.Tag[0].Name != "#CityCouncil" {
		t.Errorf("article: %s", body)
	}

	// NodeInfo.
	_, body = get(t, s.url+"/.well-known/nodeinfo", "")
	if !strings.Contains(string(body), s.url+"/nodeinfo/2.1") {
		t.Errorf("nodeinfo links: %s", body)
	}
	_, body = get(t, s.url+"/nodeinfo/2.1", "")
	var ni newsroom.NodeInfo
	if err := json.Unmarshal(body, &ni); err != nil || ni.Version != "2.1" || ni.Protocols[0] != "activitypub" {
		t.Errorf("nodeinfo: %s", body)
	}
}

// deliverAll runs the delivery worker until the queue has nothing due.
func (s *fedSite) deliverAll(t *testing.T) int {
	t.Helper()
	n, err := s.desk.DeliverFederated(context.Background(), "test-worker", 0)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestInboxSignatures(t *testing.T) {
	s := newFedSite(t, clock.System{})
	ada := s.Author(t, "Ada Reporter")
	s.Article(t, &news.Article{Authors: []news.Staff{ada}})
	remote := newPeer(t)
	other, _ := activitypub.NewKeyPair()
	wrongKey, _ := activitypub.ParsePrivateKey(other.PrivatePEM)
	adaID := s.url + fmt.Sprintf("/ap/staff/%d", ada.ID)
	follow := func(name string) map[string]any {
		return map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": remote.actor(name) + "#follow-1",
			"type": "Follow", "actor": remote.actor(name), "object": adaID}
	}
	now := time.Now()
	tests := []struct {
		name   string
		key    *rsa.PrivateKey
		date   time.Time
		tamper bool
	}{
		{"unsigned", nil, now, false},
		{"tampered body", remote.key, now, true},
		{"wrong key", wrongKey, now, false},
		{"replayed old date", remote.key, now.Add(-2 * time.Hour), false},
		{"date from the future", remote.key, now.Add(2 * time.Hour), false},
	}
	for _, tt := range tests {
		resp := remote.send(t, s.url+"/ap/inbox", follow("mallory"), tt.key, tt.date, tt.tamper)
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s: %d, want 401", tt.name, resp.StatusCode)
		}
	}
	if f, _ := s.Store.Followers(context.Background(), fmt.Sprintf("staff:%d", ada.ID)); len(f) != 0 {
		t.Errorf("refused follows were stored: %+v", f)
	}
	if n := s.deliverAll(t); n != 0 {
		t.Errorf("refused follows queued %d deliveries", n)
	}

	// Someone else's Follow, signed by a real key: the key must be the
	// activity's actor's.
	forged := follow("alice")
	body, _ := json.Marshal(forged)
	req, _ := http.NewRequest(http.MethodPost, s.url+"/ap/inbox", bytes.NewReader(body))
	activitypub.Sign(req, body, remote.actor("mallory")+"#main-key", remote.key, now)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("a Follow signed by another actor's key: %d, want 401", resp.StatusCode)
	}

	// A good one is taken, and accepted.
	if resp := remote.send(t, s.url+fmt.Sprintf("/ap/staff/%d/inbox", ada.ID), follow("alice"), remote.key, now, false); resp.StatusCode != http.StatusAccepted {
		t.Fatalf("signed follow: %d", resp.StatusCode)
	}
	f, _ := s.Store.Followers(context.Background(), fmt.Sprintf("staff:%d", ada.ID))
	if len(f) != 1 || f[0].Follower != remote.actor("alice") || f[0].SharedInbox != remote.url+"/inbox" {
		t.Fatalf("followers: %+v", f)
	}
	_, body = get(t, adaID+"/followers", activitypub.ContentType)
	var followers activitypub.Collection
	if err := json.Unmarshal(body, &followers); err != nil || followers.TotalItems != 1 || followers.Type != "OrderedCollection" {
		t.Errorf("followers collection: %s", body)
	}
	if resp, _ := get(t, adaID+"/nonsense", activitypub.ContentType); resp.StatusCode != http.StatusNotFound {
		t.Errorf("an unknown collection: %d", resp.StatusCode)
	}
	s.deliverAll(t)
	got := remote.deliveries()
	if len(got) != 1 || got[0].Path != "/users/alice/inbox" || got[0].Activity["type"] != "Accept" || got[0].Verified != nil {
		t.Fatalf("deliveries: %+v", got)
	}
	if obj, _ := got[0].Activity["object"].(map[string]any); obj["id"] != remote.actor("alice")+"#follow-1" {
		t.Errorf("Accept of %v", got[0].Activity["object"])
	}

	// Undo.
	undo := map[string]any{"id": remote.actor("alice") + "#undo-1", "type": "Undo", "actor": remote.actor("alice"), "object": follow("alice")}
	if resp := remote.send(t, s.url+"/ap/inbox", undo, remote.key, now, false); resp.StatusCode != http.StatusAccepted {
		t.Fatalf("undo: %d", resp.StatusCode)
	}
	if f, _ := s.Store.Followers(context.Background(), fmt.Sprintf("staff:%d", ada.ID)); len(f) != 0 {
		t.Errorf("followers after Undo: %+v", f)
	}
}

func TestPublishDelivers(t *testing.T) {
	clk := clock.NewManual(time.Now())
	s := newFedSite(t, clk)
	ada := s.Staff(t, "Ada Reporter", news.RoleAuthor, "a long password")
	s.Article(t, &news.Article{Authors: []news.Staff{ada}})
	ed := s.Staff(t, "Eda Editor", news.RoleEditor, "a long password")
	remote := newPeer(t)
	ctx := context.Background()
	for _, name := range []string{"alice", "bob"} { // two followers on one server: one delivery to its shared inbox
		follow := map[string]any{"id": remote.actor(name) + "#f", "type": "Follow", "actor": remote.actor(name), "object": s.url + fmt.Sprintf("/ap/staff/%d", ada.ID)}
		if resp := remote.send(t, s.url+"/ap/inbox", follow, remote.key, clk.Now(), false); resp.StatusCode != http.StatusAccepted {
			t.Fatalf("follow: %d", resp.StatusCode)
		}
	}
	site := map[string]any{"id": remote.actor("carol") + "#f", "type": "Follow", "actor": remote.actor("carol"), "object": s.url + "/ap/site"}
	remote.send(t, s.url+"/ap/inbox", site, remote.key, clk.Now(), false)
	s.deliverAll(t) // the three Accepts
	remote.mu.Lock()
	remote.received, remote.status = nil, http.StatusServiceUnavailable
	remote.mu.Unlock()

	a, err := s.desk.Create(ctx, news.Actor{ID: ada.ID, Role: news.RoleAuthor}, news.Snapshot{Headline: "Tram line opens", Body: "The first tram ran at six.", AuthorIDs: []int64{ada.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.desk.Transition(ctx, news.Actor{ID: ed.ID, Role: news.RoleEditor}, a.ID, news.ActionPublish, time.Time{}, ""); err != nil {
		t.Fatal(err)
	}
	// The peer is down: both Creates (the reporter's, the paper's) fail
	// and wait; nothing is due until the backoff has passed.
	if n := s.deliverAll(t); n != 2 {
		t.Fatalf("first round handled %d, want 2", n)
	}
	if n := s.deliverAll(t); n != 0 {
		t.Fatalf("retried at once: %d", n)
	}
	remote.mu.Lock()
	remote.status = 0
	remote.mu.Unlock()
	clk.Advance(time.Minute)
	if n := s.deliverAll(t); n != 2 {
		t.Fatalf("retry handled %d, want 2", n)
	}
	var creates []delivered
	for _, d := range remote.deliveries() {
		if d.Activity["type"] == "Create" && d.Verified == nil && d.Path == "/inbox" {
			creates = append(creates, d)
		}
	}
	if len(creates) != 4 { // two failed, two delivered
		t.Fatalf("creates: %+v", remote.deliveries())
	}
	actors := map[any]bool{}
	for _, c := range creates[2:] {
		actors[c.Activity["actor"]] = true
		obj := c.Activity["object"].(map[string]any)
		if obj["type"] != "Article" || obj["name"] != "Tram line opens" {
			t.Errorf("created %v", obj)
		}
	}
	if !actors[s.url+"/ap/site"] || !actors[s.url+fmt.Sprintf("/ap/staff/%d", ada.ID)] {
		t.Errorf("Creates by %v", actors)
	}
	states, _ := s.Store.FedDeliveryStates(ctx)
	if states["sent"] != 5 || states["queued"] != 0 {
		t.Errorf("delivery states %v", states)
	}

	// A correction sends Update, unpublishing Delete (a Tombstone): from
	// each account, as the Create was.
	editor := news.Actor{ID: ed.ID, Role: news.RoleEditor}
	if err := s.desk.Correct(ctx, editor, a.ID, "correction", "The first tram ran at seven."); err != nil {
		t.Fatal(err)
	}
	if _, err := s.desk.Transition(ctx, editor, a.ID, news.ActionUnpublish, time.Time{}, ""); err != nil {
		t.Fatal(err)
	}
	remote.mu.Lock()
	remote.received = nil
	remote.mu.Unlock()
	if n := s.deliverAll(t); n != 4 {
		t.Fatalf("update and delete: %d deliveries, want 4", n)
	}
	stored, _ := s.Store.Article(ctx, a.ID)
	kinds := map[string]int{}
	for _, d := range remote.deliveries() {
		obj, _ := d.Activity["object"].(map[string]any)
		kinds[fmt.Sprint(d.Activity["type"], " ", obj["type"])]++
		if obj["id"] != s.url+stored.URLPath() || d.Verified != nil {
			t.Errorf("%v of %v (signature: %v)", d.Activity["type"], obj["id"], d.Verified)
		}
	}
	if kinds["Update Article"] != 2 || kinds["Delete Tombstone"] != 2 {
		t.Errorf("sent %v", kinds)
	}

	// A peer that keeps failing is given up on after a day.
	remote.mu.Lock()
	remote.status = http.StatusBadGateway
	remote.mu.Unlock()
	b, _ := s.desk.Create(ctx, news.Actor{ID: ada.ID, Role: news.RoleAuthor}, news.Snapshot{Headline: "Second", Body: "Text.", AuthorIDs: []int64{ada.ID}})
	if _, err := s.desk.Transition(ctx, news.Actor{ID: ed.ID, Role: news.RoleEditor}, b.ID, news.ActionPublish, time.Time{}, ""); err != nil {
		t.Fatal(err)
	}
	for range 40 {
		s.deliverAll(t)
		clk.Advance(time.Hour)
	}
	states, _ = s.Store.FedDeliveryStates(ctx)
	if states["failed"] != 2 || states["queued"] != 0 || states["sent"] != 9 {
		t.Errorf("after a day of failures: %v", states)
	}
}

func TestKeyRotation(t *testing.T) {
	s := newFedSite(t, clock.System{})
	ada := s.Staff(t, "Ada Reporter", news.RoleAuthor, "a long password")
	s.Article(t, &news.Article{Authors: []news.Staff{ada}})
	users := s.StaffByRole(t, "Staff", "a long password")
	ctx := context.Background()
	before, err := s.desk.FedActor(ctx, ada.ID)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		who     news.Actor
		staffID int64
		allowed bool
	}{
		{news.Actor{ID: ada.ID, Role: news.RoleAuthor}, ada.ID, true},
		{users[news.RoleAuthor], ada.ID, false},
		{users[news.RoleEditor], ada.ID, false},
		{users[news.RoleAdmin], ada.ID, true},
		{news.Actor{ID: ada.ID, Role: news.RoleAuthor}, 0, false},
		{users[news.RoleEditor], 0, false},
		{users[news.RoleAdmin], 0, true},
	}
	for _, tt := range tests {
		err := s.desk.RotateFedKey(ctx, tt.who, tt.staffID)
		if got := err == nil; got != tt.allowed || (err != nil && !errors.Is(err, news.ErrForbidden)) {
			t.Errorf("%s rotating %d: %v, want allowed=%v", tt.who.Role, tt.staffID, err, tt.allowed)
		}
	}
	after, _ := s.desk.FedActor(ctx, ada.ID)
	if before.PublicKey.PublicKeyPem == after.PublicKey.PublicKeyPem {
		t.Error("the key did not change")
	}
}
