package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

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

// minPrefix is the shortest last word that is matched as a prefix: one or
// two letters would expand to a large part of the vocabulary.
const minPrefix = 3

// ftsQuery turns what a reader typed into a safe FTS5 query: every word is
// quoted (so FTS syntax characters are just text), all words must match,
// and the last word matches as a prefix so results appear while typing
// (unless prefix is false).
func ftsQuery(words []string, prefix bool) string {
	quoted := make([]string, len(words))
	for i, w := range words {
		quoted[i] = `"` + w + `"`
	}
	if n := len(words); prefix && n > 0 && utf8.RuneCountInString(words[n-1]) >= minPrefix {
		quoted[n-1] += "*"
	}
	return strings.Join(quoted, " ")
}

// ftsColumns restricts an FTS5 query to some columns.
func ftsColumns(match, columns string) string { return "{" + columns + "} : (" + match + ")" }

// searchFilter is the WHERE clause a search's filters add, over articles a;
// it is the same SQL in both dialects.
func searchFilter(q news.SearchQuery) (string, []any) {
	where := []string{"a.status = 'published'"}
	var args []any
	if q.SectionID != 0 {
		where = append(where, "a.section_id = ?")
		args = append(args, q.SectionID)
	}
	if q.AuthorID != 0 {
		where = append(where, "a.id IN (SELECT article_id FROM article_authors WHERE user_id = ?)")
		args = append(args, q.AuthorID)
	}
	if !q.From.IsZero() {
		where = append(where, "a.published_at >= ?")
		args = append(args, q.From)
	}
	if !q.To.IsZero() {
		where = append(where, "a.published_at < ?")
		args = append(args, q.To)
	}
	return strings.Join(where, " AND "), args
}

// Search finds published articles matching a reader's words and filters,
// with the total for paging. Ranking: articles whose headline has every
// word first, then those whose headline and standfirst together have them,
// then byline and tags, then the body; newest first within each. Words are
// only ever text to the index: no input is query syntax, so every search
// either finds articles or finds none.
func (s *Store) Search(ctx context.Context, q news.SearchQuery) ([]SearchHit, int, error) {
	if q.Limit <= 0 {
		q.Limit = 10
	}
	words := searchWords(q.Text)
	if len(words) == 0 {
		if !q.Filtered() {
			return nil, 0, nil
		}
		return s.browse(ctx, q)
	}
	if s.dialect == postgresDialect {
		return s.searchPostgresQuery(ctx, q)
	}
	// A last word that is already a whole word readers have seen is not
	// expanded: a prefix costs the index a merge of every word it begins,
	// which is what makes broad searches slow.
	last := strings.ToLower(words[len(words)-1])
	whole, err := s.knownWord(ctx, last, false)
	if err != nil {
		return nil, 0, fmt.Errorf("search %q: %w", q.Text, err)
	}
	match := ftsQuery(words, !whole)
	where, fargs := searchFilter(q)
	total, err := s.searchCount(ctx, match, where, fargs, q.Filtered())
	if err != nil {
		return nil, 0, fmt.Errorf("search %q: %w", q.Text, err)
	}
	if total == 0 || q.Offset >= total {
		return nil, total, nil
	}
	// The ranking tiers are disjoint FTS queries, so the page is read tier
	// by tier, newest first within each, from the index alone
	// (articles_visible covers status and date); a first page of a broad
	// search usually needs the headline tier only. Snippets and rows are
	// loaded for the page's articles alone.
	h, hs, all := ftsColumns(match, "headline"), ftsColumns(match, "headline standfirst"), ftsColumns(match, "headline standfirst byline tags")
	tiers := []string{h, "(" + hs + ") NOT (" + h + ")", "(" + all + ") NOT (" + hs + ")", "(" + match + ") NOT (" + all + ")"}
	var ids []int64
	skip, need := q.Offset, q.Limit
	for _, tier := range tiers {
		if need == 0 {
			break
		}
		var matches int
		if err := s.queryRow(ctx, s.read, `SELECT COUNT(*) FROM article_search WHERE article_search MATCH ?`, tier).Scan(&matches); err != nil {
			return nil, 0, fmt.Errorf("search %q: %w", q.Text, err)
		}
		if matches == 0 {
			continue
		}
		if skip > 0 {
			n, err := s.searchCount(ctx, tier, where, fargs, q.Filtered())
			if err != nil {
				return nil, 0, fmt.Errorf("search %q: %w", q.Text, err)
			}
			if skip >= n {
				skip -= n
				continue
			}
		}
		// Newest first by date; in a tier too large to sort on every
		// search, newest first by id (the order articles were written),
		// which the index yields in order and stops reading at the page.
		order := `a.published_at DESC, a.id DESC`
		if matches > sortBelow {
			order = `article_search.rowid DESC`
		}
		rows, err := s.queryRows(ctx, s.read, `SELECT a.id FROM article_search JOIN articles a`+s.visibleIndex()+` ON a.id = article_search.rowid
			WHERE article_search MATCH ? AND `+where+` ORDER BY `+order+` LIMIT `+strconv.Itoa(need)+` OFFSET `+strconv.Itoa(skip),
			append([]any{tier}, fargs...)...)
		if err != nil {
			return nil, 0, fmt.Errorf("search %q: %w", q.Text, err)
		}
		got, err := scanIDs(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("search %q: %w", q.Text, err)
		}
		ids = append(ids, got...)
		need -= len(got)
		skip = 0
	}
	list, err := s.articlesByID(ctx, ids)
	if err != nil {
		return nil, 0, fmt.Errorf("search %q: %w", q.Text, err)
	}
	hits := make([]SearchHit, len(list))
	for i, a := range list {
		hits[i].Article = a
		// A rowid range, not equality: FTS5 seeks its lists only for a range.
		err := s.queryRow(ctx, s.read, `SELECT snippet(article_search, 2, '`+SnippetOpen+`', '`+SnippetClose+`', '…', 24)
			FROM article_search WHERE article_search MATCH ? AND rowid >= ? AND rowid <= ?`, match, a.ID, a.ID).Scan(&hits[i].Snippet)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, 0, fmt.Errorf("search %q: snippet: %w", q.Text, err)
		}
	}
	return hits, total, nil
}

// exactCountBelow is the size under which a search without filters is
// counted exactly. Above it the count comes from the full-text index alone
// and may include a few unpublished articles: reading status for tens of
// thousands of matches would cost more than the rest of the search.
const exactCountBelow = 5000

// sortBelow is the size of a ranking tier above which it is read in id order
// rather than sorted by date.
const sortBelow = 3000

// searchCount counts the published articles matching an FTS query and the
// filters.
func (s *Store) searchCount(ctx context.Context, match, where string, fargs []any, filtered bool) (int, error) {
	var n int
	if !filtered {
		if err := s.queryRow(ctx, s.read, `SELECT COUNT(*) FROM article_search WHERE article_search MATCH ?`, match).Scan(&n); err != nil || n >= exactCountBelow {
			return n, err
		}
	}
	err := s.queryRow(ctx, s.read, `SELECT COUNT(*) FROM article_search JOIN articles a`+s.visibleIndex()+` ON a.id = article_search.rowid
		WHERE article_search MATCH ? AND `+where, append([]any{match}, fargs...)...).Scan(&n)
	return n, err
}

// browse lists what a search's filters select when it has no words, newest
// first; the hits have no snippets.
func (s *Store) browse(ctx context.Context, q news.SearchQuery) ([]SearchHit, int, error) {
	where, args := searchFilter(q)
	var total int
	if err := s.queryRow(ctx, s.read, `SELECT COUNT(*) FROM articles a WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("browse: %w", err)
	}
	rows, err := s.queryRows(ctx, s.read, `SELECT a.id FROM articles a WHERE `+where+`
		ORDER BY a.published_at DESC, a.id DESC LIMIT ? OFFSET ?`, append(args, q.Limit, q.Offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("browse: %w", err)
	}
	ids, err := scanIDs(rows)
	if err != nil {
		return nil, 0, fmt.Errorf("browse: %w", err)
	}
	list, err := s.articlesByID(ctx, ids)
	if err != nil {
		return nil, 0, fmt.Errorf("browse: %w", err)
	}
	hits := make([]SearchHit, len(list))
	for i, a := range list {
		hits[i].Article = a
	}
	return hits, total, nil
}

func scanIDs(rows *sql.Rows) ([]int64, error) {
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

// articlesByID loads listed articles (no bodies) with their bylines, in the
// order of ids.
func (s *Store) articlesByID(ctx context.Context, ids []int64) ([]*news.Article, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := s.queryRows(ctx, s.read, `SELECT `+articleColumns+articleFrom+` WHERE a.id IN (`+placeholders(len(ids))+`)`, args...)
	if err != nil {
		return nil, err
	}
	found, err := s.scanArticles(rows, false)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]*news.Article, len(found))
	for _, a := range found {
		byID[a.ID] = a
	}
	list := make([]*news.Article, 0, len(ids))
	for _, id := range ids {
		if a := byID[id]; a != nil {
			list = append(list, a)
		}
	}
	return list, s.attachAuthors(ctx, list)
}

// Suggest offers a spelling for a search that found little: each word that
// no published headline or standfirst contains is replaced by the closest
// word that one does (one typo in words of up to five letters, two in
// longer ones; the more widely used word wins a tie). The last word, which
// is matched as a prefix, counts as known when some word starts with it.
// It returns "" when it has nothing better to offer.
func (s *Store) Suggest(ctx context.Context, text string) (string, error) {
	if s.dialect != sqliteDialect {
		return "", nil // TODO(postgres): a vocabulary (pg_trgm) of published words
	}
	words := searchWords(text)
	changed := false
	for i, w := range words {
		lw := strings.ToLower(w)
		if !isASCIIWord(lw) || len(lw) < 3 || len(lw) > 30 {
			continue
		}
		last := i == len(words)-1
		known, err := s.knownWord(ctx, lw, last)
		if err != nil {
			return "", err
		}
		if known {
			continue
		}
		better, err := s.closestWord(ctx, lw)
		if err != nil {
			return "", err
		}
		if better != "" {
			words[i], changed = better, true
		}
	}
	if !changed {
		return "", nil
	}
	return strings.Join(words, " "), nil
}

func isASCIIWord(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return false
		}
	}
	return true
}

func (s *Store) knownWord(ctx context.Context, w string, asPrefix bool) (bool, error) {
	hi := w + "\x00"
	if asPrefix {
		hi = w + "\x7f"
	}
	var term string
	err := s.queryRow(ctx, s.read, `SELECT term FROM search_vocab WHERE term >= ? AND term < ? LIMIT 1`, w, hi).Scan(&term)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("suggest %q: %w", w, err)
	}
	return true, nil
}

// closestWord looks among the vocabulary's words with the same first letter
// (typos rarely hit the first one) for the nearest to w.
func (s *Store) closestWord(ctx context.Context, w string) (string, error) {
	maxDist := 1
	if len(w) > 5 {
		maxDist = 2
	}
	rows, err := s.queryRows(ctx, s.read, `SELECT term, doc FROM search_vocab WHERE term >= ? AND term < ?`, w[:1], string(rune(w[0]+1)))
	if err != nil {
		return "", fmt.Errorf("suggest %q: %w", w, err)
	}
	defer rows.Close()
	best, bestDist, bestDocs := "", maxDist+1, 0
	for rows.Next() {
		var term string
		var docs int
		if err := rows.Scan(&term, &docs); err != nil {
			return "", fmt.Errorf("suggest %q: %w", w, err)
		}
		if d := len(term) - len(w); d > maxDist || d < -maxDist {
			continue
		}
		d := editDistance(w, term, maxDist)
		if d < bestDist || (d == bestDist && docs > bestDocs) {
			best, bestDist, bestDocs = term, d, docs
		}
	}
	if err := rows.Err(); err != nil {
		return "", fmt.Errorf("suggest %q: %w", w, err)
	}
	if bestDist > maxDist {
		return "", nil
	}
	return best, nil
}

// editDistance is the optimal-string-alignment distance between two ASCII
// words (insertions, deletions, substitutions and swaps of neighbours each
// cost one), or more than limit as soon as it must be.
func editDistance(a, b string, limit int) int {
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
