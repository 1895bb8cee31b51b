package render

import (
	"time"

	"masthead/internal/news"
)

// Layout is what every page shares: the site chrome and the head's SEO and
// social metadata. Pages embed it as a field named Layout.
type Layout struct {
	Site        news.Publication
	BaseURL     string // absolute, no trailing slash
	Sections    []news.Section
	Header      []news.MenuLink // the header's navigation, after Home
	Footer      []news.MenuLink // the footer menu (About, Contact …)
	Social      []news.MenuLink // the newspaper's profiles elsewhere, named
	Current     string          // slug of the section to highlight in the navigation
	Title       string          // the full <title>
	Description string
	Canonical   string // absolute URL
	Robots      string // e.g. "noindex, follow"
	PrevURL     string // rel=prev for paginated listings
	NextURL     string
	Feeds       []Feed
	JSONLD      []string // JSON documents, already encoded safely for a script element
	OG          OpenGraph
	IsHome      bool
	Query       string // what the reader searched for, kept in the header box
	Year        int

	// The breaking-news banner: nil unless one shows; Stream is the
	// events URL that tells the page's script of a newer one (on a live
	// blog's page, the blog's stream carries it instead).
	Breaking       *news.Breaking
	BreakingStream string

	// Chrome, when set, is the navigation and footer already rendered
	// for this site and year (Engine.Chrome).
	Chrome *Chrome
}

func (l Layout) dates() Dates { return Dates{Zone: l.Site.TimeZone, Style: l.Site.DateStyle} }

// Feed is an alternate representation of a page advertised in the head.
type Feed struct {
	Title string
	Type  string
	URL   string
}

// OpenGraph carries the social-card fields; Twitter cards reuse them.
type OpenGraph struct {
	Type          string // "website" or "article"
	Image         string
	ImageAlt      string
	PublishedTime time.Time
	ModifiedTime  time.Time
	Section       string
	Authors       []string // author page URLs
	Tags          []string
}

// AdminLayout is what every newsroom page shares.
type AdminLayout struct {
	SiteName string
	Title    string
	User     *news.Staff // nil on the sign-in pages
	CSRF     string      // token every form must send back
	Current  string      // navigation item to highlight
	Flash    string      // one-off confirmation ("Saved.")
	CanStaff bool        // show staff management
	// CanModerate shows comment moderation; CanSettings the site's settings.
	CanModerate, CanSettings bool
	HasMedia                 bool  // the site has a media library
	CanSections              bool  // show the sections screen
	CanNewsletters           bool  // show the newsletters screen
	Dates                    Dates // how the site shows dates (its settings)
	// InReview and PendingComments wait on this member of staff: shown
	// beside Articles and Comments (0 for those who cannot act on them).
	InReview, PendingComments int
}

func (l AdminLayout) dates() Dates { return l.Dates }
