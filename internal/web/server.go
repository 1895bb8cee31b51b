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
	"masthead/internal/store"
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
	PublishedLists(ctx context.Context, fs []news.ArticleFilter) ([][]*news.Article, error)
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
	SearchQuotes(ctx context.Context, text string, limit, offset int) (news.QuoteResults, error)
	Breaking(ctx context.Context) (*news.Breaking, error)
	Newsletters(ctx context.Context) ([]news.Newsletter, error)
	ActiveLiveBlogs(ctx context.Context, since time.Time, limit int) ([]*news.Article, error)
	PublishedLiveBlog(ctx context.Context, articleID int64) (*news.LiveBlog, error)
	LiveEntries(ctx context.Context, articleID, from int64, pinned bool, limit int) ([]*news.LiveEntry, error)
	LiveKeyEvents(ctx context.Context, articleID int64, limit int) ([]*news.LiveEntry, error)
	LatestLiveSeq(ctx context.Context) (int64, error)
	LiveChangesSince(ctx context.Context, articleID, after int64, limit int) ([]news.LiveChange, error)
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

	// Live blog streams (live.go): how many one client may hold open (0:
	// DefaultLiveStreamsPerClient), and how often an idle stream sends a
	// comment so that proxies keep it (0: DefaultLiveHeartbeat).
	LiveStreamsPerClient int
	LiveHeartbeat        time.Duration
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
	memo   siteMemo
	// changes follows the store's change log for the cache and the memo.
	changes *changeFollower
	live    *liveHub
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
		s.cache = newPageCache(cmp.Or(cfg.CacheBytes, DefaultCacheBytes), cmp.Or(cfg.CacheAge, DefaultCacheAge))
	}
	s.changes = newChangeFollower(st, log, cmp.Or(cfg.CachePoll, DefaultCachePoll), s.applyChanges)
	s.live = newLiveHub(s, cmp.Or(cfg.LiveStreamsPerClient, DefaultLiveStreamsPerClient), cmp.Or(cfg.LiveHeartbeat, DefaultLiveHeartbeat))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := st.OnCommit(ctx, s.committed); err != nil {
		log.Warn("no commit hook; following the change log by polling only", slog.Any("err", err))
	}
	return s
}

// committed is the store's commit hook: the page cache and the live
// blogs' streams look at the database at once.
func (s *Server) committed() {
	s.changes.committed()
	s.live.poke()
}

// applyChanges is given what the change log says changed (nil: anything
// may have): the page cache and the site memo forget what it made wrong.
func (s *Server) applyChanges(changes []store.Change) {
	if s.cache != nil {
		s.cache.apply(changes)
	}
	s.memo.apply(changes)
}

// CloseStreams ends every live blog stream, for a shutdown (streams never
// end by themselves). A closed stream's browser reconnects elsewhere.
func (s *Server) CloseStreams() { s.live.close() }

// abs makes a site path absolute with the public base URL.
func (s *Server) abs(path string) string { return s.cfg.BaseURL + path }
