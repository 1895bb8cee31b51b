package admin

import (
	"errors"
	"net/http"
	"strconv"

	"masthead/internal/news"
	"masthead/internal/newsroom"
	"masthead/internal/render"
)

// The menus screen: the reader site's header navigation and footer links,
// each a list of sections, static pages and links, reordered with "Move
// up" and "Move down" buttons (each its own small form, so it works
// without JavaScript). Editors and administrators (the service decides).

func init() {
	flashes["menu"] = "Menu saved. The site shows it at once."
	flashes["menureset"] = "Menu reset."
}

type menusPage struct {
	Layout   render.AdminLayout
	Menus    []menuBlock
	Sections []news.Section
	Pages    []newsroom.MenuPage
}

type menuBlock struct {
	Name        news.Menu
	Title, Hint string
	Saved       bool // false: the header shows the sections, the footer nothing
	Items       []menuRow
	Errors      news.FieldErrors // from adding to this menu
	Form        news.MenuItem    // what was typed, when adding failed
}

type menuRow struct {
	Index       int
	Label, What string
	URL         string
	Last        bool
}

func (s *Server) menus(w http.ResponseWriter, r *http.Request) error {
	return s.renderMenus(w, r, http.StatusOK, "", nil, news.MenuItem{})
}

// renderMenus shows the menus; failed, when set, is the menu an item could
// not be added to, with errs and what was typed.
func (s *Server) renderMenus(w http.ResponseWriter, r *http.Request, status int, failed news.Menu, errs news.FieldErrors, form news.MenuItem) error {
	c, err := s.desk.MenusToEdit(r.Context(), actor(r))
	if err != nil {
		return err
	}
	data := menusPage{Layout: s.layout(r, "Menus", "menus"), Sections: c.Sections, Pages: c.Pages}
	blocks := []menuBlock{
		{Name: news.HeaderMenu, Title: "Header menu", Hint: "The navigation under the newspaper's name, after Home.", Saved: c.HeaderSaved, Items: menuRows(c.Header, c.Sections)},
		{Name: news.FooterMenu, Title: "Footer menu", Hint: "Links at the foot of every page: About, Contact, your policies.", Saved: c.Footer != nil, Items: menuRows(c.Footer, c.Sections)},
	}
	for i := range blocks {
		if blocks[i].Name == failed {
			blocks[i].Errors, blocks[i].Form = errs, form
		}
	}
	data.Menus = blocks
	return s.page(w, status, "menus", data)
}

// menuRows describes a menu's items for the screen, a deleted section's
// included (the site leaves it out) so it can be removed.
func menuRows(items []news.MenuItem, sections []news.Section) []menuRow {
	rows := make([]menuRow, len(items))
	for i, it := range items {
		row := menuRow{Index: i, Label: it.Label, URL: it.URL, Last: i == len(items)-1}
		switch it.Kind {
		case news.MenuSection:
			row.What, row.Label = "section", "(a deleted section: not shown)"
			for _, sec := range sections {
				if sec.ID == it.ID {
					row.Label, row.URL = sec.Name, sec.URLPath()
					if it.Label != "" {
						row.Label = it.Label
					}
				}
			}
		case news.MenuPage:
			row.What = "page"
		default:
			row.What = "link"
		}
		rows[i] = row
	}
	return rows
}

func menuName(r *http.Request) (news.Menu, error) {
	m := news.Menu(r.PathValue("menu"))
	if m != news.HeaderMenu && m != news.FooterMenu {
		return "", news.ErrNotFound
	}
	return m, nil
}

func (s *Server) menuAdd(w http.ResponseWriter, r *http.Request) error {
	menu, err := menuName(r)
	if err != nil {
		return err
	}
	f := r.PostForm
	it := news.MenuItem{Kind: news.MenuKind(f.Get("kind")), Label: f.Get("label"), URL: f.Get("url")}
	it.ID, _ = strconv.ParseInt(f.Get("id"), 10, 64)
	err = s.desk.AddMenuItem(r.Context(), actor(r), menu, it)
	var fe news.FieldErrors
	if errors.As(err, &fe) {
		return s.renderMenus(w, r, http.StatusUnprocessableEntity, menu, fe, it)
	}
	if err != nil {
		return err
	}
	return menuSaved(w, r, menu, "menu")
}

func (s *Server) menuMove(w http.ResponseWriter, r *http.Request) error {
	menu, err := menuName(r)
	if err != nil {
		return err
	}
	i, err := strconv.Atoi(r.PathValue("index"))
	if err != nil {
		return news.ErrNotFound
	}
	by := 1
	if r.PostForm.Get("to") == "up" {
		by = -1
	}
	if err := s.desk.MoveMenuItem(r.Context(), actor(r), menu, i, by); err != nil {
		return err
	}
	return menuSaved(w, r, menu, "menu")
}

func (s *Server) menuRemove(w http.ResponseWriter, r *http.Request) error {
	menu, err := menuName(r)
	if err != nil {
		return err
	}
	i, err := strconv.Atoi(r.PathValue("index"))
	if err != nil {
		return news.ErrNotFound
	}
	if err := s.desk.RemoveMenuItem(r.Context(), actor(r), menu, i); err != nil {
		return err
	}
	return menuSaved(w, r, menu, "menu")
}

func (s *Server) menuReset(w http.ResponseWriter, r *http.Request) error {
	menu, err := menuName(r)
	if err != nil {
		return err
	}
	if err := s.desk.ResetMenu(r.Context(), actor(r), menu); err != nil {
		return err
	}
	return menuSaved(w, r, menu, "menureset")
}

// menuSaved returns to the menu just changed.
func menuSaved(w http.ResponseWriter, r *http.Request, menu news.Menu, flash string) error {
	http.Redirect(w, r, "/admin/menus?done="+flash+"#menu-"+string(menu), http.StatusSeeOther)
	return nil
}
