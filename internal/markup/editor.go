package markup

import (
	"html"
	"regexp"
	"strings"
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// The newsroom's visual editor (internal/render/static/editor.js) edits
// Markdown without ever re-writing what the writer did not touch. Editor
// splits a body into its top-level blocks, keeping each block's exact
// source and the exact separator after it, and renders each as HTML the
// editor shows:
//
//   - paragraphs, headings, quotes (pull quotes too) and lists whose
//     content the editor can say again in Markdown (emphasis, links, code,
//     strikethrough, line breaks) become editable HTML;
//   - everything else — a figure (a paragraph holding only an image), an
//     embed (a paragraph holding only a URL that EmbedFor knows), tables,
//     code, raw HTML, rules,
//     link reference definitions, and anything the editor could not write
//     back exactly — becomes a "card" the editor does not edit in place: a
//     preview, with its Markdown kept.
//
// Every top-level element carries data-md (its source) and data-sep (the
// text up to the next block). The editor writes an untouched block's
// data-md and data-sep back verbatim, so opening a body and saving it
// unchanged gives the same bytes; only blocks the writer changed are
// written from the page. Concatenating every data-md and data-sep in order
// gives the body back exactly (blank lines before the first block are part
// of its data-md).

// editorParser reads Markdown for the editor: the block structure is the
// reader site's (GFM tables and task lists), but without Linkify and the
// Typographer, which would make the editor show (and then write back)
// links and curly quotes the writer did not type.
var editorParser = sync.OnceValue(func() parser.Parser {
	return goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.TaskList)).Parser()
})

// Editor renders a body as the visual editor's blocks (see above).
func (r *Renderer) Editor(src string) string {
	source := []byte(src)
	doc := editorParser().Parse(text.NewReader(source))
	blocks := splitBlocks(source, doc)
	if len(blocks) == 0 && src != "" {
		// Only blank lines: an empty paragraph to type in, keeping them.
		return `<p data-md="" data-sep="` + attrEscape(src) + `"><br></p>`
	}
	var out strings.Builder
	for _, b := range blocks {
		r.editorBlock(&out, source, b)
	}
	return out.String()
}

// attrEscape escapes an attribute value. A carriage return is written as
// a character reference, as an HTML parser turns a literal one into a
// line feed.
func attrEscape(s string) string {
	return strings.ReplaceAll(html.EscapeString(s), "\r", "&#13;")
}

// sourceBlock is one top-level block: its node (nil for text no node
// claims) and its source, split into the block itself and the separator
// after it.
type sourceBlock struct {
	node    ast.Node
	md, sep string
}

// splitBlocks cuts source at the line where each top-level block starts.
// A block's chunk runs to the start of the next one; its trailing blank
// lines are the separator. Nodes whose start cannot be found (or that do
// not start after the previous one) stay in the previous chunk, which then
// becomes a card.
func splitBlocks(source []byte, doc ast.Node) []sourceBlock {
	type start struct {
		at   int
		node ast.Node
	}
	var starts []start
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		at := nodeStart(n)
		if at < 0 {
			if len(starts) > 0 {
				starts[len(starts)-1].node = nil
			}
			continue
		}
		at = lineStart(source, at)
		if len(starts) > 0 && at <= starts[len(starts)-1].at {
			starts[len(starts)-1].node = nil
			continue
		}
		starts = append(starts, start{at, n})
	}
	if len(starts) == 0 {
		if strings.TrimSpace(string(source)) == "" {
			return nil
		}
		starts = append(starts, start{0, nil})
	}
	starts[0].at = 0 // blank lines before the first block belong to it
	blocks := make([]sourceBlock, len(starts))
	for i, s := range starts {
		end := len(source)
		if i+1 < len(starts) {
			end = starts[i+1].at
		}
		chunk := string(source[s.at:end])
		cut := contentEnd(chunk)
		blocks[i] = sourceBlock{node: s.node, md: chunk[:cut], sep: chunk[cut:]}
	}
	return blocks
}

// nodeStart is where a block's source starts, or -1: its position when the
// parser recorded one, else its first line, else its first child's.
func nodeStart(n ast.Node) int {
	if p := n.Pos(); p >= 0 {
		return p
	}
	if n.Type() == ast.TypeBlock {
		if l := n.Lines(); l != nil && l.Len() > 0 {
			return l.At(0).Start
		}
	}
	if t, ok := n.(*ast.Text); ok {
		return t.Segment.Start
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if p := nodeStart(c); p >= 0 {
			return p
		}
	}
	return -1
}

func lineStart(source []byte, at int) int {
	at = min(at, len(source))
	for at > 0 && source[at-1] != '\n' {
		at--
	}
	return at
}

// contentEnd is where a chunk's trailing blank lines begin: the end of its
// last line that holds anything but whitespace.
func contentEnd(chunk string) int {
	last := strings.LastIndexFunc(chunk, func(r rune) bool { return r != ' ' && r != '\t' && r != '\n' && r != '\r' })
	if last < 0 {
		return 0
	}
	if nl := strings.IndexByte(chunk[last:], '\n'); nl >= 0 {
		end := last + nl
		if end > 0 && chunk[end-1] == '\r' {
			end--
		}
		return end
	}
	return len(chunk)
}

// editorBlock writes one block: editable HTML when the editor can write it
// back, else a card.
func (r *Renderer) editorBlock(out *strings.Builder, source []byte, b sourceBlock) {
	attrs := ` data-md="` + attrEscape(b.md) + `" data-sep="` + attrEscape(b.sep) + `"`
	if b.node != nil {
		if p, ok := b.node.(*ast.Paragraph); ok {
			if img := loneImage(p); img != nil {
				r.figureCard(out, attrs, source, img)
				return
			}
			if e, ok := paragraphEmbed(p, source); ok {
				embedCard(out, attrs, e)
				return
			}
		}
		var w editorWriter
		w.source = source
		if w.block(b.node) {
			out.WriteString(strings.Replace(w.b.String(), ">", attrs+">", 1))
			return
		}
	}
	r.card(out, attrs, b)
}

// loneImage returns the image a paragraph holds alone (a figure), or nil.
func loneImage(p *ast.Paragraph) *ast.Image {
	img, ok := p.FirstChild().(*ast.Image)
	if !ok || p.ChildCount() != 1 {
		return nil
	}
	return img
}

var bareURL = regexp.MustCompile(`^https?://[^\s<>]+$`)

// paragraphEmbed returns the embed a paragraph holding only a URL stands
// for on the reader site (newsTransformer and EmbedFor decide), if any.
// The editor's parser has no Linkify, so a bare URL is text here.
func paragraphEmbed(p *ast.Paragraph, source []byte) (Embed, bool) {
	if p.ChildCount() != 1 {
		return Embed{}, false
	}
	u := loneURL(p.FirstChild(), source)
	if t, ok := p.FirstChild().(*ast.Text); ok && u == "" {
		u = string(t.Segment.Value(source))
		if !bareURL.MatchString(u) {
			return Embed{}, false
		}
	}
	return EmbedFor(u)
}

// figureCard shows a figure as readers will see it: with a library
// image's credit when the renderer has a library (WithLibrary).
func (r *Renderer) figureCard(out *strings.Builder, attrs string, source []byte, img *ast.Image) {
	src, alt, caption := plain(img.Destination), plain([]byte(inlineText(img, source))), plain(img.Title)
	var lib *LibraryImage
	if r.lib != nil {
		// A failed look-up only leaves the credit out of the card: the
		// writer's text must open regardless.
		lib, _ = r.lib(src)
	}
	if lib != nil {
		attrs += ` data-credit="` + html.EscapeString(lib.Credit) + `"`
	}
	out.WriteString(`<div class="ve-card ve-figure" contenteditable="false" data-kind="figure"` + attrs +
		` data-image="` + html.EscapeString(src) + `" data-alt="` + html.EscapeString(alt) + `" data-caption="` + html.EscapeString(caption) + `">`)
	out.WriteString(`<p class="ve-card-label">Image</p>`)
	if OnThisSite(src) && !strings.HasPrefix(strings.TrimSpace(src), "data:") {
		out.WriteString(`<img src="` + html.EscapeString(src) + `" alt="` + html.EscapeString(alt) + `">`)
	} else {
		out.WriteString(`<p class="ve-card-url">Image from elsewhere, not shown: ` + html.EscapeString(src) + `</p>`)
	}
	out.WriteString(`<p class="ve-card-caption">`)
	if caption != "" {
		out.WriteString(html.EscapeString(caption))
	} else {
		out.WriteString(`<span class="ve-missing">No caption</span>`)
	}
	out.WriteString(`</p>`)
	if lib != nil {
		out.WriteString(`<p class="ve-card-credit">`)
		if lib.Credit != "" {
			out.WriteString(`Credit: ` + html.EscapeString(lib.Credit))
		} else {
			out.WriteString(`<span class="ve-missing">No credit in the library</span>`)
		}
		out.WriteString(`</p>`)
	}
	out.WriteString(`<p class="ve-card-alt">`)
	if alt != "" {
		out.WriteString(`Alt text: ` + html.EscapeString(alt))
	} else {
		out.WriteString(`<span class="ve-missing">No alt text: describe the image for readers who cannot see it.</span>`)
	}
	out.WriteString(`</p></div>`)
}

func embedCard(out *strings.Builder, attrs string, e Embed) {
	out.WriteString(`<div class="ve-card ve-embed" contenteditable="false" data-kind="embed"` + attrs + ` data-url="` + html.EscapeString(e.URL) + `">`)
	out.WriteString(`<p class="ve-card-label">Embed: ` + html.EscapeString(e.label()) + `</p>`)
	out.WriteString(`<p class="ve-card-url">` + html.EscapeString(e.URL) + `</p></div>`)
}

// cardLabels name the blocks the editor shows as cards.
func cardLabel(n ast.Node, md string) string {
	switch n := n.(type) {
	case nil:
		return "Markdown"
	case *east.Table:
		return "Table"
	case *ast.FencedCodeBlock, *ast.CodeBlock:
		return "Code"
	case *ast.ThematicBreak:
		return "Divider"
	case *ast.LinkReferenceDefinition:
		return "Link address (for links elsewhere in the text)"
	case *ast.HTMLBlock:
		if strings.HasPrefix(strings.TrimSpace(md), "<!--more") {
			return "“Read more” break"
		}
		if n.HTMLBlockType == ast.HTMLBlockType2 {
			return "Hidden note (HTML comment)"
		}
		return "HTML"
	case *ast.List:
		return "List with formatting the editor cannot change"
	case *ast.Blockquote:
		return "Quote with formatting the editor cannot change"
	}
	return "Text with formatting the editor cannot change"
}

// card writes a block the editor shows but does not edit in place: a label
// and the reader site's rendering (sanitised; images from elsewhere are
// links), or the Markdown itself when that shows nothing.
func (r *Renderer) card(out *strings.Builder, attrs string, b sourceBlock) {
	out.WriteString(`<div class="ve-card ve-raw" contenteditable="false" data-kind="raw"` + attrs + `>`)
	out.WriteString(`<p class="ve-card-label">` + html.EscapeString(cardLabel(b.node, b.md)) + `</p>`)
	preview, err := r.Preview(b.md)
	if err != nil || strings.TrimSpace(preview) == "" {
		out.WriteString(`<pre class="ve-card-source">` + html.EscapeString(strings.TrimSpace(b.md)) + `</pre>`)
	} else {
		out.WriteString(`<div class="ve-card-body">` + preview + `</div>`)
	}
	out.WriteString(`</div>`)
}

// editorWriter renders an editable block. Every method reports false when
// the block holds something the editor could not write back as it was;
// the block is then a card.
type editorWriter struct {
	b      strings.Builder
	source []byte
	open   []string // inline HTML tags opened and not yet closed
}

func (w *editorWriter) block(n ast.Node) bool {
	switch n := n.(type) {
	case *ast.Paragraph:
		return w.wrap("p", "", n)
	case *ast.Heading:
		tag := "h" + string(rune('0'+n.Level))
		return w.wrap(tag, "", n)
	case *ast.Blockquote:
		return w.quote(n)
	case *ast.List:
		return w.list(n)
	}
	return false
}

// wrap writes <tag attrs>inline content</tag>.
func (w *editorWriter) wrap(tag, attrs string, n ast.Node) bool {
	w.b.WriteString("<" + tag + attrs + ">")
	start := w.b.Len()
	if !w.inlines(n) || len(w.open) > 0 {
		return false
	}
	if w.b.Len() == start {
		w.b.WriteString("<br>") // an empty block keeps its height, as browsers do
	}
	w.b.WriteString("</" + tag + ">")
	return true
}

// quote writes a blockquote of paragraphs; one whose last paragraph
// starts with a dash is a pull quote, as the reader site shows it.
func (w *editorWriter) quote(n *ast.Blockquote) bool {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if _, ok := c.(*ast.Paragraph); !ok {
			return false
		}
	}
	pull := isPullQuote(n, w.source)
	if pull {
		w.b.WriteString(`<blockquote class="pullquote">`)
	} else {
		w.b.WriteString("<blockquote>")
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		attrs := ""
		if pull && c == n.LastChild() {
			attrs = ` class="attribution"`
		}
		if !w.wrap("p", attrs, c) {
			return false
		}
	}
	w.b.WriteString("</blockquote>")
	return true
}

// isPullQuote is newsTransformer's rule: a quote of more than one
// paragraph whose last starts with a dash.
func isPullQuote(n *ast.Blockquote, source []byte) bool {
	last, ok := n.LastChild().(*ast.Paragraph)
	if !ok || last == n.FirstChild() {
		return false
	}
	line := strings.TrimSpace(string(last.Lines().Value(source)))
	return strings.HasPrefix(line, "—") || strings.HasPrefix(line, "--") || strings.HasPrefix(line, "– ")
}

// list writes a list whose items hold a line of text and perhaps a list.
// The marker and looseness are kept for when the editor writes it again.
func (w *editorWriter) list(n *ast.List) bool {
	tag, attrs := "ul", ` data-marker="`+html.EscapeString(string(n.Marker))+`"`
	if n.IsOrdered() {
		tag = "ol"
		if n.Start != 1 {
			attrs += ` start="` + itoa(n.Start) + `"`
		}
	}
	if !n.IsTight {
		attrs += ` data-loose=""`
	}
	w.b.WriteString("<" + tag + attrs + ">")
	for it := n.FirstChild(); it != nil; it = it.NextSibling() {
		w.b.WriteString("<li>")
		c := it.FirstChild()
		switch c.(type) {
		case nil:
			w.b.WriteString("<br>")
		case *ast.TextBlock, *ast.Paragraph:
			if !w.inlines(c) || len(w.open) > 0 {
				return false
			}
			c = c.NextSibling()
		}
		if c != nil {
			sub, ok := c.(*ast.List)
			if !ok || c.NextSibling() != nil || !w.list(sub) {
				return false
			}
		}
		w.b.WriteString("</li>")
	}
	w.b.WriteString("</" + tag + ">")
	return true
}

func itoa(n int) string {
	if n < 0 {
		return "-" + itoa(-n)
	}
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

// simpleTags are the inline HTML tags an editable block may hold: what
// the editor itself writes where Markdown's * cannot open or close.
var simpleTags = map[string]string{"<strong>": "strong", "<em>": "em", "<b>": "b", "<i>": "i", "<del>": "del", "<s>": "s"}

// inlines writes n's inline children.
func (w *editorWriter) inlines(n ast.Node) bool {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if !w.inline(c) {
			return false
		}
	}
	return true
}

func (w *editorWriter) inline(n ast.Node) bool {
	switch n := n.(type) {
	case *ast.Text:
		w.b.WriteString(html.EscapeString(plain(n.Segment.Value(w.source))))
		switch {
		case n.HardLineBreak():
			w.b.WriteString("<br>")
		case n.SoftLineBreak():
			w.b.WriteString("\n")
		}
		return true
	case *ast.String:
		if n.IsCode() {
			return false
		}
		w.b.WriteString(html.EscapeString(plain(n.Value)))
		return true
	case *ast.Emphasis:
		tag := "em"
		if n.Level == 2 {
			tag = "strong"
		} else if n.Level != 1 {
			return false
		}
		w.b.WriteString("<" + tag + ">")
		ok := w.inlines(n)
		w.b.WriteString("</" + tag + ">")
		return ok
	case *east.Strikethrough:
		w.b.WriteString("<s>")
		ok := w.inlines(n)
		w.b.WriteString("</s>")
		return ok
	case *ast.CodeSpan:
		var code strings.Builder
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			t, ok := c.(*ast.Text)
			if !ok {
				return false
			}
			code.Write(t.Segment.Value(w.source))
		}
		w.b.WriteString("<code>" + html.EscapeString(code.String()) + "</code>")
		return true
	case *ast.Link:
		href := plain(n.Destination)
		if !safeHref(href) {
			return false
		}
		w.b.WriteString(`<a href="` + html.EscapeString(href) + `"`)
		if n.Title != nil {
			w.b.WriteString(` title="` + html.EscapeString(plain(n.Title)) + `"`)
		}
		w.b.WriteString(">")
		ok := w.inlines(n)
		w.b.WriteString("</a>")
		return ok
	case *ast.AutoLink:
		u := string(n.URL(w.source))
		href := u
		if n.AutoLinkType == ast.AutoLinkEmail && !strings.HasPrefix(strings.ToLower(u), "mailto:") {
			href = "mailto:" + u
		}
		if !safeHref(href) {
			return false
		}
		w.b.WriteString(`<a href="` + html.EscapeString(href) + `">` + html.EscapeString(u) + `</a>`)
		return true
	case *ast.RawHTML:
		var tag strings.Builder
		for i := 0; i < n.Segments.Len(); i++ {
			s := n.Segments.At(i)
			tag.Write(s.Value(w.source))
		}
		t := strings.ToLower(tag.String())
		if name, ok := simpleTags[t]; ok {
			w.open = append(w.open, name)
			w.b.WriteString(t)
			return true
		}
		if k := len(w.open); k > 0 && t == "</"+w.open[k-1]+">" {
			w.open = w.open[:k-1]
			w.b.WriteString(t)
			return true
		}
		return false
	}
	return false
}

// plain resolves Markdown escapes and character references: the text as
// readers see it.
func plain(b []byte) string {
	return string(util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations(b))))
}

// safeHref reports whether a link may be shown in the editor as a link:
// a path on this site, a fragment, or http(s), mailto or tel.
func safeHref(href string) bool {
	h := strings.ToLower(strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(strings.TrimSpace(href)))
	if i := strings.IndexAny(h, ":/?#"); i < 0 || h[i] != ':' {
		return true // relative
	}
	for _, s := range []string{"http:", "https:", "mailto:", "tel:"} {
		if strings.HasPrefix(h, s) {
			return true
		}
	}
	return false
}
