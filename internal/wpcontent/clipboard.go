package wpcontent

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Clipboard converts HTML pasted into the newsroom's editor — from Google
// Docs, Microsoft Word or a web page — to Markdown that keeps headings,
// bold, italic, links, lists, quotes and embeddable URLs and drops the
// rest: fonts, colours, spans, images from elsewhere and layout. Tables
// and figures give up their markup but keep their words.
//
// The word processors say what they mean in their own ways, which are
// first put into plain HTML:
//
//   - Google Docs wraps the whole clipboard in <b style="font-weight:normal"
//     id="docs-internal-guid-…">, which is not bold, and marks bold and
//     italic with font-weight:700 and font-style:italic on spans;
//   - Word writes list items as paragraphs styled "mso-list:l0 level1 lfo1",
//     each starting with its bullet or number in a span styled
//     "mso-list:Ignore", and scatters <o:p> and fonts everywhere.
//
// A heading of level 1 becomes level 2: an article's only h1 is its
// headline.
func Clipboard(src string) (string, error) {
	src = strings.ToValidUTF8(src, "\uFFFD")
	c := &converter{policy: sanitizer(), paste: true}
	body := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, err := html.ParseFragment(strings.NewReader(src), body)
	if err != nil {
		if strings.Contains(err.Error(), "open stack of elements exceeds") {
			return c.plainMarkdown(src), nil
		}
		return "", fmt.Errorf("wpcontent: parse clipboard: %w", err)
	}
	for _, n := range nodes {
		body.AppendChild(n)
	}
	normaliseClipboard(body, 0)
	md := joinBlocks(c.flow(childNodes(body), 0), false)
	if md == "" {
		return "", nil
	}
	return md + "\n", nil
}

// normaliseClipboard rewrites the word processors' markup under n as
// plain HTML: styled spans become <strong> and <em>, Docs' unbold <b>
// goes, and Word's list paragraphs become lists.
func normaliseClipboard(n *html.Node, depth int) {
	if depth > maxDepth {
		return
	}
	groupWordLists(n)
	for ch := n.FirstChild; ch != nil; {
		next := ch.NextSibling
		if ch.Type == html.ElementNode {
			normaliseClipboard(ch, depth+1)
			restyle(ch)
		}
		ch = next
	}
}

// restyle turns an element's inline style into the emphasis it shows.
func restyle(n *html.Node) {
	st := styles(attr(n, "style"))
	if st["mso-list"] == "ignore" {
		n.Parent.RemoveChild(n) // Word's bullet or number, drawn by the list instead
		return
	}
	weight, italic := st["font-weight"], st["font-style"]
	w, numeric := strconv.Atoi(weight)
	bold := weight == "bold" || weight == "bolder" || numeric == nil && w >= 600
	normal := weight == "normal" || weight == "lighter" || numeric == nil && w < 600
	switch {
	case (n.DataAtom == atom.B || n.DataAtom == atom.Strong) && normal,
		(n.DataAtom == atom.I || n.DataAtom == atom.Em) && italic == "normal":
		unwrap(n)
		return
	}
	if blockAtoms[n.DataAtom] || inHeading(n) {
		return // a heading's weight is the heading's
	}
	if bold && n.DataAtom != atom.B && n.DataAtom != atom.Strong {
		wrapChildren(n, atom.Strong)
	}
	if (italic == "italic" || italic == "oblique") && n.DataAtom != atom.I && n.DataAtom != atom.Em {
		wrapChildren(n, atom.Em)
	}
}

// styles reads a style attribute into lower-case property → value.
func styles(s string) map[string]string {
	if s == "" {
		return nil
	}
	out := map[string]string{}
	for _, decl := range strings.Split(s, ";") {
		k, v, ok := strings.Cut(decl, ":")
		if !ok {
			continue
		}
		v = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(strings.ToLower(v)), "!important"))
		out[strings.TrimSpace(strings.ToLower(k))] = strings.Join(strings.Fields(v), " ")
	}
	return out
}

func inHeading(n *html.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		switch p.DataAtom {
		case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
			return true
		}
	}
	return false
}

// unwrap replaces n with its children.
func unwrap(n *html.Node) {
	for ch := n.FirstChild; ch != nil; ch = n.FirstChild {
		n.RemoveChild(ch)
		n.Parent.InsertBefore(ch, n)
	}
	n.Parent.RemoveChild(n)
}

// wrapChildren moves n's children into a new element a inside n.
func wrapChildren(n *html.Node, a atom.Atom) {
	w := &html.Node{Type: html.ElementNode, DataAtom: a, Data: a.String()}
	for ch := n.FirstChild; ch != nil; ch = n.FirstChild {
		n.RemoveChild(ch)
		w.AppendChild(ch)
	}
	n.AppendChild(w)
}

var msoList = regexp.MustCompile(`^(l\d+) level(\d+)`)

// orderedMarker is the text Word draws before a numbered item ("1.",
// "a)", "iv."); a bullet is a symbol ("·", "o", "§").
var orderedMarker = regexp.MustCompile(`^\(?[0-9]{1,3}[.)]|^\(?[a-zA-Z]{1,4}[.)]`)

// wordListItem reports whether n is one of Word's list paragraphs, with
// its list, level and the marker Word draws before it.
func wordListItem(n *html.Node) (list string, level int, marker string, ok bool) {
	if n.Type != html.ElementNode || n.DataAtom != atom.P {
		return "", 0, "", false
	}
	m := msoList.FindStringSubmatch(styles(attr(n, "style"))["mso-list"])
	if m == nil {
		return "", 0, "", false
	}
	level, _ = strconv.Atoi(m[2])
	var find func(*html.Node) bool
	find = func(x *html.Node) bool {
		for ch := x.FirstChild; ch != nil; ch = ch.NextSibling {
			if ch.Type == html.ElementNode && styles(attr(ch, "style"))["mso-list"] == "ignore" {
				marker = strings.TrimSpace(strings.ReplaceAll(textContent(ch), "\u00a0", " "))
				return true
			}
			if ch.Type == html.ElementNode && find(ch) {
				return true
			}
		}
		return false
	}
	find(n)
	return m[1], max(level, 1), marker, true
}

// groupWordLists replaces each run of Word list paragraphs among n's
// children with a list (nested by level), its items holding the
// paragraphs' content.
func groupWordLists(n *html.Node) {
	type open struct {
		level int
		list  *html.Node
	}
	var stack []open
	var rootList string
	for ch := n.FirstChild; ch != nil; {
		next := ch.NextSibling
		id, level, marker, ok := wordListItem(ch)
		if !ok {
			if ch.Type == html.ElementNode || strings.TrimSpace(ch.Data) != "" && ch.Type == html.TextNode {
				stack = nil // the run ends
			}
			ch = next
			continue
		}
		if len(stack) > 0 && level == 1 && id != rootList {
			stack = nil // another list
		}
		for len(stack) > 0 && stack[len(stack)-1].level > level {
			stack = stack[:len(stack)-1]
		}
		if len(stack) == 0 || stack[len(stack)-1].level < level {
			list := &html.Node{Type: html.ElementNode, DataAtom: atom.Ul, Data: "ul"}
			if orderedMarker.MatchString(marker) {
				list.DataAtom, list.Data = atom.Ol, "ol"
				// Word numbers on across what comes between.
				if d := leadingDigits(marker); d > 0 {
					list.Attr = []html.Attribute{{Key: "start", Val: marker[:d]}}
				}
			}
			if len(stack) == 0 {
				n.InsertBefore(list, ch)
				rootList = id
			} else if last := stack[len(stack)-1].list.LastChild; last != nil {
				last.AppendChild(list)
			}
			stack = append(stack, open{level, list})
		}
		li := &html.Node{Type: html.ElementNode, DataAtom: atom.Li, Data: "li"}
		n.RemoveChild(ch)
		for c := ch.FirstChild; c != nil; c = ch.FirstChild {
			ch.RemoveChild(c)
			li.AppendChild(c)
		}
		stack[len(stack)-1].list.AppendChild(li)
		ch = next
	}
}
