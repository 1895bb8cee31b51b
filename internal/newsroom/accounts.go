package newsroom

// Accounts: signing in and its throttling, sessions, forgotten passwords
// and the one-time links that set a password (reset and invitation), and
// application passwords for the WordPress REST API. Every secret handed
// out — session cookie, link, application password — is random and stored
// only as a hash (package auth). Setting a password ends every other way
// into the account: its sessions, application passwords and links.

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	netmail "net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"masthead/internal/auth"
	"masthead/internal/mail"
	"masthead/internal/news"
)

const (
	// Passwords (signing in, confirming one's password, application
	// passwords) are throttled per client: within signInWindow a client
	// address may fail signInPairLimit times for one account and
	// signInAddressLimit times in all. Nothing counts per account alone, so
	// failures from elsewhere never lock its owner out.
	signInPairLimit    = 5
	signInAddressLimit = 20
	signInWindow       = 15 * time.Minute

	// Reset requests count against the email address asked about and the
	// client's address whether or not an account exists, so hitting the
	// limit says nothing about which addresses have accounts.
	resetEmailLimit   = 3
	resetAddressLimit = 10
	resetWindow       = time.Hour

	resetTTL  = time.Hour
	inviteTTL = 7 * 24 * time.Hour
)

// LinkPurpose is what a one-time link sets a password for. A link works
// for its own purpose only.
type LinkPurpose string

// The one-time links.
const (
	LinkReset  LinkPurpose = "reset"  // a forgotten password; lives an hour
	LinkInvite LinkPurpose = "invite" // an invitation to join; lives 7 days
)

// Client is who is asking, as the surface saw them: the address that
// sign-ins and reset requests are throttled on, and the browser a session
// is listed with (at most 300 bytes of its name).
type Client struct {
	IP        string
	UserAgent string
}

// SignedIn is a new session: its token, for the browser's cookie (only its
// hash is stored), and how long it lasts.
type SignedIn struct {
	Staff    *news.Staff
	Token    string
	Lifetime time.Duration
}

// ErrBadCredentials means an email and password, or a user name and
// application password, match no account. It never says which half was
// wrong.
var ErrBadCredentials = errors.New("credentials match no account")

// ThrottledError refuses a request made too often: Message says so, in
// words for the person asking, and RetryAfter is when they may try again.
type ThrottledError struct {
	RetryAfter time.Duration
	Message    string
}

func (e *ThrottledError) Error() string { return e.Message }

// NormalEmail is an email address as accounts store and compare it.
func NormalEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// validEmail accepts a plain address (no display name), as mail will take it.
func validEmail(s string) bool {
	a, err := netmail.ParseAddress(s)
	return err == nil && a.Address == s && len(s) <= 254
}

// limit is how many events key may count within a throttling window.
type limit struct {
	key string
	max int
}

// overLimit reports whether any key has reached its limit within window
// before now, and how long until its oldest counted event leaves it.
func (s *Service) overLimit(ctx context.Context, now time.Time, window time.Duration, limits ...limit) (time.Duration, bool, error) {
	for _, l := range limits {
		n, last, err := s.store.LoginFailures(ctx, l.key, now.Add(-window))
		if err != nil {
			return 0, false, err
		}
		if n >= l.max {
			return last.Add(window).Sub(now), true, nil
		}
	}
	return 0, false, nil
}

// passwordLimits are the limits on failed passwords from client address ip
// for the account with email, and in all (see signInPairLimit).
func passwordLimits(email, ip string) (pair, address limit) {
	return limit{"email-ip:" + email + "|" + ip, signInPairLimit}, addressLimit(ip)
}

func addressLimit(ip string) limit { return limit{"ip:" + ip, signInAddressLimit} }

// throttlePasswords refuses a client that has failed too often to give a
// password, with a *ThrottledError saying msg (a format for how long to
// wait, news.WaitText).
func (s *Service) throttlePasswords(ctx context.Context, now time.Time, msg string, limits ...limit) error {
	wait, over, err := s.overLimit(ctx, now, signInWindow, limits...)
	if err != nil || !over {
		return err
	}
	wait = wait.Round(time.Second)
	return &ThrottledError{RetryAfter: wait, Message: fmt.Sprintf(msg, news.WaitText(wait))}
}

const tooManyPasswords = "Too many failed attempts. Try again in %s, or reset your password."

// Signing in and sessions.

// SignIn checks an email and password and starts a session. Failures count
// against the client's address for the account and in all, and after too
// many that client waits a while (a *ThrottledError, even for the right
// password); other clients are not held up, so nobody can lock the owner
// out. A successful sign-in forgives the client's failures for the
// account. Unknown addresses and accounts still waiting for their
// invitation to be accepted take as long to refuse as a wrong password.
func (s *Service) SignIn(ctx context.Context, email, password string, from Client) (*SignedIn, error) {
	email = NormalEmail(email)
	now := s.clock.Now()
	pair, address := passwordLimits(email, from.IP)
	if err := s.throttlePasswords(ctx, now, tooManyPasswords, pair, address); err != nil {
		return nil, err
	}
	user, hash, err := s.store.StaffCredentials(ctx, email)
	ok := false
	switch {
	case errors.Is(err, news.ErrNotFound):
		auth.CheckAgainstNothing(password)
	case err != nil:
		return nil, err
	case hash == "":
		auth.CheckAgainstNothing(password) // invited, no password yet
	default:
		ok, _ = auth.CheckPassword(hash, password)
	}
	if !ok {
		if err := s.store.RecordLoginFailure(ctx, now, pair.key, address.key); err != nil {
			return nil, err
		}
		return nil, ErrBadCredentials
	}
	_ = s.store.ClearLoginFailures(ctx, pair.key) // a stale count only delays a later lock-out
	return s.startSession(ctx, user, from)
}

// startSession records a new session for user.
func (s *Service) startSession(ctx context.Context, user *news.Staff, from Client) (*SignedIn, error) {
	token, hash := auth.NewToken()
	err := s.store.CreateSession(ctx, hash, user.ID, s.clock.Now().Add(s.sessionTTL), from.IP, from.UserAgent)
	if err != nil {
		return nil, err
	}
	return &SignedIn{Staff: user, Token: token, Lifetime: s.sessionTTL}, nil
}

// Session is the live session a browser's token belongs to, with its
// (active) account, or news.ErrNotFound.
func (s *Service) Session(ctx context.Context, token string) (*news.Session, error) {
	return s.store.SessionByToken(ctx, auth.HashToken(token), s.clock.Now())
}

// SignOut ends one session.
func (s *Service) SignOut(ctx context.Context, sess *news.Session) error {
	return s.store.DeleteSession(ctx, sess.TokenHash)
}

// SignOutEverywhere ends every session of actor's account, the caller's
// included, and revokes its application passwords: whoever took a session
// must not keep the API.
func (s *Service) SignOutEverywhere(ctx context.Context, actor news.Actor) error {
	return s.store.SignStaffOut(ctx, actor.ID)
}

// Mail, and forgotten passwords.

// MailLogged reports whether mail only goes to the server log (no mail
// server is configured), so the surfaces can say where links went.
func (s *Service) MailLogged() bool {
	_, ok := s.mail.(*mail.Log)
	return ok
}

// later runs fn in the background with its own deadline, so that a slow
// mail server neither holds up the answer nor reveals, by its delay,
// whether an account exists. Wait lets it finish at shutdown.
func (s *Service) later(ctx context.Context, what string, fn func(ctx context.Context) error) {
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
// ends. Call it once the surfaces have stopped taking requests.
func (s *Service) Wait(ctx context.Context) error {
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

// link is an absolute URL on the public site. It is built from the
// configured base URL, never from a request's Host header, which a
// visitor controls.
func (s *Service) link(path string) string { return s.base + path }

func (s *Service) siteName(ctx context.Context) string {
	if pub, err := s.store.Publication(ctx); err == nil && pub.Name != "" {
		return pub.Name
	}
	return "Masthead"
}

// RequestPasswordReset mails a one-time link to choose a new password if
// email has an account, and answers the same either way: the link is made
// and sent in the background (see Wait), so even the time taken says
// nothing. Requests are limited per email address and per client address.
func (s *Service) RequestPasswordReset(ctx context.Context, email string, from Client) error {
	email = NormalEmail(email)
	if !validEmail(email) {
		return news.FieldErrors{"email": "Enter the email address you sign in with."}
	}
	now := s.clock.Now()
	byEmail, byAddress := limit{"reset-email:" + email, resetEmailLimit}, limit{"reset-ip:" + from.IP, resetAddressLimit}
	if wait, over, err := s.overLimit(ctx, now, resetWindow, byEmail, byAddress); err != nil || over {
		if err != nil {
			return err
		}
		return &ThrottledError{RetryAfter: wait, Message: fmt.Sprintf("Too many reset requests. Try again in %s.", news.WaitText(wait))}
	}
	if err := s.store.RecordLoginFailure(ctx, now, byEmail.key, byAddress.key); err != nil {
		return err
	}
	user, _, err := s.store.StaffCredentials(ctx, email)
	switch {
	case err == nil:
		s.later(ctx, "send password reset", func(ctx context.Context) error { return s.sendReset(ctx, user, from.IP) })
	case !errors.Is(err, news.ErrNotFound):
		return err
	}
	return nil
}

const resetMail = `Hello %s,

Someone, probably you, asked to reset the password of your account in
the newsroom of %s. To choose a new password, open this link:

%s

The link works once, within an hour. If you did not ask for this, ignore
this email: your password stays as it is. (The request came from the
address %s.)
`

func (s *Service) sendReset(ctx context.Context, u *news.Staff, ip string) error {
	token, hash := auth.NewToken()
	if err := s.store.CreateStaffToken(ctx, hash, u.ID, string(LinkReset), s.clock.Now().Add(resetTTL)); err != nil {
		return err
	}
	site := s.siteName(ctx)
	return s.mail.Send(ctx, mail.Message{
		To:      mail.Address{Name: u.Name, Email: u.Email},
		Subject: "Reset your password at " + site,
		Body:    fmt.Sprintf(resetMail, u.Name, site, s.link("/admin/reset/"+token), ip),
	})
}

// One-time links.

// LinkOwner is the account a live one-time link belongs to, without
// spending it; news.ErrNotFound when the link is unknown, spent, expired
// or for another purpose.
func (s *Service) LinkOwner(ctx context.Context, purpose LinkPurpose, token string) (*news.Staff, error) {
	id, err := s.store.PeekStaffToken(ctx, auth.HashToken(token), string(purpose), s.clock.Now())
	if err != nil {
		return nil, err
	}
	return s.store.StaffByID(ctx, id)
}

// UseLink sets the password of a one-time link's account (typed twice),
// spends the link and signs the client in. Setting a password ends the
// account's other sessions, its application passwords and its other links
// (reset and invitation), and forgives this client's failed sign-ins. A
// link that is no longer live, or was ended by a request that got there
// first, is news.ErrNotFound.
func (s *Service) UseLink(ctx context.Context, purpose LinkPurpose, token, password, again string, from Client) (*SignedIn, error) {
	u, err := s.LinkOwner(ctx, purpose, token)
	if err != nil {
		return nil, err
	}
	if msg := auth.CheckPasswordStrength(password); msg != "" {
		return nil, news.FieldErrors{"password": msg}
	}
	if password != again {
		return nil, news.FieldErrors{"password": "The two passwords are not the same."}
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return nil, fmt.Errorf("hash password: %w", err)
	}
	if _, err := s.store.SetStaffPasswordByToken(ctx, auth.HashToken(token), string(purpose), s.clock.Now(), hash); err != nil {
		return nil, err
	}
	pair, _ := passwordLimits(u.Email, from.IP)
	_ = s.store.ClearLoginFailures(ctx, pair.key) // a stale count only delays this client
	return s.startSession(ctx, u, from)
}

// Application passwords, for the WordPress REST API.

// AppPasswords lists actor's own application passwords, newest first.
func (s *Service) AppPasswords(ctx context.Context, actor news.Actor) ([]news.AppPassword, error) {
	return s.store.AppPasswords(ctx, actor.ID)
}

// CreateAppPassword makes an application password for actor, for the
// program named name, once actor has given their own password again: a
// stolen session must not turn into a credential that outlives it. A wrong
// password is a field error on "password", throttled as SignIn is. The
// application password is returned once and never again: only its hash is
// kept.
func (s *Service) CreateAppPassword(ctx context.Context, actor news.Actor, name, password string, from Client) (news.AppPassword, string, error) {
	name = strings.TrimSpace(name)
	fe := news.FieldErrors{}
	if name == "" || utf8.RuneCountInString(name) > 100 {
		fe["name"] = "Name the program the password is for (up to 100 characters)."
	}
	if password == "" {
		fe["password"] = "Enter your password to confirm it is you."
	}
	if len(fe) > 0 {
		return news.AppPassword{}, "", fe
	}
	if err := s.confirmPassword(ctx, actor, password, from); err != nil {
		return news.AppPassword{}, "", err
	}
	pw, hash := auth.NewAppPassword()
	id, err := s.store.CreateAppPassword(ctx, actor.ID, name, hash)
	if err != nil {
		return news.AppPassword{}, "", err
	}
	return news.AppPassword{ID: id, StaffID: actor.ID, Name: name, CreatedAt: s.clock.Now()}, pw, nil
}

// confirmPassword checks that password is actor's own, counting a wrong one
// as a failed sign-in from the client.
func (s *Service) confirmPassword(ctx context.Context, actor news.Actor, password string, from Client) error {
	u, err := s.store.StaffByID(ctx, actor.ID)
	if err != nil {
		return err
	}
	now := s.clock.Now()
	pair, address := passwordLimits(u.Email, from.IP)
	if err := s.throttlePasswords(ctx, now, tooManyPasswords, pair, address); err != nil {
		return err
	}
	_, hash, err := s.store.StaffCredentials(ctx, u.Email)
	if err != nil {
		return err
	}
	if ok, _ := auth.CheckPassword(hash, password); !ok {
		if err := s.store.RecordLoginFailure(ctx, now, pair.key, address.key); err != nil {
			return err
		}
		return news.FieldErrors{"password": "That is not your password."}
	}
	return nil
}

// RevokeAppPassword deletes one of actor's application passwords;
// news.ErrNotFound if they have no such password.
func (s *Service) RevokeAppPassword(ctx context.Context, actor news.Actor, id int64) error {
	return s.store.RevokeAppPassword(ctx, actor.ID, id)
}

// AuthenticateAppPassword is the account an application password belongs
// to, given with its owner's email or slug as the user name, and notes its
// use from ip. A password that matches nothing, or is given with someone
// else's name, is ErrBadCredentials — the same either way, and as slow as
// a real check. Failures count against the client's address as failed
// sign-ins do, and too many are a *ThrottledError.
func (s *Service) AuthenticateAppPassword(ctx context.Context, user, password, ip string) (*news.Staff, error) {
	now := s.clock.Now()
	address := addressLimit(ip)
	if err := s.throttlePasswords(ctx, now, "Too many failed attempts from your address. Try again in %s.", address); err != nil {
		return nil, err
	}
	password = strings.ReplaceAll(password, " ", "") // shown in groups of four
	u, err := s.store.AppPasswordStaff(ctx, auth.HashToken(password), ip, now)
	switch {
	case errors.Is(err, news.ErrNotFound):
		auth.CheckAgainstNothing("")
	case err != nil:
		return nil, err
	default:
		user = strings.ToLower(strings.TrimSpace(user))
		if user == strings.ToLower(u.Email) || user == u.Slug {
			return u, nil
		}
	}
	if err := s.store.RecordLoginFailure(ctx, now, address.key); err != nil {
		return nil, err
	}
	return nil, ErrBadCredentials
}
