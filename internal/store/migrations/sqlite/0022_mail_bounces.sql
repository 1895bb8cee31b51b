-- Bounces reported to the bounce intake (delivery-status notifications),
-- one row per report and recipient: 'hard' (a 5.x.x status: the address
-- went on the suppression list at once) or 'soft' (4.x.x, or a delay:
-- counted, and the address suppressed after several in a while). Never
-- shown to readers, so no change-log triggers.
CREATE TABLE mail_bounces (
    id         INTEGER PRIMARY KEY,
    email      TEXT NOT NULL,
    issue_id   INTEGER NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('hard', 'soft')),
    status     TEXT NOT NULL DEFAULT '',
    detail     TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX mail_bounces_email ON mail_bounces (email, kind, created_at);

-- The sender leases the next due delivery in (next_at, issue_id, email)
-- order. An index on (state, next_at) alone leaves the tie-break to a sort
-- of every row due at once — all of an issue's rows, queued together —
-- on each lease: at 100,000 recipients that cut sending to a few messages
-- a second. This index serves the whole ORDER BY, and replaces that one.
CREATE INDEX newsletter_deliveries_lease ON newsletter_deliveries (state, next_at, issue_id, email);
DROP INDEX newsletter_deliveries_due;
