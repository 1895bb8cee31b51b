package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/textproto"
	"os"
	"strconv"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// SMTP sends messages through a mail server.
type SMTP struct {
	Addr     string // host:port of the server, usually port 587; port 465 speaks TLS from the start
	Username string // empty: no authentication
	Password string
	From     Address
	// TLS is the TLS configuration; nil verifies the server's certificate
	// for the host in Addr against the system's roots.
	TLS *tls.Config
	// Timeout bounds one whole delivery; zero means 30 seconds.
	Timeout time.Duration
	// DKIM, when set, signs every message.
	DKIM *DKIM
}

// Send delivers m, or says why the server would not take it.
func (s *SMTP) Send(ctx context.Context, m Message) error {
	msg, err := m.compose(s.From, time.Now(), s.DKIM)
	if err != nil {
		return err
	}
	if err := s.deliver(ctx, msg); err != nil {
		return fmt.Errorf("send mail to %s via %s: %w", m.To.Email, s.Addr, err)
	}
	return nil
}

func (s *SMTP) deliver(ctx context.Context, msg *gomail.Msg) error {
	host, portText, err := net.SplitHostPort(s.Addr)
	if err != nil {
		return err
	}
	port, err := strconv.Atoi(portText)
	if err != nil {
		return fmt.Errorf("port %q: %w", portText, err)
	}
	timeout := s.Timeout
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	conf := &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
	if s.TLS != nil {
		conf = s.TLS.Clone()
		if conf.ServerName == "" {
			conf.ServerName = host
		}
	}
	implicitTLS := port == 465
	policy := gomail.TLSOpportunistic
	if implicitTLS {
		policy = gomail.NoTLS // the connection is encrypted from its first byte
	}
	opts := []gomail.Option{
		gomail.WithPort(port), gomail.WithTimeout(timeout), gomail.WithTLSPolicy(policy), gomail.WithTLSConfig(conf),
		gomail.WithDialContextFunc(dialUntil(ctx, implicitTLS, conf)),
	}
	if s.Username != "" {
		// PLAIN refuses to send the password over an unencrypted
		// connection to anything but localhost.
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthPlain), gomail.WithUsername(s.Username), gomail.WithPassword(s.Password))
	}
	client, err := gomail.NewClient(host, opts...)
	if err != nil {
		return err
	}
	conn, err := client.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return orCancelled(ctx, err)
	}
	err = client.SendWithSMTPClient(conn, msg)
	// The server has taken the message once it answered the end of DATA:
	// a lost reset or goodbye after that changes nothing.
	_ = client.CloseWithSMTPClient(conn)
	if err == nil || msg.IsDelivered() {
		return nil
	}
	var sendErr *gomail.SendError
	if errors.As(err, &sendErr) && sendErr.Reason == gomail.ErrSMTPDataClose && sendErr.ErrorCode() == 0 {
		// The message's end went out but no answer came back: the server
		// may have taken it.
		return orCancelled(ctx, errors.Join(ErrMaybeDelivered, err))
	}
	return orCancelled(ctx, err)
}

// dialUntil dials for go-mail and ties the connection to ctx: its deadline
// bounds a server that stops answering, and cancelling ends the
// conversation at once. (go-mail's own dial context ends with the dial.)
func dialUntil(ctx context.Context, implicitTLS bool, conf *tls.Config) gomail.DialContextFunc {
	return func(_ context.Context, network, addr string) (net.Conn, error) {
		var d net.Dialer
		var conn net.Conn
		var err error
		if implicitTLS {
			conn, err = (&tls.Dialer{NetDialer: &d, Config: conf}).DialContext(ctx, network, addr)
		} else {
			conn, err = d.DialContext(ctx, network, addr)
		}
		if err != nil {
			return nil, err
		}
		deadline, _ := ctx.Deadline()
		_ = conn.SetDeadline(deadline)
		context.AfterFunc(ctx, func() { conn.Close() })
		return conn, nil
	}
}

// ErrMaybeDelivered is a delivery whose outcome is unknown: the connection
// broke after the whole message was sent, before the server answered.
var ErrMaybeDelivered = errors.New("mail: the connection broke after the message was sent; the server may have taken it")

// Permanent says whether err is the server's permanent refusal (a 5xx
// reply): sending the same message again would fail again.
func Permanent(err error) bool {
	var sendErr *gomail.SendError
	if errors.As(err, &sendErr) {
		return sendErr.ErrorCode() >= 500 && sendErr.ErrorCode() < 600
	}
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
