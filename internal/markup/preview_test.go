package markup

import (
	"strings"
	"testing"
)

// TestPreviewLinksRemoteImages: the newsroom's preview loads images from
// the site only (issue 15, finding 10); any other image becomes a link.
func TestPreviewLinksRemoteImages(t *testing.T) {
	r := New()
	tests := []struct {
		name, src  string
		want, lack string
	}{
		{"markdown, remote", "![A cat](https://evil.example/p.png)", `<a class="remote-image" href="https://evil.example/p.png" rel="noopener noreferrer">Image from elsewhere, not loaded in the preview: A cat</a>`, "<img"},
		{"markdown, library", "![A cat](/media/lib/ab/cat.jpg)", `<img src="/media/lib/ab/cat.jpg" alt="A cat" loading="lazy">`, "remote-image"},
		{"raw HTML, remote", `<img src="http://evil.example/p.png">`, `href="http://evil.example/p.png"`, "<img"},
		{"scheme-relative", `<img src="//evil.example/p.png">`, `href="//evil.example/p.png"`, "<img"},
		{"split by a tab", "<img src=\"/\t/evil.example/p.png\">", "", "<img"},
		{"relative", `<img src="p.png">`, "remote-image", "<img"},
		{"no source", `<img alt="nothing">`, "", "<img"},
		{"escaped alt text", `<img src="https://evil.example/p.png" alt="Tom's cat">`, "not loaded in the preview: Tom&#39;s cat</a>", "<img"},
		{"everything else is kept", "Some *text* and a [link](https://example.org).", `<p>Some <em>text</em> and a <a href="https://example.org">link</a>.</p>`, "remote-image"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := r.Preview(tt.src)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(got, tt.want) || strings.Contains(got, tt.lack) {
				t.Errorf("Preview(%q) = %q, want %q and no %q", tt.src, got, tt.want, tt.lack)
			}
		})
	}
}
