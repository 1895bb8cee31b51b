package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"masthead/internal/news"
)

// BulkArticle is an article with its comments, for InsertBatch:
// published, or (with History) a new draft or a published article taking
// Step.
type BulkArticle struct {
	Article  *news.Article
	Comments []*news.Comment // ParentID is an index+1 into Comments (0: top level), not an id
	// History also stores what the newsroom keeps of an article it
	// creates (CreateArticle, RecordFirstRevision): its first revision
	// and "create" event, by By, and its quotations
	// (Article.Quotes, speakers found or added as people). An import
	// wants them; a synthetic archive does without.
	History bool
	By      int64 // the user the revision and event name
	// Step, with History, is a status change the article takes once
	// stored (as newsroom's CreateAndStep or Transition would: submitted
	// for review, unpublished): its event follows the "create" event, and
	// its row is updated the way ChangeStatus updates it, with the
	// triggers that follow.
	Step *news.StatusChange

	// body and bodyHTML are the bodies as stored, when Prepack has made
	// them.
	body, bodyHTML any
}

// Prepack readies the bodies of a batch to be stored (deflated on SQLite:
// packed.go) ahead of InsertBatch, so that a loader can do it on other
// cores while the previous batch is written.
func (s *Store) Prepack(batch []BulkArticle) {
	for i := range batch {
		a := batch[i].Article
		batch[i].body, batch[i].bodyHTML = s.body(a.Body), s.body(a.BodyHTML)
	}
}

// MaxBatch is the most articles one InsertBatch takes.
const MaxBatch = 1000

// maxParams is the most parameters one statement is given: PostgreSQL
// takes 65,535, SQLite 32,766.
const maxParams = 30000

// InsertBatch stores prepared, published articles (Path set and free,
// bylines and tags by ID) — or new drafts (no Path), with History — with
// their comments, in one transaction (a
// savepoint of the Store's own, inside Atomically): the fast way in for
// synthetic archives and large imports. Each table gets one multi-row
// INSERT per batch (or per 30,000 values), with ids chosen here — on
// SQLite after the largest, on PostgreSQL drawn from the table's
// sequence — so the full-text index takes a whole batch at a time instead
// of flushing at every statement. The change-log triggers run as for any
// write; callers loading a whole archive can follow up with ResetChanges.
func (s *Store) InsertBatch(ctx context.Context, batch []BulkArticle) error {
	return s.InsertBatchKnowing(ctx, batch, nil)
}

// Speakers is who quotations' speakers were found to be (or made), kept
// across the InsertBatch calls of one transaction so that each speaker is
// looked up once a load rather than once a batch. It is only for a
// transaction in which people are meanwhile only added or found (as the
// newsroom's saves do), not merged, renamed or deleted. The zero value is
// ready to use.
type Speakers struct {
	ids map[speakerKey]int64
}

// speakerKey is a speaker's name key and the kind the extractor gave: a
// speaker found again as the same kind changes nothing (extractedPerson),
// one found as an organisation after being a person may.
type speakerKey struct {
	name string
	kind news.PersonKind
}

// InsertBatchKnowing is InsertBatch remembering the speakers it finds in
// known (which may be nil).
func (s *Store) InsertBatchKnowing(ctx context.Context, batch []BulkArticle, known *Speakers) error {
	if len(batch) == 0 {
		return nil
	}
	if len(batch) > MaxBatch {
		return fmt.Errorf("insert batch: %d articles, at most %d", len(batch), MaxBatch)
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		ncomments := 0
		for _, b := range batch {
			ncomments += len(b.Comments)
		}
		articleIDs, err := s.newIDs(ctx, tx, "articles", len(batch))
		if err != nil {
			return err
		}
		commentIDs, err := s.newIDs(ctx, tx, "comments", ncomments)
		if err != nil {
			return err
		}
		nquotes := 0
		for _, b := range batch {
			if b.History {
				nquotes += len(b.Article.Quotes)
			}
		}
		quoteIDs, err := s.newIDs(ctx, tx, "article_quotes", nquotes)
		if err != nil {
			return err
		}
		now := s.clock.Now()
		var articles, bylines, tags, search, comments, revisions, events, quotes rowsBuilder
		people := map[string]int64{} // speaker name key -> person
		for n, b := range batch {
			a := b.Article
			if b.body == nil {
				b.body, b.bodyHTML = s.body(a.Body), s.body(a.BodyHTML)
			}
			a.ID, a.Version = articleIDs[n], 1
			if a.CreatedAt.IsZero() {
				a.CreatedAt = now
			}
			published := a.Status == news.StatusPublished
			if a.ModifiedAt.IsZero() {
				a.ModifiedAt = now // as CreateArticle, for a draft
				if published {
					a.ModifiedAt = a.LastModified()
				}
			}
			var path, listed any // a draft has neither, and is not listed
			if published {
				path, listed = a.Path, a.PublishedAt
			}
			var sectionID any
			if a.Section != nil {
				sectionID = a.Section.ID
			}
			img := news.Image{}
			if a.LeadImage != nil {
				img = *a.LeadImage
			}
			articles.add(a.ID, a.Slug, path, a.Headline, a.Standfirst, b.body, b.bodyHTML, a.WordCount,
				sectionID, a.Status, a.Featured, a.CommentsOpen, img.URL, img.Alt, img.Caption,
				img.Credit, img.Width, img.Height, a.SEOTitle, a.SEODescription,
				a.PublishedAt, a.UpdatedAt, a.CreatedAt, a.ModifiedAt, a.PublishAt, nullID(a.CreatedBy))
			names := make([]string, 0, len(a.Authors))
			seen := map[int64]bool{}
			for i, au := range a.Authors {
				names = append(names, au.Name)
				if !seen[au.ID] {
					seen[au.ID] = true
					bylines.add(a.ID, au.ID, i, listed)
				}
			}
			tagNames := make([]string, 0, len(a.Tags))
			seen = map[int64]bool{}
			for _, t := range a.Tags {
				tagNames = append(tagNames, t.Name)
				if !seen[t.ID] {
					seen[t.ID] = true
					tags.add(a.ID, t.ID, listed)
				}
			}
			search.add(a.ID, a.Headline, a.Standfirst, cmp.Or(a.BodyText, a.Body), strings.Join(names, ", "), strings.Join(tagNames, ", "))
			first := len(comments.args) / max(comments.width, 1) // index of this article's first comment
			for i, c := range b.Comments {
				c.ID, c.ArticleID = commentIDs[first+i], a.ID
				var parent any
				if c.ParentID > 0 && int(c.ParentID) <= i {
					parent = commentIDs[first+int(c.ParentID)-1]
					c.ParentID = parent.(int64)
				} else {
					c.ParentID = 0
				}
				if c.CreatedAt.IsZero() {
					c.CreatedAt = now
				}
				comments.add(c.ID, a.ID, parent, c.Name, strings.ToLower(c.Email), c.Website, c.Body, c.Status, c.IsStaff, c.IP, c.UserAgent, c.CreatedAt)
			}
			if !b.History {
				continue
			}
			snap, err := json.Marshal(a.Snapshot())
			if err != nil {
				return err
			}
			revisions.add(a.ID, nullID(b.By), a.Version, "save", string(snap), now)
			events.add(a.ID, nullID(b.By), "create", "", a.Status, "", now)
			if c := b.Step; c != nil {
				events.add(a.ID, nullID(c.UserID), c.Action, c.From, c.To, c.Note, now)
			}
			// An article's quotations are stored last first: their
			// full-text rowids (the trigger's, migrations/sqlite/0031)
			// fall as positions rise, and FTS5 writes out all it holds
			// whenever a rowid is not above the one before — at every
			// quotation in position order (a third of a WordPress
			// import's writing), once a batch this way. Their ids, and
			// the people found, still follow their positions.
			ids := quoteIDs[:len(a.Quotes)]
			quoteIDs = quoteIDs[len(a.Quotes):]
			persons := make([]any, len(a.Quotes))
			for i, q := range a.Quotes {
				if q.Speaker == "" || !news.ValidPersonKind(q.SpeakerKind) {
					continue
				}
				key := news.NameKey(q.Speaker)
				id, ok := people[key]
				if !ok && known != nil {
					id, ok = known.ids[speakerKey{key, q.SpeakerKind}]
				}
				if !ok {
					p, err := s.extractedPerson(ctx, tx, q.Speaker, q.SpeakerKind)
					if err != nil {
						return err
					}
					id = p.ID
					if known != nil {
						if known.ids == nil {
							known.ids = map[speakerKey]int64{}
						}
						known.ids[speakerKey{key, q.SpeakerKind}] = id
					}
				}
				people[key] = id
				persons[i] = id
			}
			for i := len(a.Quotes) - 1; i >= 0; i-- {
				q := a.Quotes[i]
				kind := string(q.SpeakerKind)
				if persons[i] == nil {
					kind = ""
				}
				quotes.add(ids[i], a.ID, i, q.Start, q.End, q.Text, q.Group, q.Cue, q.Speaker, kind, persons[i], news.QuoteDetected)
			}
		}
		steps := []struct {
			table, columns string
			rows           *rowsBuilder
		}{
			{"articles", `id, slug, path, headline, standfirst, body, body_html, word_count,
				section_id, status, featured, comments_open, lead_image_url, lead_image_alt, lead_image_caption,
				lead_image_credit, lead_image_width, lead_image_height, seo_title, seo_description,
				published_at, updated_at, created_at, modified_at, publish_at, created_by`, &articles},
			{"article_authors", "article_id, user_id, position, listed_at", &bylines},
			{"article_tags", "article_id, tag_id, listed_at", &tags},
			{"article_search", "rowid, headline, standfirst, body, byline, tags", &search},
			{"comments", "id, article_id, parent_id, name, email, website, body, status, is_staff, ip, user_agent, created_at", &comments},
			{"revisions", "article_id, user_id, version, kind, snapshot, created_at", &revisions},
			{"article_events", "article_id, user_id, action, from_status, to_status, note, created_at", &events},
			{"article_quotes", `id, article_id, position, start_char, end_char, text, quote_group, cue,
				speaker, speaker_kind, person_id, status`, &quotes},
		}
		held, err := s.holdTriggers(ctx, tx)
		if err != nil {
			return err
		}
		for _, st := range steps {
			if err := st.rows.insert(ctx, s, tx, st.table, st.columns); err != nil {
				return err
			}
		}
		if err := s.writeHeld(ctx, tx, held, articleIDs[0], articleIDs[len(articleIDs)-1]); err != nil {
			return err
		}
		for _, b := range batch {
			if err := s.addMediaUses(ctx, tx, b.Article); err != nil {
				return err
			}
		}
		return s.takeSteps(ctx, tx, batch, now)
	})
}

// takeSteps makes the status changes of a batch's articles (their events
// are stored), with one UPDATE for each kind of change, as ChangeStatus
// makes each: the triggers see every row change as they would there.
func (s *Store) takeSteps(ctx context.Context, tx *sql.Tx, batch []BulkArticle, now time.Time) error {
	type step struct {
		from, to  news.Status
		publishAt time.Time
	}
	var order []step
	ids := map[step][]any{}
	for _, b := range batch {
		c := b.Step
		if c == nil || !b.History {
			continue
		}
		if c.Path != "" {
			return fmt.Errorf("insert batch: article %d: a first publication is not a step a batch takes", b.Article.ID)
		}
		k := step{c.From, c.To, c.PublishAt}
		if _, ok := ids[k]; !ok {
			order = append(order, k)
		}
		ids[k] = append(ids[k], b.Article.ID)
		b.Article.Status, b.Article.PublishAt, b.Article.ModifiedAt = c.To, c.PublishAt, now
	}
	for _, k := range order {
		for chunk := range slices.Chunk(ids[k], maxParams) {
			args := append([]any{k.to, k.publishAt, now, k.from}, chunk...)
			res, err := s.exec(ctx, tx, `UPDATE articles SET status = ?, publish_at = ?, modified_at = ?
				WHERE status = ? AND id IN (`+placeholders(len(chunk))+`)`, args...)
			if err != nil {
				return fmt.Errorf("insert batch: %s: %w", k.to, err)
			}
			if n, _ := res.RowsAffected(); n != int64(len(chunk)) {
				return fmt.Errorf("insert batch: %s: %d of %d articles were %s", k.to, n, len(chunk), k.from)
			}
		}
	}
	return nil
}

// newIDs chooses the ids of n new rows of table: after the largest on
// SQLite (whose transaction keeps other writers out), from the table's
// sequence on PostgreSQL (shared with concurrent writers, so not
// necessarily consecutive).
func (s *Store) newIDs(ctx context.Context, tx *sql.Tx, table string, n int) ([]int64, error) {
	ids := make([]int64, 0, n)
	if n == 0 {
		return ids, nil
	}
	if s.dialect.sqlite() {
		var last int64
		if err := s.queryRow(ctx, tx, `SELECT COALESCE(MAX(id), 0) FROM `+table).Scan(&last); err != nil {
			return nil, fmt.Errorf("new ids for %s: %w", table, err)
		}
		for i := range n {
			ids = append(ids, last+1+int64(i))
		}
		return ids, nil
	}
	rows, err := s.queryRows(ctx, tx, `SELECT nextval(pg_get_serial_sequence('`+table+`', 'id')) FROM generate_series(1, ?)`, n)
	if err != nil {
		return nil, fmt.Errorf("new ids for %s: %w", table, err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("new ids for %s: %w", table, err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("new ids for %s: %w", table, err)
	}
	return ids, nil
}

// rowsBuilder collects the rows of a multi-row INSERT.
type rowsBuilder struct {
	n, width int
	args     []any
}

func (b *rowsBuilder) add(values ...any) {
	b.n++
	b.width = len(values)
	b.args = append(b.args, values...)
}

// insert runs the INSERTs of the rows collected, as few as the parameter
// limit allows.
func (b *rowsBuilder) insert(ctx context.Context, s *Store, tx *sql.Tx, table, columns string) error {
	if b.n == 0 {
		return nil
	}
	per := max(maxParams/b.width, 1)
	row := "(" + placeholders(b.width) + ")"
	for first := 0; first < b.n; first += per {
		n := min(per, b.n-first)
		values := strings.TrimSuffix(strings.Repeat(row+", ", n), ", ")
		if _, err := s.exec(ctx, tx, `INSERT INTO `+table+` (`+columns+`) VALUES `+values,
			b.args[first*b.width:(first+n)*b.width]...); err != nil {
			return fmt.Errorf("insert batch into %s: %w", table, err)
		}
	}
	return nil
}

// ResetChanges replaces the change log with a single "everything changed"
// entry, after a bulk load made thousands of entries no cache needs.
func (s *Store) ResetChanges(ctx context.Context) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := s.exec(ctx, tx, `DELETE FROM changes`); err != nil {
			return fmt.Errorf("reset changes: %w", err)
		}
		if _, err := s.exec(ctx, tx, `INSERT INTO changes (kind, ref) VALUES ('all', '')`); err != nil {
			return fmt.Errorf("reset changes: %w", err)
		}
		return nil
	})
}

// Bulk runs fn with SQLite's per-commit disk sync turned off, then syncs
// once. It is for loads that are simply redone if the process dies midway
// (the demo newsroom on first start, a synthetic archive): hundreds of
// transactions then cost one fsync instead of one each. The writer's page
// cache is larger meanwhile, so that a batch of a thousand articles is not
// spilled to the log before it commits.
func (s *Store) Bulk(ctx context.Context, fn func() error) error {
	if !s.dialect.sqlite() {
		return fn()
	}
	if _, err := s.write.ExecContext(ctx, `PRAGMA synchronous = OFF`); err != nil {
		return fmt.Errorf("bulk load: %w", err)
	}
	if _, err := s.write.ExecContext(ctx, `PRAGMA cache_size = -131072`); err != nil { // 128 MiB
		return fmt.Errorf("bulk load: %w", err)
	}
	ferr := fn()
	_, err := s.write.ExecContext(ctx, `PRAGMA synchronous = FULL`)
	if err == nil {
		_, err = s.write.ExecContext(ctx, `PRAGMA cache_size = -2000`) // SQLite's default
	}
	if err == nil {
		_, err = s.write.ExecContext(ctx, `PRAGMA wal_checkpoint(FULL)`)
	}
	return errors.Join(ferr, err)
}

// ftsDefaults are the FTS5 options LoadFresh changes, with SQLite's
// defaults: what a full-text index reads when its config table does not
// name them.
var ftsDefaults = []struct {
	key string
	val int
}{{"automerge", 4}, {"crisismerge", 16}, {"hashsize", 1 << 20}}

// LoadFresh runs fn, a load into a new, empty archive that is thrown
// away if the load fails (a synthetic archive), inside Bulk, with two
// more shortcuts that only such a load can take.
//
// There is no journal meanwhile, instead of the write-ahead log: every
// page a batch writes was written twice, to the log at commit and to the
// database at the checkpoint (and read back in between); a journal in
// memory instead held a copy of every page the final merge frees, 0.7 GB
// more at 200,000 stories. Without one, a crash or a failed statement
// midway leaves a corrupt file, as Bulk's unsynced commits may already:
// the load is thrown away.
//
// The full-text indexes' incremental merging is off, and each index is
// merged into a single segment at the end. As an index grows it otherwise
// merges its segments four at a time, level after level, rewriting every
// posting once per level (a level more each time the index quadruples):
// a sixth of the writer's time at 200,000 stories, and growing. Merging
// once costs about a third of that there. The pending-data limit is raised
// meanwhile, so that a batch is one segment and a million articles stay
// under FTS5's 2,000 segments (past the crisis limit it would merge
// anyway). Only the structure of the index differs: the same postings;
// the options return to their defaults (their rows removed, as in an
// index never configured). Not for a load into a large archive: the
// final merge rewrites the whole index.
func (s *Store) LoadFresh(ctx context.Context, fn func() error) error {
	if !s.dialect.sqlite() {
		return s.Bulk(ctx, fn)
	}
	// Leaving the write-ahead log takes the only connection: the idle
	// readers close, and none is opened meanwhile.
	s.read.SetMaxIdleConns(0)
	defer s.read.SetMaxIdleConns(s.readIdle)
	var mode string
	if err := s.write.QueryRowContext(ctx, `PRAGMA journal_mode = OFF`).Scan(&mode); err != nil {
		return fmt.Errorf("load: %w", err)
	}
	err := s.Bulk(ctx, func() error {
		return s.searchLinesAfter(ctx, func() error { return s.mergeOnce(ctx, fn) })
	})
	werr := s.write.QueryRowContext(ctx, `PRAGMA journal_mode = WAL`).Scan(&mode)
	if werr == nil && mode != "wal" {
		werr = fmt.Errorf("journal mode %q", mode)
	}
	if werr != nil {
		return errors.Join(err, fmt.Errorf("load: back to the write-ahead log: %w", werr))
	}
	return err
}

// mergeOnce runs fn with the full-text indexes merged once, at the end
// (LoadFresh).
func (s *Store) mergeOnce(ctx context.Context, fn func() error) error {
	var tables []string
	rows, err := s.write.QueryContext(ctx, `SELECT name FROM sqlite_master
		WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE % USING fts5 %' ORDER BY name`)
	if err != nil {
		return fmt.Errorf("merge: %w", err)
	}
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return fmt.Errorf("merge: %w", err)
		}
		tables = append(tables, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("merge: %w", err)
	}
	set := func(t, key string, val int) error {
		_, err := s.write.ExecContext(ctx, `INSERT INTO "`+t+`" ("`+t+`", rank) VALUES (?, ?)`, key, val)
		return err
	}
	for _, t := range tables {
		for _, o := range []struct {
			key string
			val int
		}{{"automerge", 0}, {"crisismerge", 1999}, {"hashsize", 256 << 20}} {
			if err := set(t, o.key, o.val); err != nil {
				return fmt.Errorf("merge: %s: %w", t, err)
			}
		}
	}
	ferr := fn()
	for _, t := range tables {
		if ferr != nil {
			break
		}
		if _, err := s.write.ExecContext(ctx, `INSERT INTO "`+t+`" ("`+t+`") VALUES ('optimize')`); err != nil {
			return fmt.Errorf("merge: %s: %w", t, err)
		}
	}
	// Back to the defaults, for this connection's cached options too, then
	// as if never set.
	for _, t := range tables {
		for _, o := range ftsDefaults {
			if err := set(t, o.key, o.val); err != nil {
				return errors.Join(ferr, fmt.Errorf("merge: %s: %w", t, err))
			}
		}
		if _, err := s.write.ExecContext(ctx, `DELETE FROM "`+t+`_config" WHERE k IN ('automerge', 'crisismerge', 'hashsize')`); err != nil {
			return errors.Join(ferr, fmt.Errorf("merge: %s: %w", t, err))
		}
	}
	return ferr
}

// searchLinesAfter runs fn with search_lines' triggers (migration 0040)
// dropped, then writes every published article's row at once and puts the
// triggers back (LoadFresh). The triggers write an article's row again for
// each of its bylines and tags, and a contentless index writes out what it
// holds in memory before each delete: with merging off, a segment a row,
// past FTS5's 2,000 before 20,000 stories.
func (s *Store) searchLinesAfter(ctx context.Context, fn func() error) error {
	type trigger struct{ name, def string }
	var triggers []trigger
	rows, err := s.write.QueryContext(ctx, `SELECT name, sql FROM sqlite_master
		WHERE type = 'trigger' AND name LIKE 'search\_lines\_%' ESCAPE '\' ORDER BY name`)
	if err != nil {
		return fmt.Errorf("search lines: %w", err)
	}
	for rows.Next() {
		var t trigger
		if err := rows.Scan(&t.name, &t.def); err != nil {
			rows.Close()
			return fmt.Errorf("search lines: %w", err)
		}
		triggers = append(triggers, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("search lines: %w", err)
	}
	for _, t := range triggers {
		if _, err := s.write.ExecContext(ctx, `DROP TRIGGER `+t.name); err != nil {
			return fmt.Errorf("search lines: %w", err)
		}
	}
	if err := fn(); err != nil {
		return err
	}
	if len(triggers) == 0 {
		return nil
	}
	if _, err := s.write.ExecContext(ctx, searchLinesRows+`a.status = 'published' AND a.id < 67108864`); err != nil {
		return fmt.Errorf("search lines: %w", err)
	}
	for _, t := range triggers {
		if _, err := s.write.ExecContext(ctx, t.def); err != nil {
			return fmt.Errorf("search lines: %w", err)
		}
	}
	return nil
}

// searchLinesRows writes the search_lines row each published article's
// triggers would have left (0040_search_lines.sql); the caller adds the
// conditions on a, the article: its status 'published' and id below
// 67108864 at least.
const searchLinesRows = `INSERT INTO search_lines (rowid, headline, standfirst, byline, tags)
	SELECT max(min(COALESCE(unixepoch(a.published_at), 0), 68719476735), -68719476736) * 67108864 + a.id,
		a.headline, a.standfirst,
		COALESCE((SELECT group_concat(name, ', ') FROM (SELECT u.name FROM article_authors x JOIN users u ON u.id = x.user_id
			WHERE x.article_id = a.id ORDER BY x.position)), ''),
		COALESCE((SELECT group_concat(name, ', ') FROM (SELECT t.name FROM article_tags x JOIN tags t ON t.id = x.tag_id
			WHERE x.article_id = a.id ORDER BY t.name)), '')
	FROM articles a WHERE `

// batchTriggers says which of the insert triggers that InsertBatch holds
// (sqlite/0042_batch_held.sql) are in place, so that it writes what they
// would have: LoadFresh drops search_lines' and writes every row at its
// end.
type batchTriggers struct{ searchLines, counts bool }

// holdTriggers holds, on SQLite, search_lines' and the listing counts'
// insert triggers for the rest of an InsertBatch, which then writes
// their rows itself (writeHeld): the triggers wrote a new article's
// search_lines row once for the article and again for each of its
// bylines and tags, deleting the one before — and a contentless index
// writes out what it holds before each delete: a fifth of a WordPress
// import's writing — and upserted each count once a row.
func (s *Store) holdTriggers(ctx context.Context, tx *sql.Tx) (batchTriggers, error) {
	var held batchTriggers
	if !s.dialect.sqlite() {
		return held, nil
	}
	rows, err := s.queryRows(ctx, tx, `SELECT name FROM sqlite_master
		WHERE type = 'trigger' AND name IN ('search_lines_insert', 'counts_article_insert')`)
	if err != nil {
		return held, fmt.Errorf("hold triggers: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return held, fmt.Errorf("hold triggers: %w", err)
		}
		held.searchLines = held.searchLines || name == "search_lines_insert"
		held.counts = held.counts || name == "counts_article_insert"
	}
	if err := rows.Err(); err != nil {
		return held, fmt.Errorf("hold triggers: %w", err)
	}
	if held.searchLines || held.counts {
		if _, err := s.exec(ctx, tx, `INSERT INTO batch_held (held) VALUES (1)`); err != nil {
			return held, fmt.Errorf("hold triggers: %w", err)
		}
	}
	return held, nil
}

// writeHeld ends holdTriggers: what the held triggers would have written
// for the batch's articles (ids first to last) and their bylines and
// tags. The search_lines rows go in rowid order, so that the index takes
// them in one go; each count is upserted once, with the batch's sum.
func (s *Store) writeHeld(ctx context.Context, tx *sql.Tx, held batchTriggers, first, last int64) error {
	if !held.searchLines && !held.counts {
		return nil
	}
	if _, err := s.exec(ctx, tx, `DELETE FROM batch_held`); err != nil {
		return fmt.Errorf("write held triggers' rows: %w", err)
	}
	// Each statement reads the batch's rows by their ids: "+status" keeps
	// SQLite from walking every published article in a status index
	// instead (a batch would cost more the larger the archive).
	var stmts []string
	if held.searchLines {
		stmts = append(stmts, searchLinesRows+`a.id BETWEEN ?1 AND ?2 AND +a.status = 'published' AND a.id < 67108864 ORDER BY 1`)
	}
	if held.counts {
		// As the triggers of 0030_archive_scale.sql and
		// 0034_listing_months.sql count.
		stmts = append(stmts,
			`INSERT INTO listing_counts (kind, ref, n)
			SELECT 'section', section_id, COUNT(*) FROM articles
			WHERE id BETWEEN ?1 AND ?2 AND +status = 'published' AND section_id IS NOT NULL GROUP BY section_id
			ON CONFLICT (kind, ref) DO UPDATE SET n = n + excluded.n`,
			`INSERT INTO listing_counts (kind, ref, n)
			SELECT 'tag', tag_id, COUNT(*) FROM article_tags
			WHERE article_id BETWEEN ?1 AND ?2 AND listed_at IS NOT NULL GROUP BY tag_id
			ON CONFLICT (kind, ref) DO UPDATE SET n = n + excluded.n`,
			`INSERT INTO listing_counts (kind, ref, n)
			SELECT 'author', user_id, COUNT(*) FROM article_authors
			WHERE article_id BETWEEN ?1 AND ?2 AND listed_at IS NOT NULL GROUP BY user_id
			ON CONFLICT (kind, ref) DO UPDATE SET n = n + excluded.n`,
			`INSERT INTO archive_months (month, n, last_modified)
			SELECT substr(published_at, 1, 7), COUNT(*), MAX(modified_at) FROM articles
			WHERE id BETWEEN ?1 AND ?2 AND +status = 'published' AND published_at IS NOT NULL GROUP BY 1
			ON CONFLICT (month) DO UPDATE SET n = n + excluded.n, last_modified = max(last_modified, excluded.last_modified)`,
			`INSERT INTO listing_months (kind, ref, month, n)
			SELECT 'section', section_id, substr(published_at, 1, 7), COUNT(*) FROM articles
			WHERE id BETWEEN ?1 AND ?2 AND +status = 'published' AND published_at IS NOT NULL AND section_id IS NOT NULL GROUP BY 2, 3
			ON CONFLICT (kind, ref, month) DO UPDATE SET n = n + excluded.n`,
			`INSERT INTO listing_months (kind, ref, month, n)
			SELECT 'tag', tag_id, substr(listed_at, 1, 7), COUNT(*) FROM article_tags
			WHERE article_id BETWEEN ?1 AND ?2 AND listed_at IS NOT NULL GROUP BY 2, 3
			ON CONFLICT (kind, ref, month) DO UPDATE SET n = n + excluded.n`,
			`INSERT INTO listing_months (kind, ref, month, n)
			SELECT 'author', user_id, substr(listed_at, 1, 7), COUNT(*) FROM article_authors
			WHERE article_id BETWEEN ?1 AND ?2 AND listed_at IS NOT NULL GROUP BY 2, 3
			ON CONFLICT (kind, ref, month) DO UPDATE SET n = n + excluded.n`)
	}
	for _, stmt := range stmts {
		if _, err := s.exec(ctx, tx, stmt, first, last); err != nil {
			return fmt.Errorf("write held triggers' rows: %w", err)
		}
	}
	return nil
}
