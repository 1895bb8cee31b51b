package web_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"masthead/internal/edge"
	"masthead/internal/news"
)

// TestArticleEmbedsPolicy: an article with embeds allows frames from its
// providers and from nowhere else, loads site.js, and keeps that policy
// when the page cache answers and on a 304; an article without embeds
// keeps the site's usual policy and loads no script.
func TestArticleEmbedsPolicy(t *testing.T) {
	f := newFixture(t)
	embedded := f.site.Article(t, &news.Article{Headline: "Regatta day on the Wend", Section: f.section, Authors: []news.Staff{f.author},
		Body: "The crews set off at noon.\n\nhttps://www.youtube.com/watch?v=aqz-KE-bpKQ\n\n" +
			"![The finish line](https://example.org/finish.jpg \"Crews at the finish\")\n\n" +
			"https://bsky.app/profile/alice.bsky.social/post/3kabcdefghi2x\n\n<https://vimeo.com/76979871>\n\nhttps://youtu.be/aqz-KE-bpKQ"})
	withFrames := edge.ContentSecurityPolicy + "; frame-src https://player.vimeo.com https://www.youtube-nocookie.com"

	tests := []struct {
		name      string
		path      string
		csp       string
		want      []string
		forbidden []string
	}{
		{
			name: "with embeds", path: embedded.URLPath(), csp: withFrames,
			want: []string{`<script src="/static/site.`, `data-embed="youtube"`, `data-embed="vimeo"`, `Load YouTube content`,
				`<figcaption>Crews at the finish</figcaption>`, `<figure class="embed embed-link" data-embed="bluesky">`},
			// The page itself asks no provider for anything.
			forbidden: []string{"<iframe", ` src="https://www.youtube`, ` src="https://player.vimeo`},
		},
		{
			name: "without embeds", path: f.middle.URLPath(), csp: edge.ContentSecurityPolicy,
			forbidden: []string{"site.js", "frame-src"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var etag string
			for _, state := range []string{"MISS", "HIT"} {
				res := f.get(t, tt.path)
				if got := res.Header.Get("X-Cache"); got != state {
					t.Fatalf("X-Cache %q, want %q", got, state)
				}
				if got := res.Header.Get("Content-Security-Policy"); got != tt.csp {
					t.Errorf("%s: Content-Security-Policy %q, want %q", state, got, tt.csp)
				}
				mustContain(t, res.body, tt.want...)
				mustNotContain(t, res.body, tt.forbidden...)
				etag = res.Header.Get("ETag")
			}
			req := httptest.NewRequest("GET", tt.path, nil)
			req.Header.Set("If-None-Match", etag)
			if res := f.do(t, req); res.StatusCode != 304 || res.Header.Get("Content-Security-Policy") != tt.csp {
				t.Errorf("conditional GET: status %d, Content-Security-Policy %q", res.StatusCode, res.Header.Get("Content-Security-Policy"))
			}
		})
	}

	// A feed reader gets each embed's caption and link, not a button no
	// script will ever answer.
	feed := f.get(t, "/feed.json").body
	mustContain(t, feed, "YouTube video", "https://vimeo.com/76979871")
	mustNotContain(t, feed, "Load YouTube content", "embed-box")

	// Other pages showing the article keep the usual policy.
	for _, path := range []string{"/", "/section/city-hall", "/feed.xml"} {
		if got := f.get(t, path).Header.Get("Content-Security-Policy"); strings.Contains(got, "frame-src") {
			t.Errorf("%s: Content-Security-Policy %q", path, got)
		}
	}
}
