package admin

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"masthead/internal/auth"
	"masthead/internal/edge"
	"masthead/internal/news"
	"masthead/internal/newsroom"
	"masthead/internal/render"
)

const sessionCookie = "mh_session"

// maxFormBytes bounds a newsroom form, with any image sent with it.
const maxFormBytes = 4 << 20

type ctxKey int

const sessionKey ctxKey = 0

func sessionFrom(ctx context.Context) *news.Session {
	s, _ := ctx.Value(sessionKey).(*news.Session)
	return s
}

// actor is the signed-in member of staff as the domain sees them.
func actor(r *http.Request) news.Actor {
	u := sessionFrom(r.Context()).Staff
	return news.Actor{ID: u.ID, Role: u.Role}
}

func (s *Server) csrfToken(sess *news.Session) string {
	m := hmac.New(sha256.New, s.cfg.Secret)
	m.Write([]byte("csrf:" + sess.TokenHash))
	return hex.EncodeToString(m.Sum(nil))[:40]
}

// staff wraps a handler that needs a signed-in member of staff: it loads the
// session, sends visitors to the sign-in page, and checks the CSRF token of
// every POST.
func (s *Server) staff(fn func(w http.ResponseWriter, r *http.Request) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sess := s.session(r)
		if sess == nil {
			if r.Method == http.MethodGet {
				http.Redirect(w, r, "/admin/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			s.fail(w, r, &edge.Error{Status: http.StatusUnauthorized, Message: "Your session has ended. Sign in again; if you were editing, your text was autosaved."})
			return
		}
		r = r.WithContext(context.WithValue(r.Context(), sessionKey, sess))
		if r.Method == http.MethodPost {
			r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
			var err error
			if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
				// A form with a small image (the settings' logo and icon),
				// held in memory: the body is bounded above.
				err = r.ParseMultipartForm(maxFormBytes)
				if r.MultipartForm != nil {
					defer r.MultipartForm.RemoveAll()
				}
			} else {
				err = r.ParseForm()
			}
			if err != nil {
				s.fail(w, r, &edge.Error{Status: http.StatusRequestEntityTooLarge, Message: "That form was too large to accept (at most 4 MB, images included)."})
				return
			}
			if !hmac.Equal([]byte(r.PostForm.Get("csrf")), []byte(s.csrfToken(sess))) {
				s.fail(w, r, &edge.Error{Status: http.StatusForbidden, Message: "This form had expired or did not come from the newsroom. Go back, reload the page and try again."})
				return
			}
		}
		if err := fn(w, r); err != nil {
			s.fail(w, r, err)
		}
	})
}

func (s *Server) session(r *http.Request) *news.Session {
	ck, err := r.Cookie(sessionCookie)
	if err != nil || ck.Value == "" {
		return nil
	}
	sess, err := s.desk.Session(r.Context(), ck.Value)
	if err != nil {
		if !errors.Is(err, news.ErrNotFound) {
			s.log.ErrorContext(r.Context(), "load session", "err", err)
		}
		return nil
	}
	return sess
}

func (s *Server) layout(r *http.Request, title, current string) render.AdminLayout {
	lay := render.AdminLayout{Title: title, Current: current, SiteName: "Masthead"}
	if pub, err := s.desk.Settings(r.Context()); err == nil {
		lay.SiteName, lay.Dates = pub.Name, render.Dates{Zone: pub.TimeZone, Style: pub.DateStyle}
	}
	if sess := sessionFrom(r.Context()); sess != nil {
		lay.User = sess.Staff
		lay.CSRF = s.csrfToken(sess)
		me := news.Actor{ID: sess.Staff.ID, Role: sess.Staff.Role}
		can := s.desk.Abilities(me)
		lay.CanStaff, lay.CanModerate, lay.CanSettings = can.ManageStaff, can.Moderate, can.Settings
		lay.HasMedia, lay.CanSections, lay.CanNewsletters = s.desk.HasMediaLibrary(), can.EditAny, can.Newsletters
		switch w, err := s.desk.Waiting(r.Context(), me); {
		case err == nil:
			lay.InReview, lay.PendingComments = w.Review, w.Comments
		case r.Context().Err() == nil: // else the browser went away: no fault
			s.log.ErrorContext(r.Context(), "newsroom menu", "err", err) // the page still serves, without the counts
		}
	}
	if f := r.URL.Query().Get("done"); f != "" {
		lay.Flash = flashes[f]
	}
	return lay
}

// flashes are the confirmations a redirect may ask for (?done=saved), so
// no reader-supplied text is ever echoed.
var flashes = map[string]string{
	"saved": "Saved.", "queued": "Issue queued: it is being sent, and its progress shows below.", "created": "Draft created.", "moved": "Done.", "corrected": "Note added to the article.",
	"restored": "Revision restored.", "moderated": "Comments updated.", "role": "Role changed.", "signedout": "Signed out everywhere, and your application passwords were revoked: programs that use the REST API need a new one.",
	"password":    "Your new password is set and you are signed in. Your other sessions were signed out and your application passwords revoked: programs that use the REST API need a new one.",
	"welcome":     "Welcome! Your password is set and you are signed in.",
	"prepared":    "Briefing kept: it goes out at the newsletter's next scheduled time.",
	"discarded":   "Prepared briefing discarded: nothing goes out at the next scheduled time unless you prepare another.",
	"deleted":     "Section deleted; its articles were moved as you chose.",
	"merged":      "Sections merged: the articles moved, and the merged section's address and feeds now lead to the other.",
	"tag-added":   "Tag added.",
	"tag-merged":  "Tags merged: their stories carry this tag now, and the merged tag's address leads here.",
	"tag-deleted": "Tag deleted and removed from its stories.",
	"transferred": "Work handed over: the drafts and articles in review are theirs now, and each article's history records it.",
	"deactivated": "Account deactivated: it can no longer sign in, its sessions and application passwords have ended, and its bylines and author page stay.",
	"reactivated": "Account reactivated: they can sign in with their password again, or ask for a reset link.",
	"submitted":   "Submitted for review: it is among the editors' articles awaiting review.",
	"returned":    "Sent back to the writer as a draft.",
	"published":   "Published: it is on the site now.",
	"scheduled":   "Scheduled: it is published at the time shown below.",
	"unscheduled": "Schedule cancelled: it is a draft again.",
	"unpublished": "Unpublished: it is no longer on the site.",
	"invited":     "Invitation sent.", "invited-logged": "Account created. Mail is not configured; the link was written to the server log.",
	"reinvited":        "That address had been invited before but never set a password, so a new invitation was sent. Their role is unchanged.",
	"reinvited-logged": "That address had been invited before but never set a password, so a new invitation was made. Their role is unchanged. Mail is not configured; the link was written to the server log.",
}

type loginPage struct {
	Layout render.AdminLayout
	Setup  bool // the site has no administrator yet
	Token  string
	Next   string
	Email  string
	Error  string
}

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) {
	if s.session(r) != nil {
		http.Redirect(w, r, "/admin/", http.StatusSeeOther)
		return
	}
	s.renderLogin(w, r, http.StatusOK, "", "")
}

// formGuard protects a form used without a session (sign-in, forgotten
// password, reset and invitation links) with a double-submit token: one
// random value in a cookie and in the form. Another site can make a browser
// send the cookie but cannot read it to put it in the form.
type formGuard struct{ cookie, path string }

var (
	loginGuard   = formGuard{cookie: "mh_login", path: "/admin/login"}
	accountGuard = formGuard{cookie: "mh_account", path: "/admin/"}
)

// formToken is the token for a form guarded by g: the browser's current one
// (so two open tabs both work) or a new one.
func (s *Server) formToken(w http.ResponseWriter, r *http.Request, g formGuard) string {
	ck, err := r.Cookie(g.cookie)
	tok := ""
	if err == nil && len(ck.Value) == 43 { // auth.NewToken's length
		tok = ck.Value
	} else {
		tok, _ = auth.NewToken()
	}
	http.SetCookie(w, &http.Cookie{Name: g.cookie, Value: tok, Path: g.path, HttpOnly: true, SameSite: http.SameSiteStrictMode,
		Secure: edge.IsHTTPS(r, s.cfg.TrustProxy), MaxAge: 3600})
	return tok
}

// valid reports whether a posted form carries the cookie's token.
func (g formGuard) valid(r *http.Request) bool {
	ck, err := r.Cookie(g.cookie)
	return err == nil && ck.Value != "" && hmac.Equal([]byte(ck.Value), []byte(r.PostForm.Get("csrf")))
}

// clear drops the cookie once its form has done its work.
func (g formGuard) clear(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: g.cookie, Path: g.path, MaxAge: -1})
}

// renderLogin shows the sign-in form with its double-submit token.
func (s *Server) renderLogin(w http.ResponseWriter, r *http.Request, status int, email, msg string) {
	data := loginPage{Layout: s.layout(r, "Sign in", ""), Token: s.formToken(w, r, loginGuard), Next: safeNext(r.FormValue("next")), Email: email, Error: msg}
	data.Setup, _ = s.desk.SetupNeeded(r.Context()) // only a hint: the form works either way
	if err := s.page(w, status, "login", data); err != nil {
		s.fail(w, r, err)
	}
}

// safeNext keeps post-login redirects inside the newsroom.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/admin/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") {
		return "/admin/"
	}
	return next
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, edge.BadRequest("That sign-in form could not be read."))
		return
	}
	email := newsroom.NormalEmail(r.PostForm.Get("email"))
	if !loginGuard.valid(r) {
		s.renderLogin(w, r, http.StatusForbidden, email, "The sign-in form had expired. Please try again.")
		return
	}
	in, err := s.desk.SignIn(r.Context(), email, r.PostForm.Get("password"), s.client(r))
	var te *newsroom.ThrottledError
	switch {
	case errors.As(err, &te):
		throttled(w, te)
		s.renderLogin(w, r, http.StatusTooManyRequests, email, te.Message)
		return
	case errors.Is(err, newsroom.ErrBadCredentials):
		s.renderLogin(w, r, http.StatusUnauthorized, email, "That email and password do not match an account.")
		return
	case err != nil:
		s.fail(w, r, err)
		return
	}
	s.setSessionCookie(w, r, in)
	loginGuard.clear(w)
	http.Redirect(w, r, safeNext(r.PostForm.Get("next")), http.StatusSeeOther)
}

// setSessionCookie gives this browser the session it signed in to.
func (s *Server) setSessionCookie(w http.ResponseWriter, r *http.Request, in *newsroom.SignedIn) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: in.Token, Path: "/admin", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: edge.IsHTTPS(r, s.cfg.TrustProxy), MaxAge: int(in.Lifetime.Seconds())})
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	if err := s.desk.SignOut(r.Context(), sessionFrom(r.Context())); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Path: "/admin", MaxAge: -1, HttpOnly: true})
	http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
	return nil
}

// logoutEverywhere ends every session of this account, this one included,
// and revokes its application passwords, then says so on the sign-in page.
func (s *Server) logoutEverywhere(w http.ResponseWriter, r *http.Request) error {
	if err := s.desk.SignOutEverywhere(r.Context(), actor(r)); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Path: "/admin", MaxAge: -1, HttpOnly: true})
	http.Redirect(w, r, "/admin/login?done=signedout", http.StatusSeeOther)
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}
