package testutil

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver for the admin connection

	"masthead/internal/store"
)

// Backend is a database engine the store runs on. Tests that take their
// store from a Backend run unchanged on SQLite and PostgreSQL:
//
//	for _, b := range testutil.Backends(t) {
//		t.Run(b.Name, func(t *testing.T) {
//			st := b.Open(t)
//			…
//		})
//	}
type Backend struct {
	Name string // "sqlite" or "postgres"

	// NewDatabase creates an empty database for this test, removed when
	// the test ends, and returns the two arguments of store.Open that
	// name it. It does not open it.
	NewDatabase func(t testing.TB) (databaseURL, sqlitePath string)

	// NewMigratedDatabase is NewDatabase with the migrations applied: a
	// copy of a database the test binary migrated once. Applying them to
	// each test's database cost ~0.25 s on SQLite and ~0.7 s on
	// PostgreSQL, most of the HTTP suites' time on PostgreSQL.
	NewMigratedDatabase func(t testing.TB) (databaseURL, sqlitePath string)
}

// Open opens a store on a new, empty database of this backend, with the
// migrations applied; it is closed (and the database dropped) when the
// test ends.
func (b Backend) Open(t testing.TB, opts ...store.Option) *store.Store {
	t.Helper()
	dbURL, path := b.NewMigratedDatabase(t)
	st, err := store.Open(context.Background(), dbURL, path, opts...)
	if err != nil {
		t.Fatalf("open %s store: %v", b.Name, err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// SQLite is the embedded backend: a database file in t.TempDir().
var SQLite = Backend{Name: "sqlite", NewDatabase: func(t testing.TB) (string, string) {
	return "", filepath.Join(t.TempDir(), "masthead.db")
}, NewMigratedDatabase: migratedSQLite}

// Postgres is the server backend: a database of its own on the PostgreSQL
// server at $MASTHEAD_TEST_POSTGRES (default postgres://postgres@127.0.0.1:5432/test),
// named masthead_test_<random> and dropped when the test ends. Without a
// reachable server a test using it is skipped, or fails when $CI is set.
var Postgres = Backend{Name: "postgres", NewDatabase: func(t testing.TB) (string, string) {
	return PostgresURL(t), ""
}, NewMigratedDatabase: func(t testing.TB) (string, string) {
	return migratedPostgresURL(t), ""
}}

// Backends lists the backends every store-backed test should run on.
// $MASTHEAD_TEST_BACKENDS (e.g. "sqlite") narrows the list for a quick
// local run; CI leaves it unset.
func Backends(t testing.TB) []Backend {
	t.Helper()
	all := []Backend{SQLite, Postgres}
	only := os.Getenv("MASTHEAD_TEST_BACKENDS")
	if only == "" {
		return all
	}
	var out []Backend
	for _, b := range all {
		if strings.Contains(","+only+",", ","+b.Name+",") {
			out = append(out, b)
		}
	}
	if len(out) == 0 {
		t.Fatalf("MASTHEAD_TEST_BACKENDS=%q names no backend (use sqlite, postgres or both)", only)
	}
	return out
}

// ForEachBackend runs fn as a subtest named after each backend.
func ForEachBackend(t *testing.T, fn func(t *testing.T, b Backend)) {
	t.Helper()
	for _, b := range Backends(t) {
		t.Run(b.Name, func(t *testing.T) { fn(t, b) })
	}
}

const defaultPostgres = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// startPostgres is what to run when the test server is down.
const startPostgres = "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"

var pgAdmin struct {
	once sync.Once
	url  string
	db   *sql.DB
	err  error
}

// PostgresAdmin returns a connection to the test server's maintenance
// database (shared by the whole test binary; do not close it), for creating
// databases or terminating connections. It skips the test — or, with $CI
// set, fails it — when the server cannot be reached.
func PostgresAdmin(t testing.TB) *sql.DB {
	t.Helper()
	pgAdmin.once.Do(func() {
		pgAdmin.url = os.Getenv("MASTHEAD_TEST_POSTGRES")
		if pgAdmin.url == "" {
			pgAdmin.url = defaultPostgres
		}
		db, err := sql.Open("pgx", pgAdmin.url)
		if err != nil {
			pgAdmin.err = err
			return
		}
		db.SetMaxOpenConns(4)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := db.PingContext(ctx); err != nil {
			db.Close()
			pgAdmin.err = err
			return
		}
		pgAdmin.db = db
		dropOrphans(ctx, db, pgAdmin.url)
	})
	if pgAdmin.err != nil {
		where := redacted(pgAdmin.url)
		if os.Getenv("CI") != "" {
			t.Fatalf("PostgreSQL is required in CI but %s is unreachable: %v\nstart it with: %s\n(or point MASTHEAD_TEST_POSTGRES at a server)", where, pgAdmin.err, startPostgres)
		}
		t.Skipf("skipping the PostgreSQL run: %s is unreachable (%v); start it with: %s", where, pgAdmin.err, startPostgres)
	}
	return pgAdmin.db
}

// PostgresURL creates an empty database on the test server, dropped when
// the test ends, and returns its URL. See PostgresAdmin for an unreachable
// server.
func PostgresURL(t testing.TB) string {
	t.Helper()
	return postgresDatabase(t, "")
}

// lazyCommits is set on every test database: a commit returns before
// its log record is flushed to disk. Only a crash of the server itself,
// which no test causes, would lose it; a test's process ending, or the
// server ending its connections, loses nothing. The suites commit
// thousands of times (each naughty string is a comment).
const lazyCommits = "synchronous_commit = off"

// postgresDatabase creates a database for the test, a copy of template
// when one is named, and returns its URL.
func postgresDatabase(t testing.TB, template string) string {
	t.Helper()
	admin := PostgresAdmin(t)
	name := randomName("masthead_test_")
	if err := createDatabase(context.Background(), admin, name, template); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		if err := dropDatabase(context.Background(), admin, name); err != nil {
			t.Errorf("drop test database %s: %v", name, err)
		}
	})
	u, err := databaseURL(name)
	if err != nil {
		t.Fatalf("MASTHEAD_TEST_POSTGRES: %v", err)
	}
	return u
}

// createDatabase creates database name, a copy of template when one is
// named, with lazyCommits.
func createDatabase(ctx context.Context, admin *sql.DB, name, template string) error {
	create := "CREATE DATABASE " + name
	if template != "" {
		create += " TEMPLATE " + template
	}
	if _, err := admin.ExecContext(ctx, create); err != nil {
		return err
	}
	_, err := admin.ExecContext(ctx, "ALTER DATABASE "+name+" SET "+lazyCommits)
	return err
}

// dropDatabase drops database name; FORCE ends connections a failed test
// left open.
func dropDatabase(ctx context.Context, admin *sql.DB, name string) error {
	_, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	return err
}

// processAlive tells whether process pid runs (or may: unknown counts as
// running).
func processAlive(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return true
	}
	return !errors.Is(p.Signal(syscall.Signal(0)), os.ErrProcessDone)
}

// randomName names a database of this test binary: prefix, the
// process id (for dropOrphans), and random hex.
func randomName(prefix string) string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return prefix + strconv.Itoa(os.Getpid()) + "_" + hex.EncodeToString(b)
}

// dropOrphans drops the databases test binaries that have ended left
// behind: a panic or a timeout ends a binary before its cleanups (and
// RunTests' drop of its template) run. Only on a server on this machine,
// where the process ids in their names mean something.
func dropOrphans(ctx context.Context, admin *sql.DB, serverURL string) {
	u, err := url.Parse(serverURL)
	if err != nil {
		return
	}
	if host := u.Hostname(); host != "127.0.0.1" && host != "localhost" && host != "::1" && host != "" {
		return
	}
	rows, err := admin.QueryContext(ctx, `SELECT datname FROM pg_database WHERE datname LIKE 'masthead\_test\_%' OR datname LIKE 'masthead\_template\_%'`)
	if err != nil {
		return
	}
	var names []string
	for rows.Next() {
		var name string
		if rows.Scan(&name) == nil {
			names = append(names, name)
		}
	}
	rows.Close()
	for _, name := range names {
		parts := strings.Split(name, "_") // masthead, test|template, pid, hex
		if len(parts) != 4 {
			continue
		}
		pid, err := strconv.Atoi(parts[2])
		if err != nil || pid <= 0 || processAlive(pid) {
			continue
		}
		_ = dropDatabase(ctx, admin, name)
	}
}

// databaseURL is the test server's URL naming database name.
func databaseURL(name string) (string, error) {
	u, err := url.Parse(pgAdmin.url)
	if err != nil {
		return "", err
	}
	u.Path = "/" + name
	return u.String(), nil
}

func redacted(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparseable URL)"
	}
	return u.Redacted()
}

// DatabaseName returns the database part of a PostgreSQL URL.
func DatabaseName(t testing.TB, dbURL string) string {
	t.Helper()
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimPrefix(u.Path, "/")
}

// TerminateConnections ends every server process connected to the
// PostgreSQL database at dbURL, as a restart or failover would, waits until
// they are gone, and reports how many it ended.
func TerminateConnections(t testing.TB, dbURL string) int {
	t.Helper()
	admin, name := PostgresAdmin(t), DatabaseName(t, dbURL)
	var n int
	err := admin.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM (
		SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE datname = $1 AND pid <> pg_backend_pid()) t`, name).Scan(&n)
	if err != nil {
		t.Fatalf("terminate connections: %v", err)
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		var left int
		if err := admin.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM pg_stat_activity WHERE datname = $1`, name).Scan(&left); err != nil {
			t.Fatalf("count connections: %v", err)
		}
		if left == 0 {
			return n
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d connections to %s survived pg_terminate_backend", left, name)
		}
	}
}
