package demo

import (
	"errors"
	"io/fs"
	"path"
	"strings"
	"time"
)

// LiveEntry is one update of a demo live blog (content/live/<article
// slug>.md: blocks that start with a "=== entry" line, a header of after:
// (how long after the story's publication), author:, and optional
// headline:, key: and pinned:, then "---" and the Markdown body).
type LiveEntry struct {
	After    time.Duration
	Author   string // author slug
	Headline string
	KeyEvent bool
	Pinned   bool
	Body     string
}

// parseLive reads the live blogs, keyed by their article's slug, checking
// that each names a story and known authors.
func parseLive(fsys fs.FS, known refs, articles []Article) (map[string][]LiveEntry, error) {
	files, err := fs.ReadDir(fsys, "live")
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	ages := map[string]time.Duration{}
	for _, a := range articles {
		ages[a.Slug] = a.Age
	}
	out := map[string][]LiveEntry{}
	for _, f := range files {
		file := path.Join("live", f.Name())
		slug := strings.TrimSuffix(f.Name(), ".md")
		age, ok := ages[slug]
		if !ok {
			return nil, errorAt(file, 0, "no article %q", slug)
		}
		data, err := fs.ReadFile(fsys, file)
		if err != nil {
			return nil, err
		}
		var blocks [][]line
		for _, l := range splitLines(data) {
			if l.text == "=== entry" {
				blocks = append(blocks, nil)
				continue
			}
			if len(blocks) == 0 {
				if l.text != "" {
					return nil, errorAt(file, l.n, "want \"=== entry\" first")
				}
				continue
			}
			blocks[len(blocks)-1] = append(blocks[len(blocks)-1], l)
		}
		for _, b := range blocks {
			e, err := parseLiveEntry(file, b, known)
			if err != nil {
				return nil, err
			}
			if e.After >= age {
				return nil, errorAt(file, b[0].n, "after: %s is not before now (the story is %s old)", fmtAge(e.After), fmtAge(age))
			}
			out[slug] = append(out[slug], e)
		}
	}
	return out, nil
}

func parseLiveEntry(file string, lines []line, known refs) (LiveEntry, error) {
	head, rest, err := splitHeader(file, lines)
	if err != nil {
		return LiveEntry{}, err
	}
	h, err := readHeader(file, head, "after", "author", "headline", "key", "pinned")
	if err != nil {
		return LiveEntry{}, err
	}
	if err := h.require("after", "author"); err != nil {
		return LiveEntry{}, err
	}
	e := LiveEntry{Author: h.get("author"), Headline: h.get("headline"), Body: joinText(rest)}
	if !known.authors[e.Author] {
		return LiveEntry{}, errorAt(file, h.line("author"), "unknown author %q", e.Author)
	}
	if e.Body == "" {
		return LiveEntry{}, errorAt(file, h.start, "an entry needs a body")
	}
	if e.After, err = h.duration("after"); err != nil {
		return LiveEntry{}, err
	}
	if e.KeyEvent, err = h.boolean("key"); err != nil {
		return LiveEntry{}, err
	}
	if e.Pinned, err = h.boolean("pinned"); err != nil {
		return LiveEntry{}, err
	}
	return e, nil
}
