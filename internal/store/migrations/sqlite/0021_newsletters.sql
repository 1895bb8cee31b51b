-- Newsletters: what the newsroom sends, who asked for it, and the durable
-- queue that sends it. A subscription hangs off a reader (an address, with
-- or without an account) and counts only once confirmed (double opt-in).
-- kind says how an issue is made: 'briefing' (the editor assembles it),
-- 'alert' (breaking news); 'section' and 'author' follows name what they
-- follow in topic_id (a section's or a person's id) and are sent as digests.

CREATE TABLE newsletters (
    id          INTEGER PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    kind        TEXT NOT NULL CHECK (kind IN ('briefing', 'alert', 'section', 'author')),
    topic_id    INTEGER,
    from_name   TEXT NOT NULL DEFAULT '',
    from_email  TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

-- status: 'pending' until the emailed link is followed (confirm_hash is
-- that link's token hash), then 'confirmed'; 'unsubscribed' keeps the row
-- for the reader's preferences page.
CREATE TABLE subscriptions (
    newsletter_id   INTEGER NOT NULL REFERENCES newsletters (id) ON DELETE CASCADE,
    reader_id       INTEGER NOT NULL REFERENCES readers (id) ON DELETE CASCADE,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'unsubscribed')),
    confirm_hash    TEXT UNIQUE,
    created_at      TEXT NOT NULL,
    confirmed_at    TEXT,
    changed_at      TEXT NOT NULL,
    PRIMARY KEY (newsletter_id, reader_id)
);
CREATE INDEX subscriptions_reader ON subscriptions (reader_id);

-- Addresses never mailed again: by address, not reader, so it outlives a
-- deleted account and a re-import. newsletter_id 0 means every newsletter
-- (hard bounces, complaints); an unsubscribe names its newsletter.
CREATE TABLE mail_suppressions (
    email         TEXT NOT NULL,
    newsletter_id INTEGER NOT NULL DEFAULT 0,
    reason        TEXT NOT NULL CHECK (reason IN ('unsubscribe', 'bounce', 'complaint')),
    detail        TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    PRIMARY KEY (email, newsletter_id)
);

-- An issue as sent: its Markdown and both renderings, for the queue and
-- the web archive.
CREATE TABLE newsletter_issues (
    id            INTEGER PRIMARY KEY,
    newsletter_id INTEGER NOT NULL REFERENCES newsletters (id) ON DELETE CASCADE,
    subject       TEXT NOT NULL,
    markdown      TEXT NOT NULL,
    html          TEXT NOT NULL,
    text          TEXT NOT NULL,
    created_by    INTEGER,
    created_at    TEXT NOT NULL,
    recipients    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX newsletter_issues_newsletter ON newsletter_issues (newsletter_id, created_at);

-- The send queue: one row per recipient of an issue, made in the
-- transaction that makes the issue. The primary key is what makes "never
-- twice": one row per (issue, address), and a row is handed to one worker
-- at a time by a lease. state: 'queued' (due at next_at), 'sending'
-- (leased to lease_owner until lease_until), 'sent', 'failed' (a
-- permanent refusal or too many attempts), 'skipped' (suppressed after it
-- was queued) and 'unknown' (the worker stopped between handing the
-- message over and recording it: never retried, so never sent twice).
CREATE TABLE newsletter_deliveries (
    issue_id    INTEGER NOT NULL REFERENCES newsletter_issues (id) ON DELETE CASCADE,
    email       TEXT NOT NULL,
    reader_id   INTEGER NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'failed', 'skipped', 'unknown')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    next_at     TEXT NOT NULL,
    lease_owner TEXT NOT NULL DEFAULT '',
    lease_until TEXT,
    done_at     TEXT,
    error       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (issue_id, email)
);
CREATE INDEX newsletter_deliveries_due ON newsletter_deliveries (state, next_at);

-- The sign-up form after every story lists the newsletters: a change to
-- one drops every cached page.
CREATE TRIGGER changes_newsletter_insert AFTER INSERT ON newsletters BEGIN INSERT INTO changes (kind) VALUES ('all'); END;
CREATE TRIGGER changes_newsletter_update AFTER UPDATE OF slug, name, description ON newsletters
    WHEN OLD.slug IS NOT NEW.slug OR OLD.name IS NOT NEW.name OR OLD.description IS NOT NEW.description
BEGIN INSERT INTO changes (kind) VALUES ('all'); END;
CREATE TRIGGER changes_newsletter_delete AFTER DELETE ON newsletters BEGIN INSERT INTO changes (kind) VALUES ('all'); END;
