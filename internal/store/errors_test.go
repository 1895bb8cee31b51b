package store_test

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"masthead/internal/store"
	"masthead/internal/testutil"
)

// Unique violations are recognised by the driver's code on both backends:
// a UNIQUE column and a primary key count, other constraints do not.
func TestIsUniqueViolation(t *testing.T) {
	tests := []struct {
		name  string
		setup []string // statements that succeed
		stmt  string   // the statement whose error is classified
		want  bool
	}{
		{
			name:  "unique column",
			setup: []string{`INSERT INTO tags (slug, name) VALUES ('harbour', 'Harbour')`},
			stmt:  `INSERT INTO tags (slug, name) VALUES ('harbour', 'The harbour')`,
			want:  true,
		},
		{
			name:  "primary key",
			setup: []string{`INSERT INTO settings (key, value) VALUES ('title', 'The Courier')`},
			stmt:  `INSERT INTO settings (key, value) VALUES ('title', 'The Gazette')`,
			want:  true,
		},
		{
			name: "not null",
			stmt: `INSERT INTO tags (slug, name) VALUES ('ferry', NULL)`,
		},
		{
			name: "foreign key",
			stmt: `INSERT INTO sections (slug, name, parent_id) VALUES ('docks', 'Docks', 999999)`,
		},
		{
			name: "syntax",
			stmt: `INSERT INTO tags (slug, name) VALUES ('ferry'`,
		},
	}
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		st := b.Open(t)
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				for _, q := range tt.setup {
					if err := store.Exec(st, ctx, q); err != nil {
						t.Fatalf("setup %q: %v", q, err)
					}
				}
				err := store.Exec(st, ctx, tt.stmt)
				if err == nil {
					t.Fatalf("%q succeeded; want an error", tt.stmt)
				}
				if got := store.IsUniqueViolation(err); got != tt.want {
					t.Errorf("IsUniqueViolation(%v) = %v, want %v", err, got, tt.want)
				}
				if got := store.IsUniqueViolation(fmt.Errorf("create tag: %w", err)); got != tt.want {
					t.Errorf("IsUniqueViolation(wrapped %v) = %v, want %v", err, got, tt.want)
				}
			})
		}
	})
	// The message alone no longer counts.
	for _, err := range []error{nil, errors.New("UNIQUE constraint failed: tags.slug"), errors.New("ERROR: duplicate key (SQLSTATE 23505)")} {
		if store.IsUniqueViolation(err) {
			t.Errorf("IsUniqueViolation(%v) = true, want false", err)
		}
	}
}

func TestIsConnectionError(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"connection exception", &pgconn.PgError{Code: "08006"}, true},
		{"admin shutdown", fmt.Errorf("query: %w", &pgconn.PgError{Code: "57P01"}), true},
		{"crash shutdown", &pgconn.PgError{Code: "57P02"}, true},
		{"cannot connect now", &pgconn.PgError{Code: "57P03"}, true},
		{"unique violation", &pgconn.PgError{Code: "23505"}, false},
		{"query canceled", &pgconn.PgError{Code: "57014"}, false},
		{"closed connection", fmt.Errorf("query: %w", pgconn.ErrConnClosed), true},
		{"closed connection by text only", errors.New("conn closed"), false},
		{"bad connection", driver.ErrBadConn, true},
		{"network", &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}, true},
		{"reset", fmt.Errorf("write: %w", syscall.ECONNRESET), true},
		{"eof", io.ErrUnexpectedEOF, true},
		{"canceled", context.Canceled, false},
		{"deadline", fmt.Errorf("query: %w", context.DeadlineExceeded), false},
		{"other", errors.New("no such table: tags"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := store.IsConnectionError(tt.err); got != tt.want {
				t.Errorf("IsConnectionError(%v) = %v, want %v", tt.err, got, tt.want)
			}
		})
	}
}

// A statement on a connection pgx has closed fails with an error the
// classifier knows by type.
func TestIsConnectionErrorOnClosedConn(t *testing.T) {
	conn, err := pgconn.Connect(ctx, testutil.PostgresURL(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := conn.Close(ctx); err != nil {
		t.Fatal(err)
	}
	_, err = conn.Exec(ctx, "SELECT 1").ReadAll()
	if err == nil {
		t.Fatal("SELECT on a closed connection succeeded")
	}
	if !store.IsConnectionError(err) {
		t.Errorf("IsConnectionError(%v) = false, want true", err)
	}
}
