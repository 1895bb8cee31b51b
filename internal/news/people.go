package news

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Role is what a member of staff may do in the newsroom.
type Role string

const (
	RoleAdmin       Role = "admin"
	RoleEditor      Role = "editor"
	RoleAuthor      Role = "author"
	RoleContributor Role = "contributor"
)

// Staff is a member of staff as readers see them: the byline, the author
// page and the bio box.
type Staff struct {
	ID       int64
	Slug     string
	Name     string
	Email    string
	Role     Role
	JobTitle string
	Bio      string
	PhotoURL string
	Links    SocialLinks // their profiles elsewhere
}

// SocialLinks are a member of staff's profiles elsewhere, shown on their
// author page and in the author box, and given to search engines as the
// sameAs of their structured data.
type SocialLinks struct {
	Website  string `json:"website,omitempty"`
	Mastodon string `json:"mastodon,omitempty"`
	X        string `json:"x,omitempty"`
	Bluesky  string `json:"bluesky,omitempty"`
	LinkedIn string `json:"linkedin,omitempty"`
}

// SocialLink is one of them, with the name of the service.
type SocialLink struct {
	Field, Label, URL string
}

// All lists every kind of link, set or not, in the order forms show them.
func (l SocialLinks) All() []SocialLink {
	return []SocialLink{
		{"website", "Website", l.Website}, {"mastodon", "Mastodon", l.Mastodon}, {"x", "X (Twitter)", l.X},
		{"bluesky", "Bluesky", l.Bluesky}, {"linkedin", "LinkedIn", l.LinkedIn},
	}
}

// Set lists the links that are set.
func (l SocialLinks) Set() []SocialLink {
	var out []SocialLink
	for _, s := range l.All() {
		if s.URL != "" {
			out = append(out, s)
		}
	}
	return out
}

// Put sets the link of a field named as in All; false for an unknown one.
func (l *SocialLinks) Put(field, url string) bool {
	for _, f := range []struct {
		name string
		to   *string
	}{{"website", &l.Website}, {"mastodon", &l.Mastodon}, {"x", &l.X}, {"bluesky", &l.Bluesky}, {"linkedin", &l.LinkedIn}} {
		if f.name == field {
			*f.to = url
			return true
		}
	}
	return false
}

// URLPath is the author's public page.
func (a Staff) URLPath() string { return "/author/" + a.Slug }

// Initials are shown in place of a photo: the first letters of the first and
// last words of the name.
func (a Staff) Initials() string {
	words := strings.FieldsFunc(a.Name, func(r rune) bool { return unicode.IsSpace(r) || r == '-' })
	var b strings.Builder
	for i, w := range words {
		if i != 0 && i != len(words)-1 {
			continue
		}
		r, _ := utf8.DecodeRuneInString(w)
		if unicode.IsLetter(r) {
			b.WriteRune(unicode.ToUpper(r))
		}
	}
	if b.Len() == 0 {
		return "?"
	}
	return b.String()
}

// Section is a department of the paper, shown in the navigation.
type Section struct {
	ID          int64
	Slug        string
	Name        string
	Description string
	Position    int
	// ParentID is the section this one is within (a WordPress import
	// keeps its categories' nesting); 0 for a top-level section. The
	// store's section loaders set it; an article's section, loaded with
	// the article, carries only its id, slug and name.
	ParentID int64
}

// URLPath is the section's public page.
func (s Section) URLPath() string { return "/section/" + s.Slug }

// Tag labels articles across sections.
type Tag struct {
	ID    int64
	Slug  string
	Name  string
	Count int // published articles carrying the tag, when listed
	// Articles counts the articles of any status carrying it, on the
	// newsroom's Tags screen.
	Articles int
}

// URLPath is the tag's public page.
func (t Tag) URLPath() string { return "/tag/" + t.Slug }

// Publication is the newspaper itself, as its settings describe it.
type Publication struct {
	Name        string
	Tagline     string
	Description string
	Language    string // BCP 47, e.g. "en"
	LogoURL     string // shown in the reader site's header; empty: the name alone
	IconURL     string // the favicon and touch icon; empty: Masthead's
	TimeZone    string // IANA name; empty: the server's --timezone
	DateStyle   string // a DateStyles format; empty: DefaultDateStyle
	Comments    CommentPolicy
	Publisher   Publisher
	Social      []string // the newspaper's profiles elsewhere (Mastodon, Bluesky …)
}

// PeopleFilter selects people for listings.
type PeopleFilter struct {
	Kind      PersonKind // empty: both kinds
	Published bool       // only people quoted in published articles, counting only those quotes
	Query     string     // name or alias contains this (any case)
	// VisibleTo, when set, keeps only people quoted in published articles
	// or in articles this member of staff wrote or created, counting only
	// those quotes: what a writer may see of the newsroom's work.
	VisibleTo int64
	Limit     int
	Offset    int
}
