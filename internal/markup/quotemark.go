package markup

import (
	"bytes"
	"html"
	"math"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	nethtml "golang.org/x/net/html"
)

// QuoteSpan is a quotation to mark up in an article's HTML: its words as
// they are in the article's plain text (quotation marks excluded), an id
// for links to it, and the page of who said it.
type QuoteSpan struct {
	Text string
	ID   string // the q element's id ("quote-3"); empty for none
	Cite string // absolute URL of the speaker's page; empty when unnamed
}

// MarkQuotes marks the quotations in sanitised article HTML (what Article
// returns) as quotations: a span in running text becomes a q element that
// takes the place of its quotation marks (the browser draws them, as the
// HTML standard asks), and a quotation that makes up a blockquote gives the
// blockquote a cite attribute instead.
//
// It never parses and re-serialises the document: it only removes
// quotation marks and inserts whole q tags (with escaped attributes)
// between characters of text, and a cite attribute into a blockquote tag.
// Everything else is copied byte for byte, so the sanitiser's guarantee
// holds. A span is left alone when it cannot be wrapped cleanly: not found
// in order, its quotation marks not right at its ends, or crossing an
// element boundary or a block.
//
// Spans are matched in order, each after the previous one, with runs of
// white space compared as one space.
func MarkQuotes(src string, spans []QuoteSpan) string {
	if len(spans) == 0 || len(src) > math.MaxInt32 {
		return src
	}
	d := scanHTML(src)
	type splice struct {
		at, end int // replace src[at:end]
		with    string
	}
	var edits []splice
	cited := map[int]bool{}
	cursor := 0 // in d.text
	for _, sp := range spans {
		want := collapseSpace(sp.Text)
		if want == "" {
			continue
		}
		start, quoted := d.find(want, cursor)
		if start < 0 {
			continue
		}
		end := start + len(want)
		cursor = end
		if bq := d.blockquoteAt(start); bq >= 0 && d.blockquoteAt(end-1) == bq {
			if sp.Cite != "" && !cited[bq] && !d.tags[bq].hasCite {
				cited[bq] = true
				t := d.tags[bq]
				edits = append(edits, splice{at: t.end - 1, end: t.end - 1, with: ` cite="` + html.EscapeString(sp.Cite) + `"`})
			}
			continue
		}
		if !quoted {
			continue
		}
		_, on := utf8.DecodeLastRuneInString(d.text[:start])
		_, cn := utf8.DecodeRuneInString(d.text[end:])
		hs, he := int(d.raw[start-on].start), int(d.raw[end+cn-1].end)
		if !d.phrasing(hs, he) {
			continue
		}
		tag := "<q"
		if sp.ID != "" {
			tag += ` id="` + html.EscapeString(sp.ID) + `"`
		}
		if sp.Cite != "" {
			tag += ` cite="` + html.EscapeString(sp.Cite) + `"`
		}
		tag += ">"
		edits = append(edits,
			splice{at: hs, end: int(d.raw[start-1].end), with: tag},
			splice{at: int(d.raw[end].start), end: he, with: "</q>"})
	}
	if len(edits) == 0 {
		return src
	}
	// Blockquote attributes sit before the text they cite: sort by position.
	for i := 1; i < len(edits); i++ {
		for j := i; j > 0 && edits[j].at < edits[j-1].at; j-- {
			edits[j], edits[j-1] = edits[j-1], edits[j]
		}
	}
	var b strings.Builder
	b.Grow(len(src) + 40*len(edits))
	last := 0
	for _, e := range edits {
		if e.at < last {
			continue // overlapping: cannot happen with spans in order, but never emit broken markup
		}
		b.WriteString(src[last:e.at])
		b.WriteString(e.with)
		last = e.end
	}
	b.WriteString(src[last:])
	return b.String()
}

// scanned is an HTML document's text, with white space collapsed, and a
// map from each byte of that text back to the source.
type scanned struct {
	text  string
	raw   []span  // per byte of text: the source bytes its character came from
	block []int32 // per byte of text: index in tags of the innermost open blockquote, or -1
	tags  []tagAt
}

// span is a range of source bytes; 32 bits hold any article, and halve
// the two per-byte maps a render allocates.
type span struct{ start, end int32 }

type tagAt struct {
	name       string
	start, end int // the whole tag in the source
	closing    bool
	hasCite    bool
}

// find looks for want in the text from byte from on: the first place it
// stands between quotation marks, else the first place at all (quoted
// false), else -1.
func (d *scanned) find(want string, from int) (at int, quoted bool) {
	first := -1
	for i := from; i <= len(d.text); {
		j := strings.Index(d.text[i:], want)
		if j < 0 {
			break
		}
		at := i + j
		if first < 0 {
			first = at
		}
		or, _ := utf8.DecodeLastRuneInString(d.text[:at])
		cr, _ := utf8.DecodeRuneInString(d.text[at+len(want):])
		if openQuotes[or] && closeQuotes[cr] {
			return at, true
		}
		i = at + 1
	}
	return first, false
}

func (d *scanned) blockquoteAt(i int) int {
	if i < 0 || i >= len(d.block) {
		return -1
	}
	return int(d.block[i])
}

// phrasing reports whether src[hs:he] may be wrapped in a q element: every
// tag in it is a phrasing element closed inside it, and none is a block.
func (d *scanned) phrasing(hs, he int) bool {
	var stack []string
	first := sort.Search(len(d.tags), func(i int) bool { return d.tags[i].start >= hs })
	for _, t := range d.tags[first:] {
		if t.start >= he {
			break
		}
		if t.end > he {
			continue
		}
		if !phrasingTags[t.name] {
			return false
		}
		if voidTags[t.name] {
			continue
		}
		if !t.closing {
			stack = append(stack, t.name)
			continue
		}
		if len(stack) == 0 || stack[len(stack)-1] != t.name {
			return false
		}
		stack = stack[:len(stack)-1]
	}
	return len(stack) == 0
}

var phrasingTags = map[string]bool{
	"a": true, "abbr": true, "b": true, "bdi": true, "bdo": true, "br": true, "cite": true, "code": true,
	"del": true, "dfn": true, "em": true, "i": true, "img": true, "ins": true, "kbd": true, "mark": true,
	"q": true, "s": true, "samp": true, "small": true, "span": true, "strong": true, "sub": true, "sup": true,
	"time": true, "u": true, "var": true, "wbr": true,
}

var voidTags = map[string]bool{"br": true, "img": true, "wbr": true}

// blockTags end a run of text: a quotation never continues across them.
var blockTags = map[string]bool{
	"p": true, "div": true, "blockquote": true, "li": true, "ul": true, "ol": true, "h1": true, "h2": true,
	"h3": true, "h4": true, "h5": true, "h6": true, "figure": true, "figcaption": true, "table": true,
	"tr": true, "td": true, "th": true, "pre": true, "hr": true, "dl": true, "dt": true, "dd": true, "br": true,
}

func scanHTML(src string) *scanned {
	// The text is at most as long as the source, but for a space per block
	// tag: sized once, nothing grows.
	d := &scanned{raw: make([]span, 0, len(src)), block: make([]int32, 0, len(src))}
	var text bytes.Buffer
	text.Grow(len(src))
	var bqStack []int32
	space := true // collapse leading white space
	addSpace := func(at int) {
		if !space {
			text.WriteByte(' ')
			d.raw = append(d.raw, span{int32(at), int32(at)})
			d.block = append(d.block, top(bqStack))
			space = true
		}
	}
	z := nethtml.NewTokenizer(strings.NewReader(src))
	off := 0
	for {
		tt := z.Next()
		if tt == nethtml.ErrorToken {
			break
		}
		raw := z.Raw()
		start, end := off, off+len(raw)
		off = end
		switch tt {
		case nethtml.TextToken:
			rawText := src[start:end]
			for i := 0; i < len(rawText); {
				ch, n := decodeChar(rawText[i:])
				r, _ := utf8.DecodeRuneInString(ch)
				if unicode.IsSpace(r) || r == '\u00a0' {
					addSpace(start + i)
					if len(d.raw) > 0 && int(d.raw[len(d.raw)-1].start) == start+i {
						d.raw[len(d.raw)-1].end = int32(start + i + n)
					}
					i += n
					continue
				}
				space = false
				for k := 0; k < len(ch); k++ {
					d.raw = append(d.raw, span{int32(start + i), int32(start + i + n)})
					d.block = append(d.block, top(bqStack))
				}
				text.WriteString(ch)
				i += n
			}
		case nethtml.StartTagToken, nethtml.EndTagToken, nethtml.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			t := tagAt{name: string(name), start: start, end: end, closing: tt == nethtml.EndTagToken}
			for hasAttr {
				var k []byte
				k, _, hasAttr = z.TagAttr()
				if string(k) == "cite" {
					t.hasCite = true
				}
			}
			d.tags = append(d.tags, t)
			if blockTags[t.name] {
				addSpace(start)
			}
			if t.name == "blockquote" {
				if t.closing {
					if len(bqStack) > 0 {
						bqStack = bqStack[:len(bqStack)-1]
					}
				} else if tt == nethtml.StartTagToken {
					bqStack = append(bqStack, int32(len(d.tags)-1))
				}
			}
		}
	}
	d.text = text.String()
	return d
}

func top(stack []int32) int32 {
	if len(stack) == 0 {
		return -1
	}
	return stack[len(stack)-1]
}

// decodeChar reads one character of HTML text: an entity reference or
// one UTF-8 character. It returns the character and the source bytes used.
func decodeChar(s string) (string, int) {
	if s[0] == '&' {
		if j := strings.IndexByte(s, ';'); j > 1 && j < 40 {
			if ch := html.UnescapeString(s[:j+1]); ch != s[:j+1] {
				return ch, j + 1
			}
		}
		return "&", 1
	}
	_, n := utf8.DecodeRuneInString(s)
	return s[:n], n
}

// collapseSpace trims s and turns each run of white space into one space.
func collapseSpace(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == '\u00a0' }), " ")
}

// The quotation marks a q element replaces: double ones only, as the
// extractor finds only those.
var (
	openQuotes  = map[rune]bool{'"': true, '“': true, '„': true, '«': true}
	closeQuotes = map[rune]bool{'"': true, '”': true, '“': true, '»': true}
)
