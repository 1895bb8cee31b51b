package newsroom

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"masthead/internal/news"
)

// Settings returns the site's settings: the newspaper's identity (its
// name, tagline, description and language). Anyone may read them; they
// head every page.
func (s *Service) Settings(ctx context.Context) (news.Publication, error) {
	return s.store.Publication(ctx)
}

// SettingsToEdit returns the site's settings for the settings screen
// (administrators only).
func (s *Service) SettingsToEdit(ctx context.Context, actor news.Actor) (news.Publication, error) {
	if !actor.Role.Can(news.PermSettings) {
		return news.Publication{}, news.ErrForbidden
	}
	return s.store.Publication(ctx)
}

// UpdateSettings changes the site's settings (administrators only). The
// words are stored trimmed.
func (s *Service) UpdateSettings(ctx context.Context, actor news.Actor, p news.Publication) error {
	if !actor.Role.Can(news.PermSettings) {
		return news.ErrForbidden
	}
	p = news.Publication{Name: strings.TrimSpace(p.Name), Tagline: strings.TrimSpace(p.Tagline),
		Description: strings.TrimSpace(p.Description), Language: strings.TrimSpace(p.Language)}
	if err := checkPublication(p); err != nil {
		return err
	}
	if err := s.store.SetPublication(ctx, p); err != nil {
		return fmt.Errorf("update settings: %w", err)
	}
	return nil
}

// languageTag is the shape of a BCP 47 tag as feeds and <html lang> take
// it: "en", "en-GB", "sr-Latn".
var languageTag = regexp.MustCompile(`^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$`)

func checkPublication(p news.Publication) error {
	fe := news.FieldErrors{}
	switch {
	case p.Name == "":
		fe["name"] = "Give the newspaper a name."
	case len([]rune(p.Name)) > 200:
		fe["name"] = "Keep the name under 200 characters."
	}
	if len([]rune(p.Tagline)) > 200 {
		fe["tagline"] = "Keep the tagline under 200 characters."
	}
	if len([]rune(p.Description)) > 1000 {
		fe["description"] = "Keep the description under 1000 characters."
	}
	if !languageTag.MatchString(p.Language) {
		fe["language"] = "Give the language as a code such as en or en-GB."
	}
	return fe.Err()
}
