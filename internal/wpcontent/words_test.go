package wpcontent_test

import (
	"cmp"
	"io"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"masthead/internal/testutil"
	"masthead/internal/wpcontent"
	"masthead/internal/wxr"
)

// shortcodeTag matches the tags of the shortcodes WordPress renders as
// media (their attributes are not text a reader sees); group 1 holds a
// [caption caption="…"] attribute, which is.
var shortcodeTag = regexp.MustCompile(`\[\[?/?(?:caption|wp_caption|gallery|embed|audio|video)\b(?:[^\]]*?\scaption="([^"\]]*)")?[^\]]*\]\]?`)

// invisible are elements whose content a reader never sees.
var invisible = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Template: true, atom.Noscript: true,
	atom.Iframe: true, atom.Noframes: true, atom.Head: true, atom.Title: true,
}

// blockLevel are the elements whose edges break words; browsers show any
// other element, unknown ones included, inline.
var blockLevel = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true,
	atom.H5: true, atom.H6: true, atom.Ul: true, atom.Ol: true, atom.Li: true, atom.Menu: true,
	atom.Dir: true, atom.Blockquote: true, atom.Pre: true, atom.Listing: true, atom.Xmp: true,
	atom.Table: true, atom.Caption: true, atom.Thead: true, atom.Tbody: true, atom.Tfoot: true,
	atom.Tr: true, atom.Td: true, atom.Th: true, atom.Dl: true, atom.Dt: true, atom.Dd: true,
	atom.Figure: true, atom.Figcaption: true, atom.Hr: true, atom.Br: true, atom.Section: true,
	atom.Article: true, atom.Header: true, atom.Footer: true, atom.Main: true, atom.Aside: true,
	atom.Nav: true, atom.Address: true, atom.Details: true, atom.Summary: true, atom.Form: true,
	atom.Fieldset: true, atom.Legend: true, atom.Center: true, atom.Hgroup: true, atom.Dialog: true,
	atom.Iframe: true, atom.Video: true, atom.Audio: true, atom.Embed: true, atom.Object: true,
	atom.Img: true, atom.Input: true, atom.Select: true, atom.Textarea: true, atom.Button: true,
	atom.Option: true, atom.Svg: true, atom.Math: true, atom.Canvas: true,
}

// visibleWords returns the words a reader sees when WordPress displays a
// post body: its HTML text, less markup, comments (Gutenberg's block
// delimiters among them) and the tags of media shortcodes.
func visibleWords(body string) []string {
	body = shortcodeTag.ReplaceAllString(body, " $1 ")
	ctx := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, err := html.ParseFragment(strings.NewReader(body), ctx)
	if err != nil {
		return nil
	}
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch {
		case n.Type == html.TextNode:
			b.WriteString(n.Data)
		case n.Type == html.ElementNode && invisible[n.DataAtom]:
		case n.Type == html.CommentNode:
			// <!--more--> and <!--nextpage--> split the post where they
			// stand; other comments are nothing.
			if d := strings.TrimSpace(n.Data); d == "more" || strings.HasPrefix(d, "more ") || d == "nextpage" {
				b.WriteByte(' ')
			}
		default:
			// Block-level elements separate words; inline ones do not.
			sep := n.Type == html.ElementNode && blockLevel[n.DataAtom]
			if sep {
				b.WriteByte(' ')
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
			if sep {
				b.WriteByte(' ')
			}
		}
	}
	for _, n := range nodes {
		walk(n)
	}
	return words(b.String())
}

// words splits text into runs of letters, digits and combining marks.
func words(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsMark(r)
	})
}

var (
	mdHTMLTag  = regexp.MustCompile(`^(?:<!--[\s\S]*?-->|</?([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*)?/?>)`)
	mdAutolink = regexp.MustCompile(`^<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^<>\s]*)>`)
	mdImage    = regexp.MustCompile(`^!\[(?:[^\]\\]|\\.)*\]\((?:<[^<>\n]*>|[^()\s]*)(?:\s+"(?:[^"\\]|\\.)*")?\)`)
	mdLinkDest = regexp.MustCompile(`^\]\((?:<[^<>\n]*>|[^()\s]*)(?:\s+"(?:[^"\\]|\\.)*")?\)`)
)

// renderedWords returns the words of the text a Markdown document shows,
// roughly as CommonMark renders it: code is literal, an escaped character
// is itself, HTML tags vanish (leaving a space if block-level), link and
// image destinations vanish, and so do emphasis and link delimiters.
func renderedWords(md string) []string {
	var b strings.Builder
	fence := ""
	inHTML := false // inside a raw HTML block, which runs to a blank line
	for _, line := range strings.Split(md, "\n") {
		t := strings.TrimLeft(line, " >")
		if fence == "" {
			if t == "" {
				inHTML = false
			} else if mdHTMLBlock.MatchString(mdListMarker.ReplaceAllString(t, "")) {
				inHTML = true
			}
		}
		switch {
		case inHTML:
			renderHTMLLine(&b, line)
			b.WriteByte('\n')
			continue
		case fence != "" && strings.HasPrefix(t, fence):
			fence = ""
			continue
		case fence != "":
			b.WriteString(line + "\n")
			continue
		case strings.HasPrefix(t, "```") && !strings.Contains(strings.TrimLeft(t, "`"), "`"):
			fence = t[:len(t)-len(strings.TrimLeft(t, "`"))]
			continue
		}
		renderLine(&b, line)
		b.WriteByte('\n')
	}
	return words(b.String())
}

var (
	mdHTMLBlock  = regexp.MustCompile(`^</?(?i:address|article|aside|blockquote|caption|center|dd|details|div|dl|dt|figcaption|figure|h[1-6]|hr|li|ol|p|section|summary|table|tbody|td|tfoot|th|thead|tr|ul)(?:[\s/>]|$)`)
	mdListMarker = regexp.MustCompile(`^(?:(?:[-*+]|\d{1,9}[.)])(?:\s+|$))+`)
)

// renderHTMLLine writes the text of a line of raw HTML: tags go, the rest
// is literal.
func renderHTMLLine(b *strings.Builder, l string) {
	for i := 0; i < len(l); i++ {
		if l[i] == '<' {
			if m := mdHTMLTag.FindStringSubmatch(l[i:]); m != nil {
				if m[1] == "" || blockLevel[atom.Lookup([]byte(strings.ToLower(m[1])))] {
					b.WriteByte(' ')
				}
				i += len(m[0]) - 1
				continue
			}
		}
		b.WriteByte(l[i])
	}
}

func renderLine(b *strings.Builder, l string) {
	for i := 0; i < len(l); i++ {
		c := l[i]
		switch {
		case c == '\\' && i+1 < len(l) && strings.IndexByte("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", l[i+1]) >= 0:
			i++
			b.WriteByte(l[i])
		case c == '`':
			n := len(l[i:]) - len(strings.TrimLeft(l[i:], "`"))
			fence := l[i : i+n]
			if end := strings.Index(l[i+n:], fence); end >= 0 {
				b.WriteString(l[i+n : i+n+end])
				i += n + end + n - 1
			} else {
				i += n - 1
			}
		case c == '<':
			if m := mdAutolink.FindStringSubmatch(l[i:]); m != nil {
				b.WriteString(m[1])
				i += len(m[0]) - 1
			} else if m := mdHTMLTag.FindStringSubmatch(l[i:]); m != nil {
				if m[1] == "" || blockLevel[atom.Lookup([]byte(strings.ToLower(m[1])))] {
					b.WriteByte(' ')
				}
				i += len(m[0]) - 1
			} else {
				b.WriteByte(c)
			}
		case c == ']':
			if m := mdLinkDest.FindString(l[i:]); m != "" {
				i += len(m) - 1
			}
		case c == '*' || c == '[':
		case c == '!' && mdImage.MatchString(l[i:]):
			// An image stands apart from the text around it, and its
			// alt text is not shown.
			b.WriteByte(' ')
			i += len(mdImage.FindString(l[i:])) - 1
		default:
			b.WriteByte(c)
		}
	}
}

// lostWords returns the words of the input's visible text that the
// Markdown does not have as often as the input does.
func lostWords(in, md string) []string {
	have := make(map[string]int)
	for _, w := range renderedWords(md) {
		have[w]++
	}
	var lost []string
	for _, w := range visibleWords(in) {
		if have[w] == 0 {
			lost = append(lost, w)
			continue
		}
		have[w]--
	}
	return lost
}

func assertNoLostWords(t *testing.T, in, md string) {
	t.Helper()
	if lost := lostWords(in, md); len(lost) > 0 {
		t.Errorf("words lost: %q\ninput:\n%s\nmarkdown:\n%s", lost, in, md)
	}
}

// TestLostWordsHelper checks the checker: it must notice a dropped word
// and ignore markup.
func TestLostWordsHelper(t *testing.T) {
	in := `<p>Hello <b>brave</b> new<!-- wp:x --> world [caption id="1" caption="Boat"]<img src="a">[/caption]<script>var x</script></p>`
	if got := visibleWords(in); !slices.Equal(got, []string{"Hello", "brave", "new", "world", "Boat"}) {
		t.Errorf("visibleWords = %q", got)
	}
	if got := renderedWords("**un**<em>believ</em>able [x](/y \"T\") ![alt](<a b>) a\\*b <td>c</td><td>d</td>"); !slices.Equal(got, []string{"unbelievable", "x", "a", "b", "c", "d"}) {
		t.Errorf("renderedWords = %q", got)
	}
	if lost := lostWords(in, "Hello brave world"); !slices.Equal(lost, []string{"new", "Boat"}) {
		t.Errorf("lostWords = %q", lost)
	}
	if got := visibleWords("<p>un<em>believ</em>able</p><p>next</p>line<br>break"); !slices.Equal(got, []string{"unbelievable", "next", "line", "break"}) {
		t.Errorf("visibleWords split words wrongly: %q", got)
	}
	if lost := lostWords("a a", "a"); !slices.Equal(lost, []string{"a"}) {
		t.Errorf("a repeated word lost once went unnoticed: %q", lost)
	}
}

// themeSite is the Theme Unit Test export, read through the wxr package.
type themeSite struct {
	bodies      []*wxr.Item // posts and pages
	attachments map[int64]wpcontent.Attachment
	attached    map[int64][]int64 // post ID → its attachments, in menu order
}

func loadTheme(t testing.TB) themeSite {
	t.Helper()
	f, err := os.Open(testutil.SharedData(t, "wordpress", "themeunittestdata.wordpress.xml"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	site := themeSite{attachments: map[int64]wpcontent.Attachment{}, attached: map[int64][]int64{}}
	var media []*wxr.Item
	r := wxr.NewReader(f)
	for {
		rec, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		it, ok := rec.(*wxr.Item)
		if !ok {
			continue
		}
		switch it.PostType {
		case "post", "page":
			site.bodies = append(site.bodies, it)
		case "attachment":
			a := wpcontent.Attachment{URL: it.AttachmentURL, Caption: it.Excerpt}
			for _, m := range it.Meta {
				if m.Key == "_wp_attachment_image_alt" {
					a.Alt = m.Value
				}
			}
			site.attachments[it.PostID] = a
			media = append(media, it)
		}
	}
	slices.SortStableFunc(media, func(a, b *wxr.Item) int {
		return cmp.Or(cmp.Compare(a.MenuOrder, b.MenuOrder), cmp.Compare(a.PostID, b.PostID))
	})
	for _, m := range media {
		site.attached[m.PostParent] = append(site.attached[m.PostParent], m.PostID)
	}
	return site
}

func (s themeSite) options(it *wxr.Item) wpcontent.Options {
	return wpcontent.Options{
		Attachment: func(id int64) (wpcontent.Attachment, bool) {
			a, ok := s.attachments[id]
			return a, ok
		},
		Attached: s.attached[it.PostID],
	}
}

// unsafeOutput matches what must never reach the renderer.
var unsafeOutput = regexp.MustCompile(`(?i)<script|<style|<iframe|javascript:|\son[a-z]+\s*=`)

// TestThemeUnitTestBodies converts every post and page body of the Theme
// Unit Test export: none may fail, lose a word, keep a block delimiter or
// let anything unsafe through.
func TestThemeUnitTestBodies(t *testing.T) {
	site := loadTheme(t)
	if len(site.bodies) != 79 {
		t.Fatalf("%d posts and pages, want 79", len(site.bodies))
	}
	for _, it := range site.bodies {
		md, err := wpcontent.Convert(it.Content, site.options(it))
		if err != nil {
			t.Errorf("post %d %q: %v", it.PostID, it.Title, err)
			continue
		}
		if lost := lostWords(it.Content, md); len(lost) > 0 {
			t.Errorf("post %d %q lost %d words: %q", it.PostID, it.Title, len(lost), lost)
		}
		if prose := withoutCodeBlocks(md); strings.Contains(prose, "<!-- wp:") || strings.Contains(prose, "<!-- /wp:") {
			t.Errorf("post %d %q kept a block delimiter", it.PostID, it.Title)
		}
		if m := unsafeOutput.FindString(md); m != "" {
			t.Errorf("post %d %q: unsafe %q in output", it.PostID, it.Title, m)
		}
	}
}

// withoutCodeBlocks drops fenced code blocks, whose content is literal.
func withoutCodeBlocks(md string) string {
	var b strings.Builder
	fence := ""
	for _, l := range strings.Split(md, "\n") {
		t := strings.TrimLeft(l, " >")
		switch {
		case fence != "" && strings.HasPrefix(t, fence):
			fence = ""
		case fence != "":
		case strings.HasPrefix(t, "```") && !strings.Contains(strings.TrimLeft(t, "`"), "`"):
			fence = t[:len(t)-len(strings.TrimLeft(t, "`"))]
		default:
			b.WriteString(l + "\n")
		}
	}
	return b.String()
}
