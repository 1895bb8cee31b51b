-- The slugs a section had before it was renamed, so that its old address
-- answers 301 with the new one.

CREATE TABLE section_slugs (
    slug       TEXT PRIMARY KEY,
    section_id INTEGER NOT NULL REFERENCES sections (id) ON DELETE CASCADE
);
CREATE INDEX section_slugs_section ON section_slugs (section_id);
