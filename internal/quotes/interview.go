package quotes

import "strings"

// This file recognises the structure of an interview: paragraphs that open
// with a speaker label, "((Wikinews))  Why did you …" or "((Zara Kay))  So I
// was born …" (or "NG: …" when the same short label opens several
// paragraphs), and the unlabelled paragraphs that continue a turn. The label
// is taken out of the paragraph's tokens, so that it is neither a mention
// nor the subject of the answer's first sentence, and each paragraph learns
// whose turn it is. The speaker ranker and the quotation check (keep.go)
// get features from it: in an answer, the speaker's own words are not
// quotations, and a quotation in them is mostly something the speaker
// reports ("I said", "I'm like") or imagines; a question quotes the person
// asked ("you wrote "…"").

// Turns of an interview.
const (
	turnNone   uint8 = iota // not in an interview
	turnAsk                 // the interviewer's
	turnAnswer              // the interviewee's
)

// paraLabel is the speaker label opening a paragraph, as token indexes into
// analyzer.toks.
type paraLabel struct {
	t0, t1 int  // the label's words
	n      int  // tokens the label takes, punctuation included
	parens bool // "((Name))"; otherwise "Name:"
}

// labelAt returns the label that opens the paragraph whose tokens are
// toks[s:]; n is 0 when there is none.
func (a *analyzer) labelAt(toks []token, s int) paraLabel {
	p := toks[s:]
	if len(p) >= 5 && a.punct(&p[0]) == "(" && a.punct(&p[1]) == "(" {
		for k := 2; k < len(p)-1 && k <= 7; k++ {
			if a.punct(&p[k]) == ")" {
				if k > 2 && a.punct(&p[k+1]) == ")" && p[2].kind == kWord && p[2].cap && k+2 < len(p) {
					return paraLabel{t0: s + 2, t1: s + k, n: k + 2, parens: true}
				}
				break
			}
			if p[k].kind != kWord {
				return paraLabel{}
			}
		}
		return paraLabel{}
	}
	for k := 0; k < len(p)-1 && k < 3; k++ {
		if p[k].kind != kWord || !p[k].cap {
			if k > 0 && a.punct(&p[k]) == ":" {
				return paraLabel{t0: s, t1: s + k, n: k + 1}
			}
			return paraLabel{}
		}
	}
	return paraLabel{}
}

// labelText is the label's words as written.
func (a *analyzer) labelText(l paraLabel) string {
	return a.text[a.toks[l.t0].s:a.toks[l.t1-1].e]
}

// isInterviewer reports the labels of the interviewer.
func isInterviewer(s string) bool {
	switch s {
	case "WN", "Wikinews", "Q", "Interviewer":
		return true
	}
	return false
}

// findTurns keeps the labels that mark an interview's turns (every
// "((Name))"; a "Name:" label when the same one opens three paragraphs, or
// a two- or three-word name in an article of labelled turns), takes them
// out of their paragraphs' tokens and sets each paragraph's turn. The
// speakers are resolved later, in text order (resolveTurn).
func (a *analyzer) findTurns(labels []paraLabel) {
	count := func(l paraLabel) int {
		s, n := a.labelText(l), 0
		for _, o := range labels {
			if o.n > 0 && !o.parens && a.labelText(o) == s {
				n++
			}
		}
		return n
	}
	kept := 0
	for i := range labels {
		if l := &labels[i]; l.n > 0 && !l.parens && count(*l) < 3 {
			l.n = -l.n // undecided
		} else if l.n > 0 {
			kept++
		}
	}
	turn := turnNone
	for i := range a.paras {
		p := &a.paras[i]
		l := labels[i]
		if l.n < 0 && kept >= 3 && l.t1-l.t0 >= 2 {
			l.n = -l.n
		}
		p.label = -1
		if l.n > 0 {
			p.toks = p.toks[l.n:]
			for _, k := range p.cands {
				a.cands[k].tok -= l.n
			}
		}
		if l.n > 0 {
			turn = turnAnswer
			if isInterviewer(a.labelText(l)) {
				turn = turnAsk
			}
			p.label = i
		} else if turn == turnAsk {
			turn = turnAnswer // the answer to a question, unlabelled
		}
		p.turn = turn
		p.turnEnt = -1
	}
	a.labels = labels
}

// resolveTurn finds the entity of the person whose turn paragraph pi is
// (for a question, the person asked: the latest interviewee, or the next);
// called in text order, before the paragraph's mentions.
func (a *analyzer) resolveTurn(pi int) {
	p := &a.paras[pi]
	switch {
	case p.turn == turnNone:
		return
	case p.label < 0:
		if pi > 0 {
			p.turnEnt = a.paras[pi-1].turnEnt
		}
		if p.turnEnt >= 0 && a.ents[p.turnEnt].kind == ePerson {
			a.interviewee = p.turnEnt
		}
		return
	case p.turn == turnAsk:
		p.turnEnt = a.interviewee
		for j := pi + 1; p.turnEnt < 0 && j < len(a.paras) && j < pi+8; j++ {
			if a.paras[j].label >= 0 && a.paras[j].turn == turnAnswer {
				p.turnEnt = a.labelEntity(a.labels[j])
			}
		}
		if p.turnEnt < 0 {
			p.turnEnt = a.mostMentioned() // answers not labelled: the person the article is about
		}
		return
	}
	if l := a.labels[pi]; l.t1-l.t0 == 1 && a.toks[l.t0].e-a.toks[l.t0].s == 1 {
		// "A: …" answers the question "Q: …" put: the person asked
		p.turnEnt = a.interviewee
		if p.turnEnt < 0 {
			p.turnEnt = a.mostMentioned()
		}
		a.interviewee = p.turnEnt
		return
	}
	p.turnEnt = a.labelEntity(a.labels[pi])
	if p.turnEnt < 0 {
		p.turn = turnAsk // initials no one named has: another reporter
		p.turnEnt = a.interviewee
		return
	}
	a.interviewee = p.turnEnt
}

// mostMentioned returns the person mentioned most often so far, -1.
func (a *analyzer) mostMentioned() int {
	best, bestN := -1, 0
	for ei := range a.ents {
		if a.ents[ei].kind != ePerson {
			continue
		}
		if n := a.mentionCount(ei); n > bestN {
			best, bestN = ei, n
		}
	}
	return best
}

// labelEntity resolves the person a label names: initials ("NG") to the
// person of those initials named before, a name as a mention would be; -1
// for initials no one has.
func (a *analyzer) labelEntity(l paraLabel) int {
	if l.t1-l.t0 == 1 && a.toks[l.t0].allCap && a.toks[l.t0].e-a.toks[l.t0].s <= 4 {
		init := a.text[a.toks[l.t0].s:a.toks[l.t0].e]
		for ei := len(a.ents) - 1; ei >= 0; ei-- {
			if e := &a.ents[ei]; e.kind == ePerson && initials(e.name) == init {
				return ei
			}
		}
		return -1
	}
	ei := a.nameEntity(a.toks, l.t0, l.t1, nil, l.t0, l.t0)
	if k := a.ents[ei].kind; k == eSingle || k == ePlace {
		a.ents[ei].kind = ePerson // a label names a speaker
	}
	return ei
}

// initials returns the capital letters that open the words of name.
func initials(name string) string {
	var b [8]byte
	n := 0
	for i := 0; i < len(name) && n < len(b); i++ {
		if (i == 0 || name[i-1] == ' ') && name[i] >= 'A' && name[i] <= 'Z' {
			b[n] = name[i]
			n++
		}
	}
	return string(b[:n])
}

// Subjects of the speech verb right before a quotation (speechFrame).
const (
	frameNone  uint8 = iota // no speech verb, or no pronoun subject
	frameSelf               // "I said", "I'm like", "we told them"
	frameYou                // "you wrote", "you said"
	frameOther              // "she's like", "people went like", "they say"
)

// speechFrame finds a speech verb (or "like", "go") among the five tokens
// before the quotation at qi, within its sentence from lo, and returns
// whom the pronoun before it names.
func (a *analyzer) speechFrame(p *paragraph, qi, lo int) uint8 {
	toks := p.toks
	for k := qi - 1; k >= lo && k >= qi-5; k-- {
		t := &toks[k]
		if t.kind == kQuote {
			return frameNone
		}
		if t.kind != kWord {
			continue
		}
		w := a.word(t)
		if !(t.cls&(cCue|cCueIng) != 0 && !t.cap || w == "like" || w == "go" || w == "goes" || w == "went" || w == "going") {
			continue
		}
		for j := k - 1; j >= lo && j >= k-3; j-- {
			s := &toks[j]
			if s.kind != kWord {
				break
			}
			var buf [12]byte
			w := a.word(s)
			if s.cap && len(w) <= len(buf) && w[0] != 'I' {
				// "She's like", "People say" opening a sentence
				n := copy(buf[:], w)
				buf[0] |= 0x20
				w = string(buf[:n])
			}
			switch w {
			case "I", "I'm", "I've", "I'd", "we", "we're", "we've":
				return frameSelf
			case "you", "you're", "you've", "you'd":
				return frameYou
			case "he", "she", "they", "she's", "he's", "they're", "people", "someone", "somebody", "everyone", "everybody", "one", "others":
				return frameOther
			case "was", "am", "were", "is", "are", "just", "then", "also", "would", "will", "could", "might", "can", "should", "be", "kind", "of", "all", "always", "even", "never", "to", "have", "had", "been":
				continue
			}
			if s.ment >= 0 {
				return frameOther
			}
			break
		}
		return frameNone
	}
	return frameNone
}

// thoughtBefore reports a word of thought right before the quotation at qi,
// or before a colon or comma right before it: "I thought: "…"", "made me
// wonder, "…"". The annotation counts thoughts as not-quotes.
func (a *analyzer) thoughtBefore(p *paragraph, qi, lo int) bool {
	k := qi - 1
	if k >= lo && (a.punct(&p.toks[k]) == ":" || a.punct(&p.toks[k]) == ",") {
		k--
	}
	if k < lo || p.toks[k].kind != kWord || p.toks[k].cap {
		return false
	}
	switch a.word(&p.toks[k]) {
	case "thought", "think", "thinking", "wonder", "wondered", "wondering", "imagine", "imagined", "thinks", "feel", "feels", "felt":
		return true // "In their minds, they feel "…"": a feeling, too
	}
	return false
}

// thoughtAfter reports whether a word of thought follows the quote at qi
// in the few words after it, before any other quote or the sentence's end
// (""…", they used to think", ""…" was what I thought").
func (a *analyzer) thoughtAfter(p *paragraph, qi int) bool {
	toks := p.toks
	for k := qi + 1; k < len(toks) && k <= qi+5; k++ {
		t := &toks[k]
		if t.kind == kQuote || isTerminator(a.text, t) {
			return false
		}
		if t.kind != kWord || t.cap {
			continue
		}
		if t.cls&(cCue|cCueIng) != 0 {
			return false
		}
		switch a.word(t) {
		case "thought", "think", "thinking", "thinks", "imagined":
			return true
		}
	}
	return false
}

// supposedSpeech reports whether the quote at qi follows a speech verb (or
// "like") in its last few words, and either an "if" opens a clause before
// that verb in its sentence ("if your friend says, "…"", "if you try, the
// seller tells you, "…"") or a modal stands right before it with no "when"
// earlier in the sentence ("I would say to them "…"", "the right wing will
// go like "…""; but "When he would argue, he would say "…"" tells what was
// said, again and again). In a conversation that is supposed speech, not
// words anyone said; in a news report "If elected, she said, "…"" is not,
// so only the turns of an interview ask this. Nor, there, is a quote
// after "sounds like" or "looks like" (a likeness), or after "is," or "was
// effectively," (what something amounts to, put in words).
func (a *analyzer) supposedSpeech(p *paragraph, qi, lo int) bool {
	toks := p.toks
	if k := qi - 2; k >= lo && a.punct(&toks[k+1]) == "," && toks[k].kind == kWord {
		if k-1 >= lo && toks[k].kind == kWord && strings.HasSuffix(a.word(&toks[k]), "ly") {
			k-- // "was effectively, "…""
		}
		switch a.word(&toks[k]) {
		case "is", "was", "are", "were", "be":
			return true // "the new structure is, "…"": what something is, in words, not speech
		}
	}
	if k := qi - 1; k >= lo && toks[k].kind == kWord && lower(a.word(&toks[k])) == "if" {
		return true // "I say if "…", nobody would care"
	}
	verb := -1
	for k := qi - 1; k >= lo && k >= qi-4; k-- {
		t := &toks[k]
		if t.kind == kQuote {
			return false
		}
		if t.kind != kWord || t.cap {
			continue
		}
		if w := a.word(t); t.cls&(cCue|cCueIng) != 0 || w == "like" || w == "say" {
			verb = k
			break
		}
	}
	if verb < 0 {
		return false
	}
	if a.word(&toks[verb]) == "like" && verb-1 >= lo {
		switch a.word(&toks[verb-1]) {
		case "sounds", "sound", "sounded", "looks", "look", "looked", "seems", "seem", "seemed", "feels", "feel", "felt":
			return true // "it sounds like, "…"": a likeness, not speech
		}
	}
	if verb-2 >= lo && toks[lo].kind == kWord && toks[lo].cap {
		switch a.word(&toks[lo]) {
		case "Had", "Were", "Should":
			return true // "Had I said "…", nobody would have minded": a counterfactual
		}
	}
	modal, would, when := false, false, false
	for k := max(lo, verb-3); k < verb; k++ {
		switch a.word(&toks[k]) {
		case "would", "'d":
			modal, would = true, true
		case "could", "might", "will", "can", "should", "'ll", "probably", "perhaps", "maybe":
			// "the companies which probably told them, "…"": a guess at
			// what was said
			modal = true
		case "to":
			// "it's too easy for people to say "…"": speech spoken of,
			// not reported; but "people started to say "…"" reports it
			if k == verb-1 && !(k-1 >= lo && begunTo(a.word(&toks[k-1]))) && !(k-2 >= lo && begunTo(a.word(&toks[k-2]))) {
				modal = true
			}
		}
	}
	for k := lo; k < verb; k++ {
		if toks[k].kind != kWord {
			continue
		}
		switch lower(a.word(&toks[k])) {
		case "if":
			return true
		case "when", "whenever":
			when = true
		}
	}
	// "when" makes "would" tell what was said, again and again; but
	// "When they criticise it, each side will attack them saying "…""
	// tells what anyone would say
	return modal && !(when && would)
}

// begunTo reports a verb after which, or after whose object, "to say"
// tells what was said: "started to say", "used to tell", "went on to
// add", "led Biden to express".
func begunTo(w string) bool {
	switch w {
	case "started", "began", "begun", "starts", "begins", "continued", "continues", "used", "on", "had", "has", "led", "decided", "chose", "proceeded", "came", "went", "prompted", "forced", "caused":
		return true
	}
	return false
}
