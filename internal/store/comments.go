package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"masthead/internal/news"
)

const commentColumns = `id, article_id, COALESCE(parent_id, 0), name, email, website, body, status, is_staff, ip, user_agent, created_at`

func scanComment(sc interface{ Scan(...any) error }) (*news.Comment, error) {
	var c news.Comment
	var created nullTime
	if err := sc.Scan(&c.ID, &c.ArticleID, &c.ParentID, &c.Name, &c.Email, &c.Website, &c.Body, &c.Status, &c.IsStaff, &c.IP, &c.UserAgent, &created); err != nil {
		return nil, err
	}
	c.CreatedAt = created.Time
	return &c, nil
}

// CreateComment stores a comment. A reply's parent must belong to the same
// article; otherwise news.ErrNotFound.
func (s *Store) CreateComment(ctx context.Context, c *news.Comment) error {
	if c.CreatedAt.IsZero() {
		c.CreatedAt = time.Now()
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var parent any
		if c.ParentID != 0 {
			var n int
			if err := s.queryRow(ctx, tx, `SELECT COUNT(*) FROM comments WHERE id = ? AND article_id = ?`, c.ParentID, c.ArticleID).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return news.ErrNotFound
			}
			parent = c.ParentID
		}
		id, err := s.insert(ctx, tx, `INSERT INTO comments (article_id, parent_id, name, email, website, body, status, is_staff, ip, user_agent, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			c.ArticleID, parent, c.Name, strings.ToLower(c.Email), c.Website, c.Body, c.Status, c.IsStaff, c.IP, c.UserAgent, c.CreatedAt)
		c.ID = id
		return err
	})
	if err != nil {
		return fmt.Errorf("create comment on article %d: %w", c.ArticleID, err)
	}
	return nil
}

// HasApprovedComment reports whether email has had a comment approved before.
func (s *Store) HasApprovedComment(ctx context.Context, email string) (bool, error) {
	var n int
	err := s.queryRow(ctx, s.read, `SELECT COUNT(*) FROM comments WHERE email = ? AND status = 'approved'`, strings.ToLower(email)).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("check approved comments: %w", err)
	}
	return n > 0, nil
}

// ArticleComments lists an article's approved comments, oldest first, plus
// any of the pending ones named in alsoPending (a reader's own, shown to them
// as awaiting moderation).
func (s *Store) ArticleComments(ctx context.Context, articleID int64, alsoPending []int64) ([]*news.Comment, error) {
	query := `SELECT ` + commentColumns + ` FROM comments WHERE article_id = ? AND (status = 'approved'`
	args := []any{articleID}
	if len(alsoPending) > 0 {
		query += ` OR (status = 'pending' AND id IN (` + placeholders(len(alsoPending)) + `))`
		for _, id := range alsoPending {
			args = append(args, id)
		}
	}
	rows, err := s.queryRows(ctx, s.read, query+`) ORDER BY created_at, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("list comments of article %d: %w", articleID, err)
	}
	defer rows.Close()
	var out []*news.Comment
	for rows.Next() {
		c, err := scanComment(rows)
		if err != nil {
			return nil, fmt.Errorf("list comments of article %d: %w", articleID, err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Comment loads one comment by id.
func (s *Store) Comment(ctx context.Context, id int64) (*news.Comment, error) {
	c, err := scanComment(s.queryRow(ctx, s.read, `SELECT `+commentColumns+` FROM comments WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, news.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load comment %d: %w", id, err)
	}
	return c, nil
}

// SetCommentStatus moves a comment through moderation.
func (s *Store) SetCommentStatus(ctx context.Context, id int64, status news.CommentStatus) error {
	res, err := s.exec(ctx, s.write, `UPDATE comments SET status = ? WHERE id = ?`, status, id)
	if err != nil {
		return fmt.Errorf("set status of comment %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return news.ErrNotFound
	}
	return nil
}

// ModerationItem is a comment with the headline and path of its article.
type ModerationItem struct {
	Comment  *news.Comment
	Headline string
	Path     string
}

// CommentsByStatus lists comments in one moderation state, newest first.
func (s *Store) CommentsByStatus(ctx context.Context, status news.CommentStatus, limit, offset int) ([]ModerationItem, error) {
	rows, err := s.queryRows(ctx, s.read, `SELECT c.id, c.article_id, COALESCE(c.parent_id, 0), c.name, c.email, c.website, c.body, c.status,
		c.is_staff, c.ip, c.user_agent, c.created_at, a.headline, COALESCE(a.path, '')
		FROM comments c JOIN articles a ON a.id = c.article_id WHERE c.status = ? ORDER BY c.created_at DESC, c.id DESC LIMIT ? OFFSET ?`,
		status, limit, offset)
	if err != nil {
		return nil, fmt.Errorf("moderation queue: %w", err)
	}
	defer rows.Close()
	var out []ModerationItem
	for rows.Next() {
		var c news.Comment
		var at nullTime
		var it ModerationItem
		if err := rows.Scan(&c.ID, &c.ArticleID, &c.ParentID, &c.Name, &c.Email, &c.Website, &c.Body, &c.Status, &c.IsStaff, &c.IP, &c.UserAgent, &at, &it.Headline, &it.Path); err != nil {
			return nil, err
		}
		c.CreatedAt = at.Time
		it.Comment = &c
		out = append(out, it)
	}
	return out, rows.Err()
}

// CountCommentsByStatus counts comments in each moderation state.
func (s *Store) CountCommentsByStatus(ctx context.Context) (map[news.CommentStatus]int, error) {
	rows, err := s.queryRows(ctx, s.read, `SELECT status, COUNT(*) FROM comments GROUP BY status`)
	if err != nil {
		return nil, fmt.Errorf("count comments: %w", err)
	}
	defer rows.Close()
	out := map[news.CommentStatus]int{}
	for rows.Next() {
		var st news.CommentStatus
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, err
		}
		out[st] = n
	}
	return out, rows.Err()
}
