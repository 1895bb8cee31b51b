-- Mail to members of staff about the workflow (see sqlite/0045).
CREATE TABLE staff_mail (
    event_id    BIGINT NOT NULL,
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE DEFERRABLE,
    article_id  BIGINT NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'failed', 'skipped', 'unknown')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    next_at     TIMESTAMPTZ NOT NULL,
    lease_owner TEXT NOT NULL DEFAULT '',
    lease_until TIMESTAMPTZ,
    done_at     TIMESTAMPTZ,
    error       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (event_id, user_id)
);
CREATE INDEX staff_mail_due ON staff_mail (state, next_at);
CREATE INDEX staff_mail_article ON staff_mail (article_id);

ALTER TABLE users ADD COLUMN workflow_mail BOOLEAN NOT NULL DEFAULT TRUE;
