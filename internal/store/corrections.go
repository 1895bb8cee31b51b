package store

// Corrections and updates appended to published articles.

import (
	"context"
	"database/sql"
	"fmt"

	"masthead/internal/news"
)

// AddCorrection appends a public correction or update to an article and
// marks the article as updated (dateModified) at the same moment.
func (s *Store) AddCorrection(ctx context.Context, c *news.Correction, userID int64) error {
	c.CreatedAt = s.clock.Now()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		id, err := s.insert(ctx, tx, `INSERT INTO corrections (article_id, kind, body, user_id, created_at) VALUES (?, ?, ?, ?, ?)`,
			c.ArticleID, c.Kind, c.Body, nullID(userID), c.CreatedAt)
		if err != nil {
			return err
		}
		c.ID = id
		if _, err := s.exec(ctx, tx, `UPDATE articles SET updated_at = ?, modified_at = ? WHERE id = ?`, c.CreatedAt, c.CreatedAt, c.ArticleID); err != nil {
			return err
		}
		return s.addEvent(ctx, tx, c.ArticleID, userID, c.Kind, "", "", c.Body, c.CreatedAt)
	})
	if err != nil {
		return fmt.Errorf("add %s to article %d: %w", c.Kind, c.ArticleID, err)
	}
	return nil
}

// Corrections lists an article's corrections and updates, oldest first.
func (s *Store) Corrections(ctx context.Context, articleID int64) ([]news.Correction, error) {
	rows, err := s.queryRows(ctx, s.read, `SELECT id, article_id, kind, body, created_at FROM corrections WHERE article_id = ? ORDER BY created_at, id`, articleID)
	if err != nil {
		return nil, fmt.Errorf("corrections of article %d: %w", articleID, err)
	}
	defer rows.Close()
	var out []news.Correction
	for rows.Next() {
		var c news.Correction
		var at nullTime
		if err := rows.Scan(&c.ID, &c.ArticleID, &c.Kind, &c.Body, &at); err != nil {
			return nil, err
		}
		c.CreatedAt = at.Time
		out = append(out, c)
	}
	return out, rows.Err()
}

// RecentCorrections is the public corrections log: newest first, on
// published articles only.
func (s *Store) RecentCorrections(ctx context.Context, limit, offset int) ([]news.Correction, error) {
	rows, err := s.queryRows(ctx, s.read, `SELECT c.id, c.kind, c.body, c.created_at, `+articleColumns+`
		FROM corrections c JOIN articles a ON a.id = c.article_id LEFT JOIN sections s ON s.id = a.section_id
		WHERE a.status = 'published' ORDER BY c.created_at DESC, c.id DESC LIMIT ? OFFSET ?`, limit, offset)
	if err != nil {
		return nil, fmt.Errorf("corrections log: %w", err)
	}
	defer rows.Close()
	var out []news.Correction
	for rows.Next() {
		var c news.Correction
		var at nullTime
		var as articleScan
		if err := rows.Scan(append([]any{&c.ID, &c.Kind, &c.Body, &at}, as.dest(false)...)...); err != nil {
			return nil, fmt.Errorf("corrections log: %w", err)
		}
		c.CreatedAt = at.Time
		c.Article = as.article()
		c.ArticleID = c.Article.ID
		out = append(out, c)
	}
	return out, rows.Err()
}
