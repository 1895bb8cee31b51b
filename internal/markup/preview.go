package markup

import (
	"bytes"
	"html"
	"net/url"
	"strings"

	nethtml "golang.org/x/net/html"
)

// Preview renders an article body for the newsroom's own preview: as
// Article, except that an image from anywhere but this site is shown as a
// link to it instead of being loaded. A draft must not make the browser of
// the editor reviewing it fetch from a server its writer chose, which would
// learn the editor's address and when they read the draft. (The newsroom's
// Content-Security-Policy blocks such images too; this says what they
// were.) Library media is served from the site itself, so it still shows.
func (r *Renderer) Preview(src string) (string, error) {
	h, _, err := r.PreviewText(src)
	return h, err
}

// PreviewText is Preview with the body's plain text, as Article gives it.
func (r *Renderer) PreviewText(src string) (htmlOut, plain string, err error) {
	h, plain, err := r.Article(src)
	if err != nil {
		return "", "", err
	}
	return linkRemoteImages(h), plain, nil
}

// linkRemoteImages replaces the img elements of sanitised HTML whose source
// is not on this site with links to their source. Everything else is
// copied byte for byte, so the sanitiser's guarantee holds.
func linkRemoteImages(src string) string {
	var out bytes.Buffer
	z := nethtml.NewTokenizer(strings.NewReader(src))
	for {
		tt := z.Next()
		if tt == nethtml.ErrorToken {
			return out.String() // the end: the sanitiser's output is whole
		}
		raw := z.Raw()
		if tt != nethtml.StartTagToken && tt != nethtml.SelfClosingTagToken {
			out.Write(raw)
			continue
		}
		tok := z.Token()
		if tok.Data != "img" {
			out.Write(raw)
			continue
		}
		var imgSrc, alt string
		for _, a := range tok.Attr {
			switch a.Key {
			case "src":
				imgSrc = a.Val
			case "alt":
				alt = a.Val
			}
		}
		if OnThisSite(imgSrc) {
			out.Write(raw)
			continue
		}
		label := "Image from elsewhere, not loaded in the preview"
		if alt != "" {
			label += ": " + alt
		}
		out.WriteString(`<a class="remote-image" href="` + html.EscapeString(imgSrc) + `" rel="noopener noreferrer">` + html.EscapeString(label) + `</a>`)
	}
}

// OnThisSite reports whether an image source loads from this site (a path
// on it) or from nowhere (a data: URL). Browsers drop tabs and line breaks
// inside URLs and read a backslash as a slash, so those are undone first.
func OnThisSite(src string) bool {
	src = strings.NewReplacer("\t", "", "\n", "", "\r", "", `\`, "/").Replace(strings.TrimSpace(src))
	if strings.HasPrefix(src, "/") {
		return !strings.HasPrefix(src, "//")
	}
	u, err := url.Parse(src)
	return err == nil && strings.EqualFold(u.Scheme, "data")
}
