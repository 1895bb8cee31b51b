package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
)

// Pool sizes for one instance. Several instances share the server's
// max_connections (100 by default): four instances at the defaults use 56.
// pool_max_conns in the URL overrides the reader pool's size.
const (
	pgReadConns  = 10
	pgWriteConns = 4
)

// Open opens the site's database: PostgreSQL when databaseURL is a
// postgres:// (or postgresql://) URL, SQLite otherwise — the file named by a
// sqlite: URL, or sqlitePath when databaseURL is empty.
func Open(ctx context.Context, databaseURL, sqlitePath string, opts ...Option) (*Store, error) {
	switch {
	case databaseURL == "":
		return OpenSQLite(ctx, sqlitePath, opts...)
	case IsPostgresURL(databaseURL):
		return OpenPostgres(ctx, databaseURL, opts...)
	case strings.HasPrefix(databaseURL, "sqlite:"):
		p := strings.TrimPrefix(strings.TrimPrefix(databaseURL, "sqlite:"), "//")
		if p == "" {
			return nil, fmt.Errorf("database URL %q names no file", databaseURL)
		}
		return OpenSQLite(ctx, p, opts...)
	}
	return nil, fmt.Errorf("database URL %q: use postgres://… or sqlite:PATH", redactURL(databaseURL))
}

// IsPostgresURL reports whether s names a PostgreSQL database.
func IsPostgresURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// OpenPostgres connects to the PostgreSQL database named by rawURL
// (postgres://user:password@host:5432/dbname?sslmode=disable) and applies
// pending migrations under an advisory lock, so instances starting together
// take turns. Like SQLite it gets two pools: a reader pool whose sessions
// are read-only (a write sent there by mistake fails in tests on both
// backends) and a smaller writer pool.
func OpenPostgres(ctx context.Context, rawURL string, opts ...Option) (*Store, error) {
	cfg, readConns, err := postgresConfig(rawURL)
	if err != nil {
		return nil, err
	}
	readCfg := cfg.Copy()
	readCfg.RuntimeParams["default_transaction_read_only"] = "on"
	read := stdlib.OpenDB(*readCfg)
	read.SetMaxOpenConns(readConns)
	read.SetMaxIdleConns(readConns)
	write := stdlib.OpenDB(*cfg)
	write.SetMaxOpenConns(pgWriteConns)
	write.SetMaxIdleConns(pgWriteConns)
	for _, db := range []*sql.DB{read, write} {
		// Recycle connections so a failover, a pooler or a changed
		// setting is picked up without a restart.
		db.SetConnMaxLifetime(30 * time.Minute)
		db.SetConnMaxIdleTime(5 * time.Minute)
	}
	s := &Store{read: read, write: write, dialect: postgresDialect{}, readIdle: readConns, writeIdle: pgWriteConns, pgConfig: cfg, committed: &commitHooks{}}
	s.configure(opts)
	s.life, s.stop = context.WithCancel(context.Background())
	where := fmt.Sprintf("%s:%d/%s", cfg.Host, cfg.Port, cfg.Database)
	if err := write.PingContext(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("connect to PostgreSQL at %s: %w", where, err)
	}
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("PostgreSQL at %s: %w", where, err)
	}
	return s, nil
}

// postgresConfig parses the URL and sets what every session needs: UTC
// (so times and their text forms never depend on the server's zone) and a
// name that shows in pg_stat_activity.
func postgresConfig(rawURL string) (*pgx.ConnConfig, int, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, 0, fmt.Errorf("database URL: %w", err)
	}
	readConns := pgReadConns
	q := u.Query()
	if v := q.Get("pool_max_conns"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return nil, 0, fmt.Errorf("database URL: pool_max_conns=%q: want a positive number", v)
		}
		readConns = n
		q.Del("pool_max_conns")
		u.RawQuery = q.Encode()
	}
	cfg, err := pgx.ParseConfig(u.String())
	if err != nil {
		return nil, 0, fmt.Errorf("database URL %s: %w", u.Redacted(), err)
	}
	cfg.RuntimeParams["timezone"] = "UTC"
	if cfg.RuntimeParams["application_name"] == "" {
		cfg.RuntimeParams["application_name"] = "masthead"
	}
	return cfg, readConns, nil
}

// migrationLockID names the advisory lock held while migrating; advisory
// locks are per database, so sites on one server do not wait for each other.
const migrationLockID = 0x6d61737468656164 // "masthead"

// lockMigrations serialises migrations across processes: PostgreSQL takes
// a session advisory lock on conn; SQLite needs nothing beyond the single
// writer connection and BEGIN IMMEDIATE.
func (s *Store) lockMigrations(ctx context.Context, conn *sql.Conn) (unlock func(), err error) {
	lock, unlockSQL := s.dialect.migrationLock()
	if lock == "" {
		return func() {}, nil
	}
	if _, err := conn.ExecContext(ctx, lock, int64(migrationLockID)); err != nil {
		return nil, fmt.Errorf("take the migration lock: %w", err)
	}
	return func() {
		// If this fails the connection is gone, and the lock with it.
		_, _ = conn.ExecContext(context.WithoutCancel(ctx), unlockSQL, int64(migrationLockID))
	}, nil
}

// isConnectionError reports whether err means the connection itself failed
// (the server restarted, a backend was terminated, the network dropped)
// rather than the statement. It goes by the errors' types and codes, never
// their text.
func isConnectionError(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	if errors.Is(err, driver.ErrBadConn) || pgconn.SafeToRetry(err) {
		return true
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		// Class 08: connection exception; 57P01-57P03: admin shutdown,
		// crash shutdown, cannot connect now.
		return strings.HasPrefix(pgErr.Code, "08") || pgErr.Code == "57P01" || pgErr.Code == "57P02" || pgErr.Code == "57P03"
	}
	// pgconn.ErrConnClosed: a statement was sent to a connection pgx had
	// already closed, after an earlier failure on it.
	var netErr net.Error
	return errors.As(err, &netErr) || errors.Is(err, pgconn.ErrConnClosed) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) || errors.Is(err, syscall.ECONNREFUSED)
}

// redactURL hides a password in a database URL before it is shown.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparseable URL)"
	}
	return u.Redacted()
}
