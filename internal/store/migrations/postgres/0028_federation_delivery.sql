-- Federation delivery: how each remote server answers.
-- PostgreSQL twin of sqlite/0028_federation_delivery.sql (see there).
CREATE TABLE fed_remotes (
    host          TEXT PRIMARY KEY,
    failing_since TIMESTAMPTZ,
    dead_since    TIMESTAMPTZ,
    probed_at     TIMESTAMPTZ,
    answered_at   TIMESTAMPTZ,
    last_error    TEXT NOT NULL DEFAULT ''
);
