package store

// Staff: the members of the newsroom, their accounts and one-time links.

import (
	"context"
	"database/sql"
	"encoding/json"
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

// SetStaffPassword stores a new password hash and ends everything the old
// one let in, in one transaction (see endCredentials).
func (s *Store) SetStaffPassword(ctx context.Context, userID int64, hash string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := s.exec(ctx, tx, `UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?`, hash, s.clock.Now(), userID); err != nil {
			return fmt.Errorf("set password of user %d: %w", userID, err)
		}
		return s.endCredentials(ctx, tx, userID)
	})
}

// endCredentials ends what a password change must end for an account: its
// sessions, its application passwords and its outstanding one-time links.
func (s *Store) endCredentials(ctx context.Context, tx *sql.Tx, userID int64) error {
	if err := s.endAccess(ctx, tx, userID); err != nil {
		return err
	}
	if _, err := s.exec(ctx, tx, `DELETE FROM user_tokens WHERE user_id = ? AND used_at IS NULL`, userID); err != nil {
		return fmt.Errorf("end one-time links of user %d: %w", userID, err)
	}
	return nil
}

// UpdateStaff changes an account's profile and role.
func (s *Store) UpdateStaff(ctx context.Context, a *news.Staff) error {
	_, err := s.exec(ctx, s.write, `UPDATE users SET name = ?, role = ?, job_title = ?, bio = ?, photo_url = ?, links = ?, updated_at = ? WHERE id = ?`,
		a.Name, a.Role, a.JobTitle, a.Bio, a.PhotoURL, linksText(a.Links), s.clock.Now(), a.ID)
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

// CreateStaffToken stores a one-time token (by hash) for a password reset or
// an invitation, and ends the account's outstanding tokens of the same
// purpose: only the latest link sent works.
func (s *Store) CreateStaffToken(ctx context.Context, tokenHash string, userID int64, purpose string, expires time.Time) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := s.exec(ctx, tx, `DELETE FROM user_tokens WHERE user_id = ? AND purpose = ? AND used_at IS NULL`, userID, purpose); err != nil {
			return err
		}
		_, err := s.exec(ctx, tx, `INSERT INTO user_tokens (token_hash, user_id, purpose, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
			tokenHash, userID, purpose, s.clock.Now(), expires)
		return err
	})
	if err != nil {
		return fmt.Errorf("create %s token: %w", purpose, err)
	}
	return nil
}

// liveToken selects the account of a live one-time token: unspent,
// unexpired, for its purpose, of an active account — and, for an
// invitation, of an account that has no password yet (an invitation only
// ever sets the first one).
const liveToken = `SELECT t.user_id FROM user_tokens t JOIN users u ON u.id = t.user_id
	WHERE t.token_hash = ? AND t.purpose = ? AND t.used_at IS NULL AND t.expires_at > ?
	  AND NOT u.disabled AND (t.purpose <> 'invite' OR u.password_hash = '')`

// SetStaffPasswordByToken spends a live one-time token and sets its
// account's password, ending everything the old one let in and the
// account's other links (see endCredentials), in one transaction. It
// returns the account, or news.ErrNotFound when the token is not live — or
// stopped being live while this waited for another request setting the
// same account's password.
func (s *Store) SetStaffPasswordByToken(ctx context.Context, tokenHash, purpose string, now time.Time, hash string) (int64, error) {
	var userID int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		err := s.queryRow(ctx, tx, liveToken, tokenHash, purpose, now).Scan(&userID)
		if errors.Is(err, sql.ErrNoRows) {
			return news.ErrNotFound
		}
		if err != nil {
			return err
		}
		// Writing the account first makes two links of one account, used
		// at once, take turns: the second then finds its link ended below.
		if _, err := s.exec(ctx, tx, `UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?`, hash, now, userID); err != nil {
			return err
		}
		res, err := s.exec(ctx, tx, `UPDATE user_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL`, now, tokenHash)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			if err != nil {
				return err
			}
			return news.ErrNotFound
		}
		return s.endCredentials(ctx, tx, userID)
	})
	if err != nil && !errors.Is(err, news.ErrNotFound) {
		return 0, fmt.Errorf("set password by %s token: %w", purpose, err)
	}
	return userID, err
}

// PeekStaffToken checks a token without spending it (to show the form).
func (s *Store) PeekStaffToken(ctx context.Context, tokenHash, purpose string, now time.Time) (int64, error) {
	var userID int64
	err := s.queryRow(ctx, s.read, liveToken, tokenHash, purpose, now).Scan(&userID)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, news.ErrNotFound
	}
	if err != nil {
		return 0, fmt.Errorf("check %s token: %w", purpose, err)
	}
	return userID, nil
}

const authorColumns = `u.id, u.slug, u.name, u.email, u.role, u.job_title, u.bio, u.photo_url, u.links`

func scanAuthor(sc interface{ Scan(...any) error }, a *news.Staff) error {
	return sc.Scan(authorDest(a)...)
}

// authorDest lists where the columns of authorColumns scan to, so queries
// that select more after them can append their own destinations.
func authorDest(a *news.Staff) []any {
	return []any{&a.ID, &a.Slug, &a.Name, &a.Email, &a.Role, &a.JobTitle, &a.Bio, &a.PhotoURL, linksColumn{&a.Links}}
}

// linksColumn reads and writes users.links: a member of staff's links as
// a JSON object, empty for none.
type linksColumn struct{ l *news.SocialLinks }

func (c linksColumn) Scan(v any) error {
	var b []byte
	switch v := v.(type) {
	case string:
		b = []byte(v)
	case []byte:
		b = v
	}
	*c.l = news.SocialLinks{}
	if len(b) == 0 {
		return nil
	}
	return json.Unmarshal(b, c.l)
}

// linksText is what users.links holds for l.
func linksText(l news.SocialLinks) string {
	if l == (news.SocialLinks{}) {
		return ""
	}
	b, _ := json.Marshal(l) // strings only: cannot fail
	return string(b)
}

// scanAuthors reads rows of authorColumns, closing them.
func scanAuthors(rows *sql.Rows) ([]news.Staff, error) {
	defer rows.Close()
	var out []news.Staff
	for rows.Next() {
		var a news.Staff
		if err := scanAuthor(rows, &a); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// CreateStaff adds a member of staff. Email and slug must be unique.
func (s *Store) CreateStaff(ctx context.Context, a *news.Staff) error {
	now := s.clock.Now()
	id, err := s.insert(ctx, s.write, `INSERT INTO users (email, name, slug, role, job_title, bio, photo_url, links, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		strings.ToLower(a.Email), a.Name, a.Slug, a.Role, a.JobTitle, a.Bio, a.PhotoURL, linksText(a.Links), now, now)
	if isUniqueViolation(err) {
		return fmt.Errorf("create author %q: %w", a.Email, news.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("create author %q: %w", a.Email, err)
	}
	a.ID = id
	return nil
}

// StaffBySlug finds a member of staff by the slug of their public page.
func (s *Store) StaffBySlug(ctx context.Context, slug string) (*news.Staff, error) {
	var a news.Staff
	// Deactivated staff keep their author page: their published work stays.
	err := scanAuthor(s.queryRow(ctx, s.read, `SELECT `+authorColumns+` FROM users u WHERE u.slug = ?`, slug), &a)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, news.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load author %q: %w", slug, err)
	}
	return &a, nil
}

// BylinedStaff lists staff with at least one published article, by name.
// Each one's articles are read newest first until a published one is
// found. As an EXISTS, PostgreSQL read every byline of every author from
// the index (231,000 at 200,000 stories: 25 ms of CPU for each search
// page, whose form lists them); a subquery with LIMIT is run as written.
func (s *Store) BylinedStaff(ctx context.Context) ([]news.Staff, error) {
	rows, err := s.queryRows(ctx, s.read, `SELECT `+authorColumns+` FROM users u
		WHERE (SELECT 1 FROM article_authors aa JOIN articles a ON a.id = aa.article_id
		       WHERE aa.user_id = u.id AND a.status = 'published' ORDER BY aa.article_id DESC LIMIT 1) IS NOT NULL
		ORDER BY u.name`)
	if err != nil {
		return nil, fmt.Errorf("list authors: %w", err)
	}
	return scanAuthors(rows)
}

// AllStaff lists every account, disabled ones too, by id.
func (s *Store) AllStaff(ctx context.Context) ([]news.Staff, error) {
	rows, err := s.queryRows(ctx, s.read, `SELECT `+authorColumns+` FROM users u ORDER BY u.id`)
	if err != nil {
		return nil, fmt.Errorf("list staff: %w", err)
	}
	return scanAuthors(rows)
}

// StaffSlugTaken reports whether a staff slug is in use.
func (s *Store) StaffSlugTaken(ctx context.Context, slug string) (bool, error) {
	var n int
	if err := s.queryRow(ctx, s.read, `SELECT COUNT(*) FROM users WHERE slug = ?`, slug).Scan(&n); err != nil {
		return false, fmt.Errorf("check staff slug: %w", err)
	}
	return n > 0, nil
}

// StaffByEmail finds any account (even one without a password yet) by
// email.
func (s *Store) StaffByEmail(ctx context.Context, email string) (*news.Staff, error) {
	var a news.Staff
	err := scanAuthor(s.queryRow(ctx, s.read, `SELECT `+authorColumns+` FROM users u WHERE u.email = ?`, strings.ToLower(strings.TrimSpace(email))), &a)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, news.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("find staff by email: %w", err)
	}
	return &a, nil
}

// SetStaffActive deactivates account id (ending its sessions, application
// passwords and one-time links in the same transaction) or makes it active
// again; news.ErrNotFound when there is no such account.
func (s *Store) SetStaffActive(ctx context.Context, id int64, active bool) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := s.exec(ctx, tx, `UPDATE users SET disabled = ?, updated_at = ? WHERE id = ?`, !active, s.clock.Now(), id)
		if err != nil {
			return fmt.Errorf("set user %d active=%v: %w", id, active, err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return errors.Join(err, news.ErrNotFound)
		}
		if active {
			return nil
		}
		return s.endCredentials(ctx, tx, id)
	})
}

// DeactivatedStaff lists the accounts that have been deactivated, by name.
func (s *Store) DeactivatedStaff(ctx context.Context) ([]news.Staff, error) {
	rows, err := s.queryRows(ctx, s.read, `SELECT `+authorColumns+` FROM users u WHERE u.disabled ORDER BY u.name`)
	if err != nil {
		return nil, fmt.Errorf("list deactivated staff: %w", err)
	}
	return scanAuthors(rows)
}

// unpublishedWork selects a member of staff's unpublished work (the two
// arguments are their id): articles never published nor scheduled —
// drafts and articles in review — that they started or carry their
// byline. Published, scheduled and withdrawn work keeps its byline.
const unpublishedWork = `a.status IN ('draft', 'review') AND a.published_at IS NULL
	AND (a.created_by = ? OR EXISTS (SELECT 1 FROM article_authors aa WHERE aa.article_id = a.id AND aa.user_id = ?))`

// UnpublishedWork lists userID's unpublished work, most recently changed
// first: id, headline and status only.
func (s *Store) UnpublishedWork(ctx context.Context, userID int64) ([]*news.Article, error) {
	rows, err := s.queryRows(ctx, s.read, `SELECT a.id, a.headline, a.status FROM articles a WHERE `+unpublishedWork+`
		ORDER BY a.modified_at DESC, a.id DESC`, userID, userID)
	if err != nil {
		return nil, fmt.Errorf("unpublished work of %d: %w", userID, err)
	}
	defer rows.Close()
	var out []*news.Article
	for rows.Next() {
		a := &news.Article{}
		if err := rows.Scan(&a.ID, &a.Headline, &a.Status); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// TransferWork hands from's unpublished work to to: on each article to's
// byline takes the place of from's, to takes over what from started, and
// the article's history records the handover by by, with note. One
// transaction; it returns how many articles moved.
func (s *Store) TransferWork(ctx context.Context, from, to, by int64, note string) (int, error) {
	now := s.clock.Now()
	n := 0
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		rows, err := s.queryRows(ctx, tx, `SELECT a.id, a.status FROM articles a WHERE `+unpublishedWork+` ORDER BY a.id`, from, from)
		if err != nil {
			return err
		}
		type work struct {
			id     int64
			status news.Status
		}
		var list []work
		for rows.Next() {
			var w work
			if err := rows.Scan(&w.id, &w.status); err != nil {
				rows.Close()
				return err
			}
			list = append(list, w)
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return err
		}
		for _, w := range list {
			var pos int
			err := s.queryRow(ctx, tx, `SELECT position FROM article_authors WHERE article_id = ? AND user_id = ?`, w.id, from).Scan(&pos)
			switch {
			case err == nil:
				if _, err := s.exec(ctx, tx, `DELETE FROM article_authors WHERE article_id = ? AND user_id = ?`, w.id, from); err != nil {
					return err
				}
				if _, err := s.exec(ctx, tx, `INSERT INTO article_authors (article_id, user_id, position)
					SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM article_authors WHERE article_id = ? AND user_id = ?)`,
					w.id, to, pos, w.id, to); err != nil {
					return err
				}
			case !errors.Is(err, sql.ErrNoRows):
				return err
			}
			if _, err := s.exec(ctx, tx, `UPDATE articles SET created_by = ? WHERE id = ? AND created_by = ?`, to, w.id, from); err != nil {
				return err
			}
			if err := s.addEvent(ctx, tx, w.id, by, "transfer", w.status, w.status, note, now); err != nil {
				return err
			}
		}
		n = len(list)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("transfer the work of %d to %d: %w", from, to, err)
	}
	return n, nil
}
