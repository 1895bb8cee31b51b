package store

// Taxonomy: sections and tags.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"masthead/internal/markup"
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
	rows, err := s.queryRows(ctx, s.read, `SELECT id, slug, name, description, position, COALESCE(parent_id, 0) FROM sections ORDER BY position, name`)
	if err != nil {
		return nil, fmt.Errorf("list sections: %w", err)
	}
	defer rows.Close()
	var out []news.Section
	for rows.Next() {
		var sec news.Section
		if err := rows.Scan(&sec.ID, &sec.Slug, &sec.Name, &sec.Description, &sec.Position, &sec.ParentID); err != nil {
			return nil, err
		}
		out = append(out, sec)
	}
	return out, rows.Err()
}

// SectionBySlug finds a section.
func (s *Store) SectionBySlug(ctx context.Context, slug string) (*news.Section, error) {
	var sec news.Section
	err := s.queryRow(ctx, s.read, `SELECT id, slug, name, description, position, COALESCE(parent_id, 0) FROM sections WHERE slug = ?`, slug).
		Scan(&sec.ID, &sec.Slug, &sec.Name, &sec.Description, &sec.Position, &sec.ParentID)
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
	// A tag renamed or merged away lives on as the tag it became, so a
	// stale editor or an old revision does not bring it back (and take
	// its old address from the redirect).
	err := s.queryRow(ctx, s.write, `SELECT t.id, t.slug, t.name FROM tag_slugs o JOIN tags t ON t.id = o.tag_id
		WHERE o.slug = ? AND NOT EXISTS (SELECT 1 FROM tags WHERE slug = ?)`, t.Slug, t.Slug).Scan(&t.ID, &t.Slug, &t.Name)
	if err == nil {
		return t, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return t, fmt.Errorf("ensure tag %q: %w", name, err)
	}
	err = s.queryRow(ctx, s.write, `INSERT INTO tags (slug, name) VALUES (?, ?)
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
	err := s.queryRow(ctx, s.read, `SELECT s.id, s.slug, s.name, s.description, s.position, COALESCE(s.parent_id, 0)
		FROM section_slugs o JOIN sections s ON s.id = o.section_id WHERE o.slug = ?`, slug).
		Scan(&sec.ID, &sec.Slug, &sec.Name, &sec.Description, &sec.Position, &sec.ParentID)
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

// MergeSection moves every article of section id to section into, sends
// id's address (and every address it had) on to into, and removes id, in
// one transaction. Sections nested under id come to the top level.
func (s *Store) MergeSection(ctx context.Context, id, into int64) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var slug string
		err := s.queryRow(ctx, tx, `SELECT slug FROM sections WHERE id = ?`, id).Scan(&slug)
		if errors.Is(err, sql.ErrNoRows) {
			return news.ErrNotFound
		}
		if err != nil {
			return err
		}
		var n int
		if err := s.queryRow(ctx, tx, `SELECT COUNT(*) FROM sections WHERE id = ?`, into).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return news.ErrNotFound
		}
		if _, err := s.exec(ctx, tx, `UPDATE articles SET section_id = ? WHERE section_id = ?`, into, id); err != nil {
			return err
		}
		// Old slugs first: deleting the section would take them with it.
		if _, err := s.exec(ctx, tx, `UPDATE section_slugs SET section_id = ? WHERE section_id = ?`, into, id); err != nil {
			return err
		}
		if _, err := s.exec(ctx, tx, `DELETE FROM sections WHERE id = ?`, id); err != nil {
			return err
		}
		_, err = s.exec(ctx, tx, `INSERT INTO section_slugs (slug, section_id) VALUES (?, ?)`, slug, into)
		return err
	})
	if err != nil {
		return fmt.Errorf("merge section %d into %d: %w", id, into, err)
	}
	return nil
}

// TagQuery selects tags for the newsroom's Tags screen.
type TagQuery struct {
	Text          string // in the name or slug; empty: every tag
	ByUse         bool   // most used first, rather than by name
	Limit, Offset int
}

// tagUseColumns reads a tag with its published articles and all its
// articles, from tags t.
const tagUseColumns = `t.id, t.slug, t.name,
	(SELECT COUNT(*) FROM article_tags at JOIN articles a ON a.id = at.article_id WHERE at.tag_id = t.id AND a.status = 'published'),
	(SELECT COUNT(*) FROM article_tags at WHERE at.tag_id = t.id)`

func scanTagUse(sc interface{ Scan(...any) error }, t *news.Tag) error {
	return sc.Scan(&t.ID, &t.Slug, &t.Name, &t.Count, &t.Articles)
}

// ManagedTags lists the tags q selects, with their counts, and how many
// there are in all.
func (s *Store) ManagedTags(ctx context.Context, q TagQuery) ([]news.Tag, int, error) {
	where, args := "", []any{}
	if q.Text != "" {
		like := "%" + likeEscaper.Replace(strings.ToLower(q.Text)) + "%"
		where, args = ` WHERE LOWER(t.name) LIKE ? ESCAPE '\' OR t.slug LIKE ? ESCAPE '\'`, []any{like, like}
	}
	var total int
	if err := s.queryRow(ctx, s.read, `SELECT COUNT(*) FROM tags t`+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count tags: %w", err)
	}
	order := `LOWER(t.name), t.id`
	if q.ByUse {
		order = `5 DESC, LOWER(t.name), t.id`
	}
	rows, err := s.queryRows(ctx, s.read, `SELECT `+tagUseColumns+` FROM tags t`+where+` ORDER BY `+order+` LIMIT ? OFFSET ?`,
		append(args, q.Limit, q.Offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("list tags: %w", err)
	}
	defer rows.Close()
	var out []news.Tag
	for rows.Next() {
		var t news.Tag
		if err := scanTagUse(rows, &t); err != nil {
			return nil, 0, err
		}
		out = append(out, t)
	}
	return out, total, rows.Err()
}

// TagByID finds a tag, with its counts.
func (s *Store) TagByID(ctx context.Context, id int64) (*news.Tag, error) {
	var t news.Tag
	err := scanTagUse(s.queryRow(ctx, s.read, `SELECT `+tagUseColumns+` FROM tags t WHERE t.id = ?`, id), &t)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, news.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load tag %d: %w", id, err)
	}
	return &t, nil
}

// TagByOldSlug finds the tag that had slug before a rename, or that took
// in the tag that had it.
func (s *Store) TagByOldSlug(ctx context.Context, slug string) (*news.Tag, error) {
	var t news.Tag
	err := s.queryRow(ctx, s.read, `SELECT t.id, t.slug, t.name FROM tag_slugs o JOIN tags t ON t.id = o.tag_id WHERE o.slug = ?`, slug).
		Scan(&t.ID, &t.Slug, &t.Name)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, news.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load tag by old slug %q: %w", slug, err)
	}
	return &t, nil
}

// CreateTag adds a tag; a slug in use is news.ErrConflict.
func (s *Store) CreateTag(ctx context.Context, t *news.Tag) error {
	id, err := s.insert(ctx, s.write, `INSERT INTO tags (slug, name) VALUES (?, ?)`, t.Slug, t.Name)
	if isUniqueViolation(err) {
		return fmt.Errorf("create tag %q: %w", t.Slug, news.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("create tag %q: %w", t.Slug, err)
	}
	t.ID = id
	return nil
}

// RenameTag saves a tag's name and slug. A new slug keeps the old one in
// tag_slugs, so old links can be sent on; a slug another tag has, or had,
// is news.ErrConflict.
func (s *Store) RenameTag(ctx context.Context, t *news.Tag) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var old string
		err := s.queryRow(ctx, tx, `SELECT slug FROM tags WHERE id = ?`, t.ID).Scan(&old)
		if errors.Is(err, sql.ErrNoRows) {
			return news.ErrNotFound
		}
		if err != nil {
			return err
		}
		if old != t.Slug {
			var owner int64
			err := s.queryRow(ctx, tx, `SELECT tag_id FROM tag_slugs WHERE slug = ?`, t.Slug).Scan(&owner)
			switch {
			case err == nil && owner != t.ID:
				return news.ErrConflict
			case err != nil && !errors.Is(err, sql.ErrNoRows):
				return err
			}
			if _, err := s.exec(ctx, tx, `DELETE FROM tag_slugs WHERE slug = ? OR slug = ?`, t.Slug, old); err != nil {
				return err
			}
			if _, err := s.exec(ctx, tx, `INSERT INTO tag_slugs (slug, tag_id) VALUES (?, ?)`, old, t.ID); err != nil {
				return err
			}
		}
		if _, err := s.exec(ctx, tx, `UPDATE tags SET name = ?, slug = ? WHERE id = ?`, t.Name, t.Slug, t.ID); err != nil {
			return err
		}
		ids, err := s.taggedArticles(ctx, tx, t.ID)
		if err != nil {
			return err
		}
		return s.reindexTags(ctx, tx, ids)
	})
	if isUniqueViolation(err) {
		err = news.ErrConflict
	}
	if err != nil {
		return fmt.Errorf("rename tag %d: %w", t.ID, err)
	}
	return nil
}

// MergeTag gives every article tagged id the tag into instead (once),
// sends id's address (and every address it had) on to into, and removes
// id, in one transaction.
func (s *Store) MergeTag(ctx context.Context, id, into int64) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var slug string
		err := s.queryRow(ctx, tx, `SELECT slug FROM tags WHERE id = ?`, id).Scan(&slug)
		if errors.Is(err, sql.ErrNoRows) {
			return news.ErrNotFound
		}
		if err != nil {
			return err
		}
		var n int
		if err := s.queryRow(ctx, tx, `SELECT COUNT(*) FROM tags WHERE id = ?`, into).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return news.ErrNotFound
		}
		if _, err := s.exec(ctx, tx, `INSERT INTO article_tags (article_id, tag_id)
			SELECT article_id, ? FROM article_tags WHERE tag_id = ?
			AND article_id NOT IN (SELECT article_id FROM article_tags WHERE tag_id = ?)`, into, id, into); err != nil {
			return err
		}
		if _, err := s.exec(ctx, tx, `UPDATE tag_slugs SET tag_id = ? WHERE tag_id = ?`, into, id); err != nil {
			return err
		}
		if _, err := s.exec(ctx, tx, `DELETE FROM tags WHERE id = ?`, id); err != nil {
			return err
		}
		if _, err := s.exec(ctx, tx, `INSERT INTO tag_slugs (slug, tag_id) VALUES (?, ?)`, slug, into); err != nil {
			return err
		}
		ids, err := s.taggedArticles(ctx, tx, into)
		if err != nil {
			return err
		}
		return s.reindexTags(ctx, tx, ids)
	})
	if err != nil {
		return fmt.Errorf("merge tag %d into %d: %w", id, into, err)
	}
	return nil
}

// DeleteTag removes a tag from every article and then the tag itself, with
// its old slugs.
func (s *Store) DeleteTag(ctx context.Context, id int64) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		ids, err := s.taggedArticles(ctx, tx, id)
		if err != nil {
			return err
		}
		res, err := s.exec(ctx, tx, `DELETE FROM tags WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return errors.Join(err, news.ErrNotFound)
		}
		return s.reindexTags(ctx, tx, ids)
	})
	if err != nil {
		return fmt.Errorf("delete tag %d: %w", id, err)
	}
	return nil
}

// taggedArticles lists the articles carrying tag id.
func (s *Store) taggedArticles(ctx context.Context, tx *sql.Tx, id int64) ([]int64, error) {
	rows, err := s.queryRows(ctx, tx, `SELECT article_id FROM article_tags WHERE tag_id = ?`, id)
	if err != nil {
		return nil, fmt.Errorf("articles tagged %d: %w", id, err)
	}
	return scanIDs(rows)
}

// reindexTags rewrites the tag names in the search rows of articles, after
// their tags were renamed, merged or removed.
func (s *Store) reindexTags(ctx context.Context, tx *sql.Tx, articles []int64) error {
	for _, id := range articles {
		rows, err := s.queryRows(ctx, tx, `SELECT t.name FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id = ? ORDER BY t.name`, id)
		if err != nil {
			return fmt.Errorf("read the tags of article %d: %w", id, err)
		}
		var names []string
		for rows.Next() {
			var name string
			if err := rows.Scan(&name); err != nil {
				rows.Close()
				return err
			}
			names = append(names, name)
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return err
		}
		if err := s.reindexRow(ctx, tx, id, strings.Join(names, ", ")); err != nil {
			return err
		}
	}
	return nil
}

// reindexRow writes an article's search row again with new tags. Neither
// engine's index keeps the body (sqlite/0030, postgres/0044): a row is
// replaced whole, its body from the article as readers see it.
func (s *Store) reindexRow(ctx context.Context, tx *sql.Tx, id int64, tags string) error {
	var indexed int
	if err := s.queryRow(ctx, tx, `SELECT COUNT(*) FROM article_search WHERE rowid = ?`, id).Scan(&indexed); err != nil || indexed == 0 {
		return err // an article in the trash has no row, and gets none
	}
	var headline, standfirst, byline string
	bodyHTML := packedText{p: s.packer}
	err := s.queryRow(ctx, tx, `SELECT headline, standfirst, body_html, `+s.dialect.bylineOf("a")+`
		FROM articles a WHERE id = ?`, id).Scan(&headline, &standfirst, &bodyHTML, &byline)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("reindex the tags of article %d: %w", id, err)
	}
	if _, err := s.exec(ctx, tx, `DELETE FROM article_search WHERE rowid = ?`, id); err != nil {
		return fmt.Errorf("reindex the tags of article %d: %w", id, err)
	}
	if _, err := s.exec(ctx, tx, `INSERT INTO article_search (rowid, headline, standfirst, body, byline, tags) VALUES (?, ?, ?, ?, ?, ?)`,
		id, headline, standfirst, markup.Text(bodyHTML.text), byline, tags); err != nil {
		return fmt.Errorf("reindex the tags of article %d: %w", id, err)
	}
	return nil
}
