package wpcontent

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// maxDepth bounds recursion over the parsed tree. Below it, an element's
// text is still kept, as plain text.
const maxDepth = 200

// converter holds the state of one conversion.
type converter struct {
	autop  bool // classic-editor body: blank line = paragraph, newline = <br>
	policy *bluemonday.Policy
	open   map[atom.Atom]int // emphasis elements being rendered, to avoid **nesting**
	verse  bool              // inside <pre class="wp-block-verse">: newlines are line breaks
	paste  bool              // Clipboard: the basics only, no kept HTML or images
}

type blockKind uint8

const (
	kindPara blockKind = iota
	kindHeading
	kindList
	kindQuote
	kindCode
	kindHTML
	kindRule
	kindComment // <!--more--> and friends
)

// block is one rendered Markdown block.
type block struct {
	kind    blockKind
	text    string
	ordered bool // kindList: an ordered list
	alt     bool // kindList: drawn with the alternate marker
	start1  bool // kindList: ordered and starting at 1 (may interrupt a paragraph)
}

// joinBlocks joins blocks with blank lines. In a tight list item, a list
// that may interrupt a paragraph follows it directly, so the item stays
// tight. Two adjacent lists of the same kind would merge into one, so the
// second is redrawn with the other marker ("*" for "-", ")" for ".").
func joinBlocks(blocks []block, tight bool) string {
	var b strings.Builder
	for i := range blocks {
		bl := &blocks[i]
		if i > 0 {
			prev := blocks[i-1]
			if prev.kind == kindList && bl.kind == kindList && prev.ordered == bl.ordered && prev.alt == bl.alt {
				bl.text = toggleMarkers(bl.text, bl.ordered)
				bl.alt = !bl.alt
			}
			if tight && prev.kind == kindPara && bl.kind == kindList && (!bl.ordered || bl.start1) {
				b.WriteString("\n")
			} else {
				b.WriteString("\n\n")
			}
		}
		b.WriteString(bl.text)
	}
	return b.String()
}

// toggleMarkers swaps a rendered list's markers for the alternate ones.
// The list's own markers are the only text in column 0: item content is
// indented.
func toggleMarkers(text string, ordered bool) string {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		switch {
		case l == "" || l[0] == ' ':
		case ordered:
			if d := leadingDigits(l); d < len(l) {
				swap := map[byte]string{'.': ")", ')': "."}[l[d]]
				lines[i] = l[:d] + swap + l[d+1:]
			}
		case l[0] == '-':
			lines[i] = "*" + l[1:]
		case l[0] == '*':
			lines[i] = "-" + l[1:]
		}
	}
	return strings.Join(lines, "\n")
}

func childNodes(n *html.Node) []*html.Node {
	var out []*html.Node
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		out = append(out, c)
	}
	return out
}

// flow renders a sequence of sibling nodes as blocks: runs of inline
// content become paragraphs, block elements their own blocks.
func (c *converter) flow(nodes []*html.Node, depth int) []block {
	f := &flowState{c: c, in: c.newInline()}
	for _, n := range nodes {
		f.visit(n, depth)
	}
	f.flush()
	return f.blocks
}

type flowState struct {
	c      *converter
	in     *inline
	blocks []block
}

func (f *flowState) flush() {
	f.blocks = append(f.blocks, f.in.finish()...)
	f.in = f.c.newInline()
}

func (f *flowState) visit(n *html.Node, depth int) {
	c := f.c
	switch {
	case skipped(n):
	case depth > maxDepth:
		c.plainText(f.in, n)
	case splices(n):
		// A wrapper with no rendering of its own that holds blocks: its
		// children take its place, so text beside a block inside it
		// still runs on from the text before it.
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			f.visit(ch, depth+1)
		}
	case blockAtoms[n.DataAtom] && n.Type == html.ElementNode:
		f.flush()
		f.blocks = append(f.blocks, c.block(n, depth+1)...)
	default:
		c.inlineNode(f.in, n, depth+1)
	}
}

// splices reports an element that is unknown or a plain inline wrapper
// (<span>, <font>) and holds a block.
func splices(n *html.Node) bool {
	if n.Type != html.ElementNode || blockAtoms[n.DataAtom] {
		return false
	}
	switch n.DataAtom {
	case atom.Span, atom.Font, atom.Big, atom.Nobr, atom.Label, atom.Blink, atom.Marquee:
	default:
		if inlineAtoms[n.DataAtom] {
			return false
		}
	}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		if ch.Type == html.ElementNode && (blockAtoms[ch.DataAtom] || splices(ch)) {
			return true
		}
	}
	return false
}

// skipped reports nodes whose content is never shown: scripts, styles,
// templates, document-level elements.
func skipped(n *html.Node) bool {
	if n.Type == html.DoctypeNode {
		return true
	}
	if n.Type != html.ElementNode {
		return false
	}
	switch n.DataAtom {
	case atom.Script, atom.Style, atom.Template, atom.Noscript, atom.Noframes,
		atom.Head, atom.Title, atom.Meta, atom.Link, atom.Base, atom.Param, atom.Source, atom.Track:
		return true
	}
	return false
}

// blockAtoms are the elements rendered as blocks of their own.
var blockAtoms = map[atom.Atom]bool{
	atom.P: true, atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Ul: true, atom.Ol: true, atom.Menu: true, atom.Dir: true, atom.Li: true,
	atom.Blockquote: true, atom.Pre: true, atom.Listing: true, atom.Xmp: true, atom.Plaintext: true, atom.Hr: true,
	atom.Table: true, atom.Caption: true, atom.Dl: true, atom.Dt: true, atom.Dd: true, atom.Details: true, atom.Summary: true,
	atom.Form: true, atom.Fieldset: true, atom.Figure: true, atom.Figcaption: true,
	atom.Div: true, atom.Section: true, atom.Article: true, atom.Header: true, atom.Footer: true,
	atom.Main: true, atom.Aside: true, atom.Nav: true, atom.Address: true, atom.Center: true,
	atom.Hgroup: true, atom.Dialog: true, atom.Body: true, atom.Html: true, atom.Legend: true,
	// Table parts only stand outside a table in broken markup; they still
	// separate their content from what is around it.
	atom.Thead: true, atom.Tbody: true, atom.Tfoot: true, atom.Tr: true, atom.Td: true, atom.Th: true,
	atom.Colgroup: true, atom.Col: true,
}

// inlineAtoms are elements known to be inline. Unknown elements are
// inline too, as in browsers; one that holds a block is spliced into the
// flow around it (see splices).
var inlineAtoms = map[atom.Atom]bool{
	atom.A: true, atom.Abbr: true, atom.Acronym: true, atom.B: true, atom.Bdi: true, atom.Bdo: true,
	atom.Big: true, atom.Br: true, atom.Cite: true, atom.Code: true, atom.Data: true, atom.Dfn: true,
	atom.Em: true, atom.Font: true, atom.I: true, atom.Img: true, atom.Ins: true, atom.Del: true,
	atom.Kbd: true, atom.Mark: true, atom.Q: true, atom.S: true, atom.Samp: true, atom.Small: true,
	atom.Span: true, atom.Strike: true, atom.Strong: true, atom.Sub: true, atom.Sup: true, atom.Time: true,
	atom.Tt: true, atom.U: true, atom.Var: true, atom.Wbr: true, atom.Label: true, atom.Button: true,
	atom.Input: true, atom.Select: true, atom.Option: true, atom.Optgroup: true, atom.Textarea: true,
	atom.Iframe: true, atom.Embed: true, atom.Object: true, atom.Video: true, atom.Audio: true,
	atom.Picture: true, atom.Svg: true, atom.Math: true, atom.Nobr: true, atom.Blink: true,
	atom.Marquee: true, atom.Ruby: true, atom.Rt: true, atom.Rp: true, atom.Output: true, atom.Meter: true,
	atom.Progress: true, atom.Canvas: true, atom.Map: true, atom.Area: true,
}

func (c *converter) isBlock(n *html.Node) bool {
	return n.Type == html.ElementNode && (blockAtoms[n.DataAtom] || splices(n))
}

// block renders one block-level element.
func (c *converter) block(n *html.Node, depth int) []block {
	switch n.DataAtom {
	case atom.P:
		return c.paragraph(n, depth)
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		return c.heading(n, depth)
	case atom.Ul, atom.Ol, atom.Menu, atom.Dir:
		return c.list(n, depth)
	case atom.Blockquote:
		return c.blockquote(n, depth)
	case atom.Pre, atom.Listing, atom.Xmp, atom.Plaintext:
		if hasClass(n, "wp-block-verse") {
			return c.verseBlock(n, depth)
		}
		return codeBlock(n)
	case atom.Hr:
		return []block{{kind: kindRule, text: "---"}}
	case atom.Table, atom.Dl, atom.Details, atom.Form, atom.Fieldset, atom.Dialog:
		if !c.paste {
			return c.htmlBlock(n)
		}
	case atom.Figure:
		if !c.paste {
			return c.figure(n, depth)
		}
	}
	// Containers (div, section, li outside a list, figcaption outside a
	// figure, unknown elements holding blocks) vanish; their content stays.
	return c.flow(childNodes(n), depth)
}

func (c *converter) paragraph(n *html.Node, depth int) []block {
	in := c.newInline()
	c.inlineChildren(in, n, depth)
	return in.finish()
}

func (c *converter) heading(n *html.Node, depth int) []block {
	in := c.newInline()
	in.heading = true
	c.inlineChildren(in, n, depth)
	text := strings.TrimSpace(in.b.String())
	if text == "" {
		return nil
	}
	// A trailing "#" would be read as a closing sequence.
	if strings.HasSuffix(text, "#") && !strings.HasSuffix(text, `\#`) {
		text = text[:len(text)-1] + `\#`
	}
	level := int(n.Data[1] - '0')
	if c.paste {
		level = max(level, 2) // the headline is the article's h1
	}
	return []block{{kind: kindHeading, text: strings.Repeat("#", level) + " " + text}}
}

func (c *converter) blockquote(n *html.Node, depth int) []block {
	body := joinBlocks(c.flow(childNodes(n), depth), false)
	if body == "" {
		return nil
	}
	lines := strings.Split(body, "\n")
	for i, l := range lines {
		if l == "" {
			lines[i] = ">"
		} else {
			lines[i] = "> " + l
		}
	}
	return []block{{kind: kindQuote, text: strings.Join(lines, "\n")}}
}

// list renders <ul>/<ol> (and the obsolete <menu>, <dir>).
func (c *converter) list(n *html.Node, depth int) []block {
	ordered := n.DataAtom == atom.Ol
	start := 1
	if ordered {
		if v, err := strconv.Atoi(strings.TrimSpace(attr(n, "start"))); err == nil && v >= 0 && v < 1e8 {
			start = v
		}
	}
	var items [][]block
	var stray []*html.Node // content outside any <li>
	flushStray := func() {
		if len(stray) == 0 {
			return
		}
		blocks := c.flow(stray, depth)
		stray = nil
		if len(blocks) == 0 {
			return
		}
		if len(items) > 0 {
			items[len(items)-1] = append(items[len(items)-1], blocks...)
		} else {
			items = append(items, blocks)
		}
	}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		if ch.Type == html.ElementNode && ch.DataAtom == atom.Li {
			flushStray()
			items = append(items, c.flow(childNodes(ch), depth+1))
			continue
		}
		stray = append(stray, ch)
	}
	flushStray()
	if len(items) == 0 {
		return nil
	}
	tight := true
	for _, it := range items {
		if len(it) <= 1 {
			continue
		}
		if it[0].kind != kindPara {
			tight = false
		}
		for _, b := range it[1:] {
			if b.kind != kindList || (b.ordered && !b.start1) {
				tight = false
			}
		}
	}
	var out strings.Builder
	for i, it := range items {
		if i > 0 {
			if tight {
				out.WriteString("\n")
			} else {
				out.WriteString("\n\n")
			}
		}
		marker := "-"
		if ordered {
			marker = strconv.Itoa(start+i) + "."
		}
		body := joinBlocks(it, tight)
		if body == "" {
			out.WriteString(marker)
			continue
		}
		indent := strings.Repeat(" ", len(marker)+1)
		lines := strings.Split(body, "\n")
		out.WriteString(marker)
		if thematicBreakLike(lines[0]) {
			// "- ---" would be a rule, not an item holding one.
			out.WriteString("\n" + indent + lines[0])
		} else {
			out.WriteString(" " + lines[0])
		}
		for _, l := range lines[1:] {
			out.WriteString("\n")
			if l != "" {
				out.WriteString(indent + l)
			}
		}
	}
	return []block{{kind: kindList, text: out.String(), ordered: ordered, start1: !ordered || start == 1}}
}

// thematicBreakLike reports whether a line, placed after a list marker,
// could make the whole line a thematic break or list marker run.
func thematicBreakLike(l string) bool {
	l = strings.TrimSpace(l)
	if l == "" {
		return false
	}
	for _, r := range l {
		if r != '-' && r != '*' && r != '_' && r != ' ' && r != '\t' {
			return false
		}
	}
	return true
}

// codeBlock renders <pre> as a fenced code block. The fence is longer than
// any run of backticks inside; a language-* or lang-* class becomes the
// info string.
func codeBlock(n *html.Node) []block {
	var b strings.Builder
	preText(&b, n)
	text := strings.TrimRight(b.String(), "\n")
	if strings.TrimSpace(text) == "" {
		return nil
	}
	fence := strings.Repeat("`", max(3, longestRun(text, '`')+1))
	return []block{{kind: kindCode, text: fence + codeLanguage(n) + "\n" + text + "\n" + fence}}
}

// preText collects the text under n, with <br> as a newline.
func preText(b *strings.Builder, n *html.Node) {
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		switch {
		case ch.Type == html.TextNode:
			b.WriteString(ch.Data)
		case ch.Type == html.ElementNode && ch.DataAtom == atom.Br:
			b.WriteString("\n")
		case ch.Type == html.ElementNode && (ch.DataAtom == atom.Td || ch.DataAtom == atom.Th):
			if b.Len() > 0 && !strings.HasSuffix(b.String(), "\n") {
				b.WriteString("\t")
			}
			preText(b, ch)
		case ch.Type == html.ElementNode && (blockAtoms[ch.DataAtom] || ch.DataAtom == atom.Tr):
			// A block inside <pre> still starts and ends a line.
			if b.Len() > 0 && !strings.HasSuffix(b.String(), "\n") {
				b.WriteString("\n")
			}
			preText(b, ch)
			if !strings.HasSuffix(b.String(), "\n") {
				b.WriteString("\n")
			}
		case ch.Type == html.ElementNode && !skipped(ch):
			preText(b, ch)
		}
	}
}

var languageClass = regexp.MustCompile(`(?:^|\s)(?:language|lang)-([A-Za-z0-9_+#.-]+)`)

func codeLanguage(n *html.Node) string {
	for x := n; x != nil; x = x.FirstChild {
		if x.Type != html.ElementNode {
			break
		}
		if m := languageClass.FindStringSubmatch(attr(x, "class")); m != nil {
			return m[1]
		}
	}
	return ""
}

func longestRun(s string, c byte) int {
	best, run := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			run++
			best = max(best, run)
		} else {
			run = 0
		}
	}
	return best
}

// verseBlock renders Gutenberg's verse block (a <pre> for poetry) as a
// paragraph whose lines end in hard breaks, keeping its emphasis.
func (c *converter) verseBlock(n *html.Node, depth int) []block {
	c.verse = true
	defer func() { c.verse = false }()
	return c.paragraph(n, depth)
}

// figure renders a <figure>. An image with a caption, and anything holding
// a table, is kept as a sanitised HTML figure; other figures (embeds,
// videos, pull quotes, galleries) are unwrapped, the caption becoming a
// paragraph after the content.
func (c *converter) figure(n *html.Node, depth int) []block {
	var caption *html.Node
	var content []*html.Node
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		if ch.Type == html.ElementNode && ch.DataAtom == atom.Figcaption && caption == nil {
			caption = ch
			continue
		}
		content = append(content, ch)
	}
	captioned := caption != nil && strings.TrimSpace(textContent(caption)) != ""
	if findAtom(n, atom.Table) || (captioned && singleImage(content)) {
		if blocks := c.htmlBlock(n); blocks != nil {
			return blocks
		}
	}
	blocks := c.flow(content, depth)
	if caption != nil {
		blocks = append(blocks, c.flow(childNodes(caption), depth)...)
	}
	return blocks
}

// singleImage reports whether nodes hold exactly one image, perhaps inside
// a link or wrappers, and no text.
func singleImage(nodes []*html.Node) bool {
	images := 0
	var walk func(n *html.Node) bool
	walk = func(n *html.Node) bool {
		switch n.Type {
		case html.TextNode:
			return strings.TrimSpace(n.Data) == ""
		case html.CommentNode:
			return true
		case html.ElementNode:
			switch n.DataAtom {
			case atom.Img:
				images++
				return images == 1
			case atom.A, atom.Div, atom.P, atom.Span, atom.Picture:
				for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
					if !walk(ch) {
						return false
					}
				}
				return true
			case atom.Source:
				return true
			}
		}
		return false
	}
	for _, n := range nodes {
		if !walk(n) {
			return false
		}
	}
	return images == 1
}

func findAtom(n *html.Node, a atom.Atom) bool {
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		if ch.Type == html.ElementNode && (ch.DataAtom == a || findAtom(ch, a)) {
			return true
		}
	}
	return false
}

func textContent(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			if ch.Type == html.TextNode {
				b.WriteString(ch.Data)
			} else if !skipped(ch) {
				walk(ch)
			}
		}
	}
	walk(n)
	return b.String()
}

// htmlBlock keeps n as a raw HTML block, sanitised. CommonMark ends an
// HTML block at a blank line, so blank lines inside become a line holding
// an encoded newline (the same text in <pre>, whitespace elsewhere), and
// the block starts with a tag that opens an HTML block.
func (c *converter) htmlBlock(n *html.Node) []block {
	spaceOut(n)
	var b strings.Builder
	if err := html.Render(&b, n); err != nil {
		return nil
	}
	s := strings.TrimSpace(c.policy.Sanitize(b.String()))
	if s == "" {
		return nil
	}
	s = blankLine.ReplaceAllString(s, "\n$1&#10;")
	if !startsHTMLBlock(s) {
		s = "<div>" + s + "</div>"
	}
	return []block{{kind: kindHTML, text: s}}
}

// strippedBlocks are the block-level elements the sanitiser removes.
var strippedBlocks = map[atom.Atom]bool{
	atom.Form: true, atom.Fieldset: true, atom.Legend: true, atom.Nav: true, atom.Header: true,
	atom.Footer: true, atom.Main: true, atom.Dialog: true, atom.Center: true, atom.Address: true,
	atom.Listing: true, atom.Xmp: true, atom.Plaintext: true, atom.Option: true, atom.Optgroup: true,
}

// spaceOut puts a space either side of every element under n that the
// sanitiser strips but a browser draws apart from its neighbours (a form
// control, a player, a <form>), so the words either side stay apart; the
// inline elements it strips (a <font>, a custom element) still join their
// text to the next as a browser would.
func spaceOut(n *html.Node) {
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		if ch.Type != html.ElementNode {
			continue
		}
		spaceOut(ch)
		if strippedBlocks[ch.DataAtom] || replaced[ch.DataAtom] {
			n.InsertBefore(&html.Node{Type: html.TextNode, Data: " "}, ch)
			n.InsertBefore(&html.Node{Type: html.TextNode, Data: " "}, ch.NextSibling)
			ch = ch.NextSibling
		}
	}
}

var blankLine = regexp.MustCompile(`\n([ \t]*)\n`)

// htmlBlockTags are the tags that start a CommonMark HTML block (type 6)
// and that the sanitiser can leave at the start of a kept block.
var htmlBlockTags = map[string]bool{
	"address": true, "article": true, "aside": true, "blockquote": true, "caption": true, "center": true,
	"dd": true, "details": true, "div": true, "dl": true, "dt": true, "figcaption": true, "figure": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "hr": true, "li": true,
	"ol": true, "p": true, "section": true, "summary": true, "table": true, "tbody": true, "td": true,
	"tfoot": true, "th": true, "thead": true, "tr": true, "ul": true,
}

func startsHTMLBlock(s string) bool {
	if !strings.HasPrefix(s, "<") {
		return false
	}
	end := 1
	for end < len(s) && (s[end] >= 'a' && s[end] <= 'z' || s[end] >= '0' && s[end] <= '9') {
		end++
	}
	if !htmlBlockTags[s[1:end]] || end == len(s) {
		return false
	}
	return s[end] == '>' || s[end] == ' ' || s[end] == '\n' || s[end] == '/'
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasClass(n *html.Node, class string) bool {
	for _, f := range strings.Fields(attr(n, "class")) {
		if f == class {
			return true
		}
	}
	return false
}
