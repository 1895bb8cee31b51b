package render

import (
	"strings"
	"testing"
	"time"

	"masthead/internal/news"
)

// An article's header written in Go is the "article-header" template's
// bytes: with and without each optional part, static pages, images of the
// library and others, date styles and zones, hostile values.
func TestArticleHeaderSameBytes(t *testing.T) {
	e, err := New(time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	values := []string{"", "The budget vote", `<b>"Quoted" & 'single' + more</b>`, "a\x00b\xffc", "Zürich “news” 東京",
		"javascript:alert(1)", "a b/c?d=e&f#g%41%zz"}
	images := []string{"", libraryImage, "https://cdn.example/a b.jpg?x=1&y=2", "javascript:alert(1)"}
	for _, d := range []Dates{{}, {Zone: "Asia/Tokyo", Style: "us"}, {Zone: "America/New_York"}} {
		for _, v := range values {
			for _, img := range images {
				for n := range 4 {
					a := cardStory(v, n, 0, img)
					a.WordCount = n * 300
					if n%2 == 1 {
						a.UpdatedAt = a.PublishedAt.Add(90 * time.Minute)
					}
					if a.LeadImage != nil {
						a.LeadImage.Caption, a.LeadImage.Credit = v, strings.Repeat(v, n%2)
					}
					if n == 3 {
						a.Section = nil
					}
					for _, static := range []bool{false, true} {
						checkArticleHeader(t, e, d, a, static)
					}
				}
			}
		}
	}
}

func checkArticleHeader(t *testing.T, e *Engine, d Dates, a *news.Article, static bool) {
	t.Helper()
	pages, err := e.pagesFor(d)
	if err != nil {
		t.Fatal(err)
	}
	var want strings.Builder
	data := struct {
		Article *news.Article
		Static  bool
	}{a, static}
	if err := pages["article"].ExecuteTemplate(&want, "article-header", data); err != nil {
		t.Fatal(err)
	}
	loc := time.UTC // the engine's; as pagesFor makes the set's functions
	if d.Zone != "" {
		if loc, err = time.LoadLocation(d.Zone); err != nil {
			t.Fatal(err)
		}
	}
	if got := string(articleHeader(a, static, loc, news.DateLayout(d.Style))); got != want.String() {
		t.Errorf("dates %+v: header written in Go:\n%s\nthe template's:\n%s", d, got, want.String())
	}
}

// FuzzArticleHeader holds the Go header to the template for any values.
func FuzzArticleHeader(f *testing.F) {
	e, err := New(time.UTC)
	if err != nil {
		f.Fatal(err)
	}
	addStorySeeds(f)
	f.Fuzz(func(t *testing.T, v, image string, n int) {
		n = min(max(n, 0), 4)
		a := cardStory(v, n, 0, image)
		if a.LeadImage != nil {
			a.LeadImage.Caption, a.LeadImage.Credit = v, image
		}
		checkArticleHeader(t, e, Dates{}, a, n == 4)
	})
}
