package store

import (
	"context"
	"database/sql"
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

// WatchDB exports the connection pools' statistics as metrics.
func (s *Store) WatchDB(m interface{ WatchDB(*sql.DB, string) }) {
	m.WatchDB(s.read, "read")
	if s.write != s.read {
		m.WatchDB(s.write, "write")
	}
}

// Bulk runs fn with SQLite's per-commit disk sync turned off, then syncs
// once. It is for loads that are simply redone if the process dies midway
// (the demo newsroom on first start, a synthetic archive): hundreds of
// transactions then cost one fsync instead of one each. The writer's page
// cache is larger meanwhile, so that a batch of a thousand articles is not
// spilled to the log before it commits.
func (s *Store) Bulk(ctx context.Context, fn func() error) error {
	if !s.dialect.sqlite() {
		return fn()
	}
	if _, err := s.write.ExecContext(ctx, `PRAGMA synchronous = OFF`); err != nil {
		return fmt.Errorf("bulk load: %w", err)
	}
	if _, err := s.write.ExecContext(ctx, `PRAGMA cache_size = -131072`); err != nil { // 128 MiB
		return fmt.Errorf("bulk load: %w", err)
	}
	ferr := fn()
	_, err := s.write.ExecContext(ctx, `PRAGMA synchronous = FULL`)
	if err == nil {
		_, err = s.write.ExecContext(ctx, `PRAGMA cache_size = -2000`) // SQLite's default
	}
	if err == nil {
		_, err = s.write.ExecContext(ctx, `PRAGMA wal_checkpoint(FULL)`)
	}
	return errors.Join(ferr, err)
}
