package newsroom_test

import (
	"context"
	"errors"
	"testing"

	"masthead/internal/news"
	"masthead/internal/testutil"
)

func TestBlockFedDomain(t *testing.T) {
	site := testutil.NewSite(t)
	users := site.StaffByRole(t, "Staff", "a long password")
	ctx := context.Background()
	tests := []struct {
		in, stored string // stored "": refused
	}{
		{"Spam.Example", "spam.example"},
		{"https://bad.example/users/x", "bad.example"},
		{"@troll@trolls.example", "trolls.example"},
		{"203.0.113.9", "203.0.113.9"},
		{"sub.domain.example.", "sub.domain.example"},
		{"", ""},
		{"localhost", ""},
		{"not a domain", ""},
		{"-bad-.example", ""},
		{"<script>.example", ""},
	}
	for _, tt := range tests {
		err := site.Desk.BlockFedDomain(ctx, users[news.RoleAdmin], tt.in, "")
		var fe news.FieldErrors
		switch {
		case tt.stored == "" && !errors.As(err, &fe):
			t.Errorf("%q: %v, want a field error", tt.in, err)
		case tt.stored != "" && err != nil:
			t.Errorf("%q: %v", tt.in, err)
		}
	}
	blocked, _ := site.Store.BlockedDomains(ctx)
	var got []string
	for _, b := range blocked {
		got = append(got, b.Domain)
	}
	want := []string{"203.0.113.9", "bad.example", "spam.example", "sub.domain.example", "trolls.example"}
	if len(got) != len(want) {
		t.Fatalf("blocked %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("blocked %v, want %v", got, want)
		}
	}
	for _, role := range []news.Role{news.RoleEditor, news.RoleAuthor} {
		if err := site.Desk.BlockFedDomain(ctx, users[role], "x.example", ""); !errors.Is(err, news.ErrForbidden) {
			t.Errorf("%s blocking: %v", role, err)
		}
		if err := site.Desk.SetFederating(ctx, users[role], false); !errors.Is(err, news.ErrForbidden) {
			t.Errorf("%s switching federation: %v", role, err)
		}
	}
}
