package news

import (
	"slices"
	"testing"
)

func TestQuoteKey(t *testing.T) {
	same := [][2]string{
		{"We are flooded,", "we are  flooded."},
		{"“Don’t,” she said", "Don't she said"},
		{"Ça va", "ça va"},
	}
	for _, p := range same {
		if QuoteKey(p[0]) != QuoteKey(p[1]) {
			t.Errorf("QuoteKey(%q) = %q, QuoteKey(%q) = %q; want equal", p[0], QuoteKey(p[0]), p[1], QuoteKey(p[1]))
		}
	}
	if QuoteKey("We are flooded") == QuoteKey("We were flooded") {
		t.Error("different words share a key")
	}
	if QuoteKey("Ça va") == QuoteKey("Ca va") {
		t.Error("quotation keys fold accents (the words differ)")
	}
}

func TestNameKey(t *testing.T) {
	for _, n := range []string{"Ilse Maranović", "ilse maranovic", " Ilse  Maranović. ", "ILSE MARANOVIC"} {
		if got := NameKey(n); got != "ilse maranovic" {
			t.Errorf("NameKey(%q) = %q", n, got)
		}
	}
	if NameKey("O’Brien") != NameKey("O'Brien") || NameKey("Okonkwo-Baird") != "okonkwo baird" {
		t.Error("apostrophes and hyphens")
	}
}

func TestCleanAliasesAndValidatePerson(t *testing.T) {
	got := CleanAliases("Ines Darrow", []string{" Mayor  Darrow ", "", "ines darrow", "Mayor Darrow", "I. Darrow"})
	if want := []string{"Mayor Darrow", "I. Darrow"}; !slices.Equal(got, want) {
		t.Errorf("CleanAliases = %q, want %q", got, want)
	}
	p := &Person{Name: "  Ines   Darrow ", Kind: KindPerson, Slug: "ines-darrow"}
	if err := ValidatePerson(p); err != nil || p.Name != "Ines Darrow" {
		t.Errorf("ValidatePerson: %v, name %q", err, p.Name)
	}
	bad := &Person{Name: "…", Kind: "robot", Slug: "Bad Slug"}
	fe, _ := ValidatePerson(bad).(FieldErrors)
	if fe["name"] == "" || fe["kind"] == "" || fe["slug"] == "" {
		t.Errorf("ValidatePerson(bad) = %v", fe)
	}
}
