package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"masthead/internal/news"
)

// Setting reads one site setting; ok is false when it was never set.
func (s *Store) Setting(ctx context.Context, key string) (value string, ok bool, err error) {
	err = s.queryRow(ctx, s.read, `SELECT value FROM settings WHERE key = ?`, key).Scan(&value)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("read setting %s: %w", key, err)
	}
	return value, true, nil
}

// SetSetting stores one site setting.
func (s *Store) SetSetting(ctx context.Context, key, value string) error {
	_, err := s.exec(ctx, s.write, `INSERT INTO settings (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	if err != nil {
		return fmt.Errorf("write setting %s: %w", key, err)
	}
	return nil
}

// SettingOrInit returns a setting, storing init() first if it was never set.
// Two instances racing here agree on whichever value was stored first.
func (s *Store) SettingOrInit(ctx context.Context, key string, init func() string) (string, error) {
	if _, err := s.exec(ctx, s.write, `INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`, key, init()); err != nil {
		return "", fmt.Errorf("init setting %s: %w", key, err)
	}
	v, _, err := s.Setting(ctx, key)
	return v, err
}

// publicationKeys maps each setting of the newspaper to where it is kept in
// a Publication. Every key starts with "site.", "comments." or
// "publisher.", which Publication reads in one query; none is a secret,
// so the settings triggers empty the page cache when one changes.
func publicationKeys(p *news.Publication) map[string]*string {
	keys := map[string]*string{
		"site.name": &p.Name, "site.tagline": &p.Tagline, "site.description": &p.Description, "site.language": &p.Language,
		"site.logo": &p.LogoURL, "site.icon": &p.IconURL, "site.timezone": &p.TimeZone, "site.date_format": &p.DateStyle,
		"publisher.name": &p.Publisher.Name, "publisher.logo": &p.Publisher.LogoURL, "publisher.address": &p.Publisher.Address,
	}
	for _, pol := range p.Publisher.Policies() {
		keys["publisher."+pol.Property] = pol.Value
	}
	return keys
}

// Publication reads the newspaper's identity from settings.
func (s *Store) Publication(ctx context.Context) (news.Publication, error) {
	rows, err := s.queryRows(ctx, s.read, `SELECT key, value FROM settings WHERE key LIKE 'site.%' OR key LIKE 'comments.%' OR key LIKE 'publisher.%'`)
	if err != nil {
		return news.Publication{}, fmt.Errorf("read publication: %w", err)
	}
	defer rows.Close()
	p := news.Publication{Name: "Masthead", Language: "en", DateStyle: news.DefaultDateStyle, Comments: news.CommentPolicy{Moderation: news.ModerateFirst}}
	keys := publicationKeys(&p)
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return p, err
		}
		if v == "" {
			continue // stored empty, as by a caller that set only some: the default
		}
		switch k {
		case "site.social":
			p.Social = strings.Fields(v)
		case "comments.closed_by_default":
			p.Comments.ClosedByDefault = v == "true"
		case "comments.close_after_days":
			p.Comments.CloseAfterDays, _ = strconv.Atoi(v)
		case "comments.moderation":
			p.Comments.Moderation = news.Moderation(v)
		default:
			if f, ok := keys[k]; ok {
				*f = v
			}
		}
	}
	return p, rows.Err()
}

// SetPublication stores the newspaper's identity, all of it or nothing.
func (s *Store) SetPublication(ctx context.Context, p news.Publication) error {
	values := map[string]string{
		"site.social":                strings.Join(p.Social, "\n"),
		"comments.closed_by_default": strconv.FormatBool(p.Comments.ClosedByDefault),
		"comments.close_after_days":  strconv.Itoa(p.Comments.CloseAfterDays),
		"comments.moderation":        string(p.Comments.Moderation),
	}
	for k, v := range publicationKeys(&p) {
		values[k] = *v
	}
	return s.Atomically(ctx, func(tx *Store) error {
		for k, v := range values {
			if err := tx.SetSetting(ctx, k, v); err != nil {
				return err
			}
		}
		return nil
	})
}

// Menus reads the reader site's menus; a menu never saved is nil.
func (s *Store) Menus(ctx context.Context) (news.Menus, error) {
	var m news.Menus
	for name, items := range map[news.Menu]*[]news.MenuItem{news.HeaderMenu: &m.Header, news.FooterMenu: &m.Footer} {
		v, ok, err := s.Setting(ctx, "menu."+string(name))
		if err != nil {
			return m, err
		}
		if !ok {
			continue
		}
		if err := json.Unmarshal([]byte(v), items); err != nil {
			return m, fmt.Errorf("read the %s menu: %w", name, err)
		}
		if *items == nil {
			*items = []news.MenuItem{} // saved empty: not the default
		}
	}
	return m, nil
}

// SetMenu stores one menu; nil forgets it, so the site shows its default.
func (s *Store) SetMenu(ctx context.Context, name news.Menu, items []news.MenuItem) error {
	key := "menu." + string(name)
	if items == nil {
		if _, err := s.exec(ctx, s.write, `DELETE FROM settings WHERE key = ?`, key); err != nil {
			return fmt.Errorf("forget the %s menu: %w", name, err)
		}
		return nil
	}
	b, err := json.Marshal(items)
	if err != nil {
		return err
	}
	return s.SetSetting(ctx, key, string(b))
}
