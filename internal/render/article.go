package render

import (
	"html/template"
	"strconv"
	"time"

	"masthead/internal/news"
)

// The sizes attribute of an article's lead image and its sources.
const leadSizes = `" sizes="(min-width: 44rem) 42rem, 100vw">`

// articleHeader writes an article's header (kicker, headline, standfirst,
// byline and dateline; a static page has no byline or dates) and its lead
// image as the "article-header" template (pages/article.html) does, byte
// for byte (article_test.go holds them equal), with dates shown in loc in
// dateLayout as the template's datetime function shows them.
func articleHeader(a *news.Article, static bool, loc *time.Location, dateLayout string) template.HTML {
	b := make([]byte, 0, 1024+2*len(a.Standfirst))
	b = append(b, "<header class=\"article-header\">\n    "...)
	if s := a.Section; s != nil {
		b = appendKicker(b, s)
	}
	b = append(b, "\n    <h1 class=\"headline\">"...)
	b = appendEscaped(b, a.Headline)
	b = append(b, "</h1>\n    "...)
	if a.Standfirst != "" {
		b = append(b, `<p class="standfirst">`...)
		b = appendEscaped(b, a.Standfirst)
		b = append(b, `</p>`...)
	}
	b = append(b, "\n    "...)
	if !static {
		b = append(b, "<div class=\"byline-row\">\n      "...)
		if len(a.Authors) > 0 {
			b = append(b, `<p class="byline">By `...)
			b = appendByline(b, a.Authors)
			b = append(b, `</p>`...)
		}
		b = append(b, "\n      <p class=\"dateline\">\n        <span>Published "...)
		b = appendTime(b, a.PublishedAt, loc, dateLayout)
		b = append(b, "</span>\n        "...)
		if a.WasUpdated() {
			b = append(b, `<span>Updated `...)
			b = appendTime(b, a.UpdatedAt, loc, dateLayout)
			b = append(b, `</span>`...)
		}
		b = append(b, "\n        <span>"...)
		b = strconv.AppendInt(b, int64(a.ReadingMinutes()), 10)
		b = append(b, " min read</span>\n      </p>\n    </div>"...)
	}
	b = append(b, "\n  </header>\n  "...)
	if img := a.LeadImage; img != nil {
		b = append(b, "<figure class=\"lead-image\">\n    "...)
		b = appendPicture(b, img, responsive(img), `<img src="`, leadSizes)
		b = append(b, "\" fetchpriority=\"high\"></picture>\n    "...)
		if img.Caption != "" || img.Credit != "" {
			b = append(b, `<figcaption>`...)
			b = appendEscaped(b, img.Caption)
			if img.Credit != "" {
				b = append(b, ` <span class="credit">`...)
				b = appendEscaped(b, img.Credit)
				b = append(b, `</span>`...)
			}
			b = append(b, `</figcaption>`...)
		}
		b = append(b, "\n  </figure>"...)
	}
	return template.HTML(b)
}

// appendTime writes a <time> element as the templates do with iso and
// datetime: the UTC instant in its attribute, the date and time in loc
// as its text.
func appendTime(b []byte, t time.Time, loc *time.Location, dateLayout string) []byte {
	b = append(b, `<time datetime="`...)
	b = appendEscaped(b, t.UTC().AppendFormat(nil, time.RFC3339))
	b = append(b, `">`...)
	b = appendEscaped(b, t.In(loc).AppendFormat(nil, dateLayout+", 15:04 MST"))
	return append(b, `</time>`...)
}
