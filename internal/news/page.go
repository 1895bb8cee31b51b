package news

// Page is a static page: an article outside the news flow, served at
// /page/{Slug}.
type Page struct {
	ArticleID int64
	Slug      string // may hold '/': "about/team"
	ParentID  int64  // the parent page's article id, 0 at the top
	MenuOrder int
}
