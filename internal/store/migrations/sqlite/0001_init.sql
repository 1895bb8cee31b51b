-- The reader site's schema: publication settings, staff, sections, tags,
-- articles with bylines and tags, reader comments, and the search index.
-- Timestamps are UTC text in a fixed-width RFC 3339 form so they sort.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    slug          TEXT NOT NULL UNIQUE,
    role          TEXT NOT NULL DEFAULT 'author'
                  CHECK (role IN ('admin', 'editor', 'author', 'contributor')),
    job_title     TEXT NOT NULL DEFAULT '',
    bio           TEXT NOT NULL DEFAULT '',
    photo_url     TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL DEFAULT '',
    disabled      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

CREATE TABLE sections (
    id          INTEGER PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    position    INTEGER NOT NULL DEFAULT 0,
    parent_id   INTEGER REFERENCES sections (id) ON DELETE SET NULL
);

CREATE TABLE tags (
    id   INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL
);

CREATE TABLE articles (
    id                 INTEGER PRIMARY KEY,
    slug               TEXT NOT NULL,
    path               TEXT UNIQUE,
    headline           TEXT NOT NULL,
    standfirst         TEXT NOT NULL DEFAULT '',
    body               TEXT NOT NULL DEFAULT '',
    body_html          TEXT NOT NULL DEFAULT '',
    word_count         INTEGER NOT NULL DEFAULT 0,
    section_id         INTEGER REFERENCES sections (id) ON DELETE SET NULL,
    status             TEXT NOT NULL DEFAULT 'draft'
                       CHECK (status IN ('draft', 'review', 'scheduled', 'published', 'unpublished')),
    featured           BOOLEAN NOT NULL DEFAULT FALSE,
    comments_open      BOOLEAN NOT NULL DEFAULT TRUE,
    lead_image_url     TEXT NOT NULL DEFAULT '',
    lead_image_alt     TEXT NOT NULL DEFAULT '',
    lead_image_caption TEXT NOT NULL DEFAULT '',
    lead_image_credit  TEXT NOT NULL DEFAULT '',
    lead_image_width   INTEGER NOT NULL DEFAULT 0,
    lead_image_height  INTEGER NOT NULL DEFAULT 0,
    seo_title          TEXT NOT NULL DEFAULT '',
    seo_description    TEXT NOT NULL DEFAULT '',
    published_at       TEXT,
    updated_at         TEXT,
    created_at         TEXT NOT NULL,
    modified_at        TEXT NOT NULL
);
CREATE INDEX articles_status_published ON articles (status, published_at DESC, id DESC);
CREATE INDEX articles_section_published ON articles (section_id, status, published_at DESC);

CREATE TABLE article_authors (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    position   INTEGER NOT NULL,
    PRIMARY KEY (article_id, user_id)
);
CREATE INDEX article_authors_user ON article_authors (user_id, article_id);

CREATE TABLE article_tags (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    tag_id     INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    PRIMARY KEY (article_id, tag_id)
);
CREATE INDEX article_tags_tag ON article_tags (tag_id, article_id);

CREATE TABLE comments (
    id          INTEGER PRIMARY KEY,
    article_id  INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    parent_id   INTEGER REFERENCES comments (id) ON DELETE SET NULL,
    name        TEXT NOT NULL,
    email       TEXT NOT NULL,
    website     TEXT NOT NULL DEFAULT '',
    body        TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'approved', 'spam', 'trash')),
    is_staff    BOOLEAN NOT NULL DEFAULT FALSE,
    ip          TEXT NOT NULL DEFAULT '',
    user_agent  TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);
CREATE INDEX comments_article ON comments (article_id, status, created_at);
CREATE INDEX comments_email ON comments (email, status);
CREATE INDEX comments_status ON comments (status, created_at);

-- Full-text index over every article (drafts too, for the newsroom); the
-- store rewrites an article's row in the same transaction as the article.
CREATE VIRTUAL TABLE article_search USING fts5 (
    headline, standfirst, body, byline, tags,
    tokenize = 'porter unicode61 remove_diacritics 2'
);
