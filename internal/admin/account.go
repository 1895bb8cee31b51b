package admin

// Accounts by email: a forgotten password is replaced through a one-time
// link, and administrators invite new staff, who choose their own password
// through a one-time link. The newsroom service makes, mails and spends
// the links; these handlers show the forms.
//
// The pages behind these links are used without a session, so their forms
// carry a double-submit token like the sign-in form (formGuard).

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"

	"masthead/internal/auth"
	"masthead/internal/edge"
	"masthead/internal/news"
	"masthead/internal/newsroom"
	"masthead/internal/render"
)

const formExpired = "The form had expired. Please try again."

// client is who sent the request, as the service throttles and records it.
func (s *Server) client(r *http.Request) newsroom.Client {
	return newsroom.Client{IP: edge.ClientIP(r, s.cfg.TrustProxy), UserAgent: truncate(r.UserAgent(), 300)}
}

// throttled answers a request the service refused as too frequent.
func throttled(w http.ResponseWriter, e *newsroom.ThrottledError) {
	w.Header().Set("Retry-After", strconv.Itoa(int(e.RetryAfter.Seconds())+1))
}

// postedForm reads a form sent without a session; ok is false when its
// double-submit token is missing or wrong.
func postedForm(w http.ResponseWriter, r *http.Request, g formGuard) (ok bool, err error) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		return false, edge.BadRequest("That form could not be read.")
	}
	return g.valid(r), nil
}

// Forgotten password.

type forgotPage struct {
	Layout     render.AdminLayout
	Token      string
	Email      string
	Error      string
	Sent       bool // the request was taken: the same answer for every address
	MailLogged bool // no mail server: links go to the server log
}

func (s *Server) renderForgot(w http.ResponseWriter, r *http.Request, status int, data forgotPage) {
	data.Layout = s.layout(r, "Forgotten password", "")
	data.Token = s.formToken(w, r, accountGuard)
	data.MailLogged = s.desk.MailLogged()
	if err := s.page(w, status, "forgot", data); err != nil {
		s.fail(w, r, err)
	}
}

func (s *Server) forgotForm(w http.ResponseWriter, r *http.Request) {
	s.renderForgot(w, r, http.StatusOK, forgotPage{})
}

// forgot asks for a reset link, and answers the same whether or not the
// address has an account.
func (s *Server) forgot(w http.ResponseWriter, r *http.Request) {
	ok, err := postedForm(w, r, accountGuard)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	email := newsroom.NormalEmail(r.PostForm.Get("email"))
	if !ok {
		s.renderForgot(w, r, http.StatusForbidden, forgotPage{Email: email, Error: formExpired})
		return
	}
	err = s.desk.RequestPasswordReset(r.Context(), email, s.client(r))
	var fe news.FieldErrors
	var te *newsroom.ThrottledError
	switch {
	case errors.As(err, &fe):
		s.renderForgot(w, r, http.StatusUnprocessableEntity, forgotPage{Email: email, Error: fe["email"]})
	case errors.As(err, &te):
		throttled(w, te)
		s.renderForgot(w, r, http.StatusTooManyRequests, forgotPage{Email: email, Error: te.Message})
	case err != nil:
		s.fail(w, r, err)
	default:
		s.renderForgot(w, r, http.StatusOK, forgotPage{Sent: true})
	}
}

// One-time links: password reset and invitation.

// oneTimeLink describes the page behind a reset or an invitation link.
type oneTimeLink struct {
	purpose newsroom.LinkPurpose
	path    string // "/admin/{path}/{token}"
	title   string
	gone    string // what to say when the link is unknown, spent or expired
	done    string // flash shown after success
}

var (
	resetLink = oneTimeLink{purpose: newsroom.LinkReset, path: "reset", title: "Choose a new password", done: "password",
		gone: "This password-reset link has expired, has already been used, or was replaced by a newer one. A link works once, within an hour of being sent, and only the latest link sent works."}
	inviteLink = oneTimeLink{purpose: newsroom.LinkInvite, path: "invite", title: "Join the newsroom", done: "welcome",
		gone: "This invitation has expired, has already been used, or was replaced by a newer one. An invitation works once, within 7 days, and only the latest one sent. If you have set your password, sign in; otherwise ask an administrator to invite you again."}
)

type passwordPage struct {
	Layout render.AdminLayout
	Token  string // the form's double-submit token
	Action string
	Invite bool // an invitation rather than a reset
	User   *news.Staff
	MinLen int
	Error  string
}

type linkGonePage struct {
	Layout  render.AdminLayout
	Message string
	Reset   bool // offer to send a new reset link
}

func (s *Server) linkFailed(w http.ResponseWriter, r *http.Request, l oneTimeLink, err error) {
	if !errors.Is(err, news.ErrNotFound) {
		s.fail(w, r, err)
		return
	}
	data := linkGonePage{Layout: s.layout(r, "Link expired", ""), Message: l.gone, Reset: l.purpose == newsroom.LinkReset}
	if err := s.page(w, http.StatusGone, "linkgone", data); err != nil {
		s.fail(w, r, err)
	}
}

func (s *Server) renderPassword(w http.ResponseWriter, r *http.Request, status int, l oneTimeLink, u *news.Staff, msg string) {
	w.Header().Set("Referrer-Policy", "no-referrer") // the URL is a credential
	data := passwordPage{Layout: s.layout(r, l.title, ""), Token: s.formToken(w, r, accountGuard),
		Action: "/admin/" + l.path + "/" + url.PathEscape(r.PathValue("token")), Invite: l.purpose == newsroom.LinkInvite,
		User: u, MinLen: auth.MinPasswordLen, Error: msg}
	if err := s.page(w, status, "password", data); err != nil {
		s.fail(w, r, err)
	}
}

// linkForm shows the password form behind a live link.
func (s *Server) linkForm(l oneTimeLink) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		u, err := s.desk.LinkOwner(r.Context(), l.purpose, r.PathValue("token"))
		if err != nil {
			s.linkFailed(w, r, l, err)
			return
		}
		s.renderPassword(w, r, http.StatusOK, l, u, "")
	}
}

// linkSubmit sets the password, spends the link, and signs the browser in.
func (s *Server) linkSubmit(l oneTimeLink) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		ok, err := postedForm(w, r, accountGuard)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		token := r.PathValue("token")
		u, err := s.desk.LinkOwner(ctx, l.purpose, token) // for the form, shown again
		if err != nil {
			s.linkFailed(w, r, l, err)
			return
		}
		if !ok {
			s.renderPassword(w, r, http.StatusForbidden, l, u, formExpired)
			return
		}
		in, err := s.desk.UseLink(ctx, l.purpose, token, r.PostForm.Get("password"), r.PostForm.Get("password2"), s.client(r))
		var fe news.FieldErrors
		switch {
		case errors.As(err, &fe):
			s.renderPassword(w, r, http.StatusUnprocessableEntity, l, u, fe["password"])
			return
		case err != nil:
			s.linkFailed(w, r, l, err) // spent by a request that got there first
			return
		}
		accountGuard.clear(w)
		s.setSessionCookie(w, r, in)
		http.Redirect(w, r, "/admin/?done="+l.done, http.StatusSeeOther)
	}
}

// Invitations.

// inviteForm is the invitation form on the staff page, as checked.
type inviteForm struct {
	newsroom.NewStaff
	Errors news.FieldErrors
	Error  string // about the whole form
}

// renderStaff shows the staff page with the invitation form as typed.
func (s *Server) renderStaff(w http.ResponseWriter, r *http.Request, status int, f inviteForm) error {
	list, err := s.desk.Staff(r.Context(), actor(r))
	if err != nil {
		return err
	}
	gone, err := s.desk.DeactivatedStaff(r.Context(), actor(r))
	if err != nil {
		return err
	}
	return s.page(w, status, "staff", staffPage{Layout: s.layout(r, "Staff", "staff"), Staff: list, Deactivated: gone, Roles: news.Roles, Invite: f})
}

// staffInvite invites someone to join, and says how it went.
func (s *Server) staffInvite(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	f := inviteForm{NewStaff: newsroom.NewStaff{Email: r.PostForm.Get("email"), Name: r.PostForm.Get("name"),
		Role: news.Role(r.PostForm.Get("role")), JobTitle: r.PostForm.Get("job_title")}}
	inv, err := s.desk.Invite(ctx, actor(r), &f.NewStaff)
	var taken *newsroom.EmailTakenError
	switch {
	case errors.As(err, &f.Errors):
		return s.renderStaff(w, r, http.StatusUnprocessableEntity, f)
	case errors.As(err, &taken) && taken.Staff != nil:
		f.Error = fmt.Sprintf("%s already has an account: %s, %s. To change their role, use the list above.", f.Email, taken.Staff.Name, taken.Staff.Role)
		return s.renderStaff(w, r, http.StatusConflict, f)
	case errors.As(err, &taken):
		f.Error = "An account that has been disabled already uses " + f.Email + "."
		return s.renderStaff(w, r, http.StatusConflict, f)
	case errors.Is(err, newsroom.ErrMailNotSent):
		s.log.ErrorContext(ctx, "send invitation", slog.String("to", f.Email), slog.Any("err", err))
		f.Error = "The account is ready, but the invitation could not be sent: the mail server did not take it (the server log says why). Once mail works, invite the same address again to send a new link."
		return s.renderStaff(w, r, http.StatusBadGateway, f)
	case err != nil:
		return err
	}
	done := "invited"
	if inv.Again {
		done = "reinvited"
	}
	if s.desk.MailLogged() {
		done += "-logged"
	}
	http.Redirect(w, r, "/admin/staff?done="+done, http.StatusSeeOther)
	return nil
}
