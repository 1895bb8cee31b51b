-- Coming from WordPress: static pages, the map from an imported
-- WordPress site's ids to Masthead's (what makes re-imports idempotent and
-- old links redirect), and application passwords for the WordPress REST
-- API.

-- pages marks the articles that are static pages (About, Contact …)
-- rather than news: they have no section, are left out of listings and
-- feeds, and are served at /page/{slug} (their articles.path is
-- 'page/' || slug once published). slug may hold '/' for a child page
-- ('about/team'), as WordPress nests them.
CREATE TABLE pages (
    article_id INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    slug       TEXT NOT NULL UNIQUE,
    parent_id  INTEGER REFERENCES articles (id) ON DELETE SET NULL,
    menu_order INTEGER NOT NULL DEFAULT 0
);

-- wordpress_map remembers what each imported WordPress record became.
--   site       the export's base site URL: two WordPress sites may be
--              imported into one Masthead without their ids colliding
--   kind       post, page, attachment, author, category, tag or comment
--   wp_id      the WordPress id (post and comment ids, term slugs, logins)
--   target_id  the Masthead id (articles, media, users, sections, tags,
--              comments); 0 for an attachment kept only as a remote URL
--   url        for an attachment, where it is served now
--   old_path   the record's WordPress URL path ("2013/01/10/hello-world",
--              "category/parent/child"), for redirects
--   checksum   the SHA-256 of what was imported: a re-import skips a
--              record whose checksum has not changed
CREATE TABLE wordpress_map (
    site        TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('post', 'page', 'attachment', 'author', 'category', 'tag', 'comment')),
    wp_id       TEXT NOT NULL,
    target_id   INTEGER NOT NULL DEFAULT 0,
    url         TEXT NOT NULL DEFAULT '',
    old_path    TEXT NOT NULL DEFAULT '',
    checksum    TEXT NOT NULL DEFAULT '',
    imported_at TEXT NOT NULL,
    PRIMARY KEY (site, kind, wp_id)
);
CREATE INDEX wordpress_map_old_path ON wordpress_map (old_path);
CREATE INDEX wordpress_map_wp_id ON wordpress_map (kind, wp_id);

-- app_passwords let programs (the WordPress REST API's clients) act for a
-- member of staff over HTTP Basic authentication. Only the SHA-256 of the
-- random password is kept; revoking deletes the row.
CREATE TABLE app_passwords (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    hash         TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    last_used_at TEXT,
    last_ip      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX app_passwords_user ON app_passwords (user_id);
