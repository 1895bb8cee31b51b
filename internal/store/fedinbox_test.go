package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"masthead/internal/news"
	"masthead/internal/store"
	"masthead/internal/testutil"
)

func TestFedInbox(t *testing.T) {
	ctx := context.Background()
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		site := testutil.NewSiteOn(t, b)
		st := site.Store
		a := site.Article(t, &news.Article{Authors: []news.Staff{site.Author(t, "Ada Reporter")}})
		now := time.Now().UTC().Truncate(time.Second)

		// A signature is taken once until it expires.
		for i, want := range []bool{true, false} {
			if fresh, err := st.SeeSignature(ctx, "sig-1", now.Add(time.Hour), now); err != nil || fresh != want {
				t.Errorf("sighting %d: %v, %v", i, fresh, err)
			}
		}
		if fresh, _ := st.SeeSignature(ctx, "sig-1", now.Add(3*time.Hour), now.Add(2*time.Hour)); !fresh {
			t.Error("an expired signature was still remembered")
		}

		// A Note becomes one comment, however often it is delivered.
		for i := range 2 {
			c := &news.Comment{ArticleID: a.ID, Name: "Alice", Handle: "@alice@social.example", Body: "Hi", Status: news.CommentPending}
			added, err := st.AddFedComment(ctx, c, "https://social.example/notes/1", "https://social.example/users/alice")
			if err != nil || added != (i == 0) {
				t.Fatalf("delivery %d: added %v, %v", i, added, err)
			}
		}
		fc, err := st.FedCommentByObject(ctx, "https://social.example/notes/1")
		if err != nil || fc.ArticleID != a.ID {
			t.Fatalf("comment of the note: %+v, %v", fc, err)
		}
		if err := st.UpdateFedComment(ctx, fc.CommentID, "Hi, edited"); err != nil {
			t.Fatal(err)
		}
		if c, _ := st.Comment(ctx, fc.CommentID); c.Body != "Hi, edited" || c.Handle != "@alice@social.example" || !c.EditedAt.IsZero() {
			t.Errorf("after the update: %+v", c)
		}
		if _, err := st.FedCommentByObject(ctx, "https://social.example/notes/2"); !errors.Is(err, news.ErrNotFound) {
			t.Errorf("an unknown note: %v", err)
		}

		// One reaction of a kind per actor and article.
		for _, r := range []store.Reaction{
			{ActivityID: "l1", Kind: "Like", Actor: "alice", ArticleID: a.ID, CreatedAt: now},
			{ActivityID: "l2", Kind: "Like", Actor: "alice", ArticleID: a.ID, CreatedAt: now},
			{ActivityID: "b1", Kind: "Announce", Actor: "alice", ArticleID: a.ID, CreatedAt: now},
			{ActivityID: "l3", Kind: "Like", Actor: "bob", ArticleID: a.ID, CreatedAt: now},
		} {
			if err := st.AddReaction(ctx, r); err != nil {
				t.Fatal(err)
			}
		}
		counts, _ := st.ReactionCounts(ctx, []int64{a.ID, 999})
		if counts[a.ID] != (store.Reactions{Likes: 2, Boosts: 1}) {
			t.Errorf("counts %+v", counts)
		}
		st.RemoveReaction(ctx, "alice", "", "Announce", a.ID)
		st.RemoveReaction(ctx, "bob", "l3", "", 0)
		if counts, _ := st.ReactionCounts(ctx, []int64{a.ID}); counts[a.ID] != (store.Reactions{Likes: 1}) {
			t.Errorf("counts after removals %+v", counts)
		}

		// Follow requests are taken once; blocking a domain drops its
		// followers and requests.
		req := store.FollowRequest{Follower: store.Follower{Actor: "site", Follower: "https://spam.example/users/x", Inbox: "https://spam.example/inbox", CreatedAt: now}, Body: "{}"}
		st.AddFollowRequest(ctx, req)
		if r, err := st.TakeFollowRequest(ctx, "site", req.Follower.Follower); err != nil || r.Body != "{}" {
			t.Fatalf("take: %+v, %v", r, err)
		}
		if _, err := st.TakeFollowRequest(ctx, "site", req.Follower.Follower); !errors.Is(err, news.ErrNotFound) {
			t.Errorf("taken twice: %v", err)
		}
		st.AddFollowRequest(ctx, req)
		st.AddFollower(ctx, store.Follower{Actor: "site", Follower: "https://a.spam.example/users/y", Inbox: "https://a.spam.example/inbox", CreatedAt: now})
		st.AddFollower(ctx, store.Follower{Actor: "site", Follower: "https://fine.example/users/z", Inbox: "https://fine.example/inbox", CreatedAt: now})
		err = st.BlockDomain(ctx, "spam.example", "", 0, now, func(id string) bool { return strings.Contains(id, "spam.example/") })
		if err != nil {
			t.Fatal(err)
		}
		followers, _ := st.Followers(ctx, "site")
		requests, _ := st.FollowRequests(ctx, "site")
		if len(followers) != 1 || followers[0].Follower != "https://fine.example/users/z" || len(requests) != 0 {
			t.Errorf("after blocking: followers %+v, requests %+v", followers, requests)
		}
		if on, _ := st.IsFollower(ctx, "site", "https://fine.example/users/z"); !on {
			t.Error("IsFollower")
		}
		blocked, _ := st.BlockedDomains(ctx)
		if len(blocked) != 1 || blocked[0].Domain != "spam.example" {
			t.Errorf("blocked %+v", blocked)
		}

		// A deleted actor is forgotten, its cache entry too.
		st.PutRemoteActor(ctx, store.RemoteActor{ID: "https://fine.example/users/z", Handle: "@z@fine.example", FetchedAt: now})
		if err := st.ForgetRemoteActor(ctx, "https://fine.example/users/z"); err != nil {
			t.Fatal(err)
		}
		if _, err := st.RemoteActor(ctx, "https://fine.example/users/z"); !errors.Is(err, news.ErrNotFound) {
			t.Errorf("cache after forgetting: %v", err)
		}
		if f, _ := st.Followers(ctx, "site"); len(f) != 0 {
			t.Errorf("followers after forgetting: %+v", f)
		}
	})
}
