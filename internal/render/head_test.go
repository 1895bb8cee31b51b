package render

import (
	"strings"
	"testing"
	"time"

	"masthead/internal/news"
)

// headLayout is a layout whose every head value is v, in each way the head
// shows one (text, attribute, URL).
func headLayout(v string, article bool) Layout {
	l := Layout{
		Site:        news.Publication{Name: v, Language: v, IconURL: v},
		Title:       v,
		Description: v,
		Canonical:   v,
		Robots:      v,
		PrevURL:     v,
		NextURL:     v,
		Feeds:       []Feed{{Title: v, Type: v, URL: v}, {Title: "RSS", Type: "application/rss+xml", URL: "https://news.example/feed.xml"}},
		JSONLD:      []string{`{"@type":"NewsArticle"}`, v},
		OG:          OpenGraph{Type: v, Image: v, ImageAlt: v, Section: v, Authors: []string{v, "/author/a"}, Tags: []string{v}},
	}
	if article {
		l.OG.Type = "article"
		l.OG.PublishedTime = time.Date(2026, 12, 6, 9, 30, 0, 0, time.FixedZone("", 3600))
		l.OG.ModifiedTime = time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	}
	return l
}

// The head written in Go is the "head" template's bytes.
func TestHeadSameBytes(t *testing.T) {
	e, err := New(time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	values := []struct{ name, v string }{
		{"empty", ""},
		{"plain", "The Courier"},
		{"markup", `<script>alert("x" + 'y')</script> & more`},
		{"entity", "Fish &amp; chips %41 %zz 100%"},
		{"nul and bad utf-8", "a\x00b\xffc\xe2\x80"},
		{"non-ascii", "Zürich – “quoted” 東京"},
		{"url", "https://news.example/2026/12/06/a-story?x=1&y=2+3#top"},
		{"path", "/section/city news/"},
		{"javascript url", "javascript:alert(1)"},
		{"upper-case scheme", "HTTPS://news.example/"},
		{"mailto", "mailto:desk@news.example"},
		{"scheme-like path", "/a:b"},
		{"odd bytes", "a b\tc\n[d]{e}|f\\g^h`i'j\"k<l>m!$*,;=@~"},
	}
	for _, tt := range values {
		for _, article := range []bool{false, true} {
			l := headLayout(tt.v, article)
			checkHead(t, e, tt.name, l)
			// And with the optional parts left out.
			l.Description, l.Robots, l.PrevURL, l.NextURL, l.Site.IconURL, l.OG.Image, l.OG.Section = "", "", "", "", "", "", ""
			l.OG.Authors, l.OG.Tags, l.Feeds, l.JSONLD = nil, nil, nil, nil
			checkHead(t, e, tt.name+", bare", l)
		}
	}
}

func checkHead(t *testing.T, e *Engine, name string, l Layout) {
	t.Helper()
	want, err := e.RenderPart("article", "head", l)
	if err != nil {
		t.Fatal(err)
	}
	if got := string(e.head(l)); got != string(want) {
		t.Errorf("%s: head written in Go:\n%s\nthe template's:\n%s", name, got, want)
	}
}

// FuzzHead holds the Go head to the template for any value.
func FuzzHead(f *testing.F) {
	e, err := New(time.UTC)
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{"", "a&b", "<x>", "javascript:x", "http://a/%2", "%4G%41", "\x00\xff+'\""} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, v string, article bool) {
		l := headLayout(v, article)
		if strings.Contains(v, "</script") {
			l.JSONLD = nil // JSON-LD comes encoded for a script element
		}
		checkHead(t, e, "fuzz", l)
	})
}
