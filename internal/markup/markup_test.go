package markup

import (
	"errors"
	"strings"
	"testing"
)

func TestArticle(t *testing.T) {
	r := New()
	tests := []struct {
		name      string
		src       string
		want      []string
		forbidden []string
		plain     string
	}{
		{
			name:  "typographic quotes and dashes",
			src:   `"We are ready," she said -- and meant it --- really.`,
			want:  []string{"“We are ready,” she said – and meant it — really."},
			plain: "“We are ready,” she said – and meant it — really.",
		},
		{
			name: "headings start at h2",
			src:  "# Big\n\n## Smaller\n\ntext",
			want: []string{"<h2>Big</h2>", "<h2>Smaller</h2>"},
		},
		{
			name:  "pull quote",
			src:   "> \"Build it.\"\n>\n> — Ana Ruiz, mayor",
			want:  []string{`<blockquote class="pullquote">`, `<p class="attribution">`},
			plain: "“Build it.”\n\n— Ana Ruiz, mayor",
		},
		{
			name: "plain blockquote stays plain",
			src:  "> A quoted letter.",
			want: []string{"<blockquote>\n<p>A quoted letter.</p>"},
		},
		{
			name:      "script and handlers removed",
			src:       "Hi <script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1)) <a href=\"https://e.org\" onclick=\"x()\">e</a>",
			forbidden: []string{"<script", "onerror", "javascript:", "onclick"},
		},
		{
			name: "lists, links and images",
			src:  "- one\n- two\n\n[site](https://example.org) ![A pier](/media/pier.png)",
			want: []string{"<ul>", "<li>one</li>", `<a href="https://example.org">site</a>`, `<img src="/media/pier.png" alt="A pier" loading="lazy">`},
		},
		{
			name: "a lone image is a figure, its title the caption",
			src:  "Before.\n\n![Boats at the quay](https://example.org/boats.jpg \"Boats at Old Quay, \\\"before\\\" the flood\")\n\nAfter.",
			want: []string{`<figure><img src="https://example.org/boats.jpg" alt="Boats at the quay" loading="lazy"><figcaption>Boats at Old Quay, &#34;before&#34; the flood</figcaption></figure>`},
			// The alt text is still text a reader may search for.
			plain: "Before.\n\nBoats at the quay\n\nAfter.",
		},
		{
			name:      "a lone image without a title is a figure without a caption",
			src:       "![A pier](/media/pier.png)",
			want:      []string{`<figure><img src="/media/pier.png" alt="A pier" loading="lazy"></figure>`},
			forbidden: []string{"<figcaption", "<p>"},
		},
		{
			name:      "a caption cannot carry markup",
			src:       `![x](/a.png "<script>alert(1)</script><b>bold</b>")`,
			want:      []string{`<figcaption>&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;</figcaption>`},
			forbidden: []string{"<script", "<b>"},
		},
		{
			name:      "an image in a sentence stays inline",
			src:       "See ![a map](/m.png \"Map\") here.",
			want:      []string{`<p>See <img src="/m.png" alt="a map" title="Map" loading="lazy"> here.</p>`},
			forbidden: []string{"<figure"},
		},
		{
			name:      "a script image address is dropped",
			src:       `![x](javascript:alert(1) "c")`,
			forbidden: []string{"javascript:"},
		},
		{
			name: "a lone provider URL is an embed facade",
			src:  "Watch:\n\nhttps://www.youtube.com/watch?v=aqz-KE-bpKQ\n\nThen read on.",
			want: []string{
				`<figure class="embed embed-wide" data-embed="youtube"><div class="embed-box" data-embed-src="https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ" data-embed-title="YouTube video: youtube.com/watch?v=aqz-KE-bpKQ" data-embed-allow="fullscreen; picture-in-picture; encrypted-media" data-embed-sandbox="allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox">`,
				`<button type="button" class="embed-load" aria-describedby="embed-1" hidden>Load YouTube content</button></div>`,
				`<figcaption id="embed-1"><span class="embed-provider">YouTube video</span> <a href="https://www.youtube.com/watch?v=aqz-KE-bpKQ">youtube.com/watch?v=aqz-KE-bpKQ</a></figcaption></figure>`,
				"<p>Then read on.</p>",
			},
			forbidden: []string{"<iframe", "<img", "embed-" + "placeholder"},
			plain:     "Watch:\n\nhttps://www.youtube.com/watch?v=aqz-KE-bpKQ\n\nThen read on.",
		},
		{
			name: "embeds written as autolinks and as links to themselves, numbered in order",
			src:  "<https://vimeo.com/76979871>\n\n[https://x.com/a/status/1](https://x.com/a/status/1)",
			want: []string{`data-embed="vimeo"`, `<figcaption id="embed-1">`, `data-embed="x"`, `<figcaption id="embed-2">`},
		},
		{
			name:      "a link-only card has no button and no frame",
			src:       "https://bsky.app/profile/alice.bsky.social/post/3kabcdefghi2x",
			want:      []string{`<figure class="embed embed-link" data-embed="bluesky"><figcaption id="embed-1">`},
			forbidden: []string{"<button", "data-embed-src"},
		},
		{
			name:      "a URL in a sentence, or a link with other words, stays a link",
			src:       "Watch https://youtu.be/aqz-KE-bpKQ now.\n\n[the video](https://youtu.be/aqz-KE-bpKQ)",
			forbidden: []string{"<figure", "data-embed"},
		},
		{
			name: "a raw iframe and a forged facade are stripped",
			src: `<iframe src="https://www.youtube.com/embed/aqz-KE-bpKQ"></iframe>` + "\n\n" +
				`<figure class="embed embed-wide" data-embed="youtube"><div class="embed-box" data-embed-src="https://evil.example/"><button type="button" class="embed-load">Load</button></div></figure>`,
			forbidden: []string{"<iframe", "data-embed", "<button", "embed-box", "evil.example"},
		},
		{
			name:  "plain text resolves escapes and entities, not in code",
			src:   "An open\\-top bus \\*at\\* AT&amp;T, `a\\-b`.",
			want:  []string{"<p>An open-top bus *at* AT&amp;T, <code>a\\-b</code>.</p>"},
			plain: "An open-top bus *at* AT&T, a\\-b.",
		},
		{
			name:  "plain text has paragraphs",
			src:   "First *para*.\n\nSecond with [a link](https://e.org).",
			plain: "First para.\n\nSecond with a link.",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, plain, err := r.Article(tt.src)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(h, w) {
					t.Errorf("html lacks %q:\n%s", w, h)
				}
			}
			for _, f := range tt.forbidden {
				if strings.Contains(strings.ToLower(h), f) {
					t.Errorf("html contains %q:\n%s", f, h)
				}
			}
			if tt.plain != "" && plain != tt.plain {
				t.Errorf("plain = %q, want %q", plain, tt.plain)
			}
		})
	}
}

func TestComment(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Hello", "<p>Hello</p>\n"},
		{"a\nb\n\nc", "<p>a<br>\nb</p>\n<p>c</p>\n"},
		{"<b>bold</b> & co", "<p>&lt;b&gt;bold&lt;/b&gt; &amp; co</p>\n"},
		{"See https://example.org/x?a=1&b=2.", `<p>See <a href="https://example.org/x?a=1&amp;b=2" rel="nofollow ugc noopener">https://example.org/x?a=1&amp;b=2</a>.</p>` + "\n"},
		{"www.example.net", `<p><a href="https://www.example.net" rel="nofollow ugc noopener">www.example.net</a></p>` + "\n"},
		{`https://e.org/"onmouseover="x`, `<p><a href="https://e.org/" rel="nofollow ugc noopener">https://e.org/</a>&#34;onmouseover=&#34;x</p>` + "\n"},
		{"javascript:alert(1)", "<p>javascript:alert(1)</p>\n"},
	}
	for _, tt := range tests {
		if got := Comment(tt.in); got != tt.want {
			t.Errorf("Comment(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// stubLibrary is a media library holding one image.
func stubLibrary(url string) (*LibraryImage, error) {
	if url != "/media/lib/ab/"+strings.Repeat("ab", 32)+"-1600x900.jpg" {
		return nil, nil
	}
	return &LibraryImage{Alt: "Library alt", Credit: "Photo: Ana Ruiz <staff>", Width: 1600, Height: 900,
		Srcset: "/media/lib/ab/" + strings.Repeat("ab", 32) + "-480x270.jpg 480w, /media/lib/ab/" + strings.Repeat("ab", 32) + "-1600x900.jpg 1600w",
		AVIF:   "/media/lib/ab/" + strings.Repeat("ab", 32) + "-480x270.avif 480w, /media/lib/ab/" + strings.Repeat("ab", 32) + "-1600x900.avif 1600w",
		WebP:   "/media/lib/ab/" + strings.Repeat("ab", 32) + "-480x270.webp 480w, /media/lib/ab/" + strings.Repeat("ab", 32) + "-1600x900.webp 1600w"}, nil
}

func TestArticleLibraryFigures(t *testing.T) {
	lib := New().WithLibrary(stubLibrary)
	libURL := "/media/lib/ab/" + strings.Repeat("ab", 32) + "-1600x900.jpg"
	tests := []struct {
		name      string
		src       string
		want      []string
		forbidden []string
	}{
		{
			name: "a library image gets its credit, size and variants",
			src:  "![The quay](" + libURL + ` "Floodwater on Ferry Lane")`,
			want: []string{`<figure><picture>` +
				`<source type="image/avif" srcset="/media/lib/ab/` + strings.Repeat("ab", 32) + `-480x270.avif 480w, /media/lib/ab/` + strings.Repeat("ab", 32) + `-1600x900.avif 1600w" sizes="(min-width: 44rem) 42rem, 100vw">` +
				`<source type="image/webp" srcset="/media/lib/ab/` + strings.Repeat("ab", 32) + `-480x270.webp 480w, /media/lib/ab/` + strings.Repeat("ab", 32) + `-1600x900.webp 1600w" sizes="(min-width: 44rem) 42rem, 100vw">` +
				`<img src="` + libURL + `" alt="The quay" loading="lazy" width="1600" height="900" srcset="/media/lib/ab/` +
				strings.Repeat("ab", 32) + `-480x270.jpg 480w, ` + libURL + ` 1600w" sizes="(min-width: 44rem) 42rem, 100vw"></picture>` +
				`<figcaption>Floodwater on Ferry Lane <span class="credit">Photo: Ana Ruiz &lt;staff&gt;</span></figcaption></figure>`},
		},
		{
			name: "without alt or caption, the library's alt and the credit alone",
			src:  "![](" + libURL + ")",
			want: []string{`alt="Library alt"`, `<figcaption><span class="credit">Photo: Ana Ruiz &lt;staff&gt;</span></figcaption>`},
		},
		{
			name:      "an image from elsewhere: caption, no credit, no srcset",
			src:       `![x](https://example.org/a.jpg "From elsewhere")`,
			want:      []string{`<figcaption>From elsewhere</figcaption>`},
			forbidden: []string{"srcset", "credit", "width="},
		},
		{
			name:      "sources typed into raw HTML are stripped",
			src:       `<picture><source type="image/avif" srcset="https://evil.example/x.avif 480w"><source type="text/html" srcset="/media/lib/ab/` + strings.Repeat("ab", 32) + `-480x270.avif 480w"><img src="/a.png"></picture>`,
			forbidden: []string{"evil", "text/html"},
		},
		{
			name:      "a srcset typed into raw HTML is stripped",
			src:       `<img src="/a.png" srcset="https://evil.example/x.png 2x" sizes="100vw">`,
			forbidden: []string{"srcset", "sizes", "evil"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, _, err := lib.Article(tt.src)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(h, w) {
					t.Errorf("html lacks %q:\n%s", w, h)
				}
			}
			for _, f := range tt.forbidden {
				if strings.Contains(h, f) {
					t.Errorf("html contains %q:\n%s", f, h)
				}
			}
		})
	}

	failing := New().WithLibrary(func(string) (*LibraryImage, error) { return nil, errors.New("database down") })
	if _, _, err := failing.Article("![x](" + libURL + ")"); err == nil || !strings.Contains(err.Error(), "database down") {
		t.Errorf("a failed lookup gave %v, want the error", err)
	}
}
