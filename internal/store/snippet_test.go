package store

import (
	"html"
	"strings"
	"testing"
	"unicode"
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

// FuzzMakeSnippet holds makeSnippet and htmlText to the simpler code they
// replaced (a window scored afresh at every word, every word folded).
func FuzzMakeSnippet(f *testing.F) {
	body := "<p>The Council's <em>councils</em> voted, at the harbour, to cut the school budget &amp; close a court.</p>\n<p>Café owners said the COUNCIL\tcould not count.</p>"
	for _, match := range []string{`"harbour"`, `"council" AND "vote"`, `"bud"*`, `("cou" OR "council" OR "court" OR "county")`, `"cafe"`, `"school" AND "budget"`} {
		f.Add(match, body)
		f.Add(match, strings.Repeat(body, 8))
	}
	f.Fuzz(func(t *testing.T, match, body string) {
		if got, want := htmlText(body), referenceHTMLText(body); got != want {
			t.Fatalf("htmlText(%q) = %q, was %q", body, got, want)
		}
		terms := matchTerms(match)
		text := htmlText(body)
		if got, want := makeSnippet(text, terms), referenceSnippet(text, terms); got != want {
			t.Fatalf("makeSnippet(%q, %q) = %q, was %q", text, match, got, want)
		}
	})
}

func referenceTermOf(word string, terms []snippetTerm, roots []string) int {
	w := fold(word)
	for i, t := range terms {
		switch {
		case t.prefix && strings.HasPrefix(w, t.word), w == t.word:
			return i
		case !t.prefix && strings.HasPrefix(w, roots[i]) && (stemRoot(w) == roots[i] || len(w)-len(roots[i]) <= 3):
			return i
		}
	}
	return -1
}

func referenceSnippet(text string, terms []snippetTerm) string {
	type word struct{ start, end, term int }
	roots := make([]string, len(terms))
	for i, t := range terms {
		roots[i] = stemRoot(t.word)
	}
	words := make([]word, 0, len(text)/5)
	start := -1
	for i, r := range text {
		inWord := unicode.IsLetter(r) || unicode.IsDigit(r)
		switch {
		case inWord && start < 0:
			start = i
		case !inWord && start >= 0:
			words = append(words, word{start, i, referenceTermOf(text[start:i], terms, roots)})
			start = -1
		}
	}
	if start >= 0 {
		words = append(words, word{start, len(text), referenceTermOf(text[start:], terms, roots)})
	}
	if len(words) == 0 {
		return ""
	}
	best, bestScore := 0, -1
	seen := make([]bool, len(terms))
	for from := range max(1, len(words)-snippetWords+1) {
		clear(seen)
		distinct, hits := 0, 0
		for _, w := range words[from:min(from+snippetWords, len(words))] {
			if w.term >= 0 {
				if !seen[w.term] {
					seen[w.term] = true
					distinct++
				}
				hits++
			}
		}
		if score := distinct*1000 + hits; score > bestScore {
			best, bestScore = from, score
		}
	}
	// Some words before the first match, where the text allows.
	for i, w := range words[best:min(best+snippetWords, len(words))] {
		if w.term >= 0 {
			best = max(best, min(best+i-4, len(words)-snippetWords))
			break
		}
	}
	shown := words[best:min(best+snippetWords, len(words))]
	var b strings.Builder
	if best > 0 {
		b.WriteString("…")
	}
	at := shown[0].start
	for _, w := range shown {
		b.WriteString(text[at:w.start])
		if w.term >= 0 {
			b.WriteString(SnippetOpen + text[w.start:w.end] + SnippetClose)
		} else {
			b.WriteString(text[w.start:w.end])
		}
		at = w.end
	}
	if best+snippetWords < len(words) {
		b.WriteString("…")
	} else {
		b.WriteString(text[at:])
	}
	return b.String()
}

func referenceHTMLText(h string) string {
	var b strings.Builder
	b.Grow(len(h))
	space := true // at the start: no leading space
	text := func(t string) {
		for len(t) > 0 {
			i := strings.IndexAny(t, " \t\n\r\f")
			if i < 0 {
				i = len(t)
			}
			if i > 0 {
				if space && b.Len() > 0 {
					b.WriteByte(' ')
				}
				b.WriteString(t[:i])
				space = false
			}
			if i < len(t) {
				space = true
				i++
			}
			t = t[i:]
		}
	}
	for {
		i := strings.IndexByte(h, '<')
		if i < 0 {
			text(h)
			break
		}
		text(h[:i])
		space = true
		j := strings.IndexByte(h[i:], '>')
		if j < 0 {
			break
		}
		h = h[i+j+1:]
	}
	return html.UnescapeString(b.String())
}
