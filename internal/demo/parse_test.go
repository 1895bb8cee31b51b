package demo

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

const day = 24 * time.Hour

// okArticle is a valid article; the error cases below each break one thing
// in it. Line numbers in the expected errors count from its first line.
const okArticle = `headline: Swing bridge reopens
standfirst: The Old Quay bridge is back in use.
section: news
authors: ann, bob
tags: Transport, Old Quay
age: 3d
---
The bridge reopened on Monday.

=== comment c1
name: Reader One
email: one@example.net
age: 2d
status: approved

About time.

Second paragraph.
=== comment c2
name: Reader Two
email: two@example.com
website: https://example.org/two
reply_to: c1
age: 1d12h
status: pending

Agreed.
`

var testRefs = refs{
	sections: map[string]bool{"news": true, "sport": true},
	authors:  map[string]bool{"ann": true, "bob": true, "cy": true},
}

func TestParseArticle(t *testing.T) {
	got, err := parseArticle("articles/07-harbour-bridge.md", []byte(okArticle), testRefs)
	if err != nil {
		t.Fatal(err)
	}
	want := Article{
		Slug:       "harbour-bridge",
		Headline:   "Swing bridge reopens",
		Standfirst: "The Old Quay bridge is back in use.",
		Section:    "news",
		Authors:    []string{"ann", "bob"},
		Tags:       []string{"Transport", "Old Quay"},
		Age:        3 * day,
		Body:       "The bridge reopened on Monday.",
		Comments: []Comment{
			{Key: "c1", Name: "Reader One", Email: "one@example.net", Age: 2 * day, Status: "approved",
				Text: "About time.\n\nSecond paragraph."},
			{Key: "c2", ReplyTo: "c1", Name: "Reader Two", Email: "two@example.com", Website: "https://example.org/two",
				Age: 36 * time.Hour, Status: "pending", Text: "Agreed."},
		},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("parseArticle:\ngot  %+v\nwant %+v", got, want)
	}
}

func TestParseArticleOptionalFields(t *testing.T) {
	src := strings.Replace(okArticle, "age: 3d\n", `age: 3d
updated_after: 4h30m
featured: true
comments_closed: true
image_caption: The bridge swings open.
image_credit: Illustration: Courier graphics desk
image_alt: A drawing of a bridge.
`, 1)
	src = strings.ReplaceAll(src, "\n", "\r\n") // files saved on Windows parse the same
	got, err := parseArticle("articles/bridge.md", []byte(src), testRefs)
	if err != nil {
		t.Fatal(err)
	}
	if got.Slug != "bridge" || got.UpdatedAfter != 4*time.Hour+30*time.Minute || !got.Featured || !got.CommentsClosed {
		t.Errorf("got slug %q, updated_after %v, featured %v, comments_closed %v", got.Slug, got.UpdatedAfter, got.Featured, got.CommentsClosed)
	}
	wantImage := &Image{Caption: "The bridge swings open.", Credit: "Illustration: Courier graphics desk", Alt: "A drawing of a bridge."}
	if !reflect.DeepEqual(got.Image, wantImage) {
		t.Errorf("image = %+v, want %+v", got.Image, wantImage)
	}
	if got.Comments[0].Text != "About time.\n\nSecond paragraph." {
		t.Errorf("comment text = %q", got.Comments[0].Text)
	}
}

func TestParseArticleErrors(t *testing.T) {
	const file = "articles/07-harbour-bridge.md"
	tests := []struct {
		name     string
		old, new string // replaced once in okArticle
		want     string // the whole error message
	}{
		{"unknown section", "section: news", "section: sprot", file + `:3: unknown section "sprot"`},
		{"unknown author", "ann, bob", "ann, carl", file + `:4: unknown author "carl"`},
		{"three authors", "ann, bob", "ann, bob, cy", file + `:4: a byline has one or two authors, not 3`},
		{"author twice", "ann, bob", "ann, ann", file + `:4: author "ann" listed twice`},
		{"empty tag", "Transport, Old Quay", "Transport,, Old Quay", file + `:5: empty tag in "Transport,, Old Quay"`},
		{"tag twice", "Transport, Old Quay", "Transport, transport", file + `:5: tag "transport" listed twice`},
		{"unknown key", "section:", "colour: red\nsection:",
			file + `:3: unknown key "colour" (want one of headline, standfirst, section, authors, tags, age, updated_after, featured, comments_closed, image_caption, image_credit, image_alt)`},
		{"duplicate key", "age: 3d\n", "age: 3d\nage: 4d\n", file + `:7: duplicate key "age" (first on line 6)`},
		{"missing key", "tags: Transport, Old Quay\n", "", file + `:1: missing "tags"`},
		{"not key value", "standfirst: The", "standfirst The", file + `:2: want "key: value", got "standfirst The Old Quay bridge is back in use."`},
		{"empty value", "standfirst: The Old Quay bridge is back in use.", "standfirst:", file + `:2: empty value for "standfirst"; leave the line out instead`},
		{"no separator", "---\n", "", file + `: no "---" line after the header`},
		{"empty body", "The bridge reopened on Monday.\n", "", file + `: empty body after the "---" line`},
		{"bad age", "age: 3d", "age: 3days", file + `:6: age: bad duration "3days": want days and Go duration units, e.g. 12d4h or 3h30m`},
		{"negative age", "age: 3d", "age: -3h", file + `:6: age: bad duration "-3h": want days and Go duration units, e.g. 12d4h or 3h30m`},
		{"zero age", "age: 3d", "age: 0s", file + `:6: age must be positive`},
		{"updated too late", "age: 3d\n", "age: 3d\nupdated_after: 3d\n",
			file + `:7: updated_after 3d is not less than the age 3d: the update would be in the future`},
		{"updated zero", "age: 3d\n", "age: 3d\nupdated_after: 0m\n",
			file + `:7: updated_after must be positive; leave it out if the article was never updated`},
		{"bad bool", "age: 3d\n", "age: 3d\nfeatured: yes\n", file + `:7: featured: want true or false, got "yes"`},
		{"partial image", "age: 3d\n", "age: 3d\nimage_credit: Courier\nimage_alt: A bridge.\n",
			file + `:7: image_caption, image_credit and image_alt go together; add the missing ones or remove all three`},
		{"comment older than article", "age: 2d\nstatus: approved", "age: 3d\nstatus: approved",
			file + `:13: comment "c1" (age 3d) is not younger than its article (age 3d)`},
		{"reply older than parent", "age: 1d12h", "age: 2d1m",
			file + `:24: reply "c2" (age 2d1m) is not younger than comment "c1" (age 2d)`},
		{"reply to unknown", "reply_to: c1", "reply_to: c9", file + `:23: reply_to "c9" is not an earlier comment on this article`},
		{"reply to later comment", "email: one@example.net\n", "email: one@example.net\nreply_to: c2\n",
			file + `:13: reply_to "c2" is not an earlier comment on this article`},
		{"duplicate comment key", "=== comment c2", "=== comment c1", file + `:19: duplicate comment key "c1"`},
		{"marker without key", "=== comment c2", "=== comment", file + `:19: want "=== comment <key>", got "=== comment"`},
		{"bad comment key", "=== comment c2", "=== comment C2", file + `:19: bad slug "C2": use lowercase a-z, 0-9 and single hyphens`},
		{"bad status", "status: pending", "status: spam", file + `:25: status "spam": want approved or pending`},
		{"comment missing email", "email: two@example.com\n", "", file + `:19: missing "email"`},
		{"bad email", "two@example.com", "two-at-example.com", file + `:21: bad email address "two-at-example.com"`},
		{"bad website", "https://example.org/two", "example.org/two", file + `:22: website "example.org/two" is not an http(s) URL`},
		{"unknown comment key", "status: pending", "status: pending\nphone: 123",
			file + `:26: unknown key "phone" (want one of name, email, website, reply_to, age, status)`},
		{"comment without text", "\nAgreed.\n", "", file + `:19: comment "c2" has no text (put a blank line after its header)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(okArticle, tt.old) {
				t.Fatalf("test case: %q not in okArticle", tt.old)
			}
			src := strings.Replace(okArticle, tt.old, tt.new, 1)
			_, err := parseArticle(file, []byte(src), testRefs)
			if err == nil {
				t.Fatalf("no error, want %s", tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("error:\ngot  %s\nwant %s", err, tt.want)
			}
			var pe *parseError
			if !errors.As(err, &pe) {
				t.Errorf("error is %T, want *parseError", err)
			}
		})
	}
}

func TestArticleSlug(t *testing.T) {
	tests := []struct{ name, want string }{
		{"07-harbour-bridge.md", "harbour-bridge"},
		{"harbour-bridge.md", "harbour-bridge"},
		{"2024-budget.md", "budget"}, // a leading number is always an ordering prefix
		{"budget-2024.md", "budget-2024"},
		{"40-a.md", "a"},
	}
	for _, tt := range tests {
		if got := articleSlug(tt.name); got != tt.want {
			t.Errorf("articleSlug(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"150d", 150 * day, true},
		{"12d4h", 12*day + 4*time.Hour, true},
		{"3h30m", 3*time.Hour + 30*time.Minute, true},
		{"45m", 45 * time.Minute, true},
		{"1d90m", day + 90*time.Minute, true},
		{"0s", 0, true},
		{"", 0, false},
		{"d", 0, false},
		{"d4h", 0, false},
		{"1.5d", 0, false},
		{"+1d", 0, false},
		{"-1d", 0, false},
		{"1d-2h", 0, false},
		{"1d2d", 0, false},
		{"3days", 0, false},
		{"99999999d", 0, false},
		{"12", 0, false},
	}
	for _, tt := range tests {
		got, err := parseDuration(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("parseDuration(%q) = %v, %v; want %v, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestFmtAge(t *testing.T) {
	tests := []struct {
		in   time.Duration
		want string
	}{
		{3 * day, "3d"},
		{3*day + 4*time.Hour, "3d4h"},
		{90 * time.Minute, "1h30m"},
		{day + time.Minute, "1d1m"},
		{2*time.Hour + 5*time.Second, "2h0m5s"},
		{0, "0s"},
	}
	for _, tt := range tests {
		if got := fmtAge(tt.in); got != tt.want {
			t.Errorf("fmtAge(%v) = %q, want %q", tt.in, got, tt.want)
		}
		if back, err := parseDuration(tt.want); err != nil || back != tt.in {
			t.Errorf("parseDuration(fmtAge(%v)) = %v, %v", tt.in, back, err)
		}
	}
}

// testTree is a small valid content tree.
func testTree() fstest.MapFS {
	file := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }
	return fstest.MapFS{
		"publication.txt": file("name: Test Times\ntagline: News for tests\ndescription: A paper that exists only in tests.\n"),
		"sections.txt": file("slug: news\nname: News\ndescription: What happened.\n\n\n" +
			"slug: sport\nname: Sport\ndescription: Who won.\n"),
		"authors/ann.txt":               file("name: Ann Able\nemail: ann@courier.example\njob_title: Reporter\n---\nAnn writes.\nShe reads.\n"),
		"authors/bob.txt":               file("name: Bob Baker\nemail: bob@courier.example\njob_title: Editor\n---\n\nBob edits.\n"),
		"authors/cy.txt":                file("name: Cy Cole\nemail: cy@courier.example\njob_title: Sub-editor\n---\nCy checks.\n"),
		"articles/07-harbour-bridge.md": file(okArticle),
	}
}

func TestParseTree(t *testing.T) {
	got, err := parse(testTree())
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "Test Times" || got.Tagline != "News for tests" || got.Description != "A paper that exists only in tests." {
		t.Errorf("publication = %q, %q, %q", got.Name, got.Tagline, got.Description)
	}
	wantSections := []Section{{"news", "News", "What happened."}, {"sport", "Sport", "Who won."}}
	if !reflect.DeepEqual(got.Sections, wantSections) {
		t.Errorf("sections = %+v, want %+v", got.Sections, wantSections)
	}
	wantAuthors := []Author{
		{"ann", "Ann Able", "ann@courier.example", "Reporter", "Ann writes.\nShe reads."},
		{"bob", "Bob Baker", "bob@courier.example", "Editor", "Bob edits."},
		{"cy", "Cy Cole", "cy@courier.example", "Sub-editor", "Cy checks."},
	}
	if !reflect.DeepEqual(got.Authors, wantAuthors) {
		t.Errorf("authors = %+v, want %+v", got.Authors, wantAuthors)
	}
	if len(got.Articles) != 1 || got.Articles[0].Slug != "harbour-bridge" || len(got.Articles[0].Comments) != 2 {
		t.Errorf("articles = %+v", got.Articles)
	}
}

func TestParseTreeErrors(t *testing.T) {
	tests := []struct {
		name   string
		change func(fstest.MapFS)
		want   string
	}{
		{"publication missing key", set("publication.txt", "name: T\ntagline: T\n"), `publication.txt:1: missing "description"`},
		{"publication unknown key", set("publication.txt", "name: T\ntagline: T\ndescription: D\nmotto: M\n"),
			`publication.txt:4: unknown key "motto" (want one of name, tagline, description)`},
		{"no publication", remove("publication.txt"), `open publication.txt: file does not exist`},
		{"bad section slug", set("sections.txt", "slug: News\nname: News\ndescription: D\n"),
			`sections.txt:1: bad slug "News": use lowercase a-z, 0-9 and single hyphens`},
		{"duplicate section", set("sections.txt", "slug: news\nname: N\ndescription: D\n\nslug: news\nname: M\ndescription: D\n"),
			`sections.txt:5: duplicate section "news" (first on line 1)`},
		{"section missing name", set("sections.txt", "slug: news\nname: N\ndescription: D\n\nslug: sport\ndescription: D\n"),
			`sections.txt:5: missing "name"`},
		{"no sections", set("sections.txt", "\n"), `sections.txt: no sections`},
		{"author bad file name", rename("authors/cy.txt", "authors/Cy.txt"),
			`authors/Cy.txt: bad slug "Cy": use lowercase a-z, 0-9 and single hyphens`},
		{"author not txt", rename("authors/cy.txt", "authors/cy.md"), `authors/cy.md: expected only <slug>.txt files in authors/`},
		{"author bad email", set("authors/cy.txt", "name: Cy\nemail: cy at courier\njob_title: Sub\n---\nBio.\n"),
			`authors/cy.txt:2: bad email address "cy at courier"`},
		{"author no bio", set("authors/cy.txt", "name: Cy\nemail: cy@courier.example\njob_title: Sub\n---\n\n"),
			`authors/cy.txt: empty bio after the "---" line`},
		{"author no separator", set("authors/cy.txt", "name: Cy\nemail: cy@courier.example\njob_title: Sub\nBio.\n"),
			`authors/cy.txt: no "---" line after the header`},
		{"unknown author in article", remove("authors/bob.txt"), `articles/07-harbour-bridge.md:4: unknown author "bob"`},
		{"duplicate article slug", set("articles/08-harbour-bridge.md", okArticle),
			`articles/08-harbour-bridge.md: slug "harbour-bridge" is also used by articles/07-harbour-bridge.md`},
		{"not markdown", set("articles/notes.txt", "todo"), `articles/notes.txt: expected only NN-<slug>.md files in articles/`},
		{"bad article slug", rename("articles/07-harbour-bridge.md", "articles/07-Harbour_Bridge.md"),
			`articles/07-Harbour_Bridge.md: bad slug "Harbour_Bridge": use lowercase a-z, 0-9 and single hyphens`},
		{"errors in two articles", func(m fstest.MapFS) {
			m["articles/01-a.md"] = &fstest.MapFile{Data: []byte(strings.Replace(okArticle, "news", "sprot", 1))}
			m["articles/02-b.md"] = &fstest.MapFile{Data: []byte(strings.Replace(okArticle, "age: 3d", "age: 3", 1))}
		}, "articles/01-a.md:3: unknown section \"sprot\"\n" +
			"articles/02-b.md:6: age: bad duration \"3\": want days and Go duration units, e.g. 12d4h or 3h30m"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := testTree()
			tt.change(fsys)
			_, err := parse(fsys)
			if err == nil {
				t.Fatalf("no error, want %s", tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("error:\ngot  %s\nwant %s", err, tt.want)
			}
		})
	}
}

func set(name, data string) func(fstest.MapFS) {
	return func(m fstest.MapFS) { m[name] = &fstest.MapFile{Data: []byte(data)} }
}

func remove(name string) func(fstest.MapFS) {
	return func(m fstest.MapFS) { delete(m, name) }
}

func rename(from, to string) func(fstest.MapFS) {
	return func(m fstest.MapFS) { m[to] = m[from]; delete(m, from) }
}
