package newsroom_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/png"
	"slices"
	"strings"
	"testing"
	"time"

	"masthead/internal/media"
	"masthead/internal/news"
	"masthead/internal/newsroom"
	"masthead/internal/testutil"
)

// mediaDesk is a newsroom with a media library in a temporary folder, and
// one member of staff of each role.
func mediaDesk(t *testing.T) (*newsroom.Service, map[news.Role]news.Actor) {
	t.Helper()
	desk, _, staff := mediaDeskOn(t, testutil.SiteBackend())
	return desk, staff
}

func mediaDeskOn(t *testing.T, b testutil.Backend) (*newsroom.Service, *testutil.Site, map[news.Role]news.Actor) {
	t.Helper()
	site := testutil.NewSiteOn(t, b)
	files, err := media.NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	staff := site.StaffByRole(t, "Staff", "a long password")
	site.Desk = newsroom.New(site.Store, newsroom.Config{Location: time.UTC, Media: files})
	return site.Desk, site, staff
}

// viewer is the member of staff an actor is, as the surfaces pass them.
func viewer(a news.Actor) *news.Staff { return &news.Staff{ID: a.ID, Role: a.Role} }

// pngOf is a small PNG, different for each shade.
func pngOf(t *testing.T, shade uint8) []byte {
	t.Helper()
	m := image.NewGray(image.Rect(0, 0, 40, 30))
	for i := range m.Pix {
		m.Pix[i] = shade
	}
	m.SetGray(0, 0, color.Gray{Y: shade + 1})
	var b bytes.Buffer
	if err := png.Encode(&b, m); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestUploadImage(t *testing.T) {
	ctx := context.Background()
	desk, staff := mediaDesk(t)
	tests := []struct {
		name    string
		actor   news.Actor
		data    []byte
		wantErr error
	}{
		{"contributor", staff[news.RoleContributor], pngOf(t, 10), nil},
		{"author", staff[news.RoleAuthor], pngOf(t, 20), nil},
		{"editor", staff[news.RoleEditor], pngOf(t, 30), nil},
		{"admin", staff[news.RoleAdmin], pngOf(t, 40), nil},
		{"no role", news.Actor{ID: staff[news.RoleAdmin].ID, Role: "reader"}, pngOf(t, 50), news.ErrForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			it, existing, err := desk.UploadImage(ctx, tt.actor, newsroom.Upload{Name: tt.name + ".png", Data: tt.data})
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("error %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			if existing || it.UploadedBy != tt.actor.ID || it.Filename != tt.name+".png" {
				t.Errorf("uploaded %+v, existing=%v", it, existing)
			}
		})
	}

	// The same bytes again: the existing item, and its words stay the
	// uploader's unless the second uploader may change them.
	owner, other, editor := staff[news.RoleContributor], staff[news.RoleAuthor], staff[news.RoleEditor]
	first, _, err := desk.UploadImage(ctx, owner, newsroom.Upload{Name: "quay.png", Data: pngOf(t, 60), Alt: "The quay at dawn"})
	if err != nil || first.Alt != "The quay at dawn" {
		t.Fatalf("upload with alt text: %+v %v", first, err)
	}
	again, existing, err := desk.UploadImage(ctx, other, newsroom.Upload{Name: "copy.png", Data: pngOf(t, 60), Alt: "Overwritten"})
	if err != nil || !existing || again.ID != first.ID || again.Alt != "The quay at dawn" {
		t.Errorf("another writer's upload of the same image: %+v existing=%v %v", again, existing, err)
	}
	again, _, err = desk.UploadImage(ctx, editor, newsroom.Upload{Name: "copy.png", Data: pngOf(t, 60), Caption: "Fishing boats."})
	if err != nil || again.Caption != "Fishing boats." || again.Alt != "" {
		t.Errorf("an editor's upload of the same image (alt and caption travel together): %+v %v", again, err)
	}

	// Refusals store nothing.
	var rej *media.RejectError
	if _, _, err := desk.UploadImage(ctx, owner, newsroom.Upload{Name: "notes.png", Data: []byte("not an image")}); !errors.As(err, &rej) || rej.Status != 415 {
		t.Errorf("text as an image: %v", err)
	}
	var fe news.FieldErrors
	if _, _, err := desk.UploadImage(ctx, owner, newsroom.Upload{Name: "long.png", Data: pngOf(t, 70), Alt: strings.Repeat("a", 501)}); !errors.As(err, &fe) || fe["alt"] == "" {
		t.Errorf("over-long alt text: %v", err)
	}
	if _, total, err := desk.MediaLibrary(ctx, viewer(owner), media.Filter{Limit: 10}); err != nil || total != 5 {
		t.Errorf("library holds %d, want 5 (%v)", total, err)
	}
}

func TestUpdateMediaText(t *testing.T) {
	ctx := context.Background()
	desk, staff := mediaDesk(t)
	uploader := staff[news.RoleContributor]
	it, _, err := desk.UploadImage(ctx, uploader, newsroom.Upload{Name: "market.png", Data: pngOf(t, 90)})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		actor   news.Actor
		text    newsroom.MediaText
		wantErr error
	}{
		{"the uploader", uploader, newsroom.MediaText{Alt: "Stalls", Caption: "Market day.", Credit: "C. Contributor"}, nil},
		{"another contributor", news.Actor{ID: uploader.ID + 100, Role: news.RoleContributor}, newsroom.MediaText{Alt: "Vandalised"}, news.ErrForbidden},
		{"an author", staff[news.RoleAuthor], newsroom.MediaText{Alt: "Vandalised"}, news.ErrForbidden},
		{"an editor", staff[news.RoleEditor], newsroom.MediaText{Alt: "Stalls from the clock tower"}, nil},
		{"an admin", staff[news.RoleAdmin], newsroom.MediaText{Alt: "Stalls", Credit: "Staff"}, nil},
		{"too long", staff[news.RoleEditor], newsroom.MediaText{Alt: "ok", Caption: strings.Repeat("c", 1001), Credit: strings.Repeat("é", 201)}, news.FieldErrors{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, err := desk.MediaItem(ctx, viewer(uploader), it.ID)
			if err != nil {
				t.Fatal(err)
			}
			got, err := desk.UpdateMediaText(ctx, tt.actor, it.ID, tt.text)
			if desk.MayEditMediaText(tt.actor, before) != !errors.Is(err, news.ErrForbidden) {
				t.Errorf("MayEditMediaText disagrees with UpdateMediaText (%v)", err)
			}
			after, _ := desk.MediaItem(ctx, viewer(uploader), it.ID)
			if tt.wantErr == nil {
				if err != nil || got.Alt != tt.text.Alt || after.Alt != tt.text.Alt || after.Caption != tt.text.Caption || after.Credit != tt.text.Credit {
					t.Errorf("got %+v, stored %+v, %v", got, after, err)
				}
				return
			}
			var fe news.FieldErrors
			if _, wantFE := tt.wantErr.(news.FieldErrors); wantFE {
				if !errors.As(err, &fe) || fe["caption"] == "" || fe["credit"] == "" || fe["alt"] != "" || got == nil {
					t.Errorf("error %v, item %v", err, got)
				}
			} else if !errors.Is(err, tt.wantErr) {
				t.Errorf("error %v, want %v", err, tt.wantErr)
			}
			if after.Alt != before.Alt || after.Caption != before.Caption || after.Credit != before.Credit {
				t.Errorf("refused words were stored: %+v", after)
			}
		})
	}
	if _, err := desk.UpdateMediaText(ctx, staff[news.RoleAdmin], it.ID+1000, newsroom.MediaText{}); !errors.Is(err, news.ErrNotFound) {
		t.Errorf("unknown image: %v", err)
	}
}

func TestMediaLibrarySearch(t *testing.T) {
	ctx := context.Background()
	desk, staff := mediaDesk(t)
	for i, alt := range []string{"Ferry at the quay", "Council chamber", "The old ferry"} {
		if _, _, err := desk.UploadImage(ctx, staff[news.RoleAuthor], newsroom.Upload{Name: "photo.png", Data: pngOf(t, uint8(10*i)), Alt: alt}); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		query        string
		limit, total int
		want         []string
	}{
		{"", 10, 3, []string{"The old ferry", "Council chamber", "Ferry at the quay"}},
		{"FERRY", 10, 2, []string{"The old ferry", "Ferry at the quay"}},
		{"ferry", 1, 2, []string{"The old ferry"}},
		{"harbour", 10, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			items, total, err := desk.MediaLibrary(ctx, viewer(staff[news.RoleContributor]), media.Filter{Query: tt.query, Limit: tt.limit})
			var got []string
			for _, it := range items {
				got = append(got, it.Alt)
			}
			if err != nil || total != tt.total || strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("got %q of %d (%v), want %q of %d", got, total, err, tt.want, tt.total)
			}
		})
	}
}

func TestNoMediaLibrary(t *testing.T) {
	ctx := context.Background()
	site := testutil.NewSite(t)
	u := site.Staff(t, "Ed Itor", news.RoleEditor, "a long password")
	actor := news.Actor{ID: u.ID, Role: u.Role}
	desk := site.Desk // configured without a media store
	if desk.HasMediaLibrary() {
		t.Fatal("a newsroom without media claims a library")
	}
	for name, call := range map[string]func() error{
		"upload": func() error {
			_, _, err := desk.UploadImage(ctx, actor, newsroom.Upload{Name: "x.png", Data: pngOf(t, 1)})
			return err
		},
		"list": func() error { _, _, err := desk.MediaLibrary(ctx, viewer(actor), media.Filter{Limit: 1}); return err },
		"item": func() error { _, err := desk.MediaItem(ctx, viewer(actor), 1); return err },
		"text": func() error { _, err := desk.UpdateMediaText(ctx, actor, 1, newsroom.MediaText{}); return err },
	} {
		if err := call(); !errors.Is(err, newsroom.ErrNoLibrary) {
			t.Errorf("%s: %v, want ErrNoLibrary", name, err)
		}
	}
}

// TestMediaSeenByRole: members of staff see the whole library; anyone
// else only the images published articles use, as lead image or in their
// body — not uploads for a draft, nor ones no article uses (issue 15,
// finding 5b).
func TestMediaSeenByRole(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		ctx := context.Background()
		desk, site, staff := mediaDeskOn(t, b)
		writer := staff[news.RoleContributor]
		items := map[string]*media.Item{}
		for i, name := range []string{"lead", "inline", "dropped", "draft", "unused"} {
			it, _, err := desk.UploadImage(ctx, writer, newsroom.Upload{Name: name + ".png", Data: pngOf(t, uint8(20*i))})
			if err != nil {
				t.Fatal(err)
			}
			items[name] = it
		}
		site.Article(t, &news.Article{Headline: "With a lead image", LeadImage: &news.Image{URL: items["lead"].LeadURL(), Alt: "A lead"}})
		a := site.Article(t, &news.Article{Headline: "With pictures in the text", Authors: []news.Staff{site.Author(t, "Ann Other")},
			Body: "First.\n\n![Inline](" + items["inline"].URL() + ")\n\n![Dropped](http://masthead.test" + items["dropped"].LeadURL() + ")"})
		if _, err := desk.Create(ctx, writer, news.Snapshot{Headline: "A draft", ImageURL: items["draft"].LeadURL()}); err != nil {
			t.Fatal(err)
		}
		// An edit takes a picture out of a published article: it is no
		// longer published work's.
		snap := a.Snapshot()
		snap.Body = "First.\n\n![Inline](" + items["inline"].URL() + ")"
		if _, err := desk.Save(ctx, staff[news.RoleEditor], a.ID, a.Version, snap, false, "save"); err != nil {
			t.Fatal(err)
		}

		public := []string{"lead", "inline"}
		all := []string{"lead", "inline", "dropped", "draft", "unused"}
		tests := []struct {
			name   string
			viewer *news.Staff
			want   []string
		}{
			{"anonymous", nil, public},
			{"contributor", viewer(staff[news.RoleContributor]), all},
			{"author", viewer(staff[news.RoleAuthor]), all},
			{"editor", viewer(staff[news.RoleEditor]), all},
			{"admin", viewer(staff[news.RoleAdmin]), all},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				list, total, err := desk.MediaLibrary(ctx, tt.viewer, media.Filter{Limit: 10})
				if err != nil {
					t.Fatal(err)
				}
				seen := map[string]bool{}
				for _, it := range list {
					seen[strings.TrimSuffix(it.Filename, ".png")] = true
				}
				if total != len(tt.want) || len(seen) != len(tt.want) {
					t.Errorf("listed %v (%d in all), want %v", seen, total, tt.want)
				}
				for _, name := range all {
					want := slices.Contains(tt.want, name)
					if seen[name] != want {
						t.Errorf("%s listed: %v, want %v", name, seen[name], want)
					}
					_, err := desk.MediaItem(ctx, tt.viewer, items[name].ID)
					if want && err != nil || !want && !errors.Is(err, news.ErrNotFound) {
						t.Errorf("%s read: %v", name, err)
					}
				}
			})
		}
	})
}
