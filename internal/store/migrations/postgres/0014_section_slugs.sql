-- The slugs a section had before it was renamed, so that its old address
-- answers 301 with the new one.
-- PostgreSQL twin of sqlite/0014_section_slugs.sql.

CREATE TABLE section_slugs (
    slug       TEXT PRIMARY KEY,
    section_id BIGINT NOT NULL REFERENCES sections (id) ON DELETE CASCADE DEFERRABLE
);
CREATE INDEX section_slugs_section ON section_slugs (section_id);
