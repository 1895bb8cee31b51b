package activitypub

import (
	"bytes"
	"crypto/rsa"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestWantsActivity(t *testing.T) {
	for _, tt := range []struct {
		accept string
		want   bool
	}{
		{"", false},
		{"text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8", false},
		{"*/*", false},
		{"application/json", false},
		{"application/activity+json", true},
		{`application/ld+json; profile="https://www.w3.org/ns/activitystreams"`, true},
		{"application/activity+json, application/ld+json", true},
	} {
		if got := WantsActivity(tt.accept); got != tt.want {
			t.Errorf("WantsActivity(%q) = %v, want %v", tt.accept, got, tt.want)
		}
	}
}

func TestSignVerify(t *testing.T) {
	pair, err := NewKeyPair()
	if err != nil {
		t.Fatal(err)
	}
	key, _ := ParsePrivateKey(pair.PrivatePEM)
	pub, _ := ParsePublicKey(pair.PublicPEM)
	other, _ := NewKeyPair()
	otherPub, _ := ParsePublicKey(other.PublicPEM)
	now := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	body := []byte(`{"type":"Follow"}`)
	signed := func() SignedRequest {
		req, _ := http.NewRequest(http.MethodPost, "https://news.example/ap/inbox?x=1", bytes.NewReader(body))
		if err := Sign(req, body, "https://remote.example/users/a#main-key", key, now); err != nil {
			t.Fatal(err)
		}
		return SignedRequest{Method: "POST", Target: "/ap/inbox?x=1", Host: "news.example", Header: req.Header, Body: body}
	}
	tests := []struct {
		name   string
		change func(*SignedRequest)
		at     time.Time
		key    *rsa.PublicKey
		ok     bool
	}{
		{"as signed", func(*SignedRequest) {}, now, pub, true},
		{"within the skew", func(*SignedRequest) {}, now.Add(59 * time.Minute), pub, true},
		{"too old", func(*SignedRequest) {}, now.Add(61 * time.Minute), pub, false},
		{"other body", func(r *SignedRequest) { r.Body = []byte(`{"type":"Undo"}`) }, now, pub, false},
		{"other path", func(r *SignedRequest) { r.Target = "/ap/staff/1/inbox" }, now, pub, false},
		{"other host", func(r *SignedRequest) { r.Host = "evil.example" }, now, pub, false},
		{"other key", func(*SignedRequest) {}, now, otherPub, false},
		{"unsigned", func(r *SignedRequest) { r.Header.Del("Signature") }, now, pub, false},
		{"digest not signed", func(r *SignedRequest) {
			r.Header.Set("Signature", strings.Replace(r.Header.Get("Signature"), " digest", "", 1))
		}, now, pub, false},
	}
	for _, tt := range tests {
		r := signed()
		tt.change(&r)
		sig, err := ParseSignature(r, tt.at)
		if err == nil {
			err = sig.Verify(r, tt.key)
		}
		if got := err == nil; got != tt.ok {
			t.Errorf("%s: err %v, want ok=%v", tt.name, err, tt.ok)
		}
		if err != nil && !errors.Is(err, ErrSignature) {
			t.Errorf("%s: %v is not ErrSignature", tt.name, err)
		}
	}
}

func TestDigestMatches(t *testing.T) {
	body := []byte("hello")
	d := Digest(body)
	for _, tt := range []struct {
		header string
		want   bool
	}{
		{d, true},
		{strings.Replace(d, "SHA-256", "sha-256", 1), true},
		{"MD5=abc, " + d, true},
		{"", false},
		{Digest([]byte("other")), false},
	} {
		if got := digestMatches(tt.header, body); got != tt.want {
			t.Errorf("digestMatches(%q) = %v, want %v", tt.header, got, tt.want)
		}
	}
}
