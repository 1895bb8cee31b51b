package admin_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"masthead/internal/news"
	"masthead/internal/store"
)

func TestFederationScreen(t *testing.T) {
	n := newNewsroom(t)
	ctx := context.Background()
	adm, _ := n.signedIn(t, "Fed Admin", news.RoleAdmin)
	author, me := n.signedIn(t, "Ada Reporter", news.RoleAuthor)
	a := n.site.Article(t, &news.Article{Headline: "Tram line opens", Authors: []news.Staff{me}})
	account := fmt.Sprintf("staff:%d", me.ID)
	now := time.Now()
	follower := func(id string) store.Follower {
		return store.Follower{Actor: account, Follower: id, Inbox: id + "/inbox", FollowID: id + "#follow", CreatedAt: now}
	}
	for _, f := range []store.Follower{follower("https://social.example/users/alice"), follower("https://spam.example/users/x")} {
		if err := n.site.Store.AddFollower(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	if err := n.site.Store.AddFollower(ctx, store.Follower{Actor: "site", Follower: "https://social.example/users/carol", Inbox: "https://social.example/inbox", CreatedAt: now}); err != nil {
		t.Fatal(err)
	}
	req := store.FollowRequest{Follower: follower("https://social.example/users/<b>dave</b>"), Body: `{"type":"Follow"}`}
	if err := n.site.Store.AddFollowRequest(ctx, req); err != nil {
		t.Fatal(err)
	}
	for i, kind := range []string{"Like", "Like", "Announce"} {
		n.site.Store.AddReaction(ctx, store.Reaction{ActivityID: fmt.Sprint("r", i), Kind: kind, Actor: fmt.Sprint("https://social.example/users/", i), ArticleID: a.ID, CreatedAt: now})
	}

	// The author sees their own account, not the paper's nor the blocklist.
	mine := author.get("/admin/federation")
	contains(t, "author's screen", mine.body, "Ada Reporter", "@ada-reporter@", "2 followers", "https://social.example/users/alice",
		"https://social.example/users/&lt;b&gt;dave&lt;/b&gt;", "Waiting for approval")
	for _, not := range []string{"users/carol", "Blocked servers", "Turn federation off"} {
		if strings.Contains(mine.body, not) {
			t.Errorf("the author sees %q", not)
		}
	}
	if res := author.post("/admin/federation/accounts/0/approval", url.Values{"manual": {"1"}}); res.status != http.StatusForbidden {
		t.Errorf("an author setting the paper's approval: %d", res.status)
	}
	if res := author.post(fmt.Sprintf("/admin/federation/accounts/%d/approval", me.ID), url.Values{"manual": {"1"}}); res.status != http.StatusSeeOther {
		t.Errorf("an author setting their own approval: %d", res.status)
	}
	if on, _ := n.site.Store.FedManualApproval(ctx, account); !on {
		t.Error("manual approval not set")
	}
	if res := author.post(fmt.Sprintf("/admin/federation/accounts/%d/requests", me.ID), url.Values{"follower": {req.Follower.Follower}, "decision": {"accept"}}); res.status != http.StatusSeeOther {
		t.Errorf("accepting: %d", res.status)
	}
	if f, _ := n.site.Store.Followers(ctx, account); len(f) != 3 {
		t.Errorf("followers after accepting: %d", len(f))
	}
	if states, _ := n.site.Store.FedDeliveryStates(ctx); states["queued"] != 1 {
		t.Errorf("the Accept was not queued: %v", states)
	}

	// The administrator sees every account, blocks a server, switches.
	if _, _, err := n.site.Store.RecordFedAnswer(ctx, "gone.example", false, "dial tcp: <refused>", now.Add(-48*time.Hour), 24*time.Hour); err != nil {
		t.Fatal(err)
	}
	if _, _, err := n.site.Store.RecordFedAnswer(ctx, "gone.example", false, "dial tcp: <refused>", now, 24*time.Hour); err != nil {
		t.Fatal(err)
	}
	all := adm.get("/admin/federation")
	contains(t, "admin's screen", all.body, "Ada Reporter", "users/carol", "Blocked servers", "Turn federation off",
		"1 waiting", "Servers given up on", "gone.example", "dial tcp: &lt;refused&gt;")
	if strings.Contains(mine.body, "Servers given up on") {
		t.Error("the author sees the delivery report")
	}
	bad := adm.post("/admin/federation/blocks", url.Values{"domain": {"not a domain!"}, "note": {"x"}})
	if bad.status != http.StatusUnprocessableEntity || !strings.Contains(bad.body, `value="not a domain!"`) {
		t.Errorf("a bad domain: %d", bad.status)
	}
	if res := adm.post("/admin/federation/blocks", url.Values{"domain": {"https://SPAM.example/about"}, "note": {"spam"}}); res.status != http.StatusSeeOther {
		t.Fatalf("block: %d %s", res.status, res.body)
	}
	if f, _ := n.site.Store.Followers(ctx, account); len(f) != 2 {
		t.Errorf("followers after blocking spam.example: %+v", f)
	}
	contains(t, "blocked list", adm.get("/admin/federation").body, "spam.example", "by Fed Admin")
	if res := author.post("/admin/federation/blocks", url.Values{"domain": {"x.example"}}); res.status != http.StatusForbidden {
		t.Errorf("an author blocking: %d", res.status)
	}
	if res := adm.post("/admin/federation/switch", url.Values{"on": {"0"}}); res.status != http.StatusSeeOther {
		t.Fatalf("switch off: %d", res.status)
	}
	if n.site.Desk.Federating(ctx) {
		t.Error("still federating")
	}
	if _, err := n.site.Desk.FedActor(ctx, me.ID); err == nil {
		t.Error("an actor answered with federation off")
	}
	contains(t, "settings", adm.get("/admin/settings").body, "Federation is <strong>off</strong>")
	adm.post("/admin/federation/switch", url.Values{"on": {"1"}})
	if !n.site.Desk.Federating(ctx) {
		t.Error("not federating again")
	}

	// A reply from the fediverse in the moderation queue and in context.
	c := &news.Comment{ArticleID: a.ID, Name: "Alice Example", Handle: "@alice@social.example", Website: "https://social.example/@alice",
		Body: "Great piece!", Status: news.CommentPending}
	if _, err := n.site.Store.AddFedComment(ctx, c, "https://social.example/statuses/1", "https://social.example/users/alice"); err != nil {
		t.Fatal(err)
	}
	contains(t, "moderation queue", adm.get("/admin/comments").body, "@alice@social.example · from the fediverse")
	thread := adm.get(fmt.Sprintf("/admin/comments/%d", c.ID)).body
	contains(t, "comment in context", thread, "@alice@social.example · from the fediverse", "Block a server…")
	if strings.Contains(thread, "&lt;&gt;") || strings.Contains(thread, "from  ·") {
		t.Error("the comment in context shows an empty email or address")
	}

	// Reactions on the article list and the editor.
	contains(t, "article list", adm.get("/admin/articles").body, "2 likes, 1 boost")
	contains(t, "editor", adm.get(fmt.Sprintf("/admin/articles/%d", a.ID)).body, "On the fediverse", "2 likes, 1 boost")
}
