package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"masthead/internal/news"
)

// BulkArticle is a published article with its comments, for InsertBatch.
type BulkArticle struct {
	Article  *news.Article
	Comments []*news.Comment // ParentID is an index+1 into Comments (0: top level), not an id
}

// InsertBatch stores prepared, published articles (Path set, bylines and
// tags by ID) with their comments in one transaction through prepared
// statements: the fast way in for synthetic archives and large imports.
// The change-log triggers run as for any write; callers loading a whole
// archive can follow up with ResetChanges.
func (s *Store) InsertBatch(ctx context.Context, batch []BulkArticle) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		prep := func(q string) (*sql.Stmt, error) { return tx.PrepareContext(ctx, s.q(q)) }
		insArticle, err := prep(`INSERT INTO articles (slug, path, headline, standfirst, body, body_html, word_count,
			section_id, status, featured, comments_open, lead_image_url, lead_image_alt, lead_image_caption,
			lead_image_credit, lead_image_width, lead_image_height, seo_title, seo_description,
			published_at, updated_at, created_at, modified_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`)
		if err != nil {
			return err
		}
		defer insArticle.Close()
		insByline, err := prep(`INSERT INTO article_authors (article_id, user_id, position) VALUES (?, ?, ?)`)
		if err != nil {
			return err
		}
		defer insByline.Close()
		insTag, err := prep(`INSERT INTO article_tags (article_id, tag_id) VALUES (?, ?)`)
		if err != nil {
			return err
		}
		defer insTag.Close()
		insSearch, err := prep(`INSERT INTO article_search (rowid, headline, standfirst, body, byline, tags) VALUES (?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer insSearch.Close()
		insComment, err := prep(`INSERT INTO comments (article_id, parent_id, name, email, website, body, status, is_staff, ip, user_agent, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`)
		if err != nil {
			return err
		}
		defer insComment.Close()

		now := time.Now()
		for _, b := range batch {
			a := b.Article
			if a.CreatedAt.IsZero() {
				a.CreatedAt = now
			}
			if a.ModifiedAt.IsZero() {
				a.ModifiedAt = a.LastModified()
			}
			var sectionID any
			if a.Section != nil {
				sectionID = a.Section.ID
			}
			img := news.Image{}
			if a.LeadImage != nil {
				img = *a.LeadImage
			}
			err := insArticle.QueryRowContext(ctx, s.args([]any{a.Slug, a.Path, a.Headline, a.Standfirst, a.Body, a.BodyHTML, a.WordCount,
				sectionID, a.Status, a.Featured, a.CommentsOpen, img.URL, img.Alt, img.Caption,
				img.Credit, img.Width, img.Height, a.SEOTitle, a.SEODescription,
				a.PublishedAt, a.UpdatedAt, a.CreatedAt, a.ModifiedAt})...).Scan(&a.ID)
			if err != nil {
				return fmt.Errorf("insert article %q: %w", a.Path, err)
			}
			names := make([]string, len(a.Authors))
			for i, au := range a.Authors {
				names[i] = au.Name
				if _, err := insByline.ExecContext(ctx, a.ID, au.ID, i); err != nil {
					return fmt.Errorf("byline of %q: %w", a.Path, err)
				}
			}
			tags := make([]string, len(a.Tags))
			for i, t := range a.Tags {
				tags[i] = t.Name
				if _, err := insTag.ExecContext(ctx, a.ID, t.ID); err != nil {
					return fmt.Errorf("tag of %q: %w", a.Path, err)
				}
			}
			if _, err := insSearch.ExecContext(ctx, a.ID, a.Headline, a.Standfirst, cmp.Or(a.BodyText, a.Body),
				strings.Join(names, ", "), strings.Join(tags, ", ")); err != nil {
				return fmt.Errorf("index %q: %w", a.Path, err)
			}
			ids := make([]int64, len(b.Comments))
			for i, c := range b.Comments {
				c.ArticleID = a.ID
				var parent any
				if c.ParentID > 0 && int(c.ParentID) <= i {
					parent = ids[c.ParentID-1]
				}
				err := insComment.QueryRowContext(ctx, s.args([]any{a.ID, parent, c.Name, strings.ToLower(c.Email), c.Website, c.Body,
					c.Status, c.IsStaff, c.IP, c.UserAgent, c.CreatedAt})...).Scan(&ids[i])
				if err != nil {
					return fmt.Errorf("comment on %q: %w", a.Path, err)
				}
				c.ID = ids[i]
			}
		}
		return nil
	})
}

// ResetChanges replaces the change log with a single "everything changed"
// entry, after a bulk load made thousands of entries no cache needs.
func (s *Store) ResetChanges(ctx context.Context) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := s.exec(ctx, tx, `DELETE FROM changes`); err != nil {
			return fmt.Errorf("reset changes: %w", err)
		}
		if _, err := s.exec(ctx, tx, `INSERT INTO changes (kind, ref) VALUES ('all', '')`); err != nil {
			return fmt.Errorf("reset changes: %w", err)
		}
		return nil
	})
}
