package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"masthead/internal/news"
)

// BulkArticle is a published article with its comments, for InsertBatch.
type BulkArticle struct {
	Article  *news.Article
	Comments []*news.Comment // ParentID is an index+1 into Comments (0: top level), not an id
}

// MaxBatch is the most articles one InsertBatch takes.
const MaxBatch = 1000

// InsertBatch stores prepared, published articles (Path set, bylines and
// tags by ID) with their comments in one transaction: the fast way in for
// synthetic archives and large imports, into a SQLite site no one else is
// writing to. Each table gets one multi-row INSERT per batch, with ids chosen here:
// the full-text index then takes a whole batch at a time instead of
// flushing at every statement. The change-log triggers run as for any
// write; callers loading a whole archive can follow up with ResetChanges.
func (s *Store) InsertBatch(ctx context.Context, batch []BulkArticle) error {
	if len(batch) == 0 {
		return nil
	}
	if !s.dialect.sqlite() {
		return fmt.Errorf("insert batch: SQLite only (it chooses ids itself, which PostgreSQL sequences would not follow)")
	}
	if len(batch) > MaxBatch {
		return fmt.Errorf("insert batch: %d articles, at most %d", len(batch), MaxBatch)
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var articleID, commentID int64
		if err := s.queryRow(ctx, tx, `SELECT COALESCE(MAX(id), 0) FROM articles`).Scan(&articleID); err != nil {
			return err
		}
		if err := s.queryRow(ctx, tx, `SELECT COALESCE(MAX(id), 0) FROM comments`).Scan(&commentID); err != nil {
			return err
		}
		now := s.clock.Now()
		var articles, bylines, tags, search, comments rowsBuilder
		for _, b := range batch {
			a := b.Article
			articleID++
			a.ID = articleID
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
			articles.add(a.ID, a.Slug, a.Path, a.Headline, a.Standfirst, a.Body, a.BodyHTML, a.WordCount,
				sectionID, a.Status, a.Featured, a.CommentsOpen, img.URL, img.Alt, img.Caption,
				img.Credit, img.Width, img.Height, a.SEOTitle, a.SEODescription,
				a.PublishedAt, a.UpdatedAt, a.CreatedAt, a.ModifiedAt)
			names := make([]string, len(a.Authors))
			for i, au := range a.Authors {
				names[i] = au.Name
				bylines.add(a.ID, au.ID, i, a.PublishedAt)
			}
			tagNames := make([]string, len(a.Tags))
			for i, t := range a.Tags {
				tagNames[i] = t.Name
				tags.add(a.ID, t.ID, a.PublishedAt)
			}
			search.add(a.ID, a.Headline, a.Standfirst, cmp.Or(a.BodyText, a.Body), strings.Join(names, ", "), strings.Join(tagNames, ", "))
			first := commentID + 1
			for i, c := range b.Comments {
				commentID++
				c.ID, c.ArticleID = commentID, a.ID
				var parent any
				if c.ParentID > 0 && int(c.ParentID) <= i {
					parent = first + c.ParentID - 1
				}
				comments.add(c.ID, a.ID, parent, c.Name, strings.ToLower(c.Email), c.Website, c.Body, c.Status, c.IsStaff, c.IP, c.UserAgent, c.CreatedAt)
			}
		}
		steps := []struct {
			table, columns string
			rows           *rowsBuilder
		}{
			{"articles", `id, slug, path, headline, standfirst, body, body_html, word_count,
				section_id, status, featured, comments_open, lead_image_url, lead_image_alt, lead_image_caption,
				lead_image_credit, lead_image_width, lead_image_height, seo_title, seo_description,
				published_at, updated_at, created_at, modified_at`, &articles},
			{"article_authors", "article_id, user_id, position, listed_at", &bylines},
			{"article_tags", "article_id, tag_id, listed_at", &tags},
			{"article_search", "rowid, headline, standfirst, body, byline, tags", &search},
			{"comments", "id, article_id, parent_id, name, email, website, body, status, is_staff, ip, user_agent, created_at", &comments},
		}
		for _, st := range steps {
			if st.rows.n == 0 {
				continue
			}
			if _, err := s.exec(ctx, tx, `INSERT INTO `+st.table+` (`+st.columns+`) VALUES `+st.rows.sql(), st.rows.args...); err != nil {
				return fmt.Errorf("insert batch into %s: %w", st.table, err)
			}
		}
		for _, b := range batch {
			if err := s.addMediaUses(ctx, tx, b.Article); err != nil {
				return err
			}
		}
		return nil
	})
}

// rowsBuilder collects the rows of a multi-row INSERT.
type rowsBuilder struct {
	n, width int
	args     []any
}

func (b *rowsBuilder) add(values ...any) {
	b.n++
	b.width = len(values)
	b.args = append(b.args, values...)
}

func (b *rowsBuilder) sql() string {
	row := "(" + placeholders(b.width) + ")"
	return strings.TrimSuffix(strings.Repeat(row+", ", b.n), ", ")
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

// Bulk runs fn with SQLite's per-commit disk sync turned off, then syncs
// once. It is for loads that are simply redone if the process dies midway
// (the demo newsroom on first start, a synthetic archive): hundreds of
// transactions then cost one fsync instead of one each. The writer's page
// cache is larger meanwhile, so that a batch of a thousand articles is not
// spilled to the log before it commits.
func (s *Store) Bulk(ctx context.Context, fn func() error) error {
	if !s.dialect.sqlite() {
		return fn()
	}
	if _, err := s.write.ExecContext(ctx, `PRAGMA synchronous = OFF`); err != nil {
		return fmt.Errorf("bulk load: %w", err)
	}
	if _, err := s.write.ExecContext(ctx, `PRAGMA cache_size = -131072`); err != nil { // 128 MiB
		return fmt.Errorf("bulk load: %w", err)
	}
	ferr := fn()
	_, err := s.write.ExecContext(ctx, `PRAGMA synchronous = FULL`)
	if err == nil {
		_, err = s.write.ExecContext(ctx, `PRAGMA cache_size = -2000`) // SQLite's default
	}
	if err == nil {
		_, err = s.write.ExecContext(ctx, `PRAGMA wal_checkpoint(FULL)`)
	}
	return errors.Join(ferr, err)
}
