package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/smtp"
	"net/textproto"
	"os"
	"time"
)

// SMTP sends messages through a mail server.
type SMTP struct {
	Addr     string // host:port of the server, usually port 587
	Username string // empty: no authentication
	Password string
	From     Address
	// TLS is the STARTTLS configuration; nil verifies the server's
	// certificate for the host in Addr against the system's roots.
	TLS *tls.Config
	// Timeout bounds one whole delivery; zero means 30 seconds.
	Timeout time.Duration
}

// Send delivers m, or says why the server would not take it.
func (s *SMTP) Send(ctx context.Context, m Message) error {
	msg, err := m.compose(s.From, time.Now())
	if err != nil {
		return err
	}
	if err := s.deliver(ctx, m.To.Email, msg); err != nil {
		return fmt.Errorf("send mail to %s via %s: %w", m.To.Email, s.Addr, err)
	}
	return nil
}

func (s *SMTP) deliver(ctx context.Context, to string, msg []byte) error {
	host, _, err := net.SplitHostPort(s.Addr)
	if err != nil {
		return err
	}
	timeout := s.Timeout
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", s.Addr)
	if err != nil {
		return err
	}
	// The deadline bounds a server that stops answering; closing on
	// cancellation ends the conversation at once.
	deadline, _ := ctx.Deadline()
	_ = conn.SetDeadline(deadline)
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()

	c, err := smtp.NewClient(conn, host)
	if err != nil {
		conn.Close()
		return orCancelled(ctx, err)
	}
	defer c.Close()
	if ok, _ := c.Extension("STARTTLS"); ok {
		conf := &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
		if s.TLS != nil {
			conf = s.TLS.Clone()
			if conf.ServerName == "" {
				conf.ServerName = host
			}
		}
		if err := c.StartTLS(conf); err != nil {
			return orCancelled(ctx, fmt.Errorf("STARTTLS: %w", err))
		}
	}
	if s.Username != "" {
		// PlainAuth refuses to send the password over an unencrypted
		// connection to anything but localhost.
		if err := c.Auth(smtp.PlainAuth("", s.Username, s.Password, host)); err != nil {
			return orCancelled(ctx, fmt.Errorf("authenticate as %s: %w", s.Username, err))
		}
	}
	if err := c.Mail(s.From.Email); err != nil {
		return orCancelled(ctx, fmt.Errorf("MAIL FROM: %w", err))
	}
	if err := c.Rcpt(to); err != nil {
		return orCancelled(ctx, fmt.Errorf("RCPT TO: %w", err))
	}
	w, err := c.Data()
	if err != nil {
		return orCancelled(ctx, fmt.Errorf("DATA: %w", err))
	}
	if _, err := w.Write(msg); err != nil {
		return orCancelled(ctx, err)
	}
	if err := w.Close(); err != nil {
		var reply *textproto.Error
		if !errors.As(err, &reply) {
			// The message's end went out but no answer came back: the
			// server may have taken it.
			return orCancelled(ctx, errors.Join(ErrMaybeDelivered, err))
		}
		return orCancelled(ctx, fmt.Errorf("message refused: %w", err))
	}
	_ = c.Quit() // the server has taken the message; a lost goodbye changes nothing
	return nil
}

// ErrMaybeDelivered is a delivery whose outcome is unknown: the connection
// broke after the whole message was sent, before the server answered.
var ErrMaybeDelivered = errors.New("mail: the connection broke after the message was sent; the server may have taken it")

// Permanent says whether err is the server's permanent refusal (a 5xx
// reply): sending the same message again would fail again.
func Permanent(err error) bool {
	var reply *textproto.Error
	return errors.As(err, &reply) && reply.Code >= 500 && reply.Code < 600
}

// orCancelled names the real cause when the context ended the conversation
// (the connection's deadline is the context's, and may fire first).
func orCancelled(ctx context.Context, err error) error {
	switch {
	case err == nil:
		return nil
	case ctx.Err() != nil:
		return errors.Join(ctx.Err(), err)
	case errors.Is(err, os.ErrDeadlineExceeded):
		return errors.Join(context.DeadlineExceeded, err)
	}
	return err
}
