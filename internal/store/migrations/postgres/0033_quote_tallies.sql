-- How often each person is quoted, kept as the quotations change instead
-- of counted on each request: see SQLite's 0033_quote_tallies.sql. Only
-- the marking is done by triggers (idempotent, so PostgreSQL running row
-- triggers at the end of a statement changes nothing); the store settles
-- the marked articles before each transaction commits (quotetally.go).
CREATE TABLE quote_tallies (
    article_id   BIGINT NOT NULL,
    person_id    BIGINT NOT NULL,
    quotations   INTEGER NOT NULL,
    spans        INTEGER NOT NULL,
    published_at TIMESTAMPTZ,
    PRIMARY KEY (article_id, person_id)
);
-- A person's page walks their articles newest first, adding up spans
-- until it reaches its page (PersonQuotes).
CREATE INDEX quote_tallies_person ON quote_tallies (person_id, published_at DESC, article_id DESC) INCLUDE (spans);
-- A writer's list of speakers adds their own unpublished articles' tallies.
CREATE INDEX quote_tallies_unpublished ON quote_tallies (article_id) WHERE published_at IS NULL;

CREATE TABLE quotes_unsettled (article_id BIGINT PRIMARY KEY);

ALTER TABLE people ADD COLUMN quotations INTEGER NOT NULL DEFAULT 0;
ALTER TABLE people ADD COLUMN quotations_all INTEGER NOT NULL DEFAULT 0;
ALTER TABLE people ADD COLUMN quote_spans INTEGER NOT NULL DEFAULT 0;
ALTER TABLE people ADD COLUMN last_quoted_at TIMESTAMPTZ;

INSERT INTO quote_tallies (article_id, person_id, quotations, spans, published_at)
SELECT q.article_id, q.person_id, COUNT(DISTINCT q.quote_group), COUNT(*),
       CASE WHEN a.status = 'published' THEN a.published_at END
FROM article_quotes q JOIN articles a ON a.id = q.article_id
WHERE q.person_id IS NOT NULL AND q.status <> 'dismissed'
GROUP BY q.article_id, q.person_id, a.status, a.published_at;

UPDATE people SET (quotations, quotations_all, quote_spans, last_quoted_at) = (
    SELECT COALESCE(SUM(CASE WHEN t.published_at IS NOT NULL THEN t.quotations END), 0), COALESCE(SUM(t.quotations), 0),
           COALESCE(SUM(CASE WHEN t.published_at IS NOT NULL THEN t.spans END), 0), MAX(t.published_at)
    FROM quote_tallies t WHERE t.person_id = people.id)
WHERE id IN (SELECT person_id FROM quote_tallies);

CREATE INDEX people_most_quoted ON people (quotations DESC, name, id) WHERE merged_into IS NULL;
CREATE INDEX people_most_quoted_all ON people (quotations_all DESC, name, id) WHERE merged_into IS NULL;

CREATE FUNCTION quotes_unsettle(article BIGINT) RETURNS void LANGUAGE sql AS $$
    INSERT INTO quotes_unsettled (article_id) VALUES (article) ON CONFLICT DO NOTHING
$$;

CREATE FUNCTION quotes_unsettled_quote() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.person_id IS NOT NULL THEN
        PERFORM quotes_unsettle(OLD.article_id);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.person_id IS NOT NULL THEN
        PERFORM quotes_unsettle(NEW.article_id);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER quotes_unsettled_insert AFTER INSERT ON article_quotes
FOR EACH ROW WHEN (NEW.person_id IS NOT NULL) EXECUTE FUNCTION quotes_unsettled_quote();
CREATE TRIGGER quotes_unsettled_update AFTER UPDATE OF person_id, status, quote_group, article_id ON article_quotes
FOR EACH ROW WHEN ((OLD.person_id IS NOT NULL OR NEW.person_id IS NOT NULL)
    AND (OLD.person_id IS DISTINCT FROM NEW.person_id OR OLD.status IS DISTINCT FROM NEW.status
         OR OLD.quote_group IS DISTINCT FROM NEW.quote_group OR OLD.article_id IS DISTINCT FROM NEW.article_id))
EXECUTE FUNCTION quotes_unsettled_quote();
CREATE TRIGGER quotes_unsettled_delete AFTER DELETE ON article_quotes
FOR EACH ROW WHEN (OLD.person_id IS NOT NULL) EXECUTE FUNCTION quotes_unsettled_quote();

-- Publishing, unpublishing, redating or deleting an article moves its
-- tallies in or out of what readers see.
CREATE FUNCTION quotes_unsettled_article() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF EXISTS (SELECT 1 FROM quote_tallies WHERE article_id = OLD.id) THEN
            PERFORM quotes_unsettle(OLD.id);
        END IF;
    ELSIF EXISTS (SELECT 1 FROM quote_tallies WHERE article_id = NEW.id) THEN
        PERFORM quotes_unsettle(NEW.id);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER quotes_unsettled_article AFTER UPDATE OF status, published_at ON articles
FOR EACH ROW WHEN ((OLD.status = 'published') IS DISTINCT FROM (NEW.status = 'published') OR OLD.published_at IS DISTINCT FROM NEW.published_at)
EXECUTE FUNCTION quotes_unsettled_article();
CREATE TRIGGER quotes_unsettled_article_delete AFTER DELETE ON articles
FOR EACH ROW EXECUTE FUNCTION quotes_unsettled_article();
