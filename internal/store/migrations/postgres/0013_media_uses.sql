-- Which articles use which library images — as their lead image or in
-- their body — so that readers are shown only the images published work
-- uses (the rest of the library is the newsroom's). The store keeps it up
-- to date whenever an article is written; this fills it for the articles
-- already there.
-- PostgreSQL twin of sqlite/0013_media_uses.sql.

CREATE TABLE media_uses (
    media_id   BIGINT NOT NULL REFERENCES media (id) ON DELETE CASCADE DEFERRABLE,
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE DEFERRABLE,
    PRIMARY KEY (media_id, article_id)
);
CREATE INDEX media_uses_article ON media_uses (article_id);

INSERT INTO media_uses (media_id, article_id)
SELECT DISTINCT m.id, r.article_id
FROM (
    SELECT a.id AS article_id, (regexp_matches(a.lead_image_url || ' ' || a.body, '/media/lib/[0-9a-f]{2}/([0-9a-f]{64})', 'g'))[1] AS hash
    FROM articles a
) r JOIN media m ON m.hash = r.hash;
