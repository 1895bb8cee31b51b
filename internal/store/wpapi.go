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

// What the WordPress REST API (package wpapi) needs: listings with
// WordPress's filters, and application passwords.

// APIArticles lists articles as the REST API filters them, with bylines
// and tags, and counts every match.
func (s *Store) APIArticles(ctx context.Context, f news.APIFilter) ([]*news.Article, int, error) {
	var where []string
	var args []any
	in := func(col string, n int) string { return col + " IN (" + placeholders(n) + ")" }
	if f.Pages {
		where = append(where, "EXISTS (SELECT 1 FROM pages pg WHERE pg.article_id = a.id)")
	} else {
		where = append(where, notPage)
	}
	statuses := f.Statuses
	if len(statuses) == 0 {
		statuses = []news.Status{news.StatusPublished}
	}
	where = append(where, in("a.status", len(statuses)))
	for _, st := range statuses {
		args = append(args, st)
	}
	if q := strings.TrimSpace(f.Search); q != "" {
		for _, w := range strings.Fields(strings.ToLower(q)) {
			like := "%" + likeEscaper.Replace(w) + "%"
			where = append(where, `(LOWER(a.headline) LIKE ? ESCAPE '\' OR LOWER(a.standfirst) LIKE ? ESCAPE '\' OR LOWER(a.body) LIKE ? ESCAPE '\')`)
			args = append(args, like, like, like)
		}
	}
	ids := func(col string, list []int64) {
		if len(list) == 0 {
			return
		}
		where = append(where, in(col, len(list)))
		for _, id := range list {
			args = append(args, id)
		}
	}
	ids("a.section_id", f.SectionIDs)
	ids("a.id", f.IDs)
	if len(f.TagIDs) > 0 {
		where = append(where, "a.id IN (SELECT article_id FROM article_tags WHERE "+in("tag_id", len(f.TagIDs))+")")
		for _, id := range f.TagIDs {
			args = append(args, id)
		}
	}
	if len(f.AuthorIDs) > 0 {
		where = append(where, "a.id IN (SELECT article_id FROM article_authors WHERE "+in("user_id", len(f.AuthorIDs))+")")
		for _, id := range f.AuthorIDs {
			args = append(args, id)
		}
	}
	if len(f.Exclude) > 0 {
		where = append(where, "NOT "+in("a.id", len(f.Exclude)))
		for _, id := range f.Exclude {
			args = append(args, id)
		}
	}
	if len(f.Slugs) > 0 {
		where = append(where, in("a.slug", len(f.Slugs)))
		for _, sl := range f.Slugs {
			args = append(args, sl)
		}
	}
	if f.OwnerID != 0 {
		where = append(where, "(a.created_by = ? OR a.id IN (SELECT article_id FROM article_authors WHERE user_id = ?))")
		args = append(args, f.OwnerID, f.OwnerID)
	}
	cond := " WHERE " + strings.Join(where, " AND ")
	var total int
	if err := s.queryRow(ctx, s.read, `SELECT COUNT(*) FROM articles a`+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count articles: %w", err)
	}
	order := map[string]string{"id": "a.id", "title": "a.headline", "slug": "a.slug", "modified": "a.modified_at"}[f.OrderBy]
	if order == "" {
		order = "COALESCE(a.published_at, a.publish_at, a.created_at)"
	}
	dir := " DESC"
	if f.Asc {
		dir = " ASC"
	}
	if f.Limit <= 0 {
		f.Limit = 10
	}
	rows, err := s.queryRows(ctx, s.read, `SELECT `+articleColumns+`, a.body, a.body_html`+articleFrom+cond+`
		ORDER BY `+order+dir+`, a.id`+dir+` LIMIT ? OFFSET ?`, append(args, f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("list articles: %w", err)
	}
	list, err := s.scanArticles(rows, true)
	if err != nil {
		return nil, 0, fmt.Errorf("list articles: %w", err)
	}
	if err := s.attachAuthors(ctx, list); err != nil {
		return nil, 0, err
	}
	return list, total, s.attachTags(ctx, list)
}

// SectionCounts counts each section's published articles.
func (s *Store) SectionCounts(ctx context.Context) (map[int64]int, error) {
	rows, err := s.queryRows(ctx, s.read, `SELECT section_id, COUNT(*) FROM articles WHERE status = 'published' AND section_id IS NOT NULL GROUP BY section_id`)
	if err != nil {
		return nil, fmt.Errorf("count section articles: %w", err)
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		out[id] = n
	}
	return out, rows.Err()
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
	cols := `c.id, c.article_id, COALESCE(c.parent_id, 0), c.name, c.email, c.website, c.body, c.status, c.is_staff, c.ip, c.user_agent, c.created_at`
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

// CreateAppPassword stores a new application password by its hash.
func (s *Store) CreateAppPassword(ctx context.Context, userID int64, name, hash string) (int64, error) {
	id, err := s.insert(ctx, s.write, `INSERT INTO app_passwords (user_id, name, hash, created_at) VALUES (?, ?, ?, ?)`,
		userID, name, hash, s.clock.Now())
	if err != nil {
		return 0, fmt.Errorf("create application password: %w", err)
	}
	return id, nil
}

// AppPasswords lists a member of staff's application passwords, newest
// first.
func (s *Store) AppPasswords(ctx context.Context, userID int64) ([]news.AppPassword, error) {
	rows, err := s.queryRows(ctx, s.read, `SELECT id, user_id, name, created_at, last_used_at, last_ip FROM app_passwords
		WHERE user_id = ? ORDER BY created_at DESC, id DESC`, userID)
	if err != nil {
		return nil, fmt.Errorf("list application passwords: %w", err)
	}
	defer rows.Close()
	var out []news.AppPassword
	for rows.Next() {
		var p news.AppPassword
		var created, used nullTime
		if err := rows.Scan(&p.ID, &p.StaffID, &p.Name, &created, &used, &p.LastIP); err != nil {
			return nil, err
		}
		p.CreatedAt, p.LastUsedAt = created.Time, used.Time
		out = append(out, p)
	}
	return out, rows.Err()
}

// RevokeAppPassword deletes one of a member of staff's application
// passwords; news.ErrNotFound if they have no such password.
func (s *Store) RevokeAppPassword(ctx context.Context, userID, id int64) error {
	res, err := s.exec(ctx, s.write, `DELETE FROM app_passwords WHERE id = ? AND user_id = ?`, id, userID)
	if err != nil {
		return fmt.Errorf("revoke application password: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return news.ErrNotFound
	}
	return nil
}

// AppPasswordStaff finds the active account an application password (by
// hash) belongs to, and notes its use; news.ErrNotFound for none.
func (s *Store) AppPasswordStaff(ctx context.Context, hash, ip string, now time.Time) (*news.Staff, error) {
	var a news.Staff
	var id int64
	err := s.queryRow(ctx, s.read, `SELECT `+authorColumns+`, p.id FROM app_passwords p JOIN users u ON u.id = p.user_id
		WHERE p.hash = ? AND NOT u.disabled`, hash).Scan(append(authorDest(&a), &id)...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, news.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("check application password: %w", err)
	}
	if _, err := s.exec(ctx, s.write, `UPDATE app_passwords SET last_used_at = ?, last_ip = ? WHERE id = ?`, now, ip, id); err != nil {
		return nil, fmt.Errorf("note application password use: %w", err)
	}
	return &a, nil
}
