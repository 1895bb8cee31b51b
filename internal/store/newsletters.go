package store

// Newsletters: the lists, their subscriptions (double opt-in), the
// suppression list, issues and the durable send queue
// (newsletter_deliveries; see the migration for its states).

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"masthead/internal/news"
)

const newsletterColumns = `n.id, n.slug, n.name, n.description, n.kind, n.topic_id, n.from_name, n.from_email, n.created_at, n.schedule, n.schedule_since`

func scanNewsletter(sc interface{ Scan(...any) error }, extra ...any) (*news.Newsletter, error) {
	var n news.Newsletter
	var topic sql.NullInt64
	var created, since nullTime
	var schedule string
	if err := sc.Scan(append([]any{&n.ID, &n.Slug, &n.Name, &n.Description, &n.Kind, &topic, &n.FromName, &n.FromEmail, &created, &schedule, &since}, extra...)...); err != nil {
		return nil, err
	}
	n.TopicID, n.CreatedAt, n.ScheduleSince = topic.Int64, created.Time, since.Time
	// Written only from a parsed Schedule; a value this version cannot
	// read is no schedule.
	n.Schedule, _ = news.ParseSchedule(schedule)
	return &n, nil
}

// CreateNewsletter stores a new newsletter and sets its ID;
// news.ErrConflict when its slug is taken.
func (s *Store) CreateNewsletter(ctx context.Context, n *news.Newsletter) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		n.ID, err = s.insert(ctx, tx, `INSERT INTO newsletters (slug, name, description, kind, topic_id, from_name, from_email, created_at, schedule, schedule_since)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, n.Slug, n.Name, n.Description, string(n.Kind), nullID(n.TopicID), n.FromName, n.FromEmail, n.CreatedAt,
			n.Schedule.String(), n.CreatedAt)
		return err
	})
	if isUniqueViolation(err) {
		return fmt.Errorf("create newsletter %q: %w", n.Slug, news.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("create newsletter %q: %w", n.Slug, err)
	}
	return nil
}

// UpdateNewsletter saves a newsletter's fields; news.ErrConflict when its
// new slug is taken, news.ErrNotFound when it is gone. A changed schedule
// counts from now: its schedule_since becomes now.
func (s *Store) UpdateNewsletter(ctx context.Context, n *news.Newsletter, now time.Time) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := s.exec(ctx, tx, `UPDATE newsletters SET slug = ?, name = ?, description = ?, kind = ?, topic_id = ?, from_name = ?, from_email = ?,
			schedule_since = CASE WHEN schedule = ? THEN schedule_since ELSE ? END, schedule = ?
			WHERE id = ?`, n.Slug, n.Name, n.Description, string(n.Kind), nullID(n.TopicID), n.FromName, n.FromEmail,
			n.Schedule.String(), now, n.Schedule.String(), n.ID)
		if err != nil {
			return err
		}
		if k, _ := res.RowsAffected(); k == 0 {
			return news.ErrNotFound
		}
		return nil
	})
	if isUniqueViolation(err) {
		return fmt.Errorf("update newsletter %q: %w", n.Slug, news.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("update newsletter %d: %w", n.ID, err)
	}
	return nil
}

// Newsletters lists every newsletter by name, with its confirmed
// subscribers counted.
func (s *Store) Newsletters(ctx context.Context) ([]news.Newsletter, error) {
	rows, err := s.queryRows(ctx, s.read, `SELECT `+newsletterColumns+`,
		(SELECT COUNT(*) FROM subscriptions s WHERE s.newsletter_id = n.id AND s.status = 'confirmed')
		FROM newsletters n ORDER BY n.name, n.id`)
	if err != nil {
		return nil, fmt.Errorf("list newsletters: %w", err)
	}
	defer rows.Close()
	var out []news.Newsletter
	for rows.Next() {
		var count int
		n, err := scanNewsletter(rows, &count)
		if err != nil {
			return nil, fmt.Errorf("list newsletters: %w", err)
		}
		n.Subscribers = count
		out = append(out, *n)
	}
	return out, rows.Err()
}

// Newsletter loads a newsletter by id, or by slug when id is 0;
// news.ErrNotFound for none.
func (s *Store) Newsletter(ctx context.Context, id int64, slug string) (*news.Newsletter, error) {
	cond, arg := `n.id = ?`, any(id)
	if id == 0 {
		cond, arg = `n.slug = ?`, slug
	}
	n, err := scanNewsletter(s.queryRow(ctx, s.read, `SELECT `+newsletterColumns+` FROM newsletters n WHERE `+cond, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, news.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load newsletter: %w", err)
	}
	return n, nil
}

// Subscribe records that email asked for a newsletter, waiting for the
// confirmation whose token hashes to confirmHash: the reader (an address
// without an account) is created if need be, and a subscription that is
// not confirmed becomes pending with the new link. It returns the status
// the subscription had ("" for none): a confirmed one stays confirmed.
func (s *Store) Subscribe(ctx context.Context, newsletterID int64, email, confirmHash string, now time.Time) (before string, err error) {
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		readerID, err := s.readerIDFor(ctx, tx, email, now)
		if err != nil {
			return err
		}
		err = s.queryRow(ctx, tx, `SELECT status FROM subscriptions WHERE newsletter_id = ? AND reader_id = ?`, newsletterID, readerID).Scan(&before)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			// A second sign-up of the address in the same moment may have
			// inserted it since: then this one's link replaces its link.
			res, err := s.exec(ctx, tx, `INSERT INTO subscriptions (newsletter_id, reader_id, status, confirm_hash, created_at, changed_at)
				VALUES (?, ?, 'pending', ?, ?, ?) ON CONFLICT (newsletter_id, reader_id) DO NOTHING`, newsletterID, readerID, confirmHash, now, now)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil || n == 1 {
				return err
			}
		case err != nil:
			return err
		case before == news.SubscriptionConfirmed:
			return nil
		}
		_, err = s.exec(ctx, tx, `UPDATE subscriptions SET status = 'pending', confirm_hash = ?, changed_at = ?
			WHERE newsletter_id = ? AND reader_id = ? AND status <> 'confirmed'`, confirmHash, now, newsletterID, readerID)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("subscribe %s to newsletter %d: %w", email, newsletterID, err)
	}
	return before, nil
}

// readerIDFor returns the id of the reader with email, creating one (no
// account) if need be. Two sign-ups of a new address at once (to two
// newsletters) both find no reader: the insert that comes second does
// nothing, and both read the one row.
func (s *Store) readerIDFor(ctx context.Context, tx *sql.Tx, email string, now time.Time) (int64, error) {
	if _, err := s.exec(ctx, tx, `INSERT INTO readers (email, created_at) VALUES (?, ?) ON CONFLICT (email) DO NOTHING`, email, now); err != nil {
		return 0, err
	}
	var id int64
	err := s.queryRow(ctx, tx, `SELECT id FROM readers WHERE email = ?`, email).Scan(&id)
	return id, err
}

// ConfirmSubscription follows a confirmation link: the pending
// subscription whose link hashes to confirmHash, changed after notBefore,
// becomes confirmed, and the address's own unsubscribe from that
// newsletter is lifted (this is a new, confirmed request; bounces and
// complaints stay). It returns the newsletter and the address;
// news.ErrNotFound for a link unknown, used or expired.
func (s *Store) ConfirmSubscription(ctx context.Context, confirmHash string, notBefore, now time.Time) (*news.Newsletter, string, error) {
	var n *news.Newsletter
	var email string
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var newsletterID, readerID int64
		err := s.queryRow(ctx, tx, `SELECT s.newsletter_id, s.reader_id, r.email FROM subscriptions s JOIN readers r ON r.id = s.reader_id
			WHERE s.confirm_hash = ? AND s.status = 'pending' AND s.changed_at > ?`, confirmHash, notBefore).Scan(&newsletterID, &readerID, &email)
		if errors.Is(err, sql.ErrNoRows) {
			return news.ErrNotFound
		}
		if err != nil {
			return err
		}
		if _, err := s.exec(ctx, tx, `UPDATE subscriptions SET status = 'confirmed', confirm_hash = NULL, confirmed_at = ?, changed_at = ?
			WHERE newsletter_id = ? AND reader_id = ?`, now, now, newsletterID, readerID); err != nil {
			return err
		}
		if _, err := s.exec(ctx, tx, `DELETE FROM mail_suppressions WHERE email = ? AND newsletter_id = ? AND reason = 'unsubscribe'`,
			email, newsletterID); err != nil {
			return err
		}
		n, err = scanNewsletter(s.queryRow(ctx, tx, `SELECT `+newsletterColumns+` FROM newsletters n WHERE n.id = ?`, newsletterID))
		return err
	})
	if err != nil {
		return nil, "", fmt.Errorf("confirm subscription: %w", err)
	}
	return n, email, nil
}

// Unsubscribe ends a reader's subscription to a newsletter and puts the
// address on the suppression list for it, in one transaction; an
// unsubscribed or unknown subscription is left as it is (unsubscribing
// twice is not an error).
func (s *Store) Unsubscribe(ctx context.Context, readerID, newsletterID int64, now time.Time) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := s.exec(ctx, tx, `UPDATE subscriptions SET status = 'unsubscribed', confirm_hash = NULL, changed_at = ?
			WHERE newsletter_id = ? AND reader_id = ? AND status <> 'unsubscribed'`, now, newsletterID, readerID); err != nil {
			return err
		}
		_, err := s.exec(ctx, tx, `INSERT INTO mail_suppressions (email, newsletter_id, reason, created_at)
			SELECT email, ?, 'unsubscribe', ? FROM readers WHERE id = ? ON CONFLICT DO NOTHING`, newsletterID, now, readerID)
		return err
	})
	if err != nil {
		return fmt.Errorf("unsubscribe reader %d from newsletter %d: %w", readerID, newsletterID, err)
	}
	return nil
}

// Suppress puts an address on the suppression list for one newsletter, or
// all of them (newsletterID 0); an existing entry stays as it is.
func (s *Store) Suppress(ctx context.Context, email string, newsletterID int64, reason, detail string, now time.Time) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		_, err := s.exec(ctx, tx, `INSERT INTO mail_suppressions (email, newsletter_id, reason, detail, created_at)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, email, newsletterID, reason, detail, now)
		return err
	})
	if err != nil {
		return fmt.Errorf("suppress %s: %w", email, err)
	}
	return nil
}

// ReaderSubscriptions lists every newsletter with the reader's status for
// it ("" for never subscribed).
func (s *Store) ReaderSubscriptions(ctx context.Context, readerID int64) ([]news.Subscription, error) {
	rows, err := s.queryRows(ctx, s.read, `SELECT `+newsletterColumns+`, COALESCE(s.status, '')
		FROM newsletters n LEFT JOIN subscriptions s ON s.newsletter_id = n.id AND s.reader_id = ?
		ORDER BY n.name, n.id`, readerID)
	if err != nil {
		return nil, fmt.Errorf("list reader %d's subscriptions: %w", readerID, err)
	}
	defer rows.Close()
	var out []news.Subscription
	for rows.Next() {
		var status string
		n, err := scanNewsletter(rows, &status)
		if err != nil {
			return nil, fmt.Errorf("list reader %d's subscriptions: %w", readerID, err)
		}
		out = append(out, news.Subscription{Newsletter: *n, Status: status})
	}
	return out, rows.Err()
}

// CreateIssue stores an issue and queues it, in one transaction, to every
// confirmed subscriber not on the suppression list, due at now; it sets
// the issue's ID and Recipients.
func (s *Store) CreateIssue(ctx context.Context, is *news.NewsletterIssue, createdBy int64) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error { return s.createIssue(ctx, tx, is, createdBy) })
	if err != nil {
		return fmt.Errorf("queue an issue of newsletter %d: %w", is.NewsletterID, err)
	}
	return nil
}

func (s *Store) createIssue(ctx context.Context, tx *sql.Tx, is *news.NewsletterIssue, createdBy int64) error {
	var err error
	is.ID, err = s.insert(ctx, tx, `INSERT INTO newsletter_issues (newsletter_id, subject, markdown, html, text, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, is.NewsletterID, is.Subject, is.Markdown, is.HTML, is.Text, nullID(createdBy), is.CreatedAt)
	if err != nil {
		return err
	}
	res, err := s.exec(ctx, tx, `INSERT INTO newsletter_deliveries (issue_id, email, reader_id, state, next_at)
			SELECT ?, r.email, r.id, 'queued', ? FROM subscriptions s JOIN readers r ON r.id = s.reader_id
			WHERE s.newsletter_id = ? AND s.status = 'confirmed'
			AND NOT EXISTS (SELECT 1 FROM mail_suppressions m WHERE m.email = r.email AND m.newsletter_id IN (0, ?))`,
		is.ID, is.CreatedAt, is.NewsletterID, is.NewsletterID)
	if err != nil {
		return err
	}
	n, _ := res.RowsAffected()
	is.Recipients = int(n)
	_, err = s.exec(ctx, tx, `UPDATE newsletter_issues SET recipients = ? WHERE id = ?`, n, is.ID)
	return err
}

const issueColumns = `i.id, i.newsletter_id, i.subject, i.markdown, i.html, i.text, i.created_at, i.recipients`

func scanIssue(sc interface{ Scan(...any) error }) (*news.NewsletterIssue, error) {
	var is news.NewsletterIssue
	var created nullTime
	if err := sc.Scan(&is.ID, &is.NewsletterID, &is.Subject, &is.Markdown, &is.HTML, &is.Text, &created, &is.Recipients); err != nil {
		return nil, err
	}
	is.CreatedAt = created.Time
	return &is, nil
}

// Issue loads an issue; news.ErrNotFound for none.
func (s *Store) Issue(ctx context.Context, id int64) (*news.NewsletterIssue, error) {
	is, err := scanIssue(s.queryRow(ctx, s.read, `SELECT `+issueColumns+` FROM newsletter_issues i WHERE i.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, news.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load issue %d: %w", id, err)
	}
	return is, nil
}

// Issues lists a newsletter's issues, newest first.
func (s *Store) Issues(ctx context.Context, newsletterID int64, limit int) ([]news.NewsletterIssue, error) {
	rows, err := s.queryRows(ctx, s.read, `SELECT `+issueColumns+` FROM newsletter_issues i WHERE i.newsletter_id = ?
		ORDER BY i.created_at DESC, i.id DESC LIMIT ?`, newsletterID, limit)
	if err != nil {
		return nil, fmt.Errorf("list issues: %w", err)
	}
	defer rows.Close()
	var out []news.NewsletterIssue
	for rows.Next() {
		is, err := scanIssue(rows)
		if err != nil {
			return nil, fmt.Errorf("list issues: %w", err)
		}
		out = append(out, *is)
	}
	return out, rows.Err()
}

// Delivery is one queued message leased to a worker.
type Delivery struct {
	IssueID  int64
	Email    string
	ReaderID int64
	Attempts int // this one included
}

// LeaseDelivery hands the next due delivery to owner until until, or
// news.ErrNotFound when none is due (see leaseNext).
func (s *Store) LeaseDelivery(ctx context.Context, owner string, now, until time.Time) (*Delivery, error) {
	var d Delivery
	err := s.leaseNext(ctx, "newsletter_deliveries", "issue_id, email", "issue_id, email, reader_id, attempts", owner, now, until,
		&d.IssueID, &d.Email, &d.ReaderID, &d.Attempts)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, news.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("lease a delivery: %w", err)
	}
	return &d, nil
}

// FinishDelivery records what became of a leased delivery (see finishLeased).
func (s *Store) FinishDelivery(ctx context.Context, d *Delivery, owner, state, errText string, next, now time.Time) error {
	err := s.finishLeased(ctx, "newsletter_deliveries", "issue_id = ? AND email = ?", []any{d.IssueID, d.Email}, owner, state, errText, next, now)
	if err != nil {
		return fmt.Errorf("record delivery of issue %d to %s: %w", d.IssueID, d.Email, err)
	}
	return nil
}

// ExpireDeliveryLeases marks deliveries whose lease ran out while sending
// as "unknown" (see expireLeases).
func (s *Store) ExpireDeliveryLeases(ctx context.Context, now time.Time) (int, error) {
	n, err := s.expireLeases(ctx, "newsletter_deliveries", now)
	if err != nil {
		return 0, fmt.Errorf("expire delivery leases: %w", err)
	}
	return n, nil
}

// Suppressed reports whether email may not be sent newsletterID.
func (s *Store) Suppressed(ctx context.Context, email string, newsletterID int64) (bool, error) {
	var n int
	err := s.queryRow(ctx, s.read, `SELECT COUNT(*) FROM mail_suppressions WHERE email = ? AND newsletter_id IN (0, ?)`,
		email, newsletterID).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("check suppression of %s: %w", email, err)
	}
	return n > 0, nil
}

// IssueProgress counts an issue's deliveries by state, and those sent
// after recent (for the rate).
func (s *Store) IssueProgress(ctx context.Context, issueID int64, recent time.Time) (news.SendProgress, error) {
	var p news.SendProgress
	if err := s.queryRow(ctx, s.read, `SELECT COUNT(*) FROM newsletter_deliveries WHERE issue_id = ? AND state = 'sent' AND done_at > ?`,
		issueID, recent).Scan(&p.SentLastMinute); err != nil {
		return p, fmt.Errorf("count recent deliveries of issue %d: %w", issueID, err)
	}
	rows, err := s.queryRows(ctx, s.read, `SELECT state, COUNT(*) FROM newsletter_deliveries WHERE issue_id = ? GROUP BY state`, issueID)
	if err != nil {
		return p, fmt.Errorf("count deliveries of issue %d: %w", issueID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var state string
		var n int
		if err := rows.Scan(&state, &n); err != nil {
			return p, err
		}
		switch state {
		case "queued":
			p.Queued = n
		case "sending":
			p.Sending = n
		case "sent":
			p.Sent = n
		case "failed":
			p.Failed = n
		case "skipped":
			p.Skipped = n
		case "unknown":
			p.Unknown = n
		}
	}
	return p, rows.Err()
}
