package wpcontent

import (
	"html"
	"strconv"
	"strings"

	nethtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// shortcodes lists the core shortcodes expanded before parsing, and
// whether each encloses content ([name]…[/name]).
var shortcodes = map[string]bool{
	"caption":    true,
	"wp_caption": true,
	"embed":      true,
	"gallery":    false,
	"audio":      false, // may enclose fallback content
	"video":      false,
}

// maxShortcodeTag bounds the length of a shortcode's opening tag, so text
// full of stray brackets cannot make the scan quadratic.
const maxShortcodeTag = 4096

// expandShortcodes replaces the known shortcodes in s with the HTML they
// stand for. A shortcode it cannot expand (a gallery whose images do not
// resolve, an [audio] without a URL) is left as written.
func expandShortcodes(s string, opts Options) string {
	if !strings.Contains(s, "[") {
		return s
	}
	var b strings.Builder
	closes := make(map[string]int) // name → index of its next [/name], or -1
	i := 0
	for {
		j := strings.IndexByte(s[i:], '[')
		if j < 0 {
			b.WriteString(s[i:])
			return b.String()
		}
		j += i
		b.WriteString(s[i:j])
		i = j

		escaped := strings.HasPrefix(s[i:], "[[")
		start := i
		if escaped {
			start++
		}
		tag, ok := parseShortcodeTag(s, start)
		if !ok {
			b.WriteByte('[')
			i++
			continue
		}
		enclosing, known := shortcodes[tag.name]
		if !known {
			b.WriteByte('[')
			i++
			continue
		}
		end := tag.end // index after the opening tag's ']'
		content, after := "", end
		if !tag.selfClosing {
			if k := findClose(s, tag.name, end, closes); k >= 0 && (enclosing || !strings.Contains(s[end:k], "["+tag.name)) {
				content, after = s[end:k], k+len("[/"+tag.name+"]")
			}
		}
		if escaped {
			// [[name …]] and [[name]…[/name]] print the shortcode itself.
			if after < len(s) && s[after] == ']' {
				b.WriteString(s[start:after])
				i = after + 1
			} else {
				b.WriteByte('[')
				i++
			}
			continue
		}
		if enclosing && after == end && tag.name != "embed" {
			// A [caption] that never closes is just text.
			b.WriteByte('[')
			i++
			continue
		}
		out, ok := expandShortcode(tag, content, opts)
		if !ok {
			b.WriteString(s[i:after])
		} else {
			b.WriteString(out)
		}
		i = after
	}
}

// shortcodeTag is a parsed opening tag.
type shortcodeTag struct {
	name        string
	attrs       map[string]string
	positional  []string
	selfClosing bool
	end         int // index just after the closing ']'
}

// parseShortcodeTag parses "[name attrs]" or "[name attrs /]" at s[i].
func parseShortcodeTag(s string, i int) (shortcodeTag, bool) {
	var t shortcodeTag
	if i >= len(s) || s[i] != '[' {
		return t, false
	}
	n := i + 1
	for n < len(s) && isNameByte(s[n]) {
		n++
	}
	if n == i+1 || n >= len(s) {
		return t, false
	}
	switch s[n] {
	case ']', ' ', '\t', '\n', '/':
	default:
		return t, false
	}
	limit := min(len(s), n+maxShortcodeTag)
	close := strings.IndexByte(s[n:limit], ']')
	if close < 0 {
		return t, false
	}
	close += n
	inner := s[n:close]
	if strings.HasSuffix(inner, "/") {
		t.selfClosing = true
		inner = inner[:len(inner)-1]
	}
	t.name = s[i+1 : n] // names are case-sensitive, as in WordPress
	t.attrs, t.positional = parseShortcodeAttrs(inner)
	t.end = close + 1
	return t, true
}

func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// parseShortcodeAttrs parses name="value", name='value', name=value and
// bare positional values.
func parseShortcodeAttrs(s string) (map[string]string, []string) {
	attrs := make(map[string]string)
	var positional []string
	i := 0
	skipSpace := func() {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\u00a0') {
			i++
		}
	}
	value := func() string {
		if i < len(s) && (s[i] == '"' || s[i] == '\'') {
			q := s[i]
			i++
			j := strings.IndexByte(s[i:], q)
			if j < 0 {
				v := s[i:]
				i = len(s)
				return v
			}
			v := s[i : i+j]
			i += j + 1
			return v
		}
		j := i
		for i < len(s) && s[i] != ' ' && s[i] != '\t' && s[i] != '\n' {
			i++
		}
		return s[j:i]
	}
	for {
		skipSpace()
		if i >= len(s) {
			return attrs, positional
		}
		if s[i] == '"' || s[i] == '\'' {
			positional = append(positional, value())
			continue
		}
		j := i
		for i < len(s) && isNameByte(s[i]) {
			i++
		}
		if i > j && i < len(s) && s[i] == '=' {
			name := strings.ToLower(s[j:i])
			i++
			attrs[name] = value()
			continue
		}
		i = j
		positional = append(positional, value())
	}
}

// findClose returns the index of the next "[/name]" at or after from, or
// -1, remembering results so repeated searches stay linear.
func findClose(s, name string, from int, memo map[string]int) int {
	if k, ok := memo[name]; ok && (k < 0 || k >= from) {
		return k
	}
	k := strings.Index(s[from:], "[/"+name+"]")
	if k >= 0 {
		k += from
	}
	memo[name] = k
	return k
}

// expandShortcode returns the HTML for one shortcode, or false to leave it
// as text.
func expandShortcode(t shortcodeTag, content string, opts Options) (string, bool) {
	switch t.name {
	case "caption", "wp_caption":
		return captionHTML(t, content), true
	case "embed":
		url := strings.TrimSpace(content)
		if url == "" {
			url = html.EscapeString(t.attrs["src"])
		}
		if url == "" {
			return "", false
		}
		return "<p>" + url + "</p>", true
	case "audio", "video":
		url := mediaURL(t)
		if url == "" {
			return "", false
		}
		return "<p>" + html.EscapeString(url) + "</p>" + content, true
	case "gallery":
		return galleryHTML(t, opts)
	}
	return "", false
}

// mediaURL finds the file an [audio] or [video] plays: src, one of the
// per-format attributes, or a bare URL ([audio https://…/a.mp3]).
func mediaURL(t shortcodeTag) string {
	if u := strings.TrimSpace(t.attrs["src"]); u != "" {
		return u
	}
	for _, k := range []string{"mp4", "m4v", "webm", "ogv", "mov", "wmv", "flv", "mp3", "m4a", "ogg", "oga", "wav", "wma", "flac"} {
		if u := strings.TrimSpace(t.attrs[k]); u != "" {
			return u
		}
	}
	for _, p := range t.positional {
		if strings.HasPrefix(p, "http://") || strings.HasPrefix(p, "https://") || strings.HasPrefix(p, "/") {
			return p
		}
	}
	return ""
}

// captionHTML turns [caption …]<a><img></a> Caption text[/caption] into a
// figure. The caption comes from the caption attribute (old style) or from
// whatever follows the image. Content with no image is kept as a plain
// block, caption text included, so nothing is lost.
func captionHTML(t shortcodeTag, content string) string {
	img, rest := splitLeadingImage(content)
	caption := strings.TrimSpace(t.attrs["caption"])
	if img == "" {
		// WordPress still draws a captioned box, a block of its own.
		if caption != "" {
			return "<div>" + content + " " + caption + "</div>"
		}
		return "<div>" + content + "</div>"
	}
	if caption == "" {
		caption, rest = strings.TrimSpace(rest), ""
	}
	var b strings.Builder
	b.WriteString("<figure>")
	b.WriteString(img)
	if caption != "" {
		b.WriteString("<figcaption>" + caption + "</figcaption>")
	}
	b.WriteString("</figure>")
	b.WriteString(rest)
	return b.String()
}

// splitLeadingImage splits HTML that starts (after whitespace) with an
// <img>, or a link around one, into that markup and the rest.
func splitLeadingImage(s string) (img, rest string) {
	z := nethtml.NewTokenizer(strings.NewReader(s))
	n := 0     // bytes consumed
	depth := 0 // open <a> elements
	sawImg := false
	start := -1
	for {
		tt := z.Next()
		if tt == nethtml.ErrorToken {
			return "", s
		}
		raw := len(z.Raw())
		switch tt {
		case nethtml.TextToken:
			if depth == 0 && strings.TrimSpace(string(z.Raw())) != "" {
				return "", s
			}
		case nethtml.StartTagToken, nethtml.SelfClosingTagToken:
			name, _ := z.TagName()
			switch atom.Lookup(name) {
			case atom.A:
				if depth > 0 || sawImg {
					return "", s
				}
				if start < 0 {
					start = n
				}
				if tt == nethtml.StartTagToken {
					depth++
				}
			case atom.Img:
				if sawImg {
					return "", s
				}
				if start < 0 {
					start = n
				}
				sawImg = true
				if depth == 0 {
					return s[start : n+raw], s[n+raw:]
				}
			default:
				if depth == 0 {
					return "", s
				}
			}
		case nethtml.EndTagToken:
			name, _ := z.TagName()
			if atom.Lookup(name) == atom.A && depth > 0 {
				depth--
				if depth == 0 {
					if !sawImg {
						return "", s
					}
					return s[start : n+raw], s[n+raw:]
				}
			} else if depth == 0 {
				return "", s
			}
		}
		n += raw
	}
}

// galleryHTML renders a [gallery] as figures, one per image that resolves.
func galleryHTML(t shortcodeTag, opts Options) (string, bool) {
	if opts.Attachment == nil {
		return "", false
	}
	ids := opts.Attached
	if list := t.attrs["ids"] + t.attrs["include"]; strings.TrimSpace(list) != "" {
		ids = nil
		for _, f := range strings.FieldsFunc(list, func(r rune) bool { return r == ',' || r == ' ' }) {
			if id, err := strconv.ParseInt(f, 10, 64); err == nil {
				ids = append(ids, id)
			}
		}
	}
	var b strings.Builder
	for _, id := range ids {
		a, ok := opts.Attachment(id)
		if !ok || a.URL == "" {
			continue
		}
		b.WriteString(`<figure><img src="` + html.EscapeString(a.URL) + `" alt="` + html.EscapeString(a.Alt) + `">`)
		if c := strings.TrimSpace(a.Caption); c != "" {
			b.WriteString("<figcaption>" + c + "</figcaption>")
		}
		b.WriteString("</figure>")
	}
	if b.Len() == 0 {
		return "", false
	}
	return "<div>" + b.String() + "</div>", true
}
