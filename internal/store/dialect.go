package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// dialect is what differs between the two databases the store runs on.
// Queries are written once, with '?' placeholders and SQL both engines
// accept; where they cannot be, the dialect supplies the fragment. A few
// operations are genuinely different code paths (FTS5 against tsvector
// search, commit hooks against LISTEN, SQLite-only maintenance); those ask
// sqlite().
type dialect interface {
	// name is the engine's name as Backend reports it.
	name() string
	// sqlite reports whether the database is a SQLite file, for the code
	// paths that exist only there or differ throughout.
	sqlite() bool

	// rewrite turns a '?'-placeholder query into the driver's syntax (see
	// Store.q).
	rewrite(query string) string
	// args converts Go values, in place, to what the driver stores (see
	// Store.args).
	args(args []any) []any
	// readContext is the context a read runs under, ctx not yet being done
	// (see Store.readContext).
	readContext(ctx context.Context) context.Context
	// connectionLost reports whether err means the connection to the
	// server was lost, so idle ones should be dropped and reads retried.
	connectionLost(err error) bool

	// migrationDir is the folder of migrationFiles holding the dialect's
	// migrations, and schemaMigrations the table recording them.
	migrationDir() string
	schemaMigrations() string
	// migrationLock is the statement pair that serialises migrations
	// across processes on one connection, each taking migrationLockID as
	// its one argument; both empty when the connection already excludes
	// other writers.
	migrationLock() (lock, unlock string)

	// truncMonth is the SQL of the month of timestamp expression col, in
	// UTC, comparable and ordered; monthText turns such a month into its
	// "YYYY-MM" text.
	truncMonth(col string) string
	monthText(col string) string
	// indexedBy is the hint (" INDEXED BY …") that makes a join read a
	// table through index, or "" where the planner needs none.
	indexedBy(index string) string
	// ftsMatch is the condition, on the article_search table, that a row
	// matches the full-text query given as its one argument.
	ftsMatch() string
	// bylineOf and tagsOf are an article's byline (its authors' names in
	// order) and tag names (by name), comma-separated as the store writes
	// them into its search row; alias is the articles table's.
	bylineOf(alias string) string
	tagsOf(alias string) string

	// tableNames is a query listing the names of the database's tables in
	// a column "name".
	tableNames() string
	// snapshotTx are the options of a read transaction that sees one
	// snapshot of the database.
	snapshotTx() *sql.TxOptions
	// deferForeignKeys makes the current transaction check foreign keys at
	// commit.
	deferForeignKeys() string
	// resetSequence sets the sequence behind table's identity column to
	// follow the ids present, or is "" where ids have no sequence.
	resetSequence(table, ident string) string
}

// sqliteDialect is SQLite through modernc.org/sqlite.
type sqliteDialect struct{}

func (sqliteDialect) name() string { return "sqlite" }
func (sqliteDialect) sqlite() bool { return true }

// rewrite keeps the query: SQLite takes '?', and "+?" hides a parameter's
// value from its planner.
func (sqliteDialect) rewrite(query string) string { return query }

// args stores times as fixed-width UTC text (timeLayout) and zero times
// as NULL.
func (sqliteDialect) args(args []any) []any {
	for i, a := range args {
		if v, ok := a.(time.Time); ok {
			if v.IsZero() {
				args[i] = nil
			} else {
				args[i] = v.UTC().Format(timeLayout)
			}
		}
	}
	return args
}

// readContext drops ctx's cancellation: a cancellable context costs two
// watching goroutines per statement.
func (sqliteDialect) readContext(ctx context.Context) context.Context {
	return context.WithoutCancel(ctx)
}

// connectionLost is always false: the database is a file in this process.
func (sqliteDialect) connectionLost(error) bool { return false }

func (sqliteDialect) migrationDir() string { return "migrations/sqlite" }

func (sqliteDialect) schemaMigrations() string {
	return `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at TEXT NOT NULL
	)`
}

// migrationLock needs no statements: migrations run on the only writer
// connection, whose BEGIN IMMEDIATE keeps other processes out.
func (sqliteDialect) migrationLock() (lock, unlock string) { return "", "" }

// truncMonth cuts the stored text, whose fixed width makes it sort as a
// time, to its "YYYY-MM": already the month's text.
func (sqliteDialect) truncMonth(col string) string { return `substr(` + col + `, 1, 7)` }
func (sqliteDialect) monthText(col string) string  { return col }

func (sqliteDialect) indexedBy(index string) string { return " INDEXED BY " + index }
func (sqliteDialect) ftsMatch() string              { return `article_search MATCH ?` }
func (sqliteDialect) bylineOf(alias string) string {
	return `COALESCE((SELECT group_concat(name, ', ') FROM (SELECT u.name FROM article_authors x JOIN users u ON u.id = x.user_id
		WHERE x.article_id = ` + alias + `.id ORDER BY x.position)), '')`
}
func (sqliteDialect) tagsOf(alias string) string {
	return `COALESCE((SELECT group_concat(name, ', ') FROM (SELECT t.name FROM article_tags x JOIN tags t ON t.id = x.tag_id
		WHERE x.article_id = ` + alias + `.id ORDER BY t.name)), '')`
}

func (sqliteDialect) tableNames() string {
	return `SELECT name FROM pragma_table_list WHERE schema = 'main'`
}

// snapshotTx is the default: a SQLite read transaction sees one snapshot
// anyway.
func (sqliteDialect) snapshotTx() *sql.TxOptions { return nil }

func (sqliteDialect) deferForeignKeys() string { return `PRAGMA defer_foreign_keys = ON` }

// resetSequence is "": an INTEGER PRIMARY KEY takes the next id after the
// largest present.
func (sqliteDialect) resetSequence(table, ident string) string { return "" }

// postgresDialect is PostgreSQL through pgx's database/sql driver.
type postgresDialect struct{}

func (postgresDialect) name() string { return "postgres" }
func (postgresDialect) sqlite() bool { return false }

// rewrite numbers the placeholders ($1, $2 …) and drops the unary plus of
// "+?", which only SQLite's planner needs.
func (postgresDialect) rewrite(query string) string { return numberPlaceholders(query) }

// args leaves times to the driver, in UTC, with zero times as NULL, and
// makes strings valid text (pgText).
func (postgresDialect) args(args []any) []any {
	for i, a := range args {
		switch v := a.(type) {
		case time.Time:
			if v.IsZero() {
				args[i] = nil
			} else {
				args[i] = v.UTC()
			}
		case string:
			args[i] = pgText(v)
		}
	}
	return args
}

func (postgresDialect) readContext(ctx context.Context) context.Context { return ctx }

func (postgresDialect) connectionLost(err error) bool { return isConnectionError(err) }

func (postgresDialect) migrationDir() string { return "migrations/postgres" }

func (postgresDialect) schemaMigrations() string {
	return `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at TIMESTAMPTZ NOT NULL
	)`
}

// migrationLock is a session advisory lock; advisory locks are per
// database, so sites on one server do not wait for each other.
func (postgresDialect) migrationLock() (lock, unlock string) {
	return `SELECT pg_advisory_lock($1)`, `SELECT pg_advisory_unlock($1)`
}

func (postgresDialect) truncMonth(col string) string {
	return `date_trunc('month', ` + col + ` AT TIME ZONE 'UTC')`
}
func (postgresDialect) monthText(col string) string { return `to_char(` + col + `, 'YYYY-MM')` }

func (postgresDialect) indexedBy(string) string { return "" }
func (postgresDialect) ftsMatch() string        { return `document @@ to_tsquery('english', ?)` }
func (postgresDialect) bylineOf(alias string) string {
	return `COALESCE((SELECT string_agg(u.name, ', ' ORDER BY x.position) FROM article_authors x JOIN users u ON u.id = x.user_id
		WHERE x.article_id = ` + alias + `.id), '')`
}
func (postgresDialect) tagsOf(alias string) string {
	return `COALESCE((SELECT string_agg(t.name, ', ' ORDER BY t.name) FROM article_tags x JOIN tags t ON t.id = x.tag_id
		WHERE x.article_id = ` + alias + `.id), '')`
}

func (postgresDialect) tableNames() string {
	return `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()`
}

func (postgresDialect) snapshotTx() *sql.TxOptions {
	return &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}
}

func (postgresDialect) deferForeignKeys() string { return `SET CONSTRAINTS ALL DEFERRED` }

func (postgresDialect) resetSequence(table, ident string) string {
	return fmt.Sprintf(`SELECT setval(pg_get_serial_sequence('%s', '%s'), COALESCE(MAX(%s), 0) + 1, false) FROM %s`,
		table, ident, quoteIdent(ident), quoteIdent(table))
}
