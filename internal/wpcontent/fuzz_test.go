package wpcontent_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"masthead/internal/wpcontent"
)

// FuzzToMarkdown feeds arbitrary bodies to the converter: it must never
// panic or fail, must return valid UTF-8 ending in a newline, and must not
// lose a word of the body's visible text.
func FuzzToMarkdown(f *testing.F) {
	for _, tt := range convertTests {
		f.Add(tt.in)
	}
	for _, it := range loadTheme(f).bodies {
		f.Add(it.Content)
	}
	f.Fuzz(func(t *testing.T, in string) {
		md, err := wpcontent.ToMarkdown(in)
		if err != nil {
			t.Fatalf("ToMarkdown(%q): %v", in, err)
		}
		if !utf8.ValidString(md) {
			t.Fatalf("ToMarkdown(%q) = %q: invalid UTF-8", in, md)
		}
		if md != "" && !strings.HasSuffix(md, "\n") {
			t.Fatalf("ToMarkdown(%q) = %q: no final newline", in, md)
		}
		// The word check's own reading of shortcodes is a regular
		// expression that malformed ones fool, so it runs on bodies
		// without brackets; shortcodes have table tests of their own.
		if utf8.ValidString(in) && !strings.ContainsAny(in, "\x00[") {
			if lost := lostWords(in, md); len(lost) > 0 {
				t.Fatalf("ToMarkdown(%q) = %q lost %q", in, md, lost)
			}
		}
	})
}

// BenchmarkConvertThemeUnitTest converts every post and page body of the
// Theme Unit Test export; MB/s is over the HTML input.
func BenchmarkConvertThemeUnitTest(b *testing.B) {
	site := loadTheme(b)
	size := 0
	for _, it := range site.bodies {
		size += len(it.Content)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, it := range site.bodies {
			if _, err := wpcontent.Convert(it.Content, site.options(it)); err != nil {
				b.Fatal(err)
			}
		}
	}
}
