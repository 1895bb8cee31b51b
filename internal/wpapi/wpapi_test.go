package wpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/png"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"masthead/internal/auth"
	"masthead/internal/media"
	"masthead/internal/news"
	"masthead/internal/newsroom"
	"masthead/internal/testutil"
	"masthead/internal/wpapi"
)

type fixture struct {
	t       *testing.T
	site    *testutil.Site
	srv     *httptest.Server
	section *news.Section
}

func newFixture(t *testing.T, b testutil.Backend) *fixture {
	site := testutil.NewSiteOn(t, b)
	files, err := media.NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	site.Desk = newsroom.New(site.Store, newsroom.Config{Location: time.UTC, Media: files})
	api := wpapi.New(site.Desk, slog.New(slog.DiscardHandler), wpapi.Config{BaseURL: "http://example.test"})
	srv := httptest.NewServer(api.Handler())
	t.Cleanup(srv.Close)
	f := &fixture{t: t, site: site, srv: srv, section: site.Section(t, "City")}
	ann := site.Author(t, "Ann Other")
	for i := range 12 {
		f.site.Article(t, &news.Article{Headline: "Story " + strconv.Itoa(i), Authors: []news.Staff{ann}, Section: f.section,
			PublishedAt: time.Now().Add(-time.Duration(i+1) * time.Hour).Truncate(time.Second)})
	}
	site.Article(t, &news.Article{Headline: "Elsewhere", Authors: []news.Staff{ann}})
	return f
}

// password gives a new member of staff an application password.
func (f *fixture) password(name string, role news.Role) (news.Staff, string) {
	au := f.site.Staff(f.t, name, role, "correct horse battery")
	pw, hash := auth.NewAppPassword()
	if _, err := f.site.Store.CreateAppPassword(context.Background(), au.ID, "test", hash); err != nil {
		f.t.Fatal(err)
	}
	return au, pw
}

func (f *fixture) do(method, path, user, pw string, body io.Reader, header ...string) (*http.Response, []byte) {
	f.t.Helper()
	return f.request(f.t, method, path, user, pw, body, header...)
}

// request is do for a subtest, which must fail on its own t.
func (f *fixture) request(t testing.TB, method, path, user, pw string, body io.Reader, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, f.srv.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if user != "" {
		req.SetBasicAuth(user, pw)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, b
}

func TestREST(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		f := newFixture(t, b)
		res, body := f.do("GET", "/wp-json/", "", "", nil)
		if res.StatusCode != 200 || !bytes.Contains(body, []byte(`"wp/v2"`)) || !bytes.Contains(body, []byte(`"/wp/v2/posts"`)) {
			t.Errorf("index: %d %s", res.StatusCode, body)
		}

		// Listing: paging headers, shapes, _embed, filters.
		res, body = f.do("GET", "/wp-json/wp/v2/posts?per_page=5&page=2&_embed", "", "", nil)
		if res.StatusCode != 200 || res.Header.Get("X-WP-Total") != "13" || res.Header.Get("X-WP-TotalPages") != "3" {
			t.Fatalf("posts: %d total %q pages %q", res.StatusCode, res.Header.Get("X-WP-Total"), res.Header.Get("X-WP-TotalPages"))
		}
		if l := strings.Join(res.Header.Values("Link"), ", "); !strings.Contains(l, `page=1&per_page=5>; rel="prev"`) || !strings.Contains(l, `page=3&per_page=5>; rel="next"`) {
			t.Errorf("Link: %s", l)
		}
		var posts []struct {
			ID    int64 `json:"id"`
			Title struct {
				Rendered string `json:"rendered"`
			} `json:"title"`
			Content struct {
				Rendered string `json:"rendered"`
			} `json:"content"`
			Link       string  `json:"link"`
			Status     string  `json:"status"`
			Author     int64   `json:"author"`
			Categories []int64 `json:"categories"`
			Date       string  `json:"date"`
			Links      map[string][]struct {
				Href string `json:"href"`
			} `json:"_links"`
			Embedded struct {
				Author []struct {
					Name string `json:"name"`
				} `json:"author"`
				Term [][]struct {
					Name string `json:"name"`
				} `json:"wp:term"`
			} `json:"_embedded"`
		}
		if err := json.Unmarshal(body, &posts); err != nil {
			t.Fatal(err)
		}
		if len(posts) != 5 || posts[0].Status != "publish" || posts[0].Embedded.Author[0].Name != "Ann Other" ||
			posts[0].Embedded.Term[0][0].Name != "City" || !strings.Contains(posts[0].Content.Rendered, "<p>") ||
			!strings.HasPrefix(posts[0].Link, "http://example.test/") || len(posts[0].Links["self"]) != 1 {
			t.Errorf("posts: %s", body)
		}
		res, body = f.do("GET", "/wp-json/wp/v2/posts?categories="+strconv.FormatInt(f.section.ID, 10)+"&_fields=id,title", "", "", nil)
		if res.Header.Get("X-WP-Total") != "12" || bytes.Contains(body, []byte(`"content"`)) {
			t.Errorf("by category: %s %s", res.Header.Get("X-WP-Total"), body)
		}

		// Errors in WordPress's shape.
		for _, tt := range []struct {
			path   string
			status int
			code   string
		}{
			{"/wp-json/wp/v2/posts?per_page=500", 400, "rest_invalid_param"},
			{"/wp-json/wp/v2/posts/999999", 404, "rest_post_invalid_id"},
			{"/wp-json/wp/v2/nothing", 404, "rest_no_route"},
			{"/wp-json/wp/v2/posts?status=draft", 400, "rest_invalid_param"},
		} {
			res, body := f.do("GET", tt.path, "", "", nil)
			var e wpapi.Error
			if err := json.Unmarshal(body, &e); err != nil || res.StatusCode != tt.status || e.Code != tt.code || e.Data.Status != tt.status {
				t.Errorf("GET %s: %d %s", tt.path, res.StatusCode, body)
			}
		}

		// Writing: application passwords and the newsroom's roles.
		writer, pw := f.password("Wendy Writer", news.RoleAuthor)
		cub, cubPW := f.password("Carl Contributor", news.RoleContributor)
		post := `{"title":"From the API","content":"<p>Hello <strong>world</strong>.</p>","status":"publish","categories":[` + strconv.FormatInt(f.section.ID, 10) + `]}`
		if res, body := f.do("POST", "/wp-json/wp/v2/posts", "", "", strings.NewReader(post), "Content-Type", "application/json"); res.StatusCode != 401 {
			t.Errorf("anonymous create: %d %s", res.StatusCode, body)
		}
		if res, body := f.do("POST", "/wp-json/wp/v2/posts", writer.Email, "wrong", strings.NewReader(post), "Content-Type", "application/json"); res.StatusCode != 401 ||
			!bytes.Contains(body, []byte("incorrect_password")) || res.Header.Get("WWW-Authenticate") != "" {
			t.Errorf("wrong password: %d %s", res.StatusCode, body)
		}
		if res, body := f.do("POST", "/wp-json/wp/v2/posts", cub.Email, cubPW, strings.NewReader(post), "Content-Type", "application/json"); res.StatusCode != 403 {
			t.Errorf("a contributor publishing: %d %s", res.StatusCode, body)
		}
		res, body = f.do("POST", "/wp-json/wp/v2/posts", writer.Slug, pw, strings.NewReader(post), "Content-Type", "application/json")
		if res.StatusCode != 201 || res.Header.Get("Location") == "" {
			t.Fatalf("create: %d %s", res.StatusCode, body)
		}
		var created struct {
			ID     int64  `json:"id"`
			Status string `json:"status"`
			Link   string `json:"link"`
		}
		if err := json.Unmarshal(body, &created); err != nil || created.Status != "publish" {
			t.Fatalf("created: %s", body)
		}
		a, err := f.site.Store.Article(context.Background(), created.ID)
		if err != nil || a.Body != "Hello **world**.\n" || a.Section == nil || a.Authors[0].ID != writer.ID {
			t.Errorf("the created article: %+v %v", a, err)
		}
		res, body = f.do("POST", "/wp-json/wp/v2/posts/"+strconv.FormatInt(created.ID, 10), writer.Email, pw, strings.NewReader(`{"title":"Renamed"}`), "Content-Type", "application/json")
		if res.StatusCode != 200 || !bytes.Contains(body, []byte("Renamed")) {
			t.Errorf("update: %d %s", res.StatusCode, body)
		}

		// Media: a PNG as the body, named by Content-Disposition.
		var img bytes.Buffer
		if err := png.Encode(&img, image.NewRGBA(image.Rect(0, 0, 32, 24))); err != nil {
			t.Fatal(err)
		}
		res, body = f.do("POST", "/wp-json/wp/v2/media?alt_text=A+blank+square", writer.Email, pw, &img, "Content-Type", "image/png", "Content-Disposition", `attachment; filename="blank.png"`)
		if res.StatusCode != 201 || !bytes.Contains(body, []byte(`"alt_text":"A blank square"`)) || !bytes.Contains(body, []byte(`"source_url":"http://example.test/media/`)) {
			t.Errorf("upload: %d %s", res.StatusCode, body)
		}
		res, body = f.do("POST", "/wp-json/wp/v2/media", writer.Email, pw, strings.NewReader("not an image"), "Content-Disposition", `attachment; filename="x.png"`)
		if res.StatusCode != 415 {
			t.Errorf("upload of text: %d %s", res.StatusCode, body)
		}

		// Revoked passwords stop working.
		list, err := f.site.Store.AppPasswords(context.Background(), writer.ID)
		if err != nil || len(list) != 1 || list[0].LastUsedAt.IsZero() {
			t.Fatalf("passwords: %+v %v", list, err)
		}
		if err := f.site.Store.RevokeAppPassword(context.Background(), writer.ID, list[0].ID); err != nil {
			t.Fatal(err)
		}
		if res, _ := f.do("GET", "/wp-json/wp/v2/users/me", writer.Email, pw, nil); res.StatusCode != 401 {
			t.Errorf("a revoked password: %d", res.StatusCode)
		}
	})
}

func TestDiscovery(t *testing.T) {
	site := testutil.NewSite(t)
	api := wpapi.New(site.Desk, slog.New(slog.DiscardHandler), wpapi.Config{BaseURL: "https://news.example"})
	h := api.Discovery(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	if got := rec.Header().Get("Link"); got != `<https://news.example/wp-json/>; rel="https://api.w.org/"` {
		t.Errorf("Link: %q", got)
	}
}

// Basic authentication answers an unknown user exactly as a wrong password,
// so it never says which accounts exist, and a client address that keeps
// failing is throttled (issue 15, finding 10).
func TestBasicAuthFailures(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		f := newFixture(t, b)
		writer, pw := f.password("Wendy Writer", news.RoleAuthor)
		_, otherPW := f.password("Oscar Other", news.RoleAuthor)
		const path = "/wp-json/wp/v2/users/me"
		var first []byte
		for i, tt := range []struct{ name, user, pw string }{
			{"an unknown user", "nobody@example.test", pw},
			{"a wrong password", writer.Email, "abcd efgh ijkl mnop qrst uvwx"},
			{"someone else's password", writer.Email, otherPW},
		} {
			res, body := f.do("GET", path, tt.user, tt.pw, nil)
			if res.StatusCode != http.StatusUnauthorized || !bytes.Contains(body, []byte(`"code":"incorrect_password"`)) {
				t.Errorf("%s: %d %s", tt.name, res.StatusCode, body)
			}
			if i == 0 {
				first = body
			} else if !bytes.Equal(body, first) {
				t.Errorf("%s answers %s; an unknown user %s", tt.name, body, first)
			}
		}
		// Twenty failures from one address in all: three so far.
		for range 17 {
			f.do("GET", path, writer.Email, "abcd efgh ijkl mnop qrst uvwx", nil)
		}
		res, body := f.do("GET", path, writer.Email, pw, nil)
		if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" || !bytes.Contains(body, []byte(`"code":"rest_too_many_requests"`)) {
			t.Errorf("the right password after twenty failures: %d %q %s", res.StatusCode, res.Header.Get("Retry-After"), body)
		}
	})
}
