package quotes

// This file chooses WHO said a quotation with a small learned ranker. The
// rules of attribute.go decide what is a quotation and make a first choice
// of speaker. Where they find none, the ranker scores "no speaker" against
// the people and organisations the quote's surroundings name (its sentence,
// the sentence before, the end of the paragraph before, the speaker of the
// quotation before). Each option is a set of binary features; its score is
// the sum of their weights, learned from the dev set and our annotated
// articles as a softmax over each quotation's options (ranker_train_test.go writes them into
// ranker_weights.go). Letting it also overrule the speakers the rules find
// scored worse in cross-validation (rankModel.fillOnly).

// rankFeat is one binary feature of a speaker option.
type rankFeat uint8

const (
	fNull                 rankFeat = iota // the "no speaker" option
	fNullRuleNull                         // no speaker, and the rules found none
	fNullHasCue                           // no speaker, although the quote has a cue
	fNullParaStart                        // no speaker for a quote opening its paragraph
	fNullShort                            // no speaker for a quote of five words or fewer
	fRule                                 // the rules' choice
	fRuleCue                              // the rules' choice, through a cue
	fRuleAfter                            // the rules' choice, from a clause after the quote
	fRuleInherited                        // the rules' choice, inherited from another quote
	fSameBefore                           // named earlier in the quote's sentence
	fSameAfter                            // named later in the quote's sentence
	fPrevSentence                         // named in the sentence before, same paragraph
	fPrevPara                             // named at the end of the paragraph before
	fDist2                                // at most 2 tokens from the quote
	fDist5                                // 3–5 tokens
	fDist10                               // 6–10 tokens
	fDist20                               // 11–20 tokens
	fDistFar                              // further, or another paragraph
	fCueAfterMention                      // "X said": a cue verb right after the mention
	fCueBeforeMention                     // "said X": a cue verb right before it
	fAccordingTo                          // "according to X"
	fOblique                              // an object or possessive
	fRelClause                            // inside a relative clause ("…, who …,")
	fSubject                              // the first subject of its sentence
	fName                                 // mentioned by name
	fNominal                              // mentioned by a role noun ("the spokesman")
	fPronoun                              // mentioned by a pronoun
	fPerson                               // a named person
	fSingle                               // a lone capitalised word
	fOrg                                  // an organisation
	fAnon                                 // an unnamed person ("an eyewitness")
	fPlural                               // a group ("they")
	fHasRole                              // the article gives a title or role
	fCount1                               // mentioned once so far
	fCount3                               // twice or three times
	fCountMany                            // four times or more
	fLatestPerson                         // the latest person named before the quote
	fPrevSpeaker                          // spoke the quotation before
	fPrevSpeakerParaStart                 // spoke the quotation before; this one opens a paragraph
	fPrevSpeakerNoCue                     // spoke the quotation before; this one has no cue
	fRuleNullSameSentence                 // the rules found no speaker; named in the sentence
	fRuleNullPrevSpeaker                  // the rules found no speaker; spoke the quotation before
	fColonSubject                         // the subject of the clause a colon ends before the quote
	fPersonNoRule                         // a person who is not the rules' choice
	fRuleNullSubject                      // the rules found no speaker; the sentence's subject
	fRuleNullLatest                       // the rules found no speaker; the latest person named
	fNullNoPerson                         // no speaker, and no person named nearby
	fNullAnswer                           // no speaker, for a quote in an interviewee's answer
	fNullSelfCue                          // no speaker, after "I said", "I'm like"
	fTurnAnswerer                         // the interviewee whose answer holds the quote
	fTurnSelfCue                          // the interviewee answering, the quote after "I said", "I'm like"
	fTurnAsked                            // the interviewee a question holding the quote is put to
	fTurnYouCue                           // the interviewee asked, the quote after "you wrote", "you said"
	fIngAfterMention                      // "X confirming", "X, adding": a speech participle right after the mention
	fTurnFirstPerson                      // the interviewee answering, with I, my or we before the quote in its sentence
	fNullFirstPerson                      // no speaker, for a quote in an answer with I, my or we before it in its sentence
	nRankFeat
)

// rankModel holds one weight per feature.
type rankModel struct {
	w [nRankFeat]float32
	// k weighs the features of a quoted span for keeping it as a
	// quotation (keep.go); used when keepOn
	k      [nKeepFeat]float32
	kt     [nKeepFeat]float32 // added to k in an interview's turns
	keepOn bool
	// fillOnly keeps every speaker the rules find and lets the model
	// choose only where they find none
	fillOnly bool
}

// speakerOption is one possible speaker of a quotation and its features.
type speakerOption struct {
	ent   int // -1 for "no speaker"
	ment  int // nearest mention, -1 if none
	dist  int // tokens from the quote; other paragraphs are far
	feats []rankFeat
}

// rankContext is what the options of one quotation share.
type rankContext struct {
	ruleEnt    int
	hasCue     bool
	after      bool
	inherited  bool
	paraStart  bool
	short      bool
	prevEnt    int  // speaker of the previous kept quotation, -1
	latest     int  // the latest person named before the quote, -1
	colonSubj  int  // entity of the subject before a colon ending just before the quote, -1
	sentLo     int  // first token of the quote's sentence
	sentHi     int  // end of its clause after the quote
	prevLo     int  // first token of the sentence before, in this paragraph
	firstSubjE int  // entity of the sentence's first subject, -1
	doc        bool // the cue's subject is a document, not a person
	turn       uint8
	turnEnt    int   // the interviewee answering or asked, -1
	frame      uint8 // who the pronoun before a speech verb just before the quote is
	firstP     bool  // I, my, me, we or our before the quote in its sentence
}

func (m *rankModel) score(o *speakerOption) float32 {
	var s float32
	for _, f := range o.feats {
		s += m.w[f]
	}
	return s
}

// speakerOptions lists the options for the quotation ci at token qi of
// paragraph pi, whose sentence starts at token lo. The rules chose ruleEnt.
func (a *analyzer) speakerOptions(pi, ci, qi, lo int, rc *rankContext) []speakerOption {
	p := &a.paras[pi]
	c := &a.cands[ci]
	opts := a.opts[:0]
	a.featBuf = a.featBuf[:0]
	opts = append(opts, speakerOption{ent: -1, ment: -1})
	find := func(e int) int {
		for i := range opts {
			if opts[i].ent == e {
				return i
			}
		}
		return -1
	}
	add := func(e, mi, dist int) {
		if e < 0 || a.ents[e].kind == ePlace {
			return
		}
		if i := find(e); i >= 0 {
			if dist < opts[i].dist {
				opts[i].ment, opts[i].dist = mi, dist
			}
			return
		}
		opts = append(opts, speakerOption{ent: e, ment: mi, dist: dist})
	}
	// mentions of this paragraph from the sentence before to the end of
	// the quote's clause
	hi := min(max(a.rightEnd(p, qi), c.afterEnd), qi+rankWindow)
	rc.sentLo, rc.sentHi = lo, hi
	rc.prevLo = lo
	if lo > 0 {
		rc.prevLo = a.sentenceStartNear(p, lo-1)
	}
	rc.latest, rc.firstSubjE = -1, -1
	for k := max(rc.prevLo, qi-rankWindow); k < hi && k < len(p.toks); k++ {
		mi := p.toks[k].ment
		if mi < 0 || k > 0 && p.toks[k-1].ment == mi {
			continue
		}
		m := &a.ments[mi]
		d := qi - m.t1
		if k > qi {
			d = k - qi
		}
		add(m.ent, mi, d)
		if k < qi && m.ent >= 0 && a.ents[m.ent].kind == ePerson {
			rc.latest = m.ent
		}
		if k >= lo && rc.firstSubjE < 0 && !m.oblique {
			rc.firstSubjE = m.ent
		}
	}
	// the end of the paragraph before, for a quote in a paragraph's first sentence
	if rc.prevLo == 0 && pi > 0 {
		pp := &a.paras[pi-1]
		if n := len(pp.toks); n > 0 {
			for k := a.sentenceStartNear(pp, n-1); k < n; k++ {
				if mi := pp.toks[k].ment; mi >= 0 && (k == 0 || pp.toks[k-1].ment != mi) {
					add(a.ments[mi].ent, mi, 1000)
					if e := a.ments[mi].ent; rc.latest < 0 && e >= 0 && a.ents[e].kind == ePerson {
						rc.latest = e
					}
				}
			}
		}
	}
	add(rc.prevEnt, -1, 2000)
	add(rc.ruleEnt, -1, 2000)
	add(rc.turnEnt, -1, 2000)
	for i := range opts {
		start := len(a.featBuf)
		a.optionFeatures(pi, qi, &opts[i], rc)
		opts[i].feats = a.featBuf[start:len(a.featBuf):len(a.featBuf)]
	}
	a.opts = opts
	return opts
}

// optionFeatures appends the features of option o to a.featBuf.
func (a *analyzer) optionFeatures(pi, qi int, o *speakerOption, rc *rankContext) {
	f := a.featBuf
	ruleNull := rc.ruleEnt < 0 || a.ents[rc.ruleEnt].kind == ePlace
	if o.ent < 0 {
		f = append(f, fNull)
		if ruleNull {
			f = append(f, fNullRuleNull)
		}
		if rc.hasCue {
			f = append(f, fNullHasCue)
		}
		if rc.paraStart {
			f = append(f, fNullParaStart)
		}
		if rc.short {
			f = append(f, fNullShort)
		}
		if rc.latest < 0 {
			f = append(f, fNullNoPerson)
		}
		if rc.turn == turnAnswer {
			f = append(f, fNullAnswer)
		}
		if rc.frame == frameSelf {
			f = append(f, fNullSelfCue)
		}
		if rc.turn == turnAnswer && rc.firstP {
			f = append(f, fNullFirstPerson)
		}
		a.featBuf = f
		return
	}
	e := &a.ents[o.ent]
	if o.ent == rc.ruleEnt {
		f = append(f, fRule)
		if rc.hasCue {
			f = append(f, fRuleCue)
		}
		if rc.after {
			f = append(f, fRuleAfter)
		}
		if rc.inherited {
			f = append(f, fRuleInherited)
		}
	} else if e.kind == ePerson {
		f = append(f, fPersonNoRule)
	}
	switch e.kind {
	case ePerson:
		f = append(f, fPerson)
	case eSingle:
		f = append(f, fSingle)
	case eOrg:
		f = append(f, fOrg)
	case eAnon:
		f = append(f, fAnon)
	}
	if e.plural {
		f = append(f, fPlural)
	}
	if len(e.roles) > 0 {
		f = append(f, fHasRole)
	}
	switch n := a.mentionCount(o.ent); {
	case n <= 1:
		f = append(f, fCount1)
	case n <= 3:
		f = append(f, fCount3)
	default:
		f = append(f, fCountMany)
	}
	if o.ent == rc.latest {
		f = append(f, fLatestPerson)
	}
	if o.ent == rc.prevEnt {
		f = append(f, fPrevSpeaker)
		if rc.paraStart {
			f = append(f, fPrevSpeakerParaStart)
		}
		if !rc.hasCue {
			f = append(f, fPrevSpeakerNoCue)
		}
		if ruleNull {
			f = append(f, fRuleNullPrevSpeaker)
		}
	}
	if o.ent == rc.turnEnt {
		switch rc.turn {
		case turnAnswer:
			f = append(f, fTurnAnswerer)
			if rc.frame == frameSelf {
				f = append(f, fTurnSelfCue)
			}
			if rc.firstP {
				f = append(f, fTurnFirstPerson)
			}
		case turnAsk:
			f = append(f, fTurnAsked)
			if rc.frame == frameYou {
				f = append(f, fTurnYouCue)
			}
		}
	}
	if o.ent == rc.colonSubj {
		f = append(f, fColonSubject)
	}
	if o.ent == rc.firstSubjE {
		f = append(f, fSubject)
		if ruleNull {
			f = append(f, fRuleNullSubject)
		}
	}
	if ruleNull && o.ent == rc.latest {
		f = append(f, fRuleNullLatest)
	}
	switch d := o.dist; {
	case d <= 2:
		f = append(f, fDist2)
	case d <= 5:
		f = append(f, fDist5)
	case d <= 10:
		f = append(f, fDist10)
	case d <= 20:
		f = append(f, fDist20)
	default:
		f = append(f, fDistFar)
	}
	if o.ment >= 0 {
		m := &a.ments[o.ment]
		switch {
		case m.para != pi:
			f = append(f, fPrevPara)
		case m.t0 >= rc.sentLo && m.t0 < qi:
			f = append(f, fSameBefore)
			if ruleNull {
				f = append(f, fRuleNullSameSentence)
			}
		case m.t0 > qi:
			f = append(f, fSameAfter)
			if ruleNull {
				f = append(f, fRuleNullSameSentence)
			}
		default:
			f = append(f, fPrevSentence)
		}
		switch m.kind {
		case mName:
			f = append(f, fName)
		case mNominal:
			f = append(f, fNominal)
		case mPronoun:
			f = append(f, fPronoun)
		}
		if m.oblique {
			f = append(f, fOblique)
		}
		if a.inRelClause(m) {
			f = append(f, fRelClause)
		}
		toks := a.paras[m.para].toks
		j := m.t1
		if j < len(toks) && a.punct(&toks[j]) == "," {
			j++
		}
		if j < len(toks) && isFiniteCue(&toks[j]) {
			f = append(f, fCueAfterMention)
		}
		if j < len(toks) && toks[j].kind == kWord && !toks[j].cap && toks[j].cls&cCueIng != 0 {
			f = append(f, fIngAfterMention)
		}
		if m.t0 > 0 && isFiniteCue(&toks[m.t0-1]) {
			f = append(f, fCueBeforeMention)
		}
		for k := m.t0 - 1; k >= 1 && k >= m.t0-5; k-- {
			if a.isWord(&toks[k], "to") && a.isWord(&toks[k-1], "according") {
				f = append(f, fAccordingTo)
				break
			}
		}
	} else {
		f = append(f, fDistFar)
	}
	a.featBuf = f
}

// rankWindow bounds, in tokens, how far from a quotation the ranker looks
// for speakers, so that a paragraph with no sentence end costs linear time.
const rankWindow = 60

// sentenceStartNear returns the first token of the sentence holding token
// k, looking back at most rankWindow tokens.
func (a *analyzer) sentenceStartNear(p *paragraph, k int) int {
	for j := k - 1; j >= 0 && j >= k-rankWindow; j-- {
		if isTerminator(a.text, &p.toks[j]) {
			return j + 1
		}
	}
	return max(0, k-rankWindow)
}

// mentionCount returns how many of the mentions found so far refer to
// entity e, counting the mentions added since the last call.
func (a *analyzer) mentionCount(e int) int {
	for ; a.countedM < len(a.ments); a.countedM++ {
		if x := a.ments[a.countedM].ent; x >= 0 {
			for len(a.entMents) <= x {
				a.entMents = append(a.entMents, 0)
			}
			a.entMents[x]++
		}
	}
	if e < len(a.entMents) {
		return int(a.entMents[e])
	}
	return 0
}

// rankSpeaker returns the entity the model prefers for quotation ci, the
// rules' choice winning ties.
func (a *analyzer) rankSpeaker(pi, ci, qi, lo int, rc *rankContext) int {
	// an unnamed source the cue names ("its source said") is found too
	ruleFound := rc.ruleEnt >= 0 && a.ents[rc.ruleEnt].kind != ePlace && (a.ents[rc.ruleEnt].kind != eAnon || rc.hasCue && !rc.inherited)
	// a document read out with no owner named ("…", read the warning)
	// has no speaker to find
	ruleFound = ruleFound || rc.doc && rc.ruleEnt < 0
	rc.turnEnt = -1
	if p := &a.paras[pi]; p.turn != turnNone {
		rc.turn, rc.turnEnt, rc.frame = p.turn, p.turnEnt, a.speechFrame(p, qi, lo)
		rc.firstP = p.turn == turnAnswer && a.firstPersonBefore(p, qi, lo)
		// "Then the mayor came, and I said, "…"": in an interview the
		// cue's subject is the one speaking, whom the rules do not see
		ruleFound = ruleFound && rc.frame != frameSelf
		if p.turn == turnAnswer && rc.frame == frameSelf && p.turnEnt >= 0 {
			// "And I said, "…"", "I'm like, "…"": the answerer reports
			// their own words (the annotation's rule, which the folds
			// teach the ranker only when one long interview is in them)
			rc.ruleEnt, ruleFound = p.turnEnt, true
		}
		if p.turn == turnAsk && rc.frame == frameYou && p.turnEnt >= 0 && !ruleFound {
			// "On your website you wrote "…"": a question quotes the
			// person asked
			rc.ruleEnt, ruleFound = p.turnEnt, true
		}
	}
	if a.record == nil && (a.model == nil || a.model.fillOnly && ruleFound) {
		return rc.ruleEnt
	}
	rc.colonSubj = a.colonSubject(pi, qi, lo)
	opts := a.speakerOptions(pi, ci, qi, lo, rc)
	if a.record != nil {
		a.record(ci, opts)
	}
	if a.model == nil || a.model.fillOnly && ruleFound {
		return rc.ruleEnt
	}
	best, bestScore := -1, float32(0)
	for i := range opts {
		s := a.model.score(&opts[i])
		if best < 0 || s > bestScore || s == bestScore && opts[i].ent == rc.ruleEnt {
			best, bestScore = i, s
		}
	}
	return opts[best].ent
}

// useRanker makes Extract choose speakers with the learned weights rather
// than keep the rules' choice.
const useRanker = true

// defaultRanker is the model Extract uses; nil when the rules decide.
func defaultRanker() *rankModel {
	if !useRanker {
		return nil
	}
	return &rankerWeights
}

// firstPersonBefore reports I, me, my, we, us or our among the words of
// the quote's sentence before it (at most 40 tokens back): "The first
// sentence of my blog post was "…"" in an answer is the answerer's own.
func (a *analyzer) firstPersonBefore(p *paragraph, qi, lo int) bool {
	for k := max(lo, qi-40); k < qi; k++ {
		t := &p.toks[k]
		if t.kind != kWord {
			continue
		}
		switch a.text[t.s:t.e] {
		case "I", "me", "my", "My", "we", "We", "us", "our", "Our":
			return true
		}
	}
	return false
}
