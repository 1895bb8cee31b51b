package web

import (
	"bytes"
	"testing"
)

// TestSitemapIndexXML: the index written by hand is what encoding/xml
// makes of the same entries.
func TestSitemapIndexXML(t *testing.T) {
	for _, entries := range [][]sitemapEntry{
		nil,
		{{Loc: "https://news.example.test/sitemaps/pages.xml"}},
		{
			{Loc: "https://news.example.test/sitemaps/pages.xml", LastMod: "2026-12-06T14:58:57Z"},
			{Loc: "https://news.example.test/a?b=1&c=<2>\"'", LastMod: "2026-11-02T15:00:00Z"},
			{Loc: "https://news.example.test/sitemaps/articles-1951-01.xml", LastMod: ""},
		},
	} {
		want, err := marshalXML(sitemapIndexDoc{NS: sitemapNS, Sitemaps: entries})
		if err != nil {
			t.Fatal(err)
		}
		if got := sitemapIndexXML(entries); !bytes.Equal(got, want) {
			t.Errorf("%d entries:\n%s\nwant\n%s", len(entries), got, want)
		}
	}
}
