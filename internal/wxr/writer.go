package wxr

import (
	"bufio"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Writer writes a WXR 1.2 document. Write the *Header first, then any
// number of *Author, *Term and *Item records (WordPress writes authors, then
// terms, then items), then call Close.
//
// Text fields are written as CDATA sections, with "]]>" split across two
// sections the way WordPress's exporter does it and carriage returns
// written as character references so they survive XML's line-end
// normalisation. Characters XML 1.0 cannot carry at all (NUL and most other
// C0 controls, invalid UTF-8) are replaced with U+FFFD. Everything else
// reads back byte for byte.
type Writer struct {
	w     *bufio.Writer
	state int // writerEmpty, writerOpen or writerClosed
	err   error
}

const (
	writerEmpty = iota
	writerOpen
	writerClosed
)

// NewWriter returns a Writer that writes to w. Close flushes it but does
// not close w.
func NewWriter(w io.Writer) *Writer {
	return &Writer{w: bufio.NewWriter(w)}
}

// Write writes one record. The first record must be the *Header.
func (w *Writer) Write(rec Record) error {
	if w.err != nil {
		return w.err
	}
	switch w.state {
	case writerClosed:
		return errors.New("wxr: write after Close")
	case writerEmpty:
		h, ok := rec.(*Header)
		if !ok {
			return errors.New("wxr: the first record written must be the *Header")
		}
		w.header(h)
		w.state = writerOpen
		return w.err
	}
	switch rec := rec.(type) {
	case *Header:
		return errors.New("wxr: the header was already written")
	case *Author:
		w.author(rec)
	case *Term:
		w.term(rec)
	case *Item:
		w.item(rec)
	default:
		return fmt.Errorf("wxr: cannot write a %T", rec)
	}
	return w.err
}

// Close ends the document and flushes it to the underlying writer.
func (w *Writer) Close() error {
	if w.err != nil {
		return w.err
	}
	switch w.state {
	case writerEmpty:
		return errors.New("wxr: Close before the header was written")
	case writerClosed:
		return nil
	}
	w.state = writerClosed
	w.str("</channel>\n</rss>\n")
	if w.err != nil {
		return w.err
	}
	if err := w.w.Flush(); err != nil {
		w.err = err
	}
	return w.err
}

func (w *Writer) header(h *Header) {
	w.str(`<?xml version="1.0" encoding="UTF-8" ?>
<!-- This is a WordPress eXtended RSS file. To import it into WordPress, use Tools: Import: WordPress. -->
<rss version="2.0"
	xmlns:excerpt="` + NamespaceExcerpt + `"
	xmlns:content="` + NamespaceContent + `"
	xmlns:wfw="` + NamespaceWFW + `"
	xmlns:dc="` + NamespaceDC + `"
	xmlns:wp="` + NamespaceWP + `"
>

<channel>
`)
	w.cdata(1, "title", h.Title)
	w.plain(1, "link", h.Link)
	w.cdata(1, "description", h.Description)
	if h.PubDate != "" {
		w.plain(1, "pubDate", h.PubDate)
	}
	if h.Language != "" {
		w.plain(1, "language", h.Language)
	}
	// WordPress's fallback parser reads these three with plain regular
	// expressions, so they must not be CDATA.
	w.plain(1, "wp:wxr_version", "1.2")
	w.plain(1, "wp:base_site_url", h.BaseSiteURL)
	w.plain(1, "wp:base_blog_url", h.BaseBlogURL)
	w.str("\n")
}

func (w *Writer) author(a *Author) {
	w.str("\t<wp:author>\n")
	if a.ID != 0 {
		w.int(2, "wp:author_id", a.ID)
	}
	w.cdata(2, "wp:author_login", a.Login)
	w.cdata(2, "wp:author_email", a.Email)
	w.cdata(2, "wp:author_display_name", a.DisplayName)
	w.cdata(2, "wp:author_first_name", a.FirstName)
	w.cdata(2, "wp:author_last_name", a.LastName)
	w.str("\t</wp:author>\n")
}

func (w *Writer) term(t *Term) {
	switch t.Taxonomy {
	case TaxonomyCategory:
		w.str("\t<wp:category>\n")
		w.int(2, "wp:term_id", t.ID)
		w.cdata(2, "wp:category_nicename", t.Slug)
		w.cdata(2, "wp:category_parent", t.Parent)
		w.cdata(2, "wp:cat_name", t.Name)
		if t.Description != "" {
			w.cdata(2, "wp:category_description", t.Description)
		}
		w.meta(2, "wp:termmeta", t.Meta)
		w.str("\t</wp:category>\n")
	case TaxonomyTag:
		w.str("\t<wp:tag>\n")
		w.int(2, "wp:term_id", t.ID)
		w.cdata(2, "wp:tag_slug", t.Slug)
		w.cdata(2, "wp:tag_name", t.Name)
		if t.Description != "" {
			w.cdata(2, "wp:tag_description", t.Description)
		}
		w.meta(2, "wp:termmeta", t.Meta)
		w.str("\t</wp:tag>\n")
	default:
		w.str("\t<wp:term>\n")
		w.int(2, "wp:term_id", t.ID)
		w.cdata(2, "wp:term_taxonomy", t.Taxonomy)
		w.cdata(2, "wp:term_slug", t.Slug)
		w.cdata(2, "wp:term_parent", t.Parent)
		w.cdata(2, "wp:term_name", t.Name)
		if t.Description != "" {
			w.cdata(2, "wp:term_description", t.Description)
		}
		w.meta(2, "wp:termmeta", t.Meta)
		w.str("\t</wp:term>\n")
	}
}

func (w *Writer) item(it *Item) {
	w.str("\n\t<item>\n")
	w.cdata(2, "title", it.Title)
	w.plain(2, "link", it.Link)
	w.plain(2, "pubDate", it.PubDate)
	w.cdata(2, "dc:creator", it.Creator)
	w.str("\t\t<guid isPermaLink=\"false\">")
	w.escaped(it.GUID)
	w.str("</guid>\n")
	w.cdata(2, "description", it.Description)
	w.cdata(2, "content:encoded", it.Content)
	w.cdata(2, "excerpt:encoded", it.Excerpt)
	w.int(2, "wp:post_id", it.PostID)
	w.cdata(2, "wp:post_date", it.PostDate)
	w.cdata(2, "wp:post_date_gmt", it.PostDateGMT)
	if it.PostModified != "" || it.PostModifiedGMT != "" {
		w.cdata(2, "wp:post_modified", it.PostModified)
		w.cdata(2, "wp:post_modified_gmt", it.PostModifiedGMT)
	}
	w.cdata(2, "wp:comment_status", it.CommentStatus)
	w.cdata(2, "wp:ping_status", it.PingStatus)
	w.cdata(2, "wp:post_name", it.PostName)
	w.cdata(2, "wp:status", it.Status)
	w.int(2, "wp:post_parent", it.PostParent)
	w.int(2, "wp:menu_order", it.MenuOrder)
	w.cdata(2, "wp:post_type", it.PostType)
	w.cdata(2, "wp:post_password", it.PostPassword)
	sticky := int64(0)
	if it.IsSticky {
		sticky = 1
	}
	w.int(2, "wp:is_sticky", sticky)
	if it.AttachmentURL != "" {
		w.cdata(2, "wp:attachment_url", it.AttachmentURL)
	}
	for _, c := range it.Categories {
		w.str("\t\t<category")
		if c.Domain != "" {
			w.str(` domain="`)
			w.escaped(c.Domain)
			w.str(`"`)
		}
		if c.Nicename != "" {
			w.str(` nicename="`)
			w.escaped(c.Nicename)
			w.str(`"`)
		}
		w.str(">")
		w.cdataValue(c.Name)
		w.str("</category>\n")
	}
	w.meta(2, "wp:postmeta", it.Meta)
	for i := range it.Comments {
		w.comment(&it.Comments[i])
	}
	w.str("\t</item>\n")
}

func (w *Writer) comment(c *Comment) {
	w.str("\t\t<wp:comment>\n")
	w.int(3, "wp:comment_id", c.ID)
	w.cdata(3, "wp:comment_author", c.Author)
	w.cdata(3, "wp:comment_author_email", c.AuthorEmail)
	w.cdata(3, "wp:comment_author_url", c.AuthorURL)
	w.cdata(3, "wp:comment_author_IP", c.AuthorIP)
	w.cdata(3, "wp:comment_date", c.Date)
	w.cdata(3, "wp:comment_date_gmt", c.DateGMT)
	w.cdata(3, "wp:comment_content", c.Content)
	w.cdata(3, "wp:comment_approved", c.Approved)
	w.cdata(3, "wp:comment_type", c.Type)
	w.int(3, "wp:comment_parent", c.Parent)
	w.int(3, "wp:comment_user_id", c.UserID)
	w.meta(3, "wp:commentmeta", c.Meta)
	w.str("\t\t</wp:comment>\n")
}

func (w *Writer) meta(indent int, tag string, meta []Meta) {
	for _, m := range meta {
		w.open(indent, tag)
		w.str("\n")
		w.cdata(indent+1, "wp:meta_key", m.Key)
		w.cdata(indent+1, "wp:meta_value", m.Value)
		w.close(indent, tag)
	}
}

func (w *Writer) open(indent int, tag string) {
	w.str(strings.Repeat("\t", indent))
	w.str("<" + tag + ">")
}

func (w *Writer) close(indent int, tag string) {
	w.str(strings.Repeat("\t", indent))
	w.str("</" + tag + ">\n")
}

// cdata writes <tag><![CDATA[value]]></tag> on its own line.
func (w *Writer) cdata(indent int, tag, value string) {
	w.open(indent, tag)
	w.cdataValue(value)
	w.str("</" + tag + ">\n")
}

// plain writes <tag>escaped value</tag> on its own line.
func (w *Writer) plain(indent int, tag, value string) {
	w.open(indent, tag)
	w.escaped(value)
	w.str("</" + tag + ">\n")
}

func (w *Writer) int(indent int, tag string, v int64) {
	w.plain(indent, tag, strconv.FormatInt(v, 10))
}

// cdataValue writes s as one or more CDATA sections. "]]>" cannot appear in
// a section, so it is split as "]]" + ">" across two; "\r" would be turned
// into "\n" by the reader's line-end normalisation, so it is written as a
// character reference between sections.
func (w *Writer) cdataValue(s string) {
	s = xmlChars(s)
	w.str("<![CDATA[")
	for {
		i := strings.IndexAny(s, "]\r")
		if i < 0 {
			break
		}
		switch {
		case s[i] == '\r':
			w.str(s[:i])
			w.str("]]>&#xD;<![CDATA[")
			s = s[i+1:]
		case strings.HasPrefix(s[i:], "]]>"):
			w.str(s[:i+2])
			w.str("]]><![CDATA[")
			s = s[i+2:]
		default:
			w.str(s[:i+1])
			s = s[i+1:]
		}
	}
	w.str(s)
	w.str("]]>")
}

// escaped writes s as escaped character data (also safe in an attribute).
func (w *Writer) escaped(s string) {
	if w.err != nil {
		return
	}
	if err := xml.EscapeText(w.w, []byte(s)); err != nil {
		w.err = err
	}
}

func (w *Writer) str(s string) {
	if w.err != nil {
		return
	}
	if _, err := w.w.WriteString(s); err != nil {
		w.err = err
	}
}

// xmlChars replaces what XML 1.0 cannot represent (invalid UTF-8, C0
// controls other than tab, newline and carriage return, U+FFFE/U+FFFF, lone
// surrogates) with U+FFFD.
func xmlChars(s string) string {
	for i, r := range s {
		if !xmlChar(r) || (r == utf8.RuneError && isInvalidAt(s, i)) {
			return replaceNonXML(s)
		}
	}
	return s
}

func replaceNonXML(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i, r := range s {
		if !xmlChar(r) || (r == utf8.RuneError && isInvalidAt(s, i)) {
			r = utf8.RuneError
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isInvalidAt(s string, i int) bool {
	_, size := utf8.DecodeRuneInString(s[i:])
	return size == 1
}

func xmlChar(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' ||
		(r >= 0x20 && r <= 0xD7FF) ||
		(r >= 0xE000 && r <= 0xFFFD) ||
		(r >= 0x10000 && r <= 0x10FFFF)
}
