package wpimport_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"runtime/pprof"
	"slices"
	"strings"
	"testing"
	"time"

	"masthead/internal/benchdata"
	"masthead/internal/news"
	service "masthead/internal/newsroom"
	"masthead/internal/render"
	"masthead/internal/store"
	"masthead/internal/testutil"
	"masthead/internal/web"
	"masthead/internal/wpimport"
	"masthead/internal/wxr"
)

// themeUnitTest is WordPress's theme unit test export: 58 posts, 21 pages,
// 37 attachments, 70 menu items and 33 comments (shared/data/README.md).
func themeUnitTest(t testing.TB) string {
	return testutil.SharedData(t, "wordpress", "themeunittestdata.wordpress.xml")
}

func fixture(t testing.TB, name string) string {
	return testutil.SharedData(t, "wordpress", "importer-fixtures", name)
}

// importFile imports a file into st.
func importFile(t testing.TB, st *store.Store, path string, opts wpimport.Options) (*wpimport.Summary, error) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if opts.Now == nil {
		opts.Now = func() time.Time { return time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC) }
	}
	return wpimport.Import(context.Background(), st, f, opts)
}

// census counts, straight from the XML with encoding/xml (not package
// wxr), what an export holds.
type census struct {
	posts, pages, comments map[string]int // by status
	categories, tags       map[string]bool
	postIDs                map[string]string // post id → type, for posts and pages
}

func count(t testing.TB, path string) census {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	type term struct {
		Domain   string `xml:"domain,attr"`
		Nicename string `xml:"nicename,attr"`
	}
	var doc struct {
		Channel struct {
			Categories []struct {
				Slug string `xml:"category_nicename"`
			} `xml:"category"`
			Tags []struct {
				Slug string `xml:"tag_slug"`
			} `xml:"tag"`
			Items []struct {
				ID       string `xml:"post_id"`
				Type     string `xml:"post_type"`
				Status   string `xml:"status"`
				Terms    []term `xml:"category"`
				Comments []struct {
					ID string `xml:"comment_id"`
				} `xml:"comment"`
			} `xml:"item"`
		} `xml:"channel"`
	}
	if err := xml.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	c := census{posts: map[string]int{}, pages: map[string]int{}, comments: map[string]int{},
		categories: map[string]bool{}, tags: map[string]bool{}, postIDs: map[string]string{}}
	for _, cat := range doc.Channel.Categories {
		c.categories[strings.ToLower(cat.Slug)] = true
	}
	for _, tag := range doc.Channel.Tags {
		c.tags[strings.ToLower(tag.Slug)] = true
	}
	for _, it := range doc.Channel.Items {
		status := strings.TrimSpace(it.Status)
		switch strings.TrimSpace(it.Type) {
		case "post":
			c.posts[status]++
		case "page":
			c.pages[status]++
		default:
			continue
		}
		c.postIDs[strings.TrimSpace(it.ID)] = strings.TrimSpace(it.Type)
		for _, tm := range it.Terms {
			switch tm.Domain {
			case "category":
				c.categories[strings.ToLower(tm.Nicename)] = true
			case "post_tag":
				c.tags[strings.ToLower(tm.Nicename)] = true
			}
		}
		c.comments[strings.TrimSpace(it.Type)] += len(it.Comments)
	}
	return c
}

func total(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// TestThemeUnitTest imports the theme unit test export and checks that
// every post, page, comment, category and tag is there, and that every
// imported article's page renders.
func TestThemeUnitTest(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		site := testutil.NewSiteOn(t, b)
		ctx := context.Background()
		path := themeUnitTest(t)
		want := count(t, path)
		if total(want.posts) != 58 || total(want.pages) != 21 || want.comments["post"]+want.comments["page"] != 33 {
			t.Fatalf("the census of the file is off: %d posts, %d pages, %v comments", total(want.posts), total(want.pages), want.comments)
		}
		sum, err := importFile(t, site.Store, path, wpimport.Options{})
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		if err := sum.Write(&out); err != nil {
			t.Fatal(err)
		}
		t.Logf("summary:\n%s", out.String())

		// Posts and pages: each WordPress post is mapped to an article.
		posts, err := site.Store.WPMappingsOfKind(ctx, sum.Site, wpimport.KindPost)
		if err != nil {
			t.Fatal(err)
		}
		pages, err := site.Store.WPMappingsOfKind(ctx, sum.Site, wpimport.KindPage)
		if err != nil {
			t.Fatal(err)
		}
		if len(posts) != total(want.posts) || len(pages) != total(want.pages) {
			t.Errorf("imported %d posts and %d pages, the file has %d and %d", len(posts), len(pages), total(want.posts), total(want.pages))
		}
		for id, typ := range want.postIDs {
			m := posts[id]
			if typ == "page" {
				m = pages[id]
			}
			a, err := site.Store.Article(ctx, m.TargetID)
			if err != nil {
				t.Errorf("%s %s: %v", typ, id, err)
				continue
			}
			if a.Headline == "" || len(a.Authors) == 0 {
				t.Errorf("%s %s: article %d has headline %q and %d bylines", typ, id, a.ID, a.Headline, len(a.Authors))
			}
		}
		byStatus, err := site.Store.CountByStatus(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n := total(map[string]int{"a": byStatus[news.StatusPublished], "b": byStatus[news.StatusDraft], "c": byStatus[news.StatusScheduled],
			"d": byStatus[news.StatusReview], "e": byStatus[news.StatusUnpublished]}); n != total(want.posts)+total(want.pages) {
			t.Errorf("%d articles in the database, want %d: %v", n, total(want.posts)+total(want.pages), byStatus)
		}
		if byStatus[news.StatusDraft] != want.posts["draft"] || byStatus[news.StatusScheduled] != want.posts["future"] {
			t.Errorf("statuses %v, want %d drafts and %d scheduled", byStatus, want.posts["draft"], want.posts["future"])
		}
		list, err := site.Store.Pages(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != total(want.pages) {
			t.Errorf("%d pages, want %d", len(list), total(want.pages))
		}

		// Comments.
		comments, err := site.Store.CountCommentsByStatus(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n := total(map[string]int{"a": comments[news.CommentApproved], "p": comments[news.CommentPending], "s": comments[news.CommentSpam], "t": comments[news.CommentTrash]}); n != 33 {
			t.Errorf("%d comments imported, want 33: %v", n, comments)
		}

		// Categories and tags: every one the file names.
		cats, err := site.Store.WPMappingsOfKind(ctx, sum.Site, wpimport.KindCategory)
		if err != nil {
			t.Fatal(err)
		}
		for slug := range want.categories {
			if _, ok := cats[slug]; !ok {
				t.Errorf("category %q was not imported", slug)
			}
		}
		secs, err := site.Store.Sections(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(secs) != len(want.categories) {
			t.Errorf("%d sections, want %d categories", len(secs), len(want.categories))
		}
		tags, err := site.Store.WPMappingsOfKind(ctx, sum.Site, wpimport.KindTag)
		if err != nil {
			t.Fatal(err)
		}
		for slug := range want.tags {
			m, ok := tags[slug]
			if !ok {
				t.Errorf("tag %q was not imported", slug)
				continue
			}
			if _, err := site.Store.TagBySlug(ctx, m.URL); err != nil {
				t.Errorf("tag %q: %v", slug, err)
			}
		}

		// Every published article renders.
		srv := reader(t, site.Store)
		rendered := 0
		for _, m := range append(values(posts), values(pages)...) {
			a, err := site.Store.Article(ctx, m.TargetID)
			if err != nil {
				t.Fatal(err)
			}
			if !a.IsPublic() {
				continue
			}
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, a.URLPath(), nil))
			if rec.Code != http.StatusOK {
				t.Errorf("GET %s: %d", a.URLPath(), rec.Code)
				continue
			}
			if !strings.Contains(rec.Body.String(), "<h1 class=\"headline\">") {
				t.Errorf("GET %s: no headline in the page", a.URLPath())
			}
			rendered++
		}
		if rendered < 70 {
			t.Errorf("only %d article pages rendered", rendered)
		}
		for _, p := range []string{"/", "/feed.xml", "/sitemap.xml"} {
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, p, nil))
			if rec.Code != http.StatusOK {
				t.Errorf("GET %s: %d", p, rec.Code)
			}
		}
	})
}

func values(m map[string]store.WPMapping) []store.WPMapping {
	out := make([]store.WPMapping, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

// reader is the reader site over st, without a page cache.
func reader(t testing.TB, st *store.Store) http.Handler {
	t.Helper()
	eng, err := render.New(time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	return web.New(st, service.New(st, service.Config{Location: time.UTC}), eng, slog.New(slog.DiscardHandler), web.Config{BaseURL: "https://news.example.test",
		Secret: []byte("test"), CacheBytes: -1}).Handler()
}

// TestMalformed imports the malformed fixtures: a clean error naming where
// the file is broken, and a database exactly as it was.
func TestMalformed(t *testing.T) {
	tests := []struct {
		file string
		want string // in the error
		not  bool   // not a WXR file (rather than malformed XML)
	}{
		{"malformed.xml", "line 90", false},
		{"malformed-simple.xml", "line 14", false},
		{"crazy-cdata.xml", "line 18", false},
		{"missing-version-tag.xml", "WXR version", true},
		{"invalid-version-tag.xml", "WXR version", true},
	}
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		site := testutil.NewSiteOn(t, b)
		site.Article(t, &news.Article{Headline: "Already here", Authors: []news.Staff{site.Author(t, "Ann Other")}})
		ctx := context.Background()
		before, err := site.Store.TableChecksums(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, tt := range tests {
			t.Run(tt.file, func(t *testing.T) {
				_, err := importFile(t, site.Store, fixture(t, tt.file), wpimport.Options{})
				if err == nil {
					t.Fatal("imported a broken file")
				}
				if !strings.Contains(err.Error(), tt.want) {
					t.Errorf("error %q does not say %q", err, tt.want)
				}
				var se *wxr.SyntaxError
				if tt.not != errors.Is(err, wxr.ErrNotWXR) || !tt.not != errors.As(err, &se) {
					t.Errorf("error %v (%T): want a syntax error %v, not-WXR %v", err, err, !tt.not, tt.not)
				}
				after, err := site.Store.TableChecksums(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if diff := diffChecksums(before, after); diff != "" {
					t.Errorf("the database changed: %s", diff)
				}
			})
		}
	})
}

func diffChecksums(a, b []store.TableCopy) string {
	m := map[string]store.TableCopy{}
	for _, t := range a {
		m[t.Table] = t
	}
	var out []string
	for _, t := range b {
		if m[t.Table] != t {
			out = append(out, t.Table)
		}
		delete(m, t.Table)
	}
	for k := range m {
		out = append(out, k)
	}
	return strings.Join(out, ", ")
}

// TestFailureRollsBack makes the database fail halfway through an import
// (the file is fine): nothing of it may remain.
func TestFailureRollsBack(t *testing.T) {
	data, err := os.ReadFile(themeUnitTest(t))
	if err != nil {
		t.Fatal(err)
	}
	cancelledLeavesNothing(t, data, 60)
}

// cancelledLeavesNothing cancels an import of data once it has imported
// more than items items, and checks the site is as it was.
func cancelledLeavesNothing(t *testing.T, data []byte, items int) {
	t.Helper()
	site := testutil.NewSite(t)
	before, err := site.Store.TableChecksums(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, err = wpimport.Import(ctx, site.Store, bytes.NewReader(data), wpimport.Options{Progress: func(p wpimport.Progress) {
		if p.Phase == "importing" && p.Items > items {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("import: %v, want it cancelled", err)
	}
	after, err := site.Store.TableChecksums(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if diff := diffChecksums(before, after); diff != "" {
		t.Errorf("a cancelled import left changes in %s", diff)
	}
}

// TestIdempotent imports the same file twice: the second import changes
// nothing at all. Then a newer export with one post changed updates that
// post alone.
func TestIdempotent(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		site := testutil.NewSiteOn(t, b)
		ctx := context.Background()
		path := themeUnitTest(t)
		first, err := importFile(t, site.Store, path, wpimport.Options{})
		if err != nil {
			t.Fatal(err)
		}
		before, err := site.Store.TableChecksums(ctx)
		if err != nil {
			t.Fatal(err)
		}
		second, err := importFile(t, site.Store, path, wpimport.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if second.Changed() {
			var out bytes.Buffer
			_ = second.Write(&out)
			t.Errorf("the second import changed things:\n%s", out.String())
		}
		if got, want := second.Counts[wpimport.KindPost].Unchanged, first.Counts[wpimport.KindPost].Created; got != want {
			t.Errorf("%d posts unchanged the second time, %d created the first", got, want)
		}
		after, err := site.Store.TableChecksums(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if diff := diffChecksums(before, after); diff != "" {
			t.Errorf("the second import changed %s", diff)
		}

		// A newer export: one post's title and text changed, one comment
		// approved.
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		newer := bytes.Replace(raw, []byte("<title>Markup: HTML Tags and Formatting</title>"), []byte("<title>Markup: HTML Tags, Revised</title>"), 1)
		if bytes.Equal(newer, raw) {
			t.Fatal("the post to change is not in the file")
		}
		file := filepath.Join(t.TempDir(), "newer.xml")
		if err := os.WriteFile(file, newer, 0o600); err != nil {
			t.Fatal(err)
		}
		third, err := importFile(t, site.Store, file, wpimport.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if c := third.Counts[wpimport.KindPost]; c.Updated != 1 || c.Created != 0 {
			t.Errorf("newer export: posts %+v, want exactly one updated", *c)
		}
		res, err := site.Store.Search(ctx, news.SearchQuery{Text: "Revised", Limit: 5})
		if err != nil {
			t.Fatal(err)
		}
		hits := res.Hits
		if len(hits) != 1 || hits[0].Article.Headline != "Markup: HTML Tags, Revised" {
			t.Errorf("search for the new title found %v", hits)
		}
		revs, err := site.Store.Revisions(ctx, hits[0].Article.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(revs) != 2 {
			t.Errorf("the updated post has %d revisions, want 2", len(revs))
		}
	})
}

// TestGeneratedExport imports a synthetic export large enough to be
// stored in several batches: every post gets what the desk gives a new
// article (a revision, a "create" event, its quotations, a search entry)
// and its threaded comments. Importing it again is recognised and changes
// nothing; once an imported post is deleted, the next import brings back
// exactly that post and its comments, post by post.
func TestGeneratedExport(t *testing.T) {
	var buf bytes.Buffer
	if err := benchdata.WriteWXR(context.Background(), &buf, benchdata.WXROptions{Posts: 1100, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "generated.xml")
	if err := os.WriteFile(file, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	want := count(t, file)
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		site := testutil.NewSiteOn(t, b)
		ctx := context.Background()
		first, err := importFile(t, site.Store, file, wpimport.Options{})
		if err != nil {
			t.Fatal(err)
		}
		posts := 0
		for status, n := range want.posts {
			if status != "trash" {
				posts += n
			}
		}
		comments := 0
		for _, n := range want.comments {
			comments += n
		}
		if c := first.Counts[wpimport.KindPost]; c.Created != posts {
			t.Errorf("posts %+v, want %d created", *c, posts)
		}
		if c := first.Counts[wpimport.KindComment]; c.Created != comments {
			t.Errorf("comments %+v, want %d created", *c, comments)
		}
		// So large an import tells caches once that everything changed.
		if last, err := site.Store.LatestChange(ctx); err != nil {
			t.Fatal(err)
		} else if list, _, err := site.Store.ChangesSince(ctx, last-1, 1); err != nil || len(list) != 1 || list[0].Kind != store.ChangeAll {
			t.Errorf("the last change logged is %v (%v), want one of kind all", list, err)
		}
		mapped, err := site.Store.WPMappingsOfKind(ctx, first.Site, wpimport.KindPost)
		if err != nil {
			t.Fatal(err)
		}
		withQuotes, replies := 0, 0
		historyOf := map[news.Status][]string{
			news.StatusPublished:   {"create → published"},
			news.StatusDraft:       {"create → draft"},
			news.StatusReview:      {"create → draft", "submit → review"},
			news.StatusUnpublished: {"create → published", "unpublish → unpublished"},
		}
		byStatus := map[news.Status]int{}
		for _, m := range mapped {
			a, err := site.Store.Article(ctx, m.TargetID)
			if err != nil {
				t.Fatal(err)
			}
			revs, err := site.Store.Revisions(ctx, a.ID)
			if err != nil || len(revs) != 1 {
				t.Errorf("article %d: %d revisions (%v), want 1", a.ID, len(revs), err)
			}
			events, err := site.Store.ArticleEvents(ctx, a.ID)
			if err != nil || len(events) == 0 || events[0].Action != "create" {
				t.Errorf("article %d: events %v (%v), want a create first", a.ID, events, err)
			}
			// Drafts, posts in review and private posts are stored with
			// the batches: their history is the desk's.
			if want, ok := historyOf[a.Status]; ok {
				var got []string
				for _, e := range events {
					got = append(got, e.Action+" → "+string(e.ToStatus))
				}
				if !slices.Equal(got, want) {
					t.Errorf("article %d (%s): history %q, want %q", a.ID, a.Status, got, want)
				}
				byStatus[a.Status]++
			}
			qs, err := site.Store.ArticleQuotes(ctx, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(qs) > 0 {
				withQuotes++
			}
			if a.Status == news.StatusPublished && (a.Path == "" || a.BodyHTML == "" || a.Section == nil) {
				t.Errorf("article %d: path %q, %d bytes of HTML, section %v", a.ID, a.Path, len(a.BodyHTML), a.Section)
			}
			cs, err := site.Store.ArticleComments(ctx, a.ID, nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range cs {
				if c.ParentID != 0 {
					replies++
				}
			}
		}
		if byStatus[news.StatusDraft] == 0 || byStatus[news.StatusReview] == 0 || byStatus[news.StatusUnpublished] == 0 {
			t.Errorf("articles by status %v: want drafts, some in review and unpublished ones", byStatus)
		}
		if withQuotes < len(mapped)/4 || replies == 0 {
			t.Errorf("%d of %d articles have quotations, %d replies: want many of both", withQuotes, len(mapped), replies)
		}
		res, err := site.Store.Search(ctx, news.SearchQuery{Text: "consultation", Limit: 5})
		if err != nil || len(res.Hits) == 0 {
			t.Errorf("search found %v (%v), want imported articles", res.Hits, err)
		}

		before, err := site.Store.TableChecksums(ctx)
		if err != nil {
			t.Fatal(err)
		}
		again, err := importFile(t, site.Store, file, wpimport.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if again.Changed() || again.Counts[wpimport.KindPost].Unchanged != posts {
			t.Errorf("importing again: posts %+v, comments %+v, want all unchanged", *again.Counts[wpimport.KindPost], *again.Counts[wpimport.KindComment])
		}
		after, err := site.Store.TableChecksums(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if diff := diffChecksums(before, after); diff != "" {
			t.Errorf("importing again changed %s", diff)
		}

		// Deleted in the newsroom: the next import brings it back.
		var gone store.WPMapping
		for _, m := range mapped {
			if n := len(must(site.Store.ArticleComments(ctx, m.TargetID, nil))); n > 0 {
				gone = m
				break
			}
		}
		lost := len(must(site.Store.ArticleComments(ctx, gone.TargetID, nil)))
		if err := site.Store.DeleteArticle(ctx, gone.TargetID); err != nil {
			t.Fatal(err)
		}
		back, err := importFile(t, site.Store, file, wpimport.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if c := back.Counts[wpimport.KindPost]; c.Created != 1 || c.Unchanged != posts-1 {
			t.Errorf("after a deletion: posts %+v, want 1 created", *c)
		}
		if c := back.Counts[wpimport.KindComment]; c.Created < lost || c.Updated != 0 {
			t.Errorf("after a deletion: comments %+v, want at least its %d approved ones created", *c, lost)
		}
	})
}

// An import that fails after some batches of posts were stored leaves
// nothing behind either.
func TestGeneratedFailureRollsBack(t *testing.T) {
	var buf bytes.Buffer
	if err := benchdata.WriteWXR(context.Background(), &buf, benchdata.WXROptions{Posts: 1300, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	cancelledLeavesNothing(t, buf.Bytes(), 1200) // a batch of 500 posts stored by then
}

// A post twice in one file, the second a later version, is stored once
// and then updated — here while the first still waits in a full batch,
// set aside to be stored when the next batch fills.
func TestSamePostTwice(t *testing.T) {
	var buf bytes.Buffer
	if err := benchdata.WriteWXR(context.Background(), &buf, benchdata.WXROptions{Posts: 1100, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	items := strings.SplitAfter(buf.String(), "</item>")
	first := -1
	for i, it := range items {
		if strings.Contains(it, "<wp:post_type><![CDATA[post]]></wp:post_type>") && strings.Contains(it, "<wp:status><![CDATA[publish]]></wp:status>") {
			first = i
			break
		}
	}
	if first < 0 {
		t.Fatal("no published post in the export")
	}
	item := items[first][strings.Index(items[first], "<item>"):]
	title := regexp.MustCompile(`<title><!\[CDATA\[(.*?)\]\]></title>`).FindStringSubmatch(item)[1]
	later := "\n\t" + strings.Replace(item, title, title+", updated", 1)
	const at = 800 // after the first batch of 500 published posts filled
	items[at] += later
	file := filepath.Join(t.TempDir(), "twice.xml")
	if err := os.WriteFile(file, []byte(strings.Join(items, "")), 0o600); err != nil {
		t.Fatal(err)
	}
	id := regexp.MustCompile(`<wp:post_id>(\d+)</wp:post_id>`).FindStringSubmatch(item)[1]

	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		site := testutil.NewSiteOn(t, b)
		ctx := context.Background()
		sum, err := importFile(t, site.Store, file, wpimport.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if c := sum.Counts[wpimport.KindPost]; c.Updated != 1 {
			t.Errorf("posts %+v, want the one read twice updated", *c)
		}
		posts, err := site.Store.WPMappingsOfKind(ctx, sum.Site, wpimport.KindPost)
		if err != nil {
			t.Fatal(err)
		}
		a, err := site.Store.Article(ctx, posts[id].TargetID)
		if err != nil || a.Headline != title+", updated" {
			t.Fatalf("post %s became %v (%v), want headed %q", id, a, err, title+", updated")
		}
		res, err := site.Store.Search(ctx, news.SearchQuery{Text: title, Limit: 5})
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range res.Hits {
			if h.Article.ID != a.ID && strings.HasPrefix(h.Article.Headline, title) {
				t.Errorf("post %s stored twice: articles %d and %d", id, a.ID, h.Article.ID)
			}
		}
	})
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// TestFixtures imports each valid importer fixture into a fresh site.
func TestFixtures(t *testing.T) {
	tests := []struct {
		file         string
		posts, pages int
		check        func(t *testing.T, st *store.Store)
	}{
		{"valid-wxr-1.0.xml", 3, 3, nil},
		{"valid-wxr-1.1.xml", 1, 1, nil},
		{"small-export.xml", 6, 5, nil},
		{"e2e-wxr-comprehensive.xml", 1, 1, nil},
		{"crazy-cdata-escaped.xml", 1, 0, func(t *testing.T, st *store.Store) {
			res, err := st.Search(context.Background(), news.SearchQuery{Text: "nested", Limit: 5})
			hits := res.Hits
			if err != nil || len(hits) != 1 {
				t.Fatalf("search: %v %v", hits, err)
			}
			a, err := st.Article(context.Background(), hits[0].Article.ID)
			if err != nil {
				t.Fatal(err)
			}
			// In HTML, <![CDATA[ … ]]> is a comment: readers of the WordPress
			// page never saw it, and neither do Masthead's.
			if !strings.Contains(a.BodyHTML, "<p>Content with nested :)</p>") {
				t.Errorf("body %q\nrendered %q", a.Body, a.BodyHTML)
			}
		}},
		{"missing-tags.xml", 1, 0, nil},
		{"slashes.xml", 1, 0, nil},
		{"backslashes.xml", 1, 0, nil},
		{"post-content-blank-lines.xml", 1, 0, nil},
		{"namespace-edge-cases.xml", -1, -1, nil},
		{"authors-multiline.xml", -1, -1, nil},
		{"term-formats.xml", 0, 0, nil},
		{"multiple-cdata.xml", 1, 0, nil},
		{"cdata-edge.xml", 1, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			site := testutil.NewSite(t)
			sum, err := importFile(t, site.Store, fixture(t, tt.file), wpimport.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if tt.posts >= 0 && sum.Counts[wpimport.KindPost].Created != tt.posts || tt.pages >= 0 && sum.Counts[wpimport.KindPage].Created != tt.pages {
				var out bytes.Buffer
				_ = sum.Write(&out)
				t.Errorf("want %d posts and %d pages:\n%s", tt.posts, tt.pages, out.String())
			}
			if tt.check != nil {
				tt.check(t, site.Store)
			}
		})
	}
}

// BenchmarkImport imports the theme unit test export into a fresh SQLite
// site each time and reports posts and pages per second.
func BenchmarkImport(b *testing.B) {
	path := themeUnitTest(b)
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	items := 0
	for b.Loop() {
		b.StopTimer()
		site := testutil.NewSite(b)
		b.StartTimer()
		sum, err := wpimport.Import(context.Background(), site.Store, bytes.NewReader(data), wpimport.Options{})
		if err != nil {
			b.Fatal(err)
		}
		items += sum.Counts[wpimport.KindPost].Created + sum.Counts[wpimport.KindPage].Created
	}
	b.ReportMetric(float64(items)/b.Elapsed().Seconds(), "posts/s")
	b.SetBytes(int64(len(data)))
}

// BenchmarkImportGenerated imports a synthetic export of 2,000 posts
// (benchdata.WriteWXR: authors, categories, tags, attachments, comments)
// into an empty site, then imports it again unchanged; posts/s for each.
// For the 100,000-post figure use the command line (README, Moving from
// WordPress).
func BenchmarkImportGenerated(b *testing.B) {
	const posts = 2000
	var buf bytes.Buffer
	if err := benchdata.WriteWXR(context.Background(), &buf, benchdata.WXROptions{Posts: posts, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	for _, again := range []bool{false, true} {
		name := map[bool]string{false: "first", true: "again"}[again]
		b.Run(name, func(b *testing.B) {
			n := 0
			for b.Loop() {
				b.StopTimer()
				site := testutil.NewSite(b)
				if again {
					if _, err := wpimport.Import(context.Background(), site.Store, bytes.NewReader(data), wpimport.Options{}); err != nil {
						b.Fatal(err)
					}
				}
				b.StartTimer()
				var sum *wpimport.Summary
				var err error
				// Labelled, so a CPU profile can be narrowed to the timed
				// import: go tool pprof -tagfocus phase=again …
				pprof.Do(context.Background(), pprof.Labels("phase", name), func(ctx context.Context) {
					sum, err = wpimport.Import(ctx, site.Store, bytes.NewReader(data), wpimport.Options{})
				})
				if err != nil {
					b.Fatal(err)
				}
				c := sum.Counts[wpimport.KindPost]
				if again && c.Unchanged != c.Created+c.Updated+c.Unchanged {
					b.Fatalf("re-import changed posts: %+v", c)
				}
				n += c.Created + c.Updated + c.Unchanged
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "posts/s")
		})
	}
}

var _ = io.EOF

// TestOldLinks follows WordPress's addresses for the theme unit test site
// through the reader site: each answers 301 with the new address.
func TestOldLinks(t *testing.T) {
	site := testutil.NewSite(t)
	ctx := context.Background()
	path := themeUnitTest(t)
	sum, err := importFile(t, site.Store, path, wpimport.Options{})
	if err != nil {
		t.Fatal(err)
	}
	posts, err := site.Store.WPMappingsOfKind(ctx, sum.Site, wpimport.KindPost)
	if err != nil {
		t.Fatal(err)
	}
	markup, err := site.Store.Article(ctx, posts["1178"].TargetID)
	if err != nil || markup.Headline != "Markup: HTML Tags and Formatting" {
		t.Fatalf("post 1178: %v, %v", markup, err)
	}
	au, err := site.Store.StaffByEmail(ctx, "themereviewteam@gmail.com")
	if err != nil {
		t.Fatal(err)
	}
	srv := reader(t, site.Store)
	for _, tt := range []struct{ from, to string }{
		{"/?p=1178", "/" + markup.Path},
		{"/2013/01/11/markup-html-tags-and-formatting/", "/" + markup.Path},
		{"/?page_id=2", "/page/about"},
		{"/about/", "/page/about"},
		{"/level-1/level-2/level-3/", "/page/level-1/level-2/level-3"},
		{"/category/parent/", "/section/parent"},
		{"/category/parent/child-1/child-2/", "/section/child-2"},
		{"/category/parent/feed/", "/section/parent/feed.xml"},
		{"/tag/8bit/", "/tag/8bit"},
		{"/author/themereviewteam/", "/author/" + au.Slug},
		{"/feed/", "/feed.xml"},
		{"/feed/atom/", "/feed.atom"},
		{"/?s=markup", "/search?q=markup"},
	} {
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, tt.from, nil))
		if rec.Code != http.StatusMovedPermanently || rec.Header().Get("Location") != tt.to {
			t.Errorf("GET %s: %d → %q, want 301 → %q", tt.from, rec.Code, rec.Header().Get("Location"), tt.to)
			continue
		}
		rec = httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, tt.to, nil))
		if rec.Code != http.StatusOK {
			t.Errorf("GET %s (from %s): %d", tt.to, tt.from, rec.Code)
		}
	}
	for _, p := range []string{"/?p=999999", "/category/no-such-thing/", "/no/such/page/"} {
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, p, nil))
		if rec.Code != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", p, rec.Code)
		}
	}
}

// TestSpoolRemoved: the spool the first pass writes is gone once an
// import ends, whether it was imported, found malformed or failed.
func TestSpoolRemoved(t *testing.T) {
	data, err := os.ReadFile(themeUnitTest(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name    string
		data    []byte
		cancel  bool
		wantErr bool
	}{
		{"imported", data, false, false},
		{"malformed", data[:len(data)/2], false, true},
		{"cancelled", data, true, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			site := testutil.NewSite(t)
			dir := t.TempDir()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			opts := wpimport.Options{SpoolDir: dir, Progress: func(p wpimport.Progress) {
				if tt.cancel && p.Phase == "importing" && p.Items > 20 {
					cancel()
				}
			}}
			_, err := wpimport.Import(ctx, site.Store, bytes.NewReader(tt.data), opts)
			if (err != nil) != tt.wantErr {
				t.Fatalf("import: %v", err)
			}
			if left, _ := os.ReadDir(dir); len(left) != 0 {
				t.Errorf("left in the spool folder: %v", left)
			}
		})
	}
}
