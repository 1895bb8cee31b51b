package render

import (
	"html/template"
	"strings"
	"time"
)

// head writes a page's head metadata — title, description, canonical link,
// Open Graph and Twitter cards, article metadata, stylesheet, icons, feeds
// and JSON-LD — as the "head" template in layout.html does, byte for byte
// (head_test.go holds them equal, hostile values included). The template
// made each of its forty-odd values a reflective call to an escaper, a
// third of an article's template time; here they are appended to one
// buffer with html/template's own escaping rules (appendEscaped,
// appendURL).
func (e *Engine) head(l Layout) template.HTML {
	return template.HTML(e.appendHead(make([]byte, 0, headSize(&l)), &l))
}

// headSize is about the size of the head of a page laid out as l.
func headSize(l *Layout) int { return 2048 + len(l.Description)*3 + sumLen(l.JSONLD) }

// appendHead is head, appended to b (pageStart writes the head into the
// page's start rather than copying it there).
func (e *Engine) appendHead(b []byte, l *Layout) []byte {
	b = append(b, "<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>"...)
	b = appendEscaped(b, l.Title)
	b = append(b, "</title>\n"...)
	if l.Description != "" {
		b = appendAttrLine(b, `<meta name="description" content="`, l.Description)
	}
	b = appendURLLine(b, `<link rel="canonical" href="`, l.Canonical)
	if l.Robots != "" {
		b = appendAttrLine(b, `<meta name="robots" content="`, l.Robots)
	}
	if l.PrevURL != "" {
		b = appendURLLine(b, `<link rel="prev" href="`, l.PrevURL)
	}
	if l.NextURL != "" {
		b = appendURLLine(b, `<link rel="next" href="`, l.NextURL)
	}
	b = append(b, "<meta name=\"color-scheme\" content=\"light dark\">\n<meta name=\"theme-color\" content=\"#9b1c1c\">\n"...)
	b = appendAttrLine(b, `<meta property="og:site_name" content="`, l.Site.Name)
	ogType := l.OG.Type
	if ogType == "" {
		ogType = "website"
	}
	b = appendAttrLine(b, `<meta property="og:type" content="`, ogType)
	b = appendAttrLine(b, `<meta property="og:title" content="`, l.Title)
	if l.Description != "" {
		b = appendAttrLine(b, `<meta property="og:description" content="`, l.Description)
	}
	// A meta element's content is escaped as any attribute's (no URL
	// rules) unless the template's own text puts "url=" before the value.
	b = appendAttrLine(b, `<meta property="og:url" content="`, l.Canonical)
	b = appendAttrLine(b, `<meta property="og:locale" content="`, l.Site.Language)
	if l.OG.Image != "" {
		b = appendAttrLine(b, `<meta property="og:image" content="`, l.OG.Image)
		b = appendAttrLine(b, `<meta property="og:image:alt" content="`, l.OG.ImageAlt)
		b = append(b, "<meta name=\"twitter:card\" content=\"summary_large_image\">\n"...)
		b = appendAttrLine(b, `<meta name="twitter:image" content="`, l.OG.Image)
	} else {
		b = append(b, "<meta name=\"twitter:card\" content=\"summary\">\n"...)
	}
	b = appendAttrLine(b, `<meta name="twitter:title" content="`, l.Title)
	if l.Description != "" {
		b = appendAttrLine(b, `<meta name="twitter:description" content="`, l.Description)
	}
	if l.OG.Type == "article" {
		b = append(b, `<meta property="article:published_time" content="`...)
		b = appendEscaped(b, l.OG.PublishedTime.UTC().AppendFormat(nil, time.RFC3339))
		b = append(b, "\">\n<meta property=\"article:modified_time\" content=\""...)
		b = appendEscaped(b, l.OG.ModifiedTime.UTC().AppendFormat(nil, time.RFC3339))
		b = append(b, "\">\n"...)
		if l.OG.Section != "" {
			b = appendAttrLine(b, `<meta property="article:section" content="`, l.OG.Section)
		}
		for _, a := range l.OG.Authors {
			b = appendAttrLine(b, `<meta property="article:author" content="`, a)
		}
		for _, t := range l.OG.Tags {
			b = appendAttrLine(b, `<meta property="article:tag" content="`, t)
		}
	}
	b = appendURLLine(b, `<link rel="stylesheet" href="`, e.StaticURL("site.css"))
	if l.Site.IconURL != "" {
		b = appendURLLine(b, `<link rel="icon" href="`, l.Site.IconURL)
		b = appendURLLine(b, `<link rel="apple-touch-icon" href="`, l.Site.IconURL)
	} else {
		b = append(b, `<link rel="icon" href="`...)
		b = appendURL(b, e.StaticURL("favicon.svg"))
		b = append(b, "\" type=\"image/svg+xml\">\n"...)
	}
	b = append(b, "\n<link rel=\"search\" type=\"application/opensearchdescription+xml\" href=\"/opensearch.xml\" title=\""...)
	b = appendEscaped(b, l.Site.Name)
	b = append(b, "\">\n"...)
	for _, f := range l.Feeds {
		b = append(b, `<link rel="alternate" type="`...)
		b = appendEscaped(b, f.Type)
		b = append(b, `" title="`...)
		b = appendEscaped(b, f.Title)
		b = appendURLLine(b, `" href="`, f.URL)
	}
	for _, doc := range l.JSONLD {
		// Already encoded for a script element (the template's jsonld
		// passes it through as template.JS).
		b = append(b, `<script type="application/ld+json">`...)
		b = append(b, doc...)
		b = append(b, "</script>\n"...)
	}
	return b
}

func sumLen(ss []string) int {
	n := 0
	for _, s := range ss {
		n += len(s)
	}
	return n
}

// appendAttrLine appends start, v escaped for a quoted attribute, and `">`
// with a newline.
func appendAttrLine(b []byte, start, v string) []byte {
	b = append(b, start...)
	b = appendEscaped(b, v)
	return append(b, "\">\n"...)
}

// appendURLLine is appendAttrLine for an attribute holding a URL.
func appendURLLine(b []byte, start, v string) []byte {
	b = append(b, start...)
	b = appendURL(b, v)
	return append(b, "\">\n"...)
}

// appendEscaped appends s as html/template writes a string in text, in a
// quoted attribute or in a title: its htmlReplacementTable, where NUL
// becomes U+FFFD and " & ' + < > become entities. Every other byte is
// copied, invalid UTF-8 too (the escaper passes bad runes through); the
// escaped bytes are ASCII, so a byte loop sees what its rune loop sees.
func appendEscaped[S string | []byte](b []byte, s S) []byte {
	written := 0
	for i := 0; i < len(s); i++ {
		var repl string
		switch s[i] {
		case 0:
			repl = "\uFFFD"
		case '"':
			repl = "&#34;"
		case '&':
			repl = "&amp;"
		case '\'':
			repl = "&#39;"
		case '+':
			repl = "&#43;"
		case '<':
			repl = "&lt;"
		case '>':
			repl = "&gt;"
		default:
			continue
		}
		b = append(b, s[written:i]...)
		b = append(b, repl...)
		written = i + 1
	}
	return append(b, s[written:]...)
}

// appendURL appends s as html/template writes a value that starts a URL
// attribute (href, src): a URL with a scheme other than http, https or
// mailto becomes "#ZgotmplZ"; then it is normalized (appendNormalURL).
func appendURL(b []byte, s string) []byte {
	if !safeURL(s) {
		s = "#ZgotmplZ"
	}
	return appendNormalURL(b, s)
}

// appendNormalURL appends s with the bytes that may not stand in a URL
// percent-encoded (lower-case hex; a valid %XX is kept), escaped for a
// quoted attribute, which leaves only & and + to change.
func appendNormalURL(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '&':
			b = append(b, "&amp;"...)
		case c == '+':
			b = append(b, "&#43;"...)
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
			b = append(b, c)
		case strings.IndexByte("!#$*,/:;=?@[]-._~", c) >= 0:
			b = append(b, c)
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			b = append(b, c)
		default:
			b = append(b, '%', hex[c>>4], hex[c&15])
		}
	}
	return b
}

// safeURL is html/template's isSafeURL: no scheme, or http, https or mailto.
func safeURL(s string) bool {
	if protocol, _, ok := strings.Cut(s, ":"); ok && !strings.Contains(protocol, "/") {
		return strings.EqualFold(protocol, "http") || strings.EqualFold(protocol, "https") || strings.EqualFold(protocol, "mailto")
	}
	return true
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
