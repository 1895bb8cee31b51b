// Package bounces is the bounce intake: a small SMTP server (go-smtp) that
// takes the delivery-status notifications mail servers send back to a
// newsletter's return path, and hands each to the newsroom, which reads it
// as a hard or soft bounce and suppresses the address when it should.
//
// Point the return path's domain (its MX record, or a forwarding rule on
// the mail server) at this listener. It takes mail only for return paths
// the newsroom made (RCPT TO is checked at once, so anything else is
// refused with 550 before any data is sent), at most 1 MiB a message,
// without authentication or relaying.
package bounces

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"time"

	"github.com/emersion/go-smtp"

	"masthead/internal/newsroom"
)

// Desk is what the intake needs of the newsroom.
type Desk interface {
	CheckBounceAddress(ctx context.Context, rcpt string) error
	RecordBounce(ctx context.Context, rcpt string, report io.Reader) (*newsroom.BounceOutcome, error)
}

const (
	maxMessageBytes = 1 << 20
	maxRecipients   = 10
)

// Server is a running intake.
type Server struct {
	smtp *smtp.Server
}

// New makes an intake that answers as domain (its host name in greetings).
// ctx bounds the work done for each message.
func New(ctx context.Context, desk Desk, log *slog.Logger, domain string) *Server {
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &session{ctx: ctx, desk: desk, log: log}, nil
	}))
	srv.Domain = domain
	srv.MaxMessageBytes = maxMessageBytes
	srv.MaxRecipients = maxRecipients
	srv.ReadTimeout = time.Minute
	srv.WriteTimeout = time.Minute
	srv.ErrorLog = slog.NewLogLogger(log.Handler(), slog.LevelWarn)
	return &Server{smtp: srv}
}

// Serve takes connections from ln until Shutdown.
func (s *Server) Serve(ln net.Listener) error {
	err := s.smtp.Serve(ln)
	if errors.Is(err, smtp.ErrServerClosed) {
		return nil
	}
	return err
}

// Shutdown stops taking connections and waits for the open ones, up to ctx.
func (s *Server) Shutdown(ctx context.Context) error {
	return s.smtp.Shutdown(ctx)
}

// session is one SMTP conversation.
type session struct {
	ctx  context.Context
	desk Desk
	log  *slog.Logger
	to   []string
}

var (
	errNoSuchAddress = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such bounce address here"}
	errTryLater      = &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Cannot record this now; try again later"}
)

// Mail takes any sender: reports come from the null sender, <>.
func (ss *session) Mail(from string, opts *smtp.MailOptions) error { return nil }

func (ss *session) Rcpt(to string, opts *smtp.RcptOptions) error {
	err := ss.desk.CheckBounceAddress(ss.ctx, to)
	switch {
	case errors.Is(err, newsroom.ErrNotBounceAddress):
		return errNoSuchAddress
	case err != nil:
		ss.log.Error("bounce intake: check a recipient", slog.String("rcpt", to), slog.Any("err", err))
		return errTryLater
	}
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	msg, err := io.ReadAll(r)
	if err != nil {
		return err // go-smtp answers a message over the size limit itself
	}
	for _, to := range ss.to {
		_, err := ss.desk.RecordBounce(ss.ctx, to, bytes.NewReader(msg))
		switch {
		case err == nil:
		case errors.Is(err, newsroom.ErrNotBounceReport), errors.Is(err, newsroom.ErrNotBounceAddress):
			// An auto-reply or a reader's answer to the return path, or a
			// report about a delivery since deleted: taken and dropped, as
			// refusing it would only make another report.
			ss.log.Info("bounce intake: not a bounce report; dropped", slog.String("rcpt", to), slog.String("why", err.Error()))
		default:
			ss.log.Error("bounce intake: record a bounce", slog.String("rcpt", to), slog.Any("err", err))
			return errTryLater
		}
	}
	return nil
}

func (ss *session) Reset()        { ss.to = nil }
func (ss *session) Logout() error { return nil }
