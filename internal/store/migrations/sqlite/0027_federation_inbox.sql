-- Federation's inbox: what the fediverse sends us, and the newsroom's say
-- over it.

-- A comment that came from the fediverse (a reply to an article) carries
-- its author's handle (@user@host), shown beside the name; '' for others.
-- Its rows are comments, so the existing comment triggers refresh pages.
ALTER TABLE comments ADD COLUMN fed_handle TEXT NOT NULL DEFAULT '';

-- Which Note each fediverse comment is, and whose, so that a Delete or an
-- Update of it (or of its author) finds it, and a reply to it threads.
CREATE TABLE fed_comments (
    comment_id INTEGER PRIMARY KEY REFERENCES comments (id) ON DELETE CASCADE,
    object_id  TEXT NOT NULL UNIQUE,
    actor      TEXT NOT NULL
);
CREATE INDEX fed_comments_actor ON fed_comments (actor);

-- Remote actors read while verifying a signature or taking a reply: a
-- cache (re-read after fetched_at + a day, or when a key stops verifying),
-- each text field capped by the service.
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
    fetched_at   TEXT NOT NULL
);

-- Likes and Announces (boosts) of our articles, one per remote actor,
-- kind and article; an Undo removes its row. Shown only in the newsroom.
CREATE TABLE fed_reactions (
    activity_id TEXT PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('Like', 'Announce')),
    actor       TEXT NOT NULL,
    article_id  INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    created_at  TEXT NOT NULL,
    UNIQUE (kind, actor, article_id)
);
CREATE INDEX fed_reactions_article ON fed_reactions (article_id, kind);

-- Per account ('site', 'staff:<id>'): whether a Follow waits for a human.
CREATE TABLE fed_accounts (
    actor           TEXT PRIMARY KEY,
    manual_approval BOOLEAN NOT NULL DEFAULT FALSE
);

-- Follows waiting for approval; accepting moves one to fed_followers.
CREATE TABLE fed_follow_requests (
    actor        TEXT NOT NULL,
    follower     TEXT NOT NULL,
    inbox        TEXT NOT NULL,
    shared_inbox TEXT NOT NULL DEFAULT '',
    follow_id    TEXT NOT NULL DEFAULT '',
    body         TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    PRIMARY KEY (actor, follower)
);

-- Servers whose activities are refused (the domain and its subdomains).
CREATE TABLE fed_blocked_domains (
    domain     TEXT PRIMARY KEY,
    note       TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL
);

-- Signatures already taken, until their date can no longer pass the clock
-- check: a request sent twice is refused the second time.
CREATE TABLE fed_seen_signatures (
    signature  TEXT PRIMARY KEY,
    expires_at TEXT NOT NULL
);
CREATE INDEX fed_seen_signatures_expiry ON fed_seen_signatures (expires_at);
