package admin

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"masthead/internal/news"
	"masthead/internal/newsroom"
	"masthead/internal/render"
)

// The site's settings (administrators): the newspaper's name and words,
// logo and icon, time zone and date style, comment policy, the publisher
// details search engines are given, and its profiles elsewhere. One form,
// in fieldsets, sent as multipart so a logo or an icon can be uploaded
// with it.

type settingsPage struct {
	Layout render.AdminLayout
	Form   news.Publication // as stored, or as typed when a save failed
	Errors news.FieldErrors
	// Images offered for each image setting, by form field.
	Images      map[string][]imageOption
	DateStyles  []dateStyleOption
	Policies    []news.PublisherPolicy // the form's publisher policies
	Social      string                 // one profile a line
	DefaultZone string                 // the server's (--timezone)
	Zones       []string
	Federating  bool // shown with a link to the Fediverse screen, where it is switched
	HasMedia    bool
}

type imageOption struct {
	URL, Label string
	Selected   bool
}

type dateStyleOption struct {
	Format, Example string
}

// commonZones are offered as suggestions; any IANA name is taken.
var commonZones = []string{
	"UTC", "Europe/London", "Europe/Dublin", "Europe/Lisbon", "Europe/Paris", "Europe/Berlin", "Europe/Madrid", "Europe/Rome",
	"Europe/Amsterdam", "Europe/Brussels", "Europe/Stockholm", "Europe/Warsaw", "Europe/Athens", "Europe/Helsinki", "Europe/Kyiv",
	"Europe/Istanbul", "Africa/Lagos", "Africa/Nairobi", "Africa/Johannesburg", "Asia/Dubai", "Asia/Kolkata", "Asia/Singapore",
	"Asia/Hong_Kong", "Asia/Tokyo", "Australia/Sydney", "Pacific/Auckland", "America/St_Johns", "America/Halifax",
	"America/New_York", "America/Chicago", "America/Denver", "America/Phoenix", "America/Los_Angeles", "America/Anchorage",
	"Pacific/Honolulu", "America/Mexico_City", "America/Bogota", "America/Sao_Paulo", "America/Argentina/Buenos_Aires",
}

// settingsImageFields are the image settings, with the form's file field
// beside each choice.
var settingsImageFields = []string{newsroom.ImageLogo, newsroom.ImageIcon, newsroom.ImagePublisherLogo}

func (s *Server) settings(w http.ResponseWriter, r *http.Request) error {
	pub, err := s.desk.SettingsToEdit(r.Context(), actor(r))
	if err != nil {
		return err
	}
	return s.renderSettings(w, r, http.StatusOK, pub, nil)
}

func (s *Server) renderSettings(w http.ResponseWriter, r *http.Request, status int, form news.Publication, errs news.FieldErrors) error {
	choices, err := s.desk.SettingsImages(r.Context(), actor(r))
	if err != nil {
		return err
	}
	data := settingsPage{Layout: s.layout(r, "Settings", "settings"), Form: form, Errors: errs, Social: strings.Join(form.Social, "\n"),
		DefaultZone: s.desk.DefaultLocation().String(), Zones: commonZones, HasMedia: s.desk.HasMediaLibrary(), Images: map[string][]imageOption{}}
	data.Policies = data.Form.Publisher.Policies()
	data.Federating = s.desk.Federating(r.Context())
	example := time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)
	for _, d := range news.DateStyles {
		data.DateStyles = append(data.DateStyles, dateStyleOption{Format: d.Format, Example: example.Format(d.Layout)})
	}
	current := map[string]string{newsroom.ImageLogo: form.LogoURL, newsroom.ImageIcon: form.IconURL, newsroom.ImagePublisherLogo: form.Publisher.LogoURL}
	for _, field := range settingsImageFields {
		opts, listed := []imageOption{}, current[field] == ""
		for _, c := range choices {
			u := c.LogoURL
			if field == newsroom.ImageIcon {
				u = c.IconURL
			}
			label := c.Item.Filename
			if c.Item.Alt != "" {
				label += " — " + c.Item.Alt
			}
			label += fmt.Sprintf(" (%d×%d)", c.Item.Width, c.Item.Height)
			opts = append(opts, imageOption{URL: u, Label: label, Selected: u == current[field]})
			listed = listed || u == current[field]
		}
		if !listed { // older than the images offered, or typed
			opts = append([]imageOption{{URL: current[field], Label: "The current image", Selected: true}}, opts...)
		}
		data.Images[field] = opts
	}
	return s.page(w, status, "settings", data)
}

func (s *Server) settingsSave(w http.ResponseWriter, r *http.Request) error {
	f := r.PostForm
	form := news.Publication{Name: f.Get("name"), Tagline: f.Get("tagline"), Description: f.Get("description"), Language: f.Get("language"),
		LogoURL: f.Get(newsroom.ImageLogo), IconURL: f.Get(newsroom.ImageIcon), TimeZone: f.Get("timezone"), DateStyle: f.Get("date_style"),
		Comments:  news.CommentPolicy{ClosedByDefault: f.Get("comments_default") == "closed", Moderation: news.Moderation(f.Get("moderation"))},
		Publisher: news.Publisher{Name: f.Get("publisher_name"), LogoURL: f.Get(newsroom.ImagePublisherLogo), Address: f.Get("publisher_address")},
		Social:    strings.Fields(f.Get("social"))}
	for _, pol := range form.Publisher.Policies() {
		*pol.Value = f.Get("policy_" + pol.Property)
	}
	days := strings.TrimSpace(f.Get("close_after_days"))
	if days != "" {
		n, err := strconv.Atoi(days)
		if err != nil {
			n = -1 // the service explains
		}
		form.Comments.CloseAfterDays = n
	}
	uploads, err := settingsUploads(r)
	if err != nil {
		return err
	}
	err = s.desk.UpdateSettings(r.Context(), actor(r), form, uploads)
	var fe news.FieldErrors
	if errors.As(err, &fe) {
		return s.renderSettings(w, r, http.StatusUnprocessableEntity, form, fe)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/settings?done=saved", http.StatusSeeOther)
	return nil
}

// settingsUploads reads the images chosen in the form's file fields
// ("logo_file" …), by the setting they are for.
func settingsUploads(r *http.Request) (map[string]newsroom.Upload, error) {
	out := map[string]newsroom.Upload{}
	if r.MultipartForm == nil {
		return out, nil
	}
	for _, field := range settingsImageFields {
		files := r.MultipartForm.File[field+"_file"]
		if len(files) == 0 || files[0].Size == 0 {
			continue
		}
		fh := files[0]
		file, err := fh.Open()
		if err != nil {
			return nil, fmt.Errorf("read %s upload: %w", field, err)
		}
		data, err := io.ReadAll(file)
		file.Close()
		if err != nil {
			return nil, fmt.Errorf("read %s upload: %w", field, err)
		}
		out[field] = newsroom.Upload{Name: fh.Filename, Data: data}
	}
	return out, nil
}
