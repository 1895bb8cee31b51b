package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"masthead/internal/news"
)

// FedKey is a federated account's key pair, PEM-encoded.
type FedKey struct {
	PublicPEM, PrivatePEM string
	CreatedAt             time.Time
}

// FedKey loads actor's key pair; news.ErrNotFound when it has none yet.
func (s *Store) FedKey(ctx context.Context, actor string) (*FedKey, error) {
	var k FedKey
	var created nullTime
	err := s.queryRow(ctx, s.read, `SELECT public_pem, private_pem, created_at FROM fed_keys WHERE actor = ?`, actor).
		Scan(&k.PublicPEM, &k.PrivatePEM, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, news.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load the key of %s: %w", actor, err)
	}
	k.CreatedAt = created.Time
	return &k, nil
}

// PutFedKey stores actor's key pair. With replace false an existing pair
// is kept (two requests making the first key at once agree on one); with
// replace true it is replaced (a rotation). It returns the pair stored.
func (s *Store) PutFedKey(ctx context.Context, actor string, k FedKey, replace bool) (*FedKey, error) {
	conflict := "DO NOTHING"
	if replace {
		conflict = "DO UPDATE SET public_pem = excluded.public_pem, private_pem = excluded.private_pem, created_at = excluded.created_at"
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		_, err := s.exec(ctx, tx, `INSERT INTO fed_keys (actor, public_pem, private_pem, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (actor) `+conflict, actor, k.PublicPEM, k.PrivatePEM, k.CreatedAt)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store the key of %s: %w", actor, err)
	}
	return s.FedKey(ctx, actor)
}

// Follower is a remote account following one of ours.
type Follower struct {
	Actor       string // ours: "site" or "staff:<id>"
	Follower    string // the remote actor's id
	Inbox       string
	SharedInbox string
	FollowID    string // the id of their Follow activity
	CreatedAt   time.Time
}

// AddFollower records a follow (again: the inboxes are refreshed).
func (s *Store) AddFollower(ctx context.Context, f Follower) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		_, err := s.exec(ctx, tx, `INSERT INTO fed_followers (actor, follower, inbox, shared_inbox, follow_id, created_at) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (actor, follower) DO UPDATE SET inbox = excluded.inbox, shared_inbox = excluded.shared_inbox, follow_id = excluded.follow_id`,
			f.Actor, f.Follower, f.Inbox, f.SharedInbox, f.FollowID, f.CreatedAt)
		return err
	})
	if err != nil {
		return fmt.Errorf("record %s following %s: %w", f.Follower, f.Actor, err)
	}
	return nil
}

// Followers lists actor's followers, oldest first.
func (s *Store) Followers(ctx context.Context, actor string) ([]Follower, error) {
	rows, err := s.queryRows(ctx, s.read, `SELECT actor, follower, inbox, shared_inbox, follow_id, created_at FROM fed_followers
		WHERE actor = ? ORDER BY created_at, follower`, actor)
	if err != nil {
		return nil, fmt.Errorf("list the followers of %s: %w", actor, err)
	}
	defer rows.Close()
	var out []Follower
	for rows.Next() {
		var f Follower
		var created nullTime
		if err := rows.Scan(&f.Actor, &f.Follower, &f.Inbox, &f.SharedInbox, &f.FollowID, &created); err != nil {
			return nil, fmt.Errorf("list the followers of %s: %w", actor, err)
		}
		f.CreatedAt = created.Time
		out = append(out, f)
	}
	return out, rows.Err()
}

// FollowerCount counts actor's followers.
func (s *Store) FollowerCount(ctx context.Context, actor string) (int, error) {
	var n int
	if err := s.queryRow(ctx, s.read, `SELECT COUNT(*) FROM fed_followers WHERE actor = ?`, actor).Scan(&n); err != nil {
		return 0, fmt.Errorf("count the followers of %s: %w", actor, err)
	}
	return n, nil
}

// AnyFollowers reports whether any account has a follower.
func (s *Store) AnyFollowers(ctx context.Context) (bool, error) {
	var found bool
	if err := s.queryRow(ctx, s.read, `SELECT EXISTS (SELECT 1 FROM fed_followers)`).Scan(&found); err != nil {
		return false, fmt.Errorf("any followers: %w", err)
	}
	return found, nil
}

// OutgoingActivity is an activity to deliver, signed by Actor's key.
type OutgoingActivity struct {
	ID    string // the activity's URI
	Actor string
	Body  []byte
}

// QueueActivity stores an activity and queues it, in one transaction, to
// the given inboxes and to the followers of each account in followersOf
// (through a follower's shared inbox when it has one), due at now. Each
// inbox gets one delivery however many of its accounts follow. It returns
// how many deliveries were queued.
func (s *Store) QueueActivity(ctx context.Context, a OutgoingActivity, inboxes, followersOf []string, now time.Time) (int, error) {
	queued := 0
	// PostgreSQL rounds to the microsecond: a due time rounded up would
	// not yet be due to a worker asking at now.
	due := now.Truncate(time.Second)
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		id, err := s.insert(ctx, tx, `INSERT INTO fed_activities (activity_id, actor, body, created_at) VALUES (?, ?, ?, ?)`,
			a.ID, a.Actor, string(a.Body), now)
		if err != nil {
			return err
		}
		for _, inbox := range inboxes {
			res, err := s.exec(ctx, tx, `INSERT INTO fed_deliveries (activity, inbox, state, next_at) VALUES (?, ?, 'queued', ?)
				ON CONFLICT DO NOTHING`, id, inbox, due)
			if err != nil {
				return err
			}
			n, _ := res.RowsAffected()
			queued += int(n)
		}
		if len(followersOf) == 0 {
			return nil
		}
		args := []any{id, due}
		for _, f := range followersOf {
			args = append(args, f)
		}
		res, err := s.exec(ctx, tx, `INSERT INTO fed_deliveries (activity, inbox, state, next_at)
			SELECT ?, target, 'queued', ? FROM (SELECT DISTINCT CASE WHEN shared_inbox <> '' THEN shared_inbox ELSE inbox END AS target
				FROM fed_followers WHERE actor IN (?`+strings.Repeat(", ?", len(followersOf)-1)+`)) targets
			WHERE true ON CONFLICT DO NOTHING`, args...) // WHERE: else SQLite reads ON as a join's
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		queued += int(n)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("queue activity %s: %w", a.ID, err)
	}
	return queued, nil
}

// FedDelivery is one queued delivery leased to a worker.
type FedDelivery struct {
	Activity int64
	Inbox    string
	Attempts int // this one included
	QueuedAt time.Time
	Outgoing OutgoingActivity
}

// LeaseFedDelivery hands the next due delivery to owner until until, or
// news.ErrNotFound when none is due (as LeaseDelivery does for mail).
func (s *Store) LeaseFedDelivery(ctx context.Context, owner string, now, until time.Time) (*FedDelivery, error) {
	lock := ""
	if !s.dialect.sqlite() {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	var d FedDelivery
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		return s.queryRow(ctx, tx, `UPDATE fed_deliveries SET state = 'sending', lease_owner = ?, lease_until = ?, attempts = attempts + 1
			WHERE state = 'queued' AND (activity, inbox) = (SELECT activity, inbox FROM fed_deliveries
				WHERE state = 'queued' AND next_at <= ? ORDER BY next_at, activity, inbox LIMIT 1`+lock+`)
			RETURNING activity, inbox, attempts`, owner, until, now).Scan(&d.Activity, &d.Inbox, &d.Attempts)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, news.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("lease a federation delivery: %w", err)
	}
	var body string
	var created nullTime
	err = s.queryRow(ctx, s.read, `SELECT activity_id, actor, body, created_at FROM fed_activities WHERE id = ?`, d.Activity).
		Scan(&d.Outgoing.ID, &d.Outgoing.Actor, &body, &created)
	if err != nil {
		return nil, fmt.Errorf("load activity %d: %w", d.Activity, err)
	}
	d.Outgoing.Body, d.QueuedAt = []byte(body), created.Time
	return &d, nil
}

// FinishFedDelivery records what became of a leased delivery: "sent",
// "failed", or "queued" again at next (a retry). Only the worker holding
// the lease records it; news.ErrNotFound otherwise.
func (s *Store) FinishFedDelivery(ctx context.Context, d *FedDelivery, owner, state, errText string, next, now time.Time) error {
	done := now
	if state == "queued" {
		done = time.Time{}
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		return s.execOne(ctx, tx, `UPDATE fed_deliveries SET state = ?, error = ?, next_at = COALESCE(?, next_at), done_at = ?, lease_owner = '', lease_until = NULL
			WHERE activity = ? AND inbox = ? AND lease_owner = ? AND state = 'sending'`,
			state, errText, next, done, d.Activity, d.Inbox, owner)
	})
	if err != nil {
		return fmt.Errorf("record delivery of activity %d to %s: %w", d.Activity, d.Inbox, err)
	}
	return nil
}

// RequeueFedLeases puts deliveries whose lease ran out (their worker
// stopped mid-delivery) back in the queue. Unlike mail, an activity sent
// twice is harmless: receivers keep one copy per activity id.
func (s *Store) RequeueFedLeases(ctx context.Context, now time.Time) (int, error) {
	var n int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := s.exec(ctx, tx, `UPDATE fed_deliveries SET state = 'queued', next_at = ?, lease_owner = '', lease_until = NULL
			WHERE state = 'sending' AND lease_until < ?`, now, now)
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("requeue federation deliveries: %w", err)
	}
	return int(n), nil
}

// FedDeliveryStates counts deliveries by state (for tests and the newsroom).
func (s *Store) FedDeliveryStates(ctx context.Context) (map[string]int, error) {
	rows, err := s.queryRows(ctx, s.read, `SELECT state, COUNT(*) FROM fed_deliveries GROUP BY state`)
	if err != nil {
		return nil, fmt.Errorf("count federation deliveries: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var state string
		var n int
		if err := rows.Scan(&state, &n); err != nil {
			return nil, fmt.Errorf("count federation deliveries: %w", err)
		}
		out[state] = n
	}
	return out, rows.Err()
}

// RemoveFollow forgets follower's follow of actor, or the follow whose
// Follow activity was followID (an Undo may name either); it is not an
// error if there was none.
func (s *Store) RemoveFollow(ctx context.Context, follower, actor, followID string) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		_, err := s.exec(ctx, tx, `DELETE FROM fed_followers WHERE follower = ? AND (actor = ? OR (follow_id <> '' AND follow_id = ?))`,
			follower, actor, followID)
		return err
	})
	if err != nil {
		return fmt.Errorf("remove a follow by %s: %w", follower, err)
	}
	return nil
}

// HasPublishedWork reports whether a member of staff has a byline on a
// published article.
func (s *Store) HasPublishedWork(ctx context.Context, staffID int64) (bool, error) {
	var n int
	err := s.queryRow(ctx, s.read, `SELECT COUNT(*) FROM article_authors aa JOIN articles a ON a.id = aa.article_id
		WHERE aa.user_id = ? AND a.status = 'published'`, staffID).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("check the published work of %d: %w", staffID, err)
	}
	return n > 0, nil
}

// PublishedArticleCount counts published articles (NodeInfo's localPosts).
func (s *Store) PublishedArticleCount(ctx context.Context) (int, error) {
	var n int
	if err := s.queryRow(ctx, s.read, `SELECT COUNT(*) FROM articles WHERE status = 'published'`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count published articles: %w", err)
	}
	return n, nil
}
