package store

// Tallies of who is quoted how often (migration 0033): triggers note the
// articles whose quotations or publication changed in quotes_unsettled,
// and settleQuotes, run by inTx just before every commit, recounts those
// articles and adds the difference to their people. A listing of people
// then reads people's own columns, whatever the size of the archive.

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
)

// settleChunk is how many marked articles one round of settling reads.
const settleChunk = 500

// tally is one article's quotations by one person.
type tally struct {
	article, person   int64
	quotations, spans int
	published         nullTime // zero while the article is not published
}

// tallyChange is what settling adds to a person's columns.
type tallyChange struct {
	quotations, all, spans int
	published              bool // a published tally came or went: last_quoted_at may move
}

// settleQuotes settles every article marked in tx.
func (s *Store) settleQuotes(ctx context.Context, tx *sql.Tx) error {
	rows, err := s.queryRows(ctx, tx, `DELETE FROM quotes_unsettled RETURNING article_id`)
	if err != nil {
		return fmt.Errorf("settle quote tallies: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return fmt.Errorf("settle quote tallies: %w", err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("settle quote tallies: %w", err)
	}
	slices.Sort(ids)
	// The people's sums are changed once, after every chunk: a large
	// import's speakers are in most chunks, and an UPDATE each per chunk
	// was most of its settling.
	changes := map[int64]*tallyChange{}
	for chunk := range slices.Chunk(ids, settleChunk) {
		if err := s.settleArticles(ctx, tx, chunk, changes); err != nil {
			return fmt.Errorf("settle quote tallies: %w", err)
		}
	}
	if err := s.settlePeople(ctx, tx, changes); err != nil {
		return fmt.Errorf("settle quote tallies: %w", err)
	}
	return nil
}

// settleArticles recounts the tallies of articles ids and adds what that
// changes for their people to changes.
func (s *Store) settleArticles(ctx context.Context, tx *sql.Tx, ids []int64, changes map[int64]*tallyChange) error {
	in, args := placeholders(len(ids)), make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	old, err := s.readTallies(ctx, tx, `SELECT article_id, person_id, quotations, spans, published_at
		FROM quote_tallies WHERE article_id IN (`+in+`)`, args)
	if err != nil {
		return err
	}
	// The ids' bounds tell PostgreSQL's planner how few rows the list can
	// match even before the tables have statistics — in a large import's
	// own transaction, which nothing can count before it commits, it
	// read every quotation and article for each chunk (47 ms a chunk on
	// average over a 20,000-post import, 60 at its end, growing with it;
	// 3.5 ms with the bounds).
	lo, hi := slices.Min(ids), slices.Max(ids)
	now, err := s.readTallies(ctx, tx, `SELECT q.article_id, q.person_id, COUNT(DISTINCT q.quote_group), COUNT(*),
			CASE WHEN a.status = 'published' THEN a.published_at END
		FROM article_quotes q JOIN articles a ON a.id = q.article_id
		WHERE q.article_id IN (`+in+`) AND q.article_id BETWEEN ? AND ? AND a.id BETWEEN ? AND ?
			AND q.person_id IS NOT NULL AND q.status <> 'dismissed'
		GROUP BY q.article_id, q.person_id, a.status, a.published_at`, append(args[:len(args):len(args)], lo, hi, lo, hi))
	if err != nil {
		return err
	}
	apply := func(t tally, sign int) {
		c := changes[t.person]
		if c == nil {
			c = &tallyChange{}
			changes[t.person] = c
		}
		c.all += sign * t.quotations
		if !t.published.Time.IsZero() {
			c.quotations += sign * t.quotations
			c.spans += sign * t.spans
			c.published = true
		}
	}
	for _, t := range old {
		apply(t, -1)
	}
	var b rowsBuilder
	for _, t := range now {
		apply(t, +1)
		b.add(t.article, t.person, t.quotations, t.spans, t.published.Time)
	}
	if len(old) > 0 {
		if _, err := s.exec(ctx, tx, `DELETE FROM quote_tallies WHERE article_id IN (`+in+`)`, args...); err != nil {
			return err
		}
	}
	return b.insert(ctx, s, tx, "quote_tallies", "article_id, person_id, quotations, spans, published_at")
}

// settlePeople adds changes to their people's columns.
func (s *Store) settlePeople(ctx context.Context, tx *sql.Tx, changes map[int64]*tallyChange) error {
	people := make([]int64, 0, len(changes))
	for id, c := range changes {
		if *c != (tallyChange{}) {
			people = append(people, id)
		}
	}
	// In id order, so that two PostgreSQL transactions settling the same
	// people lock them in the same order.
	slices.Sort(people)
	for _, id := range people {
		c := changes[id]
		last := `last_quoted_at`
		if c.published {
			last = `(SELECT MAX(t.published_at) FROM quote_tallies t WHERE t.person_id = people.id)`
		}
		if _, err := s.exec(ctx, tx, `UPDATE people SET quotations = quotations + ?, quotations_all = quotations_all + ?,
			quote_spans = quote_spans + ?, last_quoted_at = `+last+` WHERE id = ?`, c.quotations, c.all, c.spans, id); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) readTallies(ctx context.Context, tx *sql.Tx, query string, args []any) ([]tally, error) {
	rows, err := s.queryRows(ctx, tx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []tally
	for rows.Next() {
		var t tally
		if err := rows.Scan(&t.article, &t.person, &t.quotations, &t.spans, &t.published); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}
