-- Federation's inbox. PostgreSQL twin of sqlite/0027_federation_inbox.sql
-- (see there).

ALTER TABLE comments ADD COLUMN fed_handle TEXT NOT NULL DEFAULT '';

CREATE TABLE fed_comments (
    comment_id BIGINT PRIMARY KEY REFERENCES comments (id) ON DELETE CASCADE DEFERRABLE,
    object_id  TEXT NOT NULL UNIQUE,
    actor      TEXT NOT NULL
);
CREATE INDEX fed_comments_actor ON fed_comments (actor);

CREATE TABLE fed_remote_actors (
    id           TEXT PRIMARY KEY,
    handle       TEXT NOT NULL,
    name         TEXT NOT NULL,
    summary      TEXT NOT NULL,
    url          TEXT NOT NULL,
    inbox        TEXT NOT NULL,
    shared_inbox TEXT NOT NULL,
    key_id       TEXT NOT NULL,
    public_pem   TEXT NOT NULL,
    fetched_at   TIMESTAMPTZ NOT NULL
);

CREATE TABLE fed_reactions (
    activity_id TEXT PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('Like', 'Announce')),
    actor       TEXT NOT NULL,
    article_id  BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE DEFERRABLE,
    created_at  TIMESTAMPTZ NOT NULL,
    UNIQUE (kind, actor, article_id)
);
CREATE INDEX fed_reactions_article ON fed_reactions (article_id, kind);

CREATE TABLE fed_accounts (
    actor           TEXT PRIMARY KEY,
    manual_approval BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE fed_follow_requests (
    actor        TEXT NOT NULL,
    follower     TEXT NOT NULL,
    inbox        TEXT NOT NULL,
    shared_inbox TEXT NOT NULL DEFAULT '',
    follow_id    TEXT NOT NULL DEFAULT '',
    body         TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (actor, follower)
);

CREATE TABLE fed_blocked_domains (
    domain     TEXT PRIMARY KEY,
    note       TEXT NOT NULL DEFAULT '',
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL DEFERRABLE,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE fed_seen_signatures (
    signature  TEXT PRIMARY KEY,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX fed_seen_signatures_expiry ON fed_seen_signatures (expires_at);
