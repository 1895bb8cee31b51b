// Package wpimport brings a WordPress site into Masthead and takes one out
// again, through WordPress's export format (WXR, package wxr).
//
// # Import
//
// Import reads an export twice, streaming both times (package wxr holds
// one record at a time, so memory does not grow with the file's size; the
// second time from a spool the first pass wrote, see spool.go):
//
//  1. A check: the whole file is read through to its last byte, so a
//     truncated or malformed file is reported — with its line, column and
//     byte offset — before anything is written. The same pass notes what
//     later records need from earlier or later ones: attachments (for
//     featured images and galleries, which may come after the posts that
//     use them) and the page tree. Only this metadata is kept, never
//     bodies. A large export is read in two halves at once (split.go).
//  2. The import, inside one database transaction (store.Atomically): an
//     error anywhere — in the file or the database — rolls everything
//     back, so a site is never left half-imported.
//
// What becomes what:
//
//	WordPress                          Masthead
//	author                             staff account (role author, no password: invite them)
//	category (with its parent)         section (parent kept)
//	tag                                tag
//	post                               article, through the editorial desk
//	page                               article marked as a page, served at /page/{slug}
//	  publish / draft / pending        published / draft / review
//	  future                           scheduled (published at its date if that has passed)
//	  private, password-protected      unpublished
//	  post_excerpt                     standfirst
//	  sticky                           featured
//	  _thumbnail_id                    lead image
//	  further categories               tags of the same name (an article has one section)
//	comment, pingback, trackback       comment (threaded; approved, pending, spam, trash)
//	attachment                         media library image (files from --media-dir), else its URL
//	nav_menu_item, other types         skipped, with the reason in the summary
//
// Bodies go through package wpcontent: Markdown where it says the same
// thing, sanitised HTML blocks where Markdown cannot (tables, captions…),
// and never a word of text lost.
//
// Every record imported is noted in the wordpress_map table with a
// checksum of what was read. Importing the same file again changes
// nothing; a newer export updates exactly the records whose checksum
// changed (a new revision of a changed post, a changed comment). The same
// table answers old WordPress links with redirects (package web).
//
// # Export
//
// Export writes the site as WXR 1.2 that WordPress's importer accepts.
// Article bodies go out as the HTML readers see, with the Markdown they
// came from kept in postmeta, so a round trip through WXR gives back the
// same Markdown (unless the HTML was changed on the way, when the HTML
// wins).
package wpimport

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"masthead/internal/media"
)

// Options adjusts an import.
type Options struct {
	// Location is the newsroom's time zone: WordPress's local dates
	// (post_date, comment_date) are read in it when the export has no UTC
	// date, and dated article paths use it. Default UTC.
	Location *time.Location
	// MediaDir is a copy of the WordPress site's uploads folder
	// (wp-content/uploads). Attachments found there are added to the media
	// library; without it, or for a file not found, the attachment's URL is
	// kept and served from where it is.
	MediaDir string
	// Media is where copied files go; required with MediaDir.
	Media media.Store
	// Progress, if set, is called as the file is read.
	Progress func(Progress)
	// SpoolDir is where the first pass keeps the records it read, for the
	// import to read back rather than parse the XML again: a file about
	// the size of the export, removed when the import ends. Default the
	// system's temporary folder.
	SpoolDir string
	// Now is the clock (for scheduled posts); default time.Now.
	Now func() time.Time
}

// Progress tells how far an import has got.
type Progress struct {
	Phase      string // "checking" (the first pass) or "importing"
	Read, Size int64  // bytes of the file
	Items      int    // items read so far in this phase
	TotalItems int    // items in the file, once the check has counted them
}

// Kinds of record, as the summary and wordpress_map name them.
const (
	KindAuthor     = "author"
	KindCategory   = "category"
	KindTag        = "tag"
	KindAttachment = "attachment"
	KindPost       = "post"
	KindPage       = "page"
	KindComment    = "comment"
)

// kinds is the order the summary lists them in.
var kinds = []string{KindAuthor, KindCategory, KindTag, KindAttachment, KindPost, KindPage, KindComment}

var plural = map[string]string{KindAuthor: "authors", KindCategory: "categories", KindTag: "tags", KindAttachment: "attachments",
	KindPost: "posts", KindPage: "pages", KindComment: "comments"}

// Count is what happened to the records of one kind.
type Count struct {
	Created, Updated, Unchanged int
}

// Skip is a record that was not imported, and why.
type Skip struct {
	Kind   string // post type, taxonomy or "comment"
	ID     string
	Title  string
	Reason string
}

// Summary is the outcome of an import.
type Summary struct {
	Site    string // the WordPress site's address
	Counts  map[string]*Count
	Skipped []Skip
	Notes   []string // imported, but worth a look
}

func newSummary() *Summary {
	s := &Summary{Counts: map[string]*Count{}}
	for _, k := range kinds {
		s.Counts[k] = &Count{}
	}
	return s
}

func (s *Summary) skip(kind, id, title, reason string) {
	s.Skipped = append(s.Skipped, Skip{Kind: kind, ID: id, Title: title, Reason: reason})
}

func (s *Summary) note(format string, args ...any) {
	s.Notes = append(s.Notes, fmt.Sprintf(format, args...))
}

// Changed reports whether the import wrote anything.
func (s *Summary) Changed() bool {
	for _, c := range s.Counts {
		if c.Created+c.Updated > 0 {
			return true
		}
	}
	return false
}

// Write prints the summary as a table, then the skipped records (grouped
// by reason) and the notes.
func (s *Summary) Write(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "\tcreated\tupdated\tunchanged\t\n")
	for _, k := range kinds {
		c := s.Counts[k]
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t\n", plural[k], c.Created, c.Updated, c.Unchanged)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(s.Skipped) > 0 {
		fmt.Fprintf(w, "\nSkipped %d records:\n", len(s.Skipped))
		byReason := map[string][]Skip{}
		var reasons []string
		for _, sk := range s.Skipped {
			if _, ok := byReason[sk.Reason]; !ok {
				reasons = append(reasons, sk.Reason)
			}
			byReason[sk.Reason] = append(byReason[sk.Reason], sk)
		}
		sort.Strings(reasons)
		for _, r := range reasons {
			list := byReason[r]
			var names []string
			for i, sk := range list {
				if i == 5 {
					names = append(names, fmt.Sprintf("and %d more", len(list)-5))
					break
				}
				name := sk.Kind + " " + sk.ID
				if sk.Title != "" {
					name += " “" + truncate(sk.Title, 40) + "”"
				}
				names = append(names, name)
			}
			fmt.Fprintf(w, "  %d × %s: %s\n", len(list), r, strings.Join(names, ", "))
		}
	}
	if len(s.Notes) > 0 {
		fmt.Fprintf(w, "\nNotes:\n")
		for _, n := range s.Notes {
			fmt.Fprintf(w, "  - %s\n", n)
		}
	}
	return nil
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// checksum is the SHA-256 of a value's JSON, with the importer's format
// version mixed in so that an importer that maps things differently
// re-imports everything once.
func checksum(v any) string {
	b, err := json.Marshal(struct {
		V int
		X any
	}{formatVersion, v})
	if err != nil {
		panic(err) // plain structs of strings and numbers always encode
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// formatVersion changes when the importer maps WordPress records
// differently.
const formatVersion = 1
