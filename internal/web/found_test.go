package web

import "testing"

func TestFound(t *testing.T) {
	tests := []struct {
		total int
		about bool
		want  string
	}{
		{0, false, "0 stories"},
		{1, false, "1 story"},
		{12, false, "12 stories"},
		{1234, false, "1,234 stories"},
		{roughly(76_449), true, "About 76,000 stories"},
		{roughly(1_234_567), true, "About 1,200,000 stories"},
		{roughly(96), true, "About 96 stories"},
		{roughly(996), true, "About 1,000 stories"},
	}
	for _, tt := range tests {
		if got := (searchPage{Total: tt.total, About: tt.about}).Found(); got != tt.want {
			t.Errorf("%d (about %v): %q, want %q", tt.total, tt.about, got, tt.want)
		}
	}
	for _, tt := range []struct {
		total int
		about bool
		want  string
	}{
		{0, false, "0 quotes"},
		{1, false, "1 quote"},
		{13373, false, "13,373 quotes"},
		{roughly(13_400), true, "About 13,000 quotes"},
	} {
		if got := (peoplePage{Total: tt.total, About: tt.about}).Found(); got != tt.want {
			t.Errorf("quotes %d (about %v): %q, want %q", tt.total, tt.about, got, tt.want)
		}
	}
}
