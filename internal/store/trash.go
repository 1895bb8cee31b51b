package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"masthead/internal/news"
)

// The article trash (0015_article_trash.sql): an article in it has a row
// in article_trash saying what a restore gives back, and a status readers
// do not see; it is deleted for good by DeleteArticle.

// notTrashed holds for an article a that is not in the trash.
const notTrashed = `a.id NOT IN (SELECT article_id FROM article_trash)`

// TrashArticle moves article c.ArticleID, which must still be in status
// c.From and not in the trash already (otherwise news.ErrStale), to the
// trash: its status becomes c.To, its scheduled time is cleared, and what
// it was is kept for a restore, with the event, in one transaction. The
// version moves on, so an editor open on it cannot save over it unseen.
func (s *Store) TrashArticle(ctx context.Context, articleID int64, c news.StatusChange) error {
	now := s.clock.Now()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := s.exec(ctx, tx, `INSERT INTO article_trash (article_id, trashed_at, trashed_by, from_status, publish_at)
			SELECT a.id, ?, ?, a.status, a.publish_at FROM articles a WHERE a.id = ? AND a.status = ? AND `+notTrashed,
			now, nullID(c.UserID), articleID, c.From)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return news.ErrStale
		}
		if _, err := s.exec(ctx, tx, `UPDATE articles SET status = ?, publish_at = NULL, modified_at = ?, version = version + 1 WHERE id = ?`,
			c.To, now, articleID); err != nil {
			return err
		}
		return s.addEvent(ctx, tx, articleID, c.UserID, c.Action, c.From, c.To, c.Note, now)
	})
	if errors.Is(err, news.ErrStale) {
		return err
	}
	if err != nil {
		return fmt.Errorf("trash article %d: %w", articleID, err)
	}
	return nil
}

// RestoreArticle takes article articleID out of the trash: from status
// c.From (otherwise news.ErrStale) to c.To, scheduled at c.PublishAt (zero:
// not scheduled), with the event, in one transaction. A published article
// keeps its path, so it comes back at the same address.
func (s *Store) RestoreArticle(ctx context.Context, articleID int64, c news.StatusChange) error {
	now := s.clock.Now()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := s.exec(ctx, tx, `DELETE FROM article_trash WHERE article_id = ?`, articleID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return news.ErrStale
		}
		res, err = s.exec(ctx, tx, `UPDATE articles SET status = ?, publish_at = ?, modified_at = ?, version = version + 1
			WHERE id = ? AND status = ?`, c.To, c.PublishAt, now, articleID, c.From)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return news.ErrStale
		}
		return s.addEvent(ctx, tx, articleID, c.UserID, c.Action, c.From, c.To, c.Note, now)
	})
	if errors.Is(err, news.ErrStale) {
		return err
	}
	if err != nil {
		return fmt.Errorf("restore article %d: %w", articleID, err)
	}
	return nil
}

// DeleteArticle deletes an article for good, with everything that belongs
// to it, in one transaction: bylines, tags, revisions, history, comments
// (and their spam checks and edits), corrections, quotations, media uses
// and its static page go with the row (ON DELETE CASCADE); the search row,
// autosaves and mail to staff about it, which have no foreign key, are
// deleted here.
// news.ErrNotFound when there is no such article.
func (s *Store) DeleteArticle(ctx context.Context, articleID int64) error {
	return s.deleteArticle(ctx, articleID, `id = ?`, articleID)
}

// DeleteTrashedArticle is DeleteArticle for an article that is in the
// trash since before t (zero: since any time); news.ErrNotFound if it is
// not, so that an article restored a moment ago is never deleted.
func (s *Store) DeleteTrashedArticle(ctx context.Context, articleID int64, before time.Time) error {
	if before.IsZero() {
		return s.deleteArticle(ctx, articleID, `id IN (SELECT article_id FROM article_trash WHERE article_id = ?)`, articleID)
	}
	return s.deleteArticle(ctx, articleID, `id IN (SELECT article_id FROM article_trash WHERE article_id = ? AND trashed_at < ?)`, articleID, before)
}

func (s *Store) deleteArticle(ctx context.Context, articleID int64, where string, args ...any) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := s.exec(ctx, tx, `DELETE FROM articles WHERE `+where, args...)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return news.ErrNotFound
		}
		if _, err := s.exec(ctx, tx, `DELETE FROM article_search WHERE rowid = ?`, articleID); err != nil {
			return err
		}
		if _, err := s.exec(ctx, tx, `DELETE FROM autosaves WHERE article_id = ?`, articleID); err != nil {
			return err
		}
		_, err = s.exec(ctx, tx, `DELETE FROM staff_mail WHERE article_id = ?`, articleID)
		return err
	})
	if errors.Is(err, news.ErrNotFound) {
		return err
	}
	if err != nil {
		return fmt.Errorf("delete article %d: %w", articleID, err)
	}
	return nil
}

// TrashedBefore lists the articles moved to the trash before t, oldest first.
func (s *Store) TrashedBefore(ctx context.Context, t time.Time) ([]int64, error) {
	rows, err := s.queryRows(ctx, s.read, `SELECT article_id FROM article_trash WHERE trashed_at < ? ORDER BY trashed_at, article_id`, t)
	if err != nil {
		return nil, fmt.Errorf("trashed articles: %w", err)
	}
	return scanIDs(rows)
}

// attachTrash fills in Trash for those of the articles in the trash, with
// one query.
func (s *Store) attachTrash(ctx context.Context, list []*news.Article) error {
	if len(list) == 0 {
		return nil
	}
	ids, byID := articleIDs(list)
	rows, err := s.queryRows(ctx, s.read, `SELECT t.article_id, t.trashed_at, COALESCE(t.trashed_by, 0), COALESCE(u.name, ''), t.from_status, t.publish_at
		FROM article_trash t LEFT JOIN users u ON u.id = t.trashed_by WHERE t.article_id IN (`+placeholders(len(ids))+`)`, ids...)
	if err != nil {
		return fmt.Errorf("load trash: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var tr news.Trash
		var at, publishAt nullTime
		if err := rows.Scan(&id, &at, &tr.By, &tr.ByName, &tr.From, &publishAt); err != nil {
			return fmt.Errorf("load trash: %w", err)
		}
		tr.At, tr.PublishAt = at.Time, publishAt.Time
		byID[id].Trash = &tr
	}
	return rows.Err()
}
