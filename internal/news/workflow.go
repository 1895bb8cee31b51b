package news

import (
	"errors"
	"fmt"
	"time"
)

// Permission is something a member of staff may be allowed to do.
type Permission int

const (
	PermWriteOwn    Permission = iota // create articles and edit one's own drafts
	PermPublishOwn                    // publish, schedule and unpublish one's own articles
	PermEditAny                       // edit and publish anyone's articles
	PermModerate                      // moderate reader comments
	PermCorrect                       // append corrections and updates to published articles
	PermManageStaff                   // invite, edit and remove staff
	PermSettings                      // change site settings
	PermNewsletters                   // define newsletters and send their issues
)

var rolePerms = map[Role][]Permission{
	RoleAdmin:       {PermWriteOwn, PermPublishOwn, PermEditAny, PermModerate, PermCorrect, PermManageStaff, PermSettings, PermNewsletters},
	RoleEditor:      {PermWriteOwn, PermPublishOwn, PermEditAny, PermModerate, PermCorrect, PermNewsletters},
	RoleAuthor:      {PermWriteOwn, PermPublishOwn},
	RoleContributor: {PermWriteOwn},
}

// Roles lists the roles from most to least powerful.
var Roles = []Role{RoleAdmin, RoleEditor, RoleAuthor, RoleContributor}

// ValidRole reports whether r is a known role.
func ValidRole(r Role) bool { _, ok := rolePerms[r]; return ok }

// Can reports whether role r has permission p.
func (r Role) Can(p Permission) bool {
	for _, q := range rolePerms[r] {
		if q == p {
			return true
		}
	}
	return false
}

// ErrForbidden is returned when a member of staff tries something their role
// does not allow.
var ErrForbidden = errors.New("forbidden")

// ErrOthersByline is returned when a writer who is not an editor tries to
// put someone else's byline on an article.
var ErrOthersByline = fmt.Errorf("%w: only editors may give an article someone else's byline", ErrForbidden)

// ErrStale is returned when an article was changed by someone else since the
// editor loaded it (optimistic locking).
var ErrStale = errors.New("article changed since it was loaded")

// Action is a step in the editorial workflow.
type Action string

const (
	ActionSubmit     Action = "submit"     // draft → review
	ActionReturn     Action = "return"     // review → draft (sent back to the writer)
	ActionPublish    Action = "publish"    // draft/review/scheduled/unpublished → published
	ActionSchedule   Action = "schedule"   // draft/review → scheduled
	ActionUnschedule Action = "unschedule" // scheduled → draft
	ActionUnpublish  Action = "unpublish"  // published → unpublished
)

var transitions = map[Action]struct {
	from []Status
	to   Status
}{
	ActionSubmit:     {[]Status{StatusDraft}, StatusReview},
	ActionReturn:     {[]Status{StatusReview}, StatusDraft},
	ActionPublish:    {[]Status{StatusDraft, StatusReview, StatusScheduled, StatusUnpublished}, StatusPublished},
	ActionSchedule:   {[]Status{StatusDraft, StatusReview, StatusUnpublished}, StatusScheduled},
	ActionUnschedule: {[]Status{StatusScheduled}, StatusDraft},
	ActionUnpublish:  {[]Status{StatusPublished}, StatusUnpublished},
}

// Actor is the member of staff acting on an article.
type Actor struct {
	ID   int64
	Role Role
}

// OwnedBy reports whether the user is one of the article's bylines or created it.
func (a *Article) OwnedBy(userID int64) bool {
	if a.CreatedBy == userID {
		return true
	}
	for _, au := range a.Authors {
		if au.ID == userID {
			return true
		}
	}
	return false
}

// Next returns the status action leads to from the article's present
// status, or an error wrapping ErrForbidden when the action does not apply
// to it now. Who may take which action is the newsroom service's decision.
func (a *Article) Next(action Action) (Status, error) {
	t, ok := transitions[action]
	if !ok {
		return "", fmt.Errorf("unknown action %q", action)
	}
	for _, s := range t.from {
		if s == a.Status {
			return t.to, nil
		}
	}
	return "", fmt.Errorf("%w: cannot %s an article that is %s", ErrForbidden, action, a.Status)
}

// CheckPublishable says what stops an article being published: a headline,
// a body, and alt text on the lead image.
func (a *Article) CheckPublishable() FieldErrors {
	fe := FieldErrors{}
	if a.Headline == "" {
		fe["headline"] = "A published article needs a headline."
	}
	if a.Body == "" {
		fe["body"] = "A published article needs a body."
	}
	if a.LeadImage != nil && a.LeadImage.URL != "" && a.LeadImage.Alt == "" {
		fe["image_alt"] = "Describe the lead image for readers who cannot see it (alt text) before publishing."
	}
	return fe
}

// Event is an entry in an article's audit trail.
type Event struct {
	ID         int64
	ArticleID  int64
	UserID     int64
	UserName   string
	Action     string
	FromStatus Status
	ToStatus   Status
	Note       string
	CreatedAt  time.Time
}

// Revision is a saved state of an article's editable fields.
type Revision struct {
	ID        int64
	ArticleID int64
	UserID    int64
	UserName  string
	Version   int
	Kind      string // "save", "conflict" (a losing concurrent save, kept) or "restore"
	Snapshot  Snapshot
	CreatedAt time.Time
}

// Snapshot is the editable content of an article at one moment.
type Snapshot struct {
	Headline       string   `json:"headline"`
	Slug           string   `json:"slug"`
	Standfirst     string   `json:"standfirst"`
	Body           string   `json:"body"`
	SectionID      int64    `json:"section_id,omitempty"`
	Tags           []string `json:"tags,omitempty"`
	AuthorIDs      []int64  `json:"author_ids,omitempty"`
	ImageURL       string   `json:"image_url,omitempty"`
	ImageAlt       string   `json:"image_alt,omitempty"`
	ImageCaption   string   `json:"image_caption,omitempty"`
	ImageCredit    string   `json:"image_credit,omitempty"`
	SEOTitle       string   `json:"seo_title,omitempty"`
	SEODescription string   `json:"seo_description,omitempty"`
	CommentsOpen   bool     `json:"comments_open"`
	Featured       bool     `json:"featured"`
}

// UnsavedEdit is a colleague's changes to an article that the editor keeps
// for them (autosave) until they save.
type UnsavedEdit struct {
	UserID  int64
	Name    string
	SavedAt time.Time
}

// Correction is a dated public note appended to a published article.
type Correction struct {
	ID        int64
	ArticleID int64
	Kind      string // "correction" or "update"
	Body      string
	CreatedAt time.Time
	Article   *Article // filled for the public corrections log
}

// Snapshot captures the article's editable fields.
func (a *Article) Snapshot() Snapshot {
	s := Snapshot{Headline: a.Headline, Slug: a.Slug, Standfirst: a.Standfirst, Body: a.Body, SEOTitle: a.SEOTitle,
		SEODescription: a.SEODescription, CommentsOpen: a.CommentsOpen, Featured: a.Featured}
	if a.Section != nil {
		s.SectionID = a.Section.ID
	}
	for _, t := range a.Tags {
		s.Tags = append(s.Tags, t.Name)
	}
	for _, au := range a.Authors {
		s.AuthorIDs = append(s.AuthorIDs, au.ID)
	}
	if img := a.LeadImage; img != nil {
		s.ImageURL, s.ImageAlt, s.ImageCaption, s.ImageCredit = img.URL, img.Alt, img.Caption, img.Credit
	}
	return s
}

// StatusChange is one workflow transition to record.
type StatusChange struct {
	From, To    Status
	Action      string
	UserID      int64 // 0 for the scheduler
	Note        string
	Path        string    // set when the article is published for the first time
	Slug        string    // with Path
	PublishedAt time.Time // with Path
	PublishAt   time.Time // for scheduling
	Mail        []int64   // the members of staff to tell of it by mail
}
