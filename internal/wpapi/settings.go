package wpapi

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"masthead/internal/news"
	"masthead/internal/newsroom"
)

// The site's settings (/wp/v2/settings) and the caller's own profile
// (POST /wp/v2/users/me), as WordPress shapes them. Settings are the
// administrators', as manage_options is WordPress's.

// settingsJSON is what WordPress's settings endpoint gives, for the
// settings Masthead has: the rest of WordPress's (posts_per_page,
// show_on_front …) have no meaning here and are left out.
type settingsJSON struct {
	Title                string `json:"title"`
	Description          string `json:"description"`
	URL                  string `json:"url"`
	Timezone             string `json:"timezone"`
	DateFormat           string `json:"date_format"`
	TimeFormat           string `json:"time_format"`
	StartOfWeek          int    `json:"start_of_week"`
	Language             string `json:"language"`
	DefaultCommentStatus string `json:"default_comment_status"`
	DefaultPingStatus    string `json:"default_ping_status"`
}

// timeFormat is how the site shows the time of day, 24-hour; the settings
// do not change it.
const timeFormat = "H:i"

func (s *Server) settingsOf(pub news.Publication, loc *time.Location) settingsJSON {
	status := "open"
	if pub.Comments.ClosedByDefault {
		status = "closed"
	}
	return settingsJSON{Title: pub.Name, Description: pub.Tagline, URL: s.cfg.BaseURL, Timezone: loc.String(),
		DateFormat: pub.DateStyle, TimeFormat: timeFormat, StartOfWeek: 1, Language: strings.ReplaceAll(pub.Language, "-", "_"),
		DefaultCommentStatus: status, DefaultPingStatus: "closed"}
}

// settingsError is WordPress's answer to a caller who may not manage the
// site: 401 to nobody, 403 to a member of staff.
func settingsError(u *news.Staff) *Error {
	if u == nil {
		return apiError(http.StatusUnauthorized, "rest_forbidden", "Sorry, you are not allowed to do that.")
	}
	return apiError(http.StatusForbidden, "rest_forbidden", "Sorry, you are not allowed to do that.")
}

func (s *Server) getSettings(r *http.Request) (*response, error) {
	u, err := s.user(r)
	if err != nil {
		return nil, err
	}
	pub, err := s.desk.SettingsToEdit(r.Context(), actorOf(u))
	if errors.Is(err, news.ErrForbidden) {
		return nil, settingsError(u)
	}
	if err != nil {
		return nil, err
	}
	return &response{body: s.settingsOf(pub, zone(r))}, nil
}

// settingsFields maps the service's field errors to WordPress's names.
var settingsFields = map[string]string{"name": "title", "tagline": "description", "language": "language", "timezone": "timezone", "date_style": "date_format"}

// updateSettings changes the settings a client sends, and only those, as
// WordPress does; what cannot change here (url, time_format,
// default_ping_status) is accepted when it is what the site has.
func (s *Server) updateSettings(r *http.Request) (*response, error) {
	u, err := s.user(r)
	if err != nil {
		return nil, err
	}
	pub, err := s.desk.SettingsToEdit(r.Context(), actorOf(u))
	if errors.Is(err, news.ErrForbidden) {
		return nil, settingsError(u)
	}
	if err != nil {
		return nil, err
	}
	p, err := readParams(nilWriter{}, r)
	if err != nil {
		return nil, err
	}
	for name, to := range map[string]*string{"title": &pub.Name, "description": &pub.Tagline, "timezone": &pub.TimeZone, "date_format": &pub.DateStyle} {
		if p.has(name) {
			*to = p.str(name)
		}
	}
	if p.has("language") {
		pub.Language = strings.ReplaceAll(p.str("language"), "_", "-")
	}
	if p.has("default_comment_status") {
		switch p.str("default_comment_status") {
		case "open", "closed":
			pub.Comments.ClosedByDefault = p.str("default_comment_status") == "closed"
		default:
			return nil, invalidParam("default_comment_status", "default_comment_status is not one of open and closed.")
		}
	}
	fixed := map[string]string{"url": s.cfg.BaseURL, "time_format": timeFormat, "default_ping_status": "closed"}
	for name, value := range fixed {
		if p.has(name) && strings.TrimRight(p.str(name), "/") != value {
			return nil, invalidParam(name, name+" cannot be changed here: it is "+value+".")
		}
	}
	if p.has("date_format") && !slices.ContainsFunc(news.DateStyles, func(d news.DateStyle) bool { return d.Format == pub.DateStyle }) {
		var formats []string
		for _, d := range news.DateStyles {
			formats = append(formats, d.Format)
		}
		return nil, invalidParam("date_format", "date_format is not one of "+strings.Join(formats, ", ")+".")
	}
	err = s.desk.UpdateSettings(r.Context(), actorOf(u), pub, nil)
	var fe news.FieldErrors
	if errors.As(err, &fe) {
		return nil, renamedFieldErrors(fe, settingsFields)
	}
	if err != nil {
		return nil, err
	}
	return &response{body: s.settingsOf(pub, s.desk.LocationOf(pub))}, nil
}

// renamedFieldErrors is WordPress's rest_invalid_param for the service's
// field errors, named as the client named them.
func renamedFieldErrors(fe news.FieldErrors, names map[string]string) *Error {
	params := map[string]string{}
	var keys []string
	for k, msg := range fe {
		if n, ok := names[k]; ok {
			k = n
		}
		params[k] = msg
		keys = append(keys, k)
	}
	slices.Sort(keys)
	e := apiError(http.StatusBadRequest, "rest_invalid_param", "Invalid parameter(s): "+strings.Join(keys, ", "))
	e.Data.Params = params
	return e
}

// meEditJSON is the caller's own account as WordPress gives it in the
// edit context: with their email and role.
type meEditJSON struct {
	userJSON
	Email string   `json:"email"`
	Roles []string `json:"roles"`
}

// wpRoles are WordPress's names for the roles.
var wpRoles = map[news.Role]string{news.RoleAdmin: "administrator", news.RoleEditor: "editor", news.RoleAuthor: "author", news.RoleContributor: "contributor"}

// profileFields maps the profile's field errors to WordPress's names.
var profileFields = map[string]string{"byline_name": "name", "bio": "description", "link_website": "url"}

// updateMe changes the caller's own name, bio (description) and website
// (url); what WordPress would also change here but the newsroom keeps
// elsewhere (email, password, roles, slug) is refused with where to do it.
func (s *Server) updateMe(r *http.Request) (*response, error) {
	u, err := s.staff(r)
	if err != nil {
		return nil, err
	}
	p, err := readParams(nilWriter{}, r)
	if err != nil {
		return nil, err
	}
	for _, name := range []string{"email", "password", "roles", "slug", "username"} {
		if p.has(name) {
			return nil, invalidParam(name, name+" is changed in the newsroom, on the Profile page (or by an administrator on Staff), not through the API.")
		}
	}
	prof := newsroom.Profile{Name: u.Name, JobTitle: u.JobTitle, Bio: u.Bio, PhotoURL: u.PhotoURL, Links: u.Links}
	if p.has("name") {
		prof.Name = p.str("name")
	}
	if p.has("description") {
		prof.Bio = p.str("description")
	}
	if p.has("url") {
		prof.Links.Website = p.str("url")
	}
	updated, err := s.desk.UpdateProfile(r.Context(), actorOf(u), prof)
	var fe news.FieldErrors
	if errors.As(err, &fe) {
		return nil, renamedFieldErrors(fe, profileFields)
	}
	if err != nil {
		return nil, err
	}
	return &response{body: meEditJSON{userJSON: s.userJSON(*updated), Email: updated.Email, Roles: []string{wpRoles[updated.Role]}}}, nil
}

// gmtOffset is a zone's offset from UTC now, in hours, as WordPress's
// gmt_offset gives it.
func gmtOffset(loc *time.Location) float64 {
	_, off := time.Now().In(loc).Zone()
	return float64(off) / 3600
}
