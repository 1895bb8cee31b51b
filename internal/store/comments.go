package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"masthead/internal/news"
)

const commentColumns = `id, article_id, COALESCE(parent_id, 0), name, email, website, body, status, is_staff, ip, user_agent, created_at, edited_at, fed_handle`

func scanComment(sc interface{ Scan(...any) error }) (*news.Comment, error) {
	var c news.Comment
	var created, edited nullTime
	if err := sc.Scan(&c.ID, &c.ArticleID, &c.ParentID, &c.Name, &c.Email, &c.Website, &c.Body, &c.Status, &c.IsStaff, &c.IP, &c.UserAgent, &created, &edited, &c.Handle); err != nil {
		return nil, err
	}
	c.CreatedAt, c.EditedAt = created.Time, edited.Time
	return &c, nil
}

// CreateComment stores a comment. A reply's parent must belong to the same
// article; otherwise news.ErrNotFound.
func (s *Store) CreateComment(ctx context.Context, c *news.Comment) error {
	if c.CreatedAt.IsZero() {
		c.CreatedAt = s.clock.Now()
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error { return s.insertComment(ctx, tx, c) })
	if err != nil {
		return fmt.Errorf("create comment on article %d: %w", c.ArticleID, err)
	}
	return nil
}

// HasApprovedComment reports whether email has had a reader comment
// approved before. Staff replies do not count: they are approved because
// they come from the newsroom, which vouches for no one.
func (s *Store) HasApprovedComment(ctx context.Context, email string) (bool, error) {
	var n int
	err := s.queryRow(ctx, s.read, `SELECT COUNT(*) FROM comments WHERE email = ? AND status = 'approved' AND NOT is_staff`, strings.ToLower(email)).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("check approved comments: %w", err)
	}
	return n > 0, nil
}

// ArticleComments lists an article's approved comments, oldest first, plus
// any of the pending ones named in alsoPending (a reader's own, shown to them
// as awaiting moderation). A comment the spam check held is reported as
// pending too: its author sees "awaiting moderation" and never the verdict.
func (s *Store) ArticleComments(ctx context.Context, articleID int64, alsoPending []int64) ([]*news.Comment, error) {
	query := `SELECT ` + commentColumns + ` FROM comments WHERE article_id = ? AND (status = 'approved'`
	args := []any{articleID}
	if len(alsoPending) > 0 {
		query += ` OR (status IN ('pending', 'spam') AND id IN (` + placeholders(len(alsoPending)) + `))`
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
		if c.Status == news.CommentSpam {
			c.Status = news.CommentPending
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

// CommentsByStatus lists comments in one moderation state, newest first.
func (s *Store) CommentsByStatus(ctx context.Context, status news.CommentStatus, limit, offset int) ([]news.ModerationItem, error) {
	rows, err := s.queryRows(ctx, s.read, `SELECT c.id, c.article_id, COALESCE(c.parent_id, 0), c.name, c.email, c.website, c.body, c.status,
		c.is_staff, c.ip, c.user_agent, c.created_at, c.edited_at, c.fed_handle, a.headline, COALESCE(a.path, '')
		FROM comments c JOIN articles a ON a.id = c.article_id WHERE c.status = ? ORDER BY c.created_at DESC, c.id DESC LIMIT ? OFFSET ?`,
		status, limit, offset)
	if err != nil {
		return nil, fmt.Errorf("moderation queue: %w", err)
	}
	defer rows.Close()
	var out []news.ModerationItem
	for rows.Next() {
		var c news.Comment
		var at, edited nullTime
		var it news.ModerationItem
		if err := rows.Scan(&c.ID, &c.ArticleID, &c.ParentID, &c.Name, &c.Email, &c.Website, &c.Body, &c.Status, &c.IsStaff, &c.IP, &c.UserAgent, &at, &edited, &c.Handle, &it.Headline, &it.Path); err != nil {
			return nil, err
		}
		c.CreatedAt, c.EditedAt = at.Time, edited.Time
		it.Comment = &c
		out = append(out, it)
	}
	return out, rows.Err()
}

// CountCommentsByStatus counts comments in each moderation state.
func (s *Store) CountCommentsByStatus(ctx context.Context) (map[news.CommentStatus]int, error) {
	return countGroups[news.CommentStatus](ctx, s, `SELECT status, COUNT(*) FROM comments GROUP BY status`)
}

// insertComment stores c inside tx. A reply's parent must belong to the
// same article; otherwise news.ErrNotFound.
func (s *Store) insertComment(ctx context.Context, tx *sql.Tx, c *news.Comment) error {
	if c.CreatedAt.IsZero() {
		c.CreatedAt = s.clock.Now()
	}
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
	var reader any
	if c.ReaderID != 0 {
		reader = c.ReaderID
	}
	id, err := s.insert(ctx, tx, `INSERT INTO comments (article_id, parent_id, name, email, website, body, status, is_staff, ip, user_agent, created_at, reader_id, fed_handle)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.ArticleID, parent, c.Name, strings.ToLower(c.Email), c.Website, c.Body, c.Status, c.IsStaff, c.IP, c.UserAgent, c.CreatedAt, reader, c.Handle)
	c.ID = id
	return err
}

// CreateCheckedComment stores a reader comment together with the spam
// check that decided its status, so moderators can see why and later
// comments repeating its text are recognised. Parents as CreateComment.
func (s *Store) CreateCheckedComment(ctx context.Context, c *news.Comment, check news.SpamCheck) error {
	signals, err := json.Marshal(check.Signals)
	if err != nil {
		return fmt.Errorf("encode spam check: %w", err)
	}
	if check.Signals == nil {
		signals = []byte("[]")
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.insertComment(ctx, tx, c); err != nil {
			return err
		}
		_, err := s.exec(ctx, tx, `INSERT INTO comment_checks (comment_id, score, signals, fingerprint, created_at) VALUES (?, ?, ?, ?, ?)`,
			c.ID, check.Score, string(signals), check.Fingerprint, c.CreatedAt)
		return err
	})
	if err != nil {
		return fmt.Errorf("create comment on article %d: %w", c.ArticleID, err)
	}
	return nil
}

// RepeatedText counts the checked comments whose text has fingerprint:
// from emails other than email since the time given, and from email ever.
func (s *Store) RepeatedText(ctx context.Context, fingerprint, email string, since time.Time) (others, same int, err error) {
	email = strings.ToLower(email)
	err = s.queryRow(ctx, s.read, `SELECT
			COALESCE(SUM(CASE WHEN c.email <> ? AND k.created_at >= ? THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN c.email = ? THEN 1 ELSE 0 END), 0)
		FROM comment_checks k JOIN comments c ON c.id = k.comment_id
		WHERE k.fingerprint = ?`, email, since, email, fingerprint).Scan(&others, &same)
	if err != nil {
		return 0, 0, fmt.Errorf("look for repeated comment text: %w", err)
	}
	return others, same, nil
}

// CommentChecks returns the spam checks of those of the comments ids that
// went through one, by comment id.
func (s *Store) CommentChecks(ctx context.Context, ids []int64) (map[int64]news.SpamCheck, error) {
	out := map[int64]news.SpamCheck{}
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := s.queryRows(ctx, s.read, `SELECT comment_id, score, signals, fingerprint FROM comment_checks
		WHERE comment_id IN (`+placeholders(len(ids))+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("load spam checks: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var check news.SpamCheck
		var signals string
		if err := rows.Scan(&id, &check.Score, &signals, &check.Fingerprint); err != nil {
			return nil, fmt.Errorf("load spam checks: %w", err)
		}
		if err := json.Unmarshal([]byte(signals), &check.Signals); err != nil {
			return nil, fmt.Errorf("spam check of comment %d: %w", id, err)
		}
		out[id] = check
	}
	return out, rows.Err()
}

// ArticleThread lists every comment on an article whatever its status,
// oldest first: the whole conversation as moderators see it.
func (s *Store) ArticleThread(ctx context.Context, articleID int64) ([]*news.Comment, error) {
	rows, err := s.queryRows(ctx, s.read, `SELECT `+commentColumns+` FROM comments WHERE article_id = ? ORDER BY created_at, id`, articleID)
	if err != nil {
		return nil, fmt.Errorf("list all comments of article %d: %w", articleID, err)
	}
	defer rows.Close()
	var out []*news.Comment
	for rows.Next() {
		c, err := scanComment(rows)
		if err != nil {
			return nil, fmt.Errorf("list all comments of article %d: %w", articleID, err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// CreateStaffReply stores a reply made in the newsroom (news.StaffReply)
// and, when approveParent is set, approves the comment it answers, in one
// transaction. Parents as CreateComment.
func (s *Store) CreateStaffReply(ctx context.Context, c *news.Comment, approveParent bool) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.insertComment(ctx, tx, c); err != nil {
			return err
		}
		if !approveParent || c.ParentID == 0 {
			return nil
		}
		_, err := s.exec(ctx, tx, `UPDATE comments SET status = 'approved' WHERE id = ? AND status = 'pending'`, c.ParentID)
		return err
	})
	if err != nil {
		return fmt.Errorf("reply on article %d: %w", c.ArticleID, err)
	}
	return nil
}

// UpdateImportedComment rewrites a comment brought in by an import with
// what a newer export says of it.
func (s *Store) UpdateImportedComment(ctx context.Context, c *news.Comment) error {
	_, err := s.exec(ctx, s.write, `UPDATE comments SET name = ?, email = ?, website = ?, body = ?, status = ?, is_staff = ?, ip = ?, created_at = ?
		WHERE id = ?`, c.Name, strings.ToLower(c.Email), c.Website, c.Body, c.Status, c.IsStaff, c.IP, c.CreatedAt, c.ID)
	if err != nil {
		return fmt.Errorf("update comment %d: %w", c.ID, err)
	}
	return nil
}

// APIComments lists comments for /wp/v2/comments, oldest first, and
// counts every match: on one article (articleID ≠ 0) or any, in the given
// states (approved when none), on published articles only unless
// anyArticle.
func (s *Store) APIComments(ctx context.Context, articleID int64, statuses []news.CommentStatus, anyArticle bool, limit, offset int) ([]*news.Comment, int, error) {
	if len(statuses) == 0 {
		statuses = []news.CommentStatus{news.CommentApproved}
	}
	where := "c.status IN (" + placeholders(len(statuses)) + ")"
	var args []any
	for _, st := range statuses {
		args = append(args, st)
	}
	if articleID != 0 {
		where += " AND c.article_id = ?"
		args = append(args, articleID)
	}
	if !anyArticle {
		where += " AND a.status = 'published'"
	}
	from := ` FROM comments c JOIN articles a ON a.id = c.article_id WHERE ` + where
	var total int
	if err := s.queryRow(ctx, s.read, `SELECT COUNT(*)`+from, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count comments: %w", err)
	}
	cols := `c.id, c.article_id, COALESCE(c.parent_id, 0), c.name, c.email, c.website, c.body, c.status, c.is_staff, c.ip, c.user_agent, c.created_at, c.edited_at, c.fed_handle`
	rows, err := s.queryRows(ctx, s.read, `SELECT `+cols+from+` ORDER BY c.created_at, c.id LIMIT ? OFFSET ?`, append(args, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("list comments: %w", err)
	}
	defer rows.Close()
	var out []*news.Comment
	for rows.Next() {
		c, err := scanComment(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, c)
	}
	return out, total, rows.Err()
}

// EditComment replaces the text of comment id with body, stamps it edited
// at, and keeps the text it had, with who changed it and why, in the
// comment's audit trail, in one transaction. news.ErrNotFound when there
// is no such comment.
func (s *Store) EditComment(ctx context.Context, id, userID int64, body, note string) error {
	now := s.clock.Now()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var old string
		err := s.queryRow(ctx, tx, `SELECT body FROM comments WHERE id = ?`, id).Scan(&old)
		if errors.Is(err, sql.ErrNoRows) {
			return news.ErrNotFound
		}
		if err != nil {
			return err
		}
		if _, err := s.exec(ctx, tx, `INSERT INTO comment_edits (comment_id, user_id, old_body, new_body, note, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			id, nullID(userID), old, body, note, now); err != nil {
			return err
		}
		_, err = s.exec(ctx, tx, `UPDATE comments SET body = ?, edited_at = ? WHERE id = ?`, body, now, id)
		return err
	})
	if errors.Is(err, news.ErrNotFound) {
		return err
	}
	if err != nil {
		return fmt.Errorf("edit comment %d: %w", id, err)
	}
	return nil
}

// CommentEdits lists the newsroom's edits of a comment, oldest first: the
// first one's OldBody is what the reader wrote.
func (s *Store) CommentEdits(ctx context.Context, commentID int64) ([]news.CommentEdit, error) {
	rows, err := s.queryRows(ctx, s.read, `SELECT e.id, e.comment_id, COALESCE(e.user_id, 0), COALESCE(u.name, ''), e.old_body, e.new_body, e.note, e.created_at
		FROM comment_edits e LEFT JOIN users u ON u.id = e.user_id WHERE e.comment_id = ? ORDER BY e.id`, commentID)
	if err != nil {
		return nil, fmt.Errorf("edits of comment %d: %w", commentID, err)
	}
	defer rows.Close()
	var out []news.CommentEdit
	for rows.Next() {
		var e news.CommentEdit
		var at nullTime
		if err := rows.Scan(&e.ID, &e.CommentID, &e.UserID, &e.UserName, &e.OldBody, &e.NewBody, &e.Note, &at); err != nil {
			return nil, fmt.Errorf("edits of comment %d: %w", commentID, err)
		}
		e.CreatedAt = at.Time
		out = append(out, e)
	}
	return out, rows.Err()
}

// DeleteComment deletes a comment for good, with its spam check and its
// edits; its replies move up to its parent (or the top level), as
// WordPress does, so they stay in the conversation. news.ErrNotFound when
// there is no such comment.
func (s *Store) DeleteComment(ctx context.Context, id int64) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := s.exec(ctx, tx, `UPDATE comments SET parent_id = (SELECT p.parent_id FROM comments p WHERE p.id = ?) WHERE parent_id = ?`, id, id); err != nil {
			return err
		}
		res, err := s.exec(ctx, tx, `DELETE FROM comments WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return news.ErrNotFound
		}
		return nil
	})
	if errors.Is(err, news.ErrNotFound) {
		return err
	}
	if err != nil {
		return fmt.Errorf("delete comment %d: %w", id, err)
	}
	return nil
}
