package render

import (
	"testing"

	"masthead/internal/news"
)

// checkHomeParts holds the front page's Go parts (home.go) and the
// listings' cards to their reference templates, in dates d, for stories
// list (the first is the lead) and topics tags.
func checkHomeParts(t testing.TB, e *Engine, d Dates, list []*news.Article, tags []news.Tag) {
	t.Helper()
	if len(list) > 0 {
		want, loc, layout := referenceIn(t, e, "home", d, "home-lead", list[0])
		same(t, "home lead", d, string(homeLead(list[0], loc, layout)), want)
	}
	want, loc, layout := referenceIn(t, e, "home", d, "latest-list", list)
	same(t, "latest list", d, string(latestList(list, loc, layout)), want)
	want, _, _ = referenceIn(t, e, "home", d, "tag-cloud", tags)
	same(t, "tag cloud", d, string(tagCloud(tags)), want)
	for _, firstEager := range []bool{false, true} {
		want, _, _ = referenceIn(t, e, "list", d, "story-cards", struct {
			List       []*news.Article
			FirstEager bool
		}{list, firstEager})
		same(t, "story cards", d, string(storyCards(list, firstEager, loc, layout)), want)
	}
}

func TestHomePartsSameBytes(t *testing.T) {
	e := newEngine(t)
	for _, d := range partDates {
		for _, v := range partValues {
			for _, img := range []string{"", libraryImage, v} {
				checkHomeParts(t, e, d, []*news.Article{cardStory(v, 2, 1, img), cardStory(v, 0, 0, ""), cardStory(v, 3, 2, libraryImage)}, tagsOf(v, 3))
			}
		}
	}
	lead := cardStory("x", 1, 0, "")
	lead.Section = nil
	checkHomeParts(t, e, Dates{}, []*news.Article{lead}, nil)
	checkHomeParts(t, e, Dates{}, nil, nil)
}

func FuzzHomeParts(f *testing.F) {
	e := newEngine(f)
	addStorySeeds(f)
	f.Fuzz(func(t *testing.T, v, image string, n int) {
		n = min(max(n, 0), 4)
		checkHomeParts(t, e, Dates{}, []*news.Article{cardStory(v, n, n, image), cardStory(image, 1, 0, v)}, tagsOf(v, n))
	})
}
