package newsroom

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"fmt"
	"strings"

	"masthead/internal/auth"
	"masthead/internal/news"
)

// First-run set-up: on a site with no administrator, whoever runs the
// server reads a one-time code in its log and creates the first
// administrator in the browser with it (the command line's `user add`
// works too).

// setupKey holds the hash of the current set-up code; "secret." keeps the
// change log (and so the page cache) out of it.
const setupKey = "secret.setup"

// ErrSetupDone means the site has an administrator: set-up is over.
var ErrSetupDone = fmt.Errorf("%w: this site already has an administrator", news.ErrNotFound)

// setupAlphabet leaves out letters and digits that read alike.
const setupAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// SetupCode makes a new one-time set-up code when the site has no
// administrator, replacing any earlier one, and returns it for the server
// to print; "" when set-up is over.
func (s *Service) SetupCode(ctx context.Context) (string, error) {
	if needed, err := s.SetupNeeded(ctx); err != nil || !needed {
		return "", err
	}
	b := make([]byte, 12) // 60 bits, in three groups of four
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("set-up code: %w", err)
	}
	var code strings.Builder
	for i, c := range b {
		if i > 0 && i%4 == 0 {
			code.WriteByte('-')
		}
		code.WriteByte(setupAlphabet[int(c)%len(setupAlphabet)])
	}
	if err := s.store.SetSetting(ctx, setupKey, auth.HashToken(code.String())); err != nil {
		return "", fmt.Errorf("set-up code: %w", err)
	}
	return code.String(), nil
}

// SetupNeeded reports whether the site still has no administrator.
func (s *Service) SetupNeeded(ctx context.Context) (bool, error) {
	n, err := s.store.CountStaffWithRole(ctx, news.RoleAdmin)
	return n == 0, err
}

// Setup creates the first administrator, given the set-up code, and signs
// them in. Wrong codes are throttled per address as wrong passwords are;
// once there is an administrator it is ErrSetupDone, and the code is
// spent.
func (s *Service) Setup(ctx context.Context, code string, n NewStaff, password, again string, from Client) (*SignedIn, error) {
	if needed, err := s.SetupNeeded(ctx); err != nil {
		return nil, err
	} else if !needed {
		return nil, ErrSetupDone
	}
	now := s.clock.Now()
	address := addressLimit(from.IP)
	if err := s.throttlePasswords(ctx, now, "Too many wrong codes from your address. Try again in %s.", address); err != nil {
		return nil, err
	}
	stored, ok, err := s.store.Setting(ctx, setupKey)
	if err != nil {
		return nil, err
	}
	given := auth.HashToken(strings.ToUpper(strings.TrimSpace(code)))
	if !ok || stored == "" || subtle.ConstantTimeCompare([]byte(stored), []byte(given)) != 1 {
		if err := s.store.RecordLoginFailure(ctx, now, address.key); err != nil {
			return nil, err
		}
		return nil, news.FieldErrors{"code": "That is not the set-up code. Copy it from the server's log (it changes each time the server starts)."}
	}
	if password != again {
		return nil, news.FieldErrors{"password": "The two passwords are not the same."}
	}
	n.Role = news.RoleAdmin
	u, err := s.CreateStaff(ctx, n, password)
	var taken *EmailTakenError
	if errors.As(err, &taken) {
		return nil, news.FieldErrors{"email": "An account already uses that address."}
	}
	if err != nil {
		return nil, err
	}
	if err := s.store.SetSetting(ctx, setupKey, ""); err != nil {
		return nil, err
	}
	return s.startSession(ctx, u, from)
}
