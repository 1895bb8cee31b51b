package store

// The breaking-news banner (migrations/sqlite/0026_breaking_news.sql): one
// row, pushed to open pages with the live blogs' sequence numbers.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"masthead/internal/news"
)

// Breaking is the banner as last set or cleared; a zero Breaking (Seq 0)
// when it never was.
func (s *Store) Breaking(ctx context.Context) (*news.Breaking, error) {
	var b news.Breaking
	var article sql.NullInt64
	var path, headline, setBy sql.NullString
	var expires, set nullTime
	err := s.queryRow(ctx, s.read, `SELECT b.text, b.article_id, CASE WHEN a.status = 'published' THEN a.path END, a.headline,
			b.expires_at, b.set_at, u.name, b.seq
		FROM breaking_news b LEFT JOIN articles a ON a.id = b.article_id LEFT JOIN users u ON u.id = b.set_by
		WHERE b.id = 1`).Scan(&b.Text, &article, &path, &headline, &expires, &set, &setBy, &b.Seq)
	if errors.Is(err, sql.ErrNoRows) {
		return &b, nil
	}
	if err != nil {
		return nil, fmt.Errorf("breaking news: %w", err)
	}
	b.ArticleID, b.Headline, b.SetBy = article.Int64, headline.String, setBy.String
	if path.Valid && path.String != "" {
		b.Link = "/" + path.String
	}
	b.ExpiresAt, b.SetAt = expires.Time, set.Time
	return &b, nil
}

// SetBreaking stores the banner (Text "" clears it) as set by userID; it
// sets b.Seq.
func (s *Store) SetBreaking(ctx context.Context, b *news.Breaking, userID int64) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		seq, err := s.nextLiveSeq(ctx, tx)
		if err != nil {
			return err
		}
		b.Seq = seq
		_, err = s.exec(ctx, tx, `INSERT INTO breaking_news (id, text, article_id, expires_at, set_at, set_by, seq) VALUES (1, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET text = excluded.text, article_id = excluded.article_id, expires_at = excluded.expires_at,
				set_at = excluded.set_at, set_by = excluded.set_by, seq = excluded.seq`,
			b.Text, nullID(b.ArticleID), b.ExpiresAt, b.SetAt, nullID(userID), seq)
		return err
	})
	if err != nil {
		return fmt.Errorf("set breaking news: %w", err)
	}
	return nil
}

// BreakingTargets lists up to limit published articles a banner may link
// to: open live blogs first, then the newest stories.
func (s *Store) BreakingTargets(ctx context.Context, limit int) ([]news.BreakingTarget, error) {
	rows, err := s.queryRows(ctx, s.read, `SELECT a.id, a.headline, CASE WHEN b.article_id IS NOT NULL AND b.closed_at IS NULL THEN 1 ELSE 0 END AS live
		FROM articles a LEFT JOIN live_blogs b ON b.article_id = a.id
		WHERE a.status = 'published' AND `+notPage+`
		ORDER BY live DESC, a.published_at DESC, a.id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("breaking news targets: %w", err)
	}
	defer rows.Close()
	var out []news.BreakingTarget
	for rows.Next() {
		var t news.BreakingTarget
		var live int
		if err := rows.Scan(&t.ID, &t.Headline, &live); err != nil {
			return nil, fmt.Errorf("breaking news targets: %w", err)
		}
		t.Live = live == 1
		out = append(out, t)
	}
	return out, rows.Err()
}
