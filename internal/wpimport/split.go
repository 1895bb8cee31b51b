package wpimport

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"sync/atomic"

	"masthead/internal/wxr"
)

// Reading the XML is a fifth of a large import's time and ran on one core
// while the others waited: 3 s of 14-16 for 20,000 posts. A large export is
// read in two halves at once instead, split at an item's start tag near
// its middle. Each half is read as a whole document of its own: the
// first as it is, closed after its last item; the second behind
// everything before the first item (the XML declaration, the namespaces,
// the header, authors and terms, whose records it then leaves out), so
// that both are read with the same encoding and namespaces. The two are
// well formed exactly when the file is. Should either fail, the file is
// read through once more, as a small one is, for its error as found there.

// splitAbove is the size from which an export is read in two halves:
// where reading it takes a few tenths of a second.
const splitAbove = 8 << 20

// checkHalves is check reading the export in two halves at once. It
// returns no scan and no error when the file is not split (no item start
// tag to split at) or a half fails: the caller then reads it through.
func checkHalves(ctx context.Context, src io.ReaderAt, size int64, progress func(Progress), sp *spool) (*scan, error) {
	first, mid, ok := itemStarts(io.NewSectionReader(src, 0, size), size/2)
	if !ok {
		return nil, nil
	}
	later, err := newSpool(sp.dir)
	if err != nil {
		return nil, err
	}
	sp.then = later
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// The later half's progress, for the first half's reports.
	var laterRead, laterItems atomic.Int64
	type result struct {
		sc  *scan
		err error
	}
	done := make(chan result, 1)
	go func() {
		sc := newScan(size)
		head := io.NewSectionReader(src, 0, first)
		r := wxr.NewReader(io.MultiReader(head, io.NewSectionReader(src, mid, size-mid)))
		items := false
		err := readRecords(ctx, r, mid-first, func(rec wxr.Record, offset int64) error {
			_, item := rec.(*wxr.Item)
			if items = items || item; !items {
				return nil // read before the first item, by the first half too
			}
			laterRead.Store(offset - mid)
			if item {
				laterItems.Add(1)
			}
			sc.add(rec)
			return later.add(rec, offset)
		})
		if err != nil {
			cancel()
		}
		done <- result{sc, err}
	}()
	sc := newScan(size)
	r := wxr.NewReader(io.MultiReader(io.NewSectionReader(src, 0, mid), strings.NewReader("</channel></rss>")))
	err = sc.readAll(ctx, r, sp, progress, func() (int64, int) { return laterRead.Load(), int(laterItems.Load()) })
	if err != nil {
		cancel()
	}
	res := <-done
	if err != nil || res.err != nil {
		return nil, nil
	}
	sc.then(res.sc)
	sc.finish(progress)
	return sc, nil
}

// itemStarts reads an XML document up to the first <item> start tag at or
// after offset half, and returns where the first <item> start tag begins
// and where that one does. It skips CDATA sections, comments and
// processing instructions, where "<item>" is text. It does not check the
// document: in a malformed one, or at an <item> that is not the channel's
// child, the halves fail to parse (their tags do not match) and the file
// is read whole. ok is false when there is no such pair, or a document
// type declaration with an internal subset (whose brackets it does not
// read).
func itemStarts(r io.Reader, half int64) (first, mid int64, ok bool) {
	br := bufio.NewReaderSize(r, 1<<16)
	var pos int64 // offset of the next byte br returns
	skipTo := func(end string) bool {
		for {
			b, err := br.ReadSlice(end[0])
			pos += int64(len(b))
			if errors.Is(err, bufio.ErrBufferFull) {
				continue
			}
			if err != nil {
				return false
			}
			rest, _ := br.Peek(len(end) - 1)
			if string(rest) == end[1:] {
				br.Discard(len(rest))
				pos += int64(len(rest))
				return true
			}
		}
	}
	first = -1
	for {
		b, err := br.ReadSlice('<')
		pos += int64(len(b))
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err != nil {
			return 0, 0, false
		}
		at := pos - 1
		next, _ := br.Peek(9)
		switch {
		case bytes.HasPrefix(next, []byte("![CDATA[")):
			if !skipTo("]]>") {
				return 0, 0, false
			}
		case bytes.HasPrefix(next, []byte("!--")):
			if !skipTo("-->") {
				return 0, 0, false
			}
		case bytes.HasPrefix(next, []byte("?")):
			if !skipTo("?>") {
				return 0, 0, false
			}
		case bytes.HasPrefix(next, []byte("!")):
			decl, err := br.ReadSlice('>')
			pos += int64(len(decl))
			if err != nil || bytes.IndexByte(decl, '[') >= 0 {
				return 0, 0, false
			}
		case len(next) >= 5 && string(next[:4]) == "item" && strings.IndexByte("> \t\r\n", next[4]) >= 0:
			if first < 0 {
				first = at
			} else if at >= half {
				return first, at, true
			}
		}
	}
}
