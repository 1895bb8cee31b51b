package newsroom_test

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"masthead/internal/clock"
	"masthead/internal/news"
	"masthead/internal/newsroom"
	"masthead/internal/testutil"
)

// settingsForm is a whole settings form as an administrator fills it in.
func settingsForm() news.Publication {
	return news.Publication{Name: "  The Evening Courier ", Tagline: "Since 1881", Description: "The city's paper.", Language: "en-GB",
		TimeZone: "Europe/London", DateStyle: "F j, Y",
		Comments:  news.CommentPolicy{ClosedByDefault: true, CloseAfterDays: 30, Moderation: news.ModerateAll},
		Publisher: news.Publisher{Name: "Courier Media Ltd", Address: "1 High Street\r\nNorthgate", EthicsPolicy: "/page/ethics", CorrectionsPolicy: "https://courier.example/corrections"},
		Social:    []string{" https://mastodon.example/@courier ", "https://bsky.app/profile/courier.example", "https://bsky.app/profile/courier.example"}}
}

func TestUpdateSettings(t *testing.T) {
	ctx := context.Background()
	site := testutil.NewSite(t)
	staff := site.StaffByRole(t, "Staff", "a long password")
	stored := news.Publication{Name: "The Evening Courier", Tagline: "Since 1881", Description: "The city's paper.", Language: "en-GB",
		TimeZone: "Europe/London", DateStyle: "F j, Y",
		Comments:  news.CommentPolicy{ClosedByDefault: true, CloseAfterDays: 30, Moderation: news.ModerateAll},
		Publisher: news.Publisher{Name: "Courier Media Ltd", Address: "1 High Street\nNorthgate", EthicsPolicy: "/page/ethics", CorrectionsPolicy: "https://courier.example/corrections"},
		Social:    []string{"https://mastodon.example/@courier", "https://bsky.app/profile/courier.example"}}
	with := func(change func(p *news.Publication)) news.Publication {
		p := settingsForm()
		change(&p)
		return p
	}
	tests := []struct {
		name      string
		actor     news.Actor
		pub       news.Publication
		wantErr   error
		badFields []string
	}{
		{"contributor", staff[news.RoleContributor], settingsForm(), news.ErrForbidden, nil},
		{"author", staff[news.RoleAuthor], settingsForm(), news.ErrForbidden, nil},
		{"editor", staff[news.RoleEditor], settingsForm(), news.ErrForbidden, nil},
		{"admin", staff[news.RoleAdmin], settingsForm(), nil, nil},
		{"admin, no name", staff[news.RoleAdmin], with(func(p *news.Publication) { p.Name = " " }), news.FieldErrors{}, []string{"name"}},
		{"admin, too long", staff[news.RoleAdmin], with(func(p *news.Publication) {
			p.Tagline, p.Description = strings.Repeat("t", 201), strings.Repeat("d", 1001)
		}), news.FieldErrors{}, []string{"description", "tagline"}},
		{"admin, no language", staff[news.RoleAdmin], with(func(p *news.Publication) { p.Language = "" }), news.FieldErrors{}, []string{"language"}},
		{"admin, not a language", staff[news.RoleAdmin], with(func(p *news.Publication) { p.Language = "English" }), news.FieldErrors{}, []string{"language"}},
		{"admin, unknown time zone", staff[news.RoleAdmin], with(func(p *news.Publication) { p.TimeZone = "Mars/Olympus_Mons" }), news.FieldErrors{}, []string{"timezone"}},
		{"admin, the machine's zone", staff[news.RoleAdmin], with(func(p *news.Publication) { p.TimeZone = "Local" }), news.FieldErrors{}, []string{"timezone"}},
		{"admin, a date style not offered", staff[news.RoleAdmin], with(func(p *news.Publication) { p.DateStyle = "l jS \\of F Y" }), news.FieldErrors{}, []string{"date_style"}},
		{"admin, comment policy out of range", staff[news.RoleAdmin], with(func(p *news.Publication) {
			p.Comments.CloseAfterDays, p.Comments.Moderation = -1, "sometimes"
		}), news.FieldErrors{}, []string{"close_after_days", "moderation"}},
		{"admin, a logo from elsewhere", staff[news.RoleAdmin], with(func(p *news.Publication) { p.LogoURL = "https://evil.example/logo.png" }), news.FieldErrors{}, []string{"logo"}},
		{"admin, an icon not in the library", staff[news.RoleAdmin], with(func(p *news.Publication) {
			p.IconURL = "/media/lib/ab/" + strings.Repeat("ab", 32) + ".png"
		}), news.FieldErrors{}, []string{"icon"}},
		{"admin, a script as a policy", staff[news.RoleAdmin], with(func(p *news.Publication) { p.Publisher.EthicsPolicy = "javascript:alert(1)" }), news.FieldErrors{}, []string{"policy_ethicsPolicy"}},
		{"admin, another site's path", staff[news.RoleAdmin], with(func(p *news.Publication) { p.Publisher.Masthead = "//evil.example/x" }), news.FieldErrors{}, []string{"policy_masthead"}},
		{"admin, a profile that is not a web address", staff[news.RoleAdmin], with(func(p *news.Publication) { p.Social = []string{"ftp://files.example/x"} }), news.FieldErrors{}, []string{"social"}},
	}
	fields := []string{"close_after_days", "date_style", "description", "icon", "language", "logo", "moderation", "name", "policy_ethicsPolicy", "policy_masthead", "social", "tagline", "timezone"}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, err := site.Desk.Settings(ctx)
			if err != nil {
				t.Fatal(err)
			}
			err = site.Desk.UpdateSettings(ctx, tt.actor, tt.pub, nil)
			after, _ := site.Desk.Settings(ctx)
			var fe news.FieldErrors
			switch {
			case tt.badFields != nil:
				var got []string
				if errors.As(err, &fe) {
					for _, f := range fields {
						if fe[f] != "" {
							got = append(got, f)
						}
					}
				}
				if strings.Join(got, ",") != strings.Join(tt.badFields, ",") {
					t.Errorf("error %v, want problems with %v", err, tt.badFields)
				}
			case !errors.Is(err, tt.wantErr):
				t.Errorf("error %v, want %v", err, tt.wantErr)
			}
			want := before
			if tt.wantErr == nil {
				want = stored
			}
			if !reflect.DeepEqual(after, want) {
				t.Errorf("settings\n%+v, want\n%+v", after, want)
			}
		})
	}
}

func TestSettingsToEdit(t *testing.T) {
	ctx := context.Background()
	site := testutil.NewSite(t)
	for role, actor := range site.StaffByRole(t, "Staff", "a long password") {
		pub, err := site.Desk.SettingsToEdit(ctx, actor)
		if role == news.RoleAdmin {
			if err != nil || pub.Name != "The Test Gazette" {
				t.Errorf("admin: %+v %v", pub, err)
			}
		} else if !errors.Is(err, news.ErrForbidden) {
			t.Errorf("%s opened the settings: %v", role, err)
		}
		if _, err := site.Desk.SettingsImages(ctx, actor); (err == nil) != (role == news.RoleAdmin) {
			t.Errorf("%s: settings images %v", role, err)
		}
	}
}

// TestSettingsTimeZone: the zone chosen in the settings wins over the
// server's for the dated addresses of new publications; those published
// before keep theirs.
func TestSettingsTimeZone(t *testing.T) {
	ctx := context.Background()
	// 02:30 on 6 December in UTC is still 5 December in New York.
	clk := clock.NewManual(time.Date(2026, 12, 6, 2, 30, 0, 0, time.UTC))
	site := testutil.NewSiteAt(t, clk)
	staff := site.StaffByRole(t, "Staff", "a long password")
	desk := newsroom.New(site.Store, newsroom.Config{Location: time.UTC, Clock: clk})
	publish := func(headline string) string {
		t.Helper()
		a, err := desk.CreateAndStep(ctx, staff[news.RoleEditor], news.Snapshot{Headline: headline, Body: "Text."}, newsroom.Step{Action: news.ActionPublish})
		if err != nil {
			t.Fatal(err)
		}
		return a.Path
	}
	if loc, err := desk.Location(ctx); err != nil || loc != time.UTC {
		t.Fatalf("before any setting: %v %v, want the server's UTC", loc, err)
	}
	before := publish("Before the change")
	pub, err := desk.SettingsToEdit(ctx, staff[news.RoleAdmin])
	if err != nil {
		t.Fatal(err)
	}
	pub.TimeZone = "America/New_York"
	if err := desk.UpdateSettings(ctx, staff[news.RoleAdmin], pub, nil); err != nil {
		t.Fatal(err)
	}
	if loc, err := desk.Location(ctx); err != nil || loc.String() != "America/New_York" {
		t.Fatalf("after the setting: %v %v", loc, err)
	}
	after := publish("After the change")
	if before != "2026/12/06/before-the-change" || after != "2026/12/05/after-the-change" {
		t.Errorf("paths %q and %q, want the 6th in UTC, then the 5th in New York", before, after)
	}
	if a, err := site.Store.PublishedArticle(ctx, before); err != nil || a.Headline != "Before the change" {
		t.Errorf("the earlier story moved: %v", err)
	}
}

// TestCommentPolicy: the site's policy starts new articles' comments,
// closes old articles' and decides which clean comments wait.
func TestCommentPolicy(t *testing.T) {
	ctx := context.Background()
	site, desk, clk := commentDesk(t, 100)
	admin := site.StaffByRole(t, "Staff", "a long password")[news.RoleAdmin]
	setPolicy := func(p news.CommentPolicy) {
		t.Helper()
		pub, err := desk.SettingsToEdit(ctx, admin)
		if err != nil {
			t.Fatal(err)
		}
		pub.Comments = p
		if err := desk.UpdateSettings(ctx, admin, pub, nil); err != nil {
			t.Fatal(err)
		}
	}
	if snap, err := desk.NewSnapshot(ctx, admin); err != nil || !snap.CommentsOpen || !slices.Equal(snap.AuthorIDs, []int64{admin.ID}) {
		t.Errorf("a new article by default: %+v %v, want comments open", snap, err)
	}
	setPolicy(news.CommentPolicy{ClosedByDefault: true, Moderation: news.ModerateFirst})
	if snap, err := desk.NewSnapshot(ctx, admin); err != nil || snap.CommentsOpen {
		t.Errorf("a new article, closed by default: %+v %v", snap, err)
	}

	now := clk.Now()
	old := site.Article(t, &news.Article{Headline: "Last month", PublishedAt: now.AddDate(0, 0, -31)})
	recent := site.Article(t, &news.Article{Headline: "Last week", PublishedAt: now.AddDate(0, 0, -7)})
	site.Comment(t, recent, &news.Comment{Email: "regular@example.test"})
	tests := []struct {
		name    string
		policy  news.CommentPolicy
		article *news.Article
		email   string
		want    news.CommentStatus
		err     error
	}{
		{"never closed", news.CommentPolicy{Moderation: news.ModerateFirst}, old, "new@example.test", news.CommentPending, nil},
		{"closed after 30 days", news.CommentPolicy{CloseAfterDays: 30, Moderation: news.ModerateFirst}, old, "new@example.test", "", newsroom.ErrCommentsClosed},
		{"open within 30 days", news.CommentPolicy{CloseAfterDays: 30, Moderation: news.ModerateFirst}, recent, "new@example.test", news.CommentPending, nil},
		{"first comments wait, a regular's appear", news.CommentPolicy{Moderation: news.ModerateFirst}, recent, "regular@example.test", news.CommentApproved, nil},
		{"every comment waits", news.CommentPolicy{Moderation: news.ModerateAll}, recent, "regular@example.test", news.CommentPending, nil},
		{"none wait", news.CommentPolicy{Moderation: news.ModerateNone}, recent, "new@example.test", news.CommentApproved, nil},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			setPolicy(tt.policy)
			body := remark + " Point " + strings.Repeat("i", i+1) + "."
			c, err := desk.PostComment(ctx, tt.article, reader("Pat", tt.email, body), newsroom.CommentOrigin{IP: "198.51.100.7"})
			if !errors.Is(err, tt.err) {
				t.Fatalf("error %v, want %v", err, tt.err)
			}
			if err == nil && c.Status != tt.want {
				t.Errorf("status %s, want %s", c.Status, tt.want)
			}
		})
	}
}

func TestMenus(t *testing.T) {
	ctx := context.Background()
	site := testutil.NewSite(t)
	staff := site.StaffByRole(t, "Staff", "a long password")
	editor := staff[news.RoleEditor]
	news1, sport := site.Section(t, "News"), site.Section(t, "Sport")
	about, err := site.Desk.CreatePage(ctx, editor, news.Snapshot{Headline: "About us", Slug: "about", Body: "Who we are."}, newsroom.Step{Action: news.ActionPublish})
	if err != nil {
		t.Fatal(err)
	}
	story := site.Article(t, &news.Article{Headline: "A story"})

	// Who may arrange the menus: editors and administrators.
	for role, actor := range staff {
		err := site.Desk.AddMenuItem(ctx, actor, news.FooterMenu, news.MenuItem{Kind: news.MenuCustom, Label: "Contact", URL: "/page/contact"})
		_, openErr := site.Desk.MenusToEdit(ctx, actor)
		mayArrange := role == news.RoleEditor || role == news.RoleAdmin
		if (err == nil) != mayArrange || (openErr == nil) != mayArrange {
			t.Errorf("%s: add %v, open %v", role, err, openErr)
		}
		if !mayArrange && !errors.Is(err, news.ErrForbidden) {
			t.Errorf("%s: %v, want forbidden", role, err)
		}
	}
	if err := site.Desk.ResetMenu(ctx, editor, news.FooterMenu); err != nil {
		t.Fatal(err)
	}

	c, err := site.Desk.MenusToEdit(ctx, editor)
	if err != nil {
		t.Fatal(err)
	}
	if c.HeaderSaved || len(c.Header) != 2 || c.Header[0].ID != news1.ID || len(c.Pages) != 1 || c.Pages[0].Path != "/page/about" || !c.Pages[0].Published {
		t.Fatalf("before any change: %+v", c)
	}

	bad := []struct {
		name  string
		item  news.MenuItem
		field string
	}{
		{"an unknown section", news.MenuItem{Kind: news.MenuSection, ID: 999999}, "section"},
		{"a news story as a page", news.MenuItem{Kind: news.MenuPage, ID: story.ID}, "page"},
		{"a link without a label", news.MenuItem{Kind: news.MenuCustom, URL: "https://example.org"}, "label"},
		{"a script link", news.MenuItem{Kind: news.MenuCustom, Label: "Click", URL: "javascript:alert(1)"}, "url"},
		{"another site's path", news.MenuItem{Kind: news.MenuCustom, Label: "Click", URL: "//evil.example"}, "url"},
		{"a long label", news.MenuItem{Kind: news.MenuCustom, Label: strings.Repeat("x", 61), URL: "/"}, "label"},
		{"no kind", news.MenuItem{Label: "What"}, "kind"},
	}
	for _, tt := range bad {
		var fe news.FieldErrors
		if err := site.Desk.AddMenuItem(ctx, editor, news.HeaderMenu, tt.item); !errors.As(err, &fe) || fe[tt.field] == "" {
			t.Errorf("%s: %v, want a complaint about %s", tt.name, err, tt.field)
		}
	}
	if m, _ := site.Desk.Menus(ctx); m.Header != nil {
		t.Errorf("refused items saved a header: %+v", m.Header)
	}

	// The header starts from the sections; add a page and a link, reorder,
	// remove.
	steps := []func() error{
		func() error {
			return site.Desk.AddMenuItem(ctx, editor, news.HeaderMenu, news.MenuItem{Kind: news.MenuPage, ID: about.ID})
		},
		func() error {
			return site.Desk.AddMenuItem(ctx, editor, news.HeaderMenu, news.MenuItem{Kind: news.MenuCustom, Label: " Our  archive ", URL: "https://archive.example/"})
		},
		func() error { return site.Desk.MoveMenuItem(ctx, editor, news.HeaderMenu, 2, -1) },     // About before Sport
		func() error { return site.Desk.MoveMenuItem(ctx, editor, news.HeaderMenu, 0, -1) },     // already first: nothing
		func() error { return site.Desk.RemoveMenuItem(ctx, editor, news.HeaderMenu, 0) },       // News
		func() error { return site.Desk.RemoveMenuItem(ctx, editor, news.HeaderMenu, 9) },       // gone already: nothing
		func() error { return site.Desk.MoveMenuItem(ctx, editor, news.Menu("sidebar"), 0, 1) }, // no such menu
	}
	for i, step := range steps {
		err := step()
		if wantErr := i == len(steps)-1; (err != nil) != wantErr {
			t.Errorf("step %d: %v", i, err)
		}
	}
	m, err := site.Desk.Menus(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []news.MenuItem{
		{Kind: news.MenuPage, ID: about.ID, Label: "About us", URL: "/page/about"},
		{Kind: news.MenuSection, ID: sport.ID},
		{Kind: news.MenuCustom, Label: "Our archive", URL: "https://archive.example/"},
	}
	if !reflect.DeepEqual(m.Header, want) || m.Footer != nil {
		t.Errorf("menus %+v, want header %+v", m, want)
	}
	if err := site.Desk.ResetMenu(ctx, staff[news.RoleAdmin], news.HeaderMenu); err != nil {
		t.Fatal(err)
	}
	if m, _ := site.Desk.Menus(ctx); m.Header != nil {
		t.Errorf("reset header: %+v", m.Header)
	}
}

// TestPagesPublishAtTheirAddress: a page published from the newsroom or
// the REST API lives at /page/{slug}, not at a dated address, and a draft
// page's new slug moves it.
func TestPagesPublishAtTheirAddress(t *testing.T) {
	ctx := context.Background()
	site := testutil.NewSite(t)
	editor := site.StaffByRole(t, "Staff", "a long password")[news.RoleEditor]
	at := func(a *news.Article) string {
		t.Helper()
		got, err := site.Store.Article(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got.Path
	}
	now, err := site.Desk.CreatePage(ctx, editor, news.Snapshot{Headline: "About", Slug: "about", Body: "Text."}, newsroom.Step{Action: news.ActionPublish})
	if err != nil {
		t.Fatal(err)
	}
	if p := at(now); p != "page/about" {
		t.Errorf("published at once: %q, want page/about", p)
	}
	draft, err := site.Desk.CreatePage(ctx, editor, news.Snapshot{Headline: "Contact", Slug: "contact", Body: "Text."}, newsroom.Step{})
	if err != nil {
		t.Fatal(err)
	}
	snap := draft.Snapshot()
	snap.Slug = "about" // another page's
	var fe news.FieldErrors
	if _, err := site.Desk.Save(ctx, editor, draft.ID, draft.Version, snap, false, ""); !errors.As(err, &fe) || fe["slug"] == "" {
		t.Errorf("a taken page slug: %v", err)
	}
	snap.Slug = "contact-us"
	res, err := site.Desk.SaveAndStep(ctx, editor, draft.ID, draft.Version, snap, newsroom.Step{Action: news.ActionPublish})
	if err != nil {
		t.Fatal(err)
	}
	if p := at(res.Article); p != "page/contact-us" {
		t.Errorf("renamed, then published: %q, want page/contact-us", p)
	}
	if pg, err := site.Desk.PageOf(ctx, draft.ID); err != nil || pg.Slug != "contact-us" {
		t.Errorf("page %+v %v", pg, err)
	}
	// Neither is in the news.
	list, _, err := site.Desk.Articles(ctx, editor, news.AdminFilter{Kind: news.KindStory, Limit: 10})
	if err != nil || len(list) != 0 {
		t.Errorf("%d stories (%v), want the pages left out", len(list), err)
	}
	pages, _, err := site.Desk.Articles(ctx, editor, news.AdminFilter{Kind: news.KindPage, Limit: 10})
	if err != nil || len(pages) != 2 {
		t.Errorf("%d pages (%v), want 2", len(pages), err)
	}
}
