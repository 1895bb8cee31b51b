package store

import (
	"context"
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
	rows, err := s.queryRows(ctx, s.read, `SELECT id FROM (`+strings.Join(parts, " UNION ALL ")+`) c WHERE id <> ?
		GROUP BY id ORDER BY SUM(tagged) DESC, MAX(at) DESC, id DESC LIMIT `+strconv.Itoa(limit), args...)
	if err != nil {
		return nil, fmt.Errorf("related articles of %d: %w", a.ID, err)
	}
	ids, err := scanIDs(rows)
	if err != nil {
		return nil, fmt.Errorf("related articles of %d: %w", a.ID, err)
	}
	list, err := s.articlesByID(ctx, ids)
	if err != nil {
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
