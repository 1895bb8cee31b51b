package web

import (
	"net/http"

	"masthead/internal/newsroom"
)

// Handler returns the reader site with its middleware. Every public URL is
// listed here; README.md documents the scheme.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.page(s.home))
	mux.HandleFunc("GET /{year}/{month}/{day}/{slug}", s.articleShow)
	mux.HandleFunc("POST /{year}/{month}/{day}/{slug}/comments", s.commentPost)
	mux.HandleFunc("GET /{year}/{month}/{day}/{slug}/live.atom", s.page(s.liveFeed))
	mux.HandleFunc("GET /section/{slug}", s.page(s.sectionList))
	mux.HandleFunc("GET /tag/{slug}", s.page(s.tagList))
	mux.HandleFunc("GET /author/{slug}", s.page(s.authorList))
	mux.HandleFunc("GET /authors", s.page(s.authorIndex))
	mux.HandleFunc("GET /corrections", s.page(s.correctionsLog))
	mux.HandleFunc("GET /search", s.page(s.search))
	mux.HandleFunc("GET /account", s.account)
	mux.HandleFunc("POST /account/signin", s.requestLink)
	mux.HandleFunc("GET /account/signin/{token}", s.linkPage(newsroom.ReaderSignInLink))
	mux.HandleFunc("POST /account/signin/{token}", s.useSignInLink)
	mux.HandleFunc("GET /account/email/{token}", s.linkPage(newsroom.ReaderEmailLink))
	mux.HandleFunc("POST /account/email/{token}", s.useEmailLink)
	mux.HandleFunc("POST /account/email", s.signedIn(s.requestEmailChange))
	mux.HandleFunc("POST /account/name", s.signedIn(s.renameReader))
	mux.HandleFunc("POST /account/delete", s.signedIn(s.deleteReader))
	mux.HandleFunc("POST /account/signout", s.signedIn(s.signOutReader))
	mux.HandleFunc("GET /account/data.json", s.readerData)
	mux.HandleFunc("GET /newsletters", s.newslettersIndex)
	mux.HandleFunc("POST /newsletters/subscribe", s.subscribe)
	mux.HandleFunc("GET /newsletters/confirm/{token}", s.confirmPage)
	mux.HandleFunc("POST /newsletters/confirm/{token}", s.confirmSubscription)
	mux.HandleFunc("GET /newsletters/preferences/{token}", s.preferences)
	mux.HandleFunc("GET /newsletters/unsubscribe/{token}", s.unsubscribePage)
	mux.HandleFunc("POST "+oneClickUnsubscribe, s.unsubscribe)
	mux.HandleFunc("GET /newsletters/{slug}", s.archive)
	mux.HandleFunc("GET /newsletters/{slug}/{id}", s.archivedIssue) // and /newsletters/{slug}/feed.atom
	mux.HandleFunc("GET /people", s.page(s.peopleIndex))
	mux.HandleFunc("GET /people/{slug}", s.personShow)
	mux.HandleFunc("GET /people/{slug}/feed.atom", s.personFeed(feedAtom))
	mux.HandleFunc("GET /people/{slug}/feed.xml", s.personFeed(feedRSS))

	mux.HandleFunc("GET /feed.xml", s.page(s.siteFeed(feedRSS)))
	mux.HandleFunc("GET /feed.atom", s.page(s.siteFeed(feedAtom)))
	mux.HandleFunc("GET /feed.json", s.page(s.siteFeed(feedJSON)))
	for _, kind := range []string{"section", "tag", "author"} {
		mux.HandleFunc("GET /"+kind+"/{slug}/feed.xml", s.page(s.listFeed(kind, feedRSS)))
		mux.HandleFunc("GET /"+kind+"/{slug}/feed.atom", s.page(s.listFeed(kind, feedAtom)))
	}

	mux.HandleFunc("GET /sitemap.xml", s.page(s.sitemapIndex))
	mux.HandleFunc("GET /sitemaps/pages.xml", s.page(s.sitemapPages))
	mux.HandleFunc("GET /sitemaps/news.xml", s.page(s.sitemapNews))
	mux.HandleFunc("GET /sitemaps/{name}", s.page(s.sitemapMonth))
	mux.HandleFunc("GET /robots.txt", s.page(s.robots))
	mux.HandleFunc("GET /opensearch.xml", s.page(s.openSearch))
	mux.HandleFunc("GET /favicon.ico", s.favicon)
	mux.HandleFunc("GET /static/{name}", s.render.ServeStatic)
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /live/{id}/events", s.liveEvents)
	mux.HandleFunc("GET /live/events", s.siteEvents)
	mux.HandleFunc("GET /page/{a}/{b}/{c}", s.otherPath) // a third-level page, which the dated pattern would take
	mux.HandleFunc("GET /{path...}", s.otherPath)        // static pages, old WordPress links (wordpress.go), 404
	mux.HandleFunc("/", s.page(s.notFound))
	return s.middleware(s.oldQueryLinks(s.cached(mux)))
}
