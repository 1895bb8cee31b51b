-- listing_counts, as SQLite has had since its 0030: how many stories a
-- section, tag or author page pages through, for its pager. Counting them
-- read an index entry per story on every request (10 ms for a section of a
-- million-story archive). Triggers keep the counts in the writing
-- transaction; bulk loads turn them off and count afresh
-- (Store.SuspendChangeLog, the site copy: recountListings).
--   section  published articles with that section_id (static pages among
--            them are few, and subtracted when counting: CountPublished)
--   tag      article_tags rows with listed_at set (0009_listings.sql)
--   author   article_authors rows with listed_at set
CREATE TABLE listing_counts (
    kind TEXT NOT NULL CHECK (kind IN ('section', 'tag', 'author')),
    ref  BIGINT NOT NULL,
    n    BIGINT NOT NULL,
    PRIMARY KEY (kind, ref)
);

INSERT INTO listing_counts (kind, ref, n)
SELECT 'section', section_id, COUNT(*) FROM articles WHERE status = 'published' AND section_id IS NOT NULL GROUP BY section_id;
INSERT INTO listing_counts (kind, ref, n)
SELECT 'tag', tag_id, COUNT(*) FROM article_tags WHERE listed_at IS NOT NULL GROUP BY tag_id;
INSERT INTO listing_counts (kind, ref, n)
SELECT 'author', user_id, COUNT(*) FROM article_authors WHERE listed_at IS NOT NULL GROUP BY user_id;

CREATE FUNCTION listing_count_add(count_kind TEXT, count_ref BIGINT, delta INTEGER) RETURNS void LANGUAGE sql AS $$
    INSERT INTO listing_counts (kind, ref, n) VALUES (count_kind, count_ref, delta)
    ON CONFLICT (kind, ref) DO UPDATE SET n = listing_counts.n + delta
$$;

CREATE FUNCTION counts_article() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'published' AND OLD.section_id IS NOT NULL THEN
        PERFORM listing_count_add('section', OLD.section_id, -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status = 'published' AND NEW.section_id IS NOT NULL THEN
        PERFORM listing_count_add('section', NEW.section_id, 1);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER counts_article_insert AFTER INSERT ON articles
FOR EACH ROW WHEN (NEW.status = 'published') EXECUTE FUNCTION counts_article();
CREATE TRIGGER counts_article_update AFTER UPDATE OF status, section_id ON articles
FOR EACH ROW WHEN ((OLD.status = 'published') IS DISTINCT FROM (NEW.status = 'published') OR OLD.section_id IS DISTINCT FROM NEW.section_id)
EXECUTE FUNCTION counts_article();
CREATE TRIGGER counts_article_delete AFTER DELETE ON articles
FOR EACH ROW WHEN (OLD.status = 'published') EXECUTE FUNCTION counts_article();

CREATE FUNCTION counts_tag() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.listed_at IS NOT NULL THEN
        PERFORM listing_count_add('tag', OLD.tag_id, -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.listed_at IS NOT NULL THEN
        PERFORM listing_count_add('tag', NEW.tag_id, 1);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER counts_tag_insert AFTER INSERT ON article_tags
FOR EACH ROW WHEN (NEW.listed_at IS NOT NULL) EXECUTE FUNCTION counts_tag();
CREATE TRIGGER counts_tag_update AFTER UPDATE OF listed_at, tag_id ON article_tags
FOR EACH ROW WHEN ((OLD.listed_at IS NULL) IS DISTINCT FROM (NEW.listed_at IS NULL) OR OLD.tag_id IS DISTINCT FROM NEW.tag_id)
EXECUTE FUNCTION counts_tag();
CREATE TRIGGER counts_tag_delete AFTER DELETE ON article_tags
FOR EACH ROW WHEN (OLD.listed_at IS NOT NULL) EXECUTE FUNCTION counts_tag();

CREATE FUNCTION counts_byline() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.listed_at IS NOT NULL THEN
        PERFORM listing_count_add('author', OLD.user_id, -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.listed_at IS NOT NULL THEN
        PERFORM listing_count_add('author', NEW.user_id, 1);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER counts_byline_insert AFTER INSERT ON article_authors
FOR EACH ROW WHEN (NEW.listed_at IS NOT NULL) EXECUTE FUNCTION counts_byline();
CREATE TRIGGER counts_byline_update AFTER UPDATE OF listed_at, user_id ON article_authors
FOR EACH ROW WHEN ((OLD.listed_at IS NULL) IS DISTINCT FROM (NEW.listed_at IS NULL) OR OLD.user_id IS DISTINCT FROM NEW.user_id)
EXECUTE FUNCTION counts_byline();
CREATE TRIGGER counts_byline_delete AFTER DELETE ON article_authors
FOR EACH ROW WHEN (OLD.listed_at IS NOT NULL) EXECUTE FUNCTION counts_byline();
