package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"masthead/internal/news"
)

// articleColumns are what listings need; the body is added for full loads.
const articleColumns = `a.id, a.slug, COALESCE(a.path, ''), a.headline, a.standfirst, a.word_count, a.status,
	a.featured, a.comments_open, a.lead_image_url, a.lead_image_alt, a.lead_image_caption, a.lead_image_credit,
	a.lead_image_width, a.lead_image_height, a.seo_title, a.seo_description,
	a.published_at, a.updated_at, a.created_at, a.modified_at,
	s.id, s.slug, s.name,
	(SELECT COUNT(*) FROM comments c WHERE c.article_id = a.id AND c.status = 'approved'),
	a.version, a.publish_at, COALESCE(a.created_by, 0)`

const articleFrom = ` FROM articles a LEFT JOIN sections s ON s.id = a.section_id`

type articleScan struct {
	a                                         news.Article
	img                                       news.Image
	published, updated, created, mod, publish nullTime
	sectionID                                 sql.NullInt64
	sectionSlug, sectionName                  sql.NullString
	body, bodyHTML                            packedText
}

// articleScan is ready to scan an article, its bodies inflated by the
// store's packer.
func (s *Store) articleScan() articleScan {
	return articleScan{body: packedText{p: s.packer}, bodyHTML: packedText{p: s.packer}}
}

func (as *articleScan) dest(withBody bool) []any {
	a := &as.a
	d := []any{&a.ID, &a.Slug, &a.Path, &a.Headline, &a.Standfirst, &a.WordCount, &a.Status,
		&a.Featured, &a.CommentsOpen, &as.img.URL, &as.img.Alt, &as.img.Caption, &as.img.Credit,
		&as.img.Width, &as.img.Height, &a.SEOTitle, &a.SEODescription,
		&as.published, &as.updated, &as.created, &as.mod,
		&as.sectionID, &as.sectionSlug, &as.sectionName, &a.CommentCount,
		&a.Version, &as.publish, &a.CreatedBy}
	if withBody {
		d = append(d, &as.body, &as.bodyHTML)
	}
	return d
}

func (as *articleScan) article() *news.Article {
	a := as.a
	a.PublishedAt, a.UpdatedAt, a.CreatedAt, a.ModifiedAt = as.published.Time, as.updated.Time, as.created.Time, as.mod.Time
	a.PublishAt = as.publish.Time
	a.Body, a.BodyHTML = as.body.text, as.bodyHTML.text
	if as.img.URL != "" {
		img := as.img
		a.LeadImage = &img
	}
	if as.sectionID.Valid {
		a.Section = &news.Section{ID: as.sectionID.Int64, Slug: as.sectionSlug.String, Name: as.sectionName.String}
	}
	return &a
}

// CreateArticle stores a new article with its bylines (a.Authors, by ID, in
// order), tags (a.Tags, by ID) and quotations (a.Quotes), and indexes it
// for search, in one transaction. A published article's Path must be free: see PathTaken.
func (s *Store) CreateArticle(ctx context.Context, a *news.Article) error {
	now := s.clock.Now()
	if a.CreatedAt.IsZero() {
		a.CreatedAt = now
	}
	if a.ModifiedAt.IsZero() {
		a.ModifiedAt = now
	}
	var path any
	if a.Path != "" {
		path = a.Path
	}
	var sectionID any
	if a.Section != nil {
		sectionID = a.Section.ID
	}
	img := news.Image{}
	if a.LeadImage != nil {
		img = *a.LeadImage
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		id, err := s.insert(ctx, tx, `INSERT INTO articles (slug, path, headline, standfirst, body, body_html, word_count,
			section_id, status, featured, comments_open, lead_image_url, lead_image_alt, lead_image_caption,
			lead_image_credit, lead_image_width, lead_image_height, seo_title, seo_description,
			published_at, updated_at, created_at, modified_at, publish_at, created_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			a.Slug, path, a.Headline, a.Standfirst, s.body(a.Body), s.body(a.BodyHTML), a.WordCount,
			sectionID, a.Status, a.Featured, a.CommentsOpen, img.URL, img.Alt, img.Caption,
			img.Credit, img.Width, img.Height, a.SEOTitle, a.SEODescription,
			a.PublishedAt, a.UpdatedAt, a.CreatedAt, a.ModifiedAt, a.PublishAt, nullID(a.CreatedBy))
		if err != nil {
			return err
		}
		a.ID = id
		a.Version = 1
		if err := s.writeBylinesAndTags(ctx, tx, a); err != nil {
			return err
		}
		if err := s.indexArticle(ctx, tx, a); err != nil {
			return err
		}
		if err := s.writeMediaUses(ctx, tx, a); err != nil {
			return err
		}
		return s.writeArticleQuotes(ctx, tx, a)
	})
	if isUniqueViolation(err) {
		return fmt.Errorf("create article %q: %w", a.Slug, news.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("create article %q: %w", a.Slug, err)
	}
	return nil
}

// writeBylinesAndTags replaces the article's bylines and tags inside tx.
func (s *Store) writeBylinesAndTags(ctx context.Context, tx *sql.Tx, a *news.Article) error {
	if _, err := s.exec(ctx, tx, `DELETE FROM article_authors WHERE article_id = ?`, a.ID); err != nil {
		return err
	}
	if _, err := s.exec(ctx, tx, `DELETE FROM article_tags WHERE article_id = ?`, a.ID); err != nil {
		return err
	}
	seen := map[int64]bool{}
	for i, au := range a.Authors {
		if seen[au.ID] {
			continue
		}
		seen[au.ID] = true
		if _, err := s.exec(ctx, tx, `INSERT INTO article_authors (article_id, user_id, position) VALUES (?, ?, ?)`, a.ID, au.ID, i); err != nil {
			return fmt.Errorf("byline %d: %w", au.ID, err)
		}
	}
	seen = map[int64]bool{}
	for _, t := range a.Tags {
		if seen[t.ID] {
			continue
		}
		seen[t.ID] = true
		if _, err := s.exec(ctx, tx, `INSERT INTO article_tags (article_id, tag_id) VALUES (?, ?)`, a.ID, t.ID); err != nil {
			return fmt.Errorf("tag %d: %w", t.ID, err)
		}
	}
	return nil
}

// nullID stores 0 as NULL for optional references.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// indexArticle rewrites the article's search row inside tx.
func (s *Store) indexArticle(ctx context.Context, tx *sql.Tx, a *news.Article) error {
	names := make([]string, len(a.Authors))
	for i, au := range a.Authors {
		names[i] = au.Name
	}
	tags := make([]string, len(a.Tags))
	for i, t := range a.Tags {
		tags[i] = t.Name
	}
	if _, err := s.exec(ctx, tx, `DELETE FROM article_search WHERE rowid = ?`, a.ID); err != nil {
		return fmt.Errorf("unindex article %d: %w", a.ID, err)
	}
	_, err := s.exec(ctx, tx, `INSERT INTO article_search (rowid, headline, standfirst, body, byline, tags) VALUES (?, ?, ?, ?, ?, ?)`,
		a.ID, a.Headline, a.Standfirst, cmp.Or(a.BodyText, a.Body), strings.Join(names, ", "), strings.Join(tags, ", "))
	if err != nil {
		return fmt.Errorf("index article %d: %w", a.ID, err)
	}
	return nil
}

// PathTaken reports whether a public article path is already in use.
func (s *Store) PathTaken(ctx context.Context, path string) (bool, error) {
	var n int
	if err := s.queryRow(ctx, s.read, `SELECT COUNT(*) FROM articles WHERE path = ?`, path).Scan(&n); err != nil {
		return false, fmt.Errorf("check path %q: %w", path, err)
	}
	return n > 0, nil
}

// PublishedArticle loads a published article by its public path, with its
// rendered body, bylines and tags: what readers see. Body, the Markdown
// the newsroom edits, is left empty (Article loads it): inflating it too
// doubled what a page read of the bodies on SQLite (packed.go).
func (s *Store) PublishedArticle(ctx context.Context, path string) (*news.Article, error) {
	return s.loadArticle(ctx, s.read, "''", `a.path = ? AND a.status = 'published'`, path)
}

// notPage leaves static pages (wordpress.go) out of the news: listings,
// feeds and an article's neighbours.
const notPage = "NOT EXISTS (SELECT 1 FROM pages pg WHERE pg.article_id = a.id)"

// listing is the SQL behind one published-article listing: the rows it
// walks, newest first, and the conditions they must meet. Article columns
// are read under the alias a.
type listing struct {
	from  string // the rows walked
	id    string // their article id
	date  string // their date, newest first
	order string // newest first
	where []string
	args  []any
	// pages is set when the rows walked include static pages, which
	// notPage must then leave out.
	pages bool
}

func (l *listing) cond(c string, args ...any) {
	l.where = append(l.where, c)
	l.args = append(l.args, args...)
}

func (l *listing) whereSQL() string {
	if len(l.where) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(l.where, " AND ")
}

// listingSQL plans the listing f selects. A tag's or an author's stories
// are walked in that tag's or author's listed_at index (0009_listings.sql),
// which holds only listed stories with their dates: a page of thousands and
// its count never read an article row. Other listings walk the articles'
// (section, status, published_at) indexes.
func listingSQL(f news.ArticleFilter) *listing {
	l := &listing{}
	date := "x.listed_at"
	switch {
	case f.TagID != 0:
		l.from, l.id = "article_tags x", "x.article_id"
		l.cond("x.tag_id = +? AND x.listed_at IS NOT NULL", f.TagID)
		if f.AuthorID != 0 {
			l.cond("x.article_id IN (SELECT article_id FROM article_authors WHERE user_id = +?)", f.AuthorID)
		}
	case f.AuthorID != 0:
		l.from, l.id = "article_authors x", "x.article_id"
		l.cond("x.user_id = +? AND x.listed_at IS NOT NULL", f.AuthorID)
	default:
		l.from, l.id, date = "articles a", "a.id", "a.published_at"
		l.cond("a.status = 'published'")
		l.pages = true
	}
	l.date, l.order = date, date+" DESC, "+l.id+" DESC"
	if l.id != "a.id" && (f.SectionID != 0 || f.Featured) {
		l.from += " JOIN articles a ON a.id = x.article_id"
	}
	if f.SectionID != 0 {
		l.cond("a.section_id = +?", f.SectionID)
	}
	if !f.Since.IsZero() {
		l.cond(date+" >= ?", f.Since)
	}
	if f.Featured {
		l.cond("a.featured = TRUE")
	}
	if len(f.ExcludeID) > 0 {
		ids := make([]any, len(f.ExcludeID))
		for i, id := range f.ExcludeID {
			ids[i] = id
		}
		l.cond(l.id+" NOT IN ("+placeholders(len(ids))+")", ids...)
	}
	return l
}

// listedPage is the listing f selects, static pages left out, and the
// size of its page.
func listedPage(f news.ArticleFilter) (*listing, int) {
	l := listingSQL(f)
	if l.pages {
		l.cond(notPage)
	}
	if f.Limit <= 0 {
		return l, 20
	}
	return l, f.Limit
}

// PublishedArticles lists published articles, newest first, with section and
// bylines; withBody also loads the rendered bodies (for feeds), not the
// Markdown (see PublishedArticle).
func (s *Store) PublishedArticles(ctx context.Context, f news.ArticleFilter, withBody bool) ([]*news.Article, error) {
	l, limit := listedPage(f)
	cols := articleColumns
	if withBody {
		cols += ", '', a.body_html"
	}
	offset := max(f.Offset, 0)
	if kind, ref := countedListing(f); kind != "" && offset >= s.seeksFrom(kind) {
		// OFFSET walks an index entry per story it skips (62,000 for the
		// middle of a section of a million-story archive, 15 ms): a deep
		// page starts instead from the end of the month holding its
		// first story, skipping only that month's newer stories. The
		// stories are those OFFSET finds.
		end, skip, ok, err := s.listingMonth(ctx, kind, ref, offset)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, nil // past the last story
		}
		l.cond(l.date+" < ?", end)
		offset = skip
	}
	// The page's ids come first, from the listing's rows alone; only the
	// articles on the page are then read (a deep page skips thousands).
	query, args := `SELECT `+cols+articleFrom+`
		WHERE a.id IN (SELECT `+l.id+` FROM `+l.from+l.whereSQL()+` ORDER BY `+l.order+` LIMIT ? OFFSET ?)
		ORDER BY a.published_at DESC, a.id DESC`, append(l.args, limit, offset)
	rows, err := s.listingRows(ctx, query, args)
	if err != nil {
		return nil, fmt.Errorf("list articles: %w", err)
	}
	list, err := s.scanArticles(rows, withBody)
	if err != nil {
		return nil, fmt.Errorf("list articles: %w", err)
	}
	return list, s.attachAuthors(ctx, list)
}

// PublishedLists is PublishedArticles for several listings at once (no
// bodies): one query for all their articles and one for their bylines,
// where each listing alone costs two. The front page shows seven; on
// PostgreSQL each round trip counts. An article in two listings is one
// *news.Article in both.
func (s *Store) PublishedLists(ctx context.Context, fs []news.ArticleFilter) ([][]*news.Article, error) {
	out := make([][]*news.Article, len(fs))
	if len(fs) == 0 {
		return out, nil
	}
	parts := make([]string, len(fs))
	var args []any
	for i, f := range fs {
		l, limit := listedPage(f)
		parts[i] = `SELECT ` + strconv.Itoa(i) + ` AS n, x` + strconv.Itoa(i) + `.id FROM (SELECT ` + l.id + ` AS id FROM ` + l.from + l.whereSQL() +
			` ORDER BY ` + l.order + ` LIMIT ? OFFSET ?) x` + strconv.Itoa(i)
		args = append(append(args, l.args...), limit, f.Offset)
	}
	query := `SELECT k.n, ` + articleColumns + `
		FROM (` + strings.Join(parts, " UNION ALL ") + `) k CROSS JOIN articles a LEFT JOIN sections s ON s.id = a.section_id
		WHERE a.id = k.id ORDER BY k.n, a.published_at DESC, a.id DESC`
	rows, err := s.listingRows(ctx, query, args)
	if err != nil {
		return nil, fmt.Errorf("list articles: %w", err)
	}
	defer rows.Close()
	seen := map[int64]*news.Article{}
	var all []*news.Article
	for rows.Next() {
		var n int
		as := s.articleScan()
		if err := rows.Scan(append([]any{&n}, as.dest(false)...)...); err != nil {
			return nil, fmt.Errorf("list articles: %w", err)
		}
		a := seen[as.a.ID]
		if a == nil {
			a = as.article()
			seen[a.ID] = a
			all = append(all, a)
		}
		out[n] = append(out[n], a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list articles: %w", err)
	}
	return out, s.attachAuthors(ctx, all)
}

// listingMonth finds where the story offset stories into a counted
// listing (countedListing) is, from its months (listing_months, 0034):
// end, the start of the month after the one that holds it, and skip, how
// many listed stories published before end come before it. ok is false
// when the listing has no more than offset stories. It reads a row per
// month of the listing, however many stories they hold.
func (s *Store) listingMonth(ctx context.Context, kind string, ref int64, offset int) (end time.Time, skip int, ok bool, err error) {
	// The month where the running count passes offset is the one row
	// with upto > offset >= upto - n: no sort of the months.
	newer := `m.upto - m.n`
	if kind == "section" {
		// A section's months count its static pages, which it does not
		// list: those in newer months are not among the stories before
		// the page. They are few.
		month := s.dialect.monthText(s.dialect.truncMonth(`a.published_at`))
		newer += ` - (SELECT COUNT(*) FROM pages pg CROSS JOIN articles a
			WHERE a.id = pg.article_id AND a.section_id = m.ref AND a.status = 'published' AND ` + month + ` > m.month)`
	}
	var month string
	var before int
	err = s.queryRow(ctx, s.read, `SELECT m.month, `+newer+` FROM (
			SELECT ref, month, n, CAST(SUM(n) OVER (ORDER BY month DESC) AS BIGINT) AS upto
			FROM listing_months WHERE kind = ? AND ref = ?) m
		WHERE m.upto > ? AND m.upto - m.n <= ?`, kind, ref, offset, offset).Scan(&month, &before)
	if errors.Is(err, sql.ErrNoRows) {
		return end, 0, false, nil
	}
	if err != nil {
		return end, 0, false, fmt.Errorf("find page %d of %s %d: %w", offset, kind, ref, err)
	}
	y, m, err := parseMonth(month)
	if err != nil {
		return end, 0, false, err
	}
	return time.Date(y, m+1, 1, 0, 0, 0, 0, time.UTC), offset - before, true, nil
}

// CountPublished counts the articles PublishedArticles would page through.
func (s *Store) CountPublished(ctx context.Context, f news.ArticleFilter) (int, error) {
	if kind, ref := countedListing(f); kind != "" {
		return s.countListed(ctx, kind, ref)
	}
	l := listingSQL(f)
	query, args := `SELECT COUNT(*) FROM `+l.from+l.whereSQL(), l.args
	if l.pages {
		// Counting the rows, then the few static pages among them, reads
		// only the index; asking each row whether it is a page does not.
		// (CROSS JOIN: SQLite must walk the pages, not the articles.)
		query = `SELECT (` + query + `) - (SELECT COUNT(*) FROM pages pg CROSS JOIN ` + l.from + l.whereSQL() + ` AND a.id = pg.article_id)`
		args = append(slices.Clip(args), args...)
	}
	var n int
	if err := s.queryRow(ctx, s.read, query, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count articles: %w", err)
	}
	return n, nil
}

// countedListing names the listing_counts row (0030) that counts f's
// articles: a section's, a tag's or an author's page with no other filter.
func countedListing(f news.ArticleFilter) (kind string, ref int64) {
	if !f.Since.IsZero() || f.Featured || len(f.ExcludeID) > 0 {
		return "", 0
	}
	switch {
	case f.SectionID != 0 && f.TagID == 0 && f.AuthorID == 0:
		return "section", f.SectionID
	case f.TagID != 0 && f.SectionID == 0 && f.AuthorID == 0:
		return "tag", f.TagID
	case f.AuthorID != 0 && f.SectionID == 0 && f.TagID == 0:
		return "author", f.AuthorID
	}
	return "", 0
}

// countListed reads a listing's count from listing_counts; a section's
// counts its static pages too, which are few and subtracted here.
func (s *Store) countListed(ctx context.Context, kind string, ref int64) (int, error) {
	query := `SELECT COALESCE((SELECT n FROM listing_counts WHERE kind = ? AND ref = ?), 0)`
	args := []any{kind, ref}
	if kind == "section" {
		query += ` - (SELECT COUNT(*) FROM pages pg CROSS JOIN articles a WHERE a.id = pg.article_id AND a.section_id = ? AND a.status = 'published')`
		args = append(args, ref)
	}
	var n int
	if err := s.queryRow(ctx, s.read, query, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count articles: %w", err)
	}
	return n, nil
}

func (s *Store) scanArticles(rows *sql.Rows, withBody bool) ([]*news.Article, error) {
	defer rows.Close()
	var list []*news.Article
	for rows.Next() {
		as := s.articleScan()
		as.bodyHTML.keep = true // listings with bodies are feeds (packed.go)
		if err := rows.Scan(as.dest(withBody)...); err != nil {
			return nil, err
		}
		list = append(list, as.article())
	}
	return list, rows.Err()
}

// Neighbours finds the published articles just before and after a, with
// what a link to them shows: path, headline and publication time. One
// query finds both.
func (s *Store) Neighbours(ctx context.Context, a *news.Article) (news.Neighbours, error) {
	var n news.Neighbours
	// Row values, not an OR of comparisons: with bound parameters only the
	// former lets SQLite seek the (status, published_at, id) index.
	side := func(next, cond, order string) string {
		return `SELECT * FROM (SELECT ` + next + ` AS next, a.id, COALESCE(a.path, '') AS path, a.headline, a.published_at FROM articles a
			WHERE a.status = 'published' AND ` + notPage + ` AND ` + cond + ` ORDER BY ` + order + ` LIMIT 1) n` + next
	}
	rows, err := s.queryRows(ctx, s.read, side("0", `(a.published_at, a.id) < (?, ?)`, `a.published_at DESC, a.id DESC`)+
		` UNION ALL `+side("1", `(a.published_at, a.id) > (?, ?)`, `a.published_at ASC, a.id ASC`),
		a.PublishedAt, a.ID, a.PublishedAt, a.ID)
	if err != nil {
		return n, fmt.Errorf("neighbours of %d: %w", a.ID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			next      int
			found     = &news.Article{Status: news.StatusPublished}
			published nullTime
		)
		if err := rows.Scan(&next, &found.ID, &found.Path, &found.Headline, &published); err != nil {
			return n, fmt.Errorf("neighbours of %d: %w", a.ID, err)
		}
		found.PublishedAt = published.Time
		if next == 1 {
			n.Next = found
		} else {
			n.Previous = found
		}
	}
	if err := rows.Err(); err != nil {
		return n, fmt.Errorf("neighbours of %d: %w", a.ID, err)
	}
	return n, nil
}

func articleIDs(list []*news.Article) ([]any, map[int64]*news.Article) {
	ids := make([]any, len(list))
	byID := make(map[int64]*news.Article, len(list))
	for i, a := range list {
		ids[i] = a.ID
		byID[a.ID] = a
	}
	return ids, byID
}

// attachAuthors fills in the bylines of the listed articles with one query.
func (s *Store) attachAuthors(ctx context.Context, list []*news.Article) error {
	if len(list) == 0 {
		return nil
	}
	ids, byID := articleIDs(list)
	rows, err := s.queryRows(ctx, s.read, `SELECT aa.article_id, `+authorColumns+`
		FROM article_authors aa JOIN users u ON u.id = aa.user_id
		WHERE aa.article_id IN (`+placeholders(len(ids))+`) ORDER BY aa.article_id, aa.position`, ids...)
	if err != nil {
		return fmt.Errorf("load bylines: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var articleID int64
		var au news.Staff
		if err := rows.Scan(append([]any{&articleID}, authorDest(&au)...)...); err != nil {
			return fmt.Errorf("load bylines: %w", err)
		}
		a := byID[articleID]
		a.Authors = append(a.Authors, au)
	}
	return rows.Err()
}

// attachBylinesAndTags fills in one article's bylines (in order) and tags
// (by name) with one query, where attachAuthors and attachTags take one
// each.
func (s *Store) attachBylinesAndTags(ctx context.Context, a *news.Article) error {
	rows, err := s.queryRows(ctx, s.read, `SELECT 0 AS kind, aa.position AS pos, `+authorColumns+`
			FROM article_authors aa JOIN users u ON u.id = aa.user_id WHERE aa.article_id = ?
		UNION ALL
		SELECT 1, 0, t.id, t.slug, t.name, '', '', '', '', '', '' FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id = ?
		ORDER BY 1, 2, 5`, a.ID, a.ID)
	if err != nil {
		return fmt.Errorf("load bylines and tags of %d: %w", a.ID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var kind, pos int
		var au news.Staff
		if err := rows.Scan(append([]any{&kind, &pos}, authorDest(&au)...)...); err != nil {
			return fmt.Errorf("load bylines and tags of %d: %w", a.ID, err)
		}
		if kind == 0 {
			a.Authors = append(a.Authors, au)
		} else {
			a.Tags = append(a.Tags, news.Tag{ID: au.ID, Slug: au.Slug, Name: au.Name})
		}
	}
	return rows.Err()
}

// attachTags fills in the tags of the listed articles with one query.
func (s *Store) attachTags(ctx context.Context, list []*news.Article) error {
	if len(list) == 0 {
		return nil
	}
	ids, byID := articleIDs(list)
	rows, err := s.queryRows(ctx, s.read, `SELECT at.article_id, t.id, t.slug, t.name
		FROM article_tags at JOIN tags t ON t.id = at.tag_id
		WHERE at.article_id IN (`+placeholders(len(ids))+`) ORDER BY t.name`, ids...)
	if err != nil {
		return fmt.Errorf("load tags: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var articleID int64
		var t news.Tag
		if err := rows.Scan(&articleID, &t.ID, &t.Slug, &t.Name); err != nil {
			return fmt.Errorf("load tags: %w", err)
		}
		a := byID[articleID]
		a.Tags = append(a.Tags, t)
	}
	return rows.Err()
}

// ArchiveMonths lists the months that have published articles, newest first.
// Months are in UTC: sitemap buckets need only be stable, not local.
func (s *Store) ArchiveMonths(ctx context.Context) ([]news.ArchiveMonth, error) {
	// archive_months (0034) is kept by triggers in the writing
	// transaction: a row a month, where seeking articles_months took two
	// seeks a month.
	rows, err := s.queryRows(ctx, s.read, `SELECT month, last_modified FROM archive_months WHERE n > 0 ORDER BY month DESC`)
	if err != nil {
		return nil, fmt.Errorf("archive months: %w", err)
	}
	defer rows.Close()
	var out []news.ArchiveMonth
	for rows.Next() {
		var ym string
		var m news.ArchiveMonth
		var last nullTime
		if err := rows.Scan(&ym, &last); err != nil {
			return nil, fmt.Errorf("archive months: %w", err)
		}
		y, mo, err := parseMonth(ym)
		if err != nil {
			return nil, err
		}
		m.Year, m.Month, m.LastModified = y, int(mo), last.Time
		out = append(out, m)
	}
	return out, rows.Err()
}

// parseMonth reads a "YYYY-MM" month (archive_months, listing_months).
func parseMonth(ym string) (int, time.Month, error) {
	y, yerr := strconv.Atoi(ym[:min(4, len(ym))])
	m, merr := strconv.Atoi(ym[min(5, len(ym)):])
	if yerr != nil || merr != nil || len(ym) != 7 || ym[4] != '-' || m < 1 || m > 12 {
		return 0, 0, fmt.Errorf("month %q is not YYYY-MM", ym)
	}
	return y, time.Month(m), nil
}

// ArticlesInMonth lists the published articles of one UTC month, for a
// sitemap: id, path, publication and last change only. On SQLite they are
// read from the articles_months index (0030), not from the rows, each a
// page or more with its bodies.
func (s *Store) ArticlesInMonth(ctx context.Context, year, month int) ([]*news.Article, error) {
	from := time.Date(year, time.Month(month), 1, 0, 0, 0, 0, time.UTC)
	from_, where, args := `articles a`, `a.published_at >= ? AND a.published_at < ?`, []any{from, from.AddDate(0, 1, 0)}
	if s.dialect.sqlite() {
		// Named, or the planner walks articles_status_published to spare
		// itself a sort of one month's rows, testing every row after the
		// month: a million of them in an old month of a large archive.
		from_ = `articles a` + s.dialect.indexedBy("articles_months")
		where, args = s.dialect.truncMonth(`a.published_at`)+` = ?`, []any{from.Format("2006-01")}
	}
	rows, err := s.queryRows(ctx, s.read, `SELECT a.id, COALESCE(a.path, ''), a.published_at, a.modified_at FROM `+from_+`
		WHERE a.status = 'published' AND `+where+` ORDER BY a.published_at DESC`, args...)
	if err != nil {
		return nil, fmt.Errorf("articles in %d-%02d: %w", year, month, err)
	}
	defer rows.Close()
	var list []*news.Article
	var block []news.Article // one allocation for many: a month may hold thousands
	for rows.Next() {
		if len(block) == cap(block) {
			block = make([]news.Article, 0, 256)
		}
		block = append(block, news.Article{Status: news.StatusPublished})
		a := &block[len(block)-1]
		var published, modified nullTime
		if err := rows.Scan(&a.ID, &a.Path, &published, &modified); err != nil {
			return nil, fmt.Errorf("articles in %d-%02d: %w", year, month, err)
		}
		a.PublishedAt, a.ModifiedAt = published.Time, modified.Time
		list = append(list, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("articles in %d-%02d: %w", year, month, err)
	}
	return list, nil
}

// Article loads any article by id, whatever its status, with body, bylines,
// tags, corrections and, when it is in the trash, Trash: what the newsroom
// edits.
func (s *Store) Article(ctx context.Context, id int64) (*news.Article, error) {
	a, err := s.loadArticle(ctx, s.read, `a.body`, `a.id = ?`, id)
	if err != nil {
		return nil, err
	}
	return a, s.attachTrash(ctx, []*news.Article{a})
}

func (s *Store) loadArticle(ctx context.Context, db querier, body, where string, arg any) (*news.Article, error) {
	as := s.articleScan()
	// Whether it has corrections comes with the row: most have none, and
	// are spared the query that lists them.
	var corrected bool
	err := s.queryRow(ctx, db, `SELECT `+articleColumns+`, `+body+`, a.body_html,
		EXISTS (SELECT 1 FROM corrections c WHERE c.article_id = a.id)`+articleFrom+` WHERE `+where, arg).
		Scan(append(as.dest(true), &corrected)...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, news.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load article %v: %w", arg, err)
	}
	a := as.article()
	if err := s.attachBylinesAndTags(ctx, a); err != nil {
		return nil, err
	}
	if corrected {
		if a.Corrections, err = s.Corrections(ctx, a.ID); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// AdminArticles lists articles of any status, most recently changed first.
// With f.Text, articles whose headline has the words come first, then the
// rest; most recently changed first within each.
func (s *Store) AdminArticles(ctx context.Context, f news.AdminFilter) ([]*news.Article, error) {
	where, args, m, err := s.adminWhere(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("list newsroom articles: %w", err)
	}
	order := `a.modified_at DESC, a.id DESC`
	if m.all != "" {
		order = `CASE WHEN ` + s.adminHeadlineCond() + ` THEN 0 ELSE 1 END, ` + order
		args = append(args, m.headline)
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	args = append(args, f.Limit, max(f.Offset, 0))
	rows, err := s.queryRows(ctx, s.read, `SELECT `+articleColumns+articleFrom+` WHERE `+where+`
		ORDER BY `+order+` LIMIT ? OFFSET ?`, args...)
	if err != nil {
		return nil, fmt.Errorf("list newsroom articles: %w", err)
	}
	list, err := s.scanArticles(rows, false)
	if err != nil {
		return nil, fmt.Errorf("list newsroom articles: %w", err)
	}
	if f.Trashed {
		if err := s.attachTrash(ctx, list); err != nil {
			return nil, err
		}
	}
	return list, s.attachAuthors(ctx, list)
}

// CountAdminArticles counts the articles AdminArticles lists for f, on
// every page (f.Limit and f.Offset are ignored).
func (s *Store) CountAdminArticles(ctx context.Context, f news.AdminFilter) (int, error) {
	where, args, _, err := s.adminWhere(ctx, f)
	if err != nil {
		return 0, fmt.Errorf("count newsroom articles: %w", err)
	}
	var n int
	if err := s.queryRow(ctx, s.read, `SELECT COUNT(*) FROM articles a WHERE `+where, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count newsroom articles: %w", err)
	}
	return n, nil
}

// adminWhere is the WHERE clause over articles a that f selects, with its
// arguments and, for a search, the full-text queries it was built from.
// Every SQL text it makes is one of a few fixed strings: what was typed is
// only ever an argument.
func (s *Store) adminWhere(ctx context.Context, f news.AdminFilter) (string, []any, adminMatch, error) {
	where := []string{notTrashed}
	if f.Trashed {
		where[0] = "NOT " + notTrashed
	}
	var args []any
	if f.Status != "" {
		where = append(where, "a.status = ?")
		args = append(args, f.Status)
	}
	switch f.Kind {
	case news.KindStory:
		where = append(where, notPage)
	case news.KindPage:
		where = append(where, "EXISTS (SELECT 1 FROM pages pg WHERE pg.article_id = a.id)")
	}
	if f.AuthorID != 0 {
		where = append(where, "(a.created_by = ? OR a.id IN (SELECT article_id FROM article_authors WHERE user_id = ?))")
		args = append(args, f.AuthorID, f.AuthorID)
	}
	var m adminMatch
	if f.Text != "" {
		var err error
		if m, err = s.adminMatchText(ctx, f.Text); err != nil {
			return "", nil, m, err
		}
		if m.all == "" {
			return "1 = 0", nil, m, nil // nothing searchable was typed
		}
		where = append(where, s.adminMatchCond())
		args = append(args, m.all)
	}
	return strings.Join(where, " AND "), args, m, nil
}

// adminMatch is a newsroom search as full-text queries of the dialect:
// every word anywhere in the article, and every word in the headline.
// Both are empty when the text has no words.
type adminMatch struct{ all, headline string }

// adminMatchText builds the full-text queries for what was typed in the
// newsroom's search box, with the reader search's safe builders
// (search.go, search_postgres.go), so no input is query syntax.
func (s *Store) adminMatchText(ctx context.Context, text string) (adminMatch, error) {
	words := searchWords(text)
	if len(words) == 0 {
		return adminMatch{}, nil
	}
	if !s.dialect.sqlite() {
		return adminMatch{all: tsQuery(words, ""), headline: tsQuery(words, "A")}, nil
	}
	match, err := s.matchWords(ctx, words)
	if err != nil {
		return adminMatch{}, err
	}
	return adminMatch{all: match, headline: ftsColumns(match, "headline")}, nil
}

// adminMatchCond is the condition that article a matches the full-text
// query given as its one argument.
func (s *Store) adminMatchCond() string {
	return `a.id IN (SELECT rowid FROM article_search WHERE ` + s.dialect.ftsMatch() + `)`
}

// adminHeadlineCond is the condition that article a's headline matches
// the full-text query (adminMatch.headline) given as its one argument.
// PostgreSQL's document keeps no weights (postgres/0044): its heads do.
func (s *Store) adminHeadlineCond() string {
	if s.dialect.sqlite() {
		return s.adminMatchCond()
	}
	return `a.id IN (SELECT rowid FROM article_search WHERE heads @@ to_tsquery('english', ?))`
}

// CountByStatus counts articles in each workflow state, leaving out those
// in the trash.
func (s *Store) CountByStatus(ctx context.Context) (map[news.Status]int, error) {
	return countGroups[news.Status](ctx, s, `SELECT a.status, COUNT(*) FROM articles a WHERE `+notTrashed+` GROUP BY a.status`)
}

// CountWaiting counts what waits on editors and moderators — articles in
// review (outside the trash) and comments awaiting moderation — for the
// newsroom's menu on every page: each count reads its own status's rows
// only, where CountByStatus reads them all.
func (s *Store) CountWaiting(ctx context.Context) (review, comments int, err error) {
	err = s.queryRow(ctx, s.read, `SELECT (SELECT COUNT(*) FROM articles a WHERE a.status = 'review' AND `+notTrashed+`),
		(SELECT COUNT(*) FROM comments WHERE status = 'pending')`).Scan(&review, &comments)
	if err != nil {
		return 0, 0, fmt.Errorf("count what waits: %w", err)
	}
	return review, comments, nil
}

// countGroups runs a "SELECT key, COUNT(*) … GROUP BY key" query.
func countGroups[K ~string](ctx context.Context, s *Store, query string) (map[K]int, error) {
	rows, err := s.queryRows(ctx, s.read, query)
	if err != nil {
		return nil, fmt.Errorf("count: %w", err)
	}
	defer rows.Close()
	out := map[K]int{}
	for rows.Next() {
		var k K
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return nil, err
		}
		out[k] = n
	}
	return out, rows.Err()
}

// UpdateArticle saves the editable fields of a, which must still be at
// version expected (otherwise news.ErrStale), records a revision and an
// audit event, and reindexes it and its quotations, all in one
// transaction. a.Version is
// advanced on success.
func (s *Store) UpdateArticle(ctx context.Context, a *news.Article, expected int, userID int64, kind string) error {
	now := s.clock.Now()
	var sectionID any
	if a.Section != nil {
		sectionID = a.Section.ID
	}
	img := news.Image{}
	if a.LeadImage != nil {
		img = *a.LeadImage
	}
	snap, err := json.Marshal(a.Snapshot())
	if err != nil {
		return err
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := s.exec(ctx, tx, `UPDATE articles SET slug = ?, headline = ?, standfirst = ?, body = ?, body_html = ?, word_count = ?,
			section_id = ?, featured = ?, comments_open = ?, lead_image_url = ?, lead_image_alt = ?, lead_image_caption = ?,
			lead_image_credit = ?, lead_image_width = ?, lead_image_height = ?, seo_title = ?, seo_description = ?,
			updated_at = ?, modified_at = ?, version = version + 1
			WHERE id = ? AND version = ?`,
			a.Slug, a.Headline, a.Standfirst, s.body(a.Body), s.body(a.BodyHTML), a.WordCount,
			sectionID, a.Featured, a.CommentsOpen, img.URL, img.Alt, img.Caption,
			img.Credit, img.Width, img.Height, a.SEOTitle, a.SEODescription,
			a.UpdatedAt, now, a.ID, expected)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return news.ErrStale
		}
		if err := s.writeBylinesAndTags(ctx, tx, a); err != nil {
			return err
		}
		if err := s.indexArticle(ctx, tx, a); err != nil {
			return err
		}
		if err := s.writeArticleQuotes(ctx, tx, a); err != nil {
			return err
		}
		if err := s.writeMediaUses(ctx, tx, a); err != nil {
			return err
		}
		if _, err := s.exec(ctx, tx, `INSERT INTO revisions (article_id, user_id, version, kind, snapshot, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			a.ID, nullID(userID), expected+1, kind, string(snap), now); err != nil {
			return err
		}
		return s.addEvent(ctx, tx, a.ID, userID, "edit", a.Status, a.Status, "", now)
	})
	if errors.Is(err, news.ErrStale) {
		return err
	}
	if err != nil {
		return fmt.Errorf("save article %d: %w", a.ID, err)
	}
	a.Version = expected + 1
	a.ModifiedAt = now
	return nil
}

// ChangeStatus moves an article through the workflow if it is still in
// c.From (otherwise news.ErrStale: someone else moved it first), recording
// the event. The first publication fixes the article's path and date.
func (s *Store) ChangeStatus(ctx context.Context, articleID int64, c news.StatusChange) error {
	now := s.clock.Now()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		q := `UPDATE articles SET status = ?, publish_at = ?, modified_at = ?`
		args := []any{c.To, c.PublishAt, now}
		if c.Path != "" {
			q += `, path = ?, slug = ?, published_at = ?`
			args = append(args, c.Path, c.Slug, c.PublishedAt)
		}
		args = append(args, articleID, c.From)
		// An article in the trash moves only by being restored.
		res, err := s.exec(ctx, tx, q+` WHERE id = ? AND status = ? AND id NOT IN (SELECT article_id FROM article_trash)`, args...)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return news.ErrStale
		}
		event, err := s.addEventID(ctx, tx, articleID, c.UserID, c.Action, c.From, c.To, c.Note, now)
		if err != nil {
			return err
		}
		return s.queueStaffMail(ctx, tx, event, articleID, c.Mail, now)
	})
	if errors.Is(err, news.ErrStale) {
		return err
	}
	if isUniqueViolation(err) {
		return fmt.Errorf("publish article %d: %w", articleID, news.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("change status of article %d: %w", articleID, err)
	}
	return nil
}

// DueScheduled lists scheduled articles whose time has come.
func (s *Store) DueScheduled(ctx context.Context, now time.Time) ([]int64, error) {
	rows, err := s.queryRows(ctx, s.read, `SELECT id FROM articles WHERE status = 'scheduled' AND publish_at <= ? ORDER BY publish_at`, now)
	if err != nil {
		return nil, fmt.Errorf("due scheduled articles: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// SetPublishedAt fixes when an imported article was first published, and
// its public path. The path must be free (PathTaken).
func (s *Store) SetPublishedAt(ctx context.Context, articleID int64, publishedAt time.Time, path string) error {
	// In a transaction: a new date moves the article's quotations on its
	// speakers' pages (settleQuotes).
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		_, err := s.exec(ctx, tx, `UPDATE articles SET published_at = ?, path = ?, slug = ? WHERE id = ?`,
			publishedAt, path, path[strings.LastIndexByte(path, '/')+1:], articleID)
		return err
	})
	if isUniqueViolation(err) {
		return fmt.Errorf("article %d at %s: %w", articleID, path, news.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("article %d at %s: %w", articleID, path, err)
	}
	return nil
}

// SetModified stamps when an imported article last changed (the export's
// post_modified), which drives caches and sitemaps.
func (s *Store) SetModified(ctx context.Context, articleID int64, at time.Time) error {
	if _, err := s.exec(ctx, s.write, `UPDATE articles SET modified_at = ? WHERE id = ?`, at, articleID); err != nil {
		return fmt.Errorf("article %d: %w", articleID, err)
	}
	return nil
}

// AllArticleIDs lists the ids of every article, oldest first, for exports.
func (s *Store) AllArticleIDs(ctx context.Context) ([]int64, error) {
	rows, err := s.queryRows(ctx, s.read, `SELECT id FROM articles ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("list articles: %w", err)
	}
	return scanIDs(rows)
}

// APIArticles lists articles as the REST API filters them, with bylines
// and tags, and counts every match.
func (s *Store) APIArticles(ctx context.Context, f news.APIFilter) ([]*news.Article, int, error) {
	var where []string
	var args []any
	in := func(col string, n int) string { return col + " IN (" + placeholders(n) + ")" }
	if f.Pages {
		where = append(where, "EXISTS (SELECT 1 FROM pages pg WHERE pg.article_id = a.id)")
	} else {
		where = append(where, notPage)
	}
	statuses := f.Statuses
	if len(statuses) == 0 {
		statuses = []news.Status{news.StatusPublished}
	}
	if f.Trashed {
		where = append(where, "NOT "+notTrashed)
	} else {
		where = append(where, notTrashed, in("a.status", len(statuses)))
		for _, st := range statuses {
			args = append(args, st)
		}
	}
	if q := strings.TrimSpace(f.Search); q != "" {
		for _, w := range strings.Fields(strings.ToLower(q)) {
			like := "%" + likeEscaper.Replace(w) + "%"
			if s.dialect.sqlite() && strings.IndexFunc(w, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0 {
				// SQLite keeps bodies deflated (packed.go): a body's words
				// are looked up in the search index, as word beginnings.
				where = append(where, `(LOWER(a.headline) LIKE ? ESCAPE '\' OR LOWER(a.standfirst) LIKE ? ESCAPE '\'
					OR a.id IN (SELECT rowid FROM article_search WHERE article_search MATCH ?))`)
				args = append(args, like, like, `body : "`+strings.ReplaceAll(w, `"`, `""`)+`"*`)
				continue
			}
			where = append(where, `(LOWER(a.headline) LIKE ? ESCAPE '\' OR LOWER(a.standfirst) LIKE ? ESCAPE '\' OR LOWER(a.body) LIKE ? ESCAPE '\')`)
			args = append(args, like, like, like)
		}
	}
	ids := func(col string, list []int64) {
		if len(list) == 0 {
			return
		}
		where = append(where, in(col, len(list)))
		for _, id := range list {
			args = append(args, id)
		}
	}
	ids("a.section_id", f.SectionIDs)
	ids("a.id", f.IDs)
	if len(f.TagIDs) > 0 {
		where = append(where, "a.id IN (SELECT article_id FROM article_tags WHERE "+in("tag_id", len(f.TagIDs))+")")
		for _, id := range f.TagIDs {
			args = append(args, id)
		}
	}
	if len(f.AuthorIDs) > 0 {
		where = append(where, "a.id IN (SELECT article_id FROM article_authors WHERE "+in("user_id", len(f.AuthorIDs))+")")
		for _, id := range f.AuthorIDs {
			args = append(args, id)
		}
	}
	if len(f.Exclude) > 0 {
		where = append(where, "NOT "+in("a.id", len(f.Exclude)))
		for _, id := range f.Exclude {
			args = append(args, id)
		}
	}
	if len(f.Slugs) > 0 {
		where = append(where, in("a.slug", len(f.Slugs)))
		for _, sl := range f.Slugs {
			args = append(args, sl)
		}
	}
	if f.OwnerID != 0 {
		where = append(where, "(a.created_by = ? OR a.id IN (SELECT article_id FROM article_authors WHERE user_id = ?))")
		args = append(args, f.OwnerID, f.OwnerID)
	}
	cond := " WHERE " + strings.Join(where, " AND ")
	var total int
	if err := s.queryRow(ctx, s.read, `SELECT COUNT(*) FROM articles a`+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count articles: %w", err)
	}
	order := map[string]string{"id": "a.id", "title": "a.headline", "slug": "a.slug", "modified": "a.modified_at"}[f.OrderBy]
	if order == "" {
		order = "COALESCE(a.published_at, a.publish_at, a.created_at)"
	}
	dir := " DESC"
	if f.Asc {
		dir = " ASC"
	}
	if f.Limit <= 0 {
		f.Limit = 10
	}
	rows, err := s.queryRows(ctx, s.read, `SELECT `+articleColumns+`, a.body, a.body_html`+articleFrom+cond+`
		ORDER BY `+order+dir+`, a.id`+dir+` LIMIT ? OFFSET ?`, append(args, f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("list articles: %w", err)
	}
	list, err := s.scanArticles(rows, true)
	if err != nil {
		return nil, 0, fmt.Errorf("list articles: %w", err)
	}
	if err := s.attachAuthors(ctx, list); err != nil {
		return nil, 0, err
	}
	if f.Trashed {
		if err := s.attachTrash(ctx, list); err != nil {
			return nil, 0, err
		}
	}
	return list, total, s.attachTags(ctx, list)
}

// ArticleIDs lists every article's id, oldest first: what re-extraction
// walks through.
func (s *Store) ArticleIDs(ctx context.Context) ([]int64, error) {
	rows, err := s.queryRows(ctx, s.read, `SELECT id FROM articles ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("list article ids: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("list article ids: %w", err)
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
