-- Quotes as data: the quotations found in each article, who said them, and
-- what editors decided about them (store/quotes.go, store/persons.go).

-- people are who is quoted: persons, and organisations when a statement
-- is attributed to one. They are created from the extractor's speakers and
-- kept by editors. A merged person keeps its row with merged_into set, so
-- /people/{its slug} redirects to the person it was merged into.
CREATE TABLE people (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL DEFAULT 'person' CHECK (kind IN ('person', 'organisation')),
    name        TEXT NOT NULL,
    slug        TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    merged_into INTEGER REFERENCES people (id) ON DELETE SET NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX people_merged_into ON people (merged_into);

-- person_aliases holds every name a person is quoted under, their own
-- name included, by its news.NameKey (lower-case, accents and punctuation
-- folded): a name belongs to one person.
CREATE TABLE person_aliases (
    key       TEXT PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    name      TEXT NOT NULL
);
CREATE INDEX person_aliases_person ON person_aliases (person_id);

-- article_quotes are the quotations in an article's plain text, in text
-- order: character (code point) offsets with the quotation marks outside,
-- the words, the split-quotation group, the cue, the speaker as the
-- extractor named them (speaker_kind '' when unnamed), and after the
-- newsroom's decisions the person who said them and the quote's status.
-- Rewritten whenever the article is saved; readers see quotes of
-- published articles that are not dismissed.
CREATE TABLE article_quotes (
    id           INTEGER PRIMARY KEY,
    article_id   INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    start_char   INTEGER NOT NULL,
    end_char     INTEGER NOT NULL,
    text         TEXT NOT NULL,
    quote_group  INTEGER NOT NULL,
    cue          TEXT NOT NULL DEFAULT '',
    speaker      TEXT NOT NULL DEFAULT '',
    speaker_kind TEXT NOT NULL DEFAULT '' CHECK (speaker_kind IN ('', 'person', 'organisation')),
    person_id    INTEGER REFERENCES people (id) ON DELETE SET NULL,
    status       TEXT NOT NULL DEFAULT 'detected' CHECK (status IN ('detected', 'confirmed', 'dismissed')),
    UNIQUE (article_id, position)
);
CREATE INDEX article_quotes_person ON article_quotes (person_id, article_id);

-- quote_decisions are what editors decided about a quotation in an
-- article: confirmed (said by person_id, or by no named speaker when it is
-- NULL) or dismissed (not a quotation). They are keyed by the quotation's
-- words — quote_key is the hex SHA-256 (first 16 bytes) of news.QuoteKey —
-- not by offsets, so a decision follows its quote through later edits.
CREATE TABLE quote_decisions (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    quote_key  TEXT NOT NULL,
    quote_text TEXT NOT NULL,
    verdict    TEXT NOT NULL CHECK (verdict IN ('confirmed', 'dismissed')),
    person_id  INTEGER REFERENCES people (id) ON DELETE SET NULL,
    decided_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    decided_at TEXT NOT NULL,
    PRIMARY KEY (article_id, quote_key)
);

-- The change log (see 0003). A quotation of a published article shows on
-- its page (marked up, and in its JSON-LD) and on the people pages, which
-- are site-wide pages; a person's name, kind or description shows on every
-- article quoting them, so it names every page; their other names show on
-- their own page. Decisions show only through the quote rows they rewrite.
CREATE TRIGGER changes_quote_insert AFTER INSERT ON article_quotes
WHEN (SELECT status FROM articles WHERE id = NEW.article_id) = 'published'
BEGIN
    INSERT INTO changes (kind, ref) SELECT 'article', path FROM articles WHERE id = NEW.article_id;
    INSERT INTO changes (kind, ref) VALUES ('site', '');
END;

CREATE TRIGGER changes_quote_update AFTER UPDATE ON article_quotes
WHEN (SELECT status FROM articles WHERE id = NEW.article_id) = 'published'
BEGIN
    INSERT INTO changes (kind, ref) SELECT 'article', path FROM articles WHERE id = NEW.article_id;
    INSERT INTO changes (kind, ref) VALUES ('site', '');
END;

CREATE TRIGGER changes_quote_delete AFTER DELETE ON article_quotes
WHEN (SELECT status FROM articles WHERE id = OLD.article_id) = 'published'
BEGIN
    INSERT INTO changes (kind, ref) SELECT 'article', path FROM articles WHERE id = OLD.article_id;
    INSERT INTO changes (kind, ref) VALUES ('site', '');
END;

CREATE TRIGGER changes_person_update AFTER UPDATE OF kind, name, slug, description, merged_into ON people
WHEN OLD.kind IS NOT NEW.kind OR OLD.name IS NOT NEW.name OR OLD.slug IS NOT NEW.slug
  OR OLD.description IS NOT NEW.description OR OLD.merged_into IS NOT NEW.merged_into
BEGIN INSERT INTO changes (kind) VALUES ('all'); END;
CREATE TRIGGER changes_person_delete AFTER DELETE ON people BEGIN INSERT INTO changes (kind) VALUES ('all'); END;

CREATE TRIGGER changes_alias_insert AFTER INSERT ON person_aliases
WHEN EXISTS (SELECT 1 FROM article_quotes q JOIN articles a ON a.id = q.article_id
             WHERE q.person_id = NEW.person_id AND a.status = 'published')
BEGIN INSERT INTO changes (kind, ref) VALUES ('site', ''); END;

CREATE TRIGGER changes_alias_update AFTER UPDATE ON person_aliases
WHEN EXISTS (SELECT 1 FROM article_quotes q JOIN articles a ON a.id = q.article_id
             WHERE q.person_id IN (OLD.person_id, NEW.person_id) AND a.status = 'published')
BEGIN INSERT INTO changes (kind, ref) VALUES ('site', ''); END;

CREATE TRIGGER changes_alias_delete AFTER DELETE ON person_aliases
WHEN EXISTS (SELECT 1 FROM article_quotes q JOIN articles a ON a.id = q.article_id
             WHERE q.person_id = OLD.person_id AND a.status = 'published')
BEGIN INSERT INTO changes (kind, ref) VALUES ('site', ''); END;
