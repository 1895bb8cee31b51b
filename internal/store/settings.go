package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

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

// Publication reads the newspaper's identity from settings.
func (s *Store) Publication(ctx context.Context) (news.Publication, error) {
	rows, err := s.queryRows(ctx, s.read, `SELECT key, value FROM settings WHERE key IN ('site.name', 'site.tagline', 'site.description', 'site.language')`)
	if err != nil {
		return news.Publication{}, fmt.Errorf("read publication: %w", err)
	}
	defer rows.Close()
	p := news.Publication{Name: "Masthead", Language: "en"}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return p, err
		}
		switch k {
		case "site.name":
			p.Name = v
		case "site.tagline":
			p.Tagline = v
		case "site.description":
			p.Description = v
		case "site.language":
			p.Language = v
		}
	}
	return p, rows.Err()
}

// SetPublication stores the newspaper's identity.
func (s *Store) SetPublication(ctx context.Context, p news.Publication) error {
	for k, v := range map[string]string{"site.name": p.Name, "site.tagline": p.Tagline, "site.description": p.Description, "site.language": p.Language} {
		if err := s.SetSetting(ctx, k, v); err != nil {
			return err
		}
	}
	return nil
}
