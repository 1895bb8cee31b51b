package media

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestValidKey(t *testing.T) {
	tests := []struct {
		key  string
		want bool
	}{
		{"demo/a.png", true},
		{"2026/11/photo.JPG", true},
		{"../etc/passwd.png", false},
		{"/abs.png", false},
		{"a//b.png", false},
		{"page.html", false},
		{"script.svg", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := ValidKey(tt.key); got != tt.want {
			t.Errorf("ValidKey(%q) = %v, want %v", tt.key, got, tt.want)
		}
	}
}

func TestLocalPutOpenServe(t *testing.T) {
	ctx := context.Background()
	st, err := NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Put(ctx, "demo/x.png", strings.NewReader("<html>not really a png</html>")); err != nil {
		t.Fatal(err)
	}
	if err := st.Put(ctx, "../escape.png", strings.NewReader("x")); err == nil {
		t.Fatal("Put accepted a key outside the folder")
	}
	mux := http.NewServeMux()
	mux.Handle("GET /media/{key...}", Handler(st, slog.New(slog.DiscardHandler)))
	for path, want := range map[string]int{"/media/demo/x.png": 200, "/media/demo/missing.png": 404, "/media/demo/x.html": 404} {
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		if rec.Code != want {
			t.Errorf("GET %s = %d, want %d", path, rec.Code, want)
		}
		if rec.Code == 200 {
			if ct := rec.Header().Get("Content-Type"); ct != "image/png" {
				t.Errorf("Content-Type = %q, want image/png (never sniffed)", ct)
			}
			body, _ := io.ReadAll(rec.Body)
			if !strings.Contains(string(body), "not really") {
				t.Errorf("body = %q", body)
			}
		}
	}
}
