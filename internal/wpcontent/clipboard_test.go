package wpcontent_test

import (
	"os"
	"strings"
	"testing"

	"masthead/internal/wpcontent"
)

// The fixtures are what Google Docs and Microsoft Word put on the
// clipboard as text/html (structure as those programs write it; the text
// is the demo newsroom's). The browser test pastes the same files.
func TestClipboardFixtures(t *testing.T) {
	cases := []struct {
		file string
		want string
	}{
		{"clipboard-google-docs.html", `## Harbour ferry to sail every twenty minutes

The Old Quay ferry will run **every twenty minutes** at peak times from Monday, the operator said, after a *six-week* trial that carried more passengers than any summer since 2019. The full [timetable](https://example.org/northgate-ferry/timetable) is on the operator’s site.

Commuters will notice two changes:

- the first crossing leaves Ferry Lane at 6.40am;
- bicycles travel free **before 8am**.

### What passengers said

“It has made the morning bearable,” said Aisha Rahman, who crosses daily to the hospital. *The Courier* asked readers for their views last week.

How to give feedback:

1. fill in the card on board;
2. or write to the harbour office.
`},
		{"clipboard-word.html", `## Swing bridge repairs to finish in March

Engineers expect the Old Quay swing bridge to reopen to traffic **by the end of March**, three months later than the council promised in the autumn. The delay was caused by *corroded bearings* found when the deck was lifted, according to a [report to the highways committee](https://example.org/northgate-council/bridge-report).

Until then, the council says:

- pedestrians can still cross on the temporary footbridge;
- the number 4 bus is diverted over **Wend Road**.

Traders on Quay Street have asked for two things:

1. free parking at the Chandlers Row car park;
2. signs on the ring road saying the quayside is open.
`},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			src, err := os.ReadFile("testdata/" + c.file)
			if err != nil {
				t.Fatal(err)
			}
			got, err := wpcontent.Clipboard(string(src))
			if err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Errorf("got\n%s\nwant\n%s", got, c.want)
			}
		})
	}
}

func TestClipboard(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"docs wrapper is not bold", `<b style="font-weight:normal;" id="docs-internal-guid-1"><p>plain</p><p>text</p></b>`, "plain\n\ntext"},
		{"styled spans", `<p><span style="font-weight: bold">b</span> <span style="font-weight:600;font-style:italic">bi</span> <span style="font-weight:400">n</span></p>`,
			"**b** ***bi*** n"},
		{"word's bidi overrides do not count", `<p><b style='mso-bidi-font-weight:normal'>b</b> <i style='mso-bidi-font-style:normal'>i</i></p>`, "**b** *i*"},
		{"a heading's weight is its own", `<h2><span style="font-weight:700">Head</span></h2>`, "## Head"},
		{"h1 becomes a subheading", "<h1>Title</h1><p>x</p>", "## Title\n\nx"},
		{"newlines are spaces", "<p>one\ntwo</p>", "one two"},
		{"web page clutter goes", `<div class="post"><script>alert(1)</script><style>p{}</style><p>Text<sup>1</sup> <img src="https://cdn.example/x.jpg" alt="x"> <font color="red">red</font></p></div>`,
			"Text1 red"},
		{"tables keep their words", "<table><tr><td>a</td><td>b</td></tr></table>", "a\n\nb"},
		{"figures keep their caption", `<figure><img src="/x.jpg"><figcaption>Caption</figcaption></figure>`, "Caption"},
		{"a URL alone stays an embed", `<p><a href="https://www.youtube.com/watch?v=x">https://www.youtube.com/watch?v=x</a></p>`, "<https://www.youtube.com/watch?v=x>"},
		{"quotes stay", "<blockquote><p>Said</p></blockquote>", "> Said"},
		{"nested word list", `<p style='mso-list:l0 level1 lfo1'><span style='mso-list:Ignore'>·</span>a</p>
<p style='mso-list:l0 level2 lfo1'><span style='mso-list:Ignore'>o</span>a1</p>
<p style='mso-list:l0 level1 lfo1'><span style='mso-list:Ignore'>·</span>b</p>`, "- a\n  - a1\n- b"},
		{"word lists apart", `<p style='mso-list:l0 level1 lfo1'><span style='mso-list:Ignore'>1.</span>a</p><p>between</p><p style='mso-list:l0 level1 lfo1'><span style='mso-list:Ignore'>2.</span>b</p>`,
			"1. a\n\nbetween\n\n2. b"},
		{"empty", "<br>", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := wpcontent.Clipboard(c.in)
			if err != nil {
				t.Fatal(err)
			}
			if got = strings.TrimSuffix(got, "\n"); got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}
