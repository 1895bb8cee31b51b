package render

import (
	"html/template"
	"time"

	"masthead/internal/news"
)

// The front page's parts, written in Go as their reference templates
// (pages/home.html) write them, byte for byte (home_test.go): the front
// page is the listing read most, and in the template each card, link and
// date was a reflective call.

// The sizes attribute of the front page's lead image and its sources.
const homeLeadSizes = `" sizes="(min-width: 72rem) 46rem, (min-width: 56rem) 64vw, 100vw">`

// homeLead writes the front page's lead story as the "home-lead" template
// does.
func homeLead(a *news.Article, loc *time.Location, dateLayout string) template.HTML {
	b := make([]byte, 0, 1536+2*len(a.Standfirst))
	b = append(b, `<article class="lead-story`...)
	if a.LeadImage != nil {
		b = append(b, ` has-image`...)
	}
	b = append(b, "\">\n    "...)
	if img := a.LeadImage; img != nil {
		b = appendPicture(b, img, responsive(img), `<img src="`, homeLeadSizes)
		b = append(b, `" fetchpriority="high"></picture>`...)
	}
	b = append(b, "\n    <div class=\"lead-text\">\n      "...)
	if s := a.Section; s != nil {
		b = appendKicker(b, s)
	}
	b = append(b, "\n      <h3 class=\"lead-headline\"><a href=\""...)
	b = appendURL(b, a.URLPath())
	b = append(b, `">`...)
	b = appendEscaped(b, a.Headline)
	b = append(b, "</a></h3>\n      "...)
	if a.Standfirst != "" {
		b = append(b, `<p class="standfirst">`...)
		b = appendEscaped(b, a.Standfirst)
		b = append(b, `</p>`...)
	}
	b = append(b, "\n      <p class=\"meta\">"...)
	b = appendBylineAndDate(b, a, loc, dateLayout)
	return template.HTML(append(b, "</p>\n    </div>\n  </article>"...))
}

// storyCards writes cards one after another, the first eager when
// firstEager (a listing's first card is its largest paint), as {{range $i,
// $a := .}}{{storyCard $a (and $.FirstEager (eq $i 0))}}{{end}} does.
func storyCards(list []*news.Article, firstEager bool, loc *time.Location, dateLayout string) template.HTML {
	b := make([]byte, 0, 1024*len(list))
	for i, a := range list {
		b = appendStoryCard(b, a, firstEager && i == 0, loc, dateLayout)
	}
	return template.HTML(b)
}

// latestList writes the front page's list of the latest stories' links
// as the "latest-list" template does.
func latestList(list []*news.Article, loc *time.Location, dateLayout string) template.HTML {
	b := make([]byte, 0, 192*len(list))
	for _, a := range list {
		b = append(b, `<li><a href="`...)
		b = appendURL(b, a.URLPath())
		b = append(b, `">`...)
		b = appendEscaped(b, a.Headline)
		b = append(b, `</a> `...)
		b = appendDate(b, a.PublishedAt, loc, dateLayout)
		b = append(b, `</li>`...)
	}
	return template.HTML(b)
}

// tagCloud writes the front page's topics as the "tag-cloud" template
// does.
func tagCloud(tags []news.Tag) template.HTML {
	b := make([]byte, 0, 64*len(tags))
	for _, t := range tags {
		b = append(b, `<li><a href="`...)
		b = appendURL(b, t.URLPath())
		b = append(b, `">`...)
		b = appendEscaped(b, t.Name)
		b = append(b, `</a></li>`...)
	}
	return template.HTML(b)
}

// appendDate writes a <time> element as the templates do with iso and
// date: the UTC instant in its attribute, the date in loc as its text.
func appendDate(b []byte, t time.Time, loc *time.Location, dateLayout string) []byte {
	b = append(b, `<time datetime="`...)
	b = appendEscaped(b, t.UTC().AppendFormat(nil, time.RFC3339))
	b = append(b, `">`...)
	b = appendEscaped(b, t.In(loc).AppendFormat(nil, dateLayout))
	return append(b, `</time>`...)
}
