package demo

import (
	"errors"
	"fmt"
	"io/fs"
	"net/mail"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
)

// maxSlugLen matches the longest slug the rest of Masthead accepts.
const maxSlugLen = 80

// parseError points at the file and line that holds a problem, so that
// whoever edits the content can go straight to it.
type parseError struct {
	file string
	line int // 0 when the problem is with the file as a whole
	msg  string
}

func (e *parseError) Error() string {
	if e.line == 0 {
		return e.file + ": " + e.msg
	}
	return e.file + ":" + strconv.Itoa(e.line) + ": " + e.msg
}

func errorAt(file string, line int, format string, args ...any) error {
	return &parseError{file: file, line: line, msg: fmt.Sprintf(format, args...)}
}

// parse reads a content tree laid out as described in the package comment.
// Problems in different files are all reported, joined; within one file the
// first problem stops the reading of that file.
func parse(fsys fs.FS) (*Newsroom, error) {
	nr := &Newsroom{}
	if err := parsePublication(fsys, nr); err != nil {
		return nil, err
	}
	sections, err := parseSections(fsys)
	if err != nil {
		return nil, err
	}
	nr.Sections = sections

	authors, err := parseAuthors(fsys)
	if err != nil {
		return nil, err
	}
	nr.Authors = authors

	known := refs{sections: map[string]bool{}, authors: map[string]bool{}}
	for _, s := range sections {
		known.sections[s.Slug] = true
	}
	for _, a := range authors {
		known.authors[a.Slug] = true
	}
	articles, err := parseArticles(fsys, known)
	if err != nil {
		return nil, err
	}
	nr.Articles = articles
	if nr.Live, err = parseLive(fsys, known, articles); err != nil {
		return nil, err
	}
	return nr, nil
}

func parsePublication(fsys fs.FS, nr *Newsroom) error {
	const file = "publication.txt"
	data, err := fs.ReadFile(fsys, file)
	if err != nil {
		return err
	}
	h, err := readHeader(file, splitLines(data), "name", "tagline", "description")
	if err != nil {
		return err
	}
	if err := h.require("name", "tagline", "description"); err != nil {
		return err
	}
	nr.Name, nr.Tagline, nr.Description = h.get("name"), h.get("tagline"), h.get("description")
	return nil
}

func parseSections(fsys fs.FS) ([]Section, error) {
	const file = "sections.txt"
	data, err := fs.ReadFile(fsys, file)
	if err != nil {
		return nil, err
	}
	var sections []Section
	seen := map[string]int{}
	for _, block := range splitBlocks(splitLines(data)) {
		h, err := readHeader(file, block, "slug", "name", "description")
		if err != nil {
			return nil, err
		}
		if err := h.require("slug", "name", "description"); err != nil {
			return nil, err
		}
		slug, line := h.get("slug"), h.line("slug")
		if err := checkSlug(file, line, slug); err != nil {
			return nil, err
		}
		if first, dup := seen[slug]; dup {
			return nil, errorAt(file, line, "duplicate section %q (first on line %d)", slug, first)
		}
		seen[slug] = line
		sections = append(sections, Section{Slug: slug, Name: h.get("name"), Description: h.get("description")})
	}
	if len(sections) == 0 {
		return nil, errorAt(file, 0, "no sections")
	}
	return sections, nil
}

func parseAuthors(fsys fs.FS) ([]Author, error) {
	entries, err := fs.ReadDir(fsys, "authors")
	if err != nil {
		return nil, err
	}
	var authors []Author
	var errs []error
	for _, e := range entries {
		file := path.Join("authors", e.Name())
		slug, ok := strings.CutSuffix(e.Name(), ".txt")
		if e.IsDir() || !ok {
			errs = append(errs, errorAt(file, 0, "expected only <slug>.txt files in authors/"))
			continue
		}
		if err := checkSlug(file, 0, slug); err != nil {
			errs = append(errs, err)
			continue
		}
		a, err := parseAuthor(fsys, file)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		a.Slug = slug
		authors = append(authors, a)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if len(authors) == 0 {
		return nil, errorAt("authors", 0, "no authors")
	}
	return authors, nil
}

func parseAuthor(fsys fs.FS, file string) (Author, error) {
	data, err := fs.ReadFile(fsys, file)
	if err != nil {
		return Author{}, err
	}
	head, rest, err := splitHeader(file, splitLines(data))
	if err != nil {
		return Author{}, err
	}
	h, err := readHeader(file, head, "name", "email", "job_title")
	if err != nil {
		return Author{}, err
	}
	if err := h.require("name", "email", "job_title"); err != nil {
		return Author{}, err
	}
	if err := checkEmail(file, h.line("email"), h.get("email")); err != nil {
		return Author{}, err
	}
	bio := joinText(rest)
	if bio == "" {
		return Author{}, errorAt(file, 0, "empty bio after the \"---\" line")
	}
	return Author{Name: h.get("name"), Email: h.get("email"), JobTitle: h.get("job_title"), Bio: bio}, nil
}

// refs holds the slugs an article may refer to.
type refs struct{ sections, authors map[string]bool }

func parseArticles(fsys fs.FS, known refs) ([]Article, error) {
	entries, err := fs.ReadDir(fsys, "articles")
	if err != nil {
		return nil, err
	}
	var articles []Article
	var errs []error
	seen := map[string]string{} // slug -> file
	for _, e := range entries {
		file := path.Join("articles", e.Name())
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".md") {
			errs = append(errs, errorAt(file, 0, "expected only NN-<slug>.md files in articles/"))
			continue
		}
		data, err := fs.ReadFile(fsys, file)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		a, err := parseArticle(file, data, known)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if other, dup := seen[a.Slug]; dup {
			errs = append(errs, errorAt(file, 0, "slug %q is also used by %s", a.Slug, other))
			continue
		}
		seen[a.Slug] = file
		articles = append(articles, a)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return articles, nil
}

// articleSlug strips ".md" and a numeric ordering prefix from a file name.
func articleSlug(name string) string {
	slug := strings.TrimSuffix(name, ".md")
	if i := strings.IndexByte(slug, '-'); i > 0 && isDigits(slug[:i]) {
		slug = slug[i+1:]
	}
	return slug
}

var articleKeys = []string{
	"headline", "standfirst", "section", "authors", "tags", "age", "updated_after",
	"featured", "comments_closed", "image_caption", "image_credit", "image_alt",
}

// parseArticle parses one article file; file is its path for error messages
// and, through its base name, the source of the slug.
func parseArticle(file string, data []byte, known refs) (Article, error) {
	a := Article{Slug: articleSlug(path.Base(file))}
	if err := checkSlug(file, 0, a.Slug); err != nil {
		return a, err
	}
	head, rest, err := splitHeader(file, splitLines(data))
	if err != nil {
		return a, err
	}
	h, err := readHeader(file, head, articleKeys...)
	if err != nil {
		return a, err
	}
	if err := h.require("headline", "standfirst", "section", "authors", "tags", "age"); err != nil {
		return a, err
	}
	a.Headline, a.Standfirst = h.get("headline"), h.get("standfirst")

	a.Section = h.get("section")
	if !known.sections[a.Section] {
		return a, errorAt(file, h.line("section"), "unknown section %q", a.Section)
	}

	line := h.line("authors")
	a.Authors, err = splitList(file, line, h.get("authors"), "author")
	if err != nil {
		return a, err
	}
	for _, slug := range a.Authors {
		if !known.authors[slug] {
			return a, errorAt(file, line, "unknown author %q", slug)
		}
	}
	if len(a.Authors) > 2 {
		return a, errorAt(file, line, "a byline has one or two authors, not %d", len(a.Authors))
	}

	if a.Tags, err = splitList(file, h.line("tags"), h.get("tags"), "tag"); err != nil {
		return a, err
	}

	if a.Age, err = h.duration("age"); err != nil {
		return a, err
	}
	if a.Age <= 0 {
		return a, errorAt(file, h.line("age"), "age must be positive")
	}
	if h.has("updated_after") {
		if a.UpdatedAfter, err = h.duration("updated_after"); err != nil {
			return a, err
		}
		line := h.line("updated_after")
		if a.UpdatedAfter <= 0 {
			return a, errorAt(file, line, "updated_after must be positive; leave it out if the article was never updated")
		}
		if a.UpdatedAfter >= a.Age {
			return a, errorAt(file, line, "updated_after %s is not less than the age %s: the update would be in the future",
				fmtAge(a.UpdatedAfter), fmtAge(a.Age))
		}
	}
	if a.Featured, err = h.boolean("featured"); err != nil {
		return a, err
	}
	if a.CommentsClosed, err = h.boolean("comments_closed"); err != nil {
		return a, err
	}

	switch n := countTrue(h.has("image_caption"), h.has("image_credit"), h.has("image_alt")); n {
	case 0:
	case 3:
		a.Image = &Image{Caption: h.get("image_caption"), Credit: h.get("image_credit"), Alt: h.get("image_alt")}
	default:
		var line int // the first image line present
		for _, k := range []string{"image_caption", "image_credit", "image_alt"} {
			if h.has(k) {
				line = h.line(k)
				break
			}
		}
		return a, errorAt(file, line, "image_caption, image_credit and image_alt go together; add the missing ones or remove all three")
	}

	body, comments := splitComments(rest)
	a.Body = joinText(body)
	if a.Body == "" {
		return a, errorAt(file, 0, "empty body after the \"---\" line")
	}
	if a.Comments, err = parseComments(file, comments, a.Age); err != nil {
		return a, err
	}
	return a, nil
}

const commentMarker = "=== comment"

// splitComments separates an article's body from its trailing comment
// blocks; each returned block starts with its "=== comment" line.
func splitComments(lines []line) (body []line, blocks [][]line) {
	body = lines
	for i, l := range lines {
		switch {
		case strings.HasPrefix(l.text, commentMarker):
			if blocks == nil {
				body = lines[:i]
			}
			blocks = append(blocks, []line{l})
		case blocks != nil:
			blocks[len(blocks)-1] = append(blocks[len(blocks)-1], l)
		}
	}
	return body, blocks
}

var commentKeys = []string{"name", "email", "website", "reply_to", "age", "status"}

func parseComments(file string, blocks [][]line, articleAge time.Duration) ([]Comment, error) {
	var comments []Comment
	index := map[string]int{} // key -> position in comments
	for _, block := range blocks {
		marker := block[0]
		f := strings.Fields(marker.text)
		if len(f) != 3 || f[0]+" "+f[1] != commentMarker {
			return nil, errorAt(file, marker.n, "want \"=== comment <key>\", got %q", marker.text)
		}
		c := Comment{Key: f[2]}
		if err := checkSlug(file, marker.n, c.Key); err != nil {
			return nil, err
		}
		if _, dup := index[c.Key]; dup {
			return nil, errorAt(file, marker.n, "duplicate comment key %q", c.Key)
		}

		// The header runs up to the first blank line; the text follows.
		head := block[1:]
		var text []line
		for i, l := range head {
			if strings.TrimSpace(l.text) == "" {
				head, text = head[:i], head[i+1:]
				break
			}
		}
		h, err := readHeader(file, head, commentKeys...)
		if err != nil {
			return nil, err
		}
		h.start = marker.n
		if err := h.require("name", "email", "age", "status"); err != nil {
			return nil, err
		}
		c.Name, c.Email, c.Website = h.get("name"), h.get("email"), h.get("website")
		if err := checkEmail(file, h.line("email"), c.Email); err != nil {
			return nil, err
		}
		if c.Website != "" {
			if u, err := url.Parse(c.Website); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				return nil, errorAt(file, h.line("website"), "website %q is not an http(s) URL", c.Website)
			}
		}
		c.Status = h.get("status")
		if c.Status != "approved" && c.Status != "pending" {
			return nil, errorAt(file, h.line("status"), "status %q: want approved or pending", c.Status)
		}

		if c.Age, err = h.duration("age"); err != nil {
			return nil, err
		}
		if c.Age <= 0 {
			return nil, errorAt(file, h.line("age"), "age must be positive")
		}
		if c.Age >= articleAge {
			return nil, errorAt(file, h.line("age"), "comment %q (age %s) is not younger than its article (age %s)",
				c.Key, fmtAge(c.Age), fmtAge(articleAge))
		}

		if h.has("reply_to") {
			c.ReplyTo = h.get("reply_to")
			line := h.line("reply_to")
			i, ok := index[c.ReplyTo]
			if !ok {
				return nil, errorAt(file, line, "reply_to %q is not an earlier comment on this article", c.ReplyTo)
			}
			if parent := comments[i]; c.Age >= parent.Age {
				return nil, errorAt(file, h.line("age"), "reply %q (age %s) is not younger than comment %q (age %s)",
					c.Key, fmtAge(c.Age), parent.Key, fmtAge(parent.Age))
			}
		}

		c.Text = joinText(text)
		if c.Text == "" {
			return nil, errorAt(file, marker.n, "comment %q has no text (put a blank line after its header)", c.Key)
		}
		index[c.Key] = len(comments)
		comments = append(comments, c)
	}
	return comments, nil
}

// line is one line of a content file with its 1-based number.
type line struct {
	n    int
	text string
}

func splitLines(data []byte) []line {
	s := strings.ReplaceAll(string(data), "\r\n", "\n")
	s = strings.TrimPrefix(s, "\uFEFF")
	var lines []line
	for i, t := range strings.Split(s, "\n") {
		lines = append(lines, line{n: i + 1, text: strings.TrimRight(t, " \t")})
	}
	if len(lines) > 0 && lines[len(lines)-1].text == "" {
		lines = lines[:len(lines)-1] // the newline that ends the file
	}
	return lines
}

// splitBlocks splits lines into runs separated by blank lines.
func splitBlocks(lines []line) [][]line {
	var blocks [][]line
	var cur []line
	for _, l := range lines {
		if l.text == "" {
			if cur != nil {
				blocks = append(blocks, cur)
				cur = nil
			}
			continue
		}
		cur = append(cur, l)
	}
	if cur != nil {
		blocks = append(blocks, cur)
	}
	return blocks
}

// splitHeader splits a file at its first "---" line.
func splitHeader(file string, lines []line) (head, rest []line, err error) {
	for i, l := range lines {
		if l.text == "---" {
			return lines[:i], lines[i+1:], nil
		}
	}
	return nil, nil, errorAt(file, 0, "no \"---\" line after the header")
}

// joinText turns lines back into text without surrounding blank lines.
func joinText(lines []line) string {
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(l.text)
		b.WriteByte('\n')
	}
	return strings.TrimSpace(b.String())
}

// header is a block of "key: value" lines.
type header struct {
	file   string
	start  int // line reported for a missing key
	values map[string]string
	lines  map[string]int
}

// readHeader parses "key: value" lines, rejecting keys not in allowed,
// repeated keys and empty values.
func readHeader(file string, lines []line, allowed ...string) (*header, error) {
	h := &header{file: file, values: map[string]string{}, lines: map[string]int{}}
	if len(lines) > 0 {
		h.start = lines[0].n
	} else {
		h.start = 1
	}
	for _, l := range lines {
		key, value, ok := strings.Cut(l.text, ":")
		key, value = strings.TrimSpace(key), strings.TrimSpace(value)
		if !ok || key == "" || strings.ContainsAny(key, " \t") {
			return nil, errorAt(file, l.n, "want \"key: value\", got %q", l.text)
		}
		if !slices.Contains(allowed, key) {
			return nil, errorAt(file, l.n, "unknown key %q (want one of %s)", key, strings.Join(allowed, ", "))
		}
		if first, dup := h.lines[key]; dup {
			return nil, errorAt(file, l.n, "duplicate key %q (first on line %d)", key, first)
		}
		if value == "" {
			return nil, errorAt(file, l.n, "empty value for %q; leave the line out instead", key)
		}
		h.values[key], h.lines[key] = value, l.n
	}
	return h, nil
}

func (h *header) has(key string) bool   { _, ok := h.values[key]; return ok }
func (h *header) get(key string) string { return h.values[key] }
func (h *header) line(key string) int   { return h.lines[key] }

func (h *header) require(keys ...string) error {
	for _, k := range keys {
		if !h.has(k) {
			return errorAt(h.file, h.start, "missing %q", k)
		}
	}
	return nil
}

func (h *header) duration(key string) (time.Duration, error) {
	d, err := parseDuration(h.get(key))
	if err != nil {
		return 0, errorAt(h.file, h.line(key), "%s: %v", key, err)
	}
	return d, nil
}

// boolean reads an optional "true"/"false" value; absent means false.
func (h *header) boolean(key string) (bool, error) {
	switch v := h.get(key); v {
	case "", "false":
		return false, nil
	case "true":
		return true, nil
	default:
		return false, errorAt(h.file, h.line(key), "%s: want true or false, got %q", key, v)
	}
}

// maxDays bounds the day count so that it cannot overflow a Duration.
const maxDays = 100 * 365

// parseDuration reads Go duration syntax with an optional leading day count:
// "150d", "12d4h", "3h30m", "45m". Negative durations are rejected.
func parseDuration(s string) (time.Duration, error) {
	bad := fmt.Errorf("bad duration %q: want days and Go duration units, e.g. 12d4h or 3h30m", s)
	var d time.Duration
	if days, rest, ok := strings.Cut(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if !isDigits(days) || err != nil || n > maxDays {
			return 0, bad
		}
		d, s = time.Duration(n)*24*time.Hour, rest
		if s == "" {
			return d, nil
		}
	}
	if s == "" || s[0] == '-' || s[0] == '+' {
		return 0, bad
	}
	rest, err := time.ParseDuration(s)
	if err != nil {
		return 0, bad
	}
	return d + rest, nil
}

// fmtAge prints a duration the way the content files write it: "3d4h",
// "1h30m", "2d".
func fmtAge(d time.Duration) string {
	days := d / (24 * time.Hour)
	rest := d - days*24*time.Hour
	s := ""
	if days > 0 {
		s = strconv.Itoa(int(days)) + "d"
	}
	if rest > 0 || s == "" {
		r := rest.String()
		if strings.HasSuffix(r, "m0s") {
			r = strings.TrimSuffix(r, "0s")
		}
		if strings.HasSuffix(r, "h0m") {
			r = strings.TrimSuffix(r, "0m")
		}
		s += r
	}
	return s
}

// splitList splits a comma-separated value, rejecting empty and repeated
// items (compared without regard to case).
func splitList(file string, line int, value, what string) ([]string, error) {
	var items []string
	seen := map[string]bool{}
	for item := range strings.SplitSeq(value, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			return nil, errorAt(file, line, "empty %s in %q", what, value)
		}
		if k := strings.ToLower(item); seen[k] {
			return nil, errorAt(file, line, "%s %q listed twice", what, item)
		} else {
			seen[k] = true
		}
		items = append(items, item)
	}
	return items, nil
}

// checkSlug enforces lowercase ASCII letters, digits and single inner hyphens.
func checkSlug(file string, line int, s string) error {
	ok := s != "" && len(s) <= maxSlugLen && s[0] != '-' && s[len(s)-1] != '-' && !strings.Contains(s, "--")
	for i := 0; ok && i < len(s); i++ {
		c := s[i]
		ok = c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-'
	}
	if !ok {
		return errorAt(file, line, "bad slug %q: use lowercase a-z, 0-9 and single hyphens", s)
	}
	return nil
}

func checkEmail(file string, line int, s string) error {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || !strings.Contains(s[strings.LastIndexByte(s, '@')+1:], ".") {
		return errorAt(file, line, "bad email address %q", s)
	}
	return nil
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func countTrue(bs ...bool) int {
	n := 0
	for _, b := range bs {
		if b {
			n++
		}
	}
	return n
}
