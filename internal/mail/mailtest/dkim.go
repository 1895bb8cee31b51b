package mailtest

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/emersion/go-msgauth/dkim"
)

// DKIMKey makes a throwaway 2048-bit RSA signing key in the test's
// temporary folder and returns its file and the DNS TXT record that would
// publish its public half (v=DKIM1; k=rsa; p=…).
func DKIMKey(t testing.TB) (keyFile, txt string) {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	keyFile = filepath.Join(t.TempDir(), "dkim.pem")
	block := &pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(block), 0o600); err != nil {
		t.Fatal(err)
	}
	pub, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	return keyFile, "v=DKIM1; k=rsa; p=" + base64.StdEncoding.EncodeToString(pub)
}

// VerifyDKIM checks raw's DKIM signature for domain with an independent
// verifier (github.com/emersion/go-msgauth, not the signer we send with),
// answering its DNS query for selector._domainkey.domain with txt. It
// returns nil only when a signature by domain verifies.
func VerifyDKIM(raw []byte, domain, selector, txt string) error {
	want := selector + "._domainkey." + domain
	verifications, err := dkim.VerifyWithOptions(bytes.NewReader(raw), &dkim.VerifyOptions{
		LookupTXT: func(name string) ([]string, error) {
			if name != want {
				return nil, fmt.Errorf("no TXT record for %s (only %s)", name, want)
			}
			return []string{txt}, nil
		},
	})
	if err != nil {
		return fmt.Errorf("dkim: %w", err)
	}
	if len(verifications) == 0 {
		return errors.New("dkim: the message has no DKIM-Signature")
	}
	var errs []error
	for _, v := range verifications {
		if v.Err == nil && v.Domain == domain {
			return nil
		}
		errs = append(errs, fmt.Errorf("signature by %s: %v", v.Domain, v.Err))
	}
	return errors.Join(errs...)
}
