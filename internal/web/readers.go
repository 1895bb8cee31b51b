package web

// Reader accounts (/account): signing in with a one-time link, the
// reader's page, and what they can do there. None of these pages is ever
// cached, here or by a browser or proxy (cacheKey, cachePrivat), and only
// article pages change for a signed-in reader (the comment form): every
// other page is the same for everyone, so the page cache keeps serving it.
//
// Two cookies, both HttpOnly, SameSite=Lax and Secure over HTTPS:
//
//   - mh_reader holds the session (the staff's mh_session is another
//     cookie, for another table, on /admin);
//   - mh_reader_browser, on /account only, is a random value that binds a
//     sign-in link to the browser that asked for it, and that the forms
//     used before signing in carry an HMAC of (a double-submit token).
//     Signed-in forms carry an HMAC of the session instead.
//
// Lax, not Strict: following a link in webmail is a navigation from
// another site, which must bring both cookies along.

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"masthead/internal/auth"
	"masthead/internal/edge"
	"masthead/internal/news"
	"masthead/internal/newsroom"
	"masthead/internal/render"
)

const (
	readerCookie  = "mh_reader"
	browserCookie = "mh_reader_browser"
	maxReaderForm = 16 << 10
)

// accountPage is the data of the account template; View picks what it
// shows: "signin" (ask for a link), "sent" (check your email),
// "confirm" (confirm a link), "gone" (a spent or expired link),
// "elsewhere" (a link from another browser), "taken" (an address with an
// account of its own), or "account" (the reader's page).
type accountPage struct {
	Layout  render.Layout
	View    string
	CSRF    string
	Flash   string
	Next    string
	Email   string // as typed, or the link's address
	Name    string
	Errors  news.FieldErrors
	Link    *newsroom.ReaderLink
	Action  string // where the confirm form posts
	Account *newsroom.ReaderAccount
}

// flashes confirm what a redirect to /account did (?done=…), so no text
// from the request is echoed.
var readerFlashes = map[string]string{
	"welcome":   "You are signed in.",
	"signedout": "You are signed out.",
	"deleted":   "Your account is deleted. Thank you for reading.",
	"name":      "Your name is saved.",
	"emailsent": "We sent a link to your new address. Open it in this browser within 15 minutes to confirm the change; until then your address stays as it is.",
	"email":     "Your email address is changed. We told your old address.",
}

// readerSession is the signed-in reader's session, or nil.
func (s *Server) readerSession(r *http.Request) *news.ReaderSession {
	ck, err := r.Cookie(readerCookie)
	if err != nil || ck.Value == "" {
		return nil
	}
	sess, err := s.desk.ReaderSession(r.Context(), ck.Value)
	if err != nil {
		if !errors.Is(err, news.ErrNotFound) {
			s.log.ErrorContext(r.Context(), "load reader session", "err", err)
		}
		return nil
	}
	return sess
}

// hasReaderCookie reports whether r carries a reader session cookie (valid
// or not), cheaply: the page cache asks on every request.
func hasReaderCookie(r *http.Request) bool {
	ck, err := r.Cookie(readerCookie)
	return err == nil && ck.Value != ""
}

// dropReaderCookie forgets a session that has ended, so the browser's
// article pages come from the page cache again.
func (s *Server) dropReaderCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: readerCookie, Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: edge.IsHTTPS(r, s.cfg.TrustProxy)})
}

func (s *Server) mac(purpose, v string) string {
	m := hmac.New(sha256.New, s.cfg.Secret)
	m.Write([]byte(purpose + ":" + v))
	return hex.EncodeToString(m.Sum(nil)[:20])
}

// browser is this browser's binding value, given to it if it has none.
func (s *Server) browser(w http.ResponseWriter, r *http.Request) string {
	if ck, err := r.Cookie(browserCookie); err == nil && len(ck.Value) == 43 { // auth.NewToken's length
		return ck.Value
	}
	v, _ := auth.NewToken()
	http.SetCookie(w, &http.Cookie{Name: browserCookie, Value: v, Path: "/account", MaxAge: 7 * 24 * 3600, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: edge.IsHTTPS(r, s.cfg.TrustProxy)})
	// Later calls in this request see it too.
	r.AddCookie(&http.Cookie{Name: browserCookie, Value: v})
	return v
}

// browserSent is the binding value the browser sent, or "".
func browserSent(r *http.Request) string {
	if ck, err := r.Cookie(browserCookie); err == nil {
		return ck.Value
	}
	return ""
}

// formOK checks a posted form's CSRF token: the session's when signed in,
// the browser cookie's otherwise.
func (s *Server) formOK(r *http.Request, sess *news.ReaderSession) bool {
	want := ""
	if sess != nil {
		want = s.mac("reader-session", sess.TokenHash)
	} else if b := browserSent(r); b != "" {
		want = s.mac("reader-form", b)
	}
	return want != "" && hmac.Equal([]byte(r.PostForm.Get("csrf")), []byte(want))
}

func (s *Server) client(r *http.Request) newsroom.Client {
	return newsroom.Client{IP: edge.ClientIP(r, s.cfg.TrustProxy), UserAgent: r.UserAgent()}
}

// renderAccount sends an account page, never cached.
func (s *Server) renderAccount(w http.ResponseWriter, r *http.Request, status int, data accountPage) {
	title := "Your account"
	if data.View != "account" {
		title = "Sign in"
	}
	lay, err := s.layout(r, title, "", "/account")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	lay.Robots = "noindex"
	data.Layout = lay
	if data.CSRF == "" {
		data.CSRF = s.mac("reader-form", s.browser(w, r))
	}
	p, err := s.html(status, "account", data)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.cacheControl = cachePrivat
	s.write(w, r, p)
}

// parseReaderForm reads a small posted form, answering for it when it
// cannot be read.
func (s *Server) parseReaderForm(w http.ResponseWriter, r *http.Request) bool {
	r.Body = http.MaxBytesReader(w, r.Body, maxReaderForm)
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, &edge.Error{Status: http.StatusRequestEntityTooLarge, Message: "That form was too large to accept."})
		return false
	}
	return true
}

// expired answers a form whose token did not match: it is shown again with
// a fresh one.
func (s *Server) expired(w http.ResponseWriter, r *http.Request, data accountPage) {
	data.Errors = news.FieldErrors{"form": "This form had expired or did not come from this site. Please try again."}
	s.renderAccount(w, r, http.StatusForbidden, data)
}

// account is the reader's page, or the sign-in form for a visitor.
func (s *Server) account(w http.ResponseWriter, r *http.Request) {
	flash := readerFlashes[r.URL.Query().Get("done")]
	sess := s.readerSession(r)
	if sess == nil {
		if hasReaderCookie(r) {
			s.dropReaderCookie(w, r)
		}
		s.renderAccount(w, r, http.StatusOK, accountPage{View: "signin", Flash: flash, Next: newsroom.LocalPath(r.URL.Query().Get("next"))})
		return
	}
	s.showAccount(w, r, sess, http.StatusOK, accountPage{Flash: flash})
}

func (s *Server) showAccount(w http.ResponseWriter, r *http.Request, sess *news.ReaderSession, status int, data accountPage) {
	acc, err := s.desk.ReaderAccount(r.Context(), sess.Reader)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data.View, data.Account, data.CSRF = "account", acc, s.mac("reader-session", sess.TokenHash)
	if data.Name == "" {
		data.Name = sess.Reader.Name
	}
	s.renderAccount(w, r, status, data)
}

// requestLink mails a sign-in link.
func (s *Server) requestLink(w http.ResponseWriter, r *http.Request) {
	if !s.parseReaderForm(w, r) {
		return
	}
	data := accountPage{View: "signin", Email: r.PostForm.Get("email"), Next: newsroom.LocalPath(r.PostForm.Get("next"))}
	if !s.formOK(r, nil) {
		s.expired(w, r, data)
		return
	}
	err := s.desk.RequestReaderLink(r.Context(), data.Email, browserSent(r), data.Next, s.client(r))
	if s.formFailed(w, r, err, &data) {
		return
	}
	data.View, data.Email = "sent", newsroom.NormalEmail(data.Email)
	s.renderAccount(w, r, http.StatusOK, data)
}

// formFailed shows the form again for field errors and throttling, and
// answers anything else as an error; false when err is nil.
func (s *Server) formFailed(w http.ResponseWriter, r *http.Request, err error, data *accountPage) bool {
	var fe news.FieldErrors
	var te *newsroom.ThrottledError
	switch {
	case err == nil:
		return false
	case errors.As(err, &fe):
		data.Errors = fe
		s.renderAgain(w, r, http.StatusUnprocessableEntity, *data)
	case errors.As(err, &te):
		w.Header().Set("Retry-After", strconv.Itoa(int(te.RetryAfter.Seconds()+0.5)))
		data.Errors = news.FieldErrors{"email": te.Message}
		s.renderAgain(w, r, http.StatusTooManyRequests, *data)
	default:
		s.fail(w, r, err)
	}
	return true
}

// renderAgain shows a failed form again, with the account around it when
// the reader is signed in.
func (s *Server) renderAgain(w http.ResponseWriter, r *http.Request, status int, data accountPage) {
	if data.View == "account" {
		if sess := s.readerSession(r); sess != nil {
			s.showAccount(w, r, sess, status, data)
			return
		}
	}
	s.renderAccount(w, r, status, data)
}

// linkPage shows what a followed link will do and asks to confirm it, or
// why it cannot be used.
func (s *Server) linkPage(purpose newsroom.ReaderLinkPurpose) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		data := accountPage{Next: newsroom.LocalPath(r.URL.Query().Get("next"))}
		link, err := s.desk.ReaderLink(r.Context(), purpose, r.PathValue("token"), browserSent(r))
		if s.linkFailed(w, r, err, data) {
			return
		}
		data.View, data.Link, data.Email = "confirm", link, link.Email
		data.Action = r.URL.Path
		if data.Next != "" {
			data.Action += "?next=" + url.QueryEscape(data.Next)
		}
		s.renderAccount(w, r, http.StatusOK, data)
	}
}

// linkFailed explains a link that cannot be used; false when err is nil.
func (s *Server) linkFailed(w http.ResponseWriter, r *http.Request, err error, data accountPage) bool {
	switch {
	case err == nil:
		return false
	case errors.Is(err, news.ErrNotFound):
		data.View = "gone"
		s.renderAccount(w, r, http.StatusGone, data)
	case errors.Is(err, newsroom.ErrOtherBrowser):
		data.View = "elsewhere"
		s.renderAccount(w, r, http.StatusForbidden, data)
	case errors.Is(err, newsroom.ErrReaderEmailTaken):
		data.View = "taken"
		s.renderAccount(w, r, http.StatusConflict, data)
	default:
		s.fail(w, r, err)
	}
	return true
}

// useSignInLink signs the browser in with a confirmed link.
func (s *Server) useSignInLink(w http.ResponseWriter, r *http.Request) {
	if !s.parseReaderForm(w, r) {
		return
	}
	token := r.PathValue("token")
	data := accountPage{Next: newsroom.LocalPath(r.URL.Query().Get("next")), Name: r.PostForm.Get("name")}
	if !s.formOK(r, nil) {
		data.View = "signin"
		s.expired(w, r, data)
		return
	}
	in, err := s.desk.SignInReader(r.Context(), token, browserSent(r), data.Name, s.client(r))
	var fe news.FieldErrors
	if errors.As(err, &fe) {
		link, lerr := s.desk.ReaderLink(r.Context(), newsroom.ReaderSignInLink, token, browserSent(r))
		if s.linkFailed(w, r, lerr, data) {
			return
		}
		data.View, data.Link, data.Email, data.Errors, data.Action = "confirm", link, link.Email, fe, r.URL.RequestURI()
		s.renderAccount(w, r, http.StatusUnprocessableEntity, data)
		return
	}
	if s.linkFailed(w, r, err, data) {
		return
	}
	http.SetCookie(w, &http.Cookie{Name: readerCookie, Value: in.Token, Path: "/", MaxAge: int(in.Lifetime.Seconds()), HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: edge.IsHTTPS(r, s.cfg.TrustProxy)})
	to := "/account?done=welcome"
	if data.Next != "" {
		to = data.Next
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// signedIn wraps the forms of a signed-in reader: it loads the session and
// checks the form's token; a visitor whose session has ended gets the
// sign-in form.
func (s *Server) signedIn(fn func(w http.ResponseWriter, r *http.Request, sess *news.ReaderSession)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !s.parseReaderForm(w, r) {
			return
		}
		sess := s.readerSession(r)
		if sess == nil {
			s.renderAccount(w, r, http.StatusUnauthorized, accountPage{View: "signin",
				Errors: news.FieldErrors{"form": "You are not signed in (your session may have ended). Sign in again to continue."}})
			return
		}
		if !s.formOK(r, sess) {
			s.showAccount(w, r, sess, http.StatusForbidden, accountPage{Errors: news.FieldErrors{"form": "This form had expired or did not come from this site. Please try again."}})
			return
		}
		fn(w, r, sess)
	}
}

func (s *Server) renameReader(w http.ResponseWriter, r *http.Request, sess *news.ReaderSession) {
	data := accountPage{View: "account", Name: r.PostForm.Get("name")}
	if s.formFailed(w, r, s.desk.RenameReader(r.Context(), sess.Reader, data.Name), &data) {
		return
	}
	http.Redirect(w, r, "/account?done=name", http.StatusSeeOther)
}

func (s *Server) requestEmailChange(w http.ResponseWriter, r *http.Request, sess *news.ReaderSession) {
	data := accountPage{View: "account", Email: r.PostForm.Get("email")}
	err := s.desk.RequestReaderEmailChange(r.Context(), sess.Reader, data.Email, s.browser(w, r), s.client(r))
	if s.formFailed(w, r, err, &data) {
		return
	}
	http.Redirect(w, r, "/account?done=emailsent", http.StatusSeeOther)
}

func (s *Server) useEmailLink(w http.ResponseWriter, r *http.Request) {
	if !s.parseReaderForm(w, r) {
		return
	}
	if !s.formOK(r, nil) {
		s.expired(w, r, accountPage{View: "signin"})
		return
	}
	_, err := s.desk.ChangeReaderEmail(r.Context(), r.PathValue("token"), browserSent(r))
	if s.linkFailed(w, r, err, accountPage{}) {
		return
	}
	http.Redirect(w, r, "/account?done=email", http.StatusSeeOther)
}

func (s *Server) readerData(w http.ResponseWriter, r *http.Request) {
	sess := s.readerSession(r)
	if sess == nil {
		http.Redirect(w, r, "/account", http.StatusSeeOther)
		return
	}
	d, err := s.desk.ReaderData(r.Context(), sess.Reader)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	body, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Disposition", `attachment; filename="my-data.json"`)
	s.write(w, r, &page{status: http.StatusOK, contentType: "application/json; charset=utf-8", body: append(body, '\n'), cacheControl: cachePrivat})
}

func (s *Server) deleteReader(w http.ResponseWriter, r *http.Request, sess *news.ReaderSession) {
	err := s.desk.DeleteReaderAccount(r.Context(), sess.Reader, r.PostForm.Get("comments"), r.PostForm.Get("confirm") == "yes")
	data := accountPage{View: "account"}
	if s.formFailed(w, r, err, &data) {
		return
	}
	s.dropReaderCookie(w, r)
	http.Redirect(w, r, "/account?done=deleted", http.StatusSeeOther)
}

func (s *Server) signOutReader(w http.ResponseWriter, r *http.Request, sess *news.ReaderSession) {
	if err := s.desk.SignOutReader(r.Context(), sess); err != nil {
		s.fail(w, r, err)
		return
	}
	s.dropReaderCookie(w, r)
	http.Redirect(w, r, "/account?done=signedout", http.StatusSeeOther)
}
