package newsroom_test

import (
	"context"
	"errors"
	"path/filepath"
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

func TestRolePermissions(t *testing.T) {
	ctx := context.Background()
	site := testutil.NewSite(t)
	users := site.StaffByRole(t, "Staff", "a long password")
	other := site.Staff(t, "Someone Else", news.RoleAuthor, "a long password")
	tests := []struct {
		role    news.Role
		own     bool
		action  news.Action
		allowed bool
	}{
		{news.RoleContributor, true, news.ActionSubmit, true},
		{news.RoleContributor, true, news.ActionPublish, false},
		{news.RoleContributor, true, news.ActionSchedule, false},
		{news.RoleContributor, false, news.ActionSubmit, false},
		{news.RoleAuthor, true, news.ActionPublish, true},
		{news.RoleAuthor, false, news.ActionPublish, false},
		{news.RoleAuthor, true, news.ActionReturn, false},
		{news.RoleEditor, false, news.ActionPublish, true},
		{news.RoleEditor, false, news.ActionSchedule, true},
		{news.RoleAdmin, false, news.ActionPublish, true},
	}
	for _, tt := range tests {
		owner := news.Actor{ID: other.ID, Role: news.RoleAuthor}
		if tt.own {
			owner = users[tt.role]
		}
		a, err := site.Desk.Create(ctx, owner, news.Snapshot{Headline: "Draft for " + string(tt.role), Body: "Text."})
		if err != nil {
			t.Fatal(err)
		}
		if tt.action == news.ActionPublish || tt.action == news.ActionSchedule || tt.action == news.ActionReturn {
			if _, err := site.Desk.Transition(ctx, owner, a.ID, news.ActionSubmit, time.Time{}, ""); err != nil {
				t.Fatal(err)
			}
		}
		_, err = site.Desk.Transition(ctx, users[tt.role], a.ID, tt.action, time.Now().Add(time.Hour), "")
		if got := err == nil; got != tt.allowed {
			t.Errorf("%s (own=%v) %s: allowed=%v, want %v (err %v)", tt.role, tt.own, tt.action, got, tt.allowed, err)
		}
		if err != nil && !errors.Is(err, news.ErrForbidden) {
			t.Errorf("%s %s: error %v is not ErrForbidden", tt.role, tt.action, err)
		}
	}
	// Contributors cannot edit what has been published.
	c := users[news.RoleContributor]
	a, _ := site.Desk.Create(ctx, c, news.Snapshot{Headline: "Mine", Body: "x"})
	if _, err := site.Desk.Transition(ctx, users[news.RoleEditor], a.ID, news.ActionPublish, time.Time{}, ""); err != nil {
		t.Fatal(err)
	}
	cur, _ := site.Store.Article(ctx, a.ID)
	if _, err := site.Desk.Save(ctx, c, a.ID, cur.Version, news.Snapshot{Headline: "Changed", Body: "y", AuthorIDs: []int64{c.ID}}, false, ""); !errors.Is(err, news.ErrForbidden) {
		t.Errorf("contributor edited a published article: %v", err)
	}
}

func TestWorkflowAndRevisions(t *testing.T) {
	ctx := context.Background()
	clk := clock.NewManual(time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC))
	site := testutil.NewSiteAt(t, clk)
	ed := site.Staff(t, "Eda Editor", news.RoleEditor, "a long password")
	me := news.Actor{ID: ed.ID, Role: news.RoleEditor}
	a, err := site.Desk.Create(ctx, me, news.Snapshot{Headline: "Ferry returns", Body: "First draft.", Tags: []string{"Transport", "New Tag"}})
	if err != nil {
		t.Fatal(err)
	}
	if a.Status != news.StatusDraft || a.Path != "" || a.Slug != "ferry-returns" {
		t.Fatalf("new draft = %+v", a)
	}
	if _, err := site.Store.PublishedArticle(ctx, "x"); !errors.Is(err, news.ErrNotFound) {
		t.Fatal(err)
	}
	res, err := site.Desk.Save(ctx, me, a.ID, a.Version, news.Snapshot{Headline: "Ferry returns on Monday", Body: "Second draft.\n\nWith more.", AuthorIDs: []int64{ed.ID}}, false, "")
	if err != nil {
		t.Fatal(err)
	}
	// A second editor working from the old version conflicts, and their text is kept.
	stale, err := site.Desk.Save(ctx, me, a.ID, a.Version, news.Snapshot{Headline: "Stale edit", Body: "Old base.", AuthorIDs: []int64{ed.ID}}, false, "")
	if !errors.Is(err, news.ErrStale) || stale.ConflictID == 0 {
		t.Fatalf("stale save: %v %+v", err, stale)
	}
	kept, err := site.Store.Revision(ctx, a.ID, stale.ConflictID)
	if err != nil || kept.Kind != "conflict" || kept.Snapshot.Headline != "Stale edit" {
		t.Fatalf("conflicting edit not kept: %+v %v", kept, err)
	}
	cur, _ := site.Store.Article(ctx, a.ID)
	if cur.Headline != "Ferry returns on Monday" {
		t.Fatalf("the first save was overwritten: %q", cur.Headline)
	}
	revs, err := site.Store.Revisions(ctx, a.ID)
	if err != nil || len(revs) != 3 { // create, save, conflict
		t.Fatalf("revisions = %d, %v", len(revs), err)
	}
	first := revs[len(revs)-1]
	if _, err := site.Desk.Restore(ctx, me, a.ID, first.ID, res.Article.Version); err != nil {
		t.Fatal(err)
	}
	cur, _ = site.Store.Article(ctx, a.ID)
	if cur.Headline != "Ferry returns" || cur.Body != "First draft." {
		t.Fatalf("restore: %q %q", cur.Headline, cur.Body)
	}
	// Publish: the path is fixed, and the article is public.
	pub, err := site.Desk.Transition(ctx, me, a.ID, news.ActionPublish, time.Time{}, "")
	if err != nil {
		t.Fatal(err)
	}
	if pub.Path == "" || !pub.IsPublic() {
		t.Fatalf("published = %+v", pub)
	}
	// A later slug change does not move a published article.
	clk.Advance(time.Hour)
	if _, err := site.Desk.Save(ctx, me, a.ID, pub.Version, news.Snapshot{Headline: "Ferry returns", Slug: "another-slug", Body: "First draft.", AuthorIDs: []int64{ed.ID}}, true, ""); err != nil {
		t.Fatal(err)
	}
	after, _ := site.Store.Article(ctx, a.ID)
	if after.Path != pub.Path || !after.WasUpdated() {
		t.Errorf("path %q -> %q, updated %v", pub.Path, after.Path, after.WasUpdated())
	}
	// Corrections show publicly and move dateModified.
	before := after.LastModified()
	clk.Advance(90 * time.Minute)
	if err := site.Desk.Correct(ctx, me, a.ID, "correction", "An earlier version gave the wrong day."); err != nil {
		t.Fatal(err)
	}
	public, err := site.Store.PublishedArticle(ctx, pub.Path)
	if err != nil || len(public.Corrections) != 1 || !public.LastModified().After(before) {
		t.Fatalf("corrections %v, modified %v (before %v), %v", public.Corrections, public.LastModified(), before, err)
	}
	log, _ := site.Store.RecentCorrections(ctx, 10, 0)
	if len(log) != 1 || log[0].Article.ID != a.ID {
		t.Errorf("corrections log = %+v", log)
	}
	events, _ := site.Store.ArticleEvents(ctx, a.ID)
	var actions []string
	for _, e := range events {
		actions = append(actions, e.Action)
	}
	if len(events) < 5 || events[0].Action != "create" || events[0].UserName != "Eda Editor" {
		t.Errorf("events = %v", actions)
	}
	// Unpublish removes it from the public site.
	if _, err := site.Desk.Transition(ctx, me, a.ID, news.ActionUnpublish, time.Time{}, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := site.Store.PublishedArticle(ctx, pub.Path); !errors.Is(err, news.ErrNotFound) {
		t.Errorf("unpublished article still public: %v", err)
	}
	// Publishing needs alt text on a lead image.
	b, _ := site.Desk.Create(ctx, me, news.Snapshot{Headline: "Pictured", Body: "x", ImageURL: "/media/x.png"})
	var fe news.FieldErrors
	if _, err := site.Desk.Transition(ctx, me, b.ID, news.ActionPublish, time.Time{}, ""); !errors.As(err, &fe) || fe["image_alt"] == "" {
		t.Errorf("published without alt text: %v", err)
	}
}

// TestScheduledPublishingAcrossRestart schedules an article, closes the
// database as if the server went down, lets the moment pass, reopens it and
// checks the article goes out exactly once even with two publishers racing.
func TestScheduledPublishingAcrossRestart(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "masthead.db")
	st, err := store.OpenSQLite(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	clk := clock.NewManual(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	desk := newsroom.New(st, newsroom.Config{Location: time.UTC, Clock: clk})
	u := news.Staff{Slug: "sched", Name: "Sched Uler", Email: "s@example.test", Role: news.RoleEditor}
	if err := st.CreateStaff(ctx, &u); err != nil {
		t.Fatal(err)
	}
	me := news.Actor{ID: u.ID, Role: news.RoleEditor}
	a, err := desk.Create(ctx, me, news.Snapshot{Headline: "Embargoed report", Body: "Text."})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := desk.Transition(ctx, me, a.ID, news.ActionSchedule, clk.Now().Add(time.Hour), ""); err != nil {
		t.Fatal(err)
	}
	if n, _ := desk.PublishDue(ctx); n != 0 {
		t.Fatal("published before its time")
	}
	st.Close() // the server is down when the moment comes
	clk.Advance(2 * time.Hour)

	st, err = store.OpenSQLite(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	desks := []*newsroom.Service{newsroom.New(st, newsroom.Config{Location: time.UTC, Clock: clk}), newsroom.New(st, newsroom.Config{Location: time.UTC, Clock: clk})}
	var wg sync.WaitGroup
	counts := make([]int, len(desks))
	for i, d := range desks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			counts[i], _ = d.PublishDue(ctx)
		}()
	}
	wg.Wait()
	if counts[0]+counts[1] != 1 {
		t.Fatalf("published %v times, want exactly once", counts)
	}
	got, err := st.Article(ctx, a.ID)
	if err != nil || got.Status != news.StatusPublished || got.Path == "" {
		t.Fatalf("after restart: %+v %v", got, err)
	}
	events, _ := st.ArticleEvents(ctx, a.ID)
	if last := events[len(events)-1]; last.Action != "publish" || last.UserName != "Scheduler" {
		t.Errorf("last event = %+v", last)
	}
}

// TestBylines: editors may byline anyone; writers only themselves, on new
// articles and on saves (issue: an author created an article with a
// colleague's byline, saved it with that byline alone and published it
// under the colleague's name).
func TestBylines(t *testing.T) {
	ctx := context.Background()
	site := testutil.NewSite(t)
	actors := site.StaffByRole(t, "Byline", "a long password")
	colleague := site.Staff(t, "Col League", news.RoleAuthor, "a long password").ID
	editor := actors[news.RoleEditor]

	creates := []struct {
		role    news.Role
		bylines func(self int64) []int64
		want    error
	}{
		{news.RoleContributor, func(self int64) []int64 { return nil }, nil},
		{news.RoleContributor, func(self int64) []int64 { return []int64{colleague} }, news.ErrOthersByline},
		{news.RoleContributor, func(self int64) []int64 { return []int64{self, colleague} }, news.ErrOthersByline},
		{news.RoleAuthor, func(self int64) []int64 { return []int64{self} }, nil},
		{news.RoleAuthor, func(self int64) []int64 { return []int64{colleague} }, news.ErrOthersByline},
		{news.RoleEditor, func(self int64) []int64 { return []int64{colleague} }, nil},
		{news.RoleAdmin, func(self int64) []int64 { return []int64{self, colleague} }, nil},
	}
	for _, tt := range creates {
		me := actors[tt.role]
		_, err := site.Desk.Create(ctx, me, news.Snapshot{Headline: "Create as " + string(tt.role), Body: "Text.", AuthorIDs: tt.bylines(me.ID)})
		if !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
			t.Errorf("create as %s with bylines %v: %v, want %v", tt.role, tt.bylines(me.ID), err, tt.want)
		}
	}

	// Saves: the article starts with the bylines given by an editor.
	saves := []struct {
		name    string
		role    news.Role
		start   func(self int64) []int64
		bylines func(self int64) []int64
		want    error
	}{
		{"author keeps their own byline", news.RoleAuthor, ids, ids, nil},
		{"author swaps in a colleague", news.RoleAuthor, ids, func(int64) []int64 { return []int64{colleague} }, news.ErrOthersByline},
		{"author adds a colleague", news.RoleAuthor, ids, func(self int64) []int64 { return []int64{self, colleague} }, news.ErrOthersByline},
		{"author keeps an editor's co-byline", news.RoleAuthor, withColleague(colleague), withColleague(colleague), nil},
		{"author drops the co-author", news.RoleAuthor, withColleague(colleague), ids, nil},
		{"author leaves the co-author alone on it", news.RoleAuthor, withColleague(colleague), func(int64) []int64 { return []int64{colleague} }, news.ErrOthersByline},
		{"contributor swaps in a colleague", news.RoleContributor, ids, func(int64) []int64 { return []int64{colleague} }, news.ErrOthersByline},
		{"editor swaps in a colleague", news.RoleEditor, ids, func(int64) []int64 { return []int64{colleague} }, nil},
	}
	for _, tt := range saves {
		t.Run(tt.name, func(t *testing.T) {
			me := actors[tt.role]
			a, err := site.Desk.Create(ctx, editor, news.Snapshot{Headline: tt.name, Body: "Text.", AuthorIDs: tt.start(me.ID)})
			if err != nil {
				t.Fatal(err)
			}
			_, err = site.Desk.Save(ctx, me, a.ID, a.Version, news.Snapshot{Headline: tt.name, Body: "Text.", AuthorIDs: tt.bylines(me.ID)}, false, "")
			if !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
				t.Errorf("save: %v, want %v", err, tt.want)
			}
			if tt.want != nil {
				got, _ := site.Store.Article(ctx, a.ID)
				if got.Version != a.Version {
					t.Errorf("a refused save changed the article (version %d → %d)", a.Version, got.Version)
				}
			}
		})
	}
}

func ids(self int64) []int64 { return []int64{self} }

func withColleague(colleague int64) func(int64) []int64 {
	return func(self int64) []int64 { return []int64{self, colleague} }
}

// TestFrontPageAndTakedowns: only editors feature a story on the front
// page, and a story an editor took down stays down until an editor puts
// it back; writers still unpublish and republish their own.
func TestFrontPageAndTakedowns(t *testing.T) {
	ctx := context.Background()
	site := testutil.NewSite(t)
	au := site.Staff(t, "Ari Author", news.RoleAuthor, "a long password")
	ed := site.Staff(t, "Eda Editor", news.RoleEditor, "a long password")
	author, editor := news.Actor{ID: au.ID, Role: au.Role}, news.Actor{ID: ed.ID, Role: ed.Role}
	featured := func(id int64) bool {
		a, err := site.Store.Article(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return a.Featured
	}

	a, err := site.Desk.Create(ctx, author, news.Snapshot{Headline: "Make me the lead", Body: "Text.", Featured: true})
	if err != nil {
		t.Fatal(err)
	}
	if featured(a.ID) {
		t.Error("an author's new story went on the front page")
	}
	res, err := site.Desk.Save(ctx, author, a.ID, a.Version, news.Snapshot{Headline: "Make me the lead", Body: "Text.", AuthorIDs: []int64{au.ID}, Featured: true}, false, "")
	if err != nil || featured(a.ID) {
		t.Fatalf("an author featured their story on save: %v", err)
	}
	res, err = site.Desk.Save(ctx, editor, a.ID, res.Article.Version, news.Snapshot{Headline: "Make me the lead", Body: "Text.", AuthorIDs: []int64{au.ID}, Featured: true}, false, "")
	if err != nil || !featured(a.ID) {
		t.Fatalf("the editor could not feature it: %v", err)
	}
	if _, err := site.Desk.Save(ctx, author, a.ID, res.Article.Version, news.Snapshot{Headline: "Make me the lead", Body: "Edited.", AuthorIDs: []int64{au.ID}}, false, ""); err != nil || !featured(a.ID) {
		t.Fatalf("the author's save took the editor's feature off: %v", err)
	}

	publish := func(who news.Actor, action news.Action) error {
		_, err := site.Desk.Transition(ctx, who, a.ID, action, time.Now().Add(time.Hour), "")
		return err
	}
	if err := publish(author, news.ActionPublish); err != nil {
		t.Fatal(err)
	}
	if err := publish(author, news.ActionUnpublish); err != nil {
		t.Fatal(err)
	}
	if err := publish(author, news.ActionPublish); err != nil {
		t.Fatalf("the author could not republish what they took down: %v", err)
	}
	if err := publish(editor, news.ActionUnpublish); err != nil {
		t.Fatal(err)
	}
	for _, act := range []news.Action{news.ActionPublish, news.ActionSchedule} {
		if err := publish(author, act); !errors.Is(err, news.ErrForbidden) {
			t.Errorf("the author could %s what the editor took down: %v", act, err)
		}
	}
	down, _ := site.Store.Article(ctx, a.ID)
	if acts, held, err := site.Desk.Actions(ctx, author, down, []news.Action{news.ActionPublish, news.ActionSchedule}); err != nil || len(acts) != 0 || !strings.Contains(held, "Eda Editor took this article down") {
		t.Errorf("the editor offers the author %v (%q, %v) on a story an editor took down", acts, held, err)
	}
	if err := publish(editor, news.ActionPublish); err != nil {
		t.Errorf("an editor could not undo the takedown: %v", err)
	}
}

// TestStepsAreCheckedFirst (issue 15, finding 10): a create or a save that
// asks for a workflow step the actor may not take changes nothing — no
// draft left behind, no field saved — and one they may take does both.
func TestStepsAreCheckedFirst(t *testing.T) {
	ctx := context.Background()
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		site := testutil.NewSiteOn(t, b)
		actors := site.StaffByRole(t, "Staff", "a long password")
		publish := newsroom.Step{Action: news.ActionPublish}
		tests := []struct {
			role    news.Role
			step    newsroom.Step
			allowed bool
		}{
			{news.RoleContributor, publish, false},
			{news.RoleContributor, newsroom.Step{Action: news.ActionSchedule, PublishAt: time.Now().Add(time.Hour)}, false},
			{news.RoleContributor, newsroom.Step{Action: news.ActionSubmit}, true},
			{news.RoleAuthor, publish, true},
			{news.RoleAuthor, newsroom.Step{Action: news.ActionReturn}, false},
			{news.RoleEditor, publish, true},
			{news.RoleAdmin, publish, true},
		}
		for _, tt := range tests {
			t.Run(string(tt.role)+" "+string(tt.step.Action), func(t *testing.T) {
				me := actors[tt.role]
				headline := "Created to " + string(tt.step.Action) + " by " + string(tt.role)
				a, err := site.Desk.CreateAndStep(ctx, me, news.Snapshot{Headline: headline, Body: "Text."}, tt.step)
				if (err == nil) != tt.allowed || (err != nil && !errors.Is(err, news.ErrForbidden)) {
					t.Fatalf("create: %v, want allowed=%v", err, tt.allowed)
				}
				left, lerr := site.Store.AdminArticles(ctx, news.AdminFilter{Text: headline, Limit: 10})
				if lerr != nil || len(left) != map[bool]int{true: 1, false: 0}[tt.allowed] {
					t.Errorf("%d articles stored (%v)", len(left), lerr)
				}
				if tt.allowed && a.Status == news.StatusDraft {
					t.Errorf("the step was not taken: %s", a.Status)
				}

				d, err := site.Desk.Create(ctx, me, news.Snapshot{Headline: "A draft", Body: "Text."})
				if err != nil {
					t.Fatal(err)
				}
				res, err := site.Desk.SaveAndStep(ctx, me, d.ID, d.Version, news.Snapshot{Headline: "Retitled", Body: "Text.", AuthorIDs: []int64{me.ID}}, tt.step)
				if (err == nil) != tt.allowed || (err != nil && !errors.Is(err, news.ErrForbidden)) {
					t.Fatalf("save: %v, want allowed=%v", err, tt.allowed)
				}
				got, err := site.Store.Article(ctx, d.ID)
				if err != nil {
					t.Fatal(err)
				}
				if want := map[bool]string{true: "Retitled", false: "A draft"}[tt.allowed]; got.Headline != want || got.Version != map[bool]int{true: d.Version + 1, false: d.Version}[tt.allowed] {
					t.Errorf("stored %q (version %d), want %q", got.Headline, got.Version, want)
				}
				if tt.allowed && (res.Article.Status == news.StatusDraft || got.Status != res.Article.Status) {
					t.Errorf("the step was not taken: %s, stored %s", res.Article.Status, got.Status)
				}
			})
		}
	})
}

// TestStepWithoutChanges: a workflow button on an unchanged editor takes
// the step alone — no new revision, no "edit" in the history.
func TestStepWithoutChanges(t *testing.T) {
	ctx := context.Background()
	site := testutil.NewSite(t)
	staff := site.StaffByRole(t, "Staff", "a long password")
	me := staff[news.RoleAuthor]
	a, err := site.Desk.Create(ctx, me, news.Snapshot{Headline: "Ferry returns", Body: "Text.", Tags: []string{"Transport"}})
	if err != nil {
		t.Fatal(err)
	}
	form := a.Snapshot()
	form.Headline += "  " // as a form may send it
	form.Tags = append(form.Tags, " ")
	if _, err := site.Desk.SaveAndStep(ctx, me, a.ID, a.Version, form, newsroom.Step{Action: news.ActionSubmit}); err != nil {
		t.Fatal(err)
	}
	revs, _ := site.Store.Revisions(ctx, a.ID)
	events, _ := site.Store.ArticleEvents(ctx, a.ID)
	got, _ := site.Store.Article(ctx, a.ID)
	if len(revs) != 1 || len(events) != 2 || events[1].Action != "submit" || got.Status != news.StatusReview {
		t.Errorf("%d revisions, events %+v, status %s; want 1, create and submit, review", len(revs), events, got.Status)
	}
	form.Standfirst = "Now with a standfirst."
	if _, err := site.Desk.SaveAndStep(ctx, me, a.ID, got.Version, form, newsroom.Step{Action: news.ActionPublish}); err != nil {
		t.Fatal(err)
	}
	if revs, _ := site.Store.Revisions(ctx, a.ID); len(revs) != 2 {
		t.Errorf("a changed editor's step kept %d revisions, want 2", len(revs))
	}
}
