package store

// The change log.
//
// Every write that changes what readers see appends rows to the changes
// table in its own transaction. The rows are written by triggers
// (migrations/sqlite/0003_changes_search.sql), not by Go code, so a new write
// path — an admin screen, an import, a hand-made SQL fix — cannot forget to:
// a new table or column that readers see needs a trigger there, and
// nothing else (migrations/README.md says how, and which tests to add). news.Page caches follow the log by id (ChangesSince) and drop
// exactly the pages a change names; several instances sharing one database
// each follow it on their own.
//
// PostgreSQL needs the same triggers (plpgsql) and one more rule: ids must
// become visible in order, so the trigger function takes a transaction-level
// advisory lock before inserting (or the cache re-reads a short window).
// OnCommit LISTENs there, so each instance hears of other instances' writes
// at once rather than at its next poll.

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// Change is one row of the change log: one thing readers see that changed.
type Change struct {
	ID   int64
	Kind ChangeKind
	Ref  string // the article's path, or the listing's slug; empty for site and all
}

// ChangeKind says what a change names.
type ChangeKind string

const (
	ChangeArticle ChangeKind = "article" // Ref: the article's public path, "2026/11/24/slug"
	ChangeSection ChangeKind = "section" // Ref: the section's slug
	ChangeTag     ChangeKind = "tag"     // Ref: the tag's slug
	ChangeAuthor  ChangeKind = "author"  // Ref: the author's slug
	ChangeSite    ChangeKind = "site"    // front page, site feeds, sitemaps, staff page
	ChangeAll     ChangeKind = "all"     // every page
)

// LatestChange is the id of the newest change, 0 when there is none.
func (s *Store) LatestChange(ctx context.Context) (int64, error) {
	var id sql.NullInt64
	if err := s.queryRow(ctx, s.read, `SELECT MAX(id) FROM changes`).Scan(&id); err != nil {
		return 0, fmt.Errorf("latest change: %w", err)
	}
	return id.Int64, nil
}

// ChangesSince lists up to limit changes after id after, oldest first.
// complete is false when the log no longer reaches back to after (old rows
// are pruned): the caller has missed changes and must start afresh.
func (s *Store) ChangesSince(ctx context.Context, after int64, limit int) (changes []Change, complete bool, err error) {
	var oldest sql.NullInt64
	if err := s.queryRow(ctx, s.read, `SELECT MIN(id) FROM changes`).Scan(&oldest); err != nil {
		return nil, false, fmt.Errorf("changes since %d: %w", after, err)
	}
	complete = !oldest.Valid || oldest.Int64 <= after+1
	rows, err := s.queryRows(ctx, s.read, `SELECT id, kind, ref FROM changes WHERE id > ? ORDER BY id LIMIT ?`, after, limit)
	if err != nil {
		return nil, false, fmt.Errorf("changes since %d: %w", after, err)
	}
	defer rows.Close()
	for rows.Next() {
		var c Change
		if err := rows.Scan(&c.ID, &c.Kind, &c.Ref); err != nil {
			return nil, false, fmt.Errorf("changes since %d: %w", after, err)
		}
		changes = append(changes, c)
	}
	return changes, complete, rows.Err()
}

// OnCommit asks the store to call fn whenever a write transaction commits,
// so a cache can look at the change log at once instead of at its next
// poll. fn runs on the writing goroutine just after a commit through this
// store has landed, so whatever follows the write sees it; on PostgreSQL
// it runs too after any instance's commit, on a listening goroutine that
// lives until the store is closed. fn must be quick. It is only a hint —
// it misses other processes' commits on SQLite, and commits while the
// listener re-connects on PostgreSQL — so callers keep polling.
func (s *Store) OnCommit(ctx context.Context, fn func()) error {
	s.committed.add(fn)
	if !s.dialect.sqlite() {
		go s.listenPostgres(s.life, fn)
	}
	return nil
}

// SuspendChangeLog turns off the change-log triggers of the article tables
// (articles, bylines, tags, quotations, comments, speakers' aliases) for
// the rest of the store's transaction (Atomically), until resume turns
// them back on and, if the load wrote anything, logs one "everything
// changed" entry in place of all it would have logged. A bulk load that
// touches most of the site then skips the dozens of log rows, and the
// neighbour lookups, each of its articles costs (a tenth of a WordPress
// import's time on SQLite).
// Both steps are part of the transaction, so a rollback leaves the
// triggers as they were; resume must be called before the transaction
// commits.
//
// On PostgreSQL the search vocabulary's triggers on articles are turned
// off too, and resume counts the vocabulary afresh: each article's
// trigger updated the rows of the same common words, and in one long
// transaction every update leaves a row version the next must step over,
// so an article cost more the more came before it (30 ms each after a
// few thousand). Counting afresh costs a pass over the published
// headlines. So are article_search's triggers adding each document's
// words to search_lexemes: resume adds those of the load's documents in
// one statement (addSearchLexemes).
//
// On SQLite the triggers are dropped and made again from their saved
// definitions; readers in other connections keep seeing them meanwhile. On
// PostgreSQL they are disabled, which keeps other writers of those tables
// waiting until the transaction ends (readers are not held up).
func (s *Store) SuspendChangeLog(ctx context.Context) (resume func(ctx context.Context, wrote bool) error, err error) {
	if s.tx == nil {
		return nil, fmt.Errorf("suspend the change log: not in a transaction")
	}
	type trigger struct{ table, name, def string }
	var list []trigger
	// The tables a bulk load writes by the thousand rows, and the
	// quotations' speakers' aliases, whose trigger looks for the
	// speaker's published quotations: on PostgreSQL, planned while the
	// load's tables looked empty, it read every quotation written so far
	// (2.7 ms a new speaker at 20,000 posts).
	const in = `'articles', 'article_authors', 'article_tags', 'article_quotes', 'comments', 'person_aliases'`
	var rows *sql.Rows
	if s.dialect.sqlite() {
		rows, err = s.tx.QueryContext(ctx, `SELECT tbl_name, name, sql FROM sqlite_master
			WHERE type = 'trigger' AND name LIKE 'changes\_%' ESCAPE '\' AND tbl_name IN (`+in+`) ORDER BY name`)
	} else {
		rows, err = s.tx.QueryContext(ctx, `SELECT c.relname, t.tgname, '' FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
			WHERE NOT t.tgisinternal AND t.tgenabled <> 'D' AND c.relnamespace = current_schema()::regnamespace
			AND (t.tgname LIKE 'changes\_%' AND c.relname IN (`+in+`) OR c.relname = 'articles' AND t.tgname LIKE 'search\_words\_%'
				OR c.relname = 'article_search' AND t.tgname LIKE 'search\_lexemes\_%'
				OR t.tgname LIKE 'counts\_%')
			ORDER BY t.tgname`)
	}
	if err != nil {
		return nil, fmt.Errorf("suspend the change log: %w", err)
	}
	for rows.Next() {
		var t trigger
		if err := rows.Scan(&t.table, &t.name, &t.def); err != nil {
			rows.Close()
			return nil, fmt.Errorf("suspend the change log: %w", err)
		}
		list = append(list, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("suspend the change log: %w", err)
	}
	vocab, lexemes, counts := false, false, false
	for _, t := range list {
		stmt := `DROP TRIGGER ` + t.name
		if !s.dialect.sqlite() {
			stmt = `ALTER TABLE ` + t.table + ` DISABLE TRIGGER ` + t.name
			vocab = vocab || strings.HasPrefix(t.name, "search_words_")
			lexemes = lexemes || strings.HasPrefix(t.name, "search_lexemes_")
			counts = counts || strings.HasPrefix(t.name, "counts_")
		}
		if _, err := s.tx.ExecContext(ctx, stmt); err != nil {
			return nil, fmt.Errorf("suspend the change log: %w", err)
		}
	}
	return func(ctx context.Context, wrote bool) error {
		for _, t := range list {
			stmt := t.def
			if !s.dialect.sqlite() {
				stmt = `ALTER TABLE ` + t.table + ` ENABLE TRIGGER ` + t.name
			}
			if _, err := s.tx.ExecContext(ctx, stmt); err != nil {
				return fmt.Errorf("resume the change log: %w", err)
			}
		}
		if !wrote {
			return nil
		}
		if _, err := s.tx.ExecContext(ctx, `INSERT INTO changes (kind, ref) VALUES ('all', '')`); err != nil {
			return fmt.Errorf("resume the change log: %w", err)
		}
		if vocab {
			if err := recountSearchVocab(ctx, s.tx); err != nil {
				return fmt.Errorf("resume the change log: %w", err)
			}
		}
		if lexemes {
			if err := addSearchLexemes(ctx, s.tx); err != nil {
				return fmt.Errorf("resume the change log: %w", err)
			}
		}
		if counts {
			if err := recountListings(ctx, s.tx); err != nil {
				return fmt.Errorf("resume the change log: %w", err)
			}
		}
		return nil
	}, nil
}

// addSearchLexemes adds the words of the search documents tx wrote to
// search_lexemes (postgres/0041) in one statement, for a load that turned
// off the triggers adding each document's words as it was written (0.45
// ms a document at 100,000 stories; this is a fifth of that). Those of
// the documents written before are there already: a row is the load's
// if its xmin is tx's transaction or one of its savepoints', which come
// after it, or is another's that committed after tx began, whose trigger
// has added its words (including it costs only time). So the table holds
// what the triggers would have left, except the words of a document the
// load wrote and then wrote again without them.
func addSearchLexemes(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO search_lexemes (lexeme)
		SELECT DISTINCT unnest(tsvector_to_array(document)) FROM article_search
		WHERE age(xmin) <= age(pg_current_xact_id()::xid) ON CONFLICT DO NOTHING`); err != nil {
		return fmt.Errorf("list the search documents' words: %w", err)
	}
	return nil
}

// recountListings counts the listing pages' stories afresh (listing_counts,
// postgres/0032), and their months and the archive's (listing_months,
// archive_months, 0034), for a load that turned the counting triggers off:
// in one long transaction each story's update of its section's count
// leaves a row version the next must step over, as with the vocabulary.
// Only PostgreSQL turns them off.
func recountListings(ctx context.Context, tx *sql.Tx) error {
	for _, stmt := range []string{`DELETE FROM listing_counts`, `DELETE FROM listing_months`, `DELETE FROM archive_months`,
		`INSERT INTO listing_counts (kind, ref, n)
		SELECT 'section', section_id, COUNT(*) FROM articles WHERE status = 'published' AND section_id IS NOT NULL GROUP BY section_id`,
		`INSERT INTO listing_counts (kind, ref, n)
		SELECT 'tag', tag_id, COUNT(*) FROM article_tags WHERE listed_at IS NOT NULL GROUP BY tag_id`,
		`INSERT INTO listing_counts (kind, ref, n)
		SELECT 'author', user_id, COUNT(*) FROM article_authors WHERE listed_at IS NOT NULL GROUP BY user_id`,
		`INSERT INTO archive_months (month, n, last_modified)
		SELECT utc_month(published_at), COUNT(*), MAX(modified_at) FROM articles
		WHERE status = 'published' AND published_at IS NOT NULL GROUP BY 1`,
		`INSERT INTO listing_months (kind, ref, month, n)
		SELECT 'section', section_id, utc_month(published_at), COUNT(*) FROM articles
		WHERE status = 'published' AND section_id IS NOT NULL AND published_at IS NOT NULL GROUP BY 2, 3`,
		`INSERT INTO listing_months (kind, ref, month, n)
		SELECT 'tag', tag_id, utc_month(listed_at), COUNT(*) FROM article_tags WHERE listed_at IS NOT NULL GROUP BY 2, 3`,
		`INSERT INTO listing_months (kind, ref, month, n)
		SELECT 'author', user_id, utc_month(listed_at), COUNT(*) FROM article_authors WHERE listed_at IS NOT NULL GROUP BY 2, 3`,
	} {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("count the listings: %w", err)
		}
	}
	return nil
}

// recountSearchVocab counts PostgreSQL's search vocabulary afresh, as
// search_vocab_count keeps it: per word, the published articles whose
// headline and standfirst have it, and how often it occurs there. A load
// that turned the vocabulary's triggers off calls it once at the end.
func recountSearchVocab(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM search_vocab`); err != nil {
		return fmt.Errorf("count the search vocabulary: %w", err)
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO search_vocab (term, doc, cnt)
		SELECT w.lexeme, COUNT(*), SUM(COALESCE(array_length(w.positions, 1), 1))
		FROM articles a, unnest(to_tsvector('simple', a.headline || ' ' || a.standfirst)) w
		WHERE a.status = 'published' GROUP BY w.lexeme`)
	if err != nil {
		return fmt.Errorf("count the search vocabulary: %w", err)
	}
	return nil
}
