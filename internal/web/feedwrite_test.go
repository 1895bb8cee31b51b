package web

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"html"
	"strings"
	"sync"
	"testing"
	"time"

	"masthead/internal/markup"
	"masthead/internal/news"
	"masthead/internal/render"
)

// testEngine is parsed once: the fuzz target calls checkFeeds thousands
// of times a second.
var testEngine = sync.OnceValues(func() (*render.Engine, error) { return render.New(time.UTC) })

// hostile are values that escaping gets wrong: markup characters, control
// characters, invalid and truncated UTF-8, characters XML may not hold,
// the separators JSON escapes, CDATA's end, and site-relative links.
var hostile = []string{
	"",
	"plain",
	`<script>alert("x" & 'y')</script>`,
	"tab\there\nnew\r\nline \x00 nul \x01\x08\x0b\x0c\x1b\x1f \x7f del",
	"bad \xff utf8 \xe2\x80 truncated \xc0\xaf overlong \xed\xa0\x80 surrogate",
	"\xe2\x80",
	"\x80leading continuation",
	"ends in a truncated rune \xf0\x9f\x98",
	"\uFFFD real replacement, \uFFFE \uFFFF non-characters, \U0010FFFF last, \U0001F600 emoji",
	"line\u2028separator\u2029paragraph",
	"]]> cdata end <![CDATA[ x ]]]]>",
	"&amp; already &#34;escaped&#39; &lt;",
	`<p><a href="/2026/12/01/story">in</a> <img src="/media/x.jpg" srcset="/a 1x"> <a href="https://example.org/">out</a></p>`,
	`xhref="/x" src="/" href="/" href= "/x" HREF="/x" src='/x' href="//evil" ="/ href="/href="/`,
	`<div class="embed-box" data-embed-src="https://www.youtube.com/embed/x"><a href="/x">facade</a></div><p>after</p>`,
	"é à ü — “curly” ‘quotes’ £11.2 million",
	"\\ backslash \" quote / slash",
}

// oldFeedContent is Server.feedContent as it was, with a strings.Replacer
// and html.EscapeString: what articleBody must write.
func oldFeedContent(base string, a *news.Article) string {
	r := strings.NewReplacer(`href="/`, `href="`+base+`/`, `src="/`, `src="`+base+`/`)
	body := r.Replace(markup.WithoutFacades(a.BodyHTML))
	if img := a.LeadImage; img != nil {
		u := img.URL
		if len(u) > 0 && u[0] == '/' {
			u = base + u
		}
		fig := `<figure><img src="` + html.EscapeString(u) + `" alt="` + html.EscapeString(img.Alt) + `">`
		if img.Caption != "" || img.Credit != "" {
			fig += `<figcaption>` + html.EscapeString(strings.TrimSpace(img.Caption+" "+img.Credit)) + `</figcaption>`
		}
		body = fig + "</figure>\n" + body
	}
	return body
}

func escapeXML(s string) string {
	var b bytes.Buffer
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

func escapeJSON(s string) string {
	b, _ := json.Marshal(s)
	return string(b[1 : len(b)-1])
}

func TestAppendEscaped(t *testing.T) {
	for _, s := range hostile {
		if got, want := string(appendXMLText(nil, s)), escapeXML(s); got != want {
			t.Errorf("appendXMLText(%q) = %q, want %q", s, got, want)
		}
		if got, want := string(appendJSONText(nil, s)), escapeJSON(s); got != want {
			t.Errorf("appendJSONText(%q) = %q, want %q", s, got, want)
		}
		for name, esc := range map[string]func([]byte, string) []byte{"raw": appendRaw, "xml": appendXMLText, "json": appendJSONText} {
			if got, want := string(appendHTMLEscaped(nil, s, esc)), string(esc(nil, html.EscapeString(s))); got != want {
				t.Errorf("appendHTMLEscaped(%q, %s) = %q, want %q", s, name, got, want)
			}
		}
	}
}

// feedArticle is an article made of hostile values, all of them, starting
// at i.
func feedArticle(vals []string, i int) *news.Article {
	v := func(k int) string { return vals[(i+k)%len(vals)] }
	a := &news.Article{ID: int64(i + 1), Path: "2026/12/01/" + v(0), Headline: v(1), Standfirst: v(2), BodyHTML: v(3) + v(4) + v(5),
		PublishedAt: time.Date(2026, 12, 1, 12, 0, i, 0, time.UTC), ModifiedAt: time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC),
		Authors: []news.Staff{{Name: v(6), Slug: v(7)}}}
	if i%3 != 2 {
		a.LeadImage = &news.Image{URL: v(8), Alt: v(9), Caption: v(10), Credit: v(11)}
		if i%3 == 1 {
			a.LeadImage.URL = "/media/" + v(8)
		}
	}
	if i%2 == 0 {
		a.Section = &news.Section{Name: v(12)}
	}
	return a
}

// checkFeeds renders the three feeds of articles made of vals, by hand and
// with encoding/xml and encoding/json as the code did before, and reports
// any difference.
func checkFeeds(t *testing.T, base string, vals []string) {
	t.Helper()
	if len(vals) == 0 {
		vals = []string{""}
	}
	eng, err := testEngine()
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{cfg: Config{BaseURL: base}, render: eng}
	var list []*news.Article
	for i := range min(len(vals), 4) {
		list = append(list, feedArticle(vals, i))
	}
	v := func(k int) string { return vals[k%len(vals)] }
	for _, fi := range []feedInfo{
		{Title: v(0), Description: v(1), HomeURL: v(2), SelfURL: v(3), Language: v(4), Publisher: v(5), Articles: list},
		{Title: v(1), SelfURL: v(2)},
	} {
		doc := s.rssDoc(fi)
		old := doc
		old.Channel.Items = nil
		for _, it := range doc.Channel.Items {
			it.Content, it.body = oldFeedContent(base, it.body.a), articleBody{}
			old.Channel.Items = append(old.Channel.Items, it)
		}
		want, err := marshalXML(old)
		if err != nil {
			t.Fatal(err)
		}
		if got := doc.xml(); !bytes.Equal(got, want) {
			t.Errorf("rss:\n%s\nwant\n%s", got, want)
		}
		if got := old.xml(); !bytes.Equal(got, want) {
			t.Errorf("rss, content as text:\n%s\nwant\n%s", got, want)
		}

		f := s.atomFeed(fi)
		oldf := f
		oldf.Entries = nil
		for _, e := range f.Entries {
			e.Content.Value, e.body = oldFeedContent(base, e.body.a), articleBody{}
			oldf.Entries = append(oldf.Entries, e)
		}
		if want, err = marshalXML(oldf); err != nil {
			t.Fatal(err)
		}
		if got := f.xml(); !bytes.Equal(got, want) {
			t.Errorf("atom:\n%s\nwant\n%s", got, want)
		}
		if got := oldf.xml(); !bytes.Equal(got, want) {
			t.Errorf("atom, content as text:\n%s\nwant\n%s", got, want)
		}

		j := s.jsonFeedDoc(fi)
		oldj := j
		oldj.Items = []jsonFeedItem{}
		for _, it := range j.Items {
			it.ContentHTML, it.body = oldFeedContent(base, it.body.a), articleBody{}
			oldj.Items = append(oldj.Items, it)
		}
		if want, err = json.MarshalIndent(oldj, "", "  "); err != nil {
			t.Fatal(err)
		}
		if got := j.json(); !bytes.Equal(got, want) {
			t.Errorf("json:\n%s\nwant\n%s", got, want)
		}
		oldj.Items = nil
		if want, err = json.MarshalIndent(oldj, "", "  "); err != nil {
			t.Fatal(err)
		}
		if got := oldj.json(); !bytes.Equal(got, want) {
			t.Errorf("json, no items:\n%s\nwant\n%s", got, want)
		}
	}

	// Atom feeds without a language, links without types, a person
	// without a URI (the live blog's and newsletters' feeds), and sitemaps.
	f := atomFeed{Title: v(0), ID: v(1), Updated: v(2), Links: []atomLink{{Href: v(3), Rel: v(4)}}, Author: atomPerson{Name: v(5)}, Gen: v(6),
		Entries: []atomEntry{{Title: v(7), Content: atomText{Type: v(8), Value: v(9)}}}}
	if want, _ := marshalXML(f); !bytes.Equal(f.xml(), want) {
		t.Errorf("atom:\n%s\nwant\n%s", f.xml(), want)
	}
	for _, news := range []bool{false, true} {
		doc := urlSetDoc{NS: sitemapNS}
		if news {
			doc.NewsNS = v(0)
		}
		for i := range vals {
			u := sitemapURL{Loc: v(i), LastMod: v(i + 1)}
			if news && i%2 == 0 {
				u.News = &sitemapNews{PublicationDate: v(i + 2), Title: v(i + 3)}
				u.News.Publication.Name, u.News.Publication.Language = v(i+4), v(i+5)
			}
			doc.URLs = append(doc.URLs, u)
		}
		if want, _ := marshalXML(doc); !bytes.Equal(doc.xml(), want) {
			t.Errorf("urlset:\n%s\nwant\n%s", doc.xml(), want)
		}
	}
	if got := s.absoluteHTML(v(0)); got != strings.NewReplacer(`href="/`, `href="`+base+`/`, `src="/`, `src="`+base+`/`).Replace(v(0)) {
		t.Errorf("absoluteHTML(%q) = %q", v(0), got)
	}
}

func TestFeedsAsEncoders(t *testing.T) {
	checkFeeds(t, "https://news.example.test", hostile)
	checkFeeds(t, "http://x/a&b<\xff>\u2028", hostile[3:])
	checkFeeds(t, "", nil)
	for i := range hostile {
		checkFeeds(t, "https://news.example.test", hostile[i:i+1])
	}
}

// FuzzFeeds holds the feeds and sitemaps written by hand to what
// encoding/xml and encoding/json make of the same documents.
func FuzzFeeds(f *testing.F) {
	for i := range hostile {
		f.Add("https://news.example.test", hostile[i], hostile[(i+3)%len(hostile)], hostile[(i+7)%len(hostile)])
	}
	f.Fuzz(func(t *testing.T, base, a, b, c string) {
		checkFeeds(t, base, []string{a, b, c, a + b + c})
	})
}
