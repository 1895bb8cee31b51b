package web

// Static pages, and the addresses a site had when it ran on WordPress.
//
// A site imported from WordPress (package wpimport) keeps its old links
// working: each answers 301 with the new address, found in the import's
// map of WordPress ids and paths (store.OldLink):
//
//	/?p=123, /?page_id=45             the post or page, by WordPress id
//	/2013/01/10/hello-world/          the article (its slug may have changed)
//	/about/, /about/team/             the page, by its old path
//	/category/news/, /category/a/b/   /section/{slug} (feed/ → its feed)
//	/tag/x/, /author/login/           /tag/{slug}, /author/{slug} (feed/ too)
//	/feed/, /feed/atom/, /?feed=rss2  /feed.xml, /feed.atom
//	/?s=words                         /search?q=words
//
// Static pages are articles marked as pages, at /page/{slug}.

import (
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"masthead/internal/news"
	"masthead/internal/render"
)

// oldQueryLinks answers WordPress's query-string links on the front page
// (/?p=123) before the page cache, which keeps "/" whatever the query.
func (s *Server) oldQueryLinks(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" || r.URL.RawQuery == "" || (r.Method != http.MethodGet && r.Method != http.MethodHead) {
			next.ServeHTTP(w, r)
			return
		}
		q := r.URL.Query()
		target := ""
		switch {
		case q.Get("p") != "":
			target = s.oldLink(r, "post", q.Get("p"))
		case q.Get("page_id") != "":
			target = s.oldLink(r, "page", q.Get("page_id"))
		case q.Get("tag") != "":
			target = s.oldLink(r, "tag", strings.ToLower(q.Get("tag")))
		case q.Get("category_name") != "":
			target = s.oldLink(r, "category", lastSegment(strings.ToLower(q.Get("category_name"))))
		case q.Get("feed") != "":
			target = feedFor(q.Get("feed"))
		case q.Has("s"):
			target = "/search?q=" + url.QueryEscape(q.Get("s"))
		default:
			next.ServeHTTP(w, r)
			return
		}
		if target == "" {
			s.fail(w, r, news.ErrNotFound)
			return
		}
		http.Redirect(w, r, target, http.StatusMovedPermanently)
	})
}

// oldLink resolves a WordPress id or slug; "" when nothing answers (or
// the lookup failed, which is logged).
func (s *Server) oldLink(r *http.Request, kind, key string) string {
	target, err := s.store.OldLink(r.Context(), kind, key)
	if err != nil {
		if !errors.Is(err, news.ErrNotFound) {
			s.log.WarnContext(r.Context(), "resolve an old WordPress link", "kind", kind, "key", key, "err", err)
		}
		return ""
	}
	return target
}

func feedFor(name string) string {
	if strings.Contains(name, "atom") {
		return "/feed.atom"
	}
	return "/feed.xml"
}

func lastSegment(p string) string {
	p = strings.Trim(p, "/")
	return p[strings.LastIndexByte(p, '/')+1:]
}

var datedPath = regexp.MustCompile(`^\d{4}/\d{2}/\d{2}/[^/]+$`)

// otherPath answers the GET requests no other route takes: static pages,
// then old WordPress addresses, then 404.
func (s *Server) otherPath(w http.ResponseWriter, r *http.Request) {
	p := strings.Trim(r.URL.Path, "/")
	if slug, ok := strings.CutPrefix(p, "page/"); ok && !strings.HasSuffix(r.URL.Path, "/") {
		s.pageShow(w, r, slug)
		return
	}
	if target := s.oldPath(r, strings.ToLower(p)); target != "" {
		http.Redirect(w, r, target, http.StatusMovedPermanently)
		return
	}
	s.fail(w, r, news.ErrNotFound)
}

// oldPath finds the new address of an old WordPress path ("" for none).
func (s *Server) oldPath(r *http.Request, p string) string {
	if p == "" {
		return ""
	}
	parts := strings.Split(p, "/")
	feed := ""
	if n := len(parts); n > 1 && parts[n-1] == "feed" || n > 1 && parts[n-2] == "feed" {
		// .../feed/, .../feed/atom/
		i := n - 1
		if parts[n-1] != "feed" {
			i = n - 2
		}
		feed = feedFor(strings.Join(parts[i:], "/"))
		parts = parts[:i]
	}
	if p == "feed" || (len(parts) == 0 && feed != "") || (len(parts) == 1 && parts[0] == "feed") {
		return feedFor(p)
	}
	withFeed := func(target string) string {
		if target == "" || feed == "" {
			return target
		}
		return target + feed
	}
	switch parts[0] {
	case "category":
		if len(parts) > 1 {
			return withFeed(s.oldLink(r, "category", parts[len(parts)-1]))
		}
	case "tag", "author":
		if len(parts) == 2 {
			return withFeed(s.oldLink(r, parts[0], parts[1]))
		}
	}
	if feed != "" {
		return ""
	}
	if target := s.oldLink(r, "", p); target != "" {
		return target
	}
	if datedPath.MatchString(p) && strings.HasSuffix(r.URL.Path, "/") {
		return "/" + p // the same article, without WordPress's trailing slash
	}
	return ""
}

// pageShow shows a static page. Pages show the comments they came with
// but take no new ones (the reply form posts to dated article paths).
func (s *Server) pageShow(w http.ResponseWriter, r *http.Request, slug string) {
	for _, part := range strings.Split(slug, "/") {
		if !news.ValidSlug(part) {
			s.fail(w, r, news.ErrNotFound)
			return
		}
	}
	a, err := s.store.PublishedArticle(r.Context(), "page/"+slug)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	a.CommentsOpen = false
	p, err := s.articlePage(r, a, nil, 0, render.CommentForm{}, http.StatusOK)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.write(w, r, p)
}
