package store

// Bounces: what the bounce intake learnt, and the suppressions it leads to.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"masthead/internal/news"
)

// DeliveryEmail is the address an issue was queued to for a reader, and
// the issue's newsletter; news.ErrNotFound when there was no such delivery.
func (s *Store) DeliveryEmail(ctx context.Context, issueID, readerID int64) (email string, newsletterID int64, err error) {
	err = s.queryRow(ctx, s.read, `SELECT d.email, i.newsletter_id FROM newsletter_deliveries d
		JOIN newsletter_issues i ON i.id = d.issue_id
		WHERE d.issue_id = ? AND d.reader_id = ?`, issueID, readerID).Scan(&email, &newsletterID)
	if errors.Is(err, sql.ErrNoRows) {
		return "", 0, news.ErrNotFound
	}
	if err != nil {
		return "", 0, fmt.Errorf("delivery of issue %d to reader %d: %w", issueID, readerID, err)
	}
	return email, newsletterID, nil
}

// BounceRecord is one bounce to record.
type BounceRecord struct {
	Email   string
	IssueID int64
	Hard    bool
	Status  string
	Detail  string
}

// RecordBounce records b and, in the same transaction, puts the address
// on the suppression list for every newsletter when the bounce is hard,
// or when it is soft and the address has had softLimit soft bounces
// (this one included) since since. It says whether the address is now
// suppressed.
func (s *Store) RecordBounce(ctx context.Context, b BounceRecord, softLimit int, since, now time.Time) (suppressed bool, err error) {
	kind := "soft"
	if b.Hard {
		kind = "hard"
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := s.exec(ctx, tx, `INSERT INTO mail_bounces (email, issue_id, kind, status, detail, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			b.Email, b.IssueID, kind, b.Status, b.Detail, now); err != nil {
			return err
		}
		suppressed = b.Hard
		if !b.Hard {
			var n int
			if err := s.queryRow(ctx, tx, `SELECT COUNT(*) FROM mail_bounces WHERE email = ? AND kind = 'soft' AND created_at >= ?`,
				b.Email, since).Scan(&n); err != nil {
				return err
			}
			suppressed = n >= softLimit
		}
		if !suppressed {
			return nil
		}
		detail := fmt.Sprintf("%s bounce %s: %s", kind, b.Status, b.Detail)
		_, err := s.exec(ctx, tx, `INSERT INTO mail_suppressions (email, newsletter_id, reason, detail, created_at)
			VALUES (?, 0, 'bounce', ?, ?) ON CONFLICT DO NOTHING`, b.Email, detail, now)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("record a bounce from %s: %w", b.Email, err)
	}
	return suppressed, nil
}
