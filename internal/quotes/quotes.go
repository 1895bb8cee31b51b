// Package quotes finds the direct quotations in a news article's plain text
// and attributes each one to its speaker.
//
// It is deterministic and needs no downloads: rules, and a small linear
// ranker whose weights are compiled in (ranker.go). Extract works in four
// passes over the text:
//
//  1. Paragraphs are split at blank lines and the double quotation marks of
//     each paragraph are paired (curly and straight; a paragraph that opens a
//     quotation and does not close it continues into the next paragraph when
//     that one opens with a quotation mark, the newspaper convention).
//  2. The words outside quotations are tokenised; each quotation stands in
//     the token stream as one token. In an interview, the speaker label
//     opening a turn ("((WN))", "((Name))") is taken out of its paragraph,
//     and each paragraph learns whose turn it is (interview.go).
//  3. Mentions of people and organisations are found in text order and linked
//     into entities: capitalised name runs (titles such as "Prime Minister"
//     stripped and kept as roles, organisation words such as "Council" making
//     an organisation), surnames resolved to the full name first written,
//     subject pronouns resolved to the most recent compatible subject, role
//     nouns ("the spokesman") resolved to the person last given that role,
//     and unnamed sources ("an eyewitness") kept as anonymous entities.
//  4. Each quotation is attributed from a clause after it ("…," she said),
//     a cue verb before it in the same sentence (X said "…", according to X,
//     X …: "…"), an earlier quotation of the same sentence ("A" and "B"), or
//     the quotation ending the paragraph before. Short quoted phrases with no
//     cue at all, terms introduced by "called" or "the word", and short titles
//     are not quotations. Where these rules find no speaker, a linear
//     model trained on the annotated articles chooses among the people the quote's
//     surroundings name (and, in an interview, the person answering or
//     asked), or keeps it without a speaker; a perceptron may drop a span
//     the rules keep (keep.go), with weights of its own in interview turns.
//
// Offsets are byte offsets into the text and cover the quoted words without
// the quotation marks, as the annotated evaluation data does.
package quotes

import "sync"

// Kind says what sort of source a speaker is.
type Kind string

// Speaker kinds.
const (
	KindPerson       Kind = "person"
	KindOrganisation Kind = "organisation"
	KindUnknown      Kind = "unknown"
)

// Quote is one contiguous span of quoted words.
type Quote struct {
	Start, End int    // byte offsets of the quoted words, quotation marks excluded, End exclusive
	Text       string // text[Start:End]
	Speaker    string // full name as first written in the article; "" if unknown or unnamed
	Kind       Kind
	Cue        string // the cue verb or phrase, e.g. "said", "told reporters"; "" if none
	Group      int    // spans of one quotation split by its attribution share a group (0-based, in text order)
}

// Extract finds the direct quotations in plain article text (paragraphs
// separated by blank lines). Markdown markers such as "> " and "**" are
// tolerated.
func Extract(text string) []Quote {
	return extract(text, defaultRanker())
}

// extract runs the passes with speakers chosen by model (nil: by the rules).
func extract(text string, model *rankModel) []Quote {
	a := analyzerPool.Get().(*analyzer)
	defer analyzerPool.Put(a)
	a.model = model
	if !a.run(text) {
		return nil
	}
	return a.quotes()
}

// analyzerPool keeps analyzers and their buffers between calls, so that
// re-extracting an archive does not allocate per token.
var analyzerPool = sync.Pool{New: func() any { return newAnalyzer() }}

func newAnalyzer() *analyzer {
	return &analyzer{
		byKey: make(map[string]int), orgKey: make(map[string]int),
		personByLast: make(map[string]int), personByFirst: make(map[string]int),
		singleByName: make(map[string]int), orgByFirst: make(map[string]int),
	}
}

// analyze runs the passes over text with a fresh analyzer; nil when the
// text holds no quotation marks.
func analyze(text string) *analyzer {
	a := newAnalyzer()
	if !a.run(text) {
		return nil
	}
	return a
}

// run resets the analyzer and runs the passes over text. It reports false
// when the text holds no quotation marks.
func (a *analyzer) run(text string) bool {
	a.text = text
	a.ranges = splitParagraphs(text, a.ranges[:0])
	a.cands = findCandidates(text, a.ranges, a.cands[:0])
	a.ents, a.ments, a.paras = a.ents[:0], a.ments[:0], a.paras[:0]
	a.entMents, a.countedM, a.lastKeptEnt = a.entMents[:0], 0, -1
	a.interviewee = -1
	for _, m := range []map[string]int{a.byKey, a.orgKey, a.personByLast, a.personByFirst, a.singleByName, a.orgByFirst} {
		clear(m)
	}
	if len(a.cands) == 0 {
		return false
	}
	cands := a.cands
	a.idx = a.idx[:0]
	for i := range cands {
		a.idx = append(a.idx, i)
	}
	ci := 0
	labels := a.labels[:0]
	toks := a.toks[:0]
	if cap(toks) < len(text)/5 {
		toks = make([]token, 0, len(text)/5+16)
	}
	for i, pr := range a.ranges {
		a.paras = append(a.paras, paragraph{s: pr[0], e: pr[1]})
		p := &a.paras[i]
		first := ci
		for ci < len(cands) && cands[ci].para == i {
			ci++
		}
		p.cands = a.idx[first:ci:ci]
		start := len(toks)
		toks = tokenize(text, p.s, p.e, cands, first, toks)
		p.toks = toks[start:len(toks):len(toks)]
		for _, k := range p.cands {
			cands[k].tok -= start
		}
		labels = append(labels, a.labelAt(toks, start))
	}
	a.toks = toks
	a.findTurns(labels)
	for i := range a.paras {
		a.resolveTurn(i)
		a.mentionsFor(i)
		a.attribute(i)
	}
	return true
}

// quotes lists the kept candidates as quotations, numbering their groups.
func (a *analyzer) quotes() []Quote {
	text := a.text
	var out []Quote
	group := -1
	prevKept := -1
	for i := range a.cands {
		c := &a.cands[i]
		if !c.keep {
			continue
		}
		if !(c.joinPrev && prevKept >= 0 && prevKept == i-1) {
			group++
		}
		q := Quote{Start: c.start, End: c.end, Text: text[c.start:c.end], Cue: c.cue, Group: group, Kind: KindUnknown}
		if c.ent >= 0 {
			e := &a.ents[c.ent]
			switch e.kind {
			case ePerson, eSingle:
				q.Kind, q.Speaker = KindPerson, e.name
			case eOrg:
				q.Kind, q.Speaker = KindOrganisation, e.name
			}
		}
		out = append(out, q)
		prevKept = i
	}
	return out
}
