package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// FedRemote is how a remote server, by host, answers deliveries.
type FedRemote struct {
	Host         string
	FailingSince time.Time // zero while it answers
	DeadSince    time.Time // zero while alive: it has been given up on
	AnsweredAt   time.Time // when it first answered, or last answered after failing
	LastError    string
}

// RecordFedAnswer records the outcome of a delivery to host: answered
// (any HTTP answer but a server error) or not, with why. A host that has
// not answered since deadAfter ago is dead from then on, until it
// answers again. It reports whether the host is now dead, and whether it
// died just now.
func (s *Store) RecordFedAnswer(ctx context.Context, host string, answered bool, errText string, now time.Time, deadAfter time.Duration) (dead, newly bool, err error) {
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		if answered {
			_, err := s.exec(ctx, tx, `INSERT INTO fed_remotes (host, answered_at) VALUES (?, ?)
				ON CONFLICT (host) DO UPDATE SET failing_since = NULL, dead_since = NULL, probed_at = NULL, answered_at = excluded.answered_at, last_error = ''`,
				host, now)
			return err
		}
		_, err := s.exec(ctx, tx, `INSERT INTO fed_remotes (host, failing_since, last_error) VALUES (?, ?, ?)
			ON CONFLICT (host) DO UPDATE SET failing_since = COALESCE(fed_remotes.failing_since, excluded.failing_since), last_error = excluded.last_error`,
			host, now, errText)
		if err != nil {
			return err
		}
		res, err := s.exec(ctx, tx, `UPDATE fed_remotes SET dead_since = ?, probed_at = ?
			WHERE host = ? AND dead_since IS NULL AND failing_since <= ?`, now, now, host, now.Add(-deadAfter))
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if newly = n == 1; newly || err != nil {
			dead = newly
			return err
		}
		return s.queryRow(ctx, tx, `SELECT dead_since IS NOT NULL FROM fed_remotes WHERE host = ?`, host).Scan(&dead)
	})
	if err != nil {
		return false, false, fmt.Errorf("record how %s answered: %w", host, err)
	}
	return dead, newly, nil
}

// ClaimFedProbe decides whether a delivery to host may be attempted: yes
// when the host is not dead, and for a dead host once every every (the
// caller that gets true makes that one attempt; others at the same
// moment get false). healthy reports that the host is known and was
// answering, so that a success need not be recorded.
func (s *Store) ClaimFedProbe(ctx context.Context, host string, now time.Time, every time.Duration) (try, healthy bool, err error) {
	var failing, dead bool
	err = s.queryRow(ctx, s.read, `SELECT failing_since IS NOT NULL, dead_since IS NOT NULL FROM fed_remotes WHERE host = ?`, host).Scan(&failing, &dead)
	if errors.Is(err, sql.ErrNoRows) {
		return true, false, nil
	}
	if err != nil {
		return false, false, fmt.Errorf("check whether %s is given up on: %w", host, err)
	}
	if !dead {
		return true, !failing, nil
	}
	var n int64
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := s.exec(ctx, tx, `UPDATE fed_remotes SET probed_at = ?
			WHERE host = ? AND dead_since IS NOT NULL AND (probed_at IS NULL OR probed_at <= ?)`, now, host, now.Add(-every))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return false, false, fmt.Errorf("claim a probe of %s: %w", host, err)
	}
	return n == 1, false, nil
}

// DeadFedRemotes lists the hosts given up on, longest dead first.
func (s *Store) DeadFedRemotes(ctx context.Context) ([]FedRemote, error) {
	rows, err := s.queryRows(ctx, s.read, `SELECT host, failing_since, dead_since, answered_at, last_error FROM fed_remotes
		WHERE dead_since IS NOT NULL ORDER BY dead_since, host`)
	if err != nil {
		return nil, fmt.Errorf("list dead remotes: %w", err)
	}
	defer rows.Close()
	var out []FedRemote
	for rows.Next() {
		var r FedRemote
		var failing, dead, answered nullTime
		if err := rows.Scan(&r.Host, &failing, &dead, &answered, &r.LastError); err != nil {
			return nil, fmt.Errorf("list dead remotes: %w", err)
		}
		r.FailingSince, r.DeadSince, r.AnsweredAt = failing.Time, dead.Time, answered.Time
		out = append(out, r)
	}
	return out, rows.Err()
}

// FedLeaseOwners lists the workers holding deliveries leased now.
func (s *Store) FedLeaseOwners(ctx context.Context) ([]string, error) {
	rows, err := s.queryRows(ctx, s.read, `SELECT DISTINCT lease_owner FROM fed_deliveries WHERE state = 'sending' ORDER BY lease_owner`)
	if err != nil {
		return nil, fmt.Errorf("list federation workers: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var o string
		if err := rows.Scan(&o); err != nil {
			return nil, fmt.Errorf("list federation workers: %w", err)
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// RequeueFedLeasesOf puts the deliveries leased to owner, a worker known
// to be gone, back in the queue at once (rather than when the lease runs
// out).
func (s *Store) RequeueFedLeasesOf(ctx context.Context, owner string, now time.Time) (int, error) {
	var n int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := s.exec(ctx, tx, `UPDATE fed_deliveries SET state = 'queued', next_at = ?, lease_owner = '', lease_until = NULL
			WHERE state = 'sending' AND lease_owner = ?`, now, owner)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("requeue the deliveries of %s: %w", owner, err)
	}
	return int(n), nil
}
