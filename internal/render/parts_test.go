package render

import (
	"strings"
	"testing"
	"time"

	"masthead/internal/news"
)

// The article page's parts written in Go (article.go, newsletter.go,
// respond.go, page.go) are their reference templates' bytes: each test
// here gives both the same hostile values, and a fuzz target any.

// partValues are the hostile values every part is given.
var partValues = []string{"", "The budget vote", `<b>"Quoted" & 'single' + more</b>`, "a\x00b\xffc", "Zürich “news” 東京",
	"javascript:alert(1)", "a b/c?d=e&f#g%41%zz", "odd\t[chars]{x}|\\^`", "https://a.example/?x=1&y=2+3", "mailto:desk@news.example"}

// partDates are the ways of showing dates the parts are checked in.
var partDates = []Dates{{}, {Zone: "Asia/Tokyo", Style: "us"}, {Zone: "America/New_York"}}

// reference executes the reference template name of the article page's
// set showing dates as d, and returns it with the zone and date layout the
// set's functions use, for the Go part to be given.
func reference(t testing.TB, e *Engine, d Dates, name string, data any) (string, *time.Location, string) {
	t.Helper()
	return referenceIn(t, e, "article", d, name, data)
}

// referenceIn is reference for a template of page's set.
func referenceIn(t testing.TB, e *Engine, page string, d Dates, name string, data any) (string, *time.Location, string) {
	t.Helper()
	pages, err := e.pagesFor(d)
	if err != nil {
		t.Fatal(err)
	}
	var want strings.Builder
	if err := pages[page].ExecuteTemplate(&want, name, data); err != nil {
		t.Fatal(err)
	}
	loc := time.UTC // the engine's; as pagesFor makes the set's functions
	if d.Zone != "" {
		if loc, err = time.LoadLocation(d.Zone); err != nil {
			t.Fatal(err)
		}
	}
	return want.String(), loc, news.DateLayout(d.Style)
}

func same(t testing.TB, part string, d Dates, got, want string) {
	t.Helper()
	if got != want {
		t.Errorf("dates %+v: %s written in Go:\n%s\nthe template's:\n%s", d, part, got, want)
	}
}

func newEngine(t testing.TB) *Engine {
	t.Helper()
	e, err := New(time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// tagsOf is n tags named v.
func tagsOf(v string, n int) []news.Tag {
	var tags []news.Tag
	for i := range n {
		tags = append(tags, news.Tag{ID: int64(i + 1), Slug: v + strings.Repeat("-", i), Name: v})
	}
	return tags
}

func checkTagList(t testing.TB, e *Engine, tags []news.Tag) {
	t.Helper()
	want, _, _ := reference(t, e, Dates{}, "tag-list", tags)
	same(t, "tag list", Dates{}, string(tagList(tags)), want)
}

func TestTagListSameBytes(t *testing.T) {
	e := newEngine(t)
	for _, v := range partValues {
		for n := range 3 {
			checkTagList(t, e, tagsOf(v, n))
		}
	}
	checkTagList(t, e, []news.Tag{})
}

func FuzzTagList(f *testing.F) {
	e := newEngine(f)
	for _, v := range partValues {
		f.Add(v, 2)
	}
	f.Fuzz(func(t *testing.T, v string, n int) {
		checkTagList(t, e, tagsOf(v, min(max(n, 0), 3)))
	})
}

func checkArticleNav(t testing.TB, e *Engine, n news.Neighbours) {
	t.Helper()
	want, _, _ := reference(t, e, Dates{}, "article-nav", n)
	same(t, "article nav", Dates{}, string(articleNav(n)), want)
}

// neighboursOf is the neighbours flags asks for (1: previous, 2: next),
// each with path and headline v.
func neighboursOf(v string, flags int) news.Neighbours {
	var n news.Neighbours
	if flags&1 != 0 {
		n.Previous = &news.Article{Path: "2026/12/05/" + v, Headline: v}
	}
	if flags&2 != 0 {
		n.Next = &news.Article{Path: v, Headline: v + "!"}
	}
	return n
}

func TestArticleNavSameBytes(t *testing.T) {
	e := newEngine(t)
	for _, v := range partValues {
		for flags := range 4 {
			checkArticleNav(t, e, neighboursOf(v, flags))
		}
	}
}

func FuzzArticleNav(f *testing.F) {
	e := newEngine(f)
	for _, v := range partValues {
		f.Add(v, 3)
	}
	f.Fuzz(func(t *testing.T, v string, flags int) {
		checkArticleNav(t, e, neighboursOf(v, flags))
	})
}

// authorsOf is n authors whose every shown value is v, each a little
// different (a photo, links, a follow), and their follows by id.
func authorsOf(v string, n int) ([]news.Staff, map[int64]*news.Newsletter) {
	var authors []news.Staff
	follows := map[int64]*news.Newsletter{}
	for i := range n {
		a := news.Staff{ID: int64(i + 1), Slug: v, Name: v + strings.Repeat(" x", i), JobTitle: v, Bio: v}
		if i%2 == 1 {
			a.PhotoURL, a.JobTitle = v, ""
			a.Links = news.SocialLinks{Website: v, Mastodon: "https://social.example/@" + v, LinkedIn: v}
		}
		if i == 2 {
			a.Name, a.Bio = "", ""
		}
		authors = append(authors, a)
		if i != 1 {
			follows[a.ID] = &news.Newsletter{ID: int64(i + 10), Slug: v, Name: v,
				Schedule: news.Schedule{Every: []string{"", news.EveryDay, news.EveryWeek}[i%3], Weekday: time.Weekday(i), At: time.Duration(7+i) * time.Hour}}
		}
	}
	return authors, follows
}

func checkAuthorBoxes(t testing.TB, e *Engine, authors []news.Staff, follows map[int64]*news.Newsletter) {
	t.Helper()
	data := struct {
		Authors []news.Staff
		Follows map[int64]*news.Newsletter
	}{authors, follows}
	want, _, _ := reference(t, e, Dates{}, "author-boxes", data)
	same(t, "author boxes", Dates{}, string(authorBoxes(authors, follows)), want)
}

func TestAuthorBoxesSameBytes(t *testing.T) {
	e := newEngine(t)
	for _, v := range partValues {
		for n := range 4 {
			authors, follows := authorsOf(v, n)
			checkAuthorBoxes(t, e, authors, follows)
			checkAuthorBoxes(t, e, authors, nil)
		}
	}
}

func FuzzAuthorBoxes(f *testing.F) {
	e := newEngine(f)
	for _, v := range partValues {
		f.Add(v, 3)
	}
	f.Fuzz(func(t *testing.T, v string, n int) {
		authors, follows := authorsOf(v, min(max(n, 0), 3))
		checkAuthorBoxes(t, e, authors, follows)
	})
}

// signupOf is a sign-up form offering n newsletters, whose every shown
// value is v, with the errors flags asks for (1: newsletter, 2: email).
func signupOf(v string, n, flags int) Signup {
	s := Signup{Chosen: v, Email: v}
	for i := range n {
		s.Newsletters = append(s.Newsletters, news.Newsletter{ID: int64(i + 1), Slug: v + strings.Repeat("x", i%2), Name: v, Description: strings.Repeat(v, i%2)})
	}
	if flags != 0 {
		s.Errors = news.FieldErrors{}
	}
	if flags&1 != 0 {
		s.Errors["newsletter"] = v + "?"
	}
	if flags&2 != 0 {
		s.Errors["email"] = v + "!"
	}
	return s
}

func checkSignup(t testing.TB, e *Engine, s Signup) {
	t.Helper()
	want, _, _ := reference(t, e, Dates{}, "newsletter-signup", s)
	same(t, "sign-up form", Dates{}, string(signupForm(s)), want)
}

func TestSignupFormSameBytes(t *testing.T) {
	e := newEngine(t)
	for _, v := range partValues {
		for n := range 4 {
			for flags := range 4 {
				checkSignup(t, e, signupOf(v, n, flags))
			}
		}
	}
	s := signupOf("x", 1, 0)
	s.Newsletters[0].Description = "" // one newsletter, no description
	checkSignup(t, e, s)
}

func FuzzSignupForm(f *testing.F) {
	e := newEngine(f)
	for _, v := range partValues {
		f.Add(v, 2, 3)
	}
	f.Fuzz(func(t *testing.T, v string, n, flags int) {
		checkSignup(t, e, signupOf(v, min(max(n, 0), 3), flags))
	})
}

func checkRelated(t testing.TB, e *Engine, d Dates, list []*news.Article) {
	t.Helper()
	want, loc, layout := reference(t, e, d, "related-stories", list)
	same(t, "related stories", d, string(relatedStories(list, loc, layout)), want)
}

func TestRelatedStoriesSameBytes(t *testing.T) {
	e := newEngine(t)
	for _, d := range partDates {
		for _, v := range partValues {
			checkRelated(t, e, d, []*news.Article{cardStory(v, 1, 3, libraryImage), cardStory(v, 2, 0, ""), cardStory(v, 0, 1, v)})
		}
	}
	checkRelated(t, e, Dates{}, nil)
}

func FuzzRelatedStories(f *testing.F) {
	e := newEngine(f)
	addStorySeeds(f)
	f.Fuzz(func(t *testing.T, v, image string, n int) {
		n = min(max(n, 0), 4)
		checkRelated(t, e, Dates{}, []*news.Article{cardStory(v, n, n, image), cardStory(image, 1, 0, v)})
	})
}

// respondOf is what the comment section shows, whose every shown value
// is v: flags asks for a thread (1), the comment replied to (2), a
// signed-in reader (4) with a name (8), errors on the form's fields (16)
// and comments open (32).
func respondOf(v string, id int64, flags int) (*news.Article, []*CommentNode, *news.Comment, CommentForm) {
	a := cardStory(v, 1, flags%4, "")
	a.CommentsOpen = flags&32 != 0
	var nodes []*CommentNode
	if flags&1 != 0 {
		nodes = []*CommentNode{{Comment: commentOf(id, v, true, false), CanReply: true,
			Replies: []*CommentNode{{Comment: commentOf(id+1, v, false, true), Pending: true}}}}
	}
	var replyTo *news.Comment
	if flags&2 != 0 {
		replyTo = commentOf(id, v, false, false)
	}
	f := CommentForm{Name: v, Email: v, Website: v, Body: v + "\n</textarea><b>" + v}
	if flags&4 != 0 {
		f.Reader = &news.Reader{ID: 1, Email: v + "@example.com"}
		if flags&8 != 0 {
			f.Reader.Name = v
		}
	}
	if flags&16 != 0 {
		f.Errors = news.FieldErrors{"comment": v, "name": v + "?", "email": "bad " + v, "website": v + "!", v: v}
	} else if flags&8 != 0 {
		f.Errors = news.FieldErrors{"website": v}
	}
	return a, nodes, replyTo, f
}

func checkRespond(t testing.TB, e *Engine, d Dates, v string, id int64, flags int) {
	t.Helper()
	a, nodes, replyTo, f := respondOf(v, id, flags)
	data := struct {
		Article  *news.Article
		Comments []*CommentNode
		ReplyTo  *news.Comment
		Form     CommentForm
	}{a, nodes, replyTo, f}
	want, loc, layout := reference(t, e, d, "comment-section", data)
	same(t, "comment section", d, string(commentSection(a, nodes, replyTo, f, loc, layout)), want)
}

func TestCommentSectionSameBytes(t *testing.T) {
	e := newEngine(t)
	for _, d := range partDates {
		for i, v := range partValues {
			for flags := range 64 {
				checkRespond(t, e, d, v, int64(i*7-3), flags)
			}
		}
	}
}

func FuzzCommentSection(f *testing.F) {
	e := newEngine(f)
	for _, v := range partValues {
		f.Add(v, int64(12), 63)
		f.Add(v, int64(-1), 1)
	}
	f.Fuzz(func(t *testing.T, v string, id int64, flags int) {
		checkRespond(t, e, Dates{}, v, id, flags)
	})
}

// layoutOf is a page's layout whose every shown value is v, with a Chrome;
// flags asks for the front page (1), a breaking-news banner (2) with a
// link (4), a logo (8) and a tagline (16).
func layoutOf(t testing.TB, e *Engine, v string, flags int) Layout {
	t.Helper()
	l := headLayout(v, flags&1 == 0)
	l.Site.Tagline, l.Site.LogoURL = strings.Repeat(v, flags>>4&1), strings.Repeat(v, flags>>3&1)
	l.Sections = []news.Section{{ID: 1, Slug: "city", Name: v}}
	l.Header = []news.MenuLink{{Label: v, URL: v, Section: "city"}, {Label: "Sport", URL: "/section/sport", Section: "sport"}}
	l.Footer = []news.MenuLink{{Label: v, URL: v}}
	l.Year = 2026
	l.IsHome, l.Current, l.Query, l.BreakingStream = flags&1 != 0, "city", v, v
	if flags&2 != 0 {
		l.Breaking = &news.Breaking{Text: v, ExpiresAt: time.Date(2026, 12, 6, 18, 0, 0, 0, time.FixedZone("", -5*3600))}
		if flags&4 != 0 {
			l.Breaking.Link = "/" + v
		}
	}
	c, err := e.Chrome(l)
	if err != nil {
		t.Fatal(err)
	}
	l.Chrome = c
	return l
}

func checkPage(t testing.TB, e *Engine, l Layout) {
	t.Helper()
	want, _, _ := reference(t, e, Dates{}, "page-start", l)
	same(t, "page start", Dates{}, string(e.pageStart(l)), want)
	want, _, _ = reference(t, e, Dates{}, "page-end", l)
	same(t, "page end", Dates{}, string(e.pageEnd(l)), want)
}

func TestPageStartEndSameBytes(t *testing.T) {
	e := newEngine(t)
	for _, v := range partValues {
		for flags := range 32 {
			checkPage(t, e, layoutOf(t, e, v, flags))
		}
	}
}

func FuzzPageStartEnd(f *testing.F) {
	e := newEngine(f)
	for _, v := range partValues {
		f.Add(v, 31)
		f.Add(v, 6)
	}
	f.Fuzz(func(t *testing.T, v string, flags int) {
		l := layoutOf(t, e, v, flags)
		if strings.Contains(v, "</script") {
			l.JSONLD = nil // JSON-LD comes encoded for a script element
		}
		checkPage(t, e, l)
	})
}
