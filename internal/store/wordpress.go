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

// WPImported lists the mappings of one kind from one site whose record is
// still there (an article for a post or page, a comment for a comment;
// other kinds are listed whole), by WordPress id: what an import can skip
// when the checksum matches. One query, so an import does not look each
// record up again.
func (s *Store) WPImported(ctx context.Context, site, kind string) (map[string]WPMapping, error) {
	join := ""
	switch kind {
	case "post", "page":
		join = ` JOIN articles t ON t.id = m.target_id`
	case "comment":
		join = ` JOIN comments t ON t.id = m.target_id`
	}
	rows, err := s.queryRows(ctx, s.read, `SELECT m.wp_id, m.target_id, m.url, m.old_path, m.checksum FROM wordpress_map m`+join+`
		WHERE m.site = ? AND m.kind = ?`, site, kind)
	if err != nil {
		return nil, fmt.Errorf("list imported WordPress %ss: %w", kind, err)
	}
	defer rows.Close()
	out := map[string]WPMapping{}
	for rows.Next() {
		m := WPMapping{Site: site, Kind: kind}
		if err := rows.Scan(&m.WPID, &m.TargetID, &m.URL, &m.OldPath, &m.Checksum); err != nil {
			return nil, fmt.Errorf("list imported WordPress %ss: %w", kind, err)
		}
		out[m.WPID] = m
	}
	return out, rows.Err()
}

// PutWPMappings records (or replaces) many mappings, a few statements in
// all.
func (s *Store) PutWPMappings(ctx context.Context, ms []WPMapping) error {
	if len(ms) == 0 {
		return nil
	}
	now := s.clock.Now()
	var rows rowsBuilder
	for _, m := range ms {
		rows.add(m.Site, m.Kind, m.WPID, m.TargetID, m.URL, m.OldPath, m.Checksum, now)
	}
	per := maxParams / rows.width
	row := "(" + placeholders(rows.width) + ")"
	for first := 0; first < rows.n; first += per {
		n := min(per, rows.n-first)
		_, err := s.exec(ctx, s.write, `INSERT INTO wordpress_map (site, kind, wp_id, target_id, url, old_path, checksum, imported_at)
			VALUES `+strings.TrimSuffix(strings.Repeat(row+", ", n), ", ")+`
			ON CONFLICT (site, kind, wp_id) DO UPDATE SET target_id = excluded.target_id, url = excluded.url,
				old_path = excluded.old_path, checksum = excluded.checksum, imported_at = excluded.imported_at`,
			rows.args[first*rows.width:(first+n)*rows.width]...)
		if err != nil {
			return fmt.Errorf("record %d WordPress mappings: %w", len(ms), err)
		}
	}
	return nil
}

// TakenPaths reports which of paths articles already use.
func (s *Store) TakenPaths(ctx context.Context, paths []string) (map[string]bool, error) {
	taken := map[string]bool{}
	for first := 0; first < len(paths); first += maxParams {
		chunk := paths[first:min(first+maxParams, len(paths))]
		args := make([]any, len(chunk))
		for i, p := range chunk {
			args[i] = p
		}
		rows, err := s.queryRows(ctx, s.read, `SELECT path FROM articles WHERE path IN (`+placeholders(len(chunk))+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("check %d paths: %w", len(paths), err)
		}
		for rows.Next() {
			var p string
			if err := rows.Scan(&p); err != nil {
				rows.Close()
				return nil, fmt.Errorf("check %d paths: %w", len(paths), err)
			}
			taken[p] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("check %d paths: %w", len(paths), err)
		}
	}
	return taken, nil
}

// PutWPImport records a completed import of the export file known by key
// (see the wordpress_imports migration), with its summary.
func (s *Store) PutWPImport(ctx context.Context, key, site, summary string) error {
	_, err := s.exec(ctx, s.write, `INSERT INTO wordpress_imports (file_key, site, summary, imported_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (file_key) DO UPDATE SET site = excluded.site, summary = excluded.summary, imported_at = excluded.imported_at`,
		key, site, summary, s.clock.Now())
	if err != nil {
		return fmt.Errorf("record the import of %s: %w", site, err)
	}
	return nil
}

// WPRepeatImport returns the summary recorded for the export file known
// by key when importing it again would change nothing: it was imported
// in full, nothing was imported from its site since, and every record it
// made is still there. ok is false otherwise.
func (s *Store) WPRepeatImport(ctx context.Context, key string) (summary string, ok bool, err error) {
	var site string
	var at nullTime
	err = s.queryRow(ctx, s.read, `SELECT site, summary, imported_at FROM wordpress_imports WHERE file_key = ?`, key).Scan(&site, &summary, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("look up an earlier import: %w", err)
	}
	var later, missing int
	if err := s.queryRow(ctx, s.read, `SELECT COUNT(*) FROM wordpress_map WHERE site = ? AND imported_at > ?`, site, at.Time).Scan(&later); err != nil {
		return "", false, fmt.Errorf("look up an earlier import: %w", err)
	}
	if later > 0 {
		return "", false, nil
	}
	err = s.queryRow(ctx, s.read, `SELECT COUNT(*) FROM wordpress_map m WHERE m.site = ? AND CASE m.kind
			WHEN 'post' THEN NOT EXISTS (SELECT 1 FROM articles t WHERE t.id = m.target_id)
			WHEN 'page' THEN NOT EXISTS (SELECT 1 FROM articles t WHERE t.id = m.target_id)
			WHEN 'comment' THEN NOT EXISTS (SELECT 1 FROM comments t WHERE t.id = m.target_id)
			WHEN 'author' THEN NOT EXISTS (SELECT 1 FROM users t WHERE t.id = m.target_id)
			WHEN 'category' THEN NOT EXISTS (SELECT 1 FROM sections t WHERE t.id = m.target_id)
			WHEN 'tag' THEN NOT EXISTS (SELECT 1 FROM tags t WHERE t.slug = m.url)
			WHEN 'attachment' THEN m.target_id <> 0 AND NOT EXISTS (SELECT 1 FROM media t WHERE t.id = m.target_id)
			ELSE FALSE END`, site).Scan(&missing)
	if err != nil {
		return "", false, fmt.Errorf("look up an earlier import: %w", err)
	}
	return summary, missing == 0, nil
}
