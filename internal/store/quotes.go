package store

// Quotations, as data.
//
// article_quotes holds the quotations the extractor found in each article's
// plain text (character offsets, the words, the extractor's speaker), each
// resolved to a person and a status; quote_decisions holds what editors
// decided about them, keyed by the quotation's words; people and
// person_aliases (persons.go) are who said them. Migration 0007 has the
// tables and the change-log triggers: a quote row that changes names its
// article and the site-wide pages (the people pages are among them).
//
// writeQuotes is the one place quotations are stored. It runs inside the
// transaction that saves the article (CreateArticle, UpdateArticle), or
// alone when an editor decides about a quote or the archive is
// re-extracted, and it is idempotent: it compares what it would store with
// what is there and writes only the difference, so a save that changes no
// quotation leaves the table and the change log alone.

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"masthead/internal/news"
)

// quoteKeyHash is how a decision's key is stored: the SHA-256 of the
// quotation's normalised words (news.QuoteKey), short and fixed-length
// whatever the quote's length, so it can be indexed on both engines.
func quoteKeyHash(text string) string {
	sum := sha256.Sum256([]byte(news.QuoteKey(text)))
	return hex.EncodeToString(sum[:16])
}

// quoteRow is one stored row of article_quotes.
type quoteRow struct {
	id                              int64
	position, start, end, group     int
	text, cue, speaker, speakerKind string
	personID                        sql.NullInt64
	status                          news.QuoteStatus
}

func (r quoteRow) same(o quoteRow) bool {
	return r.position == o.position && r.start == o.start && r.end == o.end && r.group == o.group &&
		r.text == o.text && r.cue == o.cue && r.speaker == o.speaker && r.speakerKind == o.speakerKind &&
		r.personID == o.personID && r.status == o.status
}

// writeQuotes stores the quotations of article articleID, replacing what
// was there: each is given the newsroom's decision about its words, or
// else its speaker as a person (found by name, or created). Only rows
// that differ are written.
func (s *Store) writeQuotes(ctx context.Context, tx *sql.Tx, articleID int64, qs []news.Quote) error {
	decisions, err := s.decisionsIn(ctx, tx, articleID)
	if err != nil {
		return err
	}
	people := map[string]int64{} // speaker name key -> person, for this article
	want := make([]quoteRow, len(qs))
	for i, q := range qs {
		r := quoteRow{position: i, start: q.Start, end: q.End, group: q.Group, text: q.Text, cue: q.Cue,
			speaker: q.Speaker, speakerKind: string(q.SpeakerKind), status: news.QuoteDetected}
		if q.Speaker == "" || !news.ValidPersonKind(q.SpeakerKind) {
			r.speaker, r.speakerKind = q.Speaker, ""
		}
		if d, ok := decisions[quoteKeyHash(q.Text)]; ok {
			r.status = news.QuoteStatus(d.Verdict)
			if d.Verdict == news.VerdictConfirmed && d.PersonID != 0 {
				r.personID = sql.NullInt64{Int64: d.PersonID, Valid: true}
			}
		} else if r.speakerKind != "" {
			key := news.NameKey(r.speaker)
			id, ok := people[key]
			if !ok {
				p, err := s.extractedPerson(ctx, tx, r.speaker, news.PersonKind(r.speakerKind))
				if err != nil {
					return err
				}
				id = p.ID
				people[key] = id
			}
			r.personID = sql.NullInt64{Int64: id, Valid: true}
		}
		want[i] = r
	}
	have, err := s.quoteRows(ctx, tx, articleID)
	if err != nil {
		return err
	}
	for i, r := range want[:min(len(want), len(have))] {
		if have[i].same(r) {
			continue
		}
		if _, err := s.exec(ctx, tx, `UPDATE article_quotes SET start_char = ?, end_char = ?, text = ?, quote_group = ?, cue = ?,
			speaker = ?, speaker_kind = ?, person_id = ?, status = ? WHERE id = ?`,
			r.start, r.end, r.text, r.group, r.cue, r.speaker, r.speakerKind, r.personID, r.status, have[i].id); err != nil {
			return fmt.Errorf("store quote %d of article %d: %w", i, articleID, err)
		}
	}
	if len(want) > len(have) {
		// The new ones in one statement, last first, with ids in
		// position order: as InsertBatch does, so that the full-text
		// index (whose rowids fall as positions rise) is written out
		// once, not at every row.
		added := want[len(have):]
		ids, err := s.newIDs(ctx, tx, "article_quotes", len(added))
		if err != nil {
			return err
		}
		var rows rowsBuilder
		for i := len(added) - 1; i >= 0; i-- {
			r := added[i]
			rows.add(ids[i], articleID, r.position, r.start, r.end, r.text, r.group, r.cue, r.speaker, r.speakerKind, r.personID, r.status)
		}
		if err := rows.insert(ctx, s, tx, "article_quotes", `id, article_id, position, start_char, end_char, text, quote_group, cue,
			speaker, speaker_kind, person_id, status`); err != nil {
			return fmt.Errorf("store the quotes of article %d: %w", articleID, err)
		}
	}
	if len(have) > len(want) {
		if _, err := s.exec(ctx, tx, `DELETE FROM article_quotes WHERE article_id = ? AND position >= ?`, articleID, len(want)); err != nil {
			return fmt.Errorf("drop quotes of article %d: %w", articleID, err)
		}
	}
	return nil
}

func (s *Store) quoteRows(ctx context.Context, db querier, articleID int64) ([]quoteRow, error) {
	rows, err := s.queryRows(ctx, db, `SELECT id, position, start_char, end_char, quote_group, text, cue, speaker, speaker_kind, person_id, status
		FROM article_quotes WHERE article_id = ? ORDER BY position`, articleID)
	if err != nil {
		return nil, fmt.Errorf("load quotes of article %d: %w", articleID, err)
	}
	defer rows.Close()
	var out []quoteRow
	for rows.Next() {
		var r quoteRow
		if err := rows.Scan(&r.id, &r.position, &r.start, &r.end, &r.group, &r.text, &r.cue, &r.speaker, &r.speakerKind, &r.personID, &r.status); err != nil {
			return nil, fmt.Errorf("load quotes of article %d: %w", articleID, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func (s *Store) decisionsIn(ctx context.Context, db querier, articleID int64) (map[string]news.QuoteDecision, error) {
	rows, err := s.queryRows(ctx, db, `SELECT quote_key, verdict, person_id FROM quote_decisions WHERE article_id = ?`, articleID)
	if err != nil {
		return nil, fmt.Errorf("load quote decisions of article %d: %w", articleID, err)
	}
	defer rows.Close()
	out := map[string]news.QuoteDecision{}
	for rows.Next() {
		var key string
		var d news.QuoteDecision
		var person sql.NullInt64
		if err := rows.Scan(&key, &d.Verdict, &person); err != nil {
			return nil, fmt.Errorf("load quote decisions of article %d: %w", articleID, err)
		}
		d.PersonID = person.Int64
		out[key] = d
	}
	return out, rows.Err()
}

// ReplaceQuotes stores freshly extracted quotations of an article in a
// transaction of their own (re-extraction of the archive; saves store them
// with the article). It is safe to repeat.
func (s *Store) ReplaceQuotes(ctx context.Context, articleID int64, qs []news.Quote) error {
	return s.inTx(ctx, func(tx *sql.Tx) error { return s.writeQuotes(ctx, tx, articleID, qs) })
}

// DecideQuote records an editor's decision about the quotation with these
// words in an article (nil d forgets the decision) and applies it to the
// stored quotes at once.
func (s *Store) DecideQuote(ctx context.Context, articleID int64, text string, d *news.QuoteDecision, userID int64) error {
	key := quoteKeyHash(text)
	if news.QuoteKey(text) == "" {
		return news.FieldErrors{"quote": "That quotation has no words."}
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		if d == nil {
			_, err = s.exec(ctx, tx, `DELETE FROM quote_decisions WHERE article_id = ? AND quote_key = ?`, articleID, key)
		} else {
			_, err = s.exec(ctx, tx, `INSERT INTO quote_decisions (article_id, quote_key, quote_text, verdict, person_id, decided_by, decided_at)
				VALUES (?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (article_id, quote_key) DO UPDATE SET quote_text = excluded.quote_text, verdict = excluded.verdict,
					person_id = excluded.person_id, decided_by = excluded.decided_by, decided_at = excluded.decided_at`,
				articleID, key, strings.TrimSpace(text), d.Verdict, nullID(d.PersonID), nullID(userID), s.clock.Now())
		}
		if err != nil {
			return err
		}
		// Apply it: the stored rows are the extractor's latest output.
		rows, err := s.quoteRows(ctx, tx, articleID)
		if err != nil {
			return err
		}
		qs := make([]news.Quote, len(rows))
		for i, r := range rows {
			qs[i] = news.Quote{Start: r.start, End: r.end, Text: r.text, Group: r.group, Cue: r.cue,
				Speaker: r.speaker, SpeakerKind: news.PersonKind(r.speakerKind)}
		}
		return s.writeQuotes(ctx, tx, articleID, qs)
	})
	var fe news.FieldErrors
	if err != nil && !errors.As(err, &fe) {
		return fmt.Errorf("decide quote in article %d: %w", articleID, err)
	}
	return err
}

// quoteColumns are a quote with its speaker; quoteFrom joins them.
const quoteColumns = `q.id, q.article_id, q.position, q.start_char, q.end_char, q.text, q.quote_group, q.cue,
	q.speaker, q.speaker_kind, q.status, p.id, p.kind, p.name, p.slug, p.description`

const quoteFrom = ` FROM article_quotes q LEFT JOIN people p ON p.id = q.person_id`

type quoteScan struct {
	q                          news.Quote
	pid                        sql.NullInt64
	pkind, pname, pslug, pdesc sql.NullString
}

func (qs *quoteScan) dest() []any {
	q := &qs.q
	return []any{&q.ID, &q.ArticleID, &q.Position, &q.Start, &q.End, &q.Text, &q.Group, &q.Cue,
		&q.Speaker, &q.SpeakerKind, &q.Status, &qs.pid, &qs.pkind, &qs.pname, &qs.pslug, &qs.pdesc}
}

func (qs *quoteScan) quote() news.Quote {
	q := qs.q
	if qs.pid.Valid {
		q.Person = &news.Person{ID: qs.pid.Int64, Kind: news.PersonKind(qs.pkind.String), Name: qs.pname.String,
			Slug: qs.pslug.String, Description: qs.pdesc.String}
	}
	return q
}

// ArticleQuotes lists an article's quotations in text order, dismissed ones
// included, with their speakers.
func (s *Store) ArticleQuotes(ctx context.Context, articleID int64) ([]news.Quote, error) {
	rows, err := s.queryRows(ctx, s.read, `SELECT `+quoteColumns+quoteFrom+` WHERE q.article_id = ? ORDER BY q.position`, articleID)
	if err != nil {
		return nil, fmt.Errorf("quotes of article %d: %w", articleID, err)
	}
	defer rows.Close()
	var out []news.Quote
	for rows.Next() {
		var qs quoteScan
		if err := rows.Scan(qs.dest()...); err != nil {
			return nil, fmt.Errorf("quotes of article %d: %w", articleID, err)
		}
		out = append(out, qs.quote())
	}
	return out, rows.Err()
}

// publicQuotes is the condition for quotations readers see.
const publicQuotes = `a.status = 'published' AND q.status <> 'dismissed'`

// listQuotes runs a query over quotes joined with their articles and
// speakers, newest article first, in text order within an article.
func (s *Store) listQuotes(ctx context.Context, where string, args ...any) ([]news.Quote, error) {
	rows, err := s.queryRows(ctx, s.read, `SELECT `+listedQuoteColumns+quoteFrom+`
		JOIN articles a ON a.id = q.article_id
		WHERE `+where+`
		ORDER BY COALESCE(a.published_at, a.created_at) DESC, a.id DESC, q.position LIMIT ? OFFSET ?`, args...)
	if err != nil {
		return nil, err
	}
	return scanListedQuotes(rows)
}

// listedQuoteColumns are a quote with its speaker and article, as
// scanListedQuotes reads them.
const listedQuoteColumns = quoteColumns + `, COALESCE(a.path, ''), a.headline, a.status, a.published_at, a.updated_at`

func scanListedQuotes(rows *sql.Rows) ([]news.Quote, error) {
	defer rows.Close()
	var out []news.Quote
	for rows.Next() {
		var qs quoteScan
		a := &news.Article{}
		var published, updated nullTime
		if err := rows.Scan(append(qs.dest(), &a.Path, &a.Headline, &a.Status, &published, &updated)...); err != nil {
			return nil, err
		}
		a.ID, a.PublishedAt, a.UpdatedAt = qs.q.ArticleID, published.Time, updated.Time
		q := qs.quote()
		q.Article = a
		out = append(out, q)
	}
	return out, rows.Err()
}

// PersonQuotes lists the quotations readers see by a person, newest
// article first, and how many there are in all. The person's tallies
// (quotetally.go) list their published articles newest first with how
// many quotations each holds, so a page adds those up to find its
// articles and reads only their quotations: a page costs about the same
// for someone quoted ten thousand times as for someone quoted once.
func (s *Store) PersonQuotes(ctx context.Context, personID int64, limit, offset int) ([]news.Quote, int, error) {
	var total int
	if err := s.queryRow(ctx, s.read, `SELECT quote_spans FROM people WHERE id = ?`, personID).Scan(&total); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, 0, nil
		}
		return nil, 0, fmt.Errorf("count quotes of person %d: %w", personID, err)
	}
	articles, skip, err := s.talliedPage(ctx, personID, limit, offset)
	if err != nil || len(articles) == 0 {
		return nil, total, err
	}
	list, err := s.listQuotes(ctx, `q.person_id = ? AND q.article_id IN (`+placeholders(len(articles))+`) AND `+publicQuotes,
		append(append([]any{personID}, articles...), limit, skip)...)
	if err != nil {
		return nil, 0, fmt.Errorf("quotes of person %d: %w", personID, err)
	}
	return list, total, nil
}

// talliedPage finds the articles holding quotations offset to
// offset+limit of a person's, newest first, and how many of the first
// one's come before the page.
func (s *Store) talliedPage(ctx context.Context, personID int64, limit, offset int) (articles []any, skip int, err error) {
	rows, err := s.queryRows(ctx, s.read, `SELECT article_id, spans FROM quote_tallies
		WHERE person_id = ? AND published_at IS NOT NULL ORDER BY published_at DESC, article_id DESC`, personID)
	if err != nil {
		return nil, 0, fmt.Errorf("quotes of person %d: %w", personID, err)
	}
	defer rows.Close()
	seen := 0 // spans in the articles before this one
	for seen < offset+limit && rows.Next() {
		var id int64
		var spans int
		if err := rows.Scan(&id, &spans); err != nil {
			return nil, 0, fmt.Errorf("quotes of person %d: %w", personID, err)
		}
		if seen+spans > offset {
			if len(articles) == 0 {
				skip = offset - seen
			}
			articles = append(articles, id)
		}
		seen += spans
	}
	return articles, skip, rows.Err()
}

// QuotesOfPerson lists a person's quotations in articles of any status,
// dismissed ones aside, most recently published (or, for drafts, created)
// first: what the newsroom checks before editing or merging them. With
// viewer set, only those in articles that member of staff may see
// (published ones and their own).
func (s *Store) QuotesOfPerson(ctx context.Context, personID int64, limit int, viewer int64) ([]news.Quote, error) {
	where, args := `q.person_id = ? AND q.status <> 'dismissed'`, []any{personID}
	if viewer != 0 {
		where += ` AND ` + visibleTo
		args = append(args, viewer, viewer)
	}
	list, err := s.listQuotes(ctx, where, append(args, limit, 0)...)
	if err != nil {
		return nil, fmt.Errorf("quotes of person %d: %w", personID, err)
	}
	return list, nil
}

// writeArticleQuotes stores a.Quotes with the article being saved in tx;
// nil Quotes (an article that did not go through newsroom.Prepare) leaves
// the stored quotations alone.
func (s *Store) writeArticleQuotes(ctx context.Context, tx *sql.Tx, a *news.Article) error {
	if a.Quotes == nil {
		return nil
	}
	return s.writeQuotes(ctx, tx, a.ID, a.Quotes)
}
