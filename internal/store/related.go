package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

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
// comment count, and their bylines' ids, slugs and names. Two queries: the
// candidates (ranked here), then the chosen ones' cards with their bylines.
func (s *Store) Related(ctx context.Context, a *news.Article, limit int) ([]*news.Article, error) {
	tags := a.Tags
	if tags == nil {
		var err error
		if tags, err = s.articleTags(ctx, a.ID); err != nil {
			return nil, fmt.Errorf("related articles of %d: %w", a.ID, err)
		}
	}
	chosen, err := s.relatedChoice(ctx, a, tags, limit)
	if err != nil || len(chosen) == 0 {
		return nil, err
	}
	list, err := s.relatedCards(ctx, chosen)
	if err != nil {
		return nil, fmt.Errorf("related articles of %d: %w", a.ID, err)
	}
	return list, nil
}

// relatedCandidate is a story near a in one of its tags or its section:
// tagged counts the tags it was found in, at is its listed or published
// time as the driver gives it.
type relatedCandidate struct {
	id     int64
	tagged int
	at     any
}

// relatedChoice ranks the stories near a — most tags in common, then the
// most recent, then the highest id — and returns the first limit ids.
// Ranking here, not in SQL, spares SQLite two sorts of every candidate
// (their grouping and their order), which cost more than reading them.
func (s *Store) relatedChoice(ctx context.Context, a *news.Article, tags []news.Tag, limit int) ([]int64, error) {
	// The reach is written into the query, not bound: SQLite prepares a
	// statement again whenever a subquery's LIMIT parameter is rebound.
	// Every candidate comes from an index that also holds its listed or
	// published date (article_tags_tag, articles_section_published), so no
	// article row is read to choose.
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
	if len(parts) == 0 || limit <= 0 {
		return nil, nil
	}
	rows, err := s.queryRows(ctx, s.read, strings.Join(parts, " UNION ALL "), args...)
	if err != nil {
		return nil, fmt.Errorf("related articles of %d: %w", a.ID, err)
	}
	defer rows.Close()
	var cands []relatedCandidate
	index := make(map[int64]int, 64)
	for rows.Next() {
		var c relatedCandidate
		if err := rows.Scan(&c.id, &c.tagged, &c.at); err != nil {
			return nil, fmt.Errorf("related articles of %d: %w", a.ID, err)
		}
		if c.id == a.ID {
			continue
		}
		if raw, ok := c.at.([]byte); ok {
			c.at = string(raw)
		}
		i, seen := index[c.id]
		if !seen {
			index[c.id] = len(cands)
			cands = append(cands, c)
			continue
		}
		cands[i].tagged += c.tagged
		if compareAt(c.at, cands[i].at) > 0 {
			cands[i].at = c.at
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("related articles of %d: %w", a.ID, err)
	}
	slices.SortFunc(cands, func(x, y relatedCandidate) int {
		if c := cmp.Compare(y.tagged, x.tagged); c != 0 {
			return c
		}
		if c := compareAt(y.at, x.at); c != 0 {
			return c
		}
		return cmp.Compare(y.id, x.id)
	})
	ids := make([]int64, 0, min(limit, len(cands)))
	for _, c := range cands[:min(limit, len(cands))] {
		ids = append(ids, c.id)
	}
	return ids, nil
}

// compareAt orders two times as the database does: SQLite's text (the
// stored format sorts as time does) byte by byte, PostgreSQL's timestamps
// as times; NULL first.
func compareAt(x, y any) int {
	switch x := x.(type) {
	case string:
		if y, ok := y.(string); ok {
			return strings.Compare(x, y)
		}
	case time.Time:
		if y, ok := y.(time.Time); ok {
			return x.Compare(y)
		}
	case nil:
		if y == nil {
			return 0
		}
		return -1
	}
	if y == nil {
		return 1
	}
	return strings.Compare(fmt.Sprint(x), fmt.Sprint(y))
}

// relatedCards reads the cards of the articles ids names, in that order,
// with their bylines; an article no longer there is left out.
func (s *Store) relatedCards(ctx context.Context, ids []int64) ([]*news.Article, error) {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := s.queryRows(ctx, s.read, `SELECT a.id, COALESCE(a.path, ''), a.headline, a.standfirst,
			a.lead_image_url, a.lead_image_alt, a.lead_image_caption, a.lead_image_credit, a.lead_image_width, a.lead_image_height,
			a.published_at, s.id, s.slug, s.name,
			(SELECT COUNT(*) FROM comments c WHERE c.article_id = a.id AND c.status = 'approved'),
			COALESCE(u.id, 0), COALESCE(u.slug, ''), COALESCE(u.name, ''), COALESCE(aa.position, 0)
		FROM articles a
		LEFT JOIN sections s ON s.id = a.section_id
		LEFT JOIN article_authors aa ON aa.article_id = a.id
		LEFT JOIN users u ON u.id = aa.user_id
		WHERE a.id IN (`+placeholders(len(ids))+`)`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	type byline struct {
		pos int64
		au  news.Staff
	}
	cards := make([]*news.Article, len(ids))
	bylines := make([][]byline, len(ids))
	for rows.Next() {
		var (
			c         = news.Article{Status: news.StatusPublished}
			img       news.Image
			published nullTime
			sec       news.Section
			secID     sql.NullInt64
			secSlug   sql.NullString
			secName   sql.NullString
			b         byline
		)
		if err := rows.Scan(&c.ID, &c.Path, &c.Headline, &c.Standfirst,
			&img.URL, &img.Alt, &img.Caption, &img.Credit, &img.Width, &img.Height,
			&published, &secID, &secSlug, &secName, &c.CommentCount, &b.au.ID, &b.au.Slug, &b.au.Name, &b.pos); err != nil {
			return nil, err
		}
		i := slices.Index(ids, c.ID)
		if i < 0 {
			continue
		}
		bylines[i] = append(bylines[i], b)
		if cards[i] != nil {
			continue // the same story's next byline
		}
		c.PublishedAt = published.Time
		if img.URL != "" {
			c.LeadImage = &img
		}
		if secID.Valid {
			sec.ID, sec.Slug, sec.Name = secID.Int64, secSlug.String, secName.String
			c.Section = &sec
		}
		cards[i] = &c
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var list []*news.Article
	for i, c := range cards {
		if c == nil {
			continue
		}
		bs := bylines[i]
		slices.SortStableFunc(bs, func(x, y byline) int { return cmp.Compare(x.pos, y.pos) })
		for j, b := range bs {
			// A story without bylines has one row, its user NULL.
			if j > 0 || b.au.ID != 0 {
				c.Authors = append(c.Authors, b.au)
			}
		}
		list = append(list, c)
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
