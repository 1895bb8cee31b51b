-- The slugs a tag had before it was renamed or merged into another, so
-- that its old address answers 301 with the tag it became (as
-- section_slugs does for sections).
-- PostgreSQL twin of sqlite/0018_tag_slugs.sql.

CREATE TABLE tag_slugs (
    slug   TEXT PRIMARY KEY,
    tag_id BIGINT NOT NULL REFERENCES tags (id) ON DELETE CASCADE DEFERRABLE
);
CREATE INDEX tag_slugs_tag ON tag_slugs (tag_id);

-- An old address starts or stops answering with a redirect: drop every
-- cached page (the rename, merge or deletion that comes with it does too).
CREATE TRIGGER changes_tag_slugs_insert AFTER INSERT ON tag_slugs FOR EACH ROW EXECUTE FUNCTION changes_all();
CREATE TRIGGER changes_tag_slugs_delete AFTER DELETE ON tag_slugs FOR EACH ROW EXECUTE FUNCTION changes_all();
