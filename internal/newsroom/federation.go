package newsroom

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"

	"masthead/internal/activitypub"
	"masthead/internal/news"
	"masthead/internal/store"
)

// Federation makes the paper and every reporter with published work
// followable from the fediverse (ActivityPub): the paper is the account
// "site", a reporter "staff:<id>". Identifiers are built on the site's
// base URL (--base-url), so that must be the public one.

// FederationConfig is how the site federates.
type FederationConfig struct {
	// Off turns federation off: no actors, no inbox, nothing delivered.
	// The zero value is on: a site's articles are public anyway.
	Off bool
	// Handle is the paper's account name (@handle@host); "" means the
	// slug of the site's name.
	Handle string
	// AllowLoopback lets remote fetches and deliveries reach 127.0.0.1:
	// for tests, which run the remote side on loopback, only.
	AllowLoopback bool
	// InboxLimit activities per InboxWindow are taken from one remote
	// server (by its key's host); more are answered 429. Zero: 300 a
	// minute.
	InboxLimit  int
	InboxWindow time.Duration
}

// ErrBadActivity is an inbox POST that is not an activity Masthead can read.
var ErrBadActivity = errors.New("not an ActivityPub activity Masthead can read")

const (
	siteAccount   = "site"
	fedTimeout    = 10 * time.Second
	fedLease      = 2 * time.Minute
	fedGiveUp     = 24 * time.Hour // a delivery still failing a day after it was queued is given up
	fedMaxBackoff = 3 * time.Hour  // the longest wait between two attempts
	fedFirstRetry = 30 * time.Second
	fedProbeEvery = 24 * time.Hour // how often a server given up on is tried again
)

// FederationOn reports whether the site federates.
func (s *Service) FederationOn() bool { return !s.fed.Off }

func staffAccount(id int64) string { return "staff:" + strconv.FormatInt(id, 10) }

// actorURI is an account's ActivityPub id: stable, by number, so that a
// renamed reporter keeps their followers.
func (s *Service) actorURI(account string) string {
	if id, ok := strings.CutPrefix(account, "staff:"); ok {
		return s.base + "/ap/staff/" + id
	}
	return s.base + "/ap/site"
}

// accountOf maps one of our actor URIs back to its account; "" for none.
func (s *Service) accountOf(uri string) string {
	rest, ok := strings.CutPrefix(uri, s.base+"/ap/")
	if !ok {
		return ""
	}
	if rest == "site" {
		return siteAccount
	}
	if id, ok := strings.CutPrefix(rest, "staff/"); ok {
		if n, err := strconv.ParseInt(id, 10, 64); err == nil && n > 0 {
			return staffAccount(n)
		}
	}
	return ""
}

// siteHandle is the paper's account name.
func (s *Service) siteHandle(ctx context.Context) string {
	if s.fed.Handle != "" {
		return s.fed.Handle
	}
	if h := news.Slugify(s.siteName(ctx)); h != "" {
		return h
	}
	return "news"
}

// federatedStaff loads a member of staff who has an account: one with a
// byline on published work; news.ErrNotFound otherwise.
func (s *Service) federatedStaff(ctx context.Context, id int64) (*news.Staff, error) {
	published, err := s.store.HasPublishedWork(ctx, id)
	if err != nil {
		return nil, err
	}
	if !published {
		return nil, news.ErrNotFound
	}
	return s.store.StaffByID(ctx, id)
}

// fedKey returns account's key pair, making it on first need.
func (s *Service) fedKey(ctx context.Context, account string) (*store.FedKey, error) {
	k, err := s.store.FedKey(ctx, account)
	if !errors.Is(err, news.ErrNotFound) {
		return k, err
	}
	pair, err := activitypub.NewKeyPair()
	if err != nil {
		return nil, err
	}
	return s.store.PutFedKey(ctx, account, store.FedKey{PublicPEM: pair.PublicPEM, PrivatePEM: pair.PrivatePEM, CreatedAt: s.clock.Now()}, false)
}

// FedActor is the ActivityPub actor of the paper (staffID 0) or of a
// reporter with published work; news.ErrNotFound otherwise or when
// federation is off.
func (s *Service) FedActor(ctx context.Context, staffID int64) (*activitypub.Actor, error) {
	if !s.Federating(ctx) {
		return nil, news.ErrNotFound
	}
	if staffID == 0 {
		return s.siteActor(ctx)
	}
	st, err := s.federatedStaff(ctx, staffID)
	if err != nil {
		return nil, err
	}
	return s.staffActor(ctx, st)
}

// FedActorBySlug is the actor of the reporter whose author page is
// /author/{slug} (the page asked for as ActivityStreams).
func (s *Service) FedActorBySlug(ctx context.Context, slug string) (*activitypub.Actor, error) {
	if !s.Federating(ctx) {
		return nil, news.ErrNotFound
	}
	st, err := s.store.StaffBySlug(ctx, slug)
	if err != nil {
		return nil, err
	}
	return s.FedActor(ctx, st.ID)
}

func (s *Service) siteActor(ctx context.Context) (*activitypub.Actor, error) {
	pub, err := s.store.Publication(ctx)
	if err != nil {
		return nil, err
	}
	return s.actorDoc(ctx, siteAccount, "Organization", s.siteHandle(ctx), s.siteName(ctx), pub.Description, s.base+"/", pub.IconURL)
}

func (s *Service) staffActor(ctx context.Context, st *news.Staff) (*activitypub.Actor, error) {
	return s.actorDoc(ctx, staffAccount(st.ID), "Person", st.Slug, st.Name, st.Bio, s.base+st.URLPath(), st.PhotoURL)
}

func (s *Service) actorDoc(ctx context.Context, account, kind, handle, name, summary, profile, icon string) (*activitypub.Actor, error) {
	k, err := s.fedKey(ctx, account)
	if err != nil {
		return nil, err
	}
	id := s.actorURI(account)
	a := &activitypub.Actor{
		Context: activitypub.Context(), ID: id, Type: kind, PreferredUsername: handle, Name: name,
		Summary: escapeText(summary), URL: profile,
		Inbox: id + "/inbox", Outbox: id + "/outbox", Followers: id + "/followers", Following: id + "/following",
		Endpoints: &activitypub.Endpoints{SharedInbox: s.base + "/ap/inbox"},
		PublicKey: activitypub.Key{ID: id + "#main-key", Owner: id, PublicKeyPem: k.PublicPEM}, Discoverable: true,
	}
	if a.ManuallyApprovesFollowers, err = s.store.FedManualApproval(ctx, account); err != nil {
		return nil, err
	}
	if icon != "" {
		a.Icon = &activitypub.Image{Type: "Image", URL: s.absolute(icon)}
	}
	return a, nil
}

// escapeText turns plain text (a bio) into the HTML that AS2 summaries
// are: escaped, paragraphs kept.
func escapeText(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	r := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#39;")
	var out []string
	for p := range strings.SplitSeq(r.Replace(s), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, "<p>"+strings.ReplaceAll(p, "\n", "<br>")+"</p>")
		}
	}
	return strings.Join(out, "")
}

// absolute makes a site-relative URL (an uploaded image) absolute.
func (s *Service) absolute(u string) string {
	if strings.HasPrefix(u, "/") && !strings.HasPrefix(u, "//") {
		return s.base + u
	}
	return u
}

// fedOutboxPage is how many Creates a page of an outbox lists.
const fedOutboxPage = 20

// FedOutbox is an account's outbox: the Create of every article it
// published (the paper's: every article; a reporter's: their bylines),
// newest first. Page 0 is the collection (its count and first page), page
// n the n-th page of 20; news.ErrNotFound past the last.
func (s *Service) FedOutbox(ctx context.Context, staffID int64, page int) (any, error) {
	if _, err := s.FedActor(ctx, staffID); err != nil {
		return nil, err
	}
	account, f := siteAccount, news.ArticleFilter{}
	if staffID != 0 {
		account, f.AuthorID = staffAccount(staffID), staffID
	}
	total, err := s.store.CountPublished(ctx, f)
	if err != nil {
		return nil, err
	}
	id := s.actorURI(account) + "/outbox"
	pageURL := func(n int) string { return id + "?page=" + strconv.Itoa(n) }
	pages := max(1, (total+fedOutboxPage-1)/fedOutboxPage)
	switch {
	case page == 0:
		return &activitypub.Collection{Context: activitypub.Context(), ID: id, Type: "OrderedCollection", TotalItems: total,
			First: pageURL(1), Last: pageURL(pages)}, nil
	case page < 0 || page > pages:
		return nil, news.ErrNotFound
	}
	f.Limit, f.Offset = fedOutboxPage, (page-1)*fedOutboxPage
	list, err := s.store.PublishedArticles(ctx, f, true)
	if err != nil {
		return nil, err
	}
	p := &activitypub.CollectionPage{Context: activitypub.Context(), ID: pageURL(page), Type: "OrderedCollectionPage",
		PartOf: id, TotalItems: total, OrderedItems: []activitypub.Activity{}}
	actorID := s.actorURI(account)
	for _, a := range list {
		obj := s.articleObject(a)
		obj.Cc = []string{actorID + "/followers"}
		// Delivered Creates have ids of their own (a republication is a
		// new one); the outbox names each by its article.
		p.OrderedItems = append(p.OrderedItems, activitypub.Activity{ID: obj.ID + "#create-" + strings.ReplaceAll(account, ":", "-"), Type: "Create",
			Actor: actorID, Object: obj, Published: obj.Published, To: obj.To, Cc: obj.Cc})
	}
	if page < pages {
		p.Next = pageURL(page + 1)
	}
	if page > 1 {
		p.Prev = pageURL(page - 1)
	}
	return p, nil
}

// FedCollection is an account's followers or following collection:
// counts only (who follows a reporter is not published).
func (s *Service) FedCollection(ctx context.Context, staffID int64, which string) (*activitypub.Collection, error) {
	if _, err := s.FedActor(ctx, staffID); err != nil {
		return nil, err
	}
	account := siteAccount
	if staffID != 0 {
		account = staffAccount(staffID)
	}
	c := &activitypub.Collection{Context: activitypub.Context(), ID: s.actorURI(account) + "/" + which, Type: "OrderedCollection"}
	switch which {
	case "followers":
		n, err := s.store.FollowerCount(ctx, account)
		if err != nil {
			return nil, err
		}
		c.TotalItems = n
	case "following":
		// Masthead follows no one.
	default:
		return nil, news.ErrNotFound
	}
	return c, nil
}

// WebFinger answers /.well-known/webfinger for resource, an acct: URI
// (acct:handle@host) or one of our actor URIs.
type WebFinger struct {
	Subject string          `json:"subject"`
	Aliases []string        `json:"aliases"`
	Links   []WebFingerLink `json:"links"`
}

// WebFingerLink is one link of a WebFinger answer.
type WebFingerLink struct {
	Rel  string `json:"rel"`
	Type string `json:"type,omitempty"`
	Href string `json:"href"`
}

// WebFinger resolves resource; news.ErrNotFound for anyone not ours.
func (s *Service) WebFinger(ctx context.Context, resource string) (*WebFinger, error) {
	if !s.Federating(ctx) {
		return nil, news.ErrNotFound
	}
	var actor *activitypub.Actor
	var err error
	if account := s.accountOf(resource); account != "" {
		actor, err = s.FedActor(ctx, accountStaffID(account))
	} else {
		user, host, ok := strings.Cut(strings.TrimPrefix(resource, "acct:"), "@")
		if !ok || !strings.EqualFold(host, s.host()) || !strings.HasPrefix(resource, "acct:") {
			return nil, news.ErrNotFound
		}
		user = strings.TrimPrefix(user, "@")
		if strings.EqualFold(user, s.siteHandle(ctx)) {
			actor, err = s.FedActor(ctx, 0)
		} else {
			actor, err = s.FedActorBySlug(ctx, strings.ToLower(user))
		}
	}
	if err != nil {
		return nil, err
	}
	return &WebFinger{
		Subject: "acct:" + actor.PreferredUsername + "@" + s.host(),
		Aliases: []string{actor.ID, actor.URL},
		Links: []WebFingerLink{
			{Rel: "self", Type: activitypub.ContentType, Href: actor.ID},
			{Rel: "http://webfinger.net/rel/profile-page", Type: "text/html", Href: actor.URL},
		},
	}, nil
}

func accountStaffID(account string) int64 {
	id, _ := strconv.ParseInt(strings.TrimPrefix(account, "staff:"), 10, 64)
	return id // 0 for the site
}

// host is the base URL's host, the domain of every handle.
func (s *Service) host() string {
	u, err := url.Parse(s.base)
	if err != nil {
		return ""
	}
	return u.Host
}

// NodeInfo is the NodeInfo 2.1 document.
type NodeInfo struct {
	Version           string         `json:"version"`
	Software          map[string]any `json:"software"`
	Protocols         []string       `json:"protocols"`
	Services          map[string]any `json:"services"`
	OpenRegistrations bool           `json:"openRegistrations"`
	Usage             map[string]any `json:"usage"`
	Metadata          map[string]any `json:"metadata"`
}

// NodeInfoURL is where the NodeInfo document is, for
// /.well-known/nodeinfo; news.ErrNotFound when federation is off.
func (s *Service) NodeInfoURL() (string, error) {
	if s.fed.Off {
		return "", news.ErrNotFound
	}
	return s.base + "/nodeinfo/2.1", nil
}

// NodeInfo describes the site to the fediverse; news.ErrNotFound when
// federation is off.
func (s *Service) NodeInfo(ctx context.Context) (*NodeInfo, error) {
	if !s.Federating(ctx) {
		return nil, news.ErrNotFound
	}
	authors, err := s.store.BylinedStaff(ctx)
	if err != nil {
		return nil, err
	}
	posts, err := s.store.PublishedArticleCount(ctx)
	if err != nil {
		return nil, err
	}
	return &NodeInfo{
		Version:   "2.1",
		Software:  map[string]any{"name": "masthead", "version": "1.0.0"},
		Protocols: []string{"activitypub"},
		Services:  map[string]any{"inbound": []string{}, "outbound": []string{}},
		Usage:     map[string]any{"users": map[string]int{"total": len(authors) + 1}, "localPosts": posts},
		Metadata:  map[string]any{"nodeName": s.siteName(ctx)},
	}, nil
}

// FedArticle is the ActivityStreams Article of the published article at
// path ("2026/11/24/slug"); news.ErrNotFound otherwise.
func (s *Service) FedArticle(ctx context.Context, path string) (*activitypub.Object, error) {
	if !s.Federating(ctx) {
		return nil, news.ErrNotFound
	}
	a, err := s.store.PublishedArticle(ctx, path)
	if err != nil {
		return nil, err
	}
	o := s.articleObject(a)
	o.Context = activitypub.Context()
	return o, nil
}

func (s *Service) articleObject(a *news.Article) *activitypub.Object {
	u := s.base + a.URLPath()
	o := &activitypub.Object{ID: u, Type: "Article", Name: a.Headline, Summary: escapeText(a.Standfirst), Content: a.BodyHTML,
		MediaType: "text/html", URL: u, To: []string{activitypub.Public}, Published: a.PublishedAt.UTC().Format(time.RFC3339)}
	for _, au := range a.Authors {
		o.AttributedTo = append(o.AttributedTo, s.actorURI(staffAccount(au.ID)))
	}
	if len(o.AttributedTo) == 0 {
		o.AttributedTo = []string{s.actorURI(siteAccount)}
	}
	if !a.UpdatedAt.IsZero() {
		o.Updated = a.UpdatedAt.UTC().Format(time.RFC3339)
	}
	if a.LeadImage != nil && a.LeadImage.URL != "" {
		o.Image = &activitypub.Image{Type: "Image", URL: s.absolute(a.LeadImage.URL), Name: a.LeadImage.Alt}
	}
	for _, t := range a.Tags {
		o.Tag = append(o.Tag, activitypub.Tag{Type: "Hashtag", Href: s.base + t.URLPath(), Name: "#" + hashtag(t.Name)})
	}
	return o
}

// hashtag makes a tag's name a hashtag: letters and digits only, words
// run together in CamelCase ("City council" → CityCouncil).
func hashtag(name string) string {
	var b strings.Builder
	upper := true
	for _, r := range name {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if upper {
				r = unicode.ToUpper(r)
			}
			b.WriteRune(r)
			upper = false
		default:
			upper = true
		}
	}
	return b.String()
}

// RotateFedKey replaces an account's key pair: the paper's (staffID 0;
// administrators) or a reporter's (themselves, or whoever manages staff).
// Followers' servers pick up the new key the next time they fetch the
// actor, which they do when a signature does not verify.
func (s *Service) RotateFedKey(ctx context.Context, actor news.Actor, staffID int64) error {
	account, err := fedAccountFor(actor, staffID)
	if err != nil {
		return err
	}
	pair, err := activitypub.NewKeyPair()
	if err != nil {
		return err
	}
	_, err = s.store.PutFedKey(ctx, account, store.FedKey{PublicPEM: pair.PublicPEM, PrivatePEM: pair.PrivatePEM, CreatedAt: s.clock.Now()}, true)
	return err
}

// activityURI names a new outgoing activity.
func (s *Service) activityURI() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return s.base + "/ap/activities/" + hex.EncodeToString(b)
}

// federated runs change, a write to article articleID in the transaction
// st, and queues in that same transaction what it means to the fediverse
// followers of the article's bylines and of the paper: kind is "Create"
// (published), "Update" (edited or corrected while published), "Delete"
// (unpublished; the object is then a Tombstone) or "" (nothing to tell).
// So a crash cannot publish an article and lose its Create, and a failure
// to queue undoes the change. Static pages are not federated.
func (s *Service) federated(ctx context.Context, articleID int64, kind string, change func(st *store.Store) error) error {
	if kind == "" || !s.Federating(ctx) {
		return change(s.store)
	}
	return s.store.Atomically(ctx, func(tx *store.Store) error {
		if err := change(tx); err != nil {
			return err
		}
		a, err := tx.Article(ctx, articleID)
		if err != nil {
			return err
		}
		if (kind == "Delete") == (a.Status == news.StatusPublished) {
			return nil // not what the change turned out to be
		}
		if err := s.queueArticleAs(ctx, tx, a, kind); err != nil {
			return fmt.Errorf("federation: queue the %s of article %d: %w", kind, articleID, err)
		}
		return nil
	})
}

// queueArticleAs queues, in st, one activity of kind about article a (as
// it now is) per account, signed by its key at delivery, to its followers.
func (s *Service) queueArticleAs(ctx context.Context, st *store.Store, a *news.Article, kind string) error {
	if a.Path == "" || strings.HasPrefix(a.Path, store.PagePath("")) {
		return nil
	}
	accounts := []string{siteAccount}
	for _, au := range a.Authors {
		accounts = append(accounts, staffAccount(au.ID))
	}
	now := s.clock.Now()
	for _, account := range accounts {
		n, err := st.FollowerCount(ctx, account)
		if err != nil {
			return err
		}
		if n == 0 {
			continue
		}
		actorID, activityID := s.actorURI(account), s.activityURI()
		act := activitypub.Activity{Context: activitypub.Context(), ID: activityID, Type: kind, Actor: actorID,
			To: []string{activitypub.Public}, Cc: []string{actorID + "/followers"}}
		switch kind {
		case "Delete":
			act.Object = &activitypub.Object{ID: s.base + a.URLPath(), Type: "Tombstone"}
		default:
			obj := s.articleObject(a)
			obj.Cc = act.Cc
			if kind == "Update" {
				obj.Updated = now.UTC().Format(time.RFC3339) // peers apply an Update only if this moved on
			}
			act.Object = obj
		}
		body, err := json.Marshal(act)
		if err != nil {
			return err
		}
		if _, err := st.QueueActivity(ctx, store.OutgoingActivity{ID: activityID, Actor: account, Body: body}, nil, []string{account}, now); err != nil {
			return err
		}
	}
	return nil
}

// signer is account's key, ready to sign.
func (s *Service) signer(ctx context.Context, account string) (*activitypub.Signer, error) {
	k, err := s.fedKey(ctx, account)
	if err != nil {
		return nil, err
	}
	key, err := activitypub.ParsePrivateKey(k.PrivatePEM)
	if err != nil {
		return nil, fmt.Errorf("the key of %s: %w", account, err)
	}
	return &activitypub.Signer{KeyID: s.actorURI(account) + "#main-key", Key: key}, nil
}

// DeliverFederated delivers what the federation queue holds that is due,
// one delivery at a time, as worker owner (a name unique to the worker),
// until nothing is due, ctx ends or max were handled (0: no limit). Any
// number of workers, in any number of processes on one database, may run
// it at once. Failures are retried with exponential backoff; a delivery
// refused for good, or still failing a day after it was queued, is given
// up and logged.
func (s *Service) DeliverFederated(ctx context.Context, owner string, max int) (int, error) {
	if !s.Federating(ctx) {
		return 0, nil
	}
	if _, err := s.store.RequeueFedLeases(ctx, s.clock.Now()); err != nil {
		return 0, err
	}
	signers := map[string]*activitypub.Signer{}
	handled := 0
	for max == 0 || handled < max {
		if ctx.Err() != nil {
			return handled, nil
		}
		now := s.clock.Now()
		d, err := s.store.LeaseFedDelivery(ctx, owner, now, now.Add(fedLease))
		if errors.Is(err, news.ErrNotFound) {
			return handled, nil
		}
		if err != nil {
			return handled, err
		}
		handled++
		host := inboxHost(d.Inbox)
		try, healthy, err := s.store.ClaimFedProbe(ctx, host, now, fedProbeEvery)
		if err != nil {
			_ = s.store.FinishFedDelivery(context.WithoutCancel(ctx), d, owner, "queued", err.Error(), now.Add(fedFirstRetry), now)
			return handled, err
		}
		if !try { // a dead server, probed by another delivery today
			err := s.store.FinishFedDelivery(context.WithoutCancel(ctx), d, owner, "failed", "given up: "+host+" has stopped answering", time.Time{}, now)
			if err != nil {
				return handled, err
			}
			continue
		}
		signer := signers[d.Outgoing.Actor]
		if signer == nil {
			if signer, err = s.signer(ctx, d.Outgoing.Actor); err != nil {
				_ = s.store.FinishFedDelivery(context.WithoutCancel(ctx), d, owner, "queued", err.Error(), now.Add(fedFirstRetry), now)
				return handled, err
			}
			signers[d.Outgoing.Actor] = signer
		}
		err = s.fedClient.Deliver(ctx, d.Inbox, d.Outgoing.Body, *signer, now)
		if err := s.recordFedDelivery(ctx, d, owner, healthy, err); err != nil {
			return handled, err
		}
	}
	return handled, nil
}

// recordFedDelivery records what became of a delivery, and how its server
// answered (a success from a server known to be answering, the usual
// case, needs no second write).
func (s *Service) recordFedDelivery(ctx context.Context, d *store.FedDelivery, owner string, healthy bool, sendErr error) error {
	now := s.clock.Now()
	ctx = context.WithoutCancel(ctx) // the outcome is recorded even as the server stops
	if sendErr == nil {
		// Marked first: a failure to record how the host answered must
		// not send it again.
		if err := s.store.FinishFedDelivery(ctx, d, owner, "sent", "", time.Time{}, now); err != nil || healthy {
			return err
		}
		_, _, err := s.store.RecordFedAnswer(ctx, inboxHost(d.Inbox), true, "", now, fedGiveUp)
		return err
	}
	var de *activitypub.DeliveryError
	permanent := errors.As(sendErr, &de) && de.Permanent
	answered := de != nil && de.Status > 0 && de.Status < 500 // it is there, if unwilling
	dead, newly, err := s.store.RecordFedAnswer(ctx, inboxHost(d.Inbox), answered, sendErr.Error(), now, fedGiveUp)
	if err != nil {
		return err
	}
	if newly {
		s.log.Warn("federation: a server given up on: it has not answered for a day; one delivery a day will try it again",
			slog.String("host", inboxHost(d.Inbox)), slog.Any("err", sendErr))
	}
	next := now.Add(fedBackoff(d.Attempts))
	if permanent || dead || next.Sub(d.QueuedAt) > fedGiveUp {
		s.log.Warn("federation: delivery given up", slog.String("inbox", d.Inbox), slog.String("activity", d.Outgoing.ID),
			slog.Int("attempts", d.Attempts), slog.Any("err", sendErr))
		return s.store.FinishFedDelivery(ctx, d, owner, "failed", sendErr.Error(), time.Time{}, now)
	}
	return s.store.FinishFedDelivery(ctx, d, owner, "queued", sendErr.Error(), next, now)
}

// RecoverFedLeases puts back in the queue, at once, the deliveries held by
// workers that gone says are gone (a process that was killed, on this
// machine), instead of waiting for their leases to run out. It returns
// how many. A delivery such a worker had sent but not yet recorded is
// sent again: receivers keep one copy per activity id.
func (s *Service) RecoverFedLeases(ctx context.Context, gone func(owner string) bool) (int, error) {
	if s.fed.Off {
		return 0, nil
	}
	owners, err := s.store.FedLeaseOwners(ctx)
	if err != nil {
		return 0, err
	}
	total := 0
	for _, o := range owners {
		if !gone(o) {
			continue
		}
		n, err := s.store.RequeueFedLeasesOf(ctx, o, s.clock.Now())
		if err != nil {
			return total, err
		}
		total += n
	}
	return total, nil
}

// FederationReport is how delivery to the fediverse is going.
type FederationReport struct {
	Deliveries map[string]int    // by state: queued, sending, sent, failed
	Dead       []store.FedRemote // servers given up on, longest dead first
}

// FederationReport reports the delivery queue and the servers given up
// on (for the metrics, and the newsroom).
func (s *Service) FederationReport(ctx context.Context) (FederationReport, error) {
	states, err := s.store.FedDeliveryStates(ctx)
	if err != nil {
		return FederationReport{}, err
	}
	dead, err := s.store.DeadFedRemotes(ctx)
	return FederationReport{Deliveries: states, Dead: dead}, err
}

// inboxHost is the server an inbox is on, as fed_remotes names it.
func inboxHost(inbox string) string {
	u, err := url.Parse(inbox)
	if err != nil {
		return inbox
	}
	return u.Host
}

// fedBackoff is the wait after the given number of failed attempts: 30 s,
// doubling, at most three hours (about 12 attempts in a day).
func fedBackoff(attempts int) time.Duration {
	d := fedFirstRetry
	for i := 1; i < attempts && d < fedMaxBackoff; i++ {
		d *= 2
	}
	return min(d, fedMaxBackoff)
}
