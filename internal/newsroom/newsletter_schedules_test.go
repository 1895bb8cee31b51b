package newsroom_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"masthead/internal/clock"
	"masthead/internal/news"
	"masthead/internal/newsroom"
	"masthead/internal/store"
	"masthead/internal/testutil"
)

// TestNewsletterFollowForm: a follow names what it follows and has a
// schedule; an alert has none.
func TestNewsletterFollowForm(t *testing.T) {
	ctx := context.Background()
	d := newAccountsDesk(t)
	admin := d.staff[news.RoleAdmin]
	sec := d.site.Section(t, "Politics")
	tests := []struct {
		name  string
		in    newsroom.NewsletterInput
		field string // "" for accepted
	}{
		{"section follow", newsroom.NewsletterInput{Kind: news.NewsletterSection, TopicID: sec.ID, Every: "daily", At: "07:00"}, ""},
		{"weekly author follow", newsroom.NewsletterInput{Kind: news.NewsletterAuthor, TopicID: d.staff[news.RoleAuthor].ID, Every: "weekly", Weekday: "friday", At: "17:30"}, ""},
		{"follow without a schedule", newsroom.NewsletterInput{Kind: news.NewsletterSection, TopicID: sec.ID}, "schedule"},
		{"follow of nothing", newsroom.NewsletterInput{Kind: news.NewsletterSection, TopicID: 999999, Every: "daily", At: "07:00"}, "topic"},
		{"alert with a schedule", newsroom.NewsletterInput{Kind: news.NewsletterAlert, Every: "daily", At: "07:00"}, "schedule"},
		{"briefing with a topic", newsroom.NewsletterInput{Kind: news.NewsletterBriefing, TopicID: sec.ID}, "topic"},
		{"bad time", newsroom.NewsletterInput{Kind: news.NewsletterBriefing, Every: "daily", At: "7pm"}, "schedule"},
		{"bad day", newsroom.NewsletterInput{Kind: news.NewsletterBriefing, Every: "weekly", Weekday: "someday", At: "07:00"}, "schedule"},
		{"bad frequency", newsroom.NewsletterInput{Kind: news.NewsletterBriefing, Every: "hourly", At: "07:00"}, "schedule"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.in.Name, tt.in.FromEmail = fmt.Sprintf("Follow %d", i), "news@gazette.test"
			n, err := d.desk.CreateNewsletter(ctx, admin, tt.in)
			var fe news.FieldErrors
			if tt.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				if n.Schedule.Every != tt.in.Every || n.TopicID != tt.in.TopicID {
					t.Errorf("saved %+v", n)
				}
				return
			}
			if !errors.As(err, &fe) || fe[tt.field] == "" {
				t.Errorf("got %v, want an error on %s", err, tt.field)
			}
		})
	}
}

// digestDesk is a site with a section and an author, a manual clock at
// Monday 2026-03-02 09:00 UTC, and a follow of kind, daily at 07:00.
type digestDesk struct {
	*accountsDesk
	section *news.Section
	author  news.Staff
	follow  *news.Newsletter
}

func newDigestDesk(t *testing.T, kind news.NewsletterKind) *digestDesk {
	t.Helper()
	d := &digestDesk{accountsDesk: newAccountsDesk(t)}
	d.section, d.author = d.site.Section(t, "Politics"), d.site.Author(t, "Ann Reporter")
	topic := d.section.ID
	if kind == news.NewsletterAuthor {
		topic = d.author.ID
	}
	var err error
	d.follow, err = d.desk.CreateNewsletter(context.Background(), d.staff[news.RoleEditor], newsroom.NewsletterInput{
		Name: "Follow", Kind: kind, TopicID: topic, FromEmail: "news@gazette.test", Every: "daily", At: "07:00"})
	if err != nil {
		t.Fatal(err)
	}
	subscribed(t, d.site.Store, d.follow, "one@example.test", "two@example.test")
	return d
}

// story publishes a story at the clock's time plus after, in the followed
// section and by the followed author when inside, elsewhere otherwise.
func (d *digestDesk) story(t *testing.T, headline string, after time.Duration, inside bool) {
	t.Helper()
	a := &news.Article{Headline: headline, PublishedAt: d.clock.Now().Add(after).Truncate(time.Second)}
	if inside {
		a.Section, a.Authors = d.section, []news.Staff{d.author}
	} else {
		a.Section, a.Authors = d.site.Section(t, "Sport "+headline), []news.Staff{d.site.Author(t, "Other "+headline)}
	}
	d.site.Article(t, a)
}

func (d *digestDesk) issues(t *testing.T) []news.NewsletterIssue {
	t.Helper()
	list, err := d.site.Store.Issues(context.Background(), d.follow.ID, 100)
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func (d *digestDesk) run(t *testing.T, desk *newsroom.Service, want int) {
	t.Helper()
	n, err := desk.RunSchedules(context.Background())
	if err != nil || n != want {
		t.Fatalf("at %s: queued %d issues (%v), want %d", d.clock.Now().Format(time.DateTime), n, err, want)
	}
}

// TestNewsletterDigest: a follow's digest goes out at its time with the
// stories published there since the last one, once; nothing when nothing
// is new.
func TestNewsletterDigest(t *testing.T) {
	for _, kind := range []news.NewsletterKind{news.NewsletterSection, news.NewsletterAuthor} {
		t.Run(string(kind), func(t *testing.T) {
			d := newDigestDesk(t, kind)
			// Today's 07:00 came before the follow existed: nothing.
			d.run(t, d.desk, 0)
			d.story(t, "Budget passes", time.Hour, true)
			d.story(t, "Derby won", time.Hour, false)
			d.story(t, "Mayor resigns", 2*time.Hour, true)

			d.clock.Set(time.Date(2026, 3, 3, 6, 59, 0, 0, time.UTC))
			d.run(t, d.desk, 0)
			d.clock.Set(time.Date(2026, 3, 3, 7, 0, 30, 0, time.UTC))
			d.run(t, d.desk, 1)
			d.run(t, d.desk, 0) // the same time, again
			// A restart: a new service on the same database.
			restarted := newsroom.New(d.site.Store, newsroom.Config{Location: time.UTC, Clock: d.clock, BaseURL: "https://gazette.test", Mailer: d.mail})
			d.run(t, restarted, 0)

			issues := d.issues(t)
			if len(issues) != 1 {
				t.Fatalf("%d issues", len(issues))
			}
			is := issues[0]
			if is.Subject != "Follow: Mayor resigns and 1 more" || is.Recipients != 2 {
				t.Errorf("issue %q to %d", is.Subject, is.Recipients)
			}
			if !strings.Contains(is.Markdown, "Budget passes") || strings.Contains(is.Markdown, "Derby") ||
				strings.Index(is.Markdown, "Budget") > strings.Index(is.Markdown, "Mayor") {
				t.Errorf("body (oldest first, the followed stories only):\n%s", is.Markdown)
			}

			// Next day, nothing new: nothing sent.
			d.clock.Set(time.Date(2026, 3, 4, 7, 0, 0, 0, time.UTC))
			d.run(t, d.desk, 0)
			// A story after that run goes in the one after.
			d.story(t, "Late vote", time.Minute, true)
			d.clock.Set(time.Date(2026, 3, 5, 8, 0, 0, 0, time.UTC))
			d.run(t, d.desk, 1)
			issues = d.issues(t)
			if len(issues) != 2 || issues[0].Subject != "Follow: Late vote" || strings.Contains(issues[0].Markdown, "Budget") {
				t.Errorf("second digest: %+v", issues[0])
			}
		})
	}
}

// TestNewsletterDigestNow: an editor sends a follow's digest before its
// time; the scheduled one then holds only what came after.
func TestNewsletterDigestNow(t *testing.T) {
	ctx := context.Background()
	d := newDigestDesk(t, news.NewsletterSection)
	editor := d.staff[news.RoleEditor]
	tests := []struct {
		name  string
		actor news.Actor
		id    int64
		want  error // nil: sent
		field string
	}{
		{"an author may not", d.staff[news.RoleAuthor], d.follow.ID, news.ErrForbidden, ""},
		{"nothing new yet", editor, d.follow.ID, nil, "digest"},
		{"no such newsletter", editor, 999999, news.ErrNotFound, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := d.desk.SendDigestNow(ctx, tt.actor, tt.id)
			var fe news.FieldErrors
			switch {
			case tt.field != "":
				if !errors.As(err, &fe) || fe[tt.field] == "" {
					t.Errorf("got %v, want a message on %s", err, tt.field)
				}
			case !errors.Is(err, tt.want):
				t.Errorf("got %v, want %v", err, tt.want)
			}
		})
	}

	d.story(t, "Budget passes", time.Minute, true)
	d.clock.Advance(time.Hour)
	is, err := d.desk.SendDigestNow(ctx, editor, d.follow.ID)
	if err != nil {
		t.Fatal(err)
	}
	if is.Subject != "Follow: Budget passes" || is.Recipients != 2 {
		t.Errorf("sent %q to %d", is.Subject, is.Recipients)
	}
	if _, err := d.desk.SendDigestNow(ctx, editor, d.follow.ID); err == nil {
		t.Error("the same stories sent twice")
	}
	d.story(t, "Mayor resigns", time.Minute, true)
	d.clock.Set(time.Date(2026, 3, 3, 7, 0, 0, 0, time.UTC))
	d.run(t, d.desk, 1)
	issues := d.issues(t)
	if len(issues) != 2 || issues[0].Subject != "Follow: Mayor resigns" || strings.Contains(issues[0].Markdown, "Budget") {
		t.Errorf("the scheduled digest after one sent by hand: %q\n%s", issues[0].Subject, issues[0].Markdown)
	}
}

// TestNewsletterPreparedBriefing: a scheduled briefing goes out at its
// time when the editor prepared one, and not otherwise.
func TestNewsletterPreparedBriefing(t *testing.T) {
	ctx := context.Background()
	d := newAccountsDesk(t)
	editor := d.staff[news.RoleEditor]
	in := briefingInput()
	in.Every, in.Weekday, in.At = "weekly", "wednesday", "06:30"
	n, err := d.desk.CreateNewsletter(ctx, editor, in)
	if err != nil {
		t.Fatal(err)
	}
	subscribed(t, d.site.Store, n, addresses(3)...)
	story := d.site.Article(t, &news.Article{Headline: "Tram line opens", PublishedAt: d.clock.Now().Add(-time.Hour)})
	gone := d.site.Article(t, &news.Article{Headline: "Withdrawn", PublishedAt: d.clock.Now().Add(-time.Hour)})

	// Wednesday 06:30 with nothing prepared: nothing goes out, and a
	// briefing prepared later that morning waits for next week.
	d.clock.Set(time.Date(2026, 3, 4, 6, 30, 0, 0, time.UTC))
	if k, err := d.desk.RunSchedules(ctx); k != 0 || err != nil {
		t.Fatalf("nothing prepared: %d, %v", k, err)
	}
	if _, err := d.desk.PrepareBriefing(ctx, editor, n.ID, newsroom.BriefingInput{Subject: "   "}); err == nil {
		t.Error("a briefing with no subject was kept")
	}
	if _, err := d.desk.PrepareBriefing(ctx, editor, n.ID, newsroom.BriefingInput{Subject: "This week", Intro: "Hello.",
		Stories: []int64{story.ID, gone.ID}}); err != nil {
		t.Fatal(err)
	}
	desk, err := d.desk.NewsletterDesk(ctx, editor, n.ID)
	if err != nil || desk.Draft == nil || !desk.Next.Equal(time.Date(2026, 3, 11, 6, 30, 0, 0, time.UTC)) || desk.Newsletter.Subscribers != 3 {
		t.Fatalf("desk: %+v, %v", desk, err)
	}
	if k, _ := d.desk.RunSchedules(ctx); k != 0 {
		t.Fatal("a briefing prepared after its time went out at once")
	}
	// A story unpublished since is left out, not the whole briefing.
	if _, err := d.desk.Transition(ctx, editor, gone.ID, news.ActionUnpublish, time.Time{}, ""); err != nil {
		t.Fatal(err)
	}
	d.clock.Set(time.Date(2026, 3, 11, 6, 30, 5, 0, time.UTC))
	if k, err := d.desk.RunSchedules(ctx); k != 1 || err != nil {
		t.Fatalf("prepared: %d, %v", k, err)
	}
	issues, _ := d.site.Store.Issues(ctx, n.ID, 10)
	if len(issues) != 1 || issues[0].Subject != "This week" || issues[0].Recipients != 3 ||
		!strings.Contains(issues[0].Markdown, "Tram line opens") || strings.Contains(issues[0].Markdown, "Withdrawn") {
		t.Fatalf("issues: %+v", issues)
	}
	if desk, _ := d.desk.NewsletterDesk(ctx, editor, n.ID); desk.Draft != nil {
		t.Error("the briefing sent is still prepared")
	}
	// A briefing sent by hand cannot be prepared for later.
	manual, _ := d.desk.CreateNewsletter(ctx, editor, newsroom.NewsletterInput{Name: "By hand", Kind: news.NewsletterBriefing, FromEmail: "a@gazette.test"})
	var fe news.FieldErrors
	if _, err := d.desk.PrepareBriefing(ctx, editor, manual.ID, newsroom.BriefingInput{Subject: "S", Intro: "I"}); !errors.As(err, &fe) {
		t.Errorf("prepared for a newsletter with no schedule: %v", err)
	}
	if _, err := d.desk.PrepareBriefing(ctx, d.staff[news.RoleAuthor], n.ID, newsroom.BriefingInput{Subject: "S", Intro: "I"}); !errors.Is(err, news.ErrForbidden) {
		t.Errorf("an author prepared a briefing: %v", err)
	}
}

// TestNewsletterScheduleOnce: instances on one database, running the
// schedule at once, queue a scheduled issue once.
func TestNewsletterScheduleOnce(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		ctx := context.Background()
		dbURL, path := b.NewDatabase(t)
		clk := clock.NewManual(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
		var desks []*newsroom.Service
		var first *store.Store
		for range 3 {
			st, err := store.Open(ctx, dbURL, path, store.WithClock(clk))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			if first == nil {
				first = st
			}
			desks = append(desks, newsroom.New(st, newsroom.Config{Location: time.UTC, Clock: clk, BaseURL: "https://gazette.test", Mailer: &mailbox{}}))
		}
		sec := &news.Section{Slug: "city", Name: "City"}
		if err := first.CreateSection(ctx, sec); err != nil {
			t.Fatal(err)
		}
		n, err := desks[0].CreateNewsletter(ctx, news.Actor{Role: news.RoleAdmin}, newsroom.NewsletterInput{Name: "City daily",
			Kind: news.NewsletterSection, TopicID: sec.ID, FromEmail: "news@gazette.test", Every: "daily", At: "07:00"})
		if err != nil {
			t.Fatal(err)
		}
		subscribed(t, first, n, addresses(5)...)
		if err := desks[0].CreatePublished(ctx, &news.Article{Headline: "Bridge reopens", Body: "Text.", Section: sec,
			PublishedAt: clk.Now().Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		clk.Set(time.Date(2026, 3, 3, 7, 0, 0, 0, time.UTC))
		var wg sync.WaitGroup
		var mu sync.Mutex
		queued := 0
		for _, desk := range desks {
			for range 3 {
				wg.Go(func() {
					k, err := desk.RunSchedules(ctx)
					if err != nil {
						t.Error(err)
					}
					mu.Lock()
					queued += k
					mu.Unlock()
				})
			}
		}
		wg.Wait()
		issues, err := first.Issues(ctx, n.ID, 10)
		if err != nil || queued != 1 || len(issues) != 1 || issues[0].Recipients != 5 {
			t.Fatalf("queued %d, issues %+v, %v", queued, issues, err)
		}
	})
}

// TestNewsletterSignUpLimits: the sign-up forms cannot bury a third
// party's inbox in confirmations, across every newsletter and follow: an
// address gets at most 3 an hour, and a client asks at most 20 an hour.
func TestNewsletterSignUpLimits(t *testing.T) {
	ctx := context.Background()
	d := newAccountsDesk(t)
	var slugs []string
	for i := range 5 {
		in := briefingInput()
		in.Name = fmt.Sprintf("Briefing %d", i)
		n, err := d.desk.CreateNewsletter(ctx, d.staff[news.RoleAdmin], in)
		if err != nil {
			t.Fatal(err)
		}
		slugs = append(slugs, n.Slug)
	}
	var throttled *newsroom.ThrottledError
	for i, slug := range slugs {
		err := d.desk.SubscribeNewsletter(ctx, slug, "victim@example.test", newsroom.Client{IP: fmt.Sprintf("192.0.2.%d", i)})
		if i < 3 && err != nil || i >= 3 && !errors.As(err, &throttled) {
			t.Errorf("sign-up %d of one address from a new client each time: %v", i+1, err)
		}
	}
	for i := range 22 {
		err := d.desk.SubscribeNewsletter(ctx, slugs[i%len(slugs)], fmt.Sprintf("someone%d@example.test", i), newsroom.Client{IP: "198.51.100.1"})
		if i < 20 && err != nil || i >= 20 && !errors.As(err, &throttled) {
			t.Errorf("sign-up %d from one client: %v", i+1, err)
		}
	}
	if got := len(d.sent(t)); got != 23 {
		t.Errorf("%d confirmations mailed, want 23", got)
	}
	// An hour on, the address may ask again.
	d.clock.Advance(time.Hour + time.Second)
	if err := d.desk.SubscribeNewsletter(ctx, slugs[4], "victim@example.test", newsroom.Client{IP: "192.0.2.99"}); err != nil {
		t.Errorf("after an hour: %v", err)
	}
}
