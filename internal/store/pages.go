package store

// Pages: static pages, articles outside the news flow served at /page/{slug}.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"masthead/internal/news"
)

// PagePath is a page's public path (without the leading slash).
func PagePath(slug string) string { return "page/" + slug }

// PutPage marks an article as a static page (or changes its slug, parent
// or order) and, when it has been published, moves it to its page path.
// The article's slug becomes the last part of the page's.
// news.ErrConflict when another page has the slug.
func (s *Store) PutPage(ctx context.Context, p news.Page) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := s.exec(ctx, tx, `INSERT INTO pages (article_id, slug, parent_id, menu_order) VALUES (?, ?, ?, ?)
			ON CONFLICT (article_id) DO UPDATE SET slug = excluded.slug, parent_id = excluded.parent_id, menu_order = excluded.menu_order`,
			p.ArticleID, p.Slug, nullID(p.ParentID), p.MenuOrder); err != nil {
			return err
		}
		// A page's own slug is the last part of its page slug.
		slug := p.Slug[strings.LastIndexByte(p.Slug, '/')+1:]
		if _, err := s.exec(ctx, tx, `UPDATE articles SET slug = ? WHERE id = ? AND slug <> ?`, slug, p.ArticleID, slug); err != nil {
			return err
		}
		_, err := s.exec(ctx, tx, `UPDATE articles SET path = ? WHERE id = ? AND path IS NOT NULL AND path <> ?`,
			PagePath(p.Slug), p.ArticleID, PagePath(p.Slug))
		return err
	})
	if isUniqueViolation(err) {
		return fmt.Errorf("page %q: %w", p.Slug, news.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("page %q: %w", p.Slug, err)
	}
	return nil
}

// PageSlugTaken reports whether a page other than articleID has the slug.
func (s *Store) PageSlugTaken(ctx context.Context, slug string, articleID int64) (bool, error) {
	var n int
	if err := s.queryRow(ctx, s.read, `SELECT COUNT(*) FROM pages WHERE slug = ? AND article_id <> ?`, slug, articleID).Scan(&n); err != nil {
		return false, fmt.Errorf("check page slug %q: %w", slug, err)
	}
	return n > 0, nil
}

// Pages lists every static page, by slug.
func (s *Store) Pages(ctx context.Context) ([]news.Page, error) {
	rows, err := s.queryRows(ctx, s.read, `SELECT article_id, slug, COALESCE(parent_id, 0), menu_order FROM pages ORDER BY slug`)
	if err != nil {
		return nil, fmt.Errorf("list pages: %w", err)
	}
	defer rows.Close()
	var out []news.Page
	for rows.Next() {
		var p news.Page
		if err := rows.Scan(&p.ArticleID, &p.Slug, &p.ParentID, &p.MenuOrder); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// PageOf returns the page an article is, or news.ErrNotFound for a news
// article.
func (s *Store) PageOf(ctx context.Context, articleID int64) (news.Page, error) {
	p := news.Page{ArticleID: articleID}
	err := s.queryRow(ctx, s.read, `SELECT slug, COALESCE(parent_id, 0), menu_order FROM pages WHERE article_id = ?`, articleID).
		Scan(&p.Slug, &p.ParentID, &p.MenuOrder)
	if errors.Is(err, sql.ErrNoRows) {
		return p, news.ErrNotFound
	}
	if err != nil {
		return p, fmt.Errorf("page of article %d: %w", articleID, err)
	}
	return p, nil
}

// PageArticleBySlug finds the article of the page with a slug, whatever
// its status.
func (s *Store) PageArticleBySlug(ctx context.Context, slug string) (int64, error) {
	var id int64
	err := s.queryRow(ctx, s.read, `SELECT article_id FROM pages WHERE slug = ?`, slug).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, news.ErrNotFound
	}
	if err != nil {
		return 0, fmt.Errorf("page %q: %w", slug, err)
	}
	return id, nil
}
