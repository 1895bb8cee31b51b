package activitypub

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestClientRefuses(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/moved":
			http.Redirect(w, r, "/actor", http.StatusFound)
		case "/big":
			w.Write([]byte(strings.Repeat("x", MaxDocument+1)))
		default:
			w.Write([]byte(`{"id":"x"}`))
		}
	}))
	defer srv.Close()
	ctx, now := context.Background(), time.Now()
	if _, err := NewClient(time.Second, false).Fetch(ctx, srv.URL+"/actor", nil, now); err == nil || !strings.Contains(err.Error(), "private address") {
		t.Errorf("loopback without the test switch: %v", err)
	}
	for _, tt := range []struct {
		path string
		ok   bool
	}{{"/actor", true}, {"/moved", false}, {"/big", false}} {
		_, err := NewClient(time.Second, true).Fetch(ctx, srv.URL+tt.path, nil, now)
		if (err == nil) != tt.ok {
			t.Errorf("fetch %s: %v, want ok=%v", tt.path, err, tt.ok)
		}
	}
	for _, u := range []string{"http://10.0.0.1/", "http://169.254.169.254/latest/meta-data", "http://[::1]/", "file:///etc/passwd", "http://user:pw@example.org/"} {
		if _, err := NewClient(time.Second, false).Fetch(ctx, u, nil, now); err == nil {
			t.Errorf("fetch %s: no error", u)
		}
	}
}
