// Package wpapi serves the WordPress REST API (/wp-json/wp/v2/) over a
// Masthead site, so tools written for WordPress — apps, scripts, the
// wpapi and WordPress clients of every language, syndication plugins —
// work unchanged.
//
// Routes: posts, pages, categories, tags, users, comments, media and
// search, with WordPress's parameters (page, per_page, search,
// categories, tags, author, status, slug, include, exclude, orderby,
// order, _embed, _fields), its paging headers (X-WP-Total,
// X-WP-TotalPages, Link), its response shapes (title.rendered, _links,
// _embedded …) and its error JSON ({"code", "message", "data":{"status"}}).
// GET /wp-json/ is the discovery index, and reader pages carry
// Link: <…/wp-json/>; rel="https://api.w.org/" (Discovery).
//
// Reading is public for what readers can see. Writing — creating and
// editing posts, uploading media, moderating and replying to comments,
// managing categories (sections) and tags —
// needs an application password (HTTP Basic: the member of staff's email
// or slug, and a password made on their profile page in the newsroom),
// and follows the newsroom's role rules: the editorial desk applies them
// exactly as for the admin. Application passwords are stored as SHA-256
// hashes and can be revoked; a password change or "sign out everywhere"
// revokes them all, and failed attempts are throttled per client address
// with the newsroom's sign-ins.
//
// Cookies play no part here, so the API needs no CSRF defence and is
// mounted outside the reader site's cross-origin protection. It never
// answers with WWW-Authenticate, so browsers never remember and replay
// Basic credentials on their own.
package wpapi

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"masthead/internal/edge"
	"masthead/internal/media"
	"masthead/internal/news"
	"masthead/internal/newsroom"
)

// Config is the API's share of Masthead's configuration.
type Config struct {
	BaseURL    string // the site's public URL, no trailing slash
	TrustProxy bool
}

// Server serves the API.
type Server struct {
	desk *newsroom.Service
	log  *slog.Logger
	cfg  Config
}

// New builds the API over a site's newsroom service: the API reaches the
// site only through it, so every rule and permission the newsroom screens
// follow holds here too.
func New(desk *newsroom.Service, log *slog.Logger, cfg Config) *Server {
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	return &Server{desk: desk, log: log, cfg: cfg}
}

// Handler serves everything under /wp-json/.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	h := func(pattern string, fn handlerFunc) { mux.Handle(pattern, s.adapt(fn)) }
	h("GET /wp-json/{$}", s.index)
	h("GET /wp-json/wp/v2/{$}", s.index)
	h("GET /wp-json/wp/v2/posts", s.listArticles(false))
	h("POST /wp-json/wp/v2/posts", s.createArticle(false))
	h("GET /wp-json/wp/v2/posts/{id}", s.getArticle(false))
	h("POST /wp-json/wp/v2/posts/{id}", s.updateArticle(false))
	h("PUT /wp-json/wp/v2/posts/{id}", s.updateArticle(false))
	h("PATCH /wp-json/wp/v2/posts/{id}", s.updateArticle(false))
	h("GET /wp-json/wp/v2/pages", s.listArticles(true))
	h("POST /wp-json/wp/v2/pages", s.createArticle(true))
	h("GET /wp-json/wp/v2/pages/{id}", s.getArticle(true))
	h("POST /wp-json/wp/v2/pages/{id}", s.updateArticle(true))
	h("PUT /wp-json/wp/v2/pages/{id}", s.updateArticle(true))
	h("PATCH /wp-json/wp/v2/pages/{id}", s.updateArticle(true))
	h("GET /wp-json/wp/v2/categories", s.listCategories)
	h("POST /wp-json/wp/v2/categories", s.createCategory)
	h("GET /wp-json/wp/v2/categories/{id}", s.getCategory)
	h("POST /wp-json/wp/v2/categories/{id}", s.updateCategory)
	h("PUT /wp-json/wp/v2/categories/{id}", s.updateCategory)
	h("PATCH /wp-json/wp/v2/categories/{id}", s.updateCategory)
	h("DELETE /wp-json/wp/v2/categories/{id}", s.deleteCategory)
	h("GET /wp-json/wp/v2/tags", s.listTags)
	h("POST /wp-json/wp/v2/tags", s.createTag)
	h("GET /wp-json/wp/v2/tags/{id}", s.getTag)
	h("POST /wp-json/wp/v2/tags/{id}", s.updateTag)
	h("PUT /wp-json/wp/v2/tags/{id}", s.updateTag)
	h("PATCH /wp-json/wp/v2/tags/{id}", s.updateTag)
	h("DELETE /wp-json/wp/v2/tags/{id}", s.deleteTag)
	h("GET /wp-json/wp/v2/users", s.listUsers)
	h("GET /wp-json/wp/v2/users/me", s.me)
	h("POST /wp-json/wp/v2/users/me", s.updateMe)
	h("PUT /wp-json/wp/v2/users/me", s.updateMe)
	h("PATCH /wp-json/wp/v2/users/me", s.updateMe)
	h("GET /wp-json/wp/v2/users/{id}", s.getUser)
	h("GET /wp-json/wp/v2/comments", s.listComments)
	h("POST /wp-json/wp/v2/comments", s.createComment)
	h("GET /wp-json/wp/v2/comments/{id}", s.getComment)
	h("POST /wp-json/wp/v2/comments/{id}", s.updateComment)
	h("GET /wp-json/wp/v2/media", s.listMedia)
	h("POST /wp-json/wp/v2/media", s.upload)
	h("GET /wp-json/wp/v2/media/{id}", s.getMedia)
	h("POST /wp-json/wp/v2/media/{id}", s.updateMedia)
	h("GET /wp-json/wp/v2/search", s.search)
	h("GET /wp-json/wp/v2/settings", s.getSettings)
	h("POST /wp-json/wp/v2/settings", s.updateSettings)
	h("PUT /wp-json/wp/v2/settings", s.updateSettings)
	h("PATCH /wp-json/wp/v2/settings", s.updateSettings)
	mux.HandleFunc("OPTIONS /wp-json/", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	mux.Handle("/wp-json/", s.adapt(func(r *http.Request) (*response, error) {
		return nil, apiError(http.StatusNotFound, "rest_no_route", "No route was found matching the URL and request method.")
	}))
	return s.headers(mux)
}

// Discovery adds WordPress's API discovery header to every page of the
// reader site, as WordPress does (clients find the API from the site's
// address: wpapi's WPAPI.discover).
func (s *Server) Discovery(next http.Handler) http.Handler {
	link := "<" + s.cfg.BaseURL + "/wp-json/>; rel=\"https://api.w.org/\""
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			w.Header().Add("Link", link)
		}
		next.ServeHTTP(w, r)
	})
}

// headers: security headers, and CORS so browser clients on other sites
// can read (credentials travel only in the Authorization header).
func (s *Server) headers(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("Access-Control-Allow-Origin", "*")
		h.Set("Access-Control-Allow-Methods", "OPTIONS, GET, POST, PUT, PATCH, DELETE")
		h.Set("Access-Control-Allow-Headers", "Authorization, X-WP-Nonce, Content-Disposition, Content-MD5, Content-Type")
		h.Set("Access-Control-Expose-Headers", "X-WP-Total, X-WP-TotalPages, Link")
		h.Set("Cache-Control", "no-store")
		if edge.IsHTTPS(r, s.cfg.TrustProxy) {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}

// response is a handler's result: JSON to send, and paging.
type response struct {
	status int
	body   any
	total  int // with pages > 0: X-WP-Total and X-WP-TotalPages
	pages  int
	page   int
	header http.Header
}

type handlerFunc func(r *http.Request) (*response, error)

// Error is WordPress's error body.
type Error struct {
	Code    string    `json:"code"`
	Message string    `json:"message"`
	Data    errorData `json:"data"`
}

type errorData struct {
	Status int               `json:"status"`
	Params map[string]string `json:"params,omitempty"`
	TermID int64             `json:"term_id,omitempty"` // term_exists: the term that has the name
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

func apiError(status int, code, msg string) *Error {
	return &Error{Code: code, Message: msg, Data: errorData{Status: status}}
}

func invalidParam(name, msg string) *Error {
	e := apiError(http.StatusBadRequest, "rest_invalid_param", "Invalid parameter(s): "+name)
	e.Data.Params = map[string]string{name: msg}
	return e
}

// adapt turns a handler's result into JSON, with _fields and paging
// applied, and its error into WordPress's error body.
func (s *Server) adapt(fn handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The site's time zone, once for the request: WordPress's local
		// dates are in it, and so are the dates clients send.
		loc, err := s.desk.Location(r.Context())
		if err != nil {
			s.fail(w, r, err)
			return
		}
		r = r.WithContext(context.WithValue(r.Context(), zoneKey{}, loc))
		res, err := fn(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for k, v := range res.header {
			w.Header()[k] = v
		}
		if res.pages > 0 || res.total > 0 {
			s.paging(w, r, res)
		}
		body, err := json.Marshal(res.body)
		if err == nil {
			body, err = fields(body, r.URL.Query().Get("_fields"))
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=UTF-8")
		if res.status == 0 {
			res.status = http.StatusOK
		}
		w.WriteHeader(res.status)
		_, _ = w.Write(body)
	})
}

func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	var e *Error
	var fe news.FieldErrors
	var rej *media.RejectError
	var te *newsroom.ThrottledError
	switch {
	case errors.As(err, &e):
	case errors.As(err, &te):
		w.Header().Set("Retry-After", strconv.Itoa(int(te.RetryAfter.Seconds())+1))
		e = apiError(http.StatusTooManyRequests, "rest_too_many_requests", te.Message)
	case errors.Is(err, news.ErrNotFound):
		e = apiError(http.StatusNotFound, "rest_not_found", "Not found.")
	case errors.Is(err, news.ErrForbidden):
		e = apiError(http.StatusForbidden, "rest_forbidden", "Sorry, you are not allowed to do that. "+strings.TrimPrefix(err.Error(), "forbidden: "))
	case errors.Is(err, news.ErrStale):
		e = apiError(http.StatusConflict, "rest_conflict", "The post was changed by someone else; load it again.")
	case errors.As(err, &fe):
		e = apiError(http.StatusBadRequest, "rest_invalid_param", fe.Error())
		e.Data.Params = fe
	case errors.As(err, &rej):
		e = apiError(rej.Status, "rest_upload_rejected", rej.Msg)
	case errors.Is(r.Context().Err(), context.Canceled):
		return
	default:
		s.log.ErrorContext(r.Context(), "REST API request failed", slog.String("path", r.URL.Path), slog.Any("err", err))
		e = apiError(http.StatusInternalServerError, "rest_internal_error", "Something went wrong.")
	}
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(e.Data.Status)
	_ = json.NewEncoder(w).Encode(e)
}

// paging sets WordPress's paging headers.
func (s *Server) paging(w http.ResponseWriter, r *http.Request, res *response) {
	h := w.Header()
	h.Set("X-WP-Total", strconv.Itoa(res.total))
	h.Set("X-WP-TotalPages", strconv.Itoa(res.pages))
	link := func(page int, rel string) {
		q := r.URL.Query()
		q.Set("page", strconv.Itoa(page))
		h.Add("Link", fmt.Sprintf("<%s%s?%s>; rel=\"%s\"", s.cfg.BaseURL, r.URL.Path, q.Encode(), rel))
	}
	if res.page > 1 && res.page <= res.pages+1 {
		link(res.page-1, "prev")
	}
	if res.page < res.pages {
		link(res.page+1, "next")
	}
}

// fields keeps only the top-level fields _fields names ("title,link" or
// "title.rendered", which keeps title).
func fields(body []byte, list string) ([]byte, error) {
	if strings.TrimSpace(list) == "" {
		return body, nil
	}
	keep := map[string]bool{}
	for _, f := range strings.Split(list, ",") {
		f, _, _ = strings.Cut(strings.TrimSpace(f), ".")
		keep[f] = true
	}
	filter := func(raw json.RawMessage) (json.RawMessage, error) {
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(raw, &obj); err != nil {
			return raw, nil // not an object
		}
		for k := range obj {
			if !keep[k] {
				delete(obj, k)
			}
		}
		return json.Marshal(obj)
	}
	if len(body) > 0 && body[0] == '[' {
		var arr []json.RawMessage
		if err := json.Unmarshal(body, &arr); err != nil {
			return nil, err
		}
		for i := range arr {
			var err error
			if arr[i], err = filter(arr[i]); err != nil {
				return nil, err
			}
		}
		return json.Marshal(arr)
	}
	out, err := filter(body)
	return out, err
}

// ---- authentication

type userKey struct{}

// zoneKey holds the site's time zone for the request (see adapt).
type zoneKey struct{}

// zone is the site's time zone, which the request's dates are in.
func zone(r *http.Request) *time.Location {
	if loc, ok := r.Context().Value(zoneKey{}).(*time.Location); ok {
		return loc
	}
	return time.UTC
}

// user is the member of staff an application password authenticates, or
// nil for an anonymous request. A wrong password is an error, never
// silently anonymous.
func (s *Server) user(r *http.Request) (*news.Staff, error) {
	if u, ok := r.Context().Value(userKey{}).(*news.Staff); ok {
		return u, nil
	}
	h := r.Header.Get("Authorization")
	if h == "" {
		return nil, nil
	}
	scheme, cred, _ := strings.Cut(h, " ")
	if !strings.EqualFold(scheme, "Basic") {
		return nil, apiError(http.StatusUnauthorized, "rest_unsupported_auth", "Use HTTP Basic authentication with an application password.")
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(cred))
	if err != nil {
		return nil, apiError(http.StatusUnauthorized, "incorrect_password", "The provided password is an invalid application password.")
	}
	name, pw, _ := strings.Cut(string(raw), ":")
	u, err := s.desk.AuthenticateAppPassword(r.Context(), name, pw, edge.ClientIP(r, s.cfg.TrustProxy))
	switch {
	case errors.Is(err, newsroom.ErrBadCredentials):
		// One answer for an unknown user and a wrong password, so it never
		// tells whether an account exists.
		return nil, apiError(http.StatusUnauthorized, "incorrect_password", "The provided password is an invalid application password.")
	case err != nil:
		return nil, err
	}
	*r = *r.WithContext(context.WithValue(r.Context(), userKey{}, u))
	return u, nil
}

// staff is user, insisting on someone.
func (s *Server) staff(r *http.Request) (*news.Staff, error) {
	u, err := s.user(r)
	if err == nil && u == nil {
		err = apiError(http.StatusUnauthorized, "rest_not_logged_in", "You are not currently logged in: use an application password.")
	}
	return u, err
}

// ---- parameters

// query reads the request's parameters: the query string, and for a
// form-encoded or JSON body, its fields too (body wins).
type params struct {
	q    url.Values
	json map[string]json.RawMessage
}

func (p params) str(name string) string {
	if raw, ok := p.json[name]; ok {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return s
		}
		var obj struct {
			Raw      *string `json:"raw"`
			Rendered *string `json:"rendered"`
		}
		if json.Unmarshal(raw, &obj) == nil {
			if obj.Raw != nil {
				return *obj.Raw
			}
			if obj.Rendered != nil {
				return *obj.Rendered
			}
		}
		var n json.Number
		if json.Unmarshal(raw, &n) == nil {
			return n.String()
		}
		var b bool
		if json.Unmarshal(raw, &b) == nil {
			return strconv.FormatBool(b)
		}
		return ""
	}
	return p.q.Get(name)
}

func (p params) has(name string) bool {
	_, ok := p.json[name]
	return ok || p.q.Has(name) || p.q.Has(name+"[]")
}

// ids reads a list of ids: 1,2,3 or [1,2,3] or ids[]=1&ids[]=2.
func (p params) ids(name string) ([]int64, error) {
	var parts []string
	if raw, ok := p.json[name]; ok {
		var list []json.Number
		if json.Unmarshal(raw, &list) == nil {
			for _, n := range list {
				parts = append(parts, n.String())
			}
		} else {
			parts = strings.Split(p.str(name), ",")
		}
	} else {
		for _, v := range append(p.q[name], p.q[name+"[]"]...) {
			parts = append(parts, strings.Split(v, ",")...)
		}
	}
	var out []int64
	for _, s := range parts {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id < 0 {
			return nil, invalidParam(name, name+" is not a list of ids.")
		}
		out = append(out, id)
	}
	return out, nil
}

func (p params) list(name string) []string {
	var out []string
	for _, v := range append(p.q[name], p.q[name+"[]"]...) {
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	}
	if s := p.str(name); len(out) == 0 && s != "" {
		out = strings.Split(s, ",")
	}
	return out
}

// readParams parses the query and any JSON or form body (at most 4 MB).
func readParams(w http.ResponseWriter, r *http.Request) (params, error) {
	p := params{q: r.URL.Query()}
	if r.Method == http.MethodGet || r.Body == nil {
		return p, nil
	}
	ct := r.Header.Get("Content-Type")
	r.Body = http.MaxBytesReader(w, r.Body, 4<<20)
	switch {
	case strings.HasPrefix(ct, "application/json"):
		if err := json.NewDecoder(r.Body).Decode(&p.json); err != nil {
			return p, apiError(http.StatusBadRequest, "rest_invalid_json", "Invalid JSON body passed.")
		}
	case strings.HasPrefix(ct, "application/x-www-form-urlencoded"):
		if err := r.ParseForm(); err != nil {
			return p, apiError(http.StatusBadRequest, "rest_invalid_param", "The form body could not be read.")
		}
		for k, v := range r.PostForm {
			p.q[k] = v
		}
	}
	return p, nil
}

// paging reads page and per_page.
func (p params) paging() (page, perPage int, err error) {
	page, perPage = 1, 10
	if v := p.q.Get("page"); v != "" {
		if page, err = strconv.Atoi(v); err != nil || page < 1 {
			return 0, 0, invalidParam("page", "page must be greater than or equal to 1")
		}
	}
	if v := p.q.Get("per_page"); v != "" {
		if perPage, err = strconv.Atoi(v); err != nil || perPage < 1 || perPage > 100 {
			return 0, 0, invalidParam("per_page", "per_page must be between 1 (inclusive) and 100 (inclusive)")
		}
	}
	return page, perPage, nil
}

func pageCount(total, perPage int) int { return (total + perPage - 1) / perPage }

// pathID reads the {id} of the route.
func pathID(r *http.Request, code string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, apiError(http.StatusNotFound, code, "Invalid ID.")
	}
	return id, nil
}

// ---- dates and links

// wpDate formats a time as WordPress does: local (in the site's time
// zone, loc) without an offset, and UTC.
func (s *Server) wpDate(loc *time.Location, t time.Time) (local, gmt *string) {
	if t.IsZero() {
		return nil, nil
	}
	l, g := t.In(loc).Format("2006-01-02T15:04:05"), t.UTC().Format("2006-01-02T15:04:05")
	return &l, &g
}

func (s *Server) abs(path string) string {
	if strings.HasPrefix(path, "/") && !strings.HasPrefix(path, "//") {
		return s.cfg.BaseURL + path
	}
	return path
}

func (s *Server) api(path string) string { return s.cfg.BaseURL + "/wp-json/wp/v2/" + path }

type link struct {
	Href       string `json:"href"`
	Embeddable bool   `json:"embeddable,omitempty"`
	Taxonomy   string `json:"taxonomy,omitempty"`
}

type rendered struct {
	Rendered  string `json:"rendered"`
	Raw       string `json:"raw,omitempty"`
	Protected *bool  `json:"protected,omitempty"`
}
