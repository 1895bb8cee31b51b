// Package wpcontent converts WordPress post bodies (the HTML in a WXR
// file's <content:encoded>) to the CommonMark Masthead stores.
//
// A body goes through three steps:
//
//  1. Shortcodes. The core shortcodes that stand for content are expanded
//     to the HTML they mean: [caption] (and [wp_caption]) becomes a
//     <figure> with a <figcaption>; [embed]URL[/embed], [audio] and [video]
//     become their URL; [gallery] becomes its images when Options can
//     resolve attachment IDs. Everything else, including unknown
//     shortcodes, stays as text. [[name]] escapes a known shortcode.
//  2. Parsing, with golang.org/x/net/html, as a fragment of <body>.
//     Gutenberg's block delimiters (<!-- wp:… -->) are comments and vanish;
//     the HTML between them is converted like any other. <!--more-->,
//     <!--nextpage--> and <!--noteaser--> are kept as comments on a line of
//     their own.
//  3. Conversion of the tree to Markdown. Paragraphs, headings, emphasis,
//     links, images, lists (nested too), blockquotes, code and preformatted
//     text, rules and line breaks become CommonMark. What CommonMark cannot
//     say (tables, definition lists, <details>, captioned figures) is kept
//     as a raw HTML block, sanitised with bluemonday. Embedded media
//     (<iframe>, <video>, <audio>, <embed>, <object>) become their URL as
//     an autolink, on a line of its own when it stands alone — the oEmbed
//     convention WordPress itself uses — and a paragraph holding nothing
//     but a URL does too. Presentational wrappers (<div>, <span>, <font>,
//     Gutenberg's group and column markup) disappear, their content kept.
//
// Bodies written in the classic editor are stored without <p> tags and
// WordPress adds them when it displays the post (wpautop): a blank line
// separates paragraphs and a single newline is a line break. A body with
// no Gutenberg block delimiter is treated that way; a block-editor body is
// not, as WordPress does not autop those either.
//
// Text is never dropped: every word a reader would see in WordPress's
// rendering of the body appears in the Markdown. Characters Markdown would
// otherwise read as syntax (* _ ` [ ] < # and friends) are
// backslash-escaped, so a literal asterisk stays an asterisk. The output
// is safe to feed to a Markdown renderer that allows raw HTML through a
// sanitiser: no script, event handler or javascript: URL survives.
package wpcontent

import (
	"fmt"
	"strings"
	"sync"

	"github.com/microcosm-cc/bluemonday"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Options adjusts a conversion. The zero value is ready to use.
type Options struct {
	// Attachment resolves a media-library attachment ID to the image it
	// holds, for [gallery]. With no resolver, or when no ID resolves, a
	// gallery stays as shortcode text.
	Attachment func(id int64) (Attachment, bool)
	// Attached lists the attachment IDs of the post being converted, in
	// menu order: the images a [gallery] without ids shows.
	Attached []int64
}

// Attachment is an image from WordPress's media library.
type Attachment struct {
	URL     string
	Alt     string
	Caption string // HTML, as WordPress stores it (the attachment's excerpt)
}

// ToMarkdown converts a WordPress post body to CommonMark with the default
// Options.
func ToMarkdown(html string) (md string, err error) {
	return Convert(html, Options{})
}

// Convert converts a WordPress post body to CommonMark. The result ends in
// a newline unless it is empty.
func Convert(src string, opts Options) (string, error) {
	src = strings.ToValidUTF8(src, "\uFFFD")
	src = strings.ReplaceAll(src, "\r\n", "\n")
	src = strings.ReplaceAll(src, "\r", "\n")
	c := &converter{
		autop:  !strings.Contains(src, "<!-- wp:"),
		policy: sanitizer(),
	}
	src = expandShortcodes(src, opts)
	body := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, err := html.ParseFragment(strings.NewReader(src), body)
	if err != nil {
		if strings.Contains(err.Error(), "open stack of elements exceeds") {
			// The parser refuses trees over 512 elements deep; keep the
			// text, if not the markup.
			return c.plainMarkdown(src), nil
		}
		return "", fmt.Errorf("wpcontent: parse HTML: %w", err)
	}
	for _, n := range nodes {
		body.AppendChild(n)
	}
	md := joinBlocks(c.flow(childNodes(body), 0), false)
	if md == "" {
		return "", nil
	}
	return md + "\n", nil
}

// plainMarkdown converts src as text only: paragraphs and line breaks at
// block boundaries, no other markup. It is the fallback for bodies the
// HTML parser rejects.
func (c *converter) plainMarkdown(src string) string {
	var text strings.Builder
	z := html.NewTokenizer(strings.NewReader(src))
	skip := 0 // inside script, style and the like
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		name, _ := z.TagName()
		a := atom.Lookup(name)
		switch tt {
		case html.TextToken:
			if skip == 0 {
				text.Write(z.Text())
			}
		case html.StartTagToken, html.EndTagToken:
			switch {
			case a == atom.Script || a == atom.Style || a == atom.Template || a == atom.Noscript:
				if tt == html.StartTagToken {
					skip++
				} else if skip > 0 {
					skip--
				}
			case a == atom.Br:
				text.WriteString("\n")
			case blockAtoms[a]:
				text.WriteString("\n\n")
			}
		case html.SelfClosingTagToken:
			if a == atom.Br {
				text.WriteString("\n")
			}
		}
	}
	c.autop = true
	in := c.newInline()
	c.text(in, text.String(), 0)
	md := joinBlocks(in.finish(), false)
	if md == "" {
		return ""
	}
	return md + "\n"
}

// sanitizer is the policy kept HTML blocks pass through: bluemonday's
// user-generated-content policy (no script, style, event handler, form or
// embed; only http, https and mailto URLs) plus figures, without forcing
// rel="nofollow" on a newsroom's own links.
var sanitizer = sync.OnceValue(func() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.RequireNoFollowOnLinks(false)
	p.AllowElements("figure", "figcaption")
	return p
})
