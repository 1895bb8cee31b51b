-- Listings and the sitemap index at archive scale.
--
-- A tag or author page shows that tag's or author's published stories,
-- newest first, with a count for its pager. Reading each story's status and
-- date from its row (which holds the body first) took ~50 ms for a tag of
-- 4,000 stories. article_tags and article_authors now carry listed_at: the
-- story's published_at while it is listed (published and not a static
-- page), else NULL. Triggers keep it, so any page of a listing, and its
-- count, are read from one index.

ALTER TABLE article_tags ADD COLUMN listed_at TEXT;
ALTER TABLE article_authors ADD COLUMN listed_at TEXT;

-- The index holds status and published_at without the bodies.
UPDATE article_tags SET listed_at = (
    SELECT a.published_at FROM articles a INDEXED BY articles_visible
    WHERE a.id = article_tags.article_id AND a.status = 'published')
WHERE NOT EXISTS (SELECT 1 FROM pages pg WHERE pg.article_id = article_tags.article_id);
UPDATE article_authors SET listed_at = (
    SELECT a.published_at FROM articles a INDEXED BY articles_visible
    WHERE a.id = article_authors.article_id AND a.status = 'published')
WHERE NOT EXISTS (SELECT 1 FROM pages pg WHERE pg.article_id = article_authors.article_id);

CREATE INDEX article_tags_listed ON article_tags (tag_id, listed_at DESC, article_id DESC) WHERE listed_at IS NOT NULL;
CREATE INDEX article_authors_listed ON article_authors (user_id, listed_at DESC, article_id DESC) WHERE listed_at IS NOT NULL;

-- A row that comes with its listed time (InsertBatch's published
-- stories) needs no lookup.
CREATE TRIGGER listed_tag_insert AFTER INSERT ON article_tags
WHEN NEW.listed_at IS NULL
BEGIN
    UPDATE article_tags SET listed_at = (
        SELECT a.published_at FROM articles a WHERE a.id = NEW.article_id AND a.status = 'published'
            AND NOT EXISTS (SELECT 1 FROM pages pg WHERE pg.article_id = a.id))
    WHERE rowid = NEW.rowid;
END;

CREATE TRIGGER listed_byline_insert AFTER INSERT ON article_authors
WHEN NEW.listed_at IS NULL
BEGIN
    UPDATE article_authors SET listed_at = (
        SELECT a.published_at FROM articles a WHERE a.id = NEW.article_id AND a.status = 'published'
            AND NOT EXISTS (SELECT 1 FROM pages pg WHERE pg.article_id = a.id))
    WHERE rowid = NEW.rowid;
END;

CREATE TRIGGER listed_article_update AFTER UPDATE OF status, published_at ON articles
    WHEN OLD.status IS NOT NEW.status OR OLD.published_at IS NOT NEW.published_at
BEGIN
    UPDATE article_tags SET listed_at = CASE WHEN NEW.status = 'published'
        AND NOT EXISTS (SELECT 1 FROM pages pg WHERE pg.article_id = NEW.id) THEN NEW.published_at END
    WHERE article_id = NEW.id;
    UPDATE article_authors SET listed_at = CASE WHEN NEW.status = 'published'
        AND NOT EXISTS (SELECT 1 FROM pages pg WHERE pg.article_id = NEW.id) THEN NEW.published_at END
    WHERE article_id = NEW.id;
END;

-- A story that becomes a static page leaves the listings; one that stops
-- being one comes back (if published).
CREATE TRIGGER listed_page_insert AFTER INSERT ON pages
BEGIN
    UPDATE article_tags SET listed_at = NULL WHERE article_id = NEW.article_id;
    UPDATE article_authors SET listed_at = NULL WHERE article_id = NEW.article_id;
END;

CREATE TRIGGER listed_page_delete AFTER DELETE ON pages
BEGIN
    UPDATE article_tags SET listed_at = (SELECT a.published_at FROM articles a WHERE a.id = OLD.article_id AND a.status = 'published')
    WHERE article_id = OLD.article_id;
    UPDATE article_authors SET listed_at = (SELECT a.published_at FROM articles a WHERE a.id = OLD.article_id AND a.status = 'published')
    WHERE article_id = OLD.article_id;
END;

CREATE TRIGGER listed_page_move AFTER UPDATE OF article_id ON pages
    WHEN OLD.article_id IS NOT NEW.article_id
BEGIN
    UPDATE article_tags SET listed_at = (SELECT a.published_at FROM articles a WHERE a.id = OLD.article_id AND a.status = 'published')
    WHERE article_id = OLD.article_id;
    UPDATE article_authors SET listed_at = (SELECT a.published_at FROM articles a WHERE a.id = OLD.article_id AND a.status = 'published')
    WHERE article_id = OLD.article_id;
    UPDATE article_tags SET listed_at = NULL WHERE article_id = NEW.article_id;
    UPDATE article_authors SET listed_at = NULL WHERE article_id = NEW.article_id;
END;

-- The sitemap index names each UTC month with published articles and the
-- latest change among them. Grouping every article by month took ~60 ms;
-- with this index each month is two seeks (ArchiveMonths). published_at is
-- there too so the month is computed from the index, not the row.
CREATE INDEX articles_months ON articles (status, substr(published_at, 1, 7), modified_at, published_at);
