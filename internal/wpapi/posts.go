package wpapi

import (
	"errors"
	"html"
	"net/http"
	"strconv"
	"strings"
	"time"

	"masthead/internal/news"
	"masthead/internal/newsroom"
	"masthead/internal/wpcontent"
)

// post is a post or page as WordPress's REST API shows it.
type post struct {
	ID            int64             `json:"id"`
	Date          *string           `json:"date"`
	DateGMT       *string           `json:"date_gmt"`
	GUID          rendered          `json:"guid"`
	Modified      *string           `json:"modified"`
	ModifiedGMT   *string           `json:"modified_gmt"`
	Slug          string            `json:"slug"`
	Status        string            `json:"status"`
	Type          string            `json:"type"`
	Link          string            `json:"link"`
	Title         rendered          `json:"title"`
	Content       rendered          `json:"content"`
	Excerpt       rendered          `json:"excerpt"`
	Author        int64             `json:"author"`
	FeaturedMedia int64             `json:"featured_media"`
	CommentStatus string            `json:"comment_status"`
	PingStatus    string            `json:"ping_status"`
	Sticky        *bool             `json:"sticky,omitempty"`
	Template      string            `json:"template"`
	Format        string            `json:"format,omitempty"`
	Meta          []any             `json:"meta"`
	Categories    []int64           `json:"categories,omitzero"` // nil for pages; a post's are always sent, [] when empty
	Tags          []int64           `json:"tags,omitzero"`
	Parent        *int64            `json:"parent,omitempty"`
	MenuOrder     *int              `json:"menu_order,omitempty"`
	Links         map[string][]link `json:"_links"`
	Embedded      map[string]any    `json:"_embedded,omitempty"`
	page          *news.Page
	article       *news.Article
}

var wpStatus = map[news.Status]string{
	news.StatusPublished: "publish", news.StatusDraft: "draft", news.StatusReview: "pending",
	news.StatusScheduled: "future", news.StatusUnpublished: "private",
}

func statusFromWP(s string) (news.Status, bool) {
	for k, v := range wpStatus {
		if v == s {
			return k, true
		}
	}
	return "", false
}

func (s *Server) post(loc *time.Location, a *news.Article, page *news.Page, edit bool) post {
	kind, route := "post", "posts"
	if page != nil {
		kind, route = "page", "pages"
	}
	self := s.api(route + "/" + strconv.FormatInt(a.ID, 10))
	p := post{ID: a.ID, Slug: a.Slug, Status: wpStatus[a.Status], Type: kind, Template: "", Meta: []any{},
		GUID: rendered{Rendered: s.cfg.BaseURL + "/?p=" + strconv.FormatInt(a.ID, 10)}, CommentStatus: "closed", PingStatus: "closed",
		Title: rendered{Rendered: html.EscapeString(a.Headline)}, Content: rendered{Rendered: a.BodyHTML, Protected: new(bool)},
		Excerpt: rendered{Rendered: excerpt(a), Protected: new(bool)}, page: page, article: a}
	if edit {
		p.Title.Raw, p.Content.Raw, p.Excerpt.Raw = a.Headline, a.Body, a.Standfirst
	}
	if a.CommentsOpen {
		p.CommentStatus = "open"
	}
	date := a.PublishedAt
	if date.IsZero() {
		date = a.PublishAt
	}
	if date.IsZero() {
		date = a.CreatedAt
	}
	p.Date, p.DateGMT = s.wpDate(loc, date)
	p.Modified, p.ModifiedGMT = s.wpDate(loc, a.ModifiedAt)
	p.Link = p.GUID.Rendered
	if a.IsPublic() {
		p.Link = s.abs(a.URLPath())
	}
	if len(a.Authors) > 0 {
		p.Author = a.Authors[0].ID
	}
	p.Links = map[string][]link{
		"self":       {{Href: self}},
		"collection": {{Href: s.api(route)}},
		"about":      {{Href: s.api("types/" + kind)}},
		"author":     {{Href: s.api("users/" + strconv.FormatInt(p.Author, 10)), Embeddable: true}},
		"replies":    {{Href: s.api("comments?post=" + strconv.FormatInt(a.ID, 10)), Embeddable: true}},
	}
	if page != nil {
		parent, order := page.ParentID, page.MenuOrder
		p.Parent, p.MenuOrder = &parent, &order
		if parent != 0 {
			p.Links["up"] = []link{{Href: s.api("pages/" + strconv.FormatInt(parent, 10)), Embeddable: true}}
		}
	} else {
		sticky := a.Featured
		p.Sticky, p.Format = &sticky, "standard"
		p.Categories, p.Tags = []int64{}, []int64{}
		if a.Section != nil {
			p.Categories = append(p.Categories, a.Section.ID)
		}
		for _, t := range a.Tags {
			p.Tags = append(p.Tags, t.ID)
		}
		p.Links["wp:term"] = []link{
			{Taxonomy: "category", Embeddable: true, Href: s.api("categories?post=" + strconv.FormatInt(a.ID, 10))},
			{Taxonomy: "post_tag", Embeddable: true, Href: s.api("tags?post=" + strconv.FormatInt(a.ID, 10))},
		}
	}
	return p
}

func excerpt(a *news.Article) string {
	if a.Standfirst == "" {
		return ""
	}
	return "<p>" + html.EscapeString(a.Standfirst) + "</p>\n"
}

// embed fills _embedded: the author, the featured image, the terms and
// the approved comments.
func (s *Server) embed(r *http.Request, p *post) error {
	ctx := r.Context()
	a := p.article
	p.Embedded = map[string]any{}
	// The author as /users/{id} would show them to the caller, or its
	// error, as WordPress embeds it.
	u, err := s.user(r)
	if err != nil {
		return err
	}
	var authors []any
	for _, byline := range a.Authors[:min(1, len(a.Authors))] {
		au, err := s.profile(r, u, byline.ID)
		var e *Error
		switch {
		case errors.As(err, &e):
			authors = append(authors, e)
		case err != nil:
			return err
		default:
			authors = append(authors, s.userJSON(*au))
		}
	}
	p.Embedded["author"] = authors
	if p.FeaturedMedia != 0 {
		viewer, _ := s.user(r) // already authenticated by the request's handler
		if it, err := s.desk.MediaItem(ctx, viewer, p.FeaturedMedia); err == nil {
			p.Embedded["wp:featuredmedia"] = []any{s.media(zone(r), it)}
		}
	} else if img := a.LeadImage; img != nil {
		p.Embedded["wp:featuredmedia"] = []any{s.remoteImage(a, img)}
	}
	if p.page == nil {
		cats := []any{}
		if a.Section != nil {
			cats = append(cats, s.category(*a.Section, 0, 0))
		}
		tags := []any{}
		for _, t := range a.Tags {
			tags = append(tags, s.tag(t))
		}
		p.Embedded["wp:term"] = []any{cats, tags}
	}
	comments, err := s.desk.PublishedComments(ctx, a.ID)
	if err != nil && !errors.Is(err, news.ErrNotFound) { // not published: no replies to embed
		return err
	}
	if len(comments) > 0 {
		list := make([]any, len(comments))
		for i, c := range comments {
			list[i] = s.comment(zone(r), c, false)
		}
		p.Embedded["replies"] = []any{list}
	}
	return nil
}

// featured finds the library item an article's lead image is, if any.
func (s *Server) featured(r *http.Request, viewer *news.Staff, a *news.Article) int64 {
	img := a.LeadImage
	if img == nil || !strings.HasPrefix(img.URL, "/media/") {
		return 0
	}
	hash := mediaHash(img.URL)
	if hash == "" {
		return 0
	}
	it, err := s.desk.MediaByHash(r.Context(), viewer, hash)
	if err != nil {
		return 0
	}
	return it.ID
}

// mediaHash reads the SHA-256 a library file is named by
// (/media/lib/ab/<sha256>[-WxH].ext).
func mediaHash(u string) string {
	name := u[strings.LastIndexByte(u, '/')+1:]
	if i := strings.IndexAny(name, "-."); i >= 0 {
		name = name[:i]
	}
	if len(name) != 64 {
		return ""
	}
	return name
}

var errOthersByline = apiError(http.StatusForbidden, "rest_cannot_edit_others", "Sorry, you are not allowed to create posts as this user.")

// canEdit reports whether u may see and change a.
func (s *Server) canEdit(u *news.Staff, a *news.Article) bool {
	return u != nil && s.desk.MayEdit(news.Actor{ID: u.ID, Role: u.Role}, a)
}

func (s *Server) listArticles(pages bool) handlerFunc {
	return func(r *http.Request) (*response, error) {
		u, err := s.user(r)
		if err != nil {
			return nil, err
		}
		p := params{q: r.URL.Query()}
		page, perPage, err := p.paging()
		if err != nil {
			return nil, err
		}
		f := news.APIFilter{Pages: pages, Search: p.str("search"), Slugs: p.list("slug"), Limit: perPage, Offset: (page - 1) * perPage}
		for _, st := range p.list("status") {
			if st == "any" {
				f.Statuses = append(f.Statuses, news.StatusPublished, news.StatusDraft, news.StatusReview, news.StatusScheduled, news.StatusUnpublished)
				continue
			}
			ns, ok := statusFromWP(st)
			if !ok {
				return nil, invalidParam("status", "status is not one of publish, future, draft, pending, private, any.")
			}
			f.Statuses = append(f.Statuses, ns)
		}
		for name, dst := range map[string]*[]int64{"categories": &f.SectionIDs, "tags": &f.TagIDs, "author": &f.AuthorIDs, "include": &f.IDs, "exclude": &f.Exclude} {
			if *dst, err = p.ids(name); err != nil {
				return nil, err
			}
		}
		switch ob := p.str("orderby"); ob {
		case "", "date", "relevance":
		case "id", "title", "slug", "modified":
			f.OrderBy = ob
		case "include":
			f.OrderBy = "id"
		default:
			return nil, invalidParam("orderby", "orderby is not one of author, date, id, include, modified, parent, relevance, slug, include_slugs, title.")
		}
		switch p.str("order") {
		case "", "desc":
		case "asc":
			f.Asc = true
		default:
			return nil, invalidParam("order", "order is not one of asc, desc.")
		}
		list, total, err := s.desk.APIArticles(r.Context(), u, f)
		if errors.Is(err, news.ErrForbidden) {
			return nil, apiError(http.StatusBadRequest, "rest_invalid_param", "Status is forbidden.")
		}
		if err != nil {
			return nil, err
		}
		pagesOf, err := s.pagesByArticle(r, pages)
		if err != nil {
			return nil, err
		}
		embed := p.has("_embed")
		out := make([]post, 0, len(list))
		for _, a := range list {
			var pg *news.Page
			if pages {
				v := pagesOf[a.ID]
				pg = &v
			}
			item := s.post(zone(r), a, pg, s.canEdit(u, a) && p.str("context") == "edit")
			item.FeaturedMedia = s.featured(r, u, a)
			if embed {
				if err := s.embed(r, &item); err != nil {
					return nil, err
				}
			}
			out = append(out, item)
		}
		if total > 0 && page > pageCount(total, perPage) {
			return nil, apiError(http.StatusBadRequest, "rest_post_invalid_page_number", "The page number requested is larger than the number of pages available.")
		}
		return &response{body: out, total: total, pages: pageCount(total, perPage), page: page}, nil
	}
}

func (s *Server) pagesByArticle(r *http.Request, want bool) (map[int64]news.Page, error) {
	if !want {
		return map[int64]news.Page{}, nil
	}
	return s.desk.PagesByArticle(r.Context())
}

// load finds a post or page the requester may see.
func (s *Server) load(r *http.Request, pages bool) (*news.Article, *news.Page, *news.Staff, error) {
	u, err := s.user(r)
	if err != nil {
		return nil, nil, nil, err
	}
	id, err := pathID(r, "rest_post_invalid_id")
	if err != nil {
		return nil, nil, nil, err
	}
	a, pg, err := s.desk.APIArticle(r.Context(), u, id, pages)
	switch {
	case errors.Is(err, news.ErrNotFound):
		return nil, nil, nil, apiError(http.StatusNotFound, "rest_post_invalid_id", "Invalid post ID.")
	case errors.Is(err, news.ErrForbidden) && u == nil:
		return nil, nil, nil, apiError(http.StatusUnauthorized, "rest_forbidden", "Sorry, you are not allowed to do that.")
	case errors.Is(err, news.ErrForbidden):
		return nil, nil, nil, apiError(http.StatusForbidden, "rest_forbidden", "Sorry, you are not allowed to do that.")
	case err != nil:
		return nil, nil, nil, err
	}
	return a, pg, u, nil
}

func (s *Server) getArticle(pages bool) handlerFunc {
	return func(r *http.Request) (*response, error) {
		a, pg, u, err := s.load(r, pages)
		if err != nil {
			return nil, err
		}
		p := s.post(zone(r), a, pg, s.canEdit(u, a) && r.URL.Query().Get("context") == "edit")
		p.FeaturedMedia = s.featured(r, u, a)
		if r.URL.Query().Has("_embed") {
			if err := s.embed(r, &p); err != nil {
				return nil, err
			}
		}
		return &response{body: p}, nil
	}
}

// snapshot applies what a client sent to an article's editable fields.
func (s *Server) snapshot(r *http.Request, p params, a *news.Article, u *news.Staff) (news.Snapshot, error) {
	snap := a.Snapshot()
	if p.has("title") {
		snap.Headline = strings.TrimSpace(html.UnescapeString(p.str("title")))
	}
	if p.has("slug") {
		snap.Slug = p.str("slug")
	}
	if p.has("content") {
		md, err := wpcontent.ToMarkdown(p.str("content"))
		if err != nil {
			return snap, invalidParam("content", "The content could not be read as HTML.")
		}
		snap.Body = md
	}
	if p.has("excerpt") {
		snap.Standfirst = strings.TrimSpace(html.UnescapeString(stripTags(p.str("excerpt"))))
	}
	if p.has("comment_status") {
		snap.CommentsOpen = p.str("comment_status") == "open"
	}
	if p.has("sticky") {
		snap.Featured = p.str("sticky") == "true" || p.str("sticky") == "1"
	}
	if p.has("categories") {
		ids, err := p.ids("categories")
		if err != nil {
			return snap, err
		}
		snap.SectionID = 0
		if len(ids) > 0 {
			snap.SectionID = ids[0]
		}
	}
	if p.has("tags") {
		ids, err := p.ids("tags")
		if err != nil {
			return snap, err
		}
		all, err := s.desk.Tags(r.Context())
		if err != nil {
			return snap, err
		}
		byID := map[int64]string{}
		for _, t := range all {
			byID[t.ID] = t.Name
		}
		snap.Tags = nil
		for _, id := range ids {
			name, ok := byID[id]
			if !ok {
				return snap, invalidParam("tags", "tag "+strconv.FormatInt(id, 10)+" does not exist.")
			}
			snap.Tags = append(snap.Tags, name)
		}
	}
	if p.has("author") {
		id, err := strconv.ParseInt(p.str("author"), 10, 64)
		if err != nil {
			return snap, invalidParam("author", "author is not an id.")
		}
		snap.AuthorIDs = []int64{id}
	}
	if p.has("featured_media") {
		id, err := strconv.ParseInt(p.str("featured_media"), 10, 64)
		if err != nil {
			return snap, invalidParam("featured_media", "featured_media is not an id.")
		}
		snap.ImageURL, snap.ImageAlt, snap.ImageCaption, snap.ImageCredit = "", "", "", ""
		if id != 0 {
			it, err := s.desk.MediaItem(r.Context(), u, id)
			if err != nil {
				return snap, invalidParam("featured_media", "Invalid featured media ID.")
			}
			snap.ImageURL, snap.ImageAlt, snap.ImageCaption, snap.ImageCredit = it.LeadURL(), it.Alt, it.Caption, it.Credit
		}
	}
	return snap, nil
}

func stripTags(s string) string {
	var b strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
		case r == '>':
			in = false
		case !in:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func (s *Server) createArticle(pages bool) handlerFunc {
	return func(r *http.Request) (*response, error) {
		u, err := s.staff(r)
		if err != nil {
			return nil, err
		}
		p, err := readParams(nilWriter{}, r)
		if err != nil {
			return nil, err
		}
		if pages && p.str("slug") == "" && p.str("title") == "" {
			return nil, invalidParam("title", "A page needs a title or a slug.")
		}
		blank, err := s.desk.NewSnapshot(r.Context(), actorOf(u)) // comments as the site's policy starts them
		if err != nil {
			return nil, err
		}
		snap, err := s.snapshot(r, p, &news.Article{CommentsOpen: blank.CommentsOpen}, u)
		if err != nil {
			return nil, err
		}
		if snap.Headline == "" {
			return nil, invalidParam("title", "Every post needs a title, even a draft.")
		}
		step, err := s.step(zone(r), p, news.StatusDraft)
		if err != nil {
			return nil, err
		}
		actor := news.Actor{ID: u.ID, Role: u.Role}
		create := s.desk.CreateAndStep
		if pages {
			create = s.desk.CreatePage
		}
		a, err := create(r.Context(), actor, snap, step)
		switch {
		case errors.Is(err, news.ErrOthersByline):
			return nil, errOthersByline
		case errors.Is(err, newsroom.ErrPagesForEditors), errors.Is(err, news.ErrForbidden) && step.Action == "":
			return nil, apiError(http.StatusForbidden, "rest_cannot_create", "Sorry, you are not allowed to create posts as this user.")
		case err != nil:
			return nil, stepError(err, step)
		}
		return s.written(r, a, u, pages, http.StatusCreated)
	}
}

func (s *Server) updateArticle(pages bool) handlerFunc {
	return func(r *http.Request) (*response, error) {
		a, _, u, err := s.load(r, pages)
		if err != nil {
			return nil, err
		}
		if u == nil {
			return nil, apiError(http.StatusUnauthorized, "rest_cannot_edit", "Sorry, you are not allowed to edit this post.")
		}
		if !s.canEdit(u, a) {
			return nil, apiError(http.StatusForbidden, "rest_cannot_edit", "Sorry, you are not allowed to edit this post.")
		}
		p, err := readParams(nilWriter{}, r)
		if err != nil {
			return nil, err
		}
		snap, err := s.snapshot(r, p, a, u)
		if err != nil {
			return nil, err
		}
		step, err := s.step(zone(r), p, a.Status)
		if err != nil {
			return nil, err
		}
		res, err := s.desk.SaveAndStep(r.Context(), news.Actor{ID: u.ID, Role: u.Role}, a.ID, a.Version, snap, step)
		if errors.Is(err, news.ErrOthersByline) {
			return nil, errOthersByline
		}
		if err != nil {
			return nil, stepError(err, step)
		}
		return s.written(r, res.Article, u, pages, http.StatusOK)
	}
}

// step reads the workflow step the client's status asks of an article
// that is now in status from; none when it asks for none, or for the
// status the article has.
func (s *Server) step(loc *time.Location, p params, from news.Status) (newsroom.Step, error) {
	step := newsroom.Step{Note: "via the REST API"}
	if !p.has("status") {
		return step, nil
	}
	want, ok := statusFromWP(p.str("status"))
	if !ok {
		return step, invalidParam("status", "status is not one of publish, future, draft, pending, private.")
	}
	switch want {
	case from:
	case news.StatusPublished:
		step.Action = news.ActionPublish
	case news.StatusReview:
		step.Action = news.ActionSubmit
	case news.StatusScheduled:
		step.Action = news.ActionSchedule
		t, err := time.ParseInLocation("2006-01-02T15:04:05", p.str("date"), loc)
		if err != nil {
			if t, err = time.Parse(time.RFC3339, p.str("date_gmt")+"Z"); err != nil {
				return step, invalidParam("date", "A scheduled post needs a date (YYYY-MM-DDTHH:MM:SS).")
			}
		}
		step.PublishAt = t
	case news.StatusUnpublished:
		step.Action = news.ActionUnpublish
	case news.StatusDraft:
		step.Action = map[news.Status]news.Action{news.StatusReview: news.ActionReturn, news.StatusScheduled: news.ActionUnschedule}[from]
		if step.Action == "" {
			return step, invalidParam("status", "A "+wpStatus[from]+" post cannot go back to draft.")
		}
	}
	return step, nil
}

// stepError is WordPress's answer to a create or save whose status step
// was refused.
func stepError(err error, step newsroom.Step) error {
	if step.Action != "" && errors.Is(err, news.ErrForbidden) {
		return apiError(http.StatusForbidden, "rest_cannot_publish", "Sorry, you are not allowed to "+string(step.Action)+" this post: "+strings.TrimPrefix(err.Error(), "forbidden: "))
	}
	return err
}

func (s *Server) written(r *http.Request, a *news.Article, u *news.Staff, pages bool, status int) (*response, error) {
	a, pg, err := s.desk.APIArticle(r.Context(), u, a.ID, pages)
	if err != nil {
		return nil, err
	}
	p := s.post(zone(r), a, pg, true)
	p.FeaturedMedia = s.featured(r, u, a)
	res := &response{status: status, body: p, header: http.Header{}}
	if status == http.StatusCreated {
		res.header.Set("Location", p.Links["self"][0].Href)
	}
	return res, nil
}

// nilWriter lets readParams limit a body without a ResponseWriter.
type nilWriter struct{}

func (nilWriter) Header() http.Header         { return http.Header{} }
func (nilWriter) Write(b []byte) (int, error) { return len(b), nil }
func (nilWriter) WriteHeader(int)             {}
