package wpimport

import (
	"net/url"
	"path"
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"masthead/internal/news"
)

// htmlText turns the HTML WordPress keeps in comments and excerpts into
// the plain text Masthead stores there: tags go, entities are decoded,
// paragraphs and line breaks become blank lines and newlines, and a link
// whose text is not its address keeps the address in brackets, so nothing
// a reader could see (or follow) is lost.
func htmlText(s string) string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	if !strings.ContainsAny(s, "<&") {
		return tidyText(s)
	}
	var b strings.Builder
	z := html.NewTokenizer(strings.NewReader(s))
	var hrefs []string // the open links' addresses
	var linkStart []int
	skip := 0
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		name, hasAttr := z.TagName()
		a := atom.Lookup(name)
		switch tt {
		case html.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			switch a {
			case atom.Script, atom.Style:
				if tt == html.StartTagToken {
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
				if tt == html.StartTagToken {
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
		case html.EndTagToken:
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
					if href != "" && text != href && !strings.HasPrefix(href, "#") && !strings.HasPrefix(strings.ToLower(href), "javascript:") {
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

// oneLine is htmlText for titles and names: one line of text.
func oneLine(s string) string {
	return strings.Join(strings.Fields(htmlText(s)), " ")
}

// wpSlug turns a WordPress slug (percent-encoded when not ASCII) into a
// Masthead slug, falling back to the title.
func wpSlug(slug, title string) string {
	if u, err := url.PathUnescape(slug); err == nil {
		slug = u
	}
	slug = strings.ToLower(strings.TrimSpace(slug))
	if news.ValidSlug(slug) {
		return slug
	}
	if slug != "" {
		if s := news.Slugify(slug); s != "untitled" {
			return s
		}
	}
	return news.Slugify(title)
}

// wpKey is how a WordPress slug or login is kept in wordpress_map:
// decoded and lower-case, as it appears in an old URL.
func wpKey(s string) string {
	if u, err := url.PathUnescape(s); err == nil {
		s = u
	}
	return strings.ToLower(strings.TrimSpace(s))
}

// oldPath is the path of a WordPress permalink below the site's root,
// without slashes at either end: "2013/01/10/hello-world", "about/team".
// Plain permalinks ("/?p=123") have none.
func oldPath(link, base string) string {
	u, err := url.Parse(link)
	if err != nil || u.RawQuery != "" && (u.Path == "" || u.Path == "/") {
		return ""
	}
	p := u.Path
	if b, err := url.Parse(base); err == nil && b.Path != "" && b.Path != "/" {
		p = strings.TrimPrefix(p, strings.TrimRight(b.Path, "/"))
	}
	p = strings.Trim(path.Clean("/"+p), "/")
	if p == "." {
		return ""
	}
	return strings.ToLower(p)
}

// uploadsPath is where an attachment's file sits below the uploads folder:
// its _wp_attached_file, or the part of its URL after /uploads/.
func uploadsPath(attachedFile, fileURL string) string {
	if attachedFile != "" {
		return strings.TrimLeft(attachedFile, "/")
	}
	u, err := url.Parse(fileURL)
	if err != nil {
		return ""
	}
	// …/wp-content/uploads/2013/03/photo.jpg, or on a files host
	// (WordPress.com) just /2013/03/photo.jpg.
	_, rest, ok := strings.Cut(u.Path, "/uploads/")
	if !ok {
		rest = u.Path
	}
	return strings.TrimLeft(rest, "/")
}
