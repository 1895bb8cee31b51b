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

// tagList writes an article's topics as the "tag-list" template does.
func tagList(tags []news.Tag) template.HTML {
	if len(tags) == 0 {
		return ""
	}
	b := make([]byte, 0, 48+80*len(tags))
	b = append(b, `<ul class="tags" aria-label="Topics">`...)
	for _, t := range tags {
		b = append(b, `<li><a href="`...)
		b = appendURL(b, t.URLPath())
		b = append(b, `" rel="tag">`...)
		b = appendEscaped(b, t.Name)
		b = append(b, `</a></li>`...)
	}
	return template.HTML(append(b, `</ul>`...))
}

// articleNav writes the links to the previous and next articles as the
// "article-nav" template does.
func articleNav(n news.Neighbours) template.HTML {
	if n.Previous == nil && n.Next == nil {
		return ""
	}
	b := make([]byte, 0, 512)
	b = append(b, "<nav class=\"article-nav\" aria-label=\"Previous and next articles\">\n  "...)
	if a := n.Previous; a != nil {
		b = append(b, `<a class="prev" rel="prev" href="`...)
		b = appendURL(b, a.URLPath())
		b = append(b, `"><span class="label">Previous article</span> <span class="title">`...)
		b = appendEscaped(b, a.Headline)
		b = append(b, `</span></a>`...)
	}
	b = append(b, "\n  "...)
	if a := n.Next; a != nil {
		b = append(b, `<a class="next" rel="next" href="`...)
		b = appendURL(b, a.URLPath())
		b = append(b, `"><span class="label">Next article</span> <span class="title">`...)
		b = appendEscaped(b, a.Headline)
		b = append(b, `</span></a>`...)
	}
	return template.HTML(append(b, "\n</nav>"...))
}

// authorBoxes writes a box about each of an article's authors, with the
// form to follow them by email when follows has their newsletter, as the
// "author-boxes" template does.
func authorBoxes(authors []news.Staff, follows map[int64]*news.Newsletter) template.HTML {
	var b []byte
	for _, au := range authors {
		b = append(b, `<section class="author-box" aria-label="About `...)
		b = appendEscaped(b, au.Name)
		b = append(b, "\">\n  "...)
		if au.PhotoURL != "" {
			b = append(b, `<img class="author-photo" src="`...)
			b = appendURL(b, au.PhotoURL)
			b = append(b, `" alt="" width="80" height="80">`...)
		} else {
			b = append(b, `<span class="author-photo initials" aria-hidden="true">`...)
			b = appendEscaped(b, au.Initials())
			b = append(b, `</span>`...)
		}
		b = append(b, "\n  <div>\n    <p class=\"author-name\"><a href=\""...)
		b = appendURL(b, au.URLPath())
		b = append(b, `">`...)
		b = appendEscaped(b, au.Name)
		b = append(b, "</a></p>\n    "...)
		if au.JobTitle != "" {
			b = append(b, `<p class="author-role">`...)
			b = appendEscaped(b, au.JobTitle)
			b = append(b, `</p>`...)
		}
		b = append(b, "\n    "...)
		if au.Bio != "" {
			b = append(b, `<p class="author-bio">`...)
			b = appendEscaped(b, au.Bio)
			b = append(b, `</p>`...)
		}
		b = append(b, "\n    "...)
		if links := au.Links.Set(); len(links) > 0 {
			b = append(b, `<ul class="author-links">`...)
			for _, l := range links {
				b = append(b, `<li><a href="`...)
				b = appendURL(b, l.URL)
				b = append(b, `">`...)
				b = appendEscaped(b, l.Label)
				b = append(b, `</a></li>`...)
			}
			b = append(b, `</ul>`...)
		}
		b = append(b, "\n    "...)
		if n := follows[au.ID]; n != nil {
			b = appendFollow(b, n)
		}
		b = append(b, "\n  </div>\n</section>"...)
	}
	return template.HTML(b)
}

// relatedStories writes the cards of an article's related stories as the
// "related-stories" template does.
func relatedStories(list []*news.Article, loc *time.Location, dateLayout string) template.HTML {
	if len(list) == 0 {
		return ""
	}
	b := make([]byte, 0, 200+900*len(list))
	b = append(b, "<section class=\"related\" aria-labelledby=\"related-heading\">\n  <h2 id=\"related-heading\" class=\"section-heading\">Related stories</h2>\n  <div class=\"card-list compact\">"...)
	for _, a := range list {
		b = appendStoryCard(b, a, false, loc, dateLayout)
	}
	return template.HTML(append(b, "</div>\n</section>"...))
}
