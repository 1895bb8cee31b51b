// Package auth holds the newsroom's credentials: argon2id password hashes
// and random tokens (session cookies, reset and invitation links) that are
// stored only as SHA-256 hashes, so a leaked database cannot sign anyone in.
package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Params are argon2id cost parameters. They are written into every hash,
// so checking a password always uses the cost it was hashed with.
type Params struct {
	Time    uint32
	Memory  uint32 // KiB
	Threads uint8
}

// DefaultParams follow RFC 9106's second recommended option, with 64 MiB.
var DefaultParams = Params{Time: 3, Memory: 64 * 1024, Threads: 2}

// FastParams are for tests that create many accounts; never for real ones.
var FastParams = Params{Time: 1, Memory: 1024, Threads: 1}

const (
	argonKeyLen = 32
	saltLen     = 16
)

// MinPasswordLen is the shortest password accepted.
const MinPasswordLen = 10

// CheckPasswordStrength says what is wrong with a new password, or "".
func CheckPasswordStrength(pw string) string {
	switch n := utf8.RuneCountInString(pw); {
	case n < MinPasswordLen:
		return fmt.Sprintf("Use at least %d characters.", MinPasswordLen)
	case len(pw) > 1024:
		return "Use at most 1,024 characters."
	}
	return ""
}

// HashPassword returns an encoded argon2id hash of pw with DefaultParams.
func HashPassword(pw string) (string, error) { return HashPasswordWith(pw, DefaultParams) }

// HashPasswordWith hashes with the given cost.
func HashPasswordWith(pw string, p Params) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// ErrBadHash means a stored hash is not one this package wrote.
var ErrBadHash = errors.New("auth: unrecognised password hash")

// CheckPassword reports whether pw matches the encoded hash, in constant time.
func CheckPassword(encoded, pw string) (bool, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, ErrBadHash
	}
	var version int
	var memory, time uint32
	var threads uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, ErrBadHash
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &memory, &time, &threads); err != nil {
		return false, ErrBadHash
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil {
		return false, ErrBadHash
	}
	want, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false, ErrBadHash
	}
	got := argon2.IDKey([]byte(pw), salt, time, memory, threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// dummyHash is checked against when an account does not exist, so a
// failed sign-in takes as long whether or not the email is known.
var dummyHash = sync.OnceValue(func() string {
	h, _ := HashPassword("timing-equaliser")
	return h
})

// CheckAgainstNothing spends the time of a password check.
func CheckAgainstNothing(pw string) { _, _ = CheckPassword(dummyHash(), pw) }

// NewToken returns a random URL-safe token and the hash to store for it.
func NewToken() (token, hash string) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // the system's random source failing is not recoverable
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token)
}

// HashToken is what is stored for a token.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// NewAppPassword returns a fresh application password, as shown to its
// owner once (six groups of four characters), and the hash to store.
func NewAppPassword() (password, hash string) {
	tok, _ := NewToken()
	// 24 characters of the token's alphabet, without - and _ which read
	// badly in groups.
	clean := strings.NewReplacer("-", "", "_", "").Replace(tok)
	for len(clean) < 24 {
		t, _ := NewToken()
		clean += strings.NewReplacer("-", "", "_", "").Replace(t)
	}
	clean = clean[:24]
	var groups []string
	for i := 0; i < 24; i += 4 {
		groups = append(groups, clean[i:i+4])
	}
	return strings.Join(groups, " "), HashToken(clean)
}
