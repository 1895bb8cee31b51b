-- article_search kept a copy of every article's text beside its index:
-- 4.4 KB a story, more than the index itself, for text the articles table
-- already holds (the body as body_html). It is now contentless: the index
-- alone, rows deleted by rowid (contentless_delete). Snippets are made
-- from the article's body_html when a search shows them (search.go), and
-- `masthead migrate` rebuilds the rows from the articles (sitecopy.go).
-- The pages the copy held are free for reuse; VACUUM gives them back to
-- the file system.
ALTER TABLE article_search RENAME TO article_search_full;
CREATE VIRTUAL TABLE article_search USING fts5 (
    headline, standfirst, body, byline, tags,
    content = '', contentless_delete = 1,
    tokenize = 'porter unicode61 remove_diacritics 2'
);
INSERT INTO article_search (rowid, headline, standfirst, body, byline, tags)
SELECT rowid, headline, standfirst, body, byline, tags FROM article_search_full;
DROP TABLE article_search_full;

-- A month's sitemap (ArticlesInMonth) needs each article's path and last
-- change; read from the rows, each a page or more with its bodies, a
-- month of 1,000 stories read a thousand pages. The months index now
-- carries the path, so the sitemap reads the index alone.
DROP INDEX articles_months;
CREATE INDEX articles_months ON articles (status, substr(published_at, 1, 7), modified_at, published_at, path);

-- listing_counts: how many stories a section, tag or author page pages
-- through, for its pager. Counting them meant reading an index entry per
-- story on every request (a section of a million-story archive has
-- 125,000). Triggers keep the counts in the writing transaction:
--   section  published articles with that section_id (static pages among
--            them are few, and subtracted when counting: CountPublished)
--   tag      article_tags rows with listed_at set (0009_listings.sql)
--   author   article_authors rows with listed_at set
CREATE TABLE listing_counts (
    kind TEXT NOT NULL CHECK (kind IN ('section', 'tag', 'author')),
    ref  INTEGER NOT NULL,
    n    INTEGER NOT NULL,
    PRIMARY KEY (kind, ref)
) WITHOUT ROWID;

INSERT INTO listing_counts (kind, ref, n)
SELECT 'section', section_id, COUNT(*) FROM articles WHERE status = 'published' AND section_id IS NOT NULL GROUP BY section_id;
INSERT INTO listing_counts (kind, ref, n)
SELECT 'tag', tag_id, COUNT(*) FROM article_tags WHERE listed_at IS NOT NULL GROUP BY tag_id;
INSERT INTO listing_counts (kind, ref, n)
SELECT 'author', user_id, COUNT(*) FROM article_authors WHERE listed_at IS NOT NULL GROUP BY user_id;

CREATE TRIGGER counts_article_insert AFTER INSERT ON articles
WHEN NEW.status = 'published' AND NEW.section_id IS NOT NULL
BEGIN
    INSERT INTO listing_counts (kind, ref, n) VALUES ('section', NEW.section_id, 1)
    ON CONFLICT (kind, ref) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER counts_article_update AFTER UPDATE OF status, section_id ON articles
WHEN (OLD.status = 'published') IS NOT (NEW.status = 'published') OR OLD.section_id IS NOT NEW.section_id
BEGIN
    UPDATE listing_counts SET n = n - 1 WHERE kind = 'section' AND ref = OLD.section_id AND OLD.status = 'published';
    INSERT INTO listing_counts (kind, ref, n) SELECT 'section', NEW.section_id, 1
    WHERE NEW.status = 'published' AND NEW.section_id IS NOT NULL
    ON CONFLICT (kind, ref) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER counts_article_delete AFTER DELETE ON articles
WHEN OLD.status = 'published'
BEGIN
    UPDATE listing_counts SET n = n - 1 WHERE kind = 'section' AND ref = OLD.section_id;
END;

CREATE TRIGGER counts_tag_insert AFTER INSERT ON article_tags
WHEN NEW.listed_at IS NOT NULL
BEGIN
    INSERT INTO listing_counts (kind, ref, n) VALUES ('tag', NEW.tag_id, 1)
    ON CONFLICT (kind, ref) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER counts_tag_update AFTER UPDATE OF listed_at, tag_id ON article_tags
WHEN (OLD.listed_at IS NULL) IS NOT (NEW.listed_at IS NULL) OR OLD.tag_id IS NOT NEW.tag_id
BEGIN
    UPDATE listing_counts SET n = n - 1 WHERE kind = 'tag' AND ref = OLD.tag_id AND OLD.listed_at IS NOT NULL;
    INSERT INTO listing_counts (kind, ref, n) SELECT 'tag', NEW.tag_id, 1
    WHERE NEW.listed_at IS NOT NULL
    ON CONFLICT (kind, ref) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER counts_tag_delete AFTER DELETE ON article_tags
WHEN OLD.listed_at IS NOT NULL
BEGIN
    UPDATE listing_counts SET n = n - 1 WHERE kind = 'tag' AND ref = OLD.tag_id;
END;

CREATE TRIGGER counts_byline_insert AFTER INSERT ON article_authors
WHEN NEW.listed_at IS NOT NULL
BEGIN
    INSERT INTO listing_counts (kind, ref, n) VALUES ('author', NEW.user_id, 1)
    ON CONFLICT (kind, ref) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER counts_byline_update AFTER UPDATE OF listed_at, user_id ON article_authors
WHEN (OLD.listed_at IS NULL) IS NOT (NEW.listed_at IS NULL) OR OLD.user_id IS NOT NEW.user_id
BEGIN
    UPDATE listing_counts SET n = n - 1 WHERE kind = 'author' AND ref = OLD.user_id AND OLD.listed_at IS NOT NULL;
    INSERT INTO listing_counts (kind, ref, n) SELECT 'author', NEW.user_id, 1
    WHERE NEW.listed_at IS NOT NULL
    ON CONFLICT (kind, ref) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER counts_byline_delete AFTER DELETE ON article_authors
WHEN OLD.listed_at IS NOT NULL
BEGIN
    UPDATE listing_counts SET n = n - 1 WHERE kind = 'author' AND ref = OLD.user_id;
END;
