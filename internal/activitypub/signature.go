package activitypub

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/subtle"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// ErrSignature is wrapped by every reason a request's signature is refused.
var ErrSignature = errors.New("bad HTTP signature")

// MaxSkew is how far a signed request's Date may be from the receiver's
// clock, either way. Mastodon allows 12 hours; an hour is enough for any
// honest clock and bounds how long a captured request can be replayed.
const MaxSkew = time.Hour

// KeyPair is an actor's RSA key pair, PEM-encoded (PKCS#8 private key,
// PKIX public key, as Mastodon publishes and reads them).
type KeyPair struct {
	PrivatePEM string
	PublicPEM  string
}

// NewKeyPair makes a fresh RSA-2048 key pair.
func NewKeyPair() (KeyPair, error) {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return KeyPair{}, fmt.Errorf("generate an RSA key: %w", err)
	}
	priv, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		return KeyPair{}, fmt.Errorf("encode a private key: %w", err)
	}
	pub, err := x509.MarshalPKIXPublicKey(&k.PublicKey)
	if err != nil {
		return KeyPair{}, fmt.Errorf("encode a public key: %w", err)
	}
	return KeyPair{
		PrivatePEM: string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: priv})),
		PublicPEM:  string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub})),
	}, nil
}

// ParsePrivateKey reads a PEM private key (PKCS#8 or PKCS#1).
func ParsePrivateKey(s string) (*rsa.PrivateKey, error) {
	b, _ := pem.Decode([]byte(s))
	if b == nil {
		return nil, errors.New("private key: no PEM block")
	}
	if k, err := x509.ParsePKCS1PrivateKey(b.Bytes); err == nil {
		return k, nil
	}
	k, err := x509.ParsePKCS8PrivateKey(b.Bytes)
	if err != nil {
		return nil, fmt.Errorf("private key: %w", err)
	}
	rk, ok := k.(*rsa.PrivateKey)
	if !ok {
		return nil, errors.New("private key: not RSA")
	}
	return rk, nil
}

// ParsePublicKey reads a PEM public key (PKIX or PKCS#1) as actors publish it.
func ParsePublicKey(s string) (*rsa.PublicKey, error) {
	b, _ := pem.Decode([]byte(s))
	if b == nil {
		return nil, errors.New("public key: no PEM block")
	}
	if k, err := x509.ParsePKCS1PublicKey(b.Bytes); err == nil {
		return k, nil
	}
	k, err := x509.ParsePKIXPublicKey(b.Bytes)
	if err != nil {
		return nil, fmt.Errorf("public key: %w", err)
	}
	rk, ok := k.(*rsa.PublicKey)
	if !ok {
		return nil, errors.New("public key: not RSA")
	}
	return rk, nil
}

// Digest is the Digest header of body (RFC 3230, SHA-256).
func Digest(body []byte) string {
	sum := sha256.Sum256(body)
	return "SHA-256=" + base64.StdEncoding.EncodeToString(sum[:])
}

// Sign signs r (draft-cavage-http-signatures-12, rsa-sha256) with key,
// published as keyID: it sets Host, Date and, for a body, Digest, and
// signs (request-target), host, date and digest — what Mastodon requires.
func Sign(r *http.Request, body []byte, keyID string, key *rsa.PrivateKey, now time.Time) error {
	r.Header.Set("Host", r.URL.Host)
	r.Header.Set("Date", now.UTC().Format(http.TimeFormat))
	headers := []string{"(request-target)", "host", "date"}
	if body != nil {
		r.Header.Set("Digest", Digest(body))
		headers = append(headers, "digest")
	}
	sr := SignedRequest{Method: r.Method, Target: r.URL.RequestURI(), Host: r.URL.Host, Header: r.Header}
	sum := sha256.Sum256([]byte(sr.signingString(headers)))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
	if err != nil {
		return fmt.Errorf("sign a request: %w", err)
	}
	r.Header.Set("Signature", fmt.Sprintf(`keyId="%s",algorithm="rsa-sha256",headers="%s",signature="%s"`,
		keyID, strings.Join(headers, " "), base64.StdEncoding.EncodeToString(sig)))
	r.Header.Del("Host") // net/http sends r.Host; the header was only for the signing string
	return nil
}

// SignedRequest is what verifying a request needs from it.
type SignedRequest struct {
	Method string
	Target string // the path and query, as sent
	Host   string
	Header http.Header
	Body   []byte
}

func (r SignedRequest) signingString(headers []string) string {
	var b strings.Builder
	for i, h := range headers {
		if i > 0 {
			b.WriteByte('\n')
		}
		switch h {
		case "(request-target)":
			b.WriteString("(request-target): " + strings.ToLower(r.Method) + " " + r.Target)
		case "host":
			b.WriteString("host: " + r.Host)
		default:
			b.WriteString(h + ": " + strings.Join(r.Header.Values(h), ", "))
		}
	}
	return b.String()
}

// Signature is a parsed Signature header.
type Signature struct {
	KeyID     string
	Algorithm string
	Headers   []string
	Signature []byte
}

// ParseSignature reads r's Signature header and checks what can be checked
// without the key: that it covers (request-target), host, date and, with a
// body, digest; that the date is within MaxSkew of now; and that the
// digest matches the body.
func ParseSignature(r SignedRequest, now time.Time) (*Signature, error) {
	sig, err := parseCavage(r.Header.Get("Signature"))
	if err != nil {
		return nil, err
	}
	need := []string{"(request-target)", "host", "date"}
	if len(r.Body) > 0 {
		need = append(need, "digest")
	}
	for _, h := range need {
		if !slices.Contains(sig.Headers, h) {
			return nil, fmt.Errorf("%w: %s is not signed", ErrSignature, h)
		}
	}
	date, err := http.ParseTime(r.Header.Get("Date"))
	if err != nil {
		return nil, fmt.Errorf("%w: no valid Date", ErrSignature)
	}
	if d := now.Sub(date); d > MaxSkew || d < -MaxSkew {
		return nil, fmt.Errorf("%w: Date %s is too far from now", ErrSignature, date.Format(time.RFC3339))
	}
	if len(r.Body) > 0 && !digestMatches(r.Header.Get("Digest"), r.Body) {
		return nil, fmt.Errorf("%w: no SHA-256 Digest matching the body", ErrSignature)
	}
	return sig, nil
}

// parseCavage reads a draft-cavage Signature header.
func parseCavage(raw string) (*Signature, error) {
	if raw == "" {
		return nil, fmt.Errorf("%w: the request is not signed", ErrSignature)
	}
	sig := &Signature{}
	for part := range strings.SplitSeq(raw, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			continue
		}
		v = strings.Trim(v, `"`)
		switch k {
		case "keyId":
			sig.KeyID = v
		case "algorithm":
			sig.Algorithm = v
		case "headers":
			sig.Headers = strings.Fields(strings.ToLower(v))
		case "signature":
			b, err := base64.StdEncoding.DecodeString(v)
			if err != nil {
				return nil, fmt.Errorf("%w: signature is not base64", ErrSignature)
			}
			sig.Signature = b
		}
	}
	switch {
	case sig.KeyID == "" || len(sig.Signature) == 0:
		return nil, fmt.Errorf("%w: keyId or signature missing", ErrSignature)
	case sig.Algorithm != "" && sig.Algorithm != "rsa-sha256" && sig.Algorithm != "hs2019":
		return nil, fmt.Errorf("%w: algorithm %q is not supported", ErrSignature, sig.Algorithm)
	}
	return sig, nil
}

// digestMatches reports whether a Digest header (one or more alg=value
// pairs, the algorithm's name in any case) has a SHA-256 of body.
func digestMatches(header string, body []byte) bool {
	want := []byte(strings.TrimPrefix(Digest(body), "SHA-256="))
	for part := range strings.SplitSeq(header, ",") {
		alg, val, _ := strings.Cut(strings.TrimSpace(part), "=")
		if strings.EqualFold(alg, "SHA-256") && subtle.ConstantTimeCompare([]byte(val), want) == 1 {
			return true
		}
	}
	return false
}

// Verify checks sig over r with the signer's public key.
func (sig *Signature) Verify(r SignedRequest, key *rsa.PublicKey) error {
	sum := sha256.Sum256([]byte(r.signingString(sig.Headers)))
	if err := rsa.VerifyPKCS1v15(key, crypto.SHA256, sum[:], sig.Signature); err != nil {
		return fmt.Errorf("%w: the signature does not verify", ErrSignature)
	}
	return nil
}
