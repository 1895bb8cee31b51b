package markup

import (
	"slices"
	"strings"
	"testing"
)

func TestEmbedFor(t *testing.T) {
	const ytFrame = "https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ"
	const did = "did:plc:abcdefghijklmnopqrstuvwx"
	tests := []struct {
		name     string
		url      string
		provider string // "" when the URL is no embed
		frame    string // "" for a link-only card
		shape    string
	}{
		// YouTube
		{"youtube watch", "https://www.youtube.com/watch?v=aqz-KE-bpKQ", "youtube", ytFrame, "wide"},
		{"youtube watch, other parameters", "https://www.youtube.com/watch?feature=share&v=aqz-KE-bpKQ&list=x", "youtube", ytFrame, "wide"},
		{"youtube start time", "https://youtu.be/aqz-KE-bpKQ?t=1m30s", "youtube", ytFrame + "?start=90", "wide"},
		{"youtube start seconds", "https://www.youtube.com/watch?v=aqz-KE-bpKQ&t=42", "youtube", ytFrame + "?start=42", "wide"},
		{"youtu.be", "https://youtu.be/aqz-KE-bpKQ", "youtube", ytFrame, "wide"},
		{"youtube shorts are tall", "https://youtube.com/shorts/aqz-KE-bpKQ", "youtube", ytFrame, "tall"},
		{"youtube mobile, http", "http://m.youtube.com/watch?v=aqz-KE-bpKQ", "youtube", ytFrame, "wide"},
		{"youtube embed address (WordPress iframes)", "https://www.youtube.com/embed/aqz-KE-bpKQ", "youtube", ytFrame, "wide"},
		{"youtube upper-case host", "https://WWW.YouTube.com/watch?v=aqz-KE-bpKQ", "youtube", ytFrame, "wide"},
		{"youtube short id", "https://www.youtube.com/watch?v=abc", "", "", ""},
		{"youtube id with a quote", `https://www.youtube.com/watch?v=aqz-KE-bpK"`, "", "", ""},
		{"youtube channel", "https://www.youtube.com/@blender", "", "", ""},
		{"youtube channel with number is not mastodon", "https://www.youtube.com/@blender/12345", "", "", ""},
		// Vimeo
		{"vimeo", "https://vimeo.com/76979871", "vimeo", "https://player.vimeo.com/video/76979871?dnt=1", "wide"},
		{"vimeo unlisted", "https://vimeo.com/76979871/8272103f6e", "vimeo", "https://player.vimeo.com/video/76979871?dnt=1&h=8272103f6e", "wide"},
		{"vimeo channel", "https://vimeo.com/channels/staffpicks/76979871", "vimeo", "https://player.vimeo.com/video/76979871?dnt=1", "wide"},
		{"vimeo player", "https://player.vimeo.com/video/76979871", "vimeo", "https://player.vimeo.com/video/76979871?dnt=1", "wide"},
		{"vimeo profile", "https://vimeo.com/someone", "", "", ""},
		// X
		{"x", "https://x.com/NASA/status/1234567890123456789", "x", "https://platform.twitter.com/embed/Tweet.html?dnt=true&id=1234567890123456789", "post"},
		{"twitter", "https://twitter.com/NASA/status/123?s=20", "x", "https://platform.twitter.com/embed/Tweet.html?dnt=true&id=123", "post"},
		{"x profile", "https://x.com/NASA", "", "", ""},
		{"x status not a number", "https://x.com/NASA/status/abc", "", "", ""},
		// Bluesky
		{"bluesky with DID", "https://bsky.app/profile/" + did + "/post/3kabcdefghi2x", "bluesky",
			"https://embed.bsky.app/embed/" + did + "/app.bsky.feed.post/3kabcdefghi2x", "post"},
		{"bluesky with handle is a link", "https://bsky.app/profile/alice.bsky.social/post/3kabcdefghi2x", "bluesky", "", "link"},
		{"bluesky profile", "https://bsky.app/profile/alice.bsky.social", "", "", ""},
		{"bluesky odd DID", "https://bsky.app/profile/did:evil:x/post/3kabc", "", "", ""},
		// Mastodon, on any host
		{"mastodon", "https://mastodon.social/@Gargron/109999999999999999", "mastodon", "https://mastodon.social/@Gargron/109999999999999999/embed", "post"},
		{"mastodon, punycode host", "https://xn--mstdn-0qa.example/@ana/123", "mastodon", "https://xn--mstdn-0qa.example/@ana/123/embed", "post"},
		{"mastodon over http", "http://mastodon.social/@Gargron/1099", "", "", ""},
		{"mastodon profile", "https://mastodon.social/@Gargron", "", "", ""},
		{"mastodon remote account form", "https://mastodon.social/@ana@example.org/123", "", "", ""},
		{"mastodon with query", "https://mastodon.social/@ana/123?x=1", "", "", ""},
		{"mastodon on an IP address", "https://192.168.1.10/@ana/123", "", "", ""},
		{"mastodon on an intranet name", "https://intranet/@ana/123", "", "", ""},
		// Instagram, TikTok
		{"instagram post", "https://www.instagram.com/p/CxYz123AbC_/", "instagram", "https://www.instagram.com/p/CxYz123AbC_/embed", "post"},
		{"instagram reel", "https://instagram.com/reel/CxYz123AbC/", "instagram", "https://www.instagram.com/p/CxYz123AbC/embed", "post"},
		{"instagram profile", "https://www.instagram.com/nasa/", "", "", ""},
		{"tiktok", "https://www.tiktok.com/@scout2015/video/6718335390845095173", "tiktok", "https://www.tiktok.com/embed/v2/6718335390845095173", "tall"},
		{"tiktok profile", "https://www.tiktok.com/@scout2015", "", "", ""},
		// Audio
		{"spotify track", "https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC", "spotify", "https://open.spotify.com/embed/track/4uLU6hMCjMI75M1A2tKUQC", "audio"},
		{"spotify playlist, localised", "https://open.spotify.com/intl-de/playlist/37i9dQZF1DXcBWIGoYBM5M?si=x", "spotify", "https://open.spotify.com/embed/playlist/37i9dQZF1DXcBWIGoYBM5M", "list"},
		{"spotify episode", "https://open.spotify.com/episode/4uLU6hMCjMI75M1A2tKUQC", "spotify", "https://open.spotify.com/embed/episode/4uLU6hMCjMI75M1A2tKUQC", "audio"},
		{"spotify user", "https://open.spotify.com/user/4uLU6hMCjMI75M1A2tKUQC", "", "", ""},
		{"soundcloud track", "https://soundcloud.com/artist-name/a-track", "soundcloud", "https://w.soundcloud.com/player/?url=https%3A%2F%2Fsoundcloud.com%2Fartist-name%2Fa-track", "audio"},
		{"soundcloud set", "https://soundcloud.com/artist-name/sets/an-album", "soundcloud", "https://w.soundcloud.com/player/?url=https%3A%2F%2Fsoundcloud.com%2Fartist-name%2Fsets%2Fan-album", "list"},
		{"soundcloud likes", "https://soundcloud.com/artist-name/likes", "", "", ""},
		// Maps, documents
		{"maps place", "https://www.google.com/maps/place/Big+Ben/@51.5007,-0.1246,17z/data=!3m1", "maps", "https://www.google.com/maps?output=embed&q=Big+Ben", "map"},
		{"maps spot", "https://www.google.com/maps/@51.5007,-0.1246,15z", "maps", "https://www.google.com/maps?output=embed&q=51.5007%2C-0.1246&z=15", "map"},
		{"maps query", "https://maps.google.com/?q=Tower+Bridge", "maps", "https://www.google.com/maps?output=embed&q=Tower+Bridge", "map"},
		{"maps shared embed", "https://www.google.com/maps/embed?pb=!1m18!1m12", "maps", "https://www.google.com/maps/embed?pb=%211m18%211m12", "map"},
		{"maps short link is a link", "https://maps.app.goo.gl/AbCdEf123", "maps", "", "link"},
		{"maps directions", "https://www.google.com/maps/dir/A/B", "", "", ""},
		{"google search", "https://www.google.com/search?q=maps", "", "", ""},
		{"documentcloud", "https://www.documentcloud.org/documents/282753-lefler-thesis.html", "documentcloud",
			"https://embed.documentcloud.org/documents/282753-lefler-thesis/?embed=1&title=1", "doc"},
		{"documentcloud embed address", "https://embed.documentcloud.org/documents/282753-lefler-thesis/", "documentcloud",
			"https://embed.documentcloud.org/documents/282753-lefler-thesis/?embed=1&title=1", "doc"},
		{"pdf", "https://example.org/reports/annual.pdf", "pdf", "https://example.org/reports/annual.pdf", "doc"},
		{"pdf upper case, fragment dropped", "https://example.org/A.PDF#page=2", "pdf", "https://example.org/A.PDF", "doc"},
		{"pdf over http", "http://example.org/a.pdf", "", "", ""},
		// Hostile and odd addresses are never embeds.
		{"javascript", "javascript:alert(1)//https://youtu.be/aqz-KE-bpKQ", "", "", ""},
		{"data", "data:text/html,<script>alert(1)</script>", "", "", ""},
		{"protocol-relative", "//www.youtube.com/watch?v=aqz-KE-bpKQ", "", "", ""},
		{"userinfo hiding the host", "https://www.youtube.com@evil.example/watch?v=aqz-KE-bpKQ", "", "", ""},
		{"userinfo before the host", "https://user:pw@www.youtube.com/watch?v=aqz-KE-bpKQ", "", "", ""},
		{"look-alike suffix", "https://www.youtube.com.evil.example/watch?v=aqz-KE-bpKQ", "", "", ""},
		{"look-alike prefix", "https://evil-youtube.com/watch?v=aqz-KE-bpKQ", "", "", ""},
		{"look-alike subdomain", "https://evil.youtu.be/aqz-KE-bpKQ", "", "", ""},
		{"port", "https://www.youtube.com:8443/watch?v=aqz-KE-bpKQ", "", "", ""},
		{"port 443", "https://www.youtube.com:443/watch?v=aqz-KE-bpKQ", "", "", ""},
		{"empty port", "https://www.youtube.com:/watch?v=aqz-KE-bpKQ", "", "", ""},
		{"trailing dot", "https://www.youtube.com./watch?v=aqz-KE-bpKQ", "", "", ""},
		{"unicode look-alike host", "https://www.yоutube.com/watch?v=aqz-KE-bpKQ", "", "", ""},
		{"unicode in a mastodon host", "https://mästodon.example/@ana/123", "", "", ""},
		{"backslash", `https://www.youtube.com\@evil.example/watch?v=aqz-KE-bpKQ`, "", "", ""},
		{"space", "https://www.youtube.com/watch?v=aqz-KE-bpKQ extra", "", "", ""},
		{"tab", "https://www.you\ttube.com/watch?v=aqz-KE-bpKQ", "", "", ""},
		{"ftp", "ftp://example.org/a.pdf", "", "", ""},
		{"empty", "", "", "", ""},
		{"huge", "https://example.org/" + strings.Repeat("a", 3000) + ".pdf", "", "", ""},
		{"plain site", "https://example.org/news/story", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, ok := EmbedFor(tt.url)
			if tt.provider == "" {
				if ok {
					t.Fatalf("EmbedFor(%q) = %s %q, want no embed", tt.url, e.Provider.Key, e.Frame)
				}
				return
			}
			if !ok {
				t.Fatalf("EmbedFor(%q): no embed, want %s", tt.url, tt.provider)
			}
			if e.Provider.Key != tt.provider || e.Frame != tt.frame || e.Shape != tt.shape {
				t.Errorf("EmbedFor(%q) = %s %q %s, want %s %q %s", tt.url, e.Provider.Key, e.Frame, e.Shape, tt.provider, tt.frame, tt.shape)
			}
		})
	}
}

// TestProviderTable: every provider can be told apart and has what the
// facade needs.
func TestProviderTable(t *testing.T) {
	keys := map[string]bool{}
	for _, p := range providers {
		if keys[p.Key] || p.Name == "" || p.match == nil {
			t.Errorf("provider %q: duplicate key, or no name or matcher", p.Key)
		}
		keys[p.Key] = true
		for _, h := range p.Hosts {
			if h != strings.ToLower(h) || providerByHost[h] != p {
				t.Errorf("provider %q: host %q is not lower case or is claimed twice", p.Key, h)
			}
		}
	}
}

func TestFrameOrigins(t *testing.T) {
	r := New()
	tests := []struct {
		name string
		body string
		want []string
	}{
		{"none", "Just words and a [link](https://www.youtube.com/watch?v=aqz-KE-bpKQ).", nil},
		{"one provider twice, and another",
			"https://youtu.be/aqz-KE-bpKQ\n\nhttps://vimeo.com/76979871\n\nhttps://www.youtube.com/watch?v=aqz-KE-bpKQ",
			[]string{"https://player.vimeo.com", "https://www.youtube-nocookie.com"}},
		{"a link-only card needs no frame", "https://bsky.app/profile/alice.bsky.social/post/3kabcdefghi2x", nil},
		{"a forged facade is stripped before it counts",
			`<div class="embed-box" data-embed-src="https://evil.example/">x</div>` + "\n\n<figure data-embed-src=\"https://evil.example/\"></figure>", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, _, err := r.Article(tt.body)
			if err != nil {
				t.Fatal(err)
			}
			if got := FrameOrigins(h); !slices.Equal(got, tt.want) {
				t.Errorf("FrameOrigins = %q, want %q\n%s", got, tt.want, h)
			}
		})
	}
}

func TestDisplayURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://www.youtube.com/watch?v=aqz-KE-bpKQ&t=5", "youtube.com/watch?v=aqz-KE-bpKQ&t=5"},
		{"https://www.instagram.com/p/BpmueLLgEn_/?utm_source=ig_share_sheet", "instagram.com/p/BpmueLLgEn_"},
		{"https://x.com/NASA/status/123?s=20", "x.com/NASA/status/123"},
		{"https://maps.google.com/?q=Tower+Bridge", "maps.google.com?q=Tower+Bridge"},
		{"https://example.org/" + strings.Repeat("a", 80) + ".pdf", "example.org/" + strings.Repeat("a", 47) + "…"},
	}
	for _, tt := range tests {
		if got := displayURL(tt.in); got != tt.want {
			t.Errorf("displayURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFacadeWords(t *testing.T) {
	tests := []struct{ url, label, note, button string }{
		{"https://youtu.be/aqz-KE-bpKQ", "YouTube video", "This video is on YouTube.", "Load YouTube content"},
		{"https://www.google.com/maps/@51.5,-0.12,15z", "Google Maps", "This map is on Google Maps.", "Load Google Maps content"},
		{"https://example.org/annual.pdf", "PDF document", "This document is on example.org.", "Load PDF content"},
		{"https://mastodon.social/@ana/123", "Mastodon post", "This post is on mastodon.social.", "Load Mastodon content"},
	}
	for _, tt := range tests {
		e, ok := EmbedFor(tt.url)
		if !ok {
			t.Fatalf("%s: no embed", tt.url)
		}
		f := e.facade("embed-1")
		for _, w := range []string{`<span class="embed-provider">` + tt.label + `</span>`, tt.note, ">" + tt.button + "</button>"} {
			if !strings.Contains(f, w) {
				t.Errorf("%s: facade lacks %q:\n%s", tt.url, w, f)
			}
		}
	}
}

func TestWithoutFacades(t *testing.T) {
	h, _, err := New().Article("Before.\n\nhttps://youtu.be/aqz-KE-bpKQ\n\nhttps://bsky.app/profile/alice.bsky.social/post/3kabcdefghi2x\n\nhttps://vimeo.com/76979871\n\nAfter.")
	if err != nil {
		t.Fatal(err)
	}
	got := WithoutFacades(h)
	for _, w := range []string{"<p>Before.</p>", `<figcaption id="embed-1"><span class="embed-provider">YouTube video</span> <a href="https://youtu.be/aqz-KE-bpKQ">`,
		`<figure class="embed embed-link" data-embed="bluesky">`, `<figcaption id="embed-3"><span class="embed-provider">Vimeo video</span>`, "<p>After.</p>"} {
		if !strings.Contains(got, w) {
			t.Errorf("lacks %q:\n%s", w, got)
		}
	}
	if strings.Contains(got, "<button") || strings.Contains(got, "embed-box") || strings.Count(got, "</div>") != 0 {
		t.Errorf("a facade's box is left:\n%s", got)
	}
}
