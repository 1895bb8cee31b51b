package quotes

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

type article struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

type predQuote struct {
	Start   int     `json:"start"`
	End     int     `json:"end"`
	Speaker *string `json:"speaker"`
}

type prediction struct {
	ID     string      `json:"id"`
	Quotes []predQuote `json:"quotes"`
}

// ExtractJSONL reads {"id","text"} objects, one a line, and writes one
// {"id","quotes":[{"start","end","speaker"}]} line for each. Offsets are in
// Unicode code points of text; speaker is the person's name, or null when the
// source is an organisation or is not named (the evaluation counts null as
// correct for those).
func ExtractJSONL(r io.Reader, w io.Writer) error {
	return extractJSONL(r, w, defaultRanker())
}

func extractJSONL(r io.Reader, w io.Writer, model *rankModel) error {
	dec := json.NewDecoder(r)
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for n := 1; ; n++ {
		var a article
		if err := dec.Decode(&a); err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return fmt.Errorf("quotes: article %d: %w", n, err)
		}
		qs := extract(a.Text, model)
		out := prediction{ID: a.ID, Quotes: make([]predQuote, 0, len(qs))}
		conv := newRuneOffsets(a.Text)
		for _, q := range qs {
			pq := predQuote{Start: conv.at(q.Start), End: conv.at(q.End)}
			if q.Kind == KindPerson && q.Speaker != "" {
				s := q.Speaker
				pq.Speaker = &s
			}
			out.Quotes = append(out.Quotes, pq)
		}
		if err := enc.Encode(out); err != nil {
			return fmt.Errorf("quotes: write %s: %w", a.ID, err)
		}
	}
	return bw.Flush()
}

// runeOffsets converts byte offsets to code-point offsets; queries at
// increasing offsets cost amortised constant time.
type runeOffsets struct {
	text       string
	byte, rune int
}

func newRuneOffsets(text string) *runeOffsets { return &runeOffsets{text: text} }

func (c *runeOffsets) at(b int) int {
	if b < c.byte {
		c.byte, c.rune = 0, 0
	}
	c.rune += utf8.RuneCountInString(c.text[c.byte:b])
	c.byte = b
	return c.rune
}
