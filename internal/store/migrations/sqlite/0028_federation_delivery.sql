-- Federation delivery: how each remote server (by host) answers. A host
-- that has failed every delivery for a day is dead: its deliveries are
-- given up at once, except for one attempt a day (a probe), whose success
-- brings it back. Readers never see it: no change-log triggers.
CREATE TABLE fed_remotes (
    host          TEXT PRIMARY KEY,
    failing_since TEXT,        -- first failure since it last answered; NULL while it answers
    dead_since    TEXT,        -- given up on; NULL while alive
    probed_at     TEXT,        -- the last attempt while dead
    answered_at   TEXT,        -- when it first answered, or last answered after failing
    last_error    TEXT NOT NULL DEFAULT ''
);
