package newsroom_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"masthead/internal/news"
	"masthead/internal/newsroom"
)

// TestBreakingNewsAlert: publishing with an alert queues an issue of the
// headline, standfirst and link to the alert's subscribers; only editors
// and administrators may send one, only with a publication and only to a
// breaking-news newsletter, and a refused alert publishes nothing.
func TestBreakingNewsAlert(t *testing.T) {
	ctx := context.Background()
	d := newAccountsDesk(t)
	admin := d.staff[news.RoleAdmin]
	alert, err := d.desk.CreateNewsletter(ctx, admin, newsroom.NewsletterInput{Name: "Breaking", Kind: news.NewsletterAlert, FromEmail: "news@gazette.test"})
	if err != nil {
		t.Fatal(err)
	}
	briefing, err := d.desk.CreateNewsletter(ctx, admin, briefingInput())
	if err != nil {
		t.Fatal(err)
	}
	subscribed(t, d.site.Store, alert, "a@example.com", "b@example.com")
	publish := func(step newsroom.Step) newsroom.Step { step.Action = news.ActionPublish; return step }
	tests := []struct {
		name   string
		role   news.Role
		step   newsroom.Step
		want   error  // errors.Is
		field  string // a news.FieldErrors key
		queued bool
	}{
		{name: "author", role: news.RoleAuthor, step: publish(newsroom.Step{Alerts: []int64{alert.ID}}), want: news.ErrForbidden},
		{name: "contributor", role: news.RoleContributor, step: newsroom.Step{Action: news.ActionSubmit, Alerts: []int64{alert.ID}}, want: news.ErrForbidden},
		{name: "a briefing", role: news.RoleEditor, step: publish(newsroom.Step{Alerts: []int64{briefing.ID}}), field: "alert"},
		{name: "no such newsletter", role: news.RoleEditor, step: publish(newsroom.Step{Alerts: []int64{9999}}), field: "alert"},
		{name: "scheduled", role: news.RoleEditor, step: newsroom.Step{Action: news.ActionSchedule, PublishAt: d.clock.Now().Add(time.Hour), Alerts: []int64{alert.ID}}, field: "alert"},
		{name: "editor", role: news.RoleEditor, step: publish(newsroom.Step{Alerts: []int64{alert.ID}}), queued: true},
		{name: "admin, no alert", role: news.RoleAdmin, step: publish(newsroom.Step{})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			me := d.staff[tt.role]
			before, _ := d.site.Store.Issues(ctx, alert.ID, 100)
			headline := "Bridge closes: " + tt.name
			a, err := d.desk.CreateAndStep(ctx, me, news.Snapshot{Headline: headline, Standfirst: "Traffic is *diverted*.", Body: "Text.", AuthorIDs: []int64{me.ID}}, tt.step)
			var fe news.FieldErrors
			switch {
			case tt.want != nil:
				if !errors.Is(err, tt.want) {
					t.Fatalf("err %v, want %v", err, tt.want)
				}
			case tt.field != "":
				if !errors.As(err, &fe) || fe[tt.field] == "" {
					t.Fatalf("err %v, want one on %q", err, tt.field)
				}
			case err != nil:
				t.Fatal(err)
			}
			if err != nil && a != nil && a.ID != 0 && a.Status == news.StatusPublished {
				t.Error("a refused alert published the article")
			}
			after, _ := d.site.Store.Issues(ctx, alert.ID, 100)
			if got := len(after) - len(before); got != map[bool]int{true: 1}[tt.queued] {
				t.Fatalf("%d issues queued", got)
			}
			if tt.queued {
				is := after[0]
				if is.Subject != headline || is.Recipients != 2 || !strings.Contains(is.HTML, "Traffic is *diverted*.") ||
					!strings.Contains(is.HTML, `href="https://gazette.test`+a.URLPath()+`"`) {
					t.Errorf("the alert: %+v", is)
				}
			}
		})
	}
	list, err := d.desk.AlertNewsletters(ctx, d.staff[news.RoleEditor])
	if err != nil || len(list) != 1 || list[0].ID != alert.ID {
		t.Errorf("an editor's alert newsletters: %v, %v", list, err)
	}
	if list, _ := d.desk.AlertNewsletters(ctx, d.staff[news.RoleAuthor]); len(list) != 0 {
		t.Errorf("an author is offered alerts: %v", list)
	}
}
