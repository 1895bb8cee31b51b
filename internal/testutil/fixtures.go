package testutil

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"masthead/internal/auth"
	"masthead/internal/clock"
	"masthead/internal/news"
	"masthead/internal/newsroom"
	"masthead/internal/store"
)

// Site is a throwaway newsroom on a real database, with the desk that
// creates articles the way the product does.
type Site struct {
	Store *store.Store
	Desk  *newsroom.Service
	Loc   *time.Location
	// Backend is the database engine the site runs on.
	Backend Backend
	seq     atomic.Int64
	// dbURL and path name the database, for OpenAgain.
	dbURL, path string
}

// NewSite opens a fresh database (SQLite in a temporary folder unless
// $MASTHEAD_SITE_BACKEND says postgres), closed when the test ends.
func NewSite(t testing.TB) *Site {
	t.Helper()
	return NewSiteOn(t, SiteBackend())
}

// SiteBackend is the backend NewSite uses: SQLite, or the one named by
// $MASTHEAD_SITE_BACKEND, so the HTTP-level suites (which build their sites
// with NewSite) run again on PostgreSQL with MASTHEAD_SITE_BACKEND=postgres
// (make test does both).
func SiteBackend() Backend {
	if os.Getenv("MASTHEAD_SITE_BACKEND") == "postgres" {
		return Postgres
	}
	return SQLite
}

// NewSiteOn opens a fresh database on backend b (see Backends), closed and
// removed when the test ends.
func NewSiteOn(t testing.TB, b Backend) *Site {
	t.Helper()
	return newSite(t, b, clock.System{})
}

// NewSiteAt is NewSite with the store and the newsroom service reading
// clk, so a test moves the time instead of waiting for it.
func NewSiteAt(t testing.TB, clk clock.Clock) *Site {
	t.Helper()
	return newSite(t, SiteBackend(), clk)
}

// NewSiteOnAt is NewSiteOn with the store and the newsroom service reading clk.
func NewSiteOnAt(t testing.TB, b Backend, clk clock.Clock) *Site {
	t.Helper()
	return newSite(t, b, clk)
}

// NewSiteWith is NewSite with the store opened with opts too.
func NewSiteWith(t testing.TB, opts ...store.Option) *Site {
	t.Helper()
	return newSite(t, SiteBackend(), clock.System{}, opts...)
}

// OpenAgain opens another store on the site's database, with opts, closed
// when the test ends: the same rows read with other settings.
func (s *Site) OpenAgain(t testing.TB, opts ...store.Option) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), s.dbURL, s.path, opts...)
	if err != nil {
		t.Fatalf("open the %s store again: %v", s.Backend.Name, err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func newSite(t testing.TB, b Backend, clk clock.Clock, opts ...store.Option) *Site {
	t.Helper()
	dbURL, path := b.NewMigratedDatabase(t)
	st, err := store.Open(context.Background(), dbURL, path, append([]store.Option{store.WithClock(clk)}, opts...)...)
	if err != nil {
		t.Fatalf("open %s store: %v", b.Name, err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.SetPublication(context.Background(), news.Publication{Name: "The Test Gazette", Tagline: "All the news that fits", Description: "A newspaper for tests.", Language: "en"}); err != nil {
		t.Fatal(err)
	}
	return &Site{Store: st, Desk: newsroom.New(st, newsroom.Config{Location: time.UTC, Clock: clk}), Loc: time.UTC, Backend: b,
		dbURL: dbURL, path: path}
}

func (s *Site) next() int64 { return s.seq.Add(1) }

// Section creates a section named name.
func (s *Site) Section(t testing.TB, name string) *news.Section {
	t.Helper()
	sec := &news.Section{Slug: news.Slugify(name), Name: name, Description: name + " coverage.", Position: int(s.next())}
	if err := s.Store.CreateSection(context.Background(), sec); err != nil {
		t.Fatalf("create section: %v", err)
	}
	return sec
}

// Author creates a member of staff named name.
func (s *Site) Author(t testing.TB, name string) news.Staff {
	t.Helper()
	slug := news.Slugify(name)
	a := news.Staff{Slug: slug, Name: name, Email: fmt.Sprintf("%s-%d@example.test", slug, s.next()), Role: news.RoleAuthor,
		JobTitle: "Reporter", Bio: name + " covers the city."}
	if err := s.Store.CreateStaff(context.Background(), &a); err != nil {
		t.Fatalf("create author: %v", err)
	}
	return a
}

// Tag returns the tag named name, creating it.
func (s *Site) Tag(t testing.TB, name string) news.Tag {
	t.Helper()
	tag, err := s.Store.EnsureTag(context.Background(), name)
	if err != nil {
		t.Fatalf("ensure tag: %v", err)
	}
	return tag
}

// Article publishes a with comments open. Fields left empty get sensible
// values: a headline, a body with a quotation, published an hour ago.
func (s *Site) Article(t testing.TB, a *news.Article) *news.Article {
	t.Helper()
	a.CommentsOpen = true
	return s.publish(t, a)
}

// ClosedArticle publishes a with comments closed.
func (s *Site) ClosedArticle(t testing.TB, a *news.Article) *news.Article {
	t.Helper()
	a.CommentsOpen = false
	return s.publish(t, a)
}

func (s *Site) publish(t testing.TB, a *news.Article) *news.Article {
	t.Helper()
	if a.Headline == "" {
		a.Headline = fmt.Sprintf("Council approves plan number %d", s.next())
	}
	if a.Body == "" {
		a.Body = "The council met on Tuesday.\n\n\"We are pleased,\" said Mayor Ann Other.\n\nThe plan takes effect next month."
	}
	if a.PublishedAt.IsZero() {
		a.PublishedAt = time.Now().Add(-time.Hour).Truncate(time.Second)
	}
	if err := s.Desk.CreatePublished(context.Background(), a); err != nil {
		t.Fatalf("publish article: %v", err)
	}
	return a
}

// Comment stores a comment on article a.
func (s *Site) Comment(t testing.TB, a *news.Article, c *news.Comment) *news.Comment {
	t.Helper()
	c.ArticleID = a.ID
	if c.Name == "" {
		c.Name = "Reader " + fmt.Sprint(s.next())
	}
	if c.Email == "" {
		c.Email = fmt.Sprintf("reader%d@example.test", s.next())
	}
	if c.Body == "" {
		c.Body = "A thoughtful comment."
	}
	if c.Status == "" {
		c.Status = news.CommentApproved
	}
	if err := s.Store.CreateComment(context.Background(), c); err != nil {
		t.Fatalf("create comment: %v", err)
	}
	return c
}

// Staff creates an account with a role and password.
func (s *Site) Staff(t testing.TB, name string, role news.Role, password string) news.Staff {
	t.Helper()
	a := s.Author(t, name)
	a.Role = role
	if err := s.Store.UpdateStaff(context.Background(), &a); err != nil {
		t.Fatal(err)
	}
	hash, err := auth.HashPasswordWith(password, auth.FastParams)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Store.SetStaffPassword(context.Background(), a.ID, hash); err != nil {
		t.Fatal(err)
	}
	return a
}

// StaffByRole makes one member of staff per role, named "<prefix> <role>",
// with password, and returns them as the service's actors.
func (s *Site) StaffByRole(t testing.TB, prefix, password string) map[news.Role]news.Actor {
	t.Helper()
	actors := map[news.Role]news.Actor{}
	for _, r := range news.Roles {
		u := s.Staff(t, prefix+" "+string(r), r, password)
		actors[r] = news.Actor{ID: u.ID, Role: r}
	}
	return actors
}
