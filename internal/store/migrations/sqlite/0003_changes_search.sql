-- The change log that keeps page caches fresh, the vocabulary behind "did
-- you mean", and indexes for listings and search at archive scale.

-- changes records what readers can see change: one row per thing to
-- refresh. The triggers below append to it inside the writing transaction,
-- so no write path (the reader site, the newsroom, an import, a hand-made
-- SQL fix) can forget to; page caches follow it by id ("id > cursor").
--   kind     ref
--   article  the article's public path ("2026/11/24/slug")
--   section  the section's slug: its listing pages and feeds
--   tag      the tag's slug: the same
--   author   the author's slug: the same
--   site     site-wide pages: front page, site feeds, sitemaps, staff page
--   all      every page (navigation, the publication's name, people's names)
-- An article change names the article, its chronological neighbours
-- (their previous/next links show it), its section, tags and authors, both
-- before and after the change, and the site. An approved comment, or a
-- correction, names only its article.
CREATE TABLE changes (
    id   INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL CHECK (kind IN ('article', 'section', 'tag', 'author', 'site', 'all')),
    ref  TEXT NOT NULL DEFAULT ''
);

-- Keep the last 10,000 rows or so; a cache further behind than that starts
-- afresh.
CREATE TRIGGER changes_prune AFTER INSERT ON changes WHEN NEW.id % 1000 = 0
BEGIN
    DELETE FROM changes WHERE id <= NEW.id - 10000;
END;

CREATE TRIGGER changes_article_insert AFTER INSERT ON articles
WHEN NEW.status = 'published'
BEGIN
    INSERT INTO changes (kind, ref) VALUES ('article', COALESCE(NEW.path, '')), ('site', '');
    INSERT INTO changes (kind, ref) SELECT 'section', slug FROM sections WHERE id = NEW.section_id;
    INSERT INTO changes (kind, ref) SELECT 'article', path FROM (
        SELECT path FROM articles WHERE status = 'published' AND (published_at, id) < (NEW.published_at, NEW.id)
        ORDER BY published_at DESC, id DESC LIMIT 1);
    INSERT INTO changes (kind, ref) SELECT 'article', path FROM (
        SELECT path FROM articles WHERE status = 'published' AND (published_at, id) > (NEW.published_at, NEW.id)
        ORDER BY published_at, id LIMIT 1);
END;

-- Only columns readers see; bookkeeping (version, modified_at …) is left out.
CREATE TRIGGER changes_article_update AFTER UPDATE OF slug, path, headline, standfirst, body_html, word_count,
    section_id, status, featured, comments_open, lead_image_url, lead_image_alt, lead_image_caption,
    lead_image_credit, lead_image_width, lead_image_height, seo_title, seo_description, published_at, updated_at
    ON articles
WHEN OLD.status = 'published' OR NEW.status = 'published'
BEGIN
    INSERT INTO changes (kind, ref) VALUES ('article', COALESCE(OLD.path, '')), ('site', '');
    INSERT INTO changes (kind, ref) SELECT 'article', NEW.path WHERE NEW.path IS NOT OLD.path;
    INSERT INTO changes (kind, ref) SELECT 'section', slug FROM sections WHERE id IN (OLD.section_id, NEW.section_id);
    INSERT INTO changes (kind, ref) SELECT 'tag', t.slug FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id = NEW.id;
    INSERT INTO changes (kind, ref) SELECT 'author', u.slug FROM article_authors aa JOIN users u ON u.id = aa.user_id WHERE aa.article_id = NEW.id;
    INSERT INTO changes (kind, ref) SELECT 'article', path FROM (
        SELECT path FROM articles WHERE status = 'published' AND id <> NEW.id AND (published_at, id) < (OLD.published_at, OLD.id)
        ORDER BY published_at DESC, id DESC LIMIT 1);
    INSERT INTO changes (kind, ref) SELECT 'article', path FROM (
        SELECT path FROM articles WHERE status = 'published' AND id <> NEW.id AND (published_at, id) > (OLD.published_at, OLD.id)
        ORDER BY published_at, id LIMIT 1);
    INSERT INTO changes (kind, ref) SELECT 'article', path FROM (
        SELECT path FROM articles WHERE status = 'published' AND id <> NEW.id AND (published_at, id) < (NEW.published_at, NEW.id)
        ORDER BY published_at DESC, id DESC LIMIT 1)
        WHERE NEW.published_at IS NOT OLD.published_at;
    INSERT INTO changes (kind, ref) SELECT 'article', path FROM (
        SELECT path FROM articles WHERE status = 'published' AND id <> NEW.id AND (published_at, id) > (NEW.published_at, NEW.id)
        ORDER BY published_at, id LIMIT 1)
        WHERE NEW.published_at IS NOT OLD.published_at;
END;

-- BEFORE, so the bylines and tags are still there to name.
CREATE TRIGGER changes_article_delete BEFORE DELETE ON articles
WHEN OLD.status = 'published'
BEGIN
    INSERT INTO changes (kind, ref) VALUES ('article', COALESCE(OLD.path, '')), ('site', '');
    INSERT INTO changes (kind, ref) SELECT 'section', slug FROM sections WHERE id = OLD.section_id;
    INSERT INTO changes (kind, ref) SELECT 'tag', t.slug FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id = OLD.id;
    INSERT INTO changes (kind, ref) SELECT 'author', u.slug FROM article_authors aa JOIN users u ON u.id = aa.user_id WHERE aa.article_id = OLD.id;
    INSERT INTO changes (kind, ref) SELECT 'article', path FROM (
        SELECT path FROM articles WHERE status = 'published' AND (published_at, id) < (OLD.published_at, OLD.id)
        ORDER BY published_at DESC, id DESC LIMIT 1);
    INSERT INTO changes (kind, ref) SELECT 'article', path FROM (
        SELECT path FROM articles WHERE status = 'published' AND (published_at, id) > (OLD.published_at, OLD.id)
        ORDER BY published_at, id LIMIT 1);
END;

-- Bylines and tags of a published article: its page, the listing, and the
-- staff page (which lists everyone with a byline).
CREATE TRIGGER changes_tag_added AFTER INSERT ON article_tags
WHEN (SELECT status FROM articles WHERE id = NEW.article_id) = 'published'
BEGIN
    INSERT INTO changes (kind, ref) SELECT 'tag', slug FROM tags WHERE id = NEW.tag_id;
    INSERT INTO changes (kind, ref) SELECT 'article', path FROM articles WHERE id = NEW.article_id;
END;

CREATE TRIGGER changes_tag_removed AFTER DELETE ON article_tags
WHEN (SELECT status FROM articles WHERE id = OLD.article_id) = 'published'
BEGIN
    INSERT INTO changes (kind, ref) SELECT 'tag', slug FROM tags WHERE id = OLD.tag_id;
    INSERT INTO changes (kind, ref) SELECT 'article', path FROM articles WHERE id = OLD.article_id;
END;

CREATE TRIGGER changes_byline_added AFTER INSERT ON article_authors
WHEN (SELECT status FROM articles WHERE id = NEW.article_id) = 'published'
BEGIN
    INSERT INTO changes (kind, ref) SELECT 'author', slug FROM users WHERE id = NEW.user_id;
    INSERT INTO changes (kind, ref) SELECT 'article', path FROM articles WHERE id = NEW.article_id;
    INSERT INTO changes (kind, ref) VALUES ('site', '');
END;

CREATE TRIGGER changes_byline_removed AFTER DELETE ON article_authors
WHEN (SELECT status FROM articles WHERE id = OLD.article_id) = 'published'
BEGIN
    INSERT INTO changes (kind, ref) SELECT 'author', slug FROM users WHERE id = OLD.user_id;
    INSERT INTO changes (kind, ref) SELECT 'article', path FROM articles WHERE id = OLD.article_id;
    INSERT INTO changes (kind, ref) VALUES ('site', '');
END;

-- Comments: only approved ones are public, and they show on their article
-- alone (listings' comment counts catch up when the cache entry expires).
CREATE TRIGGER changes_comment_insert AFTER INSERT ON comments
WHEN NEW.status = 'approved'
BEGIN
    INSERT INTO changes (kind, ref) SELECT 'article', path FROM articles WHERE id = NEW.article_id AND path IS NOT NULL;
END;

CREATE TRIGGER changes_comment_update AFTER UPDATE ON comments
WHEN OLD.status = 'approved' OR NEW.status = 'approved'
BEGIN
    INSERT INTO changes (kind, ref) SELECT 'article', path FROM articles WHERE id IN (OLD.article_id, NEW.article_id) AND path IS NOT NULL;
END;

CREATE TRIGGER changes_comment_delete AFTER DELETE ON comments
WHEN OLD.status = 'approved'
BEGIN
    INSERT INTO changes (kind, ref) SELECT 'article', path FROM articles WHERE id = OLD.article_id AND path IS NOT NULL;
END;

-- Corrections show on their article (and on any site-wide corrections page).
CREATE TRIGGER changes_correction_insert AFTER INSERT ON corrections
BEGIN
    INSERT INTO changes (kind, ref) SELECT 'article', path FROM articles WHERE id = NEW.article_id AND path IS NOT NULL;
    INSERT INTO changes (kind, ref) VALUES ('site', '');
END;

CREATE TRIGGER changes_correction_update AFTER UPDATE ON corrections
BEGIN
    INSERT INTO changes (kind, ref) SELECT 'article', path FROM articles WHERE id = NEW.article_id AND path IS NOT NULL;
    INSERT INTO changes (kind, ref) VALUES ('site', '');
END;

CREATE TRIGGER changes_correction_delete AFTER DELETE ON corrections
BEGIN
    INSERT INTO changes (kind, ref) SELECT 'article', path FROM articles WHERE id = OLD.article_id AND path IS NOT NULL;
    INSERT INTO changes (kind, ref) VALUES ('site', '');
END;

-- What every page shows: the sections in the navigation, the publication's
-- settings, and the names of the people in bylines.
CREATE TRIGGER changes_section_insert AFTER INSERT ON sections BEGIN INSERT INTO changes (kind) VALUES ('all'); END;
CREATE TRIGGER changes_section_update AFTER UPDATE ON sections BEGIN INSERT INTO changes (kind) VALUES ('all'); END;
CREATE TRIGGER changes_section_delete AFTER DELETE ON sections BEGIN INSERT INTO changes (kind) VALUES ('all'); END;

CREATE TRIGGER changes_setting_insert AFTER INSERT ON settings WHEN NEW.key NOT LIKE 'secret.%'
BEGIN INSERT INTO changes (kind) VALUES ('all'); END;
CREATE TRIGGER changes_setting_update AFTER UPDATE ON settings WHEN NEW.key NOT LIKE 'secret.%' AND NEW.value IS NOT OLD.value
BEGIN INSERT INTO changes (kind) VALUES ('all'); END;
CREATE TRIGGER changes_setting_delete AFTER DELETE ON settings WHEN OLD.key NOT LIKE 'secret.%'
BEGIN INSERT INTO changes (kind) VALUES ('all'); END;

CREATE TRIGGER changes_user_update AFTER UPDATE OF name, slug, job_title, bio, photo_url, disabled ON users
WHEN OLD.name IS NOT NEW.name OR OLD.slug IS NOT NEW.slug OR OLD.job_title IS NOT NEW.job_title
  OR OLD.bio IS NOT NEW.bio OR OLD.photo_url IS NOT NEW.photo_url OR OLD.disabled IS NOT NEW.disabled
BEGIN INSERT INTO changes (kind) VALUES ('all'); END;
CREATE TRIGGER changes_user_delete AFTER DELETE ON users BEGIN INSERT INTO changes (kind) VALUES ('all'); END;

-- EnsureTag's upsert rewrites a tag's slug with itself: only a real rename counts.
CREATE TRIGGER changes_tag_update AFTER UPDATE OF slug, name ON tags
WHEN OLD.slug IS NOT NEW.slug OR OLD.name IS NOT NEW.name
BEGIN INSERT INTO changes (kind) VALUES ('all'); END;
CREATE TRIGGER changes_tag_delete AFTER DELETE ON tags BEGIN INSERT INTO changes (kind) VALUES ('all'); END;

-- The words of published headlines and standfirsts, unstemmed, for "did
-- you mean": suggestions come only from what readers can already see, never
-- from drafts. Contentless: only the vocabulary is kept.
CREATE VIRTUAL TABLE search_words USING fts5 (
    words,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE search_vocab USING fts5vocab (search_words, 'row');

CREATE TRIGGER search_words_insert AFTER INSERT ON articles
WHEN NEW.status = 'published'
BEGIN
    INSERT INTO search_words (rowid, words) VALUES (NEW.id, NEW.headline || ' ' || NEW.standfirst);
END;

CREATE TRIGGER search_words_update AFTER UPDATE OF headline, standfirst, status ON articles
BEGIN
    DELETE FROM search_words WHERE rowid = OLD.id;
    INSERT INTO search_words (rowid, words) SELECT NEW.id, NEW.headline || ' ' || NEW.standfirst WHERE NEW.status = 'published';
END;

CREATE TRIGGER search_words_delete AFTER DELETE ON articles
BEGIN
    DELETE FROM search_words WHERE rowid = OLD.id;
END;

INSERT INTO search_words (rowid, words) SELECT id, headline || ' ' || standfirst FROM articles WHERE status = 'published';

-- Listings page by (published_at, id); these indexes hold both, so a page
-- deep in a section, or an article's neighbours, are read from the index.
DROP INDEX articles_section_published;
CREATE INDEX articles_section_published ON articles (section_id, status, published_at DESC, id DESC);

-- Article rows carry their bodies, so reading status or date from the row
-- means reading the body too. Joins that only filter or sort (search hits,
-- related stories) and the sitemap's month counts use this index instead.
CREATE INDEX articles_visible ON articles (id, status, published_at, section_id, modified_at);
