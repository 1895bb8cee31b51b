package newsroom_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"masthead/internal/media"
	"masthead/internal/news"
	"masthead/internal/newsroom"
	"masthead/internal/testutil"
)

// s3Files is a media store in a bucket of a real S3 server (s3test).
func s3Files(t *testing.T) media.Store {
	t.Helper()
	files, _ := testutil.S3Media(t)
	return files
}

// Deleting a library image: who may (editors any, the uploader one nothing
// uses), what the confirmation shows each, and what it does — out of every
// article that uses it (the lead image cleared, the picture taken out of
// the body, a note in the history), then every file of it from the media
// store, on a folder and on S3, then its record.
func TestDeleteMedia(t *testing.T) {
	for name, newFiles := range map[string]func(t *testing.T) media.Store{
		"local": func(t *testing.T) media.Store {
			files, err := media.NewLocal(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			return files
		},
		"s3": s3Files,
	} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			site := testutil.NewSite(t)
			files := newFiles(t)
			staff := site.StaffByRole(t, "Staff", "a long password")
			desk := newsroom.New(site.Store, newsroom.Config{Location: time.UTC, Media: files})
			author, contributor, editor := staff[news.RoleAuthor], staff[news.RoleContributor], staff[news.RoleEditor]
			other := site.Staff(t, "Other Author", news.RoleAuthor, "a long password")
			otherActor := news.Actor{ID: other.ID, Role: other.Role}

			upload := func(shade uint8) *media.Item {
				t.Helper()
				it, _, err := desk.UploadImage(ctx, author, newsroom.Upload{Name: "photo.png", Data: pngOf(t, shade)})
				if err != nil {
					t.Fatal(err)
				}
				return it
			}
			unused, used := upload(10), upload(20)
			keep := upload(30)
			body := "Before the picture.\n\n![The wall](" + used.LeadURL() + ")\n\n![Kept](" + keep.LeadURL() + ")\n\nAfter the picture."
			published, err := desk.CreateAndStep(ctx, editor, news.Snapshot{Headline: "Harbour wall", Body: body, AuthorIDs: []int64{editor.ID},
				ImageURL: used.LeadURL(), ImageAlt: "The wall"}, newsroom.Step{Action: news.ActionPublish})
			if err != nil {
				t.Fatal(err)
			}
			draft, err := desk.Create(ctx, otherActor, news.Snapshot{Headline: "A colleague's draft", Body: "![x](" + used.URL() + ")"})
			if err != nil {
				t.Fatal(err)
			}

			tests := []struct {
				actor   news.Actor
				item    *media.Item
				allowed bool
				uses    int // that the actor is shown
				hidden  int
			}{
				{contributor, unused, false, 0, 0},
				{author, unused, true, 0, 0},
				{author, used, false, 1, 1}, // theirs, but articles use it; a colleague's draft is not named
				{editor, used, true, 2, 0},
				{staff[news.RoleAdmin], used, true, 2, 0},
			}
			for _, tt := range tests {
				d, err := desk.MediaDeletion(ctx, tt.actor, tt.item.ID)
				if err != nil {
					t.Fatal(err)
				}
				if d.Allowed != tt.allowed || len(d.Uses) != tt.uses || d.Hidden != tt.hidden || (d.Why == "") != tt.allowed {
					t.Errorf("%s on image %d: allowed %v, %d uses, %d hidden (%q); want %v, %d, %d", tt.actor.Role, tt.item.ID, d.Allowed, len(d.Uses), d.Hidden, d.Why, tt.allowed, tt.uses, tt.hidden)
				}
				if !tt.allowed {
					if _, err := desk.DeleteMedia(ctx, tt.actor, tt.item.ID); !errors.Is(err, news.ErrForbidden) {
						t.Errorf("%s deleting image %d: %v, want ErrForbidden", tt.actor.Role, tt.item.ID, err)
					}
				}
			}
			if _, err := desk.MediaDeletion(ctx, news.Actor{}, used.ID); !errors.Is(err, news.ErrForbidden) {
				t.Errorf("no one's deletion: %v", err)
			}

			if _, err := desk.DeleteMedia(ctx, author, unused.ID); err != nil {
				t.Fatalf("the uploader deleting an unused image: %v", err)
			}
			changed, err := desk.DeleteMedia(ctx, editor, used.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(changed) != 2 {
				t.Errorf("taken out of %d articles, want 2", len(changed))
			}
			for _, it := range []*media.Item{unused, used} {
				if _, err := site.Store.MediaItem(ctx, it.ID); !errors.Is(err, news.ErrNotFound) {
					t.Errorf("image %d's record: %v", it.ID, err)
				}
				for _, key := range append([]string{it.Key}, variantKeys(it)...) {
					if _, _, err := files.Open(ctx, key); !errors.Is(err, media.ErrNotFound) {
						t.Errorf("%s after deleting: %v", key, err)
					}
				}
			}
			if _, _, err := files.Open(ctx, keep.Key); err != nil {
				t.Errorf("the image kept: %v", err)
			}

			a, err := site.Store.Article(ctx, published.ID)
			if err != nil {
				t.Fatal(err)
			}
			if a.LeadImage != nil || a.Status != news.StatusPublished || a.Path != published.Path {
				t.Errorf("the published article: lead %+v, %s at %s", a.LeadImage, a.Status, a.Path)
			}
			if want := "Before the picture.\n\n![Kept](" + keep.LeadURL() + ")\n\nAfter the picture."; a.Body != want {
				t.Errorf("body:\n%s\nwant\n%s", a.Body, want)
			}
			if strings.Contains(a.BodyHTML, used.Hash) || !strings.Contains(a.BodyHTML, keep.Hash) || !strings.Contains(a.BodyHTML, "After the picture.") {
				t.Errorf("rendered body: %s", a.BodyHTML)
			}
			events, err := desk.History(ctx, editor, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.ContainsFunc(events, func(e news.Event) bool {
				return e.Action == "image removed" && strings.Contains(e.Note, "photo.png") && e.UserID == editor.ID
			}) {
				t.Errorf("history: %+v", events)
			}
			if d, err := site.Store.Article(ctx, draft.ID); err != nil || strings.Contains(d.Body, used.Hash) {
				t.Errorf("the colleague's draft: %q, %v", d.Body, err)
			}
			// A deletion cut short is finished by asking again; a finished
			// one is gone.
			if _, err := desk.DeleteMedia(ctx, editor, used.ID); !errors.Is(err, news.ErrNotFound) {
				t.Errorf("deleting again: %v", err)
			}
		})
	}
}

func variantKeys(it *media.Item) []string {
	var keys []string
	for _, v := range it.Variants {
		keys = append(keys, v.Key)
	}
	return keys
}

// An image that is the site's logo or icon is an administrator's to
// delete, and deleting it clears the setting, so no page shows it broken.
func TestDeleteMediaSiteUse(t *testing.T) {
	ctx := context.Background()
	site := testutil.NewSite(t)
	files, err := media.NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	staff := site.StaffByRole(t, "Staff", "a long password")
	desk := newsroom.New(site.Store, newsroom.Config{Location: time.UTC, Media: files})
	logo, _, err := desk.UploadImage(ctx, staff[news.RoleEditor], newsroom.Upload{Name: "logo.png", Data: pngOf(t, 40)})
	if err != nil {
		t.Fatal(err)
	}
	pub, err := site.Store.Publication(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pub.LogoURL, pub.IconURL = logo.LeadURL(), logo.URL()
	if err := site.Store.SetPublication(ctx, pub); err != nil {
		t.Fatal(err)
	}
	d, err := desk.MediaDeletion(ctx, staff[news.RoleEditor], logo.ID)
	if err != nil || d.Allowed || !slices.Equal(d.Site, []string{"logo", "icon"}) {
		t.Fatalf("an editor deleting the logo: %+v, %v", d, err)
	}
	if _, err := desk.DeleteMedia(ctx, staff[news.RoleAdmin], logo.ID); err != nil {
		t.Fatal(err)
	}
	if pub, err = site.Store.Publication(ctx); err != nil || pub.LogoURL != "" || pub.IconURL != "" {
		t.Errorf("after deleting the logo: logo %q, icon %q, %v", pub.LogoURL, pub.IconURL, err)
	}
}
