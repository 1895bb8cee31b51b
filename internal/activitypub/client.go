package activitypub

import (
	"bytes"
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"syscall"
	"time"
)

// MaxDocument is the largest remote document Masthead reads (an actor, a
// key): real ones are a few kilobytes.
const MaxDocument = 1 << 20

// Client makes federation's outgoing requests: fetching a remote actor
// and delivering to an inbox. It refuses private, loopback, link-local and
// unspecified addresses (checked on the address actually dialled, so a
// name that resolves to one is refused too), follows no redirects, and
// bounds time and size.
type Client struct {
	http *http.Client
}

// NewClient builds a client. allowLoopback lets tests reach a server on
// 127.0.0.1; nothing else should set it.
func NewClient(timeout time.Duration, allowLoopback bool) *Client {
	dialer := &net.Dialer{Timeout: timeout, Control: func(_, address string, _ syscall.RawConn) error {
		host, _, err := net.SplitHostPort(address)
		if err != nil {
			return err
		}
		ip := net.ParseIP(host)
		if ip == nil {
			return fmt.Errorf("refusing to dial %s", address)
		}
		if ip.IsLoopback() && allowLoopback {
			return nil
		}
		if ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
			ip.IsUnspecified() || ip.IsMulticast() || ip.IsInterfaceLocalMulticast() {
			return fmt.Errorf("refusing to reach a private address (%s)", ip)
		}
		return nil
	}}
	transport := &http.Transport{
		DialContext:           dialer.DialContext,
		TLSHandshakeTimeout:   timeout,
		ResponseHeaderTimeout: timeout,
		MaxIdleConnsPerHost:   4,
		IdleConnTimeout:       90 * time.Second,
	}
	return &Client{http: &http.Client{
		Transport: transport,
		Timeout:   timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return errors.New("redirects are not followed")
		},
	}}
}

// Signer is who signs a request: an actor's key id and private key.
type Signer struct {
	KeyID string
	Key   *rsa.PrivateKey
}

// Fetch GETs an ActivityStreams document, signed by signer when given (for
// peers that require authorised fetch), into at most MaxDocument bytes.
func (c *Client) Fetch(ctx context.Context, rawURL string, signer *Signer, now time.Time) ([]byte, error) {
	u, err := checkURL(rawURL)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", rawURL, err)
	}
	req.Header.Set("Accept", `application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams"`)
	if signer != nil {
		if err := Sign(req, nil, signer.KeyID, signer.Key, now); err != nil {
			return nil, err
		}
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", rawURL, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetch %s: %s", rawURL, resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxDocument+1))
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", rawURL, err)
	}
	if len(body) > MaxDocument {
		return nil, fmt.Errorf("fetch %s: larger than %d bytes", rawURL, MaxDocument)
	}
	return body, nil
}

// DeliveryError is a refused delivery; Permanent when retrying cannot help
// (the inbox said the request itself is wrong, or is gone).
type DeliveryError struct {
	Status    int
	Permanent bool
	Err       error
}

func (e *DeliveryError) Error() string { return e.Err.Error() }
func (e *DeliveryError) Unwrap() error { return e.Err }

// Deliver POSTs a signed activity to inbox.
func (c *Client) Deliver(ctx context.Context, inbox string, body []byte, signer Signer, now time.Time) error {
	u, err := checkURL(inbox)
	if err != nil {
		return &DeliveryError{Permanent: true, Err: err}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(body))
	if err != nil {
		return &DeliveryError{Permanent: true, Err: fmt.Errorf("deliver to %s: %w", inbox, err)}
	}
	req.Header.Set("Content-Type", ContentType)
	if err := Sign(req, body, signer.KeyID, signer.Key, now); err != nil {
		return err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return &DeliveryError{Err: fmt.Errorf("deliver to %s: %w", inbox, err)}
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode/100 == 2 {
		return nil
	}
	// 4xx is the peer refusing this request for good, except being told
	// to slow down or a timeout; everything else may pass.
	permanent := resp.StatusCode/100 == 4 && resp.StatusCode != http.StatusTooManyRequests && resp.StatusCode != http.StatusRequestTimeout
	return &DeliveryError{Status: resp.StatusCode, Permanent: permanent, Err: fmt.Errorf("deliver to %s: %s", inbox, resp.Status)}
}

// checkURL accepts http and https URLs with a host and no credentials.
func checkURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil {
		return nil, fmt.Errorf("not a usable address: %q", raw)
	}
	return u, nil
}
