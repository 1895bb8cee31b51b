package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"masthead/internal/news"
)

// Markers the search index puts around matched words in snippets. They are
// control characters no article contains, so escaping cannot confuse them.
const (
	SnippetOpen  = "\x02"
	SnippetClose = "\x03"
)

// minPrefix is the shortest last word that is matched as a prefix: one or
// two letters would expand to a large part of the vocabulary.
const minPrefix = 3

// maxCompletions is how many words a word being typed stands for.
const maxCompletions = 8

// matchWords turns what a reader typed into a safe FTS5 query: every word
// is quoted (so FTS syntax characters are just text) and all must match.
// The last word, unless it is a whole word readers have seen, is being
// typed, so results appear while typing: it stands for itself and the
// words it begins that published headlines and standfirsts use most, or,
// when it begins none, for every word in the index that it begins. (FTS5
// answers a prefix by merging the lists of every word it begins: "cou"
// took half a second.)
func (s *Store) matchWords(ctx context.Context, words []string) (string, error) {
	quoted := make([]string, len(words))
	for i, w := range words {
		quoted[i] = `"` + w + `"`
	}
	n := len(words)
	last := strings.ToLower(words[n-1])
	// FTS5 takes an implicit AND between phrases, not before parentheses.
	and := func() string { return strings.Join(quoted, " AND ") }
	if utf8.RuneCountInString(last) < minPrefix {
		return and(), nil
	}
	whole, err := s.knownWord(ctx, last, false)
	if err != nil || whole {
		return and(), err
	}
	completions, err := s.completions(ctx, last)
	if err != nil {
		return "", err
	}
	if len(completions) == 0 {
		quoted[n-1] += "*"
	} else {
		// The word itself too: bodies have words no headline has.
		quoted[n-1] = `(` + quoted[n-1] + ` OR "` + strings.Join(completions, `" OR "`) + `")`
	}
	return and(), nil
}

// completions are the words readers have seen that begin with w, the most
// used first. On SQLite they are kept while the vocabulary stays as it
// was: search_vocab counts every headline each such word is in to rank
// them (44,000 for "cou" at 200,000 stories, 1.1 ms; five times that at a
// million).
func (s *Store) completions(ctx context.Context, w string) ([]string, error) {
	var version []byte
	if s.completed != nil && s.tx == nil {
		// Read first, so that what is kept is never older than its version.
		err := s.queryRow(ctx, s.read, `SELECT block FROM search_words_data WHERE id = 10`).Scan(&version)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("complete %q: %w", w, err)
		}
		if out, ok := s.completed.get(version, w); ok {
			return out, nil
		}
	}
	out, err := s.rankCompletions(ctx, w)
	if err == nil && version != nil {
		s.completed.put(version, w, out)
	}
	return out, err
}

// completionCache keeps completions by the word they complete, for one
// version of search_words: the FTS5 structure record (the row with id 10
// of search_words_data), which every write to the index changes.
type completionCache struct {
	mu      sync.Mutex
	version []byte
	terms   map[string][]string
}

// maxCompleted is how many words' completions are kept at most.
const maxCompleted = 4096

func (c *completionCache) get(version []byte, w string) ([]string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !bytes.Equal(c.version, version) {
		return nil, false
	}
	out, ok := c.terms[w]
	return out, ok
}

func (c *completionCache) put(version []byte, w string, out []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !bytes.Equal(c.version, version) || len(c.terms) >= maxCompleted {
		c.version, c.terms = version, make(map[string][]string)
	}
	c.terms[w] = out
}

// rankCompletions reads completions from the vocabulary.
func (s *Store) rankCompletions(ctx context.Context, w string) ([]string, error) {
	rows, err := s.queryRows(ctx, s.read, `SELECT term, doc FROM search_vocab WHERE term > ? AND term < ?`, w, w+"\U0010FFFF")
	if err != nil {
		return nil, fmt.Errorf("complete %q: %w", w, err)
	}
	defer rows.Close()
	type use struct {
		term string
		docs int
	}
	var found []use
	for rows.Next() {
		var u use
		if err := rows.Scan(&u.term, &u.docs); err != nil {
			return nil, fmt.Errorf("complete %q: %w", w, err)
		}
		found = append(found, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("complete %q: %w", w, err)
	}
	slices.SortStableFunc(found, func(a, b use) int { return b.docs - a.docs })
	var out []string
	for _, u := range found[:min(len(found), maxCompletions)] {
		out = append(out, u.term)
	}
	return out, nil
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

// Search finds published articles matching a reader's words and
// filters, with the total for paging. Ranking: articles whose headline has
// every word first, then those whose headline and standfirst together have
// them, then byline and tags, then the body; newest first within each.
// Words are only ever text to the index: no input is query syntax, so
// every search either finds articles or finds none.
func (s *Store) Search(ctx context.Context, q news.SearchQuery) (news.SearchResults, error) {
	if q.Limit <= 0 {
		q.Limit = 10
	}
	words := searchWords(q.Text)
	if len(words) == 0 {
		if !q.Filtered() {
			return news.SearchResults{}, nil
		}
		return s.browse(ctx, q)
	}
	if !s.dialect.sqlite() {
		return s.searchPostgres(ctx, q, words)
	}
	res, err := s.searchSQLite(ctx, q, words)
	if err != nil {
		return news.SearchResults{}, fmt.Errorf("search %q: %w", q.Text, err)
	}
	return res, nil
}

// searchSQLite reads the page tier by tier, stopping as soon as it is
// full; a search whose page comes up short has its exact total from that
// alone, and only a full page costs a count.
func (s *Store) searchSQLite(ctx context.Context, q news.SearchQuery, words []string) (news.SearchResults, error) {
	match, err := s.matchWords(ctx, words)
	if err != nil {
		return news.SearchResults{}, err
	}
	var lo, hi sql.NullInt64
	// Two subqueries: SQLite reads MIN or MAX from the index only when it
	// is a query's one aggregate.
	if err := s.queryRow(ctx, s.read, `SELECT (SELECT MIN(id) FROM articles), (SELECT MAX(id) FROM articles)`).Scan(&lo, &hi); err != nil {
		return news.SearchResults{}, err
	}
	tiers := searchTiers(match, hi.Int64 <= headsIDMask)
	ids, counted, full, err := s.searchPage(ctx, tiers, q, hi.Int64-lo.Int64+1, len(words) > 1)
	if err != nil {
		return news.SearchResults{}, err
	}
	res := news.SearchResults{Total: counted + len(ids)}
	if full {
		n, about, err := s.searchTotal(ctx, match, q, lo.Int64, hi.Int64)
		if err != nil {
			return news.SearchResults{}, err
		}
		res.Total, res.About = max(n, res.Total), about
		if about && res.Total == q.Offset+len(ids) {
			res.Total++ // the estimate fell short of a full page: there may be more
		}
	}
	if len(ids) == 0 {
		return res, nil
	}
	list, err := s.articlesByID(ctx, ids)
	if err != nil {
		return news.SearchResults{}, err
	}
	snippets, err := s.snippets(ctx, match, ids)
	if err != nil {
		return news.SearchResults{}, err
	}
	res.Hits = make([]news.SearchHit, len(list))
	for i, a := range list {
		res.Hits[i] = news.SearchHit{Article: a, Snippet: snippets[a.ID]}
	}
	return res, nil
}

// snippets are the page's body snippets, by article id, made from the
// bodies (snippet.go): the index keeps no copy of them.
func (s *Store) snippets(ctx context.Context, match string, ids []int64) (map[int64]string, error) {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := s.queryRows(ctx, s.read, `SELECT id, body_html FROM articles WHERE id IN (`+placeholders(len(ids))+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("snippet: %w", err)
	}
	defer rows.Close()
	terms := matchTerms(match)
	out := make(map[int64]string, len(ids))
	for rows.Next() {
		var id int64
		bodyHTML := packedText{p: s.packer}
		if err := rows.Scan(&id, &bodyHTML); err != nil {
			return nil, fmt.Errorf("snippet: %w", err)
		}
		out[id] = makeSnippet(htmlText(bodyHTML.text), terms)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("snippet: %w", err)
	}
	return out, nil
}

// A searchTier is one rank of results: an FTS5 query over search_heads
// (published headlines and standfirsts) or search_lines (those with their
// bylines and tags), both keyed newest first, or over article_search
// (every article's text, keyed by id).
type searchTier struct {
	match string
	index string // search_heads or search_lines; "": article_search
	// alone is the tier's query when every tier before it is empty: the
	// matches of its columns, with no earlier tier to set aside.
	alone string
}

// searchTiers are the ranking tiers of an FTS5 query. They are disjoint,
// so each result is in exactly one. search_heads holds the first two and
// search_lines the third when every article id fits their keys (see
// migrations/sqlite/0010 and 0040).
func searchTiers(match string, keyed bool) []searchTier {
	h, hs, all := ftsColumns(match, "headline"), ftsColumns(match, "headline standfirst"), ftsColumns(match, "headline standfirst byline tags")
	heads, lines := "", ""
	if keyed {
		heads, lines = "search_heads", "search_lines"
	}
	return []searchTier{
		{h, heads, h},
		{"(" + hs + ") NOT (" + h + ")", heads, hs},
		{"(" + all + ") NOT (" + hs + ")", lines, all},
		{"(" + match + ") NOT (" + all + ")", "", match},
	}
}

// searchPage reads the ids of a page of results, tier after tier. counted
// is the number of results ranked before them (q.Offset, or all there are
// when the page is past the end); full says the page was filled, so more
// may follow.
//
// A tier after only empty ones (among the published stories the filters
// allow) is read alone, without setting the earlier ones aside: two words
// that are each common but seldom meet in a headline ("school budget")
// otherwise have every tier test their long lists twice.
//
// The two headline tiers of several words are first asked together
// whether they hold anything (the second's words alone cover the
// first's): when they do not, one pass over the words' lists in
// search_heads instead of two. One word missing from headlines has a
// short list there, and asking costs more than it saves.
func (s *Store) searchPage(ctx context.Context, tiers []searchTier, q news.SearchQuery, stories int64, words bool) (ids []int64, counted int, full bool, err error) {
	nonePast := 0 // tiers before this one are empty
	if words && tiers[0].index != "" && tiers[1].index == tiers[0].index {
		n, err := s.tierCount(ctx, searchTier{match: tiers[1].alone, index: tiers[1].index}, q, 1)
		if err != nil {
			return nil, 0, false, err
		}
		if n == 0 {
			nonePast = 2
		}
	}
	tier := func(i int) searchTier {
		t := tiers[i]
		if nonePast >= i {
			t.match = t.alone
		}
		return t
	}
	ids, counted, err = pageTiers(len(tiers), q.Offset, q.Limit,
		func(i, most int) (int, error) {
			if nonePast > i {
				return 0, nil // known empty
			}
			n, err := s.tierCount(ctx, tier(i), q, most)
			if n == 0 && nonePast == i {
				nonePast++
			}
			return n, err
		},
		func(i, skip, need int) ([]int64, error) {
			if nonePast > i {
				return nil, nil
			}
			t := tier(i)
			var got []int64
			var err error
			if t.index != "" {
				got, err = s.headsTierPage(ctx, t.index, t.match, q, skip, need)
			} else {
				got, err = s.searchTierPage(ctx, t.match, q, skip, need, stories)
			}
			if len(got) == 0 && skip == 0 && nonePast == i {
				nonePast++
			}
			return got, err
		})
	return ids, counted, err == nil && len(ids) == q.Limit, err
}

// pageTiers reads the page of limit results after offset from ranked
// tiers of matches, in order: count(i, most) counts tier i's matches up to
// most (a later page only needs to know whether it starts past the tier),
// page(i, skip, need) reads need ids after skip of it. counted is the
// number of results before the page's: offset, or fewer past the end.
func pageTiers(tiers, offset, limit int, count func(i, most int) (int, error), page func(i, skip, need int) ([]int64, error)) (ids []int64, counted int, err error) {
	skip, need := offset, limit
	for i := 0; i < tiers && need > 0; i++ {
		if skip > 0 {
			n, err := count(i, skip+1)
			if err != nil {
				return nil, 0, err
			}
			if skip >= n {
				skip -= n
				counted += n
				continue
			}
		}
		got, err := page(i, skip, need)
		if err != nil {
			return nil, 0, err
		}
		ids = append(ids, got...)
		counted += skip
		need -= len(got)
		skip = 0
	}
	return ids, counted, nil
}

// Keys of search_heads: unixepoch(published_at) * 2^headsIDBits + id, the
// seconds clamped so the key fits (migrations/sqlite/0010_search_heads.sql).
const (
	headsIDBits = 26
	headsIDMask = 1<<headsIDBits - 1
	headsMaxSec = 1<<36 - 1
	headsMinSec = -1 << 36
)

// headsKey is the smallest key of an article published at t or later in
// the same second.
func headsKey(t time.Time) int64 {
	return min(max(t.Unix(), headsMinSec), headsMaxSec) << headsIDBits
}

// headsFilter is a search's filters over index, search_heads or
// search_lines: its rows are all published, and a date range is a key
// range. Section and author need the article; so does a bound that is not
// a whole second.
func headsFilter(index string, q news.SearchQuery) (join, where string, args []any) {
	var conds []string
	exact := q.From.Nanosecond() != 0 || q.To.Nanosecond() != 0
	if !q.From.IsZero() {
		conds = append(conds, index+".rowid >= ?")
		args = append(args, headsKey(q.From))
	}
	if !q.To.IsZero() {
		conds = append(conds, index+".rowid < ?")
		args = append(args, headsKey(q.To)+boolInt(q.To.Nanosecond() != 0)<<headsIDBits)
	}
	if q.SectionID != 0 || q.AuthorID != 0 || exact {
		join = ` JOIN articles a INDEXED BY articles_visible ON a.id = (` + index + `.rowid & ` + strconv.Itoa(headsIDMask) + `)`
		w, wargs := searchFilter(q)
		conds = append(conds, w)
		args = append(args, wargs...)
	}
	for _, c := range conds {
		where += " AND " + c
	}
	return join, where, args
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// headsTierPage reads a page of a tier of index (search_heads or
// search_lines): its key order is the ranking's, newest first, so the
// index stops reading at the page.
func (s *Store) headsTierPage(ctx context.Context, index, match string, q news.SearchQuery, skip, need int) ([]int64, error) {
	join, where, args := headsFilter(index, q)
	rows, err := s.queryRows(ctx, s.read, `SELECT `+index+`.rowid & `+strconv.Itoa(headsIDMask)+` FROM `+index+join+`
		WHERE `+index+` MATCH ?`+where+` ORDER BY `+index+`.rowid DESC LIMIT `+strconv.Itoa(need)+` OFFSET `+strconv.Itoa(skip),
		append([]any{match}, args...)...)
	if err != nil {
		return nil, err
	}
	return scanIDs(rows)
}

// searchTierPage reads a page of a tier of article_search, newest first:
// the body's, or any when ids outgrow the keyed indexes. A tier too large to sort on every search is read newest first by id
// (the order articles were written), which the index yields in order and
// stops reading at the page; the tiers here (byline and tags, body) are
// large only for words common in bodies. A smaller tier is read from the
// index once (joining the index again meant a second pass over the words'
// lists), its ids then put in date order: by walking the newest published
// stories until the page's matches are among them, when that is likely
// to be short (walkFor), else from each match's date in the articles'
// index, a page read apiece (636 matches of "school budget" among
// 200,000 stories: 3.6 ms looked up, 0.6 walked for the first page).
func (s *Store) searchTierPage(ctx context.Context, match string, q news.SearchQuery, skip, need int, stories int64) ([]int64, error) {
	rows, err := s.queryRows(ctx, s.read, `SELECT rowid FROM article_search WHERE article_search MATCH ?
		ORDER BY rowid DESC LIMIT `+strconv.Itoa(sortBelow+1), match)
	if err != nil {
		return nil, err
	}
	matches, err := scanIDs(rows)
	if err != nil || len(matches) == 0 {
		return nil, err
	}
	if len(matches) <= sortBelow && !q.Filtered() {
		if walk := s.walkFor(len(matches), skip+need, stories); walk > 0 {
			// Newest first through the published stories' index, until
			// the page's matches are passed; each step costs a fiftieth
			// of looking one match's date up. A window that held too few
			// of them falls through to the lookups.
			rows, err := s.queryRows(ctx, s.read, `SELECT w.id FROM (SELECT id, published_at FROM articles INDEXED BY articles_status_published
				WHERE status = 'published' ORDER BY published_at DESC, id DESC LIMIT `+strconv.Itoa(walk)+`) w
				WHERE w.id IN (SELECT value FROM json_each(?)) ORDER BY w.published_at DESC, w.id DESC LIMIT `+strconv.Itoa(need)+` OFFSET `+strconv.Itoa(skip),
				jsonIDs(matches))
			if err != nil {
				return nil, err
			}
			got, err := scanIDs(rows)
			if err != nil || len(got) == need {
				return got, err
			}
		}
	}
	where, args := searchFilter(q)
	if len(matches) > sortBelow {
		rows, err = s.queryRows(ctx, s.read, `SELECT a.id FROM article_search JOIN articles a`+s.visibleIndex()+` ON a.id = article_search.rowid
			WHERE article_search MATCH ? AND `+where+` ORDER BY article_search.rowid DESC LIMIT `+strconv.Itoa(need)+` OFFSET `+strconv.Itoa(skip),
			append([]any{match}, args...)...)
	} else {
		rows, err = s.queryRows(ctx, s.read, `SELECT a.id FROM json_each(?) m CROSS JOIN articles a`+s.visibleIndex()+` ON a.id = m.value
			WHERE `+where+` ORDER BY a.published_at DESC, a.id DESC LIMIT `+strconv.Itoa(need)+` OFFSET `+strconv.Itoa(skip),
			append([]any{jsonIDs(matches)}, args...)...)
	}
	if err != nil {
		return nil, err
	}
	return scanIDs(rows)
}

// jsonIDs is a JSON array of ids, for json_each.
func jsonIDs(ids []int64) string {
	b := make([]byte, 0, 8*len(ids)+2)
	b = append(b, '[')
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, id, 10)
	}
	return string(append(b, ']'))
}

// tierCount counts a tier's results exactly, for skipping it on later
// pages.
// tierCount counts a tier's matches, up to most: a later page only needs
// to know whether it starts past the tier ("the" is in a third of a
// million headlines, 0.1 s to count them all).
func (s *Store) tierCount(ctx context.Context, t searchTier, q news.SearchQuery, most int) (int, error) {
	var query string
	var args []any
	switch {
	case t.index != "":
		join, where, filter := headsFilter(t.index, q)
		query, args = `SELECT 1 FROM `+t.index+join+` WHERE `+t.index+` MATCH ?`+where, append([]any{t.match}, filter...)
	case !q.Filtered():
		query, args = `SELECT 1 FROM article_search WHERE article_search MATCH ? AND rowid NOT IN (`+unpublishedIDs+`)`, []any{t.match}
	default:
		where, filter := searchFilter(q)
		query = `SELECT 1 FROM article_search JOIN articles a` + s.visibleIndex() + ` ON a.id = article_search.rowid
			WHERE article_search MATCH ? AND ` + where
		args = append([]any{t.match}, filter...)
	}
	var n int
	err := s.queryRow(ctx, s.read, `SELECT COUNT(*) FROM (`+query+` LIMIT ?) m`, append(args, most)...).Scan(&n)
	return n, err
}

// unpublishedIDs lists the articles search must not show. They are few
// (drafts, scheduled stories), so checking matches against this list is
// much cheaper than reading each match's status.
const unpublishedIDs = `SELECT id FROM articles WHERE status < 'published' UNION ALL SELECT id FROM articles WHERE status > 'published'`

// countScan is how many of a search's newest matches are counted one by
// one; beyond that the total is extrapolated. Counting 76,000 matches
// exactly took longer than the rest of the search; reading 5,000 of "the
// city" at a million stories, half of it (2,000: the same estimates).
const (
	countScan         = 2000
	countScanFiltered = 2000 // each match's row is read to check filters
)

// A search's total is first counted among the newest 1/countWindows of
// the archive's ids, and estimated from them when they hold at least
// enoughToEstimate matches (the estimate is then within about 7%, less
// any change in how often the words meet over the years).
const (
	countWindows     = 16
	enoughToEstimate = 200
)

// walkFor is how many of the newest published stories to walk for the
// first upto matches of a tier of n, out of about stories in all, or 0
// when looking the n dates up costs less. Matches are assumed spread
// evenly over the stories; the walk covers twice the expected distance,
// rounded up to a power of two (each length is a statement of its own).
// Measured at 200,000 stories: a step 0.1 µs, a date looked up ~5 µs.
func (s *Store) walkFor(n, upto int, stories int64) int {
	if s.searchWalk != 0 {
		return max(s.searchWalk, 0)
	}
	if n == 0 || stories <= 0 {
		return 0
	}
	expect := int64(upto) * stories / int64(n)
	if expect > int64(n)*walkPerLookup/2 {
		return 0
	}
	walk := 1024
	for int64(walk) < 2*expect {
		walk *= 2
	}
	return walk
}

// walkPerLookup is how many stories a walk steps over in the time it takes
// to look one match's date up.
const walkPerLookup = 50

// sortBelow is the size of a tier of article_search above which it is read
// in id order rather than sorted by date.
const sortBelow = 3000

// searchTotal counts a search's results. Without filters, its matches
// among the newest sixteenth of the archive's ids (lo and hi are the
// smallest and largest) are counted first, and enough of them
// (enoughToEstimate) are extrapolated to the whole span: a search whose
// words are each common but seldom meet has to read their long lists to
// the end to be counted exactly ("school budget": 3,320 matches among a
// million stories, 6 ms; 0.4 ms for its newest sixteenth). Fewer are
// counted over every id, exactly. Either way at most countScan matches are
// read, and a window that holds more is extrapolated from the span of
// those, newest first. With filters each match's row is read, so at most
// countScanFiltered of the newest are.
func (s *Store) searchTotal(ctx context.Context, match string, q news.SearchQuery, lo, hi int64) (int, bool, error) {
	var scanned, passed int
	var oldest sql.NullInt64
	if !q.Filtered() {
		for after := hi - (hi-lo+1)/countWindows; ; after = lo - 1 {
			if err := s.queryRow(ctx, s.read, `SELECT COUNT(*), MIN(m.rowid), COALESCE(SUM(m.rowid NOT IN (`+unpublishedIDs+`)), 0)
				FROM (SELECT rowid FROM article_search WHERE article_search MATCH ? AND rowid > ? ORDER BY rowid DESC LIMIT `+strconv.Itoa(countScan)+`) m`,
				match, after).Scan(&scanned, &oldest, &passed); err != nil {
				return 0, false, err
			}
			switch {
			case scanned == countScan:
				// Extrapolated from the span the newest countScan cover.
			case after < lo:
				return passed, false, nil
			case passed >= enoughToEstimate:
				return int(float64(passed) * float64(hi-lo+1) / float64(hi-after)), true, nil
			default:
				continue
			}
			break
		}
	} else {
		where, args := searchFilter(q)
		if err := s.queryRow(ctx, s.read, `SELECT COUNT(*), MIN(m.rowid), COUNT(a.id)
			FROM (SELECT rowid FROM article_search WHERE article_search MATCH ? ORDER BY rowid DESC LIMIT `+strconv.Itoa(countScanFiltered)+`) m
			LEFT JOIN articles a`+s.visibleIndex()+` ON a.id = m.rowid AND `+where,
			append([]any{match}, args...)...).Scan(&scanned, &oldest, &passed); err != nil {
			return 0, false, err
		}
		if scanned < countScanFiltered {
			return passed, false, nil
		}
	}
	span := float64(hi - oldest.Int64 + 1)
	return int(float64(passed) * float64(hi-lo+1) / span), true, nil
}

// browse lists what a search's filters select when it has no words, newest
// first; the hits have no snippets.
func (s *Store) browse(ctx context.Context, q news.SearchQuery) (news.SearchResults, error) {
	where, args := searchFilter(q)
	var res news.SearchResults
	if err := s.queryRow(ctx, s.read, `SELECT COUNT(*) FROM articles a WHERE `+where, args...).Scan(&res.Total); err != nil {
		return news.SearchResults{}, fmt.Errorf("browse: %w", err)
	}
	rows, err := s.queryRows(ctx, s.read, `SELECT a.id FROM articles a WHERE `+where+`
		ORDER BY a.published_at DESC, a.id DESC LIMIT ? OFFSET ?`, append(args, q.Limit, q.Offset)...)
	if err != nil {
		return news.SearchResults{}, fmt.Errorf("browse: %w", err)
	}
	ids, err := scanIDs(rows)
	if err != nil {
		return news.SearchResults{}, fmt.Errorf("browse: %w", err)
	}
	list, err := s.articlesByID(ctx, ids)
	if err != nil {
		return news.SearchResults{}, fmt.Errorf("browse: %w", err)
	}
	res.Hits = make([]news.SearchHit, len(list))
	for i, a := range list {
		res.Hits[i].Article = a
	}
	return res, nil
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
	if !s.dialect.sqlite() {
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

// knownWord tells whether a published headline or standfirst has the word
// w, or with asPrefix a word beginning with w. A whole word is looked up
// in the index itself, which stops at its first article: the vocabulary
// table counts every article a word is in before it answers (40 ms for
// "the" at a million stories, against 0.1).
func (s *Store) knownWord(ctx context.Context, w string, asPrefix bool) (bool, error) {
	query, args := `SELECT 1 FROM search_words WHERE search_words MATCH ? LIMIT 1`, []any{`"` + strings.ReplaceAll(w, `"`, `""`) + `"`}
	if asPrefix {
		// A prefix query merges the lists of every word it begins: the
		// vocabulary's first such word is cheaper.
		query, args = `SELECT term FROM search_vocab WHERE term >= ? AND term < ? LIMIT 1`, []any{w, w + "\U0010FFFF"} // any next letter, not only ASCII ones
	}
	var term string
	err := s.queryRow(ctx, s.read, query, args...).Scan(&term)
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
