package store

// Live blogs and their entries (migrations/sqlite/0023_live_blogs.sql).
// Every write that readers are pushed takes the next number of live_seq in
// its transaction; LiveChangesSince hands them out in that order.

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"masthead/internal/news"
)

// nextLiveSeq takes the next push sequence number. The counter's row stays
// locked until the transaction ends, so numbers become visible in order.
func (s *Store) nextLiveSeq(ctx context.Context, tx *sql.Tx) (int64, error) {
	var n int64
	// An upsert: the table starts empty, so that a new site holds no rows.
	if err := s.queryRow(ctx, tx, `INSERT INTO live_seq (id, n) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET n = live_seq.n + 1 RETURNING n`).Scan(&n); err != nil {
		return 0, fmt.Errorf("next live sequence number: %w", err)
	}
	return n, nil
}

// LatestLiveSeq is the newest push sequence number, 0 when there is none.
func (s *Store) LatestLiveSeq(ctx context.Context) (int64, error) {
	var n int64
	if err := s.queryRow(ctx, s.read, `SELECT COALESCE(MAX(n), 0) FROM live_seq`).Scan(&n); err != nil {
		return 0, fmt.Errorf("latest live sequence number: %w", err)
	}
	return n, nil
}

// LiveBlog is the live blog of an article; news.ErrNotFound when the
// article was never made live.
func (s *Store) LiveBlog(ctx context.Context, articleID int64) (*news.LiveBlog, error) {
	return s.liveBlog(ctx, articleID, "")
}

// PublishedLiveBlog is the live blog of a published article, for readers;
// news.ErrNotFound when the article is not published or was never live.
func (s *Store) PublishedLiveBlog(ctx context.Context, articleID int64) (*news.LiveBlog, error) {
	return s.liveBlog(ctx, articleID, ` AND EXISTS (SELECT 1 FROM articles a WHERE a.id = b.article_id AND a.status = 'published')`)
}

func (s *Store) liveBlog(ctx context.Context, articleID int64, cond string) (*news.LiveBlog, error) {
	b := news.LiveBlog{ArticleID: articleID}
	var started, closed nullTime
	err := s.queryRow(ctx, s.read, `SELECT b.started_at, b.closed_at, b.seq FROM live_blogs b WHERE b.article_id = ?`+cond, articleID).Scan(&started, &closed, &b.Seq)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, news.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("live blog of article %d: %w", articleID, err)
	}
	b.StartedAt, b.ClosedAt = started.Time, closed.Time
	return &b, nil
}

// StartLiveBlog makes an article live from at, or live again after it
// was closed (keeping when it first started).
func (s *Store) StartLiveBlog(ctx context.Context, articleID int64, at time.Time) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		seq, err := s.nextLiveSeq(ctx, tx)
		if err != nil {
			return err
		}
		res, err := s.exec(ctx, tx, `UPDATE live_blogs SET closed_at = NULL, seq = ? WHERE article_id = ?`, seq, articleID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n > 0 {
			return nil
		}
		_, err = s.exec(ctx, tx, `INSERT INTO live_blogs (article_id, started_at, seq) VALUES (?, ?, ?)`, articleID, at, seq)
		return err
	})
	if err != nil {
		return fmt.Errorf("start live blog on article %d: %w", articleID, err)
	}
	return nil
}

// CloseLiveBlog ends a live blog's coverage.
func (s *Store) CloseLiveBlog(ctx context.Context, articleID int64) error {
	now := s.clock.Now()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		seq, err := s.nextLiveSeq(ctx, tx)
		if err != nil {
			return err
		}
		_, err = s.exec(ctx, tx, `UPDATE live_blogs SET closed_at = ?, seq = ? WHERE article_id = ? AND closed_at IS NULL`, now, seq, articleID)
		return err
	})
	if err != nil {
		return fmt.Errorf("close live blog on article %d: %w", articleID, err)
	}
	return nil
}

// AddLiveEntry posts an entry at e.CreatedAt; it sets e.ID and e.Seq.
func (s *Store) AddLiveEntry(ctx context.Context, e *news.LiveEntry, userID int64) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		seq, err := s.nextLiveSeq(ctx, tx)
		if err != nil {
			return err
		}
		e.Seq = seq
		e.ID, err = s.insert(ctx, tx, `INSERT INTO live_entries (article_id, author_id, headline, body, body_html, key_event, pinned, created_at, seq)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, e.ArticleID, nullID(userID), e.Headline, e.Body, e.BodyHTML, e.KeyEvent, e.Pinned, e.CreatedAt, seq)
		if err != nil {
			return err
		}
		if err := s.setLiveAuthors(ctx, tx, e); err != nil {
			return err
		}
		return s.addLiveRevision(ctx, tx, e, userID, "post", e.CreatedAt)
	})
	if err != nil {
		return fmt.Errorf("add live entry to article %d: %w", e.ArticleID, err)
	}
	return nil
}

// UpdateLiveEntry stores an edited entry, or one taken down (e.DeletedAt
// set), with a revision; it sets e.Seq.
func (s *Store) UpdateLiveEntry(ctx context.Context, e *news.LiveEntry, userID int64) error {
	now := s.clock.Now()
	action := "edit"
	if e.Deleted() {
		action = "delete"
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		seq, err := s.nextLiveSeq(ctx, tx)
		if err != nil {
			return err
		}
		e.Seq = seq
		res, err := s.exec(ctx, tx, `UPDATE live_entries SET headline = ?, body = ?, body_html = ?, key_event = ?, pinned = ?,
			updated_at = ?, deleted_at = ?, seq = ? WHERE id = ? AND deleted_at IS NULL`,
			e.Headline, e.Body, e.BodyHTML, e.KeyEvent, e.Pinned, e.UpdatedAt, e.DeletedAt, seq, e.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return news.ErrNotFound
		}
		if err := s.setLiveAuthors(ctx, tx, e); err != nil {
			return err
		}
		return s.addLiveRevision(ctx, tx, e, userID, action, now)
	})
	if err != nil {
		return fmt.Errorf("%s live entry %d: %w", action, e.ID, err)
	}
	return nil
}

// setLiveAuthors writes e.Authors as the entry's byline, in order.
func (s *Store) setLiveAuthors(ctx context.Context, tx *sql.Tx, e *news.LiveEntry) error {
	if _, err := s.exec(ctx, tx, `DELETE FROM live_entry_authors WHERE entry_id = ?`, e.ID); err != nil {
		return err
	}
	for i, a := range e.Authors {
		if _, err := s.exec(ctx, tx, `INSERT INTO live_entry_authors (entry_id, user_id, position) VALUES (?, ?, ?)`, e.ID, a.ID, i); err != nil {
			return err
		}
	}
	return nil
}

// attachLiveAuthors fills in the listed entries' bylines with one query.
func (s *Store) attachLiveAuthors(ctx context.Context, list []*news.LiveEntry) error {
	if len(list) == 0 {
		return nil
	}
	ids := make([]any, len(list))
	byID := make(map[int64]*news.LiveEntry, len(list))
	for i, e := range list {
		ids[i], byID[e.ID] = e.ID, e
	}
	rows, err := s.queryRows(ctx, s.read, `SELECT la.entry_id, `+authorColumns+`
		FROM live_entry_authors la JOIN users u ON u.id = la.user_id
		WHERE la.entry_id IN (`+placeholders(len(ids))+`) ORDER BY la.entry_id, la.position`, ids...)
	if err != nil {
		return fmt.Errorf("load live entries' bylines: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var entryID int64
		var au news.Staff
		if err := rows.Scan(append([]any{&entryID}, authorDest(&au)...)...); err != nil {
			return fmt.Errorf("load live entries' bylines: %w", err)
		}
		e := byID[entryID]
		e.Authors = append(e.Authors, au)
	}
	return rows.Err()
}

func (s *Store) addLiveRevision(ctx context.Context, tx *sql.Tx, e *news.LiveEntry, userID int64, action string, at any) error {
	_, err := s.exec(ctx, tx, `INSERT INTO live_entry_revisions (entry_id, user_id, action, headline, body, key_event, pinned, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, e.ID, nullID(userID), action, e.Headline, e.Body, e.KeyEvent, e.Pinned, at)
	return err
}

const liveEntryColumns = `e.id, e.article_id, e.headline, e.body, e.body_html, e.key_event, e.pinned, e.created_at, e.updated_at, e.deleted_at, e.seq,
	u.id, u.name, u.slug, COALESCE(a.path, '')`

const liveEntryFrom = ` FROM live_entries e LEFT JOIN users u ON u.id = e.author_id JOIN articles a ON a.id = e.article_id`

func scanLiveEntry(rows interface{ Scan(...any) error }) (*news.LiveEntry, error) {
	var e news.LiveEntry
	var created, updated, deleted nullTime
	var uid sql.NullInt64
	var uname, uslug sql.NullString
	var path string
	if err := rows.Scan(&e.ID, &e.ArticleID, &e.Headline, &e.Body, &e.BodyHTML, &e.KeyEvent, &e.Pinned, &created, &updated, &deleted, &e.Seq,
		&uid, &uname, &uslug, &path); err != nil {
		return nil, err
	}
	e.CreatedAt, e.UpdatedAt, e.DeletedAt = created.Time, updated.Time, deleted.Time
	if uid.Valid {
		e.Author = &news.Staff{ID: uid.Int64, Name: uname.String, Slug: uslug.String}
	}
	if path != "" {
		e.ArticleURL = "/" + path
	}
	return &e, nil
}

func (s *Store) liveEntries(ctx context.Context, what, where string, args ...any) ([]*news.LiveEntry, error) {
	rows, err := s.queryRows(ctx, s.read, `SELECT `+liveEntryColumns+liveEntryFrom+` WHERE `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	var out []*news.LiveEntry
	for rows.Next() {
		e, err := scanLiveEntry(rows)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	rows.Close() // before the next query: SQLite's reader pool may be one connection
	return out, s.attachLiveAuthors(ctx, out)
}

// LiveEntry is one entry, deleted or not; news.ErrNotFound when there is none.
func (s *Store) LiveEntry(ctx context.Context, id int64) (*news.LiveEntry, error) {
	out, err := s.liveEntries(ctx, fmt.Sprintf("live entry %d", id), `e.id = ?`, id)
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, news.ErrNotFound
	}
	return out[0], nil
}

// LiveEntries lists up to limit of a blog's entries that readers see,
// newest first, with ids at most from (0: from the newest). pinned chooses
// the pinned entries or the others.
func (s *Store) LiveEntries(ctx context.Context, articleID int64, from int64, pinned bool, limit int) ([]*news.LiveEntry, error) {
	where := `e.article_id = ? AND e.deleted_at IS NULL AND e.pinned = ?`
	args := []any{articleID, pinned}
	if from > 0 {
		where += ` AND e.id <= ?`
		args = append(args, from)
	}
	args = append(args, limit)
	return s.liveEntries(ctx, fmt.Sprintf("entries of live blog %d", articleID), where+` ORDER BY e.id DESC LIMIT ?`, args...)
}

// LiveKeyEvents lists up to limit of a blog's key events, newest first.
func (s *Store) LiveKeyEvents(ctx context.Context, articleID int64, limit int) ([]*news.LiveEntry, error) {
	return s.liveEntries(ctx, fmt.Sprintf("key events of live blog %d", articleID),
		`e.article_id = ? AND e.deleted_at IS NULL AND e.key_event = ? ORDER BY e.id DESC LIMIT ?`, articleID, true, limit)
}

// LiveChangesSince lists up to limit changes pushed to readers after
// sequence number after, oldest first; articleID 0 means of every blog.
// Entries of articles readers cannot see are left out. The breaking-news
// banner, when it changed after after, is one of them whatever articleID.
func (s *Store) LiveChangesSince(ctx context.Context, articleID, after int64, limit int) ([]news.LiveChange, error) {
	scope, args := "", []any{after}
	if articleID != 0 {
		scope, args = ` AND e.article_id = ?`, append(args, articleID)
	}
	entries, err := s.liveEntries(ctx, "live changes", `e.seq > ? AND a.status = 'published'`+scope+` ORDER BY e.seq LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, err
	}
	scope = strings.ReplaceAll(scope, "e.", "b.")
	rows, err := s.queryRows(ctx, s.read, `SELECT b.article_id, b.seq FROM live_blogs b WHERE b.seq > ? AND b.closed_at IS NOT NULL`+scope+` ORDER BY b.seq LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("live changes: %w", err)
	}
	defer rows.Close()
	var closed []news.LiveChange
	for rows.Next() {
		c := news.LiveChange{Closed: true}
		if err := rows.Scan(&c.ArticleID, &c.Seq); err != nil {
			return nil, fmt.Errorf("live changes: %w", err)
		}
		closed = append(closed, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("live changes: %w", err)
	}
	// The banner, on every blog's stream.
	var banner []news.LiveChange
	b, err := s.Breaking(ctx)
	if err != nil {
		return nil, err
	}
	if b.Seq > after {
		banner = append(banner, news.LiveChange{Seq: b.Seq, Breaking: b})
	}
	// Merge them in sequence order. A list cut at limit may have more
	// beyond its last number, so nothing past that is handed out yet: it
	// comes with the next call.
	bound := int64(math.MaxInt64)
	if len(entries) == limit {
		bound = entries[len(entries)-1].Seq
	}
	if len(closed) == limit {
		bound = min(bound, closed[len(closed)-1].Seq)
	}
	out := make([]news.LiveChange, 0, len(entries)+len(closed)+len(banner))
	for _, e := range entries {
		out = append(out, news.LiveChange{Seq: e.Seq, ArticleID: e.ArticleID, Entry: e})
	}
	out = append(append(out, closed...), banner...)
	slices.SortFunc(out, func(x, y news.LiveChange) int { return cmp.Compare(x.Seq, y.Seq) })
	for len(out) > 0 && out[len(out)-1].Seq > bound {
		out = out[:len(out)-1]
	}
	return out, nil
}

// ActiveLiveBlogs lists up to limit published articles whose live blog is
// open, or had an entry posted at or after since, newest first: stories
// that are news now, however long ago they were first published.
func (s *Store) ActiveLiveBlogs(ctx context.Context, since time.Time, limit int) ([]*news.Article, error) {
	// From the live blogs to their articles (CROSS JOIN keeps SQLite to
	// that order): given "a.id IN (…)", it walked every published article
	// newest first to spare itself a sort of the few found, 0.4 s in a
	// million-story archive.
	rows, err := s.queryRows(ctx, s.read, `SELECT `+articleColumns+` FROM live_blogs b CROSS JOIN articles a
		LEFT JOIN sections s ON s.id = a.section_id
		WHERE a.id = b.article_id AND a.status = 'published' AND (b.closed_at IS NULL
			OR EXISTS (SELECT 1 FROM live_entries e WHERE e.article_id = b.article_id AND e.deleted_at IS NULL AND e.created_at >= ?))
		ORDER BY a.published_at DESC, a.id DESC LIMIT ?`, since, limit)
	if err != nil {
		return nil, fmt.Errorf("active live blogs: %w", err)
	}
	list, err := s.scanArticles(rows, false)
	if err != nil {
		return nil, fmt.Errorf("active live blogs: %w", err)
	}
	return list, s.attachAuthors(ctx, list)
}

// LiveEntryRevisions is an entry's history, oldest first.
func (s *Store) LiveEntryRevisions(ctx context.Context, entryID int64) ([]news.LiveRevision, error) {
	rows, err := s.queryRows(ctx, s.read, `SELECT r.id, r.action, r.headline, r.body, r.key_event, r.pinned, COALESCE(u.name, ''), r.created_at
		FROM live_entry_revisions r LEFT JOIN users u ON u.id = r.user_id WHERE r.entry_id = ? ORDER BY r.id`, entryID)
	if err != nil {
		return nil, fmt.Errorf("history of live entry %d: %w", entryID, err)
	}
	defer rows.Close()
	var out []news.LiveRevision
	for rows.Next() {
		var r news.LiveRevision
		var at nullTime
		if err := rows.Scan(&r.ID, &r.Action, &r.Headline, &r.Body, &r.KeyEvent, &r.Pinned, &r.By, &at); err != nil {
			return nil, fmt.Errorf("history of live entry %d: %w", entryID, err)
		}
		r.At = at.Time
		out = append(out, r)
	}
	return out, rows.Err()
}

// DeletedLiveEntries lists up to limit of a blog's deleted entries, the
// latest deleted first, for the newsroom's history.
func (s *Store) DeletedLiveEntries(ctx context.Context, articleID int64, limit int) ([]*news.LiveEntry, error) {
	return s.liveEntries(ctx, fmt.Sprintf("deleted entries of live blog %d", articleID),
		`e.article_id = ? AND e.deleted_at IS NOT NULL ORDER BY e.deleted_at DESC, e.id DESC LIMIT ?`, articleID, limit)
}
