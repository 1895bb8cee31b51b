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

// What the WordPress importer and exporter (package wpimport) and the
// old-link redirects need: the map from WordPress ids to Masthead's,
// static pages, and section parents.

// WPMapping is one row of the map from an imported WordPress record to
// what it became in Masthead (migrations/*/0006_wordpress.sql).
type WPMapping struct {
	Site     string // the export's base site URL
	Kind     string // post, page, attachment, author, category, tag, comment
	WPID     string
	TargetID int64
	URL      string
	OldPath  string
	Checksum string
}

// WPMapping looks up what a WordPress record became; ok is false when it
// was never imported.
func (s *Store) WPMapping(ctx context.Context, site, kind, wpID string) (m WPMapping, ok bool, err error) {
	m = WPMapping{Site: site, Kind: kind, WPID: wpID}
	err = s.queryRow(ctx, s.read, `SELECT target_id, url, old_path, checksum FROM wordpress_map
		WHERE site = ? AND kind = ? AND wp_id = ?`, site, kind, wpID).Scan(&m.TargetID, &m.URL, &m.OldPath, &m.Checksum)
	if errors.Is(err, sql.ErrNoRows) {
		return m, false, nil
	}
	if err != nil {
		return m, false, fmt.Errorf("look up WordPress %s %s: %w", kind, wpID, err)
	}
	return m, true, nil
}

// PutWPMapping records (or replaces) what a WordPress record became.
func (s *Store) PutWPMapping(ctx context.Context, m WPMapping) error {
	_, err := s.exec(ctx, s.write, `INSERT INTO wordpress_map (site, kind, wp_id, target_id, url, old_path, checksum, imported_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (site, kind, wp_id) DO UPDATE SET target_id = excluded.target_id, url = excluded.url,
			old_path = excluded.old_path, checksum = excluded.checksum, imported_at = excluded.imported_at`,
		m.Site, m.Kind, m.WPID, m.TargetID, m.URL, m.OldPath, m.Checksum, s.clock.Now())
	if err != nil {
		return fmt.Errorf("record WordPress %s %s: %w", m.Kind, m.WPID, err)
	}
	return nil
}

// WPMappingsOfKind lists every mapping of one kind from one site, by
// WordPress id.
func (s *Store) WPMappingsOfKind(ctx context.Context, site, kind string) (map[string]WPMapping, error) {
	rows, err := s.queryRows(ctx, s.read, `SELECT wp_id, target_id, url, old_path, checksum FROM wordpress_map
		WHERE site = ? AND kind = ?`, site, kind)
	if err != nil {
		return nil, fmt.Errorf("list WordPress %ss: %w", kind, err)
	}
	defer rows.Close()
	out := map[string]WPMapping{}
	for rows.Next() {
		m := WPMapping{Site: site, Kind: kind}
		if err := rows.Scan(&m.WPID, &m.TargetID, &m.URL, &m.OldPath, &m.Checksum); err != nil {
			return nil, err
		}
		out[m.WPID] = m
	}
	return out, rows.Err()
}

// OldLink resolves an old WordPress address to the public path of what it
// became: by WordPress id (kind "post" or "page" with the number of
// ?p=123, "category", "tag" or "author" with a slug or login) or, with
// kind "", by the old URL path ("2013/01/10/hello-world"). The most
// recent import wins when several sites were imported. news.ErrNotFound
// when nothing public answers.
func (s *Store) OldLink(ctx context.Context, kind, key string) (string, error) {
	where, args := `m.kind = ? AND m.wp_id = ?`, []any{kind, key}
	switch kind {
	case "post", "page": // ?p= names either
		where, args = `m.kind IN ('post', 'page') AND m.wp_id = ?`, []any{key}
	case "":
		where, args = `m.old_path = ? AND m.kind IN ('post', 'page', 'category', 'tag', 'author')`, []any{strings.Trim(key, "/")}
	}
	var k string
	var target int64
	err := s.queryRow(ctx, s.read, `SELECT m.kind, m.target_id FROM wordpress_map m WHERE `+where+`
		ORDER BY m.imported_at DESC LIMIT 1`, args...).Scan(&k, &target)
	if errors.Is(err, sql.ErrNoRows) {
		return "", news.ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("resolve old link %s %q: %w", kind, key, err)
	}
	var path sql.NullString
	switch k {
	case "post", "page":
		err = s.queryRow(ctx, s.read, `SELECT path FROM articles WHERE id = ? AND status = 'published'`, target).Scan(&path)
		path.String = "/" + path.String
	case "category":
		err = s.queryRow(ctx, s.read, `SELECT slug FROM sections WHERE id = ?`, target).Scan(&path)
		path.String = "/section/" + path.String
	case "tag":
		err = s.queryRow(ctx, s.read, `SELECT slug FROM tags WHERE id = ?`, target).Scan(&path)
		path.String = "/tag/" + path.String
	case "author":
		err = s.queryRow(ctx, s.read, `SELECT slug FROM users WHERE id = ? AND NOT disabled`, target).Scan(&path)
		path.String = "/author/" + path.String
	default:
		return "", news.ErrNotFound
	}
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !path.Valid) {
		return "", news.ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("resolve old link %s %q: %w", kind, key, err)
	}
	return path.String, nil
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

// SetPublishedAt fixes when an imported article was first published, and
// its public path. The path must be free (PathTaken).
func (s *Store) SetPublishedAt(ctx context.Context, articleID int64, publishedAt time.Time, path string) error {
	_, err := s.exec(ctx, s.write, `UPDATE articles SET published_at = ?, path = ?, slug = ? WHERE id = ?`,
		publishedAt, path, path[strings.LastIndexByte(path, '/')+1:], articleID)
	if isUniqueViolation(err) {
		return fmt.Errorf("article %d at %s: %w", articleID, path, news.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("article %d at %s: %w", articleID, path, err)
	}
	return nil
}

// SetModified stamps when an imported article last changed (the export's
// post_modified), which drives caches and sitemaps.
func (s *Store) SetModified(ctx context.Context, articleID int64, at time.Time) error {
	if _, err := s.exec(ctx, s.write, `UPDATE articles SET modified_at = ? WHERE id = ?`, at, articleID); err != nil {
		return fmt.Errorf("article %d: %w", articleID, err)
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

// AllArticleIDs lists the ids of every article, oldest first, for exports.
func (s *Store) AllArticleIDs(ctx context.Context) ([]int64, error) {
	rows, err := s.queryRows(ctx, s.read, `SELECT id FROM articles ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("list articles: %w", err)
	}
	return scanIDs(rows)
}

// AllStaff lists every account, disabled ones too, by id.
func (s *Store) AllStaff(ctx context.Context) ([]news.Staff, error) {
	rows, err := s.queryRows(ctx, s.read, `SELECT `+authorColumns+` FROM users u ORDER BY u.id`)
	if err != nil {
		return nil, fmt.Errorf("list staff: %w", err)
	}
	return scanAuthors(rows)
}

// StaffSlugTaken reports whether a staff slug is in use.
func (s *Store) StaffSlugTaken(ctx context.Context, slug string) (bool, error) {
	var n int
	if err := s.queryRow(ctx, s.read, `SELECT COUNT(*) FROM users WHERE slug = ?`, slug).Scan(&n); err != nil {
		return false, fmt.Errorf("check staff slug: %w", err)
	}
	return n > 0, nil
}

// StaffByEmail finds any account (even one without a password yet) by
// email.
func (s *Store) StaffByEmail(ctx context.Context, email string) (*news.Staff, error) {
	var a news.Staff
	err := scanAuthor(s.queryRow(ctx, s.read, `SELECT `+authorColumns+` FROM users u WHERE u.email = ?`, strings.ToLower(strings.TrimSpace(email))), &a)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, news.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("find staff by email: %w", err)
	}
	return &a, nil
}
