package newsroom_test

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"

	"masthead/internal/news"
	"masthead/internal/newsroom"
	"masthead/internal/testutil"
)

// TestSetup: on a site with no administrator the server's one-time code
// creates the first one and signs them in; a wrong code is refused (and
// counted), a new start makes a new code, and once there is an
// administrator set-up is over.
func TestSetup(t *testing.T) {
	ctx := context.Background()
	site := testutil.NewSite(t)
	desk := site.Desk
	from := newsroom.Client{IP: "192.0.2.1"}
	first, err := desk.SetupCode(ctx)
	if err != nil || !regexp.MustCompile(`^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$`).MatchString(first) {
		t.Fatalf("code %q, %v", first, err)
	}
	code, err := desk.SetupCode(ctx) // the server started again
	if err != nil || code == first {
		t.Fatalf("a new start kept the code: %q %v", code, err)
	}
	admin := newsroom.NewStaff{Name: "Ada Admin", Email: "ada@example.test"}
	var fe news.FieldErrors
	for _, tt := range []struct {
		code, password, again, field string
	}{
		{first, "a long password", "a long password", "code"},
		{"", "a long password", "a long password", "code"},
		{code, "a long password", "another long password", "password"},
		{code, "short", "short", "password"},
	} {
		if _, err := desk.Setup(ctx, tt.code, admin, tt.password, tt.again, from); !errors.As(err, &fe) || fe[tt.field] == "" {
			t.Errorf("%+v: %v, want an error on %s", tt, err, tt.field)
		}
	}
	in, err := desk.Setup(ctx, " "+strings.ToLower(code)+" ", admin, "a long password", "a long password", from)
	if err != nil || in.Staff.Role != news.RoleAdmin {
		t.Fatalf("setup: %+v %v", in, err)
	}
	if _, err := desk.Session(ctx, in.Token); err != nil {
		t.Errorf("not signed in: %v", err)
	}
	if _, err := desk.Setup(ctx, code, newsroom.NewStaff{Name: "Late", Email: "late@example.test"}, "a long password", "a long password", from); !errors.Is(err, newsroom.ErrSetupDone) {
		t.Errorf("a second set-up: %v", err)
	}
	if again, err := desk.SetupCode(ctx); err != nil || again != "" {
		t.Errorf("a code after set-up: %q %v", again, err)
	}
}
