-- Months, counted in the writing transaction, as listing_counts (0032)
-- counts whole listings. Months are UTC, "YYYY-MM". Bulk loads turn the
-- triggers off with the other counts_ ones and count afresh
-- (recountListings).
--
-- archive_months: the sitemap index's months, each with its published
-- articles (static pages too) and the latest change among them. Finding
-- them took two seeks of articles_months a month (9-14 ms for the 915
-- months of a million-story archive); now it reads a row a month. A row
-- that leaves a month (unpublished, deleted, re-dated) or changes to an
-- earlier time may have been its latest change: that month's latest is
-- then sought again, one seek.
--
-- listing_months: how many stories each month holds in a section, tag
-- or author listing, counted as listing_counts counts (a section's static
-- pages among them). A deep page of a listing starts from the month that
-- holds its first story, found by adding up months, rather than walking
-- every story before it (PublishedArticles).
CREATE TABLE archive_months (
    month         TEXT PRIMARY KEY,
    n             BIGINT NOT NULL,
    last_modified TIMESTAMPTZ NOT NULL
);

CREATE TABLE listing_months (
    kind  TEXT NOT NULL CHECK (kind IN ('section', 'tag', 'author')),
    ref   BIGINT NOT NULL,
    month TEXT NOT NULL,
    n     BIGINT NOT NULL,
    -- n in the index: a listing's months are read newest first from it
    -- alone, where the heap scattered them over a block each.
    PRIMARY KEY (kind, ref, month) INCLUDE (n)
);

CREATE FUNCTION utc_month(t TIMESTAMPTZ) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$
    SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM')
$$;

INSERT INTO archive_months (month, n, last_modified)
SELECT utc_month(published_at), COUNT(*), MAX(modified_at) FROM articles
WHERE status = 'published' AND published_at IS NOT NULL GROUP BY 1;
INSERT INTO listing_months (kind, ref, month, n)
SELECT 'section', section_id, utc_month(published_at), COUNT(*) FROM articles
WHERE status = 'published' AND section_id IS NOT NULL AND published_at IS NOT NULL GROUP BY 2, 3;
INSERT INTO listing_months (kind, ref, month, n)
SELECT 'tag', tag_id, utc_month(listed_at), COUNT(*) FROM article_tags WHERE listed_at IS NOT NULL GROUP BY 2, 3;
INSERT INTO listing_months (kind, ref, month, n)
SELECT 'author', user_id, utc_month(listed_at), COUNT(*) FROM article_authors WHERE listed_at IS NOT NULL GROUP BY 2, 3;

-- listing_month_add adds delta to a listing's month, dropping it when it
-- holds nothing more.
CREATE FUNCTION listing_month_add(count_kind TEXT, count_ref BIGINT, count_month TEXT, delta INTEGER) RETURNS void LANGUAGE sql AS $$
    INSERT INTO listing_months (kind, ref, month, n) VALUES (count_kind, count_ref, count_month, delta)
    ON CONFLICT (kind, ref, month) DO UPDATE SET n = listing_months.n + delta;
    DELETE FROM listing_months WHERE kind = count_kind AND ref = count_ref AND month = count_month AND n <= 0;
$$;

CREATE FUNCTION counts_months_article() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    old_month TEXT;
    new_month TEXT;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'published' THEN
        old_month := utc_month(OLD.published_at);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status = 'published' THEN
        new_month := utc_month(NEW.published_at);
    END IF;
    IF old_month IS NOT NULL THEN
        UPDATE archive_months SET n = n - 1 WHERE month = old_month;
    END IF;
    IF new_month IS NOT NULL THEN
        INSERT INTO archive_months (month, n, last_modified) VALUES (new_month, 1, NEW.modified_at)
        ON CONFLICT (month) DO UPDATE SET n = archive_months.n + 1,
            last_modified = GREATEST(archive_months.last_modified, EXCLUDED.last_modified);
    END IF;
    IF old_month IS NOT NULL THEN
        -- The row may have been its month's latest change; unless it stays
        -- in the month at the same or a later time, seek the latest again.
        IF new_month IS DISTINCT FROM old_month OR NEW.modified_at < OLD.modified_at THEN
            UPDATE archive_months SET last_modified = COALESCE((SELECT MAX(a.modified_at) FROM articles a
                WHERE a.status = 'published'
                AND date_trunc('month', a.published_at AT TIME ZONE 'UTC') = date_trunc('month', OLD.published_at AT TIME ZONE 'UTC')),
                last_modified)
            WHERE month = old_month;
        END IF;
        DELETE FROM archive_months WHERE month = old_month AND n <= 0;
    END IF;
    IF TG_OP <> 'UPDATE' OR old_month IS DISTINCT FROM new_month OR OLD.section_id IS DISTINCT FROM NEW.section_id THEN
        IF old_month IS NOT NULL AND OLD.section_id IS NOT NULL THEN
            PERFORM listing_month_add('section', OLD.section_id, old_month, -1);
        END IF;
        IF new_month IS NOT NULL AND NEW.section_id IS NOT NULL THEN
            PERFORM listing_month_add('section', NEW.section_id, new_month, 1);
        END IF;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER counts_months_article_insert AFTER INSERT ON articles
FOR EACH ROW WHEN (NEW.status = 'published') EXECUTE FUNCTION counts_months_article();
CREATE TRIGGER counts_months_article_update AFTER UPDATE OF status, published_at, modified_at, section_id ON articles
FOR EACH ROW WHEN (OLD.status = 'published' OR NEW.status = 'published') EXECUTE FUNCTION counts_months_article();
CREATE TRIGGER counts_months_article_delete AFTER DELETE ON articles
FOR EACH ROW WHEN (OLD.status = 'published') EXECUTE FUNCTION counts_months_article();

CREATE FUNCTION counts_months_tag() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.listed_at IS NOT NULL THEN
        PERFORM listing_month_add('tag', OLD.tag_id, utc_month(OLD.listed_at), -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.listed_at IS NOT NULL THEN
        PERFORM listing_month_add('tag', NEW.tag_id, utc_month(NEW.listed_at), 1);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER counts_months_tag_insert AFTER INSERT ON article_tags
FOR EACH ROW WHEN (NEW.listed_at IS NOT NULL) EXECUTE FUNCTION counts_months_tag();
CREATE TRIGGER counts_months_tag_update AFTER UPDATE OF listed_at, tag_id ON article_tags
FOR EACH ROW WHEN (OLD.listed_at IS DISTINCT FROM NEW.listed_at OR OLD.tag_id IS DISTINCT FROM NEW.tag_id)
EXECUTE FUNCTION counts_months_tag();
CREATE TRIGGER counts_months_tag_delete AFTER DELETE ON article_tags
FOR EACH ROW WHEN (OLD.listed_at IS NOT NULL) EXECUTE FUNCTION counts_months_tag();

CREATE FUNCTION counts_months_byline() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.listed_at IS NOT NULL THEN
        PERFORM listing_month_add('author', OLD.user_id, utc_month(OLD.listed_at), -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.listed_at IS NOT NULL THEN
        PERFORM listing_month_add('author', NEW.user_id, utc_month(NEW.listed_at), 1);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER counts_months_byline_insert AFTER INSERT ON article_authors
FOR EACH ROW WHEN (NEW.listed_at IS NOT NULL) EXECUTE FUNCTION counts_months_byline();
CREATE TRIGGER counts_months_byline_update AFTER UPDATE OF listed_at, user_id ON article_authors
FOR EACH ROW WHEN (OLD.listed_at IS DISTINCT FROM NEW.listed_at OR OLD.user_id IS DISTINCT FROM NEW.user_id)
EXECUTE FUNCTION counts_months_byline();
CREATE TRIGGER counts_months_byline_delete AFTER DELETE ON article_authors
FOR EACH ROW WHEN (OLD.listed_at IS NOT NULL) EXECUTE FUNCTION counts_months_byline();
