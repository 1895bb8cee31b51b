package store

// WordPress mappings: what an import brought in from where, and the
// old addresses that redirect to the new ones.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

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
