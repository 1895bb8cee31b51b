package newsroom

// Readers: accounts for the people who read the site, with no password.
// A reader signs in with a one-time link mailed to their address. The link
// lives ReaderLinkTTL, works once, and only in the browser that asked for
// it: the surface gives that browser a random value in a cookie, the link
// is stored with the value's hash, and following the link elsewhere (a
// forwarded mail, a scanner, someone reading the mailbox on another
// device) is ErrOtherBrowser. Asking is limited per address and per
// client, and answers the same whether or not the address has an account;
// confirming a link for a new address creates the account. Reader
// sessions have their own table and cookie: nothing here gives a reader
// any way into the newsroom.

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"masthead/internal/auth"
	"masthead/internal/mail"
	"masthead/internal/news"
	"masthead/internal/store"
)

const (
	// ReaderLinkTTL is how long a reader's sign-in or change-of-address
	// link works.
	ReaderLinkTTL = 15 * time.Minute
	// ReaderSessionTTL is how long a reader stays signed in.
	ReaderSessionTTL = 30 * 24 * time.Hour

	// Links asked for count against the address they go to and the
	// client asking, whether or not the address has an account, so that
	// nobody can use the form to bury an inbox and the limit says nothing
	// about who has an account.
	readerLinkEmailLimit   = 5
	readerLinkAddressLimit = 20
	readerLinkWindow       = time.Hour
)

// ReaderLinkPurpose is what a reader's one-time link does.
type ReaderLinkPurpose string

// The readers' one-time links.
const (
	ReaderSignInLink ReaderLinkPurpose = "signin" // signs in, creating the account if need be
	ReaderEmailLink  ReaderLinkPurpose = "email"  // moves an account to a new address
)

// ErrOtherBrowser refuses a live link followed in a browser other than the
// one that asked for it. The link is not spent: it still works where it
// was asked for.
var ErrOtherBrowser = fmt.Errorf("the link was asked for in another browser: %w", news.ErrForbidden)

// ErrReaderEmailTaken refuses to move an account to an address that has an
// account of its own.
var ErrReaderEmailTaken = fmt.Errorf("that address has a reader account: %w", news.ErrConflict)

// ReaderSignedIn is a reader's new session: its token for the browser's
// cookie (only its hash is stored) and how long it lasts.
type ReaderSignedIn struct {
	Reader   *news.Reader
	Token    string
	Lifetime time.Duration
}

// ReaderLink is what a live link will do, for the page that asks the
// reader to confirm it.
type ReaderLink struct {
	Purpose    ReaderLinkPurpose
	Email      string // the address signing in, or the new address
	NewAccount bool   // signing in creates the account (it needs a name)
	Current    string // a change of address: the address it replaces
}

// RequestReaderLink mails a sign-in link to email, for the browser whose
// cookie holds browser. next, a path on the site, is where the link leads
// after signing in (anything else is dropped). The link is made and sent
// in the background, so neither the answer nor its timing says whether
// the address has an account. Errors: news.FieldErrors on "email" and
// *ThrottledError.
func (s *Service) RequestReaderLink(ctx context.Context, email, browser, next string, from Client) error {
	email = NormalEmail(email)
	if !validEmail(email) {
		return news.FieldErrors{"email": "Enter your email address, like name@example.com."}
	}
	if err := s.throttleReaderLinks(ctx, email, from); err != nil {
		return err
	}
	link := store.ReaderLink{Purpose: string(ReaderSignInLink), Email: email, BrowserHash: browserHash(browser)}
	s.later(ctx, "send reader sign-in link", func(ctx context.Context) error {
		token, err := s.createReaderLink(ctx, link)
		if err != nil {
			return err
		}
		return s.sendReaderSignIn(ctx, email, token, next, from.IP)
	})
	return nil
}

// browserHash is how a browser's cookie value is kept with its links. An
// empty value (a browser that refuses cookies) gets a hash no cookie can
// match.
func browserHash(browser string) string {
	if browser == "" {
		h, _ := auth.NewToken()
		return "none:" + h
	}
	return auth.HashToken(browser)
}

// throttleReaderLinks counts a link asked for email by from, or refuses it
// when either has asked too often.
func (s *Service) throttleReaderLinks(ctx context.Context, email string, from Client) error {
	now := s.clock.Now()
	byEmail, byAddress := limit{"reader-link-email:" + email, readerLinkEmailLimit}, limit{"reader-link-ip:" + from.IP, readerLinkAddressLimit}
	if wait, over, err := s.overLimit(ctx, now, readerLinkWindow, byEmail, byAddress); err != nil || over {
		if err != nil {
			return err
		}
		wait = wait.Round(time.Second)
		return &ThrottledError{RetryAfter: wait, Message: fmt.Sprintf("Too many links asked for. Try again in %s, or use the last link we sent.", news.WaitText(wait))}
	}
	return s.store.RecordLoginFailure(ctx, now, byEmail.key, byAddress.key)
}

func (s *Service) createReaderLink(ctx context.Context, l store.ReaderLink) (string, error) {
	token, hash := auth.NewToken()
	l.TokenHash, l.ExpiresAt = hash, s.clock.Now().Add(ReaderLinkTTL)
	return token, s.store.CreateReaderLink(ctx, l)
}

// LocalPath keeps a path on this site, for where a link leads after it
// is used ("/2026/…#respond"), or "".
func LocalPath(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.ContainsAny(p, "\\\r\n\t ") || len(p) > 500 {
		return ""
	}
	return p
}

const readerSignInMail = `Hello,

Someone, probably you, asked to %s at %s with this email
address. Open this link in the same browser:

%s

The link works once, within 15 minutes, and only in the browser it was
asked from. If you did not ask for it, ignore this email: nothing
happens without the link. (The request came from the address %s.)
`

func (s *Service) sendReaderSignIn(ctx context.Context, email, token, next, ip string) error {
	what := "create a reader account"
	if r, err := s.store.ReaderByEmail(ctx, email); err == nil && r.HasAccount() {
		what = "sign in"
	} else if err != nil && !errors.Is(err, news.ErrNotFound) {
		return err
	}
	link := s.link("/account/signin/" + token)
	if next = LocalPath(next); next != "" {
		link += "?next=" + url.QueryEscape(next)
	}
	site := s.siteName(ctx)
	return s.mail.Send(ctx, mail.Message{
		To:      mail.Address{Email: email},
		Subject: "Your link to sign in to " + site,
		Body:    fmt.Sprintf(readerSignInMail, what, site, link, ip),
	})
}

// ReaderLink says what a live link will do, when followed in the browser
// whose cookie holds browser: news.ErrNotFound for a link that is unknown,
// spent or expired, ErrOtherBrowser for one asked for elsewhere.
func (s *Service) ReaderLink(ctx context.Context, purpose ReaderLinkPurpose, token, browser string) (*ReaderLink, error) {
	l, err := s.store.ReaderLink(ctx, auth.HashToken(token), string(purpose), s.clock.Now())
	if err != nil {
		return nil, err
	}
	if browser == "" || auth.HashToken(browser) != l.BrowserHash {
		return nil, ErrOtherBrowser
	}
	out := &ReaderLink{Purpose: purpose, Email: l.Email}
	switch purpose {
	case ReaderSignInLink:
		r, err := s.store.ReaderByEmail(ctx, l.Email)
		switch {
		case errors.Is(err, news.ErrNotFound):
			out.NewAccount = true
		case err != nil:
			return nil, err
		default:
			out.NewAccount = !r.HasAccount() || r.Name == ""
		}
	case ReaderEmailLink:
		r, err := s.store.ReaderByID(ctx, l.ReaderID)
		if err != nil {
			return nil, err
		}
		out.Current = r.Email
	}
	return out, nil
}

// SignInReader spends a sign-in link followed in the browser that asked
// for it and starts a session, creating the account when the address has
// none (name, required then, signs its comments). Errors as ReaderLink,
// and news.FieldErrors on "name".
func (s *Service) SignInReader(ctx context.Context, token, browser, name string, from Client) (*ReaderSignedIn, error) {
	l, err := s.ReaderLink(ctx, ReaderSignInLink, token, browser)
	if err != nil {
		return nil, err
	}
	if l.NewAccount {
		var msg string
		if name, msg = news.ReaderName(name); msg != "" {
			return nil, news.FieldErrors{"name": msg}
		}
	} else {
		name = ""
	}
	sessionToken, hash := auth.NewToken()
	now := s.clock.Now()
	r, err := s.store.SignInReaderByLink(ctx, auth.HashToken(token), auth.HashToken(browser), name, store.ReaderSessionStart{
		TokenHash: hash, ExpiresAt: now.Add(ReaderSessionTTL), IP: from.IP, UserAgent: truncate(from.UserAgent, maxUserAgent),
	}, now)
	if err != nil {
		return nil, err
	}
	return &ReaderSignedIn{Reader: r, Token: sessionToken, Lifetime: ReaderSessionTTL}, nil
}

// ReaderSession is the live session a browser's reader token belongs to,
// or news.ErrNotFound.
func (s *Service) ReaderSession(ctx context.Context, token string) (*news.ReaderSession, error) {
	if token == "" {
		return nil, news.ErrNotFound
	}
	return s.store.ReaderSessionByToken(ctx, auth.HashToken(token), s.clock.Now())
}

// SignOutReader ends one reader session.
func (s *Service) SignOutReader(ctx context.Context, sess *news.ReaderSession) error {
	return s.store.DeleteReaderSession(ctx, sess.TokenHash)
}

// RenameReader changes the name a reader signs comments with (later ones:
// a comment keeps the name it was posted under). news.FieldErrors on "name".
func (s *Service) RenameReader(ctx context.Context, r *news.Reader, name string) error {
	name, msg := news.ReaderName(name)
	if msg != "" {
		return news.FieldErrors{"name": msg}
	}
	return s.store.SetReaderName(ctx, r.ID, name)
}

// RequestReaderEmailChange mails a link to the new address email that
// moves r's account there when followed in the browser whose cookie holds
// browser. Limited as sign-in links are; whether the address has an
// account of its own is only said to whoever follows the link. Errors:
// news.FieldErrors on "email" and *ThrottledError.
func (s *Service) RequestReaderEmailChange(ctx context.Context, r *news.Reader, email, browser string, from Client) error {
	email = NormalEmail(email)
	switch {
	case !validEmail(email):
		return news.FieldErrors{"email": "Enter the new email address, like name@example.com."}
	case email == r.Email:
		return news.FieldErrors{"email": "That is already your address."}
	}
	if err := s.throttleReaderLinks(ctx, email, from); err != nil {
		return err
	}
	link := store.ReaderLink{Purpose: string(ReaderEmailLink), Email: email, ReaderID: r.ID, BrowserHash: browserHash(browser)}
	s.later(ctx, "send reader change-of-address link", func(ctx context.Context) error {
		token, err := s.createReaderLink(ctx, link)
		if err != nil {
			return err
		}
		site := s.siteName(ctx)
		return s.mail.Send(ctx, mail.Message{
			To:      mail.Address{Email: email},
			Subject: "Confirm your new email address at " + site,
			Body:    fmt.Sprintf(readerEmailChangeMail, site, s.link("/account/email/"+token), from.IP),
		})
	})
	return nil
}

const readerEmailChangeMail = `Hello,

Someone, probably you, asked to move their reader account at %s
to this email address. To confirm, open this link in the same browser:

%s

The link works once, within 15 minutes. If you did not ask for this,
ignore this email: nothing changes. (The request came from the address
%s.)
`

const readerEmailChangedMail = `Hello,

The email address of your reader account at %s was changed to
%s, and this address no longer signs in to it.

If you did not do this, reply to this email or contact the newsroom.
`

// ChangeReaderEmail spends a change-of-address link followed in the
// browser that asked for it and moves the account; the old address is
// told. Errors as ReaderLink, and ErrReaderEmailTaken.
func (s *Service) ChangeReaderEmail(ctx context.Context, token, browser string) (*news.Reader, error) {
	if _, err := s.ReaderLink(ctx, ReaderEmailLink, token, browser); err != nil {
		return nil, err
	}
	before, email, err := s.store.ChangeReaderEmailByLink(ctx, auth.HashToken(token), auth.HashToken(browser), s.clock.Now())
	if errors.Is(err, news.ErrConflict) {
		return nil, ErrReaderEmailTaken
	}
	if err != nil {
		return nil, err
	}
	s.later(ctx, "tell a reader's old address of the change", func(ctx context.Context) error {
		site := s.siteName(ctx)
		return s.mail.Send(ctx, mail.Message{
			To:      mail.Address{Name: before.Name, Email: before.Email},
			Subject: "Your email address at " + site + " was changed",
			Body:    fmt.Sprintf(readerEmailChangedMail, site, email),
		})
	})
	after := *before
	after.Email = email
	return &after, nil
}

// ReaderAccount is what a reader's page shows.
type ReaderAccount struct {
	Reader   *news.Reader
	Comments []news.ReaderComment // newest first
	SignIns  []news.ReaderSignIn  // the latest, newest first
	// Newsletters are the ones the reader receives or waits to confirm.
	Newsletters []news.Subscription
}

// ReaderAccount returns r's account page.
func (s *Service) ReaderAccount(ctx context.Context, r *news.Reader) (*ReaderAccount, error) {
	comments, err := s.store.ReaderComments(ctx, r)
	if err != nil {
		return nil, err
	}
	signIns, err := s.store.ReaderSignIns(ctx, r.ID)
	if err != nil {
		return nil, err
	}
	subs, err := s.store.ReaderSubscriptions(ctx, r.ID)
	if err != nil {
		return nil, err
	}
	acc := &ReaderAccount{Reader: r, Comments: comments, SignIns: signIns}
	for _, sub := range subs {
		if sub.Status == news.SubscriptionConfirmed || sub.Status == news.SubscriptionPending {
			acc.Newsletters = append(acc.Newsletters, sub)
		}
	}
	return acc, nil
}

// ReaderData is everything the site keeps about a reader, for them to
// download.
type ReaderData struct {
	ExportedAt time.Time           `json:"exported_at"`
	Account    ReaderDataAccount   `json:"account"`
	Comments   []ReaderDataComment `json:"comments"`
	SignIns    []ReaderDataSignIn  `json:"sign_ins"`
	// Newsletters names the newsletters the reader receives or waits to
	// confirm.
	Newsletters []string `json:"newsletters"`
}

// ReaderDataAccount is the account in a reader's data.
type ReaderDataAccount struct {
	Email     string    `json:"email"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
}

// ReaderDataComment is one comment in a reader's data.
type ReaderDataComment struct {
	ID         int64     `json:"id"`
	Article    string    `json:"article"`
	ArticleURL string    `json:"article_url"`
	URL        string    `json:"url,omitempty"` // the comment on its article, while public
	Name       string    `json:"name"`
	Email      string    `json:"email"`
	Website    string    `json:"website,omitempty"`
	Text       string    `json:"text"`
	Status     string    `json:"status"`
	PostedAt   time.Time `json:"posted_at"`
}

// ReaderDataSignIn is one sign-in in a reader's data.
type ReaderDataSignIn struct {
	At        time.Time `json:"at"`
	IP        string    `json:"ip"`
	UserAgent string    `json:"user_agent"`
}

// ReaderData gathers r's data.
func (s *Service) ReaderData(ctx context.Context, r *news.Reader) (*ReaderData, error) {
	acc, err := s.ReaderAccount(ctx, r)
	if err != nil {
		return nil, err
	}
	d := &ReaderData{
		ExportedAt:  s.clock.Now().UTC(),
		Account:     ReaderDataAccount{Email: r.Email, Name: r.Name, CreatedAt: r.AccountAt.UTC()},
		Comments:    []ReaderDataComment{},
		SignIns:     []ReaderDataSignIn{},
		Newsletters: []string{},
	}
	for _, sub := range acc.Newsletters {
		d.Newsletters = append(d.Newsletters, sub.Newsletter.Name)
	}
	for _, rc := range acc.Comments {
		c := rc.Comment
		dc := ReaderDataComment{ID: c.ID, Article: rc.Headline, Name: c.Name, Email: c.Email, Website: c.Website, Text: c.Body,
			Status: string(c.Status), PostedAt: c.CreatedAt.UTC()}
		if rc.Path != "" {
			dc.ArticleURL = s.link("/" + rc.Path)
		}
		if rc.Public {
			dc.URL = fmt.Sprintf("%s#comment-%d", dc.ArticleURL, c.ID)
		}
		d.Comments = append(d.Comments, dc)
	}
	for _, in := range acc.SignIns {
		d.SignIns = append(d.SignIns, ReaderDataSignIn{At: in.At.UTC(), IP: in.IP, UserAgent: in.UserAgent})
	}
	return d, nil
}

// Deleting an account: what becomes of its comments, the reader's choice.
const (
	KeepCommentsAnonymous = "keep"   // kept, signed "deleted reader", with email, website and address removed
	RemoveComments        = "remove" // deleted with the account
)

// DeleteReaderAccount deletes r's account, its sessions and sign-in
// history, and its comments or only their author (comments as the
// reader chose, KeepCommentsAnonymous or RemoveComments). confirmed is the
// reader's explicit confirmation. news.FieldErrors on "comments" and
// "confirm".
func (s *Service) DeleteReaderAccount(ctx context.Context, r *news.Reader, comments string, confirmed bool) error {
	fe := news.FieldErrors{}
	if comments != KeepCommentsAnonymous && comments != RemoveComments {
		fe["comments"] = "Choose what happens to your comments."
	}
	if !confirmed {
		fe["confirm"] = "Tick the box to confirm that you want to delete your account."
	}
	if len(fe) > 0 {
		return fe
	}
	return s.store.DeleteReader(ctx, r, comments == KeepCommentsAnonymous)
}
