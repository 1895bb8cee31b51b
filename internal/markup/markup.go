// Package markup turns what people write into safe HTML: newsroom Markdown
// for article bodies, and readers' plain-text comments. Everything it
// returns has passed through an allow-list sanitiser, so templates may trust
// it.
package markup

import (
	"bytes"
	"fmt"
	"html"
	"regexp"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	goldhtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Renderer converts Markdown and comment text. It is safe for concurrent use.
type Renderer struct {
	md     goldmark.Markdown
	policy *bluemonday.Policy
}

// New builds a Renderer.
func New() *Renderer {
	md := goldmark.New(
		goldmark.WithExtensions(extension.GFM, extension.Typographer),
		goldmark.WithParserOptions(parser.WithASTTransformers(util.Prioritized(newsTransformer{}, 100))),
		// Raw HTML is let through to the sanitiser (imported WordPress bodies
		// keep tables and figures that Markdown cannot express).
		goldmark.WithRendererOptions(goldhtml.WithUnsafe()),
	)
	p := bluemonday.UGCPolicy()
	p.RequireNoFollowOnLinks(false)
	p.AllowElements("figure", "figcaption")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^(pullquote|attribution)$`)).OnElements("blockquote", "p", "figure")
	p.AllowAttrs("loading").Matching(regexp.MustCompile(`^lazy$`)).OnElements("img")
	return &Renderer{md: md, policy: p}
}

// Article renders an article body. It returns the sanitised HTML and the
// body's plain text (paragraphs separated by blank lines) for search, word
// counts and quote extraction.
func (r *Renderer) Article(src string) (htmlOut, plain string, err error) {
	source := []byte(src)
	doc := r.md.Parser().Parse(text.NewReader(source))
	var buf bytes.Buffer
	if err := r.md.Renderer().Render(&buf, source, doc); err != nil {
		return "", "", fmt.Errorf("render markdown: %w", err)
	}
	return r.policy.Sanitize(buf.String()), plainText(doc, source), nil
}

// Sanitize cleans HTML from elsewhere (imports) with the article policy.
func (r *Renderer) Sanitize(h string) string { return r.policy.Sanitize(h) }

// newsTransformer adapts the Markdown tree to a news page: the headline is
// the page's only h1, so body headings start at h2; images load lazily; and
// a blockquote whose last paragraph starts with a dash ("— Name, role") is a
// pull quote with an attribution line.
type newsTransformer struct{}

func (newsTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	source := reader.Source()
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
}

// plainText collects the readable text of a Markdown tree.
func plainText(doc ast.Node, source []byte) string {
	var b strings.Builder
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		switch n := n.(type) {
		case *ast.Text:
			if entering {
				b.Write(n.Segment.Value(source))
				if n.SoftLineBreak() || n.HardLineBreak() {
					b.WriteByte('\n')
				}
			}
		case *ast.String:
			if entering {
				// Typographer output is an entity ("&ldquo;"); keep the character.
				b.WriteString(html.UnescapeString(string(n.Value)))
			}
		case *ast.CodeSpan, *ast.AutoLink:
			if entering {
				if al, ok := n.(*ast.AutoLink); ok {
					b.Write(al.URL(source))
					return ast.WalkSkipChildren, nil
				}
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
