package web

import (
	"context"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"masthead/internal/news"
	"masthead/internal/newsroom"
	"masthead/internal/render"
	"masthead/internal/store"
)

// siteMemo keeps what every page's layout reads from the database — the
// newspaper's settings, its sections, menus and social links, and the
// breaking-news banner — and the newsletters offered beside stories and
// listings, between the writes that change them, so a page rendered from
// the store (a cache miss, or every page with the cache off) does not read
// them again.
//
// It follows the change log as the page cache does (changeFollower), and
// forgets everything at a change of the whole site ("all": settings,
// sections, menus, newsletters, staff, the banner itself) or of the
// site-wide pages ("site": an article published, edited or taken down,
// which the banner may link to). The banner is kept only until it
// expires, which writes nothing.
//
// A load that started before a change was applied is not kept (gen), so a
// reader never sees data older than the last change the follower applied.
type siteMemo struct {
	mu   sync.Mutex    // held to drop, or to keep a load
	gen  atomic.Uint64 // drops so far
	data atomic.Pointer[siteData]
	// tags are the front page's popular tags, loaded when the front page
	// is first rendered after a drop (no other page shows them). They
	// follow the latest stories, so they go with a "site" change, as the
	// front page in the page cache does. (PostgreSQL counted a thousand
	// stories' tags for each front page: half its time.)
	tags atomic.Pointer[[]news.Tag]
}

// siteData is what the memo keeps. Its slices are shared by every page
// built from it: read them, never change them.
type siteData struct {
	pub      news.Publication
	sections []news.Section
	header   []news.MenuLink
	footer   []news.MenuLink
	social   []news.MenuLink
	breaking *news.Breaking // nil when no banner is shown
	seq      int64          // the banner's sequence number, shown or not
	until    time.Time      // when the banner expires; zero when none is shown
	// chrome is the navigation and footer rendered for year; nil if
	// they could not be.
	chrome *render.Chrome
	year   int
	// newsletters are all of them, as the store lists them, but with no
	// subscriber counts: subscribing writes nothing to the change log,
	// and no reader page shows a count.
	newsletters []news.Newsletter
}

// get returns the data kept, if it may be used at now, and the generation
// a load starting now is kept under (keep).
func (m *siteMemo) get(now time.Time) (*siteData, uint64) {
	gen := m.gen.Load()
	d := m.data.Load()
	if d == nil || (!d.until.IsZero() && !now.Before(d.until)) {
		return nil, gen
	}
	return d, gen
}

// keep stores d, loaded from the store after get returned gen, unless the
// memo was dropped since.
func (m *siteMemo) keep(d *siteData, gen uint64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.gen.Load() == gen {
		m.data.Store(d)
	}
}

// drop forgets what is kept.
func (m *siteMemo) drop() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.gen.Add(1)
	m.data.Store(nil)
	m.tags.Store(nil)
}

// apply drops the memo when the changes touch what it keeps (see siteMemo);
// nil changes: anything may have changed.
func (m *siteMemo) apply(changes []store.Change) {
	if changes == nil {
		m.drop()
		return
	}
	for _, c := range changes {
		switch c.Kind {
		case store.ChangeArticle, store.ChangeSection, store.ChangeTag, store.ChangeAuthor:
			// One page or listing: its own content, not the layout's.
		default: // site, all, and any kind this version does not know
			m.drop()
			return
		}
	}
}

// publication is the newspaper's settings, from the memo: feeds and
// sitemaps show no layout, but reading the settings again was a twentieth
// of a feed's CPU.
func (s *Server) publication(ctx context.Context) (news.Publication, error) {
	d, err := s.siteData(ctx)
	if err != nil {
		return news.Publication{}, err
	}
	return d.pub, nil
}

// siteData returns what every page's layout shows, from the memo when it
// holds it, else from the store (and keeps it).
func (s *Server) siteData(ctx context.Context) (*siteData, error) {
	s.changes.follow(ctx)
	d, gen := s.memo.get(s.desk.Now())
	if d != nil {
		return d, nil
	}
	pub, err := s.store.Publication(ctx)
	if err != nil {
		return nil, err
	}
	sections, err := s.store.Sections(ctx)
	if err != nil {
		return nil, err
	}
	menus, err := s.store.Menus(ctx)
	if err != nil {
		return nil, err
	}
	breaking, seq, err := s.desk.CurrentBreaking(ctx)
	if err != nil {
		return nil, err
	}
	letters, err := s.store.Newsletters(ctx)
	if err != nil {
		return nil, err
	}
	for i := range letters {
		letters[i].Subscribers = 0
	}
	header, footer := menus.Links(sections)
	d = &siteData{
		pub:         pub,
		sections:    slices.Clip(sections),
		header:      slices.Clip(header),
		footer:      slices.Clip(footer),
		social:      slices.Clip(news.ProfileLinks(pub.Social)),
		breaking:    breaking,
		seq:         seq,
		newsletters: slices.Clip(letters),
	}
	if breaking != nil {
		d.until = breaking.ExpiresAt
	}
	d.year = s.desk.Now().In(s.desk.LocationOf(pub)).Year()
	if d.chrome, err = s.render.Chrome(render.Layout{Site: pub, Sections: d.sections, Header: d.header, Footer: d.footer,
		Social: d.social, Year: d.year}); err != nil {
		s.log.WarnContext(ctx, "rendering the navigation and footer", slog.Any("err", err))
	}
	s.memo.keep(d, gen)
	return d, nil
}

// popularTags are the front page's tags (store.PopularTags), from the
// memo when it holds them.
func (s *Server) popularTags(ctx context.Context, limit int) ([]news.Tag, error) {
	s.changes.follow(ctx)
	if t := s.memo.tags.Load(); t != nil {
		return *t, nil
	}
	gen := s.memo.gen.Load()
	tags, err := s.store.PopularTags(ctx, limit)
	if err != nil {
		return nil, err
	}
	tags = slices.Clip(tags)
	s.memo.mu.Lock()
	defer s.memo.mu.Unlock()
	if s.memo.gen.Load() == gen {
		s.memo.tags.Store(&tags)
	}
	return tags, nil
}

// signups are the newsletters a page about sectionID (0: none) and people
// offers (newsroom.Signups), from the memo.
func (s *Server) signups(ctx context.Context, sectionID int64, people []int64) (*newsroom.Signups, error) {
	site, err := s.siteData(ctx)
	if err != nil {
		return nil, err
	}
	return newsroom.SignupsAmong(site.newsletters, sectionID, people), nil
}
