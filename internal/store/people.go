package store

// People who are quoted (news.Person), and the names they are quoted
// under. (Staff are users: people.go.)
//
// Every name a person is known by — their name and their aliases — is a
// row of person_aliases under its news.NameKey, which is unique: a name
// belongs to one person, and the extractor's speaker finds its person by
// it. A merged person keeps its row, with merged_into set, so its slug
// redirects to the person it was merged into.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"masthead/internal/news"
)

const personColumns = `p.id, p.kind, p.name, p.slug, p.description, COALESCE(p.merged_into, 0)`

func scanPerson(sc interface{ Scan(...any) error }, p *news.Person, extra ...any) error {
	return sc.Scan(append([]any{&p.ID, &p.Kind, &p.Name, &p.Slug, &p.Description, &p.MergedInto}, extra...)...)
}

// ensurePerson finds the person known by name, or creates one of kind
// with a free slug, inside tx.
func (s *Store) ensurePerson(ctx context.Context, tx *sql.Tx, name string, kind news.PersonKind) (*news.Person, error) {
	name = strings.Join(strings.Fields(name), " ")
	key := news.NameKey(name)
	if key == "" {
		return nil, news.FieldErrors{"speaker": "Give the speaker's name."}
	}
	if p, err := s.personByKey(ctx, tx, key); !errors.Is(err, news.ErrNotFound) {
		return p, err
	}
	now := s.clock.Now()
	base := news.Slugify(name)
	var id int64
	for n := 1; ; n++ {
		slug := base
		if n > 1 {
			slug = news.SlugWithSuffix(base, n)
		}
		var err error
		id, err = s.insert(ctx, tx, `INSERT INTO people (kind, name, slug, description, created_at, updated_at)
			VALUES (?, ?, ?, '', ?, ?) ON CONFLICT (slug) DO NOTHING`, kind, name, slug, now, now)
		if err == nil {
			break
		}
		if !errors.Is(err, sql.ErrNoRows) || n >= 1000 {
			return nil, fmt.Errorf("create person %q: %w", name, err)
		}
	}
	if _, err := s.exec(ctx, tx, `INSERT INTO person_aliases (key, person_id, name) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING`, key, id, name); err != nil {
		return nil, fmt.Errorf("create person %q: %w", name, err)
	}
	p, err := s.personByKey(ctx, tx, key)
	if err != nil {
		return nil, err
	}
	if p.ID != id {
		// Another writer created them first (PostgreSQL); drop ours.
		if _, err := s.exec(ctx, tx, `DELETE FROM people WHERE id = ?`, id); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// extractedPerson is ensurePerson for a speaker the extractor found. A
// person it once took for a person and now finds to be an organisation
// becomes one, unless an editor has changed or merged the entry since it
// was created (updated_at is set only by editors), whose word stands.
func (s *Store) extractedPerson(ctx context.Context, tx *sql.Tx, name string, kind news.PersonKind) (*news.Person, error) {
	p, err := s.ensurePerson(ctx, tx, name, kind)
	if err != nil || kind != news.KindOrganisation || p.Kind != news.KindPerson || p.MergedInto != 0 {
		return p, err
	}
	res, err := s.exec(ctx, tx, `UPDATE people SET kind = ? WHERE id = ? AND kind = ? AND updated_at = created_at`,
		news.KindOrganisation, p.ID, news.KindPerson)
	if err != nil {
		return nil, fmt.Errorf("mark %q an organisation: %w", name, err)
	}
	if n, err := res.RowsAffected(); err == nil && n > 0 {
		p.Kind = news.KindOrganisation
	}
	return p, nil
}

func (s *Store) personByKey(ctx context.Context, db querier, key string) (*news.Person, error) {
	var p news.Person
	err := scanPerson(s.queryRow(ctx, db, `SELECT `+personColumns+` FROM person_aliases n JOIN people p ON p.id = n.person_id WHERE n.key = ?`, key), &p)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, news.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("find person %q: %w", key, err)
	}
	return &p, nil
}

// EnsurePerson finds the person known by name, or creates one of kind.
func (s *Store) EnsurePerson(ctx context.Context, name string, kind news.PersonKind) (*news.Person, error) {
	var p *news.Person
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		p, err = s.ensurePerson(ctx, tx, name, kind)
		return err
	})
	return p, err
}

// PersonByName finds the person known by name (their name or an alias).
func (s *Store) PersonByName(ctx context.Context, name string) (*news.Person, error) {
	return s.personByKey(ctx, s.read, news.NameKey(name))
}

// Person loads a person by id, with their aliases and how many quotations
// readers see by them.
func (s *Store) Person(ctx context.Context, id int64) (*news.Person, error) {
	return s.loadPerson(ctx, `p.id = ?`, id)
}

// PersonBySlug loads the person whose page is /people/{slug}, with their
// aliases and how many quotations readers see by them. For a person merged
// into another it returns the other: a Slug different from slug means the
// page has moved.
func (s *Store) PersonBySlug(ctx context.Context, slug string) (*news.Person, error) {
	p, err := s.loadPerson(ctx, `p.slug = ?`, slug)
	if err != nil || p.MergedInto == 0 {
		return p, err
	}
	return s.Person(ctx, p.MergedInto)
}

func (s *Store) loadPerson(ctx context.Context, where string, arg any) (*news.Person, error) {
	var p news.Person
	err := scanPerson(s.queryRow(ctx, s.read, `SELECT `+personColumns+` FROM people p WHERE `+where, arg), &p)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, news.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load person %v: %w", arg, err)
	}
	var last nullTime
	if err := s.queryRow(ctx, s.read, `SELECT quotations, last_quoted_at FROM people WHERE id = ?`, p.ID).Scan(&p.QuoteCount, &last); err != nil {
		return nil, fmt.Errorf("count quotes of person %d: %w", p.ID, err)
	}
	p.LastQuoted = last.Time
	rows, err := s.queryRows(ctx, s.read, `SELECT name FROM person_aliases WHERE person_id = ? ORDER BY name`, p.ID)
	if err != nil {
		return nil, fmt.Errorf("aliases of person %d: %w", p.ID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, err
		}
		if news.NameKey(name) != news.NameKey(p.Name) {
			p.Aliases = append(p.Aliases, name)
		}
	}
	return &p, rows.Err()
}

// People lists people who are not merged into another, the most quoted
// first (quotations, not spans: a quote split by its attribution counts
// once), with QuoteCount and LastQuoted set. With f.Published only
// quotations readers see count, and people with none are left out;
// otherwise every quotation not dismissed counts. The counts are the
// tallies people carry (quotetally.go).
func (s *Store) People(ctx context.Context, f news.PeopleFilter) ([]news.Person, error) {
	where, args := peopleWhere(f)
	// SQLite would rather find the unmerged by people_merged_into and sort
	// them all than walk the index in the order wanted.
	count, from := `p.quotations_all`, `people p`+s.dialect.indexedBy("people_most_quoted_all")
	switch {
	case f.Published:
		count, from, where = `p.quotations`, `people p`+s.dialect.indexedBy("people_most_quoted"), where+` AND p.quotations > 0`
	case f.VisibleTo != 0:
		// Quoted where readers see it, or in the writer's own unpublished
		// articles (few: the tallies' unpublished index finds them).
		count, where = `p.quotations + COALESCE(o.n, 0)`, where+` AND (p.quotations > 0 OR o.n > 0)`
		from = `people p LEFT JOIN (SELECT t.person_id, SUM(t.quotations) AS n
			FROM quote_tallies t JOIN articles a ON a.id = t.article_id
			WHERE t.published_at IS NULL AND ` + ownArticle + `
			GROUP BY t.person_id) o ON o.person_id = p.id`
		args = append([]any{f.VisibleTo, f.VisibleTo}, args...)
	}
	if f.Limit <= 0 {
		f.Limit = 100
	}
	args = append(args, f.Limit, f.Offset)
	rows, err := s.queryRows(ctx, s.read, `SELECT `+personColumns+`, `+count+`, p.last_quoted_at
		FROM `+from+` WHERE `+where+`
		ORDER BY `+count+` DESC, p.name, p.id LIMIT ? OFFSET ?`, args...)
	if err != nil {
		return nil, fmt.Errorf("list people: %w", err)
	}
	defer rows.Close()
	var out []news.Person
	for rows.Next() {
		var p news.Person
		var last nullTime
		if err := scanPerson(rows, &p, &p.QuoteCount, &last); err != nil {
			return nil, fmt.Errorf("list people: %w", err)
		}
		p.LastQuoted = last.Time
		out = append(out, p)
	}
	return out, rows.Err()
}

// CountPeople counts the people People would page through.
func (s *Store) CountPeople(ctx context.Context, f news.PeopleFilter) (int, error) {
	where, args := peopleWhere(f)
	if f.Published {
		where += ` AND p.quotations > 0`
	}
	var n int
	if err := s.queryRow(ctx, s.read, `SELECT COUNT(*) FROM people p WHERE `+where, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count people: %w", err)
	}
	return n, nil
}

func peopleWhere(f news.PeopleFilter) (string, []any) {
	where := []string{"p.merged_into IS NULL"}
	var args []any
	if f.Kind != "" {
		where = append(where, "p.kind = ?")
		args = append(args, f.Kind)
	}
	if q := news.NameKey(f.Query); q != "" {
		where = append(where, "p.id IN (SELECT person_id FROM person_aliases WHERE key LIKE ? ESCAPE '\\')")
		args = append(args, "%"+strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(q)+"%")
	}
	return strings.Join(where, " AND "), args
}

// ownArticle is the condition on articles a (twice the id of a member of
// staff) for those they created or are a byline on.
const ownArticle = `(a.created_by = ? OR a.id IN (SELECT article_id FROM article_authors WHERE user_id = ?))`

// visibleTo is the condition on articles a (twice the id of a member of
// staff) for those they may see: published ones, and their own.
const visibleTo = `(a.status = 'published' OR ` + ownArticle + `)`

// UpdatePerson saves what an editor changed about a person: name, kind,
// description, aliases, and the slug while no published article quotes
// them (afterwards their page's address is fixed, so links keep
// working). A name that already belongs to someone else is refused: merge
// the two instead.
func (s *Store) UpdatePerson(ctx context.Context, p *news.Person) error {
	if err := news.ValidatePerson(p); err != nil {
		return err
	}
	p.Aliases = news.CleanAliases(p.Name, p.Aliases)
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var cur news.Person
		err := scanPerson(s.queryRow(ctx, tx, `SELECT `+personColumns+` FROM people p WHERE p.id = ?`, p.ID), &cur)
		if errors.Is(err, sql.ErrNoRows) || cur.MergedInto != 0 {
			return news.ErrNotFound
		}
		if err != nil {
			return err
		}
		if p.Slug == "" {
			p.Slug = cur.Slug
		}
		if p.Slug != cur.Slug {
			var public int // quotations readers see, as tallied (quotetally.go)
			if err := s.queryRow(ctx, tx, `SELECT quote_spans FROM people WHERE id = ?`, p.ID).Scan(&public); err != nil {
				return err
			}
			if public > 0 {
				return news.FieldErrors{"slug": "Published articles quote them, so their page's address is fixed."}
			}
			var taken int
			if err := s.queryRow(ctx, tx, `SELECT COUNT(*) FROM people WHERE slug = ? AND id <> ?`, p.Slug, p.ID).Scan(&taken); err != nil {
				return err
			}
			if taken > 0 {
				return news.FieldErrors{"slug": "Another person has that slug."}
			}
		}
		names := append([]string{p.Name}, p.Aliases...)
		for _, n := range names {
			var owner news.Person
			err := scanPerson(s.queryRow(ctx, tx, `SELECT `+personColumns+` FROM person_aliases n JOIN people p ON p.id = n.person_id
				WHERE n.key = ? AND n.person_id <> ?`, news.NameKey(n), p.ID), &owner)
			if err == nil {
				field := "aliases"
				if n == p.Name {
					field = "name"
				}
				return news.FieldErrors{field: fmt.Sprintf("“%s” is already the name of %s (%s). Merge the two instead.", n, owner.Name, owner.URLPath())}
			}
			if !errors.Is(err, sql.ErrNoRows) {
				return err
			}
		}
		if _, err := s.exec(ctx, tx, `UPDATE people SET kind = ?, name = ?, slug = ?, description = ?, updated_at = ? WHERE id = ?`,
			p.Kind, p.Name, p.Slug, p.Description, s.clock.Now(), p.ID); err != nil {
			return err
		}
		return s.writeAliases(ctx, tx, p.ID, names)
	})
	var fe news.FieldErrors
	if err != nil && !errors.As(err, &fe) && !errors.Is(err, news.ErrNotFound) {
		return fmt.Errorf("update person %d: %w", p.ID, err)
	}
	return err
}

// writeAliases makes names the person's whole list of names, touching only
// the rows that change.
func (s *Store) writeAliases(ctx context.Context, tx *sql.Tx, personID int64, names []string) error {
	want := map[string]string{}
	for _, n := range names {
		if k := news.NameKey(n); k != "" {
			if _, ok := want[k]; !ok {
				want[k] = n
			}
		}
	}
	rows, err := s.queryRows(ctx, tx, `SELECT key, name FROM person_aliases WHERE person_id = ?`, personID)
	if err != nil {
		return err
	}
	have := map[string]string{}
	for rows.Next() {
		var k, n string
		if err := rows.Scan(&k, &n); err != nil {
			rows.Close()
			return err
		}
		have[k] = n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for k, n := range have {
		if w, ok := want[k]; !ok {
			if _, err := s.exec(ctx, tx, `DELETE FROM person_aliases WHERE key = ?`, k); err != nil {
				return err
			}
		} else if w != n {
			if _, err := s.exec(ctx, tx, `UPDATE person_aliases SET name = ? WHERE key = ?`, w, k); err != nil {
				return err
			}
		}
	}
	for k, n := range want {
		if _, ok := have[k]; !ok {
			if _, err := s.exec(ctx, tx, `INSERT INTO person_aliases (key, person_id, name) VALUES (?, ?, ?)`, k, personID, n); err != nil {
				return err
			}
		}
	}
	return nil
}

// MergePeople merges person from into person into: from's quotations,
// the decisions naming them and their names move to into, into takes
// from's description if it has none, and from's page redirects to into's
// (as do the pages of anyone merged into from before).
func (s *Store) MergePeople(ctx context.Context, from, into int64) error {
	if from == into {
		return news.FieldErrors{"into": "Choose someone else to merge into."}
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var a, b news.Person
		for _, x := range []struct {
			id int64
			p  *news.Person
		}{{from, &a}, {into, &b}} {
			err := scanPerson(s.queryRow(ctx, tx, `SELECT `+personColumns+` FROM people p WHERE p.id = ?`, x.id), x.p)
			if errors.Is(err, sql.ErrNoRows) || err == nil && x.p.MergedInto != 0 {
				return news.ErrNotFound
			}
			if err != nil {
				return err
			}
		}
		now := s.clock.Now()
		steps := []struct {
			query string
			args  []any
		}{
			{`UPDATE person_aliases SET person_id = ? WHERE person_id = ?`, []any{into, from}},
			{`UPDATE article_quotes SET person_id = ? WHERE person_id = ?`, []any{into, from}},
			{`UPDATE quote_decisions SET person_id = ? WHERE person_id = ?`, []any{into, from}},
			{`UPDATE people SET merged_into = ?, updated_at = ? WHERE merged_into = ?`, []any{into, now, from}},
			{`UPDATE people SET merged_into = ?, updated_at = ? WHERE id = ?`, []any{into, now, from}},
		}
		if b.Description == "" && a.Description != "" {
			steps = append(steps, struct {
				query string
				args  []any
			}{`UPDATE people SET description = ?, updated_at = ? WHERE id = ?`, []any{a.Description, now, into}})
		}
		for _, st := range steps {
			if _, err := s.exec(ctx, tx, st.query, st.args...); err != nil {
				return err
			}
		}
		return nil
	})
	var fe news.FieldErrors
	if err != nil && !errors.As(err, &fe) && !errors.Is(err, news.ErrNotFound) {
		return fmt.Errorf("merge person %d into %d: %w", from, into, err)
	}
	return err
}
