package newsroom_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"masthead/internal/news"
	"masthead/internal/testutil"
)

func TestUpdateSettings(t *testing.T) {
	ctx := context.Background()
	site := testutil.NewSite(t)
	staff := site.StaffByRole(t, "Staff", "a long password")
	renamed := news.Publication{Name: "  The Evening Courier ", Tagline: "Since 1881", Description: "The city's paper.", Language: "en-GB"}
	tests := []struct {
		name      string
		actor     news.Actor
		pub       news.Publication
		wantErr   error
		badFields []string
	}{
		{"contributor", staff[news.RoleContributor], renamed, news.ErrForbidden, nil},
		{"author", staff[news.RoleAuthor], renamed, news.ErrForbidden, nil},
		{"editor", staff[news.RoleEditor], renamed, news.ErrForbidden, nil},
		{"admin", staff[news.RoleAdmin], renamed, nil, nil},
		{"admin, no name", staff[news.RoleAdmin], news.Publication{Name: " ", Language: "en"}, news.FieldErrors{}, []string{"name"}},
		{"admin, too long", staff[news.RoleAdmin], news.Publication{Name: "N", Tagline: strings.Repeat("t", 201), Description: strings.Repeat("d", 1001), Language: "en"},
			news.FieldErrors{}, []string{"description", "tagline"}},
		{"admin, no language", staff[news.RoleAdmin], news.Publication{Name: "N"}, news.FieldErrors{}, []string{"language"}},
		{"admin, not a language", staff[news.RoleAdmin], news.Publication{Name: "N", Language: "English"}, news.FieldErrors{}, []string{"language"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, err := site.Desk.Settings(ctx)
			if err != nil {
				t.Fatal(err)
			}
			err = site.Desk.UpdateSettings(ctx, tt.actor, tt.pub)
			after, _ := site.Desk.Settings(ctx)
			var fe news.FieldErrors
			switch {
			case tt.badFields != nil:
				var got []string
				if errors.As(err, &fe) {
					for _, f := range []string{"description", "language", "name", "tagline"} {
						if fe[f] != "" {
							got = append(got, f)
						}
					}
				}
				if strings.Join(got, ",") != strings.Join(tt.badFields, ",") {
					t.Errorf("error %v, want problems with %v", err, tt.badFields)
				}
			case !errors.Is(err, tt.wantErr):
				t.Errorf("error %v, want %v", err, tt.wantErr)
			}
			want := before
			if tt.wantErr == nil {
				want = news.Publication{Name: "The Evening Courier", Tagline: "Since 1881", Description: "The city's paper.", Language: "en-GB"}
			}
			if after != want {
				t.Errorf("settings %+v, want %+v", after, want)
			}
		})
	}
}

func TestSettingsToEdit(t *testing.T) {
	ctx := context.Background()
	site := testutil.NewSite(t)
	for role, actor := range site.StaffByRole(t, "Staff", "a long password") {
		pub, err := site.Desk.SettingsToEdit(ctx, actor)
		if role == news.RoleAdmin {
			if err != nil || pub.Name != "The Test Gazette" {
				t.Errorf("admin: %+v %v", pub, err)
			}
		} else if !errors.Is(err, news.ErrForbidden) {
			t.Errorf("%s opened the settings: %v", role, err)
		}
	}
}
