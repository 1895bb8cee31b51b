package newsroom

import (
	"context"
	"errors"
	"net"
	"net/url"
	"strings"

	"masthead/internal/activitypub"
	"masthead/internal/news"
	"masthead/internal/store"
)

// The newsroom's side of federation: who follows each account, follow
// requests waiting for approval, and the servers blocked.

// fedMaxListed bounds the followers listed per account on the screen.
const fedMaxListed = 500

// FedAccount is one of our fediverse accounts as the newsroom sees it.
type FedAccount struct {
	StaffID        int64 // 0 for the paper
	Name           string
	Handle         string // "@name@host"
	ManualApproval bool
	FollowerCount  int
	Followers      []FedFollower // the first fedMaxListed, oldest first
	Requests       []FedFollower // waiting for approval
}

// FedFollower is a remote account following (or asking to follow) one of
// ours, with what the cache knows of it.
type FedFollower struct {
	store.Follower
	Handle string // "" when not cached
	Name   string
	URL    string // its profile page, else its id
}

// FedOverview is the newsroom's federation screen.
type FedOverview struct {
	On        bool // federating now
	FlagOff   bool // --federation=false: the newsroom cannot turn it on
	CanSwitch bool // administrators turn it off and on
	Accounts  []FedAccount
	CanBlock  bool                  // administrators manage the blocklist
	Blocked   []store.BlockedDomain // shown to those who may manage it
	Delivery  *FederationReport     // the queue and the servers given up on, for administrators
}

// FederationOverview lists the accounts actor may look after: every one
// for an administrator, otherwise their own (once they have published
// work, which is when it exists).
func (s *Service) FederationOverview(ctx context.Context, actor news.Actor) (*FedOverview, error) {
	admin := actor.Role.Can(news.PermSettings)
	ov := &FedOverview{On: s.Federating(ctx), FlagOff: s.fed.Off, CanSwitch: admin, CanBlock: admin}
	var ids []int64
	if ov.CanBlock {
		ids = append(ids, 0)
		staff, err := s.store.BylinedStaff(ctx)
		if err != nil {
			return nil, err
		}
		for _, st := range staff {
			ids = append(ids, st.ID)
		}
		if ov.Blocked, err = s.store.BlockedDomains(ctx); err != nil {
			return nil, err
		}
		report, err := s.FederationReport(ctx)
		if err != nil {
			return nil, err
		}
		ov.Delivery = &report
	} else {
		ids = append(ids, actor.ID)
	}
	for _, id := range ids {
		acc, err := s.fedAccount(ctx, id)
		if errors.Is(err, news.ErrNotFound) {
			continue // no published work yet
		}
		if err != nil {
			return nil, err
		}
		ov.Accounts = append(ov.Accounts, *acc)
	}
	return ov, nil
}

func (s *Service) fedAccount(ctx context.Context, staffID int64) (*FedAccount, error) {
	acc := &FedAccount{StaffID: staffID}
	account := siteAccount
	if staffID == 0 {
		acc.Name, acc.Handle = s.siteName(ctx), "@"+s.siteHandle(ctx)+"@"+s.host()
	} else {
		st, err := s.federatedStaff(ctx, staffID)
		if err != nil {
			return nil, err
		}
		acc.Name, acc.Handle = st.Name, "@"+st.Slug+"@"+s.host()
		account = staffAccount(staffID)
	}
	var err error
	if acc.ManualApproval, err = s.store.FedManualApproval(ctx, account); err != nil {
		return nil, err
	}
	followers, err := s.store.Followers(ctx, account)
	if err != nil {
		return nil, err
	}
	acc.FollowerCount = len(followers)
	if len(followers) > fedMaxListed {
		followers = followers[:fedMaxListed]
	}
	if acc.Followers, err = s.describeFollowers(ctx, followers); err != nil {
		return nil, err
	}
	requests, err := s.store.FollowRequests(ctx, account)
	if err != nil {
		return nil, err
	}
	plain := make([]store.Follower, len(requests))
	for i, r := range requests {
		plain[i] = r.Follower
	}
	acc.Requests, err = s.describeFollowers(ctx, plain)
	return acc, err
}

func (s *Service) describeFollowers(ctx context.Context, fs []store.Follower) ([]FedFollower, error) {
	out := make([]FedFollower, len(fs))
	for i, f := range fs {
		out[i] = FedFollower{Follower: f, URL: boundedURL(f.Follower)}
		ra, err := s.store.RemoteActor(ctx, f.Follower)
		if errors.Is(err, news.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out[i].Handle, out[i].Name = ra.Handle, ra.Name
		if ra.URL != "" {
			out[i].URL = ra.URL
		}
	}
	return out, nil
}

// fedAccountFor is the account of the paper (staffID 0) or a reporter
// that actor may manage: the paper's for administrators, a reporter's for
// themselves and whoever manages staff. It is the rule for rotating keys,
// follow approval and follow requests.
func fedAccountFor(actor news.Actor, staffID int64) (string, error) {
	switch {
	case staffID == 0:
		if !actor.Role.Can(news.PermSettings) {
			return "", news.ErrForbidden
		}
		return siteAccount, nil
	case staffID == actor.ID || actor.Role.Can(news.PermManageStaff):
		return staffAccount(staffID), nil
	}
	return "", news.ErrForbidden
}

// SetFedManualApproval sets whether Follows of an account wait for a
// human (on) or are accepted at once (off). Turning it off leaves the
// waiting requests waiting.
func (s *Service) SetFedManualApproval(ctx context.Context, actor news.Actor, staffID int64, on bool) error {
	account, err := fedAccountFor(actor, staffID)
	if err != nil {
		return err
	}
	if _, err := s.FedActor(ctx, staffID); err != nil {
		return err
	}
	return s.store.SetFedManualApproval(ctx, account, on)
}

// DecideFollowRequest accepts or rejects a waiting Follow of an account:
// either way the follower's server is told (Accept or Reject); accepted,
// it becomes a follower. news.ErrNotFound when the request is no longer
// waiting.
func (s *Service) DecideFollowRequest(ctx context.Context, actor news.Actor, staffID int64, follower string, accept bool) error {
	account, err := fedAccountFor(actor, staffID)
	if err != nil {
		return err
	}
	if s.fed.Off {
		return news.ErrNotFound
	}
	answer := "Reject"
	if accept {
		answer = "Accept"
	}
	now := s.clock.Now()
	return s.store.Atomically(ctx, func(tx *store.Store) error {
		r, err := tx.TakeFollowRequest(ctx, account, follower)
		if err != nil {
			return err
		}
		r.CreatedAt = now
		return s.acceptFollower(ctx, tx, r.Follower, []byte(r.Body), answer, now)
	})
}

// BlockFedDomain blocks a server (and its subdomains): its activities
// are refused from now on and its accounts stop following ours.
// Administrators only; news.FieldErrors (field "domain") for a value that
// is not a domain.
func (s *Service) BlockFedDomain(ctx context.Context, actor news.Actor, domain, note string) error {
	if !actor.Role.Can(news.PermSettings) {
		return news.ErrForbidden
	}
	d, ok := normaliseDomain(domain)
	note = strings.TrimSpace(note)
	if !ok {
		return news.FieldErrors{"domain": "Enter a server's domain, such as spam.example."}
	}
	if len(note) > news.MaxBlockNoteLen {
		return news.FieldErrors{"note": "Keep the note under 200 characters."}
	}
	return s.store.BlockDomain(ctx, d, note, actor.ID, s.clock.Now(), func(id string) bool {
		return activitypub.InDomain(activitypub.Host(id), d)
	})
}

// UnblockFedDomain takes a server off the blocklist (its former followers
// are not restored: they may follow again).
func (s *Service) UnblockFedDomain(ctx context.Context, actor news.Actor, domain string) error {
	if !actor.Role.Can(news.PermSettings) {
		return news.ErrForbidden
	}
	return s.store.UnblockDomain(ctx, strings.ToLower(strings.TrimSpace(domain)))
}

// normaliseDomain reads what an editor typed as a server to block: a
// domain, "@user@domain", or a URL on it.
func normaliseDomain(in string) (string, bool) {
	d := strings.ToLower(strings.TrimSpace(in))
	if strings.Contains(d, "://") {
		u, err := url.Parse(d)
		if err != nil {
			return "", false
		}
		d = u.Hostname()
	} else if i := strings.LastIndexByte(d, '@'); i >= 0 {
		d = d[i+1:]
	}
	d = strings.TrimSuffix(d, ".")
	if d == "" || len(d) > 253 {
		return "", false
	}
	if net.ParseIP(d) != nil {
		return d, true
	}
	for label := range strings.SplitSeq(d, ".") {
		if label == "" || len(label) > 63 || strings.Trim(label, "abcdefghijklmnopqrstuvwxyz0123456789-") != "" ||
			label[0] == '-' || label[len(label)-1] == '-' {
			return "", false
		}
	}
	return d, strings.Contains(d, ".")
}

// ArticleReactions counts the fediverse's likes and boosts of the given
// articles, for the newsroom's lists.
func (s *Service) ArticleReactions(ctx context.Context, articleIDs []int64) (map[int64]store.Reactions, error) {
	return s.store.ReactionCounts(ctx, articleIDs)
}

// fedOffSetting is the newsroom's switch: "true" when an administrator
// turned federation off.
const fedOffSetting = "federation.off"

// Federating reports whether the site federates now: --federation allows
// it and the newsroom has not turned it off. Off, the fediverse's routes
// answer 404 (pages answer as pages) and nothing new is sent.
func (s *Service) Federating(ctx context.Context) bool {
	if s.fed.Off {
		return false
	}
	v, _, err := s.store.Setting(ctx, fedOffSetting)
	return err != nil || v != "true" // unreadable: as configured
}

// FederatesArticles reports whether publishing or unpublishing an
// article would now queue anything for the fediverse: the site
// federates, and someone follows the paper or one of its staff.
func (s *Service) FederatesArticles(ctx context.Context) (bool, error) {
	if !s.Federating(ctx) {
		return false, nil
	}
	return s.store.AnyFollowers(ctx)
}

// SetFederating turns federation on or off from the newsroom
// (administrators). Turning it on when --federation=false is refused.
func (s *Service) SetFederating(ctx context.Context, actor news.Actor, on bool) error {
	if !actor.Role.Can(news.PermSettings) {
		return news.ErrForbidden
	}
	if on && s.fed.Off {
		return news.FieldErrors{"federation": "Federation is turned off for this server (--federation=false); start it without that to turn it on."}
	}
	v := "true"
	if on {
		v = ""
	}
	return s.store.SetSetting(ctx, fedOffSetting, v)
}
