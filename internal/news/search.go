package news

import "time"

// SearchQuery is a reader's search: words, optional filters, and the page
// of results wanted. An empty Text with filters lists what the filters
// select, newest first.
type SearchQuery struct {
	Text      string
	SectionID int64     // 0: any section
	AuthorID  int64     // 0: any author
	From      time.Time // published at or after; zero: no lower bound
	To        time.Time // published before; zero: no upper bound
	Limit     int
	Offset    int
}

// Filtered reports whether the query narrows results beyond its words.
func (q SearchQuery) Filtered() bool {
	return q.SectionID != 0 || q.AuthorID != 0 || !q.From.IsZero() || !q.To.IsZero()
}

// SearchHit is a published article matching a search, with a snippet whose
// matched words are wrapped in SnippetOpen/SnippetClose markers (the caller
// escapes the text and turns the markers into highlighting).
type SearchHit struct {
	Article *Article
	Snippet string
}

// SearchResults is one page of a search.
type SearchResults struct {
	Hits  []SearchHit
	Total int // articles matching, on every page
	// About is set when Total is an estimate: a search matching more
	// articles than are worth counting one by one is counted from its
	// newest matches.
	About bool
}
