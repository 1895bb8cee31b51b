package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"masthead/internal/news"
)

// Article loads any article by id, whatever its status, with body, bylines,
// tags and corrections: what the newsroom edits.
func (s *Store) Article(ctx context.Context, id int64) (*news.Article, error) {
	return s.loadArticle(ctx, s.read, `a.id = ?`, id)
}

func (s *Store) loadArticle(ctx context.Context, db querier, where string, arg any) (*news.Article, error) {
	var as articleScan
	err := s.queryRow(ctx, db, `SELECT `+articleColumns+`, a.body, a.body_html`+articleFrom+` WHERE `+where, arg).Scan(as.dest(true)...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, news.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load article %v: %w", arg, err)
	}
	a := as.article()
	list := []*news.Article{a}
	if err := s.attachAuthors(ctx, list); err != nil {
		return nil, err
	}
	if err := s.attachTags(ctx, list); err != nil {
		return nil, err
	}
	if a.Corrections, err = s.Corrections(ctx, a.ID); err != nil {
		return nil, err
	}
	return a, nil
}

// AdminArticles lists articles of any status, most recently changed first.
// With f.Text, articles whose headline has the words come first, then the
// rest; most recently changed first within each.
func (s *Store) AdminArticles(ctx context.Context, f news.AdminFilter) ([]*news.Article, error) {
	where, args, m, err := s.adminWhere(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("list newsroom articles: %w", err)
	}
	order := `a.modified_at DESC, a.id DESC`
	if m.all != "" {
		order = `CASE WHEN ` + s.adminMatchCond() + ` THEN 0 ELSE 1 END, ` + order
		args = append(args, m.headline)
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	args = append(args, f.Limit, max(f.Offset, 0))
	rows, err := s.queryRows(ctx, s.read, `SELECT `+articleColumns+articleFrom+` WHERE `+where+`
		ORDER BY `+order+` LIMIT ? OFFSET ?`, args...)
	if err != nil {
		return nil, fmt.Errorf("list newsroom articles: %w", err)
	}
	list, err := s.scanArticles(rows, false)
	if err != nil {
		return nil, fmt.Errorf("list newsroom articles: %w", err)
	}
	return list, s.attachAuthors(ctx, list)
}

// CountAdminArticles counts the articles AdminArticles lists for f, on
// every page (f.Limit and f.Offset are ignored).
func (s *Store) CountAdminArticles(ctx context.Context, f news.AdminFilter) (int, error) {
	where, args, _, err := s.adminWhere(ctx, f)
	if err != nil {
		return 0, fmt.Errorf("count newsroom articles: %w", err)
	}
	var n int
	if err := s.queryRow(ctx, s.read, `SELECT COUNT(*) FROM articles a WHERE `+where, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count newsroom articles: %w", err)
	}
	return n, nil
}

// adminWhere is the WHERE clause over articles a that f selects, with its
// arguments and, for a search, the full-text queries it was built from.
// Every SQL text it makes is one of a few fixed strings: what was typed is
// only ever an argument.
func (s *Store) adminWhere(ctx context.Context, f news.AdminFilter) (string, []any, adminMatch, error) {
	where := []string{"1 = 1"}
	var args []any
	if f.Status != "" {
		where = append(where, "a.status = ?")
		args = append(args, f.Status)
	}
	if f.AuthorID != 0 {
		where = append(where, "(a.created_by = ? OR a.id IN (SELECT article_id FROM article_authors WHERE user_id = ?))")
		args = append(args, f.AuthorID, f.AuthorID)
	}
	var m adminMatch
	if f.Text != "" {
		var err error
		if m, err = s.adminMatchText(ctx, f.Text); err != nil {
			return "", nil, m, err
		}
		if m.all == "" {
			return "1 = 0", nil, m, nil // nothing searchable was typed
		}
		where = append(where, s.adminMatchCond())
		args = append(args, m.all)
	}
	return strings.Join(where, " AND "), args, m, nil
}

// adminMatch is a newsroom search as full-text queries of the dialect:
// every word anywhere in the article, and every word in the headline.
// Both are empty when the text has no words.
type adminMatch struct{ all, headline string }

// adminMatchText builds the full-text queries for what was typed in the
// newsroom's search box, with the reader search's safe builders
// (search.go, search_postgres.go), so no input is query syntax.
func (s *Store) adminMatchText(ctx context.Context, text string) (adminMatch, error) {
	words := searchWords(text)
	if len(words) == 0 {
		return adminMatch{}, nil
	}
	if !s.dialect.sqlite() {
		return adminMatch{all: tsQuery(words, ""), headline: tsQuery(words, "A")}, nil
	}
	match, err := s.matchWords(ctx, words)
	if err != nil {
		return adminMatch{}, err
	}
	return adminMatch{all: match, headline: ftsColumns(match, "headline")}, nil
}

// adminMatchCond is the condition that article a matches the full-text
// query given as its one argument.
func (s *Store) adminMatchCond() string {
	return `a.id IN (SELECT rowid FROM article_search WHERE ` + s.dialect.ftsMatch() + `)`
}

// CountByStatus counts articles in each workflow state.
func (s *Store) CountByStatus(ctx context.Context) (map[news.Status]int, error) {
	return countGroups[news.Status](ctx, s, `SELECT status, COUNT(*) FROM articles GROUP BY status`)
}

// countGroups runs a "SELECT key, COUNT(*) … GROUP BY key" query.
func countGroups[K ~string](ctx context.Context, s *Store, query string) (map[K]int, error) {
	rows, err := s.queryRows(ctx, s.read, query)
	if err != nil {
		return nil, fmt.Errorf("count: %w", err)
	}
	defer rows.Close()
	out := map[K]int{}
	for rows.Next() {
		var k K
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return nil, err
		}
		out[k] = n
	}
	return out, rows.Err()
}

// UpdateArticle saves the editable fields of a, which must still be at
// version expected (otherwise news.ErrStale), records a revision and an
// audit event, and reindexes it and its quotations, all in one
// transaction. a.Version is
// advanced on success.
func (s *Store) UpdateArticle(ctx context.Context, a *news.Article, expected int, userID int64, kind string) error {
	now := s.clock.Now()
	var sectionID any
	if a.Section != nil {
		sectionID = a.Section.ID
	}
	img := news.Image{}
	if a.LeadImage != nil {
		img = *a.LeadImage
	}
	snap, err := json.Marshal(a.Snapshot())
	if err != nil {
		return err
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := s.exec(ctx, tx, `UPDATE articles SET slug = ?, headline = ?, standfirst = ?, body = ?, body_html = ?, word_count = ?,
			section_id = ?, featured = ?, comments_open = ?, lead_image_url = ?, lead_image_alt = ?, lead_image_caption = ?,
			lead_image_credit = ?, lead_image_width = ?, lead_image_height = ?, seo_title = ?, seo_description = ?,
			updated_at = ?, modified_at = ?, version = version + 1
			WHERE id = ? AND version = ?`,
			a.Slug, a.Headline, a.Standfirst, a.Body, a.BodyHTML, a.WordCount,
			sectionID, a.Featured, a.CommentsOpen, img.URL, img.Alt, img.Caption,
			img.Credit, img.Width, img.Height, a.SEOTitle, a.SEODescription,
			a.UpdatedAt, now, a.ID, expected)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return news.ErrStale
		}
		if err := s.writeBylinesAndTags(ctx, tx, a); err != nil {
			return err
		}
		if err := s.indexArticle(ctx, tx, a); err != nil {
			return err
		}
		if err := s.writeArticleQuotes(ctx, tx, a); err != nil {
			return err
		}
		if _, err := s.exec(ctx, tx, `INSERT INTO revisions (article_id, user_id, version, kind, snapshot, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			a.ID, nullID(userID), expected+1, kind, string(snap), now); err != nil {
			return err
		}
		return s.addEvent(ctx, tx, a.ID, userID, "edit", a.Status, a.Status, "", now)
	})
	if errors.Is(err, news.ErrStale) {
		return err
	}
	if err != nil {
		return fmt.Errorf("save article %d: %w", a.ID, err)
	}
	a.Version = expected + 1
	a.ModifiedAt = now
	return nil
}

// KeepConflict stores the losing side of a concurrent edit as a revision so
// nothing the second editor typed is lost.
func (s *Store) KeepConflict(ctx context.Context, articleID, userID int64, version int, snap news.Snapshot) (int64, error) {
	b, err := json.Marshal(snap)
	if err != nil {
		return 0, err
	}
	id, err := s.insert(ctx, s.write, `INSERT INTO revisions (article_id, user_id, version, kind, snapshot, created_at) VALUES (?, ?, ?, 'conflict', ?, ?)`,
		articleID, nullID(userID), version, string(b), s.clock.Now())
	if err != nil {
		return 0, fmt.Errorf("keep conflicting edit of article %d: %w", articleID, err)
	}
	return id, nil
}

// RecordFirstRevision stores the state of a newly created article.
func (s *Store) RecordFirstRevision(ctx context.Context, a *news.Article, userID int64) error {
	b, err := json.Marshal(a.Snapshot())
	if err != nil {
		return err
	}
	now := s.clock.Now()
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := s.exec(ctx, tx, `INSERT INTO revisions (article_id, user_id, version, kind, snapshot, created_at) VALUES (?, ?, ?, 'save', ?, ?)`,
			a.ID, nullID(userID), a.Version, string(b), now); err != nil {
			return fmt.Errorf("first revision of article %d: %w", a.ID, err)
		}
		return s.addEvent(ctx, tx, a.ID, userID, "create", "", a.Status, "", now)
	})
}

// ChangeStatus moves an article through the workflow if it is still in
// c.From (otherwise news.ErrStale: someone else moved it first), recording
// the event. The first publication fixes the article's path and date.
func (s *Store) ChangeStatus(ctx context.Context, articleID int64, c news.StatusChange) error {
	now := s.clock.Now()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		q := `UPDATE articles SET status = ?, publish_at = ?, modified_at = ?`
		args := []any{c.To, c.PublishAt, now}
		if c.Path != "" {
			q += `, path = ?, slug = ?, published_at = ?`
			args = append(args, c.Path, c.Slug, c.PublishedAt)
		}
		args = append(args, articleID, c.From)
		res, err := s.exec(ctx, tx, q+` WHERE id = ? AND status = ?`, args...)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return news.ErrStale
		}
		return s.addEvent(ctx, tx, articleID, c.UserID, c.Action, c.From, c.To, c.Note, now)
	})
	if errors.Is(err, news.ErrStale) {
		return err
	}
	if isUniqueViolation(err) {
		return fmt.Errorf("publish article %d: %w", articleID, news.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("change status of article %d: %w", articleID, err)
	}
	return nil
}

// DueScheduled lists scheduled articles whose time has come.
func (s *Store) DueScheduled(ctx context.Context, now time.Time) ([]int64, error) {
	rows, err := s.queryRows(ctx, s.read, `SELECT id FROM articles WHERE status = 'scheduled' AND publish_at <= ? ORDER BY publish_at`, now)
	if err != nil {
		return nil, fmt.Errorf("due scheduled articles: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

func (s *Store) addEvent(ctx context.Context, tx *sql.Tx, articleID, userID int64, action string, from, to news.Status, note string, at time.Time) error {
	_, err := s.exec(ctx, tx, `INSERT INTO article_events (article_id, user_id, action, from_status, to_status, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		articleID, nullID(userID), action, from, to, note, at)
	if err != nil {
		return fmt.Errorf("record %s of article %d: %w", action, articleID, err)
	}
	return nil
}

// ArticleEvents lists an article's audit trail, oldest first.
func (s *Store) ArticleEvents(ctx context.Context, articleID int64) ([]news.Event, error) {
	rows, err := s.queryRows(ctx, s.read, `SELECT e.id, e.article_id, COALESCE(e.user_id, 0), COALESCE(u.name, 'Scheduler'), e.action,
		e.from_status, e.to_status, e.note, e.created_at
		FROM article_events e LEFT JOIN users u ON u.id = e.user_id WHERE e.article_id = ? ORDER BY e.id`, articleID)
	if err != nil {
		return nil, fmt.Errorf("events of article %d: %w", articleID, err)
	}
	defer rows.Close()
	var out []news.Event
	for rows.Next() {
		var e news.Event
		var at nullTime
		if err := rows.Scan(&e.ID, &e.ArticleID, &e.UserID, &e.UserName, &e.Action, &e.FromStatus, &e.ToStatus, &e.Note, &at); err != nil {
			return nil, err
		}
		e.CreatedAt = at.Time
		out = append(out, e)
	}
	return out, rows.Err()
}

const revisionColumns = `r.id, r.article_id, COALESCE(r.user_id, 0), COALESCE(u.name, ''), r.version, r.kind, r.snapshot, r.created_at`

func scanRevision(sc interface{ Scan(...any) error }) (news.Revision, error) {
	var r news.Revision
	var snap string
	var at nullTime
	if err := sc.Scan(&r.ID, &r.ArticleID, &r.UserID, &r.UserName, &r.Version, &r.Kind, &snap, &at); err != nil {
		return r, err
	}
	r.CreatedAt = at.Time
	if err := json.Unmarshal([]byte(snap), &r.Snapshot); err != nil {
		return r, fmt.Errorf("revision %d: %w", r.ID, err)
	}
	return r, nil
}

// Revisions lists an article's revisions, newest first.
func (s *Store) Revisions(ctx context.Context, articleID int64) ([]news.Revision, error) {
	rows, err := s.queryRows(ctx, s.read, `SELECT `+revisionColumns+` FROM revisions r LEFT JOIN users u ON u.id = r.user_id
		WHERE r.article_id = ? ORDER BY r.id DESC`, articleID)
	if err != nil {
		return nil, fmt.Errorf("revisions of article %d: %w", articleID, err)
	}
	defer rows.Close()
	var out []news.Revision
	for rows.Next() {
		r, err := scanRevision(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Revision loads one revision of an article.
func (s *Store) Revision(ctx context.Context, articleID, id int64) (news.Revision, error) {
	r, err := scanRevision(s.queryRow(ctx, s.read, `SELECT `+revisionColumns+` FROM revisions r LEFT JOIN users u ON u.id = r.user_id
		WHERE r.article_id = ? AND r.id = ?`, articleID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return r, news.ErrNotFound
	}
	return r, err
}

// PutAutosave keeps a member of staff's unsaved editor state (articleID 0
// for an article not yet created).
func (s *Store) PutAutosave(ctx context.Context, userID, articleID int64, snap news.Snapshot) error {
	b, err := json.Marshal(snap)
	if err != nil {
		return err
	}
	_, err = s.exec(ctx, s.write, `INSERT INTO autosaves (user_id, article_id, snapshot, saved_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (user_id, article_id) DO UPDATE SET snapshot = excluded.snapshot, saved_at = excluded.saved_at`,
		userID, articleID, string(b), s.clock.Now())
	if err != nil {
		return fmt.Errorf("autosave: %w", err)
	}
	return nil
}

// Autosave returns the kept editor state, if any.
func (s *Store) Autosave(ctx context.Context, userID, articleID int64) (snap news.Snapshot, savedAt time.Time, ok bool, err error) {
	var raw string
	var at nullTime
	err = s.queryRow(ctx, s.read, `SELECT snapshot, saved_at FROM autosaves WHERE user_id = ? AND article_id = ?`, userID, articleID).Scan(&raw, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return snap, savedAt, false, nil
	}
	if err != nil {
		return snap, savedAt, false, fmt.Errorf("read autosave: %w", err)
	}
	if err := json.Unmarshal([]byte(raw), &snap); err != nil {
		return snap, savedAt, false, fmt.Errorf("read autosave: %w", err)
	}
	return snap, at.Time, true, nil
}

// DeleteAutosave drops kept editor state once it has been saved properly.
func (s *Store) DeleteAutosave(ctx context.Context, userID, articleID int64) error {
	_, err := s.exec(ctx, s.write, `DELETE FROM autosaves WHERE user_id = ? AND article_id = ?`, userID, articleID)
	return err
}

// AddCorrection appends a public correction or update to an article and
// marks the article as updated (dateModified) at the same moment.
func (s *Store) AddCorrection(ctx context.Context, c *news.Correction, userID int64) error {
	c.CreatedAt = s.clock.Now()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		id, err := s.insert(ctx, tx, `INSERT INTO corrections (article_id, kind, body, user_id, created_at) VALUES (?, ?, ?, ?, ?)`,
			c.ArticleID, c.Kind, c.Body, nullID(userID), c.CreatedAt)
		if err != nil {
			return err
		}
		c.ID = id
		if _, err := s.exec(ctx, tx, `UPDATE articles SET updated_at = ?, modified_at = ? WHERE id = ?`, c.CreatedAt, c.CreatedAt, c.ArticleID); err != nil {
			return err
		}
		return s.addEvent(ctx, tx, c.ArticleID, userID, c.Kind, "", "", c.Body, c.CreatedAt)
	})
	if err != nil {
		return fmt.Errorf("add %s to article %d: %w", c.Kind, c.ArticleID, err)
	}
	return nil
}

// Corrections lists an article's corrections and updates, oldest first.
func (s *Store) Corrections(ctx context.Context, articleID int64) ([]news.Correction, error) {
	rows, err := s.queryRows(ctx, s.read, `SELECT id, article_id, kind, body, created_at FROM corrections WHERE article_id = ? ORDER BY created_at, id`, articleID)
	if err != nil {
		return nil, fmt.Errorf("corrections of article %d: %w", articleID, err)
	}
	defer rows.Close()
	var out []news.Correction
	for rows.Next() {
		var c news.Correction
		var at nullTime
		if err := rows.Scan(&c.ID, &c.ArticleID, &c.Kind, &c.Body, &at); err != nil {
			return nil, err
		}
		c.CreatedAt = at.Time
		out = append(out, c)
	}
	return out, rows.Err()
}

// RecentCorrections is the public corrections log: newest first, on
// published articles only.
func (s *Store) RecentCorrections(ctx context.Context, limit, offset int) ([]news.Correction, error) {
	rows, err := s.queryRows(ctx, s.read, `SELECT c.id, c.kind, c.body, c.created_at, `+articleColumns+`
		FROM corrections c JOIN articles a ON a.id = c.article_id LEFT JOIN sections s ON s.id = a.section_id
		WHERE a.status = 'published' ORDER BY c.created_at DESC, c.id DESC LIMIT ? OFFSET ?`, limit, offset)
	if err != nil {
		return nil, fmt.Errorf("corrections log: %w", err)
	}
	defer rows.Close()
	var out []news.Correction
	for rows.Next() {
		var c news.Correction
		var at nullTime
		var as articleScan
		if err := rows.Scan(append([]any{&c.ID, &c.Kind, &c.Body, &at}, as.dest(false)...)...); err != nil {
			return nil, fmt.Errorf("corrections log: %w", err)
		}
		c.CreatedAt = at.Time
		c.Article = as.article()
		c.ArticleID = c.Article.ID
		out = append(out, c)
	}
	return out, rows.Err()
}
