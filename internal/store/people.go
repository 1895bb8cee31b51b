package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"masthead/internal/news"
)

const authorColumns = `u.id, u.slug, u.name, u.email, u.role, u.job_title, u.bio, u.photo_url`

func scanAuthor(sc interface{ Scan(...any) error }, a *news.Staff) error {
	return sc.Scan(authorDest(a)...)
}

// authorDest lists where the columns of authorColumns scan to, so queries
// that select more after them can append their own destinations.
func authorDest(a *news.Staff) []any {
	return []any{&a.ID, &a.Slug, &a.Name, &a.Email, &a.Role, &a.JobTitle, &a.Bio, &a.PhotoURL}
}

// scanAuthors reads rows of authorColumns, closing them.
func scanAuthors(rows *sql.Rows) ([]news.Staff, error) {
	defer rows.Close()
	var out []news.Staff
	for rows.Next() {
		var a news.Staff
		if err := scanAuthor(rows, &a); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// CreateStaff adds a member of staff. Email and slug must be unique.
func (s *Store) CreateStaff(ctx context.Context, a *news.Staff) error {
	now := s.clock.Now()
	id, err := s.insert(ctx, s.write, `INSERT INTO users (email, name, slug, role, job_title, bio, photo_url, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		strings.ToLower(a.Email), a.Name, a.Slug, a.Role, a.JobTitle, a.Bio, a.PhotoURL, now, now)
	if isUniqueViolation(err) {
		return fmt.Errorf("create author %q: %w", a.Email, news.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("create author %q: %w", a.Email, err)
	}
	a.ID = id
	return nil
}

// StaffBySlug finds a member of staff by the slug of their public page.
func (s *Store) StaffBySlug(ctx context.Context, slug string) (*news.Staff, error) {
	var a news.Staff
	err := scanAuthor(s.queryRow(ctx, s.read, `SELECT `+authorColumns+` FROM users u WHERE u.slug = ? AND NOT u.disabled`, slug), &a)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, news.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load author %q: %w", slug, err)
	}
	return &a, nil
}

// BylinedStaff lists staff with at least one published article, by name.
func (s *Store) BylinedStaff(ctx context.Context) ([]news.Staff, error) {
	rows, err := s.queryRows(ctx, s.read, `SELECT `+authorColumns+` FROM users u
		WHERE EXISTS (SELECT 1 FROM article_authors aa JOIN articles a ON a.id = aa.article_id
		              WHERE aa.user_id = u.id AND a.status = 'published')
		ORDER BY u.name`)
	if err != nil {
		return nil, fmt.Errorf("list authors: %w", err)
	}
	return scanAuthors(rows)
}

// CreateSection adds a section.
func (s *Store) CreateSection(ctx context.Context, sec *news.Section) error {
	id, err := s.insert(ctx, s.write, `INSERT INTO sections (slug, name, description, position) VALUES (?, ?, ?, ?)`,
		sec.Slug, sec.Name, sec.Description, sec.Position)
	if isUniqueViolation(err) {
		return fmt.Errorf("create section %q: %w", sec.Slug, news.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("create section %q: %w", sec.Slug, err)
	}
	sec.ID = id
	return nil
}

// Sections lists the sections in navigation order.
func (s *Store) Sections(ctx context.Context) ([]news.Section, error) {
	rows, err := s.queryRows(ctx, s.read, `SELECT id, slug, name, description, position FROM sections ORDER BY position, name`)
	if err != nil {
		return nil, fmt.Errorf("list sections: %w", err)
	}
	defer rows.Close()
	var out []news.Section
	for rows.Next() {
		var sec news.Section
		if err := rows.Scan(&sec.ID, &sec.Slug, &sec.Name, &sec.Description, &sec.Position); err != nil {
			return nil, err
		}
		out = append(out, sec)
	}
	return out, rows.Err()
}

// SectionBySlug finds a section.
func (s *Store) SectionBySlug(ctx context.Context, slug string) (*news.Section, error) {
	var sec news.Section
	err := s.queryRow(ctx, s.read, `SELECT id, slug, name, description, position FROM sections WHERE slug = ?`, slug).
		Scan(&sec.ID, &sec.Slug, &sec.Name, &sec.Description, &sec.Position)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, news.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load section %q: %w", slug, err)
	}
	return &sec, nil
}

// EnsureTag returns the tag with the given name's slug, creating it if needed.
func (s *Store) EnsureTag(ctx context.Context, name string) (news.Tag, error) {
	t := news.Tag{Name: strings.TrimSpace(name), Slug: news.Slugify(name)}
	err := s.queryRow(ctx, s.write, `INSERT INTO tags (slug, name) VALUES (?, ?)
		ON CONFLICT (slug) DO UPDATE SET slug = excluded.slug RETURNING id, name`, t.Slug, t.Name).Scan(&t.ID, &t.Name)
	if err != nil {
		return t, fmt.Errorf("ensure tag %q: %w", name, err)
	}
	return t, nil
}

// TagBySlug finds a tag.
func (s *Store) TagBySlug(ctx context.Context, slug string) (*news.Tag, error) {
	var t news.Tag
	err := s.queryRow(ctx, s.read, `SELECT id, slug, name FROM tags WHERE slug = ?`, slug).Scan(&t.ID, &t.Slug, &t.Name)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, news.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load tag %q: %w", slug, err)
	}
	return &t, nil
}

// popularWindow is how many of the latest stories PopularTags counts over.
const popularWindow = 1000

// PopularTags lists the tags most used by the latest published stories (the
// newest popularWindow of them), most used first: what the paper is
// covering now, at a cost that does not grow with the archive.
func (s *Store) PopularTags(ctx context.Context, limit int) ([]news.Tag, error) {
	rows, err := s.queryRows(ctx, s.read, `SELECT t.id, t.slug, t.name, COUNT(*) AS n
		FROM (SELECT id FROM articles WHERE status = 'published' ORDER BY published_at DESC, id DESC LIMIT ?) recent
		JOIN article_tags at ON at.article_id = recent.id JOIN tags t ON t.id = at.tag_id
		GROUP BY t.id, t.slug, t.name ORDER BY n DESC, t.name LIMIT ?`, popularWindow, limit)
	if err != nil {
		return nil, fmt.Errorf("list tags: %w", err)
	}
	return scanTags(rows)
}

// PublishedTags lists every tag with at least one published article, by
// name (Count is not set): the tag pages a sitemap should list.
func (s *Store) PublishedTags(ctx context.Context) ([]news.Tag, error) {
	rows, err := s.queryRows(ctx, s.read, `SELECT t.id, t.slug, t.name FROM tags t
		WHERE EXISTS (SELECT 1 FROM article_tags at JOIN articles a ON a.id = at.article_id
		              WHERE at.tag_id = t.id AND a.status = 'published')
		ORDER BY t.name`)
	if err != nil {
		return nil, fmt.Errorf("list tags: %w", err)
	}
	defer rows.Close()
	var out []news.Tag
	for rows.Next() {
		var t news.Tag
		if err := rows.Scan(&t.ID, &t.Slug, &t.Name); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// scanTags reads rows of (id, slug, name, count) into tags, closing them.
func scanTags(rows *sql.Rows) ([]news.Tag, error) {
	defer rows.Close()
	var out []news.Tag
	for rows.Next() {
		var t news.Tag
		if err := rows.Scan(&t.ID, &t.Slug, &t.Name, &t.Count); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}
