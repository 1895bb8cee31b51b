package demo

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestLoad checks that the embedded newsroom parses and has the shape the
// demo promises: enough of everything for every page of the site to look
// lived-in.
func TestLoad(t *testing.T) {
	nr, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if nr.Name != "Northgate Courier" || nr.Tagline == "" || nr.Description == "" {
		t.Errorf("publication = %q, %q, %q", nr.Name, nr.Tagline, nr.Description)
	}
	if len(nr.Sections) != 5 {
		t.Errorf("%d sections, want 5", len(nr.Sections))
	}
	if len(nr.Authors) != 4 {
		t.Errorf("%d authors, want 4", len(nr.Authors))
	}
	if len(nr.Articles) != 40 {
		t.Errorf("%d articles, want 40", len(nr.Articles))
	}

	perSection := map[string]int{}
	perAuthor := map[string]int{}
	perTag := map[string]int{}
	var featured, closed, images, updated, recent int
	var comments, withComments, replies, depth3, pending int
	commentersArticles := map[string]map[string]bool{}
	for _, a := range nr.Articles {
		perSection[a.Section]++
		for _, s := range a.Authors {
			perAuthor[s]++
		}
		for _, tag := range a.Tags {
			perTag[tag]++
		}
		if a.Featured {
			featured++
		}
		if a.CommentsClosed {
			closed++
		}
		if a.Image != nil {
			images++
		}
		if a.UpdatedAfter > 0 {
			updated++
		}
		if a.Age < 40*time.Hour {
			recent++
		}
		if a.Age > 150*24*time.Hour {
			t.Errorf("%s: age %s, want at most 150 days", a.Slug, fmtAge(a.Age))
		}
		if n := len(a.Tags); n < 2 || n > 4 {
			t.Errorf("%s: %d tags, want 2-4", a.Slug, n)
		}
		if n := len(a.Comments); n > 0 {
			withComments++
			comments += n
			if n > 6 {
				t.Errorf("%s: %d comments, want at most 6", a.Slug, n)
			}
		}
		parent := map[string]string{}
		for _, c := range a.Comments {
			parent[c.Key] = c.ReplyTo
			if c.ReplyTo != "" {
				replies++
				if parent[c.ReplyTo] != "" {
					depth3++
				}
			}
			if c.Status == "pending" {
				pending++
			}
			if commentersArticles[c.Email] == nil {
				commentersArticles[c.Email] = map[string]bool{}
			}
			commentersArticles[c.Email][a.Slug] = true
		}
	}

	for _, s := range nr.Sections {
		if perSection[s.Slug] < 6 {
			t.Errorf("section %s has %d articles, want at least 6", s.Slug, perSection[s.Slug])
		}
	}
	for _, a := range nr.Authors {
		if perAuthor[a.Slug] == 0 {
			t.Errorf("author %s has no articles", a.Slug)
		}
	}
	if n := len(perTag); n < 18 || n > 26 {
		t.Errorf("%d distinct tags, want about 20", n)
	}
	for tag, n := range perTag {
		if n < 2 {
			t.Errorf("tag %q is on only %d article; a tag page needs several", tag, n)
		}
	}
	regulars := 0
	for _, slugs := range commentersArticles {
		if len(slugs) >= 3 {
			regulars++
		}
	}

	checks := []struct {
		what     string
		got      int
		min, max int
	}{
		{"featured articles", featured, 3, 4},
		{"articles with comments closed", closed, 2, 2},
		{"articles with a lead image", images, 16, 24},
		{"updated articles", updated, 2, 8},
		{"articles younger than 40 hours", recent, 3, 40},
		{"comments", comments, 90, 120},
		{"articles with comments", withComments, 22, 30},
		{"replies", replies, 10, comments},
		{"replies to replies", depth3, 2, comments},
		{"pending comments", pending, 2, 10},
		{"commenters on three or more articles", regulars, 3, comments},
	}
	for _, c := range checks {
		if c.got < c.min || c.got > c.max {
			t.Errorf("%d %s, want %d-%d", c.got, c.what, c.min, c.max)
		}
	}
}

var (
	htmlTag      = regexp.MustCompile(`<[a-zA-Z/!]`)
	anyURL       = regexp.MustCompile(`https?://[^\s)\]]+`)
	sentenceEnd  = regexp.MustCompile(`[.!?][”’"']?(\s+[\p{Lu}“‘"']|\s*$)`)
	commentEmail = regexp.MustCompile(`@example\.(net|com)$`)
	// embedLine is the one real address the demo links to: an open film,
	// embedded on a line of its own.
	embedLine = regexp.MustCompile(`(?m)^https://www\.youtube\.com/watch\?v=aqz-KE-bpKQ$`)
)

// TestContentStyle holds the copy to the house rules for demo content.
func TestContentStyle(t *testing.T) {
	nr, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range nr.Authors {
		if !strings.HasSuffix(a.Email, "@courier.example") {
			t.Errorf("author %s: email %q, want @courier.example", a.Slug, a.Email)
		}
		if n := sentences(a.Bio); n < 2 || n > 4 {
			t.Errorf("author %s: bio has %d sentences, want 2-4", a.Slug, n)
		}
	}
	for _, a := range nr.Articles {
		if n := sentences(a.Standfirst); n < 1 || n > 2 {
			t.Errorf("%s: standfirst has %d sentences, want 1-2", a.Slug, n)
		}
		if strings.HasSuffix(a.Headline, ".") {
			t.Errorf("%s: headline ends with a full stop", a.Slug)
		}
		if n := len(strings.Fields(a.Body)); n < 300 || n > 800 {
			t.Errorf("%s: body has %d words, want 300-800", a.Slug, n)
		}
		if htmlTag.MatchString(a.Body) {
			t.Errorf("%s: body contains HTML", a.Slug)
		}
		if n := strings.Count(a.Body, "!["); n != len(bodyImage.FindAllString(a.Body, -1)) {
			t.Errorf("%s: body has an image that is not a demo drawing with alt text and caption", a.Slug)
		}
		texts := []string{embedLine.ReplaceAllString(a.Body, "")}
		for _, c := range a.Comments {
			texts = append(texts, c.Text, c.Website)
			if !commentEmail.MatchString(c.Email) {
				t.Errorf("%s, comment %s: email %q, want @example.net or @example.com", a.Slug, c.Key, c.Email)
			}
		}
		for _, s := range texts {
			for _, u := range anyURL.FindAllString(s, -1) {
				if !strings.HasPrefix(u, "https://example.org/") {
					t.Errorf("%s: link %q, want only https://example.org/ addresses", a.Slug, u)
				}
			}
		}
		if a.Image != nil && (a.Image.Caption == "" || a.Image.Credit == "" || a.Image.Alt == "") {
			t.Errorf("%s: incomplete image %+v", a.Slug, a.Image)
		}
	}
}

// sentences roughly counts the sentences in plain text.
func sentences(s string) int {
	return len(sentenceEnd.FindAllString(strings.TrimSpace(s), -1))
}
