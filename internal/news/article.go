package news

import (
	"fmt"
	"time"
	"unicode"
)

// Status is an article's place in the editorial workflow.
type Status string

const (
	StatusDraft       Status = "draft"
	StatusReview      Status = "review"
	StatusScheduled   Status = "scheduled"
	StatusPublished   Status = "published"
	StatusUnpublished Status = "unpublished"
)

// Image is a picture with the words that must travel with it.
type Image struct {
	URL     string
	Alt     string
	Caption string
	Credit  string
	Width   int
	Height  int
}

// Article is a story. Body is the Markdown the newsroom wrote; BodyHTML is
// its sanitised rendering, computed on save so reading never pays for it.
type Article struct {
	ID             int64
	Slug           string
	Path           string // "2026/11/24/slug" once published; the public URL is "/" + Path
	Headline       string
	Standfirst     string
	Body           string
	BodyHTML       string
	BodyText       string // plain text of Body, for search and quote extraction; not always loaded
	WordCount      int
	Section        *Section
	Authors        []Staff
	Tags           []Tag
	Status         Status
	Featured       bool
	CommentsOpen   bool
	LeadImage      *Image
	SEOTitle       string
	SEODescription string
	PublishedAt    time.Time
	UpdatedAt      time.Time // when the newsroom last visibly updated the story; zero if never
	CreatedAt      time.Time
	ModifiedAt     time.Time // any change at all; drives caches and sitemaps
	CommentCount   int       // approved comments only
	Version        int       // bumped by every save; optimistic locking
	PublishAt      time.Time // when a scheduled article goes live
	CreatedBy      int64
	Corrections    []Correction
	Quotes         []Quote // quotations in the body: set by newsroom.Prepare and stored with the article (nil: left as stored); not always loaded
	Trash          *Trash  // set while the article is in the trash; loaded by the newsroom's reads only
}

// TrashDays is how long an article stays in the trash before it is
// deleted for good.
const TrashDays = 30

// Trash says when and by whom an article was moved to the trash, and what
// a restore gives back: the status it had (a published article comes back
// published at the same address) and, for a scheduled one, its time.
type Trash struct {
	At        time.Time
	By        int64
	ByName    string // "" when the account is gone
	From      Status
	PublishAt time.Time
}

// PurgeAt is when the trashed article will be deleted for good.
func (t *Trash) PurgeAt() time.Time { return t.At.AddDate(0, 0, TrashDays) }

// URLPath is the article's public path.
func (a *Article) URLPath() string { return "/" + a.Path }

// IsPublic reports whether readers may see the article.
func (a *Article) IsPublic() bool { return a.Status == StatusPublished && a.Path != "" }

// WasUpdated reports whether the article carries a visible "updated" stamp
// later than its publication.
func (a *Article) WasUpdated() bool {
	return !a.UpdatedAt.IsZero() && a.UpdatedAt.After(a.PublishedAt)
}

// LastModified is the later of publication and update, as shown to readers
// and search engines (dateModified).
func (a *Article) LastModified() time.Time {
	if a.WasUpdated() {
		return a.UpdatedAt
	}
	return a.PublishedAt
}

// ReadingMinutes estimates reading time at 230 words a minute, never below one.
func (a *Article) ReadingMinutes() int { return ReadingMinutes(a.WordCount) }

// ReadingMinutes is how long words take to read, at 230 a minute: at
// least a minute.
func ReadingMinutes(words int) int {
	return max(1, (words+229)/230)
}

// ArticlePath builds the dated public path of an article published at t in
// the newsroom's time zone.
func ArticlePath(t time.Time, loc *time.Location, slug string) string {
	t = t.In(loc)
	return fmt.Sprintf("%04d/%02d/%02d/%s", t.Year(), int(t.Month()), t.Day(), slug)
}

// CountWords counts words in plain or Markdown text.
func CountWords(s string) int {
	n, in := 0, false
	for _, r := range s {
		word := unicode.IsLetter(r) || unicode.IsDigit(r)
		if word && !in {
			n++
		}
		in = word || (in && (r == '\'' || r == '’' || r == '-'))
	}
	return n
}

// ArticleFilter selects published articles for listings and feeds.
type ArticleFilter struct {
	SectionID int64
	TagID     int64
	AuthorID  int64
	Since     time.Time // only articles published at or after Since
	Featured  bool      // only featured articles
	ExcludeID []int64   // leave these out (e.g. the lead story)
	Limit     int
	Offset    int
}

// Neighbours are an article's chronological neighbours among published
// articles; either may be nil.
type Neighbours struct {
	Previous *Article
	Next     *Article
}

// ArchiveMonth is one month of published articles, for sitemaps.
type ArchiveMonth struct {
	Year, Month  int
	LastModified time.Time // the latest change to an article published in the month
}

// AdminFilter selects articles for the newsroom's lists.
type AdminFilter struct {
	Status   Status // empty: all
	Kind     Kind   // empty: news articles and static pages
	AuthorID int64  // bylined or created by
	// Text, when set, keeps the articles whose headline, standfirst, body,
	// byline or tags have every word of it, whatever their status; the
	// last word may be unfinished. Text with no words finds nothing.
	Text string
	// Trashed lists the articles in the trash instead of the others
	// (which are all the lists show otherwise).
	Trashed bool
	Limit   int
	Offset  int
}

// Kind is a kind of article: a news story or a static page.
type Kind string

const (
	KindStory Kind = "story"
	KindPage  Kind = "page"
)

// APIFilter selects articles for /wp/v2/posts and /wp/v2/pages.
type APIFilter struct {
	Pages      bool     // pages rather than posts
	Statuses   []Status // empty: published only
	Search     string   // words in the headline, standfirst or body
	SectionIDs []int64
	TagIDs     []int64
	AuthorIDs  []int64
	Slugs      []string
	IDs        []int64 // include
	Exclude    []int64
	OwnerID    int64  // only articles this member of staff wrote or created (0: anyone's)
	Trashed    bool   // the articles in the trash (Statuses ignored) instead of the others
	OrderBy    string // date (default), id, title, slug, modified
	Asc        bool
	Limit      int
	Offset     int
}
