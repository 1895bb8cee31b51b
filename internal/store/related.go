package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"masthead/internal/news"
)

// relatedReach is how many stories on each side of an article, per tag and
// in its section, Related considers.
const relatedReach = 10

// Related lists published articles sharing a's tags or section, those with
// more tags in common first, then the most recent. It looks only among the
// stories published nearest to a — for each of its tags and in its section,
// the relatedReach before and after it — so the cost does not grow with the
// archive, and new stories change the related lists of recent ones only.
//
// The articles carry what a story's card shows and no more: path,
// headline, standfirst, lead image, publication time, section, approved
// comment count, and their bylines' ids, slugs and names. One query chooses
// them and reads all of that (a row per byline), where choosing, loading
// and attaching bylines took three.
func (s *Store) Related(ctx context.Context, a *news.Article, limit int) ([]*news.Article, error) {
	tags := a.Tags
	if tags == nil {
		var err error
		if tags, err = s.articleTags(ctx, a.ID); err != nil {
			return nil, fmt.Errorf("related articles of %d: %w", a.ID, err)
		}
	}
	// The reach is written into the query, not bound: SQLite prepares a
	// statement again whenever a subquery's LIMIT parameter is rebound.
	// Every candidate comes from an index that also holds its listed or
	// published date (article_tags_tag, articles_section_published), so no
	// article row or further index is read before the three are chosen.
	reach := strconv.Itoa(relatedReach)
	var parts []string
	var args []any
	for i, t := range tags {
		if i == 8 {
			break
		}
		parts = append(parts,
			`SELECT * FROM (SELECT article_id AS id, 1 AS tagged, listed_at AS at FROM article_tags
				WHERE tag_id = +? AND article_id < ? AND listed_at IS NOT NULL ORDER BY article_id DESC LIMIT `+reach+`) b`,
			`SELECT * FROM (SELECT article_id AS id, 1 AS tagged, listed_at AS at FROM article_tags
				WHERE tag_id = +? AND article_id > ? AND listed_at IS NOT NULL ORDER BY article_id LIMIT `+reach+`) f`)
		args = append(args, t.ID, a.ID, t.ID, a.ID)
	}
	if a.Section != nil {
		parts = append(parts,
			`SELECT * FROM (SELECT id, 0 AS tagged, published_at AS at FROM articles WHERE section_id = +? AND status = 'published'
				AND (published_at, id) < (?, ?) ORDER BY published_at DESC, id DESC LIMIT `+reach+`) b`,
			`SELECT * FROM (SELECT id, 0 AS tagged, published_at AS at FROM articles WHERE section_id = +? AND status = 'published'
				AND (published_at, id) > (?, ?) ORDER BY published_at, id LIMIT `+reach+`) f`)
		args = append(args, a.Section.ID, a.PublishedAt, a.ID, a.Section.ID, a.PublishedAt, a.ID)
	}
	if len(parts) == 0 {
		return nil, nil
	}
	args = append(args, a.ID)
	rows, err := s.queryRows(ctx, s.read, `SELECT a.id, COALESCE(a.path, ''), a.headline, a.standfirst,
			a.lead_image_url, a.lead_image_alt, a.lead_image_caption, a.lead_image_credit, a.lead_image_width, a.lead_image_height,
			a.published_at, s.id, s.slug, s.name,
			(SELECT COUNT(*) FROM comments c WHERE c.article_id = a.id AND c.status = 'approved'),
			COALESCE(u.id, 0), COALESCE(u.slug, ''), COALESCE(u.name, '')
		FROM (SELECT id, SUM(tagged) AS n, MAX(at) AS at FROM (`+strings.Join(parts, " UNION ALL ")+`) c WHERE id <> ?
			GROUP BY id ORDER BY n DESC, at DESC, id DESC LIMIT `+strconv.Itoa(limit)+`) r
		JOIN articles a ON a.id = r.id
		LEFT JOIN sections s ON s.id = a.section_id
		LEFT JOIN article_authors aa ON aa.article_id = a.id
		LEFT JOIN users u ON u.id = aa.user_id
		ORDER BY r.n DESC, r.at DESC, r.id DESC, aa.position`, args...)
	if err != nil {
		return nil, fmt.Errorf("related articles of %d: %w", a.ID, err)
	}
	defer rows.Close()
	var list []*news.Article
	for rows.Next() {
		var (
			c         = news.Article{Status: news.StatusPublished}
			img       news.Image
			published nullTime
			sec       news.Section
			secID     sql.NullInt64
			secSlug   sql.NullString
			secName   sql.NullString
			au        news.Staff
		)
		if err := rows.Scan(&c.ID, &c.Path, &c.Headline, &c.Standfirst,
			&img.URL, &img.Alt, &img.Caption, &img.Credit, &img.Width, &img.Height,
			&published, &secID, &secSlug, &secName, &c.CommentCount, &au.ID, &au.Slug, &au.Name); err != nil {
			return nil, fmt.Errorf("related articles of %d: %w", a.ID, err)
		}
		if n := len(list); n > 0 && list[n-1].ID == c.ID {
			list[n-1].Authors = append(list[n-1].Authors, au) // the same story's next byline
			continue
		}
		c.PublishedAt = published.Time
		if img.URL != "" {
			c.LeadImage = &img
		}
		if secID.Valid {
			sec.ID, sec.Slug, sec.Name = secID.Int64, secSlug.String, secName.String
			c.Section = &sec
		}
		if au.ID != 0 {
			c.Authors = []news.Staff{au}
		}
		list = append(list, &c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("related articles of %d: %w", a.ID, err)
	}
	return list, nil
}

func (s *Store) articleTags(ctx context.Context, id int64) ([]news.Tag, error) {
	rows, err := s.queryRows(ctx, s.read, `SELECT tag_id FROM article_tags WHERE article_id = ?`, id)
	if err != nil {
		return nil, err
	}
	ids, err := scanIDs(rows)
	tags := make([]news.Tag, len(ids))
	for i, id := range ids {
		tags[i].ID = id
	}
	return tags, err
}

// visibleIndex names, on SQLite, the index joins should read an article's
// status, date and section from. SQLite would otherwise read the row itself,
// many times wider. PostgreSQL needs no hint.
func (s *Store) visibleIndex() string { return s.dialect.indexedBy("articles_visible") }
