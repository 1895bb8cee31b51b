// Package render owns Masthead's HTML templates and static assets. Both are
// embedded in the binary; templates are parsed once at start (a broken one
// stops the program before it serves anything), pages are rendered into a
// buffer so an error never sends half a page, and static files are served
// under content-hashed names so browsers may cache them forever.
package render

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"masthead/internal/markup"
	"masthead/internal/news"
	"masthead/internal/pagecache"
)

//go:embed templates static
var files embed.FS

// Engine renders pages and serves static assets.
type Engine struct {
	assets map[string]asset // by logical name ("site.css")
	byURL  map[string]asset // by fingerprinted name ("site.3f2a9c1b.css")
	loc    *time.Location
	// The templates, parsed once for each way of showing dates a page has
	// asked for (the site's settings choose it while it runs), so a
	// template's date function knows its zone and style without being
	// told on every call.
	mu   sync.RWMutex
	sets map[Dates]map[string]*template.Template
	// The size of the last page rendered, by page: the next one's buffer
	// starts at about that, rather than doubling its way there.
	sizes sync.Map // page name → *atomic.Int64
}

// Dates is how pages show dates: a time zone (an IANA name; empty: the
// engine's) and a style (a news.DateStyles format; empty: the default).
type Dates struct {
	Zone, Style string
}

// maxDateSets bounds the template sets kept: a site uses one, and a few
// more only while its settings change.
const maxDateSets = 4

type asset struct {
	url string
	// page is the file as a response, compressed on first use rather than
	// at start, which every test's engine would pay for.
	page     *pagecache.Page
	compress *sync.Once
}

// New parses every page template (with the layout and partials) and
// fingerprints the static files. loc is the server's time zone (the
// --timezone flag), in which dates are shown unless a page's Layout names
// another (the site's settings).
func New(loc *time.Location) (*Engine, error) {
	if loc == nil {
		loc = time.UTC
	}
	e := &Engine{assets: map[string]asset{}, byURL: map[string]asset{}, loc: loc, sets: map[Dates]map[string]*template.Template{}}
	if err := e.loadAssets(); err != nil {
		return nil, err
	}
	if _, err := e.pagesFor(Dates{}); err != nil {
		return nil, err
	}
	return e, nil
}

// pagesFor returns the page templates that show dates as d asks, parsing
// them the first time.
func (e *Engine) pagesFor(d Dates) (map[string]*template.Template, error) {
	e.mu.RLock()
	set, ok := e.sets[d]
	e.mu.RUnlock()
	if ok {
		return set, nil
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if set, ok := e.sets[d]; ok { // parsed while this waited
		return set, nil
	}
	loc := e.loc
	if d.Zone != "" {
		if l, err := time.LoadLocation(d.Zone); err == nil {
			loc = l
		}
	}
	set, err := parsePages(e.funcs(loc, news.DateLayout(d.Style)))
	if err != nil {
		return nil, err
	}
	if len(e.sets) >= maxDateSets {
		clear(e.sets)
	}
	e.sets[d] = set
	return set, nil
}

// parsePages parses every page template with the layout and partials.
func parsePages(funcs template.FuncMap) (map[string]*template.Template, error) {
	out := map[string]*template.Template{}
	// Two template sets: the reader site's pages ("article") and the
	// newsroom's ("admin/edit"), each with its own layout and partials.
	sets := []struct{ dir, prefix string }{{"templates", ""}, {"templates/admin", "admin/"}}
	for _, set := range sets {
		base, err := template.New("").Funcs(funcs).ParseFS(files, set.dir+"/layout.html", set.dir+"/partials/*.html")
		if err != nil {
			return nil, fmt.Errorf("parse %s layout: %w", set.dir, err)
		}
		pages, err := fs.Glob(files, set.dir+"/pages/*.html")
		if err != nil {
			return nil, err
		}
		for _, p := range pages {
			t, err := template.Must(base.Clone()).ParseFS(files, p)
			if err != nil {
				return nil, fmt.Errorf("parse %s: %w", p, err)
			}
			out[set.prefix+strings.TrimSuffix(path.Base(p), ".html")] = t
		}
	}
	return out, nil
}

func (e *Engine) loadAssets() error {
	return fs.WalkDir(files, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(files, p)
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(p, "static/")
		sum := sha256.Sum256(body)
		ext := path.Ext(name)
		hashed := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:5]) + ext
		a := asset{url: "/static/" + hashed, compress: new(sync.Once),
			page: pagecache.NewPage(http.StatusOK, mime.TypeByExtension(ext), "public, max-age=31536000, immutable", time.Time{}, body)}
		e.assets[name] = a
		e.byURL[hashed] = a
		return nil
	})
}

// Render executes a page template with its data and returns the HTML.
// Dates are shown as the data's Layout field (a Layout or an
// AdminLayout) says, else in the engine's zone and the default style.
func (e *Engine) Render(page string, data any) ([]byte, error) {
	pages, err := e.pagesFor(datesOf(data))
	if err != nil {
		return nil, err
	}
	t, ok := pages[page]
	if !ok {
		return nil, fmt.Errorf("render: no page %q", page)
	}
	size := e.lastSize(page)
	var buf bytes.Buffer
	buf.Grow(int(size.Load()) + 2<<10)
	if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
		return nil, fmt.Errorf("render %s: %w", page, err)
	}
	size.Store(int64(buf.Len()))
	return buf.Bytes(), nil
}

func (e *Engine) lastSize(page string) *atomic.Int64 {
	if v, ok := e.sizes.Load(page); ok {
		return v.(*atomic.Int64)
	}
	v, _ := e.sizes.LoadOrStore(page, new(atomic.Int64))
	return v.(*atomic.Int64)
}

// RenderPart executes one template of a page's set, a part of the page
// sent on its own (a live blog's entry pushed to open pages); dates as
// Render shows them.
func (e *Engine) RenderPart(page, name string, data any) ([]byte, error) {
	pages, err := e.pagesFor(datesOf(data))
	if err != nil {
		return nil, err
	}
	t, ok := pages[page]
	if !ok {
		return nil, fmt.Errorf("render: no page %q", page)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, data); err != nil {
		return nil, fmt.Errorf("render %s of %s: %w", name, page, err)
	}
	return buf.Bytes(), nil
}

// StaticURL is the fingerprinted URL of a static file; it panics on an
// unknown name so a typo in a template fails every test that renders it.
func (e *Engine) StaticURL(name string) string {
	a, ok := e.assets[name]
	if !ok {
		panic("render: no static file " + name)
	}
	return a.url
}

// ServeStatic serves /static/{name}. Fingerprinted names never change
// content, so they are cached for a year.
func (e *Engine) ServeStatic(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	a, ok := e.byURL[name]
	if !ok {
		http.NotFound(w, r)
		return
	}
	a.compress.Do(a.page.Compress)
	a.page.Serve(w, r)
}

// datesOf reads how a page's data asks for dates to be shown: from its
// Layout field, as every page has (layout.go).
func datesOf(data any) Dates {
	v := reflect.Indirect(reflect.ValueOf(data))
	if v.Kind() != reflect.Struct {
		return Dates{}
	}
	if f := v.FieldByName("Layout"); f.IsValid() && f.CanInterface() {
		if l, ok := f.Interface().(interface{ dates() Dates }); ok {
			return l.dates()
		}
	}
	return Dates{}
}

// funcs are the templates' functions; dates are shown in loc, in the Go
// layout dateLayout.
func (e *Engine) funcs(loc *time.Location, dateLayout string) template.FuncMap {
	return template.FuncMap{
		"static": e.StaticURL,
		"head":   e.head,
		"date": func(t time.Time) string {
			return t.In(loc).Format(dateLayout)
		},
		"datetime": func(t time.Time) string {
			return t.In(loc).Format(dateLayout + ", 15:04 MST")
		},
		"iso": func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		// trusted marks HTML the markup package produced (already sanitised).
		"trusted": func(s string) template.HTML { return template.HTML(s) },
		"comment": func(s string) template.HTML { return template.HTML(markup.Comment(s)) },
		"articleHeader": func(a *news.Article, static bool) template.HTML {
			return articleHeader(a, static, loc, dateLayout)
		},
		"commentThread": func(nodes []*CommentNode) template.HTML {
			return commentThread(nodes, loc, dateLayout)
		},
		"jsonld": func(s string) template.JS { return template.JS(s) },
		"add":    func(a, b int) int { return a + b },
		// sameSite reports whether an image loads from this site, which the
		// newsroom's img-src allows.
		"sameSite": markup.OnThisSite,
		"plural":   plural,
		"snippet":  Snippet,
		"initials": initials,
		// responsive gives an image's srcset and size: {{$r := responsive .LeadImage}}.
		"responsive": responsive,
		"card":       card,
		"storyCard": func(a *news.Article, eager bool) template.HTML {
			return storyCard(a, eager, loc, dateLayout)
		},
		"storyCards": func(list []*news.Article, firstEager bool) template.HTML {
			return storyCards(list, firstEager, loc, dateLayout)
		},
		"homeLead": func(a *news.Article) template.HTML {
			return homeLead(a, loc, dateLayout)
		},
		"latestList": func(list []*news.Article) template.HTML {
			return latestList(list, loc, dateLayout)
		},
		"tagCloud":    tagCloud,
		"tagList":     tagList,
		"articleNav":  articleNav,
		"authorBoxes": authorBoxes,
		"signupForm":  signupForm,
		"relatedStories": func(list []*news.Article) template.HTML {
			return relatedStories(list, loc, dateLayout)
		},
		"commentSection": func(a *news.Article, nodes []*CommentNode, replyTo *news.Comment, f CommentForm) template.HTML {
			return commentSection(a, nodes, replyTo, f, loc, dateLayout)
		},
		"pageStart": e.pageStart,
		"pageEnd":   e.pageEnd,
		"csrfField": func(token string) template.HTML {
			return template.HTML(`<input type="hidden" name="csrf" value="` + template.HTMLEscapeString(token) + `">`)
		},
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

func initials(name string) string {
	var out []rune
	words := strings.Fields(name)
	for i, w := range words {
		if i == 0 || i == len(words)-1 {
			out = append(out, []rune(strings.ToUpper(w))[0])
		}
	}
	return string(out)
}

// Snippet escapes a search snippet and turns the index's match markers
// (\x02 … \x03) into <mark> elements.
func Snippet(s string) template.HTML {
	s = template.HTMLEscapeString(s)
	s = strings.ReplaceAll(s, "\x02", "<mark>")
	s = strings.ReplaceAll(s, "\x03", "</mark>")
	// An unbalanced marker (a snippet cut mid-match) must not leave <mark> open.
	if strings.Count(s, "<mark>") != strings.Count(s, "</mark>") {
		s = strings.ReplaceAll(strings.ReplaceAll(s, "<mark>", ""), "</mark>", "")
	}
	return template.HTML(s)
}
