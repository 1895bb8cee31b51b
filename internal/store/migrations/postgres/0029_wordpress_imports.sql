-- wordpress_imports remembers each export file imported in full, by the
-- SHA-256 of its bytes and of the import options that change what it
-- makes (file_key), so that importing the very same file again, with
-- nothing it made deleted since and no other export of the site imported
-- in between, is recognised without reading the file through twice.
--   site      the export's base site URL (wordpress_map.site)
--   summary   the import's summary (JSON), reported again as unchanged
CREATE TABLE wordpress_imports (
    file_key    TEXT PRIMARY KEY,
    site        TEXT NOT NULL,
    summary     TEXT NOT NULL,
    imported_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX wordpress_imports_site ON wordpress_imports (site, imported_at);
