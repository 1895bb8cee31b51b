package store

import (
	"context"
	"database/sql"
)

// WriteThroughReadPool tries a write on the reader pool.
func WriteThroughReadPool(s *Store, ctx context.Context) error {
	_, err := s.read.ExecContext(ctx, s.q(`INSERT INTO settings (key, value) VALUES (?, ?)`), "k", "v")
	return err
}

// The store's classifiers of driver errors.
var (
	IsUniqueViolation = isUniqueViolation
	IsConnectionError = isConnectionError
)

// Exec runs a statement on the writer pool and returns the driver's error
// as it came.
func Exec(s *Store, ctx context.Context, query string, args ...any) error {
	_, err := s.exec(ctx, s.write, query, args...)
	return err
}

// InTx runs fn in the store's transaction (a savepoint inside Atomically),
// with exec for its statements.
func InTx(s *Store, ctx context.Context, fn func(exec func(query string, args ...any) error) error) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		return fn(func(query string, args ...any) error {
			_, err := s.exec(ctx, tx, query, args...)
			return err
		})
	})
}

// Count runs a "SELECT COUNT(*) …" query on the reader pool.
func Count(s *Store, ctx context.Context, query string, args ...any) (int, error) {
	var n int
	err := s.queryRow(ctx, s.read, query, args...).Scan(&n)
	return n, err
}

// PackBodies runs migration 0030's conversion of text bodies, in a
// transaction of its own.
func PackBodies(s *Store, ctx context.Context) error {
	return s.inTx(ctx, func(tx *sql.Tx) error { return s.packBodies(ctx, tx) })
}
