package newsroom

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"masthead/internal/mail"
	"masthead/internal/news"
	"masthead/internal/store"
)

// Mail to staff about the workflow: the editors hear of a story submitted
// for review, its writers of it being returned, scheduled, published or
// taken down by someone else (or by the scheduler). Each message is queued
// with the step (store.ChangeStatus) and sent once by SendStaffMail.

// workflowMail is who hears of change to a by mail: nobody without a mail
// server, never the one who took the step, and no one who turned that
// mail off on their profile.
func (s *Service) workflowMail(ctx context.Context, a *news.Article, change news.StatusChange) ([]int64, error) {
	if !s.staffMail {
		return nil, nil
	}
	var roles []news.Role
	var writers []int64
	switch news.Action(change.Action) {
	case news.ActionSubmit:
		roles = []news.Role{news.RoleAdmin, news.RoleEditor}
	case news.ActionReturn, news.ActionSchedule, news.ActionPublish, news.ActionUnpublish:
		if a.CreatedBy != 0 {
			writers = append(writers, a.CreatedBy)
		}
		for _, au := range a.Authors {
			writers = append(writers, au.ID)
		}
	default:
		return nil, nil
	}
	to, err := s.store.WorkflowMailTo(ctx, roles, writers)
	if err != nil {
		return nil, err
	}
	out := to[:0]
	for _, id := range to {
		if id != change.UserID {
			out = append(out, id)
		}
	}
	return out, nil
}

// WorkflowMail reports whether actor gets mail about their stories'
// progress (and, for editors, about stories submitted for review).
func (s *Service) WorkflowMail(ctx context.Context, actor news.Actor) (bool, error) {
	return s.store.WorkflowMail(ctx, actor.ID)
}

// SendsStaffMail reports whether the site has a mail server to send that
// mail with.
func (s *Service) SendsStaffMail() bool { return s.staffMail }

// SetWorkflowMail turns that mail on or off for actor.
func (s *Service) SetWorkflowMail(ctx context.Context, actor news.Actor, on bool) error {
	return s.store.SetWorkflowMail(ctx, actor.ID, on)
}

// SendStaffMail delivers the workflow's queued mail that is due, as
// SendDue delivers newsletters: one message at a time, as worker owner,
// until none is due, ctx ends or max were handled (0: no limit). It
// returns how many were handled.
func (s *Service) SendStaffMail(ctx context.Context, owner string, max int) (int, error) {
	if err := s.store.ExpireStaffMailLeases(ctx, s.clock.Now()); err != nil {
		return 0, err
	}
	handled := 0
	for max == 0 || handled < max {
		if ctx.Err() != nil {
			return handled, nil
		}
		now := s.clock.Now()
		m, err := s.store.LeaseStaffMail(ctx, owner, now, now.Add(deliveryLease))
		if errors.Is(err, news.ErrNotFound) {
			return handled, nil
		}
		if err != nil {
			return handled, err
		}
		handled++
		if err := s.deliverStaffMail(ctx, owner, m); err != nil {
			return handled, err
		}
	}
	return handled, nil
}

// deliverStaffMail sends one leased message and records the outcome, as
// deliver does for a newsletter's.
func (s *Service) deliverStaffMail(ctx context.Context, owner string, m *store.StaffMail) error {
	record := func(state, errText string, next time.Time) error {
		return s.store.FinishStaffMail(context.WithoutCancel(ctx), m, owner, state, errText, next, s.clock.Now())
	}
	msg, skip, err := s.staffMessage(ctx, m)
	switch {
	case err != nil:
		_ = record("queued", err.Error(), s.clock.Now())
		return err
	case skip != "":
		return record("skipped", skip, time.Time{})
	}
	return record(sendOutcome(ctx, s.mail.Send(ctx, msg), m.Attempts, s.clock.Now()))
}

// staffMessage writes the message m stands for, or says why there is
// none to send any more (skip): its reader left the staff or turned such
// mail off, or the story is gone.
func (s *Service) staffMessage(ctx context.Context, m *store.StaffMail) (msg mail.Message, skip string, err error) {
	u, err := s.store.StaffByID(ctx, m.UserID)
	if errors.Is(err, news.ErrNotFound) {
		return msg, "no longer on the staff", nil
	}
	if err != nil {
		return msg, "", err
	}
	switch on, err := s.store.WorkflowMail(ctx, u.ID); {
	case err != nil:
		return msg, "", err
	case !on:
		return msg, "turned off on their profile", nil
	}
	e, err := s.store.ArticleEvent(ctx, m.EventID)
	if errors.Is(err, news.ErrNotFound) {
		return msg, "the story is gone", nil
	}
	if err != nil {
		return msg, "", err
	}
	a, err := s.store.Article(ctx, m.ArticleID)
	if errors.Is(err, news.ErrNotFound) {
		return msg, "the story is gone", nil
	}
	if err != nil {
		return msg, "", err
	}
	subject, text := workflowText(e, a)
	site := s.siteName(ctx)
	var b strings.Builder
	fmt.Fprintf(&b, "%s,\n\n%s\n\n", u.Name, text)
	if e.Note != "" && news.Action(e.Action) == news.ActionReturn {
		for _, line := range strings.Split(e.Note, "\n") {
			b.WriteString("    " + strings.TrimRight(line, "\r ") + "\n")
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "Open it in the newsroom:\n%s\n", s.link(fmt.Sprintf("/admin/articles/%d", a.ID)))
	if a.IsPublic() && news.Action(e.Action) == news.ActionPublish {
		fmt.Fprintf(&b, "\nRead it on the site:\n%s\n", s.link(a.URLPath()))
	}
	fmt.Fprintf(&b, "\n-- \nYou get this mail as a member of staff of %s. To stop mail about\nstories' progress, untick \"Email me about stories' progress\" on your\nprofile: %s\n", site, s.link("/admin/profile#mail"))
	return mail.Message{To: mail.Address{Name: u.Name, Email: u.Email}, Subject: subject + " — " + site, Body: b.String()}, "", nil
}

// workflowText is the subject and first paragraph of the mail about event
// e of article a (a schedule's note gives its time).
func workflowText(e news.Event, a *news.Article) (subject, text string) {
	who := e.UserName
	headline := "“" + a.Headline + "”"
	switch news.Action(e.Action) {
	case news.ActionSubmit:
		return "For review: " + a.Headline, who + " submitted " + headline + " for review."
	case news.ActionReturn:
		if e.Note != "" {
			return "Returned to you: " + a.Headline, who + " returned " + headline + " to you as a draft, with this note:"
		}
		return "Returned to you: " + a.Headline, who + " returned " + headline + " to you as a draft, without a note."
	case news.ActionSchedule:
		return "Scheduled: " + a.Headline, who + " scheduled " + headline + " " + e.Note + "."
	case news.ActionPublish:
		if e.UserID == 0 {
			return "Published: " + a.Headline, headline + " was published as scheduled."
		}
		return "Published: " + a.Headline, who + " published " + headline + "."
	case news.ActionUnpublish:
		return "Taken down: " + a.Headline, who + " unpublished " + headline + ": it is no longer on the site."
	}
	return e.Action + ": " + a.Headline, who + " changed " + headline + "."
}
