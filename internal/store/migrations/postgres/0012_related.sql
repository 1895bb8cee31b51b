-- Related stories read each tag's neighbours from this index; with the
-- listed date in it they need not look up whether each one is listed.
DROP INDEX article_tags_tag;
CREATE INDEX article_tags_tag ON article_tags (tag_id, article_id, listed_at);
