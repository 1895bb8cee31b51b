-- Readers: an email address the site knows, with an optional account.
-- account_at is set when the address first signs in (the account exists
-- from then on); a row without it is an address known for another reason
-- (newsletter subscriptions will hang off readers). Sign-in is by one-time
-- links mailed to the address, bound to the browser that asked for them;
-- links and sessions are stored only as hashes.

CREATE TABLE readers (
    id         INTEGER PRIMARY KEY,
    email      TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    account_at TEXT
);

CREATE TABLE reader_sessions (
    token_hash TEXT PRIMARY KEY,
    reader_id  INTEGER NOT NULL REFERENCES readers (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    ip         TEXT NOT NULL DEFAULT '',
    user_agent TEXT NOT NULL DEFAULT ''
);
CREATE INDEX reader_sessions_reader ON reader_sessions (reader_id);

-- One-time links: 'signin' signs in as (or creates the account of) email;
-- 'email' moves reader_id's account to email. browser_hash is the hash of
-- the random value in the asking browser's cookie, which must come back
-- with the link.
CREATE TABLE reader_links (
    token_hash   TEXT PRIMARY KEY,
    purpose      TEXT NOT NULL CHECK (purpose IN ('signin', 'email')),
    email        TEXT NOT NULL,
    reader_id    INTEGER REFERENCES readers (id) ON DELETE CASCADE,
    browser_hash TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    used_at      TEXT
);
CREATE INDEX reader_links_expires ON reader_links (expires_at);

-- The latest sign-ins of each account, shown to its reader and in their
-- data download.
CREATE TABLE reader_signins (
    id           INTEGER PRIMARY KEY,
    reader_id    INTEGER NOT NULL REFERENCES readers (id) ON DELETE CASCADE,
    signed_in_at TEXT NOT NULL,
    ip           TEXT NOT NULL DEFAULT '',
    user_agent   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX reader_signins_reader ON reader_signins (reader_id, signed_in_at);
