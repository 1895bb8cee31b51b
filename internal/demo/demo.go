// Package demo holds the demo newsroom that Masthead loads into an empty
// database: the Northgate Courier, a fictional small-city newspaper with its
// sections, reporters, articles and reader comments.
//
// The content lives as plain text files under content/, embedded in the
// binary, so that it can be read and edited like copy rather than code:
//
//	content/publication.txt        name:, tagline:, description:
//	content/sections.txt           blocks of slug:, name:, description:, in navigation order
//	content/authors/<slug>.txt     name:, email:, job_title:, then "---", then the bio
//	content/articles/NN-<slug>.md  header, "---", Markdown body, then optional
//	                               "=== comment <key>" blocks
//	content/live/<slug>.md         that article's live blog: "=== entry" blocks (live.go)
//
// A body image is a drawing, like the lead images: ![alt](demo:<name>
// "caption") is drawn from its name and put in the media library when the
// demo is seeded, so it shows with a credit and responsive variants.
//
// Load parses these files into plain structs and checks every
// cross-reference; it knows nothing about the database. Ages are durations
// before the moment of seeding, so the demo always looks freshly published,
// whenever it is loaded. The code that writes a Newsroom into the store lives
// elsewhere.
package demo

import (
	"embed"
	"io/fs"
	"time"
)

//go:embed content
var content embed.FS

// Load parses the embedded demo content and checks every cross-reference
// (sections, author slugs, comment reply_to keys, ages). It never touches a database.
func Load() (*Newsroom, error) {
	sub, err := fs.Sub(content, "content")
	if err != nil {
		return nil, err
	}
	return parse(sub)
}

// Newsroom is the whole demo publication.
type Newsroom struct {
	Name, Tagline, Description string    // the publication
	Sections                   []Section // in navigation order
	Authors                    []Author
	Articles                   []Article              // any order
	Live                       map[string][]LiveEntry // live blogs' entries by article slug, in file order
}

// Section is a department of the paper, shown in the navigation.
type Section struct{ Slug, Name, Description string }

// Author is a member of staff who writes bylined articles.
type Author struct{ Slug, Name, Email, JobTitle, Bio string } // Bio: 2-4 sentences, plain text

// Article is one published story.
type Article struct {
	Slug           string // from the file name without .md and without a numeric prefix ("07-harbour-bridge.md" -> "harbour-bridge")
	Headline       string
	Standfirst     string        // one or two sentences
	Section        string        // section slug
	Authors        []string      // author slugs, byline order (1 or 2)
	Tags           []string      // tag display names, e.g. "Housing", "City Council"
	Age            time.Duration // published this long before the moment of seeding
	UpdatedAfter   time.Duration // 0 = never updated; else updated this long after publication (must be < Age)
	Featured       bool
	CommentsClosed bool
	Image          *Image    // nil when the article has no lead image
	Body           string    // Markdown
	Comments       []Comment // in file order; a reply comes after its parent
}

// Image describes an article's lead picture; the picture itself is drawn by
// code elsewhere.
type Image struct{ Caption, Credit, Alt string }

// Comment is a reader's comment on an article.
type Comment struct {
	Key, ReplyTo         string        // ReplyTo: Key of an earlier comment on the same article, or ""
	Name, Email, Website string        // Website optional
	Age                  time.Duration // posted this long before seeding; younger than the article, and younger than its parent
	Status               string        // "approved" or "pending"
	Text                 string        // plain text, may contain blank-line paragraphs and bare URLs
}
