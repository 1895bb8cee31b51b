package newsroom

// The reader site's menus: the header's navigation and the footer's links.
// Each item is a section, a static page or a link of the newsroom's
// choosing. Editors and administrators arrange them, as they arrange the
// sections (WordPress gives menus to edit_theme_options, an
// administrator's; a newsroom's editors run its navigation day to day).
// Until the header menu is saved, the header lists the top-level sections.

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"masthead/internal/news"
	"masthead/internal/store"
)

// maxMenuItems bounds a menu: a header has room for a dozen at most.
const maxMenuItems = 30

// Menus returns the reader site's menus; anyone may read them.
func (s *Service) Menus(ctx context.Context) (news.Menus, error) {
	return s.store.Menus(ctx)
}

// MenuPage is a static page the menus may link to.
type MenuPage struct {
	ArticleID int64
	Title     string
	Path      string // "/page/about"
	Published bool
}

// MenuChoices is what the menus screen shows: the menus as they stand
// (the header as the site shows it when none is saved) and what may be
// added to them.
type MenuChoices struct {
	Header, Footer []news.MenuItem
	HeaderSaved    bool // false: the header lists the top-level sections
	Sections       []news.Section
	Pages          []MenuPage
}

func mayArrangeMenus(actor news.Actor) error {
	if !actor.Role.Can(news.PermEditAny) {
		return fmt.Errorf("%w: menus are arranged by editors", news.ErrForbidden)
	}
	return nil
}

// MenusToEdit returns the menus and what they may link to (editors and
// administrators).
func (s *Service) MenusToEdit(ctx context.Context, actor news.Actor) (MenuChoices, error) {
	if err := mayArrangeMenus(actor); err != nil {
		return MenuChoices{}, err
	}
	m, err := s.store.Menus(ctx)
	if err != nil {
		return MenuChoices{}, err
	}
	c := MenuChoices{Header: m.Header, Footer: m.Footer, HeaderSaved: m.Header != nil}
	if c.Sections, err = s.store.Sections(ctx); err != nil {
		return c, err
	}
	if !c.HeaderSaved {
		c.Header = news.SectionsMenu(c.Sections)
	}
	pages, err := s.store.Pages(ctx)
	if err != nil {
		return c, err
	}
	for _, pg := range pages {
		a, err := s.store.Article(ctx, pg.ArticleID)
		if err != nil {
			return c, err
		}
		c.Pages = append(c.Pages, MenuPage{ArticleID: a.ID, Title: a.Headline, Path: "/" + store.PagePath(pg.Slug), Published: a.IsPublic()})
	}
	return c, nil
}

// AddMenuItem adds an item at the end of a menu (editors and
// administrators). A section is named by its id; a page by its article's
// id, and takes the page's title unless given a label; a link needs a
// label and an address on this site or on the web. Field errors are keyed
// "label" and "url".
func (s *Service) AddMenuItem(ctx context.Context, actor news.Actor, menu news.Menu, it news.MenuItem) error {
	if err := mayArrangeMenus(actor); err != nil {
		return err
	}
	it.Label, it.URL = strings.Join(strings.Fields(it.Label), " "), strings.TrimSpace(it.URL)
	fe := news.FieldErrors{}
	if utf8.RuneCountInString(it.Label) > 60 {
		fe["label"] = "Keep the label under 60 characters: menus have little room."
	}
	switch it.Kind {
	case news.MenuSection:
		it.URL = ""
		secs, err := s.store.Sections(ctx)
		if err != nil {
			return err
		}
		if !containsSection(secs, it.ID) {
			fe["section"] = "Choose a section."
		}
	case news.MenuPage:
		pg, err := s.store.PageOf(ctx, it.ID)
		if err != nil {
			fe["page"] = "Choose a page."
			break
		}
		it.URL = "/" + store.PagePath(pg.Slug)
		if it.Label == "" {
			a, err := s.store.Article(ctx, it.ID)
			if err != nil {
				return err
			}
			it.Label = a.Headline
		}
	case news.MenuCustom:
		it.ID = 0
		if it.Label == "" {
			fe["label"] = "Give the link a label."
		}
		if !webAddress(it.URL) && !sitePath(it.URL) {
			fe["url"] = "Give an address on this site (/page/contact) or on the web (https://…)."
		}
	default:
		return news.FieldErrors{"kind": "Choose what to add: a section, a page or a link."}
	}
	if err := fe.Err(); err != nil {
		return err
	}
	return s.changeMenu(ctx, menu, func(items []news.MenuItem) ([]news.MenuItem, error) {
		if len(items) >= maxMenuItems {
			return nil, news.FieldErrors{"kind": fmt.Sprintf("A menu holds at most %d items; remove one first.", maxMenuItems)}
		}
		return append(items, it), nil
	})
}

// MoveMenuItem moves item i of a menu up (by -1) or down (by 1).
func (s *Service) MoveMenuItem(ctx context.Context, actor news.Actor, menu news.Menu, i, by int) error {
	if err := mayArrangeMenus(actor); err != nil {
		return err
	}
	return s.changeMenu(ctx, menu, func(items []news.MenuItem) ([]news.MenuItem, error) {
		j := i + by
		if i < 0 || i >= len(items) || j < 0 || j >= len(items) {
			return items, nil // already at the end, or moved away meanwhile
		}
		items[i], items[j] = items[j], items[i]
		return items, nil
	})
}

// RemoveMenuItem removes item i of a menu.
func (s *Service) RemoveMenuItem(ctx context.Context, actor news.Actor, menu news.Menu, i int) error {
	if err := mayArrangeMenus(actor); err != nil {
		return err
	}
	return s.changeMenu(ctx, menu, func(items []news.MenuItem) ([]news.MenuItem, error) {
		if i < 0 || i >= len(items) {
			return items, nil
		}
		return append(items[:i:i], items[i+1:]...), nil
	})
}

// ResetMenu forgets a saved menu: the header lists the top-level sections
// again, the footer has no menu.
func (s *Service) ResetMenu(ctx context.Context, actor news.Actor, menu news.Menu) error {
	if err := mayArrangeMenus(actor); err != nil {
		return err
	}
	if menu != news.HeaderMenu && menu != news.FooterMenu {
		return news.ErrNotFound
	}
	return s.store.SetMenu(ctx, menu, nil)
}

// changeMenu applies change to a menu as it is stored (the header as the
// site shows it when none is saved), in one transaction.
func (s *Service) changeMenu(ctx context.Context, menu news.Menu, change func([]news.MenuItem) ([]news.MenuItem, error)) error {
	if menu != news.HeaderMenu && menu != news.FooterMenu {
		return news.ErrNotFound
	}
	return s.store.Atomically(ctx, func(tx *store.Store) error {
		m, err := tx.Menus(ctx)
		if err != nil {
			return err
		}
		items := m.Footer
		if menu == news.HeaderMenu {
			items = m.Header
			if items == nil {
				secs, err := tx.Sections(ctx)
				if err != nil {
					return err
				}
				items = news.SectionsMenu(secs)
			}
		}
		items, err = change(items)
		if err != nil {
			return err
		}
		if items == nil {
			items = []news.MenuItem{}
		}
		return tx.SetMenu(ctx, menu, items)
	})
}

func containsSection(secs []news.Section, id int64) bool {
	for _, sec := range secs {
		if sec.ID == id {
			return true
		}
	}
	return false
}
