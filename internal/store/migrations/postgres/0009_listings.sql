-- Listings and the sitemap index at archive scale. PostgreSQL twin of
-- sqlite/0009_listings.sql (see it for why): the same column, indexes and
-- triggers, with the listed time computed by one function.

ALTER TABLE article_tags ADD COLUMN listed_at TIMESTAMPTZ;
ALTER TABLE article_authors ADD COLUMN listed_at TIMESTAMPTZ;

-- article_listed_at is an article's published_at while it is listed
-- (published and not a static page), else NULL.
CREATE FUNCTION article_listed_at(article BIGINT) RETURNS TIMESTAMPTZ LANGUAGE sql STABLE AS $$
    SELECT a.published_at FROM articles a WHERE a.id = article AND a.status = 'published'
        AND NOT EXISTS (SELECT 1 FROM pages pg WHERE pg.article_id = a.id)
$$;

UPDATE article_tags at SET listed_at = a.published_at FROM articles a
WHERE a.id = at.article_id AND a.status = 'published'
    AND NOT EXISTS (SELECT 1 FROM pages pg WHERE pg.article_id = a.id);
UPDATE article_authors aa SET listed_at = a.published_at FROM articles a
WHERE a.id = aa.article_id AND a.status = 'published'
    AND NOT EXISTS (SELECT 1 FROM pages pg WHERE pg.article_id = a.id);

CREATE INDEX article_tags_listed ON article_tags (tag_id, listed_at DESC, article_id DESC) WHERE listed_at IS NOT NULL;
CREATE INDEX article_authors_listed ON article_authors (user_id, listed_at DESC, article_id DESC) WHERE listed_at IS NOT NULL;

CREATE FUNCTION listed_row_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.listed_at := article_listed_at(NEW.article_id);
    RETURN NEW;
END $$;
CREATE TRIGGER listed_tag_insert BEFORE INSERT ON article_tags FOR EACH ROW EXECUTE FUNCTION listed_row_insert();
CREATE TRIGGER listed_byline_insert BEFORE INSERT ON article_authors FOR EACH ROW EXECUTE FUNCTION listed_row_insert();

-- listed_refresh recomputes the listed time of one article's tags and bylines.
CREATE FUNCTION listed_refresh(article BIGINT) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    t TIMESTAMPTZ := article_listed_at(article);
BEGIN
    UPDATE article_tags SET listed_at = t WHERE article_id = article AND listed_at IS DISTINCT FROM t;
    UPDATE article_authors SET listed_at = t WHERE article_id = article AND listed_at IS DISTINCT FROM t;
END $$;

CREATE FUNCTION listed_article_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM listed_refresh(NEW.id);
    RETURN NULL;
END $$;
CREATE TRIGGER listed_article_update AFTER UPDATE OF status, published_at ON articles FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.published_at IS DISTINCT FROM NEW.published_at)
    EXECUTE FUNCTION listed_article_update();

-- A story that becomes a static page leaves the listings; one that stops
-- being one comes back (if published).
CREATE FUNCTION listed_page_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM listed_refresh(OLD.article_id);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM listed_refresh(NEW.article_id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER listed_page_change AFTER INSERT OR DELETE ON pages FOR EACH ROW EXECUTE FUNCTION listed_page_change();
CREATE TRIGGER listed_page_move AFTER UPDATE OF article_id ON pages FOR EACH ROW
    WHEN (OLD.article_id IS DISTINCT FROM NEW.article_id) EXECUTE FUNCTION listed_page_change();

-- The sitemap index's months (UTC), each found with two index seeks.
-- date_trunc over a timestamp without time zone is immutable, so it can be
-- indexed; the session's time zone plays no part. published_at is there
-- for index-only scans.
CREATE INDEX articles_months ON articles (status, date_trunc('month', published_at AT TIME ZONE 'UTC'), modified_at, published_at);
