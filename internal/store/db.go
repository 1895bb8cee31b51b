// Package store persists Masthead's domain in SQL. It holds every query; the
// rest of the program sees only the methods of *Store, which take and return
// news types.
//
// A file per aggregate: articles.go (and related.go, revisions.go,
// corrections.go), comments.go and blocklist.go, staff.go and sessions.go,
// taxonomy.go (sections and tags), pages.go, people.go and quotes.go (the
// people quoted), media.go, settings.go, changelog.go (what the page cache
// follows), search.go, wordpress.go (import mappings). The machinery is in
// db.go, dialect.go, atomic.go, migrate.go, postgres.go and notify.go;
// whole-site operations in backup.go, bulk.go and sitecopy.go.
//
// One query set serves both dialects: queries are written with '?'
// placeholders and SQL both SQLite and PostgreSQL accept, and the dialect
// value (dialect.go) rewrites placeholders, converts times at the edge and
// supplies the few SQL fragments that must differ. SQLite gets
// two pools: a single-connection writer (so writers queue in Go instead of
// failing with SQLITE_BUSY) and a reader pool that WAL lets run alongside it.
// PostgreSQL (postgres.go) gets the same two pools, the reader's sessions
// read-only; its full-text search is in search_postgres.go.
//
// On PostgreSQL a lost connection (server restart, failover, a terminated
// backend) costs at most the statements that were in flight: idle
// connections are dropped as soon as one failure is seen, and reads, being
// idempotent, are retried on a fresh connection.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite" // also registers the "sqlite" driver
	sqlite3 "modernc.org/sqlite/lib"

	"masthead/internal/clock"
	"masthead/internal/news"
)

// Store is the database behind one Masthead site.
type Store struct {
	read    *sql.DB
	write   *sql.DB
	packer  *packer // SQLite only: deflates article bodies (packed.go)
	dialect dialect
	clock   clock.Clock // the time rows are created and changed at
	// seekFrom, when set, is how deep in a section's, tag's or author's
	// listing a page must start to be found from its month
	// (listing_months) rather than by walking every story before it
	// (WithListingSeek, seeksFrom).
	seekFrom int
	// searchWalk, when set, is how many stories a search walks for a
	// small tier's page before looking its matches' dates up instead
	// (walkFor); negative: never. Tests set it to take either way.
	searchWalk int
	completed  *completionCache // SQLite only: words being typed (completions)
	stmts      sync.Map         // query text -> *sql.Stmt on the read pool

	readIdle, writeIdle int // idle connections each pool keeps

	pgConfig *pgx.ConnConfig // PostgreSQL only: for the LISTEN connection
	// life ends when the store is closed; background work (the LISTEN
	// connection) stops with it.
	life context.Context
	stop context.CancelFunc

	// tx is set on the store Atomically hands out: every statement, read
	// or write, runs in this one transaction (atomic.go).
	tx *sql.Tx
	// txStmts are tx's prepared statements by query text, on SQLite,
	// whose driver otherwise parses every statement again: an import runs
	// the same few hundred thousand times.
	txStmts *sync.Map

	// committed are OnCommit's callbacks, called after this process's own
	// commits.
	committed *commitHooks
}

// commitHooks are functions to call after a commit.
type commitHooks struct {
	mu  sync.Mutex
	fns []func()
}

func (h *commitHooks) add(fn func()) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.fns = append(h.fns, fn)
}

func (h *commitHooks) call() {
	h.mu.Lock()
	fns := h.fns
	h.mu.Unlock()
	for _, fn := range fns {
		fn()
	}
}

// wrote tells OnCommit's callbacks that a statement on the write pool
// outside a transaction (which commits by itself) or a transaction has
// committed.
func (s *Store) wrote() { s.committed.call() }

// Option changes how Open, OpenSQLite or OpenPostgres sets up a store.
type Option func(*Store)

// WithClock makes the store take the time it records (creation and
// change times, expiry checks) from c instead of the system clock.
func WithClock(c clock.Clock) Option {
	return func(s *Store) { s.clock = c }
}

// WithListingSeek makes a page of a section's, tag's or author's listing
// whose first story is at least from stories deep start from the month
// that holds it (PublishedArticles); from < 1 is 1. Tests make every page
// but the first seek; by default pages seek from sectionSeekFrom or
// listedSeekFrom, above which walking to them costs more than adding up
// the listing's months.
func WithListingSeek(from int) Option {
	return func(s *Store) { s.seekFrom = max(from, 1) }
}

// Where a page costs less found from its month (a few hundred
// microseconds, measured at 200,000 stories on both engines) than walked:
// a section's walk tests each story it passes for being a static page
// (0.4 µs a story); a tag's or author's reads the narrow index of its
// listed stories alone (0.06 µs).
const (
	sectionSeekFrom = 1200
	listedSeekFrom  = 4800
)

// seeksFrom is how deep a page of a listing of kind (countedListing) must
// start to be found from its month.
func (s *Store) seeksFrom(kind string) int {
	switch {
	case s.seekFrom > 0:
		return s.seekFrom
	case kind == "section":
		return sectionSeekFrom
	}
	return listedSeekFrom
}

// configure applies opts over the defaults.
func (s *Store) configure(opts []Option) {
	s.clock = clock.System{}
	for _, o := range opts {
		o(s)
	}
}

// timeLayout is fixed-width so SQLite's text comparison orders times correctly.
const timeLayout = "2006-01-02T15:04:05.000000Z"

// OpenSQLite opens (creating if needed) the SQLite database at path and
// applies pending migrations.
func OpenSQLite(ctx context.Context, path string, opts ...Option) (*Store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("create database folder: %w", err)
	}
	// busy_timeout comes first so the WAL switch itself waits for a lock.
	// synchronous=FULL makes every acknowledged commit survive power loss,
	// not just a process crash; newsroom write rates make the fsync cheap.
	pragmas := "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(FULL)"
	write, err := sql.Open("sqlite", "file:"+path+"?"+pragmas+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	write.SetMaxOpenConns(1)
	write.SetConnMaxIdleTime(0)
	read, err := sql.Open("sqlite", "file:"+path+"?"+pragmas+"&_pragma=query_only(1)")
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	read.SetMaxOpenConns(8)
	read.SetMaxIdleConns(8)
	s := &Store{read: read, write: write, packer: newPacker(), dialect: sqliteDialect{}, readIdle: 8, writeIdle: 1, committed: &commitHooks{},
		completed: &completionCache{}}
	s.configure(opts)
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Close releases the database.
func (s *Store) Close() error {
	if s.stop != nil {
		s.stop()
	}
	s.stmts.Range(func(_, st any) bool {
		st.(*sql.Stmt).Close()
		return true
	})
	err := s.read.Close()
	if s.write != s.read {
		err = errors.Join(err, s.write.Close())
	}
	return err
}

// Ping reports whether the database answers.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	return s.queryRow(ctx, s.read, "SELECT 1").Scan(&one)
}

// Backend names the database engine: "sqlite" or "postgres".
func (s *Store) Backend() string { return s.dialect.name() }

// q rewrites a '?'-placeholder query for the dialect.
//
// A tag, section or author ID compared with = is written "+?". SQLite's
// planner looks at a bare parameter's value, and a statement whose parameter
// moves between 0 or 1 and any other number is prepared again on its next
// run; ID 1 is the first tag, section and author, so related-story and
// listing queries were being prepared again for one page in four. The unary
// plus hides the value without changing the comparison or the index used.
// PostgreSQL gets a plain parameter.
func (s *Store) q(query string) string { return s.dialect.rewrite(query) }

// numberPlaceholders rewrites '?' placeholders outside string literals as
// $1, $2 … and drops the '+' of "+?", for PostgreSQL.
func numberPlaceholders(query string) string {
	var b strings.Builder
	n := 0
	inString := false
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case c == '\'':
			inString = !inString
		case c == '+' && !inString && strings.HasPrefix(query[i:], "+?"):
			continue
		case c == '?' && !inString:
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// intLiterals writes a query's arguments into it as literals when every
// one is an integer, for PostgreSQL, and reports whether it did. A
// statement without parameters is planned once, when it is prepared on a
// connection; with them PostgreSQL may plan it again at every execution
// (a custom plan: it judged the generic one, blind to the LIMIT, dearer),
// which cost the front page's seven-listing query more than running it.
// Integers only: they cannot break out of the SQL, and a page's ids,
// limits and offsets repeat, so the statements written are few.
func intLiterals(query string, args []any) (string, bool) {
	lits := make([]string, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case int:
			lits[i] = strconv.Itoa(v)
		case int64:
			lits[i] = strconv.FormatInt(v, 10)
		default:
			return query, false
		}
	}
	var b strings.Builder
	n := 0
	inString := false
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case c == '\'':
			inString = !inString
		case c == '?' && !inString:
			if n == len(lits) {
				return query, false
			}
			b.WriteString(lits[n])
			n++
			continue
		}
		b.WriteByte(c)
	}
	if n != len(lits) {
		return query, false
	}
	return b.String(), true
}

// args converts Go values to what the driver stores: times become UTC text in
// SQLite, and zero times become NULL everywhere.
func (s *Store) args(args []any) []any { return s.dialect.args(args) }

// pgText makes a string acceptable to PostgreSQL, whose text type takes
// neither NUL nor invalid UTF-8: a URL like /tag/%00 then simply finds
// nothing instead of failing. (What readers submit is validated before it
// gets here; this is the last line of defence.)
func pgText(v string) string {
	if strings.IndexByte(v, 0) < 0 && utf8.ValidString(v) {
		return v
	}
	return strings.ReplaceAll(strings.ToValidUTF8(v, "\uFFFD"), "\x00", "\uFFFD")
}

// querier is satisfied by *sql.DB and *sql.Tx.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Reads on the read pool go through prepared statements kept for the
// life of the store: preparing costs more than running most of our queries.
// They are retried when the connection was lost; other queries are not.
func (s *Store) queryRows(ctx context.Context, db querier, query string, args ...any) (*sql.Rows, error) {
	db = s.in(db)
	args = s.args(args)
	if st := s.txStmt(ctx, db, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	if db != s.read {
		rows, err := db.QueryContext(ctx, s.q(query), args...)
		s.lostConnection(err)
		return rows, err
	}
	for attempt := 1; ; attempt++ {
		rows, err := s.readRows(ctx, query, args)
		if err == nil || !s.retryRead(ctx, err, attempt) {
			return rows, err
		}
	}
}

// listingRows runs a listing's read query. On PostgreSQL, outside a
// transaction, its integer arguments are written into it (intLiterals) so
// that it is planned once a connection, not at each request: at 100,000
// stories planning took 0.5–0.8 ms of a listing, running it 0.1–0.25.
func (s *Store) listingRows(ctx context.Context, query string, args []any) (*sql.Rows, error) {
	if !s.dialect.sqlite() && s.tx == nil {
		if q, ok := intLiterals(query, args); ok {
			return s.literalRows(ctx, q)
		}
	}
	return s.queryRows(ctx, s.read, query, args...)
}

// literalRows runs a read query whose arguments intLiterals wrote into
// it, retried like queryRows'. It is not kept prepared by the store,
// whose statements are never let go and whose texts are few; the driver
// keeps it prepared in its own cache, which holds a bounded number (a
// front page's ids change with each story published).
func (s *Store) literalRows(ctx context.Context, query string) (*sql.Rows, error) {
	for attempt := 1; ; attempt++ {
		rctx, err := s.readContext(ctx)
		if err != nil {
			return nil, err
		}
		rows, err := s.read.QueryContext(rctx, s.q(query))
		if err == nil || !s.retryRead(ctx, err, attempt) {
			return rows, err
		}
	}
}

func (s *Store) readRows(ctx context.Context, query string, args []any) (*sql.Rows, error) {
	ctx, err := s.readContext(ctx)
	if err != nil {
		return nil, err
	}
	st, err := s.prepared(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// queryRow runs a single-row query when its result is scanned, so that a
// read can be retried like queryRows'.
func (s *Store) queryRow(ctx context.Context, db querier, query string, args ...any) *row {
	return &row{s: s, ctx: ctx, db: s.in(db), query: query, args: s.args(args)}
}

// row is the pending result of queryRow.
type row struct {
	s     *Store
	ctx   context.Context
	db    querier
	query string
	args  []any
}

// Scan runs the query and copies the columns of its first row into dest;
// sql.ErrNoRows when there is none.
func (r *row) Scan(dest ...any) error {
	s := r.s
	for attempt := 1; ; attempt++ {
		var sr *sql.Row
		if r.db == s.read {
			ctx, err := s.readContext(r.ctx)
			if err != nil {
				return err
			}
			if st, err := s.prepared(ctx, r.query); err == nil {
				sr = st.QueryRowContext(ctx, r.args...)
			}
		}
		if sr == nil {
			if st := s.txStmt(r.ctx, r.db, r.query); st != nil {
				sr = st.QueryRowContext(r.ctx, r.args...)
			} else {
				sr = r.db.QueryRowContext(r.ctx, s.q(r.query), r.args...)
			}
		}
		err := sr.Scan(dest...)
		if err == nil && s.tx == nil && r.db == s.write {
			s.wrote() // an INSERT … RETURNING, committed by itself
		}
		if err == nil || errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if r.db != s.read {
			s.lostConnection(err)
			return err
		}
		if !s.retryRead(r.ctx, err, attempt) {
			return err
		}
	}
}

// readContext is the context a read runs under. On SQLite a cancellable
// context makes the driver and database/sql start two goroutines per
// statement to watch it, which costs more than most of our reads. Reads
// take well under a millisecond (a search, a few tens), so the context is
// checked before each one instead of interrupting one midway.
func (s *Store) readContext(ctx context.Context) (context.Context, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return s.dialect.readContext(ctx), nil
}

// maxCachedQuery is the longest statement a transaction keeps prepared:
// the multi-row INSERTs of InsertBatch, each of its own length, would
// only fill memory.
const maxCachedQuery = 4096

// txStmt is the transaction's prepared statement for query when the
// statement runs in a transaction that keeps them (Atomically's, on
// SQLite), else nil. A statement that fails to prepare is left to run the
// ordinary way, which reports the error.
func (s *Store) txStmt(ctx context.Context, db querier, query string) *sql.Stmt {
	if s.txStmts == nil || s.in(db) != s.tx || len(query) > maxCachedQuery {
		return nil
	}
	if st, ok := s.txStmts.Load(query); ok {
		return st.(*sql.Stmt)
	}
	st, err := s.tx.PrepareContext(ctx, s.q(query))
	if err != nil {
		return nil
	}
	s.txStmts.Store(query, st) // closed with the transaction
	return st
}

func (s *Store) prepared(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := s.stmts.Load(query); ok {
		return st.(*sql.Stmt), nil
	}
	st, err := s.read.PrepareContext(ctx, s.q(query))
	if err != nil {
		return nil, err
	}
	if prev, loaded := s.stmts.LoadOrStore(query, st); loaded {
		st.Close()
		return prev.(*sql.Stmt), nil
	}
	return st, nil
}

func (s *Store) exec(ctx context.Context, db querier, query string, args ...any) (sql.Result, error) {
	if st := s.txStmt(ctx, db, query); st != nil {
		res, err := st.ExecContext(ctx, s.args(args)...)
		return res, err
	}
	res, err := s.in(db).ExecContext(ctx, s.q(query), s.args(args)...)
	s.lostConnection(err)
	if err == nil && s.tx == nil && db == s.write {
		s.wrote()
	}
	return res, err
}

// execOne runs a statement that must change a row: news.ErrNotFound when
// it changed none.
func (s *Store) execOne(ctx context.Context, db querier, query string, args ...any) error {
	res, err := s.exec(ctx, db, query, args...)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return news.ErrNotFound
	}
	return nil
}

// retries is how many times an idempotent step (a read, a BEGIN) is tried
// when its connection turns out to be dead.
const retries = 4

// retryRead reports whether a read that failed with err on its attempt-th
// try should be tried again, after a short pause.
func (s *Store) retryRead(ctx context.Context, err error, attempt int) bool {
	if attempt >= retries || !s.lostConnection(err) {
		return false
	}
	select {
	case <-ctx.Done():
		return false
	case <-time.After(time.Duration(attempt) * 25 * time.Millisecond):
		return true
	}
}

// lostConnection reports whether err says the database connection was
// lost and, if so, closes every idle connection of both pools: when one
// was cut (a restart, a failover, a terminated backend) the others almost
// certainly were too, and the next statement should not find out again.
func (s *Store) lostConnection(err error) bool {
	if !s.dialect.connectionLost(err) {
		return false
	}
	s.read.SetMaxIdleConns(-1)
	s.read.SetMaxIdleConns(s.readIdle)
	s.write.SetMaxIdleConns(-1)
	s.write.SetMaxIdleConns(s.writeIdle)
	return true
}

// insert runs an INSERT … RETURNING id and returns the new id.
func (s *Store) insert(ctx context.Context, db querier, query string, args ...any) (int64, error) {
	var id int64
	err := s.queryRow(ctx, db, query+" RETURNING id", args...).Scan(&id)
	return id, err
}

// inTx runs fn in a write transaction, committing when it returns nil.
// BEGIN is retried on a lost connection: nothing has happened yet.
func (s *Store) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if s.tx != nil {
		return s.savepoint(ctx, fn)
	}
	tx, err := s.write.BeginTx(ctx, nil)
	for attempt := 1; err != nil && s.retryRead(ctx, err, attempt); attempt++ {
		tx, err = s.write.BeginTx(ctx, nil)
	}
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := s.settleQuotes(ctx, tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		s.lostConnection(err)
		return fmt.Errorf("commit: %w", err)
	}
	s.wrote()
	return nil
}

// nullTime scans a timestamp stored by either dialect.
type nullTime struct{ Time time.Time }

func (t *nullTime) Scan(v any) error {
	switch v := v.(type) {
	case nil:
		t.Time = time.Time{}
	case time.Time:
		t.Time = v.UTC()
	case string:
		return t.parse(v)
	case []byte:
		return t.parse(string(v))
	default:
		return fmt.Errorf("scan time: unexpected %T", v)
	}
	return nil
}

func (t *nullTime) parse(s string) error {
	p, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return fmt.Errorf("scan time %q: %w", s, err)
	}
	t.Time = p.UTC()
	return nil
}

// placeholders returns "?, ?, ?" for n values.
func placeholders(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat("?, ", n-1) + "?"
}

// isUniqueViolation recognises a unique-constraint error from either driver
// by its code: PostgreSQL's SQLSTATE 23505 (unique_violation, which a
// primary key raises too), or SQLite's extended result code for a UNIQUE
// or PRIMARY KEY constraint.
func isUniqueViolation(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == "23505"
	}
	var sqliteErr *sqlite.Error
	if errors.As(err, &sqliteErr) {
		switch sqliteErr.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return true
		}
	}
	return false
}

// WatchDB exports the connection pools' statistics as metrics.
func (s *Store) WatchDB(m interface{ WatchDB(*sql.DB, string) }) {
	m.WatchDB(s.read, "read")
	if s.write != s.read {
		m.WatchDB(s.write, "write")
	}
}
