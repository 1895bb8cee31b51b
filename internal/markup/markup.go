// Package markup turns what people write into safe HTML: newsroom Markdown
// for article bodies, and readers' plain-text comments. Everything it
// returns has passed through an allow-list sanitiser, so templates may trust
// it.
package markup

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"html"
	"regexp"
	"strconv"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	goldhtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Renderer converts Markdown and comment text. It is safe for concurrent use.
type Renderer struct {
	md     goldmark.Markdown
	policy *bluemonday.Policy
	lib    Library // nil: no image is in a media library
}

// Library finds the media-library image a body's image address shows: nil
// (and no error) for an image from anywhere else.
type Library func(url string) (*LibraryImage, error)

// LibraryImage is what a figure shows of a media-library image besides
// what the body says: who to credit, the alt text to fall back on, and its
// responsive variants (the srcset, and the size to reserve for it).
type LibraryImage struct {
	Alt, Credit   string
	Srcset        string // as media.Srcset writes it; "" for none
	AVIF, WebP    string // the same sizes in those formats (media.PictureOf); "" for none
	Width, Height int
}

// New builds a Renderer.
func New() *Renderer {
	md := goldmark.New(
		goldmark.WithExtensions(extension.GFM, extension.Typographer),
		goldmark.WithParserOptions(parser.WithASTTransformers(util.Prioritized(newsTransformer{}, 100))),
		// Raw HTML is let through to the sanitiser (imported WordPress bodies
		// keep tables and figures that Markdown cannot express).
		goldmark.WithRendererOptions(goldhtml.WithUnsafe(),
			renderer.WithNodeRenderers(util.Prioritized(blockRenderer{}, 100))),
	)
	p := bluemonday.UGCPolicy()
	p.RequireNoFollowOnLinks(false)
	p.AllowElements("figure", "figcaption")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^(pullquote|attribution)$`)).OnElements("blockquote", "p", "figure")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^credit$`)).OnElements("span")
	p.AllowAttrs("loading").Matching(regexp.MustCompile(`^lazy$`)).OnElements("img")
	// A library image's variants (media.Srcset) and the one layout they
	// are chosen for; nothing else, so no srcset loads from elsewhere.
	p.AllowAttrs("srcset").Matching(srcsetPattern).OnElements("img")
	p.AllowAttrs("sizes").Matching(regexp.MustCompile(`^`+regexp.QuoteMeta(figureSizes)+`$`)).OnElements("img", "source")
	// The same variants in AVIF and WebP, offered by a <picture>.
	p.AllowElements("picture")
	p.AllowAttrs("type").Matching(regexp.MustCompile(`^image/(?:avif|webp)$`)).OnElements("source")
	p.AllowAttrs("srcset").Matching(modernSrcsetPattern).OnElements("source")
	return &Renderer{md: md, policy: p}
}

var modernSrcsetPattern = regexp.MustCompile(`^/media/lib/[0-9a-f]{2}/[0-9a-f]{64}-[0-9]{1,4}x[0-9]{1,5}\.(?:avif|webp) [0-9]{1,4}w(?:, /media/lib/[0-9a-f]{2}/[0-9a-f]{64}-[0-9]{1,4}x[0-9]{1,5}\.(?:avif|webp) [0-9]{1,4}w)*$`)

var srcsetPattern = regexp.MustCompile(`^/media/lib/[0-9a-f]{2}/[0-9a-f]{64}-[0-9]{1,4}x[0-9]{1,5}\.(?:jpg|png) [0-9]{1,4}w(?:, /media/lib/[0-9a-f]{2}/[0-9a-f]{64}-[0-9]{1,4}x[0-9]{1,5}\.(?:jpg|png) [0-9]{1,4}w)*$`)

// figureSizes is how wide a figure is shown: the article's measure (site.css).
const figureSizes = "(min-width: 44rem) 42rem, 100vw"

// WithLibrary returns a renderer that looks the body's images up in lib,
// for their credits and variants: Article on it gives a library image's
// figure a credit line and a srcset.
func (r *Renderer) WithLibrary(lib Library) *Renderer {
	c := *r
	c.lib = lib
	return &c
}

// Article renders an article body. It returns the sanitised HTML and the
// body's plain text (paragraphs separated by blank lines) for search, word
// counts and quote extraction.
//
// An image alone in its paragraph becomes a figure, its title the caption;
// a URL alone in its paragraph that EmbedFor knows becomes an embed's
// facade (embed.go). The facades are put in after sanitising, in place of
// a placeholder only this call can write, so the sanitiser lets nothing of
// them through from what a writer types.
func (r *Renderer) Article(src string) (htmlOut, plain string, err error) {
	source := []byte(src)
	doc := r.md.Parser().Parse(text.NewReader(source))
	var embeds []*embedNode
	err = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *figureNode:
			if r.lib != nil {
				img, err := r.lib(string(n.image().Destination))
				if err != nil {
					return ast.WalkStop, fmt.Errorf("look up image %q: %w", n.image().Destination, err)
				}
				n.lib = img
			}
		case *embedNode:
			embeds = append(embeds, n)
		}
		return ast.WalkContinue, nil
	})
	if err != nil {
		return "", "", err
	}
	nonce := ""
	if len(embeds) > 0 {
		nonce = strings.ToLower(rand.Text())
	}
	for i, e := range embeds {
		e.placeholder = "embed-" + nonce + "-" + strconv.Itoa(i)
	}
	var buf bytes.Buffer
	if err := r.md.Renderer().Render(&buf, source, doc); err != nil {
		return "", "", fmt.Errorf("render markdown: %w", err)
	}
	out := r.policy.Sanitize(buf.String())
	for i, e := range embeds {
		out = strings.Replace(out, "<p>"+e.placeholder+"</p>", e.embed.facade("embed-"+strconv.Itoa(i+1)), 1)
	}
	return out, plainText(doc, source), nil
}

// Sanitize cleans HTML from elsewhere (imports) with the article policy.
func (r *Renderer) Sanitize(h string) string { return r.policy.Sanitize(h) }

// newsTransformer adapts the Markdown tree to a news page: the headline is
// the page's only h1, so body headings start at h2; images load lazily; a
// blockquote whose last paragraph starts with a dash ("— Name, role") is a
// pull quote with an attribution line; and a paragraph holding only an
// image is a figure, one holding only an embeddable URL an embed.
type newsTransformer struct{}

func (newsTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	source := reader.Source()
	var replace [][2]ast.Node // paragraph, replacement: changed after the walk
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			if n.Level == 1 {
				n.Level = 2
			}
		case *ast.Image:
			n.SetAttributeString("loading", []byte("lazy"))
		case *ast.Paragraph:
			if n.ChildCount() != 1 {
				break
			}
			if _, ok := n.FirstChild().(*ast.Image); ok {
				replace = append(replace, [2]ast.Node{n, &figureNode{}})
				return ast.WalkSkipChildren, nil
			}
			if e, ok := EmbedFor(loneURL(n.FirstChild(), source)); ok {
				replace = append(replace, [2]ast.Node{n, &embedNode{embed: e}})
				return ast.WalkSkipChildren, nil
			}
		case *ast.Blockquote:
			last, ok := n.LastChild().(*ast.Paragraph)
			if ok && last != n.FirstChild() {
				line := strings.TrimSpace(string(last.Lines().Value(source)))
				if strings.HasPrefix(line, "—") || strings.HasPrefix(line, "--") || strings.HasPrefix(line, "– ") {
					n.SetAttributeString("class", []byte("pullquote"))
					last.SetAttributeString("class", []byte("attribution"))
				}
			}
		}
		return ast.WalkContinue, nil
	})
	for _, pair := range replace {
		para, block := pair[0], pair[1]
		child := para.FirstChild()
		para.Parent().ReplaceChild(para.Parent(), para, block)
		block.AppendChild(block, child) // kept for the plain text
	}
}

// loneURL is the address a paragraph's only inline node links to when its
// text is that address (an autolink, or [url](url)); "" otherwise.
func loneURL(n ast.Node, source []byte) string {
	switch n := n.(type) {
	case *ast.AutoLink:
		if n.AutoLinkType != ast.AutoLinkURL {
			return ""
		}
		u := string(n.URL(source))
		if strings.HasPrefix(u, "www.") {
			u = "https://" + u // as a reader's browser would take it
		}
		return u
	case *ast.Link:
		t, ok := n.FirstChild().(*ast.Text)
		if ok && n.ChildCount() == 1 && string(t.Segment.Value(source)) == string(n.Destination) {
			return string(n.Destination)
		}
	}
	return ""
}

var (
	kindFigure = ast.NewNodeKind("Figure")
	kindEmbed  = ast.NewNodeKind("Embed")
)

// figureNode is an image shown as a figure; the image is its only child.
type figureNode struct {
	ast.BaseBlock
	lib *LibraryImage // set by Article when the image is in the library
}

func (n *figureNode) Kind() ast.NodeKind            { return kindFigure }
func (n *figureNode) Dump(source []byte, level int) { ast.DumpHelper(n, source, level, nil, nil) }
func (n *figureNode) image() *ast.Image             { return n.FirstChild().(*ast.Image) }

// embedNode is an embed; its only child is the link it was written as.
type embedNode struct {
	ast.BaseBlock
	embed       Embed
	placeholder string // what Article replaces with the facade
}

func (n *embedNode) Kind() ast.NodeKind            { return kindEmbed }
func (n *embedNode) Dump(source []byte, level int) { ast.DumpHelper(n, source, level, nil, nil) }

// blockRenderer writes figures and embeds.
type blockRenderer struct{}

func (blockRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(kindFigure, renderFigure)
	reg.Register(kindEmbed, renderEmbed)
}

// renderFigure writes <figure><img …><figcaption>caption <span
// class="credit">credit</span></figcaption></figure>. The alt text is the
// body's, or the library's when the body gives none.
func renderFigure(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*figureNode)
	img := n.image()
	lib := n.lib
	if lib == nil {
		lib = &LibraryImage{}
	}
	alt := strings.TrimSpace(inlineText(img, source))
	if alt == "" {
		alt = lib.Alt
	}
	_, _ = w.WriteString(`<figure>`)
	if lib.AVIF != "" || lib.WebP != "" {
		_, _ = w.WriteString(`<picture>`)
		for _, src := range []struct{ typ, set string }{{"image/avif", lib.AVIF}, {"image/webp", lib.WebP}} {
			if src.set != "" {
				_, _ = w.WriteString(`<source type="` + src.typ + `" srcset="` + html.EscapeString(src.set) + `" sizes="` + figureSizes + `">`)
			}
		}
	}
	_, _ = w.WriteString(`<img src="`)
	_, _ = w.Write(util.EscapeHTML(util.URLEscape(img.Destination, true)))
	_, _ = w.WriteString(`" alt="` + html.EscapeString(alt) + `" loading="lazy"`)
	if lib.Width > 0 && lib.Height > 0 {
		fmt.Fprintf(w, ` width="%d" height="%d"`, lib.Width, lib.Height)
	}
	if lib.Srcset != "" {
		_, _ = w.WriteString(` srcset="` + html.EscapeString(lib.Srcset) + `" sizes="` + figureSizes + `"`)
	}
	_, _ = w.WriteString(">")
	if lib.AVIF != "" || lib.WebP != "" {
		_, _ = w.WriteString(`</picture>`)
	}
	// The title as Markdown reads it: backslash escapes and entities resolved.
	caption := strings.TrimSpace(string(util.UnescapePunctuations(util.ResolveEntityNames(util.ResolveNumericReferences(img.Title)))))
	if caption != "" || lib.Credit != "" {
		_, _ = w.WriteString("<figcaption>" + html.EscapeString(caption))
		if lib.Credit != "" {
			if caption != "" {
				_ = w.WriteByte(' ')
			}
			_, _ = w.WriteString(`<span class="credit">` + html.EscapeString(lib.Credit) + `</span>`)
		}
		_, _ = w.WriteString("</figcaption>")
	}
	_, _ = w.WriteString("</figure>\n")
	return ast.WalkSkipChildren, nil
}

// renderEmbed writes the embed's placeholder (see Article).
func renderEmbed(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		_, _ = w.WriteString("<p>" + node.(*embedNode).placeholder + "</p>\n")
	}
	return ast.WalkSkipChildren, nil
}

// inlineText is the text of an inline node's children, as an image's alt
// text is written.
func inlineText(n ast.Node, source []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			switch c := c.(type) {
			case *ast.Text:
				b.Write(textValue(c.Segment.Value(source)))
			case *ast.String:
				b.WriteString(html.UnescapeString(string(c.Value)))
			}
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}

// textValue is a text node's source as a reader sees it: backslash escapes
// ("open\-top") and entities ("&amp;") resolved, as the HTML renderer does.
func textValue(src []byte) []byte {
	return []byte(html.UnescapeString(string(util.UnescapePunctuations(src))))
}

// plainText collects the readable text of a Markdown tree.
func plainText(doc ast.Node, source []byte) string {
	var b strings.Builder
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		switch n := n.(type) {
		case *ast.Text:
			if entering {
				b.Write(textValue(n.Segment.Value(source)))
				if n.SoftLineBreak() || n.HardLineBreak() {
					b.WriteByte('\n')
				}
			}
		case *ast.String:
			if entering {
				// Typographer output is an entity ("&ldquo;"); keep the character.
				b.WriteString(html.UnescapeString(string(n.Value)))
			}
		case *ast.CodeSpan:
			// Code keeps its backslashes: written as it stands.
			if entering {
				for c := n.FirstChild(); c != nil; c = c.NextSibling() {
					if t, ok := c.(*ast.Text); ok {
						b.Write(t.Segment.Value(source))
					}
				}
				return ast.WalkSkipChildren, nil
			}
		case *ast.AutoLink:
			if entering {
				b.Write(n.URL(source))
				return ast.WalkSkipChildren, nil
			}
		case *ast.FencedCodeBlock, *ast.CodeBlock:
			if entering {
				lines := n.Lines()
				for i := 0; i < lines.Len(); i++ {
					seg := lines.At(i)
					b.Write(seg.Value(source))
				}
			}
		default:
			if !entering && n.Type() == ast.TypeBlock && b.Len() > 0 && !strings.HasSuffix(b.String(), "\n\n") {
				b.WriteString("\n\n")
			}
		}
		return ast.WalkContinue, nil
	})
	return strings.TrimSpace(b.String())
}

var urlPattern = regexp.MustCompile(`\b(?:https?://|www\.)[^\s<>"]+`)

// Comment renders a reader's plain-text comment: everything is escaped,
// blank lines separate paragraphs, single newlines are kept, and web
// addresses become links marked as user-generated.
func Comment(body string) string {
	var b strings.Builder
	for _, para := range strings.Split(strings.ReplaceAll(body, "\r\n", "\n"), "\n\n") {
		para = strings.TrimSpace(para)
		if para == "" {
			continue
		}
		b.WriteString("<p>")
		for i, line := range strings.Split(para, "\n") {
			if i > 0 {
				b.WriteString("<br>\n")
			}
			writeLinkified(&b, line)
		}
		b.WriteString("</p>\n")
	}
	return b.String()
}

func writeLinkified(b *strings.Builder, line string) {
	last := 0
	for _, m := range urlPattern.FindAllStringIndex(line, -1) {
		start, end := m[0], m[1]
		// Sentence punctuation after a URL belongs to the sentence.
		for end > start && strings.ContainsRune(".,;:!?)]}'’”", rune(line[end-1])) {
			end--
		}
		raw := line[start:end]
		href := raw
		if strings.HasPrefix(raw, "www.") {
			href = "https://" + raw
		}
		b.WriteString(html.EscapeString(line[last:start]))
		fmt.Fprintf(b, `<a href="%s" rel="nofollow ugc noopener">%s</a>`, html.EscapeString(href), html.EscapeString(raw))
		last = end
	}
	b.WriteString(html.EscapeString(line[last:]))
}
