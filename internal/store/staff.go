package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"masthead/internal/news"
)

// Staff lists every account, by name.
func (s *Store) Staff(ctx context.Context) ([]news.Staff, error) {
	rows, err := s.queryRows(ctx, s.read, `SELECT `+authorColumns+` FROM users u WHERE NOT u.disabled ORDER BY u.name`)
	if err != nil {
		return nil, fmt.Errorf("list staff: %w", err)
	}
	return scanAuthors(rows)
}

// StaffByID loads an active account by id.
func (s *Store) StaffByID(ctx context.Context, id int64) (*news.Staff, error) {
	var a news.Staff
	err := scanAuthor(s.queryRow(ctx, s.read, `SELECT `+authorColumns+` FROM users u WHERE u.id = ? AND NOT u.disabled`, id), &a)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, news.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load user %d: %w", id, err)
	}
	return &a, nil
}

// StaffCredentials returns an active account and its password hash by email
// (news.ErrNotFound when there is none).
func (s *Store) StaffCredentials(ctx context.Context, email string) (*news.Staff, string, error) {
	var a news.Staff
	var hash string
	err := s.queryRow(ctx, s.read, `SELECT `+authorColumns+`, u.password_hash FROM users u WHERE u.email = ? AND NOT u.disabled`,
		strings.ToLower(strings.TrimSpace(email))).Scan(append(authorDest(&a), &hash)...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", news.ErrNotFound
	}
	if err != nil {
		return nil, "", fmt.Errorf("load credentials: %w", err)
	}
	return &a, hash, nil
}

// SetStaffPassword stores a new password hash and signs the account out
// everywhere, in one transaction.
func (s *Store) SetStaffPassword(ctx context.Context, userID int64, hash string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := s.exec(ctx, tx, `UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?`, hash, s.clock.Now(), userID); err != nil {
			return fmt.Errorf("set password of user %d: %w", userID, err)
		}
		_, err := s.exec(ctx, tx, `DELETE FROM sessions WHERE user_id = ?`, userID)
		return err
	})
}

// UpdateStaff changes an account's profile and role.
func (s *Store) UpdateStaff(ctx context.Context, a *news.Staff) error {
	_, err := s.exec(ctx, s.write, `UPDATE users SET name = ?, role = ?, job_title = ?, bio = ?, photo_url = ?, updated_at = ? WHERE id = ?`,
		a.Name, a.Role, a.JobTitle, a.Bio, a.PhotoURL, s.clock.Now(), a.ID)
	if err != nil {
		return fmt.Errorf("update user %d: %w", a.ID, err)
	}
	return nil
}

// CountStaffWithRole counts active accounts with a role.
func (s *Store) CountStaffWithRole(ctx context.Context, role news.Role) (int, error) {
	var n int
	err := s.queryRow(ctx, s.read, `SELECT COUNT(*) FROM users WHERE role = ? AND NOT disabled`, role).Scan(&n)
	return n, err
}

// CreateSession records a new sign-in.
func (s *Store) CreateSession(ctx context.Context, tokenHash string, userID int64, expires time.Time, ip, userAgent string) error {
	now := s.clock.Now()
	_, err := s.exec(ctx, s.write, `INSERT INTO sessions (token_hash, user_id, created_at, expires_at, last_seen_at, ip, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		tokenHash, userID, now, expires, now, ip, userAgent)
	if err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

// SessionByToken finds an unexpired session and its (active) account.
func (s *Store) SessionByToken(ctx context.Context, tokenHash string, now time.Time) (*news.Session, error) {
	var a news.Staff
	var exp nullTime
	err := s.queryRow(ctx, s.read, `SELECT `+authorColumns+`, se.expires_at FROM sessions se JOIN users u ON u.id = se.user_id
		WHERE se.token_hash = ? AND se.expires_at > ? AND NOT u.disabled`, tokenHash, now).
		Scan(append(authorDest(&a), &exp)...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, news.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load session: %w", err)
	}
	return &news.Session{Staff: &a, TokenHash: tokenHash, ExpiresAt: exp.Time}, nil
}

// DeleteSession signs one browser out.
func (s *Store) DeleteSession(ctx context.Context, tokenHash string) error {
	_, err := s.exec(ctx, s.write, `DELETE FROM sessions WHERE token_hash = ?`, tokenHash)
	return err
}

// DeleteStaffSessions signs an account out everywhere.
func (s *Store) DeleteStaffSessions(ctx context.Context, userID int64) error {
	_, err := s.exec(ctx, s.write, `DELETE FROM sessions WHERE user_id = ?`, userID)
	return err
}

// RecordLoginFailure counts a failed sign-in against each key (an email, an
// address), and forgets failures older than a day.
func (s *Store) RecordLoginFailure(ctx context.Context, now time.Time, keys ...string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		for _, k := range keys {
			if _, err := s.exec(ctx, tx, `INSERT INTO login_failures (key, failed_at) VALUES (?, ?)`, k, now); err != nil {
				return err
			}
		}
		_, err := s.exec(ctx, tx, `DELETE FROM login_failures WHERE failed_at < ?`, now.Add(-24*time.Hour))
		return err
	})
}

// LoginFailures counts failures for key since a moment, and the latest one.
func (s *Store) LoginFailures(ctx context.Context, key string, since time.Time) (int, time.Time, error) {
	var n int
	var last nullTime
	err := s.queryRow(ctx, s.read, `SELECT COUNT(*), MAX(failed_at) FROM login_failures WHERE key = ? AND failed_at >= ?`, key, since).Scan(&n, &last)
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("count login failures: %w", err)
	}
	return n, last.Time, nil
}

// ClearLoginFailures forgets failures for key after a successful sign-in.
func (s *Store) ClearLoginFailures(ctx context.Context, key string) error {
	_, err := s.exec(ctx, s.write, `DELETE FROM login_failures WHERE key = ?`, key)
	return err
}

// CreateStaffToken stores a one-time token (by hash) for a password reset or
// an invitation.
func (s *Store) CreateStaffToken(ctx context.Context, tokenHash string, userID int64, purpose string, expires time.Time) error {
	_, err := s.exec(ctx, s.write, `INSERT INTO user_tokens (token_hash, user_id, purpose, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
		tokenHash, userID, purpose, s.clock.Now(), expires)
	if err != nil {
		return fmt.Errorf("create %s token: %w", purpose, err)
	}
	return nil
}

// UseStaffToken spends a one-time token and returns its account, or
// news.ErrNotFound when it is unknown, used or expired.
func (s *Store) UseStaffToken(ctx context.Context, tokenHash, purpose string, now time.Time) (int64, error) {
	var userID int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		err := s.queryRow(ctx, tx, `SELECT user_id FROM user_tokens WHERE token_hash = ? AND purpose = ? AND used_at IS NULL AND expires_at > ?`,
			tokenHash, purpose, now).Scan(&userID)
		if errors.Is(err, sql.ErrNoRows) {
			return news.ErrNotFound
		}
		if err != nil {
			return err
		}
		_, err = s.exec(ctx, tx, `UPDATE user_tokens SET used_at = ? WHERE token_hash = ?`, now, tokenHash)
		return err
	})
	if err != nil && !errors.Is(err, news.ErrNotFound) {
		return 0, fmt.Errorf("use %s token: %w", purpose, err)
	}
	return userID, err
}

// PeekStaffToken checks a token without spending it (to show the form).
func (s *Store) PeekStaffToken(ctx context.Context, tokenHash, purpose string, now time.Time) (int64, error) {
	var userID int64
	err := s.queryRow(ctx, s.read, `SELECT user_id FROM user_tokens WHERE token_hash = ? AND purpose = ? AND used_at IS NULL AND expires_at > ?`,
		tokenHash, purpose, now).Scan(&userID)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, news.ErrNotFound
	}
	return userID, err
}
