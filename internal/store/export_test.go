package store

import (
	"context"
	"database/sql"
	"fmt"
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

// Vocabulary lists the search vocabulary as "term doc cnt" lines.
func Vocabulary(s *Store, ctx context.Context) ([]string, error) {
	rows, err := s.queryRows(ctx, s.read, `SELECT term, doc, cnt FROM search_vocab ORDER BY term`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var term string
		var doc, cnt int
		if err := rows.Scan(&term, &doc, &cnt); err != nil {
			return nil, err
		}
		out = append(out, fmt.Sprintf("%s %d %d", term, doc, cnt))
	}
	return out, rows.Err()
}

// PackBodies runs migration 0030's conversion of text bodies, in a
// transaction of its own.
func PackBodies(s *Store, ctx context.Context) error {
	return s.inTx(ctx, func(tx *sql.Tx) error { return s.packBodies(ctx, tx) })
}
