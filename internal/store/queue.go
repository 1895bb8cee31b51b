package store

// The send queues — newsletter_deliveries and staff_mail — share their
// states and leases: a row is "queued" until a worker leases it
// ("sending"), then "sent", "failed", "skipped", "queued" again for a
// retry, or "unknown" when its worker stopped mid-send (never sent twice).

import (
	"context"
	"database/sql"
	"time"
)

// leaseNext hands the next due row of queue table to owner until until
// and scans its columns returning into dest; sql.ErrNoRows when none is
// due. key names the row (its primary key's columns, also its order among
// rows due at once). A row is leased by one worker only: PostgreSQL skips
// rows another transaction holds (FOR UPDATE SKIP LOCKED) and the outer
// state check refuses a row taken meanwhile; SQLite has a single writer.
func (s *Store) leaseNext(ctx context.Context, table, key, returning, owner string, now, until time.Time, dest ...any) error {
	lock := ""
	if !s.dialect.sqlite() {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		return s.queryRow(ctx, tx, `UPDATE `+table+` SET state = 'sending', lease_owner = ?, lease_until = ?, attempts = attempts + 1
			WHERE state = 'queued' AND (`+key+`) = (SELECT `+key+` FROM `+table+`
				WHERE state = 'queued' AND next_at <= ? ORDER BY next_at, `+key+` LIMIT 1`+lock+`)
			RETURNING `+returning, owner, until, now).Scan(dest...)
	})
}

// finishLeased records what became of the row of queue table whose key
// columns (key, "a = ? AND b = ?") hold keyArgs: state "sent", "failed" or
// "skipped", or "queued" again at next (a retry). Only the worker holding
// the lease records it; news.ErrNotFound otherwise.
func (s *Store) finishLeased(ctx context.Context, table, key string, keyArgs []any, owner, state, errText string, next, now time.Time) error {
	done := now
	if state == "queued" {
		done = time.Time{}
	}
	args := append([]any{state, errText, next, done}, keyArgs...)
	return s.inTx(ctx, func(tx *sql.Tx) error {
		return s.execOne(ctx, tx, `UPDATE `+table+` SET state = ?, error = ?, next_at = COALESCE(?, next_at), done_at = ?, lease_owner = '', lease_until = NULL
			WHERE `+key+` AND lease_owner = ? AND state IN ('sending', 'unknown')`, append(args, owner)...)
	})
}

// expireLeases marks the rows of queue table whose lease ran out while
// sending as "unknown": their worker stopped (a crash, a kill) after
// leasing and before recording, so whether the server took the message
// cannot be known, and sending it again could send it twice.
func (s *Store) expireLeases(ctx context.Context, table string, now time.Time) (int, error) {
	var n int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := s.exec(ctx, tx, `UPDATE `+table+` SET state = 'unknown', done_at = ?,
			error = 'the sender stopped during delivery; not sent again so as never to send twice'
			WHERE state = 'sending' AND lease_until < ?`, now, now)
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		return nil
	})
	return int(n), err
}
