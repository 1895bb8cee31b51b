-- The article bodies move to the end of each row.
--
-- An article's row held its Markdown and HTML bodies (8 KB between them in
-- a typical story) before its dates, section, status and image, so reading
-- any of those for a listing, a related story or a neighbour meant walking
-- the body's overflow pages first: three page reads where one will do.
-- SQLite appends new columns, so the bodies are copied into new columns at
-- the end and the old ones dropped. The one trigger that names a body
-- column is made again as it was (0003_changes_search.sql). This rewrites
-- the table once; on a site of 100,000 articles it takes about a minute.

ALTER TABLE articles ADD COLUMN body_last TEXT NOT NULL DEFAULT '';
ALTER TABLE articles ADD COLUMN body_html_last TEXT NOT NULL DEFAULT '';
UPDATE articles SET body_last = body, body_html_last = body_html;
DROP TRIGGER changes_article_update;
ALTER TABLE articles DROP COLUMN body;
ALTER TABLE articles DROP COLUMN body_html;
ALTER TABLE articles RENAME COLUMN body_last TO body;
ALTER TABLE articles RENAME COLUMN body_html_last TO body_html;

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
