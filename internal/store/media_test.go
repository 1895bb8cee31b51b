package store_test

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"masthead/internal/media"
	"masthead/internal/news"
	"masthead/internal/store"
	"masthead/internal/testutil"
)

// mediaItem is a library record with two variants, its hash made from seed.
func mediaItem(seed, filename, alt string, by int64) *media.Item {
	hash := strings.Repeat(fmt.Sprintf("%02x", seed[0]), 32)
	key := media.OriginalKey(hash, media.JPEG)
	return &media.Item{Hash: hash, Key: key, Filename: filename, ContentType: "image/jpeg", Width: 1200, Height: 800,
		Bytes: 1234, Alt: alt, UploadedBy: by, CreatedAt: time.Now(),
		Variants: []media.Variant{
			{Key: strings.TrimSuffix(key, ".jpg") + "-480x320.jpg", Width: 480, Height: 320, Bytes: 100, ContentType: "image/jpeg"},
			{Key: strings.TrimSuffix(key, ".jpg") + "-1200x800.jpg", Width: 1200, Height: 800, Bytes: 300, ContentType: "image/jpeg"},
		}}
}

func TestMediaRecords(t *testing.T) {
	each(t, func(t *testing.T, site *testutil.Site) {
		st := site.Store
		who := site.Author(t, "Pia Photographer")
		first := mediaItem("a", "harbour.jpg", "Boats in the harbour at dawn", who.ID)
		created, err := st.CreateMedia(ctx, first)
		if err != nil || !created || first.ID == 0 {
			t.Fatalf("create: %v %v %d", created, err, first.ID)
		}
		// The same hash again loads the first record instead.
		again := mediaItem("a", "copy-of-harbour.jpg", "", 0)
		if created, err := st.CreateMedia(ctx, again); err != nil || created || again.ID != first.ID || again.Filename != "harbour.jpg" {
			t.Fatalf("duplicate: created=%v err=%v id=%d name=%q", created, err, again.ID, again.Filename)
		}
		got, err := st.MediaItem(ctx, first.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.UploaderName != "Pia Photographer" || len(got.Variants) != 2 || got.Variants[0].Width != 480 || got.CreatedAt.IsZero() {
			t.Errorf("loaded %+v", got)
		}
		if _, err := st.MediaItem(ctx, 9999); !errors.Is(err, news.ErrNotFound) {
			t.Errorf("missing item: %v", err)
		}
		if _, err := st.MediaByHash(ctx, strings.Repeat("0", 64)); !errors.Is(err, news.ErrNotFound) {
			t.Errorf("missing hash: %v", err)
		}

		for _, seed := range []string{"b", "c", "d"} {
			if _, err := st.CreateMedia(ctx, mediaItem(seed, "council-"+seed+".png", "", 0)); err != nil {
				t.Fatal(err)
			}
		}
		if err := st.UpdateMediaText(ctx, first.ID, "Fishing boats, 100% at rest", "Dawn at the harbour.", "Pia Photographer"); err != nil {
			t.Fatal(err)
		}
		if err := st.UpdateMediaText(ctx, 9999, "x", "", ""); !errors.Is(err, news.ErrNotFound) {
			t.Errorf("update missing: %v", err)
		}
		tests := []struct {
			query string
			limit int
			want  int // items on the page
			total int
		}{
			{"", 10, 4, 4},
			{"", 2, 2, 4},
			{"COUNCIL", 10, 3, 3},      // file name, any case
			{"dawn", 10, 1, 1},         // caption
			{"100%", 10, 1, 1},         // alt; % is a character, not a wildcard
			{"1_0", 10, 0, 0},          // so is _
			{"photographer", 10, 1, 1}, // credit
			{"nothing like it", 10, 0, 0},
		}
		for _, tt := range tests {
			items, total, err := st.ListMedia(ctx, media.Filter{Query: tt.query, Limit: tt.limit})
			if err != nil {
				t.Fatal(err)
			}
			if len(items) != tt.want || total != tt.total {
				t.Errorf("ListMedia(%q, %d) = %d items of %d, want %d of %d", tt.query, tt.limit, len(items), total, tt.want, tt.total)
			}
			for _, it := range items {
				if len(it.Variants) != 2 {
					t.Errorf("%s has %d variants", it.Key, len(it.Variants))
				}
			}
		}
		items, _, _ := st.ListMedia(ctx, media.Filter{Limit: 10})
		if items[len(items)-1].ID != first.ID {
			t.Errorf("not newest first: last is %d", items[len(items)-1].ID)
		}
	})
}

// TestMediaUsesBackfill: migration 0013 finds the library images that
// articles already written use — lead image and body, relative and
// absolute URLs, originals and variants — as the store does on every write.
func TestMediaUsesBackfill(t *testing.T) {
	each(t, func(t *testing.T, site *testutil.Site) {
		st := site.Store
		var items []*media.Item
		for _, seed := range []string{"a", "b", "c", "d"} {
			it := mediaItem(seed, seed+".jpg", "", 0)
			if _, err := st.CreateMedia(ctx, it); err != nil {
				t.Fatal(err)
			}
			items = append(items, it)
		}
		site.Article(t, &news.Article{Headline: "Lead", LeadImage: &news.Image{URL: items[0].LeadURL(), Alt: "A"}})
		site.Article(t, &news.Article{Headline: "Body", Body: "![B](" + items[1].URL() + ") and ![C](https://example.org" + items[2].LeadURL() + ")"})
		published := func() []string {
			list, _, err := st.ListMedia(ctx, media.Filter{Published: true, Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, it := range list {
				names = append(names, it.Filename)
			}
			slices.Sort(names)
			return names
		}
		want := []string{"a.jpg", "b.jpg", "c.jpg"}
		if got := published(); !slices.Equal(got, want) {
			t.Fatalf("recorded on write: %v, want %v", got, want)
		}
		if err := store.Exec(st, ctx, `DELETE FROM media_uses`); err != nil {
			t.Fatal(err)
		}
		migration, err := os.ReadFile("migrations/" + st.Backend() + "/0013_media_uses.sql")
		if err != nil {
			t.Fatal(err)
		}
		steps := strings.Split(strings.TrimSpace(string(migration)), ";\n")
		if err := store.Exec(st, ctx, steps[len(steps)-1]); err != nil { // the backfill
			t.Fatal(err)
		}
		if got := published(); !slices.Equal(got, want) {
			t.Errorf("backfilled: %v, want %v", got, want)
		}
	})
}
