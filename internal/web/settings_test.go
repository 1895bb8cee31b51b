package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"masthead/internal/news"
	"masthead/internal/newsroom"
)

// The site's settings and menus, as readers see them.

// TestSiteSettingsOnPages: dates follow the settings' time zone and style,
// the publisher's details and profiles go into the structured data, staff
// profiles into the author page, and an old article's comments close.
func TestSiteSettingsOnPages(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	desk := newsroom.New(f.site.Store, newsroom.Config{Location: time.UTC})
	staff := f.site.StaffByRole(t, "Staff", "a long password")
	old := f.site.Article(t, &news.Article{Headline: "An old story", Authors: []news.Staff{f.author}, PublishedAt: time.Now().AddDate(0, 0, -40)})

	pub, err := desk.SettingsToEdit(ctx, staff[news.RoleAdmin])
	if err != nil {
		t.Fatal(err)
	}
	pub.TimeZone, pub.DateStyle = "Pacific/Auckland", "Y-m-d"
	pub.Comments = news.CommentPolicy{CloseAfterDays: 30, Moderation: news.ModerateFirst}
	pub.Publisher = news.Publisher{Name: "Gazette Media Ltd", EthicsPolicy: "/page/ethics", NoBylinesPolicy: "https://gazette.example/no-bylines"}
	pub.Social = []string{"https://bsky.app/profile/gazette.example"}
	if err := desk.UpdateSettings(ctx, staff[news.RoleAdmin], pub, nil); err != nil {
		t.Fatal(err)
	}
	ana, err := f.site.Store.StaffByID(ctx, f.author.ID)
	if err != nil {
		t.Fatal(err)
	}
	ana.Links = news.SocialLinks{Mastodon: "https://mastodon.example/@ana", Website: "https://ana.example/"}
	if err := f.site.Store.UpdateStaff(ctx, ana); err != nil {
		t.Fatal(err)
	}

	auckland, _ := time.LoadLocation("Pacific/Auckland")
	article := f.get(t, f.middle.URLPath())
	for _, want := range []string{
		f.middle.PublishedAt.In(auckland).Format("2006-01-02, 15:04 MST"),
		`"publisher":{"@type":"NewsMediaOrganization","name":"Gazette Media Ltd"`,
		`"sameAs":["https://bsky.app/profile/gazette.example"]`,
		`"ethicsPolicy":"` + baseURL + `/page/ethics"`, `"noBylinesPolicy":"https://gazette.example/no-bylines"`,
		`"sameAs":["https://ana.example/","https://mastodon.example/@ana"]`,
		`<a href="https://mastodon.example/@ana">Mastodon</a>`,
		`Leave a Reply`,
	} {
		if !strings.Contains(article.body, want) {
			t.Errorf("the article lacks %s", want)
		}
	}
	if page := f.get(t, old.URLPath()); strings.Contains(page.body, "Leave a Reply") || !strings.Contains(page.body, "Comments are closed") {
		t.Error("a 40-day-old article takes comments under a 30-day policy")
	}
	author := f.get(t, f.author.URLPath())
	for _, want := range []string{`"@type":"Person","name":"Ana Ruiz"`, `<a href="https://ana.example/" rel="me">Website</a>`} {
		if !strings.Contains(author.body, want) {
			t.Errorf("the author page lacks %s", want)
		}
	}
}

// TestCacheMenus: a changed menu shows on every cached page at once.
func TestCacheMenus(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	desk := newsroom.New(f.site.Store, newsroom.Config{Location: time.UTC})
	editor := f.site.StaffByRole(t, "Staff", "a long password")[news.RoleEditor]
	paths := []string{"/", f.middle.URLPath(), "/section/sport"}
	f.warm(t, paths...)
	if err := desk.AddMenuItem(ctx, editor, news.FooterMenu, news.MenuItem{Kind: news.MenuCustom, Label: "Work with us", URL: "/page/jobs"}); err != nil {
		t.Fatal(err)
	}
	f.expect(t, "MISS", "Work with us", paths...)
	f.warm(t, paths...)
	if err := desk.RemoveMenuItem(ctx, editor, news.HeaderMenu, 0); err != nil { // the first section
		t.Fatal(err)
	}
	for _, p := range paths {
		state, body := f.cacheState(t, p)
		nav := body[strings.Index(body, `<nav class="sections-nav"`):]
		nav = nav[:strings.Index(nav, "</nav>")]
		if state != "MISS" || strings.Contains(nav, "City Hall") || !strings.Contains(nav, "Sport") {
			t.Errorf("%s: X-Cache %s, header menu:\n%s", p, state, nav)
		}
	}
}

// TestHeaderMenuTopLevel: until the newsroom arranges the header menu it
// lists the top-level sections; a section within another (an imported
// WordPress subcategory) keeps its page but joins the menu only when
// added.
func TestHeaderMenuTopLevel(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	sport, err := f.site.Store.SectionBySlug(ctx, "sport")
	if err != nil {
		t.Fatal(err)
	}
	rugby := f.site.Section(t, "Rugby")
	if err := f.site.Store.SetSectionParent(ctx, rugby.ID, sport.ID); err != nil {
		t.Fatal(err)
	}
	nav := func() string {
		t.Helper()
		body := f.get(t, "/").body
		nav := body[strings.Index(body, `<nav class="sections-nav"`):]
		return nav[:strings.Index(nav, "</nav>")]
	}
	if got := nav(); !strings.Contains(got, `href="/section/sport"`) || strings.Contains(got, "/section/rugby") {
		t.Errorf("header menu:\n%s\nwant Sport and not Rugby", got)
	}
	if page := f.get(t, "/section/rugby"); page.StatusCode != 200 || !strings.Contains(page.body, "Rugby") {
		t.Errorf("/section/rugby: %d", page.StatusCode)
	}
	desk := newsroom.New(f.site.Store, newsroom.Config{Location: time.UTC})
	editor := f.site.StaffByRole(t, "Staff", "a long password")[news.RoleEditor]
	if err := desk.AddMenuItem(ctx, editor, news.HeaderMenu, news.MenuItem{Kind: news.MenuSection, ID: rugby.ID}); err != nil {
		t.Fatal(err)
	}
	if got := nav(); !strings.Contains(got, `href="/section/sport"`) || !strings.Contains(got, `href="/section/rugby"`) {
		t.Errorf("header menu after adding Rugby:\n%s", got)
	}
}

// TestStaticPage: a page at /page/{slug} is its title and text, with none
// of a news story's furniture and no NewsArticle for search engines.
func TestStaticPage(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	desk := newsroom.New(f.site.Store, newsroom.Config{Location: time.UTC})
	editor := f.site.StaffByRole(t, "Staff", "a long password")[news.RoleEditor]
	if _, err := desk.CreatePage(ctx, editor, news.Snapshot{Headline: "About us", Slug: "about", Body: "Who we are and how to reach us."},
		newsroom.Step{Action: news.ActionPublish}); err != nil {
		t.Fatal(err)
	}
	page := f.get(t, "/page/about")
	if !strings.Contains(page.body, "Who we are and how to reach us.") {
		t.Fatalf("the page lacks its text:\n%s", page.body)
	}
	for _, unwanted := range []string{`class="byline-row"`, `class="article-nav"`, `class="author-box"`, `id="comments"`, `"NewsArticle"`, "min read"} {
		if strings.Contains(page.body, unwanted) {
			t.Errorf("a static page shows %s", unwanted)
		}
	}
}
