package quotes

import (
	"strings"
	"unicode/utf8"
)

// This file finds the mentions of people and organisations in the words
// outside quotations, and links them into entities: a surname to the full
// name first written, a pronoun to the most recent compatible subject, a role
// noun ("the spokesman") to the person last given that role.

type mentionKind uint8

const (
	mName mentionKind = iota
	mNominal
	mPronoun
)

type entKind uint8

const (
	ePerson entKind = iota // a named person
	eSingle                // a lone capitalised word: a person only on evidence
	eOrg                   // an organisation, named or not
	eAnon                  // an unnamed person ("an eyewitness")
	ePlace                 // a place or other name that is never a speaker
)

type entity struct {
	name   string
	first  string // lower-cased first and last name tokens
	last   string
	kind   entKind
	gender int8 // 0 unknown, 1 male, 2 female
	roles  []string
	plural bool
	lastM  int // index of the entity's latest mention
}

type mention struct {
	para    int
	t0, t1  int // token range in the paragraph
	ent     int // -1 when unresolved
	kind    mentionKind
	oblique bool // object of a preposition or verb, or a possessive
	pron    wclass
}

type analyzer struct {
	text   string
	ranges [][2]int
	idx    []int
	toks   []token
	paras  []paragraph
	cands  []candidate
	ents   []entity
	ments  []mention
	byKey  map[string]int // person or lone-word entities by name as written
	orgKey map[string]int // organisations by name as written

	personByLast  map[string]int // first person created with that last name
	personByFirst map[string]int
	singleByName  map[string]int // lone capitalised words
	orgByFirst    map[string]int

	model   *rankModel                         // chooses among speakers; nil keeps the rules' choice
	record  func(ci int, opts []speakerOption) // sees every ranked quotation's options, for training
	opts    []speakerOption
	featBuf []rankFeat
	// recordKeep sees the features of every span the rules decide about
	// (not the later pieces of a split quotation), for training
	recordKeep func(ci int, fs keepSet)
	// entMents counts the mentions of each entity up to ments[countedM]
	entMents    []int32
	countedM    int
	lastKeptEnt int // speaker of the latest quotation kept, -1
	// labels holds each paragraph's interview speaker label (interview.go)
	labels []paraLabel
	// interviewee is the person of the latest answer, -1
	interviewee int
}

// newEntity appends e and indexes it.
func (a *analyzer) newEntity(e entity) int {
	e.lastM = -1
	a.ents = append(a.ents, e)
	ei := len(a.ents) - 1
	a.index(ei)
	return ei
}

func (a *analyzer) index(ei int) {
	e := &a.ents[ei]
	put := func(m map[string]int, k string) {
		k = foldName(k)
		if _, ok := m[k]; !ok && k != "" {
			m[k] = ei
		}
	}
	switch e.kind {
	case ePerson:
		put(a.personByLast, e.last)
		// a first name alone means the person of that first name named
		// last: "Anna Berg … Anna Kowalski … Anna said"
		if k := foldName(e.first); k != "" {
			a.personByFirst[k] = ei
		}
		// "Ricardo Rosselló Nevares" is also "Rosselló"
		if f := strings.Fields(e.name); len(f) > 2 {
			for _, w := range f[1 : len(f)-1] {
				if w != "" && w[0] >= 'A' && w[0] <= 'Z' || len(w) > 0 && w[0] >= 0x80 {
					put(a.personByLast, strings.TrimSuffix(w, ","))
				}
			}
		}
	case eSingle:
		put(a.singleByName, e.first)
	case eOrg:
		put(a.orgByFirst, e.first)
	}
}

func (a *analyzer) word(t *token) string { return a.text[t.s:t.wEnd] }

func lower(s string) string {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 || 'A' <= c && c <= 'Z' {
			if k, ok := lowerKey(s); ok {
				return k
			}
			return strings.ToLower(s)
		}
	}
	return s
}

// latinBase holds the base letter of each code point from U+00C0 to U+017F,
// or '_' when it has none.
const latinBase = "AAAAAAACEEEEIIIIDNOOOOO_OUUUUY__aaaaaaaceeeeiiiidnooooo_ouuuuy_y" +
	"AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIiIiJjKkkLlLlLlLlLlNnNnNnnNnOoOoOoOoRrRrRrSsSsSsSsTtTtTtUuUuUuUuUuUuWwYyYZzZzZzs"

// foldName drops the diacritics of Latin letters, so that a name written
// once as "Erdoğan" and once as "Erdogan" is one key. ASCII costs nothing.
func foldName(s string) string {
	i := 0
	for i < len(s) && s[i] < 0x80 {
		i++
	}
	if i == len(s) {
		return s
	}
	b := []byte(s[:i])
	for _, r := range s[i:] {
		if r >= 0xC0 && r <= 0x17F && latinBase[r-0xC0] != '_' {
			b = append(b, latinBase[r-0xC0])
			continue
		}
		b = utf8.AppendRune(b, r)
	}
	return string(b)
}

func isNameToken(t *token) bool {
	if t.kind != kWord || t.digit || t.contraction {
		return false
	}
	return t.cap || t.cls&cConnector != 0
}

// mentionsFor finds the mentions of one paragraph, in text order.
func (a *analyzer) mentionsFor(pi int) {
	p := &a.paras[pi]
	toks := p.toks
	sentStart := 0
	pendingGender := -1 // entity whose gender the next pronoun of the sentence reveals
	for i := 0; i < len(toks); {
		t := &toks[i]
		if t.kind == kPunct {
			if isTerminator(a.text, t) {
				sentStart = i + 1
				pendingGender = -1
			}
			i++
			continue
		}
		if t.kind == kQuote {
			// "…ends here." Political commentators said: a quotation ending
			// its sentence before a capitalised word ends the sentence too,
			// as sentenceStart has it
			if a.cands[t.q].terminal && i+1 < len(toks) && toks[i+1].kind == kWord && toks[i+1].cap {
				sentStart = i + 1
				pendingGender = -1
			}
			i++
			continue
		}
		// "Valleylink said it had offered", "Acme says its drivers": a lone
		// name that the pronoun after its cue calls "it" is an organisation
		if i >= 2 && !t.cap && (t.cls&cPronIt != 0 || a.isWord(t, "its")) && isFiniteCue(&toks[i-1]) {
			if mi := toks[i-2].ment; mi >= 0 && a.ments[mi].t1 == i-1 && !a.ments[mi].oblique && a.ments[mi].ent >= 0 && a.ents[a.ments[mi].ent].kind == eSingle {
				a.ents[a.ments[mi].ent].kind = eOrg
			}
		}
		// pronouns
		if t.cls&(cPronHe|cPronShe|cPronIt|cPronThey) != 0 && !t.poss {
			m := mention{para: pi, t0: i, t1: i + 1, kind: mPronoun, pron: t.cls & (cPronHe | cPronShe | cPronIt | cPronThey), ent: -1}
			// he, she and they are subject forms; "it" may be an object
			m.oblique = m.pron&cPronIt != 0 && a.obliqueBefore(pi, i, i+1, sentStart)
			m.ent = a.sentencePronoun(m, pi, sentStart)
			if m.ent < 0 {
				m.ent = a.resolvePronoun(m, pi, i)
			}
			if m.ent >= 0 && m.pron&(cPronHe|cPronShe) != 0 {
				e := &a.ents[m.ent]
				if e.gender == 0 {
					if m.pron&cPronHe != 0 {
						e.gender = 1
					} else {
						e.gender = 2
					}
				}
			}
			a.addMention(m)
			i++
			continue
		}
		// gendered pronoun that reveals the gender of the sentence's subject
		if pendingGender >= 0 && !t.cap {
			w := lower(a.word(t))
			switch w {
			case "his", "him", "himself":
				if a.ents[pendingGender].gender == 0 && !a.otherOfGender(pendingGender, 1) && !a.otherInSentence(pendingGender, pi, sentStart) {
					a.ents[pendingGender].gender = 1
				}
				pendingGender = -1
			case "her", "hers", "herself":
				if a.ents[pendingGender].gender == 0 && !a.otherOfGender(pendingGender, 2) && !a.otherInSentence(pendingGender, pi, sentStart) {
					a.ents[pendingGender].gender = 2
				}
				pendingGender = -1
			}
		}
		// capitalised name runs
		if isNameToken(t) && t.cap {
			j := i
			if t.cls&cDet != 0 && a.detCapRole(toks, i) {
				// "The Wooster professor": a nominal with a capitalised modifier
				if j2, ok := a.nominal(pi, i, sentStart); ok {
					i = j2
					continue
				}
			}
			for j < len(toks) && isNameToken(&toks[j]) && toks[j].cls&cTime == 0 || a.orgOf(toks, i, j) {
				if !toks[j].cap && !a.orgOf(toks, i, j) && (j+1 >= len(toks) || !isNameToken(&toks[j+1]) || !toks[j+1].cap) {
					break // a connector must sit between capitalised words
				}
				j++
				if toks[j-1].poss && !(j < len(toks) && toks[j].cap && toks[j].cls&cOrg != 0 && toks[j].cls&cTitle == 0 && (j+1 >= len(toks) || !isNameToken(&toks[j+1]) || !toks[j+1].cap)) {
					// "Trump's lawyer"; but "the Valley Transport Workers' Union",
					// "St Brannoc's Hospital" are one name
					break
				}
			}
			if j == i {
				i++
				continue
			}
			n := a.nameRun(pi, i, j, sentStart)
			if len(n) == 0 && t.cls&cDet != 0 {
				if j2, ok := a.nominal(pi, i, sentStart); ok {
					i = j2
					continue
				}
			}
			for _, mi := range n {
				m := &a.ments[mi]
				e := &a.ents[m.ent]
				if (e.kind == ePerson || e.kind == eSingle) && !m.oblique {
					pendingGender = m.ent
				} else if e.kind == ePerson {
					pendingGender = -1
				}
			}
			// "Smith's lawyer said", "Day's animal foundation said": the
			// noun phrase after a possessive is the mention
			if j < len(toks) && toks[j-1].poss && toks[j].kind == kWord && !toks[j].cap {
				if j2, ok := a.nominal(pi, j, sentStart); ok {
					i = j2
					continue
				}
			}
			i = j
			continue
		}
		// "the latter", "the former": the last, or the one before, of the
		// people and organisations named just before
		if t.cls&cDet != 0 && i+1 < len(toks) && a.isWord(t, "the") {
			if ent := a.latterFormer(pi, toks, i+1); ent >= 0 {
				a.addMention(mention{para: pi, t0: i, t1: i + 2, kind: mNominal, ent: ent, oblique: a.obliqueBefore(pi, i, i+2, sentStart)})
				i += 2
				continue
			}
		}
		// nominal mentions: a determiner followed closely by a role or organisation noun
		if t.cls&cDet != 0 || t.cls&(cRole|cOrgNoun) != 0 && !t.cap && t.cls&cPlural != 0 {
			if j, ok := a.nominal(pi, i, sentStart); ok {
				i = j
				continue
			}
		}
		i++
	}
}

func (a *analyzer) addMention(m mention) int {
	a.ments = append(a.ments, m)
	mi := len(a.ments) - 1
	if m.ent >= 0 {
		a.ents[m.ent].lastM = mi
	}
	toks := a.paras[m.para].toks
	for k := m.t0; k < m.t1; k++ {
		toks[k].ment = mi
	}
	return mi
}

func isTerminator(text string, t *token) bool {
	if t.kind != kPunct {
		return false
	}
	switch text[t.s:t.e] {
	case ".", "!", "?", ";", "…":
		return true
	}
	return false
}

// npStart extends a name to the left over the words that qualify it: titles,
// role nouns, determiners, possessive names and "X-year-old".
func (a *analyzer) npStart(toks []token, i, lo int) int {
	k := i
	for k > lo {
		t := &toks[k-1]
		if t.kind != kWord {
			break
		}
		if t.cls&cDet != 0 || t.cls&(cTitle|cRole) != 0 && !t.cap || t.poss || strings.HasSuffix(a.word(t), "-old") {
			k--
			continue
		}
		if t.cap && t.cls&cStop == 0 && k-1 > lo && (toks[k-2].poss || toks[k-2].cls&cDet != 0) {
			k--
			continue
		}
		// "Former CIA deputy director": capitalised words right before a role word
		if t.cap && t.cls&cStop == 0 && toks[k].cls&(cTitle|cRole) != 0 && !toks[k].cap {
			k--
			continue
		}
		break
	}
	return k
}

// obliqueBefore reports whether the noun phrase starting at token i is not a
// subject: it follows a preposition or a verb, or it is possessive.
func (a *analyzer) obliqueBefore(pi, i, end, lo int) bool {
	toks := a.paras[pi].toks
	k := a.npStart(toks, i, lo)
	if k <= lo {
		return false
	}
	t := &toks[k-1]
	if a.punct(t) == "," && k-2 >= lo && toks[k-2].ment >= 0 && a.listItem(toks, end) && a.listContext(toks, k-2, lo) {
		return a.ments[toks[k-2].ment].oblique
	}
	if t.kind != kWord {
		return false
	}
	if t.cls&cPrep != 0 {
		if k-2 >= lo && lower(a.word(t)) == "to" && lower(a.word(&toks[k-2])) == "according" {
			return false
		}
		return true
	}
	if t.cap {
		return false
	}
	// "by A, B and C": a coordinated phrase shares its neighbour's role
	if w := lower(a.word(t)); w == "and" || w == "or" {
		j := k - 2
		if j >= lo && a.punct(&toks[j]) == "," {
			j--
		}
		if j >= lo && toks[j].ment >= 0 {
			return a.ments[toks[j].ment].oblique
		}
		return false
	}
	if t.cls&(cCue|cCueIng|cCall) != 0 {
		// "said X" after a quotation is an inverted subject
		if k-2 >= lo && (toks[k-2].kind == kQuote || toks[k-2].kind == kPunct && k-3 >= lo && toks[k-3].kind == kQuote) {
			return false
		}
		if k-2 < lo {
			return false
		}
		if thatVerb(lower(a.word(t))) {
			return false // "Police said the victim told them": the subject of what was said
		}
		return true
	}
	if t.cls&cVerbish != 0 {
		return true
	}
	w := a.word(t)
	if k == i && t.cls&(cSkip|cDet|cRel) == 0 && (strings.HasSuffix(w, "ed") || strings.HasSuffix(w, "ing")) &&
		!(k-2 >= lo && (toks[k-2].cls&cDet != 0 || hasSuffixFold(a.word(&toks[k-2]), "ly"))) {
		// "met X", "representing X"; but not "the newly elected X"
		return true
	}
	return false
}

// nameRun analyses the capitalised run toks[i:j] and records its mentions.
func (a *analyzer) nameRun(pi, i, j, sentStart int) []int {
	toks := a.paras[pi].toks
	// drop leading function words and "Fourteen-year-old"
	for i < j && ((toks[i].cls&cStop != 0 || toks[i].cls&(cPrep|cCue) != 0 && i == sentStart) && !toks[i].poss || hasSuffixFold(a.word(&toks[i]), "-old") || !toks[i].cap) {
		if toks[i].cls&cTitle != 0 && toks[i].cls&cStop == 0 {
			break
		}
		i++
	}
	if i >= j {
		return nil
	}
	if j-i == 1 && i == sentStart && (a.commonWord(toks, i) || toks[i].cls&cDoc != 0) {
		return nil // "Search and rescue …", "Writing for the court, …", "Reports said"
	}
	if j-i == 1 && i == sentStart && toks[i].cls&(cTitle|cRole|cOrg) == 0 && !toks[i].allCap && j+1 < len(toks) && !toks[j+1].cap &&
		(a.isWord(&toks[j], "of") || a.isWord(&toks[j], "have") || a.isWord(&toks[j], "are") || a.isWord(&toks[j], "were")) {
		return nil // "Part of the statement reads", "Investigations have been launched": a common noun, not a name
	}
	if i > sentStart && toks[i-1].kind == kWord && !toks[i-1].cap && toks[i-1].cls&cOrgNoun != 0 && toks[i-1].cls&cRole == 0 &&
		!(i-3 >= sentStart && a.isWord(&toks[i-2], "the") && a.isWord(&toks[i-3], "of")) {
		// "the victims' group Ending Clergy Abuse": the run names the organisation
		return []int{a.orgMention(pi, i, j, sentStart, toks[j-1].poss)}
	}
	if j < len(toks) && !toks[j-1].poss && toks[j].kind == kWord && !toks[j].cap && toks[j].cls&cOrgNoun != 0 && toks[j].cls&cRole == 0 {
		// "Time magazine", "Acme company": the run names an organisation
		return []int{a.orgMention(pi, i, j, sentStart, false)}
	}
	if j-i == 1 && toks[i].cls&cRole != 0 && toks[i].cls&(cOrg|cTitle) == 0 && !toks[i].allCap {
		// a common noun capitalised at the start of a sentence: "Prosecutors said"
		m := mention{para: pi, t0: i, t1: j, kind: mNominal}
		m.ent = a.newAnon(lower(a.word(&toks[i])), toks, i, j)
		m.oblique = toks[i].poss || a.obliqueBefore(pi, i, j, sentStart)
		return []int{a.addMention(m)}
	}
	poss := toks[j-1].poss
	// trailing post-nominal letters ("QC") are not part of the name
	for j-1 > i && toks[j-1].cls&cPostNominal != 0 && toks[j-1].allCap {
		j--
	}
	var out []int
	// organisation words split the run: "Amnesty International Man-kei Tam"
	orgEnd := -1
	for k := i; k < j; k++ {
		t := &toks[k]
		if t.cls&cOrg != 0 && t.cls&cTitle == 0 || t.allCap && t.cls&(cTitle|cPostNominal|cSuffix) == 0 {
			orgEnd = k + 1
		}
	}
	if orgEnd > 0 && orgEnd < j && (a.isWord(&toks[orgEnd], "of") || a.isWord(&toks[orgEnd], "on") || a.isWord(&toks[orgEnd], "for")) {
		orgEnd = j // "Ministry of Health", "Center for Food Safety"
	}
	lo := i
	if orgEnd > 0 {
		rest := orgEnd
		for rest < j && toks[rest].cls&cTitle != 0 {
			rest++
		}
		if rest == j-1 && rest == orgEnd {
			// "Marriage Equality Coalition Taiwan": one word after the
			// organisation word, with no title, still names the organisation
			orgEnd, rest = j, j
		}
		if orgEnd == j || rest == j {
			// wholly an organisation (perhaps followed by a bare title)
			oi := a.orgMention(pi, i, orgEnd, sentStart, poss && orgEnd == j)
			out = append(out, oi)
			if rest == j && orgEnd < j {
				a.ments[oi].oblique = true // "US Secretary of State …": an affiliation
				// "CIA Director": a title-only nominal
				out = append(out, a.titleOnly(pi, orgEnd, j, i, sentStart, poss))
			}
			return out
		}
		oi := a.orgMention(pi, i, orgEnd, sentStart, false)
		a.ments[oi].oblique = true
		out = append(out, oi)
		lo = orgEnd
	}
	// strip titles: the name follows the last title word
	nameStart := lo
	for k := lo; k < j-1; k++ {
		if toks[k].cls&cTitle != 0 || k == nameStart && (toks[k].cls&cRole != 0 || hasPrefixFold(a.word(&toks[k]), "co-") || occupationShaped(a.word(&toks[k]))) && j-k > 2 {
			nameStart = k + 1 // "President", "Voter Kitty Mak", "Co-developer Jing Wang"
		}
	}
	if nameStart > lo && toks[nameStart].cls&cStop != 0 && !toks[nameStart].poss {
		// "Chair In Global Islamic Politics": a title with its field, not
		// a title before a name
		out = append(out, a.titleOnly(pi, lo, j, lo, sentStart, poss))
		return out
	}
	if toks[j-1].cls&cTitle != 0 && toks[j-1].cls&cSuffix == 0 {
		// a name does not end in a title: "the Information Minister", "UN High Commissioner"
		// the run is titles only ("the Vice President")
		out = append(out, a.titleOnly(pi, lo, j, lo, sentStart, poss))
		return out
	}
	// "Mayor of London Sadiq Khan": after "TITLE of", the first word names the place
	titleOf := -1
	ofCap := -1 // "House of Commons Speaker X": the phrase before "of" heads the name
	if i-2 >= sentStart {
		k := i - 1
		if lower(a.word(&toks[k])) == "the" {
			k--
		}
		if w := lower(a.word(&toks[k])); k >= 1 && k > sentStart && (w == "of" || w == "for" || w == "from" || w == "to") && toks[k-1].cap && toks[k-1].kind == kWord {
			ofCap = k - 1
		}
	}
	if j-nameStart >= 3 && ofCap >= 0 && toks[ofCap].cls&cTitle != 0 {
		k := ofCap + 1
		{
			// the place may be one word or two; a name is most often two
			last := j - 1
			for last > nameStart && toks[last].cls&cSuffix != 0 {
				last--
			}
			ns := last - 1
			for ns-1 > nameStart && toks[ns].cls&cConnector != 0 && !toks[ns].cap {
				ns-- // "Bill de Blasio"
			}
			if ns > nameStart {
				nameStart = ns
			}
			titleOf = toks[k-1].ment
		}
	}
	var roles []string
	if nameStart > lo {
		roles = append(roles, lower(a.text[toks[lo].s:toks[nameStart-1].wEnd]))
	}
	m := mention{para: pi, t0: lo, t1: j, kind: mName, ent: -1}
	np := a.npStart(toks, i, sentStart)
	if poss && np == sentStart && (j >= len(toks) || toks[j].cls&cRole == 0) {
		// a possessive opening the sentence is its topic: "Fraser's visit was …"
		m.oblique = false
	} else if ofCap >= 0 && (nameStart > lo || titleOf >= 0) {
		m.oblique = poss
		if pm := toks[ofCap].ment; pm >= 0 {
			m.oblique = poss || a.ments[pm].oblique
		}
	} else if lo > i {
		m.oblique = poss // "Amnesty International's Man-kei Tam": the affiliation qualifies the name
	} else {
		m.oblique = poss || a.obliqueBefore(pi, i, j, sentStart)
	}
	// roles written before the name in lower case ("spokesman Dmitry Peskov")
	for k := np; k < i; k++ {
		if toks[k].cls&(cRole|cTitle) != 0 && !toks[k].cap {
			roles = append(roles, lower(a.word(&toks[k])))
		}
	}
	m.ent = a.nameEntity(toks, nameStart, j, roles, np, i)
	if e := &a.ents[m.ent]; j-nameStart == 2 && nameStart == i && len(roles) == 0 && i > sentStart && a.isWord(&toks[i-1], "the") &&
		e.kind == ePerson && len(e.roles) == 0 && e.gender == 0 {
		// "the Vampire Slayer", "the Harbour Gazette": a person's name takes
		// no article; two words after one name a work, a team or an
		// organisation (with more, a person may follow: "the Courier Jo Roe")
		e.kind = eOrg
	}
	if e := &a.ents[m.ent]; j-nameStart == 1 && nameStart == i && len(roles) == 0 && i > 0 && a.isWord(&toks[i-1], "the") &&
		e.kind == eSingle && e.gender == 0 {
		// "The Atlantic claimed", "the Pentagon said": a lone name after an
		// article is a publication, an institution or a place, never a person
		e.kind = eOrg
		a.index(m.ent)
	}
	if j-nameStart == 1 && a.modifiesName(toks, j) {
		// "Fire chief Grace Mbeki": the capitalised word qualifies the name after it
		m.oblique = true
	}
	if np > sentStart && len(roles) == 0 && !poss {
		// "in Saudi Arabia", "at Hong Kong": a place, not a person; but
		// "in Richardson's place" governs the noun after the possessive
		switch lower(a.word(&toks[np-1])) {
		case "in", "at", "near", "across", "throughout", "within", "outside", "inside":
			if e := &a.ents[m.ent]; e.kind == eSingle || e.kind == ePerson && len(e.roles) == 0 && e.gender == 0 {
				e.kind = ePlace
			}
		}
	}
	if titleOf >= 0 {
		// the title run and the name are one phrase: "President of Ukraine X"
		tm := &a.ments[titleOf]
		if tm.kind == mNominal {
			if tm.ent >= 0 && a.ents[tm.ent].kind == eAnon {
				a.ents[m.ent].roles = append(a.ents[m.ent].roles, a.ents[tm.ent].roles...)
			}
			tm.ent = m.ent
			m.oblique = tm.oblique
			if a.ents[m.ent].kind == eSingle {
				a.ents[m.ent].kind = ePerson
			}
		}
	}
	// a name in apposition to a nominal just before it: "The Vice President, Mike Pence,"
	if pmi := a.nominalBeforeComma(toks, i, sentStart); pmi >= 0 {
		pm := &a.ments[pmi]
		closed := j >= len(toks) || a.punct(&toks[j]) == "," || isTerminator(a.text, &toks[j]) || isFiniteCue(&toks[j]) || pm.t0 == sentStart
		if closed && pm.kind == mNominal && pm.ent >= 0 && a.ents[pm.ent].kind == eAnon && !a.ents[pm.ent].plural {
			a.ents[m.ent].roles = append(a.ents[m.ent].roles, a.ents[pm.ent].roles...)
			pm.ent = m.ent
			if pm.oblique {
				m.oblique = true
			}
		}
	}
	out = append(out, a.addMention(m))
	return out
}

func (a *analyzer) orgMention(pi, i, j, sentStart int, poss bool) int {
	toks := a.paras[pi].toks
	name := a.text[toks[i].s:toks[j-1].wEnd]
	key := name
	ei, ok := a.orgKey[key]
	if !ok {
		// an acronym or the first word of a known organisation
		ei = -1
		if j-i == 1 {
			ei = a.findOrgPrefix(name)
		}
		if ei < 0 {
			ei = a.newEntity(entity{name: name, kind: eOrg, first: a.word(&toks[i])})
		}
		a.orgKey[key] = ei
	}
	m := mention{para: pi, t0: i, t1: j, kind: mName, ent: ei}
	m.oblique = poss || a.obliqueBefore(pi, i, j, sentStart)
	return a.addMention(m)
}

func (a *analyzer) findOrgPrefix(w string) int {
	if k, ok := a.orgByFirst[w]; ok && a.ents[k].kind == eOrg {
		return k
	}
	return -1
}

// titleOnly records a run made only of titles, such as "the Prime Minister".
// The noun phrase starts at from or before: "the Republican Senate
// Majority Leader" is one phrase though its first words name a body.
func (a *analyzer) titleOnly(pi, i, j, from, sentStart int, poss bool) int {
	toks := a.paras[pi].toks
	role := lower(a.text[toks[i].s:toks[j-1].wEnd])
	np := a.npStart(toks, from, sentStart)
	// "the current President": adjectives between the determiner and the title
	for back := 1; back <= 3 && np-back >= sentStart; back++ {
		t := &toks[np-back]
		if t.kind != kWord || t.cap && t.cls&cDet == 0 || t.cls&(cPrep|cCue|cCueIng|cRel|cVerbish) != 0 {
			break
		}
		if t.cls&cDet != 0 {
			np -= back
			break
		}
	}
	definite := lower(a.word(&toks[np])) == "the"
	m := mention{para: pi, t0: np, t1: j, kind: mNominal, ent: -1}
	m.oblique = poss || a.obliqueBefore(pi, np, j, sentStart)
	if definite {
		m.ent = a.findRole(role)
	}
	if m.ent < 0 {
		m.ent = a.newAnon(role, toks, i, j)
	}
	a.appositionMerge(&m, pi, np, sentStart)
	return a.addMention(m)
}

func (a *analyzer) newAnon(role string, toks []token, i, j int) int {
	e := entity{kind: eAnon, roles: []string{role}, lastM: -1}
	if w := a.word(&toks[j-1]); toks[j-1].cls&cRole != 0 && len(w) > 3 && w[len(w)-1] == 's' && w[len(w)-2] != 's' && w[len(w)-2] != 'u' {
		e.plural = true // "co-authors", "officials"
	}
	for k := i; k < j; k++ {
		c := toks[k].cls
		if c&(cRole|cTitle) == 0 {
			continue // "his" in "one of his aides" says nothing of the aide
		}
		if c&cMale != 0 {
			e.gender = 1
		}
		if c&cFemale != 0 {
			e.gender = 2
		}
		if c&cPlural != 0 {
			e.plural = true
		}
	}
	return a.newEntity(e)
}

// appositionMerge links "NAME, the ROLE," to NAME.
func (a *analyzer) appositionMerge(m *mention, pi, np, sentStart int) {
	toks := a.paras[pi].toks
	// "X, formerly the director of …"
	for np-1 > sentStart && toks[np-1].kind == kWord && !toks[np-1].cap && (toks[np-1].cls&cSkip != 0 || strings.HasSuffix(a.word(&toks[np-1]), "ly")) {
		np--
	}
	if np-2 < sentStart || toks[np-1].kind != kPunct || a.text[toks[np-1].s:toks[np-1].e] != "," {
		return
	}
	k := np - 2
	// skip an age: "Thomas Gray, 24, the tour manager"
	if toks[k].digit && k-2 >= sentStart && toks[k-1].kind == kPunct {
		k -= 2
	}
	pm := toks[k].ment
	if pm < 0 || a.ments[pm].kind != mName {
		return
	}
	pe := a.ments[pm].ent
	if pe < 0 || a.ents[pe].kind != ePerson && a.ents[pe].kind != eSingle {
		return
	}
	if m.ent >= 0 && a.ents[m.ent].plural {
		return // "Zhukovskyy, his lawyers said": not the same people
	}
	e := &a.ents[pe]
	if m.ent >= 0 && a.ents[m.ent].kind == eAnon {
		an := a.ents[m.ent]
		e.roles = append(e.roles, an.roles...)
		if e.gender == 0 {
			e.gender = an.gender
		}
	}
	if e.kind == eSingle {
		e.kind = ePerson
	}
	m.ent = pe
	m.oblique = a.ments[pm].oblique
}

// nameEntity finds or creates the entity for the name toks[s:e].
func (a *analyzer) nameEntity(toks []token, s, e int, roles []string, np, i int) int {
	name := a.text[toks[s].s:toks[e-1].wEnd]
	key := name
	firstW := a.word(&toks[s])
	lastK := e - 1
	for lastK > s && toks[lastK].cls&cSuffix != 0 {
		lastK--
	}
	lastW := a.word(&toks[lastK])
	gender := int8(0)
	for k := np; k < e; k++ {
		c := toks[k].cls
		if c&cMale != 0 && (k < s || toks[k].cls&cTitle != 0) {
			gender = 1
		}
		if c&cFemale != 0 && (k < s || toks[k].cls&cTitle != 0) {
			gender = 2
		}
	}
	place := false
	for k := s; k < e; k++ {
		if toks[k].cls&cPlace != 0 {
			place = true
		}
	}
	if s > 0 && toks[s-1].kind == kWord && isShipPrefix(a.word(&toks[s-1])) {
		place = true // "MV Namse Bangdzod": a ship, never a speaker
	}
	if ei, ok := a.byKey[key]; ok {
		a.noteRoles(ei, roles, gender)
		return ei
	}
	particles := true // "de Blasio", "Van Gogh": a surname with its particle
	for k := s; k < lastK; k++ {
		if toks[k].cls&cConnector == 0 {
			particles = false
		}
	}
	if particles && lastK > s {
		if k, ok := a.personByLast[foldName(lastW)]; ok && a.ents[k].kind == ePerson {
			a.byKey[key] = k
			a.noteRoles(k, roles, gender)
			return k
		}
	}
	if e-s == 1 {
		ei := -1
		if k, ok := a.personByLast[foldName(firstW)]; ok && a.ents[k].kind == ePerson {
			ei = k
		} else if k, ok := a.personByFirst[foldName(firstW)]; ok && a.ents[k].kind == ePerson {
			ei = k
		}
		if ei < 0 {
			ei = a.findOrgPrefix(firstW)
		}
		if ei < 0 {
			kind := eSingle
			if len(roles) > 0 || gender != 0 {
				kind = ePerson
			}
			ei = a.newEntity(entity{name: name, first: firstW, last: firstW, kind: kind, gender: gender})
		}
		a.byKey[key] = ei
		a.noteRoles(ei, roles, gender)
		return ei
	}
	// a full name: upgrade an earlier lone surname
	if k, ok := a.singleByName[foldName(lastW)]; ok && a.ents[k].kind == eSingle {
		en := &a.ents[k]
		en.name, en.first, en.last, en.kind = name, firstW, lastW, ePerson
		a.index(k)
		a.byKey[key] = k
		a.noteRoles(k, roles, gender)
		return k
	}
	// the same first and last name with or without middle names or
	// initials: one person, named by the fullest form the article uses
	if k, ok := a.personByLast[foldName(lastW)]; ok && a.ents[k].kind == ePerson && foldName(a.ents[k].first) == foldName(firstW) && nameVariant(a.ents[k].name, name) {
		en := &a.ents[k]
		if e-s > strings.Count(en.name, " ")+1 {
			en.name = name
		}
		a.byKey[key] = k
		a.noteRoles(k, roles, gender)
		return k
	}
	kind := ePerson
	if place && len(roles) == 0 {
		kind = ePlace
	}
	ei := a.newEntity(entity{name: name, first: firstW, last: lastW, kind: kind, gender: gender})
	a.byKey[key] = ei
	a.noteRoles(ei, roles, gender)
	return ei
}

// isShipPrefix reports the prefixes of ships' names.
func isShipPrefix(w string) bool {
	switch w {
	case "MV", "M/V", "HMS", "USS", "RMS", "HMAS", "HMCS", "MT", "FV", "SS":
		return true
	}
	return false
}

func (a *analyzer) noteRoles(ei int, roles []string, gender int8) {
	e := &a.ents[ei]
	e.roles = append(e.roles, roles...)
	if e.gender == 0 {
		e.gender = gender
	}
	if len(roles) > 0 && e.kind == eSingle {
		e.kind = ePerson
	}
}

// renamedSpeaker resolves "the ROLE said", a role the article has not
// used before, to the person named last in the sentence before it, as a
// reporter varies the name: "…," said study co-author Karen Alley. The
// Wooster professor added, "…". A role used before ("a suspect …; the
// suspect said") is someone else. -1 if there is none.
func (a *analyzer) renamedSpeaker(pi, i int, role string) int {
	p := &a.paras[pi]
	if containsFold(a.text[:p.toks[i].s], role) {
		return -1
	}
	lo := 0
	if i > 0 {
		lo = a.sentenceStartNear(p, i-1)
	}
	for mi := len(a.ments) - 1; mi >= 0; mi-- {
		m := &a.ments[mi]
		if m.para != pi || m.t0 < lo {
			return -1
		}
		if m.kind != mName || m.ent < 0 || m.oblique {
			continue
		}
		if e := &a.ents[m.ent]; e.kind == ePerson && !e.plural {
			return m.ent
		}
		return -1
	}
	return -1
}

// findRole returns the person most recently mentioned with a role whose head
// noun matches role ("the spokesman" → "Kremlin spokesman Dmitry Peskov").
func (a *analyzer) findRole(role string) int {
	f := strings.Fields(role)
	if len(f) == 0 {
		return -1
	}
	head := f[len(f)-1]
	qualified := func(s string) bool {
		return strings.Contains(s, "vice") || strings.Contains(s, "deputy") || strings.Contains(s, "assistant") || strings.Contains(s, "former") || strings.Contains(s, "ex-")
	}
	qq := qualified(role)
	// the whole title first ("the Prime Minister" is not the Minister of
	// Economy named since), then its head noun alone
	for _, whole := range []bool{true, false} {
		if whole && len(f) == 1 {
			continue
		}
		best, bestM := -1, -1
		for ei := range a.ents {
			e := &a.ents[ei]
			if e.kind != ePerson || e.lastM <= bestM {
				continue
			}
			for _, r := range e.roles {
				rf := strings.Fields(r)
				if len(rf) == 0 || rf[len(rf)-1] != head || qualified(r) != qq {
					continue
				}
				if whole && r != role && !strings.HasSuffix(r, " "+role) {
					continue
				}
				best, bestM = ei, e.lastM
				break
			}
		}
		if best >= 0 {
			return best
		}
	}
	return -1
}

// nominal records a determiner phrase headed by a role or organisation noun.
func (a *analyzer) nominal(pi, i, sentStart int) (int, bool) {
	toks := a.paras[pi].toks
	det := lower(a.word(&toks[i]))
	k := i
	if toks[i].cls&cDet != 0 {
		k = i + 1
		// "one of the victims"
		if k+1 < len(toks) && lower(a.word(&toks[k])) == "of" && toks[k].kind == kWord {
			k++
			if k < len(toks) && toks[k].cls&cDet != 0 {
				k++
			}
		}
	}
	head := -1
	orgRun := -1
	for n := 0; k < len(toks) && n < 6; k, n = k+1, n+1 {
		t := &toks[k]
		if t.kind != kWord {
			break
		}
		if t.cls&(cRole|cOrgNoun) != 0 && !t.cap {
			head = k
			// take a compound head: "police officer", "the company's spokesman"
			for k+1 < len(toks) && toks[k+1].kind == kWord && toks[k+1].cls&(cRole|cOrgNoun) != 0 && !toks[k+1].cap && (!toks[k].poss || toks[k+1].cls&cRole != 0) {
				k++
				head = k
			}
			break
		}
		if t.cap && (t.cls&cOrg != 0 || t.allCap) {
			orgRun = k
		}
		if t.cls&(cPrep|cCue|cCueIng|cRel|cSkip) != 0 && !t.cap || t.cls&cDet != 0 && k > i+1 {
			break
		}
		if t.cap && t.cls&cTitle != 0 {
			break // a title run; handled as a name run
		}
	}
	if head < 0 {
		return 0, false
	}
	// a role noun followed by a name is a title of that name
	if head+1 < len(toks) && isNameToken(&toks[head+1]) && toks[head+1].cap && toks[head+1].cls&cStop == 0 {
		return 0, false
	}
	end := head + 1
	role := lower(a.word(&toks[head]))
	singular := det == "one" || det == "a" || det == "an" || det == "another"
	m := mention{para: pi, t0: i, t1: end, kind: mNominal, ent: -1}
	m.oblique = a.obliqueBefore(pi, i, end, sentStart)
	isOrgNoun := toks[head].cls&cRole == 0
	spokes := strings.HasPrefix(role, "spokes") || role == "representative" || role == "representatives" || role == "official" || role == "officials"
	definite := det == "the" || det == "his" || det == "her" || det == "their" || det == "its"
	// "a spokesman for the ministry"
	if spokes && end+1 < len(toks) && toks[end].kind == kWord {
		pw := lower(a.word(&toks[end]))
		if pw == "for" || pw == "of" || pw == "from" || pw == "at" {
			k := end + 1
			if k < len(toks) && toks[k].cls&cDet != 0 && !toks[k].cap {
				k++
			}
			if k < len(toks) && (isNameToken(&toks[k]) && toks[k].cap || toks[k].digit) {
				orgRun = k
			}
		}
	}
	switch {
	case isOrgNoun:
		if definite {
			m.ent = a.findOrgNoun(role)
		}
		if m.ent < 0 {
			m.ent = a.newEntity(entity{kind: eOrg, roles: []string{role}})
		}
	case definite && !spokes || definite && orgRun < 0:
		q := lower(a.text[toks[i+1].s:toks[head].wEnd])
		m.ent = a.findRole(q)
		if m.ent < 0 && det == "the" && !m.oblique && end < len(toks) && isFiniteCue(&toks[end]) {
			if m.ent = a.renamedSpeaker(pi, i, role); m.ent >= 0 {
				a.ents[m.ent].roles = append(a.ents[m.ent].roles, role)
			}
		}
		if m.ent < 0 {
			m.ent = a.newAnon(role, toks, i, end)
		}
	case spokes && orgRun >= 0:
		m.ent = -2 // filled once the organisation's run is analysed
	default:
		m.ent = a.newAnon(role, toks, i, end)
	}
	if singular && m.ent >= 0 && a.ents[m.ent].kind == eAnon {
		a.ents[m.ent].plural = false
	}
	if m.ent == -2 {
		// analyse the organisation's run now so the nominal can point to it
		j := orgRun
		for j < len(toks) && (isNameToken(&toks[j]) || toks[j].digit) && toks[j].cls&cTime == 0 {
			j++
			if toks[j-1].poss {
				break
			}
		}
		if orgRun < i {
			// the organisation sits inside the phrase: "A Hampshire Police spokesman"
			s := orgRun
			for s > i && isNameToken(&toks[s-1]) && toks[s-1].cls&cStop == 0 {
				s--
			}
			name := a.text[toks[s].s:toks[orgRun].wEnd]
			m.ent = a.orgByName(name, a.word(&toks[s]))
		} else if orgRun < end {
			s := orgRun
			for s > i+1 && isNameToken(&toks[s-1]) && toks[s-1].cls&cStop == 0 {
				s--
			}
			name := a.text[toks[s].s:toks[orgRun].wEnd]
			m.ent = a.orgByName(name, a.word(&toks[s]))
		} else {
			name := a.text[toks[orgRun].s:toks[j-1].wEnd]
			m.ent = a.orgByName(name, a.word(&toks[orgRun]))
			end = j
			m.t1 = j
		}
	}
	a.appositionMerge(&m, pi, i, sentStart)
	a.addMention(m)
	return end, true
}

func (a *analyzer) orgByName(name, first string) int {
	if ei, ok := a.orgKey[name]; ok {
		return ei
	}
	ei := a.newEntity(entity{name: name, kind: eOrg, first: first})
	a.orgKey[name] = ei
	return ei
}

// findOrgNoun resolves "the ministry" to the last organisation whose name
// contains that noun, or the last unnamed organisation with that noun.
func (a *analyzer) findOrgNoun(noun string) int {
	best, bestM := -1, -1
	for ei := range a.ents {
		e := &a.ents[ei]
		if e.kind != eOrg || e.lastM <= bestM {
			continue
		}
		match := containsFold(e.name, noun)
		for _, r := range e.roles {
			if r == noun {
				match = true
			}
		}
		if match {
			best, bestM = ei, e.lastM
		}
	}
	return best
}

// resolvePronoun links a subject pronoun to the most recent compatible
// mention that is not an object or possessive.
func (a *analyzer) resolvePronoun(m mention, pi, ti int) int {
	budget := 60
	for mi := len(a.ments) - 1; mi >= 0 && budget > 0; mi-- {
		budget--
		pm := &a.ments[mi]
		if pi-pm.para > 3 {
			break
		}
		if pm.ent < 0 || a.inRelClause(pm) {
			continue
		}
		e := &a.ents[pm.ent]
		switch {
		case m.pron&(cPronHe|cPronShe) != 0:
			if pm.oblique && !a.relHead(pm) || e.plural {
				continue
			}
			if e.kind != ePerson && e.kind != eAnon && e.kind != eSingle {
				continue
			}
			if e.kind == eSingle && pm.kind != mPronoun {
				continue
			}
			if e.gender == 1 && m.pron&cPronShe != 0 || e.gender == 2 && m.pron&cPronHe != 0 {
				continue
			}
			return pm.ent
		case m.pron&cPronIt != 0:
			if pm.oblique {
				continue
			}
			if e.kind == eOrg {
				return pm.ent
			}
		case m.pron&cPronThey != 0:
			if pm.oblique {
				continue
			}
			if e.kind == eOrg || e.plural {
				return pm.ent
			}
		}
	}
	return -1
}

// sentencePronoun returns the entity of the pronoun that opens the sentence
// as its subject when m is the same pronoun later in that sentence: "He
// said X is "…"; however, "…", he added" keeps one referent, though X was
// named in between. -1 otherwise.
func (a *analyzer) sentencePronoun(m mention, pi, sentStart int) int {
	if m.pron&(cPronHe|cPronShe) == 0 {
		return -1
	}
	// a semicolon ends a clause, not the sentence this looks at
	toks := a.paras[pi].toks
	for sentStart > 0 && a.text[toks[sentStart-1].s:toks[sentStart-1].e] == ";" {
		k := sentStart - 2
		for k >= 0 && !isTerminator(a.text, &toks[k]) {
			k--
		}
		sentStart = k + 1
	}
	first := -1
	for mi := len(a.ments) - 1; mi >= 0; mi-- {
		pm := &a.ments[mi]
		if pm.para != pi || pm.t0 < sentStart {
			break
		}
		first = mi
	}
	if first < 0 {
		return -1
	}
	pm := &a.ments[first]
	if pm.kind != mPronoun || pm.pron != m.pron || pm.oblique || pm.ent < 0 {
		return -1
	}
	return pm.ent
}

// inRelClause reports whether mention m sits in a relative clause set off
// by a comma ("X, who represents Old Quay for the Riverside Independents,
// said"): not the subject a later pronoun refers back to.
func (a *analyzer) inRelClause(m *mention) bool {
	toks := a.paras[m.para].toks
	for k := m.t0 - 1; k > 0 && m.t0-k < 30; k-- {
		t := &toks[k]
		if k == m.t0-1 && a.punct(t) == "," && (a.isWord(&toks[m.t0], "a") || a.isWord(&toks[m.t0], "an")) {
			continue // in apposition to the clause's object: "…, who organises the Wend Dippers, a swimming group"
		}
		if t.kind == kQuote || t.kind == kPunct {
			return false
		}
		if t.kind == kWord && !t.cap && t.cls&cRel != 0 {
			w := lower(a.word(t))
			if (w == "which" || w == "whom") && toks[k-1].kind == kWord && toks[k-1].cls&cPrep != 0 && !toks[k-1].cap {
				return true // "power-sharing in which Tsvangirai became prime minister"
			}
			return (w == "who" || w == "which" || w == "whose") && a.punct(&toks[k-1]) == ","
		}
	}
	return false
}

// relHead reports whether a relative clause about a person follows
// mention m ("That did not impress Carla Moss, who organises …"): an
// object so described is the topic a later "she" refers to.
func (a *analyzer) relHead(m *mention) bool {
	toks := a.paras[m.para].toks
	if m.t1+1 >= len(toks) || a.punct(&toks[m.t1]) != "," {
		return false
	}
	// past an age or an apposition: "Bernard Kyte, 88, the club's oldest
	// member, who first rowed …"
	for k := m.t1 + 1; k < len(toks) && k <= m.t1+12; k++ {
		t := &toks[k]
		if a.isWord(t, "who") {
			return a.punct(&toks[k-1]) == ","
		}
		if t.kind == kQuote || t.kind == kPunct && a.punct(t) != "," || t.kind == kWord && t.cls&(cCue|cCueIng|cVerbish|cRel|cPronHe|cPronShe|cPronIt|cPronThey) != 0 {
			return false
		}
	}
	return false
}

// listContext reports whether the mention ending at token k is one item of a
// list ("A, B and C") rather than a name in apposition.
func (a *analyzer) listContext(toks []token, k, lo int) bool {
	m := &a.ments[toks[k].ment]
	if m.ent < 0 || a.ents[m.ent].kind != ePerson && a.ents[m.ent].kind != eSingle && a.ents[m.ent].kind != eAnon {
		return false // "the mayor of London, Sadiq Khan": an apposition, not a list
	}
	// a list: the mention itself follows a comma or a preposition
	if m.t0-1 >= lo {
		p := &toks[m.t0-1]
		if a.punct(p) == "," || p.kind == kWord && p.cls&cPrep != 0 {
			return m.oblique
		}
	}
	return false
}

// listItem reports whether the phrase ending before token end is followed by
// a comma or a conjunction, as a middle item of a list is.
func (a *analyzer) listItem(toks []token, end int) bool {
	if end < 0 || end >= len(toks) {
		return false
	}
	t := &toks[end]
	if a.punct(t) == "," && end+1 < len(toks) {
		t = &toks[end+1]
	}
	return t.kind == kWord && (a.isWord(t, "and") || a.isWord(t, "or"))
}

// orgOf reports whether token j is an "of" (or "of the") that joins an
// organisation word to the proper name after it: "Ministry of Health".
func (a *analyzer) orgOf(toks []token, i, j int) bool {
	if j <= i || j+1 >= len(toks) || toks[j-1].cls&cOrg == 0 || !toks[j-1].cap || toks[j-1].poss {
		return false
	}
	// "Commission on Presidential Debates", "Centers for Disease Control"
	if !a.isWord(&toks[j], "of") && !a.isWord(&toks[j], "on") && !a.isWord(&toks[j], "for") {
		if a.isWord(&toks[j], "the") && j-1 > i && a.isWord(&toks[j-1], "of") {
			return toks[j+1].cap
		}
		return false
	}
	n := &toks[j+1]
	if a.isWord(n, "the") && j+2 < len(toks) {
		n = &toks[j+2]
	}
	return n.kind == kWord && n.cap && n.cls&cStop == 0
}

// modifiesName reports whether lower-case title or role words follow token
// j-1 and lead straight into a capitalised name.
func (a *analyzer) modifiesName(toks []token, j int) bool {
	k := j
	for k < len(toks) && k < j+3 && toks[k].kind == kWord && !toks[k].cap && toks[k].cls&(cTitle|cRole) != 0 {
		k++
	}
	return k > j && k < len(toks) && isNameToken(&toks[k]) && toks[k].cap && toks[k].cls&cStop == 0
}

func hasSuffixFold(s, suffix string) bool {
	return len(s) >= len(suffix) && strings.EqualFold(s[len(s)-len(suffix):], suffix)
}

// containsFold reports whether s contains the lower-case ASCII word sub,
// ignoring case.
func containsFold(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
}

// detCapRole reports whether the determiner at i opens "The Wooster
// professor": capitalised modifiers, then a lower-case role noun not followed
// by a name.
func (a *analyzer) detCapRole(toks []token, i int) bool {
	k := i + 1
	for k < len(toks) && k < i+4 && toks[k].kind == kWord && toks[k].cap && toks[k].cls&(cTitle|cStop) == 0 && !toks[k].poss {
		k++
	}
	if k == i+1 || k >= len(toks) {
		return false
	}
	t := &toks[k]
	if t.kind != kWord || t.cap || t.cls&(cRole|cOrgNoun) == 0 {
		return false
	}
	return k+1 >= len(toks) || !(toks[k+1].cap && toks[k+1].kind == kWord)
}

// commonWord reports whether the capitalised word at i, opening a sentence,
// is an ordinary word: a participle before a preposition ("Writing for …"),
// or a word the article also writes in lower case.
func (a *analyzer) commonWord(toks []token, i int) bool {
	t := &toks[i]
	w := a.word(t)
	if _, known := a.byKey[w]; known || t.allCap || t.poss {
		return false
	}
	if k, ok := a.personByLast[foldName(w)]; ok && a.ents[k].kind == ePerson {
		return false
	}
	if k, ok := a.personByFirst[foldName(w)]; ok && a.ents[k].kind == ePerson {
		return false
	}
	if _, ok := a.orgByFirst[w]; ok {
		return false
	}
	if i+1 < len(toks) && toks[i+1].kind == kWord && !toks[i+1].cap && nounPrep(a.word(&toks[i+1])) {
		return true // "Backlash from the statement led …", "Part of Trump's tweet": a noun with its complement
	}
	if hasSuffixFold(w, "ing") && len(w) > 5 && (i+1 >= len(toks) || toks[i+1].kind != kWord || toks[i+1].cls&(cPrep|cDet) != 0) {
		return true // "Writing for the court", "Saying "…""
	}
	if hasSuffixFold(w, "ly") && len(w) > 4 && i+1 < len(toks) && (toks[i+1].kind == kWord && !toks[i+1].cap || a.punct(&toks[i+1]) == ",") {
		return true // "Newly elected …", "Specifically, …"
	}
	// the same word in lower case elsewhere in the article
	if len(w) < 3 || w[0] < 'A' || w[0] > 'Z' {
		return false
	}
	low := string(w[0]+('a'-'A')) + w[1:]
	for off := 0; ; {
		k := strings.Index(a.text[off:], low)
		if k < 0 {
			return false
		}
		s := off + k
		e := s + len(low)
		if (s == 0 || !isWordRune(runeBefore(a.text, s, 0))) && (e >= len(a.text) || !isWordRune(runeAt(a.text, e, len(a.text)))) {
			return true
		}
		off = e
	}
}

// nounPrep reports a preposition that takes a common noun's complement
// ("part of", "backlash from", "concern over") and seldom follows a
// person's name as subject, unlike "in", "on" or "with" ("Smith in a
// statement said").
func nounPrep(w string) bool {
	switch w {
	case "of", "from", "about", "over", "against", "among", "between", "like", "than", "regarding", "concerning", "towards", "toward":
		return true
	}
	return false
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// nominalBeforeComma finds the mention of a phrase that ends with the comma
// before token i, looking back across an "of" phrase: "The mayor of
// London, Sadiq Khan".
func (a *analyzer) nominalBeforeComma(toks []token, i, lo int) int {
	if i-2 < lo || a.punct(&toks[i-1]) != "," {
		return -1
	}
	k := i - 2
	if toks[k].ment >= 0 && a.ments[toks[k].ment].kind == mNominal {
		return toks[k].ment
	}
	for n := 0; k > lo && n < 6; n++ {
		t := &toks[k]
		if t.kind != kWord || !(t.cap || a.isWord(t, "of") || a.isWord(t, "the")) {
			return -1
		}
		if a.isWord(t, "of") {
			// the head before "of" must be a lower-case role noun ("mayor")
			if m := toks[k-1].ment; m >= 0 && a.ments[m].kind == mNominal && !toks[k-1].cap && toks[k-1].cls&cRole != 0 {
				return m
			}
			return -1
		}
		k--
	}
	return -1
}

// occupationShaped reports a word formed like the name of an occupation
// ("Immunologist", "Physician", "Photographer"): before a two-word name it
// is a title, not a first name.
func occupationShaped(w string) bool {
	if len(w) < 7 {
		return false
	}
	for _, suf := range []string{"ologist", "ist", "ician", "grapher", "nomer"} {
		if hasSuffixFold(w, suf) {
			return true
		}
	}
	return false
}

// otherOfGender reports whether a recent mention names a person other than
// ei known to be of gender g: then "her" or "his" may refer to them, and
// says nothing of ei ("Dave Meltzer tweeted after hearing the news of her
// death").
func (a *analyzer) otherOfGender(ei int, g int8) bool {
	for mi, n := len(a.ments)-1, 0; mi >= 0 && n < 30; mi, n = mi-1, n+1 {
		if e := a.ments[mi].ent; e >= 0 && e != ei && a.ents[e].gender == g && a.ents[e].kind == ePerson {
			return true
		}
	}
	return false
}

// otherInSentence reports whether the sentence so far names a person
// other than ei whose gender is not known: "a woman … claimed Biden
// commented on her …" says nothing of Biden.
func (a *analyzer) otherInSentence(ei, pi, sentStart int) bool {
	for mi := len(a.ments) - 1; mi >= 0; mi-- {
		m := &a.ments[mi]
		if m.para != pi || m.t0 < sentStart {
			return false
		}
		if e := m.ent; e >= 0 && e != ei && a.ents[e].gender == 0 && !a.ents[e].plural && (a.ents[e].kind == ePerson || a.ents[e].kind == eAnon) {
			return true
		}
	}
	return false
}

// thatVerb reports a cue verb whose object is what was said, never a person:
// a noun phrase after it opens the reported clause.
func thatVerb(w string) bool {
	switch w {
	case "said", "says", "say", "stated", "added", "adds", "noted", "claimed", "claims", "reported",
		"announced", "explained", "confirmed", "argued", "insisted", "suggested", "acknowledged", "admitted":
		return true
	}
	return false
}

// nameVariant reports whether one of two names is the other with words
// left out ("Pieter Vogel", "Pieter J. Vogel"), not another middle name.
func nameVariant(x, y string) bool {
	xs, ys := strings.Fields(foldName(x)), strings.Fields(foldName(y))
	if len(xs) > len(ys) {
		xs, ys = ys, xs
	}
	i := 0
	for _, w := range ys {
		if i < len(xs) && strings.EqualFold(xs[i], w) {
			i++
		}
	}
	return i == len(xs)
}

// latterFormer resolves "latter" or "former" at toks[k], after "the": the
// latest, or the one before, of the speakers named earlier in the
// paragraph (among its last 40 mentions). "The former minister" is a role, so "former" counts only
// before a cue, a verb or no word at all.
func (a *analyzer) latterFormer(pi int, toks []token, k int) int {
	t := &toks[k]
	if t.kind != kWord || t.cap {
		return -1
	}
	want := 0
	switch {
	case a.isWord(t, "latter"):
	case a.isWord(t, "former") && (k+1 >= len(toks) || toks[k+1].kind != kWord ||
		!toks[k+1].cap && toks[k+1].cls&(cCue|cCueIng|cVerbish) != 0 && toks[k+1].cls&(cRole|cOrgNoun) == 0):
		want = 1
	default:
		return -1
	}
	seen := -1
	for mi := len(a.ments) - 1; mi >= 0 && mi >= len(a.ments)-40 && a.ments[mi].para == pi; mi-- {
		m := &a.ments[mi]
		if m.ent < 0 || m.kind == mPronoun || m.ent == seen || a.ents[m.ent].kind == ePlace {
			continue
		}
		if want == 0 {
			return m.ent
		}
		seen, want = m.ent, want-1
	}
	return -1
}
