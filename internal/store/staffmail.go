package store

// Mail to members of staff about the workflow (staff_mail; see
// migrations/sqlite/0045): queued with the step that calls for it, leased
// and recorded as newsletter deliveries are.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"masthead/internal/news"
)

// StaffMail is one queued message about an article's workflow event,
// leased to a worker.
type StaffMail struct {
	EventID, UserID, ArticleID int64
	Attempts                   int // this one included
}

// queueStaffMail queues a message about event eventID of article
// articleID to each member of staff in to.
func (s *Store) queueStaffMail(ctx context.Context, tx *sql.Tx, eventID, articleID int64, to []int64, now time.Time) error {
	for _, id := range to {
		if _, err := s.exec(ctx, tx, `INSERT INTO staff_mail (event_id, user_id, article_id, state, next_at) VALUES (?, ?, ?, 'queued', ?)
			ON CONFLICT DO NOTHING`, eventID, id, articleID, now); err != nil {
			return fmt.Errorf("queue mail to staff %d about article %d: %w", id, articleID, err)
		}
	}
	return nil
}

// WorkflowMailTo narrows a workflow event's audience to the members of
// staff who get mail about it: those of roles, and those in ids, who are
// active and have not turned that mail off.
func (s *Store) WorkflowMailTo(ctx context.Context, roles []news.Role, ids []int64) ([]int64, error) {
	if len(roles)+len(ids) == 0 {
		return nil, nil
	}
	args := make([]any, 0, len(roles)+len(ids))
	for _, r := range roles {
		args = append(args, r)
	}
	for _, id := range ids {
		args = append(args, id)
	}
	cond := "FALSE"
	if len(roles) > 0 {
		cond = "role IN (" + placeholders(len(roles)) + ")"
	}
	if len(ids) > 0 {
		cond += " OR id IN (" + placeholders(len(ids)) + ")"
	}
	var out []int64
	rows, err := s.queryRows(ctx, s.read, `SELECT id FROM users WHERE NOT disabled AND workflow_mail AND (`+cond+`) ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("workflow mail's recipients: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// WorkflowMail reports whether a member of staff gets mail about the workflow.
func (s *Store) WorkflowMail(ctx context.Context, userID int64) (bool, error) {
	var on bool
	err := s.queryRow(ctx, s.read, `SELECT workflow_mail FROM users WHERE id = ?`, userID).Scan(&on)
	if errors.Is(err, sql.ErrNoRows) {
		return false, news.ErrNotFound
	}
	if err != nil {
		return false, fmt.Errorf("staff %d's workflow mail: %w", userID, err)
	}
	return on, nil
}

// SetWorkflowMail turns a member of staff's mail about the workflow on or
// off; what is queued for them meanwhile is sent or skipped as the setting
// stands when its turn comes.
func (s *Store) SetWorkflowMail(ctx context.Context, userID int64, on bool) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		return s.execOne(ctx, tx, `UPDATE users SET workflow_mail = ?, updated_at = ? WHERE id = ?`, on, s.clock.Now(), userID)
	})
}

// LeaseStaffMail hands the next due message to owner until until, or
// news.ErrNotFound when none is due (see leaseNext).
func (s *Store) LeaseStaffMail(ctx context.Context, owner string, now, until time.Time) (*StaffMail, error) {
	var m StaffMail
	err := s.leaseNext(ctx, "staff_mail", "event_id, user_id", "event_id, user_id, article_id, attempts", owner, now, until,
		&m.EventID, &m.UserID, &m.ArticleID, &m.Attempts)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, news.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("lease staff mail: %w", err)
	}
	return &m, nil
}

// FinishStaffMail records what became of a leased message (see finishLeased).
func (s *Store) FinishStaffMail(ctx context.Context, m *StaffMail, owner, state, errText string, next, now time.Time) error {
	err := s.finishLeased(ctx, "staff_mail", "event_id = ? AND user_id = ?", []any{m.EventID, m.UserID}, owner, state, errText, next, now)
	if err != nil {
		return fmt.Errorf("record mail to staff %d about event %d: %w", m.UserID, m.EventID, err)
	}
	return nil
}

// ExpireStaffMailLeases marks messages whose lease ran out while sending
// as "unknown" (see expireLeases).
func (s *Store) ExpireStaffMailLeases(ctx context.Context, now time.Time) error {
	if _, err := s.expireLeases(ctx, "staff_mail", now); err != nil {
		return fmt.Errorf("expire staff mail leases: %w", err)
	}
	return nil
}

// StaffMailStates lists the messages about an article's events, by event
// and recipient, with their states (for tests and the command line).
func (s *Store) StaffMailStates(ctx context.Context, articleID int64) (map[[2]int64]string, error) {
	rows, err := s.queryRows(ctx, s.read, `SELECT event_id, user_id, state FROM staff_mail WHERE article_id = ?`, articleID)
	if err != nil {
		return nil, fmt.Errorf("staff mail about article %d: %w", articleID, err)
	}
	defer rows.Close()
	out := map[[2]int64]string{}
	for rows.Next() {
		var k [2]int64
		var st string
		if err := rows.Scan(&k[0], &k[1], &st); err != nil {
			return nil, err
		}
		out[k] = st
	}
	return out, rows.Err()
}

// ArticleEvent returns one event of an article's history.
func (s *Store) ArticleEvent(ctx context.Context, id int64) (news.Event, error) {
	rows, err := s.queryRows(ctx, s.read, `SELECT `+eventColumns+`
		FROM article_events e LEFT JOIN users u ON u.id = e.user_id WHERE e.id = ?`, id)
	if err != nil {
		return news.Event{}, fmt.Errorf("event %d: %w", id, err)
	}
	events, err := scanEvents(rows)
	if err != nil {
		return news.Event{}, fmt.Errorf("event %d: %w", id, err)
	}
	if len(events) == 0 {
		return news.Event{}, news.ErrNotFound
	}
	return events[0], nil
}
