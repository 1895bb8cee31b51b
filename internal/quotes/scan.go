package quotes

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file turns plain text into paragraphs, quotation candidates and
// tokens. Quotation marks are paired first, per paragraph; the words between
// quotations are then tokenised, each quotation standing in the token stream
// as a single token, so the attribution rules see "X said , Q ." shapes.

type tokKind uint8

const (
	kWord tokKind = iota
	kPunct
	kQuote
)

type token struct {
	s, e   int // byte range in the text (for a quote: the marks included)
	kind   tokKind
	cls    wclass
	cap    bool // starts with an upper-case letter
	allCap bool // two or more letters, all upper-case
	poss   bool // possessive ('s)
	digit  bool // contains a digit
	q      int  // candidate index, for kQuote
	ment   int  // mention covering this token, -1 if none
	wEnd   int  // end of the word without its possessive ending

	contraction bool // "they're", "won't", "it's", "I": never part of a name
}

// candidate is a span between paired double quotation marks.
type candidate struct {
	open      int // byte offset of the opening mark
	start     int // inner span, marks excluded
	end       int
	para      int
	cont      bool // continues an unclosed quotation of the previous paragraph
	unclosed  bool // runs to the end of its paragraph
	terminal  bool // inner text ends with . ! or ?
	openEnded bool // inner text ends with a comma (attribution follows)
	words     int
	titleCase bool

	keep     bool
	ent      int // speaker entity, -1 unknown
	cue      string
	hasCue   bool
	after    bool // attributed by a clause after the quote
	joinPrev bool // same quotation as the previous kept candidate
	naming   bool
	afterEnd int // token index where the after-clause ends (exclusive)
	tok      int // token index within its paragraph
}

type paragraph struct {
	s, e  int
	toks  []token // without the speaker label of an interview's turn
	cands []int   // candidate indexes, in order
	// label is the paragraph's index in analyzer.labels when it opens
	// with an interview's speaker label, -1 otherwise (interview.go)
	label   int
	turn    uint8 // turnNone, turnAsk or turnAnswer
	turnEnt int   // the interviewee answering or asked, -1
}

func isQuoteOpenRune(r rune) bool  { return r == '“' || r == '„' || r == '«' }
func isQuoteCloseRune(r rune) bool { return r == '”' || r == '»' }
func isDoubleQuote(r rune) bool {
	return r == '"' || r == '“' || r == '”' || r == '„' || r == '«' || r == '»'
}

func isSpaceRune(r rune) bool {
	if r < 0x80 {
		return r == ' ' || r == '\n' || r == '\t' || r == '\r' || r == '\v' || r == '\f'
	}
	return unicode.IsSpace(r) || r == '\u200b' || r == '\u200d' || r == '\u200c' || r == '\ufeff' || r == '\u2060'
}

// splitParagraphs returns paragraph ranges: text separated by blank lines.
func splitParagraphs(text string, out [][2]int) [][2]int {
	start := 0
	i := 0
	for i < len(text) {
		if text[i] != '\n' {
			i++
			continue
		}
		// look for a second newline after optional horizontal space
		j := i + 1
		for j < len(text) && (text[j] == ' ' || text[j] == '\t' || text[j] == '\r') {
			j++
		}
		if j < len(text) && text[j] == '\n' {
			if s, e := trimRange(text, start, i); s < e {
				out = append(out, [2]int{s, e})
			}
			for j < len(text) && (text[j] == '\n' || text[j] == ' ' || text[j] == '\t' || text[j] == '\r') {
				j++
			}
			start = j
			i = j
			continue
		}
		i = j
	}
	if s, e := trimRange(text, start, len(text)); s < e {
		out = append(out, [2]int{s, e})
	}
	return out
}

func trimRange(text string, s, e int) (int, int) {
	for s < e {
		r, n := utf8.DecodeRuneInString(text[s:])
		if !isSpaceRune(r) {
			break
		}
		s += n
	}
	for e > s {
		r, n := utf8.DecodeLastRuneInString(text[:e])
		if !isSpaceRune(r) {
			break
		}
		e -= n
	}
	return s, e
}

func runeBefore(text string, i, lo int) rune {
	if i <= lo {
		return ' '
	}
	r, _ := utf8.DecodeLastRuneInString(text[:i])
	return r
}

func runeAt(text string, i, hi int) rune {
	if i >= hi {
		return ' '
	}
	r, _ := utf8.DecodeRuneInString(text[i:])
	return r
}

func openContext(prev, next rune) bool {
	return (isSpaceRune(prev) || isOpenPunct(prev)) && !isSpaceRune(next)
}

func closeContext(prev, next rune) bool {
	return !isSpaceRune(prev) && (isSpaceRune(next) || unicode.IsPunct(next) || next == '*' || next == '_')
}

func isOpenPunct(r rune) bool {
	switch r {
	case '(', '[', '{', '—', '–', '-', '/', '*', '_', '>', ':', '\'', '‘':
		return true
	}
	return false
}

// findCandidates pairs the double quotation marks of each paragraph.
func findCandidates(text string, paras [][2]int, cands []candidate) []candidate {
	carry := false // previous paragraph ended inside an open quotation
	for pi, p := range paras {
		ps, pe := p[0], p[1]
		open := -1
		openSize := 0
		first := true
		cont := false
		for i := ps; i < pe; {
			c := text[i]
			if c != '"' && c != 0xE2 && c != 0xC2 {
				i++
				continue
			}
			r, n := utf8.DecodeRuneInString(text[i:])
			if !isDoubleQuote(r) {
				i += n
				continue
			}
			prev := runeBefore(text, i, ps)
			next := runeAt(text, i+n, pe)
			isOpen := false
			switch {
			case isQuoteOpenRune(r):
				isOpen = open < 0 || !(closeContext(prev, next) && !openContext(prev, next))
			case isQuoteCloseRune(r):
				isOpen = open < 0 && openContext(prev, next) && !closeContext(prev, next)
				if open < 0 && !isOpen {
					i += n // stray closing mark
					continue
				}
			default:
				isOpen = open < 0
			}
			if isOpen {
				if first && carry && leadingOnly(text, ps, i) {
					cont = true
				}
				open, openSize = i, n
			} else if open >= 0 {
				if i > open+openSize {
					cands = append(cands, newCandidate(text, open, open+openSize, i, pi, cont))
				}
				cont = false
				open = -1
			}
			first = false
			i += n
		}
		carry = false
		if open >= 0 {
			_, e := trimRange(text, open+openSize, pe)
			if e > open+openSize {
				c := newCandidate(text, open, open+openSize, e, pi, cont)
				c.unclosed = true
				cands = append(cands, c)
				carry = true
			}
		}
	}
	return cands
}

// leadingOnly reports whether only spaces or Markdown markers precede i in the paragraph.
func leadingOnly(text string, ps, i int) bool {
	for j := ps; j < i; j++ {
		switch text[j] {
		case ' ', '\t', '>', '*', '_':
		default:
			return false
		}
	}
	return true
}

func newCandidate(text string, open, s, e, para int, cont bool) candidate {
	c := candidate{open: open, start: s, end: e, para: para, cont: cont, ent: -1}
	inner := text[s:e]
	// last meaningful rune, ignoring closing brackets, quotes and spaces
	j := len(inner)
	for j > 0 {
		r, n := utf8.DecodeLastRuneInString(inner[:j])
		if isSpaceRune(r) || r == ')' || r == ']' || r == '\'' || r == '’' || r == '*' || r == '_' {
			j -= n
			continue
		}
		switch r {
		case '.', '!', '?', '…':
			c.terminal = true
		case ',':
			c.openEnded = true
		}
		break
	}
	// word count and title case
	words, capWords, longWords := 0, 0, 0
	inWord := false
	wordStart := true
	wlen := 0
	for _, r := range inner {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if !inWord {
				inWord = true
				words++
				wlen = 0
				if wordStart {
					if unicode.IsUpper(r) || unicode.IsDigit(r) {
						capWords++
					}
				}
			}
			wlen++
			if wlen == 4 {
				longWords++
			}
			wordStart = false
			continue
		}
		if isSpaceRune(r) {
			inWord = false
			wordStart = true
			continue
		}
		if r == '\'' || r == '’' || r == '-' {
			wordStart = false
			continue
		}
		inWord = false
		wordStart = false
	}
	c.words = words
	c.titleCase = words > 0 && words <= 8 && capWords >= (words+1)/2 && capWords >= 1 && startsUpper(inner)
	if c.titleCase && words == 1 {
		if i := strings.IndexByte(inner, '-'); i > 0 && i+1 < len(inner) && inner[i+1] >= 'a' && inner[i+1] <= 'z' {
			c.titleCase = false // "Soviet-style": an adjective from a name, not a title
		}
	}
	if c.titleCase && words > 1 && capWords < words {
		if t := strings.TrimRight(inner, " \"'”’"); strings.HasSuffix(t, "?") || strings.HasSuffix(t, "!") {
			c.titleCase = false // "What is Aleppo?": a question asked, not a name
		}
	}
	return c
}

func startsUpper(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return unicode.IsUpper(r)
		}
		if unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

// tokenize splits one paragraph into tokens; candidates become kQuote tokens.
func tokenize(text string, ps, pe int, cands []candidate, ci int, toks []token) []token {
	i := ps
	for i < pe {
		if ci < len(cands) && cands[ci].open == i {
			c := &cands[ci]
			end := c.end
			if !c.unclosed {
				_, n := utf8.DecodeRuneInString(text[c.end:])
				end += n
			}
			c.tok = len(toks)
			toks = append(toks, token{s: i, e: end, wEnd: end, kind: kQuote, q: ci, ment: -1})
			i = end
			ci++
			continue
		}
		r, n := utf8.DecodeRuneInString(text[i:])
		if isSpaceRune(r) {
			i += n
			continue
		}
		if !isWordRune(r) {
			if r == '*' || r == '_' || r == '#' || r == '>' || r == '`' {
				i += n // Markdown emphasis and markers carry no meaning here
				continue
			}
			toks = append(toks, token{s: i, e: i + n, wEnd: i + n, kind: kPunct, ment: -1})
			i += n
			continue
		}
		// a word
		j := i + n
		hasDot, hasApos := false, false
		for j < pe {
			if c := text[j]; c < 0x80 {
				if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
					j++
					continue
				}
			}
			r2, n2 := utf8.DecodeRuneInString(text[j:])
			if isWordRune(r2) {
				j += n2
				continue
			}
			if r2 == '\'' || r2 == '’' || r2 == '-' || r2 == '‐' || isDotRune(r2) || r2 == '&' {
				r3 := runeAt(text, j+n2, pe)
				if isWordRune(r3) {
					if isDotRune(r2) {
						hasDot = true
					}
					if r2 == '\'' || r2 == '’' {
						hasApos = true
					}
					j += n2 + utf8.RuneLen(r3)
					continue
				}
			}
			break
		}
		t := token{s: i, e: j, kind: kWord, ment: -1}
		// a full stop that belongs to an abbreviation or an initial
		if j < pe && text[j] == '.' {
			w := text[i:j]
			if hasDot || utf8.RuneCountInString(w) == 1 && unicode.IsUpper(r) || classOf(text[i:j+1])&cAbbrev != 0 {
				j++
				t.e = j
			}
		} else if j < pe && text[j] >= 0x80 {
			// an initial written with a look-alike of the full stop ("Sergey M․",
			// U+2024 ONE DOT LEADER): part of the name, as "M." is
			if r2, n2 := utf8.DecodeRuneInString(text[j:]); isDotRune(r2) && (hasDot || utf8.RuneCountInString(text[i:j]) == 1 && unicode.IsUpper(r)) {
				j += n2
				t.e = j
			}
		}
		t.wEnd = t.e
		w := text[t.s:t.e]
		if len(w) > 2 && (w[len(w)-2:] == "'s" || w[len(w)-2:] == "'S") {
			t.poss, t.wEnd = true, t.e-2
		} else if len(w) > 4 && w[len(w)-4:] == "’s" {
			t.poss, t.wEnd = true, t.e-4
		} else if len(w) > 1 && w[len(w)-1] == 's' && unicode.IsUpper(r) && j < pe {
			// a plural possessive: "the Riverside Independents’ leader"
			for _, ap := range [...]string{"’", "'"} {
				if strings.HasPrefix(text[j:pe], ap) && !isWordRune(runeAt(text, j+len(ap), pe)) {
					t.poss = true
					j += len(ap)
					t.e = j
					break
				}
			}
		}
		base := text[t.s:t.wEnd]
		if hasApos {
			t.contraction = isContraction(base)
		}
		t.cls = classOf(base)
		if t.poss && t.cls&(cPronHe|cPronShe|cPronIt|cPronThey|cStop|cDet|cRel) != 0 {
			// "It's", "She's", "That's": the verb, not a possessive
			t.poss, t.contraction = false, true
		}
		if base == "I" {
			t.contraction = true // the pronoun, never a name ("Had I said")
		}
		t.cap = unicode.IsUpper(r) || particleName(base)
		letters, upper := 0, 0
		ascii := true
		for k := 0; k < len(base); k++ {
			ch := base[k]
			switch {
			case ch >= 0x80:
				ascii = false
			case 'A' <= ch && ch <= 'Z':
				letters++
				upper++
			case 'a' <= ch && ch <= 'z':
				letters++
			case '0' <= ch && ch <= '9':
				t.digit = true
			}
		}
		if !ascii {
			letters, upper = 0, 0
		}
		for _, rr := range base {
			if ascii {
				break
			}
			if unicode.IsLetter(rr) {
				letters++
				if unicode.IsUpper(rr) {
					upper++
				}
			} else if unicode.IsDigit(rr) {
				t.digit = true
			}
		}
		t.allCap = letters >= 2 && upper == letters
		toks = append(toks, t)
		i = j
	}
	return toks
}

// isDotRune reports the full stop and the look-alikes that stand for it
// inside abbreviations and initials: U+2024 ONE DOT LEADER, U+FF0E
// FULLWIDTH FULL STOP.
func isDotRune(r rune) bool { return r == '.' || r == '\u2024' || r == '\uFF0E' }

func isWordRune(r rune) bool {
	if r < 0x80 {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// isContraction reports whether w ends in 're, 'll, 've, 'd, 'm or n't.
func isContraction(w string) bool {
	for _, suf := range [...]string{"'re", "'ll", "'ve", "'d", "'m", "n't", "’re", "’ll", "’ve", "’d", "’m", "n’t"} {
		if len(w) > len(suf) && w[len(w)-len(suf):] == suf {
			return true
		}
	}
	return false
}

// particleName reports a surname written with a lower-case particle and a
// hyphen: "al-Assad", "el-Sisi".
func particleName(w string) bool {
	h := strings.IndexByte(w, '-')
	if h < 1 || h > 3 || h+1 >= len(w) || !('A' <= w[h+1] && w[h+1] <= 'Z') {
		return false
	}
	return lexicon[w[:h]]&cConnector != 0
}
