package store

import (
	"context"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"masthead/internal/news"
)

// PostgreSQL full-text search. The index is the article_search table (see
// migrations/postgres/0001_init.sql): the same rows SQLite's FTS5 table
// holds, written by the same statements, plus a weighted tsvector column
// PostgreSQL computes from them and a GIN index over it.

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

// headlineOptions make ts_headline mark matches as SQLite's snippet() does
// and keep the snippet about as long (MaxWords counts words only).
const headlineOptions = `StartSel="` + SnippetOpen + `", StopSel="` + SnippetClose + `", MaxWords=24, MinWords=12, ShortWord=2, MaxFragments=1, FragmentDelimiter=" … "`

// searchPostgres is Search on PostgreSQL, with the same filters and
// ranking: articles whose headline has every word first, then those whose
// headline and standfirst have them, then byline and tags, then the body
// (the order of the index weights); newest first within each. Its totals
// are exact.
func (s *Store) searchPostgres(ctx context.Context, q news.SearchQuery, words []string) (news.SearchResults, error) {
	query, limit, offset := q.Text, q.Limit, q.Offset
	match := tsQuery(words, "")
	where, fargs := searchFilter(q)
	var total int
	if err := s.queryRow(ctx, s.read, `SELECT COUNT(*) FROM article_search x JOIN articles a ON a.id = x.rowid
		WHERE x.document @@ to_tsquery('english', ?) AND `+where, append([]any{match}, fargs...)...).Scan(&total); err != nil {
		return news.SearchResults{}, fmt.Errorf("search %q: %w", query, err)
	}
	if total == 0 || offset >= total {
		return news.SearchResults{Total: total}, nil
	}
	args := []any{tsQuery(words, "A"), tsQuery(words, "AB"), tsQuery(words, "ABC"), match}
	args = append(append(args, fargs...), limit, offset, headlineOptions)
	// The page is chosen first and only its rows get the (costly) headline.
	rows, err := s.queryRows(ctx, s.read, `SELECT `+articleColumns+`, h.snippet,
			starts_with(hit.body, p.plain), right(hit.body, length(p.plain)) = p.plain
		FROM (
			SELECT x.rowid AS id, x.body, q.query, CASE
				WHEN x.document @@ to_tsquery('english', ?) THEN 0
				WHEN x.document @@ to_tsquery('english', ?) THEN 1
				WHEN x.document @@ to_tsquery('english', ?) THEN 2
				ELSE 3 END AS tier, a.published_at
			FROM article_search x JOIN articles a ON a.id = x.rowid,
			     to_tsquery('english', ?) AS q(query)
			WHERE x.document @@ q.query AND `+where+`
			ORDER BY tier, a.published_at DESC, a.id DESC LIMIT ? OFFSET ?
		) hit
		JOIN articles a ON a.id = hit.id LEFT JOIN sections s ON s.id = a.section_id
		CROSS JOIN LATERAL (SELECT ts_headline('english', hit.body, hit.query, ?) AS snippet) h
		CROSS JOIN LATERAL (SELECT replace(replace(h.snippet, chr(2), ''), chr(3), '') AS plain) p
		ORDER BY hit.tier, hit.published_at DESC, a.id DESC`, args...)
	if err != nil {
		return news.SearchResults{}, fmt.Errorf("search %q: %w", query, err)
	}
	defer rows.Close()
	var hits []news.SearchHit
	var list []*news.Article
	for rows.Next() {
		var as articleScan
		var snippet string
		var atStart, atEnd bool
		if err := rows.Scan(append(as.dest(false), &snippet, &atStart, &atEnd)...); err != nil {
			return news.SearchResults{}, fmt.Errorf("search %q: %w", query, err)
		}
		// Mark cut text with an ellipsis, as SQLite's snippet() does.
		if !atStart {
			snippet = "…" + snippet
		}
		if !atEnd {
			snippet += "…"
		}
		a := as.article()
		list = append(list, a)
		hits = append(hits, news.SearchHit{Article: a, Snippet: snippet})
	}
	if err := rows.Err(); err != nil {
		return news.SearchResults{}, fmt.Errorf("search %q: %w", query, err)
	}
	return news.SearchResults{Hits: hits, Total: total}, s.attachAuthors(ctx, list)
}
