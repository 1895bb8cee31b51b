package render

import (
	"html/template"
	"time"
)

// pageStart writes a reader page's start — the document's head, the site's
// header with the breaking-news banner, search box and navigation — up to
// the opening of its content, as the "page-start" template (layout.html)
// does for a Layout with a Chrome, byte for byte (page_test.go).
func (e *Engine) pageStart(l Layout) template.HTML {
	b := make([]byte, 0, headSize(&l)+2048)
	b = append(b, "<!doctype html>\n<html lang=\""...)
	b = appendEscaped(b, l.Site.Language)
	b = append(b, "\">\n<head>\n"...)
	b = e.appendHead(b, &l)
	b = append(b, "</head>\n<body>\n<a class=\"skip-link\" href=\"#main\">Skip to main content</a>\n<header class=\"site-header\">\n  <div class=\"breaking\" id=\"breaking\" aria-live=\"polite\" data-stream=\""...)
	b = appendEscaped(b, l.BreakingStream)
	b = append(b, `">`...)
	if br := l.Breaking; br != nil {
		b = append(b, `<p class="breaking-news wrap" data-expires="`...)
		b = appendEscaped(b, br.ExpiresAt.UTC().AppendFormat(nil, time.RFC3339))
		b = append(b, `"><strong class="breaking-label">Breaking</strong> `...)
		if br.Link != "" {
			b = append(b, `<a href="`...)
			b = appendURL(b, br.Link)
			b = append(b, `">`...)
			b = appendEscaped(b, br.Text)
			b = append(b, `</a>`...)
		} else {
			b = append(b, `<span>`...)
			b = appendEscaped(b, br.Text)
			b = append(b, `</span>`...)
		}
		b = append(b, `</p>`...)
	}
	b = append(b, "</div>\n  <div class=\"wrap masthead\">\n    "...)
	if l.IsHome {
		b = append(b, `<h1 class="site-title">`...)
	} else {
		b = append(b, `<p class="site-title">`...)
	}
	b = append(b, `<a href="/">`...)
	if l.Site.LogoURL != "" {
		b = append(b, `<img class="site-logo" src="`...)
		b = appendURL(b, l.Site.LogoURL)
		b = append(b, `" alt="`...)
		b = appendEscaped(b, l.Site.Name)
		b = append(b, `">`...)
	} else {
		b = appendEscaped(b, l.Site.Name)
	}
	if l.IsHome {
		b = append(b, "</a></h1>\n    "...)
	} else {
		b = append(b, "</a></p>\n    "...)
	}
	if l.Site.Tagline != "" {
		b = append(b, `<p class="tagline">`...)
		b = appendEscaped(b, l.Site.Tagline)
		b = append(b, `</p>`...)
	}
	b = append(b, "\n    <form class=\"search-box\" role=\"search\" aria-label=\"Site\" action=\"/search\" method=\"get\">\n      <label for=\"site-search\" class=\"visually-hidden\">Search "...)
	b = appendEscaped(b, l.Site.Name)
	b = append(b, "</label>\n      <input id=\"site-search\" type=\"search\" name=\"q\" value=\""...)
	b = appendEscaped(b, l.Query)
	b = append(b, "\" placeholder=\"Search\" maxlength=\"200\">\n      <button type=\"submit\">Search</button>\n    </form>\n    <a class=\"account-link\" href=\"/account\">Account</a>\n  </div>\n  <nav class=\"sections-nav\" aria-label=\"Sections\">\n    <ul class=\"wrap\">\n"...)
	b = append(b, l.Chrome.Nav(l.Current, l.IsHome)...)
	b = append(b, "    </ul>\n  </nav>\n</header>\n<main id=\"main\" class=\"wrap\" tabindex=\"-1\">"...)
	return template.HTML(b)
}

// pageEnd writes a reader page's end, after its content — the footer and
// the script — as the "page-end" template does for a Layout with a Chrome.
func (e *Engine) pageEnd(l Layout) template.HTML {
	footer := l.Chrome.Footer()
	b := make([]byte, 0, len(footer)+128)
	b = append(b, "</main>\n"...)
	b = append(b, footer...)
	b = append(b, `<script src="`...)
	b = appendURL(b, e.StaticURL("site.js"))
	b = append(b, "\" defer></script>\n</body>\n</html>\n"...)
	return template.HTML(b)
}
