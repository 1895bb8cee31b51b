package admin

// Comment moderation: the queue (folders with counts, pages, bulk actions,
// each comment's spam check), a comment in the context of its article's
// whole conversation, replies as staff, and the blocklist. The newsroom
// service decides who may (news.PermModerate: editors and administrators).

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"masthead/internal/edge"
	"masthead/internal/news"
	"masthead/internal/newsroom"
	"masthead/internal/render"
)

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
	"edited":    "Comment text saved. Readers see the new text; the earlier text is kept below, for editors only.",
}

// moderationLayout is the newsroom layout with this file's confirmations.
func (s *Server) moderationLayout(r *http.Request, title string) render.AdminLayout {
	lay := s.layout(r, title, "comments")
	if f, ok := moderationFlashes[r.URL.Query().Get("done")]; ok {
		lay.Flash = f
	}
	return lay
}

// badRequest turns the service's complaint about a status into a 400;
// other errors pass unchanged.
func badRequest(err error) error {
	var fe news.FieldErrors
	if errors.As(err, &fe) && fe["status"] != "" {
		return edge.BadRequest(fe["status"])
	}
	return err
}

type commentsPage struct {
	Layout           render.AdminLayout
	Status           news.CommentStatus
	Folders          []folder
	Items            []newsroom.QueueItem
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
	q := r.URL.Query()
	status := news.CommentStatus(q.Get("status"))
	if status == "" {
		status = news.CommentPending
	}
	page, err := pageNumber(q)
	if err != nil {
		return err
	}
	queue, err := s.desk.ModerationQueue(r.Context(), actor(r), status, page)
	if err != nil {
		return badRequest(err)
	}
	data := commentsPage{Layout: s.moderationLayout(r, "Comments"), Status: status, Items: queue.Items, Total: queue.Counts[status],
		Page: queue.Page, Pages: queue.Pages, SpamThreshold: news.SpamThreshold}
	for _, f := range commentFolders {
		f.Count = queue.Counts[f.Status]
		data.Folders = append(data.Folders, f)
	}
	if data.Page > 1 {
		data.PrevURL = queueURL(status, data.Page-1)
	}
	if data.Page < data.Pages {
		data.NextURL = queueURL(status, data.Page+1)
	}
	return s.page(w, http.StatusOK, "comments", data)
}

// commentModerate applies one action to the selected comments, then goes
// back to where the form was: a queue folder and page, a comment in
// context, or an article's comments.
func (s *Server) commentModerate(w http.ResponseWriter, r *http.Request) error {
	ids := make([]int64, len(r.PostForm["id"]))
	for i, v := range r.PostForm["id"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return edge.BadRequest("Unknown comment.")
		}
		ids[i] = id
	}
	if err := s.desk.Moderate(r.Context(), actor(r), ids, news.CommentStatus(r.PostForm.Get("action"))); err != nil {
		return badRequest(err)
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
	Edit    commentEditForm    // the form that edits Focus's text
	Edits   []news.CommentEdit // Focus's earlier versions (comment_edit.go)
}

// commentShow shows a comment in the context of its article's whole
// conversation, every status included, with its spam check, moderation
// buttons, blocklist shortcuts and the form to reply as staff.
func (s *Server) commentShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	conv, err := s.desk.CommentInContext(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	return s.renderThread(w, r, http.StatusOK, conv, replyForm{})
}

// articleComments shows an article's whole conversation with a form to
// comment on it as staff.
func (s *Server) articleComments(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	conv, err := s.desk.ArticleConversation(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	return s.renderThread(w, r, http.StatusOK, conv, replyForm{})
}

func (s *Server) renderThread(w http.ResponseWriter, r *http.Request, status int, conv *newsroom.Conversation, form replyForm) error {
	var edit commentEditForm
	if conv.Focus != nil {
		edit.Body = conv.Focus.Body
	}
	return s.renderThreadEdit(w, r, status, conv, form, edit)
}

// renderThreadEdit is renderThread with the text-editing form as typed.
func (s *Server) renderThreadEdit(w http.ResponseWriter, r *http.Request, status int, conv *newsroom.Conversation, form replyForm, edit commentEditForm) error {
	a, focus := conv.Article, conv.Focus
	title := "Comments: " + a.Headline
	if focus != nil {
		title = "Comment by " + focus.Name
	}
	data := threadPage{Layout: s.moderationLayout(r, title), Article: a, Focus: focus, Reply: form, Edit: edit, Edits: conv.Edits}
	data.Thread = threadNodes(conv.Comments, conv.Checks, focus)
	for _, f := range commentFolders {
		f.Count = conv.Counts[f.Status]
		data.Counts = append(data.Counts, f)
	}
	if st := news.CommentStatus(r.FormValue("from")); validCommentStatus(st) {
		data.From = st
	}
	if focus != nil {
		if c, ok := conv.Checks[focus.ID]; ok {
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
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return s.publishReply(w, r, 0, id)
}

// articleCommentCreate publishes a top-level comment by a member of staff.
// It works on articles whose comments are closed too: closing stops
// readers, not the newsroom.
func (s *Server) articleCommentCreate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return s.publishReply(w, r, id, 0)
}

// publishReply publishes a staff comment on article articleID or a reply to
// comment parentID; a refused one is shown again with its text.
func (s *Server) publishReply(w http.ResponseWriter, r *http.Request, articleID, parentID int64) error {
	ctx, me := r.Context(), actor(r)
	body := r.PostForm.Get("reply")
	reply, err := s.desk.ReplyAsStaff(ctx, me, articleID, parentID, body, edge.ClientIP(r, s.cfg.TrustProxy), r.UserAgent())
	var fe news.FieldErrors
	if errors.As(err, &fe) {
		var conv *newsroom.Conversation
		if parentID != 0 {
			conv, err = s.desk.CommentInContext(ctx, me, parentID)
		} else {
			conv, err = s.desk.ArticleConversation(ctx, me, articleID)
		}
		if err != nil {
			return err
		}
		return s.renderThread(w, r, http.StatusUnprocessableEntity, conv, replyForm{Body: body, Error: fe["reply"]})
	}
	if err != nil {
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
	return s.renderBlocklist(w, r, http.StatusOK, blockForm{Kind: news.BlockEmail})
}

func (s *Server) renderBlocklist(w http.ResponseWriter, r *http.Request, status int, form blockForm) error {
	list, err := s.desk.Blocklist(r.Context(), actor(r))
	if err != nil {
		return err
	}
	data := blocklistPage{Layout: s.moderationLayout(r, "Blocklist"), Kinds: news.BlockKinds, Entries: list, Form: form}
	return s.page(w, status, "blocklist", data)
}

// blockAdd adds an entry. Blocking what is already blocked is not an
// error. A shortcut from a comment ("block this email") returns to it.
func (s *Server) blockAdd(w http.ResponseWriter, r *http.Request) error {
	f := r.PostForm
	kind := news.BlockKind(f.Get("kind"))
	added, err := s.desk.AddBlock(r.Context(), actor(r), kind, f.Get("value"), f.Get("note"))
	var fe news.FieldErrors
	if errors.As(err, &fe) {
		return s.renderBlocklist(w, r, http.StatusUnprocessableEntity, blockForm{Kind: kind, Value: f.Get("value"), Note: f.Get("note"), Errors: fe})
	}
	if err != nil {
		return err
	}
	done := "blocked"
	if !added {
		done = "already"
	}
	if id, err := strconv.ParseInt(f.Get("comment"), 10, 64); err == nil && id > 0 {
		http.Redirect(w, r, backURL(r, done), http.StatusSeeOther)
		return nil
	}
	http.Redirect(w, r, "/admin/blocklist?done="+done, http.StatusSeeOther)
	return nil
}

func (s *Server) blockRemove(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.desk.RemoveBlock(r.Context(), actor(r), id); err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/blocklist?done=unblocked", http.StatusSeeOther)
	return nil
}
