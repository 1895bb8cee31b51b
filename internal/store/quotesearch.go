package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"masthead/internal/news"
)

// The quote search (/people?q=): the quotations readers see whose words
// match every word typed, the last as a prefix, or that a person whose
// name matches said. The words come from a full-text index — SQLite's
// quote_search table, PostgreSQL's GIN index over article_quotes' words
// (migrations 0031) — and the speakers from people's names and aliases,
// which are few.
//
// Each quotation is known by its key, article_id * 2^16 + (2^16 - 1 -
// position): in descending order, newest story first (by id, the order
// stories are written) and text order within a story. A search matching
// few quotations is put in the readers' order exactly, by each story's
// publication date; one matching many is read in key order, a page at a
// time, straight from the index, and counted from its newest matches, as
// the article search does (search.go).

// quoteKeyBits is how many low bits of a key hold the position.
const quoteKeyBits = 16

// quoteKeyOf is the key of a story's quotation at a position;
// splitQuoteKey undoes it.
func quoteKeyOf(articleID int64, position int) int64 {
	return articleID<<quoteKeyBits + int64(quotePositions-1-position)
}

func splitQuoteKey(k int64) (articleID int64, position int) {
	return k >> quoteKeyBits, quotePositions - 1 - int(k&(quotePositions-1))
}

// quotePositions is how many positions a story's keys have room for.
const quotePositions = 1 << quoteKeyBits

// quoteKey is a key of article_quotes q, as SQL.
const quoteKey = `(q.article_id * 65536 + 65535 - q.position)`

// quoteSortBelow is the most matches a search may have for all of them to
// be sorted by date (each match reads its story's date).
const quoteSortBelow = 1000

// quoteCountScan is how many of a search's newest matches are counted one
// by one; beyond that the total is extrapolated (searchTotal).
const quoteCountScan = 2000

// maxSpeakers is how many people whose name matches a search have their
// quotations included: a fragment of a name ("an") matches many.
const maxSpeakers = 50

// A quoteSide is one source of a search's matches: the words (the
// full-text index), or one speaker's quotations (an index by person). Its
// keys are read in descending order from its own index, so a page or the
// newest matches read only as many entries. (Not PostgreSQL's words: a GIN
// index has no order, so every match is found and the newest kept; an
// index walk in story order checking each quote's words was tried, and
// PostgreSQL took it for a word no quote has: every row, 1.7 s at 20,000
// stories.)
type quoteSide struct {
	from  string // FROM ... WHERE ...
	key   string // the key, as SQL over from
	order string // ORDER BY that is the key's, descending
	args  []any
}

// newest is a side's first n keys, newest first; with published, only
// those of stories readers see.
func (d quoteSide) newest(n int, published bool) string {
	where := ""
	if published {
		// Unpublished stories are few (drafts, scheduled ones), so checking
		// matches against them is cheaper than reading each match's story.
		where = ` AND (` + d.key + `) >> ` + strconv.Itoa(quoteKeyBits) + ` NOT IN (` + unpublishedIDs + `)`
	}
	return `SELECT ` + d.key + ` AS k FROM ` + d.from + where + ` ORDER BY ` + d.order + ` LIMIT ` + strconv.Itoa(n)
}

// SearchQuotes finds the quotations readers see whose words match text
// (every word, the last as a prefix; any case), or whose speaker's name or
// alias contains it: newest story first, in text order within a story,
// and how many there are (estimated when many).
func (s *Store) SearchQuotes(ctx context.Context, text string, limit, offset int) (news.QuoteResults, error) {
	res, err := s.searchQuotes(ctx, text, limit, offset)
	if err != nil {
		return news.QuoteResults{}, fmt.Errorf("search quotes %q: %w", text, err)
	}
	return res, nil
}

func (s *Store) searchQuotes(ctx context.Context, text string, limit, offset int) (news.QuoteResults, error) {
	words := searchWords(text)
	if len(words) == 0 || limit <= 0 {
		return news.QuoteResults{}, nil
	}
	var sides []quoteSide
	if s.dialect.sqlite() {
		match, err := s.quoteMatch(ctx, words)
		if err != nil {
			return news.QuoteResults{}, err
		}
		sides = append(sides, quoteSide{from: `quote_search WHERE quote_search MATCH ?`, key: `quote_search.rowid`,
			order: `quote_search.rowid DESC`, args: []any{match}})
	} else {
		// The expression and the condition of the index (postgres/0031).
		sides = append(sides, quoteSide{from: `article_quotes q WHERE to_tsvector('simple', q.text) @@ to_tsquery('simple', ?)
			AND q.status <> 'dismissed'`, key: quoteKey, order: quoteKey + ` DESC`, args: []any{strings.ToLower(tsQuery(words, ""))}})
	}
	speakers, err := s.speakersNamed(ctx, text)
	if err != nil {
		return news.QuoteResults{}, err
	}
	for _, id := range speakers {
		// In the order of the index article_quotes_person (0031).
		sides = append(sides, quoteSide{from: `article_quotes q WHERE q.person_id = ? AND q.status <> 'dismissed' AND q.position < 65536`,
			key: quoteKey, order: `q.article_id DESC, q.position`, args: []any{id}})
	}

	counts, err := s.quoteCounts(ctx, sides)
	if err != nil {
		return news.QuoteResults{}, err
	}
	var res news.QuoteResults
	few, nonEmpty := true, 0
	for _, c := range counts {
		res.Total += c.n
		res.About = res.About || c.about
		few = few && !c.about
		if c.n > 0 {
			nonEmpty++
		}
	}
	var keys []int64
	if few && res.Total <= quoteSortBelow {
		keys, res.Total, err = s.sortedQuoteKeys(ctx, sides, limit, offset)
	} else {
		var dups int
		keys, dups, err = s.quoteKeysByKey(ctx, sides, limit, offset)
		// The words and a speaker may both find a quotation; those among
		// the keys read are known, others may be counted twice.
		res.Total -= dups
		res.About = res.About || nonEmpty > 1 && counts[0].n > 0
		res.Total = max(res.Total, offset+len(keys))
		if res.About && len(keys) == limit && res.Total == offset+limit {
			res.Total++ // the estimate fell short of a full page: there may be more
		}
	}
	if err != nil {
		return news.QuoteResults{}, err
	}
	res.Quotes, err = s.quotesByKey(ctx, keys)
	return res, err
}

// quoteMatch is matchWords for the quotations: a last word quotations
// have is taken whole, as one headlines have is. Its completions come from
// the headlines' words; a prefix query (the last resort) merges the lists
// of every word it begins, which for a word as common in quotations as
// "have" read them all (5 ms at 20,000 stories).
func (s *Store) quoteMatch(ctx context.Context, words []string) (string, error) {
	last := strings.ToLower(words[len(words)-1])
	if utf8.RuneCountInString(last) >= minPrefix {
		err := s.queryRow(ctx, s.read, `SELECT 1 FROM quote_search WHERE quote_search MATCH ? LIMIT 1`, `"`+last+`"`).Scan(new(int))
		switch {
		case err == nil:
			quoted := make([]string, len(words))
			for i, w := range words {
				quoted[i] = `"` + w + `"`
			}
			return strings.Join(quoted, " AND "), nil
		case !errors.Is(err, sql.ErrNoRows):
			return "", err
		}
	}
	return s.matchWords(ctx, words)
}

// A quoteCount is how many matches readers see a side has: exact, or
// estimated from the newest of them.
type quoteCount struct {
	n     int
	about bool
}

// quoteCounts counts each side's matches, in one statement: exactly when
// they are few, otherwise from the newest of them (quoteCountScan in all),
// in proportion to the part of the archive's story ids they span.
func (s *Store) quoteCounts(ctx context.Context, sides []quoteSide) ([]quoteCount, error) {
	lo, hi, err := s.articleIDRange(ctx)
	if err != nil {
		return nil, err
	}
	scan := make([]int, len(sides))
	parts := make([]string, len(sides))
	var args []any
	for i, d := range sides {
		scan[i] = quoteCountScan
		if i > 0 { // a speaker: they share the scan
			scan[i] = max(quoteCountScan/len(sides), 100)
		}
		parts[i] = `SELECT ` + strconv.Itoa(i) + ` AS i, k FROM (` + d.newest(scan[i], false) + `) m` + strconv.Itoa(i)
		args = append(args, d.args...)
	}
	bits := strconv.Itoa(quoteKeyBits)
	rows, err := s.queryRows(ctx, s.read, `SELECT i, COUNT(*), MIN(k), SUM(CASE WHEN k >> `+bits+` NOT IN (`+unpublishedIDs+`) THEN 1 ELSE 0 END)
		FROM (`+strings.Join(parts, ` UNION ALL `)+`) m GROUP BY i`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make([]quoteCount, len(sides))
	for rows.Next() {
		var i, scanned, passed int
		var oldest int64
		if err := rows.Scan(&i, &scanned, &oldest, &passed); err != nil {
			return nil, err
		}
		out[i].n = passed
		if scanned >= scan[i] {
			span := float64(hi - oldest>>quoteKeyBits + 1)
			out[i] = quoteCount{n: int(float64(passed) * float64(hi-lo+1) / span), about: true}
		}
	}
	return out, rows.Err()
}

// speakersNamed lists the people (not merged into another) a name or alias
// of whom contains text.
func (s *Store) speakersNamed(ctx context.Context, text string) ([]int64, error) {
	if news.NameKey(text) == "" {
		return nil, nil
	}
	where, args := peopleWhere(news.PeopleFilter{Query: text})
	rows, err := s.queryRows(ctx, s.read, `SELECT p.id FROM people p WHERE `+where+` ORDER BY p.id LIMIT `+strconv.Itoa(maxSpeakers), args...)
	if err != nil {
		return nil, fmt.Errorf("speakers: %w", err)
	}
	return scanIDs(rows)
}

// sortedQuoteKeys puts every match of a search with few in the readers'
// order, by their stories' dates: the page's keys and how many there are.
func (s *Store) sortedQuoteKeys(ctx context.Context, sides []quoteSide, limit, offset int) ([]int64, int, error) {
	var union []string
	var args []any
	for _, d := range sides {
		union = append(union, `SELECT `+d.key+` AS k FROM `+d.from)
		args = append(args, d.args...)
	}
	rows, err := s.queryRows(ctx, s.read, `SELECT m.k FROM (`+strings.Join(union, ` UNION `)+`) m
		JOIN articles a ON a.id = m.k >> `+strconv.Itoa(quoteKeyBits)+`
		WHERE a.status = 'published'
		ORDER BY COALESCE(a.published_at, a.created_at) DESC, a.id DESC, m.k DESC`, args...)
	if err != nil {
		return nil, 0, err
	}
	all, err := scanIDs(rows)
	if err != nil {
		return nil, 0, err
	}
	if offset >= len(all) {
		return nil, len(all), nil
	}
	return all[offset:min(offset+limit, len(all))], len(all), nil
}

// quoteKeysByKey reads a page of a search with many matches in key order:
// each side's first offset+limit keys, merged, in one statement. dups is
// how many of the keys read more than one side found.
func (s *Store) quoteKeysByKey(ctx context.Context, sides []quoteSide, limit, offset int) (page []int64, dups int, err error) {
	parts := make([]string, len(sides))
	var args []any
	for i, d := range sides {
		parts[i] = `SELECT k FROM (` + d.newest(offset+limit, true) + `) m` + strconv.Itoa(i)
		args = append(args, d.args...)
	}
	rows, err := s.queryRows(ctx, s.read, strings.Join(parts, ` UNION ALL `), args...)
	if err != nil {
		return nil, 0, err
	}
	keys, err := scanIDs(rows)
	if err != nil {
		return nil, 0, err
	}
	slices.SortFunc(keys, func(a, b int64) int { return cmp.Compare(b, a) }) // newest first
	n := len(keys)
	keys = slices.Compact(keys)
	dups = n - len(keys)
	if offset >= len(keys) {
		return nil, dups, nil
	}
	return keys[offset:min(offset+limit, len(keys))], dups, nil
}

// articleIDRange is the smallest and largest article id.
func (s *Store) articleIDRange(ctx context.Context) (int64, int64, error) {
	var lo, hi sql.NullInt64
	// Two subqueries: SQLite reads MIN or MAX from the index only when it
	// is a query's one aggregate.
	err := s.queryRow(ctx, s.read, `SELECT (SELECT MIN(id) FROM articles), (SELECT MAX(id) FROM articles)`).Scan(&lo, &hi)
	return lo.Int64, hi.Int64, err
}

// quotesByKey loads the quotations with these keys, in their order, with
// their speakers and stories; any no longer there, or no longer seen by
// readers, are left out.
func (s *Store) quotesByKey(ctx context.Context, keys []int64) ([]news.Quote, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	conds := make([]string, len(keys))
	args := make([]any, 0, 2*len(keys))
	for i, k := range keys {
		conds[i] = `(q.article_id = ? AND q.position = ?)`
		articleID, position := splitQuoteKey(k)
		args = append(args, articleID, position)
	}
	rows, err := s.queryRows(ctx, s.read, `SELECT `+listedQuoteColumns+quoteFrom+`
		JOIN articles a ON a.id = q.article_id
		WHERE (`+strings.Join(conds, ` OR `)+`) AND `+publicQuotes, args...)
	if err != nil {
		return nil, err
	}
	found, err := scanListedQuotes(rows)
	if err != nil {
		return nil, err
	}
	at := make(map[int64]int, len(keys))
	for i, k := range keys {
		at[k] = i
	}
	slices.SortFunc(found, func(a, b news.Quote) int {
		return at[quoteKeyOf(a.ArticleID, a.Position)] - at[quoteKeyOf(b.ArticleID, b.Position)]
	})
	return found, nil
}
