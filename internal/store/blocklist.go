package store

import (
	"context"
	"fmt"

	"masthead/internal/news"
)

// Blocklist loads every entry of the newsroom's blocklist, by kind, then
// value. The list is small (tens to hundreds of entries) and is read once
// per posted comment.
func (s *Store) Blocklist(ctx context.Context) (news.Blocklist, error) {
	rows, err := s.queryRows(ctx, s.read, `SELECT b.id, b.kind, b.value, b.note, COALESCE(u.name, ''), b.created_at
		FROM blocklist b LEFT JOIN users u ON u.id = b.created_by
		ORDER BY b.kind, b.value`)
	if err != nil {
		return nil, fmt.Errorf("load blocklist: %w", err)
	}
	defer rows.Close()
	var out news.Blocklist
	for rows.Next() {
		var b news.Block
		var at nullTime
		if err := rows.Scan(&b.ID, &b.Kind, &b.Value, &b.Note, &b.AddedBy, &at); err != nil {
			return nil, fmt.Errorf("load blocklist: %w", err)
		}
		b.CreatedAt = at.Time
		out = append(out, b)
	}
	return out, rows.Err()
}

// AddBlock stores an entry made by news.NewBlock on behalf of the member of
// staff userID; news.ErrConflict when the same value is already blocked.
func (s *Store) AddBlock(ctx context.Context, b *news.Block, userID int64) error {
	if b.CreatedAt.IsZero() {
		b.CreatedAt = s.clock.Now()
	}
	id, err := s.insert(ctx, s.write, `INSERT INTO blocklist (kind, value, note, created_by, created_at) VALUES (?, ?, ?, ?, ?)`,
		b.Kind, b.Value, b.Note, nullID(userID), b.CreatedAt)
	if isUniqueViolation(err) {
		return news.ErrConflict
	}
	if err != nil {
		return fmt.Errorf("add %s %q to the blocklist: %w", b.Kind, b.Value, err)
	}
	b.ID = id
	return nil
}

// RemoveBlock deletes an entry; news.ErrNotFound when there is none.
func (s *Store) RemoveBlock(ctx context.Context, id int64) error {
	res, err := s.exec(ctx, s.write, `DELETE FROM blocklist WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("remove blocklist entry %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return news.ErrNotFound
	}
	return nil
}
