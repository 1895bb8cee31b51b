package store

import "context"

// WriteThroughReadPool tries a write on the reader pool.
func WriteThroughReadPool(s *Store, ctx context.Context) error {
	_, err := s.read.ExecContext(ctx, s.q(`INSERT INTO settings (key, value) VALUES (?, ?)`), "k", "v")
	return err
}
