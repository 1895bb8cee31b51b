package news

import "time"

// NewsletterKind says how a newsletter's issues are made.
type NewsletterKind string

// The kinds of newsletter. Section and author follows carry the followed
// section's or person's id in Newsletter.TopicID and are sent as digests
// of what was published since the last one, on the newsletter's schedule.
const (
	NewsletterBriefing NewsletterKind = "briefing" // the editor assembles each issue
	NewsletterAlert    NewsletterKind = "alert"    // breaking news
	NewsletterSection  NewsletterKind = "section"  // a section's new stories
	NewsletterAuthor   NewsletterKind = "author"   // a person's new stories
)

// ValidNewsletterKind reports whether k is a known kind.
func ValidNewsletterKind(k NewsletterKind) bool {
	switch k {
	case NewsletterBriefing, NewsletterAlert, NewsletterSection, NewsletterAuthor:
		return true
	}
	return false
}

// Newsletter is a list the newsroom mails.
type Newsletter struct {
	ID          int64
	Slug        string
	Name        string
	Description string
	Kind        NewsletterKind
	TopicID     int64 // the followed section or person; 0 for briefings and alerts
	FromName    string
	FromEmail   string
	Schedule    Schedule
	// ScheduleSince is when the schedule last changed: it fires only
	// for times after that.
	ScheduleSince time.Time
	CreatedAt     time.Time

	Subscribers int // confirmed, when listed for the newsroom
}

// Digest reports whether the newsletter's issues are made by themselves
// from what was published (section and author follows).
func (n *Newsletter) Digest() bool { return n.Kind == NewsletterSection || n.Kind == NewsletterAuthor }

// Subscription states.
const (
	SubscriptionPending      = "pending" // waiting for the emailed confirmation
	SubscriptionConfirmed    = "confirmed"
	SubscriptionUnsubscribed = "unsubscribed"
)

// Subscription is one reader's relation to one newsletter.
type Subscription struct {
	Newsletter Newsletter
	Status     string
}

// NewsletterIssue is one mailing of a newsletter.
type NewsletterIssue struct {
	ID           int64
	NewsletterID int64
	Subject      string
	Markdown     string
	HTML         string
	Text         string
	CreatedAt    time.Time
	Recipients   int
}

// SendProgress counts an issue's deliveries by state.
type SendProgress struct {
	Queued  int // waiting, retries included
	Sending int // handed to a worker now
	Sent    int
	Failed  int // refused for good, or too many attempts
	Skipped int // suppressed after queuing
	Unknown int // a worker stopped mid-delivery: not retried, so never sent twice

	SentLastMinute int // handed to the SMTP server in the minute before it was counted
}

// Remaining is what is still to be sent.
func (p SendProgress) Remaining() int { return p.Queued + p.Sending }

// Total is every delivery of the issue.
func (p SendProgress) Total() int {
	return p.Queued + p.Sending + p.Sent + p.Failed + p.Skipped + p.Unknown
}

// PerMinute is the send rate over the last minute.
func (p SendProgress) PerMinute() int { return p.SentLastMinute }

// ETA is how long the rest takes at the last minute's rate; 0 when
// nothing is left or nothing was sent in the last minute.
func (p SendProgress) ETA() time.Duration {
	if p.SentLastMinute == 0 || p.Remaining() == 0 {
		return 0
	}
	return (time.Duration(p.Remaining()) * time.Minute / time.Duration(p.SentLastMinute)).Round(time.Second)
}

// BriefingDraft is a briefing the editor has prepared for the
// newsletter's next scheduled time.
type BriefingDraft struct {
	NewsletterID int64
	Subject      string
	Intro        string  // Markdown
	Stories      []int64 // published articles, in order
	SavedBy      int64
	SavedAt      time.Time
}
