package wpapi

import (
	"crypto/md5"
	"encoding/hex"
	"errors"
	"html"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"

	"masthead/internal/media"
	"masthead/internal/news"
	"masthead/internal/newsroom"
)

// ---- the index

func (s *Server) index(r *http.Request) (*response, error) {
	pub, err := s.desk.Settings(r.Context())
	if err != nil {
		return nil, err
	}
	routes := map[string]any{}
	// The parameters each collection takes: clients (wpapi) make their
	// filter methods (.categories(), .search() …) from these.
	arg := map[string]any{"required": false}
	collectionArgs := func(names ...string) map[string]any {
		out := map[string]any{"context": arg, "page": arg, "per_page": arg, "search": arg, "_embed": arg, "_fields": arg}
		for _, n := range names {
			out[n] = arg
		}
		return out
	}
	argsOf := map[string]map[string]any{
		"posts":      collectionArgs("author", "categories", "tags", "status", "slug", "include", "exclude", "order", "orderby", "sticky"),
		"pages":      collectionArgs("author", "status", "slug", "include", "exclude", "order", "orderby", "parent"),
		"categories": collectionArgs("include", "slug", "parent", "post", "hide_empty"),
		"tags":       collectionArgs("include", "slug", "post", "hide_empty"),
		"users":      collectionArgs("slug"),
		"comments":   collectionArgs("post", "status"),
		"media":      collectionArgs(),
		"search":     collectionArgs("type", "subtype"),
	}
	route := func(p string, methods ...string) {
		var eps []any
		for _, m := range methods {
			args := map[string]any{}
			if m == "GET" && argsOf[p] != nil {
				args = argsOf[p]
			}
			eps = append(eps, map[string]any{"methods": []string{m}, "args": args})
		}
		routes["/wp/v2/"+p] = map[string]any{"namespace": "wp/v2", "methods": methods, "endpoints": eps,
			"_links": map[string]any{"self": []link{{Href: s.api(p)}}}}
	}
	routes["/"] = map[string]any{"namespace": "", "methods": []string{"GET"}, "endpoints": []any{map[string]any{"methods": []string{"GET"}, "args": map[string]any{}}}}
	routes["/wp/v2"] = map[string]any{"namespace": "wp/v2", "methods": []string{"GET"}, "endpoints": []any{map[string]any{"methods": []string{"GET"}, "args": map[string]any{}}}}
	for _, p := range []string{"posts", "pages"} {
		route(p, "GET", "POST")
		route(p+"/(?P<id>[\\d]+)", "GET", "POST", "PUT", "PATCH", "DELETE")
	}
	for _, p := range []string{"categories", "tags"} {
		route(p, "GET", "POST")
		route(p+"/(?P<id>[\\d]+)", "GET", "POST", "PUT", "PATCH", "DELETE")
	}
	route("users", "GET")
	route("users/(?P<id>[\\d]+)", "GET")
	route("users/me", "GET", "POST", "PUT", "PATCH")
	route("settings", "GET", "POST", "PUT", "PATCH")
	route("comments", "GET", "POST")
	route("comments/(?P<id>[\\d]+)", "GET", "POST", "DELETE")
	route("media", "GET", "POST")
	route("media/(?P<id>[\\d]+)", "GET", "POST", "DELETE")
	route("search", "GET")
	return &response{body: map[string]any{
		"name": pub.Name, "description": pub.Tagline, "url": s.cfg.BaseURL, "home": s.cfg.BaseURL,
		"gmt_offset": gmtOffset(zone(r)), "timezone_string": zone(r).String(),
		"namespaces":     []string{"wp/v2"},
		"authentication": map[string]any{"application-passwords": map[string]any{"endpoints": map[string]string{"authorization": s.cfg.BaseURL + "/admin/profile"}}},
		"routes":         routes,
		"_links":         map[string]any{"help": []link{{Href: "https://developer.wordpress.org/rest-api/"}}},
	}}, nil
}

// ---- users

type userJSON struct {
	ID          int64             `json:"id"`
	Name        string            `json:"name"`
	URL         string            `json:"url"`
	Description string            `json:"description"`
	Link        string            `json:"link"`
	Slug        string            `json:"slug"`
	AvatarURLs  map[string]string `json:"avatar_urls"`
	Meta        []any             `json:"meta"`
	Links       map[string][]link `json:"_links"`
}

func (s *Server) userJSON(au news.Staff) userJSON {
	sum := md5.Sum([]byte(strings.ToLower(strings.TrimSpace(au.Email)))) // as Gravatar keys it
	avatar := func(n string) string {
		return "https://secure.gravatar.com/avatar/" + hex.EncodeToString(sum[:]) + "?s=" + n + "&d=mm&r=g"
	}
	return userJSON{ID: au.ID, Name: au.Name, URL: au.Links.Website, Description: au.Bio, Link: s.abs(au.URLPath()), Slug: au.Slug, Meta: []any{},
		AvatarURLs: map[string]string{"24": avatar("24"), "48": avatar("48"), "96": avatar("96")},
		Links:      map[string][]link{"self": {{Href: s.api("users/" + strconv.FormatInt(au.ID, 10))}}, "collection": {{Href: s.api("users")}}}}
}

func (s *Server) listUsers(r *http.Request) (*response, error) {
	u, err := s.user(r)
	if err != nil {
		return nil, err
	}
	p := params{q: r.URL.Query()}
	page, perPage, err := p.paging()
	if err != nil {
		return nil, err
	}
	all, err := s.desk.Profiles(r.Context(), actorOf(u))
	if err != nil {
		return nil, err
	}
	slugs := p.list("slug")
	var list []news.Staff
	for _, au := range all {
		if len(slugs) > 0 && !contains(slugs, au.Slug) {
			continue
		}
		if q := strings.ToLower(p.str("search")); q != "" && !strings.Contains(strings.ToLower(au.Name), q) {
			continue
		}
		list = append(list, au)
	}
	out := []userJSON{}
	for i := (page - 1) * perPage; i < len(list) && i < page*perPage; i++ {
		out = append(out, s.userJSON(list[i]))
	}
	return &response{body: out, total: len(list), pages: pageCount(len(list), perPage), page: page}, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (s *Server) getUser(r *http.Request) (*response, error) {
	u, err := s.user(r)
	if err != nil {
		return nil, err
	}
	id, err := pathID(r, "rest_user_invalid_id")
	if err != nil {
		return nil, err
	}
	au, err := s.profile(r, u, id)
	if err != nil {
		return nil, err
	}
	return &response{body: s.userJSON(*au)}, nil
}

// profile is user id as u (nil: a reader) may see them, with WordPress's
// errors.
func (s *Server) profile(r *http.Request, u *news.Staff, id int64) (*news.Staff, error) {
	au, err := s.desk.Profile(r.Context(), actorOf(u), id)
	switch {
	case errors.Is(err, news.ErrNotFound):
		return nil, apiError(http.StatusNotFound, "rest_user_invalid_id", "Invalid user ID.")
	case errors.Is(err, news.ErrForbidden) && u == nil:
		return nil, apiError(http.StatusUnauthorized, "rest_user_cannot_view", "Sorry, you are not allowed to list users.")
	case errors.Is(err, news.ErrForbidden):
		return nil, apiError(http.StatusForbidden, "rest_user_cannot_view", "Sorry, you are not allowed to list users.")
	}
	return au, err
}

func (s *Server) me(r *http.Request) (*response, error) {
	u, err := s.staff(r)
	if err != nil {
		return nil, err
	}
	if r.URL.Query().Get("context") == "edit" {
		return &response{body: meEditJSON{userJSON: s.userJSON(*u), Email: u.Email, Roles: []string{wpRoles[u.Role]}}}, nil
	}
	return &response{body: s.userJSON(*u)}, nil
}

// ---- categories and tags

type termJSON struct {
	ID          int64             `json:"id"`
	Count       int               `json:"count"`
	Description string            `json:"description"`
	Link        string            `json:"link"`
	Name        string            `json:"name"`
	Slug        string            `json:"slug"`
	Taxonomy    string            `json:"taxonomy"`
	Parent      *int64            `json:"parent,omitempty"`
	Meta        []any             `json:"meta"`
	Links       map[string][]link `json:"_links"`
}

func (s *Server) category(sec news.Section, parent int64, count int) termJSON {
	return termJSON{ID: sec.ID, Count: count, Description: sec.Description, Link: s.abs(sec.URLPath()), Name: sec.Name, Slug: sec.Slug,
		Taxonomy: "category", Parent: &parent, Meta: []any{},
		Links: map[string][]link{"self": {{Href: s.api("categories/" + strconv.FormatInt(sec.ID, 10))}}, "collection": {{Href: s.api("categories")}},
			"wp:post_type": {{Href: s.api("posts?categories=" + strconv.FormatInt(sec.ID, 10))}}}}
}

func (s *Server) tag(t news.Tag) termJSON {
	return termJSON{ID: t.ID, Count: t.Count, Link: s.abs(t.URLPath()), Name: t.Name, Slug: t.Slug, Taxonomy: "post_tag", Meta: []any{},
		Links: map[string][]link{"self": {{Href: s.api("tags/" + strconv.FormatInt(t.ID, 10))}}, "collection": {{Href: s.api("tags")}},
			"wp:post_type": {{Href: s.api("posts?tags=" + strconv.FormatInt(t.ID, 10))}}}}
}

// terms pages through a list of terms with WordPress's filters.
func terms(r *http.Request, all []termJSON, forPost []int64) (*response, error) {
	p := params{q: r.URL.Query()}
	page, perPage, err := p.paging()
	if err != nil {
		return nil, err
	}
	include, err := p.ids("include")
	if err != nil {
		return nil, err
	}
	slugs := p.list("slug")
	q := strings.ToLower(p.str("search"))
	hideEmpty := p.str("hide_empty") == "true" || p.str("hide_empty") == "1"
	var list []termJSON
	for _, t := range all {
		switch {
		case len(include) > 0 && !containsID(include, t.ID),
			forPost != nil && !containsID(forPost, t.ID),
			len(slugs) > 0 && !contains(slugs, t.Slug),
			q != "" && !strings.Contains(strings.ToLower(t.Name), q),
			hideEmpty && t.Count == 0:
			continue
		}
		if v := p.str("parent"); v != "" && (t.Parent == nil || strconv.FormatInt(*t.Parent, 10) != v) {
			continue
		}
		list = append(list, t)
	}
	out := []termJSON{}
	for i := (page - 1) * perPage; i < len(list) && i < page*perPage; i++ {
		out = append(out, list[i])
	}
	return &response{body: out, total: len(list), pages: pageCount(len(list), perPage), page: page}, nil
}

func containsID(list []int64, id int64) bool {
	for _, x := range list {
		if x == id {
			return true
		}
	}
	return false
}

// termsOfPost reads ?post=ID: the terms of one visible post.
func (s *Server) termsOfPost(r *http.Request, of func(a *news.Article) []int64) ([]int64, error) {
	v := r.URL.Query().Get("post")
	if v == "" {
		return nil, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return nil, invalidParam("post", "post is not an id.")
	}
	a, err := s.desk.PublicArticle(r.Context(), id)
	if err != nil {
		return []int64{}, nil
	}
	return of(a), nil
}

func (s *Server) allCategories(r *http.Request) ([]termJSON, error) {
	secs, err := s.desk.Sections(r.Context())
	if err != nil {
		return nil, err
	}
	parents, err := s.desk.SectionParents(r.Context())
	if err != nil {
		return nil, err
	}
	counts, err := s.desk.SectionCounts(r.Context())
	if err != nil {
		return nil, err
	}
	out := make([]termJSON, len(secs))
	for i, sec := range secs {
		out[i] = s.category(sec, parents[sec.ID], counts[sec.ID])
	}
	return out, nil
}

func (s *Server) listCategories(r *http.Request) (*response, error) {
	all, err := s.allCategories(r)
	if err != nil {
		return nil, err
	}
	forPost, err := s.termsOfPost(r, func(a *news.Article) []int64 {
		if a.Section == nil {
			return []int64{}
		}
		return []int64{a.Section.ID}
	})
	if err != nil {
		return nil, err
	}
	return terms(r, all, forPost)
}

// getTerm answers /categories/{id} and /tags/{id} from the full list.
func (s *Server) getTerm(r *http.Request, all func(*http.Request) ([]termJSON, error)) (*response, error) {
	id, err := pathID(r, "rest_term_invalid")
	if err != nil {
		return nil, err
	}
	list, err := all(r)
	if err != nil {
		return nil, err
	}
	for _, t := range list {
		if t.ID == id {
			return &response{body: t}, nil
		}
	}
	return nil, apiError(http.StatusNotFound, "rest_term_invalid", "Term does not exist.")
}

func (s *Server) getCategory(r *http.Request) (*response, error) {
	return s.getTerm(r, s.allCategories)
}

func (s *Server) allTags(r *http.Request) ([]termJSON, error) {
	tags, err := s.desk.Tags(r.Context())
	if err != nil {
		return nil, err
	}
	out := make([]termJSON, len(tags))
	for i, t := range tags {
		out[i] = s.tag(t)
	}
	return out, nil
}

func (s *Server) listTags(r *http.Request) (*response, error) {
	all, err := s.allTags(r)
	if err != nil {
		return nil, err
	}
	forPost, err := s.termsOfPost(r, func(a *news.Article) []int64 {
		out := []int64{}
		for _, t := range a.Tags {
			out = append(out, t.ID)
		}
		return out
	})
	if err != nil {
		return nil, err
	}
	return terms(r, all, forPost)
}

func (s *Server) getTag(r *http.Request) (*response, error) { return s.getTerm(r, s.allTags) }

// ---- comments

type commentJSON struct {
	ID               int64             `json:"id"`
	Post             int64             `json:"post"`
	Parent           int64             `json:"parent"`
	Author           int64             `json:"author"`
	AuthorName       string            `json:"author_name"`
	AuthorURL        string            `json:"author_url"`
	AuthorEmail      string            `json:"author_email,omitempty"`
	Date             *string           `json:"date"`
	DateGMT          *string           `json:"date_gmt"`
	Content          rendered          `json:"content"`
	Link             string            `json:"link"`
	Status           string            `json:"status"`
	Type             string            `json:"type"`
	AuthorAvatarURLs map[string]string `json:"author_avatar_urls"`
	Meta             []any             `json:"meta"`
	Links            map[string][]link `json:"_links"`
}

var commentStatus = map[news.CommentStatus]string{news.CommentApproved: "approved", news.CommentPending: "hold", news.CommentSpam: "spam", news.CommentTrash: "trash"}

func (s *Server) comment(loc *time.Location, c *news.Comment, moderator bool) commentJSON {
	body := strings.ReplaceAll(html.EscapeString(c.Body), "\n\n", "</p>\n<p>")
	out := commentJSON{ID: c.ID, Post: c.ArticleID, Parent: c.ParentID, AuthorName: c.Name, AuthorURL: c.Website,
		Content: rendered{Rendered: "<p>" + strings.ReplaceAll(body, "\n", "<br />\n") + "</p>\n"},
		Status:  commentStatus[c.Status], Type: "comment", Meta: []any{}, AuthorAvatarURLs: map[string]string{},
		Link: s.cfg.BaseURL + "/?p=" + strconv.FormatInt(c.ArticleID, 10) + "#comment-" + strconv.FormatInt(c.ID, 10),
		Links: map[string][]link{"self": {{Href: s.api("comments/" + strconv.FormatInt(c.ID, 10))}}, "collection": {{Href: s.api("comments")}},
			"up": {{Href: s.api("posts/" + strconv.FormatInt(c.ArticleID, 10)), Embeddable: true}}}}
	if moderator {
		out.AuthorEmail, out.Content.Raw = c.Email, c.Body
	}
	out.Date, out.DateGMT = s.wpDate(loc, c.CreatedAt)
	return out
}

// actorOf is the member of staff u as the newsroom sees them; nil (an
// anonymous request) is an actor with no role.
func actorOf(u *news.Staff) news.Actor {
	if u == nil {
		return news.Actor{}
	}
	return news.Actor{ID: u.ID, Role: u.Role}
}

func (s *Server) listComments(r *http.Request) (*response, error) {
	u, err := s.user(r)
	if err != nil {
		return nil, err
	}
	p := params{q: r.URL.Query()}
	page, perPage, err := p.paging()
	if err != nil {
		return nil, err
	}
	var post int64
	if v := p.str("post"); v != "" {
		if post, err = strconv.ParseInt(v, 10, 64); err != nil {
			return nil, invalidParam("post", "post is not an id.")
		}
	}
	var statuses []news.CommentStatus
	if st := p.str("status"); st != "" && st != "approve" && st != "approved" {
		for k, v := range commentStatus {
			if v == st || (st == "all" && k != news.CommentTrash) {
				statuses = append(statuses, k)
			}
		}
		if len(statuses) == 0 {
			return nil, invalidParam("status", "status is not one of approve, hold, spam, trash, all.")
		}
	}
	list, err := s.desk.Comments(r.Context(), actorOf(u), newsroom.CommentQuery{ArticleID: post, Statuses: statuses, Limit: perPage, Offset: (page - 1) * perPage})
	if errors.Is(err, news.ErrForbidden) {
		return nil, apiError(http.StatusUnauthorized, "rest_forbidden_param", "Query parameter not permitted: status")
	}
	if err != nil {
		return nil, err
	}
	out := make([]commentJSON, len(list.Comments))
	for i, c := range list.Comments {
		out[i] = s.comment(zone(r), c, list.Full)
	}
	return &response{body: out, total: list.Total, pages: pageCount(list.Total, perPage), page: page}, nil
}

func (s *Server) getComment(r *http.Request) (*response, error) {
	_, c, full, err := s.commentOf(r)
	if err != nil {
		return nil, err
	}
	return &response{body: s.comment(zone(r), c, full)}, nil
}

// commentOf reads who asks and the comment /comments/{id} names, as they
// may see it; moderator says whether they moderate it.
func (s *Server) commentOf(r *http.Request) (u *news.Staff, c *news.Comment, moderator bool, err error) {
	if u, err = s.user(r); err != nil {
		return nil, nil, false, err
	}
	id, err := pathID(r, "rest_comment_invalid_id")
	if err != nil {
		return nil, nil, false, err
	}
	c, moderator, err = s.desk.CommentFor(r.Context(), actorOf(u), id)
	if errors.Is(err, news.ErrNotFound) {
		return nil, nil, false, apiError(http.StatusNotFound, "rest_comment_invalid_id", "Invalid comment ID.")
	}
	return u, c, moderator, err
}

// createComment posts a staff comment or reply, as moderators do from the
// newsroom (news.StaffReply); readers comment on the site's own form.
func (s *Server) createComment(r *http.Request) (*response, error) {
	u, err := s.user(r)
	if err != nil {
		return nil, err
	}
	if u == nil {
		return nil, apiError(http.StatusUnauthorized, "rest_comment_login_required", "Sorry, you must be logged in to comment. Readers comment on the article's page.")
	}
	p, err := readParams(nilWriter{}, r)
	if err != nil {
		return nil, err
	}
	postID, err := strconv.ParseInt(p.str("post"), 10, 64)
	if err != nil {
		return nil, invalidParam("post", "post is not an id.")
	}
	var parentID int64
	if v := p.str("parent"); v != "" && v != "0" {
		if parentID, err = strconv.ParseInt(v, 10, 64); err != nil {
			return nil, invalidParam("parent", "parent is not an id.")
		}
	}
	c, err := s.desk.ReplyAsStaff(r.Context(), actorOf(u), postID, parentID, stripTags(html.UnescapeString(p.str("content"))), "", "")
	switch {
	case errors.Is(err, news.ErrForbidden):
		return nil, apiError(http.StatusForbidden, "rest_comment_invalid_author", "Sorry, only editors and administrators comment as staff.")
	case errors.Is(err, newsroom.ErrNoArticle):
		return nil, apiError(http.StatusNotFound, "rest_comment_invalid_post_id", "Sorry, you are not allowed to create this comment without a post.")
	case errors.Is(err, newsroom.ErrNoParent):
		return nil, apiError(http.StatusBadRequest, "rest_comment_invalid_parent", "Invalid parent comment.")
	case err != nil:
		return nil, err
	}
	return &response{status: http.StatusCreated, body: s.comment(zone(r), c, true)}, nil
}

// updateComment moderates: {"status": "approved" | "hold" | "spam" | "trash"}.
func (s *Server) updateComment(r *http.Request) (*response, error) {
	u, err := s.staff(r)
	if err != nil {
		return nil, err
	}
	id, err := pathID(r, "rest_comment_invalid_id")
	if err != nil {
		return nil, err
	}
	p, err := readParams(nilWriter{}, r)
	if err != nil {
		return nil, err
	}
	var to news.CommentStatus // none: the comment stays where it is
	if st := p.str("status"); st != "" {
		for k, v := range commentStatus {
			if v == st || (st == "approve" && k == news.CommentApproved) {
				to = k
			}
		}
		if to == "" {
			return nil, invalidParam("status", "status is not one of approved, hold, spam, trash.")
		}
	}
	c, err := s.desk.ModerateComment(r.Context(), actorOf(u), id, to)
	if errors.Is(err, news.ErrForbidden) {
		return nil, apiError(http.StatusForbidden, "rest_cannot_edit", "Sorry, you are not allowed to edit this comment.")
	}
	if err != nil {
		return nil, err
	}
	return &response{body: s.comment(zone(r), c, true)}, nil
}

// ---- media

type mediaJSON struct {
	ID           int64             `json:"id"`
	Date         *string           `json:"date"`
	DateGMT      *string           `json:"date_gmt"`
	GUID         rendered          `json:"guid"`
	Slug         string            `json:"slug"`
	Status       string            `json:"status"`
	Type         string            `json:"type"`
	Link         string            `json:"link"`
	Title        rendered          `json:"title"`
	Author       int64             `json:"author"`
	Caption      rendered          `json:"caption"`
	AltText      string            `json:"alt_text"`
	MediaType    string            `json:"media_type"`
	MimeType     string            `json:"mime_type"`
	MediaDetails mediaDetails      `json:"media_details"`
	Post         *int64            `json:"post"`
	SourceURL    string            `json:"source_url"`
	Meta         []any             `json:"meta"`
	Links        map[string][]link `json:"_links"`
}

type mediaDetails struct {
	Width  int                  `json:"width"`
	Height int                  `json:"height"`
	File   string               `json:"file"`
	Sizes  map[string]mediaSize `json:"sizes"`
}

type mediaSize struct {
	File      string `json:"file"`
	Width     int    `json:"width"`
	Height    int    `json:"height"`
	MimeType  string `json:"mime_type"`
	SourceURL string `json:"source_url"`
}

func (s *Server) media(loc *time.Location, it *media.Item) mediaJSON {
	src := s.abs(it.URL())
	out := mediaJSON{ID: it.ID, GUID: rendered{Rendered: src}, Slug: strings.TrimSuffix(it.Filename, path.Ext(it.Filename)), Status: "inherit",
		Type: "attachment", Link: src, Title: rendered{Rendered: html.EscapeString(it.Filename)}, Author: it.UploadedBy,
		AltText: it.Alt, MediaType: "image", MimeType: it.ContentType, SourceURL: src, Meta: []any{},
		MediaDetails: mediaDetails{Width: it.Width, Height: it.Height, File: it.Key, Sizes: map[string]mediaSize{}},
		Links:        map[string][]link{"self": {{Href: s.api("media/" + strconv.FormatInt(it.ID, 10))}}, "collection": {{Href: s.api("media")}}}}
	if it.Caption != "" {
		out.Caption.Rendered = "<p>" + html.EscapeString(it.Caption) + "</p>\n"
	}
	out.Date, out.DateGMT = s.wpDate(loc, it.CreatedAt)
	for _, v := range it.Variants {
		out.MediaDetails.Sizes[strconv.Itoa(v.Width)+"w"] = mediaSize{File: v.Key, Width: v.Width, Height: v.Height, MimeType: v.ContentType, SourceURL: s.abs(v.URL())}
	}
	out.MediaDetails.Sizes["full"] = mediaSize{File: it.Key, Width: it.Width, Height: it.Height, MimeType: it.ContentType, SourceURL: src}
	return out
}

// remoteImage shows a lead image that is not in the library (an imported
// one kept at its old address) as WordPress would show an attachment.
func (s *Server) remoteImage(a *news.Article, img *news.Image) mediaJSON {
	post := a.ID
	src := s.abs(img.URL)
	return mediaJSON{GUID: rendered{Rendered: src}, Status: "inherit", Type: "attachment", Link: src, Title: rendered{Rendered: html.EscapeString(img.Alt)},
		Caption: rendered{Rendered: html.EscapeString(img.Caption)}, AltText: img.Alt, MediaType: "image", MimeType: mime.TypeByExtension(path.Ext(img.URL)),
		MediaDetails: mediaDetails{Width: img.Width, Height: img.Height, Sizes: map[string]mediaSize{}}, Post: &post, SourceURL: src, Meta: []any{},
		Links: map[string][]link{}}
}

// listMedia lists the library: all of it to staff, to anyone else only
// the images published articles use.
func (s *Server) listMedia(r *http.Request) (*response, error) {
	u, err := s.user(r)
	if err != nil {
		return nil, err
	}
	p := params{q: r.URL.Query()}
	page, perPage, err := p.paging()
	if err != nil {
		return nil, err
	}
	items, total, err := s.desk.MediaLibrary(r.Context(), u, media.Filter{Query: p.str("search"), Limit: perPage, Offset: (page - 1) * perPage})
	if errors.Is(err, newsroom.ErrNoLibrary) {
		items, total, err = nil, 0, nil // a site without a library has no media
	}
	if err != nil {
		return nil, err
	}
	out := make([]mediaJSON, len(items))
	for i, it := range items {
		out[i] = s.media(zone(r), it)
	}
	return &response{body: out, total: total, pages: pageCount(total, perPage), page: page}, nil
}

func (s *Server) getMedia(r *http.Request) (*response, error) {
	u, err := s.user(r)
	if err != nil {
		return nil, err
	}
	id, err := pathID(r, "rest_post_invalid_id")
	if err != nil {
		return nil, err
	}
	it, err := s.desk.MediaItem(r.Context(), u, id)
	if err != nil {
		return nil, apiError(http.StatusNotFound, "rest_post_invalid_id", "Invalid post ID.")
	}
	return &response{body: s.media(zone(r), it)}, nil
}

var errNoMedia = apiError(http.StatusNotImplemented, "rest_upload_no_media", "This site has no media storage.")

// upload adds an image to the media library: the file as the body with
// Content-Disposition naming it (WordPress's way), or as a multipart
// field "file", with optional alt_text and caption.
func (s *Server) upload(r *http.Request) (*response, error) {
	u, err := s.staff(r)
	if err != nil {
		return nil, err
	}
	if !s.desk.HasMediaLibrary() { // before reading the file
		return nil, errNoMedia
	}
	var data []byte
	var name, alt, caption string
	body := http.MaxBytesReader(nilWriter{}, r.Body, media.MaxUploadBytes+1<<20)
	ct, ctParams, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct == "multipart/form-data" {
		mr := multipart.NewReader(body, ctParams["boundary"])
		for {
			part, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				return nil, apiError(http.StatusBadRequest, "rest_upload_no_data", "The upload could not be read.")
			}
			v, err := io.ReadAll(io.LimitReader(part, media.MaxUploadBytes+1))
			if err != nil {
				return nil, apiError(http.StatusRequestEntityTooLarge, "rest_upload_too_large", "The file is too large.")
			}
			switch part.FormName() {
			case "file":
				data, name = v, part.FileName()
			case "alt_text":
				alt = string(v)
			case "caption":
				caption = string(v)
			}
		}
	} else {
		_, dp, err := mime.ParseMediaType(r.Header.Get("Content-Disposition"))
		if err != nil || dp["filename"] == "" {
			return nil, apiError(http.StatusBadRequest, "rest_upload_no_content_disposition", "No Content-Disposition supplied.")
		}
		name = dp["filename"]
		if data, err = io.ReadAll(body); err != nil {
			return nil, apiError(http.StatusRequestEntityTooLarge, "rest_upload_too_large", "The file is too large.")
		}
		q := r.URL.Query()
		alt, caption = q.Get("alt_text"), q.Get("caption")
	}
	if len(data) == 0 {
		return nil, apiError(http.StatusBadRequest, "rest_upload_no_data", "No data supplied.")
	}
	it, existing, err := s.desk.UploadImage(r.Context(), news.Actor{ID: u.ID, Role: u.Role},
		newsroom.Upload{Name: name, Data: data, Alt: strings.TrimSpace(alt), Caption: strings.TrimSpace(caption)})
	switch {
	case errors.Is(err, newsroom.ErrNoLibrary):
		return nil, errNoMedia
	case errors.Is(err, news.ErrForbidden):
		return nil, apiError(http.StatusForbidden, "rest_cannot_create", "Sorry, you are not allowed to upload media.")
	case err != nil:
		return nil, err
	}
	status := http.StatusCreated
	if existing {
		status = http.StatusOK
	}
	m := s.media(zone(r), it)
	return &response{status: status, body: m, header: http.Header{"Location": {m.Links["self"][0].Href}}}, nil
}

// updateMedia changes an image's alt text and caption (uploader, editors
// and administrators, as in the newsroom).
func (s *Server) updateMedia(r *http.Request) (*response, error) {
	u, err := s.staff(r)
	if err != nil {
		return nil, err
	}
	id, err := pathID(r, "rest_post_invalid_id")
	if err != nil {
		return nil, err
	}
	it, err := s.desk.MediaItem(r.Context(), u, id)
	if errors.Is(err, news.ErrNotFound) || errors.Is(err, newsroom.ErrNoLibrary) {
		return nil, apiError(http.StatusNotFound, "rest_post_invalid_id", "Invalid post ID.")
	}
	if err != nil {
		return nil, err
	}
	p, err := readParams(nilWriter{}, r)
	if err != nil {
		return nil, err
	}
	text := newsroom.MediaText{Alt: it.Alt, Caption: it.Caption, Credit: it.Credit}
	if p.has("alt_text") {
		text.Alt = strings.TrimSpace(p.str("alt_text"))
	}
	if p.has("caption") {
		text.Caption = strings.TrimSpace(stripTags(p.str("caption")))
	}
	it, err = s.desk.UpdateMediaText(r.Context(), news.Actor{ID: u.ID, Role: u.Role}, id, text)
	if errors.Is(err, news.ErrForbidden) {
		return nil, apiError(http.StatusForbidden, "rest_cannot_edit", "Sorry, you are not allowed to edit this image.")
	}
	if err != nil {
		return nil, err
	}
	return &response{body: s.media(zone(r), it)}, nil
}

// ---- search

type searchJSON struct {
	ID      int64             `json:"id"`
	Title   string            `json:"title"`
	URL     string            `json:"url"`
	Type    string            `json:"type"`
	Subtype string            `json:"subtype"`
	Links   map[string][]link `json:"_links"`
}

func (s *Server) search(r *http.Request) (*response, error) {
	p := params{q: r.URL.Query()}
	page, perPage, err := p.paging()
	if err != nil {
		return nil, err
	}
	if t := p.str("type"); t != "" && t != "post" {
		return &response{body: []searchJSON{}, total: 0, pages: 0, page: page}, nil
	}
	list, total, err := s.desk.APIArticles(r.Context(), nil, news.APIFilter{Search: p.str("search"), Limit: perPage, Offset: (page - 1) * perPage,
		Pages: p.str("subtype") == "page"})
	if err != nil {
		return nil, err
	}
	out := make([]searchJSON, len(list))
	for i, a := range list {
		route := "posts/"
		if p.str("subtype") == "page" {
			route = "pages/"
		}
		out[i] = searchJSON{ID: a.ID, Title: a.Headline, URL: s.abs(a.URLPath()), Type: "post", Subtype: strings.TrimSuffix(route, "s/"),
			Links: map[string][]link{"self": {{Href: s.api(route + strconv.FormatInt(a.ID, 10)), Embeddable: true}}}}
	}
	return &response{body: out, total: total, pages: pageCount(total, perPage), page: page}, nil
}
