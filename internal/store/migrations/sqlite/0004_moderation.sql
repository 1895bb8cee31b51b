-- Comment moderation: the newsroom's blocklist and the spam check's
-- verdict on each reader comment.

-- blocklist holds what editors block: email addresses (or "@domain"),
-- network addresses (or CIDR ranges), words or phrases, and link domains.
-- Values are stored normalised (news.NewBlock), so one entry per value.
CREATE TABLE blocklist (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('email', 'ip', 'word', 'domain')),
    value      TEXT NOT NULL,
    note       TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    UNIQUE (kind, value)
);

-- comment_checks keeps the spam check of every reader comment that went
-- through it: the score, the signals that made it up (a JSON array of
-- {"rule", "points", "reason"}) for moderators, and the fingerprint of the
-- text, by which later comments repeating it are recognised.
CREATE TABLE comment_checks (
    comment_id  INTEGER PRIMARY KEY REFERENCES comments (id) ON DELETE CASCADE,
    score       INTEGER NOT NULL,
    signals     TEXT NOT NULL DEFAULT '[]',
    fingerprint TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX comment_checks_fingerprint ON comment_checks (fingerprint, created_at);
