package markup

import (
	"strings"
	"testing"
)

func TestRemoveImages(t *testing.T) {
	const gone = "/media/lib/ab/abcdef"
	drop := func(url string) bool { return strings.Contains(url, gone) }
	tests := map[string]struct{ in, want string }{
		"alone on its line": {
			"Before.\n\n![A harbour](/media/lib/ab/abcdef-960x640.jpg)\n\nAfter.",
			"Before.\n\nAfter."},
		"the first paragraph": {
			"![A harbour](/media/lib/ab/abcdef-960x640.jpg)\n\nAfter.",
			"After."},
		"with a title, in a paragraph": {
			"See ![the map](/media/lib/ab/abcdef.png \"Map\") here.",
			"See  here."},
		"absolute address": {
			"![x](https://news.example/media/lib/ab/abcdef-480x320.jpg)\nText",
			"Text"},
		"linked image": {
			"[![x](/media/lib/ab/abcdef.jpg)](https://example.org/big)\nText",
			"Text"},
		"another image stays": {
			"![keep](/media/lib/cd/123456.jpg)\n![go](</media/lib/ab/abcdef.jpg>)",
			"![keep](/media/lib/cd/123456.jpg)"},
		"html figure": {
			"One\n<figure class=\"wp\">\n  <img src=\"/media/lib/ab/abcdef.jpg\" alt=\"\">\n  <figcaption>Cap</figcaption>\n</figure>\nTwo",
			"One\nTwo"},
		"html img by srcset": {
			"<p><img alt=x srcset='/media/lib/ab/abcdef-480x320.jpg 480w, /media/lib/ab/abcdef-960x640.jpg 960w'> text</p>",
			"<p> text</p>"},
		"html figure of another image": {
			"<figure><img src=\"/media/lib/cd/123456.jpg\"></figure>",
			"<figure><img src=\"/media/lib/cd/123456.jpg\"></figure>"},
		"a link to the file is not an image": {
			"[download](/media/lib/ab/abcdef.jpg)",
			"[download](/media/lib/ab/abcdef.jpg)"},
		"nothing to do": {"Plain text.", "Plain text."},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			if got := RemoveImages(tt.in, drop); got != tt.want {
				t.Errorf("RemoveImages:\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}
