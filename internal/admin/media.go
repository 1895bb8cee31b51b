package admin

import (
	"context"
	"crypto/hmac"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"masthead/internal/edge"
	"masthead/internal/media"
	"masthead/internal/news"
	"masthead/internal/newsroom"
	"masthead/internal/render"
)

// The media library at /admin/media: upload images (a plain file form;
// admin.js adds drag and drop with progress), find them again, keep their
// alt text, caption and credit, and use one as an article's lead image.
//
// Choosing a lead image works without JavaScript and loses nothing typed:
// the editor's "Choose from the library" button posts the whole editor form
// to /admin/media/pick, which keeps it as the writer's autosave and opens
// the library for that article; "Use as lead image" writes the image's URL
// and words into that autosave and returns to the editor with it restored.
//
// Every member of staff may upload and use images; the uploader, editors and
// administrators may change an image's words. The newsroom service decides
// (Service.UploadImage, UpdateMediaText); these handlers only ask it.

const (
	mediaPerPage   = 24
	maxUploadFiles = 20        // files in one request
	uploadOverhead = 256 << 10 // the form's other fields and multipart framing
)

func init() {
	for k, v := range map[string]string{
		"uploaded":   "Uploaded. Describe the image (alt text) before an article uses it.",
		"exists":     "That image is already in the library, so it was not stored twice. Here it is.",
		"mediasaved": "Saved.",
		"leadimage":  "Lead image chosen. Check its alt text, then save the article.",
	} {
		flashes[k] = v
	}
}

var errNoLibrary = &edge.Error{Status: http.StatusNotFound, Message: "This newsroom has no media library set up."}

// mediaError tells the newsroom that it has no media library as a page
// of its own; other errors pass through.
func mediaError(err error) error {
	switch {
	case errors.Is(err, newsroom.ErrNoLibrary):
		return errNoLibrary
	case errors.Is(err, media.ErrUnavailable):
		return &edge.Error{Status: http.StatusServiceUnavailable,
			Message: "The media store cannot be reached just now, so nothing was saved. Try again in a few minutes."}
	}
	return err
}

// pick is the article a lead image is being chosen for; ArticleID 0 is a
// new article.
type pick struct {
	ArticleID int64
	Headline  string
}

// EditorURL is where the chosen image is taken back to.
func (p *pick) EditorURL() string {
	if p.ArticleID == 0 {
		return "/admin/articles/new"
	}
	return fmt.Sprintf("/admin/articles/%d", p.ArticleID)
}

// pickFor reads the article a lead image is being chosen for ("" for none)
// and checks the member of staff may edit it.
func (s *Server) pickFor(r *http.Request, v string) (*pick, error) {
	if v == "" {
		return nil, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id < 0 {
		return nil, edge.BadRequest("Unknown article.")
	}
	p := &pick{ArticleID: id}
	if id > 0 {
		a, err := s.desk.ArticleToChange(r.Context(), actor(r), id)
		if err != nil {
			return nil, err
		}
		p.Headline = a.Headline
	}
	return p, nil
}

// withPick adds the article being chosen for to a library URL.
func withPick(u string, p *pick) string {
	if p == nil {
		return u
	}
	sep := "?"
	if strings.Contains(u, "?") {
		sep = "&"
	}
	return u + sep + "article=" + strconv.FormatInt(p.ArticleID, 10)
}

type mediaPage struct {
	Layout           render.AdminLayout
	Query            string
	Items            []*media.Item
	Total            int
	Page, Pages      int
	PrevURL, NextURL string
	Pick             *pick
	MaxMB            int
}

func (s *Server) mediaLibrary(w http.ResponseWriter, r *http.Request) error {
	qs := r.URL.Query()
	query := truncate(strings.TrimSpace(qs.Get("q")), 200)
	page, _ := strconv.Atoi(qs.Get("page"))
	page = max(page, 1)
	items, total, err := s.desk.MediaLibrary(r.Context(), sessionFrom(r.Context()).Staff, media.Filter{Query: query, Limit: mediaPerPage, Offset: (page - 1) * mediaPerPage})
	if err != nil {
		return mediaError(err)
	}
	p, err := s.pickFor(r, qs.Get("article"))
	if err != nil {
		return err
	}
	if wantsJSON(r) {
		return s.libraryJSON(w, r, items, total, page)
	}
	data := mediaPage{Layout: s.layout(r, "Media", "media"), Query: query, Items: items, Total: total, Page: page,
		Pages: max(1, (total+mediaPerPage-1)/mediaPerPage), Pick: p, MaxMB: s.maxUpload() >> 20}
	pageURL := func(n int) string {
		v := url.Values{}
		if query != "" {
			v.Set("q", query)
		}
		if n > 1 {
			v.Set("page", strconv.Itoa(n))
		}
		u := "/admin/media"
		if len(v) > 0 {
			u += "?" + v.Encode()
		}
		return withPick(u, p)
	}
	if page > 1 {
		data.PrevURL = pageURL(page - 1)
	}
	if page < data.Pages {
		data.NextURL = pageURL(page + 1)
	}
	return s.page(w, http.StatusOK, "media", data)
}

func (s *Server) maxUpload() int {
	if s.cfg.MaxUploadBytes > 0 {
		return s.cfg.MaxUploadBytes
	}
	return media.MaxUploadBytes
}

// uploaded is one file of an upload, as the JSON answer reports it.
type uploaded struct {
	URL      string `json:"url"` // the item's page in the newsroom
	Existing bool   `json:"existing"`
	libraryImage
}

// libraryImage is an image as the visual editor inserts it: the URL an
// article shows (as for a lead image), a thumbnail, its words, and
// whether the writer may change them (the dialog then asks for a missing
// credit and saves it to the library, POST /admin/media/{id}).
type libraryImage struct {
	ID       int64  `json:"id"`
	Src      string `json:"src"`
	Thumb    string `json:"thumb"`
	Filename string `json:"filename"`
	Alt      string `json:"alt"`
	Caption  string `json:"caption"`
	Credit   string `json:"credit"`
	MayEdit  bool   `json:"may_edit"`
}

func (s *Server) imageFor(r *http.Request, it *media.Item) libraryImage {
	return libraryImage{ID: it.ID, Src: it.LeadURL(), Thumb: it.ThumbURL(), Filename: it.Filename, Alt: it.Alt, Caption: it.Caption, Credit: it.Credit,
		MayEdit: s.desk.MayEditMediaText(actor(r), it)}
}

// libraryJSON answers a page of the library to the visual editor's image
// dialog.
func (s *Server) libraryJSON(w http.ResponseWriter, r *http.Request, items []*media.Item, total, page int) error {
	list := make([]libraryImage, len(items))
	for i, it := range items {
		list[i] = s.imageFor(r, it)
	}
	return writeJSON(w, http.StatusOK, map[string]any{"items": list, "total": total, "page": page, "pages": max(1, (total+mediaPerPage-1)/mediaPerPage)})
}

func writeJSON(w http.ResponseWriter, status int, v any) error {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	return json.NewEncoder(w).Encode(v)
}

// mediaUpload takes images posted as multipart/form-data. It does its own
// session and CSRF checks rather than going through staff, whose form
// parsing caps a whole form at 4 MB and reads it at once: here the parts are
// read in order, the CSRF token (which the form puts before the files) is
// checked before a byte of a file is read, and only one file is held in
// memory at a time.
//
// A browser form gets a redirect to the new image (or to the library after
// several); a script that asks for JSON gets {"items": […]} or {"error": …}.
func (s *Server) mediaUpload(w http.ResponseWriter, r *http.Request) {
	sess := s.session(r)
	if sess == nil {
		s.fail(w, r, &edge.Error{Status: http.StatusUnauthorized, Message: "Your session has ended. Sign in again, then upload the image again."})
		return
	}
	r = r.WithContext(context.WithValue(r.Context(), sessionKey, sess))
	if !s.desk.HasMediaLibrary() {
		s.fail(w, r, errNoLibrary)
		return
	}
	done, p, err := s.receiveUploads(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if wantsJSON(r) {
		_ = writeJSON(w, http.StatusOK, map[string]any{"items": done})
		return
	}
	to := withPick("/admin/media?done=uploaded", p)
	if len(done) == 1 {
		to = done[0].URL
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

func (s *Server) receiveUploads(w http.ResponseWriter, r *http.Request) ([]uploaded, *pick, error) {
	ctx := r.Context()
	limit := s.maxUpload()
	// A large photo over a slow connection may take longer than the
	// server's usual read timeout.
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Now().Add(10 * time.Minute))
	_ = rc.SetWriteDeadline(time.Now().Add(11 * time.Minute))
	r.Body = http.MaxBytesReader(w, r.Body, int64(limit)*maxUploadFiles+uploadOverhead)
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, nil, edge.BadRequest("Upload images with the form on the media page.")
	}
	token := s.csrfToken(sessionFrom(ctx))
	csrfOK := false
	var p *pick
	var done []uploaded
	for len(done) < maxUploadFiles {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return done, p, readError(err, limit)
		}
		if part.FileName() == "" { // a plain field
			v, err := io.ReadAll(io.LimitReader(part, 1024))
			if err != nil {
				return done, p, readError(err, limit)
			}
			switch part.FormName() {
			case "csrf":
				csrfOK = hmac.Equal(v, []byte(token))
			case "article":
				if id, err := strconv.ParseInt(string(v), 10, 64); err == nil && id >= 0 {
					p = &pick{ArticleID: id}
				}
			}
			continue
		}
		if !csrfOK {
			return done, p, errForgedForm
		}
		data, err := io.ReadAll(io.LimitReader(part, int64(limit)+1))
		if err != nil {
			return done, p, readError(err, limit)
		}
		if len(data) > limit {
			return done, p, tooLarge(part.FileName(), limit)
		}
		it, existing, err := s.desk.UploadImage(ctx, actor(r), newsroom.Upload{Name: part.FileName(), Data: data})
		var rej *media.RejectError
		if errors.As(err, &rej) {
			return done, p, &edge.Error{Status: rej.Status, Message: media.CleanFilename(part.FileName()) + ": " + rej.Msg}
		}
		if err != nil {
			return done, p, mediaError(err)
		}
		flash := "uploaded"
		if existing {
			flash = "exists"
		}
		done = append(done, uploaded{URL: withPick(fmt.Sprintf("/admin/media/%d?done=%s", it.ID, flash), p), Existing: existing, libraryImage: s.imageFor(r, it)})
	}
	if !csrfOK {
		return nil, p, errForgedForm
	}
	if len(done) == 0 {
		return nil, p, edge.BadRequest("Choose an image to upload.")
	}
	return done, p, nil
}

var errForgedForm = &edge.Error{Status: http.StatusForbidden, Message: "This form had expired or did not come from the newsroom. Go back, reload the page and try again."}

func tooLarge(filename string, limit int) error {
	return &edge.Error{Status: http.StatusRequestEntityTooLarge, Message: fmt.Sprintf(
		"%s is larger than %s, the most the library takes. Export a smaller JPEG (a few megabytes is plenty for the web) and upload it again.",
		strings.TrimSpace("That file "+media.CleanFilename(filename)), sizeLabel(limit))}
}

// readError turns a failure to read the request into what to tell the uploader.
func readError(err error, limit int) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return tooLarge("", limit)
	}
	return edge.BadRequest("The upload was cut off before it finished. Try again.")
}

func sizeLabel(n int) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%d MB", n>>20)
	}
	return fmt.Sprintf("%d KB", n>>10)
}

// fieldErrorsText is the form's errors as one message, for a script to
// show.
func fieldErrorsText(fe news.FieldErrors) string {
	msgs := make([]string, 0, len(fe))
	for _, m := range fe {
		msgs = append(msgs, m)
	}
	slices.Sort(msgs)
	return strings.Join(msgs, " ")
}

// wantsJSON reports whether a script asked for JSON: its errors are
// answered as {"error": message} too (fail).
func wantsJSON(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "application/json")
}

type mediaItemPage struct {
	Layout  render.AdminLayout
	Item    *media.Item
	Srcset  string
	CanEdit bool
	Pick    *pick
	Form    newsroom.MediaText
	Errors  news.FieldErrors
}

func (s *Server) loadMedia(r *http.Request) (*media.Item, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	it, err := s.desk.MediaItem(r.Context(), sessionFrom(r.Context()).Staff, id)
	return it, mediaError(err)
}

func (s *Server) mediaShow(w http.ResponseWriter, r *http.Request) error {
	it, err := s.loadMedia(r)
	if err != nil {
		return err
	}
	p, err := s.pickFor(r, r.URL.Query().Get("article"))
	if err != nil {
		return err
	}
	return s.renderMediaItem(w, r, http.StatusOK, it, p, newsroom.MediaText{Alt: it.Alt, Caption: it.Caption, Credit: it.Credit}, nil)
}

func (s *Server) renderMediaItem(w http.ResponseWriter, r *http.Request, status int, it *media.Item, p *pick, form newsroom.MediaText, errs news.FieldErrors) error {
	title := it.Filename
	if title == "" {
		title = "Image"
	}
	data := mediaItemPage{Layout: s.layout(r, title, "media"), Item: it, Srcset: it.Srcset(), CanEdit: s.desk.MayEditMediaText(actor(r), it),
		Pick: p, Form: form, Errors: errs}
	return s.page(w, status, "media_item", data)
}

// mediaSave changes an image's alt text, caption and credit; with
// then=use it goes on to use the image as the lead of the article being
// chosen for. Asked for JSON (the visual editor's image dialog, saving the
// words given on inserting an image), it answers the image as the library
// JSON lists it, or {"error", "errors"}.
func (s *Server) mediaSave(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	p, err := s.pickFor(r, r.PostForm.Get("article"))
	if err != nil {
		return err
	}
	f := r.PostForm
	form := newsroom.MediaText{Alt: strings.TrimSpace(f.Get("alt")), Caption: strings.TrimSpace(f.Get("caption")), Credit: strings.TrimSpace(f.Get("credit"))}
	it, err := s.desk.UpdateMediaText(r.Context(), actor(r), id, form)
	var fe news.FieldErrors
	switch {
	case errors.As(err, &fe) && wantsJSON(r):
		return writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"error": fieldErrorsText(fe), "errors": fe})
	case errors.As(err, &fe):
		return s.renderMediaItem(w, r, http.StatusUnprocessableEntity, it, p, form, fe)
	case err != nil:
		return mediaError(err)
	case wantsJSON(r):
		return writeJSON(w, http.StatusOK, s.imageFor(r, it))
	}
	if p != nil && f.Get("then") == "use" {
		return s.useAsLead(w, r, it, p)
	}
	http.Redirect(w, r, withPick(fmt.Sprintf("/admin/media/%d?done=mediasaved", it.ID), p), http.StatusSeeOther)
	return nil
}

// mediaUse makes an image the lead image of the article being chosen for
// ("article"; 0 is a new article: the one being written, if any).
func (s *Server) mediaUse(w http.ResponseWriter, r *http.Request) error {
	it, err := s.loadMedia(r)
	if err != nil {
		return err
	}
	p, err := s.pickFor(r, r.PostForm.Get("article"))
	if err != nil {
		return err
	}
	if p == nil {
		return edge.BadRequest("Say which article the image is for.")
	}
	return s.useAsLead(w, r, it, p)
}

// useAsLead puts the image into the writer's working copy of the article
// (their autosave when it is newer than the article, else the article) and
// opens the editor with that copy restored, for them to check and save.
func (s *Server) useAsLead(w http.ResponseWriter, r *http.Request, it *media.Item, p *pick) error {
	if err := s.desk.UseAsLead(r.Context(), actor(r), p.ArticleID, it); err != nil {
		return err
	}
	http.Redirect(w, r, p.EditorURL()+"?restore=autosave&done=leadimage", http.StatusSeeOther)
	return nil
}

// mediaPick is where the editor's "Choose from the library" button posts
// the editor form: it is kept as the writer's autosave, and the library
// opens to choose for that article.
func (s *Server) mediaPick(w http.ResponseWriter, r *http.Request) error {
	if !s.desk.HasMediaLibrary() {
		return errNoLibrary
	}
	p, err := s.pickFor(r, r.URL.Query().Get("article"))
	if err != nil {
		return err
	}
	if p == nil {
		return edge.BadRequest("Unknown article.")
	}
	if _, err := s.desk.Autosave(r.Context(), actor(r), p.ArticleID, parseForm(r)); err != nil {
		return err
	}
	http.Redirect(w, r, withPick("/admin/media", p), http.StatusSeeOther)
	return nil
}
