package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
)

// notifyChannel carries "the change log grew" between PostgreSQL instances
// (migrations/postgres/0008_notify.sql).
const notifyChannel = "masthead_changes"

// listenPostgres calls fn whenever any instance commits changes, on its own
// connection, until ctx ends. After a lost connection it reconnects and
// calls fn once, since notifications sent meanwhile were missed.
func (s *Store) listenPostgres(ctx context.Context, fn func()) {
	for ctx.Err() == nil {
		conn, err := pgx.ConnectConfig(ctx, s.pgConfig.Copy())
		if err == nil {
			_, err = conn.Exec(ctx, "LISTEN "+notifyChannel)
		}
		if err == nil {
			fn() // anything committed while we were not listening
			for err == nil {
				_, err = conn.WaitForNotification(ctx)
				if err == nil {
					fn()
				}
			}
		}
		if conn != nil {
			conn.Close(context.Background())
		}
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
	}
}
