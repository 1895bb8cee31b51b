package quotes

import "strings"

// This file decides, for each quotation candidate, whether it is a quotation
// and who said it. It looks for an attribution clause right after the quote
// ("…," she said / "…" said X / "…", X told reporters), then for a cue verb
// earlier in the sentence (X said "…", according to X, …: "…"), then for an
// earlier quotation of the same sentence ("A" and "B"), and finally for the
// speaker of the paragraph before.

func (a *analyzer) punct(t *token) string {
	if t.kind != kPunct {
		return ""
	}
	return a.text[t.s:t.e]
}

func (a *analyzer) isWord(t *token, w string) bool {
	return t.kind == kWord && strings.EqualFold(a.word(t), w)
}

// leftStart returns the first token of the sentence that holds token qi.
func (a *analyzer) leftStart(p *paragraph, qi int) int {
	return a.sentenceStart(p, 0, 0, qi)
}

// sentenceStart continues a forward scan: given the sentence start ls
// known at token from, it returns the sentence start at token qi ≥ from.
func (a *analyzer) sentenceStart(p *paragraph, ls, from, qi int) int {
	toks := p.toks
	for k := from; k < qi; k++ {
		t := &toks[k]
		if isTerminator(a.text, t) {
			ls = k + 1
			continue
		}
		if t.kind == kQuote && a.cands[t.q].terminal && k+1 < len(toks) {
			n := &toks[k+1]
			if n.kind == kQuote || n.kind == kWord && n.cap {
				ls = k + 1
			}
		}
	}
	return ls
}

// rightEnd returns the end (exclusive) of the clause after token qi.
func (a *analyzer) rightEnd(p *paragraph, qi int) int {
	toks := p.toks
	for k := qi + 1; k < len(toks); k++ {
		t := &toks[k]
		if t.kind == kQuote || isTerminator(a.text, t) {
			return k
		}
	}
	return len(toks)
}

func isFiniteCue(t *token) bool {
	return t.kind == kWord && !t.cap && t.cls&cCue != 0
}

// isAfterOnlyCue reports a verb that is a cue only next to its quotation
// ("declared"): after it, "…," he declared, it is one.
func isAfterOnlyCue(t *token) bool {
	return t.kind == kWord && !t.cap && t.cls&cCueAdj != 0
}

// subjLeft finds the subject mention nearest to the left of token k, not
// before lo. It skips objects and possessives, and prefers a named person to
// an organisation or nominal standing in apposition ("X, also CIA, said").
func (a *analyzer) subjLeft(p *paragraph, k, lo int) int {
	if mi := a.relSubject(p, k, lo); mi >= 0 {
		return mi
	}
	toks := p.toks
	fallback := -1
	rel := false // passed "who"/"which": the antecedent is the subject
	relWho := false
	relFallback := -1
	adjacent := true
	comma := false // passed a comma: what lies between is a parenthesis
	for n := 0; k >= lo && n < 40; n++ {
		t := &toks[k]
		if t.kind == kQuote || a.punct(t) == ";" {
			break
		}
		adj := adjacent && !comma // only adverbs between here and the verb
		if a.punct(t) == ")" {
			// "National Crime Agency (NCA) said": skip the parenthesis
			j := k - 1
			for j >= lo && a.punct(&toks[j]) != "(" && k-j < 12 {
				j--
			}
			if j >= lo && a.punct(&toks[j]) == "(" {
				k = j - 1
				continue
			}
		}
		if adjacent && t.kind == kWord && !t.cap && t.cls&cRel != 0 && t.ment < 0 {
			w := lower(a.word(t))
			if w == "who" || w == "which" {
				rel, relWho = true, w == "who"
				k--
				continue
			}
		}
		if rel && t.ment >= 0 {
			if m := &a.ments[t.ment]; relWho && (m.ent < 0 || a.ents[m.ent].kind != ePerson) && m.kind != mPronoun {
				// "led by X, a marine ecologist at GT, who said": the
				// apposition before "who" describes the person named before it
				if relFallback < 0 {
					relFallback = t.ment
				}
				if mi := a.appositionHead(p, m.t0, lo); mi >= 0 {
					return mi
				}
				return relFallback
			}
			return t.ment
		}
		if t.ment >= 0 && !adj && a.inRelClause(&a.ments[t.ment]) {
			// "X, who represents the Riverside Independents, said": not
			// the subject; its antecedent further left is
			k = a.ments[t.ment].t0 - 1
			continue
		}
		if t.kind == kWord && t.cls&cSkip == 0 || t.kind == kQuote {
			adjacent = false
		}
		if a.punct(t) == "," {
			comma = true
		}
		if t.ment >= 0 {
			m := &a.ments[t.ment]
			if m.t0 < lo {
				break
			}
			if !m.oblique {
				ek := entKind(255)
				if m.ent >= 0 {
					ek = a.ents[m.ent].kind
				}
				if ek == ePerson || m.kind == mPronoun || fallback >= 0 {
					if ek != ePerson && fallback >= 0 {
						return fallback
					}
					return t.ment
				}
				// in apposition before the verb ("X, also CIA, said"; "X, an
				// Ithaca College student, said"; "X, on radio from low Earth
				// orbit, said"): look for a person further left
				if m.t1 < len(toks) && a.punct(&toks[m.t1]) == "," || a.inIndefinite(p, m.t0, lo) || comma {
					fallback = t.ment
					k = m.t0 - 1
					continue
				}
				return t.ment
			}
			if adj && fallback < 0 && a.clauseSubject(p, m, lo) {
				// "Znak.com reported its source said": a noun phrase right
				// before the verb is its subject, though it follows a verb
				return t.ment
			}
			k = m.t0 - 1
			continue
		}
		k--
	}
	if fallback < 0 {
		return relFallback
	}
	return fallback
}

// skipBack returns the index of the first token at or before k, not before
// lo, that is not an adverb or auxiliary.
func (a *analyzer) skipBack(p *paragraph, k, lo int) int {
	for k >= lo && p.toks[k].kind == kWord && p.toks[k].cls&cSkip != 0 && !p.toks[k].cap {
		k--
	}
	return k
}

// clauseSubject reports whether mention m, taken for the object of a verb
// before it, may instead open a clause of its own: not possessive, not after
// a preposition.
func (a *analyzer) clauseSubject(p *paragraph, m *mention, lo int) bool {
	toks := p.toks
	if toks[m.t1-1].poss || m.t0 <= lo {
		return false
	}
	b := &toks[m.t0-1]
	return b.kind == kWord && !b.cap && b.cls&(cPrep|cCall|cNaming) == 0 && b.cls&(cCue|cVerbish) != 0 || b.kind == kWord && hasSuffixFold(a.word(b), "ed")
}

// appositionHead returns the person named before the noun phrase that
// ends at token k ("X, a marine ecologist and Regents Professor at GT"),
// or -1 when that phrase is not an apposition to a person.
func (a *analyzer) appositionHead(p *paragraph, k, lo int) int {
	toks := p.toks
	for j := k - 1; j > lo && k-j < 16; j-- {
		t := &toks[j]
		if a.punct(t) == "," {
			if mi := toks[j-1].ment; mi >= 0 && a.ments[mi].ent >= 0 && a.ents[a.ments[mi].ent].kind == ePerson {
				return mi
			}
			return -1
		}
		if t.kind != kWord || !t.cap && t.cls&(cCue|cCueIng|cVerbish|cRel|cSkip) != 0 {
			return -1 // a clause, not a noun phrase ("marine ecologist" is one)
		}
	}
	return -1
}

// personLike reports whether mention m may be a person: a pronoun, or a
// person, a lone name or an unnamed individual.
func (a *analyzer) personLike(m *mention) bool {
	if m.kind == mPronoun {
		return true
	}
	if m.ent < 0 {
		return false
	}
	k := a.ents[m.ent].kind
	return k == ePerson || k == eSingle || k == eAnon
}

// relSubject finds a subject set off from its verb at k+1 by a relative
// clause between commas: "X, who represents Old Quay for the Riverside
// Independents, said"; "X, 71, who has lived there since 1988, said".
// Names inside the clause are not the subject. A "which" clause makes a
// lone name an organisation ("Castlegate Mutual, which insures …, said").
func (a *analyzer) relSubject(p *paragraph, k, lo int) int {
	toks := p.toks
	if k <= lo || k >= len(toks) || a.punct(&toks[k]) != "," {
		return -1
	}
	for j := k - 1; j > lo && k-j <= 40; j-- {
		t := &toks[j]
		if t.kind == kQuote || a.punct(t) == ";" {
			return -1
		}
		if t.kind != kWord || t.cap || t.cls&cRel == 0 {
			continue
		}
		w := lower(a.word(t))
		if w != "who" && w != "which" && w != "whose" {
			continue
		}
		i := a.relAntecedent(p, j, lo)
		if i < 0 {
			return -1
		}
		mi := toks[i].ment
		if w == "which" {
			if e := a.ments[mi].ent; e >= 0 && (a.ents[e].kind == eSingle || a.ents[e].kind == ePerson && len(a.ents[e].roles) == 0 && a.ents[e].gender == 0) {
				a.ents[e].kind = eOrg
			}
		}
		return mi
	}
	return -1
}

// relAntecedent returns the last token of the subject mention a relative
// pronoun at j refers to (", who" right after it, an age in apposition
// skipped), or -1.
func (a *analyzer) relAntecedent(p *paragraph, j, lo int) int {
	toks := p.toks
	i := j - 1
	if i <= lo || a.punct(&toks[i]) != "," {
		return -1
	}
	i--
	if i-1 > lo && toks[i].digit && a.punct(&toks[i-1]) == "," {
		i -= 2
	}
	if i < lo || toks[i].ment < 0 || a.ments[toks[i].ment].oblique {
		return -1
	}
	return i
}

// firstSubject returns the first mention in [lo,hi) that is not an object.
func (a *analyzer) firstSubject(p *paragraph, lo, hi int) int {
	for k := lo; k < hi; k++ {
		t := &p.toks[k]
		if t.kind == kQuote {
			continue
		}
		if t.ment >= 0 && !a.ments[t.ment].oblique {
			return t.ment
		}
	}
	return -1
}

type attribution struct {
	found  bool
	ment   int // mention index, -1 unknown
	ent    int // entity, -1 unknown
	cue    string
	end    int // token index after the clause (after-clauses)
	kind   int // after-clauses: 1 inverted ("said X"), 2 normal ("X said")
	fromQ  int // candidate whose speaker is inherited, -1
	naming bool
	doc    bool // the cue's subject is a document ("the warning read"), not a speaker
}

func noAttr() attribution { return attribution{ment: -1, ent: -1, fromQ: -1} }

func (a *analyzer) mentEnt(mi int) int {
	if mi < 0 {
		return -1
	}
	return a.ments[mi].ent
}

func (a *analyzer) cueText(p *paragraph, k int) string {
	t := &p.toks[k]
	w := lower(a.word(t))
	if w == "according" {
		return "according to"
	}
	if (w == "told" || w == "tell" || w == "tells" || w == "telling") && k+1 < len(p.toks) {
		n := &p.toks[k+1]
		if n.kind == kWord && !n.cap && n.cls&(cPrep|cDet|cPronHe|cPronShe|cPronThey|cPronIt|cPronI) == 0 && !isObjectPronoun(a.word(n)) {
			return w + " " + lower(a.word(n))
		}
	}
	return w
}

// afterClause parses an attribution right after the quote at qi.
func (a *analyzer) afterClause(p *paragraph, c *candidate, qi, hi int) attribution {
	toks := p.toks
	at := noAttr()
	r := qi + 1
	if r < hi && (a.punct(&toks[r]) == "," || a.punct(&toks[r]) == "—" || a.punct(&toks[r]) == "–") {
		r++
	}
	if r >= hi {
		return at
	}
	t := &toks[r]
	clauseEnd := func(from int) int {
		k := from
		for ; k < hi; k++ {
			tk := &toks[k]
			if a.punct(tk) == "," && k+1 < hi {
				n := &toks[k+1]
				if n.kind == kWord && !n.cap && n.cls&cDet == 0 {
					return k
				}
			}
			if a.punct(tk) == "(" || a.punct(tk) == ":" {
				return k
			}
		}
		return k
	}
	if !c.terminal && !a.isWord(t, "according") {
		// "X suffered "two deep wounds" in the attack according to a
		// spokesperson": the source closes the sentence a few words on
		// (a parenthesis does not count: "from under eight metres (about
		// 25 feet) of mud, according to …")
		for k, n := r+1, 0; k+1 < hi && n < 8; k, n = k+1, n+1 {
			if a.punct(&toks[k]) == "(" {
				for k+1 < hi && a.punct(&toks[k]) != ")" {
					k++
				}
				continue
			}
			if a.punct(&toks[k]) == "," && !a.isWord(&toks[k+1], "according") {
				break
			}
			if a.isWord(&toks[k], "according") && a.isWord(&toks[k+1], "to") {
				r, t = k, &toks[k]
				break
			}
		}
	}
	if c.terminal && t.cap && r == qi+1 && a.isWord(t, "according") {
		// "…campaign." According to The Post, officials …: a new sentence,
		// whose source is that of what follows it
		return at
	}
	per := r == qi+1 && r+1 < hi && a.isWord(t, "per") // ""…" per YouTube's rules": as "according to"
	if per || a.isWord(t, "according") && r+1 < hi && a.isWord(&toks[r+1], "to") {
		// "…," according to a tweet by X: the person named, else the
		// organisation; a document alone names no speaker
		best := -1
		from := r + 2
		if per {
			from = r + 1
		}
		for k := from; k < hi; k++ {
			if mi := toks[k].ment; mi >= 0 && a.ments[mi].ent >= 0 {
				if ek := a.ents[a.ments[mi].ent].kind; ek == ePerson || ek == eSingle {
					best = mi
					break
				} else if (ek == eOrg || ek == eAnon) && best < 0 {
					best = mi // "according to a hospital spokesperson": unnamed, but the source
				}
			}
		}
		at.found, at.ment, at.ent, at.cue, at.end, at.kind = true, best, a.mentEnt(best), "according to", hi, 1
		return at
	}
	if (isFiniteCue(t) || isAfterOnlyCue(t)) && t.cls&cCall == 0 {
		end := clauseEnd(r + 1)
		// stop at a prepositional phrase: "said Kipchoge after the run"
		stop := end
		for k := r + 1; k < end; k++ {
			if toks[k].kind == kWord && !toks[k].cap && toks[k].cls&cPrep != 0 && !a.isWord(&toks[k], "of") && k > r+1 {
				stop = k
				break
			}
		}
		best, bestRank := -1, 9
		for k := r + 1; k < stop; k++ {
			mi := toks[k].ment
			if mi < 0 || a.ments[mi].oblique && a.ments[mi].kind != mName {
				continue
			}
			rank := 5
			if ei := a.ments[mi].ent; ei >= 0 {
				switch a.ents[ei].kind {
				case ePerson:
					rank = 1
				case eSingle:
					rank = 2
				case eOrg:
					rank = 3
				case ePlace:
					continue
				default:
					rank = 4
				}
			}
			if rank < bestRank {
				best, bestRank = mi, rank
			}
		}
		if best < 0 {
			for k := r + 1; k < stop; k++ {
				if toks[k].kind == kWord && toks[k].cls&cDoc != 0 && !toks[k].cap {
					at.doc = true // "…", read the warning: a document, no speaker
				}
			}
			return at
		}
		at.found, at.ment, at.ent, at.cue, at.end, at.kind = true, best, a.mentEnt(best), a.cueText(p, r), end, 1
		return at
	}
	// "X said": the subject must open the clause
	if !(t.kind == kWord && (t.cap || t.cls&(cDet|cPronHe|cPronShe|cPronThey|cPronIt|cRole|cTitle) != 0)) {
		return at
	}
	if t.kind == kWord && t.cls&cRel != 0 && !t.cap {
		return at
	}
	cue := -1
	for k := r; k < hi && k < r+16; k++ {
		if (isFiniteCue(&toks[k]) || isAfterOnlyCue(&toks[k])) && toks[k].cls&cCall == 0 {
			cue = k
			break
		}
		if toks[k].kind == kWord && toks[k].cls&cCueIng != 0 && !toks[k].cap {
			break
		}
	}
	if cue <= r {
		return at
	}
	mi := a.subjLeft(p, cue-1, r)
	if mi < 0 && cue-1 > r && toks[cue-1].kind == kWord && toks[cue-1].cls&cDoc != 0 && !toks[cue-1].cap {
		// "…," the statement read: the statement an earlier sentence gave
		mi = a.earlierDocOwner(c.para, cue-1, qi)
	}
	if mi < 0 && cue-r > 4 {
		return at
	}
	end := clauseEnd(cue + 1)
	if c.terminal && t.cap {
		// a new sentence may start here; accept only a bare attribution
		if hi < len(toks) && toks[hi].kind == kQuote {
			return at
		}
		if end-cue > 10 {
			return at
		}
		for k := cue + 1; k < end; k++ {
			if a.isWord(&toks[k], "that") || toks[k].cls&(cCue|cCueIng) != 0 && !toks[k].cap {
				return at
			}
		}
	}
	at.found, at.ment, at.ent, at.cue, at.end, at.kind = true, mi, a.mentEnt(mi), a.cueText(p, cue), end, 2
	return at
}

// beforeClause looks for a cue earlier in the sentence of the quote at qi.
func (a *analyzer) beforeClause(p *paragraph, qi, lo int) attribution {
	toks := p.toks
	at := noAttr()
	// naming context: called "X", the word "X", known as "X"
	if k := qi - 1; k >= lo && toks[k].kind == kWord && !toks[k].cap {
		if toks[k].cls&cNaming != 0 {
			at.naming = true
		}
		if a.isWord(&toks[k], "as") && k-1 >= lo && a.isWord(&toks[k-1], "known") {
			at.naming = true
		}
		if (a.isWord(&toks[k], "the") || a.isWord(&toks[k], "a") || a.isWord(&toks[k], "an")) && k-1 >= lo && toks[k-1].kind == kWord && toks[k-1].cls&(cNaming|cCall) != 0 && !toks[k-1].cap {
			at.naming = true // "was called the "breadbasket" of southern Africa", "a pattern called a "glider""
		}
		if a.isWord(&toks[k], "saying") && k-1 >= lo && (toks[k-1].cls&cDet != 0 || a.isWord(&toks[k-1], "old")) {
			at.naming = true // "like the saying "…"", "an old saying, "…"": a proverb, no one's words
		}
		if toks[k].digit && a.cands[toks[qi].q].words <= 3 {
			at.naming = true // "noted over 370 "jackal horns"": a count of things so named
		}
	}
	// text written on something: "a banner reading "…"", "signs which read "…""
	for k := qi - 1; k >= lo && k >= qi-4; k-- {
		t := &toks[k]
		if t.kind != kWord {
			break
		}
		w := lower(a.word(t))
		if isSignNoun(w) || k == qi-1 && (w == "displays" || w == "displayed" || w == "display") ||
			w == "writing" && !t.cap && k < qi-1 {
			// "the page still displays "…"", "the writing says "…"": text shown,
			// not said; but "…, writing "…"" is what someone wrote
			at.naming = true
			break
		}
	}
	// an earlier quotation in the same sentence
	pq := -1
	for k := qi - 1; k >= lo; k-- {
		if toks[k].kind == kQuote {
			pq = k
			break
		}
	}
	from := lo
	if pq >= 0 {
		from = pq + 1
	}
	weak := false
	for k := qi - 1; k >= from; k-- {
		t := &toks[k]
		// skip a parenthetical: "— which the BBC noted —", "(…)"
		if pp := a.punct(t); pp == ")" || pp == "—" || pp == "–" {
			for j := k - 1; j >= from; j-- {
				q := a.punct(&toks[j])
				if pp == ")" && q == "(" || pp != ")" && (q == "—" || q == "–") {
					k = j
					break
				}
			}
			continue
		}
		if t.kind != kWord {
			continue
		}
		w := ""
		if t.cls&(cCue|cCueIng|cCueAdj) != 0 {
			w = lower(a.word(t))
		}
		if t.cap && k == lo && t.cls&cCue != 0 && k+1 < qi {
			// "Remarked scientist Tierra Curry, "…"", "Said Vogel: "…"":
			// the cue opens the sentence and the speaker follows it
			for j := k + 1; j < qi; j++ {
				if mi := toks[j].ment; mi >= 0 && !a.ments[mi].oblique && a.ments[mi].ent >= 0 {
					if ek := a.ents[a.ments[mi].ent].kind; ek == ePerson || ek == eSingle || ek == eAnon {
						at.found, at.ment, at.ent, at.cue = true, mi, a.mentEnt(mi), lower(a.word(t))
						return at
					}
				}
			}
		}
		if w == "" || t.cap && w != "according" {
			continue
		}
		switch {
		case w == "according":
			if k+1 >= len(toks) || !a.isWord(&toks[k+1], "to") {
				continue
			}
			mi := -1
			for j := k + 2; j < qi && a.punct(&toks[j]) != ","; j++ {
				if x := toks[j].ment; x >= 0 && x != mi {
					if mi < 0 || a.ments[x].ent >= 0 && a.ents[a.ments[x].ent].kind == ePerson {
						mi = x
					}
				}
			}
			if mi < 0 {
				for j := k + 2; j < qi && a.punct(&toks[j]) != ","; j++ {
					if toks[j].kind == kWord && !toks[j].cap && toks[j].cls&(cRole|cOrgNoun) != 0 && toks[j].cls&cDoc == 0 {
						// "according to police": an unnamed source
						at.found, at.cue = true, "according to"
						return at
					}
				}
				// "according to the summary": a document, not a speaker; the
				// subject of the clause, if any, is the source
				weak = true
				continue
			}
			at.found, at.ment, at.ent, at.cue = true, mi, a.mentEnt(mi), "according to"
			return at
		case t.cls&cCueAdj != 0 && t.cls&cCue == 0:
			if k == qi-1 || k == qi-2 && (a.punct(&toks[qi-1]) == "," || a.punct(&toks[qi-1]) == ":") {
				mi := a.subjLeft(p, k-1, lo)
				if j := a.skipBack(p, k-1, lo); j >= lo && a.isWord(&toks[j], "and") {
					// "X asked whether … and then declared "…"": a
					// coordinated predicate shares the sentence's subject
					if fs := a.firstSubject(p, lo, j); fs >= 0 {
						mi = fs
					}
				}
				at.found, at.ment, at.ent, at.cue = true, mi, a.mentEnt(mi), w
				return at
			}
			continue
		case t.cls&cCall != 0 && k == qi-1:
			if mi := a.namedSubject(p, k-1, lo); mi >= 0 {
				// "what WalesOnline called "fury"": a named source calls it so
				at.found, at.ment, at.ent, at.cue, at.naming = true, mi, a.mentEnt(mi), w, false
				return at
			}
			at.naming = true
			return at
		case t.cls&cCue != 0 && k+2 < qi && a.isWord(&toks[k+1], "by") && toks[k+2].kind == kWord && a.agent(p, k+2, qi) >= 0:
			// "X has been described by the Daily Hive as "…"": the agent speaks
			mi := a.agent(p, k+2, qi)
			at.found, at.ment, at.ent, at.cue = true, mi, a.mentEnt(mi), a.cueText(p, k)
			return at
		case t.cls&cCue != 0:
			mi := a.subjLeft(p, k-1, lo)
			if j := a.skipBack(p, k-1, lo); mi < 0 && j >= lo && toks[j].kind == kWord && toks[j].cls&cDoc != 0 {
				at.doc = true // "The warning read: …"
				if o := a.docOwner(p, j, lo); o >= 0 {
					mi = o // "Trump's statement read: …"
				} else if o := a.earlierDocOwner(a.cands[toks[qi].q].para, j, qi); o >= 0 {
					mi = o // "Acme said in a statement … The statement read: …"
				}
			}
			if j := a.skipBack(p, k-1, lo); j >= lo && a.isWord(&toks[j], "and") {
				// "The government announced …, and said": a coordinated
				// predicate shares the subject of the sentence
				if fs := a.firstSubject(p, lo, j); fs >= 0 {
					mi = fs
				}
			}
			if mi < 0 && pq >= 0 {
				at.fromQ = toks[pq].q
			}
			at.found, at.ment, at.ent, at.cue = true, mi, a.mentEnt(mi), a.cueText(p, k)
			return at
		default: // participle: the subject of the main clause
			if mi := a.participleSubject(p, k, lo); mi >= 0 {
				// "with A of Kent calling it "X" and B calling it "Y"": each
				// participle's own subject
				at.found, at.ment, at.ent, at.cue = true, mi, a.mentEnt(mi), w
				return at
			}
			if pq >= 0 {
				at.found, at.fromQ, at.cue = true, toks[pq].q, w
				return at
			}
			mi := -1
			if k-1 >= lo && toks[k-1].ment >= 0 {
				// "with Zinichev describing", "Smith saying"
				if x := toks[k-1].ment; a.ments[x].kind == mPronoun || a.ments[x].ent >= 0 && a.ents[a.ments[x].ent].kind == ePerson {
					mi = x
				}
			}
			if w == "saying" && k-1 >= lo && a.isWord(&toks[k-1], "as") {
				// "X quoted Y as saying"
				for j := k - 2; j >= lo; j-- {
					if toks[j].kind == kWord && toks[j].cls&cCue != 0 && lower(a.word(&toks[j]))[:3] == "quo" {
						for x := j + 1; x < k; x++ {
							if toks[x].ment >= 0 {
								mi = toks[x].ment
								break
							}
						}
						break
					}
				}
			}
			if mi < 0 {
				mi = a.firstSubject(p, lo, k)
			}
			at.found, at.ment, at.ent, at.cue = true, mi, a.mentEnt(mi), w
			return at
		}
	}
	if pq >= 0 {
		at.fromQ = toks[pq].q
		at.naming = at.naming || a.cands[toks[pq].q].naming
		return at
	}
	if weak {
		mi := a.firstSubject(p, lo, qi)
		at.found, at.ment, at.ent, at.cue = true, mi, a.mentEnt(mi), "according to"
		return at
	}
	// a colon introduces the quote: the subject of the clause before it,
	// or whom a statement is from ("issued a statement from the king:")
	if qi-1 >= lo && a.punct(&toks[qi-1]) == ":" {
		mi := a.statementFrom(p, lo, qi-1)
		if mi < 0 {
			mi = a.firstSubject(p, lo, qi-1)
		}
		if mi >= 0 {
			at.found, at.ment, at.ent = true, mi, a.mentEnt(mi)
			return at
		}
	}
	return at
}

// attribute decides every candidate of paragraph pi.
func (a *analyzer) attribute(pi int) {
	p := &a.paras[pi]
	a.pullQuoteCredit(pi)
	prevInPara := -1
	lo, scanned := 0, 0
	for _, ci := range p.cands {
		c := &a.cands[ci]
		qi := c.tok
		lo = a.sentenceStart(p, lo, scanned, qi)
		scanned = qi
		hi := a.rightEnd(p, qi)
		after := a.afterClause(p, c, qi, hi)
		if after.found {
			c.afterEnd = after.end
		} else {
			c.afterEnd = qi + 1
		}
		var at attribution
		doc := after.doc
		switch {
		case c.cont:
			c.joinPrev = true
			at = noAttr()
			at.fromQ = ci - 1
		case prevInPara >= 0 && a.cands[prevInPara].after && a.bareTail(p, &a.cands[prevInPara], qi) && !(after.found && c.openEnded):
			// "A," she said, "B": the second piece of a split quotation
			c.joinPrev = true
			at = noAttr()
			at.fromQ = prevInPara
		default:
			before := a.beforeClause(p, qi, lo)
			c.naming = before.naming
			doc = doc || before.doc
			switch {
			case a.dashLine(p, qi) >= 0:
				// a pull quote: "“…”\n— Moira Quennell, children’s author"
				mi := a.dashLine(p, qi)
				at = noAttr()
				at.found, at.ment, at.ent = true, mi, a.mentEnt(mi)
				c.naming = false
			case after.found && (c.openEnded || after.kind == 1 || !before.found && before.fromQ < 0):
				at = after
				c.after = true
			case before.found || before.fromQ >= 0:
				at = before
			case after.found:
				at = after
				c.after = true
			default:
				if mi := a.sentenceFinal(p, qi); mi >= 0 {
					// "The border is the "main difference" between them, he added."
					at = noAttr()
					at.found, at.ment, at.ent = true, mi, a.mentEnt(mi)
					break
				}
				at = a.continuation(pi, qi, lo)
			}
		}
		if at.fromQ >= 0 && at.fromQ < len(a.cands) && at.ment < 0 {
			src := &a.cands[at.fromQ]
			c.ent = src.ent
			if at.cue == "" {
				c.cue = src.cue
			} else {
				c.cue = at.cue
			}
			c.hasCue = src.hasCue || at.found
			if c.joinPrev {
				c.naming = src.naming
			}
		} else {
			c.ent = at.ent
			c.cue = at.cue
			c.hasCue = at.found
		}
		asCue := false
		if !c.joinPrev {
			// "Trump described the convention as a "…"": words the subject
			// is reported to have used of something, title case or not
			k := a.asFrame(p, qi, lo)
			if k < 0 {
				// "Trump declared himself "immune"": the subject's own word for itself
				k = a.reflexiveFrame(p, qi, lo)
			}
			if k >= 0 {
				asCue = true
				if !c.hasCue {
					c.hasCue, c.cue = true, a.word(&p.toks[k])
				}
			}
		}
		if !c.joinPrev && (a.model != nil || a.record != nil) {
			rc := rankContext{ruleEnt: c.ent, hasCue: c.hasCue, after: c.after, inherited: at.fromQ >= 0 && at.ment < 0,
				paraStart: qi == 0, short: c.words <= 5, prevEnt: a.lastKeptEnt, doc: doc}
			c.ent = a.rankSpeaker(pi, ci, qi, lo, &rc)
		}
		if c.ent >= 0 && a.ents[c.ent].kind == eSingle && !c.hasCue {
			c.ent = -1 // a lone capitalised word is a speaker only through a cue ("Part of the statement reads")
		}
		if c.ent >= 0 && a.ents[c.ent].kind == eSingle && c.hasCue {
			a.ents[c.ent].kind = ePerson
		}
		if !c.joinPrev && !c.hasCue && !c.naming && (a.thatClauseCue(p, qi, lo) || a.asPutIt(p, qi) || a.reportedlyBefore(p, qi, lo)) {
			// "declared that Soleimani was "martyred"", "ruled that "…"",
			// "traffic "ground to a halt" — as the decision put it —": a
			// few words quoted inside what someone is reported to have
			// said are theirs
			c.hasCue = true
		}
		if !c.joinPrev && !c.hasCue && !c.naming && p.turn != turnNone {
			if f := a.speechFrame(p, qi, lo); f == frameSelf || f == frameOther {
				// "And they're like, "Yeah, but…"": in a conversation, a
				// pronoun and "like" or a speech verb report words said
				c.hasCue = true
			}
		}
		short := c.words <= 5
		switch {
		case c.naming && c.words <= 8:
			c.keep = false
		case c.joinPrev, asCue:
			c.keep = true
		case c.words <= 8 && !c.after && a.utteranceNounAfter(p, qi):
			c.keep = false // "Trump's "mini-strokes" tweet": the words name the tweet, no one is quoted here
		case c.words >= 2 && c.words <= 6 && !c.after && !c.terminal && schemeName(a.text[c.start:c.end]):
			c.keep = false // "the "animal management plan"", "some "low- or no-cost programs"": a scheme's name
		case c.words <= 3 && !c.after && a.writtenOn(p, qi):
			c.keep = false
		case c.titleCase && !c.hasCue && c.words <= 8:
			c.keep = false
		case c.titleCase && c.words <= 5 && !c.after && qi > 0 && !a.cueNear(p, qi):
			c.keep = false // "the contests of "Super Tuesday"": a name, not words said
		case c.titleCase && c.words <= 6 && !c.after && !c.terminal && a.nameSlot(p, qi):
			c.keep = false // "the "Walk for Life" event", "his book, "The Long Road"": a name in a sentence about it
		case short && !c.hasCue:
			c.keep = false
		case p.turn == turnAnswer && a.speechFrame(p, qi, lo) == frameYou:
			// "where you're like, "…"", "because you said "…"": in an
			// answer, what anyone would say, or the question's own words
			// echoed
			c.keep = false
		case p.turn != turnNone && a.prepBefore(p, qi, lo):
			c.keep = false // "that whole idea of, like, "…"", "I'm always reminded of "…"": what a thing is about, not words said
		case p.turn != turnNone && !c.after && a.supposedSpeech(p, qi, lo):
			c.keep = false // "if you have a copy, your friend says, "…"": supposed speech in a conversation
		case !c.after && a.thoughtBefore(p, qi, lo):
			c.keep = false // "So I thought: "…"": a thought, not words said
		case !c.after && !c.hasCue && a.thoughtAfter(p, qi):
			c.keep = false // ""How are they going to return the loan", they used to think"
		case !c.hasCue && !c.terminal && c.words <= 12 && qi > 0 && a.afterArticle(p, qi):
			c.keep = false // "known as a "friend to all and enemy to none"": a phrase named, no one quoted
		default:
			c.keep = true
		}
		if !c.joinPrev && (a.recordKeep != nil || a.model != nil && a.model.keepOn && p.turn != turnNone) {
			fs := a.keepFeatures(p, c, qi, lo)
			if a.recordKeep != nil {
				a.recordKeep(ci, fs)
			}
			if a.model != nil && a.model.keepOn && c.keep && p.turn != turnNone && !(p.turn == turnAsk && fs&(1<<kYouSay) != 0) {
				// the model only drops, only in an interview's turns, and
				// only when sure: what the rules leave out stays out, a
				// news story's quotations are the rules' to decide; and a
				// question quoting the person asked ("you wrote "…"")
				// quotes them
				c.keep = a.model.keepScore(fs) > keepVeto
			}
		}
		if !c.joinPrev && prevInPara >= 0 && a.listNext(p, a.cands[prevInPara].tok, qi) {
			// "would be "Don't question God", or "You're interpreting it
			// wrong"": the items of a list of quoted words are quoted
			// for one reason, and stand or fall together
			c.keep = a.cands[prevInPara].keep
		}
		if c.keep {
			a.lastKeptEnt = c.ent
		}
		prevInPara = ci
	}
}

// colonSubject returns the entity of the subject of the clause that a colon
// right before the quote at qi ends (in its sentence, or at the end of the
// paragraph before for a quote opening its paragraph); -1 if none.
func (a *analyzer) colonSubject(pi, qi, lo int) int {
	p := &a.paras[pi]
	if qi-1 >= lo && a.punct(&p.toks[qi-1]) == ":" {
		return a.mentEnt(a.firstSubject(p, max(lo, qi-rankWindow), qi-1))
	}
	if qi == 0 && pi > 0 {
		pp := &a.paras[pi-1]
		if n := len(pp.toks); n > 0 && a.punct(&pp.toks[n-1]) == ":" {
			return a.mentEnt(a.firstSubject(pp, a.sentenceStartNear(pp, n-1), n-1))
		}
	}
	return -1
}

// dashLine returns the mention naming the speaker of a pull quote: the
// quote at qi ends its line and the next line opens with a dash and a name
// ("“…”\n— Moira Quennell, children’s author"); -1 otherwise.
func (a *analyzer) dashLine(p *paragraph, qi int) int {
	toks := p.toks
	k := qi + 1
	if k+1 >= len(toks) {
		return -1
	}
	if d := a.punct(&toks[k]); d != "—" && d != "–" {
		return -1
	}
	if !strings.Contains(a.text[toks[qi].e:toks[k].s], "\n") {
		return -1
	}
	mi := toks[k+1].ment
	if mi < 0 || a.ments[mi].t0 != k+1 {
		return -1
	}
	if e := a.ments[mi].ent; e < 0 || a.ents[e].kind == eAnon {
		return -1
	}
	return mi
}

// bareTail reports whether only the tail of prev's attribution clause lies
// between it and the quote at qi: no other cue, no other person, a few words
// ("said his father, Abdullah Kurdi, following the ceremony.").
func (a *analyzer) bareTail(p *paragraph, prev *candidate, qi int) bool {
	from := prev.afterEnd
	// A relative clause on the speaker ("said X, 71, who has lived on Ferry
	// Lane since 1988.") may be longer, and names nobody who speaks.
	// So may a description of the speaker ("said X, branch secretary of
	// the Valley Transport Workers’ Union."): names after its preposition
	// are not speakers either.
	rel := qi
	for k := from; k < qi && k < from+8; k++ {
		if t := &p.toks[k]; t.kind == kWord && !t.cap && t.cls&cRel != 0 && (a.isWord(t, "who") || a.isWord(t, "which") || a.isWord(t, "whose")) {
			rel = k
			break
		}
	}
	// "said X of the Cooperative Institute for Research (CIRES)." names an
	// affiliation: as long as a relative clause, and with no speaker in it
	described := from < qi && (a.punct(&p.toks[from]) == "," || p.toks[from].kind == kWord && !p.toks[from].cap && p.toks[from].cls&cPrep != 0)
	if from > qi || qi-from > 10 && (rel == qi && !described || qi-from > 40) {
		return false
	}
	prep := false
	for k := from; k < qi; k++ {
		t := &p.toks[k]
		if t.kind == kQuote {
			return false
		}
		if a.punct(t) == "(" {
			// "(CIRES)": an acronym or aside, not another speaker
			for k < qi && a.punct(&p.toks[k]) != ")" {
				k++
			}
			continue
		}
		if t.kind == kWord && !t.cap && t.cls&(cCue|cCueIng) != 0 {
			return false
		}
		if described && t.kind == kWord && !t.cap && t.cls&cPrep != 0 {
			prep = true
		}
		if mi := t.ment; mi >= 0 && k < rel && !prep {
			m := &a.ments[mi]
			if m.ent != prev.ent && !m.oblique {
				return false
			}
		}
	}
	return qi-1 >= 0 && p.toks[qi-1].kind == kPunct
}

// continuation attributes a quote with no cue of its own: a paragraph that
// opens with a quotation continues the speaker of the paragraph before when
// that paragraph ended on a quotation or on a colon; otherwise the subject of
// the sentence, if any, is taken without a cue.
func (a *analyzer) continuation(pi, qi, lo int) attribution {
	at := noAttr()
	p := &a.paras[pi]
	if qi == 0 && pi > 0 {
		pp := &a.paras[pi-1]
		if n := len(pp.toks); n > 0 {
			last := &pp.toks[n-1]
			if a.punct(last) == ":" {
				ls := a.leftStart(pp, n-1)
				if mi := a.firstSubject(pp, ls, n-1); mi >= 0 {
					at.found, at.ment, at.ent = true, mi, a.mentEnt(mi)
					return at
				}
			}
			if len(pp.cands) > 0 && !a.personAfter(p, qi) {
				lc := pp.cands[len(pp.cands)-1]
				c := &a.cands[lc]
				if c.keep && c.ent >= 0 && a.ents[c.ent].kind != eAnon {
					// no other person named after that quotation
					for k := c.afterEnd; k < n; k++ {
						if mi := pp.toks[k].ment; mi >= 0 {
							m := &a.ments[mi]
							if m.ent != c.ent && m.ent >= 0 && !m.oblique && a.ents[m.ent].kind == ePerson {
								return at
							}
						}
					}
					at.fromQ = lc
					return at
				}
			}
		}
	}
	if qi == 0 && pi > 0 && a.wholeSentence(p, qi) {
		// a paragraph opening with a quoted sentence and no cue, after a
		// paragraph with no quotation: the person that paragraph ends on
		// ("X spoke to reporters on Tuesday.\n\n"It will take years."")
		pp := &a.paras[pi-1]
		if n := len(pp.toks); n > 0 && len(pp.cands) == 0 {
			for k := a.leftStart(pp, n-1); k < n; k++ {
				mi := pp.toks[k].ment
				if mi < 0 || a.ments[mi].oblique {
					continue
				}
				m := &a.ments[mi]
				if e := m.ent; e >= 0 && a.ents[e].kind == ePerson {
					at.ment, at.ent = mi, e
					return at
				}
				j := m.t1
				for j < n && pp.toks[j].kind == kWord && !pp.toks[j].cap && pp.toks[j].cls&(cTitle|cRole) != 0 && pp.toks[j].ment < 0 {
					j++
				}
				if j < n && pp.toks[j].ment >= 0 {
					k = j - 1 // "Council leader Tom Haskett": a body qualifying the name after it
					continue
				}
				break
			}
		}
	}
	if lo == qi && qi > 0 {
		// a quotation opening a sentence with no cue continues the sentence
		// before: its quotation's speaker ("X wrote "A", recalling …. "B"")
		// or the subject of its cue ("X said, adding …. "B"")
		ps := a.leftStart(p, qi-1)
		for k := qi - 1; k >= ps; k-- {
			t := &p.toks[k]
			if t.kind == kQuote {
				if c := &a.cands[t.q]; c.keep && c.ent >= 0 && a.ents[c.ent].kind == ePerson {
					at.fromQ = t.q
				}
				return at
			}
			if t.ment >= 0 && !a.ments[t.ment].oblique && k > ps && !isFiniteCue(&p.toks[k-1]) {
				if e := a.ments[t.ment].ent; e >= 0 && a.ents[e].kind == ePerson {
					// another person is the topic now; unless the cue follows
					if !(k+1 < qi && isFiniteCue(&p.toks[a.ments[t.ment].t1])) {
						break
					}
				}
			}
			if isFiniteCue(t) && t.cls&cCall == 0 {
				if mi := a.subjLeft(p, k-1, ps); mi >= 0 {
					if e := a.ments[mi].ent; e >= 0 && a.ents[e].kind == ePerson {
						at.found, at.ment, at.ent = true, mi, e
						return at
					}
				}
				break
			}
		}
	}
	if lo == qi && qi > 0 && a.wholeSentence(p, qi) {
		// "She left the series. "This is not what I wanted."": a quoted
		// sentence with no cue continues the person the sentence before is about
		if mi := a.firstSubject(p, a.leftStart(p, qi-1), qi); mi >= 0 {
			if e := a.ments[mi].ent; e >= 0 && a.ents[e].kind == ePerson {
				at.ment, at.ent = mi, e
				return at
			}
		}
	}
	if mi := a.firstSubject(p, lo, qi); mi >= 0 {
		at.ment, at.ent = mi, a.mentEnt(mi)
	}
	return at
}

// wholeSentence reports whether the quotation at qi ends its sentence.
func (a *analyzer) wholeSentence(p *paragraph, qi int) bool {
	if qi+1 >= len(p.toks) {
		return true
	}
	n := &p.toks[qi+1]
	return isTerminator(a.text, n) || a.cands[p.toks[qi].q].terminal && (n.kind == kQuote || n.kind == kWord && n.cap)
}

func isObjectPronoun(w string) bool {
	switch w {
	case "him", "her", "them", "us", "me", "you", "it":
		return true
	}
	return false
}

// cueNear reports whether the quote at qi directly follows its cue: a cue
// word, a colon or a comma within the two tokens before it.
func (a *analyzer) cueNear(p *paragraph, qi int) bool {
	for k := qi - 1; k >= 0 && k >= qi-2; k-- {
		t := &p.toks[k]
		if pp := a.punct(t); pp == ":" || pp == "," {
			return true
		}
		if t.kind == kWord && !t.cap && t.cls&(cCue|cCueIng|cCueAdj) != 0 {
			return true
		}
	}
	return false
}

// inIndefinite reports whether the mention starting at t0 sits in an
// indefinite noun phrase set off by a comma (", an Acme Corp engineer").
func (a *analyzer) inIndefinite(p *paragraph, t0, lo int) bool {
	k := t0 - 1
	if k < lo || !(a.isWord(&p.toks[k], "a") || a.isWord(&p.toks[k], "an")) {
		return false
	}
	return k-1 >= lo && a.punct(&p.toks[k-1]) == ","
}

// personAfter reports whether a person is named as a subject in the rest of
// the sentence after the quote at qi, which then is likely its speaker
// through a cue the rules do not know ("…" quipped editor X).
func (a *analyzer) personAfter(p *paragraph, qi int) bool {
	hi := a.rightEnd(p, qi)
	for k := qi + 1; k < hi && k < qi+12; k++ {
		if mi := p.toks[k].ment; mi >= 0 {
			if e := a.ments[mi].ent; e >= 0 && a.ents[e].kind == ePerson {
				return true
			}
		}
	}
	return false
}

// writtenOn reports whether the quotation at qi is text written on a thing
// named just after it ("goodbye" written as the caption).
func (a *analyzer) writtenOn(p *paragraph, qi int) bool {
	toks := p.toks
	for k := qi + 1; k < len(toks) && k <= qi+4; k++ {
		t := &toks[k]
		if t.kind != kWord {
			return false
		}
		switch w := lower(a.word(t)); {
		case w == "and" || w == "or" || w == "but" || w == "while":
			return false // "shouting "shame on you!" and holding signs": another act, another thing
		case isSignNoun(w):
			return true
		}
	}
	return false
}

// utteranceNounAfter reports whether the quote at qi, or the list of quotes
// it opens, stands before a noun for a remark, post or sign, whose words it
// names: "Trump's "mini-strokes" tweet", "the "Allah is gay" photo".
func (a *analyzer) utteranceNounAfter(p *paragraph, qi int) bool {
	toks := p.toks
	k := qi + 1
	// "the alleged "losers" and "suckers" comment": across a list of spans
	for k+1 < len(toks) && toks[k+1].kind == kQuote && (a.punct(&toks[k]) == "," || a.isWord(&toks[k], "and") || a.isWord(&toks[k], "or")) {
		k += 2
	}
	if k >= len(toks) || toks[k].kind != kWord || toks[k].cap {
		return false
	}
	switch a.word(&toks[k]) {
	case "comment", "comments", "remark", "remarks", "tweet", "tweets", "post", "posts", "photo", "photos", "poster", "posters",
		"sign", "signs", "slogan", "slogans", "chant", "chants", "hashtag", "headline", "banner", "banners", "meme", "label",
		"speech", "message", "video", "ad", "advert", "advertisement", "campaign", "t-shirt", "t-shirts", "sticker", "stickers":
		return true
	}
	return false
}

// nameSlot reports whether the quote at qi stands where a name does: right
// after a determiner ("the "Harbour Days" festival") or after a noun for a
// work, event or scheme, with or without a comma ("his book, "…"").
func (a *analyzer) nameSlot(p *paragraph, qi int) bool {
	k := qi - 1
	if k >= 0 && a.punct(&p.toks[k]) == "," {
		k--
	}
	if k < 0 || p.toks[k].kind != kWord || p.toks[k].cap {
		return false
	}
	w := lower(a.word(&p.toks[k]))
	if k == qi-1 && p.toks[k].cls&cDet != 0 && w != "that" && w != "this" {
		return true
	}
	return isWorkNoun(w)
}

// asFrame returns the verb of "VERB OBJECT as (a) "…"" before the quote at
// qi when the verb is one of describing or labelling and is active (an
// object between it and "as", no "be" before it: "is referred to as"
// names, "referred to the vote as" quotes); -1 otherwise.
func (a *analyzer) asFrame(p *paragraph, qi, lo int) int {
	toks := p.toks
	k := qi - 1
	if k > lo && toks[k].kind == kWord && toks[k].cls&cDet != 0 && !toks[k].cap {
		switch a.word(&toks[k]) {
		case "a", "an", "the":
			k--
		}
	}
	if k <= lo || !a.isWord(&toks[k], "as") || toks[k].cap {
		return -1
	}
	as := k
	if a.isWord(&toks[as-1], "to") {
		return -1 // "referred to as": no object, a name
	}
	for v := as - 2; v >= lo && v >= as-8; v-- {
		t := &toks[v]
		if t.kind != kWord {
			if t.kind == kQuote || isTerminator(a.text, t) {
				return -1
			}
			continue
		}
		if t.cap || !describingVerb(a.word(t)) {
			continue
		}
		if v > lo && toks[v-1].kind == kWord {
			switch lower(a.word(&toks[v-1])) {
			case "is", "was", "are", "were", "be", "been", "being", "often", "also", "widely", "commonly":
				return -1 // passive: "is described as", "often referred to as"
			}
		}
		return v
	}
	return -1
}

// describingVerb reports the finite and participle forms of verbs of
// describing or labelling something as something.
func describingVerb(w string) bool {
	for _, stem := range [...]string{"describ", "characteri", "referr", "refers", "label", "hail", "assail", "laud", "regard", "declar", "introduc", "brand", "portray", "dismiss", "denounc", "deride", "derid", "prais", "criticis", "criticiz", "slamm", "slams"} {
		if strings.HasPrefix(w, stem) && len(w) <= len(stem)+5 {
			switch w[len(w)-1] {
			case 'd', 's', 'g':
				return true // described, describes, describing
			}
		}
	}
	return false
}

// reflexiveFrame returns the verb of "VERB himself "…"" right before the
// quote at qi when the verb is one of speech, declaring or describing
// ("declared himself "immune"", "professed herself "deeply concerned"");
// -1 otherwise.
func (a *analyzer) reflexiveFrame(p *paragraph, qi, lo int) int {
	toks := p.toks
	k := qi - 1
	if k-1 < lo || toks[k].kind != kWord || toks[k-1].kind != kWord || toks[k].cap || toks[k-1].cap {
		return -1
	}
	switch a.word(&toks[k]) {
	case "himself", "herself", "themselves", "itself":
	default:
		return -1
	}
	v := k - 1
	w := a.word(&toks[v])
	if toks[v].cls&(cCue|cCueAdj) != 0 || describingVerb(w) {
		return v
	}
	switch w {
	case "called", "calls", "professed", "professes", "proclaimed", "proclaims", "pronounced", "dubbed", "styled", "styles":
		return v
	}
	return -1
}

// schemeName reports whether s, a few quoted words, ends with a noun for a
// plan, programme or policy: the words name a scheme ("animal management
// plan"), which the annotation counts as no quotation.
func schemeName(s string) bool {
	s = strings.TrimRight(s, ",;: ")
	w := s[strings.LastIndexByte(s, ' ')+1:]
	switch w {
	case "plan", "plans", "program", "programs", "programme", "programmes", "initiative", "initiatives", "scheme", "schemes",
		"project", "projects", "strategy", "policy", "policies", "campaign", "fund", "act", "bill", "award", "prize":
		return true
	}
	return false
}

// isWorkNoun reports nouns for named works, events and schemes.
func isWorkNoun(w string) bool {
	switch w {
	case "book", "novel", "memoir", "film", "movie", "song", "album", "single", "show", "series", "programme", "program",
		"documentary", "play", "poem", "campaign", "event", "festival", "operation", "initiative", "project",
		"exhibition", "award", "prize", "podcast", "episode", "game", "app", "brand":
		return true
	}
	return false
}

// isSignNoun reports nouns for things with words written on them.
func isSignNoun(w string) bool {
	switch w {
	case "sign", "signs", "banner", "banners", "placard", "placards", "poster", "posters",
		"slogan", "slogans", "hashtag", "hashtags", "t-shirt", "t-shirts", "shirt", "shirts",
		"headline", "headlines", "graffiti", "plaque", "inscription", "inscriptions", "caption", "captions", "billboard", "label", "labels",
		"screen", "screens":
		return true
	}
	return false
}

// agent returns the mention after "by" that starts at k, before the quote
// at qi: the speaker of a passive cue; -1 if none.
func (a *analyzer) agent(p *paragraph, k, qi int) int {
	for j := k; j < qi && j < k+6; j++ {
		t := &p.toks[j]
		if t.kind != kWord {
			return -1
		}
		if t.ment >= 0 {
			return t.ment
		}
	}
	return -1
}

// participleSubject returns the person right before the participle at k
// ("Ross Spano of Florida calling"), across an "of PLACE" phrase; -1 if none.
func (a *analyzer) participleSubject(p *paragraph, k, lo int) int {
	j := k - 1
	if j < lo || p.toks[j].ment < 0 {
		return -1
	}
	m := &a.ments[p.toks[j].ment]
	if m.ent < 0 || a.ents[m.ent].kind != ePerson {
		if m.t0-2 < lo || !a.isWord(&p.toks[m.t0-1], "of") {
			return -1
		}
		j = m.t0 - 2
		if p.toks[j].ment < 0 {
			return -1
		}
		m = &a.ments[p.toks[j].ment]
	}
	if m.ent < 0 || a.ents[m.ent].kind != ePerson {
		return -1
	}
	return p.toks[j].ment
}

// namedSubject returns the mention ending right at token k (adverbs
// skipped) when it names its source or is a pronoun and is the subject of
// the verb after it; -1 otherwise.
func (a *analyzer) namedSubject(p *paragraph, k, lo int) int {
	for j := a.skipBack(p, k, lo) + 1; j <= k; j++ {
		switch lower(a.word(&p.toks[j])) {
		case "is", "are", "was", "were", "be", "been", "being":
			return -1 // "they are called "U.S. nationals"": a name given
		}
	}
	k = a.skipBack(p, k, lo)
	if k < lo || p.toks[k].ment < 0 {
		return -1
	}
	m := &a.ments[p.toks[k].ment]
	if m.t1 != k+1 || m.kind == mNominal || m.ent < 0 || a.ents[m.ent].kind == ePlace {
		return -1
	}
	if m.oblique && !a.clauseSubject(p, m, lo) {
		return -1
	}
	return p.toks[k].ment
}

// docOwner returns the possessive mention that owns the document noun at
// k ("Trump's statement", "the ministry's official report"), or -1.
func (a *analyzer) docOwner(p *paragraph, k, lo int) int {
	for j := k - 1; j >= lo && j >= k-4; j-- {
		t := &p.toks[j]
		if t.kind != kWord {
			return -1
		}
		if t.ment >= 0 && t.poss {
			return t.ment
		}
		if t.cap || t.cls&(cCue|cPrep|cVerbish) != 0 {
			return -1
		}
	}
	return -1
}

// earlierDocOwner returns the subject of the latest earlier sentence, in
// paragraph pi or the one before, that names the document noun at token k
// of pi ("X said in a statement …" for a later "the statement read"), when
// the noun there is definite; -1 if none.
func (a *analyzer) earlierDocOwner(pi, k, qi int) int {
	p := &a.paras[pi]
	if k < 1 || !(a.isWord(&p.toks[k-1], "the") || a.isWord(&p.toks[k-1], "this")) {
		return -1
	}
	w := lower(a.word(&p.toks[k]))
	// the sentence's start, a quotation that ends a sentence ending it too
	lo := a.sentenceStartNear(p, min(k, qi))
	lo = a.sentenceStart(p, lo, lo, min(k, qi))
	for _, x := range []int{pi, pi - 1} {
		if x < 0 {
			break
		}
		pp := &a.paras[x]
		end := len(pp.toks)
		if x == pi {
			end = lo
		}
		for j := end - 1; j >= 0 && j >= end-rankWindow; j-- {
			t := &pp.toks[j]
			if t.kind != kWord || t.cap || lower(a.word(t)) != w {
				continue
			}
			mi := a.firstSubject(pp, a.sentenceStartNear(pp, j), j)
			if mi < 0 {
				// "In the letter to GitHub, EFF's attorney Stoltz said …":
				// the subject follows the phrase naming the document
				e := j + 1
				for e < len(pp.toks) && e < j+rankWindow && pp.toks[e].kind != kQuote && !isTerminator(a.text, &pp.toks[e]) {
					e++
				}
				mi = a.firstSubject(pp, j+1, e)
			}
			if mi >= 0 && a.ments[mi].ent >= 0 && a.ents[a.ments[mi].ent].kind != ePlace {
				return mi
			}
			return -1
		}
	}
	return -1
}

// statementFrom returns the mention after "from" or "by" that follows a
// document noun in [lo,hi) ("the following statement from the king"), or -1.
func (a *analyzer) statementFrom(p *paragraph, lo, hi int) int {
	toks := p.toks
	for k := lo; k+2 < hi; k++ {
		if toks[k].kind != kWord || toks[k].cls&cDoc == 0 || toks[k].cap {
			continue
		}
		if w := lower(a.word(&toks[k+1])); w != "from" && w != "by" {
			continue
		}
		for j := k + 2; j < hi && j <= k+5; j++ {
			if mi := toks[j].ment; mi >= 0 {
				if e := a.ments[mi].ent; e >= 0 && a.ents[e].kind != ePlace {
					return mi
				}
			}
		}
	}
	return -1
}

// sentenceFinal returns the speaker of an attribution that closes the
// sentence of the quote at qi after a comma (", he added." or ", said
// X."), with no other quotation between; -1 if there is none.
func (a *analyzer) sentenceFinal(p *paragraph, qi int) int {
	toks := p.toks
	end := -1
	for k := qi + 1; k < len(toks) && k <= qi+30; k++ {
		if toks[k].kind == kQuote {
			return -1
		}
		if isTerminator(a.text, &toks[k]) {
			end = k
			break
		}
	}
	if end < qi+4 {
		return -1
	}
	k := end - 1
	mi := -1
	switch {
	case isFiniteCue(&toks[k]) && toks[k].cls&cCall == 0 && toks[k-1].ment >= 0:
		mi = toks[k-1].ment // ", he added."
		if m := &a.ments[mi]; m.t0 < 1 || a.punct(&toks[m.t0-1]) != "," {
			return -1
		}
	case toks[k].ment >= 0:
		mi = toks[k].ment // ", said the minister."
		m := &a.ments[mi]
		if m.t0 < 2 || !isFiniteCue(&toks[m.t0-1]) || toks[m.t0-1].cls&cCall != 0 || a.punct(&toks[m.t0-2]) != "," {
			return -1
		}
	default:
		return -1
	}
	if a.ments[mi].ent < 0 || a.ents[a.ments[mi].ent].kind == ePlace {
		return -1
	}
	return mi
}

// afterArticle reports whether the quote at qi follows "a", "an" or "the":
// it stands in a noun phrase.
func (a *analyzer) afterArticle(p *paragraph, qi int) bool {
	t := &p.toks[qi-1]
	return a.isWord(t, "a") || a.isWord(t, "an") || a.isWord(t, "the")
}

// pullQuoteCredit gives a pull quote set as a paragraph of its own the
// name on the dash line of paragraph pi after it ("“…”\n\n— Rhys Teague",
// as Markdown's plain text sets a quote and its credit).
func (a *analyzer) pullQuoteCredit(pi int) {
	p := &a.paras[pi]
	if pi == 0 || len(p.toks) < 2 {
		return
	}
	if d := a.punct(&p.toks[0]); d != "—" && d != "–" {
		return
	}
	mi := p.toks[1].ment
	if mi < 0 || a.ments[mi].t0 != 1 || a.ments[mi].ent < 0 || a.ents[a.ments[mi].ent].kind == eAnon || a.ents[a.ments[mi].ent].kind == ePlace {
		return
	}
	pp := &a.paras[pi-1]
	if len(pp.cands) != 1 || len(pp.toks) > 2 {
		return // the paragraph before is the quotation alone
	}
	c := &a.cands[pp.cands[0]]
	if c.tok != 0 || c.hasCue {
		return
	}
	c.ent = a.ments[mi].ent
	if a.ents[c.ent].kind == eSingle {
		a.ents[c.ent].kind = ePerson
	}
}

// listNext reports whether the quote at qi follows the quote at pq with
// nothing but commas and "or", "and" or "nor" between them.
func (a *analyzer) listNext(p *paragraph, pq, qi int) bool {
	if pq >= qi || qi-pq > 4 {
		return false
	}
	for k := pq + 1; k < qi; k++ {
		t := &p.toks[k]
		switch {
		case a.punct(t) == ",":
		case t.kind == kWord && !t.cap && (a.word(t) == "or" || a.word(t) == "and" || a.word(t) == "nor"):
		default:
			return false
		}
	}
	return true
}

// thatClauseCue reports whether the quote at qi sits in a clause that a
// speech verb opens with "that" earlier in its sentence ("declared that
// Soleimani was "…"", "ruled that "…""), with no other quote between.
func (a *analyzer) thatClauseCue(p *paragraph, qi, lo int) bool {
	toks := p.toks
	for k := qi - 1; k > lo && k >= qi-12; k-- {
		t := &toks[k]
		if t.kind == kQuote {
			return false
		}
		if t.kind != kWord || t.cap || a.word(t) != "that" {
			continue
		}
		v := &toks[k-1]
		if v.kind == kWord && !v.cap && (v.cls&(cCue|cCueAdj) != 0 || a.word(v) == "ruled") {
			return true
		}
	}
	return false
}

// asPutIt reports "as X put it" right after the quote at qi, set off by a
// dash or comma or not.
func (a *analyzer) asPutIt(p *paragraph, qi int) bool {
	toks := p.toks
	k := qi + 1
	if k < len(toks) && (a.punct(&toks[k]) == "—" || a.punct(&toks[k]) == "–" || a.punct(&toks[k]) == ",") {
		k++
	}
	if k >= len(toks) || !a.isWord(&toks[k], "as") {
		return false
	}
	for j := k + 1; j < len(toks) && j <= k+8; j++ {
		t := &toks[j]
		if t.kind != kWord {
			return false
		}
		if a.word(t) == "put" && j+1 < len(toks) && a.isWord(&toks[j+1], "it") {
			return true
		}
	}
	return false
}

// reportedlyBefore reports "reportedly" in the few words before the quote
// at qi ("the cause of death reportedly was "…""): words someone is
// reported to have used, if not who.
func (a *analyzer) reportedlyBefore(p *paragraph, qi, lo int) bool {
	for k := qi - 1; k >= lo && k >= qi-3; k-- {
		if t := &p.toks[k]; t.kind == kWord && strings.EqualFold(a.word(t), "reportedly") {
			return true
		}
	}
	return false
}

// prepBefore reports "of" or "about" right before the quote at qi, a comma
// or "like" between them or not.
func (a *analyzer) prepBefore(p *paragraph, qi, lo int) bool {
	for k := qi - 1; k >= lo && k >= qi-4; k-- {
		t := &p.toks[k]
		if a.punct(t) == "," || a.isWord(t, "like") {
			continue
		}
		return t.kind == kWord && !t.cap && (a.word(t) == "of" || a.word(t) == "about")
	}
	return false
}
