// Package web is the public reader site: the front page, articles with
// comments, section/tag/author listings, search, feeds, sitemaps and the
// SEO metadata that goes with them.
//
// Handlers are small: parse the request, ask the store, build a typed page
// value and hand it to the render engine. Every page goes out through one
// writer (respond.go) that adds validators, compression and cache headers,
// so a future page cache can sit in exactly one place.
package web

import (
	"cmp"
	"context"
	"log/slog"
	"strings"
	"time"

	"masthead/internal/markup"
	"masthead/internal/news"
	"masthead/internal/newsroom"
	"masthead/internal/render"
)

// Store is what the reader site needs from the database.
type Store interface {
	Ping(ctx context.Context) error
	Publication(ctx context.Context) (news.Publication, error)
	Menus(ctx context.Context) (news.Menus, error)
	Sections(ctx context.Context) ([]news.Section, error)
	SectionBySlug(ctx context.Context, slug string) (*news.Section, error)
	TagBySlug(ctx context.Context, slug string) (*news.Tag, error)
	PopularTags(ctx context.Context, limit int) ([]news.Tag, error)
	PublishedTags(ctx context.Context) ([]news.Tag, error)
	StaffBySlug(ctx context.Context, slug string) (*news.Staff, error)
	BylinedStaff(ctx context.Context) ([]news.Staff, error)
	PublishedArticle(ctx context.Context, path string) (*news.Article, error)
	PublishedArticles(ctx context.Context, f news.ArticleFilter, withBody bool) ([]*news.Article, error)
	CountPublished(ctx context.Context, f news.ArticleFilter) (int, error)
	Neighbours(ctx context.Context, a *news.Article) (news.Neighbours, error)
	Related(ctx context.Context, a *news.Article, limit int) ([]*news.Article, error)
	ArticleComments(ctx context.Context, articleID int64, alsoPending []int64) ([]*news.Comment, error)
	ArchiveMonths(ctx context.Context) ([]news.ArchiveMonth, error)
	ArticlesInMonth(ctx context.Context, year, month int) ([]*news.Article, error)
	RecentCorrections(ctx context.Context, limit, offset int) ([]news.Correction, error)
	Search(ctx context.Context, q news.SearchQuery) (news.SearchResults, error)
	Suggest(ctx context.Context, text string) (string, error)
	OldLink(ctx context.Context, kind, key string) (string, error)
	ArticleQuotes(ctx context.Context, articleID int64) ([]news.Quote, error)
	PersonBySlug(ctx context.Context, slug string) (*news.Person, error)
	People(ctx context.Context, f news.PeopleFilter) ([]news.Person, error)
	CountPeople(ctx context.Context, f news.PeopleFilter) (int, error)
	PersonQuotes(ctx context.Context, personID int64, limit, offset int) ([]news.Quote, int, error)
	SearchQuotes(ctx context.Context, text string, limit, offset int) ([]news.Quote, int, error)
	changeLog
}

// Config is the reader site's share of Masthead's configuration.
type Config struct {
	BaseURL    string // public absolute URL, no trailing slash
	TrustProxy bool   // take the client address from X-Forwarded-For
	Secret     []byte // signs the reader's pending-comment cookie

	// The page cache (cache.go): its memory bound in bytes (0: the default,
	// negative: no cache), the longest a page is kept, and how often the
	// store's change log is read when this process has written nothing.
	CacheBytes int64
	CacheAge   time.Duration
	CachePoll  time.Duration
}

// Server serves the reader site.
type Server struct {
	store  Store
	desk   *newsroom.Service // takes readers' comments
	render *render.Engine
	markup *markup.Renderer
	log    *slog.Logger
	cfg    Config
	cache  *pageCache // nil when disabled
}

// New builds the reader site, taking readers' comments through desk (whose
// Config sets the per-address comment limit). The returned handler includes the middleware
// (security headers, logging, panic recovery, cross-origin protection).
func New(st Store, desk *newsroom.Service, eng *render.Engine, log *slog.Logger, cfg Config) *Server {
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	s := &Server{
		store:  st,
		desk:   desk,
		render: eng,
		markup: markup.New(),
		log:    log,
		cfg:    cfg,
	}
	if cfg.CacheBytes >= 0 {
		s.cache = newPageCache(st, log, cmp.Or(cfg.CacheBytes, DefaultCacheBytes), cmp.Or(cfg.CacheAge, DefaultCacheAge), cmp.Or(cfg.CachePoll, DefaultCachePoll))
	}
	return s
}

// abs makes a site path absolute with the public base URL.
func (s *Server) abs(path string) string { return s.cfg.BaseURL + path }
