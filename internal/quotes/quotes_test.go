package quotes

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"masthead/internal/testutil/shareddata"
)

type wantQuote struct {
	text    string
	speaker string
	kind    Kind
	group   int
}

func TestExtract(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []wantQuote
	}{
		{
			name: "curly quotes, cue after",
			text: "“We will rebuild the harbour before winter,” said Mayor Alma Torres.",
			want: []wantQuote{{"We will rebuild the harbour before winter,", "Alma Torres", KindPerson, 0}},
		},
		{
			name: "straight quotes, cue before",
			text: `Harbour master Pieter Vogel said "The tide caught everyone off guard."`,
			want: []wantQuote{{"The tide caught everyone off guard.", "Pieter Vogel", KindPerson, 0}},
		},
		{
			name: "split around the attribution with a comma",
			text: `"The bridge is safe," engineer Nadia Osei said, "but the approach road is not."`,
			want: []wantQuote{
				{"The bridge is safe,", "Nadia Osei", KindPerson, 0},
				{"but the approach road is not.", "Nadia Osei", KindPerson, 0},
			},
		},
		{
			name: "split around the attribution with a full stop",
			text: `"We lost everything," said farmer Tomas Reyes after the flood. "Even the seed stock was washed away."`,
			want: []wantQuote{
				{"We lost everything,", "Tomas Reyes", KindPerson, 0},
				{"Even the seed stock was washed away.", "Tomas Reyes", KindPerson, 0},
			},
		},
		{
			name: "quotation over several paragraphs",
			text: "Fire chief Grace Mbeki told reporters:\n\n" +
				"\"The first call came at midnight. We had two engines on the road within minutes.\n\n" +
				"\"By dawn the wind had turned and the crews could finally rest.\"",
			want: []wantQuote{
				{"The first call came at midnight. We had two engines on the road within minutes.", "Grace Mbeki", KindPerson, 0},
				{"By dawn the wind had turned and the crews could finally rest.", "Grace Mbeki", KindPerson, 0},
			},
		},
		{
			name: "introduced by a colon",
			text: `The minister, Rafael Duarte, was blunt: "Nobody will be left behind."`,
			want: []wantQuote{{"Nobody will be left behind.", "Rafael Duarte", KindPerson, 0}},
		},
		{
			name: "participle cue after a colon clause",
			text: `Ines Marlow thanked the volunteers, saying: "You kept this town running."`,
			want: []wantQuote{{"You kept this town running.", "Ines Marlow", KindPerson, 0}},
		},
		{
			name: "nested single quotes stay inside",
			text: `"He told me, 'Stay inside until the sirens stop,' and we did," said resident Bruno Kettering.`,
			want: []wantQuote{{"He told me, 'Stay inside until the sirens stop,' and we did,", "Bruno Kettering", KindPerson, 0}},
		},
		{
			name: "scare quotes, terms and titles are not quotations",
			text: `Residents nicknamed the tower "the Needle" years ago. The so-called "green corridor" opened on Monday. ` +
				`Engineers use a method known as "cold ironing" at the port. She starred in "The Long Road Home" last year. ` +
				`Marchers carried a banner reading "Hands off our library" through the square.`,
			want: nil,
		},
		{
			name: "a short phrase with a cue is a quotation",
			text: `Council leader Hanna Borg called the decision "a betrayal of the valley".`,
			want: []wantQuote{{"a betrayal of the valley", "Hanna Borg", KindPerson, 0}},
		},
		{
			name: "apposition after the name, surname resolved",
			text: `Oleg Varga joined the ministry in 2015. Varga, the ministry spokesman, said "The border stays open."`,
			want: []wantQuote{{"The border stays open.", "Oleg Varga", KindPerson, 0}},
		},
		{
			name: "title before the name",
			text: `Ministry spokesman Oleg Varga told reporters "The border stays open."`,
			want: []wantQuote{{"The border stays open.", "Oleg Varga", KindPerson, 0}},
		},
		{
			name: "name in apposition to a title",
			text: `The Deputy Governor, Lucia Ferrante, said "Rates will hold until spring."`,
			want: []wantQuote{{"Rates will hold until spring.", "Lucia Ferrante", KindPerson, 0}},
		},
		{
			name: "pronoun resolved to the last subject",
			text: `Keiko Brandt, a marine biologist, returned to the reef in May. She said "The coral is recovering faster than we hoped."`,
			want: []wantQuote{{"The coral is recovering faster than we hoped.", "Keiko Brandt", KindPerson, 0}},
		},
		{
			name: "pronoun skips an object",
			text: `Oskar Lindqvist met Ines Marlow at the summit. He said "We agreed on nothing."`,
			want: []wantQuote{{"We agreed on nothing.", "Oskar Lindqvist", KindPerson, 0}},
		},
		{
			name: "pronoun after the quote",
			text: `Mr. Abel Sanchez runs the bakery on Quay Street. "Bread prices will rise again," he warned.`,
			want: []wantQuote{{"Bread prices will rise again,", "Abel Sanchez", KindPerson, 0}},
		},
		{
			name: "role noun resolved to the person given that role",
			text: `The agency's spokesperson, Marta Quiroga, confirmed the delay. "We expect a launch in March," the spokesperson added.`,
			want: []wantQuote{{"We expect a launch in March,", "Marta Quiroga", KindPerson, 0}},
		},
		{
			name: "surname resolved to the full name first written",
			text: "Priya Natarajan won the vote on Tuesday.\n\n\"This is a new start for the party,\" Natarajan said.",
			want: []wantQuote{{"This is a new start for the party,", "Priya Natarajan", KindPerson, 0}},
		},
		{
			name: "according to",
			text: `According to Samuel Okafor, the dam "was never designed for a storm like this."`,
			want: []wantQuote{{"was never designed for a storm like this.", "Samuel Okafor", KindPerson, 0}},
		},
		{
			name: "organisation speakers",
			text: `The Ministry of Health said in a statement: "Hospitals remain open to all patients." ` +
				`Northfield Council stated, "Bins will be collected on Friday as usual."`,
			want: []wantQuote{
				{"Hospitals remain open to all patients.", "Ministry of Health", KindOrganisation, 0},
				{"Bins will be collected on Friday as usual.", "Northfield Council", KindOrganisation, 1},
			},
		},
		{
			name: "unnamed spokesperson of an organisation",
			text: `A Harbour Authority spokesperson said "The channel will be dredged next year."`,
			want: []wantQuote{{"The channel will be dredged next year.", "Harbour Authority", KindOrganisation, 0}},
		},
		{
			name: "unnamed person",
			text: `One witness said "The car did not even slow down."`,
			want: []wantQuote{{"The car did not even slow down.", "", KindUnknown, 0}},
		},
		{
			name: "two quotations joined by and",
			text: `Coach Dara Whelan said the team was "tired but proud" and "ready for the final".`,
			want: []wantQuote{
				{"tired but proud", "Dara Whelan", KindPerson, 0},
				{"ready for the final", "Dara Whelan", KindPerson, 1},
			},
		},
		{
			name: "continuation paragraph",
			text: "\"We will appeal,\" said Dmitri Halloran, the defence lawyer.\n\n\"The verdict ignores the evidence.\"",
			want: []wantQuote{
				{"We will appeal,", "Dmitri Halloran", KindPerson, 0},
				{"The verdict ignores the evidence.", "Dmitri Halloran", KindPerson, 1},
			},
		},
		{
			name: "a collective speaker after the quote",
			text: `Tom Kessler died on Sunday. "We are devastated," the family said in a statement.`,
			want: []wantQuote{{"We are devastated,", "", KindUnknown, 0}},
		},
		{
			name: "capitalised common noun is not a name",
			text: `Prosecutors said the defendant had "every opportunity to stop".`,
			want: []wantQuote{{"every opportunity to stop", "", KindUnknown, 0}},
		},
		{
			name: "it resolved to an organisation",
			text: `The Transport Ministry issued a statement on Friday. "We regret the error," it said.`,
			want: []wantQuote{{"We regret the error,", "Transport Ministry", KindOrganisation, 0}},
		},
		{
			name: "first name resolved to the full name",
			text: `Maria Santos, 12, was rescued on Tuesday. "I was scared," Maria said.`,
			want: []wantQuote{{"I was scared,", "Maria Santos", KindPerson, 0}},
		},
		{
			name: "present tense cue and relative clause, split by a full stop",
			text: `"You have to laugh," says Carla Mendes, who has run the shop since 1990. "Otherwise you would cry."`,
			want: []wantQuote{
				{"You have to laugh,", "Carla Mendes", KindPerson, 0},
				{"Otherwise you would cry.", "Carla Mendes", KindPerson, 0},
			},
		},
		{
			name: "name in apposition after the cue subject",
			text: `"It's over," the coach, Bill Harmon, said after the match.`,
			want: []wantQuote{{"It's over,", "Bill Harmon", KindPerson, 0}},
		},
		{
			name: "two quotations with their own cues",
			text: `“The water came in so fast,” said Aiko Tanaka. “We had no time to save anything,” she added.`,
			want: []wantQuote{
				{"The water came in so fast,", "Aiko Tanaka", KindPerson, 0},
				{"We had no time to save anything,", "Aiko Tanaka", KindPerson, 1},
			},
		},
		{
			name: "Markdown markers",
			text: "> \"Stay calm and wait for the ferry,\" said **Captain Jo Park**.",
			want: []wantQuote{{"Stay calm and wait for the ferry,", "Jo Park", KindPerson, 0}},
		},
		{
			name: "no quotation marks",
			text: "Trains were cancelled after the storm.\n\nServices resume on Monday.",
			want: nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Extract(tt.text)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d quotes, want %d: %+v", len(got), len(tt.want), got)
			}
			for i, w := range tt.want {
				g := got[i]
				if g.Text != w.text || g.Speaker != w.speaker || g.Kind != w.kind || g.Group != w.group {
					t.Errorf("quote %d = {%q %q %s group %d}, want {%q %q %s group %d}",
						i, g.Text, g.Speaker, g.Kind, g.Group, w.text, w.speaker, w.kind, w.group)
				}
				if tt.text[g.Start:g.End] != g.Text {
					t.Errorf("quote %d: text[%d:%d] = %q, Text = %q", i, g.Start, g.End, tt.text[g.Start:g.End], g.Text)
				}
			}
		})
	}
}

func TestExtractCue(t *testing.T) {
	tests := []struct {
		text, cue string
	}{
		{`Ada Lind told reporters "The vote was fair."`, "told reporters"},
		{`"The vote was fair," Ada Lind added.`, "added"},
		{`According to Ada Lind, the vote "was fair."`, "according to"},
		{`"The vote was fair," warned Ada Lind.`, "warned"},
	}
	for _, tt := range tests {
		got := Extract(tt.text)
		if len(got) != 1 || got[0].Cue != tt.cue {
			t.Errorf("Extract(%q) = %+v, want one quote with cue %q", tt.text, got, tt.cue)
		}
	}
}

func TestExtractJSONL(t *testing.T) {
	in := `{"id":"a","text":"Café owner Zoë Laine said “Ça va bien, merci.”"}` + "\n" +
		`{"id":"b","text":"The Port Authority said \"Ships may dock again.\""}` + "\n"
	var out bytes.Buffer
	if err := ExtractJSONL(strings.NewReader(in), &out); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("got %d lines, want 2:\n%s", len(lines), out.String())
	}
	var a prediction
	if err := json.Unmarshal([]byte(lines[0]), &a); err != nil {
		t.Fatal(err)
	}
	text := []rune("Café owner Zoë Laine said “Ça va bien, merci.”")
	if len(a.Quotes) != 1 || a.Quotes[0].Speaker == nil || *a.Quotes[0].Speaker != "Zoë Laine" {
		t.Fatalf("article a = %s", lines[0])
	}
	if got := string(text[a.Quotes[0].Start:a.Quotes[0].End]); got != "Ça va bien, merci." {
		t.Errorf("code-point span = %q", got)
	}
	if !strings.Contains(lines[1], `"speaker":null`) {
		t.Errorf("organisation speaker should be null: %s", lines[1])
	}
}

func TestEvaluate(t *testing.T) {
	gold := `{"id":"x","quotes":[` +
		`{"start":0,"end":10,"speaker":"Maria Lopez","speaker_org":null},` +
		`{"start":20,"end":30,"speaker":null,"speaker_org":"City Council"},` +
		`{"start":40,"end":50,"speaker":"Ken Lopez","speaker_org":null},` +
		`{"start":60,"end":70,"speaker":"Ann Weber","speaker_org":null}],"ambiguous_surnames":[]}` + "\n" +
		`{"id":"y","quotes":[],"ambiguous_surnames":[]}` + "\n"
	pred := `{"id":"x","quotes":[` +
		`{"start":0,"end":6,"speaker":"maria  lopez"},` + // 60% overlap, name case-insensitive
		`{"start":19,"end":31,"speaker":"City Council"},` + // organisation name accepted
		`{"start":40,"end":44,"speaker":"Ken Lopez"},` + // 40% overlap: no match
		`{"start":60,"end":70,"speaker":"Weber"}]}` + "\n" + // unambiguous surname accepted
		`{"id":"y","quotes":[{"start":0,"end":5,"speaker":null}]}` + "\n"
	s, err := Evaluate(strings.NewReader(gold), strings.NewReader(pred))
	if err != nil {
		t.Fatal(err)
	}
	if s.Gold != 4 || s.Predicted != 5 || s.Matched != 3 || s.Correct != 3 {
		t.Fatalf("scores = %+v", s)
	}
	if !strings.HasPrefix(s.String(), "quotes: P=0.600 R=0.750 F1=0.667 attribution=1.000\n") {
		t.Errorf("String() = %q", s.String())
	}
}

func TestEvaluateSurnameRules(t *testing.T) {
	gold := `{"id":"x","quotes":[` +
		`{"start":0,"end":10,"speaker":"Maria Lopez","speaker_org":null},` +
		`{"start":20,"end":30,"speaker":"Ken Lopez","speaker_org":null},` +
		`{"start":40,"end":50,"speaker":"Ann Weber","speaker_org":null}],"ambiguous_surnames":["Weber"]}`
	pred := `{"id":"x","quotes":[{"start":0,"end":10,"speaker":"Lopez"},{"start":20,"end":30,"speaker":"Ken Lopez"},{"start":40,"end":50,"speaker":"Weber"}]}`
	s, err := Evaluate(strings.NewReader(gold), strings.NewReader(pred))
	if err != nil {
		t.Fatal(err)
	}
	if s.Matched != 3 || s.Correct != 1 {
		t.Errorf("scores = %+v, want 3 matched, 1 correct (shared and listed surnames refused)", s)
	}
}

// TestEvaluateOneToOne: a span covering both pieces of a split quote matches one.
func TestEvaluateOneToOne(t *testing.T) {
	gold := `{"id":"x","quotes":[{"start":0,"end":10,"speaker":null,"speaker_org":null},{"start":12,"end":20,"speaker":null,"speaker_org":null}]}`
	pred := `{"id":"x","quotes":[{"start":0,"end":20,"speaker":null}]}`
	s, err := Evaluate(strings.NewReader(gold), strings.NewReader(pred))
	if err != nil {
		t.Fatal(err)
	}
	if s.Matched != 1 {
		t.Errorf("matched = %d, want 1", s.Matched)
	}
}

func FuzzExtract(f *testing.F) {
	seeds := []string{
		"",
		`"`,
		`""`,
		"“",
		`"A," she said, "B."`,
		"“Open” and ”closed“ marks.\n\n\"Unclosed paragraph\n\n\"continues here.\"",
		`X said: "nested 'single' quotes" and "more".`,
		"> **\"Bold,\"** said *Ann Lee*.",
		"\"\xff\xfe\" broken utf-8 \"\x80\"",
		"A. B. C. \"D.\" E said. \"F\"",
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		qs := Extract(text)
		prevStart := -1
		for _, q := range qs {
			if q.Start < 0 || q.End > len(text) || q.Start >= q.End {
				t.Fatalf("bad span [%d,%d) in %d bytes", q.Start, q.End, len(text))
			}
			if q.Start <= prevStart {
				t.Fatalf("spans out of order: %d after %d", q.Start, prevStart)
			}
			prevStart = q.Start
			if q.Text != text[q.Start:q.End] {
				t.Fatalf("Text %q != text[%d:%d]", q.Text, q.Start, q.End)
			}
			if q.Kind != KindPerson && q.Kind != KindOrganisation && q.Kind != KindUnknown {
				t.Fatalf("bad kind %q", q.Kind)
			}
		}
	})
}

// BenchmarkExtract extracts every article of the dev set; the throughput is
// in bytes of article text.
func BenchmarkExtract(b *testing.B) { benchmarkExtract(b, defaultRanker()) }

// BenchmarkExtractRules is BenchmarkExtract with the rules alone choosing
// speakers, to measure what the ranker costs.
func BenchmarkExtractRules(b *testing.B) { benchmarkExtract(b, nil) }

func benchmarkExtract(b *testing.B, model *rankModel) {
	data, err := os.ReadFile(shareddata.Path(b, "quotes", "dev.jsonl"))
	if err != nil {
		b.Fatal(err)
	}
	var texts []string
	size := 0
	for _, line := range bytes.Split(data, []byte("\n")) {
		var a article
		if json.Unmarshal(line, &a) == nil && a.Text != "" {
			texts = append(texts, a.Text)
			size += len(a.Text)
		}
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, t := range texts {
			extract(t, model)
		}
	}
}

// TestExtractLargeInputs guards against work that grows with the square of
// the input: long runs of quotations or names with no sentence end.
func TestExtractLargeInputs(t *testing.T) {
	for _, unit := range []string{`"a" `, `"x," he said, `, "Ann Lee ", "the spokesman ", "“", "\"\n\n", `the spokesman said "x y z w v u" `} {
		s := strings.Repeat(unit, 100000/len(unit))
		start := time.Now()
		Extract(s)
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%q repeated to 100 kB took %v", unit, d)
		}
	}
}
