// Package federation is the fediverse's door into the site (ActivityPub):
// discovery (WebFinger, NodeInfo), actor and article documents (also by
// content negotiation on the reader site's author and article URLs) and
// the inboxes. Like the other surfaces it parses a request, calls one
// method of the newsroom service and renders the answer; the service
// verifies signatures, decides and stores.
package federation

import (
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"strings"

	"masthead/internal/activitypub"
	"masthead/internal/news"
	"masthead/internal/newsroom"
)

// maxInbox is the largest activity an inbox reads: real ones are a few
// kilobytes, an article with its HTML some tens. Larger is 413.
const maxInbox = 256 << 10

// Server answers the fediverse.
type Server struct {
	desk *newsroom.Service
	log  *slog.Logger
}

// New builds the surface.
func New(desk *newsroom.Service, log *slog.Logger) *Server {
	return &Server{desk: desk, log: log}
}

// Wrap answers federation's own routes and ActivityStreams requests for
// author and article pages, and hands everything else to site.
func (s *Server) Wrap(site http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/webfinger", s.webfinger)
	mux.HandleFunc("GET /.well-known/nodeinfo", s.nodeinfoLinks)
	mux.HandleFunc("GET /nodeinfo/2.1", s.nodeinfo)
	mux.HandleFunc("GET /ap/site", s.actor)
	mux.HandleFunc("GET /ap/staff/{id}", s.actor)
	mux.HandleFunc("GET /ap/site/{collection}", s.collection)
	mux.HandleFunc("GET /ap/staff/{id}/{collection}", s.collection)
	mux.HandleFunc("POST /ap/inbox", s.inbox)
	mux.HandleFunc("POST /ap/site/inbox", s.inbox)
	mux.HandleFunc("POST /ap/staff/{id}/inbox", s.inbox)
	mux.HandleFunc("GET /author/{slug}", s.negotiate(site, s.authorActor))
	mux.HandleFunc("GET /{year}/{month}/{day}/{slug}", s.negotiate(site, s.article))
	mux.Handle("/", site)
	return mux
}

// negotiate answers an ActivityStreams request with as2 and leaves a
// browser's to the reader site.
func (s *Server) negotiate(site http.Handler, as2 http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !activitypub.WantsActivity(r.Header.Get("Accept")) || !s.desk.Federating(r.Context()) {
			site.ServeHTTP(w, r)
			return
		}
		as2(w, r)
	}
}

func (s *Server) authorActor(w http.ResponseWriter, r *http.Request) {
	a, err := s.desk.FedActorBySlug(r.Context(), r.PathValue("slug"))
	s.respond(w, r, activitypub.ContentType, a, err)
}

func (s *Server) article(w http.ResponseWriter, r *http.Request) {
	path := strings.TrimPrefix(r.URL.Path, "/")
	o, err := s.desk.FedArticle(r.Context(), path)
	s.respond(w, r, activitypub.ContentType, o, err)
}

// staffID is the reporter a /ap/staff/{id} route names; 0 for /ap/site,
// -1 for nonsense.
func staffID(r *http.Request) int64 {
	v := r.PathValue("id")
	if v == "" {
		return 0
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return -1
	}
	return id
}

func (s *Server) actor(w http.ResponseWriter, r *http.Request) {
	id := staffID(r)
	if id < 0 {
		s.respond(w, r, "", nil, news.ErrNotFound)
		return
	}
	a, err := s.desk.FedActor(r.Context(), id)
	s.respond(w, r, activitypub.ContentType, a, err)
}

func (s *Server) collection(w http.ResponseWriter, r *http.Request) {
	id := staffID(r)
	if id < 0 {
		s.respond(w, r, "", nil, news.ErrNotFound)
		return
	}
	if r.PathValue("collection") == "outbox" {
		page := 0
		if v := r.URL.Query().Get("page"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 {
				s.respond(w, r, "", nil, news.ErrNotFound)
				return
			}
			page = n
		}
		o, err := s.desk.FedOutbox(r.Context(), id, page)
		s.respond(w, r, activitypub.ContentType, o, err)
		return
	}
	c, err := s.desk.FedCollection(r.Context(), id, r.PathValue("collection"))
	s.respond(w, r, activitypub.ContentType, c, err)
}

func (s *Server) webfinger(w http.ResponseWriter, r *http.Request) {
	resource := r.URL.Query().Get("resource")
	if resource == "" {
		http.Error(w, "Give the account to look up as ?resource=acct:name@host.", http.StatusBadRequest)
		return
	}
	wf, err := s.desk.WebFinger(r.Context(), resource)
	w.Header().Set("Access-Control-Allow-Origin", "*")
	s.respond(w, r, "application/jrd+json", wf, err)
}

func (s *Server) nodeinfoLinks(w http.ResponseWriter, r *http.Request) {
	href, err := s.desk.NodeInfoURL()
	links := map[string]any{"links": []map[string]string{{"rel": "http://nodeinfo.diaspora.software/ns/schema/2.1", "href": href}}}
	s.respond(w, r, "application/json", links, err)
}

func (s *Server) nodeinfo(w http.ResponseWriter, r *http.Request) {
	ni, err := s.desk.NodeInfo(r.Context())
	s.respond(w, r, `application/json; profile="http://nodeinfo.diaspora.software/ns/schema/2.1#"`, ni, err)
}

// inbox receives an activity. 202 Accepted: it was verified and taken.
func (s *Server) inbox(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxInbox))
	if err != nil {
		http.Error(w, "The activity is too large.", http.StatusRequestEntityTooLarge)
		return
	}
	err = s.desk.Receive(r.Context(), newsroom.InboxPost{Method: r.Method, Target: r.URL.RequestURI(), Host: r.Host, Header: r.Header, Body: body})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusAccepted)
}

// respond writes v as JSON, or the error.
func (s *Server) respond(w http.ResponseWriter, r *http.Request, contentType string, v any, err error) {
	if err != nil {
		s.fail(w, r, err)
		return
	}
	body, err := json.Marshal(v)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("X-Content-Type-Options", "nosniff") // remote text inside is never HTML to a browser
	h.Set("Cache-Control", "public, max-age=60")
	h.Add("Vary", "Accept")
	_, _ = w.Write(body)
}

// fail answers an error with its status and a short plain-text reason.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	var limited *newsroom.RateLimitError
	switch {
	case errors.Is(err, news.ErrNotFound):
		http.Error(w, "Not found.", http.StatusNotFound)
	case errors.Is(err, activitypub.ErrSignature):
		http.Error(w, "The request's HTTP signature is missing or does not verify.", http.StatusUnauthorized)
	case errors.As(err, &limited):
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(limited.Wait.Seconds()))))
		http.Error(w, "Too many activities from your server; try again later.", http.StatusTooManyRequests)
	case errors.Is(err, newsroom.ErrBlockedServer):
		http.Error(w, "This server does not take activities from yours.", http.StatusForbidden)
	case errors.Is(err, newsroom.ErrBadActivity):
		http.Error(w, "Not an activity this server understands.", http.StatusBadRequest)
	case errors.Is(err, news.ErrForbidden):
		http.Error(w, "Forbidden.", http.StatusForbidden)
	default:
		s.log.Error("federation", slog.String("path", r.URL.Path), slog.Any("err", err))
		http.Error(w, "Something went wrong on our side.", http.StatusInternalServerError)
	}
}
