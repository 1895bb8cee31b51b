package news

import (
	"testing"
	"time"
)

func TestSlugify(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Council backs 400 new homes on the old quay", "council-backs-400-new-homes-on-the-old-quay"},
		{"Don't panic: it's only rain", "dont-panic-its-only-rain"},
		{"Café owners’ “quiet” revolt — in Zürich", "cafe-owners-quiet-revolt-in-zurich"},
		{"Ærø and Łódź: Straße", "aero-and-lodz-strasse"},
		{"Что происходит в Киеве", "chto-proiskhodit-v-kieve"},
		{"Αθήνα σήμερα", "athina-simera"},
		{"Rock & roll 100%", "rock-and-roll-100-percent"},
		{"   ", "untitled"},
	}
	for _, tt := range tests {
		if got := Slugify(tt.in); got != tt.want {
			t.Errorf("Slugify(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if s := Slugify("東京の天気"); !ValidSlug(s) || s[:2] != "n-" {
		t.Errorf("CJK headline slug = %q", s)
	}
	long := Slugify("word word word word word word word word word word word word word word word word word word word word word")
	if len(long) > MaxSlugLen || !ValidSlug(long) {
		t.Errorf("long slug %q", long)
	}
}

func TestWaitText(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, "a minute"},
		{20 * time.Second, "a minute"},
		{time.Minute, "a minute"},
		{61 * time.Second, "2 minutes"},
		{14 * time.Minute, "14 minutes"},
		{14*time.Minute + time.Second, "15 minutes"},
	}
	for _, tt := range tests {
		if got := WaitText(tt.d); got != tt.want {
			t.Errorf("WaitText(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}
