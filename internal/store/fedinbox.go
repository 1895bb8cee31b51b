package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"masthead/internal/news"
)

// What federation's inbox keeps: remote actors read, replies taken as
// comments, likes and boosts, follow requests, blocked servers and the
// signatures already seen.

// RemoteActor is a remote account as last read (a cache).
type RemoteActor struct {
	ID          string
	Handle      string // "@user@host"
	Name        string
	Summary     string // plain text
	URL         string // the profile page
	Inbox       string
	SharedInbox string
	KeyID       string
	PublicPEM   string
	FetchedAt   time.Time
}

// RemoteActor loads a cached remote actor; news.ErrNotFound when not cached.
func (s *Store) RemoteActor(ctx context.Context, id string) (*RemoteActor, error) {
	var a RemoteActor
	var at nullTime
	err := s.queryRow(ctx, s.read, `SELECT id, handle, name, summary, url, inbox, shared_inbox, key_id, public_pem, fetched_at
		FROM fed_remote_actors WHERE id = ?`, id).
		Scan(&a.ID, &a.Handle, &a.Name, &a.Summary, &a.URL, &a.Inbox, &a.SharedInbox, &a.KeyID, &a.PublicPEM, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, news.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load remote actor %s: %w", id, err)
	}
	a.FetchedAt = at.Time
	return &a, nil
}

// PutRemoteActor caches a remote actor (replacing what was cached).
func (s *Store) PutRemoteActor(ctx context.Context, a RemoteActor) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		_, err := s.exec(ctx, tx, `INSERT INTO fed_remote_actors (id, handle, name, summary, url, inbox, shared_inbox, key_id, public_pem, fetched_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET handle = excluded.handle, name = excluded.name, summary = excluded.summary, url = excluded.url,
				inbox = excluded.inbox, shared_inbox = excluded.shared_inbox, key_id = excluded.key_id, public_pem = excluded.public_pem,
				fetched_at = excluded.fetched_at`,
			a.ID, a.Handle, a.Name, a.Summary, a.URL, a.Inbox, a.SharedInbox, a.KeyID, a.PublicPEM, a.FetchedAt)
		return err
	})
	if err != nil {
		return fmt.Errorf("cache remote actor %s: %w", a.ID, err)
	}
	return nil
}

// SeeSignature records a request's signature as used until expires, and
// reports whether it was new; false means the request is a replay. Entries
// past their expiry (which the clock check refuses anyway) are dropped.
func (s *Store) SeeSignature(ctx context.Context, signature string, expires, now time.Time) (bool, error) {
	fresh := false
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := s.exec(ctx, tx, `DELETE FROM fed_seen_signatures WHERE expires_at < ?`, now); err != nil {
			return err
		}
		res, err := s.exec(ctx, tx, `INSERT INTO fed_seen_signatures (signature, expires_at) VALUES (?, ?) ON CONFLICT DO NOTHING`, signature, expires)
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		fresh = n == 1
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("record a signature: %w", err)
	}
	return fresh, nil
}

// FedComment is a comment that came from the fediverse.
type FedComment struct {
	CommentID int64
	ArticleID int64
	ObjectID  string // the Note's id
	Actor     string // its author's id
}

// AddFedComment stores c with the Note it came from, in one transaction.
// A Note already stored is left as it is (a redelivery): it returns false.
func (s *Store) AddFedComment(ctx context.Context, c *news.Comment, objectID, actor string) (bool, error) {
	added := false
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := s.queryRow(ctx, tx, `SELECT COUNT(*) FROM fed_comments WHERE object_id = ?`, objectID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
		if err := s.insertComment(ctx, tx, c); err != nil {
			return err
		}
		added = true
		_, err := s.exec(ctx, tx, `INSERT INTO fed_comments (comment_id, object_id, actor) VALUES (?, ?, ?)`, c.ID, objectID, actor)
		return err
	})
	if errors.Is(err, news.ErrNotFound) {
		return false, err
	}
	if err != nil {
		return false, fmt.Errorf("store a reply from %s: %w", actor, err)
	}
	return added, nil
}

// FedCommentByObject finds the comment a Note became; news.ErrNotFound
// when none.
func (s *Store) FedCommentByObject(ctx context.Context, objectID string) (*FedComment, error) {
	var f FedComment
	err := s.queryRow(ctx, s.read, `SELECT f.comment_id, c.article_id, f.object_id, f.actor FROM fed_comments f
		JOIN comments c ON c.id = f.comment_id WHERE f.object_id = ?`, objectID).Scan(&f.CommentID, &f.ArticleID, &f.ObjectID, &f.Actor)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, news.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("find the comment of %s: %w", objectID, err)
	}
	return &f, nil
}

// FedCommentsBy lists the ids of the comments a remote actor wrote.
func (s *Store) FedCommentsBy(ctx context.Context, actor string) ([]int64, error) {
	rows, err := s.queryRows(ctx, s.read, `SELECT comment_id FROM fed_comments WHERE actor = ? ORDER BY comment_id`, actor)
	if err != nil {
		return nil, fmt.Errorf("list the comments of %s: %w", actor, err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// UpdateFedComment replaces a fediverse comment's text (its author edited
// the Note).
func (s *Store) UpdateFedComment(ctx context.Context, commentID int64, body string) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		_, err := s.exec(ctx, tx, `UPDATE comments SET body = ? WHERE id = ? AND body <> ?`, body, commentID, body)
		return err
	})
	if err != nil {
		return fmt.Errorf("update comment %d: %w", commentID, err)
	}
	return nil
}

// Reaction is a Like or an Announce of one of our articles.
type Reaction struct {
	ActivityID string
	Kind       string // "Like" or "Announce"
	Actor      string
	ArticleID  int64
	CreatedAt  time.Time
}

// AddReaction records a reaction; a second of one kind by one actor on
// one article is ignored.
func (s *Store) AddReaction(ctx context.Context, r Reaction) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		_, err := s.exec(ctx, tx, `INSERT INTO fed_reactions (activity_id, kind, actor, article_id, created_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT DO NOTHING`, r.ActivityID, r.Kind, r.Actor, r.ArticleID, r.CreatedAt)
		return err
	})
	if err != nil {
		return fmt.Errorf("record a %s by %s: %w", r.Kind, r.Actor, err)
	}
	return nil
}

// RemoveReaction removes actor's reaction named by its activity id, or
// (when the Undo names the object instead) by kind and article.
func (s *Store) RemoveReaction(ctx context.Context, actor, activityID, kind string, articleID int64) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		_, err := s.exec(ctx, tx, `DELETE FROM fed_reactions WHERE actor = ? AND (activity_id = ? OR (kind = ? AND article_id = ?))`,
			actor, activityID, kind, articleID)
		return err
	})
	if err != nil {
		return fmt.Errorf("remove a reaction by %s: %w", actor, err)
	}
	return nil
}

// Reactions counts the likes and boosts of each of the given articles.
type Reactions struct{ Likes, Boosts int }

// ReactionCounts counts reactions per article, for the ids given.
func (s *Store) ReactionCounts(ctx context.Context, articleIDs []int64) (map[int64]Reactions, error) {
	out := map[int64]Reactions{}
	if len(articleIDs) == 0 {
		return out, nil
	}
	args := make([]any, len(articleIDs))
	for i, id := range articleIDs {
		args[i] = id
	}
	rows, err := s.queryRows(ctx, s.read, `SELECT article_id, kind, COUNT(*) FROM fed_reactions
		WHERE article_id IN (`+placeholders(len(args))+`) GROUP BY article_id, kind`, args...)
	if err != nil {
		return nil, fmt.Errorf("count reactions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var kind string
		var n int
		if err := rows.Scan(&id, &kind, &n); err != nil {
			return nil, err
		}
		r := out[id]
		if kind == "Like" {
			r.Likes = n
		} else {
			r.Boosts = n
		}
		out[id] = r
	}
	return out, rows.Err()
}

// ForgetRemoteActor removes everything a remote actor left here (it was
// deleted, or its server blocked): follows, follow requests, reactions
// and the cache entry. Its comments are removed by the caller, one by one
// (DeleteComment keeps their replies).
func (s *Store) ForgetRemoteActor(ctx context.Context, actor string) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		for _, q := range []string{
			`DELETE FROM fed_followers WHERE follower = ?`,
			`DELETE FROM fed_follow_requests WHERE follower = ?`,
			`DELETE FROM fed_reactions WHERE actor = ?`,
			`DELETE FROM fed_remote_actors WHERE id = ?`,
		} {
			if _, err := s.exec(ctx, tx, q, actor); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("forget %s: %w", actor, err)
	}
	return nil
}

// FedManualApproval reports whether account's follows wait for approval.
func (s *Store) FedManualApproval(ctx context.Context, account string) (bool, error) {
	var on bool
	err := s.queryRow(ctx, s.read, `SELECT manual_approval FROM fed_accounts WHERE actor = ?`, account).Scan(&on)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("load the follow setting of %s: %w", account, err)
	}
	return on, nil
}

// SetFedManualApproval sets whether account's follows wait for approval.
func (s *Store) SetFedManualApproval(ctx context.Context, account string, on bool) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		_, err := s.exec(ctx, tx, `INSERT INTO fed_accounts (actor, manual_approval) VALUES (?, ?)
			ON CONFLICT (actor) DO UPDATE SET manual_approval = excluded.manual_approval`, account, on)
		return err
	})
	if err != nil {
		return fmt.Errorf("set the follow setting of %s: %w", account, err)
	}
	return nil
}

// IsFollower reports whether follower already follows account.
func (s *Store) IsFollower(ctx context.Context, account, follower string) (bool, error) {
	var n int
	err := s.queryRow(ctx, s.read, `SELECT COUNT(*) FROM fed_followers WHERE actor = ? AND follower = ?`, account, follower).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("check whether %s follows %s: %w", follower, account, err)
	}
	return n > 0, nil
}

// FollowRequest is a Follow waiting for a human.
type FollowRequest struct {
	Follower
	Body string // the Follow as received, for the Accept or Reject
}

// AddFollowRequest records a Follow to approve (again: refreshed).
func (s *Store) AddFollowRequest(ctx context.Context, r FollowRequest) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		_, err := s.exec(ctx, tx, `INSERT INTO fed_follow_requests (actor, follower, inbox, shared_inbox, follow_id, body, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (actor, follower) DO UPDATE SET inbox = excluded.inbox, shared_inbox = excluded.shared_inbox,
				follow_id = excluded.follow_id, body = excluded.body`,
			r.Actor, r.Follower.Follower, r.Inbox, r.SharedInbox, r.FollowID, r.Body, r.CreatedAt)
		return err
	})
	if err != nil {
		return fmt.Errorf("record a follow request by %s: %w", r.Follower.Follower, err)
	}
	return nil
}

// FollowRequests lists account's pending follow requests, oldest first.
func (s *Store) FollowRequests(ctx context.Context, account string) ([]FollowRequest, error) {
	rows, err := s.queryRows(ctx, s.read, `SELECT actor, follower, inbox, shared_inbox, follow_id, body, created_at
		FROM fed_follow_requests WHERE actor = ? ORDER BY created_at, follower`, account)
	if err != nil {
		return nil, fmt.Errorf("list the follow requests of %s: %w", account, err)
	}
	defer rows.Close()
	var out []FollowRequest
	for rows.Next() {
		var r FollowRequest
		var at nullTime
		if err := rows.Scan(&r.Actor, &r.Follower.Follower, &r.Inbox, &r.SharedInbox, &r.FollowID, &r.Body, &at); err != nil {
			return nil, err
		}
		r.CreatedAt = at.Time
		out = append(out, r)
	}
	return out, rows.Err()
}

// TakeFollowRequest removes and returns a pending request; news.ErrNotFound
// when there is none (already decided).
func (s *Store) TakeFollowRequest(ctx context.Context, account, follower string) (*FollowRequest, error) {
	var r FollowRequest
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var at nullTime
		err := s.queryRow(ctx, tx, `SELECT actor, follower, inbox, shared_inbox, follow_id, body, created_at
			FROM fed_follow_requests WHERE actor = ? AND follower = ?`, account, follower).
			Scan(&r.Actor, &r.Follower.Follower, &r.Inbox, &r.SharedInbox, &r.FollowID, &r.Body, &at)
		if errors.Is(err, sql.ErrNoRows) {
			return news.ErrNotFound
		}
		if err != nil {
			return err
		}
		r.CreatedAt = at.Time
		_, err = s.exec(ctx, tx, `DELETE FROM fed_follow_requests WHERE actor = ? AND follower = ?`, account, follower)
		return err
	})
	if errors.Is(err, news.ErrNotFound) {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("take the follow request of %s: %w", follower, err)
	}
	return &r, nil
}

// RemoveFollowRequest drops follower's pending request to account (an
// Undo of it), or to every account when account is "".
func (s *Store) RemoveFollowRequest(ctx context.Context, follower, account string) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		_, err := s.exec(ctx, tx, `DELETE FROM fed_follow_requests WHERE follower = ? AND (actor = ? OR ? = '')`, follower, account, account)
		return err
	})
	if err != nil {
		return fmt.Errorf("remove the follow request of %s: %w", follower, err)
	}
	return nil
}

// BlockedDomain is a server whose activities are refused.
type BlockedDomain struct {
	Domain    string
	Note      string
	AddedBy   string // "" when the account is gone
	CreatedAt time.Time
}

// BlockedDomains lists the blocked servers, by domain.
func (s *Store) BlockedDomains(ctx context.Context) ([]BlockedDomain, error) {
	rows, err := s.queryRows(ctx, s.read, `SELECT b.domain, b.note, COALESCE(u.name, ''), b.created_at
		FROM fed_blocked_domains b LEFT JOIN users u ON u.id = b.created_by ORDER BY b.domain`)
	if err != nil {
		return nil, fmt.Errorf("list blocked domains: %w", err)
	}
	defer rows.Close()
	var out []BlockedDomain
	for rows.Next() {
		var b BlockedDomain
		var at nullTime
		if err := rows.Scan(&b.Domain, &b.Note, &b.AddedBy, &at); err != nil {
			return nil, err
		}
		b.CreatedAt = at.Time
		out = append(out, b)
	}
	return out, rows.Err()
}

// BlockDomain adds domain to the blocklist and, in the same transaction,
// drops the followers and follow requests whose ids inDomain says are on
// it.
func (s *Store) BlockDomain(ctx context.Context, domain, note string, by int64, now time.Time, inDomain func(actorID string) bool) error {
	var creator any // NULL: no account (a script)
	if by != 0 {
		creator = by
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := s.exec(ctx, tx, `INSERT INTO fed_blocked_domains (domain, note, created_by, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (domain) DO UPDATE SET note = excluded.note`, domain, note, creator, now); err != nil {
			return err
		}
		for _, table := range []string{"fed_followers", "fed_follow_requests"} {
			rows, err := s.queryRows(ctx, tx, `SELECT DISTINCT follower FROM `+table)
			if err != nil {
				return err
			}
			var drop []string
			for rows.Next() {
				var f string
				if err := rows.Scan(&f); err != nil {
					rows.Close()
					return err
				}
				if inDomain(f) {
					drop = append(drop, f)
				}
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			for _, f := range drop {
				if _, err := s.exec(ctx, tx, `DELETE FROM `+table+` WHERE follower = ?`, f); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("block %s: %w", domain, err)
	}
	return nil
}

// UnblockDomain removes domain from the blocklist.
func (s *Store) UnblockDomain(ctx context.Context, domain string) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		_, err := s.exec(ctx, tx, `DELETE FROM fed_blocked_domains WHERE domain = ?`, domain)
		return err
	})
	if err != nil {
		return fmt.Errorf("unblock %s: %w", domain, err)
	}
	return nil
}
