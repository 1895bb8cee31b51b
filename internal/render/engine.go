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
	"strings"
	"time"

	"masthead/internal/markup"
)

//go:embed templates static
var files embed.FS

// Engine renders pages and serves static assets.
type Engine struct {
	pages  map[string]*template.Template
	assets map[string]asset // by logical name ("site.css")
	byURL  map[string]asset // by fingerprinted name ("site.3f2a9c1b.css")
	loc    *time.Location
}

type asset struct {
	body        []byte
	contentType string
	url         string
}

// New parses every page template (with the layout and partials) and
// fingerprints the static files. loc is the newsroom's time zone, in which
// dates are shown.
func New(loc *time.Location) (*Engine, error) {
	e := &Engine{pages: map[string]*template.Template{}, assets: map[string]asset{}, byURL: map[string]asset{}, loc: loc}
	if err := e.loadAssets(); err != nil {
		return nil, err
	}
	// Two template sets: the reader site's pages ("article") and the
	// newsroom's ("admin/edit"), each with its own layout and partials.
	sets := []struct{ dir, prefix string }{{"templates", ""}, {"templates/admin", "admin/"}}
	for _, set := range sets {
		base, err := template.New("").Funcs(e.funcs()).ParseFS(files, set.dir+"/layout.html", set.dir+"/partials/*.html")
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
			e.pages[set.prefix+strings.TrimSuffix(path.Base(p), ".html")] = t
		}
	}
	return e, nil
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
		a := asset{body: body, contentType: mime.TypeByExtension(ext), url: "/static/" + hashed}
		e.assets[name] = a
		e.byURL[hashed] = a
		return nil
	})
}

// Render executes a page template with its data and returns the HTML.
func (e *Engine) Render(page string, data any) ([]byte, error) {
	t, ok := e.pages[page]
	if !ok {
		return nil, fmt.Errorf("render: no page %q", page)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
		return nil, fmt.Errorf("render %s: %w", page, err)
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
	w.Header().Set("Content-Type", a.contentType)
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Header().Set("ETag", `"`+strings.TrimSuffix(path.Base(a.url), path.Ext(a.url))+`"`)
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(a.body))
}

func (e *Engine) funcs() template.FuncMap {
	return template.FuncMap{
		"static": e.StaticURL,
		"date": func(t time.Time) string {
			return t.In(e.loc).Format("2 January 2006")
		},
		"datetime": func(t time.Time) string {
			return t.In(e.loc).Format("2 January 2006, 15:04 MST")
		},
		"iso": func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		// trusted marks HTML the markup package produced (already sanitised).
		"trusted": func(s string) template.HTML { return template.HTML(s) },
		"comment": func(s string) template.HTML { return template.HTML(markup.Comment(s)) },
		"jsonld":  func(s string) template.JS { return template.JS(s) },
		"add":     func(a, b int) int { return a + b },
		// sameSite reports whether a URL is a path on this site, which the
		// newsroom's img-src allows (browsers take "//host/…" and "/\host/…"
		// for another site).
		"sameSite": func(u string) bool {
			return strings.HasPrefix(u, "/") && !strings.HasPrefix(u, "//") && !strings.HasPrefix(u, `/\`)
		},
		"plural":   plural,
		"snippet":  Snippet,
		"initials": initials,
		// responsive gives an image's srcset and size: {{$r := responsive .LeadImage}}.
		"responsive": responsive,
		"csrfField": func(token string) template.HTML {
			return template.HTML(`<input type="hidden" name="csrf" value="` + template.HTMLEscapeString(token) + `">`)
		},
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
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
