package newsroom

// Reader comments and their moderation. Readers post on the site
// (PostComment): the comment is validated, counted against its address's
// rate limit, scored by the spam check and stored where the check sends it.
// Moderating, replying as staff and keeping the blocklist need
// news.PermModerate (editors and administrators), from whichever surface.

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"masthead/internal/news"
)

// maxUserAgent is how much of a commenter's browser description is kept.
const maxUserAgent = 300

// QueuePageSize is how many comments one page of a moderation folder holds.
const QueuePageSize = 50

// ErrCommentsClosed is returned for a reader's comment on an article whose
// comments are closed.
var ErrCommentsClosed = fmt.Errorf("comments are closed: %w", news.ErrForbidden)

// ErrNoArticle and ErrNoParent say which of the things a staff reply names
// does not exist. Both are news.ErrNotFound.
var (
	ErrNoArticle = fmt.Errorf("article: %w", news.ErrNotFound)
	ErrNoParent  = fmt.Errorf("parent comment: %w", news.ErrNotFound)
)

// RateLimitError is returned when an address has posted its limit of
// comments (Config.CommentLimit) within the window; it may post again
// after Wait.
type RateLimitError struct{ Wait time.Duration }

func (e *RateLimitError) Error() string {
	return fmt.Sprintf("too many comments from this address: wait %s", e.Wait)
}

// CommentOrigin is where a reader's comment came from.
type CommentOrigin struct {
	IP        string // the client's address: rate limit, blocklist, moderators
	UserAgent string
	Honeypot  bool // the hidden form field only bots see was filled in
	// Reader is the signed-in reader posting, or nil: their account's
	// address (and name, when it has one) sign the comment, whatever the
	// form said, and its approved comments vouch for it.
	Reader *news.Reader
}

// PostComment takes a reader's comment on article a, a published article
// as the site showed it. Whatever the spam check decides, the comment is
// stored for moderators; the caller tells the reader it awaits moderation
// unless it was approved, so a spammer learns nothing. Errors:
// ErrCommentsClosed, news.FieldErrors (keyed by form field), and
// *RateLimitError.
func (s *Service) PostComment(ctx context.Context, a *news.Article, in news.CommentInput, from CommentOrigin) (*news.Comment, error) {
	if !a.IsPublic() {
		return nil, news.ErrNotFound
	}
	pub, err := s.store.Publication(ctx)
	if err != nil {
		return nil, err
	}
	if !pub.Comments.OpenOn(a, s.clock.Now()) {
		return nil, ErrCommentsClosed
	}
	if r := from.Reader; r != nil {
		in.Email = r.Email
		if r.Name != "" {
			in.Name = r.Name
		}
	}
	in.Normalize()
	if fe := in.Validate(); len(fe) > 0 {
		return nil, fe
	}
	if in.ParentID != 0 {
		if err := s.checkParent(ctx, a.ID, in.ParentID); err != nil {
			return nil, err
		}
	}
	// Only well-formed comments count against the limit, so a reader fixing
	// a typo is never locked out.
	now := s.clock.Now()
	if wait, ok := s.commentLimit.allow(from.IP, now); !ok {
		return nil, &RateLimitError{Wait: wait}
	}
	c := &news.Comment{
		ArticleID: a.ID, ParentID: in.ParentID, Name: in.Name, Email: in.Email, Website: in.Website, Body: in.Body,
		IP: from.IP, UserAgent: truncate(from.UserAgent, maxUserAgent), CreatedAt: now,
	}
	if from.Reader != nil {
		c.ReaderID = from.Reader.ID
	}
	check, trusted, err := s.checkComment(ctx, c, from.Honeypot)
	if err != nil {
		return nil, err
	}
	switch pub.Comments.Moderation {
	case news.ModerateAll:
		trusted = false
	case news.ModerateNone:
		trusted = true
	}
	c.Status = check.Status(trusted)
	err = s.store.CreateCheckedComment(ctx, c, check)
	if errors.Is(err, news.ErrNotFound) {
		return nil, parentGone() // deleted since checkParent
	}
	if err != nil {
		return nil, err
	}
	return c, nil
}

// checkParent lets a reader answer only what readers see: an approved
// comment on the same article. A reply to a held, binned or trashed
// comment would hang from nothing on the page (and tell its poster that
// the comment exists).
func (s *Service) checkParent(ctx context.Context, articleID, parentID int64) error {
	p, err := s.store.Comment(ctx, parentID)
	if errors.Is(err, news.ErrNotFound) {
		return parentGone()
	}
	if err != nil {
		return err
	}
	if p.ArticleID != articleID || p.Status != news.CommentApproved {
		return parentGone()
	}
	return nil
}

func parentGone() news.FieldErrors {
	return news.FieldErrors{"comment": "The comment you replied to is no longer available. Your comment is kept below; you can post it as a new comment."}
}

// checkComment gathers what the spam check needs to know about a new
// comment (the blocklist, repeats of its text, whether its email is a known
// reader or a staff account's) and scores it. Blocked emails and addresses
// are not refused: the check sends them to spam like the honeypot, so a
// blocked poster learns nothing that would tell them to change address. A
// staff account's email earns no trust: anyone can type it.
func (s *Service) checkComment(ctx context.Context, c *news.Comment, honeypot bool) (check news.SpamCheck, trusted bool, err error) {
	f := news.SpamFacts{Honeypot: honeypot}
	switch _, err := s.store.StaffByEmail(ctx, c.Email); {
	case err == nil:
		f.StaffEmail = true
	case !errors.Is(err, news.ErrNotFound):
		return check, false, err
	}
	if !f.StaffEmail {
		if f.ApprovedBefore, err = s.store.HasApprovedComment(ctx, c.Email); err != nil {
			return check, false, err
		}
	}
	if !f.ApprovedBefore && c.ReaderID != 0 {
		// An account keeps its trust across a change of address.
		if f.ApprovedBefore, err = s.store.HasApprovedReaderComment(ctx, c.ReaderID); err != nil {
			return check, false, err
		}
	}
	if f.Blocklist, err = s.store.Blocklist(ctx); err != nil {
		return check, false, err
	}
	since := c.CreatedAt.Add(-news.RepeatWindow)
	if f.SameTextOthers, f.SameTextByEmail, err = s.store.RepeatedText(ctx, news.TextFingerprint(c.Body), c.Email, since); err != nil {
		return check, false, err
	}
	return news.ScoreComment(c, f), f.ApprovedBefore, nil
}

// commentStatuses are the moderation folders.
var commentStatuses = []news.CommentStatus{news.CommentPending, news.CommentApproved, news.CommentSpam, news.CommentTrash}

// mayModerate refuses actors whose role may not moderate comments.
func mayModerate(actor news.Actor) error {
	if !actor.Role.Can(news.PermModerate) {
		return news.ErrForbidden
	}
	return nil
}

// checkMove says whether actor may move comments to status to.
func checkMove(actor news.Actor, to news.CommentStatus) error {
	if err := mayModerate(actor); err != nil {
		return err
	}
	if !slices.Contains(commentStatuses, to) {
		return news.FieldErrors{"status": "Choose what to do with the selected comments."}
	}
	return nil
}

// Moderate moves the comments ids to status to. A comment that no longer
// exists has nothing left to moderate and is skipped.
func (s *Service) Moderate(ctx context.Context, actor news.Actor, ids []int64, to news.CommentStatus) error {
	if err := checkMove(actor, to); err != nil {
		return err
	}
	for _, id := range ids {
		if err := s.store.SetCommentStatus(ctx, id, to); err != nil && !errors.Is(err, news.ErrNotFound) {
			return err
		}
	}
	return nil
}

// ModerateComment moves comment id to status to, or leaves it where it is
// when to is empty, and returns it as moderators see it.
func (s *Service) ModerateComment(ctx context.Context, actor news.Actor, id int64, to news.CommentStatus) (*news.Comment, error) {
	if err := mayModerate(actor); err != nil {
		return nil, err
	}
	if to != "" {
		if err := checkMove(actor, to); err != nil {
			return nil, err
		}
		if err := s.store.SetCommentStatus(ctx, id, to); err != nil {
			return nil, err
		}
	}
	return s.store.Comment(ctx, id)
}

// QueueItem is a comment in the moderation queue with its spam check (nil
// for comments that had none: staff replies, comments from before the
// check).
type QueueItem struct {
	news.ModerationItem
	Check *news.SpamCheck
}

// ModerationQueue is one page of a moderation folder.
type ModerationQueue struct {
	Status      news.CommentStatus
	Counts      map[news.CommentStatus]int // every folder's size
	Items       []QueueItem                // newest first
	Page, Pages int
}

// ModerationQueue returns page (from 1) of the comments with status. A page
// past the end (its last comments were just moved away) is the last page
// rather than nothing.
func (s *Service) ModerationQueue(ctx context.Context, actor news.Actor, status news.CommentStatus, page int) (*ModerationQueue, error) {
	if err := mayModerate(actor); err != nil {
		return nil, err
	}
	if !slices.Contains(commentStatuses, status) {
		return nil, news.FieldErrors{"status": "Unknown comment folder."}
	}
	counts, err := s.store.CountCommentsByStatus(ctx)
	if err != nil {
		return nil, err
	}
	q := &ModerationQueue{Status: status, Counts: counts, Pages: max(1, (counts[status]+QueuePageSize-1)/QueuePageSize)}
	q.Page = min(max(page, 1), q.Pages)
	items, err := s.store.CommentsByStatus(ctx, status, QueuePageSize, (q.Page-1)*QueuePageSize)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(items))
	for i, it := range items {
		ids[i] = it.Comment.ID
	}
	checks, err := s.store.CommentChecks(ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		qi := QueueItem{ModerationItem: it}
		if c, ok := checks[it.Comment.ID]; ok {
			qi.Check = &c
		}
		q.Items = append(q.Items, qi)
	}
	return q, nil
}

// Conversation is an article's whole conversation as moderators see it:
// every comment whatever its status, with the spam checks.
type Conversation struct {
	Article  *news.Article
	Focus    *news.Comment              // the comment asked about; nil for the whole article
	Comments []*news.Comment            // threaded (news.Thread)
	Checks   map[int64]news.SpamCheck   // by comment id, for comments that had one
	Counts   map[news.CommentStatus]int // the article's comments by status
	Edits    []news.CommentEdit         // the newsroom's edits of Focus, oldest first
}

// CommentInContext returns comment id in its article's conversation.
func (s *Service) CommentInContext(ctx context.Context, actor news.Actor, id int64) (*Conversation, error) {
	if err := mayModerate(actor); err != nil {
		return nil, err
	}
	c, err := s.store.Comment(ctx, id)
	if err != nil {
		return nil, err
	}
	conv, err := s.conversation(ctx, c.ArticleID, c)
	if err != nil {
		return nil, err
	}
	conv.Edits, err = s.store.CommentEdits(ctx, id)
	return conv, err
}

// ArticleConversation returns the conversation on article id.
func (s *Service) ArticleConversation(ctx context.Context, actor news.Actor, id int64) (*Conversation, error) {
	if err := mayModerate(actor); err != nil {
		return nil, err
	}
	return s.conversation(ctx, id, nil)
}

func (s *Service) conversation(ctx context.Context, articleID int64, focus *news.Comment) (*Conversation, error) {
	a, err := s.store.Article(ctx, articleID)
	if err != nil {
		return nil, err
	}
	all, err := s.store.ArticleThread(ctx, a.ID)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(all))
	counts := map[news.CommentStatus]int{}
	for i, c := range all {
		ids[i] = c.ID
		counts[c.Status]++
	}
	checks, err := s.store.CommentChecks(ctx, ids)
	if err != nil {
		return nil, err
	}
	return &Conversation{Article: a, Focus: focus, Comments: news.Thread(all), Checks: checks, Counts: counts}, nil
}

// ReplyAsStaff publishes a comment by actor, signed with their name and
// marked as staff: a reply to comment parentID, or a top-level comment on
// article articleID when parentID is 0 (articleID may be 0 for a reply: the
// parent's article). It is approved at once, and answering a pending
// comment approves it too (news.StaffReply). Closed comments do not stop
// it: closing stops readers, not the newsroom. Errors: ErrNoArticle,
// ErrNoParent, news.ErrNotFound for a parent on another article, and
// news.FieldErrors keyed "reply".
func (s *Service) ReplyAsStaff(ctx context.Context, actor news.Actor, articleID, parentID int64, body, ip, userAgent string) (*news.Comment, error) {
	if err := mayModerate(actor); err != nil {
		return nil, err
	}
	if articleID != 0 {
		if _, err := s.store.Article(ctx, articleID); errors.Is(err, news.ErrNotFound) {
			return nil, ErrNoArticle
		} else if err != nil {
			return nil, err
		}
	}
	var parent *news.Comment
	if parentID != 0 {
		var err error
		if parent, err = s.store.Comment(ctx, parentID); errors.Is(err, news.ErrNotFound) {
			return nil, ErrNoParent
		} else if err != nil {
			return nil, err
		}
		if articleID == 0 {
			articleID = parent.ArticleID
		}
	}
	if articleID == 0 {
		return nil, ErrNoArticle
	}
	me, err := s.store.StaffByID(ctx, actor.ID)
	if err != nil {
		return nil, fmt.Errorf("staff reply by %d: %w", actor.ID, err)
	}
	reply, approveParent, err := news.StaffReply(*me, articleID, parent, body)
	if err != nil {
		return nil, err
	}
	reply.IP, reply.UserAgent, reply.CreatedAt = ip, truncate(userAgent, maxUserAgent), s.clock.Now()
	if err := s.store.CreateStaffReply(ctx, reply, approveParent); err != nil {
		return nil, err
	}
	return reply, nil
}

// Blocklist returns the newsroom's blocked emails, addresses, words and
// domains.
func (s *Service) Blocklist(ctx context.Context, actor news.Actor) (news.Blocklist, error) {
	if err := mayModerate(actor); err != nil {
		return nil, err
	}
	return s.store.Blocklist(ctx)
}

// AddBlock adds an entry to the blocklist as a moderator typed it
// (news.NewBlock). Blocking what is already blocked is not an error:
// added is false.
func (s *Service) AddBlock(ctx context.Context, actor news.Actor, kind news.BlockKind, value, note string) (added bool, err error) {
	if err := mayModerate(actor); err != nil {
		return false, err
	}
	b, err := news.NewBlock(kind, value, note)
	if err != nil {
		return false, err
	}
	b.CreatedAt = s.clock.Now()
	err = s.store.AddBlock(ctx, &b, actor.ID)
	if errors.Is(err, news.ErrConflict) {
		return false, nil
	}
	return err == nil, err
}

// RemoveBlock removes blocklist entry id; one already gone is not an error.
func (s *Service) RemoveBlock(ctx context.Context, actor news.Actor, id int64) error {
	if err := mayModerate(actor); err != nil {
		return err
	}
	if err := s.store.RemoveBlock(ctx, id); err != nil && !errors.Is(err, news.ErrNotFound) {
		return err
	}
	return nil
}

// CommentQuery selects comments for the REST API.
type CommentQuery struct {
	ArticleID     int64                // 0: on every article
	Statuses      []news.CommentStatus // empty: approved; any other status is for moderators
	Limit, Offset int
}

// CommentList is a page of comments as an actor may see them.
type CommentList struct {
	Comments []*news.Comment
	Total    int
	Full     bool // the actor moderates: emails and the text as typed may be shown
}

// Comments lists comments: readers (and staff who do not moderate) see the
// approved comments on published articles, moderators any status on any
// article.
func (s *Service) Comments(ctx context.Context, actor news.Actor, q CommentQuery) (CommentList, error) {
	moderator := mayModerate(actor) == nil
	if !moderator && slices.ContainsFunc(q.Statuses, func(st news.CommentStatus) bool { return st != news.CommentApproved }) {
		return CommentList{}, news.ErrForbidden
	}
	list, total, err := s.store.APIComments(ctx, q.ArticleID, q.Statuses, moderator, q.Limit, q.Offset)
	if err != nil {
		return CommentList{}, err
	}
	return CommentList{Comments: list, Total: total, Full: moderator}, nil
}

// CommentFor returns comment id if actor may see it: moderators see every
// comment (full), everyone else only what readers see, an approved comment
// on a public article; for anything else news.ErrNotFound.
func (s *Service) CommentFor(ctx context.Context, actor news.Actor, id int64) (c *news.Comment, full bool, err error) {
	c, err = s.store.Comment(ctx, id)
	if err != nil {
		return nil, false, err
	}
	if mayModerate(actor) == nil {
		return c, true, nil
	}
	if c.Status != news.CommentApproved {
		return nil, false, news.ErrNotFound
	}
	a, err := s.store.Article(ctx, c.ArticleID)
	if err != nil {
		return nil, false, err
	}
	if !a.IsPublic() {
		return nil, false, news.ErrNotFound
	}
	return c, false, nil
}

// truncate cuts s to at most n bytes without splitting a character.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}

// PublishedComments lists the approved comments of a published article,
// oldest first, as readers see them.
func (s *Service) PublishedComments(ctx context.Context, articleID int64) ([]*news.Comment, error) {
	if _, err := s.PublicArticle(ctx, articleID); err != nil {
		return nil, err
	}
	return s.store.ArticleComments(ctx, articleID, nil)
}
