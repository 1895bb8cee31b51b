package quotes

import "testing"

// TestInterviews holds the constructions of an interview's turns, in texts
// written for the test: the speaker labels are not speakers or text, the
// speech an interviewee reports is theirs, a question quotes the person
// asked, and thoughts are not quotations.
func TestInterviews(t *testing.T) {
	const interview = "Wikinews spoke to harbour master Pieter Vogel.\n\n((WN))  How did people react?\n\n((Pieter Vogel))  "
	tests := []struct {
		name string
		text string
		want []wantQuote
	}{
		{
			name: "a label is no quote's speaker and the answer's words are not quotations",
			text: "Wikinews spoke to harbour master Pieter Vogel.\n\n((WN))  How did the night go?\n\n((Pieter Vogel))  It was long. The tide came in fast and we closed the lock.",
			want: nil,
		},
		{
			name: "speech the interviewee reports is theirs",
			text: "Wikinews spoke to harbour master Pieter Vogel.\n\n((WN))  What did you tell the crews?\n\n((Pieter Vogel))  I went down to the quay, and I said, \"Everyone off the boats now.\"  They listened.",
			want: []wantQuote{{"Everyone off the boats now.", "Pieter Vogel", KindPerson, 0}},
		},
		{
			name: "a question quotes the person asked",
			text: "Wikinews spoke to harbour master Pieter Vogel.\n\n((WN))  On your website you wrote \"the lock is older than the town and needs rebuilding\".  Why?\n\n((Pieter Vogel))  Because it leaks.",
			want: []wantQuote{{"the lock is older than the town and needs rebuilding", "Pieter Vogel", KindPerson, 0}},
		},
		{
			name: "an answer over several paragraphs stays the interviewee's",
			text: "Wikinews spoke to harbour master Pieter Vogel.\n\n((WN))  What happened next?\n\n((Pieter Vogel))  We waited for the water to fall.\n\nThen the mayor came, and I said, \"We need pumps, not speeches.\"",
			want: []wantQuote{{"We need pumps, not speeches.", "Pieter Vogel", KindPerson, 0}},
		},
		{
			name: "speech supposed in an if-clause is no quotation; speech reported is",
			text: "Wikinews spoke to harbour master Pieter Vogel.\n\n((WN))  Do crews ask for help?\n\n((Pieter Vogel))  Well, if your boat leaks and a neighbour says, \"Could I borrow a pump?\", of course you help.  Last week a skipper called and I said, \"Bring her in.\"",
			want: []wantQuote{{"Bring her in.", "Pieter Vogel", KindPerson, 0}},
		},
		{
			name: "speech supposed after a modal is no quotation; what someone would say whenever something happened is",
			text: "Wikinews spoke to harbour master Pieter Vogel.\n\n((WN))  What do you tell the owners?\n\n((Pieter Vogel))  I would say to them, \"Move your boats before the storm.\"  When the tide rose, my father would say, \"The sea always wins.\"",
			want: []wantQuote{{"The sea always wins.", "", KindUnknown, 0}},
		},
		{
			name: "a counterfactual and a quote right after if are supposed speech",
			text: "Wikinews spoke to harbour master Pieter Vogel.\n\n((WN))  Why did the notice anger people?\n\n((Pieter Vogel))  Had I said \"the lock is closed\", nobody would have minded, right?  I say if \"the lock is open\", nobody would really care, would they?",
			want: nil,
		},
		{
			name: "a likeness or a state of things put in words is no quotation",
			text: "Wikinews spoke to harbour master Pieter Vogel.\n\n((WN))  How has the port changed?\n\n((Pieter Vogel))  In the past, the rule was effectively, \"Ships come first, then the ferries.\"  I know the new plan sounds like, \"We forgot the ferries.\"  That is not the case.",
			want: nil,
		},
		{
			name: "the items of a list of quoted words stand or fall together",
			text: interview + `Whenever they ask, the answer would be "Don't ask", or "You're reading it wrong", or "Ask a scholar".`,
			want: nil,
		},
		{
			name: "a thought told after the quote is no quotation",
			text: interview + `Nobody would lend us money.  "How will they ever pay it back", they used to think.`,
			want: nil,
		},
		{
			name: "speech spoken of with to, or guessed at, is no quotation; speech people started to say is",
			text: interview + `It's too easy for people to say "well, we lost that one".  The companies probably told them, "We'll have work for you later".  But slowly people started to say, "the lock must be rebuilt".`,
			want: []wantQuote{{"the lock must be rebuilt", "", KindUnknown, 0}},
		},
		{
			name: "words after of or about are what a thing is about",
			text: interview + `And that whole idea of, like, "put the scarf on and smile".  I can't say anything about "software-as-a-service".`,
			want: nil,
		},
		{
			name: "in an answer, what you say is anyone's",
			text: interview + `It's really hard to come to a place where you're like, "This is what the new world is like."`,
			want: nil,
		},
		{
			name: "a feeling is no quotation",
			text: interview + `In their minds, they feel "What will happen, let it happen."`,
			want: nil,
		},
		{
			name: "what each side will say when something happens is supposed",
			text: interview + `When they criticise the rules, each side will attack them saying, "We're not against you", "So I reject this rule".`,
			want: nil,
		},
		{
			name: "they're like reports what they said",
			text: interview + `I told them it leaks.  And they're like, "Yeah, but..."  You can see them thinking.`,
			want: []wantQuote{{"Yeah, but...", "", KindUnknown, 0}},
		},
		{
			name: "Q and A labels",
			text: "Harbour master Pieter Vogel spoke to us after the flood.\n\nQ: What did you tell the crews?\n\nA: I went down to the quay, and I said, \"Everyone off the boats now.\"\n\nQ: Did they listen?\n\nA: They did.\n\nQ: And then?\n\nA: We waited.",
			want: []wantQuote{{"Everyone off the boats now.", "Pieter Vogel", KindPerson, 0}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkQuotes(t, tt.text, tt.want)
		})
	}
}

// TestInterviewTurns checks which paragraphs are whose turns.
func TestInterviewTurns(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		turns []uint8
	}{
		{
			name:  "labelled turns, an unlabelled paragraph continues the answer",
			text:  "Intro \"x\".\n\n((WN))  Question?\n\n((Ann Lee))  Answer.\n\nMore answer.\n\n((Wikinews))  Next?",
			turns: []uint8{turnNone, turnAsk, turnAnswer, turnAnswer, turnAsk},
		},
		{
			name:  "only the questions labelled: the paragraph after one is the answer",
			text:  "Intro \"x\".\n\n((WN))  Question?\n\nAnswer.\n\n((WN))  Next?\n\nAnswer.",
			turns: []uint8{turnNone, turnAsk, turnAnswer, turnAsk, turnAnswer},
		},
		{
			name:  "a colon label once is not a turn",
			text:  "Intro \"x\".\n\nKey reforms: many.\n\nNote: more.",
			turns: []uint8{turnNone, turnNone, turnNone},
		},
		{
			name:  "a language code in double parentheses is not a label",
			text:  "Intro \"x\".\n\n((es)) Texto.",
			turns: []uint8{turnNone, turnNone},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := analyze(tt.text)
			if a == nil {
				t.Fatal("no quotation marks")
			}
			if len(a.paras) != len(tt.turns) {
				t.Fatalf("%d paragraphs, want %d", len(a.paras), len(tt.turns))
			}
			for i, p := range a.paras {
				if p.turn != tt.turns[i] {
					t.Errorf("paragraph %d: turn %d, want %d", i, p.turn, tt.turns[i])
				}
			}
		})
	}
}

// TestInterviewSelfCueWithoutWeights: the words an interviewee reports
// saying ("I said, "…"", "I'm like, "…"") are theirs by the annotation's
// rule, not by what a model happened to learn: a model with no weights
// gives them to the interviewee too.
func TestInterviewSelfCueWithoutWeights(t *testing.T) {
	const lead = "Wikinews spoke to harbour master Pieter Vogel.\n\n((WN))  What did you tell the crews?\n\n((Pieter Vogel))  "
	tests := []struct {
		name, answer, quote string
	}{
		{"I said", "I went down to the quay, and I said, \"Everyone off the boats now.\"  They listened.", "Everyone off the boats now."},
		{"I'm like", "They kept asking, and I'm like, \"Go home and sleep.\"  Nobody did.", "Go home and sleep."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := extract(lead+tt.answer, &rankModel{fillOnly: true})
			if len(got) != 1 || got[0].Text != tt.quote || got[0].Speaker != "Pieter Vogel" {
				t.Fatalf("got %+v, want %q by Pieter Vogel", got, tt.quote)
			}
		})
	}
}
