package quotes

import "testing"

// TestExtractNewsroomConstructions holds constructions common in local
// news copy (the demo newsroom is full of them): speakers described by a
// relative clause or an apposition, plural possessives, and pull quotes
// with a dash attribution line.
func TestExtractNewsroomConstructions(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []wantQuote
	}{
		{
			name: "a relative clause between the subject and its verb names others",
			text: "Councillor Priti Sandhu, who represents Old Quay for the opposition Riverside Independents, said the night exposed years of “patch and mend” on the walls.\n\n" +
				"“People here have asked about flood defences for a decade,” she said.",
			want: []wantQuote{
				{"patch and mend", "Priti Sandhu", KindPerson, 0},
				{"People here have asked about flood defences for a decade,", "Priti Sandhu", KindPerson, 1},
			},
		},
		{
			name: "a whose clause",
			text: "Councillor Priti Sandhu, whose Old Quay ward lies at the bottom of the river, said residents had “had the river in their kitchens once this year”.",
			want: []wantQuote{{"had the river in their kitchens once this year", "Priti Sandhu", KindPerson, 0}},
		},
		{
			name: "a which clause makes its subject an organisation",
			text: "Castlegate Mutual, which insures several of the affected shops, said it was “prioritising flooded businesses”.",
			want: []wantQuote{{"prioritising flooded businesses", "Castlegate Mutual", KindOrganisation, 0}},
		},
		{
			name: "a split quotation around a speaker described by a relative clause",
			text: "“I put the kettle on at eleven,” said Pauline Arkwright, 71, who has lived on Ferry Lane since 1988. “By the time I’d finished the cup, the water was coming under the door.”",
			want: []wantQuote{
				{"I put the kettle on at eleven,", "Pauline Arkwright", KindPerson, 0},
				{"By the time I’d finished the cup, the water was coming under the door.", "Pauline Arkwright", KindPerson, 0},
			},
		},
		{
			name: "a split quotation around a speaker described by an apposition",
			text: "“We’ve had people bring us tea,” said Nadia Petrakis, branch secretary of the Valley Transport Workers’ Union. “A man stopped his van this morning.”",
			want: []wantQuote{
				{"We’ve had people bring us tea,", "Nadia Petrakis", KindPerson, 0},
				{"A man stopped his van this morning.", "Nadia Petrakis", KindPerson, 0},
			},
		},
		{
			name: "a plural possessive is not the subject",
			text: "Councillor Bernadette Quayle, the Riverside Independents’ leader, went further. “Tonight they needed a recount,” she said.",
			want: []wantQuote{{"Tonight they needed a recount,", "Bernadette Quayle", KindPerson, 0}},
		},
		{
			name: "the object a relative clause describes is who speaks next",
			text: "That did not impress Carla Moss, who organises the Wend Dippers, a wild swimming group.\n\n“We swim at Halvey every morning,” she said.",
			want: []wantQuote{{"We swim at Halvey every morning,", "Carla Moss", KindPerson, 0}},
		},
		{
			name: "a pull quote with a dash attribution line",
			text: "The library stays open.\n\n“Count what it costs.”\n— Moira Quennell, children’s author",
			want: []wantQuote{{"Count what it costs.", "Moira Quennell", KindPerson, 0}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkQuotes(t, tt.text, tt.want)
		})
	}
}
