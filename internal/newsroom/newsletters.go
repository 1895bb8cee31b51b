package newsroom

// Newsletters: lists the newsroom defines, double opt-in sign-up,
// unsubscribing and preferences by a signed token from every email (no
// sign-in), and the durable send queue.
//
// Sending is at most once per (issue, address). An issue is expanded into
// one queue row per recipient in the transaction that creates it; a
// worker leases one row at a time (state 'sending', with a lease expiry),
// hands the message to the SMTP server, then records the outcome. If the
// process dies between the server accepting the message and the record,
// the row's lease runs out and it becomes 'unknown': it is counted on the
// newsroom screen and never sent again. We chose that over at-least-once
// (re-sending expired leases) because the newsroom's promise is "never
// twice"; the window is one message per worker, per crash. A delivery
// whose SMTP conversation broke after the whole message went out
// (mail.ErrMaybeDelivered) is 'unknown' for the same reason. Temporary
// failures before that point go back to the queue with a growing delay;
// a permanent refusal (5xx) fails the row and suppresses the address.

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"masthead/internal/auth"
	"masthead/internal/mail"
	"masthead/internal/news"
	"masthead/internal/store"
)

const (
	// SubscriptionConfirmTTL is how long a sign-up's confirmation link works.
	SubscriptionConfirmTTL = 7 * 24 * time.Hour

	// Sign-ups count against the address mailed and the client asking,
	// so the form cannot bury a third party's inbox in confirmations.
	signUpEmailLimit   = 3
	signUpAddressLimit = 20
	signUpWindow       = time.Hour

	// deliveryLease bounds one delivery: longer than the SMTP client's
	// own timeout, so a live worker's lease never runs out mid-send.
	deliveryLease = 5 * time.Minute
	// maxDeliveryAttempts is how often a temporary failure is retried.
	maxDeliveryAttempts = 6
)

// retryDelays is the wait after each failed attempt.
var retryDelays = [...]time.Duration{time.Minute, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour, 6 * time.Hour}

// NewsletterInput is a newsletter as the newsroom's form gives it.
type NewsletterInput struct {
	Name        string
	Slug        string // empty: made from the name
	Description string
	Kind        news.NewsletterKind
	FromName    string
	FromEmail   string
	// TopicID is the section or the person a follow (a digest) follows.
	TopicID int64
	// The schedule: Every is "", "daily" or "weekly"; Weekday a day's
	// name ("monday"), for weekly; At the time of day, "07:00".
	Every, Weekday, At string
}

// ScheduleInput is a schedule as the form shows it.
func ScheduleInput(sc news.Schedule) (every, weekday, at string) {
	switch sc.Every {
	case "":
		return "", "monday", "07:00"
	case news.EveryDay:
		return sc.Every, "monday", sc.Clock()
	}
	return sc.Every, strings.ToLower(sc.Weekday.String()), sc.Clock()
}

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

func (in NewsletterInput) check() (*news.Newsletter, error) {
	n := &news.Newsletter{
		Name: oneLineText(in.Name), Slug: strings.TrimSpace(in.Slug), Description: strings.TrimSpace(in.Description),
		Kind: in.Kind, FromName: oneLineText(in.FromName), FromEmail: NormalEmail(in.FromEmail),
	}
	if n.Slug == "" {
		n.Slug = news.Slugify(n.Name)
	}
	fe := news.FieldErrors{}
	switch {
	case n.Name == "":
		fe["name"] = "Give the newsletter a name."
	case utf8.RuneCountInString(n.Name) > 100:
		fe["name"] = "Keep the name under 100 characters."
	}
	if !slugPattern.MatchString(n.Slug) || len(n.Slug) > 60 {
		fe["slug"] = "Use lower-case letters, digits and hyphens (at most 60), like morning-briefing."
	}
	if utf8.RuneCountInString(n.Description) > 1000 {
		fe["description"] = "Keep the description under 1,000 characters."
	}
	if !news.ValidNewsletterKind(n.Kind) {
		fe["kind"] = "Choose a briefing, a breaking-news alert, or a section or author follow."
	}
	switch {
	case n.Digest():
		n.TopicID = in.TopicID
	case in.TopicID != 0:
		fe["topic"] = "Only a section or author follow follows a section or an author."
	}
	switch in.Every {
	case "":
	case news.EveryDay, news.EveryWeek:
		spec := in.Every + " " + in.At
		if in.Every == news.EveryWeek {
			spec = in.Every + " " + in.Weekday + " " + in.At
		}
		var err error
		if n.Schedule, err = news.ParseSchedule(spec); err != nil {
			if _, ok := news.ParseWeekday(in.Weekday); in.Every == news.EveryWeek && !ok {
				fe["schedule"] = "Choose the day of the week it goes out."
			} else {
				fe["schedule"] = "Give the time it goes out as HH:MM, like 07:00."
			}
		}
	default:
		fe["schedule"] = "Choose how often it goes out: by hand, daily or weekly."
	}
	switch {
	case fe["schedule"] != "":
	case n.Kind == news.NewsletterAlert && n.Schedule.Every != "":
		fe["schedule"] = "A breaking-news alert goes out as its story is published; it has no schedule."
	case n.Digest() && n.Schedule.Every == "":
		fe["schedule"] = "A follow is a digest sent on its schedule: choose daily or weekly."
	}
	if utf8.RuneCountInString(n.FromName) > 100 {
		fe["from_name"] = "Keep the sender's name under 100 characters."
	}
	if !validEmail(n.FromEmail) {
		fe["from_email"] = "Enter the sender's address, like news@example.com."
	}
	if len(fe) > 0 {
		return nil, fe
	}
	return n, nil
}

// checkNewsletter checks the form and that a follow's section or person
// exists.
func (s *Service) checkNewsletter(ctx context.Context, in NewsletterInput) (*news.Newsletter, error) {
	n, err := in.check()
	if err != nil || !n.Digest() {
		return n, err
	}
	_, err = s.topicName(ctx, n)
	if errors.Is(err, news.ErrNotFound) {
		what := "section"
		if n.Kind == news.NewsletterAuthor {
			what = "author"
		}
		return nil, news.FieldErrors{"topic": "Choose the " + what + " to follow."}
	}
	return n, err
}

// oneLineText trims s and folds every run of white space, line breaks
// included, into one space: names and subjects go into mail headers.
func oneLineText(s string) string { return strings.Join(strings.Fields(s), " ") }

func mayManageNewsletters(actor news.Actor) error {
	if !actor.Role.Can(news.PermNewsletters) {
		return fmt.Errorf("%w: only editors and administrators manage newsletters", news.ErrForbidden)
	}
	return nil
}

// CreateNewsletter defines a newsletter. news.FieldErrors on the form's
// fields ("slug" when it is taken), news.ErrForbidden.
func (s *Service) CreateNewsletter(ctx context.Context, actor news.Actor, in NewsletterInput) (*news.Newsletter, error) {
	if err := mayManageNewsletters(actor); err != nil {
		return nil, err
	}
	n, err := s.checkNewsletter(ctx, in)
	if err != nil {
		return nil, err
	}
	n.CreatedAt = s.clock.Now()
	if err := s.store.CreateNewsletter(ctx, n); errors.Is(err, news.ErrConflict) {
		return nil, news.FieldErrors{"slug": "Another newsletter has that slug."}
	} else if err != nil {
		return nil, err
	}
	return n, nil
}

// UpdateNewsletter changes a newsletter. Errors as CreateNewsletter, and
// news.ErrNotFound.
func (s *Service) UpdateNewsletter(ctx context.Context, actor news.Actor, id int64, in NewsletterInput) (*news.Newsletter, error) {
	if err := mayManageNewsletters(actor); err != nil {
		return nil, err
	}
	n, err := s.checkNewsletter(ctx, in)
	if err != nil {
		return nil, err
	}
	n.ID = id
	if err := s.store.UpdateNewsletter(ctx, n, s.clock.Now()); errors.Is(err, news.ErrConflict) {
		return nil, news.FieldErrors{"slug": "Another newsletter has that slug."}
	} else if err != nil {
		return nil, err
	}
	return n, nil
}

// Newsletters lists the newsletters, for the sign-up page and the newsroom.
func (s *Service) Newsletters(ctx context.Context) ([]news.Newsletter, error) {
	return s.store.Newsletters(ctx)
}

// Newsletter loads a newsletter by its slug; news.ErrNotFound.
func (s *Service) Newsletter(ctx context.Context, slug string) (*news.Newsletter, error) {
	return s.store.Newsletter(ctx, 0, slug)
}

// NewsletterDesk is a newsletter as the newsroom's screen shows it: its
// latest issues and how their sending goes.
type NewsletterDesk struct {
	Newsletter *news.Newsletter
	Issues     []IssueStatus
	// Next is the next scheduled time, in the site's time zone (zero
	// when sent by hand); Draft the briefing prepared for it, if any.
	Next  time.Time
	Draft *news.BriefingDraft
	// Topic names what a follow follows.
	Topic string
	// SendRate is the configured limit, "" for none.
	SendRate string
}

// IssueStatus is an issue and its deliveries counted.
type IssueStatus struct {
	Issue    news.NewsletterIssue
	Progress news.SendProgress
}

// NewsletterDesk loads a newsletter for the newsroom; news.ErrForbidden,
// news.ErrNotFound.
func (s *Service) NewsletterDesk(ctx context.Context, actor news.Actor, id int64) (*NewsletterDesk, error) {
	if err := mayManageNewsletters(actor); err != nil {
		return nil, err
	}
	n, err := s.store.Newsletter(ctx, id, "")
	if err != nil {
		return nil, err
	}
	issues, err := s.store.Issues(ctx, id, 20)
	if err != nil {
		return nil, err
	}
	d := &NewsletterDesk{Newsletter: n}
	for _, is := range issues {
		p, err := s.store.IssueProgress(ctx, is.ID, s.clock.Now().Add(-time.Minute))
		if err != nil {
			return nil, err
		}
		d.Issues = append(d.Issues, IssueStatus{Issue: is, Progress: p})
	}
	if err := s.deskSchedule(ctx, d); err != nil {
		return nil, err
	}
	return d, nil
}

// SubscribeNewsletter asks for a subscription to the newsletter slug for
// email and mails the confirmation link; the subscription counts once the
// link is followed. The answer is the same whether or not the address is
// known or already subscribed (nothing is mailed then), and the mail goes
// out in the background. Errors: news.FieldErrors on "email" and
// "newsletter", *ThrottledError.
func (s *Service) SubscribeNewsletter(ctx context.Context, slug, email string, from Client) error {
	email = NormalEmail(email)
	fe := news.FieldErrors{}
	if !validEmail(email) {
		fe["email"] = "Enter your email address, like name@example.com."
	}
	n, err := s.store.Newsletter(ctx, 0, slug)
	if errors.Is(err, news.ErrNotFound) {
		fe["newsletter"] = "Choose a newsletter."
	} else if err != nil {
		return err
	}
	if len(fe) > 0 {
		return fe
	}
	now := s.clock.Now()
	byEmail, byAddress := limit{"newsletter-email:" + email, signUpEmailLimit}, limit{"newsletter-ip:" + from.IP, signUpAddressLimit}
	if wait, over, err := s.overLimit(ctx, now, signUpWindow, byEmail, byAddress); err != nil {
		return err
	} else if over {
		wait = wait.Round(time.Second)
		return &ThrottledError{RetryAfter: wait, Message: fmt.Sprintf("Too many sign-ups. Try again in %s.", news.WaitText(wait))}
	}
	if err := s.store.RecordLoginFailure(ctx, now, byEmail.key, byAddress.key); err != nil {
		return err
	}
	s.later(ctx, "send newsletter confirmation", func(ctx context.Context) error {
		token, hash := auth.NewToken()
		before, err := s.store.Subscribe(ctx, n.ID, email, hash, s.clock.Now())
		if err != nil || before == news.SubscriptionConfirmed {
			return err
		}
		site := s.siteName(ctx)
		return s.mail.Send(ctx, mail.Message{
			To:      mail.Address{Email: email},
			From:    sender(n),
			Subject: "Confirm your subscription to " + n.Name,
			Body:    fmt.Sprintf(confirmMail, n.Name, site, s.link("/newsletters/confirm/"+token), from.IP),
		})
	})
	return nil
}

const confirmMail = `Hello,

Someone, probably you, asked to receive %s from %s at
this email address. To confirm, open this link:

%s

The link works for 7 days. If you did not ask for this, ignore this
email: you will not be subscribed. (The request came from the address
%s.)
`

// ConfirmSubscription follows a sign-up's confirmation link: from now on
// the address gets the newsletter. news.ErrNotFound for a link unknown,
// used or expired.
func (s *Service) ConfirmSubscription(ctx context.Context, token string) (*news.Newsletter, error) {
	now := s.clock.Now()
	n, _, err := s.store.ConfirmSubscription(ctx, auth.HashToken(token), now.Add(-SubscriptionConfirmTTL), now)
	return n, err
}

// newsletterKey is the key that signs readers' newsletter tokens, derived
// from the site's signing secret (shared by every instance and the
// command line).
func (s *Service) newsletterKey(ctx context.Context) ([]byte, error) {
	v, err := s.store.SettingOrInit(ctx, "secret.signing", func() string {
		b := make([]byte, 32)
		_, _ = rand.Read(b)
		return hex.EncodeToString(b)
	})
	if err != nil {
		return nil, err
	}
	m := hmac.New(sha256.New, []byte(v))
	m.Write([]byte("masthead newsletter tokens"))
	return m.Sum(nil), nil
}

// NewsletterToken is the token in a reader's unsubscribe and preferences
// links: the reader and the newsletter the mail came from, signed with
// the address, so it dies when the address changes.
func (s *Service) NewsletterToken(ctx context.Context, r *news.Reader, newsletterID int64) (string, error) {
	key, err := s.newsletterKey(ctx)
	if err != nil {
		return "", err
	}
	return newsletterToken(key, r.ID, newsletterID, r.Email), nil
}

func newsletterToken(key []byte, readerID, newsletterID int64, email string) string {
	head := strconv.FormatInt(readerID, 10) + "." + strconv.FormatInt(newsletterID, 10)
	m := hmac.New(sha256.New, key)
	m.Write([]byte(head + "." + email))
	return head + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:18])
}

// NewsletterPreferences is what a token from an email opens.
type NewsletterPreferences struct {
	Reader        *news.Reader
	From          *news.Newsletter // the newsletter the mail came from
	Subscriptions []news.Subscription
}

// NewsletterPreferences checks a token from an email and returns the
// reader's subscriptions; news.ErrNotFound for a token that is not valid.
func (s *Service) NewsletterPreferences(ctx context.Context, token string) (*NewsletterPreferences, error) {
	r, n, err := s.readerByNewsletterToken(ctx, token)
	if err != nil {
		return nil, err
	}
	subs, err := s.store.ReaderSubscriptions(ctx, r.ID)
	if err != nil {
		return nil, err
	}
	return &NewsletterPreferences{Reader: r, From: n, Subscriptions: subs}, nil
}

func (s *Service) readerByNewsletterToken(ctx context.Context, token string) (*news.Reader, *news.Newsletter, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil, nil, news.ErrNotFound
	}
	readerID, err1 := strconv.ParseInt(parts[0], 10, 64)
	newsletterID, err2 := strconv.ParseInt(parts[1], 10, 64)
	if err1 != nil || err2 != nil {
		return nil, nil, news.ErrNotFound
	}
	r, err := s.store.ReaderByID(ctx, readerID)
	if err != nil {
		return nil, nil, err
	}
	key, err := s.newsletterKey(ctx)
	if err != nil {
		return nil, nil, err
	}
	if !hmac.Equal([]byte(token), []byte(newsletterToken(key, readerID, newsletterID, r.Email))) {
		return nil, nil, news.ErrNotFound
	}
	n, err := s.store.Newsletter(ctx, newsletterID, "")
	if err != nil {
		return nil, nil, err
	}
	return r, n, nil
}

// UnsubscribeByToken unsubscribes the reader a token from an email names
// from newsletterID (0: the newsletter the mail came from), for good: the
// address goes on the suppression list for it. The token is the only
// authority, so that RFC 8058 one-click unsubscribing works with no
// cookie. news.ErrNotFound for a token that is not valid.
func (s *Service) UnsubscribeByToken(ctx context.Context, token string, newsletterID int64) (*news.Newsletter, error) {
	r, n, err := s.readerByNewsletterToken(ctx, token)
	if err != nil {
		return nil, err
	}
	if newsletterID != 0 && newsletterID != n.ID {
		if n, err = s.store.Newsletter(ctx, newsletterID, ""); err != nil {
			return nil, err
		}
	}
	return n, s.store.Unsubscribe(ctx, r.ID, n.ID, s.clock.Now())
}

// ReaderSubscriptions lists a signed-in reader's newsletters.
func (s *Service) ReaderSubscriptions(ctx context.Context, r *news.Reader) ([]news.Subscription, error) {
	return s.store.ReaderSubscriptions(ctx, r.ID)
}

// IssueInput is an issue as the editor or the command line gives it.
type IssueInput struct {
	Subject  string
	Markdown string
}

// SendIssue renders an issue of a newsletter and queues it to every
// confirmed subscriber not suppressed, in one transaction; the sender
// (SendDue, run by `serve`) delivers it. news.FieldErrors on "subject"
// and "body", news.ErrForbidden, news.ErrNotFound.
func (s *Service) SendIssue(ctx context.Context, actor news.Actor, newsletterID int64, in IssueInput) (*news.NewsletterIssue, error) {
	if err := mayManageNewsletters(actor); err != nil {
		return nil, err
	}
	n, err := s.store.Newsletter(ctx, newsletterID, "")
	if err != nil {
		return nil, err
	}
	is, err := s.newIssue(n.ID, in)
	if err != nil {
		return nil, err
	}
	if err := s.store.CreateIssue(ctx, is, actor.ID); err != nil {
		return nil, err
	}
	return is, nil
}

// newIssue checks and renders an issue of newsletterID.
func (s *Service) newIssue(newsletterID int64, in IssueInput) (*news.NewsletterIssue, error) {
	is := &news.NewsletterIssue{NewsletterID: newsletterID, Subject: oneLineText(in.Subject), Markdown: strings.TrimSpace(in.Markdown)}
	fe := news.FieldErrors{}
	switch {
	case is.Subject == "":
		fe["subject"] = "Give the issue a subject."
	case utf8.RuneCountInString(is.Subject) > 200:
		fe["subject"] = "Keep the subject under 200 characters."
	}
	if is.Markdown == "" {
		fe["body"] = "Write the issue."
	}
	if len(fe) > 0 {
		return nil, fe
	}
	var err error
	if is.HTML, is.Text, err = s.markup.Article(is.Markdown); err != nil {
		return nil, news.FieldErrors{"body": "The issue could not be rendered: " + err.Error()}
	}
	is.CreatedAt = s.clock.Now()
	return is, nil
}

// IssueProgress counts an issue's deliveries; news.ErrForbidden.
func (s *Service) IssueProgress(ctx context.Context, actor news.Actor, issueID int64) (news.SendProgress, error) {
	if err := mayManageNewsletters(actor); err != nil {
		return news.SendProgress{}, err
	}
	return s.store.IssueProgress(ctx, issueID, s.clock.Now().Add(-time.Minute))
}

// SendDue delivers what the send queue holds that is due, one message at
// a time, as worker owner (a name unique to this process), until the
// queue has nothing due, ctx ends or max messages were handled (0: no
// limit). It returns how many were handled. Any number of workers, in
// any number of processes on one database, may run it at once.
func (s *Service) SendDue(ctx context.Context, owner string, max int) (int, error) {
	if _, err := s.store.ExpireDeliveryLeases(ctx, s.clock.Now()); err != nil {
		return 0, err
	}
	cache := map[int64]*outgoingIssue{}
	handled := 0
	for max == 0 || handled < max {
		if ctx.Err() != nil {
			return handled, nil
		}
		now := s.clock.Now()
		d, err := s.store.LeaseDelivery(ctx, owner, now, now.Add(deliveryLease))
		if errors.Is(err, news.ErrNotFound) {
			return handled, nil
		}
		// The lease is taken before the wait so that workers queue for
		// slots; it is far longer than any wait a sane rate asks.
		// A shutdown while waiting puts it back, as deliver does.
		if err == nil && !s.sendPace.wait(ctx, s.clock.Now()) {
			return handled, s.store.FinishDelivery(context.WithoutCancel(ctx), d, owner, "queued", "", now, s.clock.Now())
		}
		if err != nil {
			return handled, err
		}
		handled++
		if err := s.deliver(ctx, owner, d, cache); err != nil {
			return handled, err
		}
	}
	return handled, nil
}

// outgoingIssue is what every message of an issue shares.
type outgoingIssue struct {
	issue      *news.NewsletterIssue
	newsletter *news.Newsletter
	key        []byte
	site       string
}

func (s *Service) outgoing(ctx context.Context, issueID int64, cache map[int64]*outgoingIssue) (*outgoingIssue, error) {
	if o, ok := cache[issueID]; ok {
		return o, nil
	}
	is, err := s.store.Issue(ctx, issueID)
	if err != nil {
		return nil, err
	}
	n, err := s.store.Newsletter(ctx, is.NewsletterID, "")
	if err != nil {
		return nil, err
	}
	key, err := s.newsletterKey(ctx)
	if err != nil {
		return nil, err
	}
	o := &outgoingIssue{issue: is, newsletter: n, key: key, site: s.siteName(ctx)}
	cache[issueID] = o
	return o, nil
}

// deliver sends one leased delivery and records the outcome. The record
// is written even when ctx has ended (a shutdown), so that what the
// server took is known to be sent.
func (s *Service) deliver(ctx context.Context, owner string, d *store.Delivery, cache map[int64]*outgoingIssue) error {
	record := func(state, errText string, next time.Time) error {
		return s.store.FinishDelivery(context.WithoutCancel(ctx), d, owner, state, errText, next, s.clock.Now())
	}
	o, err := s.outgoing(ctx, d.IssueID, cache)
	if err != nil {
		_ = record("queued", err.Error(), s.clock.Now())
		return err
	}
	if suppressed, err := s.store.Suppressed(ctx, d.Email, o.newsletter.ID); err != nil {
		_ = record("queued", err.Error(), s.clock.Now())
		return err
	} else if suppressed {
		return record("skipped", "on the suppression list", time.Time{})
	}
	m, err := s.issueMessage(o, d)
	if err != nil {
		return record("failed", err.Error(), time.Time{})
	}
	err = s.mail.Send(ctx, m)
	now := s.clock.Now()
	if mail.Permanent(err) {
		if err := s.store.Suppress(context.WithoutCancel(ctx), d.Email, 0, "bounce", err.Error(), now); err != nil {
			return err
		}
	}
	return record(sendOutcome(ctx, err, d.Attempts, now))
}

// sendOutcome is what a queued message becomes after an attempt (its
// attempts-th) that ended in err: its state, the error to keep, and for
// "queued", when to try again.
func sendOutcome(ctx context.Context, err error, attempts int, now time.Time) (state, errText string, next time.Time) {
	switch {
	case err == nil:
		return "sent", "", time.Time{}
	case errors.Is(err, mail.ErrMaybeDelivered):
		return "unknown", err.Error(), time.Time{}
	case mail.Permanent(err):
		return "failed", err.Error(), time.Time{}
	case ctx.Err() != nil:
		// Shutting down before the message went out: it waits for the
		// next start, and the attempt does not count against it.
		return "queued", "", now
	case attempts >= maxDeliveryAttempts:
		return "failed", err.Error(), time.Time{}
	}
	return "queued", err.Error(), now.Add(retryDelays[min(attempts, len(retryDelays))-1])
}

// issueMessage is one recipient's copy of an issue: the issue with a
// footer that says why it came and links to unsubscribe (also in the
// RFC 8058 headers), to the preferences and to the web archive.
func (s *Service) issueMessage(o *outgoingIssue, d *store.Delivery) (mail.Message, error) {
	token := newsletterToken(o.key, d.ReaderID, o.newsletter.ID, d.Email)
	f := issueFooter{
		Newsletter:  o.newsletter.Name,
		Site:        o.site,
		Unsubscribe: s.link("/newsletters/unsubscribe/" + token),
		Preferences: s.link("/newsletters/preferences/" + token),
		Web:         s.link(fmt.Sprintf("/newsletters/%s/%d", o.newsletter.Slug, o.issue.ID)),
	}
	return issueMail(o, f, d.Email, s.bounceAddress(o.key, d.IssueID, d.ReaderID))
}

// issueMail is an issue's message to the address to, with footer f.
func issueMail(o *outgoingIssue, f issueFooter, to, returnPath string) (mail.Message, error) {
	var h bytes.Buffer
	if err := issueHTML.Execute(&h, struct {
		Subject string
		Body    template.HTML
		Footer  issueFooter
	}{o.issue.Subject, template.HTML(o.issue.HTML), f}); err != nil { // #nosec G203 -- the article renderer's sanitised output
		return mail.Message{}, err
	}
	text := o.issue.Text + fmt.Sprintf("\n\n-- \nYou receive %s from %s because you subscribed.\nUnsubscribe: %s\nYour newsletters: %s\nRead on the web: %s\n",
		f.Newsletter, f.Site, f.Unsubscribe, f.Preferences, f.Web)
	if f.Test {
		text += testNote + "\n"
	}
	return mail.Message{
		To:          mail.Address{Email: to},
		From:        sender(o.newsletter),
		Subject:     o.issue.Subject,
		Body:        text,
		HTML:        h.String(),
		Unsubscribe: f.Unsubscribe,
		ReturnPath:  returnPath,
	}, nil
}

type issueFooter struct {
	Newsletter, Site, Unsubscribe, Preferences, Web string
	Test                                            bool // a test send: says so, under the links
}

// issueHTML is the HTML part: the styles mail clients keep are inline.
var issueHTML = template.Must(template.New("issue").Funcs(template.FuncMap{"testNote": func() string { return testNote }}).Parse(`<!doctype html>
<html><head><meta charset="utf-8"><title>{{.Subject}}</title></head>
<body style="margin:0;padding:16px;font-family:Georgia,serif;font-size:17px;line-height:1.5;color:#1a1a1a;background:#ffffff">
<div style="max-width:640px;margin:0 auto">
{{.Body}}
<hr style="border:0;border-top:1px solid #ccc;margin:32px 0 16px">
<p style="font-family:Helvetica,Arial,sans-serif;font-size:13px;color:#555">You receive {{.Footer.Newsletter}} from {{.Footer.Site}} because you subscribed.
<a href="{{.Footer.Unsubscribe}}" style="color:#555">Unsubscribe</a> ·
<a href="{{.Footer.Preferences}}" style="color:#555">Your newsletters</a> ·
<a href="{{.Footer.Web}}" style="color:#555">Read on the web</a></p>
{{if .Footer.Test}}<p style="font-family:Helvetica,Arial,sans-serif;font-size:13px;color:#555"><strong>{{testNote}}</strong></p>
{{end}}</div>
</body></html>
`))

// sender is the From of a newsletter's mail.
func sender(n *news.Newsletter) mail.Address {
	return mail.Address{Name: n.FromName, Email: n.FromEmail}
}

// NewsletterArchive is a newsletter's public archive.
type NewsletterArchive struct {
	Newsletter *news.Newsletter
	Issues     []news.NewsletterIssue // newest first
}

// NewsletterArchive lists the issues sent of the newsletter slug;
// news.ErrNotFound.
func (s *Service) NewsletterArchive(ctx context.Context, slug string) (*NewsletterArchive, error) {
	n, err := s.store.Newsletter(ctx, 0, slug)
	if err != nil {
		return nil, err
	}
	issues, err := s.store.Issues(ctx, n.ID, 200)
	if err != nil {
		return nil, err
	}
	return &NewsletterArchive{Newsletter: n, Issues: issues}, nil
}

// ArchivedIssue is one issue of the newsletter slug, as the archive shows
// it; news.ErrNotFound.
func (s *Service) ArchivedIssue(ctx context.Context, slug string, id int64) (*news.Newsletter, *news.NewsletterIssue, error) {
	n, err := s.store.Newsletter(ctx, 0, slug)
	if err != nil {
		return nil, nil, err
	}
	is, err := s.store.Issue(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if is.NewsletterID != n.ID {
		return nil, nil, news.ErrNotFound
	}
	return n, is, nil
}

// BriefingInput is a briefing as the editor assembles it: a subject, an
// introduction (Markdown) and chosen published stories, in order.
type BriefingInput struct {
	Subject string
	Intro   string
	Stories []int64
}

// SendBriefing makes an issue of the introduction followed by each chosen
// story (headline linked to the site, standfirst) and queues it as
// SendIssue does. news.FieldErrors on "subject", "body" and "stories".
func (s *Service) SendBriefing(ctx context.Context, actor news.Actor, newsletterID int64, in BriefingInput) (*news.NewsletterIssue, error) {
	if err := mayManageNewsletters(actor); err != nil {
		return nil, err
	}
	body, err := s.briefingMarkdown(ctx, in, true)
	if err != nil {
		return nil, err
	}
	return s.SendIssue(ctx, actor, newsletterID, IssueInput{Subject: in.Subject, Markdown: body})
}

// briefingMarkdown is a briefing's body: the introduction, then each
// story's headline (linked) and standfirst. A story no longer published
// is an error when strict, and left out otherwise (a prepared briefing
// whose story was unpublished since still goes out).
func (s *Service) briefingMarkdown(ctx context.Context, in BriefingInput, strict bool) (string, error) {
	var b strings.Builder
	b.WriteString(strings.TrimSpace(in.Intro))
	for _, id := range in.Stories {
		a, err := s.store.Article(ctx, id)
		if errors.Is(err, news.ErrNotFound) || err == nil && a.Status != news.StatusPublished {
			if !strict {
				continue
			}
			return "", news.FieldErrors{"stories": "One of the chosen stories is no longer published; choose again."}
		} else if err != nil {
			return "", err
		}
		b.WriteString("\n\n" + s.storyMarkdown(a))
	}
	return b.String(), nil
}

// storyMarkdown is a story in an issue: its headline, linked, and its
// standfirst.
func (s *Service) storyMarkdown(a *news.Article) string {
	md := fmt.Sprintf("## [%s](%s)\n", markdownText(a.Headline), s.link(a.URLPath()))
	if a.Standfirst != "" {
		md += "\n" + markdownText(a.Standfirst) + "\n"
	}
	return md
}

// markdownText escapes text so that Markdown shows it as it is.
func markdownText(s string) string {
	var b strings.Builder
	for _, r := range oneLineText(s) {
		if strings.ContainsRune("\\`*_{}[]()<>#+-.!|~&", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// BriefingStories are the latest published stories, for the editor to
// choose from.
func (s *Service) BriefingStories(ctx context.Context, actor news.Actor) ([]*news.Article, error) {
	if err := mayManageNewsletters(actor); err != nil {
		return nil, err
	}
	return s.store.PublishedArticles(ctx, news.ArticleFilter{Limit: 30}, false)
}

// AlertNewsletters are the breaking-news newsletters actor may send an
// article to as it is published: none for those who may not send.
func (s *Service) AlertNewsletters(ctx context.Context, actor news.Actor) ([]news.Newsletter, error) {
	if mayManageNewsletters(actor) != nil {
		return nil, nil
	}
	all, err := s.store.Newsletters(ctx)
	if err != nil {
		return nil, err
	}
	var out []news.Newsletter
	for _, n := range all {
		if n.Kind == news.NewsletterAlert {
			out = append(out, n)
		}
	}
	return out, nil
}

// checkAlert refuses a step's alert before anything is saved: only
// editors and administrators send, only with a publication, and only to a
// breaking-news newsletter.
func (s *Service) checkAlert(ctx context.Context, actor news.Actor, to news.Status, newsletterID int64) error {
	if err := mayManageNewsletters(actor); err != nil {
		return err
	}
	if to != news.StatusPublished {
		return news.FieldErrors{"alert": "A breaking-news alert goes out only as the article is published."}
	}
	n, err := s.store.Newsletter(ctx, newsletterID, "")
	if errors.Is(err, news.ErrNotFound) || err == nil && n.Kind != news.NewsletterAlert {
		return news.FieldErrors{"alert": "Choose a breaking-news newsletter."}
	}
	return err
}

// sendAlerts queues the step's alerts for article a, now published: its
// headline as the subject, its standfirst and a link to it, through the
// same queue as every issue.
func (s *Service) sendAlerts(ctx context.Context, actor news.Actor, a *news.Article, step Step) error {
	if len(step.Alerts) == 0 || a == nil || a.Status != news.StatusPublished {
		return nil
	}
	body := s.storyMarkdown(a) + fmt.Sprintf("\n[Read the story](%s)\n", s.link(a.URLPath()))
	for _, id := range step.Alerts {
		if _, err := s.SendIssue(ctx, actor, id, IssueInput{Subject: a.Headline, Markdown: body}); err != nil {
			return fmt.Errorf("the article is published, but its alert was not queued: %w", err)
		}
	}
	return nil
}
