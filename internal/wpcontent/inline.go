package wpcontent

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"

	nethtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// inline accumulates the Markdown of a run of inline content. Whitespace
// and line breaks are held back until more content follows, so none is
// ever written at the start or end of a paragraph, and an emphasis or link
// built in a nested inline can move its outer whitespace outside its
// delimiters.
type inline struct {
	c       *converter
	b       strings.Builder
	nested  bool // inside emphasis, a link or the like: paragraphs cannot end here
	heading bool // a heading: everything on one line

	lineStart bool // the next text begins a line (escape block markers)
	space     bool // a space is due before the next content
	breaks    int  // hard line breaks due before the next content
	afterBr   bool // the last thing seen was <br> (a newline after it adds nothing)

	leadSpace  bool // whitespace came before any content
	leadBreaks int  // line breaks came before any content

	markup bool            // something other than text was written
	plain  strings.Builder // the text written, unescaped, for the lone-URL rule

	paras []block // finished paragraphs (classic bodies) and <!--more--> markers
}

func (c *converter) newInline() *inline {
	return &inline{c: c, lineStart: true}
}

// sub returns an inline for nested content (emphasis, link text).
func (in *inline) sub() *inline {
	return &inline{c: in.c, nested: true, heading: in.heading}
}

func (in *inline) requestSpace() {
	in.afterBr = false
	if in.b.Len() == 0 {
		in.leadSpace = true
		return
	}
	if in.breaks == 0 {
		in.space = true
	}
}

func (in *inline) requestBreak() {
	if in.heading {
		in.requestSpace()
		return
	}
	if in.b.Len() == 0 {
		in.leadBreaks++
		return
	}
	in.breaks++
	in.space = false
}

// paraBreak ends a paragraph (a blank line in a classic body). Nested
// content cannot end one, so it gets a visible gap instead.
func (in *inline) paraBreak() {
	in.afterBr = false
	if in.nested || in.heading {
		in.requestBreak()
		in.requestBreak()
		return
	}
	in.endPara()
}

// flush writes due whitespace or breaks ahead of new content.
func (in *inline) flush() {
	if in.b.Len() > 0 {
		switch {
		case in.breaks > 0:
			for range in.breaks {
				in.b.WriteString("\\\n")
			}
			in.lineStart = true
			in.markup = true
		case in.space:
			in.b.WriteByte(' ')
			in.plain.WriteByte(' ')
		}
	}
	in.breaks, in.space, in.afterBr = 0, false, false
}

// raw writes Markdown syntax.
func (in *inline) raw(s string) {
	if s == "" {
		return
	}
	in.flush()
	in.b.WriteString(s)
	in.lineStart = false
	in.markup = true
}

// word writes a run of non-whitespace text, escaped. next is the rune that
// will follow it in the output, or 0 when unknown.
func (in *inline) word(w string, next rune) {
	in.flush()
	escapeText(&in.b, w, in.lastRune(), next, in.lineStart)
	in.plain.WriteString(w)
	in.lineStart = false
}

func (in *inline) lastRune() rune {
	s := in.b.String()
	if s == "" {
		return 0
	}
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

// endPara finishes the current paragraph, if it has content.
func (in *inline) endPara() {
	text := in.b.String()
	if strings.TrimFunc(text, unicode.IsSpace) != "" {
		if p := strings.TrimSpace(in.plain.String()); !in.markup && autolinkable(p) {
			text = "<" + p + ">"
		}
		for _, p := range splitEmbedLines(text) {
			in.paras = append(in.paras, block{kind: kindPara, text: p})
		}
	}
	in.b.Reset()
	in.plain.Reset()
	in.markup, in.space, in.breaks, in.afterBr = false, false, 0, false
	in.leadSpace, in.leadBreaks = false, 0
	in.lineStart = true
}

// splitEmbedLines gives a URL standing on a line of its own inside a
// paragraph (between hard breaks) a paragraph of its own, as an autolink:
// WordPress embeds such URLs, and Masthead's renderer can too.
func splitEmbedLines(text string) []string {
	if !strings.Contains(text, "\n") {
		return []string{text}
	}
	lines := strings.Split(text, "\n")
	for i := range lines[:len(lines)-1] {
		lines[i] = strings.TrimSuffix(lines[i], `\`) // the hard break
	}
	var out []string
	var run []string
	for _, l := range lines {
		if u, ok := embedLine(l); ok {
			if len(run) > 0 {
				out = append(out, strings.Join(run, "\\\n"))
				run = nil
			}
			out = append(out, u)
			continue
		}
		run = append(run, l)
	}
	if len(run) > 0 {
		out = append(out, strings.Join(run, "\\\n"))
	}
	return out
}

// embedLine reports whether a line of Markdown is a URL alone, and returns
// it as an autolink.
func embedLine(l string) (string, bool) {
	l = strings.TrimSpace(l)
	if strings.HasPrefix(l, "<") && strings.HasSuffix(l, ">") && autolinkable(l[1:len(l)-1]) {
		return l, true
	}
	var b strings.Builder
	for i := 0; i < len(l); i++ {
		if l[i] == '\\' && i+1 < len(l) && isASCIIPunct(l[i+1]) {
			i++
		}
		b.WriteByte(l[i])
	}
	u := b.String()
	lower := strings.ToLower(u)
	if (strings.HasPrefix(lower, "http://") || strings.HasPrefix(lower, "https://")) && autolinkable(u) &&
		!strings.ContainsAny(u, "*`[]") {
		return "<" + u + ">", true
	}
	return "", false
}

// finish ends the run and returns its paragraphs.
func (in *inline) finish() []block {
	in.endPara()
	return in.paras
}

// wrap writes sub's content between open and close, moving whitespace and
// breaks at its edges outside the delimiters.
func (in *inline) wrap(sub *inline, open, close string) {
	in.replace(sub, open+sub.b.String()+close)
}

// replace writes s in place of sub's content, keeping the whitespace and
// breaks at sub's edges.
func (in *inline) replace(sub *inline, s string) {
	for range sub.leadBreaks {
		in.requestBreak()
	}
	if sub.leadSpace {
		in.requestSpace()
	}
	in.raw(s)
	in.trailFrom(sub)
}

// trailFrom carries sub's trailing whitespace over to in.
func (in *inline) trailFrom(sub *inline) {
	for range sub.breaks {
		in.requestBreak()
	}
	if sub.space {
		in.requestSpace()
	}
	if sub.afterBr {
		in.afterBr = true
	}
}

func (c *converter) inlineChildren(in *inline, n *nethtml.Node, depth int) {
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		c.inlineNode(in, ch, depth+1)
	}
}

func (c *converter) inlineNode(in *inline, n *nethtml.Node, depth int) {
	if depth > maxDepth {
		c.plainText(in, n)
		return
	}
	switch n.Type {
	case nethtml.TextNode:
		c.text(in, n.Data, nextRune(n))
	case nethtml.CommentNode:
		if m := pageMarker(n.Data); m != "" && !in.nested && !in.heading {
			in.endPara()
			in.paras = append(in.paras, block{kind: kindComment, text: m})
		}
	case nethtml.ElementNode:
		if !skipped(n) {
			c.inlineElement(in, n, depth)
		}
	}
}

// pageMarker returns the comment to keep for WordPress's <!--more-->,
// <!--nextpage--> and <!--noteaser--> markers, or "".
func pageMarker(data string) string {
	d := strings.TrimSpace(data)
	for _, m := range []string{"more", "nextpage", "noteaser"} {
		if d == m || strings.HasPrefix(d, m+" ") {
			if strings.Contains(d, "--") || strings.ContainsAny(d, "<>\n") {
				return "<!--" + m + "-->"
			}
			return "<!--" + d + "-->"
		}
	}
	return ""
}

// text renders a text node. In a classic body a single newline is a line
// break and a blank line ends the paragraph; otherwise whitespace collapses
// to one space.
func (c *converter) text(in *inline, s string, after rune) {
	for i := 0; i < len(s); {
		if isSpace(s[i]) {
			j, newlines := i, 0
			for j < len(s) && isSpace(s[j]) {
				if s[j] == '\n' {
					newlines++
				}
				j++
			}
			switch {
			case (c.autop || c.verse) && newlines >= 2:
				if c.verse {
					in.requestBreak()
					in.requestBreak()
				} else {
					in.paraBreak()
				}
			case (c.autop || c.verse) && newlines == 1:
				if !in.afterBr {
					in.requestBreak()
				}
				in.afterBr = false
			default:
				in.requestSpace()
			}
			i = j
			continue
		}
		j := i
		for j < len(s) && !isSpace(s[j]) {
			j++
		}
		next := after
		if j < len(s) {
			next = ' '
		}
		in.word(s[i:j], next)
		i = j
	}
}

// isSpace reports HTML's ASCII whitespace; a no-break space is text.
func isSpace(b byte) bool {
	return b == ' ' || b == '\t' || b == '\n' || b == '\f' || b == '\r'
}

// plainText renders the text under n with no markup, for trees nested
// deeper than maxDepth. It walks without recursion.
func (c *converter) plainText(in *inline, n *nethtml.Node) {
	stack := []*nethtml.Node{n}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		switch {
		case x.Type == nethtml.TextNode:
			c.text(in, x.Data, 0)
		case skipped(x):
		default:
			for ch := x.LastChild; ch != nil; ch = ch.PrevSibling {
				stack = append(stack, ch)
			}
		}
	}
	in.requestSpace()
}

// replaced are inline elements drawn as a box of their own (a control, a
// player, a picture): the text either side of one is not one word.
var replaced = map[atom.Atom]bool{
	atom.Input: true, atom.Button: true, atom.Select: true, atom.Textarea: true, atom.Iframe: true,
	atom.Video: true, atom.Audio: true, atom.Embed: true, atom.Object: true, atom.Svg: true,
	atom.Math: true, atom.Canvas: true,
}

func (c *converter) inlineElement(in *inline, n *nethtml.Node, depth int) {
	if replaced[n.DataAtom] {
		in.requestSpace()
		defer in.requestSpace()
	}
	switch n.DataAtom {
	case atom.Br:
		in.requestBreak()
		in.afterBr = true
	case atom.Img:
		c.image(in, n)
	case atom.A:
		c.link(in, n, depth)
	case atom.Strong, atom.B:
		c.emphasis(in, n, depth, atom.Strong, "**")
	case atom.Em, atom.I:
		c.emphasis(in, n, depth, atom.Em, "*")
	case atom.Code, atom.Tt:
		codeSpan(in, n)
	case atom.Iframe, atom.Embed, atom.Object, atom.Video, atom.Audio:
		c.media(in, n, depth)
	case atom.Sub, atom.Sup, atom.Del, atom.S, atom.Strike, atom.Ins, atom.U, atom.Mark, atom.Abbr,
		atom.Acronym, atom.Kbd, atom.Samp, atom.Var, atom.Q, atom.Cite, atom.Small, atom.Dfn,
		atom.Time, atom.Bdi, atom.Bdo:
		c.inlineHTML(in, n, depth)
	default:
		if blockAtoms[n.DataAtom] {
			// A block inside inline content (a <div> in a link, say):
			// keep its text, set apart by spaces.
			in.requestSpace()
			c.inlineChildren(in, n, depth)
			in.requestSpace()
			return
		}
		c.inlineChildren(in, n, depth)
	}
}

// emphasis renders <strong>/<b> as **…** and <em>/<i> as *…*. Where
// CommonMark's flanking rules would not let the delimiters work (say
// a<em>"b"</em>c), it writes the HTML tag instead, which CommonMark passes
// through as inline HTML.
func (c *converter) emphasis(in *inline, n *nethtml.Node, depth int, kind atom.Atom, delim string) {
	if c.open == nil {
		c.open = make(map[atom.Atom]int)
	}
	if c.open[kind] > 0 { // <em><em>x</em></em>: once is enough
		c.inlineChildren(in, n, depth)
		return
	}
	sub := in.sub()
	c.open[kind]++
	c.inlineChildren(sub, n, depth)
	c.open[kind]--
	inner := sub.b.String()
	if inner == "" {
		in.wrap(sub, "", "")
		return
	}
	// Decide with the whitespace that will surround the delimiters.
	prev := in.lastRune()
	if sub.leadSpace || sub.leadBreaks > 0 || in.space || in.breaks > 0 {
		prev = ' '
	}
	next := nextRune(n)
	if sub.space || sub.breaks > 0 {
		next = ' '
	}
	first, _ := utf8.DecodeRuneInString(inner)
	last, _ := utf8.DecodeLastRuneInString(inner)
	if prev == '*' || !canOpen(prev, first) || !canClose(last, next) {
		tag := kind.String()
		in.wrap(sub, "<"+tag+">", "</"+tag+">")
		return
	}
	in.wrap(sub, delim, delim)
}

// canOpen and canClose apply CommonMark's left- and right-flanking rules
// to a "*" delimiter run between prev and next (0 = start or end of text).
func canOpen(prev, first rune) bool {
	if isWhite(first) {
		return false
	}
	return !isPunct(first) || isWhite(prev) || isPunct(prev)
}

func canClose(last, next rune) bool {
	if isWhite(last) {
		return false
	}
	return !isPunct(last) || isWhite(next) || isPunct(next)
}

func isWhite(r rune) bool { return r == 0 || unicode.IsSpace(r) }

func isPunct(r rune) bool { return unicode.IsPunct(r) || unicode.IsSymbol(r) }

// nextRune guesses the first rune the output will have after n: the text
// that follows, or a stand-in for the syntax the next element starts with.
// 0 means the end of the inline run.
func nextRune(n *nethtml.Node) rune {
	for x := n; x != nil; x = x.Parent {
		if x.NextSibling != nil {
			return firstRune(x.NextSibling, 0)
		}
		p := x.Parent
		if p == nil || p.Type != nethtml.ElementNode {
			return 0
		}
		switch p.DataAtom {
		case atom.Span, atom.Font, atom.Big, atom.Label, atom.Nobr:
			continue // transparent: look past it
		}
		if inlineAtoms[p.DataAtom] {
			return '*' // a closing delimiter, or "]", "<": punctuation
		}
		return 0
	}
	return 0
}

func firstRune(n *nethtml.Node, depth int) rune {
	switch n.Type {
	case nethtml.TextNode:
		if n.Data == "" {
			return nextRune(n)
		}
		if isSpace(n.Data[0]) {
			return ' '
		}
		r, _ := utf8.DecodeRuneInString(n.Data)
		return r
	case nethtml.ElementNode:
		switch n.DataAtom {
		case atom.Br:
			return '\n'
		case atom.Span, atom.Font, atom.Big, atom.Label, atom.Nobr:
			if n.FirstChild != nil && depth < 8 {
				return firstRune(n.FirstChild, depth+1)
			}
		}
		if blockAtoms[n.DataAtom] {
			return ' '
		}
		return '*' // every other element starts with syntax or is dropped
	}
	return nextRune(n)
}

// link renders <a href> as [text](url "title"), or as <url> when the text
// is the URL. A link whose URL is unsafe or empty keeps only its text.
func (c *converter) link(in *inline, n *nethtml.Node, depth int) {
	href, ok := safeURL(attr(n, "href"), false)
	if !ok {
		c.inlineChildren(in, n, depth)
		return
	}
	sub := in.sub()
	c.inlineChildren(sub, n, depth)
	inner := sub.b.String()
	if inner == "" {
		in.wrap(sub, "", "")
		return
	}
	if !sub.markup && strings.TrimSpace(sub.plain.String()) == href && autolinkable(href) {
		in.replace(sub, "<"+href+">")
		return
	}
	in.wrap(sub, "[", "]("+linkDestination(href)+linkTitle(attr(n, "title"))+")")
}

// image renders <img> as ![alt](src "title"). An image with an unsafe
// source (javascript:, data:) is dropped, its alt text kept as text.
func (c *converter) image(in *inline, n *nethtml.Node) {
	if c.paste {
		return // an image from elsewhere: the writer uploads it to the library
	}
	alt := strings.Join(strings.Fields(attr(n, "alt")), " ")
	src, ok := safeURL(attr(n, "src"), true)
	if !ok || src == "" {
		if alt != "" {
			c.text(in, " "+alt+" ", 0)
		}
		return
	}
	var b strings.Builder
	b.WriteString("![")
	for i, w := range strings.Fields(alt) {
		if i > 0 {
			b.WriteByte(' ')
		}
		escapeText(&b, w, ' ', ' ', false)
	}
	b.WriteString("](" + linkDestination(src) + linkTitle(attr(n, "title")) + ")")
	in.raw(b.String())
}

// media renders an embedded player as a link to what it plays.
func (c *converter) media(in *inline, n *nethtml.Node, depth int) {
	key := "src"
	if n.DataAtom == atom.Object {
		key = "data"
	}
	src := strings.TrimSpace(attr(n, key))
	if src == "" && (n.DataAtom == atom.Video || n.DataAtom == atom.Audio) {
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			if ch.Type == nethtml.ElementNode && ch.DataAtom == atom.Source {
				if src = strings.TrimSpace(attr(ch, "src")); src != "" {
					break
				}
			}
		}
	}
	if u, ok := safeURL(src, false); ok && u != "" {
		if autolinkable(u) {
			in.raw("<" + u + ">")
		} else {
			in.raw("[" + escapeURLText(u) + "](" + linkDestination(u) + ")")
		}
		in.requestSpace() // apart from any fallback content
	}
	switch n.DataAtom {
	case atom.Iframe, atom.Embed:
		return // an iframe's content is not shown; an embed has none
	case atom.Object:
		if src != "" {
			// Its <embed> fallback would repeat the URL; keep only text.
			for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
				if ch.Type == nethtml.TextNode || (ch.Type == nethtml.ElementNode && ch.DataAtom != atom.Embed) {
					c.inlineNode(in, ch, depth+1)
				}
			}
			return
		}
	}
	c.inlineChildren(in, n, depth) // fallback content
}

func escapeURLText(u string) string {
	var b strings.Builder
	escapeText(&b, u, ' ', ' ', false)
	return b.String()
}

// codeSpan renders <code> as a backtick code span.
func codeSpan(in *inline, n *nethtml.Node) {
	raw := spacedText(n)
	text := strings.Join(strings.FieldsFunc(raw, func(r rune) bool {
		return r < utf8.RuneSelf && isSpace(byte(r))
	}), " ")
	if raw != "" && isSpace(raw[0]) {
		in.requestSpace()
	}
	if text != "" {
		fence := strings.Repeat("`", longestRun(text, '`')+1)
		if text[0] == '`' || text[len(text)-1] == '`' {
			text = " " + text + " "
		}
		in.raw(fence + text + fence)
	}
	if raw != "" && isSpace(raw[len(raw)-1]) {
		in.requestSpace()
	}
}

// spacedText is the text under n, with a space where a block, a break or
// a replaced element separates words.
func spacedText(n *nethtml.Node) string {
	var b strings.Builder
	var walk func(*nethtml.Node)
	walk = func(n *nethtml.Node) {
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			switch {
			case ch.Type == nethtml.TextNode:
				b.WriteString(ch.Data)
			case ch.Type != nethtml.ElementNode || skipped(ch):
			case blockAtoms[ch.DataAtom] || replaced[ch.DataAtom] || ch.DataAtom == atom.Br:
				b.WriteByte(' ')
				walk(ch)
				b.WriteByte(' ')
			default:
				walk(ch)
			}
		}
	}
	walk(n)
	return b.String()
}

// inlineHTMLAttrs are the attributes kept on inline elements written as
// HTML; every other attribute is dropped.
var inlineHTMLAttrs = map[string]bool{"title": true, "datetime": true, "dir": true, "lang": true}

// inlineHTML writes phrase elements Markdown has no syntax for (<sup>,
// <abbr title>, <del>…) as inline HTML around their converted content.
func (c *converter) inlineHTML(in *inline, n *nethtml.Node, depth int) {
	if c.paste {
		c.inlineChildren(in, n, depth)
		return
	}
	sub := in.sub()
	c.inlineChildren(sub, n, depth)
	if sub.b.Len() == 0 {
		in.wrap(sub, "", "")
		return
	}
	tag := n.DataAtom.String()
	var open strings.Builder
	open.WriteString("<" + tag)
	for _, a := range n.Attr {
		if a.Namespace == "" && inlineHTMLAttrs[a.Key] {
			open.WriteString(" " + a.Key + `="` + html.EscapeString(a.Val) + `"`)
		}
	}
	open.WriteString(">")
	in.wrap(sub, open.String(), "</"+tag+">")
}

// escapeText writes a run of text (no whitespace) with the characters
// CommonMark would read as syntax backslash-escaped. prev and next are the
// runes around it (0 at either end); lineStart says it begins a line,
// where "#", ">", "-", "+", "=" and "1." would start a block.
func escapeText(b *strings.Builder, s string, prev, next rune, lineStart bool) {
	if lineStart {
		if s != "" && strings.IndexByte("#>-+=", s[0]) >= 0 {
			b.WriteByte('\\')
		} else if d := leadingDigits(s); d > 0 && d <= 9 && d < len(s) && (s[d] == '.' || s[d] == ')') {
			b.WriteString(s[:d])
			b.WriteByte('\\')
			prev = rune(s[d-1])
			s = s[d:]
		}
	}
	for i, r := range s {
		following := next
		if j := i + utf8.RuneLen(r); j < len(s) {
			following, _ = utf8.DecodeRuneInString(s[j:])
		}
		switch r {
		case '*', '`', '[', ']', '<', '|', '~':
			b.WriteByte('\\')
		case '\\':
			// Before punctuation it would escape it; at a line end it would
			// be a hard break. Before a letter or digit it is literal.
			if !isAlnum(following) {
				b.WriteByte('\\')
			}
		case '_':
			if !isAlnum(prev) || !isAlnum(following) {
				b.WriteByte('\\')
			}
		case '&':
			if entityAt(s[i:]) {
				b.WriteByte('\\')
			}
		}
		b.WriteRune(r)
		prev = r
	}
}

func leadingDigits(s string) int {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n
}

func isAlnum(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

func isASCIIPunct(c byte) bool {
	return c >= '!' && c <= '/' || c >= ':' && c <= '@' || c >= '[' && c <= '`' || c >= '{' && c <= '~'
}

// entityAt reports whether s starts with something CommonMark would decode
// as an entity or character reference ("&amp;", "&#38;", "&#x26;").
func entityAt(s string) bool {
	i := 1
	if i < len(s) && s[i] == '#' {
		i++
		if i < len(s) && (s[i] == 'x' || s[i] == 'X') {
			i++
		}
	}
	start := i
	for i < len(s) && i-start < 32 && (s[i] >= '0' && s[i] <= '9' || s[i] >= 'a' && s[i] <= 'z' || s[i] >= 'A' && s[i] <= 'Z') {
		i++
	}
	return i > start && i < len(s) && s[i] == ';'
}

// safeURL cleans a URL from an href or src and reports whether it may be
// linked: relative, or http(s), mailto, tel or ftp (images: http(s) or
// relative only). Browsers ignore tabs, newlines and other controls in a
// URL, so they are removed before the scheme is checked.
func safeURL(raw string, image bool) (string, bool) {
	u := strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, strings.TrimSpace(raw))
	if u == "" {
		return "", false
	}
	scheme := ""
	for i := 0; i < len(u); i++ {
		c := u[i]
		if c == ':' {
			scheme = strings.ToLower(u[:i])
			break
		}
		if c == '/' || c == '?' || c == '#' {
			break
		}
	}
	switch scheme {
	case "", "http", "https":
		return u, true
	case "mailto", "tel", "ftp":
		return u, !image
	}
	return "", false
}

// autolinkable reports whether u can be written as a CommonMark autolink,
// <u>: an absolute http(s) or mailto URL with no spaces or angle brackets.
func autolinkable(u string) bool {
	lower := strings.ToLower(u)
	if !strings.HasPrefix(lower, "http://") && !strings.HasPrefix(lower, "https://") && !strings.HasPrefix(lower, "mailto:") {
		return false
	}
	if len(u) <= len("https://") {
		return false
	}
	for _, r := range u {
		if r <= ' ' || r == '<' || r == '>' || r == 0x7f || unicode.IsSpace(r) {
			return false
		}
	}
	return true
}

// linkDestination writes a URL as a link destination, in angle brackets
// when it has spaces or parentheses.
func linkDestination(u string) string {
	var b strings.Builder
	for i := 0; i < len(u); i++ {
		switch c := u[i]; c {
		case ' ':
			b.WriteString("%20")
		case '<':
			b.WriteString("%3C")
		case '>':
			b.WriteString("%3E")
		case '\\':
			b.WriteString("%5C")
		case '&':
			if entityAt(u[i:]) {
				b.WriteByte('\\')
			}
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	d := b.String()
	if strings.ContainsAny(d, "()") {
		return "<" + d + ">"
	}
	return d
}

// linkTitle writes a title attribute as a link title, or "".
func linkTitle(t string) string {
	t = strings.Join(strings.Fields(t), " ")
	if t == "" {
		return ""
	}
	var b strings.Builder
	b.WriteString(` "`)
	for i := 0; i < len(t); i++ {
		switch c := t[i]; c {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '&':
			if entityAt(t[i:]) {
				b.WriteByte('\\')
			}
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}
