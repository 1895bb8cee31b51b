// Package wxr reads and writes WordPress eXtended RSS (WXR), the export
// format of WordPress's Tools → Export screen, versions 1.0 to 1.2.
//
// A WXR file is an RSS 2.0 document whose <channel> holds, in this order,
// the site header (title, link, base URLs, wxr_version), the authors, the
// terms (categories, tags and other taxonomies) and one <item> per post,
// page, attachment or menu item, each item carrying its categories,
// postmeta and comments.
//
// # Reading
//
// Reader is a pull parser over encoding/xml's token stream. Next returns one
// Record at a time, in document order, and io.EOF after the last one:
//
//	r := wxr.NewReader(f)
//	for {
//		rec, err := r.Next()
//		if err == io.EOF {
//			break
//		}
//		if err != nil {
//			return err
//		}
//		switch rec := rec.(type) {
//		case *wxr.Header: …
//		case *wxr.Author: …
//		case *wxr.Term: …
//		case *wxr.Item: …
//		}
//	}
//
// Only the record being built is held in memory, so memory stays flat
// however large the file. The first record is always the *Header; it is
// returned once the first author, term or item is reached (or the channel
// ends), and only if the channel declared a valid <wp:wxr_version>.
//
// Elements are matched by namespace URI, never by prefix: a <wp:post_id>
// whose prefix is bound to some other namespace is ignored, and an element
// in the WordPress namespace is recognised whatever its prefix. Both the
// http:// and https:// forms of http://wordpress.org/export/1.x/ are
// accepted (WordPress.com writes https). When an element is repeated, the
// first non-empty value wins.
//
// Text is returned exactly as the XML parser reports it: adjacent CDATA
// sections are concatenated, whitespace inside and around them is kept, and
// backslashes are never removed (WordPress's own exporter does not add
// slashes, so none need stripping). Identifier-like fields (IDs, logins,
// slugs, statuses, dates, URLs) are trimmed of surrounding whitespace.
//
// Because the reader streams, records before an error have already been
// returned when the error is found. An importer that must be all-or-nothing
// should import inside a transaction, or read the file twice (a cheap first
// pass to validate and count, then the import). A file is well formed only
// if Next reached io.EOF: the reader checks the document through to its
// last byte before reporting the end.
//
// # Writing
//
// Writer writes a WXR 1.2 file in the layout WordPress's exporter uses, so
// WordPress's importer (any of its three parsers) accepts it: write a
// *Header, then authors, terms and items, then Close.
package wxr

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrNotWXR reports a document that is not a WordPress export: it has no
// <rss><channel>, or no valid <wp:wxr_version>. Test with errors.Is.
var ErrNotWXR = errors.New("not a WordPress export")

// errVersion is the error for a missing or malformed <wp:wxr_version>.
var errVersion = fmt.Errorf("%w: missing or invalid WXR version", ErrNotWXR)

// SyntaxError reports XML that is not well formed (including a file cut
// short), with the position where the XML parser gave up.
type SyntaxError struct {
	Line   int   // 1-based line
	Column int   // 1-based column, in bytes
	Offset int64 // byte offset from the start of the input
	Msg    string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("malformed WXR file: XML error at line %d, column %d (byte %d): %s",
		e.Line, e.Column, e.Offset, e.Msg)
}

// Record is one of *Header, *Author, *Term or *Item.
type Record interface{ record() }

func (*Header) record() {}
func (*Author) record() {}
func (*Term) record()   {}
func (*Item) record()   {}

// Header is the channel-level description of the exported site.
type Header struct {
	Title       string
	Link        string
	Description string
	PubDate     string // RFC 1123Z, as written by WordPress
	Language    string
	Version     string // wxr_version, e.g. "1.2"
	BaseSiteURL string
	BaseBlogURL string
}

// Author is a <wp:author>: a user who wrote some of the exported content.
// Items refer to authors by Login (their <dc:creator>). WXR 1.0 files have
// no author records; WordPress.com exports omit the ID.
type Author struct {
	ID          int64
	Login       string
	Email       string
	DisplayName string
	FirstName   string
	LastName    string
}

// Taxonomies WordPress itself defines. Other values of Term.Taxonomy and
// Category.Domain name custom taxonomies ("nav_menu", "post_format", …).
const (
	TaxonomyCategory = "category"
	TaxonomyTag      = "post_tag"
)

// Term is a channel-level <wp:category>, <wp:tag> or <wp:term>. Categories
// have Taxonomy "category" and tags "post_tag".
type Term struct {
	ID          int64
	Taxonomy    string
	Slug        string
	Name        string
	Parent      string // the parent term's slug, "" for a top-level term
	Description string
	Meta        []Meta // <wp:termmeta>
}

// Meta is one key/value pair of postmeta, termmeta or commentmeta. Values
// are often PHP-serialised; they are returned as written.
type Meta struct {
	Key   string
	Value string
}

// Item is one <item>: a post, page, attachment, nav_menu_item or custom
// post type. Dates are WordPress's "YYYY-MM-DD HH:MM:SS" strings (see
// ParseDate); PostDate is in the site's time zone, PostDateGMT in UTC and
// "0000-00-00 00:00:00" for drafts never scheduled.
type Item struct {
	PostID          int64
	Title           string
	Link            string
	GUID            string
	PubDate         string
	Creator         string // <dc:creator>: the author's login
	Description     string
	Content         string // <content:encoded>: the post body, HTML
	Excerpt         string // <excerpt:encoded>
	PostDate        string
	PostDateGMT     string
	PostModified    string // WXR 1.2 from WordPress 6.x; often absent
	PostModifiedGMT string
	CommentStatus   string // "open" or "closed"
	PingStatus      string
	PostName        string // the slug, percent-encoded when not ASCII
	Status          string // publish, draft, pending, private, future, inherit, trash
	PostParent      int64
	MenuOrder       int64
	PostType        string // post, page, attachment, nav_menu_item, …
	PostPassword    string
	IsSticky        bool
	AttachmentURL   string
	Categories      []Category
	Meta            []Meta
	Comments        []Comment
}

// Category is an item's <category> element: a reference to a term of any
// taxonomy (Domain), by slug (Nicename) and name.
type Category struct {
	Domain   string
	Nicename string
	Name     string
}

// Comment is a <wp:comment> on an item.
type Comment struct {
	ID          int64
	Author      string
	AuthorEmail string
	AuthorURL   string
	AuthorIP    string
	Date        string
	DateGMT     string
	Content     string
	Approved    string // "1", "0", "spam" or "trash"
	Type        string // "", "comment", "pingback", "trackback", …
	Parent      int64  // the ID of the comment replied to, 0 for none
	UserID      int64  // the commenter's user ID when logged in, else 0
	Meta        []Meta
}

// Terms returns the item's term references with WXR 1.0's quirks removed:
// a 1.0 export lists each term twice, once as a bare <category> for RSS
// readers and once with domain and nicename, and calls tags "tag" rather
// than "post_tag". The result keeps document order, maps "tag" to
// "post_tag", defaults a missing domain to "category", drops a reference
// without a nicename when the same term is also listed with one, and drops
// exact duplicates.
func (it *Item) Terms() []Category {
	norm := func(c Category) Category {
		switch c.Domain {
		case "":
			c.Domain = TaxonomyCategory
		case "tag":
			c.Domain = TaxonomyTag
		}
		return c
	}
	type key struct{ domain, name string }
	withSlug := make(map[key]bool)
	for _, c := range it.Categories {
		if c := norm(c); c.Nicename != "" {
			withSlug[key{c.Domain, c.Name}] = true
		}
	}
	var out []Category
	seen := make(map[Category]bool)
	for _, c := range it.Categories {
		c = norm(c)
		if c.Nicename == "" && withSlug[key{c.Domain, c.Name}] {
			continue
		}
		if seen[c] {
			continue
		}
		seen[c] = true
		out = append(out, c)
	}
	return out
}

// dateLayout is the layout of WordPress's post and comment dates.
const dateLayout = "2006-01-02 15:04:05"

// ParseDate parses a WordPress date ("2006-01-02 15:04:05") in loc: pass
// time.UTC for the *_gmt fields and the site's zone for the others. An
// empty value or WordPress's all-zero date returns the zero time and no
// error.
func ParseDate(value string, loc *time.Location) (time.Time, error) {
	value = strings.TrimSpace(value)
	if value == "" || strings.HasPrefix(value, "0000-00-00") {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation(dateLayout, value, loc)
	if err != nil {
		return time.Time{}, fmt.Errorf("wxr: invalid date %q: want YYYY-MM-DD HH:MM:SS", value)
	}
	return t, nil
}

// FormatDate formats t as a WordPress date in t's location; the zero time
// formats as WordPress's all-zero date.
func FormatDate(t time.Time) string {
	if t.IsZero() {
		return "0000-00-00 00:00:00"
	}
	return t.Format(dateLayout)
}

// Namespace URIs of the elements WXR uses. The reader also accepts the
// https:// form and versions 1.0 and 1.1 of the WordPress namespaces; the
// writer writes these.
const (
	NamespaceWP      = "http://wordpress.org/export/1.2/"
	NamespaceExcerpt = "http://wordpress.org/export/1.2/excerpt/"
	NamespaceContent = "http://purl.org/rss/1.0/modules/content/"
	NamespaceDC      = "http://purl.org/dc/elements/1.1/"
	NamespaceWFW     = "http://wellformedweb.org/CommentAPI/"
)

// wpNamespace classifies a namespace URI: "wp" for the WordPress export
// namespace of any version 1.x (http or https), "excerpt" for its excerpt
// namespace, "" otherwise.
func wpNamespace(uri string) string {
	rest, ok := strings.CutPrefix(uri, "http://")
	if !ok {
		if rest, ok = strings.CutPrefix(uri, "https://"); !ok {
			return ""
		}
	}
	rest, ok = strings.CutPrefix(rest, "wordpress.org/export/")
	if !ok {
		return ""
	}
	version, tail, ok := strings.Cut(rest, "/")
	if !ok || !validVersion(version) {
		return ""
	}
	switch tail {
	case "":
		return "wp"
	case "excerpt/":
		return "excerpt"
	}
	return ""
}

// validVersion reports whether v has the form WordPress accepts for a WXR
// version: digits, a dot, digits.
func validVersion(v string) bool {
	major, minor, ok := strings.Cut(v, ".")
	return ok && allDigits(major) && allDigits(minor)
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
