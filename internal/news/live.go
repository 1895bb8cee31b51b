package news

import (
	"strconv"
	"time"
)

// LiveBlog says that an article is live: it carries entries, short
// timestamped updates shown newest first, pushed to open pages. A closed
// live blog is an ordinary article again, with its entries.
type LiveBlog struct {
	ArticleID int64
	StartedAt time.Time
	ClosedAt  time.Time // zero while live
	Seq       int64     // the push sequence number of its last change
}

// Live reports whether the blog is still taking entries.
func (b *LiveBlog) Live() bool { return b != nil && b.ClosedAt.IsZero() }

// LiveEntry is one update of a live blog. Body is the Markdown the
// newsroom wrote; BodyHTML its sanitised rendering.
type LiveEntry struct {
	ID         int64
	ArticleID  int64
	Author     *Staff  // who posted it; nil when the account is gone
	Authors    []Staff // its byline, in order; empty: the one who posted it
	Headline   string
	Body       string
	BodyHTML   string
	KeyEvent   bool
	Pinned     bool
	CreatedAt  time.Time
	UpdatedAt  time.Time // zero unless edited after posting
	DeletedAt  time.Time // zero unless deleted; readers never see it then
	Seq        int64     // push sequence number of its last change
	ArticleURL string    // the article's public path, for permalinks; set by readers' queries
}

// Byline is who wrote the entry: its authors, or else who posted it.
func (e *LiveEntry) Byline() []Staff {
	if len(e.Authors) > 0 || e.Author == nil {
		return e.Authors
	}
	return []Staff{*e.Author}
}

// Anchor is the entry's fragment on its article's page.
func (e *LiveEntry) Anchor() string { return "entry-" + strconv.FormatInt(e.ID, 10) }

// Updated reports whether the entry was edited after it was posted.
func (e *LiveEntry) Updated() bool { return !e.UpdatedAt.IsZero() }

// Deleted reports whether the entry was taken down.
func (e *LiveEntry) Deleted() bool { return !e.DeletedAt.IsZero() }

// LiveEntryInput is what a member of staff writes for an entry.
type LiveEntryInput struct {
	Headline  string
	Body      string
	KeyEvent  bool
	Pinned    bool
	AuthorIDs []int64 // the byline; empty: the one posting it
}

// LiveEntryLimits bound an entry's text.
const (
	LiveHeadlineMax = 200
	LiveBodyMax     = 20000
)

// LiveChange is one thing pushed to readers of live blogs: an entry that
// is new, edited or deleted (Entry set), a blog that closed (Closed), or
// the breaking-news banner set or cleared (Breaking set, for every page).
type LiveChange struct {
	Seq       int64
	ArticleID int64
	Entry     *LiveEntry
	Closed    bool
	Breaking  *Breaking
}

// LiveEntryPage is a page of a live blog's entries for readers.
type LiveEntryPage struct {
	Pinned  []*LiveEntry // first page only
	Entries []*LiveEntry // newest first, pinned ones left out
	Older   int64        // the id to show older entries from; 0 when there are none
}

// Breaking is the site-wide breaking-news banner. Text is empty once an
// editor cleared it.
type Breaking struct {
	Text      string
	ArticleID int64  // the story or live blog it links to; 0: none
	Link      string // that article's public path, when it is published
	Headline  string // that article's headline, for the newsroom
	ExpiresAt time.Time
	SetAt     time.Time
	SetBy     string // who set it, for the newsroom
	Seq       int64  // push sequence number of its last change; 0: never set
}

// ShownAt reports whether readers see the banner at now.
func (b *Breaking) ShownAt(now time.Time) bool {
	return b != nil && b.Text != "" && now.Before(b.ExpiresAt)
}

// BreakingInput is what an editor sets.
type BreakingInput struct {
	Text      string
	ArticleID int64
	For       time.Duration // from now until it expires
}

// BreakingTextMax is the longest a banner's text may be.
const BreakingTextMax = 200

// BreakingTarget is an article a banner may link to.
type BreakingTarget struct {
	ID       int64
	Headline string
	Live     bool // a live blog with its coverage open
}

// LiveRevision is one version of a live entry in its history: as posted,
// as edited, or as it was when deleted.
type LiveRevision struct {
	ID       int64
	Action   string // post, edit, delete
	Headline string
	Body     string
	KeyEvent bool
	Pinned   bool
	By       string // who did it; "" when the account is gone
	At       time.Time
}
