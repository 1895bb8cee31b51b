package newsroom_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"masthead/internal/news"
	"masthead/internal/testutil"
)

// TestUnpublishedWorkByRole is the role table for every read of a
// colleague's unpublished work: writers (contributors, authors) see none
// of it — not on the dashboard, in its counts, the article list, the
// People pages, a person's quotes, the speakers offered in the editor,
// nor through the REST API's listing — while editors and administrators
// see it all.
func TestUnpublishedWorkByRole(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		ctx := context.Background()
		site := testutil.NewSiteOn(t, b)
		desk := site.Desk
		colleague := site.Staff(t, "Cora Colleague", news.RoleAuthor, "a long password")
		them := news.Actor{ID: colleague.ID, Role: colleague.Role}
		// An embargoed story in review quoting someone no published story
		// quotes, and a scheduled one.
		review, err := desk.Create(ctx, them, news.Snapshot{Headline: "Embargoed: the harbour deal",
			Body: "“We have signed,” said Quintus Embargo, the harbour master."})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := desk.Transition(ctx, them, review.ID, news.ActionSubmit, time.Time{}, ""); err != nil {
			t.Fatal(err)
		}
		scheduled, err := desk.Create(ctx, them, news.Snapshot{Headline: "Embargoed: the budget", Body: "Figures."})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := desk.Transition(ctx, them, scheduled.ID, news.ActionSchedule, time.Now().Add(24*time.Hour), ""); err != nil {
			t.Fatal(err)
		}
		people, err := desk.People(ctx, them, news.PeopleFilter{Query: "Quintus"})
		if err != nil || len(people) != 1 {
			t.Fatalf("the colleague's own speaker: %v %v", people, err)
		}
		quintus := people[0].ID

		for _, role := range news.Roles {
			t.Run(string(role), func(t *testing.T) {
				u := site.Staff(t, "Reader "+string(role), role, "a long password")
				me := news.Actor{ID: u.ID, Role: role}
				sees := role == news.RoleEditor || role == news.RoleAdmin

				d, err := desk.Dashboard(ctx, me)
				if err != nil {
					t.Fatal(err)
				}
				if got := containsArticle(d.Review, review.ID); got != sees {
					t.Errorf("dashboard's review list has the colleague's story: %v, want %v", got, sees)
				}
				if got := containsArticle(d.Scheduled, scheduled.ID); got != sees {
					t.Errorf("dashboard's scheduled list has the colleague's story: %v, want %v", got, sees)
				}
				if got := d.Counts[news.StatusReview] == 1 && d.Counts[news.StatusScheduled] == 1; got != sees {
					t.Errorf("dashboard counts %v count the colleague's stories: %v, want %v", d.Counts, got, sees)
				}

				list, total, err := desk.Articles(ctx, me, news.AdminFilter{Text: "embargoed", Limit: 10})
				if err != nil {
					t.Fatal(err)
				}
				if got := containsArticle(list, review.ID) || total > 0; got != sees {
					t.Errorf("article search finds the colleague's story: %v, want %v", got, sees)
				}

				people, err := desk.People(ctx, me, news.PeopleFilter{Query: "Quintus"})
				if err != nil {
					t.Fatal(err)
				}
				if got := len(people) == 1; got != sees {
					t.Errorf("People lists someone quoted only in the colleague's draft: %v, want %v", got, sees)
				}
				speakers, err := desk.People(ctx, me, news.PeopleFilter{Limit: 300})
				if err != nil {
					t.Fatal(err)
				}
				if got := slices.ContainsFunc(speakers, func(p news.Person) bool { return p.ID == quintus }); got != sees {
					t.Errorf("the editor's speakers offer them: %v, want %v", got, sees)
				}
				_, quotes, err := desk.Person(ctx, me, quintus, 100)
				switch {
				case sees && (err != nil || len(quotes) != 1 || quotes[0].Article.Headline != review.Headline):
					t.Errorf("person page: %v %v, want the quote", quotes, err)
				case !sees && !errors.Is(err, news.ErrNotFound):
					t.Errorf("person page: %v %v, want not found", quotes, err)
				}

				if _, err := desk.EditableArticle(ctx, me, review.ID); (err == nil) != sees {
					t.Errorf("opening the story: %v, want allowed=%v", err, sees)
				}
				if _, err := desk.Revisions(ctx, me, review.ID); (err == nil) != sees {
					t.Errorf("its revisions: %v, want allowed=%v", err, sees)
				}
				if _, err := desk.History(ctx, me, review.ID); (err == nil) != sees {
					t.Errorf("its history: %v, want allowed=%v", err, sees)
				}
				if _, err := desk.ArticleQuotes(ctx, me, review.ID); (err == nil) != sees {
					t.Errorf("its quotes panel: %v, want allowed=%v", err, sees)
				}
				if _, _, err := desk.APIArticle(ctx, &u, review.ID, false); (err == nil) != sees {
					t.Errorf("the REST API's copy: %v, want allowed=%v", err, sees)
				}

				api, _, err := desk.APIArticles(ctx, &u, news.APIFilter{Statuses: []news.Status{news.StatusReview, news.StatusScheduled}, Limit: 10})
				if err != nil {
					t.Fatal(err)
				}
				if got := len(api) == 2; got != sees {
					t.Errorf("REST listing of pending and future posts has the colleague's: %v, want %v", got, sees)
				}
			})
		}
	})
}

func containsArticle(list []*news.Article, id int64) bool {
	return slices.ContainsFunc(list, func(a *news.Article) bool { return a.ID == id })
}
