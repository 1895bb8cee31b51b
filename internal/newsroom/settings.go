package newsroom

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
	_ "time/tzdata" // every time zone the settings offer, whatever the machine has installed
	"unicode/utf8"

	"masthead/internal/media"
	"masthead/internal/news"
)

// Settings returns the site's settings: the newspaper's identity, how it
// shows dates, its comment policy, its publisher and its profiles
// elsewhere. Anyone may read them; they head every page.
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

// Location is the newsroom's time zone, in which pages show dates and
// new publications get their dated addresses: the one chosen in the
// settings, or, until one is, the server's (--timezone).
func (s *Service) Location(ctx context.Context) (*time.Location, error) {
	name, _, err := s.store.Setting(ctx, "site.timezone")
	if err != nil {
		return nil, err
	}
	return s.zone(name), nil
}

// LocationOf is the time zone of a site with settings pub (see Location).
func (s *Service) LocationOf(pub news.Publication) *time.Location { return s.zone(pub.TimeZone) }

// zone loads a time zone the settings name, falling back to the server's
// for none (or for one this machine no longer knows).
func (s *Service) zone(name string) *time.Location {
	if name == "" {
		return s.loc
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return s.loc
	}
	return loc
}

// NewSnapshot is how a new article starts in actor's editor: under their
// byline, with comments open or closed as the comment policy says.
func (s *Service) NewSnapshot(ctx context.Context, actor news.Actor) (news.Snapshot, error) {
	pub, err := s.store.Publication(ctx)
	if err != nil {
		return news.Snapshot{}, err
	}
	return news.Snapshot{CommentsOpen: !pub.Comments.ClosedByDefault, AuthorIDs: []int64{actor.ID}}, nil
}

// DefaultLocation is the server's time zone (--timezone), which the
// settings' time zone overrides once chosen.
func (s *Service) DefaultLocation() *time.Location { return s.loc }

// Settings images: each may be chosen from the media library (by its
// address) or uploaded with the form.
const (
	ImageLogo          = "logo"
	ImageIcon          = "icon"
	ImagePublisherLogo = "publisher_logo"
)

// UpdateSettings changes the site's settings (administrators only). The
// words are stored trimmed. uploads are images sent with the form, by the
// setting they are for (ImageLogo …); each is added to the media library
// and replaces the one chosen. Nothing is stored, not even an upload,
// unless everything else is right; field errors are keyed by form field.
func (s *Service) UpdateSettings(ctx context.Context, actor news.Actor, p news.Publication, uploads map[string]Upload) error {
	if !actor.Role.Can(news.PermSettings) {
		return news.ErrForbidden
	}
	p = tidyPublication(p)
	fe := s.checkPublication(ctx, p)
	for field := range uploads {
		if !slices.Contains([]string{ImageLogo, ImageIcon, ImagePublisherLogo}, field) {
			return fmt.Errorf("update settings: no image setting %q", field)
		}
		if s.library == nil {
			fe[field] = "This newsroom has no media library, so images cannot be uploaded."
		}
	}
	if err := fe.Err(); err != nil {
		return err
	}
	for field, up := range uploads {
		it, _, err := s.UploadImage(ctx, actor, up)
		var rej *media.RejectError
		if errors.As(err, &rej) {
			return news.FieldErrors{field: rej.Msg}
		}
		if err != nil {
			return err
		}
		u := imageURL(it, 640)
		switch field {
		case ImageLogo:
			p.LogoURL = u
		case ImageIcon:
			p.IconURL = imageURL(it, 180)
		case ImagePublisherLogo:
			p.Publisher.LogoURL = u
		}
	}
	if err := s.store.SetPublication(ctx, p); err != nil {
		return fmt.Errorf("update settings: %w", err)
	}
	return nil
}

// imageURL is the address of the smallest rendition of a library image
// at least minWidth pixels wide (the largest when none is), for a logo or
// an icon that is shown small.
func imageURL(it *media.Item, minWidth int) string {
	for _, v := range it.Variants {
		if v.Width >= minWidth {
			return v.URL()
		}
	}
	return it.LeadURL()
}

// SettingsImageChoice is a library image the settings offer as a logo or
// an icon, with the addresses each setting would use.
type SettingsImageChoice struct {
	Item             *media.Item
	LogoURL, IconURL string
}

// SettingsImages lists the library's newest images for the settings'
// logo and icon choices (administrators only); none without a library.
func (s *Service) SettingsImages(ctx context.Context, actor news.Actor) ([]SettingsImageChoice, error) {
	if !actor.Role.Can(news.PermSettings) {
		return nil, news.ErrForbidden
	}
	if s.library == nil {
		return nil, nil
	}
	items, _, err := s.store.ListMedia(ctx, media.Filter{Limit: 100})
	if err != nil {
		return nil, err
	}
	out := make([]SettingsImageChoice, len(items))
	for i, it := range items {
		out[i] = SettingsImageChoice{Item: it, LogoURL: imageURL(it, 640), IconURL: imageURL(it, 180)}
	}
	return out, nil
}

func tidyPublication(p news.Publication) news.Publication {
	trim := strings.TrimSpace
	p.Name, p.Tagline, p.Description, p.Language = trim(p.Name), trim(p.Tagline), trim(p.Description), trim(p.Language)
	p.LogoURL, p.IconURL, p.TimeZone, p.DateStyle = trim(p.LogoURL), trim(p.IconURL), trim(p.TimeZone), trim(p.DateStyle)
	if p.DateStyle == "" {
		p.DateStyle = news.DefaultDateStyle
	}
	if p.Comments.Moderation == "" {
		p.Comments.Moderation = news.ModerateFirst
	}
	pub := &p.Publisher
	pub.Name, pub.LogoURL = trim(pub.Name), trim(pub.LogoURL)
	pub.Address = trim(strings.ReplaceAll(pub.Address, "\r\n", "\n"))
	for _, pol := range pub.Policies() {
		*pol.Value = trim(*pol.Value)
	}
	var social []string
	for _, u := range p.Social {
		if u = trim(u); u != "" && !slices.Contains(social, u) {
			social = append(social, u)
		}
	}
	p.Social = social
	return p
}

// languageTag is the shape of a BCP 47 tag as feeds and <html lang> take
// it: "en", "en-GB", "sr-Latn".
var languageTag = regexp.MustCompile(`^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$`)

// maxSocialProfiles bounds the newspaper's profiles elsewhere.
const maxSocialProfiles = 20

// checkPublication says what is wrong with settings, by form field.
func (s *Service) checkPublication(ctx context.Context, p news.Publication) news.FieldErrors {
	fe := news.FieldErrors{}
	tooLong := func(field, value, what string, max int) {
		if utf8.RuneCountInString(value) > max {
			fe[field] = fmt.Sprintf("Keep %s under %d characters.", what, max)
		}
	}
	if p.Name == "" {
		fe["name"] = "Give the newspaper a name."
	}
	tooLong("name", p.Name, "the name", 200)
	tooLong("tagline", p.Tagline, "the tagline", 200)
	tooLong("description", p.Description, "the description", 1000)
	if !languageTag.MatchString(p.Language) {
		fe["language"] = "Give the language as a code such as en or en-GB."
	}
	for field, u := range map[string]string{ImageLogo: p.LogoURL, ImageIcon: p.IconURL, ImagePublisherLogo: p.Publisher.LogoURL} {
		if u != "" && !s.isLibraryImage(ctx, u) {
			fe[field] = "Choose an image from the media library, or upload one."
		}
	}
	if p.TimeZone != "" {
		if _, err := time.LoadLocation(p.TimeZone); err != nil || p.TimeZone == "Local" {
			fe["timezone"] = "Give a time zone by its name, such as Europe/London or America/New_York."
		}
	}
	if !slices.ContainsFunc(news.DateStyles, func(d news.DateStyle) bool { return d.Format == p.DateStyle }) {
		fe["date_style"] = "Choose one of the date styles."
	}
	if p.Comments.CloseAfterDays < 0 || p.Comments.CloseAfterDays > 3650 {
		fe["close_after_days"] = "Give a number of days from 0 (never close) to 3650."
	}
	if !slices.Contains([]news.Moderation{news.ModerateFirst, news.ModerateAll, news.ModerateNone}, p.Comments.Moderation) {
		fe["moderation"] = "Choose which comments wait for a moderator."
	}
	tooLong("publisher_name", p.Publisher.Name, "the organisation's name", 200)
	tooLong("publisher_address", p.Publisher.Address, "the address", 500)
	for _, pol := range p.Publisher.Policies() {
		if v := *pol.Value; v != "" && !webAddress(v) && !sitePath(v) {
			fe["policy_"+pol.Property] = "Give the policy's address: a page of this site (/page/ethics) or a web address starting with https://."
		}
	}
	if len(p.Social) > maxSocialProfiles {
		fe["social"] = fmt.Sprintf("List at most %d profiles.", maxSocialProfiles)
	}
	for _, u := range p.Social {
		if !webAddress(u) {
			fe["social"] = "Give each profile as a web address starting with https:// (" + truncate(u, 60) + " is not one), one a line."
			break
		}
	}
	return fe
}

// isLibraryImage reports whether u is the address of an image in the
// media library (an original or a variant).
func (s *Service) isLibraryImage(ctx context.Context, u string) bool {
	m := libraryImagePath.FindStringSubmatch(u)
	if m == nil || s.library == nil {
		return false
	}
	_, err := s.store.MediaByHash(ctx, m[1])
	return err == nil
}

// libraryImagePath is the address of a library image, named by the hash
// of its original (see media.Item.URL and media.Variant.URL).
var libraryImagePath = regexp.MustCompile(`^/media/lib/[0-9a-f]{2}/([0-9a-f]{64})(-\d+x\d+)?\.[a-z]{3,4}$`)

// webAddress reports whether u is an absolute http or https address with
// a host, as a link to another site must be.
func webAddress(u string) bool {
	if len(u) > 500 || strings.ContainsAny(u, " \t\n<>\"") {
		return false
	}
	p, err := url.Parse(u)
	return err == nil && (p.Scheme == "https" || p.Scheme == "http") && p.Host != "" && p.User == nil
}

// sitePath reports whether u is a path on this site ("/page/ethics"), not
// one a browser would take for another site ("//host", "/\host").
func sitePath(u string) bool {
	if len(u) > 500 || !strings.HasPrefix(u, "/") || strings.HasPrefix(u, "//") || strings.HasPrefix(u, `/\`) {
		return false
	}
	p, err := url.Parse(u)
	return err == nil && p.Scheme == "" && p.Host == "" && !strings.ContainsAny(u, " \t\n<>\"")
}
