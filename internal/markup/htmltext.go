package markup

import (
	"regexp"
	"strings"

	nethtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// HTMLText turns HTML from elsewhere (WordPress's comments and excerpts,
// a fediverse reply) into the plain text Masthead stores there: tags go,
// entities are decoded, paragraphs and line breaks become blank lines and newlines, and a link
// whose text is not its address keeps the address in brackets, so nothing
// a reader could see (or follow) is lost — except a mention or a hashtag
// (text starting @ or #), whose address is the fediverse's plumbing.
func HTMLText(s string) string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	if !strings.ContainsAny(s, "<&") {
		return tidyText(s)
	}
	var b strings.Builder
	z := nethtml.NewTokenizer(strings.NewReader(s))
	var hrefs []string // the open links' addresses
	var linkStart []int
	skip := 0
	for {
		tt := z.Next()
		if tt == nethtml.ErrorToken {
			break
		}
		name, hasAttr := z.TagName()
		a := atom.Lookup(name)
		switch tt {
		case nethtml.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		case nethtml.StartTagToken, nethtml.SelfClosingTagToken:
			switch a {
			case atom.Script, atom.Style:
				if tt == nethtml.StartTagToken {
					skip++
				}
			case atom.Br:
				b.WriteString("\n")
			case atom.P, atom.Div, atom.Blockquote, atom.Li, atom.Ul, atom.Ol, atom.Pre, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
				b.WriteString("\n\n")
			case atom.A:
				href := ""
				for hasAttr {
					var k, v []byte
					k, v, hasAttr = z.TagAttr()
					if string(k) == "href" {
						href = string(v)
					}
				}
				if tt == nethtml.StartTagToken {
					hrefs = append(hrefs, href)
					linkStart = append(linkStart, b.Len())
				}
			case atom.Img:
				for hasAttr {
					var k, v []byte
					k, v, hasAttr = z.TagAttr()
					if string(k) == "alt" && len(v) > 0 {
						b.Write(v)
					}
				}
			}
		case nethtml.EndTagToken:
			switch a {
			case atom.Script, atom.Style:
				if skip > 0 {
					skip--
				}
			case atom.P, atom.Div, atom.Blockquote, atom.Li, atom.Ul, atom.Ol, atom.Pre, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
				b.WriteString("\n\n")
			case atom.A:
				if n := len(hrefs); n > 0 {
					href, start := hrefs[n-1], linkStart[n-1]
					hrefs, linkStart = hrefs[:n-1], linkStart[:n-1]
					text := strings.TrimSpace(b.String()[start:])
					if href != "" && text != href && !strings.HasPrefix(text, "@") && !strings.HasPrefix(text, "#") && !strings.HasPrefix(href, "#") && !strings.HasPrefix(strings.ToLower(href), "javascript:") {
						b.WriteString(" (" + href + ")")
					}
				}
			}
		}
	}
	return tidyText(b.String())
}

var (
	spaceRun   = regexp.MustCompile(`[ \t\x{a0}]+`)
	blankLines = regexp.MustCompile(`\n[ \t]*\n\s*`)
)

// tidyText trims lines, keeps at most one blank line between paragraphs,
// and drops control characters Masthead will not store.
func tidyText(s string) string {
	s = strings.Map(func(r rune) rune {
		if (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f {
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(spaceRun.ReplaceAllString(l, " "))
	}
	s = strings.Join(lines, "\n")
	s = blankLines.ReplaceAllString(s, "\n\n")
	return strings.TrimSpace(s)
}

// HTMLLine is HTMLText for titles and names: one line of text.
func HTMLLine(s string) string {
	return strings.Join(strings.Fields(HTMLText(s)), " ")
}
