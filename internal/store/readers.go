package store

// Readers: reader accounts, their one-time sign-in and change-of-address
// links, sessions and sign-in history, and what an account owns of the
// comments.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"masthead/internal/news"
)

// ReaderLink is a one-time link as stored: by the hash of its token, with
// the hash of the value the asking browser keeps in its cookie.
type ReaderLink struct {
	TokenHash   string
	Purpose     string // "signin" or "email"
	Email       string // the address signed in as, or moved to
	ReaderID    int64  // "email": the account that moves; 0 otherwise
	BrowserHash string
	ExpiresAt   time.Time
}

// ReaderSessionStart is the session a spent sign-in link starts.
type ReaderSessionStart struct {
	TokenHash string
	ExpiresAt time.Time
	IP        string
	UserAgent string
}

// keptSignIns is how many sign-ins an account's history keeps.
const keptSignIns = 20

// CreateReaderLink stores a one-time link, and forgets links that
// expired more than a day ago.
func (s *Store) CreateReaderLink(ctx context.Context, l ReaderLink) error {
	now := s.clock.Now()
	var reader any
	if l.ReaderID != 0 {
		reader = l.ReaderID
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := s.exec(ctx, tx, `DELETE FROM reader_links WHERE expires_at < ?`, now.Add(-24*time.Hour)); err != nil {
			return err
		}
		_, err := s.exec(ctx, tx, `INSERT INTO reader_links (token_hash, purpose, email, reader_id, browser_hash, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, l.TokenHash, l.Purpose, l.Email, reader, l.BrowserHash, now, l.ExpiresAt)
		return err
	})
	if err != nil {
		return fmt.Errorf("create reader %s link: %w", l.Purpose, err)
	}
	return nil
}

// ReaderLink loads a live link (unspent, unexpired, for purpose);
// news.ErrNotFound otherwise.
func (s *Store) ReaderLink(ctx context.Context, tokenHash, purpose string, now time.Time) (*ReaderLink, error) {
	l := ReaderLink{TokenHash: tokenHash, Purpose: purpose}
	var reader sql.NullInt64
	var exp nullTime
	err := s.queryRow(ctx, s.read, `SELECT email, reader_id, browser_hash, expires_at FROM reader_links
		WHERE token_hash = ? AND purpose = ? AND used_at IS NULL AND expires_at > ?`, tokenHash, purpose, now).
		Scan(&l.Email, &reader, &l.BrowserHash, &exp)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, news.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load reader link: %w", err)
	}
	l.ReaderID, l.ExpiresAt = reader.Int64, exp.Time
	return &l, nil
}

// spendReaderLink marks a live link of purpose, asked for by the browser
// with browserHash, as used, and returns it; news.ErrNotFound when there
// is no such link (spent by a request that got there first, expired, or
// from another browser).
func (s *Store) spendReaderLink(ctx context.Context, tx *sql.Tx, tokenHash, purpose, browserHash string, now time.Time) (email string, readerID int64, err error) {
	res, err := s.exec(ctx, tx, `UPDATE reader_links SET used_at = ?
		WHERE token_hash = ? AND purpose = ? AND browser_hash = ? AND used_at IS NULL AND expires_at > ?`,
		now, tokenHash, purpose, browserHash, now)
	if err != nil {
		return "", 0, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return "", 0, news.ErrNotFound
	}
	var reader sql.NullInt64
	err = s.queryRow(ctx, tx, `SELECT email, reader_id FROM reader_links WHERE token_hash = ?`, tokenHash).Scan(&email, &reader)
	return email, reader.Int64, err
}

const readerColumns = `r.id, r.email, r.name, r.created_at, r.account_at`

func scanReader(sc interface{ Scan(...any) error }, extra ...any) (*news.Reader, error) {
	var r news.Reader
	var created, account nullTime
	if err := sc.Scan(append([]any{&r.ID, &r.Email, &r.Name, &created, &account}, extra...)...); err != nil {
		return nil, err
	}
	r.CreatedAt, r.AccountAt = created.Time, account.Time
	return &r, nil
}

// ReaderByEmail loads the reader with an address; news.ErrNotFound for
// none.
func (s *Store) ReaderByEmail(ctx context.Context, email string) (*news.Reader, error) {
	return s.loadReader(ctx, `r.email = ?`, email)
}

// SignInReaderByLink spends a sign-in link and signs its address in, in
// one transaction: the reader is created, or given an account, if need be
// (named name when it has no name yet); the address's comments from before
// its account join it; the session starts and the sign-in is recorded.
// news.ErrNotFound when the link is not live for this browser at now.
func (s *Store) SignInReaderByLink(ctx context.Context, tokenHash, browserHash, name string, sess ReaderSessionStart, now time.Time) (*news.Reader, error) {
	var reader *news.Reader
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		email, _, err := s.spendReaderLink(ctx, tx, tokenHash, "signin", browserHash, now)
		if err != nil {
			return err
		}
		reader, err = scanReader(s.queryRow(ctx, tx, `SELECT `+readerColumns+` FROM readers r WHERE r.email = ?`, email))
		switch {
		case errors.Is(err, sql.ErrNoRows):
			reader = &news.Reader{Email: email, Name: name, CreatedAt: now, AccountAt: now}
			if reader.ID, err = s.insert(ctx, tx, `INSERT INTO readers (email, name, created_at, account_at) VALUES (?, ?, ?, ?)`,
				email, name, now, now); err != nil {
				return err
			}
		case err != nil:
			return err
		case !reader.HasAccount() || reader.Name == "":
			if reader.Name == "" {
				reader.Name = name
			}
			if !reader.HasAccount() {
				reader.AccountAt = now
			}
			if _, err := s.exec(ctx, tx, `UPDATE readers SET account_at = ?, name = ? WHERE id = ?`, reader.AccountAt, reader.Name, reader.ID); err != nil {
				return err
			}
		}
		if _, err := s.exec(ctx, tx, `UPDATE comments SET reader_id = ? WHERE email = ? AND reader_id IS NULL AND NOT is_staff`, reader.ID, email); err != nil {
			return err
		}
		return s.startReaderSession(ctx, tx, reader.ID, sess, now)
	})
	if err != nil {
		return nil, fmt.Errorf("sign reader in: %w", err)
	}
	return reader, nil
}

// startReaderSession records a session and a sign-in, forgetting the
// account's expired sessions and all but its latest sign-ins.
func (s *Store) startReaderSession(ctx context.Context, tx *sql.Tx, readerID int64, sess ReaderSessionStart, now time.Time) error {
	if _, err := s.exec(ctx, tx, `DELETE FROM reader_sessions WHERE reader_id = ? AND expires_at <= ?`, readerID, now); err != nil {
		return err
	}
	if _, err := s.exec(ctx, tx, `INSERT INTO reader_sessions (token_hash, reader_id, created_at, expires_at, ip, user_agent) VALUES (?, ?, ?, ?, ?, ?)`,
		sess.TokenHash, readerID, now, sess.ExpiresAt, sess.IP, sess.UserAgent); err != nil {
		return err
	}
	if _, err := s.exec(ctx, tx, `INSERT INTO reader_signins (reader_id, signed_in_at, ip, user_agent) VALUES (?, ?, ?, ?)`,
		readerID, now, sess.IP, sess.UserAgent); err != nil {
		return err
	}
	_, err := s.exec(ctx, tx, `DELETE FROM reader_signins WHERE reader_id = ? AND id NOT IN
		(SELECT id FROM reader_signins WHERE reader_id = ? ORDER BY signed_in_at DESC, id DESC LIMIT ?)`, readerID, readerID, keptSignIns)
	return err
}

// ChangeReaderEmailByLink spends a change-of-address link and moves its
// account to the link's address, returning the account as it was. An
// address known without an account (a reader who never signed in) gives
// way; one with an account is news.ErrConflict and the link stays
// unspent. news.ErrNotFound when the link is not live for this browser at
// now.
func (s *Store) ChangeReaderEmailByLink(ctx context.Context, tokenHash, browserHash string, now time.Time) (before *news.Reader, email string, err error) {
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		var readerID int64
		if email, readerID, err = s.spendReaderLink(ctx, tx, tokenHash, "email", browserHash, now); err != nil {
			return err
		}
		if before, err = scanReader(s.queryRow(ctx, tx, `SELECT `+readerColumns+` FROM readers r WHERE r.id = ?`, readerID)); err != nil {
			return err
		}
		var account sql.NullString
		var other int64
		switch err := s.queryRow(ctx, tx, `SELECT id, account_at FROM readers WHERE email = ? AND id <> ?`, email, readerID).Scan(&other, &account); {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return err
		case account.Valid:
			return news.ErrConflict
		default:
			if _, err := s.exec(ctx, tx, `DELETE FROM readers WHERE id = ?`, other); err != nil {
				return err
			}
		}
		_, err := s.exec(ctx, tx, `UPDATE readers SET email = ? WHERE id = ?`, email, readerID)
		return err
	})
	if errors.Is(err, sql.ErrNoRows) {
		err = news.ErrNotFound // the account was deleted after asking
	}
	if err != nil {
		return nil, "", fmt.Errorf("change reader email: %w", err)
	}
	return before, email, nil
}

// ReaderSessionByToken finds an unexpired session of an account.
func (s *Store) ReaderSessionByToken(ctx context.Context, tokenHash string, now time.Time) (*news.ReaderSession, error) {
	var exp nullTime
	r, err := scanReader(s.queryRow(ctx, s.read, `SELECT `+readerColumns+`, se.expires_at FROM reader_sessions se JOIN readers r ON r.id = se.reader_id
		WHERE se.token_hash = ? AND se.expires_at > ? AND r.account_at IS NOT NULL`, tokenHash, now), &exp)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, news.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load reader session: %w", err)
	}
	return &news.ReaderSession{Reader: r, TokenHash: tokenHash, ExpiresAt: exp.Time}, nil
}

// DeleteReaderSession signs one browser out.
func (s *Store) DeleteReaderSession(ctx context.Context, tokenHash string) error {
	if _, err := s.exec(ctx, s.write, `DELETE FROM reader_sessions WHERE token_hash = ?`, tokenHash); err != nil {
		return fmt.Errorf("end reader session: %w", err)
	}
	return nil
}

// SetReaderName changes the name a reader signs comments with.
func (s *Store) SetReaderName(ctx context.Context, readerID int64, name string) error {
	if _, err := s.exec(ctx, s.write, `UPDATE readers SET name = ? WHERE id = ?`, name, readerID); err != nil {
		return fmt.Errorf("rename reader %d: %w", readerID, err)
	}
	return nil
}

// readerComments selects a reader's comments (of the comments table
// named c, or unnamed): those of the account, and any other reader comment
// under its address (its owner proved the address by signing in).
func readerComments(c string) string {
	return `(` + c + `reader_id = ? OR (` + c + `email = ? AND NOT ` + c + `is_staff))`
}

// ReaderComments lists a reader's comments, newest first. A comment held
// by the spam check is reported as pending, as on the article.
func (s *Store) ReaderComments(ctx context.Context, r *news.Reader) ([]news.ReaderComment, error) {
	rows, err := s.queryRows(ctx, s.read, `SELECT c.id, c.article_id, COALESCE(c.parent_id, 0), c.name, c.email, c.website, c.body, c.status,
		c.created_at, a.headline, COALESCE(a.path, ''), a.status
		FROM comments c JOIN articles a ON a.id = c.article_id WHERE `+readerComments("c.")+`
		ORDER BY c.created_at DESC, c.id DESC`, r.ID, r.Email)
	if err != nil {
		return nil, fmt.Errorf("list reader %d's comments: %w", r.ID, err)
	}
	defer rows.Close()
	var out []news.ReaderComment
	for rows.Next() {
		var rc news.ReaderComment
		var c news.Comment
		var articleStatus news.Status
		var at nullTime
		if err := rows.Scan(&c.ID, &c.ArticleID, &c.ParentID, &c.Name, &c.Email, &c.Website, &c.Body, &c.Status, &at,
			&rc.Headline, &rc.Path, &articleStatus); err != nil {
			return nil, fmt.Errorf("list reader %d's comments: %w", r.ID, err)
		}
		c.CreatedAt = at.Time
		if c.Status == news.CommentSpam {
			c.Status = news.CommentPending
		}
		rc.Comment = &c
		rc.Public = c.Status == news.CommentApproved && articleStatus == news.StatusPublished && rc.Path != ""
		out = append(out, rc)
	}
	return out, rows.Err()
}

// HasApprovedReaderComment reports whether an account has had a comment
// approved.
func (s *Store) HasApprovedReaderComment(ctx context.Context, readerID int64) (bool, error) {
	var n int
	err := s.queryRow(ctx, s.read, `SELECT COUNT(*) FROM comments WHERE reader_id = ? AND status = 'approved' AND NOT is_staff`, readerID).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("check reader's approved comments: %w", err)
	}
	return n > 0, nil
}

// ReaderSignIns lists an account's latest sign-ins, newest first.
func (s *Store) ReaderSignIns(ctx context.Context, readerID int64) ([]news.ReaderSignIn, error) {
	rows, err := s.queryRows(ctx, s.read, `SELECT signed_in_at, ip, user_agent FROM reader_signins WHERE reader_id = ?
		ORDER BY signed_in_at DESC, id DESC`, readerID)
	if err != nil {
		return nil, fmt.Errorf("list reader sign-ins: %w", err)
	}
	defer rows.Close()
	var out []news.ReaderSignIn
	for rows.Next() {
		var in news.ReaderSignIn
		var at nullTime
		if err := rows.Scan(&at, &in.IP, &in.UserAgent); err != nil {
			return nil, err
		}
		in.At = at.Time
		out = append(out, in)
	}
	return out, rows.Err()
}

// DeleteReader deletes a reader's account with everything hanging off it
// (sessions, links, sign-ins), in one transaction. Its comments (as
// ReaderComments selects them) are deleted, or, with keepComments, kept
// signed news.DeletedReaderName with the email, website, address and
// browser removed.
func (s *Store) DeleteReader(ctx context.Context, r *news.Reader, keepComments bool) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		q := `DELETE FROM comments WHERE ` + readerComments("")
		args := []any{r.ID, r.Email}
		if keepComments {
			q = `UPDATE comments SET name = ?, email = '', website = '', ip = '', user_agent = '', reader_id = NULL WHERE ` + readerComments("")
			args = append([]any{news.DeletedReaderName}, args...)
		}
		if _, err := s.exec(ctx, tx, q, args...); err != nil {
			return err
		}
		_, err := s.exec(ctx, tx, `DELETE FROM readers WHERE id = ?`, r.ID)
		return err
	})
	if err != nil {
		return fmt.Errorf("delete reader %d: %w", r.ID, err)
	}
	return nil
}

// ReaderByID loads a reader; news.ErrNotFound for none.
func (s *Store) ReaderByID(ctx context.Context, id int64) (*news.Reader, error) {
	return s.loadReader(ctx, `r.id = ?`, id)
}

func (s *Store) loadReader(ctx context.Context, cond string, arg any) (*news.Reader, error) {
	r, err := scanReader(s.queryRow(ctx, s.read, `SELECT `+readerColumns+` FROM readers r WHERE `+cond, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, news.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load reader: %w", err)
	}
	return r, nil
}
