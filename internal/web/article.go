package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"masthead/internal/edge"
	"masthead/internal/markup"
	"masthead/internal/news"
	"masthead/internal/render"
)

type articlePage struct {
	Layout     render.Layout
	Article    *news.Article
	Neighbours news.Neighbours
	Related    []*news.Article
	Comments   []*render.CommentNode
	ReplyTo    *news.Comment
	Form       render.CommentForm
	Quoted     []*news.Person // who the article quotes, in order of appearance
	// Frames says the body has embeds that load a frame when asked, so
	// the page needs site.js (which loads them) and a policy allowing them.
	Frames bool
	// Static is a page (About, Contact …) at /page/{slug}: its title and
	// text only, with no byline, dates, neighbours or comments.
	Static bool
	// Signup is the newsletter form after the story: the same for every
	// reader, so the page stays cacheable.
	Signup render.Signup
	// Follows are the authors' follows by email, by author id, for the
	// sign-up form in each author box.
	Follows map[int64]*news.Newsletter
	Live    *livePage // nil unless the article is, or was, a live blog
}

// articlePath validates the dated path parameters and returns the stored path.
func articlePath(r *http.Request) (string, bool) {
	y, m, d, slug := r.PathValue("year"), r.PathValue("month"), r.PathValue("day"), r.PathValue("slug")
	if len(y) != 4 || len(m) != 2 || len(d) != 2 || !news.ValidSlug(slug) {
		return "", false
	}
	for _, part := range []string{y, m, d} {
		if _, err := strconv.Atoi(part); err != nil {
			return "", false
		}
	}
	return y + "/" + m + "/" + d + "/" + slug, true
}

func (s *Server) articleShow(w http.ResponseWriter, r *http.Request) {
	path, ok := articlePath(r)
	if !ok {
		s.fail(w, r, news.ErrNotFound)
		return
	}
	pending := s.pendingComments(r)
	a, err := s.store.PublishedArticle(r.Context(), path)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var replyTo int64
	if v := r.URL.Query().Get("replyto"); v != "" {
		replyTo, _ = strconv.ParseInt(v, 10, 64)
	}
	var form render.CommentForm
	if hasReaderCookie(r) {
		if sess := s.readerSession(r); sess != nil {
			form.Reader = sess.Reader
		} else {
			s.dropReaderCookie(w, r) // ended: let the cache answer this browser again
		}
	}
	p, err := s.articlePage(r, a, pending, replyTo, form, http.StatusOK)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if len(pending) > 0 || form.Reader != nil {
		p.cacheControl = cachePrivat // shows this reader's own unmoderated comments, or names them
	}
	s.write(w, r, p)
}

// articlePage renders an article with its comments. pending names the
// reader's own comments awaiting moderation; form refills the reply form
// after a failed submission.
func (s *Server) articlePage(r *http.Request, a *news.Article, pending []int64, replyTo int64, form render.CommentForm, status int) (*page, error) {
	ctx := r.Context()
	title := a.Headline
	if a.SEOTitle != "" {
		title = a.SEOTitle
	}
	desc := a.Standfirst
	if a.SEODescription != "" {
		desc = a.SEODescription
	}
	lay, err := s.layout(r, title, desc, a.URLPath())
	if err != nil {
		return nil, err
	}
	if a.Section != nil {
		lay.Current = a.Section.Slug
	}
	lay.OG = render.OpenGraph{Type: "article", PublishedTime: a.PublishedAt, ModifiedTime: a.LastModified()}
	if a.LeadImage != nil {
		lay.OG.Image, lay.OG.ImageAlt = s.absURL(a.LeadImage.URL), a.LeadImage.Alt
	}
	if a.Section != nil {
		lay.OG.Section = a.Section.Name
	}
	for _, au := range a.Authors {
		lay.OG.Authors = append(lay.OG.Authors, s.abs(au.URLPath()))
	}
	for _, t := range a.Tags {
		lay.OG.Tags = append(lay.OG.Tags, t.Name)
	}
	crumbs := []ldListItem{{Name: lay.Site.Name, Item: s.abs("/")}}
	if a.Section != nil {
		crumbs = append(crumbs, ldListItem{Name: a.Section.Name, Item: s.abs(a.Section.URLPath())})
	}
	crumbs = append(crumbs, ldListItem{Name: a.Headline, Item: s.abs(a.URLPath())})
	spans, quoteLD, quoted, err := s.articleQuotes(r, a)
	if err != nil {
		return nil, err
	}
	a.BodyHTML = markup.MarkQuotes(a.BodyHTML, spans)
	static := strings.HasPrefix(a.Path, "page/")
	var live *livePage
	if static {
		// Not news: no NewsArticle for search engines, and no comments.
		lay.OG = render.OpenGraph{Type: "website"}
		lay.JSONLD = []string{s.breadcrumbsLD(crumbs...)}
		a.CommentsOpen = false
	} else {
		lay.JSONLD = []string{s.articleLD(lay, a, quoteLD), s.breadcrumbsLD(crumbs...)}
		// The comment policy may have closed comments on an older article.
		a.CommentsOpen = lay.Site.Comments.OpenOn(a, s.desk.Now())
		if live, err = s.livePage(r, a); err != nil {
			return nil, err
		}
		if live != nil {
			lay.JSONLD[0] = s.liveBlogLD(lay, a, live, quoteLD)
			lay.Feeds = append([]render.Feed{{Title: a.Headline + ": live updates", Type: "application/atom+xml", URL: s.abs(a.URLPath() + "/live.atom")}}, lay.Feeds...)
		}
	}
	frames := markup.FrameOrigins(a.BodyHTML + live.html())
	data := articlePage{Layout: lay, Article: a, Form: form, Quoted: quoted, Frames: len(frames) > 0, Static: static, Live: live}
	if !static {
		if data.Neighbours, err = s.store.Neighbours(ctx, a); err != nil {
			return nil, err
		}
		if data.Related, err = s.store.Related(ctx, a, 3); err != nil {
			return nil, err
		}
		ids := make([]int64, len(a.Authors))
		for i, au := range a.Authors {
			ids[i] = au.ID
		}
		sg, err := s.signups(ctx, 0, ids)
		if err != nil {
			return nil, err
		}
		data.Signup.Newsletters, data.Follows = sg.General, sg.People
	}
	var comments []*news.Comment
	if a.CommentCount > 0 || len(pending) > 0 {
		// a was read with its count of approved comments; with none, and
		// none of the reader's own awaiting moderation, there is nothing
		// to list (most stories).
		if comments, err = s.store.ArticleComments(ctx, a.ID, pending); err != nil {
			return nil, err
		}
	}
	data.Comments = commentTree(news.Thread(comments), a.CommentsOpen)
	for _, c := range comments {
		if c.ID == replyTo && c.Status == news.CommentApproved {
			data.ReplyTo = c
		}
	}
	p, err := s.html(status, "article", data)
	if err != nil {
		return nil, err
	}
	p.lastModified = latest(lastModified(a, comments), live.modified())
	if len(frames) > 0 {
		p.csp = edge.ContentSecurityPolicyWithFrames(frames)
	}
	return p, nil
}

func commentTree(roots []*news.Comment, open bool) []*render.CommentNode {
	out := make([]*render.CommentNode, len(roots))
	for i, c := range roots {
		out[i] = &render.CommentNode{
			Comment:  c,
			Pending:  c.Status == news.CommentPending,
			CanReply: open && c.Status == news.CommentApproved,
			Replies:  commentTree(c.Replies, open),
		}
	}
	return out
}

// lastModified is when anything shown on an article page last changed.
func lastModified(a *news.Article, comments []*news.Comment) time.Time {
	t := a.ModifiedAt
	for _, c := range comments {
		if c.CreatedAt.After(t) {
			t = c.CreatedAt
		}
	}
	return t
}
