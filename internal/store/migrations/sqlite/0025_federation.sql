-- Federation (ActivityPub): the paper's and each reporter's key pair, their
-- followers on other servers, and the durable delivery queue.
-- An account is named by actor: 'site' for the paper, 'staff:<id>' for a
-- reporter. A key pair is made on first need; rotating replaces it.
CREATE TABLE fed_keys (
    actor       TEXT PRIMARY KEY,
    public_pem  TEXT NOT NULL,
    private_pem TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

-- A remote account following one of ours (auto-accepted). inbox is where
-- to deliver; shared_inbox, when the remote server offers one, is used
-- instead so that one server gets one copy.
CREATE TABLE fed_followers (
    actor        TEXT NOT NULL,
    follower     TEXT NOT NULL,
    inbox        TEXT NOT NULL,
    shared_inbox TEXT NOT NULL DEFAULT '',
    follow_id    TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    PRIMARY KEY (actor, follower)
);

-- An activity as sent (Create, Accept...): its JSON, signed by actor's key
-- at delivery.
CREATE TABLE fed_activities (
    id          INTEGER PRIMARY KEY,
    activity_id TEXT NOT NULL UNIQUE,
    actor       TEXT NOT NULL,
    body        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

-- The delivery queue, one row per (activity, inbox): the primary key is
-- what makes "never twice to one inbox". state: 'queued' (due at next_at),
-- 'sending' (leased to lease_owner until lease_until), 'sent', 'failed'
-- (refused for good, or still failing a day after it was queued).
CREATE TABLE fed_deliveries (
    activity    INTEGER NOT NULL REFERENCES fed_activities (id) ON DELETE CASCADE,
    inbox       TEXT NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'failed')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    next_at     TEXT NOT NULL,
    lease_owner TEXT NOT NULL DEFAULT '',
    lease_until TEXT,
    done_at     TEXT,
    error       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (activity, inbox)
);
CREATE INDEX fed_deliveries_due ON fed_deliveries (state, next_at);
