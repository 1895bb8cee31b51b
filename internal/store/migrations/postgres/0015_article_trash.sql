-- The article trash: see sqlite/0015_article_trash.sql.
-- PostgreSQL twin of sqlite/0015_article_trash.sql.

CREATE TABLE article_trash (
    article_id  BIGINT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE DEFERRABLE,
    trashed_at  TIMESTAMPTZ NOT NULL,
    trashed_by  BIGINT REFERENCES users (id) ON DELETE SET NULL DEFERRABLE,
    from_status TEXT NOT NULL CHECK (from_status IN ('draft', 'review', 'scheduled', 'published', 'unpublished')),
    publish_at  TIMESTAMPTZ
);
CREATE INDEX article_trash_trashed_at ON article_trash (trashed_at);
