package markup

import "testing"

func TestHTMLText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain\r\ntext", "plain\ntext"},
		{"<p>One</p><p>Two<br>three</p>", "One\n\nTwo\nthree"},
		{`<a href="https://example.org/x">the plan</a>`, "the plan (https://example.org/x)"},
		{`<a href="https://example.org/x">https://example.org/x</a>`, "https://example.org/x"},
		// A fediverse mention and hashtag keep their text only.
		{`<span class="h-card"><a href="https://news.example/author/ada" class="u-url mention">@<span>ada</span></a></span> hi <a href="https://social.example/tags/trams" class="mention hashtag">#<span>trams</span></a>`, "@ada hi #trams"},
		{`<script>alert(1)</script><style>p{}</style>safe`, "safe"},
		{`&lt;script&gt; is text`, "<script> is text"},
		{`<a href="javascript:alert(1)">click</a>`, "click"},
	}
	for _, tt := range tests {
		if got := HTMLText(tt.in); got != tt.want {
			t.Errorf("HTMLText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := HTMLLine("<b>Alice</b>\n  Example "); got != "Alice Example" {
		t.Errorf("HTMLLine: %q", got)
	}
}
