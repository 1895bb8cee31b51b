package news

import "time"

// NewsletterKind says how a newsletter's issues are made.
type NewsletterKind string

// The kinds of newsletter. Section and author follows carry the followed
// section's or person's id in Newsletter.TopicID; their digests are not
// sent yet.
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
	CreatedAt   time.Time

	Subscribers int // confirmed, when listed for the newsroom
}

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
}

// Remaining is what is still to be sent.
func (p SendProgress) Remaining() int { return p.Queued + p.Sending }
