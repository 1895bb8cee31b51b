package news

import (
	"testing"
	"unicode/utf8"
)

func FuzzSlugify(f *testing.F) {
	for _, s := range []string{"Council backs 400 new homes", "Æsir: Ölçek — ÜBER straße!", "Что происходит", "東京の天気", "", "   ", "--", "a'b’c", "\x00\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		slug := Slugify(s)
		if !ValidSlug(slug) {
			t.Fatalf("Slugify(%q) = %q, not a valid slug", s, slug)
		}
		if Slugify(s) != slug {
			t.Fatalf("Slugify is not deterministic for %q", s)
		}
		for n := 2; n < 4; n++ {
			if v := SlugWithSuffix(slug, n); !ValidSlug(v) {
				t.Fatalf("SlugWithSuffix(%q, %d) = %q", slug, n, v)
			}
		}
	})
}

func FuzzCommentInput(f *testing.F) {
	f.Add("Ana", "ana@example.org", "https://example.org", "Hello")
	f.Add("", "not-an-email", "javascript:alert(1)", "")
	f.Add("\x00", "a@b", "ftp://x", "\xff\xfe")
	f.Fuzz(func(t *testing.T, name, email, website, body string) {
		in := CommentInput{Name: name, Email: email, Website: website, Body: body}
		in.Normalize()
		fe := in.Validate()
		if len(fe) == 0 {
			if !utf8.ValidString(in.Name + in.Email + in.Website + in.Body) {
				t.Fatalf("accepted invalid UTF-8: %+v", in)
			}
			if in.Website != "" && !(len(in.Website) > 8 && (in.Website[:7] == "http://" || in.Website[:8] == "https://")) {
				t.Fatalf("accepted website %q", in.Website)
			}
			if in.Name == "" || in.Body == "" || in.Email == "" {
				t.Fatalf("accepted empty required field: %+v", in)
			}
		}
	})
}
