package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"masthead/internal/media"
	"masthead/internal/news"
)

// The media library's records (the files themselves are in a media.Store).

const mediaColumns = `m.id, m.hash, m.key, m.filename, m.content_type, m.width, m.height, m.bytes,
	m.alt, m.caption, m.credit, COALESCE(m.uploaded_by, 0), COALESCE(u.name, ''), m.created_at`

const mediaFrom = ` FROM media m LEFT JOIN users u ON u.id = m.uploaded_by`

func scanMedia(sc interface{ Scan(...any) error }) (*media.Item, error) {
	var it media.Item
	var created nullTime
	err := sc.Scan(&it.ID, &it.Hash, &it.Key, &it.Filename, &it.ContentType, &it.Width, &it.Height, &it.Bytes,
		&it.Alt, &it.Caption, &it.Credit, &it.UploadedBy, &it.UploaderName, &created)
	it.CreatedAt = created.Time
	return &it, err
}

// CreateMedia records a library item and its variants in one transaction
// and sets it.ID. When an item with the same hash is already recorded (the
// same bytes uploaded twice, perhaps at the same moment), it loads that one
// into *it instead and returns false.
func (s *Store) CreateMedia(ctx context.Context, it *media.Item) (created bool, err error) {
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		var id int64
		err := s.queryRow(ctx, tx, `INSERT INTO media (hash, key, filename, content_type, width, height, bytes,
			alt, caption, credit, uploaded_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (hash) DO NOTHING RETURNING id`,
			it.Hash, it.Key, it.Filename, it.ContentType, it.Width, it.Height, it.Bytes,
			it.Alt, it.Caption, it.Credit, nullID(it.UploadedBy), it.CreatedAt).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return nil // recorded already
		}
		if err != nil {
			return err
		}
		for _, v := range it.Variants {
			if _, err := s.exec(ctx, tx, `INSERT INTO media_variants (media_id, key, width, height, bytes, content_type)
				VALUES (?, ?, ?, ?, ?, ?)`, id, v.Key, v.Width, v.Height, v.Bytes, v.ContentType); err != nil {
				return err
			}
		}
		it.ID, created = id, true
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("record media %s: %w", it.Key, err)
	}
	if !created {
		found, err := s.MediaByHash(ctx, it.Hash)
		if err != nil {
			return false, err
		}
		*it = *found
	}
	return created, nil
}

// MediaItem loads a library item with its variants.
func (s *Store) MediaItem(ctx context.Context, id int64) (*media.Item, error) {
	return s.loadMedia(ctx, `m.id = ?`, id)
}

// PublishedMediaItem loads a library item that a published article uses;
// news.ErrNotFound for any other.
func (s *Store) PublishedMediaItem(ctx context.Context, id int64) (*media.Item, error) {
	return s.loadMedia(ctx, `m.id = ? AND `+mediaPublished, id)
}

// mediaPublished holds for an item a published article uses (media_uses
// says which articles use which items).
const mediaPublished = `EXISTS (SELECT 1 FROM media_uses mu JOIN articles a ON a.id = mu.article_id
	WHERE mu.media_id = m.id AND a.status = 'published' AND a.path <> '')`

// mediaRef is how an article refers to a library image: by a URL of its
// original or a variant, all named by the original's hash.
var mediaRef = regexp.MustCompile(`/media/lib/[0-9a-f]{2}/([0-9a-f]{64})`)

// writeMediaUses records, inside tx, which library images article a uses
// as its lead image or in its body.
func (s *Store) writeMediaUses(ctx context.Context, tx *sql.Tx, a *news.Article) error {
	if _, err := s.exec(ctx, tx, `DELETE FROM media_uses WHERE article_id = ?`, a.ID); err != nil {
		return fmt.Errorf("media uses of article %d: %w", a.ID, err)
	}
	return s.addMediaUses(ctx, tx, a)
}

// addMediaUses is writeMediaUses for an article that has none recorded.
func (s *Store) addMediaUses(ctx context.Context, tx *sql.Tx, a *news.Article) error {
	text := a.Body
	if a.LeadImage != nil {
		text = a.LeadImage.URL + " " + text
	}
	seen := map[string]bool{}
	args := []any{a.ID}
	for _, m := range mediaRef.FindAllStringSubmatch(text, -1) {
		if !seen[m[1]] {
			seen[m[1]] = true
			args = append(args, m[1])
		}
	}
	if len(seen) == 0 {
		return nil
	}
	if _, err := s.exec(ctx, tx, `INSERT INTO media_uses (media_id, article_id)
		SELECT id, ? FROM media WHERE hash IN (`+placeholders(len(seen))+`)`, args...); err != nil {
		return fmt.Errorf("media uses of article %d: %w", a.ID, err)
	}
	return nil
}

// MediaByHash loads the library item whose original has this SHA-256.
func (s *Store) MediaByHash(ctx context.Context, hash string) (*media.Item, error) {
	return s.loadMedia(ctx, `m.hash = ?`, hash)
}

func (s *Store) loadMedia(ctx context.Context, where string, arg any) (*media.Item, error) {
	it, err := scanMedia(s.queryRow(ctx, s.read, `SELECT `+mediaColumns+mediaFrom+` WHERE `+where, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, news.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load media: %w", err)
	}
	if err := s.loadVariants(ctx, []*media.Item{it}); err != nil {
		return nil, err
	}
	return it, nil
}

// ListMedia returns a page of library items with their variants, and how
// many items match in all.
func (s *Store) ListMedia(ctx context.Context, f media.Filter) ([]*media.Item, int, error) {
	var conds []string
	var args []any
	if q := strings.TrimSpace(f.Query); q != "" {
		like := "%" + likeEscaper.Replace(strings.ToLower(q)) + "%"
		conds = append(conds, `(LOWER(m.filename) LIKE ? ESCAPE '\' OR LOWER(m.alt) LIKE ? ESCAPE '\'
			OR LOWER(m.caption) LIKE ? ESCAPE '\' OR LOWER(m.credit) LIKE ? ESCAPE '\')`)
		args = append(args, like, like, like, like)
	}
	if f.Published {
		conds = append(conds, mediaPublished)
	}
	where := ""
	if len(conds) > 0 {
		where = ` WHERE ` + strings.Join(conds, ` AND `)
	}
	var total int
	if err := s.queryRow(ctx, s.read, `SELECT COUNT(*) FROM media m`+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count media: %w", err)
	}
	rows, err := s.queryRows(ctx, s.read, `SELECT `+mediaColumns+mediaFrom+where+`
		ORDER BY m.created_at DESC, m.id DESC LIMIT ? OFFSET ?`, append(args, f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("list media: %w", err)
	}
	defer rows.Close()
	var items []*media.Item
	for rows.Next() {
		it, err := scanMedia(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("list media: %w", err)
		}
		items = append(items, it)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("list media: %w", err)
	}
	return items, total, s.loadVariants(ctx, items)
}

var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// loadVariants fills the items' variants, smallest first, in one query.
func (s *Store) loadVariants(ctx context.Context, items []*media.Item) error {
	if len(items) == 0 {
		return nil
	}
	byID := make(map[int64]*media.Item, len(items))
	ids := make([]any, len(items))
	for i, it := range items {
		byID[it.ID], ids[i] = it, it.ID
	}
	rows, err := s.queryRows(ctx, s.read, `SELECT media_id, key, width, height, bytes, content_type
		FROM media_variants WHERE media_id IN (`+placeholders(len(ids))+`) ORDER BY media_id, width`, ids...)
	if err != nil {
		return fmt.Errorf("load media variants: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var v media.Variant
		if err := rows.Scan(&id, &v.Key, &v.Width, &v.Height, &v.Bytes, &v.ContentType); err != nil {
			return fmt.Errorf("load media variants: %w", err)
		}
		if it := byID[id]; it != nil {
			it.Variants = append(it.Variants, v)
		}
	}
	return rows.Err()
}

// UpdateMediaText changes the words that travel with a library image.
func (s *Store) UpdateMediaText(ctx context.Context, id int64, alt, caption, credit string) error {
	res, err := s.exec(ctx, s.write, `UPDATE media SET alt = ?, caption = ?, credit = ? WHERE id = ?`, alt, caption, credit, id)
	if err != nil {
		return fmt.Errorf("update media %d: %w", id, err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return news.ErrNotFound
	}
	return nil
}

// MediaUsers lists the articles that use library item mediaID, as lead
// image or in their body, whatever their status (those in the trash too),
// most recently changed first, with bylines.
func (s *Store) MediaUsers(ctx context.Context, mediaID int64) ([]*news.Article, error) {
	rows, err := s.queryRows(ctx, s.read, `SELECT `+articleColumns+articleFrom+`
		WHERE a.id IN (SELECT article_id FROM media_uses WHERE media_id = ?) ORDER BY a.modified_at DESC, a.id DESC`, mediaID)
	if err != nil {
		return nil, fmt.Errorf("uses of media %d: %w", mediaID, err)
	}
	list, err := s.scanArticles(rows, false)
	if err != nil {
		return nil, fmt.Errorf("uses of media %d: %w", mediaID, err)
	}
	if err := s.attachTrash(ctx, list); err != nil {
		return nil, err
	}
	return list, s.attachAuthors(ctx, list)
}

// DeleteMedia removes a library item's record, with its variants' and its
// uses' (the files are the media store's). news.ErrNotFound when there is
// no such item.
func (s *Store) DeleteMedia(ctx context.Context, id int64) error {
	res, err := s.exec(ctx, s.write, `DELETE FROM media WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("delete media %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return news.ErrNotFound
	}
	return nil
}
