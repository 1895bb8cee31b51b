package wxr_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"masthead/internal/testutil"
	"masthead/internal/wxr"
)

// write writes e as a WXR document.
func write(t testing.TB, e export) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := wxr.NewWriter(&buf)
	recs := []wxr.Record{e.Header}
	for _, a := range e.Authors {
		recs = append(recs, a)
	}
	for _, tm := range e.Terms {
		recs = append(recs, tm)
	}
	for _, it := range e.Items {
		recs = append(recs, it)
	}
	for _, rec := range recs {
		if err := w.Write(rec); err != nil {
			t.Fatalf("Write(%T): %v", rec, err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	return buf.Bytes()
}

// roundTrip writes e, reads it back and reports any difference. The writer
// always writes version 1.2.
func roundTrip(t testing.TB, e export) {
	t.Helper()
	out := write(t, e)
	back, err := read(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("reading the written file: %v\n%s", err, out)
	}
	want := e
	h := *e.Header
	h.Version = "1.2"
	want.Header = &h
	want.records = 0
	back.records = 0
	if reflect.DeepEqual(back, want) {
		return
	}
	if !reflect.DeepEqual(back.Header, want.Header) {
		t.Errorf("header: got %+v, want %+v", *back.Header, *want.Header)
	}
	diffSlices(t, "author", back.Authors, want.Authors)
	diffSlices(t, "term", back.Terms, want.Terms)
	diffSlices(t, "item", back.Items, want.Items)
}

func diffSlices[T any](t testing.TB, what string, got, want []*T) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%d %ss read back, want %d", len(got), what, len(want))
		return
	}
	for i := range got {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("%s %d:\n got %+v\nwant %+v", what, i, *got[i], *want[i])
		}
	}
}

func TestWriteRoundTripFixtures(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(filepath.Dir(fixturePath(t, "small-export.xml")), "*.xml"))
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, themePath(t))
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			e, err := readFile(t, f)
			if err != nil {
				return // the malformed and unversioned fixtures
			}
			roundTrip(t, e)
		})
	}
}

// TestWriteTrickyText round-trips text that needs care in CDATA, and the
// Big List of Naughty Strings, through every free-text field.
func TestWriteTrickyText(t *testing.T) {
	tricky := []string{
		"", " ", "\n", "  padded  ", "]]>", "]]]>", "]]>]]>", "a]]", "]", "]]", "x]]>y]]>z",
		"<![CDATA[nested]]>", "\r\n", "line\r\nbreaks\rand\nmore", "tab\there",
		"<p>HTML &amp; entities &lt;b&gt;</p>", `back\slash \"quoted\"`, "emoji 🗞️ 中文 עברית",
		"a:2:{i:0;s:3:\"foo\";i:1;s:3:\"]]>\";}",
	}
	naughty := testutil.NaughtyStrings(t)
	// XML 1.0 cannot carry most C0 controls; the writer replaces them.
	clean := func(s string) string {
		return strings.Map(func(r rune) rune {
			if (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0xFFFE || r == 0xFFFF {
				return '\uFFFD'
			}
			return r
		}, s)
	}
	for _, s := range append(tricky, naughty...) {
		s = clean(s)
		e := export{
			Header:  &wxr.Header{Title: s, Description: s, Version: "1.2"},
			Authors: []*wxr.Author{{ID: 1, Login: "a", DisplayName: s, FirstName: s, LastName: s}},
			Terms:   []*wxr.Term{{ID: 2, Taxonomy: "category", Slug: "c", Name: s, Description: s, Meta: []wxr.Meta{{"k", s}}}},
			Items: []*wxr.Item{{
				PostID: 3, Title: s, Content: s, Excerpt: s, Description: s, PostPassword: s, PostType: "post",
				Categories: []wxr.Category{{Domain: "post_tag", Nicename: "n", Name: s}},
				Meta:       []wxr.Meta{{"k", s}},
				Comments:   []wxr.Comment{{ID: 4, Author: s, Content: s, Meta: []wxr.Meta{{"k", s}}}},
			}},
		}
		roundTrip(t, e)
		if t.Failed() {
			t.Fatalf("failed on %q", s)
		}
	}
}

func TestWriterReplacesNonXMLCharacters(t *testing.T) {
	e := export{
		Header: &wxr.Header{Version: "1.2"},
		Items:  []*wxr.Item{{Title: "nul\x00 bell\x07 bad\xff utf8", Link: "http://x/?a=1&b=\x01"}},
	}
	back, err := read(bytes.NewReader(write(t, e)))
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "title", back.Items[0].Title, "nul\uFFFD bell\uFFFD bad\uFFFD utf8")
	equal(t, "link", back.Items[0].Link, "http://x/?a=1&b=\uFFFD")
}

// TestWriterOutput pins the layout WordPress's importer expects: the http
// namespaces and wp: prefix, and the version and base URLs as plain text
// (its regular-expression parser does not look inside CDATA for those).
func TestWriterOutput(t *testing.T) {
	e := export{
		Header: &wxr.Header{Title: "Masthead", Link: "https://news.example", Version: "1.2",
			BaseSiteURL: "https://news.example", BaseBlogURL: "https://news.example"},
		Items: []*wxr.Item{{PostID: 9, Title: "T", Content: "a]]>b", PostType: "post", Status: "publish",
			Categories: []wxr.Category{{Domain: "category", Nicename: "n&m", Name: "N & M"}}}},
	}
	out := string(write(t, e))
	for _, want := range []string{
		`<?xml version="1.0" encoding="UTF-8" ?>`,
		`xmlns:wp="http://wordpress.org/export/1.2/"`,
		`xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"`,
		`xmlns:content="http://purl.org/rss/1.0/modules/content/"`,
		`xmlns:dc="http://purl.org/dc/elements/1.1/"`,
		"\t<wp:wxr_version>1.2</wp:wxr_version>\n",
		"\t<wp:base_site_url>https://news.example</wp:base_site_url>\n",
		"\t\t<wp:post_id>9</wp:post_id>\n",
		"\t\t<content:encoded><![CDATA[a]]]]><![CDATA[>b]]></content:encoded>\n",
		"\t\t<category domain=\"category\" nicename=\"n&amp;m\"><![CDATA[N & M]]></category>\n",
		"</channel>\n</rss>\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// Well formed for a strict parser other than ours.
	d := xml.NewDecoder(strings.NewReader(out))
	for {
		_, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("written file is not well formed: %v", err)
		}
	}
}

func TestWriterMisuse(t *testing.T) {
	var buf bytes.Buffer
	w := wxr.NewWriter(&buf)
	if err := w.Write(&wxr.Item{}); err == nil {
		t.Error("writing an item before the header succeeded")
	}
	if err := w.Close(); err == nil {
		t.Error("Close before the header succeeded")
	}
	if err := w.Write(&wxr.Header{}); err != nil {
		t.Fatal(err)
	}
	if err := w.Write(&wxr.Header{}); err == nil {
		t.Error("a second header was accepted")
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.Write(&wxr.Item{}); err == nil {
		t.Error("Write after Close succeeded")
	}
	failing := wxr.NewWriter(errWriter{})
	_ = failing.Write(&wxr.Header{Title: strings.Repeat("x", 10000)})
	if err := failing.Close(); err == nil {
		t.Error("a failing underlying writer went unreported")
	}
}

type errWriter struct{}

func (errWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func mustReadFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
