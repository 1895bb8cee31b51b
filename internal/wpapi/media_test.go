package wpapi_test

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"image"
	"image/png"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"masthead/internal/news"
	"masthead/internal/testutil"
)

// TestMediaRoutes follows an image through /wp/v2/media: uploaded by a
// contributor, read by anyone, its words changed only by its uploader and
// those who may edit any article.
func TestMediaRoutes(t *testing.T) {
	f := newFixture(t, testutil.SiteBackend())
	var img bytes.Buffer
	if err := png.Encode(&img, image.NewRGBA(image.Rect(0, 0, 40, 30))); err != nil {
		t.Fatal(err)
	}
	uploader, upw := f.password("Cora Contributor", news.RoleContributor)
	res, body := f.do("POST", "/wp-json/wp/v2/media?alt_text=A+blank+frame", uploader.Email, upw, bytes.NewReader(img.Bytes()),
		"Content-Type", "image/png", "Content-Disposition", `attachment; filename="frame.png"`)
	var item struct {
		ID      int64  `json:"id"`
		AltText string `json:"alt_text"`
		Author  int64  `json:"author"`
		Caption struct {
			Rendered string `json:"rendered"`
		} `json:"caption"`
	}
	if err := json.Unmarshal(body, &item); err != nil || res.StatusCode != http.StatusCreated || item.AltText != "A blank frame" || item.Author != uploader.ID {
		t.Fatalf("upload: %d %s", res.StatusCode, body)
	}
	path := "/wp-json/wp/v2/media/" + strconv.FormatInt(item.ID, 10)

	other, opw := f.password("Otto Other", news.RoleContributor)
	author, apw := f.password("Ava Author", news.RoleAuthor)
	editor, epw := f.password("Eda Editor", news.RoleEditor)
	admin, dpw := f.password("Adi Admin", news.RoleAdmin)
	tests := []struct {
		name, user, pw string
		body           string
		status         int
		want           string
	}{
		{"anonymous", "", "", `{"alt_text":"x"}`, http.StatusUnauthorized, "rest_not_logged_in"},
		{"another contributor", other.Email, opw, `{"alt_text":"Vandalised"}`, http.StatusForbidden, "rest_cannot_edit"},
		{"an author", author.Email, apw, `{"alt_text":"Vandalised"}`, http.StatusForbidden, "rest_cannot_edit"},
		{"the uploader", uploader.Email, upw, `{"caption":"<b>Empty</b> frame."}`, http.StatusOK, `"alt_text":"A blank frame"`},
		{"an editor", editor.Email, epw, `{"alt_text":"An empty frame"}`, http.StatusOK, `"rendered":"\u003cp\u003eEmpty frame.\u003c/p\u003e\n"`},
		{"an admin", admin.Email, dpw, `{"alt_text":"An empty picture frame"}`, http.StatusOK, `"alt_text":"An empty picture frame"`},
		{"too long", admin.Email, dpw, `{"alt_text":"` + strings.Repeat("a", 501) + `"}`, http.StatusBadRequest, "longer than 500"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := f.do("POST", path, tt.user, tt.pw, strings.NewReader(tt.body), "Content-Type", "application/json")
			if res.StatusCode != tt.status || !strings.Contains(string(body), tt.want) {
				t.Errorf("%d %s, want %d with %s", res.StatusCode, body, tt.status, tt.want)
			}
		})
	}

	// Uploading the same image again gives the existing item; the second
	// uploader's words are ignored, as they may not change them.
	res, body = f.do("POST", "/wp-json/wp/v2/media?alt_text=Mine+now", other.Email, opw, bytes.NewReader(img.Bytes()),
		"Content-Type", "image/png", "Content-Disposition", `attachment; filename="copy.png"`)
	if res.StatusCode != http.StatusOK || !strings.Contains(string(body), `"alt_text":"An empty picture frame"`) {
		t.Errorf("second upload: %d %s", res.StatusCode, body)
	}

	// Staff read the library.
	for p, want := range map[string]int{path: 200, "/wp-json/wp/v2/media": 200, "/wp-json/wp/v2/media?search=picture": 200, "/wp-json/wp/v2/media/999": 404} {
		res, body := f.do("GET", p, other.Email, opw, nil)
		if res.StatusCode != want || (want == 200 && !strings.Contains(string(body), "An empty picture frame")) {
			t.Errorf("GET %s: %d %s", p, res.StatusCode, body)
		}
	}
	if res, body := f.do("GET", "/wp-json/wp/v2/media?search=harbour", other.Email, opw, nil); res.StatusCode != 200 || string(body) != "[]" {
		t.Errorf("search for nothing: %d %s", res.StatusCode, body)
	}
}

// TestMediaSeenByRole: over REST, members of staff list and read the
// whole library; anyone else only the images published articles use —
// not one uploaded for a draft, nor one no article uses (issue 15,
// finding 5b).
func TestMediaSeenByRole(t *testing.T) {
	f := newFixture(t, testutil.SiteBackend())
	writer, wpw := f.password("Cora Contributor", news.RoleContributor)
	upload := func(name string, shade uint8) int64 {
		m := image.NewGray(image.Rect(0, 0, 40, 30))
		for i := range m.Pix {
			m.Pix[i] = shade
		}
		var img bytes.Buffer
		if err := png.Encode(&img, m); err != nil {
			t.Fatal(err)
		}
		res, body := f.do("POST", "/wp-json/wp/v2/media?alt_text=A+grey+field", writer.Email, wpw, bytes.NewReader(img.Bytes()),
			"Content-Type", "image/png", "Content-Disposition", `attachment; filename="`+name+`.png"`)
		var item struct {
			ID int64 `json:"id"`
		}
		if err := json.Unmarshal(body, &item); err != nil || res.StatusCode != http.StatusCreated {
			t.Fatalf("upload %s: %d %s", name, res.StatusCode, body)
		}
		return item.ID
	}
	published, draft, unused := upload("published", 10), upload("draft", 20), upload("unused", 30)
	ed, epw := f.password("Eda Editor", news.RoleEditor)
	use := func(email, pw string, id int64, status string) {
		res, body := f.do("POST", "/wp-json/wp/v2/posts", email, pw,
			strings.NewReader(fmt.Sprintf(`{"title":"With a picture","content":"<p>Words.</p>","featured_media":%d,"status":%q}`, id, status)),
			"Content-Type", "application/json")
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("post using %d: %d %s", id, res.StatusCode, body)
		}
	}
	use(writer.Email, wpw, draft, "draft")
	use(ed.Email, epw, published, "publish")

	staff := map[string][2]string{"anonymous": {"", ""}, "contributor": {writer.Email, wpw}, "editor": {ed.Email, epw}}
	for _, r := range []news.Role{news.RoleAuthor, news.RoleAdmin} {
		u, pw := f.password("Staff "+string(r), r)
		staff[string(r)] = [2]string{u.Email, pw}
	}
	all := []int64{published, draft, unused}
	tests := []struct {
		name string
		want []int64
	}{
		{"anonymous", []int64{published}},
		{"contributor", all},
		{"author", all},
		{"editor", all},
		{"admin", all},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cred := staff[tt.name]
			res, body := f.do("GET", "/wp-json/wp/v2/media", cred[0], cred[1], nil)
			var list []struct {
				ID int64 `json:"id"`
			}
			if err := json.Unmarshal(body, &list); err != nil || res.StatusCode != 200 {
				t.Fatalf("list: %d %s", res.StatusCode, body)
			}
			var got []int64
			for _, it := range list {
				got = append(got, it.ID)
			}
			slices.Sort(got)
			if !slices.Equal(got, tt.want) || res.Header.Get("X-WP-Total") != strconv.Itoa(len(tt.want)) {
				t.Errorf("listed %v (X-WP-Total %s), want %v", got, res.Header.Get("X-WP-Total"), tt.want)
			}
			for _, id := range all {
				want := http.StatusNotFound
				if slices.Contains(tt.want, id) {
					want = http.StatusOK
				}
				if res, body := f.do("GET", "/wp-json/wp/v2/media/"+strconv.FormatInt(id, 10), cred[0], cred[1], nil); res.StatusCode != want {
					t.Errorf("read %d: %d %s, want %d", id, res.StatusCode, body, want)
				}
			}
		})
	}
}

// TestUploadBomb: a small PNG that would take gigabytes to decode is
// refused with a 422 that says why (issue 15, finding 6).
func TestUploadBomb(t *testing.T) {
	f := newFixture(t, testutil.SiteBackend())
	u, pw := f.password("Cora Contributor", news.RoleContributor)
	var bomb bytes.Buffer
	chunk := func(typ string, data []byte) {
		bomb.Write(binary.BigEndian.AppendUint32(nil, uint32(len(data))))
		c := append([]byte(typ), data...)
		bomb.Write(binary.BigEndian.AppendUint32(c, crc32.ChecksumIEEE(c)))
	}
	bomb.WriteString("\x89PNG\r\n\x1a\n")
	chunk("IHDR", []byte{0, 0, 0x09, 0xC4, 0, 0, 0x4E, 0x20, 16, 2, 0, 0, 0}) // 2500×20000, 16-bit RGB
	var idat bytes.Buffer
	z := zlib.NewWriter(&idat)
	row := make([]byte, 1+6*2500)
	for range 20_000 {
		z.Write(row)
	}
	z.Close()
	chunk("IDAT", idat.Bytes())
	chunk("IEND", nil)
	res, body := f.do("POST", "/wp-json/wp/v2/media", u.Email, pw, bytes.NewReader(bomb.Bytes()),
		"Content-Type", "image/png", "Content-Disposition", `attachment; filename="bomb.png"`)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(body), "MB of memory") {
		t.Errorf("bomb upload: %d %s", res.StatusCode, body)
	}
}

// TestPageRoutes: a page made through /wp/v2/pages is a page, not a post.
func TestPageRoutes(t *testing.T) {
	f := newFixture(t, testutil.SiteBackend())
	writer, pw := f.password("Eda Editor", news.RoleEditor) // pages are for editors
	res, body := f.do("POST", "/wp-json/wp/v2/pages", writer.Email, pw, strings.NewReader(`{"slug":""}`), "Content-Type", "application/json")
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "A page needs a title or a slug.") {
		t.Errorf("a page without a title: %d %s", res.StatusCode, body)
	}
	res, body = f.do("POST", "/wp-json/wp/v2/pages", writer.Email, pw, strings.NewReader(`{"title":"About the Courier","content":"<p>Founded in 1881.</p>","status":"publish"}`), "Content-Type", "application/json")
	var page struct {
		ID     int64  `json:"id"`
		Type   string `json:"type"`
		Parent *int64 `json:"parent"`
	}
	if err := json.Unmarshal(body, &page); err != nil || res.StatusCode != http.StatusCreated || page.Type != "page" || page.Parent == nil {
		t.Fatalf("create page: %d %s", res.StatusCode, body)
	}
	id := strconv.FormatInt(page.ID, 10)
	for p, want := range map[string]int{"/wp-json/wp/v2/pages/" + id: 200, "/wp-json/wp/v2/posts/" + id: 404} {
		if res, body := f.do("GET", p, "", "", nil); res.StatusCode != want {
			t.Errorf("GET %s: %d %s", p, res.StatusCode, body)
		}
	}
	res, body = f.do("GET", "/wp-json/wp/v2/pages", "", "", nil)
	if res.StatusCode != 200 || !strings.Contains(string(body), `"slug":"about-the-courier"`) || !strings.Contains(string(body), `"menu_order":0`) {
		t.Errorf("pages: %d %s", res.StatusCode, body)
	}
}
