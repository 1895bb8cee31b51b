package wpimport_test

import (
	"bytes"
	"context"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"masthead/internal/news"
	"masthead/internal/store"
	"masthead/internal/testutil"
	"masthead/internal/wpimport"
	"masthead/internal/wxr"
)

const baseURL = "https://courier.example"

// newsroom builds a site with a bit of everything an export carries.
func newsroom(t *testing.T, site *testutil.Site) {
	ctx := context.Background()
	city := site.Section(t, "City")
	hall := &news.Section{Slug: "city-hall", Name: "City Hall", Description: "The council."}
	if err := site.Store.CreateSection(ctx, hall); err != nil {
		t.Fatal(err)
	}
	if err := site.Store.SetSectionParent(ctx, hall.ID, city.ID); err != nil {
		t.Fatal(err)
	}
	ann := site.Author(t, "Ann Other")
	bob := site.Staff(t, "Bob Editor", news.RoleEditor, "correct horse battery")
	budget, rates := site.Tag(t, "Budget"), site.Tag(t, "Council tax")
	site.Tag(t, "Unused tag")

	lead := site.Article(t, &news.Article{Headline: "Council sets a budget", Standfirst: "Rates rise 3% & services stay.",
		Body:    "The council *met* on Tuesday.\n\n> \"We are pleased,\" said the mayor.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
		Section: hall, Authors: []news.Staff{ann, bob}, Tags: []news.Tag{budget, rates}, Featured: true,
		SEOTitle: "Budget 2026", SEODescription: "What the budget means.",
		LeadImage:   &news.Image{URL: "/media/demo/budget.png", Alt: "The council chamber", Caption: "Tuesday's meeting", Credit: "A. Photographer"},
		PublishedAt: time.Date(2026, 3, 4, 23, 30, 0, 0, time.UTC)})
	first := site.Comment(t, lead, &news.Comment{Name: "Reader One", Email: "one@example.test", Website: "https://one.example", Body: "Good <news> & more.\n\nSecond paragraph."})
	site.Comment(t, lead, &news.Comment{ParentID: first.ID, Name: "Bob Editor", Email: bob.Email, Body: "Thanks.", IsStaff: true})
	site.Comment(t, lead, &news.Comment{Name: "Pending Person", Email: "p@example.test", Body: "Waiting.", Status: news.CommentPending})
	site.Comment(t, lead, &news.Comment{Name: "Spammer", Email: "s@example.test", Body: "Buy now", Status: news.CommentSpam})

	gone := site.ClosedArticle(t, &news.Article{Headline: "Withdrawn story", Section: city, Authors: []news.Staff{ann},
		PublishedAt: time.Date(2026, 2, 1, 9, 0, 0, 0, time.UTC)})
	admin := news.Actor{ID: bob.ID, Role: news.RoleEditor}
	if _, err := site.Desk.Transition(ctx, admin, gone.ID, news.ActionUnpublish, time.Time{}, ""); err != nil {
		t.Fatal(err)
	}
	snap := news.Snapshot{Headline: "A draft", Body: "Not yet.", AuthorIDs: []int64{ann.ID}, SectionID: city.ID, Tags: []string{"Budget"}, CommentsOpen: true}
	if _, err := site.Desk.Create(ctx, admin, snap); err != nil {
		t.Fatal(err)
	}
	snap.Headline, snap.Body = "For review", "Please read."
	rev, err := site.Desk.Create(ctx, admin, snap)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := site.Desk.Transition(ctx, news.Actor{ID: ann.ID, Role: news.RoleAuthor}, rev.ID, news.ActionSubmit, time.Time{}, ""); err != nil {
		t.Fatal(err)
	}
	snap.Headline, snap.Body = "Coming soon", "Tomorrow's story."
	sched, err := site.Desk.Create(ctx, admin, snap)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := site.Desk.Transition(ctx, admin, sched.ID, news.ActionSchedule, time.Now().Add(72*time.Hour).Truncate(time.Second), ""); err != nil {
		t.Fatal(err)
	}
	about := site.Article(t, &news.Article{Headline: "About the Courier", Body: "We report.", Authors: []news.Staff{bob}})
	if err := site.Store.PutPage(ctx, news.Page{ArticleID: about.ID, Slug: "about"}); err != nil {
		t.Fatal(err)
	}
	team := site.ClosedArticle(t, &news.Article{Headline: "Our team", Body: "People.", Authors: []news.Staff{bob}})
	if err := site.Store.PutPage(ctx, news.Page{ArticleID: team.ID, Slug: "about/team", ParentID: about.ID, MenuOrder: 2}); err != nil {
		t.Fatal(err)
	}
}

// view is what a round trip must keep, without ids.
type view struct {
	Authors  []string
	Sections []string
	Tags     []string
	Articles []string
}

func siteView(t *testing.T, st *store.Store) view {
	t.Helper()
	ctx := context.Background()
	var v view
	staff, err := st.AllStaff(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, au := range staff {
		v.Authors = append(v.Authors, fmt.Sprintf("%s <%s> /author/%s", au.Name, au.Email, au.Slug))
	}
	secs, err := st.Sections(ctx)
	if err != nil {
		t.Fatal(err)
	}
	parents, err := st.SectionParents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	slug := map[int64]string{}
	for _, s := range secs {
		slug[s.ID] = s.Slug
	}
	for _, s := range secs {
		v.Sections = append(v.Sections, fmt.Sprintf("%s %q %q parent=%s", s.Slug, s.Name, s.Description, slug[parents[s.ID]]))
	}
	tags, err := st.Tags(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, tg := range tags {
		v.Tags = append(v.Tags, tg.Slug+" "+tg.Name)
	}
	ids, err := st.AllArticleIDs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pages, err := st.Pages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pageOf := map[int64]news.Page{}
	headline := map[int64]string{}
	for _, id := range ids {
		a, err := st.Article(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		headline[id] = a.Headline
	}
	for _, p := range pages {
		pageOf[p.ArticleID] = p
	}
	for _, id := range ids {
		a, err := st.Article(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		fmt.Fprintf(&b, "%q slug=%s path=%s status=%s featured=%v comments=%v\n", a.Headline, a.Slug, a.Path, a.Status, a.Featured, a.CommentsOpen)
		fmt.Fprintf(&b, "  standfirst=%q seo=%q/%q\n  body=%q\n", a.Standfirst, a.SEOTitle, a.SEODescription, a.Body)
		fmt.Fprintf(&b, "  published=%s publish_at=%s\n", a.PublishedAt.UTC().Format(time.RFC3339), a.PublishAt.UTC().Format(time.RFC3339))
		if a.Section != nil {
			fmt.Fprintf(&b, "  section=%s\n", a.Section.Slug)
		}
		for _, au := range a.Authors {
			fmt.Fprintf(&b, "  byline=%s\n", au.Email)
		}
		for _, tg := range a.Tags {
			fmt.Fprintf(&b, "  tag=%s\n", tg.Slug)
		}
		if img := a.LeadImage; img != nil {
			fmt.Fprintf(&b, "  image=%s alt=%q caption=%q credit=%q\n", strings.TrimPrefix(img.URL, baseURL), img.Alt, img.Caption, img.Credit)
		}
		if p, ok := pageOf[id]; ok {
			fmt.Fprintf(&b, "  page=%s parent=%q order=%d\n", p.Slug, headline[p.ParentID], p.MenuOrder)
		}
		comments, err := st.ArticleThread(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		byID := map[int64]*news.Comment{}
		for _, c := range comments {
			byID[c.ID] = c
		}
		var lines []string // sorted: WXR dates have no fractions of a second to order by
		for _, c := range comments {
			parent := ""
			if p := byID[c.ParentID]; p != nil {
				parent = p.Name
			}
			lines = append(lines, fmt.Sprintf("  comment %s <%s> %s %q %s staff=%v reply-to=%q at %s\n", c.Name, c.Email, c.Website, c.Body, c.Status, c.IsStaff, parent, c.CreatedAt.UTC().Format(time.RFC3339)))
		}
		sort.Strings(lines)
		b.WriteString(strings.Join(lines, ""))
		v.Articles = append(v.Articles, b.String())
	}
	for _, l := range [][]string{v.Authors, v.Sections, v.Tags, v.Articles} {
		sort.Strings(l)
	}
	return v
}

// TestRoundTrip exports a site as WXR and imports it into an empty one:
// articles, authors, sections, tags and comments come back the same.
func TestRoundTrip(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		ctx := context.Background()
		src := testutil.NewSiteOn(t, b)
		newsroom(t, src)
		var out bytes.Buffer
		n, err := wpimport.Export(ctx, src.Store, &out, wpimport.ExportOptions{BaseURL: baseURL})
		if err != nil {
			t.Fatal(err)
		}
		if n.Posts != 5 || n.Pages != 2 || n.Comments != 4 || n.Attachments != 1 || n.Categories != 2 {
			t.Errorf("exported %+v", n)
		}
		// The file reads back as WXR.
		r := wxr.NewReader(bytes.NewReader(out.Bytes()))
		for {
			_, err := r.Next()
			if err != nil {
				if err.Error() != "EOF" {
					t.Fatalf("the export does not read back: %v", err)
				}
				break
			}
		}

		dst := testutil.NewSiteOn(t, b)
		sum, err := wpimport.Import(ctx, dst.Store, bytes.NewReader(out.Bytes()), wpimport.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(sum.Skipped) > 0 {
			t.Errorf("skipped %+v", sum.Skipped)
		}
		got, want := siteView(t, dst.Store), siteView(t, src.Store)
		if !reflect.DeepEqual(got, want) {
			diff(t, "authors", got.Authors, want.Authors)
			diff(t, "sections", got.Sections, want.Sections)
			diff(t, "tags", got.Tags, want.Tags)
			diff(t, "articles", got.Articles, want.Articles)
		}
	})
}

func diff(t *testing.T, what string, got, want []string) {
	t.Helper()
	if reflect.DeepEqual(got, want) {
		return
	}
	t.Errorf("%s differ after the round trip:\n got %d:\n%s\nwant %d:\n%s", what, len(got), strings.Join(got, "\n"), len(want), strings.Join(want, "\n"))
}
