package store

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Snippets on SQLite are made here, from an article's body as readers see
// it: the search index keeps no text to make them from (0030). A snippet
// is the passage of snippetWords words with the most of the search's
// different words, then the most matches, the earliest of equals — what
// FTS5's snippet() chose — with the matches marked.

// snippetWords is how long a snippet is, in words.
const snippetWords = 24

// snippetTerm is a word of a search: matched whole (in any of the forms
// the index's stemmer folds together) or, for a word being typed, as the
// beginning of a word.
type snippetTerm struct {
	word   string
	prefix bool
}

// matchTerms reads the words of an FTS5 query made by matchWords: each is
// quoted, "" standing for a quote, and a * after it makes it a prefix.
func matchTerms(match string) []snippetTerm {
	var terms []snippetTerm
	for i := 0; i < len(match); i++ {
		if match[i] != '"' {
			continue
		}
		var w strings.Builder
		j := i + 1
		for ; j < len(match); j++ {
			if match[j] == '"' {
				if j+1 < len(match) && match[j+1] == '"' {
					w.WriteByte('"')
					j++
					continue
				}
				break
			}
			w.WriteByte(match[j])
		}
		prefix := j+1 < len(match) && match[j+1] == '*'
		if word := fold(w.String()); word != "" {
			terms = append(terms, snippetTerm{word: word, prefix: prefix})
		}
		i = j
	}
	return terms
}

// fold lowercases a word and takes off its diacritics, as the index's
// tokenizer does.
func fold(w string) string {
	ascii := true
	for i := 0; i < len(w); i++ {
		if w[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(w)
	}
	var b strings.Builder
	for _, r := range norm.NFD.String(w) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// stemSuffixes are the English endings taken off to compare words, longest
// first: a rough stand-in for the index's Porter stemmer, which is only
// needed here to choose which words to mark.
var stemSuffixes = [...]string{"ations", "ation", "ings", "ing", "ies", "ied", "ed", "es", "ly", "s", "e", "y"}

func stemRoot(w string) string {
	for _, suf := range stemSuffixes {
		if len(w)-len(suf) >= 3 && strings.HasSuffix(w, suf) {
			return w[:len(w)-len(suf)]
		}
	}
	return w
}

// termOf is the index of the term a word of the text matches, or -1.
func termOf(word string, terms []snippetTerm, roots []string) int {
	// Every way to match begins with the term's root: a word whose first
	// letter (ASCII, folded) begins none of them is not folded at all.
	if c := word[0]; c < utf8.RuneSelf {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		some := false
		for _, r := range roots {
			some = some || r[0] == c
		}
		if !some {
			return -1
		}
	}
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

// makeSnippet is the snippet of text for terms.
func makeSnippet(text string, terms []snippetTerm) string {
	type word struct{ start, end, term int }
	roots := make([]string, len(terms))
	for i, t := range terms {
		roots[i] = stemRoot(t.word)
	}
	words := make([]word, 0, len(text)/5)
	start := -1
	for i, r := range text {
		var inWord bool
		if r < utf8.RuneSelf {
			inWord = 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
		} else {
			inWord = unicode.IsLetter(r) || unicode.IsDigit(r)
		}
		switch {
		case inWord && start < 0:
			start = i
		case !inWord && start >= 0:
			words = append(words, word{start, i, termOf(text[start:i], terms, roots)})
			start = -1
		}
	}
	if start >= 0 {
		words = append(words, word{start, len(text), termOf(text[start:], terms, roots)})
	}
	if len(words) == 0 {
		return ""
	}
	// The window of snippetWords words slides over the text, counting the
	// matches of each term in it.
	best, bestScore := 0, -1
	inWindow := make([]int, len(terms))
	distinct, hits := 0, 0
	add := func(w word, n int) {
		if w.term >= 0 {
			if inWindow[w.term] == 0 {
				distinct++
			}
			inWindow[w.term] += n
			if inWindow[w.term] == 0 {
				distinct--
			}
			hits += n
		}
	}
	for _, w := range words[:min(snippetWords, len(words))] {
		add(w, 1)
	}
	for from := range max(1, len(words)-snippetWords+1) {
		if from > 0 {
			add(words[from-1], -1)
			add(words[from+snippetWords-1], 1)
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

// htmlText is the text of a rendered body for a snippet: tags become
// spaces, character references are decoded and spaces collapsed. The body is the store's
// own sanitised HTML, so a tag never holds a bare ">" outside quotes that
// would matter here.
func htmlText(h string) string {
	var b strings.Builder
	b.Grow(len(h))
	space := true // at the start: no leading space
	text := func(t string) {
		for len(t) > 0 {
			i := 0
			for i < len(t) && !isHTMLSpace(t[i]) {
				i++
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

// isHTMLSpace tells whether c is one of HTML's spaces: space, tab, line
// feed, carriage return, form feed.
func isHTMLSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
}
