-- The media library: uploaded images, stored once per content (hash is the
-- SHA-256 of the original's bytes), with the words that travel with them
-- and the responsive variants made on upload.

CREATE TABLE media (
    id           INTEGER PRIMARY KEY,
    hash         TEXT NOT NULL UNIQUE,
    key          TEXT NOT NULL UNIQUE,
    filename     TEXT NOT NULL DEFAULT '',
    content_type TEXT NOT NULL,
    width        INTEGER NOT NULL,
    height       INTEGER NOT NULL,
    bytes        INTEGER NOT NULL,
    alt          TEXT NOT NULL DEFAULT '',
    caption      TEXT NOT NULL DEFAULT '',
    credit       TEXT NOT NULL DEFAULT '',
    uploaded_by  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at   TEXT NOT NULL
);
CREATE INDEX media_created ON media (created_at, id);

CREATE TABLE media_variants (
    media_id     INTEGER NOT NULL REFERENCES media (id) ON DELETE CASCADE,
    key          TEXT NOT NULL UNIQUE,
    width        INTEGER NOT NULL,
    height       INTEGER NOT NULL,
    bytes        INTEGER NOT NULL,
    content_type TEXT NOT NULL,
    PRIMARY KEY (media_id, width)
);
