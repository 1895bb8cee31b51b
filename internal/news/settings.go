package news

import "time"

// The site's settings beyond its name (Publication): how dates are shown,
// the comment policy, the publisher behind the newspaper and the menus.

// DateStyle is a way the site may show a date. Format is its WordPress
// date_format (PHP), the key stored in the settings and exchanged through
// the REST API; Layout is Go's.
type DateStyle struct {
	Format, Layout string
}

// DefaultDateStyle is "6 December 2026".
const DefaultDateStyle = "j F Y"

// DateStyles are the styles the settings offer, the default first.
var DateStyles = []DateStyle{
	{"j F Y", "2 January 2006"},
	{"F j, Y", "January 2, 2006"},
	{"d/m/Y", "02/01/2006"},
	{"m/d/Y", "01/02/2006"},
	{"Y-m-d", "2006-01-02"},
}

// DateLayout is the Go layout of a date style (by its WordPress format);
// the default's for an unknown one.
func DateLayout(format string) string {
	for _, d := range DateStyles {
		if d.Format == format {
			return d.Layout
		}
	}
	return DateStyles[0].Layout
}

// Moderation says which clean reader comments wait for a moderator.
// Comments the spam check has doubts about always wait, and spam goes to
// the spam folder, whatever the policy.
type Moderation string

const (
	ModerateFirst Moderation = "first" // a commenter's first comment waits; once one is approved, theirs appear at once
	ModerateAll   Moderation = "all"   // every comment waits
	ModerateNone  Moderation = "none"  // comments appear at once
)

// CommentPolicy is the site's default for reader comments. Each article
// still has its own "comments open" switch.
type CommentPolicy struct {
	ClosedByDefault bool // new articles start with comments closed
	CloseAfterDays  int  // comments close this many days after publication; 0: never
	Moderation      Moderation
}

// OpenOn reports whether a published article takes comments at now: its
// own switch is on, and the policy has not closed them with age.
func (p CommentPolicy) OpenOn(a *Article, now time.Time) bool {
	if !a.CommentsOpen {
		return false
	}
	return p.CloseAfterDays <= 0 || a.PublishedAt.IsZero() || now.Before(a.PublishedAt.AddDate(0, 0, p.CloseAfterDays))
}

// Publisher is the organisation behind the newspaper, as structured data
// names it (a schema.org NewsMediaOrganization): its name when it differs
// from the newspaper's, logo and address, and the addresses of the policies
// the Trust Project asks news sites to publish.
type Publisher struct {
	Name    string
	LogoURL string
	Address string

	EthicsPolicy, CorrectionsPolicy, Masthead, MissionCoveragePrioritiesPolicy string
	DiversityPolicy, DiversityStaffingReport, OwnershipFundingInfo             string
	ActionableFeedbackPolicy, UnnamedSourcesPolicy                             string
	VerificationFactCheckingPolicy, NoBylinesPolicy                            string
}

// PublisherPolicy is one of a publisher's policy addresses: its schema.org
// property, how the settings name it, and where its value is.
type PublisherPolicy struct {
	Property, Label string
	Value           *string
}

// Policies lists p's policy addresses, in the order the settings show them.
func (p *Publisher) Policies() []PublisherPolicy {
	return []PublisherPolicy{
		{"ethicsPolicy", "Ethics policy", &p.EthicsPolicy},
		{"correctionsPolicy", "Corrections policy", &p.CorrectionsPolicy},
		{"masthead", "Masthead (who runs the newsroom)", &p.Masthead},
		{"missionCoveragePrioritiesPolicy", "Mission and coverage priorities", &p.MissionCoveragePrioritiesPolicy},
		{"diversityPolicy", "Diversity policy", &p.DiversityPolicy},
		{"diversityStaffingReport", "Diversity staffing report", &p.DiversityStaffingReport},
		{"ownershipFundingInfo", "Ownership and funding", &p.OwnershipFundingInfo},
		{"actionableFeedbackPolicy", "Feedback policy (how readers reach you)", &p.ActionableFeedbackPolicy},
		{"unnamedSourcesPolicy", "Unnamed sources policy", &p.UnnamedSourcesPolicy},
		{"verificationFactCheckingPolicy", "Verification and fact-checking policy", &p.VerificationFactCheckingPolicy},
		{"noBylinesPolicy", "Policy on stories without bylines", &p.NoBylinesPolicy},
	}
}

// MenuKind is what a menu item links to.
type MenuKind string

const (
	MenuSection MenuKind = "section"
	MenuPage    MenuKind = "page"
	MenuCustom  MenuKind = "link"
)

// MenuItem is one link in a reader-site menu. A section is named by its id
// and shown with its current name and address (unless Label is set), so a
// renamed section stays right; a page's address is taken when it is added.
type MenuItem struct {
	Kind  MenuKind `json:"kind"`
	ID    int64    `json:"id,omitempty"` // the section's, or the page's article id
	Label string   `json:"label,omitempty"`
	URL   string   `json:"url,omitempty"` // a page's path or a custom link
}

// Menu names the reader site's menus.
type Menu string

const (
	HeaderMenu Menu = "header"
	FooterMenu Menu = "footer"
)

// Menus are the reader site's menus. Header is nil until the newsroom
// saves one, and the header then lists the top-level sections.
type Menus struct {
	Header, Footer []MenuItem
}

// MenuLink is a menu item as the site shows it.
type MenuLink struct {
	Label, URL string
	Section    string // the section's slug, to mark the section being read
}

// Links resolves the menus against the site's sections as the site shows
// them: a header never saved lists the top-level sections (SectionsMenu).
func (m Menus) Links(sections []Section) (header, footer []MenuLink) {
	items := m.Header
	if items == nil {
		items = SectionsMenu(sections)
	}
	return MenuLinks(items, sections), MenuLinks(m.Footer, sections)
}

// MenuLinks resolves menu items against the site's sections, dropping
// items whose section is gone.
func MenuLinks(items []MenuItem, sections []Section) []MenuLink {
	out := make([]MenuLink, 0, len(items))
	for _, it := range items {
		if it.Kind != MenuSection {
			out = append(out, MenuLink{Label: it.Label, URL: it.URL})
			continue
		}
		for _, sec := range sections {
			if sec.ID == it.ID {
				label := it.Label
				if label == "" {
					label = sec.Name
				}
				out = append(out, MenuLink{Label: label, URL: sec.URLPath(), Section: sec.Slug})
			}
		}
	}
	return out
}

// SectionsMenu is the header menu of a site that has not saved one: its
// top-level sections, in order. Sections within another — an imported
// WordPress site's subcategories, often dozens — are left out until the
// newsroom adds them (its menus screen lists every section).
func SectionsMenu(sections []Section) []MenuItem {
	items := []MenuItem{}
	for _, sec := range sections {
		if sec.ParentID == 0 {
			items = append(items, MenuItem{Kind: MenuSection, ID: sec.ID})
		}
	}
	return items
}
