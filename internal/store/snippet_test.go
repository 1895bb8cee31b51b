package store

import (
	"strings"
	"testing"
)

func TestMakeSnippet(t *testing.T) {
	long := "One two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty " +
		"twenty-one twenty-two twenty-three twenty-four twenty-five. The councillors voted on the harbour budget. Then they went home."
	cases := []struct {
		name, match, text, want string
	}{
		{"short text, one word", `"harbour"`, "The harbour opens.", "The \x02harbour\x03 opens."},
		{"forms of a word", `"council" AND "vote"`, "The council's councils voted to vote.", "The \x02council\x03's \x02councils\x03 \x02voted\x03 to \x02vote\x03."},
		{"prefix", `"bud"*`, "A budget, a bud and a bid.", "A \x02budget\x03, a \x02bud\x03 and a bid."},
		{"completions", `("cou" OR "council" OR "court")`, "The court and the council.", "The \x02court\x03 and the \x02council\x03."},
		{"accents", `"cafe"`, "The Café opens.", "The \x02Café\x03 opens."},
		{"no match", `"zzyzx"`, "Nothing to see.", "Nothing to see."},
		{"the passage with the words", `"harbour" AND "budget"`, long,
			"…eighteen nineteen twenty twenty-one twenty-two twenty-three twenty-four twenty-five. The councillors voted on the \x02harbour\x03 \x02budget\x03. Then they went home."},
		{"empty", `"x"`, "", ""},
	}
	for _, c := range cases {
		if got := makeSnippet(c.text, matchTerms(c.match)); got != c.want {
			t.Errorf("%s:\n got %q\nwant %q", c.name, got, c.want)
		}
	}
}

func TestHTMLText(t *testing.T) {
	for in, want := range map[string]string{
		`<p>The <em>harbour</em> &amp; the <a href="/x?a=1&amp;b=2">quay</a>.</p>`: `The harbour &amp; the quay .`,
		`plain`: `plain`,
		`<figure><img alt="a &gt; b" src="/m.png"><figcaption>Photo</figcaption></figure>`: `Photo`,
	} {
		want = strings.ReplaceAll(want, "&amp;", "&")
		if got := htmlText(in); got != want {
			t.Errorf("htmlText(%q) = %q, want %q", in, got, want)
		}
	}
}
