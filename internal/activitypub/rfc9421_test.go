package activitypub

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// The request and key of RFC 9421 appendix B (B.1.1 test-request, B.1.4
// test-key-ed25519) and the signature of B.2.6.
const (
	rfcEd25519Key = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAJrQLj5P/89iXES9+vFgrIy29clF9CC/oPPsw3c5D0bs=\n-----END PUBLIC KEY-----\n"
	rfcBody       = `{"hello": "world"}`
)

func rfcRequest() SignedRequest {
	h := http.Header{}
	h.Set("Date", "Tue, 20 Apr 2021 02:07:55 GMT")
	h.Set("Content-Type", "application/json")
	h.Set("Content-Digest", "sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:")
	h.Set("Content-Length", "18")
	h.Set("Signature-Input", `sig-b26=("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519"`)
	h.Set("Signature", "sig-b26=:wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==:")
	return SignedRequest{Method: "POST", Target: "/foo?param=Value&Pet=dog", Host: "example.com", Header: h, Body: []byte(rfcBody)}
}

func TestRFC9421Vector(t *testing.T) {
	key, err := ParseVerifyKey(rfcEd25519Key)
	if err != nil {
		t.Fatal(err)
	}
	r := rfcRequest()
	if !contentDigestMatches(r.Header.Get("Content-Digest"), r.Body) {
		t.Fatal("the RFC's Content-Digest does not match its body")
	}
	ms, err := parseMessageSignature(r)
	if err != nil {
		t.Fatal(err)
	}
	base, _ := ms.Base(r)
	wantBase := `"date": Tue, 20 Apr 2021 02:07:55 GMT
"@method": POST
"@path": /foo
"@authority": example.com
"content-type": application/json
"content-length": 18
"@signature-params": ("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519"`
	if base != wantBase {
		t.Errorf("signature base:\n%s\nwant:\n%s", base, wantBase)
	}
	if err := ms.Verify(r, key); err != nil {
		t.Errorf("the RFC's signature does not verify: %v", err)
	}
	r.Header.Set("Content-Type", "text/plain")
	if err := ms.Verify(r, key); !errors.Is(err, ErrSignature) {
		t.Errorf("a changed signed header verified: %v", err)
	}
	// The policy refuses the vector as an inbox POST: its content-digest
	// is not signed, and it is years old.
	if _, err := ParseMessageSignature(rfcRequest(), "https", time.Unix(1618884473, 0)); err == nil {
		t.Error("a POST whose digest is not signed was accepted")
	}
}

func TestSignMessageRoundTrip(t *testing.T) {
	rk, _ := rsa.GenerateKey(rand.Reader, 2048)
	_, ek, _ := ed25519.GenerateKey(rand.Reader)
	now := time.Date(2026, 12, 6, 8, 0, 0, 0, time.UTC)
	body := []byte(`{"type":"Like"}`)
	for _, tt := range []struct {
		name string
		sign func(*http.Request) error
		pub  any
	}{
		{"rsa-v1_5-sha256", func(r *http.Request) error { return SignMessage(r, body, "https://peer/k", rk, now) }, &rk.PublicKey},
		{"ed25519", func(r *http.Request) error { return SignMessage(r, body, "https://peer/k", ek, now) }, ek.Public()},
	} {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest("POST", "https://news.example/ap/inbox", strings.NewReader(string(body)))
			if err := tt.sign(req); err != nil {
				t.Fatal(err)
			}
			sr := SignedRequest{Method: req.Method, Target: req.URL.RequestURI(), Host: req.URL.Host, Header: req.Header, Body: body}
			c, err := Check(sr, "https", now.Add(30*time.Minute))
			if err != nil {
				t.Fatal(err)
			}
			if err := c.Verify(sr, tt.pub); err != nil {
				t.Fatalf("verify: %v", err)
			}
			for _, bad := range []struct {
				name   string
				mutate func(*SignedRequest)
				now    time.Time
			}{
				{"tampered body", func(r *SignedRequest) { r.Body = []byte(`{"type":"Lik3"}`) }, now},
				{"old", func(*SignedRequest) {}, now.Add(MaxSkew + time.Second)},
				{"other host", func(r *SignedRequest) { r.Host = "evil.example" }, now},
			} {
				r := sr
				r.Header = sr.Header.Clone()
				bad.mutate(&r)
				c, err := Check(r, "https", bad.now)
				if err == nil {
					err = c.Verify(r, tt.pub)
				}
				if !errors.Is(err, ErrSignature) {
					t.Errorf("%s: accepted (%v)", bad.name, err)
				}
			}
		})
	}
}

// TestMessageSignatureFedifyShape verifies a signature covering what
// Fedify covers: the method, target, authority, Host, Date and digest.
func TestMessageSignatureFedifyShape(t *testing.T) {
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	now := time.Date(2026, 12, 6, 8, 0, 0, 0, time.UTC)
	body := []byte(`{"type":"Create"}`)
	h := http.Header{}
	h.Set("Date", now.Format(http.TimeFormat))
	h.Set("Content-Digest", ContentDigest(body))
	params := fmt.Sprintf(`("@method" "@target-uri" "@authority" "host" "date" "content-digest");alg="ed25519";keyid="https://peer.example/users/a#ed25519-key";created=%d`, now.Unix())
	h.Set("Signature-Input", "sig1="+params)
	h.Set("Signature", "sig1=::")
	r := SignedRequest{Method: "POST", Target: "/ap/inbox", Host: "News.Example", Header: h, Body: body}
	ms, err := parseMessageSignature(r)
	if err != nil {
		t.Fatal(err)
	}
	ms.scheme = "https"
	base, err := ms.Base(r)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(base, "\"host\": news.example\n") || !strings.Contains(base, "\"@target-uri\": https://news.example/ap/inbox\n") {
		t.Errorf("base:\n%s", base)
	}
	h.Set("Signature", "sig1=:"+base64.StdEncoding.EncodeToString(ed25519.Sign(priv, []byte(base)))+":")
	c, err := Check(r, "https", now)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Verify(r, pub); err != nil {
		t.Error(err)
	}
}
