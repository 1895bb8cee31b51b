package render

import (
	"strings"
	"testing"
	"time"

	"masthead/internal/news"
)

// A page shows the same bytes with its chrome rendered once as without:
// on the front page, in a linked section, in one the menu leaves out, and
// with none.
func TestChromeSameBytes(t *testing.T) {
	e, err := New(time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	sections := []news.Section{{ID: 1, Slug: "city", Name: "City & County"}, {ID: 2, Slug: "sport", Name: "Sport"}, {ID: 3, Slug: "quiet", Name: "Quiet"}}
	base := Layout{
		Site:     news.Publication{Name: `The "Gazette" <Daily>`, Description: "News & views.", Language: "en"},
		Sections: sections,
		Header:   []news.MenuLink{{Label: "City & County", URL: "/section/city", Section: "city"}, {Label: "Sport", URL: "/section/sport", Section: "sport"}, {Label: "Shop", URL: "https://shop.example/?a=1&b=2"}},
		Footer:   []news.MenuLink{{Label: "About", URL: "/page/about"}},
		Social:   []news.MenuLink{{Label: "Mastodon", URL: "https://social.example/@gazette"}},
		Year:     2026,
	}
	chrome, err := e.Chrome(base)
	if err != nil {
		t.Fatal(err)
	}
	type errorPage struct {
		Layout           Layout
		Status           int
		Heading, Message string
		Latest           []*news.Article
	}
	tests := []struct {
		name    string
		current string
		home    bool
	}{
		{"front page", "", true},
		{"linked section", "sport", false},
		{"section not in the menu", "quiet", false},
		{"no section", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := base
			l.Current, l.IsHome = tt.current, tt.home
			plain, err := e.Render("error", errorPage{Layout: l, Status: 404, Heading: "Not found"})
			if err != nil {
				t.Fatal(err)
			}
			l.Chrome = chrome
			fast, err := e.Render("error", errorPage{Layout: l, Status: 404, Heading: "Not found"})
			if err != nil {
				t.Fatal(err)
			}
			if string(plain) != string(fast) {
				t.Errorf("with the chrome:\n%s\nwithout:\n%s", fast, plain)
			}
			if !strings.Contains(string(fast), "City &amp; County") || !strings.Contains(string(fast), "© 2026") {
				t.Errorf("the page lacks its navigation or footer:\n%s", fast)
			}
		})
	}
}
