package store

// Taxonomy: sections and tags.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"masthead/internal/news"
)

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

// SetSectionParent nests a section under another (0: top level).
func (s *Store) SetSectionParent(ctx context.Context, id, parentID int64) error {
	if _, err := s.exec(ctx, s.write, `UPDATE sections SET parent_id = ? WHERE id = ?`, nullID(parentID), id); err != nil {
		return fmt.Errorf("set parent of section %d: %w", id, err)
	}
	return nil
}

// UpdateSection changes a section's name and description.
func (s *Store) UpdateSection(ctx context.Context, sec *news.Section) error {
	if _, err := s.exec(ctx, s.write, `UPDATE sections SET name = ?, description = ? WHERE id = ?`, sec.Name, sec.Description, sec.ID); err != nil {
		return fmt.Errorf("update section %d: %w", sec.ID, err)
	}
	return nil
}

// RenameSection saves a section's name, slug and description. A new slug
// keeps the old one in section_slugs, so old links can be sent on; a slug
// another section has, or had, is news.ErrConflict.
func (s *Store) RenameSection(ctx context.Context, sec *news.Section) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var old string
		err := s.queryRow(ctx, tx, `SELECT slug FROM sections WHERE id = ?`, sec.ID).Scan(&old)
		if errors.Is(err, sql.ErrNoRows) {
			return news.ErrNotFound
		}
		if err != nil {
			return err
		}
		if old != sec.Slug {
			var owner int64
			err := s.queryRow(ctx, tx, `SELECT section_id FROM section_slugs WHERE slug = ?`, sec.Slug).Scan(&owner)
			switch {
			case err == nil && owner != sec.ID:
				return news.ErrConflict
			case err != nil && !errors.Is(err, sql.ErrNoRows):
				return err
			}
			if _, err := s.exec(ctx, tx, `DELETE FROM section_slugs WHERE slug = ? OR slug = ?`, sec.Slug, old); err != nil {
				return err
			}
			if _, err := s.exec(ctx, tx, `INSERT INTO section_slugs (slug, section_id) VALUES (?, ?)`, old, sec.ID); err != nil {
				return err
			}
		}
		_, err = s.exec(ctx, tx, `UPDATE sections SET name = ?, slug = ?, description = ? WHERE id = ?`, sec.Name, sec.Slug, sec.Description, sec.ID)
		return err
	})
	if isUniqueViolation(err) {
		err = news.ErrConflict
	}
	if err != nil {
		return fmt.Errorf("rename section %d: %w", sec.ID, err)
	}
	return nil
}

// SectionByOldSlug finds the section that had slug before a rename.
func (s *Store) SectionByOldSlug(ctx context.Context, slug string) (*news.Section, error) {
	var sec news.Section
	err := s.queryRow(ctx, s.read, `SELECT s.id, s.slug, s.name, s.description, s.position
		FROM section_slugs o JOIN sections s ON s.id = o.section_id WHERE o.slug = ?`, slug).
		Scan(&sec.ID, &sec.Slug, &sec.Name, &sec.Description, &sec.Position)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, news.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load section by old slug %q: %w", slug, err)
	}
	return &sec, nil
}

// OrderSections gives the sections the navigation order of ids.
func (s *Store) OrderSections(ctx context.Context, ids []int64) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		for i, id := range ids {
			if _, err := s.exec(ctx, tx, `UPDATE sections SET position = ? WHERE id = ?`, i, id); err != nil {
				return fmt.Errorf("order sections: %w", err)
			}
		}
		return nil
	})
}

// DeleteSection removes section id, first moving its articles to section
// into (0: no section), in one transaction; its old slugs go with it.
func (s *Store) DeleteSection(ctx context.Context, id, into int64) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var target any
		if into != 0 {
			target = into
		}
		if _, err := s.exec(ctx, tx, `UPDATE articles SET section_id = ? WHERE section_id = ?`, target, id); err != nil {
			return fmt.Errorf("move the articles of section %d: %w", id, err)
		}
		res, err := s.exec(ctx, tx, `DELETE FROM sections WHERE id = ?`, id)
		if err != nil {
			return fmt.Errorf("delete section %d: %w", id, err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return errors.Join(err, news.ErrNotFound)
		}
		return nil
	})
}

// SectionParents maps each nested section's id to its parent's.
func (s *Store) SectionParents(ctx context.Context) (map[int64]int64, error) {
	rows, err := s.queryRows(ctx, s.read, `SELECT id, parent_id FROM sections WHERE parent_id IS NOT NULL`)
	if err != nil {
		return nil, fmt.Errorf("section parents: %w", err)
	}
	defer rows.Close()
	out := map[int64]int64{}
	for rows.Next() {
		var id, parent int64
		if err := rows.Scan(&id, &parent); err != nil {
			return nil, err
		}
		out[id] = parent
	}
	return out, rows.Err()
}

// Tags lists every tag, by name.
func (s *Store) Tags(ctx context.Context) ([]news.Tag, error) {
	rows, err := s.queryRows(ctx, s.read, `SELECT t.id, t.slug, t.name,
		(SELECT COUNT(*) FROM article_tags at JOIN articles a ON a.id = at.article_id WHERE at.tag_id = t.id AND a.status = 'published')
		FROM tags t ORDER BY t.name, t.id`)
	if err != nil {
		return nil, fmt.Errorf("list tags: %w", err)
	}
	return scanTags(rows)
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
