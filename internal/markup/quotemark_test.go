package markup

import (
	"regexp"
	"strings"
	"testing"
)

func TestMarkQuotes(t *testing.T) {
	r := New()
	tests := []struct {
		name  string
		md    string
		spans []QuoteSpan
		want  []string // substrings of the result
		not   []string
	}{
		{
			name:  "running text: the q element takes the marks' place",
			md:    `"We are pleased," said Mayor Ann Other. "Very."`,
			spans: []QuoteSpan{{Text: "We are pleased,", ID: "quote-0", Cite: "https://x.test/people/ann-other"}, {Text: "Very.", ID: "quote-1"}},
			want:  []string{`<p><q id="quote-0" cite="https://x.test/people/ann-other">We are pleased,</q> said Mayor Ann Other. <q id="quote-1">Very.</q></p>`},
		},
		{
			name:  "inline markup inside the quotation",
			md:    `She said: "It is *not* over & never was."`,
			spans: []QuoteSpan{{Text: "It is not over & never was.", ID: "quote-0"}},
			want:  []string{`<q id="quote-0">It is <em>not</em> over &amp; never was.</q>`},
		},
		{
			name:  "white space differs between text and HTML",
			md:    "He said \"one\ntwo  three\" and left.",
			spans: []QuoteSpan{{Text: "one two three"}},
			want:  []string{"<q>one\ntwo  three</q>"},
		},
		{
			name:  "crossing an element boundary is left alone",
			md:    `*He said "one* two" and left.`,
			spans: []QuoteSpan{{Text: "one two"}},
			not:   []string{"<q"},
		},
		{
			name:  "a pull quote cites its speaker on the blockquote",
			md:    "> “Those plans were in a drawer.”\n>\n> — Pauline Arkwright",
			spans: []QuoteSpan{{Text: "Those plans were in a drawer.", Cite: "https://x.test/people/pauline-arkwright"}},
			want:  []string{`<blockquote class="pullquote" cite="https://x.test/people/pauline-arkwright">`, "“Those plans were in a drawer.”"},
			not:   []string{"<q"},
		},
		{
			name:  "a repeated phrase is marked where it is quoted",
			md:    `Yes, no. Then "no" she said.`,
			spans: []QuoteSpan{{Text: "no"}},
			want:  []string{`Yes, no. Then <q>no</q> she said.`},
		},
		{
			name:  "attribute values are escaped",
			md:    `"Hi," he said.`,
			spans: []QuoteSpan{{Text: "Hi,", Cite: `https://x.test/"><script>`}},
			want:  []string{`cite="https://x.test/&#34;&gt;&lt;script&gt;"`},
			not:   []string{"<script>"},
		},
		{
			name:  "a span not in the text changes nothing",
			md:    `"Hello," she said.`,
			spans: []QuoteSpan{{Text: "Goodbye"}},
			not:   []string{"<q"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, _, err := r.Article(tt.md)
			if err != nil {
				t.Fatal(err)
			}
			got := MarkQuotes(h, tt.spans)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("result lacks %q:\n%s", w, got)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(got, n) {
					t.Errorf("result contains %q:\n%s", n, got)
				}
			}
			// Whatever was marked, sanitising again changes nothing but
			// what the policy would drop from q (nothing we add).
			if again := r.Sanitize(got); again != got && !strings.Contains(tt.name, "escaped") {
				t.Errorf("marked HTML is not stable under the sanitiser:\n%s\n%s", got, again)
			}
		})
	}
}

// FuzzMarkQuotes: whatever the article and whatever quotations are found
// in it, marking them keeps the sanitiser's guarantee (checkSafe), opens
// as many q elements as it closes, and leaves the text as it was but for
// the quotation marks the q elements replace.
func FuzzMarkQuotes(f *testing.F) {
	for _, s := range []string{
		`"We are pleased," said Mayor Ann Other. "Very."`,
		`She said: "It is *not* over & never was."`,
		"> “Those plans were in a drawer.”\n>\n> — Pauline Arkwright",
		`*He said "one* two" and left.`,
		`"<script>alert(1)</script>" he wrote, "<b>bold</b> & [link](javascript:x)".`,
	} {
		f.Add(s, "https://x.test/people/a\"b")
	}
	r := New()
	quoted := regexp.MustCompile(`["“]([^"“”]+)["”]`)
	f.Fuzz(func(t *testing.T, md, cite string) {
		h, text, err := r.Article(md)
		if err != nil {
			return
		}
		var spans []QuoteSpan
		for i, m := range quoted.FindAllStringSubmatch(text, -1) {
			spans = append(spans, QuoteSpan{Text: m[1], ID: "quote-" + strings.Repeat("x", i%3), Cite: cite})
		}
		out := MarkQuotes(h, spans)
		checkSafe(t, out)
		if o, c := strings.Count(out, "<q"), strings.Count(out, "</q>"); o-strings.Count(h, "<q") != c-strings.Count(h, "</q>") {
			t.Fatalf("%d q elements opened, %d closed:\n%s", o, c, out)
		}
		strip := func(s string) string {
			s = regexp.MustCompile(`</?q[^>]*>| cite="[^"]*"`).ReplaceAllString(s, "")
			return strings.NewReplacer(`"`, "", "“", "", "”", "", "&#34;", "", "&quot;", "").Replace(s)
		}
		if strip(out) != strip(h) {
			t.Fatalf("text changed:\n%s\n%s", h, out)
		}
	})
}

// BenchmarkMarkQuotes marks 2,000 quotations in a long article.
func BenchmarkMarkQuotes(b *testing.B) {
	var md strings.Builder
	var spans []QuoteSpan
	for i := 0; i < 2000; i++ {
		q := "We said it " + strings.Repeat("again and ", i%7) + "once more,"
		md.WriteString("“" + q + "” said *Ann Other*, [who](https://x.test) spoke. “And *that* is all.”\n\n")
		spans = append(spans, QuoteSpan{Text: q, ID: "quote-x", Cite: "https://x.test/people/ann-other"}, QuoteSpan{Text: "And that is all."})
	}
	h, _, err := New().Article(md.String())
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		MarkQuotes(h, spans)
	}
}
