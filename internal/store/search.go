package store

import (
	"context"
	"fmt"
	"strings"
	"unicode"

	"masthead/internal/news"
)

// SearchHit is a published article matching a search, with a snippet whose
// matched words are wrapped in SnippetOpen/SnippetClose markers (the caller
// escapes the text and turns the markers into highlighting).
type SearchHit struct {
	Article *news.Article
	Snippet string
}

// Markers the search index puts around matched words in snippets. They are
// control characters no article contains, so escaping cannot confuse them.
const (
	SnippetOpen  = "\x02"
	SnippetClose = "\x03"
)

// ftsQuery turns what a reader typed into a safe FTS5 query: every word is
// quoted (so FTS syntax characters are just text), all words must match,
// and the last word matches as a prefix so results appear while typing.
func ftsQuery(q string) string {
	words := strings.FieldsFunc(q, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	if len(words) > 12 {
		words = words[:12]
	}
	for i, w := range words {
		words[i] = `"` + w + `"`
	}
	if len(words) > 0 {
		words[len(words)-1] += "*"
	}
	return strings.Join(words, " ")
}

// Search finds published articles; headline matches weigh most.
func (s *Store) Search(ctx context.Context, query string, limit, offset int) ([]SearchHit, int, error) {
	match := ftsQuery(query)
	if match == "" {
		return nil, 0, nil
	}
	var total int
	if err := s.queryRow(ctx, s.read, `SELECT COUNT(*) FROM article_search JOIN articles a ON a.id = article_search.rowid
		WHERE article_search MATCH ? AND a.status = 'published'`, match).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("search %q: %w", query, err)
	}
	rows, err := s.queryRows(ctx, s.read, `SELECT `+articleColumns+`,
		snippet(article_search, 2, '`+SnippetOpen+`', '`+SnippetClose+`', '…', 24)
		FROM article_search JOIN articles a ON a.id = article_search.rowid LEFT JOIN sections s ON s.id = a.section_id
		WHERE article_search MATCH ? AND a.status = 'published'
		ORDER BY bm25(article_search, 10.0, 4.0, 1.0, 3.0, 3.0), a.published_at DESC LIMIT ? OFFSET ?`, match, limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("search %q: %w", query, err)
	}
	defer rows.Close()
	var hits []SearchHit
	var list []*news.Article
	for rows.Next() {
		var as articleScan
		var snippet string
		if err := rows.Scan(append(as.dest(false), &snippet)...); err != nil {
			return nil, 0, fmt.Errorf("search %q: %w", query, err)
		}
		a := as.article()
		list = append(list, a)
		hits = append(hits, SearchHit{Article: a, Snippet: snippet})
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("search %q: %w", query, err)
	}
	return hits, total, s.attachAuthors(ctx, list)
}
