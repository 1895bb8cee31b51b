package newsroom

// Staff: the accounts of the newsroom, their roles, and how new ones are
// made — by an administrator's invitation, or by the operator at the
// command line.

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"

	"masthead/internal/auth"
	"masthead/internal/mail"
	"masthead/internal/news"
)

// NewStaff is a new member of staff as they were described.
type NewStaff struct {
	Email, Name, JobTitle string
	Role                  news.Role
}

// tidy normalises what was typed: the email as accounts store it, the
// name with single spaces, the job title trimmed.
func (n *NewStaff) tidy() {
	n.Email = NormalEmail(n.Email)
	n.Name = strings.Join(strings.Fields(n.Name), " ")
	n.JobTitle = strings.TrimSpace(n.JobTitle)
}

func (n *NewStaff) validate() news.FieldErrors {
	fe := news.FieldErrors{}
	if !validEmail(n.Email) {
		fe["email"] = "Enter an email address, like name@example.org."
	}
	switch l := utf8.RuneCountInString(n.Name); {
	case l == 0:
		fe["name"] = "Enter their name as it will appear in bylines."
	case l > 100:
		fe["name"] = "Use at most 100 characters."
	}
	if !news.ValidRole(n.Role) {
		fe["role"] = "Choose a role."
	}
	if utf8.RuneCountInString(n.JobTitle) > 100 {
		fe["job_title"] = "Use at most 100 characters."
	}
	return fe
}

// EmailTakenError says that an account already uses an email address:
// Staff, or, when Staff is nil, an account that has been disabled.
type EmailTakenError struct {
	Email string
	Staff *news.Staff
}

func (e *EmailTakenError) Error() string { return "an account already uses " + e.Email }

// Is makes an EmailTakenError a news.ErrConflict.
func (e *EmailTakenError) Is(target error) bool { return target == news.ErrConflict }

// ErrLastAdmin refuses to take the role away from the last administrator,
// which would leave nobody able to manage staff.
var ErrLastAdmin = fmt.Errorf("the last administrator keeps the role: %w", news.ErrConflict)

// ErrMailNotSent means an invitation's account is ready but the mail
// server did not take its link; inviting the same address again sends a
// new one.
var ErrMailNotSent = errors.New("invitation not sent")

// Staff lists the newsroom's active accounts, by name, for those who
// manage staff.
func (s *Service) Staff(ctx context.Context, actor news.Actor) ([]news.Staff, error) {
	if !actor.Role.Can(news.PermManageStaff) {
		return nil, news.ErrForbidden
	}
	return s.store.Staff(ctx)
}

// ChangeRole gives account id a new role. The last administrator keeps
// theirs (ErrLastAdmin).
func (s *Service) ChangeRole(ctx context.Context, actor news.Actor, id int64, role news.Role) error {
	if !actor.Role.Can(news.PermManageStaff) {
		return news.ErrForbidden
	}
	if !news.ValidRole(role) {
		return news.FieldErrors{"role": "Unknown role."}
	}
	u, err := s.store.StaffByID(ctx, id)
	if err != nil {
		return err
	}
	if u.Role == news.RoleAdmin && role != news.RoleAdmin {
		n, err := s.store.CountStaffWithRole(ctx, news.RoleAdmin)
		if err != nil {
			return err
		}
		if n <= 1 {
			return ErrLastAdmin
		}
	}
	u.Role = role
	return s.store.UpdateStaff(ctx, u)
}

// ErrSelf refuses an administrator deactivating their own account.
var ErrSelf = fmt.Errorf("%w: you cannot deactivate your own account", news.ErrForbidden)

// Deactivate closes account id when someone leaves (administrators only):
// its sessions, application passwords and links end at once and it can no
// longer sign in, while its bylines and author page stay. Administrators
// cannot deactivate themselves, nor the last administrator.
func (s *Service) Deactivate(ctx context.Context, actor news.Actor, id int64) error {
	if err := s.mayDeactivate(ctx, actor, id); err != nil {
		return err
	}
	return s.store.SetStaffActive(ctx, id, false)
}

// DeactivateAndTransfer deactivates account id as Deactivate does, first
// handing its unpublished work to account to as TransferWork does (to 0:
// the work stays theirs). Both are checked before either is done; should
// the deactivation itself then fail, the work stays handed over, which
// is harmless. It returns how many articles changed hands.
func (s *Service) DeactivateAndTransfer(ctx context.Context, actor news.Actor, id, to int64) (int, error) {
	if err := s.mayDeactivate(ctx, actor, id); err != nil {
		return 0, err
	}
	n := 0
	if to != 0 {
		var err error
		if n, err = s.TransferWork(ctx, actor, id, to); err != nil {
			return 0, err
		}
	}
	return n, s.store.SetStaffActive(ctx, id, false)
}

// mayDeactivate says whether actor may deactivate account id.
func (s *Service) mayDeactivate(ctx context.Context, actor news.Actor, id int64) error {
	if !actor.Role.Can(news.PermManageStaff) {
		return news.ErrForbidden
	}
	if id == actor.ID {
		return ErrSelf
	}
	u, err := s.store.StaffByID(ctx, id)
	if err != nil {
		return err
	}
	if u.Role == news.RoleAdmin {
		n, err := s.store.CountStaffWithRole(ctx, news.RoleAdmin)
		if err != nil {
			return err
		}
		if n <= 1 {
			return ErrLastAdmin
		}
	}
	return nil
}

// StaffWork is a member of staff, active or not, with their unpublished
// work (what TransferWork would hand over) and who could take it over.
type StaffWork struct {
	Staff       *news.Staff
	Deactivated bool
	Work        []*news.Article // id, headline and status
	Takers      []news.Staff    // the other active accounts
}

// UnpublishedWork shows account id's unpublished work to administrators.
func (s *Service) UnpublishedWork(ctx context.Context, actor news.Actor, id int64) (*StaffWork, error) {
	if !actor.Role.Can(news.PermManageStaff) {
		return nil, news.ErrForbidden
	}
	sw, err := s.anyAccount(ctx, id)
	if err != nil {
		return nil, err
	}
	if sw.Work, err = s.store.UnpublishedWork(ctx, id); err != nil {
		return nil, err
	}
	active, err := s.store.Staff(ctx)
	if err != nil {
		return nil, err
	}
	for _, u := range active {
		if u.ID != id {
			sw.Takers = append(sw.Takers, u)
		}
	}
	return sw, nil
}

// anyAccount finds account id, deactivated or not.
func (s *Service) anyAccount(ctx context.Context, id int64) (*StaffWork, error) {
	u, err := s.store.StaffByID(ctx, id)
	if err == nil {
		return &StaffWork{Staff: u}, nil
	}
	if !errors.Is(err, news.ErrNotFound) {
		return nil, err
	}
	gone, err := s.store.DeactivatedStaff(ctx)
	if err != nil {
		return nil, err
	}
	for i := range gone {
		if gone[i].ID == id {
			return &StaffWork{Staff: &gone[i], Deactivated: true}, nil
		}
	}
	return nil, news.ErrNotFound
}

// TransferWork hands the unpublished work of account from — drafts and
// articles in review that were never published, which from started or
// carries the byline of — to the active account to (administrators only),
// for when someone leaves or changes desk. to's byline takes the place of
// from's; published and scheduled work keeps its byline. Each article's
// history records the handover. It returns how many articles changed hands.
func (s *Service) TransferWork(ctx context.Context, actor news.Actor, from, to int64) (int, error) {
	if !actor.Role.Can(news.PermManageStaff) {
		return 0, news.ErrForbidden
	}
	if to == 0 {
		return 0, news.FieldErrors{"to": "Choose who takes the work over."}
	}
	if to == from {
		return 0, news.FieldErrors{"to": "Choose someone else to take the work over."}
	}
	giver, err := s.anyAccount(ctx, from)
	if err != nil {
		return 0, err
	}
	taker, err := s.store.StaffByID(ctx, to)
	if errors.Is(err, news.ErrNotFound) {
		return 0, news.FieldErrors{"to": "Choose an active member of staff."}
	}
	if err != nil {
		return 0, err
	}
	return s.store.TransferWork(ctx, from, to, actor.ID, "Handed over from "+giver.Staff.Name+" to "+taker.Name+".")
}

// Reactivate opens a deactivated account again (administrators only); its
// owner signs in with their old password, or asks for a reset link.
func (s *Service) Reactivate(ctx context.Context, actor news.Actor, id int64) error {
	if !actor.Role.Can(news.PermManageStaff) {
		return news.ErrForbidden
	}
	return s.store.SetStaffActive(ctx, id, true)
}

// DeactivatedStaff lists the deactivated accounts, for administrators.
func (s *Service) DeactivatedStaff(ctx context.Context, actor news.Actor) ([]news.Staff, error) {
	if !actor.Role.Can(news.PermManageStaff) {
		return nil, news.ErrForbidden
	}
	return s.store.DeactivatedStaff(ctx)
}

// CreateStaff adds an account with a password. It is for the operator of
// the site (the command line), who needs no role to do it; in the
// newsroom, administrators Invite.
func (s *Service) CreateStaff(ctx context.Context, n NewStaff, password string) (*news.Staff, error) {
	n.tidy()
	fe := n.validate()
	if msg := auth.CheckPasswordStrength(password); msg != "" {
		fe["password"] = msg
	}
	if len(fe) > 0 {
		return nil, fe
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return nil, fmt.Errorf("hash password: %w", err)
	}
	existing, _, err := s.store.StaffCredentials(ctx, n.Email)
	switch {
	case err == nil:
		return nil, &EmailTakenError{Email: n.Email, Staff: existing}
	case !errors.Is(err, news.ErrNotFound):
		return nil, err
	}
	a, err := s.addStaff(ctx, n)
	if err != nil {
		return nil, err
	}
	if err := s.store.SetStaffPassword(ctx, a.ID, hash); err != nil {
		return nil, err
	}
	return a, nil
}

// addStaff adds an account without a password, numbering the slug of a
// namesake (ann-smith-2, ann-smith-3 …). n has been checked.
func (s *Service) addStaff(ctx context.Context, n NewStaff) (*news.Staff, error) {
	a := news.Staff{Email: n.Email, Name: n.Name, Slug: news.Slugify(n.Name), Role: n.Role, JobTitle: n.JobTitle}
	base := a.Slug
	for try := 2; ; try++ {
		err := s.store.CreateStaff(ctx, &a)
		if !errors.Is(err, news.ErrConflict) {
			return &a, err
		}
		if try > 20 {
			// No active account has the email (the callers looked), and
			// twenty namesakes are unlikely: a disabled account has it.
			return nil, &EmailTakenError{Email: n.Email}
		}
		a.Slug = news.SlugWithSuffix(base, try)
	}
}

// Invitation is an invitation that went out.
type Invitation struct {
	Staff *news.Staff
	// Again: the address had been invited before but never set a
	// password, so a fresh link went to the account as it was.
	Again bool
}

// Invite creates an account without a password for n and mails its owner
// a link to choose one (administrators only). Inviting an address that was
// invited but never set a password sends a fresh link; an address with a
// working account is an *EmailTakenError. n is tidied in place, so a form
// shown again shows what was checked. When the mail server refuses the
// link the account stays, and the error is ErrMailNotSent.
func (s *Service) Invite(ctx context.Context, actor news.Actor, n *NewStaff) (*Invitation, error) {
	if !actor.Role.Can(news.PermManageStaff) {
		return nil, news.ErrForbidden
	}
	n.tidy()
	if fe := n.validate(); len(fe) > 0 {
		return nil, fe
	}
	from, err := s.store.StaffByID(ctx, actor.ID)
	if err != nil {
		return nil, err
	}
	inv := &Invitation{}
	user, hash, err := s.store.StaffCredentials(ctx, n.Email)
	switch {
	case err == nil && hash != "":
		return nil, &EmailTakenError{Email: n.Email, Staff: user}
	case err == nil:
		inv.Staff, inv.Again = user, true
	case errors.Is(err, news.ErrNotFound):
		if inv.Staff, err = s.addStaff(ctx, *n); err != nil {
			return nil, err
		}
	default:
		return nil, err
	}
	if err := s.sendInvite(ctx, from, inv.Staff); err != nil {
		return nil, fmt.Errorf("%w to %s: %w", ErrMailNotSent, inv.Staff.Email, err)
	}
	return inv, nil
}

const inviteMail = `Hello %s,

%s has invited you to join the newsroom of %s, as %s.
To accept, choose your password here:

%s

The link works once, until %s. You will sign in with this
email address, %s.
`

func (s *Service) sendInvite(ctx context.Context, from, to *news.Staff) error {
	token, hash := auth.NewToken()
	expires := s.clock.Now().Add(inviteTTL)
	if err := s.store.CreateStaffToken(ctx, hash, to.ID, string(LinkInvite), expires); err != nil {
		return err
	}
	site := s.siteName(ctx)
	loc, err := s.Location(ctx)
	if err != nil {
		return err
	}
	return s.mail.Send(ctx, mail.Message{
		To:      mail.Address{Name: to.Name, Email: to.Email},
		Subject: "Your invitation to join " + site,
		Body: fmt.Sprintf(inviteMail, to.Name, from.Name, site, withArticle(string(to.Role)), s.link("/admin/invite/"+token),
			expires.In(loc).Format("2 January 2006, 15:04 MST"), to.Email),
	})
}

// withArticle puts "a" or "an" before a role: "an editor", "a contributor".
func withArticle(role string) string {
	if role != "" && strings.ContainsRune("aeiou", rune(role[0])) {
		return "an " + role
	}
	return "a " + role
}

// Profile is what members of staff say about themselves: shown in their
// bylines, author page and bio box.
type Profile struct {
	Name, JobTitle, Bio, PhotoURL string
	Links                         news.SocialLinks
}

// validate tidies p and says what is wrong with it.
func (p *Profile) validate() news.FieldErrors {
	p.Name, p.JobTitle = strings.Join(strings.Fields(p.Name), " "), strings.Join(strings.Fields(p.JobTitle), " ")
	p.Bio, p.PhotoURL = strings.TrimSpace(strings.ReplaceAll(p.Bio, "\r\n", "\n")), strings.TrimSpace(p.PhotoURL)
	fe := news.FieldErrors{}
	if p.Name == "" || utf8.RuneCountInString(p.Name) > 100 {
		fe["byline_name"] = "Give your name as it should appear in bylines (up to 100 characters)."
	}
	if utf8.RuneCountInString(p.JobTitle) > 100 {
		fe["job_title"] = "Keep the job title under 100 characters."
	}
	if utf8.RuneCountInString(p.Bio) > 2000 {
		fe["bio"] = "Keep the bio under 2,000 characters."
	}
	if p.PhotoURL != "" && !photoURL(p.PhotoURL) {
		fe["photo_url"] = "Give the address of an image in the media library (/media/…) or an https:// address."
	}
	for _, l := range p.Links.All() {
		u := strings.TrimSpace(l.URL)
		p.Links.Put(l.Field, u)
		if u != "" && !webAddress(u) {
			fe["link_"+l.Field] = "Give your " + l.Label + " profile as a web address starting with https://."
		}
	}
	return fe
}

// photoURL accepts a path on this site or an https address, as a byline
// photo may be.
func photoURL(u string) bool {
	if len(u) > 500 {
		return false
	}
	if strings.HasPrefix(u, "/") {
		return !strings.HasPrefix(u, "//") && !strings.HasPrefix(u, `/\`)
	}
	p, err := url.Parse(u)
	return err == nil && p.Scheme == "https" && p.Host != ""
}

// UpdateProfile changes actor's own name, job title, bio, photo and links; every
// member of staff may, whatever their role.
func (s *Service) UpdateProfile(ctx context.Context, actor news.Actor, p Profile) (*news.Staff, error) {
	if fe := p.validate(); len(fe) > 0 {
		return nil, fe
	}
	u, err := s.store.StaffByID(ctx, actor.ID)
	if err != nil {
		return nil, err
	}
	u.Name, u.JobTitle, u.Bio, u.PhotoURL, u.Links = p.Name, p.JobTitle, p.Bio, p.PhotoURL, p.Links
	if err := s.store.UpdateStaff(ctx, u); err != nil {
		return nil, err
	}
	return u, nil
}

// ChangePassword sets actor's new password once they have given their
// current one (checked and throttled as a sign-in); field errors are on
// "current" and "new_password". Like a reset, it ends
// the account's sessions, application passwords and links; the browser it
// came from gets a fresh session, returned.
func (s *Service) ChangePassword(ctx context.Context, actor news.Actor, current, password, again string, from Client) (*SignedIn, error) {
	if current == "" {
		return nil, news.FieldErrors{"current": "Enter your current password."}
	}
	if err := s.confirmPassword(ctx, actor, current, from); err != nil {
		var fe news.FieldErrors
		if errors.As(err, &fe) {
			return nil, news.FieldErrors{"current": fe["password"]}
		}
		return nil, err
	}
	if msg := auth.CheckPasswordStrength(password); msg != "" {
		return nil, news.FieldErrors{"new_password": msg}
	}
	if password != again {
		return nil, news.FieldErrors{"new_password": "The two new passwords are not the same."}
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return nil, fmt.Errorf("hash password: %w", err)
	}
	if err := s.store.SetStaffPassword(ctx, actor.ID, hash); err != nil {
		return nil, err
	}
	u, err := s.store.StaffByID(ctx, actor.ID)
	if err != nil {
		return nil, err
	}
	return s.startSession(ctx, u, from)
}
