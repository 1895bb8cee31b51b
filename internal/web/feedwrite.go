package web

import (
	"encoding/xml"
	"strings"
	"unicode/utf8"

	"masthead/internal/markup"
	"masthead/internal/news"
)

// Feeds and sitemaps are written by hand here, byte for byte what
// xml.MarshalIndent and json.MarshalIndent make of the documents in
// feeds.go and sitemap.go, without their reflection: a feed of 30 full
// stories is about 150 KB, and encoding/xml's escaping, called through
// reflection a field at a time, was a quarter of an uncached feed's CPU.
// An article's body is escaped straight from the store's text into the
// feed (articleBody), where a string was made for each item and escaped
// again. Tests (TestFeedsAsEncoders, FuzzFeeds) hold these to the
// encoders' output.

// appendXMLText appends s escaped as xml.EscapeText escapes it: the five
// markup characters, tab, newline and carriage return as references, and
// anything XML may not hold (control characters, invalid UTF-8, U+FFFE,
// U+FFFF) as U+FFFD.
func appendXMLText(b []byte, s string) []byte {
	last := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			if !xmlEscaped[c] {
				continue
			}
			b = append(b, s[last:i-1]...)
			b = append(b, xmlEscapes[c]...)
			last = i
			continue
		}
		r, width := utf8.DecodeRuneInString(s[i:])
		i += width
		if (r == utf8.RuneError && width == 1) || !isXMLChar(r) {
			b = append(b, s[last:i-width]...)
			b = append(b, "\uFFFD"...)
			last = i
		}
	}
	return append(b, s[last:]...)
}

// isXMLChar is encoding/xml's isInCharacterRange for runes past ASCII.
func isXMLChar(r rune) bool {
	return r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// xmlEscaped marks the ASCII bytes appendXMLText replaces; xmlEscapes
// holds what each becomes.
var xmlEscaped, xmlEscapes = func() (set [utf8.RuneSelf]bool, to [utf8.RuneSelf]string) {
	for c := range 0x20 {
		set[c], to[c] = true, "\uFFFD"
	}
	for c, esc := range map[byte]string{'"': "&#34;", '\'': "&#39;", '&': "&amp;", '<': "&lt;", '>': "&gt;", '\t': "&#x9;", '\n': "&#xA;", '\r': "&#xD;"} {
		set[c], to[c] = true, esc
	}
	return set, to
}()

// appendJSONText appends s as encoding/json writes a string's contents
// (without its quotes), HTML escaping on: <, > and & as \u003c and so on,
// control characters, U+2028, U+2029 and invalid UTF-8 escaped.
func appendJSONText(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	last := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[last:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			last = i
			continue
		}
		r, width := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && width == 1:
			b = append(b, s[last:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[last:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
		default:
			i += width
			continue
		}
		i += width
		last = i
	}
	return append(b, s[last:]...)
}

// appendHTMLEscaped appends esc of what html.EscapeString makes of s. The
// pieces are split only next to ASCII bytes, which no escaper reads as
// part of a longer sequence, so this is esc(html.EscapeString(s)).
func appendHTMLEscaped(b []byte, s string, esc func([]byte, string) []byte) []byte {
	last := 0
	for i := 0; i < len(s); i++ {
		var ref string
		switch s[i] {
		case '&':
			ref = "&amp;"
		case '\'':
			ref = "&#39;"
		case '<':
			ref = "&lt;"
		case '>':
			ref = "&gt;"
		case '"':
			ref = "&#34;"
		default:
			continue
		}
		b = esc(b, s[last:i])
		b = esc(b, ref)
		last = i + 1
	}
	return esc(b, s[last:])
}

// articleBody is an article's body as feed readers get it (what
// Server.feedContent returns), to be escaped into a feed as it is read.
type articleBody struct {
	base string // the site's base URL, prefixed to site-relative links
	a    *news.Article
}

// appendTo appends esc(feedContent(a)). Like appendHTMLEscaped, it hands
// esc pieces split only next to ASCII bytes.
func (c articleBody) appendTo(b []byte, esc func([]byte, string) []byte) []byte {
	a := c.a
	if img := a.LeadImage; img != nil {
		b = esc(b, `<figure><img src="`)
		if u := img.URL; len(u) > 0 && u[0] == '/' { // Server.absURL
			b = appendHTMLEscaped(b, c.base, esc)
		}
		b = appendHTMLEscaped(b, img.URL, esc)
		b = esc(b, `" alt="`)
		b = appendHTMLEscaped(b, img.Alt, esc)
		b = esc(b, `">`)
		if img.Caption != "" || img.Credit != "" {
			b = esc(b, `<figcaption>`)
			b = appendHTMLEscaped(b, strings.TrimSpace(img.Caption+" "+img.Credit), esc)
			b = esc(b, `</figcaption>`)
		}
		b = esc(b, "</figure>\n")
	}
	return appendAbsolute(b, c.base, markup.WithoutFacades(a.BodyHTML), esc)
}

// appendAbsolute appends esc(h) with base put before the / of every
// href="/ and src="/ (Server.absoluteHTML), in pieces split only next to
// ASCII bytes. Like strings.Replacer, it takes the leftmost match and does
// not search what it inserted.
func appendAbsolute(b []byte, base, h string, esc func([]byte, string) []byte) []byte {
	for {
		i := strings.Index(h, `="/`)
		if i < 0 {
			break
		}
		if !(i >= 4 && h[i-4:i] == "href") && !(i >= 3 && h[i-3:i] == "src") {
			b = esc(b, h[:i+3])
			h = h[i+3:]
			continue
		}
		b = esc(b, h[:i+2])
		b = esc(b, base)
		b = esc(b, "/")
		h = h[i+3:]
	}
	return esc(b, h)
}

// appendRaw is appendAbsolute's esc for text not to be escaped.
func appendRaw(b []byte, s string) []byte { return append(b, s...) }

// xmlWriter writes elements indented as xml.MarshalIndent(v, "", "  ")
// does: each start tag on a line of its own, an element holding only text
// closed on the same line.
type xmlWriter struct {
	b     []byte
	depth int
	open  bool // the last thing written was a start tag
}

func newXMLWriter(size int) *xmlWriter {
	w := &xmlWriter{b: make([]byte, 0, size)}
	w.b = append(w.b, xml.Header...)
	return w
}

func (w *xmlWriter) newline() {
	if len(w.b) > len(xml.Header) {
		w.b = append(w.b, '\n')
	}
	for range w.depth {
		w.b = append(w.b, "  "...)
	}
}

// start opens an element; attrs are name, value pairs, the names written
// as they are and the values escaped.
func (w *xmlWriter) start(name string, attrs ...string) {
	w.newline()
	w.b = append(w.b, '<')
	w.b = append(w.b, name...)
	for i := 0; i+1 < len(attrs); i += 2 {
		w.b = append(w.b, ' ')
		w.b = append(w.b, attrs[i]...)
		w.b = append(w.b, `="`...)
		w.b = appendXMLText(w.b, attrs[i+1])
		w.b = append(w.b, '"')
	}
	w.b = append(w.b, '>')
	w.depth++
	w.open = true
}

func (w *xmlWriter) end(name string) {
	w.depth--
	if !w.open {
		w.newline()
	}
	w.open = false
	w.b = append(w.b, "</"...)
	w.b = append(w.b, name...)
	w.b = append(w.b, '>')
}

// text writes <name>text</name>.
func (w *xmlWriter) text(name, text string) {
	w.start(name)
	w.b = appendXMLText(w.b, text)
	w.end(name)
}

// optional writes <name>text</name> unless text is empty (omitempty).
func (w *xmlWriter) optional(name, text string) {
	if text != "" {
		w.text(name, text)
	}
}

// bytes ends the document as marshalXML does, with a newline.
func (w *xmlWriter) bytes() []byte { return append(w.b, '\n') }

// feedSizeHint is room for a feed of items: their bodies and about a
// kilobyte each of the rest, escaping included.
func feedSizeHint(n int, bodies int) int { return 2048 + n*1024 + bodies + bodies/4 }

func (d *rssDoc) xml() []byte {
	bodies := 0
	for i := range d.Channel.Items {
		bodies += d.Channel.Items[i].size()
	}
	w := newXMLWriter(feedSizeHint(len(d.Channel.Items), bodies))
	w.start("rss", "version", d.Version, "xmlns:atom", d.AtomNS, "xmlns:content", d.ContentNS, "xmlns:dc", d.DCNS)
	ch := &d.Channel
	w.start("channel")
	w.text("title", ch.Title)
	w.text("link", ch.Link)
	w.text("description", ch.Description)
	w.optional("language", ch.Language)
	w.optional("lastBuildDate", ch.LastBuildDate)
	w.text("generator", ch.Generator)
	w.start("atom:link", "href", ch.Self.Href, "rel", ch.Self.Rel, "type", ch.Self.Type)
	w.end("atom:link")
	for i := range ch.Items {
		it := &ch.Items[i]
		w.start("item")
		w.text("title", it.Title)
		w.text("link", it.Link)
		w.start("guid", "isPermaLink", it.GUID.IsPermaLink)
		w.b = appendXMLText(w.b, it.GUID.Value)
		w.end("guid")
		w.text("pubDate", it.PubDate)
		w.optional("dc:creator", it.Creator)
		for _, c := range it.Categories {
			w.text("category", c)
		}
		w.text("description", it.Description)
		w.start("content:encoded")
		if it.body.a != nil {
			w.b = it.body.appendTo(w.b, appendXMLText)
		} else {
			w.b = appendXMLText(w.b, it.Content)
		}
		w.end("content:encoded")
		w.end("item")
	}
	w.end("channel")
	w.end("rss")
	return w.bytes()
}

func (it *rssItem) size() int {
	if it.body.a != nil {
		return len(it.body.a.BodyHTML)
	}
	return len(it.Content)
}

func (f *atomFeed) xml() []byte {
	bodies := 0
	for i := range f.Entries {
		bodies += f.Entries[i].size()
	}
	w := newXMLWriter(feedSizeHint(len(f.Entries), bodies))
	if f.Lang != "" {
		w.start("feed", "xmlns", "http://www.w3.org/2005/Atom", "xml:lang", f.Lang)
	} else {
		w.start("feed", "xmlns", "http://www.w3.org/2005/Atom")
	}
	w.text("title", f.Title)
	w.optional("subtitle", f.Subtitle)
	w.text("id", f.ID)
	w.text("updated", f.Updated)
	for _, l := range f.Links {
		l.write(w)
	}
	f.Author.write(w)
	w.text("generator", f.Gen)
	for i := range f.Entries {
		e := &f.Entries[i]
		w.start("entry")
		w.text("title", e.Title)
		w.text("id", e.ID)
		e.Link.write(w)
		w.text("published", e.Published)
		w.text("updated", e.Updated)
		for _, p := range e.Authors {
			p.write(w)
		}
		for _, c := range e.Categories {
			w.start("category", "term", c.Term)
			w.end("category")
		}
		w.optional("summary", e.Summary)
		w.start("content", "type", e.Content.Type)
		if e.body.a != nil {
			w.b = e.body.appendTo(w.b, appendXMLText)
		} else {
			w.b = appendXMLText(w.b, e.Content.Value)
		}
		w.end("content")
		w.end("entry")
	}
	w.end("feed")
	return w.bytes()
}

func (e *atomEntry) size() int {
	if e.body.a != nil {
		return len(e.body.a.BodyHTML)
	}
	return len(e.Content.Value)
}

func (l atomLink) write(w *xmlWriter) {
	if l.Type != "" {
		w.start("link", "href", l.Href, "rel", l.Rel, "type", l.Type)
	} else {
		w.start("link", "href", l.Href, "rel", l.Rel)
	}
	w.end("link")
}

func (p atomPerson) write(w *xmlWriter) {
	w.start("author")
	w.text("name", p.Name)
	w.optional("uri", p.URI)
	w.end("author")
}

// xml is what marshalXML makes of the document (a sitemap of a month is
// up to a few thousand URLs).
func (d *urlSetDoc) xml() []byte {
	w := newXMLWriter(256 + len(d.URLs)*192)
	if d.NewsNS != "" {
		w.start("urlset", "xmlns", d.NS, "xmlns:news", d.NewsNS)
	} else {
		w.start("urlset", "xmlns", d.NS)
	}
	for i := range d.URLs {
		u := &d.URLs[i]
		w.start("url")
		w.text("loc", u.Loc)
		w.optional("lastmod", u.LastMod)
		if n := u.News; n != nil {
			w.start("news:news")
			w.start("news:publication")
			w.text("news:name", n.Publication.Name)
			w.text("news:language", n.Publication.Language)
			w.end("news:publication")
			w.text("news:publication_date", n.PublicationDate)
			w.text("news:title", n.Title)
			w.end("news:news")
		}
		w.end("url")
	}
	w.end("urlset")
	return w.bytes()
}

// jsonWriter writes what json.MarshalIndent(v, "", "  ") makes of objects
// and arrays: a member or element a line, "key": value.
type jsonWriter struct {
	b     []byte
	depth int
	first bool // nothing yet in the object or array just opened
}

func (w *jsonWriter) newline() {
	w.b = append(w.b, '\n')
	for range w.depth {
		w.b = append(w.b, "  "...)
	}
}

// next starts a member (key non-empty) or an element.
func (w *jsonWriter) next(key string) {
	if !w.first {
		w.b = append(w.b, ',')
	}
	w.first = false
	w.newline()
	if key != "" {
		w.b = append(w.b, '"')
		w.b = appendJSONText(w.b, key)
		w.b = append(w.b, `": `...)
	}
}

func (w *jsonWriter) open(c byte) {
	w.b = append(w.b, c)
	w.depth++
	w.first = true
}

func (w *jsonWriter) close(c byte) {
	w.depth--
	if !w.first {
		w.newline()
	}
	w.first = false
	w.b = append(w.b, c)
}

func (w *jsonWriter) str(key, s string) {
	w.next(key)
	w.b = append(w.b, '"')
	w.b = appendJSONText(w.b, s)
	w.b = append(w.b, '"')
}

func (w *jsonWriter) optional(key, s string) {
	if s != "" {
		w.str(key, s)
	}
}

func (w *jsonWriter) authors(key string, list []jsonAuthor) {
	if len(list) == 0 {
		return
	}
	w.next(key)
	w.open('[')
	for _, a := range list {
		w.next("")
		w.open('{')
		w.str("name", a.Name)
		w.optional("url", a.URL)
		w.close('}')
	}
	w.close(']')
}

func (d *jsonFeedDoc) json() []byte {
	bodies := 0
	for i := range d.Items {
		if a := d.Items[i].body.a; a != nil {
			bodies += len(a.BodyHTML)
		} else {
			bodies += len(d.Items[i].ContentHTML)
		}
	}
	w := &jsonWriter{b: make([]byte, 0, feedSizeHint(len(d.Items), bodies))}
	w.open('{')
	w.str("version", d.Version)
	w.str("title", d.Title)
	w.str("home_page_url", d.HomePageURL)
	w.str("feed_url", d.FeedURL)
	w.optional("description", d.Description)
	w.optional("language", d.Language)
	w.optional("icon", d.Icon)
	w.authors("authors", d.Authors)
	w.next("items")
	if d.Items == nil {
		w.b = append(w.b, "null"...)
	} else {
		w.open('[')
		for i := range d.Items {
			it := &d.Items[i]
			w.next("")
			w.open('{')
			w.str("id", it.ID)
			w.str("url", it.URL)
			w.str("title", it.Title)
			if it.body.a != nil {
				w.next("content_html")
				w.b = append(w.b, '"')
				w.b = it.body.appendTo(w.b, appendJSONText)
				w.b = append(w.b, '"')
			} else {
				w.str("content_html", it.ContentHTML)
			}
			w.optional("summary", it.Summary)
			w.optional("image", it.Image)
			w.str("date_published", it.DatePublished)
			w.str("date_modified", it.DateModified)
			w.authors("authors", it.Authors)
			if len(it.Tags) > 0 {
				w.next("tags")
				w.open('[')
				for _, t := range it.Tags {
					w.str("", t)
				}
				w.close(']')
			}
			w.close('}')
		}
		w.close(']')
	}
	w.close('}')
	return w.b
}
