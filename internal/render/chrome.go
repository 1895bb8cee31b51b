package render

import (
	"html/template"
)

// Chrome is the navigation's items and the footer of the reader site's
// pages, rendered once from what they depend on — the site's settings,
// sections and menus, the year, and which section the page is in — rather
// than on every page: together they were a sixth of an uncached article's
// time. A Layout carrying one shows its parts; one without renders them
// ("nav" and "footer" in layout.html), to the same bytes.
type Chrome struct {
	year   int
	footer template.HTML
	nav    map[navKey]template.HTML
}

type navKey struct {
	current string
	home    bool
}

// Chrome renders the chrome of pages laid out as l: its site, sections,
// menus and year (its Current and IsHome are ignored). Build it when they
// change, not per page.
func (e *Engine) Chrome(l Layout) (*Chrome, error) {
	c := &Chrome{year: l.Year, nav: map[navKey]template.HTML{}}
	// Every section the navigation can highlight, and none.
	currents := []string{""}
	for _, link := range l.Header {
		if link.Section != "" {
			currents = append(currents, link.Section)
		}
	}
	for _, cur := range currents {
		for _, home := range []bool{false, true} {
			l.Current, l.IsHome = cur, home
			b, err := e.RenderPart("article", "nav", l)
			if err != nil {
				return nil, err
			}
			c.nav[navKey{cur, home}] = template.HTML(b)
		}
	}
	b, err := e.RenderPart("article", "footer", l)
	if err != nil {
		return nil, err
	}
	c.footer = template.HTML(b)
	return c, nil
}

// Year is the year the footer was rendered for: a page of another year
// needs another Chrome.
func (c *Chrome) Year() int { return c.year }

// Nav is the navigation's items, with current's marked as the section
// being read (a section the navigation does not link to marks none), and
// Home marked on the front page.
func (c *Chrome) Nav(current string, home bool) template.HTML {
	if h, ok := c.nav[navKey{current, home}]; ok {
		return h
	}
	return c.nav[navKey{"", home}]
}

// Footer is the page's footer.
func (c *Chrome) Footer() template.HTML { return c.footer }
