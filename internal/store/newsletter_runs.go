package store

// Scheduled newsletters: the runs that make a scheduled issue go out once
// per newsletter and scheduled time (newsletter_runs), and the briefings
// editors prepare for the next one (newsletter_drafts).

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"masthead/internal/news"
)

// LastRun is when the newsletter's latest scheduled run happened, and
// whether the run of period is done.
func (s *Store) LastRun(ctx context.Context, newsletterID int64, period string) (last time.Time, done bool, err error) {
	var at nullTime
	var n int
	err = s.queryRow(ctx, s.read, `SELECT MAX(ran_at), COALESCE(SUM(CASE WHEN period = ? THEN 1 ELSE 0 END), 0)
		FROM newsletter_runs WHERE newsletter_id = ?`, period, newsletterID).Scan(&at, &n)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("newsletter %d's last run: %w", newsletterID, err)
	}
	return at.Time, n > 0, nil
}

// RecordRun records the run of a newsletter's scheduled period and, in
// the same transaction, queues its issue (nil: nothing to send) and
// removes the draft it was made of (saved at draftSaved; zero for none —
// a draft saved again since stays for the next time). It reports false, and queues nothing, when the period has
// already run — on another instance, or before a restart.
func (s *Store) RecordRun(ctx context.Context, newsletterID int64, period string, now time.Time, is *news.NewsletterIssue, createdBy int64, draftSaved time.Time) (bool, error) {
	ran := false
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := s.exec(ctx, tx, `INSERT INTO newsletter_runs (newsletter_id, period, ran_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
			newsletterID, period, now)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		ran = true
		if !draftSaved.IsZero() {
			if _, err := s.exec(ctx, tx, `DELETE FROM newsletter_drafts WHERE newsletter_id = ? AND saved_at <= ?`, newsletterID, draftSaved); err != nil {
				return err
			}
		}
		if is == nil {
			return nil
		}
		if err := s.createIssue(ctx, tx, is, createdBy); err != nil {
			return err
		}
		_, err = s.exec(ctx, tx, `UPDATE newsletter_runs SET issue_id = ? WHERE newsletter_id = ? AND period = ?`, is.ID, newsletterID, period)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("run newsletter %d for %s: %w", newsletterID, period, err)
	}
	return ran, nil
}

// SaveDraft keeps the briefing prepared for a newsletter's next
// scheduled time, replacing the one before.
func (s *Store) SaveDraft(ctx context.Context, d *news.BriefingDraft) error {
	ids := make([]string, len(d.Stories))
	for i, id := range d.Stories {
		ids[i] = strconv.FormatInt(id, 10)
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		_, err := s.exec(ctx, tx, `INSERT INTO newsletter_drafts (newsletter_id, subject, intro, stories, saved_by, saved_at)
			VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (newsletter_id) DO UPDATE SET subject = excluded.subject, intro = excluded.intro, stories = excluded.stories,
				saved_by = excluded.saved_by, saved_at = excluded.saved_at`,
			d.NewsletterID, d.Subject, d.Intro, strings.Join(ids, ","), nullID(d.SavedBy), d.SavedAt)
		return err
	})
	if err != nil {
		return fmt.Errorf("save the briefing prepared for newsletter %d: %w", d.NewsletterID, err)
	}
	return nil
}

// Draft loads the briefing prepared for a newsletter; news.ErrNotFound
// for none.
func (s *Store) Draft(ctx context.Context, newsletterID int64) (*news.BriefingDraft, error) {
	d := news.BriefingDraft{NewsletterID: newsletterID}
	var stories string
	var by sql.NullInt64
	var saved nullTime
	err := s.queryRow(ctx, s.read, `SELECT subject, intro, stories, saved_by, saved_at FROM newsletter_drafts WHERE newsletter_id = ?`,
		newsletterID).Scan(&d.Subject, &d.Intro, &stories, &by, &saved)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, news.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load the briefing prepared for newsletter %d: %w", newsletterID, err)
	}
	d.SavedBy, d.SavedAt = by.Int64, saved.Time
	for _, v := range strings.Split(stories, ",") {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			d.Stories = append(d.Stories, id)
		}
	}
	return &d, nil
}

// DeleteDraft drops the briefing prepared for a newsletter, if any.
func (s *Store) DeleteDraft(ctx context.Context, newsletterID int64) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		_, err := s.exec(ctx, tx, `DELETE FROM newsletter_drafts WHERE newsletter_id = ?`, newsletterID)
		return err
	})
	if err != nil {
		return fmt.Errorf("drop the briefing prepared for newsletter %d: %w", newsletterID, err)
	}
	return nil
}
