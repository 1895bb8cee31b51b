// Package server assembles one Masthead site's HTTP handler from its
// surfaces: the reader site (web), the newsroom (admin), the WordPress REST
// API (wpapi), the fediverse's door (federation) and the media files. It
// is the one package that knows all the surfaces, so that they need not
// know each other; the command line (cli) builds a Server and serves it.
package server

import (
	"log/slog"
	"net/http"

	"masthead/internal/admin"
	"masthead/internal/fastpath"
	"masthead/internal/federation"
	"masthead/internal/media"
	"masthead/internal/newsroom"
	"masthead/internal/render"
	"masthead/internal/store"
	"masthead/internal/web"
	"masthead/internal/wpapi"
)

// Config is what the surfaces need to know about the site.
type Config struct {
	BaseURL      string      // the site's public URL
	TrustProxy   bool        // behind a reverse proxy
	Secret       []byte      // the site's signing key
	CommentLimit int         // reader comments one address may post per 10 minutes
	CacheBytes   int64       // the page cache's memory (negative: none)
	Media        media.Store // where images live
}

// Server is a site's HTTP handler and what serving it needs besides.
type Server struct {
	reader  *web.Server
	handler http.Handler
}

// New assembles the site.
func New(st *store.Store, desk *newsroom.Service, eng *render.Engine, log *slog.Logger, cfg Config) *Server {
	reader := web.New(st, desk, eng, log, web.Config{BaseURL: cfg.BaseURL, TrustProxy: cfg.TrustProxy,
		Secret: cfg.Secret, CacheBytes: cfg.CacheBytes})
	nr := admin.New(desk, eng, log, admin.Config{Secret: cfg.Secret, TrustProxy: cfg.TrustProxy})
	api := wpapi.New(desk, log, wpapi.Config{BaseURL: cfg.BaseURL, TrustProxy: cfg.TrustProxy})
	mux := http.NewServeMux()
	if cfg.Media != nil {
		mux.Handle("GET /media/{key...}", media.Handler(cfg.Media, log))
	}
	mux.Handle("/admin/", nr.Handler())
	mux.Handle("/wp-json/", api.Handler()) // outside the reader site's cross-origin protection: no cookies, Basic auth only
	site := reader.Handler()
	if desk.FederationOn() {
		site = federation.New(desk, log).Wrap(site)
	}
	mux.Handle("/", api.Discovery(site))
	return &Server{reader: reader, handler: mux}
}

// Handler answers every request of the site.
func (s *Server) Handler() http.Handler { return s.handler }

// CloseStreams ends the reader site's live blog streams, which would
// otherwise hold a shutdown until its deadline.
func (s *Server) CloseStreams() { s.reader.CloseStreams() }

// FastHit is the page-cache hit the fast path can answer r with, if any.
func (s *Server) FastHit(r *http.Request) (fastpath.Hit, bool) {
	body, etag, head, ok := s.reader.CachedAnswer(r)
	return fastpath.Hit{Body: body, ETag: etag, Head: head}, ok
}

// InternalError answers a request whose handler panicked, as the reader
// site's error page.
func (s *Server) InternalError(w http.ResponseWriter, r *http.Request) { s.reader.InternalError(w, r) }
