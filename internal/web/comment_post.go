package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"masthead/internal/edge"
	"masthead/internal/news"
	"masthead/internal/newsroom"
	"masthead/internal/render"
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
	form := render.CommentForm{Name: in.Name, Email: in.Email, Website: in.Website, Body: in.Body}
	origin := newsroom.CommentOrigin{
		IP: edge.ClientIP(r, s.cfg.TrustProxy), UserAgent: r.UserAgent(),
		// Bots fill every field, the hidden honeypot too.
		Honeypot: r.PostForm.Get("fax") != "",
	}
	if sess := s.readerSession(r); sess != nil {
		form.Reader, origin.Reader = sess.Reader, sess.Reader
	}
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
	c, err := s.desk.PostComment(ctx, a, in, origin)
	var fe news.FieldErrors
	var limited *newsroom.RateLimitError
	switch {
	case errors.Is(err, newsroom.ErrCommentsClosed):
		retry(http.StatusForbidden, news.FieldErrors{"comment": "Comments are closed on this article."})
		return
	case errors.As(err, &fe):
		retry(http.StatusUnprocessableEntity, fe)
		return
	case errors.As(err, &limited):
		w.Header().Set("Retry-After", strconv.Itoa(int(limited.Wait.Seconds()+0.5)))
		retry(http.StatusTooManyRequests, news.FieldErrors{"comment": fmt.Sprintf("You have posted several comments in a short time. Please wait %s and try again; your text is kept below.", news.WaitText(limited.Wait))})
		return
	case err != nil:
		s.fail(w, r, err)
		return
	}
	if c.Status != news.CommentApproved {
		s.rememberPending(w, r, c.ID) // held for a person or as spam: the reader cannot tell
	}
	http.Redirect(w, r, fmt.Sprintf("%s#comment-%d", a.URLPath(), c.ID), http.StatusSeeOther)
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
