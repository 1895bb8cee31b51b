package newsroom

// Newsletter previews and test sends: an issue as composed, before it is
// queued, rendered as a subscriber will get it, and mailed once to the
// member of staff who asks (never to anyone else), outside the send queue.

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"masthead/internal/mail"
	"masthead/internal/news"
)

const (
	// Test sends are limited per member of staff, so that the button
	// cannot be used to flood even one's own inbox (or the mail server).
	testSendLimit  = 10
	testSendWindow = time.Hour

	// testSubjectMark starts a test's subject, so that it is never taken
	// for the issue itself.
	testSubjectMark = "[Test] "
	testNote        = "This is a test sent only to you. Its unsubscribe and preferences links do nothing."

	// testToken stands in for a subscriber's token: it makes links that
	// look like a subscriber's and that the site answers as not valid.
	testToken = "test"
)

// IssuePreview is an issue as it will be mailed: sender, subject, and
// the HTML and plain-text parts with the footer a subscriber gets (its
// links inert).
type IssuePreview struct {
	From    mail.Address
	Subject string
	HTML    string
	Text    string
}

// PreviewBriefing renders a briefing as composed, without saving or
// sending anything. Errors as SendBriefing.
func (s *Service) PreviewBriefing(ctx context.Context, actor news.Actor, newsletterID int64, in BriefingInput) (*IssuePreview, error) {
	m, err := s.briefingTest(ctx, actor, newsletterID, in, false)
	if err != nil {
		return nil, err
	}
	return &IssuePreview{From: m.From, Subject: m.Subject, HTML: m.HTML, Text: m.Body}, nil
}

// TestSent says where a test went.
type TestSent struct {
	To string
	// Logged: no mail server is configured, so the message was written
	// to the server's log instead.
	Logged bool
}

// SendBriefingTest mails a briefing as composed to actor's own address,
// and to no one else: its subject starts "[Test]", its unsubscribe link
// does nothing, and nothing is queued or counted in the newsletter's
// issues. Errors as SendBriefing, news.FieldErrors on "test" when the
// mail server does not take it, and *ThrottledError past ten an hour.
func (s *Service) SendBriefingTest(ctx context.Context, actor news.Actor, newsletterID int64, in BriefingInput) (*TestSent, error) {
	if err := mayManageNewsletters(actor); err != nil {
		return nil, err
	}
	me, err := s.store.StaffByID(ctx, actor.ID)
	if err != nil {
		return nil, fmt.Errorf("test send: the sender's account: %w", err)
	}
	m, err := s.briefingTest(ctx, actor, newsletterID, in, true)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	byStaff := limit{"newsletter-test:" + fmt.Sprint(actor.ID), testSendLimit}
	if wait, over, err := s.overLimit(ctx, now, testSendWindow, byStaff); err != nil {
		return nil, err
	} else if over {
		wait = wait.Round(time.Second)
		return nil, &ThrottledError{RetryAfter: wait, Message: fmt.Sprintf("You have sent %d tests in the last hour. Try again in %s.", testSendLimit, news.WaitText(wait))}
	}
	// Counted before sending: a refused message still used the server.
	if err := s.store.RecordLoginFailure(ctx, now, byStaff.key); err != nil {
		return nil, err
	}
	m.To = mail.Address{Name: me.Name, Email: me.Email}
	if err := s.mail.Send(ctx, m); err != nil {
		s.log.WarnContext(ctx, "newsletter test not sent", slog.Int64("newsletter", newsletterID), slog.Int64("staff", actor.ID), slog.Any("err", err))
		return nil, news.FieldErrors{"test": "The mail server did not take the test. Try again later, or ask your administrator to check the mail settings."}
	}
	_, logged := s.mail.(*mail.Log)
	return &TestSent{To: me.Email, Logged: logged}, nil
}

// briefingTest is a briefing's message as a subscriber would get it,
// with inert links and no recipient; a test's is marked as one.
func (s *Service) briefingTest(ctx context.Context, actor news.Actor, newsletterID int64, in BriefingInput, test bool) (mail.Message, error) {
	if err := mayManageNewsletters(actor); err != nil {
		return mail.Message{}, err
	}
	n, err := s.store.Newsletter(ctx, newsletterID, "")
	if err != nil {
		return mail.Message{}, err
	}
	body, err := s.briefingMarkdown(ctx, in, true)
	if err != nil {
		return mail.Message{}, err
	}
	is, err := s.newIssue(n.ID, IssueInput{Subject: in.Subject, Markdown: body})
	if err != nil {
		return mail.Message{}, err
	}
	if test {
		is.Subject = testSubjectMark + is.Subject
	}
	o := &outgoingIssue{issue: is, newsletter: n, site: s.siteName(ctx)}
	f := issueFooter{
		Newsletter:  n.Name,
		Site:        o.site,
		Unsubscribe: s.link("/newsletters/unsubscribe/" + testToken),
		Preferences: s.link("/newsletters/preferences/" + testToken),
		// The issue has no page yet: the archive stands in.
		Web:  s.link("/newsletters/" + n.Slug),
		Test: test,
	}
	return issueMail(o, f, "", "")
}
