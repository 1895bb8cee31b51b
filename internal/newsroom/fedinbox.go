package newsroom

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"masthead/internal/activitypub"
	"masthead/internal/markup"
	"masthead/internal/news"
	"masthead/internal/store"
)

// The inbox: what the fediverse sends the paper and its reporters. Every
// POST is checked in this order, each refusal storing nothing: a signature
// (draft-cavage or RFC 9421) whose date is within activitypub.MaxSkew and
// whose digest matches (401); the signing server not blocked (403); the
// server within its rate (429); the key, fetched or cached, verifying and
// belonging to the activity's actor (401); the signature not seen before
// (401, a replay). Then the activity is read, everything it needs looked
// up, and its effect stored in one transaction with the signature.

// ErrBlockedServer refuses an activity from a server on the newsroom's
// blocklist.
var ErrBlockedServer = fmt.Errorf("the server is blocked: %w", news.ErrForbidden)

// errNeverSeen is a deleted actor's Delete when nothing of it is cached:
// there is nothing to verify it with, and nothing to remove.
var errNeverSeen = errors.New("an actor never seen here")

// errNotTheirs refuses an activity about something its sender did not write.
var errNotTheirs = fmt.Errorf("%w: the object is not the sender's", news.ErrForbidden)

const (
	fedActorTTL       = 24 * time.Hour // a cached remote actor is read again after this
	fedMaxSummary     = 8000           // bytes of a remote actor's bio kept
	fedMaxURL         = 2048
	fedDefaultLimit   = 300 // activities per server per fedDefaultWindow
	fedDefaultWindow  = time.Minute
	fedMaxHandleBytes = 300
)

// remoteActor is what Masthead reads of a remote actor's document (or of
// a key document, when a keyId names one).
type remoteActor struct {
	ID                string                `json:"id"`
	Type              string                `json:"type"`
	PreferredUsername string                `json:"preferredUsername"`
	Name              string                `json:"name"`
	Summary           string                `json:"summary"`
	URL               json.RawMessage       `json:"url"`
	Inbox             string                `json:"inbox"`
	Endpoints         activitypub.Endpoints `json:"endpoints"`
	PublicKey         activitypub.Key       `json:"publicKey"`
	// A key document (keyId pointing at a Key, not an actor) has these.
	Owner        string `json:"owner"`
	PublicKeyPem string `json:"publicKeyPem"`
}

// InboxPost is a POST to one of our inboxes, as received.
type InboxPost = activitypub.SignedRequest

// Receive handles a POST to an inbox (see the order above). Errors:
// activitypub.ErrSignature, ErrBlockedServer, *RateLimitError,
// ErrBadActivity, news.ErrForbidden, news.ErrNotFound.
func (s *Service) Receive(ctx context.Context, post InboxPost) error {
	if !s.Federating(ctx) {
		return news.ErrNotFound
	}
	now := s.clock.Now()
	sig, err := activitypub.Check(post, s.scheme(), now)
	if err != nil {
		return err
	}
	keyHost := activitypub.Host(sig.KeyID)
	if err := s.checkNotBlocked(ctx, keyHost); err != nil {
		return err
	}
	if wait, ok := s.inboxLimit.allow(keyHost, now); !ok {
		return &RateLimitError{Wait: wait}
	}
	var in activitypub.Incoming
	if err := json.Unmarshal(post.Body, &in); err != nil {
		return fmt.Errorf("%w: %v", ErrBadActivity, err)
	}
	sender := activitypub.RefID(in.Actor)
	if sender == "" || in.Type == "" {
		return fmt.Errorf("%w: no actor or type", ErrBadActivity)
	}
	if err := s.checkNotBlocked(ctx, activitypub.Host(sender)); err != nil {
		return err
	}
	// A deleted actor's document is gone: its Delete verifies with the
	// key cached when it last wrote.
	selfDelete := in.Type == "Delete" && activitypub.RefID(in.Object) == sender
	remote, err := s.verifySender(ctx, post, sig, sender, selfDelete, now)
	if errors.Is(err, errNeverSeen) {
		return nil // a Delete of an actor who left nothing here
	}
	if err != nil {
		return err
	}
	apply, err := s.planActivity(ctx, in, remote, post.Body, now)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(sig.Value)
	return s.store.Atomically(ctx, func(tx *store.Store) error {
		fresh, err := tx.SeeSignature(ctx, hex.EncodeToString(sum[:]), sig.Signed.Add(activitypub.MaxSkew), now)
		if err != nil {
			return err
		}
		if !fresh {
			return fmt.Errorf("%w: this signature was used before (a replay)", activitypub.ErrSignature)
		}
		if !selfDelete {
			if err := tx.PutRemoteActor(ctx, *remote); err != nil {
				return err
			}
		}
		if apply == nil {
			return nil
		}
		return apply(tx)
	})
}

// scheme is how peers reach us, for RFC 9421's @target-uri: the public
// base URL's (a proxy in front may speak plain HTTP to us).
func (s *Service) scheme() string {
	if u, err := url.Parse(s.base); err == nil && u.Scheme != "" {
		return u.Scheme
	}
	return "https"
}

// checkNotBlocked refuses a host on the blocklist (or under a blocked
// domain).
func (s *Service) checkNotBlocked(ctx context.Context, host string) error {
	blocked, err := s.store.BlockedDomains(ctx)
	if err != nil {
		return err
	}
	for _, b := range blocked {
		if activitypub.InDomain(host, b.Domain) {
			return ErrBlockedServer
		}
	}
	return nil
}

// verifySender checks the request's signature with the key it names,
// which must belong to the activity's actor: the cached key when it is
// fresh (or anyAge) and verifies, else the key fetched again (a rotation).
// It returns the actor, read for caching.
func (s *Service) verifySender(ctx context.Context, post InboxPost, sig *activitypub.Checked, sender string, anyAge bool, now time.Time) (*store.RemoteActor, error) {
	cached, err := s.store.RemoteActor(ctx, sender)
	if err != nil && !errors.Is(err, news.ErrNotFound) {
		return nil, err
	}
	if cached != nil && cached.KeyID == sig.KeyID && (anyAge || now.Sub(cached.FetchedAt) < fedActorTTL) {
		if key, err := activitypub.ParseVerifyKey(cached.PublicPEM); err == nil && sig.Verify(post, key) == nil {
			return cached, nil
		}
	}
	if anyAge {
		if cached == nil {
			return nil, errNeverSeen
		}
		return nil, fmt.Errorf("%w: no cached key of a deleted actor verifies", activitypub.ErrSignature)
	}
	keyURL, _, _ := strings.Cut(sig.KeyID, "#")
	if !activitypub.SameOrigin(keyURL, sender) {
		// A server speaks only for its own actors: the document at the
		// keyId says what id it has, and only its origin makes that true.
		return nil, fmt.Errorf("%w: the key is not on the actor's server", activitypub.ErrSignature)
	}
	doc, err := s.fetchRemote(ctx, keyURL, now)
	if err != nil {
		return nil, fmt.Errorf("%w: the key could not be fetched: %v", activitypub.ErrSignature, err)
	}
	pemText, owner := doc.PublicKey.PublicKeyPem, doc.PublicKey.Owner
	if doc.PublicKeyPem != "" { // keyId named a Key document
		pemText, owner = doc.PublicKeyPem, doc.Owner
		if owner != sender {
			return nil, fmt.Errorf("%w: the key is not the actor's", activitypub.ErrSignature)
		}
		if doc, err = s.fetchRemote(ctx, owner, now); err != nil {
			return nil, fmt.Errorf("%w: the actor could not be fetched: %v", activitypub.ErrSignature, err)
		}
	}
	if owner != sender || doc.ID != sender {
		return nil, fmt.Errorf("%w: the key is not the actor's", activitypub.ErrSignature)
	}
	key, err := activitypub.ParseVerifyKey(pemText)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", activitypub.ErrSignature, err)
	}
	if err := sig.Verify(post, key); err != nil {
		return nil, err
	}
	ra := readRemoteActor(doc, now)
	ra.KeyID, ra.PublicPEM = sig.KeyID, pemText
	return &ra, nil
}

func (s *Service) fetchRemote(ctx context.Context, u string, now time.Time) (*remoteActor, error) {
	signer, err := s.signer(ctx, siteAccount)
	if err != nil {
		return nil, err
	}
	body, err := s.fedClient.Fetch(ctx, u, signer, now)
	if err != nil {
		return nil, err
	}
	var doc remoteActor
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, fmt.Errorf("read %s: %w", u, err)
	}
	return &doc, nil
}

// readRemoteActor keeps what Masthead shows of a remote actor, as plain
// text of bounded size: its name and bio may hold anything.
func readRemoteActor(doc *remoteActor, now time.Time) store.RemoteActor {
	user := truncate(markup.HTMLLine(doc.PreferredUsername), news.MaxCommentNameLen)
	name := truncate(markup.HTMLLine(doc.Name), news.MaxCommentNameLen)
	if name == "" {
		name = user
	}
	host := activitypub.Host(doc.ID)
	if name == "" {
		name = host
	}
	handle := ""
	if user != "" && host != "" {
		handle = truncate("@"+strings.ReplaceAll(user, " ", "")+"@"+host, fedMaxHandleBytes)
	}
	profile := webURL(doc.URL)
	if profile == "" {
		profile = webURL(json.RawMessage(`"` + strings.ReplaceAll(doc.ID, `"`, "") + `"`))
	}
	return store.RemoteActor{
		ID: doc.ID, Handle: handle, Name: name, Summary: truncate(markup.HTMLText(doc.Summary), fedMaxSummary),
		URL: profile, Inbox: boundedURL(doc.Inbox), SharedInbox: boundedURL(doc.Endpoints.SharedInbox), FetchedAt: now,
	}
}

// webURL is the first http(s) address of an actor's url: a string, a
// Link, or a list of either.
func webURL(raw json.RawMessage) string {
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return boundedURL(one)
	}
	var link struct {
		Href string `json:"href"`
	}
	if json.Unmarshal(raw, &link) == nil && link.Href != "" {
		return boundedURL(link.Href)
	}
	var many []json.RawMessage
	if json.Unmarshal(raw, &many) == nil {
		for _, m := range many {
			if u := webURL(m); u != "" {
				return u
			}
		}
	}
	return ""
}

// boundedURL is u when it is an http(s) URL of sensible length, else "".
func boundedURL(u string) string {
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "https" && p.Scheme != "http") || p.Host == "" || p.User != nil || len(u) > fedMaxURL {
		return ""
	}
	return u
}

// planActivity reads an activity and looks up what it needs; it returns
// what to store (nil: nothing), to be run in the inbox's transaction.
func (s *Service) planActivity(ctx context.Context, in activitypub.Incoming, remote *store.RemoteActor, raw []byte, now time.Time) (func(*store.Store) error, error) {
	switch in.Type {
	case "Follow":
		return s.planFollow(ctx, in, remote, raw, now)
	case "Undo":
		return s.planUndo(ctx, in, remote.ID)
	case "Like", "Announce":
		return s.planReaction(ctx, in, remote.ID, now)
	case "Create":
		return s.planReply(ctx, in, remote, now)
	case "Update":
		return s.planUpdate(ctx, in, remote)
	case "Delete":
		return s.planDelete(ctx, in, remote.ID)
	}
	return nil, nil // taken and ignored
}

func (s *Service) planFollow(ctx context.Context, in activitypub.Incoming, remote *store.RemoteActor, raw []byte, now time.Time) (func(*store.Store) error, error) {
	account := s.accountOf(activitypub.RefID(in.Object))
	if account == "" {
		return nil, fmt.Errorf("%w: Follow of someone not here", news.ErrNotFound)
	}
	if _, err := s.FedActor(ctx, accountStaffID(account)); err != nil {
		return nil, err
	}
	if remote.Inbox == "" {
		return nil, fmt.Errorf("%w: the follower has no inbox", ErrBadActivity)
	}
	manual, err := s.store.FedManualApproval(ctx, account)
	if err != nil {
		return nil, err
	}
	if manual { // a follower following again (a new server, a lost Accept) is not asked twice
		already, err := s.store.IsFollower(ctx, account, remote.ID)
		if err != nil {
			return nil, err
		}
		manual = !already
	}
	f := store.Follower{Actor: account, Follower: remote.ID, Inbox: remote.Inbox, SharedInbox: remote.SharedInbox, FollowID: in.ID, CreatedAt: now}
	if manual {
		return func(tx *store.Store) error {
			return tx.AddFollowRequest(ctx, store.FollowRequest{Follower: f, Body: string(raw)})
		}, nil
	}
	return func(tx *store.Store) error { return s.acceptFollower(ctx, tx, f, raw, "Accept", now) }, nil
}

// acceptFollower answers a Follow: "Accept" records the follower; both
// Accept and "Reject" queue the answer to the follower's inbox.
func (s *Service) acceptFollower(ctx context.Context, tx *store.Store, f store.Follower, follow []byte, answer string, now time.Time) error {
	if answer == "Accept" {
		if err := tx.AddFollower(ctx, f); err != nil {
			return err
		}
	}
	activityID := s.activityURI()
	body, err := json.Marshal(activitypub.Activity{Context: activitypub.Context(), ID: activityID, Type: answer,
		Actor: s.actorURI(f.Actor), Object: json.RawMessage(follow), To: []string{f.Follower}})
	if err != nil {
		return err
	}
	_, err = tx.QueueActivity(ctx, store.OutgoingActivity{ID: activityID, Actor: f.Actor, Body: body}, []string{f.Inbox}, nil, now)
	return err
}

// innerActivity is the activity an Undo names.
type innerActivity struct {
	ID     string          `json:"id"`
	Type   string          `json:"type"`
	Actor  json.RawMessage `json:"actor"`
	Object json.RawMessage `json:"object"`
}

func (s *Service) planUndo(ctx context.Context, in activitypub.Incoming, sender string) (func(*store.Store) error, error) {
	var inner innerActivity
	if json.Unmarshal(in.Object, &inner) != nil {
		// A bare id: the Follow, Like or Announce it names, if one was.
		id := activitypub.RefID(in.Object)
		return func(tx *store.Store) error {
			if err := tx.RemoveFollow(ctx, sender, "", id); err != nil {
				return err
			}
			return tx.RemoveReaction(ctx, sender, id, "", 0)
		}, nil
	}
	if a := activitypub.RefID(inner.Actor); a != "" && a != sender {
		return nil, fmt.Errorf("%w: an Undo of someone else's %s", activitypub.ErrSignature, inner.Type)
	}
	switch inner.Type {
	case "Follow":
		account := s.accountOf(activitypub.RefID(inner.Object))
		return func(tx *store.Store) error {
			if err := tx.RemoveFollow(ctx, sender, account, inner.ID); err != nil {
				return err
			}
			return tx.RemoveFollowRequest(ctx, sender, account)
		}, nil
	case "Like", "Announce":
		var articleID int64
		if a, err := s.articleAt(ctx, activitypub.RefID(inner.Object)); err != nil {
			return nil, err
		} else if a != nil {
			articleID = a.ID
		}
		return func(tx *store.Store) error { return tx.RemoveReaction(ctx, sender, inner.ID, inner.Type, articleID) }, nil
	}
	return nil, nil
}

// articleAt is the published article whose URL (our ActivityStreams id
// for it) is uri; nil when uri is not one.
func (s *Service) articleAt(ctx context.Context, uri string) (*news.Article, error) {
	path, ok := strings.CutPrefix(uri, s.base+"/")
	if !ok || path == "" || strings.ContainsAny(path, "?#") {
		return nil, nil
	}
	a, err := s.store.PublishedArticle(ctx, path)
	if errors.Is(err, news.ErrNotFound) {
		return nil, nil
	}
	return a, err
}

func (s *Service) planReaction(ctx context.Context, in activitypub.Incoming, sender string, now time.Time) (func(*store.Store) error, error) {
	if in.ID == "" {
		return nil, fmt.Errorf("%w: a %s without an id", ErrBadActivity, in.Type)
	}
	a, err := s.articleAt(ctx, activitypub.RefID(in.Object))
	if err != nil || a == nil {
		return nil, err // not one of ours: nothing to count
	}
	r := store.Reaction{ActivityID: in.ID, Kind: in.Type, Actor: sender, ArticleID: a.ID, CreatedAt: now}
	return func(tx *store.Store) error { return tx.AddReaction(ctx, r) }, nil
}

// note is what Masthead reads of a Note (a reply).
type note struct {
	ID           string          `json:"id"`
	Type         string          `json:"type"`
	AttributedTo json.RawMessage `json:"attributedTo"`
	InReplyTo    json.RawMessage `json:"inReplyTo"`
	Summary      string          `json:"summary"` // a content warning
	Content      string          `json:"content"`
	To           json.RawMessage `json:"to"`
	Cc           json.RawMessage `json:"cc"`
}

// readNote reads an embedded Note by sender; nil when the object is not a
// Note (or only a reference, which is not fetched).
func readNote(raw json.RawMessage, sender string) (*note, error) {
	var n note
	if json.Unmarshal(raw, &n) != nil || n.Type != "Note" || n.ID == "" {
		return nil, nil
	}
	if firstRef(n.AttributedTo) != sender || !activitypub.SameOrigin(n.ID, sender) {
		return nil, errNotTheirs
	}
	return &n, nil
}

// firstRef is the id of a reference or of the first of a list of them.
func firstRef(raw json.RawMessage) string {
	if id := activitypub.RefID(raw); id != "" {
		return id
	}
	var many []json.RawMessage
	if json.Unmarshal(raw, &many) == nil && len(many) > 0 {
		return activitypub.RefID(many[0])
	}
	return ""
}

// public reports whether a Note is addressed to everyone (public or
// unlisted): only those become comments anyone may read.
func (n *note) public() bool {
	for _, raw := range []json.RawMessage{n.To, n.Cc} {
		var many []string
		if json.Unmarshal(raw, &many) != nil {
			var one string
			if json.Unmarshal(raw, &one) == nil {
				many = []string{one}
			}
		}
		for _, to := range many {
			if to == activitypub.Public || to == "as:Public" || to == "Public" {
				return true
			}
		}
	}
	return false
}

// text is the Note as a comment's plain text: its content warning, then
// its content, tags gone (the comment is rendered as any reader's is).
func (n *note) text() string {
	body := markup.HTMLText(n.Content)
	if cw := markup.HTMLLine(n.Summary); cw != "" {
		body = "CW: " + cw + "\n\n" + body
	}
	if r := []rune(body); len(r) > news.MaxCommentBodyLen {
		body = string(r[:news.MaxCommentBodyLen-1]) + "…"
	}
	return body
}

// planReply takes a public Note replying to one of our articles, or to a
// reply already taken, as a comment for the moderation queue.
func (s *Service) planReply(ctx context.Context, in activitypub.Incoming, remote *store.RemoteActor, now time.Time) (func(*store.Store) error, error) {
	n, err := readNote(in.Object, remote.ID)
	if n == nil || !n.public() {
		return nil, err
	}
	target := firstRef(n.InReplyTo)
	a, err := s.articleAt(ctx, target)
	if err != nil {
		return nil, err
	}
	var parent int64
	if a == nil {
		fc, err := s.store.FedCommentByObject(ctx, target)
		if errors.Is(err, news.ErrNotFound) {
			return nil, nil // not a reply to us
		}
		if err != nil {
			return nil, err
		}
		if a, err = s.store.Article(ctx, fc.ArticleID); err != nil {
			return nil, err
		}
		if !a.IsPublic() {
			return nil, nil
		}
		parent = fc.CommentID
	}
	pub, err := s.store.Publication(ctx)
	if err != nil {
		return nil, err
	}
	body := n.text()
	if !pub.Comments.OpenOn(a, now) || body == "" {
		return nil, nil
	}
	c := &news.Comment{ArticleID: a.ID, ParentID: parent, Name: remote.Name, Website: remote.URL, Handle: remote.Handle,
		Body: body, Status: news.CommentPending, CreatedAt: now}
	return func(tx *store.Store) error {
		_, err := tx.AddFedComment(ctx, c, n.ID, remote.ID)
		if errors.Is(err, news.ErrNotFound) {
			return nil // the comment replied to was deleted meanwhile
		}
		return err
	}, nil
}

func (s *Service) planUpdate(ctx context.Context, in activitypub.Incoming, remote *store.RemoteActor) (func(*store.Store) error, error) {
	n, err := readNote(in.Object, remote.ID)
	if n == nil {
		return nil, err // an actor's Update: it was read again to verify, if stale
	}
	fc, err := s.store.FedCommentByObject(ctx, n.ID)
	if errors.Is(err, news.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if fc.Actor != remote.ID {
		return nil, errNotTheirs
	}
	body := n.text()
	if body == "" {
		return nil, nil
	}
	return func(tx *store.Store) error { return tx.UpdateFedComment(ctx, fc.CommentID, body) }, nil
}

// planDelete removes a deleted reply's comment, or everything a deleted
// actor left.
func (s *Service) planDelete(ctx context.Context, in activitypub.Incoming, sender string) (func(*store.Store) error, error) {
	id := activitypub.RefID(in.Object)
	var comments []int64
	if id == sender {
		ids, err := s.store.FedCommentsBy(ctx, sender)
		if err != nil {
			return nil, err
		}
		comments = ids
	} else {
		fc, err := s.store.FedCommentByObject(ctx, id)
		if errors.Is(err, news.ErrNotFound) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		if fc.Actor != sender {
			return nil, errNotTheirs
		}
		comments = []int64{fc.CommentID}
	}
	return func(tx *store.Store) error {
		for _, c := range comments {
			if err := tx.DeleteComment(ctx, c); err != nil && !errors.Is(err, news.ErrNotFound) {
				return err
			}
		}
		if id == sender {
			return tx.ForgetRemoteActor(ctx, sender)
		}
		return nil
	}, nil
}
