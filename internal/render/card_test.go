package render

import (
	"strings"
	"testing"
	"time"

	"masthead/internal/news"
)

// libraryImage is a media library variant's URL, which has srcsets.
const libraryImage = "/media/lib/14/14d0d1b0e6f78d500471d07325c6343637854c6c4c0b3105b3e48cd1abf2b576-960x540.jpg"

// cardStory is a story whose every shown value is v.
func cardStory(v string, authors int, comments int, image string) *news.Article {
	a := &news.Article{
		Path:         "2026/12/06/" + v,
		Headline:     v,
		Standfirst:   v,
		PublishedAt:  time.Date(2026, 12, 6, 23, 30, 0, 0, time.UTC),
		CommentCount: comments,
		Section:      &news.Section{Slug: v, Name: v},
	}
	for i := range authors {
		a.Authors = append(a.Authors, news.Staff{Slug: v + strings.Repeat("x", i), Name: v})
	}
	if image != "" {
		a.LeadImage = &news.Image{URL: image, Alt: v, Width: 800, Height: 600}
	}
	return a
}

// A card written in Go is the "card" template's bytes, in each date style
// and zone.
func TestStoryCardSameBytes(t *testing.T) {
	e, err := New(time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	values := []string{"", "plain story", `<b>"Quoted" & 'single' + more</b>`, "a\x00b\xffc", "Zürich “news” 東京",
		"javascript:alert(1)", "a b/c?d=e&f#g%41%zz", "odd\t[chars]{x}|\\^`"}
	images := []string{"", libraryImage, "https://cdn.example/a b.jpg?x=1&y=2", "javascript:alert(1)", "/media/photo.png"}
	for _, d := range []Dates{{}, {Zone: "Asia/Tokyo", Style: "us"}, {Zone: "America/New_York"}} {
		for _, v := range values {
			for _, img := range images {
				for _, n := range []int{0, 1, 2, 3} {
					for _, eager := range []bool{false, true} {
						checkCard(t, e, d, cardStory(v, n, n*7%3, img), eager)
					}
				}
			}
		}
	}
	a := cardStory("x", 1, 0, "")
	a.Section = nil
	checkCard(t, e, Dates{}, a, false)
}

func checkCard(t *testing.T, e *Engine, d Dates, a *news.Article, eager bool) {
	t.Helper()
	pages, err := e.pagesFor(d)
	if err != nil {
		t.Fatal(err)
	}
	var want, got strings.Builder
	if err := pages["article"].ExecuteTemplate(&want, "card", card(a, eager)); err != nil {
		t.Fatal(err)
	}
	// As pagesFor made the set's functions (the engine's zone is UTC).
	loc := time.UTC
	if d.Zone != "" {
		if loc, err = time.LoadLocation(d.Zone); err != nil {
			t.Fatal(err)
		}
	}
	got.WriteString(string(storyCard(a, eager, loc, news.DateLayout(d.Style))))
	if got.String() != want.String() {
		t.Errorf("dates %+v: card written in Go:\n%s\nthe template's:\n%s", d, got.String(), want.String())
	}
}

// addStorySeeds gives a story fuzz target (value, image, count) hostile
// values, with a library image and with the value as the image.
func addStorySeeds(f *testing.F) {
	for _, s := range []string{"", "a&b", "<x>", "javascript:x", "%4G%41", "\x00\xff+'\""} {
		f.Add(s, libraryImage, 2)
		f.Add(s, s, 1)
	}
}

// FuzzStoryCard holds the Go card to the template for any value and image.
func FuzzStoryCard(f *testing.F) {
	e, err := New(time.UTC)
	if err != nil {
		f.Fatal(err)
	}
	addStorySeeds(f)
	f.Fuzz(func(t *testing.T, v, image string, n int) {
		n = min(max(n, 0), 4)
		checkCard(t, e, Dates{}, cardStory(v, n, n, image), n%2 == 0)
	})
}
