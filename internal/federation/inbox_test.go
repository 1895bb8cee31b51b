package federation_test

import (
	"bytes"
	"context"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"masthead/internal/activitypub"
	"masthead/internal/clock"
	"masthead/internal/markup"
	"masthead/internal/news"
	"masthead/internal/newsroom"
	"masthead/internal/store"
	"masthead/internal/testutil"
)

// signed builds a POST of activity to inbox, signed draft-cavage by the
// activity's actor with key at date (rfc9421: the RFC 9421 way instead).
func signed(t *testing.T, inbox string, activity map[string]any, key *rsa.PrivateKey, date time.Time, rfc9421 bool) (*http.Request, []byte) {
	t.Helper()
	body, _ := json.Marshal(activity)
	req, _ := http.NewRequest(http.MethodPost, inbox, bytes.NewReader(body))
	req.Header.Set("Content-Type", activitypub.ContentType)
	keyID := activity["actor"].(string) + "#main-key"
	var err error
	if rfc9421 {
		err = activitypub.SignMessage(req, body, keyID, key, date)
	} else {
		err = activitypub.Sign(req, body, keyID, key, date)
	}
	if err != nil {
		t.Fatal(err)
	}
	return req, body
}

// do sends req with body (again, for a replay) and returns the status.
func do(t *testing.T, req *http.Request, body []byte) *http.Response {
	t.Helper()
	r := req.Clone(context.Background())
	r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

// deliver sends activity as its actor, signed now, and wants status.
func (p *peer) deliver(t *testing.T, inbox string, activity map[string]any, status int) {
	t.Helper()
	req, body := signed(t, inbox, activity, p.key, time.Now(), false)
	if resp := do(t, req, body); resp.StatusCode != status {
		t.Fatalf("%s %v: %d, want %d", activity["type"], activity["object"], resp.StatusCode, status)
	}
}

var seq int

// note is a public Note by actor replying to inReplyTo.
func (p *peer) note(actor, inReplyTo, content string) map[string]any {
	seq++
	return map[string]any{"id": fmt.Sprintf("%s/statuses/%d", actor, seq), "type": "Note", "attributedTo": actor,
		"inReplyTo": inReplyTo, "content": content, "to": []string{activitypub.Public}, "cc": []string{actor + "/followers"}}
}

func activity(kind, actor string, object any) map[string]any {
	seq++
	return map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": fmt.Sprintf("%s/activities/%d", actor, seq),
		"type": kind, "actor": actor, "object": object}
}

func pending(t *testing.T, st *store.Store) []news.ModerationItem {
	t.Helper()
	items, err := st.CommentsByStatus(context.Background(), news.CommentPending, 1000, 0)
	if err != nil {
		t.Fatal(err)
	}
	return items
}

func TestInboxRepliesAndReactions(t *testing.T) {
	s := newFedSite(t, clock.System{})
	ada := s.Author(t, "Ada Reporter")
	a := s.Article(t, &news.Article{Authors: []news.Staff{ada}})
	articleURL := s.url + a.URLPath()
	remote := newPeer(t)
	remote.profiles = map[string]map[string]any{"alice": {"name": "Alice <b>Example</b>", "url": remote.url + "/@alice",
		"summary": "<p>Writes about trams.</p>"}}
	alice, bob := remote.actor("alice"), remote.actor("bob")
	ctx := context.Background()

	// A reply to the article waits in the moderation queue.
	reply := remote.note(alice, articleURL, `<p><span class="h-card"><a href="`+s.url+`/author/ada-reporter" class="u-url mention">@<span>ada-reporter</span></a></span> Great <b>piece</b>!</p><script>alert(1)</script>`)
	remote.deliver(t, s.url+"/ap/inbox", activity("Create", alice, reply), http.StatusAccepted)
	remote.deliver(t, s.url+"/ap/inbox", activity("Create", alice, reply), http.StatusAccepted) // redelivered: one comment
	q := pending(t, s.Store)
	if len(q) != 1 {
		t.Fatalf("moderation queue: %+v", q)
	}
	c := q[0].Comment
	if c.Name != "Alice Example" || c.Handle != "@alice@127.0.0.1" || c.Website != remote.url+"/@alice" ||
		c.Body != "@ada-reporter Great piece!" || c.ArticleID != a.ID || c.Email != "" {
		t.Errorf("comment: %+v", c)
	}
	cached, err := s.Store.RemoteActor(ctx, alice)
	if err != nil || cached.Summary != "Writes about trams." {
		t.Errorf("cached actor %+v (%v)", cached, err)
	}

	// Approved, it is answered by another fediverse reply, which threads.
	if err := s.Store.SetCommentStatus(ctx, c.ID, news.CommentApproved); err != nil {
		t.Fatal(err)
	}
	answer := remote.note(bob, reply["id"].(string), "Agreed.")
	remote.deliver(t, s.url+"/ap/inbox", activity("Create", bob, answer), http.StatusAccepted)
	thread, _ := s.Store.ArticleThread(ctx, a.ID)
	if len(thread) != 2 || thread[1].ParentID != c.ID || thread[1].Body != "Agreed." || thread[1].Name != "bob" {
		t.Fatalf("thread: %+v", thread)
	}

	// Not taken: a followers-only reply, a reply to something else, a Note
	// claiming another author (refused), a reply to a closed article.
	private := remote.note(alice, articleURL, "Just between us.")
	private["to"], private["cc"] = []string{alice + "/followers"}, nil
	remote.deliver(t, s.url+"/ap/inbox", activity("Create", alice, private), http.StatusAccepted)
	remote.deliver(t, s.url+"/ap/inbox", activity("Create", alice, remote.note(alice, "https://elsewhere.example/1", "Hi")), http.StatusAccepted)
	remote.deliver(t, s.url+"/ap/inbox", activity("Create", alice, remote.note(bob, articleURL, "I am Bob")), http.StatusForbidden)
	closed := s.ClosedArticle(t, &news.Article{Authors: []news.Staff{ada}})
	remote.deliver(t, s.url+"/ap/inbox", activity("Create", alice, remote.note(alice, s.url+closed.URLPath(), "Late")), http.StatusAccepted)
	if thread, _ := s.Store.ArticleThread(ctx, a.ID); len(thread) != 2 || len(pending(t, s.Store)) != 1 {
		t.Errorf("comments after refusals: %d on the article, %d pending", len(thread), len(pending(t, s.Store)))
	}

	// Update edits the comment; someone else's Update or Delete is refused.
	edited := maps(reply, map[string]any{"content": "<p>Great piece, corrected.</p>"})
	remote.deliver(t, s.url+"/ap/inbox", activity("Update", alice, edited), http.StatusAccepted)
	if got, _ := s.Store.Comment(ctx, c.ID); got.Body != "Great piece, corrected." {
		t.Errorf("after Update: %q", got.Body)
	}
	remote.deliver(t, s.url+"/ap/inbox", activity("Delete", bob, reply["id"]), http.StatusForbidden)

	// Delete of the reply removes its comment; its answer moves up.
	remote.deliver(t, s.url+"/ap/inbox", activity("Delete", alice, map[string]any{"id": reply["id"], "type": "Tombstone"}), http.StatusAccepted)
	thread, _ = s.Store.ArticleThread(ctx, a.ID)
	if len(thread) != 1 || thread[0].Name != "bob" || thread[0].ParentID != 0 {
		t.Fatalf("after Delete: %+v", thread)
	}

	// Likes and boosts are counted per article; Undo takes them back.
	like := activity("Like", alice, articleURL)
	remote.deliver(t, s.url+"/ap/inbox", like, http.StatusAccepted)
	remote.deliver(t, s.url+"/ap/inbox", activity("Like", bob, articleURL), http.StatusAccepted)
	remote.deliver(t, s.url+"/ap/inbox", activity("Announce", bob, articleURL), http.StatusAccepted)
	remote.deliver(t, s.url+"/ap/inbox", activity("Like", bob, "https://elsewhere.example/x"), http.StatusAccepted)
	counts, _ := s.Store.ReactionCounts(ctx, []int64{a.ID})
	if counts[a.ID] != (store.Reactions{Likes: 2, Boosts: 1}) {
		t.Errorf("reactions: %+v", counts)
	}
	remote.deliver(t, s.url+"/ap/inbox", activity("Undo", alice, like), http.StatusAccepted)
	remote.deliver(t, s.url+"/ap/inbox", activity("Undo", bob, map[string]any{"type": "Announce", "actor": bob, "object": articleURL}), http.StatusAccepted)
	counts, _ = s.Store.ReactionCounts(ctx, []int64{a.ID})
	if counts[a.ID] != (store.Reactions{Likes: 1}) {
		t.Errorf("reactions after Undo: %+v", counts)
	}

	// Delete of an actor (its document now gone) removes all it left, on
	// the strength of the key cached when it last wrote.
	remote.deliver(t, s.url+"/ap/inbox", activity("Delete", bob, bob), http.StatusAccepted)
	thread, _ = s.Store.ArticleThread(ctx, a.ID)
	counts, _ = s.Store.ReactionCounts(ctx, []int64{a.ID})
	if len(thread) != 0 || counts[a.ID] != (store.Reactions{}) {
		t.Errorf("after bob's Delete: thread %+v, reactions %+v", thread, counts)
	}
	// A Delete of an actor never seen: nothing to verify, nothing to do.
	remote.deliver(t, s.url+"/ap/inbox", activity("Delete", remote.actor("zed"), remote.actor("zed")), http.StatusAccepted)

	// An account approving followers by hand: a Follow waits.
	account := fmt.Sprintf("staff:%d", ada.ID)
	if err := s.Store.SetFedManualApproval(ctx, account, true); err != nil {
		t.Fatal(err)
	}
	if actor, _ := s.desk.FedActor(ctx, ada.ID); !actor.ManuallyApprovesFollowers {
		t.Error("the actor does not say it approves followers by hand")
	}
	remote.deliver(t, s.url+"/ap/inbox", activity("Follow", alice, s.url+fmt.Sprintf("/ap/staff/%d", ada.ID)), http.StatusAccepted)
	followers, _ := s.Store.Followers(ctx, account)
	requests, _ := s.Store.FollowRequests(ctx, account)
	if len(followers) != 0 || len(requests) != 1 || requests[0].Follower.Follower != alice {
		t.Errorf("followers %+v, requests %+v", followers, requests)
	}
	// Accepted, alice follows; following again is not asked twice.
	admin := s.StaffByRole(t, "Staff", "a long password")[news.RoleAdmin]
	if err := s.desk.DecideFollowRequest(ctx, admin, ada.ID, alice, true); err != nil {
		t.Fatal(err)
	}
	remote.deliver(t, s.url+"/ap/inbox", activity("Follow", alice, s.url+fmt.Sprintf("/ap/staff/%d", ada.ID)), http.StatusAccepted)
	followers, _ = s.Store.Followers(ctx, account)
	requests, _ = s.Store.FollowRequests(ctx, account)
	if len(followers) != 1 || len(requests) != 0 {
		t.Errorf("after accepting and following again: followers %+v, requests %+v", followers, requests)
	}
}

// maps is m with the entries of more.
func maps(m, more map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		out[k] = v
	}
	for k, v := range more {
		out[k] = v
	}
	return out
}

// TestInboxRefusals: each refused POST stores nothing.
func TestInboxRefusals(t *testing.T) {
	s := newFedSiteWith(t, clock.System{}, newsroom.FederationConfig{InboxLimit: 8, InboxWindow: time.Hour})
	ada := s.Author(t, "Ada Reporter")
	a := s.Article(t, &news.Article{Authors: []news.Staff{ada}})
	articleURL := s.url + a.URLPath()
	remote := newPeer(t)
	other, _ := activitypub.NewKeyPair()
	wrongKey, _ := activitypub.ParsePrivateKey(other.PrivatePEM)
	alice := remote.actor("alice")
	ctx := context.Background()
	now := time.Now()

	reply := activity("Create", alice, remote.note(alice, articleURL, "A reply"))
	tests := []struct {
		name   string
		key    *rsa.PrivateKey
		date   time.Time
		rfc    bool
		mutate func(*http.Request, []byte) []byte
	}{
		{"unsigned", nil, now, false, nil},
		{"tampered body", remote.key, now, false, func(_ *http.Request, b []byte) []byte {
			return bytes.Replace(b, []byte("A reply"), []byte("A rePly"), 1)
		}},
		{"tampered body, RFC 9421", remote.key, now, true, func(_ *http.Request, b []byte) []byte {
			return bytes.Replace(b, []byte("A reply"), []byte("A rePly"), 1)
		}},
		{"digest missing", remote.key, now, false, func(r *http.Request, b []byte) []byte { r.Header.Del("Digest"); return b }},
		{"wrong key", wrongKey, now, false, nil},
		{"wrong key, RFC 9421", wrongKey, now, true, nil},
		{"old date (more than an hour)", remote.key, now.Add(-activitypub.MaxSkew - time.Minute), false, nil},
		{"old created, RFC 9421", remote.key, now.Add(-activitypub.MaxSkew - time.Minute), true, nil},
		{"date from the future", remote.key, now.Add(activitypub.MaxSkew + time.Minute), false, nil},
	}
	for _, tt := range tests {
		var req *http.Request
		var body []byte
		if tt.key == nil {
			body, _ = json.Marshal(reply)
			req, _ = http.NewRequest(http.MethodPost, s.url+"/ap/inbox", nil)
		} else {
			req, body = signed(t, s.url+"/ap/inbox", reply, tt.key, tt.date, tt.rfc)
		}
		if tt.mutate != nil {
			body = tt.mutate(req, body)
		}
		if resp := do(t, req, body); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s: %d, want 401", tt.name, resp.StatusCode)
		}
	}
	if q := pending(t, s.Store); len(q) != 0 {
		t.Fatalf("refused replies were stored: %+v", q)
	}

	// Another server (another port here) vouching for alice with its key.
	evil := newPeer(t)
	der, _ := x509.MarshalPKIXPublicKey(&evil.key.PublicKey)
	evil.profiles = map[string]map[string]any{"alice": {"id": alice, "publicKey": map[string]string{"id": evil.actor("alice") + "#main-key", "owner": alice,
		"publicKeyPem": string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))}}}
	body, _ := json.Marshal(reply)
	forged, _ := http.NewRequest(http.MethodPost, s.url+"/ap/inbox", bytes.NewReader(body))
	if err := activitypub.Sign(forged, body, evil.actor("alice")+"#main-key", evil.key, now); err != nil {
		t.Fatal(err)
	}
	if resp := do(t, forged, body); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("a key on another server: %d, want 401", resp.StatusCode)
	}
	if q := pending(t, s.Store); len(q) != 0 {
		t.Fatalf("a forged reply was stored: %+v", q)
	}

	// A good RFC 9421 request is taken once; the same request again is a
	// replay.
	req, body := signed(t, s.url+"/ap/inbox", reply, remote.key, now, true)
	if resp := do(t, req, body); resp.StatusCode != http.StatusAccepted {
		t.Fatalf("RFC 9421 reply: %d", resp.StatusCode)
	}
	like := activity("Like", alice, articleURL)
	req, body = signed(t, s.url+"/ap/inbox", like, remote.key, now, false)
	if resp := do(t, req, body); resp.StatusCode != http.StatusAccepted {
		t.Fatalf("like: %d", resp.StatusCode)
	}
	remote.deliver(t, s.url+"/ap/inbox", activity("Undo", alice, like), http.StatusAccepted)
	if resp := do(t, req, body); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("replayed Like: %d, want 401", resp.StatusCode)
	}
	if counts, _ := s.Store.ReactionCounts(ctx, []int64{a.ID}); counts[a.ID] != (store.Reactions{}) {
		t.Errorf("the replay was counted: %+v", counts)
	}
	if q := pending(t, s.Store); len(q) != 1 {
		t.Errorf("%d comments, want the one", len(q))
	}

	// Too large.
	big := activity("Create", alice, remote.note(alice, articleURL, strings.Repeat("x", 300<<10)))
	req, body = signed(t, s.url+"/ap/inbox", big, remote.key, now, false)
	if resp := do(t, req, body); resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("a 300 KiB activity: %d, want 413", resp.StatusCode)
	}

	// A blocked server: refused with 403, its followers dropped.
	follow := activity("Follow", alice, s.url+fmt.Sprintf("/ap/staff/%d", ada.ID))
	remote.deliver(t, s.url+"/ap/inbox", follow, http.StatusAccepted)
	admin := s.StaffByRole(t, "Staff", "a long password")[news.RoleAdmin]
	if err := s.desk.BlockFedDomain(ctx, admin, "127.0.0.1", "test"); err != nil {
		t.Fatal(err)
	}
	if f, _ := s.Store.Followers(ctx, fmt.Sprintf("staff:%d", ada.ID)); len(f) != 0 {
		t.Errorf("followers on a blocked server kept: %+v", f)
	}
	remote.deliver(t, s.url+"/ap/inbox", activity("Like", alice, articleURL), http.StatusForbidden)
	if err := s.desk.UnblockFedDomain(ctx, admin, "127.0.0.1"); err != nil {
		t.Fatal(err)
	}

	// The rate limit: eight in the window, counted per server.
	status := 0
	for i := 0; i < 10 && status != http.StatusTooManyRequests; i++ {
		req, body := signed(t, s.url+"/ap/inbox", activity("Like", alice, articleURL), remote.key, now, false)
		resp := do(t, req, body)
		status = resp.StatusCode
		if status == http.StatusTooManyRequests && resp.Header.Get("Retry-After") == "" {
			t.Error("429 without Retry-After")
		}
	}
	if status != http.StatusTooManyRequests {
		t.Errorf("no 429 after ten activities: %d", status)
	}
}

// TestInboxNaughtyStrings sends every naughty string as a remote actor's
// name and bio and as a reply's content (and content warning): never a
// 5xx, and what is stored is plain text as HTMLText makes it.
func TestInboxNaughtyStrings(t *testing.T) {
	s := newFedSiteWith(t, clock.System{}, newsroom.FederationConfig{InboxLimit: 1 << 20})
	ada := s.Author(t, "Ada Reporter")
	a := s.Article(t, &news.Article{Authors: []news.Staff{ada}})
	articleURL := s.url + a.URLPath()
	remote := newPeer(t)
	remote.profiles = map[string]map[string]any{}
	strs := testutil.NaughtyStrings(t)
	start := time.Now()
	taken := 0
	for i, str := range strs {
		name := fmt.Sprintf("n%d", i)
		remote.mu.Lock()
		remote.profiles[name] = map[string]any{"name": str, "summary": str, "url": str}
		remote.mu.Unlock()
		actor := remote.actor(name)
		n := remote.note(actor, articleURL, str)
		n["summary"] = str
		req, body := signed(t, s.url+"/ap/inbox", activity("Create", actor, n), remote.key, time.Now(), false)
		resp := do(t, req, body)
		if resp.StatusCode >= 500 {
			t.Errorf("naughty string %q: %d", str, resp.StatusCode)
			continue
		}
		if resp.StatusCode != http.StatusAccepted {
			t.Errorf("naughty string %q: %d", str, resp.StatusCode)
		}
		taken++
	}
	q := pending(t, s.Store)
	for _, it := range q {
		c := it.Comment
		// Stored as text (an entity-encoded tag is text that looks like a
		// tag, and stays so); rendered, it is escaped.
		if out := markup.Comment(c.Body); strings.Contains(out, "<script") || strings.Contains(out, "<img") {
			t.Errorf("comment %q renders as %q", c.Body, out)
		}
		if len(c.Name) > news.MaxCommentNameLen || strings.ContainsAny(c.Name, "\n\r") {
			t.Errorf("name %q", c.Name)
		}
	}
	t.Logf("%d strings, %d taken, %d comments pending, in %s", len(strs), taken, len(q), time.Since(start).Round(time.Millisecond))
}
