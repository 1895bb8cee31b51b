package store

import (
	"context"
	"errors"
	"fmt"
)

// SnapshotTo writes a consistent copy of a SQLite database to path while
// the site keeps serving (VACUUM INTO reads one snapshot of the database;
// writers wait for it on the single write connection).
func (s *Store) SnapshotTo(ctx context.Context, path string) error {
	if !s.dialect.sqlite() {
		return errors.New("snapshot: only SQLite sites are backed up this way; for PostgreSQL use pg_dump, or masthead migrate --to a SQLite file")
	}
	if _, err := s.write.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		return fmt.Errorf("snapshot to %s: %w", path, err)
	}
	return nil
}

// IntegrityCheck runs SQLite's integrity check and returns its verdict
// ("ok" when sound).
func (s *Store) IntegrityCheck(ctx context.Context) (string, error) {
	if !s.dialect.sqlite() {
		return "ok", nil
	}
	var verdict string
	if err := s.write.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&verdict); err != nil {
		return "", fmt.Errorf("integrity check: %w", err)
	}
	return verdict, nil
}
