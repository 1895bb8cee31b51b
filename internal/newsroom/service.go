// Package newsroom is Masthead's service layer: every rule of the newsroom
// and every permission decision lives here, one file per area (articles,
// comments, accounts, media, pages, people, settings). The surfaces — the
// reader site (web), the newsroom screens (admin), the WordPress REST API
// (wpapi) and the command line (cli) — parse input, call one method of
// Service and render what it returns; they never decide who may do what.
// Service applies the domain rules of package news and persists the result
// through the store, so an article, a comment or an account is handled the
// same way whichever door it came in by.
package newsroom

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"masthead/internal/activitypub"
	"masthead/internal/clock"
	"masthead/internal/config"
	"masthead/internal/mail"
	"masthead/internal/markup"
	"masthead/internal/media"
	"masthead/internal/news"
	"masthead/internal/store"
)

// Config is what the service needs to know about its site.
type Config struct {
	Location *time.Location // the newsroom's time zone; nil means UTC
	Clock    clock.Clock    // nil means the system clock
	Media    media.Store    // where images live; nil: no media library
	BaseURL  string         // the site's public URL, for links in mail
	Mailer   Mailer         // nil: mail is written to Log
	// ReturnPath, when set, is the bounce address newsletters are sent
	// from, made per message (VERP: bounces+ISSUE.READER.MAC@example.org)
	// so that the bounce intake knows whose mail bounced; empty: the
	// Mailer's own sender.
	ReturnPath string

	// The per-address limit on reader comments: CommentLimit comments
	// per CommentWindow (zero or less: 5 per 10 minutes).
	CommentLimit  int
	CommentWindow time.Duration
	// Log receives what happens in the background (mail sent after the
	// response has gone) and, without a Mailer, the mail itself; nil
	// discards it.
	Log *slog.Logger
	// SessionTTL is how long a sign-in lasts; 0 means 14 days.
	SessionTTL time.Duration
	// SendRate limits how fast newsletters are handed to the SMTP
	// server; the zero value is no limit.
	SendRate config.SendRate
	// Federation is how the site federates (ActivityPub); the zero value
	// federates, under the paper's default handle.
	Federation FederationConfig
}

// Service is the newsroom.
type Service struct {
	store  *store.Store
	markup *markup.Renderer
	loc    *time.Location
	clock  clock.Clock
	// library holds the newsroom's images; nil when Config.Media is: the
	// media library is off.
	library *media.Library
	base    string
	mail    Mailer
	// staffMail: a mail server is configured, so the workflow tells staff
	// of their stories' steps by mail (without one, mail goes to the log,
	// which those messages would only fill).
	staffMail bool
	log       *slog.Logger

	returnPath string

	sessionTTL time.Duration
	background sync.WaitGroup // mail being sent after the response

	commentLimit *rateLimiter
	sendPace     *sendPace    // nil: newsletters are sent as fast as the server takes them
	inboxLimit   *rateLimiter // federation: activities per remote server

	fed       FederationConfig
	fedClient *activitypub.Client // fetches remote actors, delivers activities
}

// Now is the newsroom's clock, for surfaces that show or compare the time.
func (s *Service) Now() time.Time { return s.clock.Now() }

// New builds the newsroom service of the site in st.
func New(st *store.Store, cfg Config) *Service {
	s := &Service{store: st, markup: markup.New(), loc: cfg.Location, clock: cfg.Clock, base: cfg.BaseURL, mail: cfg.Mailer, staffMail: cfg.Mailer != nil}
	if s.loc == nil {
		s.loc = time.UTC
	}
	if s.clock == nil {
		s.clock = clock.System{}
	}
	if cfg.Media != nil {
		s.library = media.NewLibrary(cfg.Media, st, s.clock)
	}
	s.log = cfg.Log
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.mail == nil {
		s.mail = &mail.Log{Logger: s.log}
	}
	s.sessionTTL = cfg.SessionTTL
	if s.sessionTTL == 0 {
		s.sessionTTL = 14 * 24 * time.Hour
	}
	if cfg.CommentLimit <= 0 {
		cfg.CommentLimit = 5
	}
	if cfg.CommentWindow <= 0 {
		cfg.CommentWindow = 10 * time.Minute
	}
	s.commentLimit = newRateLimiter(cfg.CommentLimit, cfg.CommentWindow)
	s.returnPath = cfg.ReturnPath
	s.sendPace = newSendPace(cfg.SendRate)
	s.fed = cfg.Federation
	if s.fed.InboxLimit <= 0 {
		s.fed.InboxLimit = fedDefaultLimit
	}
	if s.fed.InboxWindow <= 0 {
		s.fed.InboxWindow = fedDefaultWindow
	}
	s.inboxLimit = newRateLimiter(s.fed.InboxLimit, s.fed.InboxWindow)
	s.fedClient = activitypub.NewClient(fedTimeout, cfg.Federation.AllowLoopback)
	return s
}

// Mailer sends the newsroom's mail (password resets, invitations).
// *mail.SMTP delivers it; *mail.Log only writes it to the server log.
type Mailer interface {
	Send(ctx context.Context, m mail.Message) error
}

// Abilities says what a member of staff's role lets them do, for the
// surfaces to decide what to offer (a menu item, a button). Offering is all
// they use it for: every method that acts checks the actor itself.
type Abilities struct {
	Write       bool // create articles and edit their own drafts
	PublishOwn  bool // publish, schedule and unpublish their own articles
	EditAny     bool // edit and publish anyone's articles
	Moderate    bool // moderate reader comments
	Correct     bool // append corrections and updates
	ManageStaff bool // invite, edit and remove staff
	Settings    bool // change the site's settings
	Newsletters bool // define newsletters and send them
}

// Abilities returns what actor may do.
func (s *Service) Abilities(actor news.Actor) Abilities {
	r := actor.Role
	return Abilities{
		Write: r.Can(news.PermWriteOwn), PublishOwn: r.Can(news.PermPublishOwn), EditAny: r.Can(news.PermEditAny),
		Moderate: r.Can(news.PermModerate), Correct: r.Can(news.PermCorrect),
		ManageStaff: r.Can(news.PermManageStaff), Settings: r.Can(news.PermSettings), Newsletters: r.Can(news.PermNewsletters),
	}
}
