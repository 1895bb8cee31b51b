package store

// Sessions: signed-in browsers, sign-in failures, and application
// passwords (the REST API's credentials).

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"masthead/internal/news"
)

// CreateAppPassword stores a new application password by its hash.
func (s *Store) CreateAppPassword(ctx context.Context, userID int64, name, hash string) (int64, error) {
	id, err := s.insert(ctx, s.write, `INSERT INTO app_passwords (user_id, name, hash, created_at) VALUES (?, ?, ?, ?)`,
		userID, name, hash, s.clock.Now())
	if err != nil {
		return 0, fmt.Errorf("create application password: %w", err)
	}
	return id, nil
}

// AppPasswords lists a member of staff's application passwords, newest
// first.
func (s *Store) AppPasswords(ctx context.Context, userID int64) ([]news.AppPassword, error) {
	rows, err := s.queryRows(ctx, s.read, `SELECT id, user_id, name, created_at, last_used_at, last_ip FROM app_passwords
		WHERE user_id = ? ORDER BY created_at DESC, id DESC`, userID)
	if err != nil {
		return nil, fmt.Errorf("list application passwords: %w", err)
	}
	defer rows.Close()
	var out []news.AppPassword
	for rows.Next() {
		var p news.AppPassword
		var created, used nullTime
		if err := rows.Scan(&p.ID, &p.StaffID, &p.Name, &created, &used, &p.LastIP); err != nil {
			return nil, err
		}
		p.CreatedAt, p.LastUsedAt = created.Time, used.Time
		out = append(out, p)
	}
	return out, rows.Err()
}

// RevokeAppPassword deletes one of a member of staff's application
// passwords; news.ErrNotFound if they have no such password.
func (s *Store) RevokeAppPassword(ctx context.Context, userID, id int64) error {
	res, err := s.exec(ctx, s.write, `DELETE FROM app_passwords WHERE id = ? AND user_id = ?`, id, userID)
	if err != nil {
		return fmt.Errorf("revoke application password: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return news.ErrNotFound
	}
	return nil
}

// AppPasswordStaff finds the active account an application password (by
// hash) belongs to, and notes its use; news.ErrNotFound for none.
func (s *Store) AppPasswordStaff(ctx context.Context, hash, ip string, now time.Time) (*news.Staff, error) {
	var a news.Staff
	var id int64
	err := s.queryRow(ctx, s.read, `SELECT `+authorColumns+`, p.id FROM app_passwords p JOIN users u ON u.id = p.user_id
		WHERE p.hash = ? AND NOT u.disabled`, hash).Scan(append(authorDest(&a), &id)...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, news.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("check application password: %w", err)
	}
	if _, err := s.exec(ctx, s.write, `UPDATE app_passwords SET last_used_at = ?, last_ip = ? WHERE id = ?`, now, ip, id); err != nil {
		return nil, fmt.Errorf("note application password use: %w", err)
	}
	return &a, nil
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

// SignStaffOut ends every session and application password of an
// account, in one transaction.
func (s *Store) SignStaffOut(ctx context.Context, userID int64) error {
	return s.inTx(ctx, func(tx *sql.Tx) error { return s.endAccess(ctx, tx, userID) })
}

// endAccess ends an account's sessions and application passwords.
func (s *Store) endAccess(ctx context.Context, tx *sql.Tx, userID int64) error {
	if _, err := s.exec(ctx, tx, `DELETE FROM sessions WHERE user_id = ?`, userID); err != nil {
		return fmt.Errorf("end sessions of user %d: %w", userID, err)
	}
	if _, err := s.exec(ctx, tx, `DELETE FROM app_passwords WHERE user_id = ?`, userID); err != nil {
		return fmt.Errorf("revoke application passwords of user %d: %w", userID, err)
	}
	return nil
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
