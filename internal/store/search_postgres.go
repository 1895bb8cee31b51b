package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"masthead/internal/news"
)

// PostgreSQL full-text search. The index is the article_search table (see
// migrations/postgres/0001_init.sql): the same rows SQLite's FTS5 table
// holds, written by the same statements, plus two tsvector columns
// PostgreSQL computes from them, each with a GIN index: the weighted
// document, and heads, its headline, standfirst, byline and tags alone
// (postgres/0035), on which the first ranking tiers are matched.

// searchWords splits what a reader typed into at most twelve words of
// letters and digits: everything else, including every character with a
// meaning in query syntax, separates words.
func searchWords(q string) []string {
	words := strings.FieldsFunc(q, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	if len(words) > 12 {
		words = words[:12]
	}
	return words
}

// tsQuery builds the text of a tsquery from a reader's words: all must
// match, the last as a prefix (results appear while typing). weights, such
// as "A" or "AB", restricts every word to those parts of the document. The
// words hold only letters and digits and are quoted, so the result always
// parses; words that are all stop words make an empty query that matches
// nothing.
func tsQuery(words []string, weights string) string {
	parts := make([]string, len(words))
	for i, w := range words {
		label := weights
		if i == len(words)-1 && utf8.RuneCountInString(w) >= minPrefix {
			label = "*" + label
		}
		parts[i] = "'" + w + "'"
		if label != "" {
			parts[i] += ":" + label
		}
	}
	return strings.Join(parts, " & ")
}

// searchPostgres is Search on PostgreSQL, with the same filters and
// ranking as on SQLite: articles whose headline has every word first, then
// those whose headline and standfirst have them, then byline and tags,
// then the body (the order of the index weights); newest first within
// each. Which way the page is found depends on how many articles the
// planner expects to match: a few thousand are read from the index and
// ranked all at once (exact total); more are read tier by tier, walking
// the articles newest first until a page is found, so that a common word
// stops after a page of matches rather than ranking every article it is in
// (12 s for "council" in a million stories), and the total is the
// planner's estimate. Walking for a rare word would read every article
// (18 s for "zzyzx"), ranking them all a common one's. Between the two, a
// search without filters expected in one article in walkShare walks for
// its page and counts its matches exactly.
func (s *Store) searchPostgres(ctx context.Context, q news.SearchQuery, words []string) (news.SearchResults, error) {
	where, fargs := searchFilter(q)
	var ids []int64
	var res news.SearchResults
	err := s.inIndexOrder(ctx, func(db querier) error {
		ids, res = nil, news.SearchResults{} // afresh if retried
		tiers, tq := plainTiers(words), stemmed
		match := tiers[3]
		from := ` FROM article_search x JOIN articles a ON a.id = x.rowid WHERE x.document @@ ` + tq + ` AND ` + where
		estimate, err := s.planRows(ctx, db, `SELECT 1`+from, append([]any{match}, fargs...))
		if err != nil {
			return err
		}
		walk, err := s.walkCounted(ctx, db, q, estimate)
		if err != nil {
			return err
		}
		if walk || estimate < walkAbove {
			// Every match is read (counted or ranked): from the words the
			// last one stands for, when few (searchTiers). In the
			// transaction, so they are those of the documents read. A
			// search walked for its page alone reads few, and is left as
			// it was, its estimate too.
			if tiers, tq, err = s.searchTiers(ctx, db, words); err != nil {
				return err
			}
			match = tiers[3]
		}
		switch {
		case walk:
			ids, _, err = s.walkedSearchPage(ctx, db, q, tiers, tq, fargs)
			if err == nil {
				res.Total, err = s.countMatches(ctx, db, match, tq)
			}
		case estimate < walkAbove:
			ids, res.Total, err = s.rankedSearchPage(ctx, db, q, tiers, tq, where, fargs)
		default:
			ids, res.Total, err = s.walkedSearchPage(ctx, db, q, tiers, tq, fargs)
			if err == nil && len(ids) == q.Limit && estimate > res.Total {
				res.Total, res.About = estimate, true
			}
		}
		return err
	})
	if err != nil {
		return news.SearchResults{}, fmt.Errorf("search %q: %w", q.Text, err)
	}
	if len(ids) == 0 {
		return res, nil
	}
	// Snippets are made as on SQLite, from the page's bodies (snippet.go):
	// ts_headline parsed each whole body again, 6 ms for a page of ten.
	list, err := s.articlesByID(ctx, ids)
	if err != nil {
		return news.SearchResults{}, fmt.Errorf("search %q: %w", q.Text, err)
	}
	snippets, err := s.snippets(ctx, snippetMatch(words), ids)
	if err != nil {
		return news.SearchResults{}, fmt.Errorf("search %q: %w", q.Text, err)
	}
	res.Hits = make([]news.SearchHit, len(list))
	for i, a := range list {
		res.Hits[i] = news.SearchHit{Article: a, Snippet: snippets[a.ID]}
	}
	return res, nil
}

// tierWeights are the index weights of a search's four tiers, in order.
func tierWeights() []string { return []string{"A", "AB", "ABC", ""} }

// stemmed reads a tsQuery text as a tsquery, stemming its words.
const stemmed = `to_tsquery('english', ?)`

// plainTiers are the texts of a search's four tsqueries as typed, each
// word stemmed when stemmed reads it.
func plainTiers(words []string) []string {
	weights := tierWeights()
	tiers := make([]string, len(weights))
	for i, w := range weights {
		tiers[i] = tsQuery(words, w)
	}
	return tiers
}

// maxExpansion is how many words a search's last word may stand for in
// its query (searchTiers); a prefix of more is asked for as a prefix. Each
// is an entry GIN reads on its own: a short prefix of a large vocabulary
// costs less read as one.
const maxExpansion = 16

// searchTiers returns the texts of a search's four tsqueries (tsQuery's
// weights A, AB and ABC, then none) and the SQL that reads each, with its
// placeholder. When the last of two or more words is matched as a prefix
// and begins at most maxExpansion words of the documents
// (search_lexemes, postgres/0041), it is asked for as those words instead:
// GIN reads every posting of every word a prefix begins before it
// intersects any (all of "budget"'s stories to find the few with
// "school"), where exact words are intersected as they are read. The
// matches are the same: the table holds every word of every document.
// The words it stands for are already stemmed, so those texts are
// normalised here and read as they are (to_tsquery would stem them again).
func (s *Store) searchTiers(ctx context.Context, db querier, words []string) ([]string, string, error) {
	tiers := plainTiers(words)
	last := words[len(words)-1]
	if len(words) < 2 || utf8.RuneCountInString(last) < minPrefix {
		return tiers, stemmed, nil
	}
	// The prefix is the word stemmed, as to_tsquery stems it; a stop
	// word, or a word the parser splits, is left as it is.
	rows, err := s.queryRows(ctx, db, `SELECT l.lexeme FROM (
			SELECT MIN(lexeme) AS stem FROM unnest(to_tsvector('english', ?)) HAVING COUNT(*) = 1) w
		JOIN search_lexemes l ON l.lexeme >= w.stem COLLATE "C" AND l.lexeme < (w.stem || chr(1114111)) COLLATE "C"
		ORDER BY l.lexeme LIMIT ?`, last, maxExpansion+1)
	if err != nil {
		return nil, "", err
	}
	lexemes, err := scanStrings(rows)
	if err != nil {
		return nil, "", err
	}
	if len(lexemes) == 0 || len(lexemes) > maxExpansion {
		return tiers, stemmed, nil
	}
	// The other words, whole: tsQuery would make the last of them a prefix.
	weights := tierWeights()
	head := make([]any, len(weights))
	for i, w := range weights {
		parts := make([]string, len(words)-1)
		for j, word := range words[:len(words)-1] {
			parts[j] = "'" + word + "'"
			if w != "" {
				parts[j] += ":" + w
			}
		}
		head[i] = strings.Join(parts, " & ")
	}
	if err := s.queryRow(ctx, db, `SELECT CAST(to_tsquery('english', ?) AS text), CAST(to_tsquery('english', ?) AS text),
		CAST(to_tsquery('english', ?) AS text), CAST(to_tsquery('english', ?) AS text)`, head...).Scan(&tiers[0], &tiers[1], &tiers[2], &tiers[3]); err != nil {
		return nil, "", err
	}
	quote := strings.NewReplacer(`\`, `\\`, `'`, `''`) // tsquery's quoting
	for i, w := range weights {
		alts := make([]string, len(lexemes))
		for j, l := range lexemes {
			alts[j] = "'" + quote.Replace(l) + "'"
			if w != "" {
				alts[j] += ":" + w
			}
		}
		either := "( " + strings.Join(alts, " | ") + " )"
		if tiers[i] == "" { // the other words were all stop words
			tiers[i] = either
		} else {
			tiers[i] = "( " + tiers[i] + " ) & " + either
		}
	}
	return tiers, `CAST(? AS tsquery)`, nil
}

func scanStrings(rows *sql.Rows) ([]string, error) {
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// snippetMatch is a search's words as matchTerms reads them: quoted, the
// last a prefix when tsQuery makes it one.
func snippetMatch(words []string) string {
	quoted := make([]string, len(words))
	for i, w := range words {
		quoted[i] = `"` + w + `"`
	}
	if last := words[len(words)-1]; utf8.RuneCountInString(last) >= minPrefix {
		quoted[len(words)-1] += "*"
	}
	return strings.Join(quoted, " AND ")
}

// walkAbove is how many expected matches make a search walk the articles
// newest first rather than rank every match.
const walkAbove = 20000

// walkShare: a search without filters expected to match at least one
// article in walkShare, though fewer than walkAbove, walks the articles
// newest first too (a page of ten reads some 500 of them) and counts its
// matches exactly from the index, without ranking them. Ranking "flood",
// in 12,952 of 200,000 stories, read each match's row and joined it to
// its article to sort: 80 ms of CPU, against ~30 for the walk and count.
// The count still reads each match's row; filters would need its article
// too, so a filtered search is ranked as before.
const walkShare = 50

// walkCounted tells whether a search is read by walkShare's rule.
func (s *Store) walkCounted(ctx context.Context, db querier, q news.SearchQuery, estimate int) (bool, error) {
	if q.Filtered() || estimate >= walkAbove {
		return false, nil
	}
	var articles float64
	if err := s.queryRow(ctx, db, `SELECT reltuples FROM pg_class WHERE oid = 'articles'::regclass`).Scan(&articles); err != nil {
		return false, err
	}
	return articles > 0 && float64(estimate)*walkShare >= articles, nil
}

// countMatches counts the published articles a search without filters
// matches. The few unpublished ones are listed and set aside: joining each
// match to its article cost more than the count.
func (s *Store) countMatches(ctx context.Context, db querier, match, tq string) (int, error) {
	var n int
	err := s.queryRow(ctx, db, `SELECT COUNT(*) FROM article_search x
		WHERE x.document @@ `+tq+` AND x.rowid NOT IN (`+unpublishedIDs+`)`, match).Scan(&n)
	return n, err
}

// rankedSearchPage reads every match from the index, ranks them and
// returns the page's ids and the exact total.
func (s *Store) rankedSearchPage(ctx context.Context, db querier, q news.SearchQuery, tiers []string, tq, where string, fargs []any) ([]int64, int, error) {
	args := []any{tiers[0], tiers[1], tiers[2], tiers[3]}
	args = append(append(args, fargs...), q.Limit, q.Offset)
	// MATERIALIZED: read from the words' index, not by walking articles.
	// The tiers are told apart on the heads column (headline, standfirst,
	// byline and tags: postgres/0035), which is small and kept in the row:
	// each test on the document unpacked it, body included (32 of the 48
	// ms of "school budget" at 200,000 stories), and taking the heads out
	// of it once still did (~20 µs a match, 250–330 ms for "flood").
	rows, err := s.queryRows(ctx, db, `WITH m AS MATERIALIZED (
			SELECT x.rowid, CASE
				WHEN x.heads @@ `+tq+` THEN 0
				WHEN x.heads @@ `+tq+` THEN 1
				WHEN x.heads @@ `+tq+` THEN 2
				ELSE 3 END AS tier
			FROM article_search x
			WHERE x.document @@ `+tq+`)
		SELECT m.rowid, COUNT(*) OVER () FROM m JOIN articles a ON a.id = m.rowid
		WHERE `+where+` ORDER BY m.tier, a.published_at DESC, a.id DESC LIMIT ? OFFSET ?`, args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var ids []int64
	total := 0
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id, &total); err != nil {
			return nil, 0, err
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	if len(ids) == 0 && q.Offset > 0 {
		// Past the end: the total still counts.
		err := s.queryRow(ctx, db, `SELECT COUNT(*) FROM article_search x JOIN articles a ON a.id = x.rowid
			WHERE x.document @@ `+tq+` AND `+where, append([]any{tiers[3]}, fargs...)...).Scan(&total)
		return nil, total, err
	}
	return ids, total, nil
}

// walkedSearchPage reads the page tier by tier, newest first, and returns
// its ids and how many matches come before and on it. The first three
// tiers are matched on the heads column and its index (postgres/0035),
// the body tier on the document; tiers before the one read are set aside
// on the heads, which a test on the document would unpack with its body.
func (s *Store) walkedSearchPage(ctx context.Context, db querier, q news.SearchQuery, tiers []string, tq string, fargs []any) ([]int64, int, error) {
	where, _ := searchFilter(q)
	tier := func(i int) (string, []any) {
		column := "heads"
		if i == len(tiers)-1 {
			column = "document"
		}
		cond := ` FROM article_search x JOIN articles a ON a.id = x.rowid WHERE x.` + column + ` @@ ` + tq + ` AND ` + where
		args := append([]any{tiers[i]}, fargs...)
		if i > 0 {
			cond += ` AND NOT x.heads @@ ` + tq
			args = append(args, tiers[i-1])
		}
		return cond, args
	}
	ids, counted, err := pageTiers(len(tiers), q.Offset, q.Limit,
		func(i, most int) (int, error) {
			cond, args := tier(i)
			var n int
			err := s.queryRow(ctx, db, `SELECT COUNT(*) FROM (SELECT 1`+cond+` LIMIT ?) m`, append(args, most)...).Scan(&n)
			return n, err
		},
		func(i, skip, need int) ([]int64, error) {
			cond, args := tier(i)
			rows, err := s.queryRows(ctx, db, `SELECT x.rowid`+cond+` ORDER BY a.published_at DESC, a.id DESC LIMIT ? OFFSET ?`, append(args, need, skip)...)
			if err != nil {
				return nil, err
			}
			return scanIDs(rows)
		})
	return ids, counted + len(ids), err
}

// inIndexOrder runs a search's queries in one read-only transaction in
// which the planner does not read article_search whole. Its rows hold
// little but the heads and pointers to the text and document
// (postgres/0036), so a sequential scan looks cheap to the planner, which
// does not count fetching each row's document to test it: it chose one
// (3.3 s) to count "flood" in 200,000 stories, 30 ms from the index.
// Inside a writing transaction (Atomically) the queries run there as
// they are. Like other reads, it is tried again on a fresh connection
// when the database dropped the one it had (retryRead).
func (s *Store) inIndexOrder(ctx context.Context, fn func(db querier) error) error {
	if s.tx != nil {
		return fn(s.tx)
	}
	for attempt := 1; ; attempt++ {
		err := s.withoutSeqScans(ctx, fn)
		if err == nil || !s.retryRead(ctx, err, attempt) {
			return err
		}
	}
}

func (s *Store) withoutSeqScans(ctx context.Context, fn func(db querier) error) error {
	tx, err := s.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	// And plans each query for its own words: after five runs of a
	// prepared statement PostgreSQL may keep a generic plan, blind to the
	// tsquery; "zzyzx" at a million stories went from 3 to 15 ms a search
	// on its sixth.
	if _, err := tx.ExecContext(ctx, `SELECT set_config('enable_seqscan', 'off', true), set_config('plan_cache_mode', 'force_custom_plan', true)`); err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// planRows is the planner's estimate of the rows query returns.
func (s *Store) planRows(ctx context.Context, db querier, query string, args []any) (int, error) {
	var plan string
	if err := s.queryRow(ctx, db, `EXPLAIN (FORMAT JSON) `+query, args...).Scan(&plan); err != nil {
		return 0, err
	}
	var explained []struct {
		Plan struct {
			Rows float64 `json:"Plan Rows"`
		}
	}
	if err := json.Unmarshal([]byte(plan), &explained); err != nil || len(explained) == 0 {
		return 0, fmt.Errorf("read the planner's estimate: %v", err)
	}
	return int(explained[0].Plan.Rows), nil
}
