package activitypub

import (
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// RFC 9421 (HTTP Message Signatures) as peers such as Fedify send it:
// Signature-Input and Signature headers, each a dictionary of labelled
// signatures. Only verification is here, for the algorithms the fediverse
// uses: rsa-v1_5-sha256 and ed25519 (rsa-pss-sha512 too, which costs
// nothing and lets the RFC's own examples be the tests). No library in our
// reach does this (yaronf/httpsign could not be had), and it is small.

// MessageSignature is one parsed RFC 9421 signature.
type MessageSignature struct {
	Label      string
	Components []string // as covered, lower case, quotes removed
	Params     string   // the serialised inner list, exactly as received: the @signature-params value
	KeyID      string
	Alg        string
	Created    time.Time
	Signature  []byte

	expires time.Time
	scheme  string
}

// ParseMessageSignature reads r's RFC 9421 signature and checks what can
// be checked without the key: it covers the method, the target (as
// @target-uri, or @authority and @path) and, with a body,
// content-digest, which must match; created is within MaxSkew of now and
// expires (when given) has not passed. scheme is how the request reached
// us ("https" behind a proxy), for @target-uri.
func ParseMessageSignature(r SignedRequest, scheme string, now time.Time) (*MessageSignature, error) {
	ms, err := parseMessageSignature(r)
	if err != nil {
		return nil, err
	}
	has := func(c string) bool { return slices.Contains(ms.Components, c) }
	if !has("@method") || !(has("@target-uri") || has("@authority") && (has("@path") || has("@request-target"))) {
		return nil, fmt.Errorf("%w: the method and target are not signed", ErrSignature)
	}
	if len(r.Body) > 0 && !has("content-digest") {
		return nil, fmt.Errorf("%w: content-digest is not signed", ErrSignature)
	}
	if ms.Created.IsZero() {
		return nil, fmt.Errorf("%w: no created time", ErrSignature)
	}
	if d := now.Sub(ms.Created); d > MaxSkew || d < -MaxSkew {
		return nil, fmt.Errorf("%w: created %s is too far from now", ErrSignature, ms.Created.Format(time.RFC3339))
	}
	if !ms.expires.IsZero() && now.After(ms.expires) {
		return nil, fmt.Errorf("%w: the signature has expired", ErrSignature)
	}
	if has("content-digest") && !contentDigestMatches(r.Header.Get("Content-Digest"), r.Body) {
		return nil, fmt.Errorf("%w: no sha-256 or sha-512 Content-Digest matching the body", ErrSignature)
	}
	ms.scheme = scheme
	return ms, nil
}

func parseMessageSignature(r SignedRequest) (*MessageSignature, error) {
	inputs := splitDictionary(strings.Join(r.Header.Values("Signature-Input"), ", "))
	sigs := splitDictionary(strings.Join(r.Header.Values("Signature"), ", "))
	if len(inputs) == 0 {
		return nil, fmt.Errorf("%w: the request is not signed", ErrSignature)
	}
	// The first labelled signature is the one verified; peers send one.
	label, params := inputs[0][0], inputs[0][1]
	var sigValue string
	for _, s := range sigs {
		if s[0] == label {
			sigValue = s[1]
		}
	}
	if len(sigValue) < 2 || sigValue[0] != ':' || sigValue[len(sigValue)-1] != ':' {
		return nil, fmt.Errorf("%w: no signature labelled %q", ErrSignature, label)
	}
	sig, err := base64.StdEncoding.DecodeString(sigValue[1 : len(sigValue)-1])
	if err != nil {
		return nil, fmt.Errorf("%w: signature is not base64", ErrSignature)
	}
	ms := &MessageSignature{Label: label, Params: params, Signature: sig}
	if !strings.HasPrefix(params, "(") || !strings.Contains(params, ")") {
		return nil, fmt.Errorf("%w: Signature-Input is not an inner list", ErrSignature)
	}
	end := strings.Index(params, ")")
	for _, c := range strings.Fields(params[1:end]) {
		if len(c) < 2 || c[0] != '"' || c[len(c)-1] != '"' {
			return nil, fmt.Errorf("%w: component %s is not supported", ErrSignature, c)
		}
		ms.Components = append(ms.Components, strings.ToLower(c[1:len(c)-1]))
	}
	for p := range strings.SplitSeq(params[end+1:], ";") {
		k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
		v = strings.Trim(v, `"`)
		switch k {
		case "keyid":
			ms.KeyID = v
		case "alg":
			ms.Alg = v
		case "created":
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return nil, fmt.Errorf("%w: created is not a time", ErrSignature)
			}
			ms.Created = time.Unix(n, 0)
		case "expires":
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return nil, fmt.Errorf("%w: expires is not a time", ErrSignature)
			}
			ms.expires = time.Unix(n, 0)
		}
	}
	if ms.KeyID == "" {
		return nil, fmt.Errorf("%w: no keyid", ErrSignature)
	}
	return ms, nil
}

// splitDictionary splits a structured-field dictionary into label and
// raw member value pairs, respecting quoted strings and inner lists.
func splitDictionary(s string) [][2]string {
	var out [][2]string
	depth, quoted, start := 0, false, 0
	flush := func(end int) {
		k, v, ok := strings.Cut(strings.TrimSpace(s[start:end]), "=")
		if ok && k != "" {
			out = append(out, [2]string{k, v})
		}
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case quoted && c == '\\':
			i++
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '(':
			depth++
		case c == ')':
			depth--
		case c == ',' && depth == 0:
			flush(i)
			start = i + 1
		}
	}
	flush(len(s))
	return out
}

// contentDigestMatches reports whether a Content-Digest header (RFC 9530)
// has a sha-256 or sha-512 of body.
func contentDigestMatches(header string, body []byte) bool {
	s256 := sha256.Sum256(body)
	s512 := sha512.Sum512(body)
	for _, m := range splitDictionary(header) {
		v := strings.Trim(m[1], ":")
		var want []byte
		switch strings.ToLower(m[0]) {
		case "sha-256":
			want = s256[:]
		case "sha-512":
			want = s512[:]
		default:
			continue
		}
		got, err := base64.StdEncoding.DecodeString(v)
		if err == nil && subtle.ConstantTimeCompare(got, want) == 1 {
			return true
		}
	}
	return false
}

// ContentDigest is the Content-Digest header of body (RFC 9530, sha-256).
func ContentDigest(body []byte) string {
	sum := sha256.Sum256(body)
	return "sha-256=:" + base64.StdEncoding.EncodeToString(sum[:]) + ":"
}

// Base is the signature base of ms over r (RFC 9421 section 2.5).
func (ms *MessageSignature) Base(r SignedRequest) (string, error) {
	var b strings.Builder
	for _, c := range ms.Components {
		var v string
		switch c {
		case "@method":
			v = strings.ToUpper(r.Method)
		case "@authority":
			v = strings.ToLower(r.Host)
		case "@scheme":
			v = ms.scheme
		case "@target-uri":
			v = ms.scheme + "://" + strings.ToLower(r.Host) + r.Target
		case "@request-target":
			v = r.Target
		case "@path":
			v, _, _ = strings.Cut(r.Target, "?")
		case "@query":
			_, q, _ := strings.Cut(r.Target, "?")
			v = "?" + q
		case "host": // Go keeps it apart from the other headers
			v = strings.ToLower(r.Host)
		default:
			if strings.HasPrefix(c, "@") {
				return "", fmt.Errorf("%w: component %s is not supported", ErrSignature, c)
			}
			vals := r.Header.Values(c)
			if len(vals) == 0 {
				return "", fmt.Errorf("%w: signed header %s is missing", ErrSignature, c)
			}
			for i := range vals {
				vals[i] = strings.TrimSpace(vals[i])
			}
			v = strings.Join(vals, ", ")
		}
		fmt.Fprintf(&b, "%q: %s\n", c, v)
	}
	b.WriteString(`"@signature-params": ` + ms.Params)
	return b.String(), nil
}

// Verify checks ms over r with key (an *rsa.PublicKey or an
// ed25519.PublicKey). The algorithm is alg when given, else the key's:
// RSA keys verify rsa-v1_5-sha256 (what Fedify sends), Ed25519 keys
// ed25519.
func (ms *MessageSignature) Verify(r SignedRequest, key crypto.PublicKey) error {
	base, err := ms.Base(r)
	if err != nil {
		return err
	}
	bad := fmt.Errorf("%w: the signature does not verify", ErrSignature)
	switch k := key.(type) {
	case *rsa.PublicKey:
		switch ms.Alg {
		case "", "rsa-v1_5-sha256":
			sum := sha256.Sum256([]byte(base))
			if rsa.VerifyPKCS1v15(k, crypto.SHA256, sum[:], ms.Signature) != nil {
				return bad
			}
		case "rsa-pss-sha512":
			sum := sha512.Sum512([]byte(base))
			if rsa.VerifyPSS(k, crypto.SHA512, sum[:], ms.Signature, &rsa.PSSOptions{SaltLength: 64}) != nil {
				return bad
			}
		default:
			return fmt.Errorf("%w: algorithm %q is not supported for an RSA key", ErrSignature, ms.Alg)
		}
	case ed25519.PublicKey:
		if ms.Alg != "" && ms.Alg != "ed25519" {
			return fmt.Errorf("%w: algorithm %q is not supported for an Ed25519 key", ErrSignature, ms.Alg)
		}
		if !ed25519.Verify(k, []byte(base), ms.Signature) {
			return bad
		}
	default:
		return fmt.Errorf("%w: the key's type is not supported", ErrSignature)
	}
	return nil
}

// ParseVerifyKey reads a PEM public key as actors publish it: RSA (PKIX
// or PKCS#1) or Ed25519 (PKIX).
func ParseVerifyKey(s string) (crypto.PublicKey, error) {
	if k, err := ParsePublicKey(s); err == nil {
		return k, nil
	}
	b, _ := pem.Decode([]byte(s))
	if b == nil {
		return nil, errors.New("public key: no PEM block")
	}
	k, err := x509.ParsePKIXPublicKey(b.Bytes)
	if err != nil {
		return nil, fmt.Errorf("public key: %w", err)
	}
	if ek, ok := k.(ed25519.PublicKey); ok {
		return ek, nil
	}
	return nil, errors.New("public key: neither RSA nor Ed25519")
}

// Checked is a request's signature in either scheme (RFC 9421 when the
// request has Signature-Input, else draft-cavage), checked as far as it can
// be without the signer's key.
type Checked struct {
	KeyID  string
	Value  []byte    // the signature itself: the replay cache's key
	Signed time.Time // its Date or created time
	cavage *Signature
	rfc    *MessageSignature
}

// Check parses and checks r's signature; see ParseSignature and
// ParseMessageSignature. scheme is the one the request reached us by.
func Check(r SignedRequest, scheme string, now time.Time) (*Checked, error) {
	if r.Header.Get("Signature-Input") != "" {
		ms, err := ParseMessageSignature(r, scheme, now)
		if err != nil {
			return nil, err
		}
		return &Checked{KeyID: ms.KeyID, Value: ms.Signature, Signed: ms.Created, rfc: ms}, nil
	}
	sig, err := ParseSignature(r, now)
	if err != nil {
		return nil, err
	}
	date, _ := http.ParseTime(r.Header.Get("Date")) // ParseSignature checked it
	return &Checked{KeyID: sig.KeyID, Value: sig.Signature, Signed: date, cavage: sig}, nil
}

// Verify checks the signature over r with the signer's public key.
func (c *Checked) Verify(r SignedRequest, key crypto.PublicKey) error {
	if c.rfc != nil {
		return c.rfc.Verify(r, key)
	}
	rk, ok := key.(*rsa.PublicKey)
	if !ok {
		return fmt.Errorf("%w: draft-cavage signatures need an RSA key", ErrSignature)
	}
	return c.cavage.Verify(r, rk)
}

// SignMessage signs r the RFC 9421 way, as Fedify does: @method,
// @target-uri and, with a body, content-digest (set here), with created
// now, keyid and alg (rsa-v1_5-sha256 for an RSA key, ed25519 for an
// Ed25519 one). Masthead's deliveries use draft-cavage, which every peer
// reads; this is for tests and for peers that ask for it.
func SignMessage(r *http.Request, body []byte, keyID string, key crypto.Signer, now time.Time) error {
	components := `"@method" "@target-uri"`
	if body != nil {
		r.Header.Set("Content-Digest", ContentDigest(body))
		components += ` "content-digest"`
	}
	alg := "rsa-v1_5-sha256"
	if _, ok := key.(ed25519.PrivateKey); ok {
		alg = "ed25519"
	}
	params := fmt.Sprintf(`(%s);created=%d;keyid=%q;alg=%q`, components, now.Unix(), keyID, alg)
	// Parsed back, so that signing and verifying build the base one way.
	ms, err := parseMessageSignature(SignedRequest{Header: http.Header{"Signature-Input": {"sig1=" + params}, "Signature": {"sig1=::"}}})
	if err != nil {
		return err
	}
	ms.scheme = r.URL.Scheme
	base, err := ms.Base(SignedRequest{Method: r.Method, Target: r.URL.RequestURI(), Host: r.URL.Host, Header: r.Header})
	if err != nil {
		return err
	}
	var sig []byte
	if alg == "ed25519" {
		sig, err = key.Sign(nil, []byte(base), crypto.Hash(0))
	} else {
		sum := sha256.Sum256([]byte(base))
		sig, err = key.Sign(rand.Reader, sum[:], crypto.SHA256)
	}
	if err != nil {
		return fmt.Errorf("sign a request: %w", err)
	}
	r.Header.Set("Signature-Input", "sig1="+params)
	r.Header.Set("Signature", "sig1=:"+base64.StdEncoding.EncodeToString(sig)+":")
	return nil
}
