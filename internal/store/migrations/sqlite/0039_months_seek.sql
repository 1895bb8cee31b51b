-- The month's latest change, sought again when a published article leaves
-- its month (unpublished, moved or deleted), is compared with the month as
-- an expression, not with archive_months.month: a TEXT column on one side
-- of = gives the comparison TEXT affinity, which the index on the
-- expression substr(published_at, 1, 7) (affinity none) cannot serve, so
-- SQLite walked every published article's entry in articles_months
-- (status = ? only) for each unpublish. The rows matched are the same
-- (month = substr(OLD.published_at, 1, 7) in each statement's WHERE).
DROP TRIGGER counts_months_article_update;
CREATE TRIGGER counts_months_article_update AFTER UPDATE OF status, published_at, modified_at ON articles
WHEN OLD.status = 'published' OR NEW.status = 'published'
BEGIN
    UPDATE archive_months SET n = n - 1
    WHERE month = substr(OLD.published_at, 1, 7) AND OLD.status = 'published';
    INSERT INTO archive_months (month, n, last_modified) SELECT substr(NEW.published_at, 1, 7), 1, NEW.modified_at
    WHERE NEW.status = 'published' AND NEW.published_at IS NOT NULL
    ON CONFLICT (month) DO UPDATE SET n = n + 1, last_modified = max(last_modified, excluded.last_modified);
    UPDATE archive_months SET last_modified = COALESCE((SELECT MAX(modified_at) FROM articles
        WHERE status = 'published' AND substr(published_at, 1, 7) = substr(OLD.published_at, 1, 7)), last_modified)
    WHERE month = substr(OLD.published_at, 1, 7) AND OLD.status = 'published'
        AND NOT (NEW.status = 'published' AND substr(NEW.published_at, 1, 7) IS substr(OLD.published_at, 1, 7)
            AND NEW.modified_at >= OLD.modified_at);
    DELETE FROM archive_months WHERE month = substr(OLD.published_at, 1, 7) AND n <= 0;
END;

DROP TRIGGER counts_months_article_delete;
CREATE TRIGGER counts_months_article_delete AFTER DELETE ON articles
WHEN OLD.status = 'published' AND OLD.published_at IS NOT NULL
BEGIN
    UPDATE archive_months SET n = n - 1, last_modified = COALESCE((SELECT MAX(modified_at) FROM articles
        WHERE status = 'published' AND substr(published_at, 1, 7) = substr(OLD.published_at, 1, 7)), last_modified)
    WHERE month = substr(OLD.published_at, 1, 7);
    DELETE FROM archive_months WHERE month = substr(OLD.published_at, 1, 7) AND n <= 0;
    UPDATE listing_months SET n = n - 1
    WHERE kind = 'section' AND ref = OLD.section_id AND month = substr(OLD.published_at, 1, 7);
    DELETE FROM listing_months WHERE kind = 'section' AND ref = OLD.section_id AND month = substr(OLD.published_at, 1, 7) AND n <= 0;
END;
