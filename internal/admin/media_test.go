package admin_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"io/fs"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"masthead/internal/admin"
	"masthead/internal/media"
	"masthead/internal/news"
	service "masthead/internal/newsroom" // the name newsroom is the test server here
	"masthead/internal/render"
	"masthead/internal/testutil"
	"masthead/internal/web"
)

const uploadLimit = 1 << 20 // a small limit keeps the oversized test quick

// newMediaNewsroom is the whole site as `masthead serve` puts it together:
// the newsroom with a media library in a temporary folder, /media/ and the
// reader site, on one server.
func newMediaNewsroom(t *testing.T) *newsroom {
	t.Helper()
	files, err := media.NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return newMediaNewsroomOn(t, files)
}

// newMediaNewsroomOn is newMediaNewsroom with the media in files.
func newMediaNewsroomOn(t *testing.T, files media.Store) *newsroom {
	t.Helper()
	site := testutil.NewSite(t)
	eng, err := render.New(time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(testLog{t}, nil))
	site.Desk = service.New(site.Store, service.Config{Location: time.UTC, Media: files})
	desk := admin.New(site.Desk, eng, log, admin.Config{Secret: []byte("test"), MaxUploadBytes: uploadLimit})
	reader := web.New(site.Store, site.Desk, eng, log, web.Config{BaseURL: "http://masthead.test", Secret: []byte("test"), CacheBytes: -1})
	mux := http.NewServeMux()
	mux.Handle("GET /media/{key...}", media.Handler(files, slog.New(slog.DiscardHandler)))
	mux.Handle("/admin/", desk.Handler())
	mux.Handle("/", reader.Handler())
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &newsroom{site: site, srv: srv}
}

// testPhoto is a w×h JPEG, or a PNG with a see-through corner.
func testPhoto(t *testing.T, w, h int, format string) []byte {
	t.Helper()
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			a := uint8(255)
			if format == "png" && x < w/4 && y < h/4 {
				a = 0
			}
			m.SetNRGBA(x, y, color.NRGBA{uint8(x % 256), uint8(y % 256), uint8((x * y) % 256), a})
		}
	}
	var b bytes.Buffer
	var err error
	if format == "png" {
		err = png.Encode(&b, m)
	} else {
		err = jpeg.Encode(&b, m, &jpeg.Options{Quality: 85})
	}
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

type file struct {
	name string
	data []byte
}

// upload posts files the way the upload form does: the CSRF token (unless
// csrf is "-") first, then the files. accept "json" asks for JSON.
func (c *client) upload(csrf, accept string, files ...file) page {
	c.t.Helper()
	if csrf == "" {
		csrf = c.csrf
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	if csrf != "-" {
		mw.WriteField("csrf", csrf)
	}
	for _, f := range files {
		w, _ := mw.CreateFormFile("file", f.name)
		w.Write(f.data)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", c.base+"/admin/media", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if accept == "json" {
		req.Header.Set("Accept", "application/json")
	}
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return page{status: res.StatusCode, body: string(b), location: res.Header.Get("Location"), header: res.Header}
}

var (
	mediaIDPattern  = regexp.MustCompile(`^/admin/media/(\d+)\?done=(uploaded|exists)`)
	variantPattern  = regexp.MustCompile(`href="(/media/lib/[0-9a-f]{2}/[0-9a-f]{64}-\d+x\d+\.(?:jpg|png))"`)
	originalPattern = regexp.MustCompile(`href="(/media/lib/[0-9a-f]{2}/[0-9a-f]{64}\.(?:jpg|png))"`)
)

// uploaded uploads one image and returns its newsroom page.
func (c *client) uploaded(name string, data []byte) (path string, existing bool) {
	c.t.Helper()
	res := c.upload("", "", file{name, data})
	m := mediaIDPattern.FindStringSubmatch(res.location)
	if res.status != http.StatusSeeOther || m == nil {
		c.t.Fatalf("upload %s: %d %q\n%s", name, res.status, res.location, res.body)
	}
	return "/admin/media/" + m[1], m[2] == "exists"
}

// fetchImage downloads and decodes an image from the site.
func (c *client) fetchImage(path string) (image.Image, string) {
	c.t.Helper()
	res, err := c.http.Get(c.base + path)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != 200 {
		c.t.Fatalf("GET %s: %d", path, res.StatusCode)
	}
	m, format, err := image.Decode(res.Body)
	if err != nil {
		c.t.Fatalf("decode %s: %v", path, err)
	}
	return m, format
}

func TestMediaUploadMakesVariants(t *testing.T) {
	n := newMediaNewsroom(t)
	c, _ := n.signedIn(t, "Uma Uploader", news.RoleContributor)
	if res := c.get("/admin/media"); res.status != 200 || !strings.Contains(res.body, "No images yet") || !strings.Contains(res.body, `enctype="multipart/form-data"`) {
		t.Fatalf("empty library: %d", res.status)
	}
	tests := []struct {
		name       string
		data       []byte
		w, h       int
		format     string // of the variants
		widths     []int
		origFormat string
	}{
		{"harbour.jpg", testPhoto(t, 1800, 1200, "jpeg"), 1800, 1200, "jpeg", []int{480, 960, 1600}, "jpeg"},
		{"logo.png", testPhoto(t, 800, 500, "png"), 800, 500, "png", []int{480, 800}, "png"},
		{"tiny.jpg", testPhoto(t, 300, 200, "jpeg"), 300, 200, "jpeg", []int{300}, "jpeg"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c.t = t
			path, existing := c.uploaded(tt.name, tt.data)
			if existing {
				t.Fatal("a new image was reported as already in the library")
			}
			res := c.get(path + "?done=uploaded")
			if res.status != 200 || !strings.Contains(res.body, tt.name) || !strings.Contains(res.body, "no alt text yet") {
				t.Fatalf("item page: %d\n%s", res.status, res.body)
			}
			orig := originalPattern.FindStringSubmatch(res.body)
			if orig == nil {
				t.Fatal("no link to the original")
			}
			if m, f := c.fetchImage(orig[1]); m.Bounds().Dx() != tt.w || f != tt.origFormat {
				t.Errorf("original: %v %s", m.Bounds(), f)
			}
			var widths []int
			for _, v := range variantPattern.FindAllStringSubmatch(res.body, -1) {
				m, f := c.fetchImage(v[1])
				b := m.Bounds()
				if f != tt.format {
					t.Errorf("%s is %s, want %s", v[1], f, tt.format)
				}
				if b.Dx() > tt.w || b.Dy() > tt.h {
					t.Errorf("%s is %v, larger than the original %dx%d", v[1], b, tt.w, tt.h)
				}
				if !strings.HasSuffix(v[1], fmt.Sprintf("-%dx%d.%s", b.Dx(), b.Dy(), map[string]string{"jpeg": "jpg", "png": "png"}[f])) {
					t.Errorf("%s decodes to %v", v[1], b)
				}
				widths = append(widths, b.Dx())
			}
			if fmt.Sprint(widths) != fmt.Sprint(tt.widths) {
				t.Errorf("variant widths %v, want %v", widths, tt.widths)
			}
		})
	}
	c.t = t

	// The same bytes under another name: the existing item, nothing stored twice.
	first, _ := c.uploaded("harbour.jpg", tests[0].data)
	again, existing := c.uploaded("copy-of-harbour.jpg", tests[0].data)
	if !existing || again != first {
		t.Errorf("second upload: %s existing=%v, want %s", again, existing, first)
	}
	if res := c.get(again + "?done=exists"); !strings.Contains(res.body, "already in the library") {
		t.Error("no word that the image was already there")
	}
	lib := c.get("/admin/media")
	if !strings.Contains(lib.body, "3 images in the library") || strings.Contains(lib.body, "copy-of-harbour") {
		t.Errorf("library after a duplicate:\n%s", lib.body)
	}

	// A script (admin.js) gets JSON.
	res := c.upload("", "json", file{"again.jpg", tests[0].data})
	var out struct {
		Items []struct {
			ID       int64
			URL      string
			Existing bool
		}
	}
	if err := json.Unmarshal([]byte(res.body), &out); err != nil || res.status != 200 || len(out.Items) != 1 || !out.Items[0].Existing || !strings.HasPrefix(out.Items[0].URL, first+"?") {
		t.Errorf("JSON upload: %d %s", res.status, res.body)
	}
	// Several files in one plain form go back to the library.
	res = c.upload("", "", file{"one.jpg", testPhoto(t, 120, 90, "jpeg")}, file{"two.png", testPhoto(t, 90, 120, "png")})
	if res.status != http.StatusSeeOther || res.location != "/admin/media?done=uploaded" {
		t.Errorf("two files: %d %q", res.status, res.location)
	}
}

func TestMediaUploadRejects(t *testing.T) {
	n := newMediaNewsroom(t)
	c, _ := n.signedIn(t, "Rita Reject", news.RoleAuthor)
	c.get("/admin/media")
	photo := testPhoto(t, 200, 100, "jpeg")
	oversized := append(append([]byte{}, photo...), make([]byte, uploadLimit)...)
	tests := []struct {
		name   string
		csrf   string
		accept string
		files  []file
		status int
		msg    string
	}{
		{"text renamed .jpg", "", "", []file{{"notes.jpg", []byte("Meeting notes: the council voted 7 to 2.\n")}}, http.StatusUnsupportedMediaType, "not a JPEG, PNG, GIF or WebP image"},
		{"html renamed .png", "", "json", []file{{"page.png", []byte("<html><body>hi</body></html>")}}, http.StatusUnsupportedMediaType, `"error":"page.png: That file is not a JPEG`},
		{"damaged jpeg", "", "", []file{{"cut.jpg", photo[:300]}}, http.StatusUnprocessableEntity, "damaged or incomplete"},
		{"oversized", "", "", []file{{"huge.jpg", oversized}}, http.StatusRequestEntityTooLarge, "larger than 1 MB"},
		{"oversized, as JSON", "", "json", []file{{"huge.jpg", oversized}}, http.StatusRequestEntityTooLarge, "larger than 1 MB"},
		{"no CSRF token", "-", "", []file{{"ok.jpg", photo}}, http.StatusForbidden, "did not come from the newsroom"},
		{"forged CSRF token", "forged", "", []file{{"ok.jpg", photo}}, http.StatusForbidden, "did not come from the newsroom"},
		{"no file", "", "", nil, http.StatusBadRequest, "Choose an image"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := c.upload(tt.csrf, tt.accept, tt.files...)
			if res.status != tt.status || !strings.Contains(res.body, tt.msg) {
				t.Errorf("%d, want %d with %q\n%s", res.status, tt.status, tt.msg, res.body)
			}
		})
	}
	// A token placed after the file is too late: the file is refused unread.
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	w, _ := mw.CreateFormFile("file", "ok.jpg")
	w.Write(photo)
	mw.WriteField("csrf", c.csrf)
	mw.Close()
	req, _ := http.NewRequest("POST", c.base+"/admin/media", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if res, err := c.http.Do(req); err != nil || res.StatusCode != http.StatusForbidden {
		t.Errorf("token after the file: %v %v", res.StatusCode, err)
	}
	// Signed out: refused, not redirected.
	if res := n.browser(t).upload("x", "", file{"ok.jpg", photo}); res.status != http.StatusUnauthorized {
		t.Errorf("anonymous upload: %d", res.status)
	}
	// Cross-site posts are refused before anything else.
	req, _ = http.NewRequest("POST", c.base+"/admin/media", strings.NewReader("x"))
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if res, err := c.http.Do(req); err != nil || res.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site upload: %v", err)
	}
	if lib := c.get("/admin/media"); !strings.Contains(lib.body, "0 images in the library") {
		t.Error("a refused upload was stored")
	}
}

// With the media on an S3 server that is down, an upload is refused with
// 503 and a message, and nothing is recorded; a deletion stops before the
// image's record goes, so deleting again once the server is back finishes
// it.
func TestMediaS3Down(t *testing.T) {
	files, srv := testutil.S3Media(t)
	n := newMediaNewsroomOn(t, files)
	c, _ := n.signedIn(t, "Sana Stormcloud", news.RoleEditor)
	c.get("/admin/media")
	photo := testPhoto(t, 900, 600, "jpeg")

	srv.Stop()
	for _, accept := range []string{"", "json"} {
		res := c.upload("", accept, file{"harbour.jpg", photo})
		if res.status != http.StatusServiceUnavailable || !strings.Contains(res.body, "cannot be reached just now, so nothing was saved") {
			t.Errorf("upload (%q) with the store down: %d\n%.500s", accept, res.status, res.body)
		}
	}
	if lib := c.get("/admin/media"); !strings.Contains(lib.body, "0 images in the library") {
		t.Error("an upload that failed left a record")
	}

	srv.Restart(t)
	item, _ := c.uploaded("harbour.jpg", photo)
	objects := func() int {
		n := 0
		_ = filepath.WalkDir(filepath.Join(srv.Dir, "news"), func(_ string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				n++
			}
			return err
		})
		return n
	}
	if objects() < 2 {
		t.Fatalf("the bucket holds %d files after an upload, want the original and its variants", objects())
	}

	srv.Stop()
	res := c.post(item+"/delete", url.Values{"confirm": {"yes"}})
	if res.status != http.StatusServiceUnavailable || !strings.Contains(res.body, "still in the library") {
		t.Errorf("delete with the store down: %d\n%.500s", res.status, res.body)
	}
	if res := c.get(item); res.status != http.StatusOK {
		t.Errorf("after the failed delete the image's page answers %d", res.status)
	}
	srv.Restart(t)
	if res := c.post(item+"/delete", url.Values{"confirm": {"yes"}}); res.status != http.StatusSeeOther {
		t.Fatalf("delete again: %d\n%.500s", res.status, res.body)
	}
	if n := objects(); n != 0 {
		t.Errorf("%d files left in the bucket after the delete", n)
	}
}

func TestMediaRoles(t *testing.T) {
	n := newMediaNewsroom(t)
	owner, _ := n.signedIn(t, "Cora Contributor", news.RoleContributor)
	other, _ := n.signedIn(t, "Otto Other", news.RoleContributor)
	editor, _ := n.signedIn(t, "Eda Editor", news.RoleEditor)
	owner.get("/admin/media")
	item, _ := owner.uploaded("market.jpg", testPhoto(t, 600, 400, "jpeg"))
	words := func(alt string) url.Values {
		return url.Values{"alt": {alt}, "caption": {"Stalls on market day."}, "credit": {"Cora Contributor"}}
	}
	owner.get(item)
	if res := owner.post(item, words("Market stalls under striped awnings")); res.status != http.StatusSeeOther {
		t.Fatalf("uploader edits: %d %s", res.status, res.body)
	}
	// Another contributor may see and use the image but not change its words.
	res := other.get(item)
	if res.status != 200 || !strings.Contains(res.body, "Market stalls under striped awnings") || strings.Contains(res.body, `name="alt"`) {
		t.Fatalf("other contributor's view: %d", res.status)
	}
	if res := other.post(item, words("Vandalised")); res.status != http.StatusForbidden {
		t.Errorf("other contributor edited: %d", res.status)
	}
	if res := other.post(item+"/use", url.Values{"article": {"0"}}); res.status != http.StatusSeeOther {
		t.Errorf("other contributor used it: %d %s", res.status, res.body)
	}
	// Editors may change anyone's.
	editor.get(item)
	if res := editor.post(item, words("Market stalls, seen from the clock tower")); res.status != http.StatusSeeOther {
		t.Errorf("editor edits: %d", res.status)
	}
	if res := owner.get(item); !strings.Contains(res.body, "seen from the clock tower") {
		t.Error("editor's words not saved")
	}
	// Words are checked.
	if res := editor.post(item, words(strings.Repeat("a", 501))); res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "longer than 500") {
		t.Errorf("long alt text: %d", res.status)
	}
	// Searching finds it by its words and its file name.
	for q, want := range map[string]bool{"clock tower": true, "MARKET.JPG": true, "stalls on market": true, "harbour": false} {
		res := other.get("/admin/media?q=" + url.QueryEscape(q))
		if got := strings.Contains(res.body, `href="`+item+`"`); got != want {
			t.Errorf("search %q found it: %v, want %v", q, got, want)
		}
	}
	for p, want := range map[string]int{"/admin/media/999": 404, "/admin/media/x": 404, "/admin/media?article=999": 404} {
		if res := other.get(p); res.status != want {
			t.Errorf("GET %s: %d, want %d", p, res.status, want)
		}
	}
}

func TestMediaPagination(t *testing.T) {
	n := newMediaNewsroom(t)
	c, u := n.signedIn(t, "Pat Pages", news.RoleEditor)
	for i := range 25 {
		hash := fmt.Sprintf("%064x", i+1)
		it := &media.Item{Hash: hash, Key: media.OriginalKey(hash, media.JPEG), Filename: fmt.Sprintf("photo-%02d.jpg", i),
			ContentType: "image/jpeg", Width: 100, Height: 100, Bytes: 1000, UploadedBy: u.ID, CreatedAt: time.Now().Add(time.Duration(i) * time.Second)}
		if _, err := n.site.Store.CreateMedia(context.Background(), it); err != nil {
			t.Fatal(err)
		}
	}
	first := c.get("/admin/media")
	if !strings.Contains(first.body, "photo-24.jpg") || strings.Contains(first.body, "photo-00.jpg") || !strings.Contains(first.body, `href="/admin/media?page=2"`) {
		t.Errorf("first page:\n%s", first.body)
	}
	second := c.get("/admin/media?page=2")
	if !strings.Contains(second.body, "photo-00.jpg") || !strings.Contains(second.body, "Page 2 of 2") || !strings.Contains(second.body, `rel="prev" href="/admin/media"`) {
		t.Errorf("second page:\n%s", second.body)
	}
	if res := c.get("/admin/media?q=photo-1&page=2"); !strings.Contains(res.body, "10 images match") || !strings.Contains(res.body, "No image matches") {
		t.Errorf("search past its last page:\n%s", res.body)
	}
}

// TestLeadImageFromLibrary follows a writer choosing a lead image without
// JavaScript, through to the reader's article page.
func TestLeadImageFromLibrary(t *testing.T) {
	n := newMediaNewsroom(t)
	c, u := n.signedIn(t, "Lena Lead", news.RoleAuthor)
	edit := c.createArticle("Ferry returns to the harbour")
	c.get(edit)
	id := strings.TrimPrefix(edit, "/admin/articles/")
	ver := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(c.get(edit).body)[1]
	editor := c.get(edit)
	if !strings.Contains(editor.body, `formaction="/admin/media/pick?article=`+id+`"`) {
		t.Fatal("the editor has no way to the library")
	}
	// The editor's "Choose from the library" posts the form, unsaved text and all.
	form := url.Values{"version": {ver}, "headline": {"Ferry returns to the harbour after ten years"}, "body": {"The ferry is back."},
		"author": {fmt.Sprint(u.ID)}, "comments_open": {"1"}}
	res := c.post("/admin/media/pick?article="+id, form)
	if res.status != http.StatusSeeOther || res.location != "/admin/media?article="+id {
		t.Fatalf("pick: %d %q", res.status, res.location)
	}
	lib := c.get(res.location)
	if !strings.Contains(lib.body, "Choosing the lead image for") || !strings.Contains(lib.body, `name="article" value="`+id+`"`) {
		t.Fatalf("library in pick mode:\n%s", lib.body)
	}
	// Upload from there: the new image opens still choosing for the article.
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf", c.csrf)
	mw.WriteField("article", id)
	w, _ := mw.CreateFormFile("file", "ferry.jpg")
	w.Write(testPhoto(t, 2000, 1000, "jpeg"))
	mw.Close()
	req, _ := http.NewRequest("POST", c.base+"/admin/media", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	up, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	up.Body.Close()
	itemPage := up.Header.Get("Location")
	if up.StatusCode != http.StatusSeeOther || !strings.HasSuffix(itemPage, "&article="+id) {
		t.Fatalf("upload while choosing: %d %q", up.StatusCode, itemPage)
	}
	item := strings.SplitN(itemPage, "?", 2)[0]
	if res := c.get(itemPage); !strings.Contains(res.body, "Save and use as lead image") {
		t.Fatal("no way to use the image")
	}
	// Describe it and use it.
	res = c.post(item, url.Values{"alt": {"The white ferry moored at the old quay"}, "caption": {"Back in service."}, "credit": {"Lena Lead"},
		"article": {id}, "then": {"use"}})
	if res.status != http.StatusSeeOther || res.location != edit+"?restore=autosave&done=leadimage" {
		t.Fatalf("save and use: %d %q %s", res.status, res.location, res.body)
	}
	editor = c.get(res.location)
	lead := regexp.MustCompile(`name="image_url" value="(/media/lib/[^"]+-1600x800\.jpg)"`).FindStringSubmatch(editor.body)
	if lead == nil || !strings.Contains(editor.body, `value="The white ferry moored at the old quay"`) || !strings.Contains(editor.body, `value="Back in service."`) ||
		!strings.Contains(editor.body, `value="Ferry returns to the harbour after ten years"`) || !strings.Contains(editor.body, "Lead image chosen") {
		t.Fatalf("editor after choosing:\n%s", editor.body)
	}
	// Save and publish; the reader's page lists every variant.
	form.Set("image_url", lead[1])
	form.Set("image_alt", "The white ferry moored at the old quay")
	form.Set("image_caption", "Back in service.")
	form.Set("image_credit", "Lena Lead")
	if res := c.post(edit, form); res.status != http.StatusSeeOther {
		t.Fatalf("save: %d %s", res.status, res.body)
	}
	c.get(edit)
	if res := c.post(edit+"/workflow", url.Values{"action": {"publish"}}); res.status != http.StatusSeeOther {
		t.Fatalf("publish: %d %s", res.status, res.body)
	}
	a, err := n.site.Store.Article(context.Background(), mustAtoi(t, id))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{a.URLPath(), "/"} {
		res, err := http.Get(n.srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		page := string(b)
		base := strings.TrimSuffix(lead[1], "-1600x800.jpg")
		want := fmt.Sprintf(`src="%s" srcset="%s-480x240.jpg 480w, %s-960x480.jpg 960w, %s 1600w" sizes="`, lead[1], base, base, lead[1])
		if !strings.Contains(page, want) || !strings.Contains(page, `width="1600" height="800"`) {
			t.Errorf("%s has no srcset for the library image; want %s in\n%s", p, want, page)
		}
		// The same sizes in AVIF and WebP come first, in a <picture>; the
		// lead image is fetched before anything else.
		for _, ext := range []string{"avif", "webp"} {
			want := fmt.Sprintf(`<source type="image/%s" srcset="%s-480x240.%s 480w, %s-960x480.%s 960w, %s-1600x800.%s 1600w" sizes="`, ext, base, ext, base, ext, base, ext)
			if !strings.Contains(page, "<picture>"+`<source type="image/avif"`) || !strings.Contains(page, want) {
				t.Errorf("%s has no %s source for the library image; want %s in\n%s", p, ext, want, page)
			}
		}
		if !regexp.MustCompile(`<img src="` + regexp.QuoteMeta(lead[1]) + `"[^>]* fetchpriority="high">`).MatchString(page) {
			t.Errorf("%s: the lead image is not fetched first:\n%s", p, page)
		}
		if p == a.URLPath() && !strings.Contains(page, "Back in service.") {
			t.Error("the caption did not travel with the image")
		}
	}
	// A reader's browser that asks for the AVIF gets one, made there and then.
	avifURL := strings.TrimSuffix(lead[1], ".jpg") + ".avif"
	avifRes, err := http.Get(n.srv.URL + avifURL)
	if err != nil {
		t.Fatal(err)
	}
	avifRes.Body.Close()
	if avifRes.StatusCode != http.StatusOK || avifRes.Header.Get("Content-Type") != "image/avif" {
		t.Errorf("GET %s: %d %s", avifURL, avifRes.StatusCode, avifRes.Header.Get("Content-Type"))
	}

	// An image without alt text cannot lead a published article.
	bare, _ := c.uploaded("bare.png", testPhoto(t, 300, 300, "png"))
	draft := c.createArticle("A story with an undescribed picture")
	did := strings.TrimPrefix(draft, "/admin/articles/")
	if res := c.post(bare+"/use", url.Values{"article": {did}}); res.status != http.StatusSeeOther {
		t.Fatalf("use: %d", res.status)
	}
	editor = c.get(draft + "?restore=autosave")
	img := regexp.MustCompile(`name="image_url" value="([^"]+)"`).FindStringSubmatch(editor.body)
	ver = regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(editor.body)[1]
	if res := c.post(draft, url.Values{"version": {ver}, "headline": {"A story with an undescribed picture"}, "body": {"Words."},
		"author": {fmt.Sprint(u.ID)}, "image_url": {img[1]}}); res.status != http.StatusSeeOther {
		t.Fatalf("save: %d", res.status)
	}
	c.get(draft)
	if res := c.post(draft+"/workflow", url.Values{"action": {"publish"}}); res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "alt text") {
		t.Errorf("published without alt text: %d", res.status)
	}
}

func mustAtoi(t *testing.T, s string) int64 {
	var n int64
	if _, err := fmt.Sscan(s, &n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestNoMediaLibrary: a newsroom set up without media storage says so on
// every media page instead of failing.
func TestNoMediaLibrary(t *testing.T) {
	n := newNewsroom(t)
	c, _ := n.signedIn(t, "Nora Nomedia", news.RoleEditor)
	c.get("/admin/")
	tests := []struct {
		name string
		do   func() page
	}{
		{"library", func() page { return c.get("/admin/media") }},
		{"item", func() page { return c.get("/admin/media/1") }},
		{"save", func() page { return c.post("/admin/media/1", url.Values{"alt": {"x"}}) }},
		{"pick", func() page { return c.post("/admin/media/pick?article=0", url.Values{"headline": {"x"}}) }},
		{"upload", func() page { return c.upload("", "", file{"ok.jpg", testPhoto(t, 20, 20, "jpeg")}) }},
		{"upload, as JSON", func() page { return c.upload("", "json", file{"ok.jpg", testPhoto(t, 20, 20, "jpeg")}) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if res := tt.do(); res.status != http.StatusNotFound || !strings.Contains(res.body, "no media library set up") {
				t.Errorf("%d\n%s", res.status, res.body)
			}
		})
	}
}

// phoneTIFF is the EXIF a phone writes: its make, the orientation o, and
// where the photo was taken (a GPS IFD: 51° 30′ N).
func phoneTIFF(o uint16) []byte {
	be := binary.BigEndian
	t := []byte("MM\x00*\x00\x00\x00\x08")
	t = be.AppendUint16(t, 3)
	t = append(t, 0x01, 0x0F, 0, 2, 0, 0, 0, 9, 0, 0, 0, 50) // Make, ASCII, 9 bytes at 50
	t = append(t, 0x01, 0x12, 0, 3, 0, 0, 0, 1, byte(o>>8), byte(o), 0, 0)
	t = append(t, 0x88, 0x25, 0, 4, 0, 0, 0, 1, 0, 0, 0, 59) // GPS IFD at 59
	t = be.AppendUint32(t, 0)
	t = append(t, "PhoneCam\x00"...)
	t = be.AppendUint16(t, 1)
	t = append(t, 0x00, 0x02, 0, 5, 0, 0, 0, 3, 0, 0, 0, 77) // GPSLatitude, 3 RATIONALs at 77
	t = be.AppendUint32(t, 0)
	for _, v := range []uint32{51, 1, 30, 1, 2677, 100} {
		t = be.AppendUint32(t, v)
	}
	return t
}

// withEXIF puts EXIF into a JPEG (an APP1 segment after SOI) or a PNG (an
// eXIf chunk after IHDR, and a tEXt chunk naming the camera).
func withEXIF(img []byte, tiff []byte) []byte {
	var out []byte
	if bytes.HasPrefix(img, []byte{0xFF, 0xD8}) {
		seg := append([]byte("Exif\x00\x00"), tiff...)
		out = append(out, 0xFF, 0xD8, 0xFF, 0xE1)
		out = binary.BigEndian.AppendUint16(out, uint16(2+len(seg)))
		return append(append(out, seg...), img[2:]...)
	}
	chunk := func(typ string, body []byte) {
		out = binary.BigEndian.AppendUint32(out, uint32(len(body)))
		start := len(out)
		out = append(append(out, typ...), body...)
		out = binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(out[start:]))
	}
	out = append(out, img[:33]...) // signature and IHDR
	chunk("tEXt", []byte("Software\x00PhoneCam"))
	chunk("eXIf", tiff)
	return append(out, img[33:]...)
}

// servedEXIF reads the first IFD of the EXIF in a served image: its
// orientation, and the other tags it has.
func servedEXIF(b []byte) (orientation int, others []uint16) {
	i := bytes.Index(b, []byte("Exif\x00\x00"))
	if i >= 0 {
		i += 6
	} else if i = bytes.Index(b, []byte("eXIf")); i >= 0 {
		i += 4
	} else {
		return 0, nil
	}
	t := b[i:]
	if len(t) < 10 || string(t[:4]) != "MM\x00*" {
		return 0, []uint16{0xFFFF}
	}
	ifd := int(binary.BigEndian.Uint32(t[4:]))
	for k := range int(binary.BigEndian.Uint16(t[ifd:])) {
		e := t[ifd+2+12*k:]
		if tag := binary.BigEndian.Uint16(e); tag == 0x0112 {
			orientation = int(binary.BigEndian.Uint16(e[8:]))
		} else {
			others = append(others, tag)
		}
	}
	return orientation, others
}

// TestMediaOriginalIsStripped: the original of an upload is served without
// the camera's metadata — no GPS position, no make — but turned as the
// camera said and with the same pixels (issue 15, finding 5a).
func TestMediaOriginalIsStripped(t *testing.T) {
	n := newMediaNewsroom(t)
	c, _ := n.signedIn(t, "Pia Photographer", news.RoleContributor)
	c.get("/admin/media")
	tests := []struct {
		name        string
		data        []byte
		orientation int
		w, h        int // as shown
	}{
		{"phone.jpg", withEXIF(testPhoto(t, 160, 120, "jpeg"), phoneTIFF(6)), 6, 120, 160},
		{"screenshot.png", withEXIF(testPhoto(t, 120, 80, "png"), phoneTIFF(1)), 0, 120, 80},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c.t = t
			path, _ := c.uploaded(tt.name, tt.data)
			page := c.get(path)
			orig := originalPattern.FindStringSubmatch(page.body)
			if orig == nil {
				t.Fatal("no link to the original")
			}
			res, err := c.http.Get(c.base + orig[1])
			if err != nil {
				t.Fatal(err)
			}
			served, _ := io.ReadAll(res.Body)
			res.Body.Close()
			for _, secret := range []string{"PhoneCam", "tEXt", "\x88\x25"} {
				if bytes.Contains(served, []byte(secret)) {
					t.Errorf("the served original still holds %q", secret)
				}
			}
			if o, others := servedEXIF(served); o != tt.orientation || len(others) > 0 {
				t.Errorf("served EXIF: orientation %d and tags %x, want orientation %d and nothing else", o, others, tt.orientation)
			}
			want, _, err := image.Decode(bytes.NewReader(tt.data))
			if err != nil {
				t.Fatal(err)
			}
			got, _, err := image.Decode(bytes.NewReader(served))
			if err != nil {
				t.Fatalf("decode the served original: %v", err)
			}
			if !samePixels(want, got) {
				t.Error("the served original's pixels differ from the upload's")
			}
			if v := variantPattern.FindAllStringSubmatch(page.body, -1); len(v) == 0 {
				t.Error("no variants")
			} else if m, _ := c.fetchImage(v[len(v)-1][1]); m.Bounds().Dx() != tt.w || m.Bounds().Dy() != tt.h {
				t.Errorf("the top variant is %v, want %dx%d", m.Bounds(), tt.w, tt.h)
			}
		})
	}
}

func samePixels(a, b image.Image) bool {
	if a.Bounds() != b.Bounds() {
		return false
	}
	for y := a.Bounds().Min.Y; y < a.Bounds().Max.Y; y++ {
		for x := a.Bounds().Min.X; x < a.Bounds().Max.X; x++ {
			if a.At(x, y) != b.At(x, y) {
				return false
			}
		}
	}
	return true
}
