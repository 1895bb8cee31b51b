package render

import (
	"html/template"
	"time"

	"masthead/internal/news"
)

// Card is what a story's card shows: the story, and whether its image is
// among the first a reader sees, to be fetched at once rather than when
// scrolled near. Pages show cards with {{storyCard . false}}; the "card"
// template (partials/card.html, given a Card) is what that must equal.
type Card struct {
	*news.Article
	Eager bool
}

func card(a *news.Article, eager bool) Card { return Card{Article: a, Eager: eager} }

// The sizes attribute of a card's image and its sources.
const cardSizes = `" sizes="(min-width: 56rem) 22rem, (min-width: 32rem) 50vw, 100vw">`

// storyCard writes a story's card as the "card" template does, byte for
// byte (card_test.go holds them equal, hostile values included), with
// dates shown in loc in dateLayout as the template's date function shows
// them. Related stories and every listing show cards, and in the template
// each of a card's twenty-odd values cost a reflective call or a field
// looked up by name.
func storyCard(a *news.Article, eager bool, loc *time.Location, dateLayout string) template.HTML {
	return template.HTML(appendStoryCard(make([]byte, 0, 640+2*len(a.Standfirst)), a, eager, loc, dateLayout))
}

func appendStoryCard(b []byte, a *news.Article, eager bool, loc *time.Location, dateLayout string) []byte {
	b = append(b, `<article class="card`...)
	if a.LeadImage != nil {
		b = append(b, ` has-image`...)
	}
	b = append(b, "\">\n  "...)
	if img := a.LeadImage; img != nil {
		b = appendPicture(b, img, responsive(img), `<img class="card-image" src="`, cardSizes)
		b = append(b, '"')
		if !eager {
			b = append(b, ` loading="lazy"`...)
		}
		b = append(b, `></picture>`...)
	}
	b = append(b, "\n  <div class=\"card-text\">\n    "...)
	if s := a.Section; s != nil {
		b = appendKicker(b, s)
	}
	b = append(b, "\n    <h3 class=\"card-headline\"><a href=\""...)
	path := a.URLPath()
	b = appendURL(b, path)
	b = append(b, `">`...)
	b = appendEscaped(b, a.Headline)
	b = append(b, "</a></h3>\n    "...)
	if a.Standfirst != "" {
		b = append(b, `<p class="card-standfirst">`...)
		b = appendEscaped(b, a.Standfirst)
		b = append(b, `</p>`...)
	}
	b = append(b, "\n    <p class=\"meta\">"...)
	b = appendBylineAndDate(b, a, loc, dateLayout)
	if a.CommentCount != 0 {
		b = append(b, ` · <a href="`...)
		b = appendURL(b, path)
		b = append(b, `#comments">`...)
		b = appendEscaped(b, plural(a.CommentCount, "comment", "comments"))
		b = append(b, `</a>`...)
	}
	return append(b, "</p>\n  </div>\n</article>"...)
}

// appendKicker writes the link to a story's section above its headline.
func appendKicker(b []byte, s *news.Section) []byte {
	b = append(b, `<p class="kicker"><a href="`...)
	b = appendURL(b, s.URLPath())
	b = append(b, `">`...)
	b = appendEscaped(b, s.Name)
	return append(b, `</a></p>`...)
}

// appendBylineAndDate writes a story's meta line as the templates do:
// "By" and its byline, if it has one, then its date.
func appendBylineAndDate(b []byte, a *news.Article, loc *time.Location, dateLayout string) []byte {
	if len(a.Authors) > 0 {
		b = append(b, "By "...)
		b = appendByline(b, a.Authors)
		b = append(b, " · "...)
	}
	return appendDate(b, a.PublishedAt, loc, dateLayout)
}

// appendByline writes authors as the "byline" template does: "A", "A and
// B", "A, B and C", each a link to their page.
func appendByline(b []byte, authors []news.Staff) []byte {
	for i, au := range authors {
		if i > 0 {
			if i+1 == len(authors) {
				b = append(b, " and "...)
			} else {
				b = append(b, ", "...)
			}
		}
		b = append(b, `<a href="`...)
		b = appendURL(b, au.URLPath())
		b = append(b, `">`...)
		b = appendEscaped(b, au.Name)
		b = append(b, `</a>`...)
	}
	return b
}

// appendSrcset appends a srcset as html/template writes one: each
// comma-separated candidate's URL normalized (appendNormalURL), or the
// candidate replaced by "#ZgotmplZ" when its URL has an unsafe scheme or
// its descriptor holds more than spaces, letters and digits.
func appendSrcset(b []byte, s string) []byte {
	written := 0
	for i := 0; i < len(s); i++ {
		if s[i] == ',' {
			b = appendSrcsetCandidate(b, s[written:i])
			b = append(b, ',')
			written = i + 1
		}
	}
	return appendSrcsetCandidate(b, s[written:])
}

func appendSrcsetCandidate(b []byte, s string) []byte {
	start := 0
	for start < len(s) && htmlSpace(s[start]) {
		start++
	}
	end := len(s)
	for i := start; i < len(s); i++ {
		if htmlSpace(s[i]) {
			end = i
			break
		}
	}
	if url := s[start:end]; safeURL(url) {
		plain := true
		for i := end; i < len(s); i++ {
			c := s[i]
			if !htmlSpace(c) && !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
				plain = false
				break
			}
		}
		if plain { // spaces, letters and digits need no escaping
			b = append(b, s[:start]...)
			b = appendNormalURL(b, url)
			return append(b, s[end:]...)
		}
	}
	return append(b, "#ZgotmplZ"...)
}

// htmlSpace is ASCII whitespace as HTML has it: tab, line feed, form feed,
// carriage return and space.
func htmlSpace(c byte) bool {
	return c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' '
}
