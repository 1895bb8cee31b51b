-- Months, counted in the writing transaction, as listing_counts (0030)
-- counts whole listings. Months are UTC, "YYYY-MM", as articles_months.
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
    n             INTEGER NOT NULL,
    last_modified TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE listing_months (
    kind  TEXT NOT NULL CHECK (kind IN ('section', 'tag', 'author')),
    ref   INTEGER NOT NULL,
    month TEXT NOT NULL,
    n     INTEGER NOT NULL,
    PRIMARY KEY (kind, ref, month)
) WITHOUT ROWID;

INSERT INTO archive_months (month, n, last_modified)
SELECT substr(published_at, 1, 7), COUNT(*), MAX(modified_at) FROM articles
WHERE status = 'published' AND published_at IS NOT NULL GROUP BY substr(published_at, 1, 7);
INSERT INTO listing_months (kind, ref, month, n)
SELECT 'section', section_id, substr(published_at, 1, 7), COUNT(*) FROM articles
WHERE status = 'published' AND section_id IS NOT NULL AND published_at IS NOT NULL GROUP BY section_id, substr(published_at, 1, 7);
INSERT INTO listing_months (kind, ref, month, n)
SELECT 'tag', tag_id, substr(listed_at, 1, 7), COUNT(*) FROM article_tags
WHERE listed_at IS NOT NULL GROUP BY tag_id, substr(listed_at, 1, 7);
INSERT INTO listing_months (kind, ref, month, n)
SELECT 'author', user_id, substr(listed_at, 1, 7), COUNT(*) FROM article_authors
WHERE listed_at IS NOT NULL GROUP BY user_id, substr(listed_at, 1, 7);

CREATE TRIGGER counts_months_article_insert AFTER INSERT ON articles
WHEN NEW.status = 'published' AND NEW.published_at IS NOT NULL
BEGIN
    INSERT INTO archive_months (month, n, last_modified) VALUES (substr(NEW.published_at, 1, 7), 1, NEW.modified_at)
    ON CONFLICT (month) DO UPDATE SET n = n + 1, last_modified = max(last_modified, excluded.last_modified);
    INSERT INTO listing_months (kind, ref, month, n) SELECT 'section', NEW.section_id, substr(NEW.published_at, 1, 7), 1
    WHERE NEW.section_id IS NOT NULL
    ON CONFLICT (kind, ref, month) DO UPDATE SET n = n + 1;
END;

-- Every edit of a published article changes modified_at: the common case,
-- staying in its month at a later time, is one upsert.
CREATE TRIGGER counts_months_article_update AFTER UPDATE OF status, published_at, modified_at ON articles
WHEN OLD.status = 'published' OR NEW.status = 'published'
BEGIN
    UPDATE archive_months SET n = n - 1
    WHERE month = substr(OLD.published_at, 1, 7) AND OLD.status = 'published';
    INSERT INTO archive_months (month, n, last_modified) SELECT substr(NEW.published_at, 1, 7), 1, NEW.modified_at
    WHERE NEW.status = 'published' AND NEW.published_at IS NOT NULL
    ON CONFLICT (month) DO UPDATE SET n = n + 1, last_modified = max(last_modified, excluded.last_modified);
    UPDATE archive_months SET last_modified = COALESCE((SELECT MAX(modified_at) FROM articles
        WHERE status = 'published' AND substr(published_at, 1, 7) = archive_months.month), last_modified)
    WHERE month = substr(OLD.published_at, 1, 7) AND OLD.status = 'published'
        AND NOT (NEW.status = 'published' AND substr(NEW.published_at, 1, 7) IS substr(OLD.published_at, 1, 7)
            AND NEW.modified_at >= OLD.modified_at);
    DELETE FROM archive_months WHERE month = substr(OLD.published_at, 1, 7) AND n <= 0;
END;

CREATE TRIGGER counts_months_section_update AFTER UPDATE OF status, published_at, section_id ON articles
WHEN ((OLD.status = 'published') IS NOT (NEW.status = 'published') OR OLD.section_id IS NOT NEW.section_id
    OR substr(OLD.published_at, 1, 7) IS NOT substr(NEW.published_at, 1, 7))
BEGIN
    UPDATE listing_months SET n = n - 1
    WHERE kind = 'section' AND ref = OLD.section_id AND month = substr(OLD.published_at, 1, 7) AND OLD.status = 'published';
    DELETE FROM listing_months WHERE kind = 'section' AND ref = OLD.section_id AND month = substr(OLD.published_at, 1, 7) AND n <= 0;
    INSERT INTO listing_months (kind, ref, month, n) SELECT 'section', NEW.section_id, substr(NEW.published_at, 1, 7), 1
    WHERE NEW.status = 'published' AND NEW.section_id IS NOT NULL AND NEW.published_at IS NOT NULL
    ON CONFLICT (kind, ref, month) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER counts_months_article_delete AFTER DELETE ON articles
WHEN OLD.status = 'published' AND OLD.published_at IS NOT NULL
BEGIN
    UPDATE archive_months SET n = n - 1, last_modified = COALESCE((SELECT MAX(modified_at) FROM articles
        WHERE status = 'published' AND substr(published_at, 1, 7) = archive_months.month), last_modified)
    WHERE month = substr(OLD.published_at, 1, 7);
    DELETE FROM archive_months WHERE month = substr(OLD.published_at, 1, 7) AND n <= 0;
    UPDATE listing_months SET n = n - 1
    WHERE kind = 'section' AND ref = OLD.section_id AND month = substr(OLD.published_at, 1, 7);
    DELETE FROM listing_months WHERE kind = 'section' AND ref = OLD.section_id AND month = substr(OLD.published_at, 1, 7) AND n <= 0;
END;

CREATE TRIGGER counts_months_tag_insert AFTER INSERT ON article_tags
WHEN NEW.listed_at IS NOT NULL
BEGIN
    INSERT INTO listing_months (kind, ref, month, n) VALUES ('tag', NEW.tag_id, substr(NEW.listed_at, 1, 7), 1)
    ON CONFLICT (kind, ref, month) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER counts_months_tag_update AFTER UPDATE OF listed_at, tag_id ON article_tags
WHEN substr(OLD.listed_at, 1, 7) IS NOT substr(NEW.listed_at, 1, 7) OR OLD.tag_id IS NOT NEW.tag_id
BEGIN
    UPDATE listing_months SET n = n - 1 WHERE kind = 'tag' AND ref = OLD.tag_id AND month = substr(OLD.listed_at, 1, 7);
    DELETE FROM listing_months WHERE kind = 'tag' AND ref = OLD.tag_id AND month = substr(OLD.listed_at, 1, 7) AND n <= 0;
    INSERT INTO listing_months (kind, ref, month, n) SELECT 'tag', NEW.tag_id, substr(NEW.listed_at, 1, 7), 1
    WHERE NEW.listed_at IS NOT NULL
    ON CONFLICT (kind, ref, month) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER counts_months_tag_delete AFTER DELETE ON article_tags
WHEN OLD.listed_at IS NOT NULL
BEGIN
    UPDATE listing_months SET n = n - 1 WHERE kind = 'tag' AND ref = OLD.tag_id AND month = substr(OLD.listed_at, 1, 7);
    DELETE FROM listing_months WHERE kind = 'tag' AND ref = OLD.tag_id AND month = substr(OLD.listed_at, 1, 7) AND n <= 0;
END;

CREATE TRIGGER counts_months_byline_insert AFTER INSERT ON article_authors
WHEN NEW.listed_at IS NOT NULL
BEGIN
    INSERT INTO listing_months (kind, ref, month, n) VALUES ('author', NEW.user_id, substr(NEW.listed_at, 1, 7), 1)
    ON CONFLICT (kind, ref, month) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER counts_months_byline_update AFTER UPDATE OF listed_at, user_id ON article_authors
WHEN substr(OLD.listed_at, 1, 7) IS NOT substr(NEW.listed_at, 1, 7) OR OLD.user_id IS NOT NEW.user_id
BEGIN
    UPDATE listing_months SET n = n - 1 WHERE kind = 'author' AND ref = OLD.user_id AND month = substr(OLD.listed_at, 1, 7);
    DELETE FROM listing_months WHERE kind = 'author' AND ref = OLD.user_id AND month = substr(OLD.listed_at, 1, 7) AND n <= 0;
    INSERT INTO listing_months (kind, ref, month, n) SELECT 'author', NEW.user_id, substr(NEW.listed_at, 1, 7), 1
    WHERE NEW.listed_at IS NOT NULL
    ON CONFLICT (kind, ref, month) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER counts_months_byline_delete AFTER DELETE ON article_authors
WHEN OLD.listed_at IS NOT NULL
BEGIN
    UPDATE listing_months SET n = n - 1 WHERE kind = 'author' AND ref = OLD.user_id AND month = substr(OLD.listed_at, 1, 7);
    DELETE FROM listing_months WHERE kind = 'author' AND ref = OLD.user_id AND month = substr(OLD.listed_at, 1, 7) AND n <= 0;
END;
