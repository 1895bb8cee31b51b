package markup

import (
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
