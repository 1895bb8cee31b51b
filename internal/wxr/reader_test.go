package wxr_test

import (
	"errors"
	"io"
	"os"
	"reflect"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"masthead/internal/testutil"
	"masthead/internal/wxr"
)

// export is a whole WXR file read into memory, for tests.
type export struct {
	Header  *wxr.Header
	Authors []*wxr.Author
	Terms   []*wxr.Term
	Items   []*wxr.Item
	records int
}

// read reads every record of src. It returns what was read before an error
// along with the error; a clean io.EOF is not an error.
func read(src io.Reader) (export, error) {
	var e export
	r := wxr.NewReader(src)
	for {
		rec, err := r.Next()
		if err == io.EOF {
			return e, nil
		}
		if err != nil {
			return e, err
		}
		e.records++
		switch rec := rec.(type) {
		case *wxr.Header:
			e.Header = rec
		case *wxr.Author:
			e.Authors = append(e.Authors, rec)
		case *wxr.Term:
			e.Terms = append(e.Terms, rec)
		case *wxr.Item:
			e.Items = append(e.Items, rec)
		}
	}
}

func fixturePath(t testing.TB, name string) string {
	t.Helper()
	return testutil.SharedData(t, "wordpress", "importer-fixtures", name)
}

func themePath(t testing.TB) string {
	t.Helper()
	return testutil.SharedData(t, "wordpress", "themeunittestdata.wordpress.xml")
}

func readFile(t testing.TB, path string) (export, error) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return read(f)
}

func mustRead(t testing.TB, path string) export {
	t.Helper()
	e, err := readFile(t, path)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	if e.Header == nil {
		t.Fatalf("read %s: no header", path)
	}
	return e
}

func (e export) count(postType string) int {
	n := 0
	for _, it := range e.Items {
		if it.PostType == postType {
			n++
		}
	}
	return n
}

func (e export) taxonomy(tax string) []*wxr.Term {
	var out []*wxr.Term
	for _, t := range e.Terms {
		if t.Taxonomy == tax {
			out = append(out, t)
		}
	}
	return out
}

func (e export) postmeta() int {
	n := 0
	for _, it := range e.Items {
		n += len(it.Meta)
	}
	return n
}

func (e export) comments() int {
	n := 0
	for _, it := range e.Items {
		n += len(it.Comments)
	}
	return n
}

func (e export) item(t *testing.T, id int64) *wxr.Item {
	t.Helper()
	for _, it := range e.Items {
		if it.PostID == id {
			return it
		}
	}
	t.Fatalf("no item with post_id %d", id)
	return nil
}

func logins(as []*wxr.Author) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.Login)
	}
	return out
}

func equal[T any](t *testing.T, what string, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s = %#v, want %#v", what, got, want)
	}
}

// TestFixtures reads every well-formed importer fixture and checks its
// counts and the values the WordPress importer's own tests care about.
func TestFixtures(t *testing.T) {
	type counts struct {
		version                         string
		posts, pages                    int
		authors, cats, tags, otherTerms int
		postmeta, comments              int
	}
	tests := []struct {
		file  string
		want  counts
		check func(t *testing.T, e export)
	}{
		{"valid-wxr-1.0.xml", counts{"1.0", 3, 3, 0, 5, 4, 0, 13, 1}, func(t *testing.T, e export) {
			equal(t, "base_site_url", e.Header.BaseSiteURL, "http://localhost/")
			child := e.taxonomy(wxr.TaxonomyCategory)[4]
			equal(t, "child category", *child, wxr.Term{Taxonomy: "category", Slug: "child", Name: "child", Parent: "parent"})
			// 1.0 lists each term twice and calls tags "tag"; Terms irons that out.
			equal(t, "post 4 terms", e.item(t, 4).Terms(), []wxr.Category{
				{Domain: "category", Nicename: "alpha", Name: "alpha"},
				{Domain: "post_tag", Nicename: "news", Name: "news"},
				{Domain: "post_tag", Nicename: "roar", Name: "roar"},
			})
			equal(t, "post 4 raw categories", len(e.item(t, 4).Categories), 6)
		}},
		{"valid-wxr-1.1.xml", counts{"1.1", 1, 1, 1, 1, 1, 1, 1, 1}, func(t *testing.T, e export) {
			equal(t, "header", *e.Header, wxr.Header{
				Title: "Export Datasets", Link: "http://localhost/", Description: "Just another WordPress site",
				PubDate: "Sat, 16 Oct 2010 20:53:18 +0000", Language: "en", Version: "1.1",
				BaseSiteURL: "http://localhost/", BaseBlogURL: "http://localhost/",
			})
			equal(t, "author", *e.Authors[0], wxr.Author{ID: 2, Login: "john", Email: "johndoe@example.org",
				DisplayName: "John Doe", FirstName: "John", LastName: "Doe"})
			equal(t, "custom term", *e.taxonomy("post_tax")[0], wxr.Term{ID: 40, Taxonomy: "post_tax",
				Slug: "bieup", Name: "bieup", Description: "The bieup post_tax"})
			it := e.item(t, 1)
			equal(t, "title", it.Title, "Hello world!")
			equal(t, "content", it.Content, "Welcome to WordPress. This is your first post. Edit or delete it, then start blogging!")
			equal(t, "post_name", it.PostName, "hello-world")
		}},
		{"small-export.xml", counts{"1.1", 6, 5, 3, 30, 3, 0, 17, 1}, func(t *testing.T, e export) {
			equal(t, "logins", logins(e.Authors), []string{"admin", "editor", "author"})
			var fooBar *wxr.Term
			for _, c := range e.taxonomy(wxr.TaxonomyCategory) {
				if c.Slug == "foo-bar" {
					fooBar = c
				}
			}
			equal(t, "foo-bar", *fooBar, wxr.Term{ID: 5, Taxonomy: "category", Slug: "foo-bar", Name: "Foo",
				Parent: "bar", Description: "The child foo category"})
			c := e.item(t, 1).Comments[0]
			equal(t, "comment", c, wxr.Comment{ID: 1, Author: "Mr WordPress", AuthorURL: "http://wordpress.org/",
				Date: "2011-01-18 07:40:14", DateGMT: "2011-01-18 07:40:14",
				Content:  "Hi, this is a comment.<br />To delete a comment, just log in and view the post&#039;s comments. There you will have the option to edit or delete them.",
				Approved: "1"})
			drafts := 0
			for _, it := range e.Items {
				if it.Status == "draft" {
					drafts++
				}
			}
			equal(t, "drafts", drafts, 1)
		}},
		{"e2e-wxr-comprehensive.xml", counts{"1.2", 1, 1, 2, 2, 2, 0, 1, 1}, func(t *testing.T, e export) {
			equal(t, "updates parent", e.taxonomy(wxr.TaxonomyCategory)[1].Parent, "news")
			it := e.item(t, 1000)
			equal(t, "excerpt", it.Excerpt, "An excerpt for comprehensive post")
			equal(t, "creator", it.Creator, "alice")
			equal(t, "categories", it.Categories, []wxr.Category{
				{"category", "news", "News"}, {"category", "updates", "Updates"},
				{"post_tag", "t1", "T1"}, {"post_tag", "t2", "T2"},
			})
			equal(t, "postmeta", it.Meta, []wxr.Meta{{"custom_key", "custom_value"}})
			equal(t, "comment", it.Comments[0], wxr.Comment{ID: 5000, Author: "Commenter",
				AuthorEmail: "commenter@example.com", AuthorIP: "127.0.0.1",
				Date: "2024-06-06 10:00:00", DateGMT: "2024-06-06 10:00:00", Content: "Great post!", Approved: "1",
				Meta: []wxr.Meta{{"rating", "5"}, {"note", "vip"}}})
			equal(t, "page author", e.item(t, 2000).Creator, "bob")
			equal(t, "page comment_status", e.item(t, 2000).CommentStatus, "closed")
		}},
		{"crazy-cdata-escaped.xml", counts{"1.1", 1, 0, 0, 0, 0, 0, 3, 0}, func(t *testing.T, e export) {
			it := e.item(t, 1)
			equal(t, "content", it.Content, "Content with nested <![CDATA[ tags ]]> :)")
			equal(t, "postmeta", it.Meta, []wxr.Meta{
				{"Plain string", "Foo"},
				{"Closing CDATA", "]]>"},
				{"Alot of CDATA", "This has <![CDATA[ opening and ]]> closing <![CDATA[ tags like this: ]]>"},
			})
		}},
		{"cdata-edge.xml", counts{"1.2", 1, 0, 0, 0, 0, 0, 0, 0}, func(t *testing.T, e export) {
			equal(t, "content", e.item(t, 1).Content, "ends with sequence ]] >")
		}},
		{"multiple-cdata.xml", counts{"1.2", 1, 0, 0, 0, 0, 0, 0, 0}, func(t *testing.T, e export) {
			// Adjacent sections concatenate; the newlines around them are
			// element text too and are kept.
			equal(t, "content", e.item(t, 1).Content, "\nline oneline twoline three\n")
		}},
		{"missing-tags.xml", counts{"1.2", 1, 0, 0, 0, 0, 0, 0, 0}, func(t *testing.T, e export) {
			equal(t, "item", *e.item(t, 1), wxr.Item{PostID: 1, Title: "No Author Post", PostType: "post",
				Status: "publish", Content: "text"})
		}},
		{"slashes.xml", counts{"1.1", 1, 0, 1, 1, 1, 0, 1, 1}, func(t *testing.T, e export) {
			equal(t, "category", e.taxonomy(wxr.TaxonomyCategory)[0].Name, `a \"great\" category`)
			equal(t, "tag", e.taxonomy(wxr.TaxonomyTag)[0].Name, `foo\'bar`)
			it := e.item(t, 1)
			equal(t, "content", it.Content, `Slashes aren\'t \"cool\"`)
			equal(t, "item category", it.Categories[0].Name, `a \"great\" category`)
			equal(t, "comment", it.Comments[0].Content, `\o/ ¯\_(ツ)_/¯`)
		}},
		{"backslashes.xml", counts{"1.2", 1, 0, 0, 0, 0, 0, 0, 0}, func(t *testing.T, e export) {
			equal(t, "content", e.item(t, 1).Content, `C:\xampp\htdocs\wp-content`)
		}},
		{"term-formats.xml", counts{"1.2", 0, 0, 0, 2, 3, 2, 0, 0}, func(t *testing.T, e export) {
			equal(t, "base_site_url", e.Header.BaseSiteURL, "http://localhost/")
			equal(t, "tags", e.taxonomy(wxr.TaxonomyTag)[1:], []*wxr.Term{
				{ID: 4, Taxonomy: "post_tag", Slug: "a-color", Name: "A Random Color"},
				{ID: 5, Taxonomy: "post_tag", Slug: "another-tag", Name: "Another Tag"},
			})
			equal(t, "custom term", *e.taxonomy("custom-taxonomy")[0], wxr.Term{ID: 6, Taxonomy: "custom-taxonomy",
				Slug: "custom-taxonomy-item", Name: "Custom Taxonomy Item"})
			equal(t, "menu", *e.taxonomy("nav_menu")[0], wxr.Term{ID: 7, Taxonomy: "nav_menu", Slug: "menu", Name: "Menu"})
		}},
		{"authors-multiline.xml", counts{"1.2", 1, 0, 3, 0, 0, 0, 0, 0}, func(t *testing.T, e export) {
			equal(t, "logins", logins(e.Authors), []string{"alice", "bob", "carol"})
			equal(t, "ids", []int64{e.Authors[0].ID, e.Authors[1].ID, e.Authors[2].ID}, []int64{1, 2, 3})
		}},
		{"post-content-blank-lines.xml", counts{"1.1", 1, 0, 1, 0, 0, 0, 0, 0}, func(t *testing.T, e export) {
			equal(t, "content", e.item(t, 1).Content,
				"This is an example of a WordPress post.\n\t\tIt has lines with text (and one blank line).\n\nAnd more lines with text.")
		}},
		{"namespace-edge-cases.xml", counts{"1.2", 5, 0, 2, 2, 0, 0, 1, 0}, func(t *testing.T, e export) {
			// The author under a fake namespace is not an author; the one
			// under the 1.1 namespace is (both WXR versions are accepted).
			equal(t, "logins", logins(e.Authors), []string{"real_user", "version_conflict"})
			equal(t, "term ids", []int64{e.Terms[0].ID, e.Terms[1].ID}, []int64{100, 102})
			var titles []string
			var ids []int64
			for _, it := range e.Items {
				titles = append(titles, it.Title)
				ids = append(ids, it.PostID)
			}
			equal(t, "titles", titles, []string{"Mixed Namespaces", "No Prefix", "Empty Namespace",
				"Unicode Namespace", "Hijacked Namespace", "Namespace Bomb"})
			// "Mixed": wp:post_id 1 and alt:post_id 999 share the URI; the
			// first wins. "No Prefix": post_id in the default namespace.
			// "Hijacked": wp: is rebound, so it has no WordPress fields.
			equal(t, "post ids", ids, []int64{1, 2, 3, 4, 0, 6})
			equal(t, "mixed postmeta", e.Items[0].Meta, []wxr.Meta{{"normal_key", "normal_value"}})
			hijacked := e.Items[4]
			equal(t, "hijacked", *hijacked, wxr.Item{Title: "Hijacked Namespace",
				Content: "This attempts to hijack the wp namespace"})
			equal(t, "bomb content", e.Items[5].Content, "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			e := mustRead(t, fixturePath(t, tt.file))
			got := counts{
				version:    e.Header.Version,
				posts:      e.count("post"),
				pages:      e.count("page"),
				authors:    len(e.Authors),
				cats:       len(e.taxonomy(wxr.TaxonomyCategory)),
				tags:       len(e.taxonomy(wxr.TaxonomyTag)),
				otherTerms: len(e.Terms) - len(e.taxonomy(wxr.TaxonomyCategory)) - len(e.taxonomy(wxr.TaxonomyTag)),
				postmeta:   e.postmeta(),
				comments:   e.comments(),
			}
			if got != tt.want {
				t.Errorf("counts = %+v\n          want %+v", got, tt.want)
			}
			if tt.check != nil {
				tt.check(t, e)
			}
		})
	}
}

// TestBadFixtures checks that malformed and unversioned files fail cleanly,
// before any record is returned, with an error saying what is wrong.
func TestBadFixtures(t *testing.T) {
	tests := []struct {
		file     string
		syntax   bool // a *wxr.SyntaxError, else ErrNotWXR
		line     int
		contains string
	}{
		{"malformed.xml", true, 90, "closed by </channel>"},
		{"malformed-simple.xml", true, 14, "unexpected EOF"},
		{"crazy-cdata.xml", true, 18, "]]>"},
		{"missing-version-tag.xml", false, 0, "not a WordPress export: missing or invalid WXR version"},
		{"invalid-version-tag.xml", false, 0, "not a WordPress export: missing or invalid WXR version"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			e, err := readFile(t, fixturePath(t, tt.file))
			if err == nil {
				t.Fatal("no error")
			}
			if e.records != 0 {
				t.Errorf("%d records returned before the error", e.records)
			}
			if !strings.Contains(err.Error(), tt.contains) {
				t.Errorf("error %q does not contain %q", err, tt.contains)
			}
			var se *wxr.SyntaxError
			switch {
			case tt.syntax && !errors.As(err, &se):
				t.Fatalf("error %v (%T) is not a *wxr.SyntaxError", err, err)
			case tt.syntax:
				if se.Line != tt.line {
					t.Errorf("line = %d, want %d", se.Line, tt.line)
				}
				if !strings.Contains(err.Error(), "line ") {
					t.Errorf("error %q does not name the line", err)
				}
			case !errors.Is(err, wxr.ErrNotWXR):
				t.Errorf("error %v is not ErrNotWXR", err)
			}
		})
	}
}

const minimalHead = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
<wp:wxr_version>1.2</wp:wxr_version>
`

func TestReaderEdgeCases(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		records int    // records returned before the error (or EOF)
		err     string // "" for a clean read
		is      error
	}{
		{"empty input", "", 0, "not a WordPress export: the file has no root element", wxr.ErrNotWXR},
		{"not XML", "{\"posts\": []}", 0, "not a WordPress export: the file has no root element", wxr.ErrNotWXR},
		{"binary", "\x00\x01PK", 0, "XML error at line 1", nil},
		{"HTML", "<html><body>hi</body></html>", 0, "the root element is <html>, not <rss>", wxr.ErrNotWXR},
		{"rss without channel", `<rss version="2.0"><foo/></rss>`, 0, "<rss> has no <channel>", wxr.ErrNotWXR},
		{"plain RSS feed", `<rss version="2.0"><channel><title>Blog</title><item><title>Post</title></item></channel></rss>`,
			0, "missing or invalid WXR version", wxr.ErrNotWXR},
		{"version in wrong namespace", `<rss xmlns:wp="http://example.com/"><channel><wp:wxr_version>1.2</wp:wxr_version></channel></rss>`,
			0, "missing or invalid WXR version", wxr.ErrNotWXR},
		{"header only", minimalHead + "</channel></rss>", 1, "", nil},
		{"https namespace", `<rss xmlns:wp="https://wordpress.org/export/1.2/"><channel><wp:wxr_version>1.2</wp:wxr_version>` +
			`<item><wp:post_id>7</wp:post_id></item></channel></rss>`, 2, "", nil},
		{"cut after channel", minimalHead + "<item></item></channel>", 2, "unexpected EOF", nil},
		{"cut inside CDATA", minimalHead + "<item><content:encoded><![CDATA[abc", 0, "line 5", nil},
		{"bad post_id", minimalHead + "<item>\n<wp:post_id>12x</wp:post_id></item></channel></rss>", 0,
			`line 6: <post_id> is "12x", not a whole number`, nil},
		{"unsupported charset", `<?xml version="1.0" encoding="EBCDIC"?><rss/>`, 0, `unsupported character encoding "EBCDIC"`, nil},
		{"trailing garbage", minimalHead + "</channel></rss><rss>", 0, "XML error", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := read(strings.NewReader(tt.in))
			if e.records != tt.records {
				t.Errorf("records = %d, want %d", e.records, tt.records)
			}
			if tt.err == "" {
				if err != nil {
					t.Fatalf("error: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Fatalf("error = %v, want one containing %q", err, tt.err)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("error %v is not %v", err, tt.is)
			}
		})
	}
}

func TestReaderSticky(t *testing.T) {
	r := wxr.NewReader(strings.NewReader(minimalHead + "</channel></rss>"))
	if _, err := r.Next(); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		if _, err := r.Next(); err != io.EOF {
			t.Fatalf("Next after the end = %v, want io.EOF", err)
		}
	}
}

func TestReaderLatin1(t *testing.T) {
	// "Café – 5 €" in windows-1252: é is 0xE9, the dash 0x96, the euro 0x80.
	doc := "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n" +
		`<rss xmlns:wp="http://wordpress.org/export/1.1/"><channel><wp:wxr_version>1.1</wp:wxr_version>` +
		"<item><title>Caf\xe9 \x96 5 \x80</title></item></channel></rss>"
	e, err := read(strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "title", e.Items[0].Title, "Café – 5 €")
}

func TestReaderHTMLEntities(t *testing.T) {
	e, err := read(strings.NewReader(minimalHead + "<item><title>A&nbsp;B &amp; C&hellip;</title></item></channel></rss>"))
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "title", e.Items[0].Title, "A\u00a0B & C…")
}

// TestThemeUnitTestData imports the Theme Unit Test export and checks its
// counts against the shared README and against an independent scan of the
// raw file.
func TestThemeUnitTestData(t *testing.T) {
	path := themePath(t)
	e := mustRead(t, path)
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	scan := scanCounts(string(raw))

	var got themeCounts
	got.types = make(map[string]int)
	for _, it := range e.Items {
		got.types[it.PostType]++
		got.statuses = addTo(got.statuses, it.Status)
		if it.IsSticky {
			got.sticky++
		}
		if it.PostPassword != "" {
			got.passwords++
		}
		if it.PostParent != 0 {
			got.withParent++
		}
		got.postmeta += len(it.Meta)
		for _, c := range it.Comments {
			got.comments++
			if c.Parent != 0 {
				got.threaded++
			}
		}
	}
	got.terms = len(e.Terms)
	got.authors = len(e.Authors)

	// The README's numbers.
	readme := map[string]int{
		"post": 58, "page": 21, "attachment": 37, "nav_menu_item": 70,
	}
	equal(t, "item types", got.types, readme)
	checks := []struct {
		what            string
		got, scan, want int
	}{
		{"comments", got.comments, scan.comments, 33},
		{"threaded comments", got.threaded, scan.threaded, 10},
		{"sticky", got.sticky, scan.sticky, 1},
		{"password-protected", got.passwords, scan.passwords, 1},
		{"draft", got.statuses["draft"], scan.statuses["draft"], 1},
		{"future", got.statuses["future"], scan.statuses["future"], 1},
		{"with post_parent", got.withParent, scan.withParent, 73},
		{"postmeta", got.postmeta, scan.postmeta, 737},
		{"channel terms", got.terms, scan.terms, 185},
		{"authors", got.authors, scan.authors, 2},
	}
	for _, c := range checks {
		if c.got != c.want || c.scan != c.want {
			t.Errorf("%s: reader %d, raw scan %d, README %d", c.what, c.got, c.scan, c.want)
		}
	}
	equal(t, "item types (scan)", scan.types, got.types)
	equal(t, "statuses (scan)", scan.statuses, got.statuses)

	equal(t, "header", *e.Header, wxr.Header{
		Title: "Theme Unit Test Data", Link: "https://wpthemetestdata.wordpress.com",
		Description: "Just another WordPress website with a purposefully really long description",
		PubDate:     "Tue, 27 Jan 2015 14:56:57 +0000", Language: "en", Version: "1.2",
		BaseSiteURL: "https://wordpress.com/", BaseBlogURL: "https://wpthemetestdata.wordpress.com",
	})
	for _, it := range e.Items {
		if it.PostPassword != "" {
			equal(t, "password", it.PostPassword, "enter")
		}
		if it.PostType == "attachment" && !strings.HasPrefix(it.AttachmentURL, "https://") {
			t.Errorf("attachment %d: attachment_url %q", it.PostID, it.AttachmentURL)
		}
	}
}

type themeCounts struct {
	types                                             map[string]int
	statuses                                          map[string]int
	comments, threaded, sticky, passwords, withParent int
	postmeta, terms, authors                          int
}

func addTo(m map[string]int, k string) map[string]int {
	if m == nil {
		m = make(map[string]int)
	}
	m[k]++
	return m
}

// scanCounts counts by regular expressions over the raw text, sharing no
// code with the reader. It relies on the file using the "wp:" prefix.
func scanCounts(doc string) themeCounts {
	value := func(tag string) *regexp.Regexp {
		return regexp.MustCompile(`<wp:` + tag + `>(?:<!\[CDATA\[)?(.*?)(?:\]\]>)?</wp:` + tag + `>`)
	}
	all := func(tag string) []string {
		var out []string
		for _, m := range value(tag).FindAllStringSubmatch(doc, -1) {
			out = append(out, m[1])
		}
		return out
	}
	c := themeCounts{types: map[string]int{}, statuses: map[string]int{}}
	for _, v := range all("post_type") {
		c.types[v]++
	}
	for _, v := range all("status") {
		c.statuses[v]++
	}
	c.comments = strings.Count(doc, "<wp:comment>")
	for _, v := range all("comment_parent") {
		if v != "0" {
			c.threaded++
		}
	}
	for _, v := range all("is_sticky") {
		if v == "1" {
			c.sticky++
		}
	}
	for _, v := range all("post_password") {
		if v != "" {
			c.passwords++
		}
	}
	for _, v := range all("post_parent") {
		if v != "0" {
			c.withParent++
		}
	}
	c.postmeta = strings.Count(doc, "<wp:postmeta>")
	c.terms = strings.Count(doc, "<wp:category>") + strings.Count(doc, "<wp:tag>") + strings.Count(doc, "<wp:term>")
	c.authors = strings.Count(doc, "<wp:author>")
	return c
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   string
		want string
		err  bool
	}{
		{"2023-01-16 07:08:31", "2023-01-16T07:08:31Z", false},
		{" 2023-01-16 07:08:31\n", "2023-01-16T07:08:31Z", false},
		{"0000-00-00 00:00:00", "0001-01-01T00:00:00Z", false},
		{"", "0001-01-01T00:00:00Z", false},
		{"16/01/2023", "", true},
	}
	for _, tt := range tests {
		got, err := wxr.ParseDate(tt.in, time.UTC)
		if (err != nil) != tt.err {
			t.Errorf("ParseDate(%q) error = %v", tt.in, err)
			continue
		}
		if err == nil && got.Format("2006-01-02T15:04:05Z07:00") != tt.want {
			t.Errorf("ParseDate(%q) = %v, want %s", tt.in, got, tt.want)
		}
	}
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip("no time zone database")
	}
	got, err := wxr.ParseDate("2023-07-01 12:00:00", paris)
	if err != nil || !got.Equal(time.Date(2023, 7, 1, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("ParseDate in Paris = %v, %v", got, err)
	}
	equal(t, "FormatDate", wxr.FormatDate(got), "2023-07-01 12:00:00")
	equal(t, "FormatDate(zero)", wxr.FormatDate(time.Time{}), "0000-00-00 00:00:00")
}

// TestReaderMemoryIsFlat streams a generated export far larger than the
// heap bound through the reader and samples the live heap as it goes.
func TestReaderMemoryIsFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("streams about 70 MB")
	}
	const items = 20000
	body := strings.Repeat("<p>A paragraph of the story, long enough to weigh something.</p>\n", 30) // ~2 KB
	pr, pw := io.Pipe()
	go func() {
		w := wxr.NewWriter(pw)
		err := w.Write(&wxr.Header{Title: "Big"})
		for i := range items {
			if err != nil {
				break
			}
			err = w.Write(&wxr.Item{PostID: int64(i + 1), Title: "Story", Content: body, PostType: "post",
				Meta: []wxr.Meta{{"k", "v"}}, Comments: []wxr.Comment{{ID: 1, Content: "First!"}}})
		}
		if err == nil {
			err = w.Close()
		}
		pw.CloseWithError(err)
	}()
	r := wxr.NewReader(pr)
	var ms runtime.MemStats
	var peak uint64
	n := 0
	for {
		rec, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := rec.(*wxr.Item); ok {
			n++
			if n%1000 == 0 {
				runtime.GC()
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapAlloc)
			}
		}
	}
	if n != items {
		t.Fatalf("read %d items, want %d", n, items)
	}
	t.Logf("read %d MB; peak live heap %.1f MB", r.InputOffset()>>20, float64(peak)/(1<<20))
	if r.InputOffset() < 40<<20 {
		t.Fatalf("only %d bytes streamed", r.InputOffset())
	}
	if peak > 16<<20 {
		t.Errorf("live heap reached %d bytes reading the stream; memory should not grow with the file", peak)
	}
}
