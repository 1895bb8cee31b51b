package wpimport

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"

	"masthead/internal/markup"
	"masthead/internal/wxr"
)

// attachment is what the first pass keeps of a WordPress attachment, and
// what the import made of it.
type attachment struct {
	ID                   int64
	Title, URL, File     string
	Alt, Caption, Credit string // Caption is HTML, as WordPress keeps it
	Parent, MenuOrder    int64
	Creator, Date        string
	Sum                  string // checksum of the above
	MediaID              int64  // the library item, when the file was copied
	Src                  string // where it is served now
	LeadSrc              string // the rendition an article's lead image uses
	Width, Height        int
	copied               bool
}

// pageNode is what the first pass keeps of a page, for the page tree.
type pageNode struct {
	slug   string
	parent int64
}

// scan is what the first pass learns.
type scan struct {
	header      wxr.Header
	attachments map[int64]*attachment
	attachedTo  map[int64][]int64 // post id → its attachments, in menu order
	pages       map[int64]pageNode
	items       int
	size        int64
}

// check reads the whole export (the first pass): it fails on anything
// malformed before the import starts, counts the items for progress, and
// keeps the attachments and the page tree. Every record goes to sp too.
func check(ctx context.Context, src io.ReadSeeker, progress func(Progress), sp *spool) (*scan, error) {
	size, err := src.Seek(0, io.SeekEnd)
	if err != nil {
		return nil, fmt.Errorf("read the export: %w", err)
	}
	if _, err := src.Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("read the export: %w", err)
	}
	sc := &scan{attachments: map[int64]*attachment{}, attachedTo: map[int64][]int64{}, pages: map[int64]pageNode{}, size: size}
	r := wxr.NewReader(src)
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		if err := sp.add(rec, r.InputOffset()); err != nil {
			return nil, err
		}
		switch rec := rec.(type) {
		case *wxr.Header:
			sc.header = *rec
		case *wxr.Item:
			sc.items++
			switch rec.PostType {
			case "attachment":
				a := &attachment{ID: rec.PostID, Title: markup.HTMLLine(rec.Title), URL: rec.AttachmentURL, Caption: rec.Excerpt,
					Parent: rec.PostParent, MenuOrder: rec.MenuOrder, Creator: rec.Creator, Date: rec.PostDateGMT}
				if a.URL == "" {
					a.URL = rec.GUID
				}
				for _, m := range rec.Meta {
					switch m.Key {
					case "_wp_attached_file":
						a.File = m.Value
					case "_wp_attachment_image_alt":
						a.Alt = markup.HTMLLine(m.Value)
					case metaCredit:
						a.Credit = markup.HTMLLine(m.Value)
					}
				}
				a.Sum = checksum(a)
				sc.attachments[a.ID] = a
				if a.Parent != 0 {
					sc.attachedTo[a.Parent] = append(sc.attachedTo[a.Parent], a.ID)
				}
			case "page":
				sc.pages[rec.PostID] = pageNode{slug: wpSlug(rec.PostName, markup.HTMLLine(rec.Title)), parent: rec.PostParent}
			}
			if progress != nil && sc.items%50 == 0 {
				progress(Progress{Phase: "checking", Read: r.InputOffset(), Size: size, Items: sc.items})
			}
		}
	}
	for parent, ids := range sc.attachedTo {
		sort.SliceStable(ids, func(i, j int) bool {
			a, b := sc.attachments[ids[i]], sc.attachments[ids[j]]
			if a.MenuOrder != b.MenuOrder {
				return a.MenuOrder < b.MenuOrder
			}
			return a.ID < b.ID
		})
		sc.attachedTo[parent] = ids
	}
	if progress != nil {
		progress(Progress{Phase: "checking", Read: size, Size: size, Items: sc.items, TotalItems: sc.items})
	}
	return sc, nil
}

// pageSlug is a page's slug with its ancestors' ("about/team"), as
// WordPress builds the page's URL.
func (sc *scan) pageSlug(id int64) string {
	var parts []string
	seen := map[int64]bool{}
	for id != 0 && !seen[id] {
		seen[id] = true
		n, ok := sc.pages[id]
		if !ok {
			break
		}
		parts = append([]string{n.slug}, parts...)
		id = n.parent
	}
	out := ""
	for i, p := range parts {
		if i > 0 {
			out += "/"
		}
		out += p
	}
	return out
}
