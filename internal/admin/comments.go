package admin

// Comment moderation: the queue (folders with counts, pages, bulk actions,
// each comment's spam check), a comment in the context of its article's
// whole conversation, replies as staff, and the blocklist. Everything here
// needs news.PermModerate (editors and administrators).

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"masthead/internal/edge"
	"masthead/internal/news"
	"masthead/internal/render"
)

// queuePageSize is how many comments one page of a folder shows.
const queuePageSize = 50

type folder struct {
	Status news.CommentStatus
	Label  string
	Count  int
}

var commentFolders = []folder{
	{Status: news.CommentPending, Label: "Pending"},
	{Status: news.CommentApproved, Label: "Approved"},
	{Status: news.CommentSpam, Label: "Spam"},
	{Status: news.CommentTrash, Label: "Trash"},
}

func validCommentStatus(st news.CommentStatus) bool {
	for _, f := range commentFolders {
		if f.Status == st {
			return true
		}
	}
	return false
}

// moderationFlashes are this file's confirmations (?done=…), in addition to
// the newsroom's shared ones.
var moderationFlashes = map[string]string{
	"moderated": "Comments updated.",
	"replied":   "Reply published.",
	"blocked":   "Added to the blocklist.",
	"already":   "That was already on the blocklist.",
	"unblocked": "Removed from the blocklist.",
}

// moderationLayout is the newsroom layout with this file's confirmations.
func (s *Server) moderationLayout(r *http.Request, title string) render.AdminLayout {
	lay := s.layout(r, title, "comments")
	if f, ok := moderationFlashes[r.URL.Query().Get("done")]; ok {
		lay.Flash = f
	}
	return lay
}

// moderator refuses staff whose role may not moderate.
func moderator(r *http.Request) error {
	if !actor(r).Role.Can(news.PermModerate) {
		return news.ErrForbidden
	}
	return nil
}

// queueItem is a comment in the queue with its spam check (nil for
// comments that had none: staff replies, comments from before the check).
type queueItem struct {
	news.ModerationItem
	Check *news.SpamCheck
}

type commentsPage struct {
	Layout           render.AdminLayout
	Status           news.CommentStatus
	Folders          []folder
	Items            []queueItem
	Page, Pages      int
	Total            int
	PrevURL, NextURL string
	SpamThreshold    int
}

func queueURL(status news.CommentStatus, page int) string {
	u := "/admin/comments?status=" + url.QueryEscape(string(status))
	if page > 1 {
		u += "&page=" + strconv.Itoa(page)
	}
	return u
}

func (s *Server) commentQueue(w http.ResponseWriter, r *http.Request) error {
	if err := moderator(r); err != nil {
		return err
	}
	ctx := r.Context()
	q := r.URL.Query()
	status := news.CommentStatus(q.Get("status"))
	if status == "" {
		status = news.CommentPending
	}
	if !validCommentStatus(status) {
		return edge.BadRequest("Unknown comment folder.")
	}
	page, err := pageNumber(q)
	if err != nil {
		return err
	}
	counts, err := s.store.CountCommentsByStatus(ctx)
	if err != nil {
		return err
	}
	data := commentsPage{Layout: s.moderationLayout(r, "Comments"), Status: status, Total: counts[status], SpamThreshold: news.SpamThreshold}
	for _, f := range commentFolders {
		f.Count = counts[f.Status]
		data.Folders = append(data.Folders, f)
	}
	// A page past the end (the last comments of a page were just moved
	// away) shows the last page rather than nothing.
	data.Pages = max(1, (data.Total+queuePageSize-1)/queuePageSize)
	data.Page = min(page, data.Pages)
	if data.Page > 1 {
		data.PrevURL = queueURL(status, data.Page-1)
	}
	if data.Page < data.Pages {
		data.NextURL = queueURL(status, data.Page+1)
	}
	items, err := s.store.CommentsByStatus(ctx, status, queuePageSize, (data.Page-1)*queuePageSize)
	if err != nil {
		return err
	}
	ids := make([]int64, len(items))
	for i, it := range items {
		ids[i] = it.Comment.ID
	}
	checks, err := s.store.CommentChecks(ctx, ids)
	if err != nil {
		return err
	}
	for _, it := range items {
		qi := queueItem{ModerationItem: it}
		if c, ok := checks[it.Comment.ID]; ok {
			qi.Check = &c
		}
		data.Items = append(data.Items, qi)
	}
	return s.page(w, http.StatusOK, "comments", data)
}

// commentModerate applies one action to the selected comments, then goes
// back to where the form was: a queue folder and page, a comment in
// context, or an article's comments.
func (s *Server) commentModerate(w http.ResponseWriter, r *http.Request) error {
	if err := moderator(r); err != nil {
		return err
	}
	to := news.CommentStatus(r.PostForm.Get("action"))
	if !validCommentStatus(to) {
		return edge.BadRequest("Choose what to do with the selected comments.")
	}
	for _, v := range r.PostForm["id"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return edge.BadRequest("Unknown comment.")
		}
		if err := s.store.SetCommentStatus(r.Context(), id, to); err != nil && !errors.Is(err, news.ErrNotFound) {
			return err
		}
	}
	http.Redirect(w, r, backURL(r, "moderated"), http.StatusSeeOther)
	return nil
}

// backURL is where a moderation form returns to, rebuilt from its fields
// (never a URL the form supplied): "comment" (a comment in context),
// "article" (an article's comments), or "from" and "page" (a queue folder).
func backURL(r *http.Request, done string) string {
	f := r.PostForm
	if id, err := strconv.ParseInt(f.Get("comment"), 10, 64); err == nil && id > 0 {
		return fmt.Sprintf("/admin/comments/%d?done=%s#comment-%d", id, done, id)
	}
	if id, err := strconv.ParseInt(f.Get("article"), 10, 64); err == nil && id > 0 {
		return fmt.Sprintf("/admin/articles/%d/comments?done=%s", id, done)
	}
	from := news.CommentStatus(f.Get("from"))
	if !validCommentStatus(from) {
		from = news.CommentPending
	}
	page, _ := strconv.Atoi(f.Get("page"))
	return queueURL(from, page) + "&done=" + done
}

// threadNode is one comment of an article's conversation as moderators
// see it.
type threadNode struct {
	Comment *news.Comment
	Check   *news.SpamCheck
	Focus   bool // the comment the page is about
	Replies []*threadNode
}

// replyForm is the "reply as staff" form.
type replyForm struct {
	Action   string // where it posts
	Heading  string
	Button   string
	Body     string
	Error    string
	Disabled string // why there is no form (the comment is spam or binned)
}

type threadPage struct {
	Layout  render.AdminLayout
	Article *news.Article
	Focus   *news.Comment // nil on an article's comments page
	Check   *news.SpamCheck
	Thread  []*threadNode
	Counts  []folder // the article's comments by status
	Reply   replyForm
	From    news.CommentStatus // the queue folder the moderator came from
}

// commentShow shows a comment in the context of its article's whole
// conversation, every status included, with its spam check, moderation
// buttons, blocklist shortcuts and the form to reply as staff.
func (s *Server) commentShow(w http.ResponseWriter, r *http.Request) error {
	if err := moderator(r); err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	c, err := s.store.Comment(r.Context(), id)
	if err != nil {
		return err
	}
	return s.renderThread(w, r, http.StatusOK, c.ArticleID, c, replyForm{})
}

// articleComments shows an article's whole conversation with a form to
// comment on it as staff.
func (s *Server) articleComments(w http.ResponseWriter, r *http.Request) error {
	if err := moderator(r); err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return s.renderThread(w, r, http.StatusOK, id, nil, replyForm{})
}

func (s *Server) renderThread(w http.ResponseWriter, r *http.Request, status int, articleID int64, focus *news.Comment, form replyForm) error {
	ctx := r.Context()
	a, err := s.store.Article(ctx, articleID)
	if err != nil {
		return err
	}
	all, err := s.store.ArticleThread(ctx, a.ID)
	if err != nil {
		return err
	}
	ids := make([]int64, len(all))
	counts := map[news.CommentStatus]int{}
	for i, c := range all {
		ids[i] = c.ID
		counts[c.Status]++
	}
	checks, err := s.store.CommentChecks(ctx, ids)
	if err != nil {
		return err
	}
	title := "Comments: " + a.Headline
	if focus != nil {
		title = "Comment by " + focus.Name
	}
	data := threadPage{Layout: s.moderationLayout(r, title), Article: a, Focus: focus, Reply: form}
	data.Thread = threadNodes(news.Thread(all), checks, focus)
	for _, f := range commentFolders {
		f.Count = counts[f.Status]
		data.Counts = append(data.Counts, f)
	}
	if st := news.CommentStatus(r.FormValue("from")); validCommentStatus(st) {
		data.From = st
	}
	if focus != nil {
		if c, ok := checks[focus.ID]; ok {
			data.Check = &c
		}
		data.Reply.Action = fmt.Sprintf("/admin/comments/%d/reply", focus.ID)
		data.Reply.Heading = "Reply to " + focus.Name + " as staff"
		data.Reply.Button = "Publish reply"
		switch focus.Status {
		case news.CommentPending:
			data.Reply.Button = "Approve and reply"
		case news.CommentSpam, news.CommentTrash:
			data.Reply.Disabled = "This comment is in the " + string(focus.Status) + " folder. Approve it or send it back to pending before replying."
		}
	} else {
		data.Reply.Action = fmt.Sprintf("/admin/articles/%d/comments", a.ID)
		data.Reply.Heading = "Comment as staff"
		data.Reply.Button = "Publish comment"
	}
	return s.page(w, status, "comment_thread", data)
}

func threadNodes(list []*news.Comment, checks map[int64]news.SpamCheck, focus *news.Comment) []*threadNode {
	out := make([]*threadNode, len(list))
	for i, c := range list {
		n := &threadNode{Comment: c, Focus: focus != nil && c.ID == focus.ID, Replies: threadNodes(c.Replies, checks, focus)}
		if ck, ok := checks[c.ID]; ok {
			n.Check = &ck
		}
		out[i] = n
	}
	return out
}

// commentReply publishes a staff member's reply to a comment: approved at
// once, marked as staff, under their name. Answering a pending comment
// approves it too.
func (s *Server) commentReply(w http.ResponseWriter, r *http.Request) error {
	if err := moderator(r); err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	parent, err := s.store.Comment(r.Context(), id)
	if err != nil {
		return err
	}
	return s.publishReply(w, r, parent.ArticleID, parent)
}

// articleCommentCreate publishes a top-level comment by a member of staff.
// It works on articles whose comments are closed too: closing stops
// readers, not the newsroom.
func (s *Server) articleCommentCreate(w http.ResponseWriter, r *http.Request) error {
	if err := moderator(r); err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := s.store.Article(r.Context(), id); err != nil {
		return err
	}
	return s.publishReply(w, r, id, nil)
}

func (s *Server) publishReply(w http.ResponseWriter, r *http.Request, articleID int64, parent *news.Comment) error {
	me := sessionFrom(r.Context()).Staff
	body := r.PostForm.Get("reply")
	reply, approveParent, err := news.StaffReply(*me, articleID, parent, body)
	var fe news.FieldErrors
	if errors.As(err, &fe) {
		return s.renderThread(w, r, http.StatusUnprocessableEntity, articleID, parent, replyForm{Body: body, Error: fe["reply"]})
	}
	if err != nil {
		return err
	}
	reply.IP = edge.ClientIP(r, s.cfg.TrustProxy)
	reply.UserAgent = truncate(r.UserAgent(), 300)
	if err := s.store.CreateStaffReply(r.Context(), reply, approveParent); err != nil {
		return err
	}
	if from := news.CommentStatus(r.PostForm.Get("from")); validCommentStatus(from) {
		http.Redirect(w, r, backURL(r, "replied"), http.StatusSeeOther)
		return nil
	}
	http.Redirect(w, r, fmt.Sprintf("/admin/comments/%d?done=replied#comment-%d", reply.ID, reply.ID), http.StatusSeeOther)
	return nil
}

type blockForm struct {
	Kind        news.BlockKind
	Value, Note string
	Errors      news.FieldErrors
}

type blocklistPage struct {
	Layout  render.AdminLayout
	Kinds   []news.BlockKind
	Entries news.Blocklist
	Form    blockForm
}

func (s *Server) blocklist(w http.ResponseWriter, r *http.Request) error {
	if err := moderator(r); err != nil {
		return err
	}
	return s.renderBlocklist(w, r, http.StatusOK, blockForm{Kind: news.BlockEmail})
}

func (s *Server) renderBlocklist(w http.ResponseWriter, r *http.Request, status int, form blockForm) error {
	list, err := s.store.Blocklist(r.Context())
	if err != nil {
		return err
	}
	data := blocklistPage{Layout: s.moderationLayout(r, "Blocklist"), Kinds: news.BlockKinds, Entries: list, Form: form}
	return s.page(w, status, "blocklist", data)
}

// blockAdd adds an entry. Blocking what is already blocked is not an
// error. A shortcut from a comment ("block this email") returns to it.
func (s *Server) blockAdd(w http.ResponseWriter, r *http.Request) error {
	if err := moderator(r); err != nil {
		return err
	}
	f := r.PostForm
	b, err := news.NewBlock(news.BlockKind(f.Get("kind")), f.Get("value"), f.Get("note"))
	var fe news.FieldErrors
	if errors.As(err, &fe) {
		return s.renderBlocklist(w, r, http.StatusUnprocessableEntity, blockForm{Kind: news.BlockKind(f.Get("kind")), Value: f.Get("value"), Note: f.Get("note"), Errors: fe})
	}
	if err != nil {
		return err
	}
	done := "blocked"
	if err := s.store.AddBlock(r.Context(), &b, actor(r).ID); errors.Is(err, news.ErrConflict) {
		done = "already"
	} else if err != nil {
		return err
	}
	if id, err := strconv.ParseInt(f.Get("comment"), 10, 64); err == nil && id > 0 {
		http.Redirect(w, r, backURL(r, done), http.StatusSeeOther)
		return nil
	}
	http.Redirect(w, r, "/admin/blocklist?done="+done, http.StatusSeeOther)
	return nil
}

func (s *Server) blockRemove(w http.ResponseWriter, r *http.Request) error {
	if err := moderator(r); err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.store.RemoveBlock(r.Context(), id); err != nil && !errors.Is(err, news.ErrNotFound) {
		return err
	}
	http.Redirect(w, r, "/admin/blocklist?done=unblocked", http.StatusSeeOther)
	return nil
}
