package diff

import (
	"strings"
	"testing"
)

func render(lines []Line) string {
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(map[string]string{"same": " ", "add": "+", "del": "-"}[l.Kind] + l.Text + "\n")
	}
	return b.String()
}

func TestLines(t *testing.T) {
	tests := []struct{ name, a, b, want string }{
		{"equal", "x\ny", "x\ny", " x\n y\n"},
		{"added line", "x\nz", "x\ny\nz", " x\n+y\n z\n"},
		{"removed line", "x\ny\nz", "x\nz", " x\n-y\n z\n"},
		{"changed line", "a\nb\nc", "a\nB\nc", " a\n-b\n+B\n c\n"},
		{"from empty", "", "new", "+new\n"},
		{"to empty", "old", "", "-old\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Lines(tt.a, tt.b)
			if render(got) != tt.want {
				t.Errorf("got\n%s\nwant\n%s", render(got), tt.want)
			}
			if Changed(got) != (tt.a != tt.b) {
				t.Errorf("Changed = %v", Changed(got))
			}
		})
	}
}
