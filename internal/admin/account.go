package admin

// Accounts by email: a forgotten password is replaced through a one-time
// link, and administrators invite new staff, who choose their own password
// through a one-time link. Links carry a random token that is stored only
// as a hash (package auth) and is spent on use (store.UseUserToken).
//
// The pages behind these links are used without a session, so their forms
// carry a double-submit token like the sign-in form (formGuard).

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	netmail "net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"masthead/internal/auth"
	"masthead/internal/edge"
	"masthead/internal/mail"
	"masthead/internal/news"
	"masthead/internal/render"
)

// Mailer sends the newsroom's email. *mail.SMTP delivers it; *mail.Log
// only writes it to the server log.
type Mailer interface {
	Send(ctx context.Context, m mail.Message) error
}

const (
	purposeReset  = "reset"
	purposeInvite = "invite"
	resetTTL      = time.Hour
	inviteTTL     = 7 * 24 * time.Hour

	// Reset requests count against the email address asked about and the
	// client's address whether or not an account exists, so hitting the
	// limit says nothing about which addresses have accounts.
	resetEmailLimit   = 3
	resetAddressLimit = 10
	resetWindow       = time.Hour

	formExpired = "The form had expired. Please try again."
)

// mailLogged reports whether mail only goes to the server log.
func (s *Server) mailLogged() bool {
	_, ok := s.mail.(*mail.Log)
	return ok
}

// link is an absolute URL on the public site. It is built from the
// configured base URL, never from the request's Host header, which a
// visitor controls.
func (s *Server) link(path string) string { return s.cfg.BaseURL + path }

// later runs fn after the response has gone, with its own deadline, so a
// slow mail server neither holds up the page nor reveals, by its delay,
// whether an account exists. Wait lets it finish at shutdown.
func (s *Server) later(ctx context.Context, what string, fn func(ctx context.Context) error) {
	ctx = context.WithoutCancel(ctx)
	s.background.Go(func() {
		ctx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		if err := fn(ctx); err != nil {
			s.log.ErrorContext(ctx, what, slog.Any("err", err))
		}
	})
}

// Wait waits for mail still being sent in the background, or until ctx
// ends. Call it once the HTTP server has stopped taking requests.
func (s *Server) Wait(ctx context.Context) error {
	done := make(chan struct{})
	go func() {
		s.background.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// normalEmail is an email address as accounts store it.
func normalEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// validEmail accepts a plain address (no display name), as mail will take it.
func validEmail(s string) bool {
	a, err := netmail.ParseAddress(s)
	return err == nil && a.Address == s && len(s) <= 254
}

func (s *Server) siteName(ctx context.Context) string {
	if pub, err := s.desk.Settings(ctx); err == nil && pub.Name != "" {
		return pub.Name
	}
	return "Masthead"
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
	data.MailLogged = s.mailLogged()
	if err := s.page(w, status, "forgot", data); err != nil {
		s.fail(w, r, err)
	}
}

func (s *Server) forgotForm(w http.ResponseWriter, r *http.Request) {
	s.renderForgot(w, r, http.StatusOK, forgotPage{})
}

// forgot sends a reset link if the address has an account, and answers the
// same either way. The link is made and mailed in the background, so the
// answer also takes the same time either way.
func (s *Server) forgot(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ok, err := postedForm(w, r, accountGuard)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	email := normalEmail(r.PostForm.Get("email"))
	if !ok {
		s.renderForgot(w, r, http.StatusForbidden, forgotPage{Email: email, Error: formExpired})
		return
	}
	if !validEmail(email) {
		s.renderForgot(w, r, http.StatusUnprocessableEntity, forgotPage{Email: email, Error: "Enter the email address you sign in with."})
		return
	}
	now := time.Now()
	ip := edge.ClientIP(r, s.cfg.TrustProxy)
	keys := []string{"reset-email:" + email, "reset-ip:" + ip}
	for i, limit := range []int{resetEmailLimit, resetAddressLimit} {
		n, last, err := s.store.LoginFailures(ctx, keys[i], now.Add(-resetWindow))
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if n >= limit {
			wait := last.Add(resetWindow).Sub(now)
			w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
			s.renderForgot(w, r, http.StatusTooManyRequests, forgotPage{Email: email,
				Error: fmt.Sprintf("Too many reset requests. Try again in %d minutes.", int(wait.Minutes())+1)})
			return
		}
	}
	if err := s.store.RecordLoginFailure(ctx, now, keys...); err != nil {
		s.fail(w, r, err)
		return
	}
	user, _, err := s.store.StaffCredentials(ctx, email)
	switch {
	case err == nil:
		s.later(ctx, "send password reset", func(ctx context.Context) error { return s.sendReset(ctx, user, ip) })
	case !errors.Is(err, news.ErrNotFound):
		s.fail(w, r, err)
		return
	}
	s.renderForgot(w, r, http.StatusOK, forgotPage{Sent: true})
}

const resetMail = `Hello %s,

Someone, probably you, asked to reset the password of your account in
the newsroom of %s. To choose a new password, open this link:

%s

The link works once, within an hour. If you did not ask for this, ignore
this email: your password stays as it is. (The request came from the
address %s.)
`

func (s *Server) sendReset(ctx context.Context, u *news.Staff, ip string) error {
	token, hash := auth.NewToken()
	if err := s.store.CreateStaffToken(ctx, hash, u.ID, purposeReset, time.Now().Add(resetTTL)); err != nil {
		return err
	}
	site := s.siteName(ctx)
	return s.mail.Send(ctx, mail.Message{
		To:      mail.Address{Name: u.Name, Email: u.Email},
		Subject: "Reset your password at " + site,
		Body:    fmt.Sprintf(resetMail, u.Name, site, s.link("/admin/reset/"+token), ip),
	})
}

// One-time links: password reset and invitation.

// oneTimeLink describes the page behind a reset or an invitation link.
type oneTimeLink struct {
	purpose string
	path    string // "/admin/{path}/{token}"
	title   string
	gone    string // what to say when the link is unknown, spent or expired
	done    string // flash shown after success
}

var (
	resetLink = oneTimeLink{purpose: purposeReset, path: "reset", title: "Choose a new password", done: "password",
		gone: "This password-reset link has expired or has already been used. A link works once, within an hour of being sent."}
	inviteLink = oneTimeLink{purpose: purposeInvite, path: "invite", title: "Join the newsroom", done: "welcome",
		gone: "This invitation has expired or has already been used. An invitation works once, within 7 days. If you have set your password, sign in; otherwise ask an administrator to invite you again."}
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

// linkUser is the account a live link belongs to, or news.ErrNotFound.
func (s *Server) linkUser(r *http.Request, l oneTimeLink) (*news.Staff, error) {
	id, err := s.store.PeekStaffToken(r.Context(), auth.HashToken(r.PathValue("token")), l.purpose, time.Now())
	if err != nil {
		return nil, err
	}
	return s.store.StaffByID(r.Context(), id)
}

func (s *Server) linkFailed(w http.ResponseWriter, r *http.Request, l oneTimeLink, err error) {
	if !errors.Is(err, news.ErrNotFound) {
		s.fail(w, r, err)
		return
	}
	data := linkGonePage{Layout: s.layout(r, "Link expired", ""), Message: l.gone, Reset: l.purpose == purposeReset}
	if err := s.page(w, http.StatusGone, "linkgone", data); err != nil {
		s.fail(w, r, err)
	}
}

func (s *Server) renderPassword(w http.ResponseWriter, r *http.Request, status int, l oneTimeLink, u *news.Staff, msg string) {
	w.Header().Set("Referrer-Policy", "no-referrer") // the URL is a credential
	data := passwordPage{Layout: s.layout(r, l.title, ""), Token: s.formToken(w, r, accountGuard),
		Action: "/admin/" + l.path + "/" + url.PathEscape(r.PathValue("token")), Invite: l.purpose == purposeInvite,
		User: u, MinLen: auth.MinPasswordLen, Error: msg}
	if err := s.page(w, status, "password", data); err != nil {
		s.fail(w, r, err)
	}
}

// linkForm shows the password form behind a live link.
func (s *Server) linkForm(l oneTimeLink) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		u, err := s.linkUser(r, l)
		if err != nil {
			s.linkFailed(w, r, l, err)
			return
		}
		s.renderPassword(w, r, http.StatusOK, l, u, "")
	}
}

// linkSubmit sets the password, spends the link, and signs the browser in.
// Setting a password signs the account out everywhere else and lifts a
// sign-in lock on it.
func (s *Server) linkSubmit(l oneTimeLink) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		ok, err := postedForm(w, r, accountGuard)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		u, err := s.linkUser(r, l)
		if err != nil {
			s.linkFailed(w, r, l, err)
			return
		}
		pw := r.PostForm.Get("password")
		msg := auth.CheckPasswordStrength(pw)
		switch {
		case !ok:
			s.renderPassword(w, r, http.StatusForbidden, l, u, formExpired)
			return
		case msg != "":
			s.renderPassword(w, r, http.StatusUnprocessableEntity, l, u, msg)
			return
		case pw != r.PostForm.Get("password2"):
			s.renderPassword(w, r, http.StatusUnprocessableEntity, l, u, "The two passwords are not the same.")
			return
		}
		hash, err := auth.HashPassword(pw)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		id, err := s.store.UseStaffToken(ctx, auth.HashToken(r.PathValue("token")), l.purpose, time.Now())
		if err != nil {
			s.linkFailed(w, r, l, err) // spent by a request that got there first
			return
		}
		if err := s.store.SetStaffPassword(ctx, id, hash); err != nil {
			s.fail(w, r, err)
			return
		}
		_ = s.store.ClearLoginFailures(ctx, "email:"+u.Email) // the key login throttles on
		accountGuard.clear(w)
		if err := s.signIn(w, r, id); err != nil {
			s.fail(w, r, err)
			return
		}
		http.Redirect(w, r, "/admin/?done="+l.done, http.StatusSeeOther)
	}
}

// Invitations.

// inviteForm is the invitation form on the staff page, as typed.
type inviteForm struct {
	Email, Name, JobTitle string
	Role                  news.Role
	Errors                news.FieldErrors
	Error                 string // about the whole form
}

func (f inviteForm) validate() news.FieldErrors {
	fe := news.FieldErrors{}
	if !validEmail(f.Email) {
		fe["email"] = "Enter an email address, like name@example.org."
	}
	switch n := utf8.RuneCountInString(f.Name); {
	case n == 0:
		fe["name"] = "Enter their name as it will appear in bylines."
	case n > 100:
		fe["name"] = "Use at most 100 characters."
	}
	if !news.ValidRole(f.Role) {
		fe["role"] = "Choose a role."
	}
	if utf8.RuneCountInString(f.JobTitle) > 100 {
		fe["job_title"] = "Use at most 100 characters."
	}
	return fe
}

// renderStaff shows the staff page with the invitation form as typed.
func (s *Server) renderStaff(w http.ResponseWriter, r *http.Request, status int, f inviteForm) error {
	list, err := s.store.Staff(r.Context())
	if err != nil {
		return err
	}
	return s.page(w, status, "staff", staffPage{Layout: s.layout(r, "Staff", "staff"), Staff: list, Roles: news.Roles, Invite: f})
}

// staffInvite creates an account without a password and mails its owner a
// link to choose one. Inviting an address that was invited but never set
// a password sends a fresh link; an address with a working account is
// refused with a message.
func (s *Server) staffInvite(w http.ResponseWriter, r *http.Request) error {
	if !actor(r).Role.Can(news.PermManageStaff) {
		return news.ErrForbidden
	}
	ctx := r.Context()
	f := inviteForm{Email: normalEmail(r.PostForm.Get("email")), Name: strings.Join(strings.Fields(r.PostForm.Get("name")), " "),
		Role: news.Role(r.PostForm.Get("role")), JobTitle: strings.TrimSpace(r.PostForm.Get("job_title"))}
	if f.Errors = f.validate(); len(f.Errors) > 0 {
		return s.renderStaff(w, r, http.StatusUnprocessableEntity, f)
	}
	user, hash, err := s.store.StaffCredentials(ctx, f.Email)
	again := err == nil
	switch {
	case err == nil && hash != "":
		f.Error = fmt.Sprintf("%s already has an account: %s, %s. To change their role, use the list above.", f.Email, user.Name, user.Role)
		return s.renderStaff(w, r, http.StatusConflict, f)
	case errors.Is(err, news.ErrNotFound):
		if user, err = s.createInvitee(ctx, f); errors.Is(err, news.ErrConflict) {
			f.Error = "An account that has been disabled already uses " + f.Email + "."
			return s.renderStaff(w, r, http.StatusConflict, f)
		}
	}
	if err != nil {
		return err
	}
	if err := s.sendInvite(ctx, sessionFrom(ctx).Staff, user); err != nil {
		s.log.ErrorContext(ctx, "send invitation", slog.String("to", user.Email), slog.Any("err", err))
		f.Error = "The account is ready, but the invitation could not be sent: the mail server did not take it (the server log says why). Once mail works, invite the same address again to send a new link."
		return s.renderStaff(w, r, http.StatusBadGateway, f)
	}
	done := "invited"
	if again {
		done = "reinvited"
	}
	if s.mailLogged() {
		done += "-logged"
	}
	http.Redirect(w, r, "/admin/staff?done="+done, http.StatusSeeOther)
	return nil
}

// createInvitee adds the account, finding a free slug for a namesake.
func (s *Server) createInvitee(ctx context.Context, f inviteForm) (*news.Staff, error) {
	a := news.Staff{Email: f.Email, Name: f.Name, Slug: news.Slugify(f.Name), Role: f.Role, JobTitle: f.JobTitle}
	base := a.Slug
	for n := 2; ; n++ {
		err := s.store.CreateStaff(ctx, &a)
		if !errors.Is(err, news.ErrConflict) || n > 20 {
			return &a, err // after 20 tries, it is the email that is taken
		}
		a.Slug = news.SlugWithSuffix(base, n)
	}
}

const inviteMail = `Hello %s,

%s has invited you to join the newsroom of %s, as %s.
To accept, choose your password here:

%s

The link works once, until %s. You will sign in with this
email address, %s.
`

func (s *Server) sendInvite(ctx context.Context, from, to *news.Staff) error {
	token, hash := auth.NewToken()
	expires := time.Now().Add(inviteTTL)
	if err := s.store.CreateStaffToken(ctx, hash, to.ID, purposeInvite, expires); err != nil {
		return err
	}
	site := s.siteName(ctx)
	return s.mail.Send(ctx, mail.Message{
		To:      mail.Address{Name: to.Name, Email: to.Email},
		Subject: "Your invitation to join " + site,
		Body: fmt.Sprintf(inviteMail, to.Name, from.Name, site, withArticle(string(to.Role)), s.link("/admin/invite/"+token),
			expires.In(s.cfg.Location).Format("2 January 2006, 15:04 MST"), to.Email),
	})
}

// withArticle puts "a" or "an" before a role: "an editor", "a contributor".
func withArticle(role string) string {
	if role != "" && strings.ContainsRune("aeiou", rune(role[0])) {
		return "an " + role
	}
	return "a " + role
}
