package newsroom

import (
	"testing"

	"masthead/internal/news"
)

// TestCompareSpeakers counts what a re-extraction changed, pairing quotes
// by their words (in order when the same words are quoted twice).
func TestCompareSpeakers(t *testing.T) {
	p1, p2 := &news.Person{ID: 1}, &news.Person{ID: 2}
	q := func(text string, p *news.Person, st news.QuoteStatus) news.Quote {
		return news.Quote{Text: text, Person: p, Status: st}
	}
	tests := []struct {
		name          string
		before, after []news.Quote
		want          Reextracted
	}{
		{"nothing changed", []news.Quote{q("A b.", p1, news.QuoteDetected)}, []news.Quote{q("a b", p1, news.QuoteDetected)}, Reextracted{}},
		{"another speaker", []news.Quote{q("A", p1, news.QuoteDetected)}, []news.Quote{q("A", p2, news.QuoteDetected)}, Reextracted{SpeakerChanged: 1}},
		{"a speaker lost", []news.Quote{q("A", p1, news.QuoteDetected)}, []news.Quote{q("A", nil, news.QuoteDetected)}, Reextracted{SpeakerChanged: 1}},
		{"dismissed stays nobody's", []news.Quote{q("A", p1, news.QuoteDismissed)}, []news.Quote{q("A", p1, news.QuoteDismissed)}, Reextracted{}},
		{"the same words twice", []news.Quote{q("A", p1, news.QuoteDetected), q("A", p2, news.QuoteDetected)},
			[]news.Quote{q("A", p1, news.QuoteDetected), q("A", p1, news.QuoteDetected)}, Reextracted{SpeakerChanged: 1}},
		{"added and gone", []news.Quote{q("A", p1, news.QuoteDetected)}, []news.Quote{q("B", p1, news.QuoteDetected)}, Reextracted{Added: 1, Removed: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := compareSpeakers(tt.before, tt.after); got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}
