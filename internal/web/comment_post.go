package web

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"masthead/internal/edge"
	"masthead/internal/news"
)

const (
	pendingCookie   = "mh_pending"
	maxPendingShown = 20
	maxCommentForm  = 64 << 10
)

// commentPost handles the "Leave a Reply" form.
func (s *Server) commentPost(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	path, ok := articlePath(r)
	if !ok {
		s.fail(w, r, news.ErrNotFound)
		return
	}
	a, err := s.store.PublishedArticle(ctx, path)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxCommentForm)
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, &edge.Error{Status: http.StatusRequestEntityTooLarge, Message: "That comment is too long to send. Please shorten it and try again."})
		return
	}
	in := news.CommentInput{
		Name:    r.PostForm.Get("name"),
		Email:   r.PostForm.Get("email"),
		Website: r.PostForm.Get("website"),
		Body:    r.PostForm.Get("comment"),
	}
	if v := r.PostForm.Get("parent_id"); v != "" {
		if in.ParentID, err = strconv.ParseInt(v, 10, 64); err != nil || in.ParentID < 0 {
			s.fail(w, r, edge.BadRequest("The comment you replied to is not valid."))
			return
		}
	}
	form := commentForm{Name: in.Name, Email: in.Email, Website: in.Website, Body: in.Body}
	retry := func(status int, fe news.FieldErrors) {
		form.Errors = fe
		p, err := s.articlePage(r, a, s.pendingComments(r), in.ParentID, form, status)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		p.cacheControl = cachePrivat
		s.write(w, r, p)
	}
	if !a.CommentsOpen {
		retry(http.StatusForbidden, news.FieldErrors{"comment": "Comments are closed on this article."})
		return
	}
	in.Normalize()
	if fe := in.Validate(); len(fe) > 0 {
		retry(http.StatusUnprocessableEntity, fe)
		return
	}
	// Only well-formed comments count against the limit, so a reader fixing
	// a typo is never locked out.
	ip := edge.ClientIP(r, s.cfg.TrustProxy)
	if wait, ok := s.limiter.allow(ip, time.Now()); !ok {
		w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds()+0.5)))
		retry(http.StatusTooManyRequests, news.FieldErrors{"comment": fmt.Sprintf("You have posted several comments in a short time. Please wait %s and try again; your text is kept below.", roundWait(wait))})
		return
	}
	c := &news.Comment{
		ArticleID: a.ID, ParentID: in.ParentID, Name: in.Name, Email: in.Email, Website: in.Website, Body: in.Body,
		IP: ip, UserAgent: truncate(r.UserAgent(), 300),
	}
	// Bots fill every field, the hidden honeypot too. Whatever the spam
	// check decides, the comment is kept for moderators and the reader is
	// answered as if it were waiting for moderation.
	check, trusted, err := s.checkComment(ctx, c, r.PostForm.Get("fax") != "")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c.Status = check.Status(trusted)
	if err := s.store.CreateCheckedComment(ctx, c, check); err != nil {
		if errors.Is(err, news.ErrNotFound) {
			retry(http.StatusUnprocessableEntity, news.FieldErrors{"comment": "The comment you replied to is no longer available. Your comment is kept below; you can post it as a new comment."})
			return
		}
		s.fail(w, r, err)
		return
	}
	if c.Status != news.CommentApproved {
		s.rememberPending(w, r, c.ID) // held for a person or as spam: the reader cannot tell
	}
	http.Redirect(w, r, fmt.Sprintf("%s#comment-%d", a.URLPath(), c.ID), http.StatusSeeOther)
}

// checkComment gathers what the spam check needs to know about a new
// comment (the blocklist, repeats of its text, whether its email is a known
// reader) and scores it. Blocked emails and addresses are not refused: the
// check sends them to spam like the honeypot, so a blocked poster learns
// nothing that would tell them to change address.
func (s *Server) checkComment(ctx context.Context, c *news.Comment, honeypot bool) (check news.SpamCheck, trusted bool, err error) {
	f := news.SpamFacts{Honeypot: honeypot}
	if f.ApprovedBefore, err = s.store.HasApprovedComment(ctx, c.Email); err != nil {
		return check, false, err
	}
	if f.Blocklist, err = s.store.Blocklist(ctx); err != nil {
		return check, false, err
	}
	since := time.Now().Add(-news.RepeatWindow)
	if f.SameTextOthers, f.SameTextByEmail, err = s.store.RepeatedText(ctx, news.TextFingerprint(c.Body), c.Email, since); err != nil {
		return check, false, err
	}
	return news.ScoreComment(c, f), f.ApprovedBefore, nil
}

func roundWait(d time.Duration) string {
	if d < time.Minute {
		return "a minute"
	}
	m := int(d.Minutes() + 0.5)
	if m == 1 {
		return "a minute"
	}
	return fmt.Sprintf("%d minutes", m)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}

// The pending-comment cookie lists the ids of this reader's comments that
// await moderation, signed so a reader cannot list other people's.

func (s *Server) sign(v string) string {
	m := hmac.New(sha256.New, s.cfg.Secret)
	m.Write([]byte("pending:" + v))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

func (s *Server) pendingComments(r *http.Request) []int64 {
	ck, err := r.Cookie(pendingCookie)
	if err != nil {
		return nil
	}
	list, sig, ok := strings.Cut(ck.Value, "~")
	if !ok || !hmac.Equal([]byte(sig), []byte(s.sign(list))) {
		return nil
	}
	var ids []int64
	for _, part := range strings.Split(list, ".") {
		if id, err := strconv.ParseInt(part, 10, 64); err == nil {
			ids = append(ids, id)
		}
	}
	return ids
}

func (s *Server) rememberPending(w http.ResponseWriter, r *http.Request, id int64) {
	ids := append(s.pendingComments(r), id)
	if len(ids) > maxPendingShown {
		ids = ids[len(ids)-maxPendingShown:]
	}
	parts := make([]string, len(ids))
	for i, v := range ids {
		parts[i] = strconv.FormatInt(v, 10)
	}
	list := strings.Join(parts, ".")
	http.SetCookie(w, &http.Cookie{
		Name: pendingCookie, Value: list + "~" + s.sign(list), Path: "/",
		MaxAge: 14 * 24 * 3600, HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: edge.IsHTTPS(r, s.cfg.TrustProxy),
	})
}
