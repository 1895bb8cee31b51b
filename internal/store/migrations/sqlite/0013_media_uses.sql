-- Which articles use which library images — as their lead image or in
-- their body — so that readers are shown only the images published work
-- uses (the rest of the library is the newsroom's). The store keeps it up
-- to date whenever an article is written; this fills it for the articles
-- already there.

CREATE TABLE media_uses (
    media_id   INTEGER NOT NULL REFERENCES media (id) ON DELETE CASCADE,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    PRIMARY KEY (media_id, article_id)
);
CREATE INDEX media_uses_article ON media_uses (article_id);

-- Every "/media/lib/ab/<sha256>" in an article's lead image URL and body:
-- each step finds the next one in what is left of the text.
WITH RECURSIVE refs (article_id, rest, hash) AS (
    SELECT id, lead_image_url || ' ' || body, NULL FROM articles
    UNION ALL
    SELECT article_id, SUBSTR(rest, INSTR(rest, '/media/lib/') + 11), SUBSTR(rest, INSTR(rest, '/media/lib/') + 14, 64)
    FROM refs WHERE INSTR(rest, '/media/lib/') > 0
)
INSERT INTO media_uses (media_id, article_id)
SELECT DISTINCT m.id, r.article_id FROM refs r JOIN media m ON m.hash = r.hash;
