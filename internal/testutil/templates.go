package testutil

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"masthead/internal/store"
)

// The databases each test binary migrates once, for NewMigratedDatabase.
var (
	sqliteTemplate struct {
		once  sync.Once
		bytes []byte
		err   error
	}
	pgTemplate struct {
		mu      sync.Mutex
		enabled bool // by RunTests, which drops it when the tests end
		name    string
		err     error
	}
)

// migratedSQLite writes a copy of the migrated database file into the
// test's temporary folder.
func migratedSQLite(t testing.TB) (string, string) {
	t.Helper()
	sqliteTemplate.once.Do(func() { sqliteTemplate.bytes, sqliteTemplate.err = migrateSQLiteFile() })
	if sqliteTemplate.err != nil {
		t.Fatalf("migrate a SQLite database to copy: %v", sqliteTemplate.err)
	}
	path := filepath.Join(t.TempDir(), "masthead.db")
	if err := os.WriteFile(path, sqliteTemplate.bytes, 0o600); err != nil {
		t.Fatal(err)
	}
	return "", path
}

func migrateSQLiteFile() ([]byte, error) {
	dir, err := os.MkdirTemp("", "masthead-template-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "masthead.db")
	st, err := store.OpenSQLite(context.Background(), path)
	if err != nil {
		return nil, err
	}
	if err := st.Close(); err != nil {
		return nil, err
	}
	// Closing the last connection checkpoints the write-ahead log into
	// the file; a copy of the file alone would miss what a log still held.
	if fi, err := os.Stat(path + "-wal"); err == nil && fi.Size() > 0 {
		return nil, errors.New("the write-ahead log was not checkpointed on close")
	}
	return os.ReadFile(path)
}

// migratedPostgresURL creates a copy of the test binary's migrated
// database (CREATE DATABASE … TEMPLATE) or, in a package whose TestMain
// does not call RunTests, a database migrated by store.Open as usual.
func migratedPostgresURL(t testing.TB) string {
	t.Helper()
	admin := PostgresAdmin(t)
	pgTemplate.mu.Lock()
	defer pgTemplate.mu.Unlock()
	if !pgTemplate.enabled {
		return PostgresURL(t)
	}
	if pgTemplate.name == "" && pgTemplate.err == nil {
		pgTemplate.name, pgTemplate.err = migratePostgresTemplate(admin)
	}
	if pgTemplate.err != nil {
		t.Fatalf("migrate a PostgreSQL database to copy: %v", pgTemplate.err)
	}
	// Under the lock: a copy fails while another connection is open on
	// the template, which only its creation makes.
	return postgresDatabase(t, pgTemplate.name)
}

func migratePostgresTemplate(admin *sql.DB) (string, error) {
	ctx := context.Background()
	name := randomName("masthead_template_")
	if err := createDatabase(ctx, admin, name, ""); err != nil {
		return "", err
	}
	u, err := databaseURL(name)
	if err == nil {
		var st *store.Store
		if st, err = store.OpenPostgres(ctx, u); err == nil {
			err = st.Close()
		}
	}
	if err != nil {
		_ = dropDatabase(ctx, admin, name)
		return "", err
	}
	return name, nil
}

// RunTests runs a package's tests, from its TestMain, and then drops the
// PostgreSQL database NewMigratedDatabase copied. Without it (the drop
// needs a hook at the end of the test binary) each test's PostgreSQL
// database is migrated by itself.
//
//	func TestMain(m *testing.M) { os.Exit(testutil.RunTests(m)) }
func RunTests(m *testing.M) int {
	pgTemplate.mu.Lock()
	pgTemplate.enabled = true
	pgTemplate.mu.Unlock()
	code := m.Run()
	pgTemplate.mu.Lock()
	defer pgTemplate.mu.Unlock()
	if pgTemplate.name != "" {
		if err := dropDatabase(context.Background(), pgAdmin.db, pgTemplate.name); err != nil {
			fmt.Fprintf(os.Stderr, "drop the template database %s: %v\n", pgTemplate.name, err)
			return max(code, 1)
		}
	}
	return code
}
