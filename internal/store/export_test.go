package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// WriteThroughReadPool tries a write on the reader pool.
func WriteThroughReadPool(s *Store, ctx context.Context) error {
	_, err := s.read.ExecContext(ctx, s.q(`INSERT INTO settings (key, value) VALUES (?, ?)`), "k", "v")
	return err
}

// The store's classifiers of driver errors.
var (
	IsUniqueViolation = isUniqueViolation
	IsConnectionError = isConnectionError
)

// Exec runs a statement on the writer pool and returns the driver's error
// as it came.
func Exec(s *Store, ctx context.Context, query string, args ...any) error {
	_, err := s.exec(ctx, s.write, query, args...)
	return err
}

// InTx runs fn in the store's transaction (a savepoint inside Atomically),
// with exec for its statements.
func InTx(s *Store, ctx context.Context, fn func(exec func(query string, args ...any) error) error) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		return fn(func(query string, args ...any) error {
			_, err := s.exec(ctx, tx, query, args...)
			return err
		})
	})
}

// Count runs a "SELECT COUNT(*) …" query on the reader pool.
func Count(s *Store, ctx context.Context, query string, args ...any) (int, error) {
	var n int
	err := s.queryRow(ctx, s.read, query, args...).Scan(&n)
	return n, err
}

// Vocabulary lists the search vocabulary as "term doc cnt" lines.
func Vocabulary(s *Store, ctx context.Context) ([]string, error) {
	rows, err := s.queryRows(ctx, s.read, `SELECT term, doc, cnt FROM search_vocab ORDER BY term`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var term string
		var doc, cnt int
		if err := rows.Scan(&term, &doc, &cnt); err != nil {
			return nil, err
		}
		out = append(out, fmt.Sprintf("%s %d %d", term, doc, cnt))
	}
	return out, rows.Err()
}

// PackBodies runs migration 0030's conversion of text bodies, in a
// transaction of its own.
func PackBodies(s *Store, ctx context.Context) error {
	return s.inTx(ctx, func(tx *sql.Tx) error { return s.packBodies(ctx, tx) })
}

// QuoteTallyDrift lists the people whose kept tallies (quotetally.go)
// differ from counting their quotations afresh, and any article left
// unsettled: empty when the tallies are right.
func QuoteTallyDrift(s *Store, ctx context.Context) ([]string, error) {
	rows, err := s.queryRows(ctx, s.read, `SELECT p.id, p.name, p.quotations, p.quotations_all, p.quote_spans,
			COALESCE(g.pub, 0), COALESCE(g.n, 0), COALESCE(g.spans, 0)
		FROM people p LEFT JOIN (
			SELECT person_id, SUM(CASE WHEN listed = 1 THEN 1 ELSE 0 END) AS pub, COUNT(*) AS n,
				SUM(CASE WHEN listed = 1 THEN spans ELSE 0 END) AS spans
			FROM (SELECT q.person_id, q.article_id, q.quote_group, MAX(CASE WHEN a.status = 'published' THEN 1 ELSE 0 END) AS listed,
					COUNT(*) AS spans
				FROM article_quotes q JOIN articles a ON a.id = q.article_id
				WHERE q.person_id IS NOT NULL AND q.status <> 'dismissed'
				GROUP BY q.person_id, q.article_id, q.quote_group) x
			GROUP BY person_id) g ON g.person_id = p.id
		ORDER BY p.id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var drift []string
	for rows.Next() {
		var id int64
		var name string
		var kept, want [3]int
		if err := rows.Scan(&id, &name, &kept[0], &kept[1], &kept[2], &want[0], &want[1], &want[2]); err != nil {
			return nil, err
		}
		if kept != want {
			drift = append(drift, fmt.Sprintf("%s (%d): kept published/all/spans %v, counted %v", name, id, kept, want))
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var unsettled int
	if err := s.queryRow(ctx, s.read, `SELECT COUNT(*) FROM quotes_unsettled`).Scan(&unsettled); err != nil {
		return nil, err
	}
	if unsettled > 0 {
		drift = append(drift, fmt.Sprintf("%d articles left unsettled", unsettled))
	}
	return drift, nil
}

// SetListingSeek sets, on an open store, how deep a listing's page must
// start to be found from its month (WithListingSeek).
func SetListingSeek(s *Store, from int) { s.seekFrom = max(from, 1) }

// SetSearchWalk sets how many stories a search walks for a page of a
// small tier before it looks the tier's dates up (walkFor): 0 as chosen
// for the archive's size, negative never.
func SetSearchWalk(s *Store, stories int) { s.searchWalk = stories }

// MonthCounts lists the months the triggers keep (archive_months,
// listing_months, 0034) and the same months counted afresh from the
// articles, each as "kind ref month n last-modified", sorted.
func MonthCounts(s *Store, ctx context.Context) (kept, counted []string, err error) {
	month := func(col string) string { return s.dialect.monthText(s.dialect.truncMonth(col)) }
	read := func(query string) ([]string, error) {
		rows, err := s.read.QueryContext(ctx, query)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", query, err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var kind, ym string
			var ref, n int64
			var last nullTime
			if err := rows.Scan(&kind, &ref, &ym, &n, &last); err != nil {
				return nil, err
			}
			out = append(out, fmt.Sprintf("%s %d %s %d %s", kind, ref, ym, n, last.Time.Format(time.RFC3339Nano)))
		}
		return out, rows.Err()
	}
	if kept, err = read(`SELECT 'archive', 0, month, n, last_modified FROM archive_months
		UNION ALL SELECT kind, ref, month, n, NULL FROM listing_months ORDER BY 1, 2, 3`); err != nil {
		return nil, nil, err
	}
	counted, err = read(`SELECT 'archive', 0, ` + month(`published_at`) + `, COUNT(*), MAX(modified_at) FROM articles
			WHERE status = 'published' AND published_at IS NOT NULL GROUP BY 3
		UNION ALL SELECT 'section', section_id, ` + month(`published_at`) + `, COUNT(*), NULL FROM articles
			WHERE status = 'published' AND section_id IS NOT NULL AND published_at IS NOT NULL GROUP BY 2, 3
		UNION ALL SELECT 'tag', tag_id, ` + month(`listed_at`) + `, COUNT(*), NULL FROM article_tags WHERE listed_at IS NOT NULL GROUP BY 2, 3
		UNION ALL SELECT 'author', user_id, ` + month(`listed_at`) + `, COUNT(*), NULL FROM article_authors WHERE listed_at IS NOT NULL GROUP BY 2, 3
		ORDER BY 1, 2, 3`)
	return kept, counted, err
}

// ListingCountDrift lists the rows of SQLite's kept listing counts
// (listing_counts, archive_months, listing_months) that differ from
// counting afresh as their migrations first did (0030, 0034): empty when
// the counts are right.
func ListingCountDrift(s *Store, ctx context.Context) ([]string, error) {
	var drift []string
	for _, c := range []struct{ kept, counted string }{
		{`SELECT kind, ref, n FROM listing_counts`, `
			SELECT 'section', section_id, COUNT(*) FROM articles WHERE status = 'published' AND section_id IS NOT NULL GROUP BY section_id
			UNION ALL SELECT 'tag', tag_id, COUNT(*) FROM article_tags WHERE listed_at IS NOT NULL GROUP BY tag_id
			UNION ALL SELECT 'author', user_id, COUNT(*) FROM article_authors WHERE listed_at IS NOT NULL GROUP BY user_id`},
		{`SELECT month, n, last_modified FROM archive_months`, `
			SELECT substr(published_at, 1, 7), COUNT(*), MAX(modified_at) FROM articles
			WHERE status = 'published' AND published_at IS NOT NULL GROUP BY 1`},
		{`SELECT kind, ref, month, n FROM listing_months`, `
			SELECT 'section', section_id, substr(published_at, 1, 7), COUNT(*) FROM articles
			WHERE status = 'published' AND published_at IS NOT NULL AND section_id IS NOT NULL GROUP BY 2, 3
			UNION ALL SELECT 'tag', tag_id, substr(listed_at, 1, 7), COUNT(*) FROM article_tags WHERE listed_at IS NOT NULL GROUP BY 2, 3
			UNION ALL SELECT 'author', user_id, substr(listed_at, 1, 7), COUNT(*) FROM article_authors WHERE listed_at IS NOT NULL GROUP BY 2, 3`},
	} {
		for _, q := range []struct{ label, query string }{
			{"kept, not counted", c.kept + ` EXCEPT SELECT * FROM (` + c.counted + `)`},
			{"counted, not kept", `SELECT * FROM (` + c.counted + `) EXCEPT ` + c.kept},
		} {
			rows, err := s.read.QueryContext(ctx, q.query)
			if err != nil {
				return nil, err
			}
			cols, err := rows.Columns()
			if err != nil {
				rows.Close()
				return nil, err
			}
			for rows.Next() {
				vals := make([]any, len(cols))
				ptrs := make([]any, len(cols))
				for i := range vals {
					ptrs[i] = &vals[i]
				}
				if err := rows.Scan(ptrs...); err != nil {
					rows.Close()
					return nil, err
				}
				drift = append(drift, fmt.Sprintf("%s: %v", q.label, vals))
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return nil, err
			}
		}
	}
	return drift, nil
}

// SearchLexemes lists search_lexemes (postgres/0041), in byte order; nil
// on SQLite, which has no such table.
func SearchLexemes(s *Store, ctx context.Context) ([]string, error) {
	if s.dialect.sqlite() {
		return nil, nil
	}
	rows, err := s.queryRows(ctx, s.read, `SELECT lexeme FROM search_lexemes ORDER BY lexeme`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var w string
		if err := rows.Scan(&w); err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, rows.Err()
}
