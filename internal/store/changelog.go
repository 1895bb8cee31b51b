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

	sqlite "modernc.org/sqlite"
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
// poll. On SQLite fn runs just before a commit through this store
// completes, on the writing goroutine; on PostgreSQL it runs just after a
// commit through this store, on the writing goroutine, and after any
// instance's commit, on a listening goroutine that lives until the store
// is closed. fn must be quick. It is only a hint — it may miss commits (while
// a connection is re-made) — so callers keep polling.
func (s *Store) OnCommit(ctx context.Context, fn func()) error {
	if !s.dialect.sqlite() {
		// Our own commits are told at once, after they land, so a request
		// that follows a write sees it; every instance's commits, ours
		// included, arrive by NOTIFY too.
		s.committed.add(fn)
		go s.listenPostgres(s.life, fn)
		return nil
	}
	conn, err := s.write.Conn(ctx)
	if err != nil {
		return fmt.Errorf("watch commits: %w", err)
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		hooks, ok := dc.(sqlite.HookRegisterer)
		if !ok {
			return fmt.Errorf("watch commits: driver connection %T has no hooks", dc)
		}
		hooks.RegisterCommitHook(func() int32 {
			fn()
			return 0 // 0 lets the commit go ahead
		})
		return nil
	})
}
