package wpimport

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
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
// An export of splitAbove bytes or more is read in two halves at once
// (split.go).
func check(ctx context.Context, src io.ReadSeeker, progress func(Progress), sp *spool, splitAbove int64) (*scan, error) {
	size, err := src.Seek(0, io.SeekEnd)
	if err != nil {
		return nil, fmt.Errorf("read the export: %w", err)
	}
	if ra, ok := src.(io.ReaderAt); ok && size >= splitAbove && runtime.GOMAXPROCS(0) > 1 {
		sc, err := checkHalves(ctx, ra, size, progress, sp)
		if sc != nil || err != nil {
			return sc, err
		}
		// Not split, or a half failed: read through once, for the
		// error as it is found there (its line, its offset).
		if err := sp.reset(); err != nil {
			return nil, err
		}
	}
	if _, err := src.Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("read the export: %w", err)
	}
	sc := newScan(size)
	if err := sc.readAll(ctx, wxr.NewReader(src), sp, progress, nil); err != nil {
		return nil, err
	}
	sc.finish(progress)
	return sc, nil
}

func newScan(size int64) *scan {
	return &scan{attachments: map[int64]*attachment{}, attachedTo: map[int64][]int64{}, pages: map[int64]pageNode{}, size: size}
}

// readAll reads r's records into sp, noting each. Every 50 items it reports
// progress, with what another reader has read meanwhile (elsewhere), if
// one is reading the file's later half.
func (sc *scan) readAll(ctx context.Context, r *wxr.Reader, sp *spool, progress func(Progress), elsewhere func() (read int64, items int)) error {
	return readRecords(ctx, r, 0, func(rec wxr.Record, offset int64) error {
		if err := sp.add(rec, offset); err != nil {
			return err
		}
		sc.add(rec)
		if _, ok := rec.(*wxr.Item); ok && progress != nil && sc.items%50 == 0 {
			p := Progress{Phase: "checking", Read: offset, Size: sc.size, Items: sc.items}
			if elsewhere != nil {
				read, items := elsewhere()
				p.Read, p.Items = p.Read+read, p.Items+items
			}
			progress(p)
		}
		return nil
	})
}

// readRecords calls fn with each record r reads and the offset it ended
// at, plus base.
func readRecords(ctx context.Context, r *wxr.Reader, base int64, fn func(rec wxr.Record, offset int64) error) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := fn(rec, base+r.InputOffset()); err != nil {
			return err
		}
	}
}

// add notes what later records need of rec.
func (sc *scan) add(rec wxr.Record) {
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
	}
}

// then adds what a later part of the file noted (checkHalves), as if it
// had been read on.
func (sc *scan) then(later *scan) {
	sc.items += later.items
	for id, a := range later.attachments {
		sc.attachments[id] = a
	}
	for parent, ids := range later.attachedTo {
		sc.attachedTo[parent] = append(sc.attachedTo[parent], ids...)
	}
	for id, p := range later.pages {
		sc.pages[id] = p
	}
}

// finish orders each post's attachments, once the whole file is read,
// and reports the count.
func (sc *scan) finish(progress func(Progress)) {
	if progress != nil {
		progress(Progress{Phase: "checking", Read: sc.size, Size: sc.size, Items: sc.items, TotalItems: sc.items})
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
