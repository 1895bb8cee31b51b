package admin

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"masthead/internal/auth"
	"masthead/internal/news"
	"masthead/internal/render"
	"masthead/internal/store"
	"masthead/internal/web"
)

const (
	sessionCookie = "mh_session"
	loginCookie   = "mh_login"
	// Throttling: an account locks after accountLimit failures in
	// throttleWindow; an address after addressLimit.
	accountLimit   = 5
	addressLimit   = 20
	throttleWindow = 15 * time.Minute
)

type ctxKey int

const sessionKey ctxKey = 0

func sessionFrom(ctx context.Context) *store.Session {
	s, _ := ctx.Value(sessionKey).(*store.Session)
	return s
}

// actor is the signed-in member of staff as the domain sees them.
func actor(r *http.Request) news.Actor {
	u := sessionFrom(r.Context()).User
	return news.Actor{ID: u.ID, Role: u.Role}
}

func (s *Server) csrfToken(sess *store.Session) string {
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
			s.fail(w, r, &httpError{status: http.StatusUnauthorized, message: "Your session has ended. Sign in again; if you were editing, your text was autosaved."})
			return
		}
		r = r.WithContext(context.WithValue(r.Context(), sessionKey, sess))
		if r.Method == http.MethodPost {
			r.Body = http.MaxBytesReader(w, r.Body, 4<<20)
			if err := r.ParseForm(); err != nil {
				s.fail(w, r, &httpError{status: http.StatusRequestEntityTooLarge, message: "That form was too large to accept."})
				return
			}
			if !hmac.Equal([]byte(r.PostForm.Get("csrf")), []byte(s.csrfToken(sess))) {
				s.fail(w, r, &httpError{status: http.StatusForbidden, message: "This form had expired or did not come from the newsroom. Go back, reload the page and try again."})
				return
			}
		}
		if err := fn(w, r); err != nil {
			s.fail(w, r, err)
		}
	})
}

func (s *Server) session(r *http.Request) *store.Session {
	ck, err := r.Cookie(sessionCookie)
	if err != nil || ck.Value == "" {
		return nil
	}
	sess, err := s.store.SessionByToken(r.Context(), auth.HashToken(ck.Value), time.Now())
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
	if pub, err := s.store.Publication(r.Context()); err == nil {
		lay.SiteName = pub.Name
	}
	if sess := sessionFrom(r.Context()); sess != nil {
		lay.User = sess.User
		lay.CSRF = s.csrfToken(sess)
		lay.CanStaff = sess.User.Role.Can(news.PermManageStaff)
	}
	if f := r.URL.Query().Get("done"); f != "" {
		lay.Flash = flashes[f]
	}
	return lay
}

// flashes are the confirmations a redirect may ask for (?done=saved), so
// no reader-supplied text is ever echoed.
var flashes = map[string]string{
	"saved": "Saved.", "created": "Draft created.", "moved": "Done.", "corrected": "Note added to the article.",
	"restored": "Revision restored.", "moderated": "Comments updated.", "role": "Role changed.", "signedout": "Signed out everywhere else.",
}

type loginPage struct {
	Layout render.AdminLayout
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

// renderLogin shows the sign-in form with a fresh double-submit token (the
// login form's CSRF defence, since there is no session yet).
func (s *Server) renderLogin(w http.ResponseWriter, r *http.Request, status int, email, msg string) {
	tok, _ := auth.NewToken()
	http.SetCookie(w, &http.Cookie{Name: loginCookie, Value: tok, Path: "/admin/login", HttpOnly: true, SameSite: http.SameSiteStrictMode,
		Secure: web.IsHTTPS(r, s.cfg.TrustProxy), MaxAge: 3600})
	data := loginPage{Layout: s.layout(r, "Sign in", ""), Token: tok, Next: safeNext(r.FormValue("next")), Email: email, Error: msg}
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
	ctx := r.Context()
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, badRequest("That sign-in form could not be read."))
		return
	}
	email := strings.ToLower(strings.TrimSpace(r.PostForm.Get("email")))
	ck, err := r.Cookie(loginCookie)
	if err != nil || !hmac.Equal([]byte(ck.Value), []byte(r.PostForm.Get("csrf"))) {
		s.renderLogin(w, r, http.StatusForbidden, email, "The sign-in form had expired. Please try again.")
		return
	}
	now := time.Now()
	ip := web.ClientIP(r, s.cfg.TrustProxy)
	keys := []string{"email:" + email, "ip:" + ip}
	for i, limit := range []int{accountLimit, addressLimit} {
		n, last, err := s.store.LoginFailures(ctx, keys[i], now.Add(-throttleWindow))
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if n >= limit {
			wait := last.Add(throttleWindow).Sub(now).Round(time.Second)
			w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
			s.renderLogin(w, r, http.StatusTooManyRequests, email, fmt.Sprintf("Too many failed attempts. Try again in %d minutes, or reset your password.", int(wait.Minutes())+1))
			return
		}
	}
	user, hash, err := s.store.Credentials(ctx, email)
	ok := false
	switch {
	case errors.Is(err, news.ErrNotFound):
		auth.CheckAgainstNothing(r.PostForm.Get("password"))
	case err != nil:
		s.fail(w, r, err)
		return
	case hash == "":
		auth.CheckAgainstNothing(r.PostForm.Get("password")) // invited, no password yet
	default:
		ok, _ = auth.CheckPassword(hash, r.PostForm.Get("password"))
	}
	if !ok {
		if err := s.store.RecordLoginFailure(ctx, now, keys...); err != nil {
			s.fail(w, r, err)
			return
		}
		s.renderLogin(w, r, http.StatusUnauthorized, email, "That email and password do not match an account.")
		return
	}
	_ = s.store.ClearLoginFailures(ctx, keys[0])
	token, tokenHash := auth.NewToken()
	if err := s.store.CreateSession(ctx, tokenHash, user.ID, now.Add(s.cfg.SessionTTL), ip, truncate(r.UserAgent(), 300)); err != nil {
		s.fail(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/admin", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: web.IsHTTPS(r, s.cfg.TrustProxy), MaxAge: int(s.cfg.SessionTTL.Seconds())})
	http.SetCookie(w, &http.Cookie{Name: loginCookie, Path: "/admin/login", MaxAge: -1})
	http.Redirect(w, r, safeNext(r.PostForm.Get("next")), http.StatusSeeOther)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	if err := s.store.DeleteSession(r.Context(), sessionFrom(r.Context()).TokenHash); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Path: "/admin", MaxAge: -1, HttpOnly: true})
	http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
	return nil
}

// logoutEverywhere ends every session of this account, then signs this
// browser back in with a fresh one.
func (s *Server) logoutEverywhere(w http.ResponseWriter, r *http.Request) error {
	sess := sessionFrom(r.Context())
	if err := s.store.DeleteUserSessions(r.Context(), sess.User.ID); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Path: "/admin", MaxAge: -1, HttpOnly: true})
	http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}
