package markup

import (
	"html"
	"regexp"
	"strings"
)

// Images in an article body's Markdown, as RemoveImages finds them: a
// figure or an <img> in raw HTML (imports), and Markdown images, linked
// ones first so that no empty link is left behind.
var (
	htmlFigure   = regexp.MustCompile(`(?is)<figure\b[^>]*>.*?</figure\s*>`)
	htmlImage    = regexp.MustCompile(`(?is)<img\b[^>]*>`)
	htmlSrc      = regexp.MustCompile(`(?is)\bsrcset\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)|\bsrc\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)`)
	mdImage      = `!\[(?:\\.|[^\]\\])*\]\(\s*(?:<[^>\n]*>|[^\s)]+)(?:\s+(?:"[^"\n]*"|'[^'\n]*'|\([^)\n]*\)))?\s*\)`
	mdLinked     = regexp.MustCompile(`\[\s*(` + mdImage + `)\s*\]\([^)\n]*\)`)
	mdImageOnly  = regexp.MustCompile(mdImage)
	mdImageDest  = regexp.MustCompile(`\]\(\s*(<[^>\n]*>|[^\s)]+)`)
	linkedTarget = regexp.MustCompile(`^\[\s*(!\[.*)\s*\]\([^)\n]*\)$`)
)

// removed marks where an image was taken out, until the lines are tidied.
const removed = "\x00\x01removed\x01\x00"

// RemoveImages takes out of Markdown src every image whose address drop
// accepts — a Markdown image (linked or not), an HTML <img>, or a whole
// HTML <figure> holding one — and the line it stood on when nothing else
// was there, leaving everything else as written. It is for images that
// no longer exist (a library image deleted for a rights or legal
// takedown), so that readers are never shown a broken one.
func RemoveImages(src string, drop func(url string) bool) string {
	src = htmlFigure.ReplaceAllStringFunc(src, func(fig string) string {
		if htmlDrops(fig, drop) {
			return removed
		}
		return fig
	})
	src = htmlImage.ReplaceAllStringFunc(src, func(img string) string {
		if htmlDrops(img, drop) {
			return removed
		}
		return img
	})
	for _, re := range []*regexp.Regexp{mdLinked, mdImageOnly} {
		src = re.ReplaceAllStringFunc(src, func(img string) string {
			inner := img
			if m := linkedTarget.FindStringSubmatch(img); m != nil {
				inner = m[1]
			}
			if m := mdImageDest.FindStringSubmatch(inner[strings.LastIndex(inner, "]("):]); m != nil && drop(strings.Trim(m[1], "<>")) {
				return removed
			}
			return img
		})
	}
	if !strings.Contains(src, removed) {
		return src
	}
	// A line that held only removed images goes, with the blank line after
	// it when one is left before it (a paragraph of its own leaves one
	// paragraph break, not two); elsewhere the marks are just dropped.
	lines := strings.Split(src, "\n")
	out := make([]string, 0, len(lines))
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if strings.Contains(line, removed) && strings.TrimSpace(strings.ReplaceAll(line, removed, "")) == "" {
			if i+1 < len(lines) && strings.TrimSpace(lines[i+1]) == "" && (len(out) == 0 || strings.TrimSpace(out[len(out)-1]) == "") {
				i++
			}
			continue
		}
		out = append(out, strings.ReplaceAll(line, removed, ""))
	}
	return strings.Join(out, "\n")
}

// htmlDrops reports whether any src or srcset address in an HTML fragment
// is one drop accepts.
func htmlDrops(fragment string, drop func(url string) bool) bool {
	for _, m := range htmlSrc.FindAllStringSubmatch(fragment, -1) {
		v := html.UnescapeString(strings.Trim(m[1]+m[2], `"'`))
		if m[1] != "" { // srcset: "url 480w, url 960w"
			for _, cand := range strings.Split(v, ",") {
				if f := strings.Fields(cand); len(f) > 0 && drop(f[0]) {
					return true
				}
			}
			continue
		}
		if drop(v) {
			return true
		}
	}
	return false
}
