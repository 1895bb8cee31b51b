package store

// An article's history: revisions, conflicts, autosaves and workflow events.

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"masthead/internal/news"
)

// KeepConflict stores the losing side of a concurrent edit as a revision so
// nothing the second editor typed is lost.
func (s *Store) KeepConflict(ctx context.Context, articleID, userID int64, version int, snap news.Snapshot) (int64, error) {
	b, err := json.Marshal(snap)
	if err != nil {
		return 0, err
	}
	id, err := s.insert(ctx, s.write, `INSERT INTO revisions (article_id, user_id, version, kind, snapshot, created_at) VALUES (?, ?, ?, 'conflict', ?, ?)`,
		articleID, nullID(userID), version, string(b), s.clock.Now())
	if err != nil {
		return 0, fmt.Errorf("keep conflicting edit of article %d: %w", articleID, err)
	}
	return id, nil
}

// RecordFirstRevision stores the state of a newly created article.
func (s *Store) RecordFirstRevision(ctx context.Context, a *news.Article, userID int64) error {
	b, err := json.Marshal(a.Snapshot())
	if err != nil {
		return err
	}
	now := s.clock.Now()
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := s.exec(ctx, tx, `INSERT INTO revisions (article_id, user_id, version, kind, snapshot, created_at) VALUES (?, ?, ?, 'save', ?, ?)`,
			a.ID, nullID(userID), a.Version, string(b), now); err != nil {
			return fmt.Errorf("first revision of article %d: %w", a.ID, err)
		}
		return s.addEvent(ctx, tx, a.ID, userID, "create", "", a.Status, "", now)
	})
}

func (s *Store) addEvent(ctx context.Context, tx *sql.Tx, articleID, userID int64, action string, from, to news.Status, note string, at time.Time) error {
	_, err := s.addEventID(ctx, tx, articleID, userID, action, from, to, note, at)
	return err
}

// addEventID is addEvent returning the event's id.
func (s *Store) addEventID(ctx context.Context, tx *sql.Tx, articleID, userID int64, action string, from, to news.Status, note string, at time.Time) (int64, error) {
	var id int64
	err := s.queryRow(ctx, tx, `INSERT INTO article_events (article_id, user_id, action, from_status, to_status, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
		RETURNING id`, articleID, nullID(userID), action, from, to, note, at).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("record %s of article %d: %w", action, articleID, err)
	}
	return id, nil
}

// ArticleEvents lists an article's audit trail, oldest first.
func (s *Store) ArticleEvents(ctx context.Context, articleID int64) ([]news.Event, error) {
	rows, err := s.queryRows(ctx, s.read, `SELECT `+eventColumns+`
		FROM article_events e LEFT JOIN users u ON u.id = e.user_id WHERE e.article_id = ? ORDER BY e.id`, articleID)
	if err != nil {
		return nil, fmt.Errorf("events of article %d: %w", articleID, err)
	}
	return scanEvents(rows)
}

// LastEvents returns the latest event of each of the articles (those with
// any), by article: what last happened to each of a list's stories.
func (s *Store) LastEvents(ctx context.Context, articleIDs []int64) (map[int64]news.Event, error) {
	out := map[int64]news.Event{}
	if len(articleIDs) == 0 {
		return out, nil
	}
	args := make([]any, len(articleIDs))
	for i, id := range articleIDs {
		args[i] = id
	}
	rows, err := s.queryRows(ctx, s.read, `SELECT `+eventColumns+`
		FROM article_events e LEFT JOIN users u ON u.id = e.user_id
		WHERE e.id IN (SELECT MAX(id) FROM article_events WHERE article_id IN (`+placeholders(len(args))+`) GROUP BY article_id)`, args...)
	if err != nil {
		return nil, fmt.Errorf("last events of %d articles: %w", len(articleIDs), err)
	}
	events, err := scanEvents(rows)
	for _, e := range events {
		out[e.ArticleID] = e
	}
	return out, err
}

const eventColumns = `e.id, e.article_id, COALESCE(e.user_id, 0), COALESCE(u.name, 'Scheduler'), e.action,
		e.from_status, e.to_status, e.note, e.created_at`

func scanEvents(rows *sql.Rows) ([]news.Event, error) {
	defer rows.Close()
	var out []news.Event
	for rows.Next() {
		var e news.Event
		var at nullTime
		if err := rows.Scan(&e.ID, &e.ArticleID, &e.UserID, &e.UserName, &e.Action, &e.FromStatus, &e.ToStatus, &e.Note, &at); err != nil {
			return nil, err
		}
		e.CreatedAt = at.Time
		out = append(out, e)
	}
	return out, rows.Err()
}

const revisionColumns = `r.id, r.article_id, COALESCE(r.user_id, 0), COALESCE(u.name, ''), r.version, r.kind, r.snapshot, r.created_at`

func scanRevision(sc interface{ Scan(...any) error }) (news.Revision, error) {
	var r news.Revision
	var snap string
	var at nullTime
	if err := sc.Scan(&r.ID, &r.ArticleID, &r.UserID, &r.UserName, &r.Version, &r.Kind, &snap, &at); err != nil {
		return r, err
	}
	r.CreatedAt = at.Time
	if err := json.Unmarshal([]byte(snap), &r.Snapshot); err != nil {
		return r, fmt.Errorf("revision %d: %w", r.ID, err)
	}
	return r, nil
}

// Revisions lists an article's revisions, newest first.
func (s *Store) Revisions(ctx context.Context, articleID int64) ([]news.Revision, error) {
	rows, err := s.queryRows(ctx, s.read, `SELECT `+revisionColumns+` FROM revisions r LEFT JOIN users u ON u.id = r.user_id
		WHERE r.article_id = ? ORDER BY r.id DESC`, articleID)
	if err != nil {
		return nil, fmt.Errorf("revisions of article %d: %w", articleID, err)
	}
	defer rows.Close()
	var out []news.Revision
	for rows.Next() {
		r, err := scanRevision(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Revision loads one revision of an article.
func (s *Store) Revision(ctx context.Context, articleID, id int64) (news.Revision, error) {
	r, err := scanRevision(s.queryRow(ctx, s.read, `SELECT `+revisionColumns+` FROM revisions r LEFT JOIN users u ON u.id = r.user_id
		WHERE r.article_id = ? AND r.id = ?`, articleID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return r, news.ErrNotFound
	}
	return r, err
}

// PutAutosave keeps a member of staff's unsaved editor state (articleID 0
// for an article not yet created, -1 for a page not yet created).
func (s *Store) PutAutosave(ctx context.Context, userID, articleID int64, snap news.Snapshot) error {
	b, err := json.Marshal(snap)
	if err != nil {
		return err
	}
	_, err = s.exec(ctx, s.write, `INSERT INTO autosaves (user_id, article_id, snapshot, saved_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (user_id, article_id) DO UPDATE SET snapshot = excluded.snapshot, saved_at = excluded.saved_at`,
		userID, articleID, string(b), s.clock.Now())
	if err != nil {
		return fmt.Errorf("autosave: %w", err)
	}
	return nil
}

// Autosave returns the kept editor state, if any.
func (s *Store) Autosave(ctx context.Context, userID, articleID int64) (snap news.Snapshot, savedAt time.Time, ok bool, err error) {
	var raw string
	var at nullTime
	err = s.queryRow(ctx, s.read, `SELECT snapshot, saved_at FROM autosaves WHERE user_id = ? AND article_id = ?`, userID, articleID).Scan(&raw, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return snap, savedAt, false, nil
	}
	if err != nil {
		return snap, savedAt, false, fmt.Errorf("read autosave: %w", err)
	}
	if err := json.Unmarshal([]byte(raw), &snap); err != nil {
		return snap, savedAt, false, fmt.Errorf("read autosave: %w", err)
	}
	return snap, at.Time, true, nil
}

// OthersAutosaves lists the unsaved changes to article articleID that
// members of staff other than userID keep, newest first.
func (s *Store) OthersAutosaves(ctx context.Context, articleID, userID int64) ([]news.UnsavedEdit, error) {
	rows, err := s.queryRows(ctx, s.read, `SELECT a.user_id, u.name, a.saved_at FROM autosaves a JOIN users u ON u.id = a.user_id
		WHERE a.article_id = ? AND a.user_id <> ? ORDER BY a.saved_at DESC`, articleID, userID)
	if err != nil {
		return nil, fmt.Errorf("others' autosaves of article %d: %w", articleID, err)
	}
	defer rows.Close()
	var out []news.UnsavedEdit
	for rows.Next() {
		var e news.UnsavedEdit
		var at nullTime
		if err := rows.Scan(&e.UserID, &e.Name, &at); err != nil {
			return nil, fmt.Errorf("others' autosaves of article %d: %w", articleID, err)
		}
		e.SavedAt = at.Time
		out = append(out, e)
	}
	return out, rows.Err()
}

// DeleteAutosave drops kept editor state once it has been saved properly.
func (s *Store) DeleteAutosave(ctx context.Context, userID, articleID int64) error {
	_, err := s.exec(ctx, s.write, `DELETE FROM autosaves WHERE user_id = ? AND article_id = ?`, userID, articleID)
	return err
}

// AddArticleEvent records in an article's history something that changed
// no status (an image taken out of it, say), with a note.
func (s *Store) AddArticleEvent(ctx context.Context, articleID, userID int64, action string, status news.Status, note string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		return s.addEvent(ctx, tx, articleID, userID, action, status, status, note, s.clock.Now())
	})
}
