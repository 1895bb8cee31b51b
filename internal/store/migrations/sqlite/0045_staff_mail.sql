-- Mail to members of staff about the workflow: a story submitted for
-- review (to the editors), returned, scheduled, published or taken down
-- (to its writers). Each message is queued in the transaction that takes
-- the step (one per event and recipient), and sent once by the sender, as
-- newsletter_deliveries are (the same states and leases).
CREATE TABLE staff_mail (
    event_id    INTEGER NOT NULL,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    article_id  INTEGER NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'failed', 'skipped', 'unknown')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    next_at     TEXT NOT NULL,
    lease_owner TEXT NOT NULL DEFAULT '',
    lease_until TEXT,
    done_at     TEXT,
    error       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (event_id, user_id)
);
CREATE INDEX staff_mail_due ON staff_mail (state, next_at);
CREATE INDEX staff_mail_article ON staff_mail (article_id);

-- Whether the member of staff wants that mail (their profile).
ALTER TABLE users ADD COLUMN workflow_mail BOOLEAN NOT NULL DEFAULT TRUE;
