package newsroom

// Scheduled newsletters. A newsletter with a schedule goes out by itself
// at each scheduled time, in the site's time zone: a section or author
// follow as a digest of the stories published there since its last run
// (nothing when there is nothing new), a briefing as the issue the editor
// prepared for that time (nothing when none was). RunSchedules, called by
// `serve` every few seconds, handles the latest scheduled time of each
// newsletter once: the run is recorded, keyed by newsletter and time, in
// the transaction that queues its issue, so a restart or a second
// instance finds it done and never sends it twice. After a stop it
// catches up with the latest time only — a digest then covers everything
// since the run before, so nothing is lost and no reader gets a pile.

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"masthead/internal/news"
)

// digestLimit bounds the stories in one digest; the rest are on the site.
const digestLimit = 30

// topicName names the section or person a follow follows;
// news.ErrNotFound when it is gone.
func (s *Service) topicName(ctx context.Context, n *news.Newsletter) (string, error) {
	switch n.Kind {
	case news.NewsletterSection:
		secs, err := s.store.Sections(ctx)
		if err != nil {
			return "", err
		}
		for _, sec := range secs {
			if sec.ID == n.TopicID {
				return sec.Name, nil
			}
		}
		return "", news.ErrNotFound
	case news.NewsletterAuthor:
		p, err := s.store.StaffByID(ctx, n.TopicID)
		if err != nil {
			return "", err
		}
		return p.Name, nil
	}
	return "", nil
}

// deskSchedule adds the subscribers, the schedule's next time, the
// briefing prepared for it and the followed topic to the newsroom's view
// of a newsletter.
func (s *Service) deskSchedule(ctx context.Context, d *NewsletterDesk) error {
	n := d.Newsletter
	loc, err := s.Location(ctx)
	if err != nil {
		return err
	}
	// Loaded alone, a newsletter comes without its count.
	if n.Subscribers, err = s.store.CountSubscribers(ctx, n.ID); err != nil {
		return err
	}
	if next, ok := n.Schedule.Next(s.clock.Now(), loc); ok {
		d.Next = next.In(loc)
	}
	if d.Draft, err = s.store.Draft(ctx, n.ID); errors.Is(err, news.ErrNotFound) {
		d.Draft = nil
	} else if err != nil {
		return err
	}
	if d.Topic, err = s.topicName(ctx, n); errors.Is(err, news.ErrNotFound) {
		d.Topic = "(gone)"
	} else if err != nil {
		return err
	}
	if s.sendPace != nil {
		d.SendRate = s.sendPace.rate.String()
	}
	return nil
}

// NewsletterSummary is a newsletter as the newsroom's list shows it: when
// it next goes out and, for a briefing, whether one is prepared for then.
type NewsletterSummary struct {
	news.Newsletter
	Next     time.Time // zero: sent by hand
	Prepared bool
}

// NewsletterSummaries lists the newsletters for the newsroom, so that a
// scheduled briefing with nothing prepared stands out; news.ErrForbidden.
func (s *Service) NewsletterSummaries(ctx context.Context, actor news.Actor) ([]NewsletterSummary, error) {
	if err := mayManageNewsletters(actor); err != nil {
		return nil, err
	}
	all, err := s.store.Newsletters(ctx)
	if err != nil {
		return nil, err
	}
	loc, err := s.Location(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]NewsletterSummary, len(all))
	for i, n := range all {
		out[i].Newsletter = n
		next, ok := n.Schedule.Next(s.clock.Now(), loc)
		if !ok {
			continue
		}
		out[i].Next = next.In(loc)
		if n.Kind == news.NewsletterBriefing {
			_, err := s.store.Draft(ctx, n.ID)
			if err != nil && !errors.Is(err, news.ErrNotFound) {
				return nil, err
			}
			out[i].Prepared = err == nil
		}
	}
	return out, nil
}

// FollowChoices are the sections and authors a follow may follow, for
// the newsroom's form.
type FollowChoices struct {
	Sections []news.Section
	Authors  []news.Staff
}

// FollowChoices lists the sections and bylined staff; news.ErrForbidden.
func (s *Service) FollowChoices(ctx context.Context, actor news.Actor) (*FollowChoices, error) {
	if err := mayManageNewsletters(actor); err != nil {
		return nil, err
	}
	secs, err := s.store.Sections(ctx)
	if err != nil {
		return nil, err
	}
	people, err := s.store.BylinedStaff(ctx)
	if err != nil {
		return nil, err
	}
	return &FollowChoices{Sections: secs, Authors: people}, nil
}

// Signups are the newsletters a reader page offers: the briefings and
// alerts of the form after every story, and the follows of a section
// and of people, for the forms beside them.
type Signups struct {
	General []news.Newsletter
	Section *news.Newsletter           // the section's follow; nil for none
	People  map[int64]*news.Newsletter // by person id
}

// Signups finds what a page about sectionID (0: none) and people offers,
// from one reading of the newsletters.
func (s *Service) Signups(ctx context.Context, sectionID int64, people []int64) (*Signups, error) {
	all, err := s.store.Newsletters(ctx)
	if err != nil {
		return nil, err
	}
	return SignupsAmong(all, sectionID, people), nil
}

// SignupsAmong is Signups over newsletters already read (all of them, as
// the store's Newsletters lists them): for a reader site that keeps that
// list between the writes that change it.
func SignupsAmong(all []news.Newsletter, sectionID int64, people []int64) *Signups {
	sg := &Signups{People: map[int64]*news.Newsletter{}}
	for i := range all {
		n := &all[i]
		switch {
		case !n.Digest():
			sg.General = append(sg.General, *n)
		case n.Kind == news.NewsletterSection && sectionID != 0 && n.TopicID == sectionID && sg.Section == nil:
			sg.Section = n
		case n.Kind == news.NewsletterAuthor:
			for _, id := range people {
				if id == n.TopicID && sg.People[id] == nil {
					sg.People[id] = n
				}
			}
		}
	}
	return sg
}

// PrepareBriefing keeps a briefing for the newsletter's next scheduled
// time, replacing one prepared before; it goes out then, through the same
// queue as a briefing sent now. news.FieldErrors ("subject", "body",
// "stories", "schedule"), news.ErrForbidden, news.ErrNotFound.
func (s *Service) PrepareBriefing(ctx context.Context, actor news.Actor, newsletterID int64, in BriefingInput) (*news.BriefingDraft, error) {
	if err := mayManageNewsletters(actor); err != nil {
		return nil, err
	}
	n, err := s.store.Newsletter(ctx, newsletterID, "")
	if err != nil {
		return nil, err
	}
	if n.Kind != news.NewsletterBriefing || n.Schedule.Every == "" {
		return nil, news.FieldErrors{"schedule": "Only a briefing with a schedule can be prepared for later; send this one now."}
	}
	body, err := s.briefingMarkdown(ctx, in, true)
	if err != nil {
		return nil, err
	}
	// Checked as the issue will be, so that it cannot fail at its time.
	if _, err := s.newIssue(n.ID, IssueInput{Subject: in.Subject, Markdown: body}); err != nil {
		return nil, err
	}
	d := &news.BriefingDraft{NewsletterID: n.ID, Subject: oneLineText(in.Subject), Intro: strings.TrimSpace(in.Intro),
		Stories: in.Stories, SavedBy: actor.ID, SavedAt: s.clock.Now()}
	if err := s.store.SaveDraft(ctx, d); err != nil {
		return nil, err
	}
	return d, nil
}

// DiscardBriefing drops the briefing prepared for the next scheduled
// time; news.ErrForbidden.
func (s *Service) DiscardBriefing(ctx context.Context, actor news.Actor, newsletterID int64) error {
	if err := mayManageNewsletters(actor); err != nil {
		return err
	}
	return s.store.DeleteDraft(ctx, newsletterID)
}

// RunSchedules queues what is due of every scheduled newsletter, by the
// service's clock, and returns how many issues it queued. Several
// instances may run it at once.
func (s *Service) RunSchedules(ctx context.Context) (int, error) {
	all, err := s.store.Newsletters(ctx)
	if err != nil {
		return 0, err
	}
	loc, err := s.Location(ctx)
	if err != nil {
		return 0, err
	}
	queued := 0
	var errs []error
	for i := range all {
		n := &all[i]
		ok, err := s.runSchedule(ctx, n, loc)
		if err != nil {
			// One newsletter's failure does not hold up the others.
			errs = append(errs, fmt.Errorf("newsletter %s: %w", n.Slug, err))
		}
		if ok {
			queued++
		}
	}
	return queued, errors.Join(errs...)
}

// runSchedule handles the latest scheduled time of n, if it is due and
// not yet done; true when it queued an issue.
func (s *Service) runSchedule(ctx context.Context, n *news.Newsletter, loc *time.Location) (bool, error) {
	now := s.clock.Now()
	at, ok := n.Schedule.Last(now, loc)
	if !ok || !at.After(n.ScheduleSince) {
		return false, nil
	}
	period := at.UTC().Format(time.RFC3339)
	last, done, err := s.store.LastRun(ctx, n.ID, period)
	if err != nil || done {
		return false, err
	}
	var is *news.NewsletterIssue
	var createdBy int64
	var draftSaved time.Time
	switch {
	case n.Digest():
		since := last
		if since.IsZero() {
			since = n.ScheduleSince
		}
		if is, err = s.digest(ctx, n, since, now); err != nil {
			return false, err
		}
	case n.Kind == news.NewsletterBriefing:
		d, err := s.store.Draft(ctx, n.ID)
		if errors.Is(err, news.ErrNotFound) {
			break
		} else if err != nil {
			return false, err
		}
		body, err := s.briefingMarkdown(ctx, BriefingInput{Intro: d.Intro, Stories: d.Stories}, false)
		if err != nil {
			return false, err
		}
		if is, err = s.newIssue(n.ID, IssueInput{Subject: d.Subject, Markdown: body}); err != nil {
			return false, fmt.Errorf("the briefing prepared for %s: %w", period, err)
		}
		createdBy, draftSaved = d.SavedBy, d.SavedAt
	}
	ran, err := s.store.RecordRun(ctx, n.ID, period, now, is, createdBy, draftSaved)
	if err != nil || !ran || is == nil {
		return false, err
	}
	s.log.Info("scheduled newsletter queued", "newsletter", n.Slug, "period", period, "issue", is.ID, "recipients", is.Recipients)
	return true, nil
}

// SendDigestNow sends a follow's digest at once, instead of waiting for
// its time: the stories published since the last digest. The next
// scheduled one then starts from here, so no story is sent twice.
// news.FieldErrors ("digest") when nothing is new, news.ErrForbidden,
// news.ErrNotFound.
func (s *Service) SendDigestNow(ctx context.Context, actor news.Actor, newsletterID int64) (*news.NewsletterIssue, error) {
	if err := mayManageNewsletters(actor); err != nil {
		return nil, err
	}
	n, err := s.store.Newsletter(ctx, newsletterID, "")
	if err != nil {
		return nil, err
	}
	if !n.Digest() {
		return nil, news.FieldErrors{"digest": "Only a section or author follow has a digest to send."}
	}
	now := s.clock.Now()
	last, _, err := s.store.LastRun(ctx, n.ID, "")
	if err != nil {
		return nil, err
	}
	since := last
	if since.IsZero() {
		since = n.ScheduleSince
	}
	is, err := s.digest(ctx, n, since, now)
	if err != nil {
		return nil, err
	}
	if is == nil {
		return nil, news.FieldErrors{"digest": "Nothing new has been published there since the last digest, so there is nothing to send."}
	}
	// A period of its own, so that it never stands for a scheduled one.
	period := "by hand " + now.UTC().Format(time.RFC3339Nano)
	if _, err := s.store.RecordRun(ctx, n.ID, period, now, is, actor.ID, time.Time{}); err != nil {
		return nil, err
	}
	return is, nil
}

// digest is a follow's issue of the stories published in its section, or
// by its author, after since and up to now; nil when there are none.
func (s *Service) digest(ctx context.Context, n *news.Newsletter, since, now time.Time) (*news.NewsletterIssue, error) {
	f := news.ArticleFilter{Since: since, Limit: digestLimit}
	if n.Kind == news.NewsletterSection {
		f.SectionID = n.TopicID
	} else {
		f.AuthorID = n.TopicID
	}
	list, err := s.store.PublishedArticles(ctx, f, false)
	if err != nil {
		return nil, err
	}
	var stories []*news.Article
	for _, a := range list {
		if a.PublishedAt.After(since) && !a.PublishedAt.After(now) {
			stories = append(stories, a)
		}
	}
	if len(stories) == 0 {
		return nil, nil
	}
	topic, err := s.topicName(ctx, n)
	if err != nil {
		return nil, err
	}
	// Oldest first, as a reader catches up.
	var b strings.Builder
	what := "in " + topic
	if n.Kind == news.NewsletterAuthor {
		what = "by " + topic
	}
	fmt.Fprintf(&b, "New %s on the site since the last %s:", markdownText(what), markdownText(n.Name))
	for i := len(stories) - 1; i >= 0; i-- {
		b.WriteString("\n\n" + s.storyMarkdown(stories[i]))
	}
	subject := n.Name + ": " + stories[0].Headline
	if k := len(stories) - 1; k > 0 {
		subject += fmt.Sprintf(" and %d more", k)
	}
	if utf8.RuneCountInString(subject) > 200 {
		subject = string([]rune(subject)[:199]) + "…"
	}
	return s.newIssue(n.ID, IssueInput{Subject: subject, Markdown: b.String()})
}
