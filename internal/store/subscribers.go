package store

// Subscribers as a list: CSV imports (all in one transaction) and exports.

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// ImportedSubscriber is one address of an import, confirmed elsewhere.
type ImportedSubscriber struct {
	Email        string
	Name         string
	SubscribedAt time.Time
}

// ImportSubscribers makes every address in list a confirmed subscriber of
// the newsletter, in one transaction: all of them or, on an error, none.
// An address on the suppression list for the newsletter (or for all) is
// left out and returned in suppressed, so that an import never undoes an
// unsubscribe, a bounce or a complaint; one already confirmed is counted
// in already. A reader's name is filled in only where none is known.
func (s *Store) ImportSubscribers(ctx context.Context, newsletterID int64, list []ImportedSubscriber, now time.Time) (added, already int, suppressed []string, err error) {
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		added, already, suppressed = 0, 0, nil
		for _, in := range list {
			var n int
			if err := s.queryRow(ctx, tx, `SELECT COUNT(*) FROM mail_suppressions WHERE email = ? AND newsletter_id IN (0, ?)`,
				in.Email, newsletterID).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				suppressed = append(suppressed, in.Email)
				continue
			}
			readerID, err := s.readerIDFor(ctx, tx, in.Email, now)
			if err != nil {
				return err
			}
			if in.Name != "" {
				if _, err := s.exec(ctx, tx, `UPDATE readers SET name = ? WHERE id = ? AND name = ''`, in.Name, readerID); err != nil {
					return err
				}
			}
			res, err := s.exec(ctx, tx, `INSERT INTO subscriptions (newsletter_id, reader_id, status, created_at, confirmed_at, changed_at)
				VALUES (?, ?, 'confirmed', ?, ?, ?)
				ON CONFLICT (newsletter_id, reader_id) DO UPDATE SET status = 'confirmed', confirm_hash = NULL,
					confirmed_at = excluded.confirmed_at, changed_at = excluded.changed_at
				WHERE subscriptions.status <> 'confirmed'`, newsletterID, readerID, now, in.SubscribedAt, now)
			if err != nil {
				return err
			}
			if k, _ := res.RowsAffected(); k == 0 {
				already++
			} else {
				added++
			}
		}
		return nil
	})
	if err != nil {
		return 0, 0, nil, fmt.Errorf("import subscribers of newsletter %d: %w", newsletterID, err)
	}
	return added, already, suppressed, nil
}

// CountSubscribers counts a newsletter's confirmed subscribers.
func (s *Store) CountSubscribers(ctx context.Context, newsletterID int64) (int, error) {
	var n int
	if err := s.queryRow(ctx, s.read, `SELECT COUNT(*) FROM subscriptions WHERE newsletter_id = ? AND status = 'confirmed'`,
		newsletterID).Scan(&n); err != nil {
		return 0, fmt.Errorf("count subscribers of newsletter %d: %w", newsletterID, err)
	}
	return n, nil
}

// ConfirmedSubscribers lists a newsletter's confirmed subscribers not on
// the suppression list, by address.
func (s *Store) ConfirmedSubscribers(ctx context.Context, newsletterID int64) ([]ImportedSubscriber, error) {
	rows, err := s.queryRows(ctx, s.read, `SELECT r.email, r.name, s.confirmed_at FROM subscriptions s JOIN readers r ON r.id = s.reader_id
		WHERE s.newsletter_id = ? AND s.status = 'confirmed'
		AND NOT EXISTS (SELECT 1 FROM mail_suppressions m WHERE m.email = r.email AND m.newsletter_id IN (0, ?))
		ORDER BY r.email`, newsletterID, newsletterID)
	if err != nil {
		return nil, fmt.Errorf("list subscribers of newsletter %d: %w", newsletterID, err)
	}
	defer rows.Close()
	var out []ImportedSubscriber
	for rows.Next() {
		var sub ImportedSubscriber
		var since nullTime
		if err := rows.Scan(&sub.Email, &sub.Name, &since); err != nil {
			return nil, fmt.Errorf("list subscribers of newsletter %d: %w", newsletterID, err)
		}
		sub.SubscribedAt = since.Time
		out = append(out, sub)
	}
	return out, rows.Err()
}

// DeliveryCounts counts every newsletter's queued messages by state:
// newsletter id → state → count, and under "sent_recent" those sent
// after recent (for the rate).
func (s *Store) DeliveryCounts(ctx context.Context, recent time.Time) (map[int64]map[string]int, error) {
	rows, err := s.queryRows(ctx, s.read, `SELECT i.newsletter_id, d.state, COUNT(*) FROM newsletter_deliveries d
		JOIN newsletter_issues i ON i.id = d.issue_id GROUP BY i.newsletter_id, d.state
		UNION ALL SELECT i.newsletter_id, 'sent_recent', COUNT(*) FROM newsletter_deliveries d
		JOIN newsletter_issues i ON i.id = d.issue_id WHERE d.state = 'sent' AND d.done_at > ? GROUP BY i.newsletter_id`, recent)
	if err != nil {
		return nil, fmt.Errorf("count deliveries: %w", err)
	}
	defer rows.Close()
	out := map[int64]map[string]int{}
	for rows.Next() {
		var id int64
		var state string
		var n int
		if err := rows.Scan(&id, &state, &n); err != nil {
			return nil, fmt.Errorf("count deliveries: %w", err)
		}
		if out[id] == nil {
			out[id] = map[string]int{}
		}
		out[id][state] = n
	}
	return out, rows.Err()
}
