-- How often each person is quoted, kept as the quotations change instead
-- of counted on each request. /people, the pages sitemap and the newsroom's
-- list of speakers counted every quotation of every person each time: 81 s
-- on /people at a million stories with 9.4 million quotations.
--
-- quote_tallies holds one article's quotations by one person, as last
-- settled: quotations (groups, a quote split by its attribution counting
-- once) and spans (rows) not dismissed, and published_at while the
-- article is published (NULL otherwise). people carries the sums: every
-- quotation not dismissed (quotations_all, for the newsroom), those
-- readers see (quotations, quote_spans) and when they were last quoted.
--
-- Triggers only note which articles changed (quotes_unsettled); the
-- store settles them before each transaction commits (quotetally.go),
-- recounting those articles alone and adding the difference to their
-- people. Settling per article keeps a bulk load linear: recounting a
-- person would read all their quotations once per batch.
CREATE TABLE quote_tallies (
    article_id   INTEGER NOT NULL,
    person_id    INTEGER NOT NULL,
    quotations   INTEGER NOT NULL,
    spans        INTEGER NOT NULL,
    published_at TEXT,
    PRIMARY KEY (article_id, person_id)
) WITHOUT ROWID;
-- A person's page walks their articles newest first, adding up spans
-- until it reaches its page (PersonQuotes).
CREATE INDEX quote_tallies_person ON quote_tallies (person_id, published_at DESC, article_id DESC, spans);
-- A writer's list of speakers adds their own unpublished articles' tallies.
CREATE INDEX quote_tallies_unpublished ON quote_tallies (article_id) WHERE published_at IS NULL;

CREATE TABLE quotes_unsettled (article_id INTEGER PRIMARY KEY);

ALTER TABLE people ADD COLUMN quotations INTEGER NOT NULL DEFAULT 0;
ALTER TABLE people ADD COLUMN quotations_all INTEGER NOT NULL DEFAULT 0;
ALTER TABLE people ADD COLUMN quote_spans INTEGER NOT NULL DEFAULT 0;
ALTER TABLE people ADD COLUMN last_quoted_at TEXT;

INSERT INTO quote_tallies (article_id, person_id, quotations, spans, published_at)
SELECT q.article_id, q.person_id, COUNT(DISTINCT q.quote_group), COUNT(*),
       CASE WHEN a.status = 'published' THEN a.published_at END
FROM article_quotes q JOIN articles a ON a.id = q.article_id
WHERE q.person_id IS NOT NULL AND q.status <> 'dismissed'
GROUP BY q.article_id, q.person_id;

UPDATE people SET (quotations, quotations_all, quote_spans, last_quoted_at) = (
    SELECT COALESCE(SUM(CASE WHEN t.published_at IS NOT NULL THEN t.quotations END), 0), COALESCE(SUM(t.quotations), 0),
           COALESCE(SUM(CASE WHEN t.published_at IS NOT NULL THEN t.spans END), 0), MAX(t.published_at)
    FROM quote_tallies t WHERE t.person_id = people.id)
WHERE id IN (SELECT person_id FROM quote_tallies);

CREATE INDEX people_most_quoted ON people (quotations DESC, name, id) WHERE merged_into IS NULL;
CREATE INDEX people_most_quoted_all ON people (quotations_all DESC, name, id) WHERE merged_into IS NULL;

CREATE TRIGGER quotes_unsettled_insert AFTER INSERT ON article_quotes
WHEN NEW.person_id IS NOT NULL
BEGIN
    INSERT OR IGNORE INTO quotes_unsettled (article_id) VALUES (NEW.article_id);
END;

CREATE TRIGGER quotes_unsettled_update AFTER UPDATE OF person_id, status, quote_group, article_id ON article_quotes
WHEN (OLD.person_id IS NOT NULL OR NEW.person_id IS NOT NULL)
 AND (OLD.person_id IS NOT NEW.person_id OR OLD.status IS NOT NEW.status OR OLD.quote_group IS NOT NEW.quote_group OR OLD.article_id IS NOT NEW.article_id)
BEGIN
    INSERT OR IGNORE INTO quotes_unsettled (article_id) VALUES (OLD.article_id);
    INSERT OR IGNORE INTO quotes_unsettled (article_id) VALUES (NEW.article_id);
END;

CREATE TRIGGER quotes_unsettled_delete AFTER DELETE ON article_quotes
WHEN OLD.person_id IS NOT NULL
BEGIN
    INSERT OR IGNORE INTO quotes_unsettled (article_id) VALUES (OLD.article_id);
END;

-- Publishing, unpublishing, redating or deleting an article moves its
-- tallies in or out of what readers see.
CREATE TRIGGER quotes_unsettled_article AFTER UPDATE OF status, published_at ON articles
WHEN ((OLD.status = 'published') IS NOT (NEW.status = 'published') OR OLD.published_at IS NOT NEW.published_at)
 AND EXISTS (SELECT 1 FROM quote_tallies WHERE article_id = NEW.id)
BEGIN
    INSERT OR IGNORE INTO quotes_unsettled (article_id) VALUES (NEW.id);
END;

CREATE TRIGGER quotes_unsettled_article_delete AFTER DELETE ON articles
WHEN EXISTS (SELECT 1 FROM quote_tallies WHERE article_id = OLD.id)
BEGIN
    INSERT OR IGNORE INTO quotes_unsettled (article_id) VALUES (OLD.id);
END;
