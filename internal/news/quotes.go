package news

import (
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// PersonKind says what sort of source a Person is.
type PersonKind string

const (
	KindPerson       PersonKind = "person"
	KindOrganisation PersonKind = "organisation"
)

// ValidPersonKind reports whether k is a kind a Person may have.
func ValidPersonKind(k PersonKind) bool { return k == KindPerson || k == KindOrganisation }

// Person is someone quoted in articles — or an organisation, when a
// statement is attributed to one. People are made automatically from the
// speakers the quote extractor names, and editors keep them: rename,
// describe, add the other names they are quoted under, and merge two
// entries that turn out to be one person.
type Person struct {
	ID          int64
	Kind        PersonKind
	Name        string
	Slug        string
	Description string   // a line saying who they are ("Mayor of Northgate")
	Aliases     []string // other names they are quoted under; not always loaded
	MergedInto  int64    // set when merged: this entry's slug redirects there
	QuoteCount  int      // quotes in published articles; set by listings
	LastQuoted  time.Time
}

// URLPath is the person's public page.
func (p *Person) URLPath() string { return "/people/" + p.Slug }

// IsOrganisation reports whether the source is an organisation.
func (p *Person) IsOrganisation() bool { return p.Kind == KindOrganisation }

// QuoteStatus is where an extracted quotation stands with the newsroom.
type QuoteStatus string

const (
	QuoteDetected  QuoteStatus = "detected"  // found by the extractor, not yet looked at
	QuoteConfirmed QuoteStatus = "confirmed" // an editor confirmed it and its speaker
	QuoteDismissed QuoteStatus = "dismissed" // an editor said it is not a quotation
)

// Quote is one contiguous span of quoted words in an article. A quotation
// interrupted by its attribution ("…," she said, "…") is two spans sharing
// a Group.
type Quote struct {
	ID          int64
	ArticleID   int64
	Position    int    // order in the article, from 0
	Start, End  int    // character (code point) offsets into the article's plain text, quotation marks excluded
	Text        string // the quoted words
	Group       int
	Cue         string     // the attribution verb or phrase ("said", "told reporters")
	Speaker     string     // the speaker as the extractor named them; "" when unnamed
	SpeakerKind PersonKind // the extractor's kind for Speaker; "" when unnamed or unknown
	Status      QuoteStatus
	Person      *Person  // who said it, after the newsroom's decisions; nil when unnamed
	Article     *Article // the article it is in; set only by listings across articles
}

// QuoteResults is a page of a search of quotations.
type QuoteResults struct {
	Quotes []Quote
	Total  int // quotations matching, on every page
	// About is set when Total is an estimate: a search matching more
	// quotations than are worth counting one by one is counted from its
	// newest matches.
	About bool
}

// Public reports whether readers see the quote as a quotation.
func (q *Quote) Public() bool { return q.Status != QuoteDismissed }

// QuoteVerdict is an editor's decision about an extracted quotation.
type QuoteVerdict string

const (
	VerdictConfirmed QuoteVerdict = "confirmed" // a quotation, said by PersonID (0: no named speaker)
	VerdictDismissed QuoteVerdict = "dismissed" // not a quotation
)

// QuoteDecision is what an editor decided about a quotation in one
// article. It is keyed by the quotation's words (QuoteKey), not by where
// they are, so it follows the quote when the text around it is edited and
// survives every later re-extraction.
type QuoteDecision struct {
	Verdict  QuoteVerdict
	PersonID int64 // with VerdictConfirmed: the speaker; 0 for no named speaker
}

// QuoteKey is what identifies a quotation's words: letters and digits
// lower-cased and accents kept, every run of anything else (spaces,
// punctuation, quotation marks) one space. A quote's decision survives a
// change of "flooded," to "flooded." but not a change of its words.
func QuoteKey(text string) string {
	return foldWords(text, false)
}

// NameKey is what two names must share to be one person's: letters and
// digits lower-cased with accents removed, anything else one space. So
// "Ilse Maranović", "ilse maranovic" and "Ilse  Maranović." are one name.
func NameKey(name string) string {
	return foldWords(name, true)
}

func foldWords(s string, stripAccents bool) string {
	if stripAccents {
		s = norm.NFKD.String(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case stripAccents && unicode.Is(unicode.Mn, r):
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(unicode.ToLower(r))
		case r == '\'' || r == '’':
			// "O’Brien" and "O'Brien", "don’t" and "don't" are one word
		default:
			space = true
		}
	}
	return b.String()
}

// CleanAliases trims a list of names, dropping blanks, repeats and any
// that are name itself, keeping the first spelling of each.
func CleanAliases(name string, aliases []string) []string {
	seen := map[string]bool{NameKey(name): true}
	var out []string
	for _, a := range aliases {
		a = strings.Join(strings.Fields(a), " ")
		k := NameKey(a)
		if k == "" || seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, a)
	}
	return out
}

// ValidatePerson checks what an editor typed for a person.
func ValidatePerson(p *Person) error {
	fe := FieldErrors{}
	p.Name = strings.Join(strings.Fields(p.Name), " ")
	p.Description = strings.TrimSpace(p.Description)
	switch {
	case NameKey(p.Name) == "":
		fe["name"] = "Give the person a name."
	case len([]rune(p.Name)) > 200:
		fe["name"] = "Keep the name under 200 characters."
	}
	if len([]rune(p.Description)) > 500 {
		fe["description"] = "Keep the description to a line or two (500 characters)."
	}
	if p.Slug != "" && !ValidSlug(p.Slug) {
		fe["slug"] = "A slug may contain only lowercase letters, digits and single hyphens."
	}
	if !ValidPersonKind(p.Kind) {
		fe["kind"] = "Choose person or organisation."
	}
	if len(p.Aliases) > 50 {
		fe["aliases"] = "Up to 50 other names."
	}
	for _, a := range p.Aliases {
		if len([]rune(a)) > 200 {
			fe["aliases"] = "Keep each name under 200 characters."
		}
	}
	return fe.Err()
}
