package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"masthead/internal/markup"
)

// Copying a whole site between databases (`masthead migrate`). Every table
// of the source is copied — whatever tables later migrations add — parents
// before children, ids kept, in one transaction on the target that also
// checks, before it commits, that each table holds the same number of rows
// with the same checksum as the source. A failed copy leaves the target as
// it was, so the copy is safe to run again.

// searchTable is the full-text index: derived data, rebuilt on the target
// by its own engine from the indexed text rather than copied as a table.
const searchTable = "article_search"

// derivedTables are kept by triggers as the copied rows arrive, or hold
// nothing worth carrying: they are not copied. A new table that triggers
// maintain belongs here. (SQLite's virtual tables and their shadow tables
// are left out by type: quote_search, the quotations' index, is filled by
// its triggers as article_quotes' rows arrive.)
var derivedTables = map[string]bool{
	"schema_migrations": true, // each database's own bookkeeping
	searchTable:         true, // copied separately, see above
	"search_vocab":      true, // "did you mean" words: triggers on articles
	"search_words":      true,
	"changes":           true, // the cache log: started afresh, see resetChanges
	"listing_counts":    true, // listing counts: triggers on the listed rows
	"quotes_unsettled":  true, // settled before each commit; quote_tallies is copied
	"listing_months":    true, // and their months (0034)
	"archive_months":    true, // the sitemap's months (0034)
	"search_lexemes":    true, // the documents' words (postgres/0041): see suspendUpkeep
	"batch_held":        true, // set only inside a batch's savepoint (sqlite/0042)
}

// ErrTargetNotEmpty is returned when the target of a copy already has data
// and CopyOptions.Replace is not set.
var ErrTargetNotEmpty = errors.New("the target database is not empty")

// CopyOptions control CopySite.
type CopyOptions struct {
	// Replace empties the target's tables first (in the same transaction);
	// without it a target holding any row is refused.
	Replace bool
	// Progress, if set, is called as rows are copied.
	Progress func(CopyProgress)
}

// CopyProgress tells how far a copy has got.
type CopyProgress struct {
	Table           string
	TableRows, Rows int64 // rows of Table: in all, and copied so far
	Done, Total     int64 // rows of every table
	Verifying       bool  // all rows are copied and being checked
}

// TableCopy is what was copied of one table, and verified on the target.
type TableCopy struct {
	Table    string
	Rows     int64
	Checksum string // hex SHA-256 over the rows, independent of engine and order
}

// colKind says how a column's values convert between engines.
type colKind int

const (
	kindOther colKind = iota
	kindText
	kindInt
	kindBool
	kindTime
)

type tableInfo struct {
	name    string
	cols    []string
	kinds   []colKind
	order   string   // ORDER BY clause: the primary key
	parents []string // tables its foreign keys point to
	ident   string   // PostgreSQL identity column, if any
}

// CopySite copies every table of src into dst (see the comment above) and
// returns what it copied in the order it copied it. Both stores must be at
// the same schema version; opening them with the same binary ensures it.
func CopySite(ctx context.Context, src, dst *Store, opt CopyOptions) ([]TableCopy, error) {
	progress := opt.Progress
	if progress == nil {
		progress = func(CopyProgress) {}
	}
	sv, err := src.SchemaVersion(ctx)
	if err != nil {
		return nil, err
	}
	dv, err := dst.SchemaVersion(ctx)
	if err != nil {
		return nil, err
	}
	if sv != dv {
		return nil, fmt.Errorf("the source is at schema version %d and the target at %d: upgrade both with the same masthead", sv, dv)
	}
	tables, err := copyPlan(ctx, src, dst)
	if err != nil {
		return nil, err
	}

	// The source is read from one snapshot; the target is written in one
	// transaction whose foreign keys are checked at commit.
	rtx, err := src.read.BeginTx(ctx, src.dialect.snapshotTx())
	if err != nil {
		return nil, fmt.Errorf("read the source: %w", err)
	}
	defer func() { _ = rtx.Rollback() }()
	// PostgreSQL is written with COPY on the transaction's own connection.
	var conn *sql.Conn
	begin := dst.write.BeginTx
	if !dst.dialect.sqlite() {
		if conn, err = dst.write.Conn(ctx); err != nil {
			return nil, fmt.Errorf("write the target: %w", err)
		}
		defer conn.Close()
		begin = conn.BeginTx
	}
	wtx, err := begin(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("write the target: %w", err)
	}
	defer func() { _ = wtx.Rollback() }()
	if _, err := wtx.ExecContext(ctx, dst.dialect.deferForeignKeys()); err != nil {
		return nil, fmt.Errorf("defer foreign keys: %w", err)
	}

	// Before anything is written: triggers cannot be altered once
	// foreign-key checks are pending.
	resumeUpkeep, err := suspendUpkeep(ctx, dst, wtx, tables)
	if err != nil {
		return nil, err
	}
	if err := prepareTarget(ctx, dst, wtx, tables, opt.Replace); err != nil {
		return nil, err
	}
	counts := make([]int64, len(tables))
	var total int64
	for i, t := range tables {
		if err := src.queryRow(ctx, rtx, `SELECT COUNT(*) FROM `+t.from(src)).Scan(&counts[i]); err != nil {
			return nil, fmt.Errorf("count %s: %w", t.name, err)
		}
		total += counts[i]
	}
	var done int64
	for i, t := range tables {
		progress(CopyProgress{Table: t.name, TableRows: counts[i], Done: done, Total: total})
		n, err := copyTable(ctx, src, dst, rtx, wtx, conn, t, func(rows int64) {
			progress(CopyProgress{Table: t.name, TableRows: counts[i], Rows: rows, Done: done + rows, Total: total})
		})
		if err != nil {
			return nil, fmt.Errorf("copy %s: %w", t.name, err)
		}
		done += n
	}
	for _, t := range tables {
		if t.ident == "" {
			continue
		}
		if reset := dst.dialect.resetSequence(t.name, t.ident); reset != "" {
			if _, err := wtx.ExecContext(ctx, reset); err != nil {
				return nil, fmt.Errorf("reset the id sequence of %s: %w", t.name, err)
			}
		}
	}

	if err := resumeUpkeep(ctx); err != nil {
		return nil, err
	}
	if err := resetChanges(ctx, dst, wtx); err != nil {
		return nil, err
	}
	// The tallies came with the copy; what SQLite's triggers marked as
	// the quotations arrived needs no settling.
	if _, err := wtx.ExecContext(ctx, `DELETE FROM quotes_unsettled`); err != nil {
		return nil, fmt.Errorf("clear the quote tallies' marks: %w", err)
	}

	progress(CopyProgress{Done: done, Total: total, Verifying: true})
	var report []TableCopy
	for _, t := range tables {
		want, err := src.tableChecksum(ctx, rtx, t)
		if err != nil {
			return nil, fmt.Errorf("checksum %s on the source: %w", t.name, err)
		}
		got, err := dst.tableChecksum(ctx, wtx, t)
		if err != nil {
			return nil, fmt.Errorf("checksum %s on the target: %w", t.name, err)
		}
		if got != want {
			return nil, fmt.Errorf("verify %s: the source has %d rows (checksum %.12s) but the target %d (checksum %.12s); nothing was written",
				t.name, want.Rows, want.Checksum, got.Rows, got.Checksum)
		}
		report = append(report, want)
	}
	if err := wtx.Commit(); err != nil {
		return nil, fmt.Errorf("commit the copy: %w", err)
	}
	// PostgreSQL plans from statistics autovacuum would gather only
	// later; until then it misjudges searches and listings on the fresh
	// rows (a 50 ms search instead of 1 ms). VACUUM, too, marks the pages
	// all-visible: until then no index-only scan is chosen, and a tag's
	// page 168 sorted its 4,000 rows read from the table (6.2 ms against
	// 0.7 at 100,000 stories), and each row's first reader writes its hint
	// bits. Only the tables copied: another schema's are not ours to lock.
	// SQLite's plans are chosen without statistics, as they were tuned.
	if !dst.dialect.sqlite() {
		names := make([]string, len(tables))
		for i, t := range tables {
			names[i] = pgx.Identifier{t.name}.Sanitize()
		}
		if _, err := dst.write.ExecContext(ctx, `VACUUM (ANALYZE) `+strings.Join(names, ", ")); err != nil {
			return nil, fmt.Errorf("vacuum and gather the copy's statistics: %w", err)
		}
	}
	return report, nil
}

// suspendUpkeep turns off, on a PostgreSQL target, what the database
// does for every row it is given, for the copy's transaction: its own
// triggers on the tables a copy writes, and their secondary indexes.
// resume builds the indexes again in one pass each and turns the triggers
// back on. The triggers keep the change log (which resetChanges starts
// afresh), the search vocabulary and the listing counts (both counted
// once by resume) and columns copied from the source anyway (which the checksums then verify). With
// them on, each article's vocabulary trigger updated the rows of the same
// common words, so an article cost more the more came before it: 5,000
// articles took 40 s, half of it in those triggers; 12 s without them.
// SQLite's triggers are cheap and stay on.
func suspendUpkeep(ctx context.Context, dst *Store, tx *sql.Tx, tables []tableInfo) (resume func(context.Context) error, err error) {
	if dst.dialect.sqlite() {
		return func(context.Context) error { return nil }, nil
	}
	names := make([]string, len(tables))
	for i, t := range tables {
		names[i] = t.name
	}
	// Indexes that back a constraint (primary keys, unique columns) stay:
	// the foreign keys need them.
	rows, err := tx.QueryContext(ctx, `SELECT i.indexname, i.indexdef FROM pg_indexes i
		WHERE i.schemaname = current_schema() AND i.tablename = ANY($1)
		AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = CAST(quote_ident(i.indexname) AS regclass))
		ORDER BY i.indexname`, names)
	if err != nil {
		return nil, fmt.Errorf("list the target's indexes: %w", err)
	}
	var indexes [][2]string
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			rows.Close()
			return nil, fmt.Errorf("list the target's indexes: %w", err)
		}
		indexes = append(indexes, [2]string{name, def})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list the target's indexes: %w", err)
	}
	for _, ix := range indexes {
		if _, err := tx.ExecContext(ctx, `DROP INDEX `+quoteIdent(ix[0])); err != nil {
			return nil, fmt.Errorf("drop index %s for the copy: %w", ix[0], err)
		}
	}
	alter := func(ctx context.Context, how string) error {
		for _, t := range tables {
			if _, err := tx.ExecContext(ctx, `ALTER TABLE `+quoteIdent(t.name)+` `+how+` TRIGGER USER`); err != nil {
				return fmt.Errorf("%s the triggers of %s: %w", strings.ToLower(how), t.name, err)
			}
		}
		return nil
	}
	if err := alter(ctx, "DISABLE"); err != nil {
		return nil, err
	}
	// Save the one that computes each search row's document as it
	// arrives (postgres/0044).
	if _, err := tx.ExecContext(ctx, `ALTER TABLE `+searchTable+` ENABLE TRIGGER article_search_document`); err != nil {
		return nil, fmt.Errorf("enable the search documents' trigger: %w", err)
	}
	return func(ctx context.Context) error {
		// Neither indexes nor triggers can be altered while foreign-key
		// checks are pending: they are made now rather than at commit.
		if _, err := tx.ExecContext(ctx, `SET CONSTRAINTS ALL IMMEDIATE`); err != nil {
			return fmt.Errorf("check the foreign keys: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `SET LOCAL maintenance_work_mem = '256MB'`); err != nil {
			return err
		}
		for _, ix := range indexes {
			if _, err := tx.ExecContext(ctx, ix[1]); err != nil {
				return fmt.Errorf("build index %s: %w", ix[0], err)
			}
		}
		if err := alter(ctx, "ENABLE"); err != nil {
			return err
		}
		if err := recountSearchVocab(ctx, tx); err != nil {
			return err
		}
		// The documents' words, which article_search's triggers would
		// have added a row at a time.
		if err := addSearchLexemes(ctx, tx); err != nil {
			return err
		}
		return recountListings(ctx, tx)
	}, nil
}

// resetChanges empties the target's change log, which the triggers filled
// as rows arrived, leaving one "all" change: anything following the log
// starts afresh.
func resetChanges(ctx context.Context, dst *Store, tx *sql.Tx) error {
	var n int
	if err := dst.queryRow(ctx, tx, `SELECT COUNT(*) FROM (`+dst.dialect.tableNames()+`) t WHERE name = 'changes'`).Scan(&n); err != nil || n == 0 {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM changes`); err != nil {
		return fmt.Errorf("reset the change log: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO changes (kind, ref) VALUES ('all', '')`); err != nil {
		return fmt.Errorf("reset the change log: %w", err)
	}
	return nil
}

// TableChecksums returns the row count and checksum of every table a copy
// would carry (the search index included), for comparing two sites.
func (s *Store) TableChecksums(ctx context.Context) ([]TableCopy, error) {
	tables, err := copyPlan(ctx, s, s)
	if err != nil {
		return nil, err
	}
	tx, err := s.read.BeginTx(ctx, s.dialect.snapshotTx())
	if err != nil {
		return nil, err
	}
	defer func() { _ = tx.Rollback() }()
	var out []TableCopy
	for _, t := range tables {
		c, err := s.tableChecksum(ctx, tx, t.columnsByName())
		if err != nil {
			return nil, fmt.Errorf("checksum %s: %w", t.name, err)
		}
		out = append(out, c)
	}
	return out, nil
}

// copyPlan lists the tables to copy, parents first, ending with the search
// index; columns and how they convert come from the PostgreSQL side when
// there is one, since SQLite keeps times and booleans untyped.
func copyPlan(ctx context.Context, src, dst *Store) ([]tableInfo, error) {
	srcTables, err := src.catalog(ctx)
	if err != nil {
		return nil, fmt.Errorf("list the source's tables: %w", err)
	}
	dstTables, err := dst.catalog(ctx)
	if err != nil {
		return nil, fmt.Errorf("list the target's tables: %w", err)
	}
	byName := map[string]tableInfo{}
	for _, t := range dstTables {
		byName[t.name] = t
	}
	var plan []tableInfo
	for _, st := range srcTables {
		dt, ok := byName[st.name]
		if !ok {
			return nil, fmt.Errorf("table %s is missing on the target", st.name)
		}
		// Columns are named in every statement, so their order may differ
		// (SQLite can only add columns at the end).
		if !slices.Equal(slices.Sorted(slices.Values(st.cols)), slices.Sorted(slices.Values(dt.cols))) {
			return nil, fmt.Errorf("table %s has columns %v on the source but %v on the target", st.name, st.cols, dt.cols)
		}
		t := st
		if !dst.dialect.sqlite() {
			t.kinds = make([]colKind, len(st.cols))
			for i, c := range st.cols {
				t.kinds[i] = dt.kinds[slices.Index(dt.cols, c)]
			}
			t.ident = dt.ident
		}
		plan = append(plan, t)
	}
	plan, err = parentsFirst(plan)
	if err != nil {
		return nil, err
	}
	return append(plan, tableInfo{
		name:  searchTable,
		cols:  []string{"rowid", "headline", "standfirst", "body", "byline", "tags"},
		kinds: []colKind{kindInt, kindText, kindText, kindText, kindText, kindText},
		order: "rowid",
	}), nil
}

// parentsFirst orders tables so that every table comes after the tables
// its foreign keys point to (self-references aside), by name otherwise.
func parentsFirst(tables []tableInfo) ([]tableInfo, error) {
	sort.Slice(tables, func(i, j int) bool { return tables[i].name < tables[j].name })
	placed := map[string]bool{}
	var out []tableInfo
	for len(out) < len(tables) {
		progress := false
		for _, t := range tables {
			if placed[t.name] {
				continue
			}
			ready := true
			for _, p := range t.parents {
				if p != t.name && !placed[p] {
					ready = false
				}
			}
			if ready {
				placed[t.name] = true
				out = append(out, t)
				progress = true
			}
		}
		if !progress {
			return nil, errors.New("the tables' foreign keys form a cycle")
		}
	}
	return out, nil
}

// catalog describes the site's tables: every base table but the migration
// bookkeeping and the search index (and, in SQLite, its shadow tables).
func (s *Store) catalog(ctx context.Context) ([]tableInfo, error) {
	if s.dialect.sqlite() {
		return s.sqliteCatalog(ctx)
	}
	return s.postgresCatalog(ctx)
}

func (s *Store) sqliteCatalog(ctx context.Context) ([]tableInfo, error) {
	names, err := s.strings(ctx, `SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table'
		AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY name`)
	if err != nil {
		return nil, err
	}
	var out []tableInfo
	for _, name := range names {
		if derivedTables[name] {
			continue
		}
		t := tableInfo{name: name}
		rows, err := s.queryRows(ctx, s.read, `SELECT name, type, pk FROM pragma_table_info(?) ORDER BY cid`, name)
		if err != nil {
			return nil, err
		}
		var pk []string
		pkPos := map[string]int{}
		for rows.Next() {
			var col, typ string
			var pos int
			if err := rows.Scan(&col, &typ, &pos); err != nil {
				rows.Close()
				return nil, err
			}
			t.cols = append(t.cols, col)
			t.kinds = append(t.kinds, sqliteKind(typ))
			if pos > 0 {
				pk = append(pk, col)
				pkPos[col] = pos
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		sort.Slice(pk, func(i, j int) bool { return pkPos[pk[i]] < pkPos[pk[j]] })
		t.order = orderBy(pk, t.cols)
		if t.parents, err = s.strings(ctx, `SELECT DISTINCT "table" FROM pragma_foreign_key_list(?)`, name); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

func sqliteKind(declared string) colKind {
	switch strings.ToUpper(declared) {
	case "INTEGER":
		return kindInt
	case "BOOLEAN":
		return kindBool
	case "TEXT":
		return kindText
	}
	return kindOther
}

func (s *Store) postgresCatalog(ctx context.Context) ([]tableInfo, error) {
	names, err := s.strings(ctx, `SELECT table_name FROM information_schema.tables
		WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`)
	if err != nil {
		return nil, err
	}
	var out []tableInfo
	for _, name := range names {
		if derivedTables[name] {
			continue
		}
		t := tableInfo{name: name}
		rows, err := s.queryRows(ctx, s.read, `SELECT column_name, data_type, is_identity FROM information_schema.columns
			WHERE table_schema = current_schema() AND table_name = ? AND is_generated = 'NEVER'
			ORDER BY ordinal_position`, name)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var col, typ, ident string
			if err := rows.Scan(&col, &typ, &ident); err != nil {
				rows.Close()
				return nil, err
			}
			t.cols = append(t.cols, col)
			t.kinds = append(t.kinds, postgresKind(typ))
			if ident == "YES" {
				t.ident = col
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		pk, err := s.strings(ctx, `SELECT a.attname FROM pg_index i
			JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
			WHERE i.indrelid = CAST(? AS regclass) AND i.indisprimary
			ORDER BY array_position(CAST(i.indkey AS int2[]), a.attnum)`, quoteIdent(name))
		if err != nil {
			return nil, err
		}
		t.order = orderBy(pk, t.cols)
		if t.parents, err = s.strings(ctx, `SELECT DISTINCT c2.relname FROM pg_constraint f
			JOIN pg_class c2 ON c2.oid = f.confrelid
			WHERE f.contype = 'f' AND f.conrelid = CAST(? AS regclass)`, quoteIdent(name)); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

func postgresKind(dataType string) colKind {
	switch dataType {
	case "bigint", "integer", "smallint":
		return kindInt
	case "boolean":
		return kindBool
	case "timestamp with time zone", "timestamp without time zone":
		return kindTime
	case "text", "character varying", "character":
		return kindText
	}
	return kindOther
}

func orderBy(pk, cols []string) string {
	if len(pk) == 0 {
		pk = cols
	}
	q := make([]string, len(pk))
	for i, c := range pk {
		q[i] = quoteIdent(c)
	}
	return strings.Join(q, ", ")
}

func (s *Store) strings(ctx context.Context, query string, args ...any) ([]string, error) {
	rows, err := s.queryRows(ctx, s.read, query, args...)
	if err != nil {
		return nil, err
	}
	return scanStrings(rows)
}

// quoteIdent quotes a name from the catalog for SQL; both engines accept
// double-quoted identifiers.
func quoteIdent(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// from is the table (or, for the search index, the rows of articles that
// still exist) to read on s.
func (t tableInfo) from(s *Store) string {
	if t.name != searchTable {
		return quoteIdent(t.name)
	}
	// Neither engine's index keeps the bodies (sqlite/0030, postgres/0044):
	// its rows are made again from the articles it has, the body from
	// body_html (copyTable makes that plain text), the byline in order
	// and the tags by name as the store writes them.
	return `(SELECT a.id AS rowid, a.headline, a.standfirst, a.body_html AS body, ` + s.dialect.bylineOf("a") + ` AS byline, ` +
		s.dialect.tagsOf("a") + ` AS tags
		FROM articles a WHERE a.id IN (SELECT rowid FROM ` + searchTable + `)) ` + searchTable
}

// columnsByName orders the columns by name, so that checksums of two
// sites agree whatever order each engine keeps its columns in.
func (t tableInfo) columnsByName() tableInfo {
	idx := make([]int, len(t.cols))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return strings.Compare(t.cols[a], t.cols[b]) })
	out := t
	out.cols, out.kinds = make([]string, len(idx)), make([]colKind, len(idx))
	for i, j := range idx {
		out.cols[i], out.kinds[i] = t.cols[j], t.kinds[j]
	}
	return out
}

// columnList names the columns; the search index's rowid stays bare, as
// SQLite's FTS5 wants it.
func (t tableInfo) columnList() string {
	q := make([]string, len(t.cols))
	for i, c := range t.cols {
		q[i] = c
		if t.name != searchTable {
			q[i] = quoteIdent(c)
		}
	}
	return strings.Join(q, ", ")
}

// prepareTarget refuses a target with data, or empties it for Replace.
func prepareTarget(ctx context.Context, dst *Store, tx *sql.Tx, tables []tableInfo, replace bool) error {
	var full []string
	for _, t := range tables {
		var n int64
		if err := dst.queryRow(ctx, tx, `SELECT COUNT(*) FROM `+quoteIdent(t.name)).Scan(&n); err != nil {
			return fmt.Errorf("count %s on the target: %w", t.name, err)
		}
		if n > 0 {
			full = append(full, fmt.Sprintf("%s (%d rows)", t.name, n))
		}
	}
	if len(full) == 0 {
		return nil
	}
	if !replace {
		return fmt.Errorf("%w: %s", ErrTargetNotEmpty, strings.Join(full, ", "))
	}
	for i := len(tables) - 1; i >= 0; i-- {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+quoteIdent(tables[i].name)); err != nil {
			return fmt.Errorf("empty %s on the target: %w", tables[i].name, err)
		}
	}
	return nil
}

// copyBatch bounds the values in one INSERT, well under both engines'
// limits on parameters.
const copyBatch = 900

// copyTable reads t from the source and writes it to the target: with
// PostgreSQL's COPY when the target is PostgreSQL (conn is its connection,
// the one wtx runs on), in batched INSERTs otherwise.
func copyTable(ctx context.Context, src, dst *Store, rtx, wtx *sql.Tx, conn *sql.Conn, t tableInfo, progress func(rows int64)) (int64, error) {
	rows, err := rtx.QueryContext(ctx, `SELECT `+t.columnList()+` FROM `+t.from(src)+` ORDER BY `+t.order)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	r := &rowReader{rows: rows, t: t, dst: dst, vals: make([]any, len(t.cols)), ptrs: make([]any, len(t.cols))}
	for i := range r.vals {
		r.ptrs[i] = &r.vals[i]
	}
	if t.name == searchTable {
		r.body = slices.Index(t.cols, "body") // the search rows come with body_html (from)
	} else {
		r.body = -1
	}
	r.packed = t.packedColumns()
	if conn != nil {
		return copyRows(ctx, conn, t, r, progress)
	}
	return insertRows(ctx, dst, wtx, t, r, progress)
}

// rowReader reads a source table's rows as the target is given them.
type rowReader struct {
	rows       *sql.Rows
	t          tableInfo
	dst        *Store
	vals, ptrs []any
	row        []any // the current row, converted
	body       int   // the search index's body column, made plain text; -1 if none
	packed     []int // body columns: stored as the target stores them (packed.go)
	err        error
}

// Next reads the next row into row; false at the end or on an error (Err).
func (r *rowReader) Next() bool {
	if r.err != nil || !r.rows.Next() {
		return false
	}
	if r.err = r.rows.Scan(r.ptrs...); r.err != nil {
		return false
	}
	var err error
	for _, i := range r.packed {
		if r.vals[i], err = bodyValue(r.vals[i]); err != nil {
			r.err = fmt.Errorf("column %s: %w", r.t.cols[i], err)
			return false
		}
	}
	if r.body >= 0 {
		text, err := bodyValue(r.vals[r.body])
		if err != nil {
			r.err = fmt.Errorf("column body: %w", err)
			return false
		}
		r.vals[r.body] = markup.Text(asText(text))
	}
	r.row = make([]any, len(r.vals))
	for i, v := range r.vals {
		cv, err := convertValue(v, r.t.kinds[i])
		if err != nil {
			r.err = fmt.Errorf("column %s: %w", r.t.cols[i], err)
			return false
		}
		if text, ok := cv.(string); ok && slices.Contains(r.packed, i) {
			cv = r.dst.body(text)
		}
		r.row[i] = cv
	}
	return true
}

// Values and Err make a rowReader pgx's CopyFromSource.
func (r *rowReader) Values() ([]any, error) { return r.row, nil }

func (r *rowReader) Err() error {
	if r.err != nil {
		return r.err
	}
	return r.rows.Err()
}

// copyRows writes r's rows with PostgreSQL's COPY, in the transaction
// running on conn: a round trip for the table rather than for every few
// rows, and no statement to parse (a million-story archive's 6 million
// rows moved at a tenth of INSERTs' speed otherwise).
func copyRows(ctx context.Context, conn *sql.Conn, t tableInfo, r *rowReader, progress func(rows int64)) (int64, error) {
	var n int64
	err := conn.Raw(func(dc any) error {
		pc, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("driver connection %T is not pgx's", dc)
		}
		var err error
		n, err = pc.Conn().CopyFrom(ctx, pgx.Identifier{t.name}, t.cols, &progressSource{rowReader: r, progress: progress})
		return err
	})
	if err == nil && n > 0 { // an empty table was reported as done when it began
		progress(n)
	}
	return n, err
}

// progressSource reports every 10,000 rows a COPY has read.
type progressSource struct {
	*rowReader
	n        int64
	progress func(rows int64)
}

func (p *progressSource) Next() bool {
	if !p.rowReader.Next() {
		return false
	}
	if p.n++; p.n%10000 == 0 {
		p.progress(p.n)
	}
	return true
}

// insertRows writes r's rows in INSERTs of many rows each.
func insertRows(ctx context.Context, dst *Store, wtx *sql.Tx, t tableInfo, r *rowReader, progress func(rows int64)) (int64, error) {
	perInsert := max(1, copyBatch/len(t.cols))
	row := "(" + placeholders(len(t.cols)) + ")"
	var batch []any
	var n int64
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		k := len(batch) / len(t.cols)
		query := `INSERT INTO ` + quoteIdent(t.name) + ` (` + t.columnList() + `) VALUES ` + strings.TrimSuffix(strings.Repeat(row+", ", k), ", ")
		if _, err := dst.exec(ctx, wtx, query, batch...); err != nil {
			return err
		}
		n += int64(k)
		batch = batch[:0]
		progress(n)
		return nil
	}
	for r.Next() {
		batch = append(batch, r.row...)
		if len(batch)/len(t.cols) >= perInsert {
			if err := flush(); err != nil {
				return n, err
			}
		}
	}
	if err := r.Err(); err != nil {
		return n, err
	}
	return n, flush()
}

// convertValue turns a value read from either engine into the Go value the
// target is given (Store.args then formats times for SQLite).
func convertValue(v any, kind colKind) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch kind {
	case kindTime:
		switch x := v.(type) {
		case time.Time:
			return x.UTC(), nil
		case string, []byte:
			var t nullTime
			if err := t.Scan(x); err != nil {
				return nil, err
			}
			return t.Time, nil
		}
	case kindBool:
		switch x := v.(type) {
		case bool:
			return x, nil
		case int64:
			return x != 0, nil
		}
	case kindText:
		if b, ok := v.([]byte); ok {
			return string(b), nil
		}
	}
	return v, nil
}

// canonical writes a value in one form whatever engine it came from, for
// checksums.
func canonical(b *bytes.Buffer, v any, kind colKind) error {
	v, err := convertValue(v, kind)
	if err != nil {
		return err
	}
	var s string
	switch x := v.(type) {
	case nil:
		b.WriteByte(0)
		return nil
	case time.Time:
		s = "t" + x.UTC().Format(timeLayout)
	case bool:
		s = "b" + strconv.FormatBool(x)
	case int64:
		s = "i" + strconv.FormatInt(x, 10)
	case int32:
		s = "i" + strconv.FormatInt(int64(x), 10)
	case float64:
		s = "f" + strconv.FormatFloat(x, 'g', -1, 64)
	case string:
		s = "s" + x
		if t, ok := timeText(x); ok {
			s = "t" + t.Format(timeLayout)
		}
	case []byte:
		s = "s" + string(x)
	default:
		s = fmt.Sprintf("?%v", x)
	}
	var n [binary.MaxVarintLen64]byte
	b.Write(n[:binary.PutUvarint(n[:], uint64(len(s)))])
	b.WriteString(s)
	return nil
}

// timeText recognises a time stored as text (SQLite has no time type), so
// that checksums agree across engines without knowing which SQLite columns
// hold times; any text that is a time counts as that time on both sides.
func timeText(s string) (time.Time, bool) {
	if len(s) < 20 || len(s) > 40 || s[4] != '-' || s[10] != 'T' {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	return t.UTC(), err == nil
}

// tableChecksum hashes every row and then the sorted row hashes, so the sum
// does not depend on the order the engine returns rows in (text keys sort
// by collation in PostgreSQL).
func (s *Store) tableChecksum(ctx context.Context, tx *sql.Tx, t tableInfo) (TableCopy, error) {
	if t.name == searchTable {
		// Derived text, which SQLite does not keep (from): the rows are
		// compared, by the articles they index.
		t.cols, t.kinds = []string{"rowid"}, []colKind{kindInt}
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+t.columnList()+` FROM `+t.from(s))
	if err != nil {
		return TableCopy{}, err
	}
	defer rows.Close()
	vals := make([]any, len(t.cols))
	ptrs := make([]any, len(t.cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var sums [][sha256.Size]byte
	var b bytes.Buffer
	packed := t.packedColumns()
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return TableCopy{}, err
		}
		for _, i := range packed {
			if vals[i], err = bodyValue(vals[i]); err != nil {
				return TableCopy{}, fmt.Errorf("column %s: %w", t.cols[i], err)
			}
		}
		b.Reset()
		for i, v := range vals {
			if err := canonical(&b, v, t.kinds[i]); err != nil {
				return TableCopy{}, fmt.Errorf("column %s: %w", t.cols[i], err)
			}
		}
		sums = append(sums, sha256.Sum256(b.Bytes()))
	}
	if err := rows.Err(); err != nil {
		return TableCopy{}, err
	}
	slices.SortFunc(sums, func(a, b [sha256.Size]byte) int { return bytes.Compare(a[:], b[:]) })
	h := sha256.New()
	for _, sum := range sums {
		h.Write(sum[:])
	}
	return TableCopy{Table: t.name, Rows: int64(len(sums)), Checksum: hex.EncodeToString(h.Sum(nil))}, nil
}

// asText is a text value as either engine's driver returns it.
func asText(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case []byte:
		return string(v)
	}
	return ""
}

// packedColumns are the indexes of the article body columns, which SQLite
// may keep deflated (packed.go): they are compared and copied as text.
func (t tableInfo) packedColumns() []int {
	if t.name != "articles" {
		return nil
	}
	var out []int
	for i, c := range t.cols {
		if c == "body" || c == "body_html" {
			out = append(out, i)
		}
	}
	return out
}
