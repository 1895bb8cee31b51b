-- Newsletter schedules, section and author digests, briefings prepared
-- for their time. PostgreSQL twin of sqlite/0024_newsletter_schedules.sql
-- (see there).
ALTER TABLE newsletters ADD COLUMN schedule TEXT NOT NULL DEFAULT '';
ALTER TABLE newsletters ADD COLUMN schedule_since TIMESTAMPTZ;

CREATE TABLE newsletter_runs (
    newsletter_id BIGINT NOT NULL REFERENCES newsletters (id) ON DELETE CASCADE DEFERRABLE,
    period        TEXT NOT NULL,
    ran_at        TIMESTAMPTZ NOT NULL,
    issue_id      BIGINT,
    PRIMARY KEY (newsletter_id, period)
);

CREATE TABLE newsletter_drafts (
    newsletter_id BIGINT PRIMARY KEY REFERENCES newsletters (id) ON DELETE CASCADE DEFERRABLE,
    subject       TEXT NOT NULL,
    intro         TEXT NOT NULL,
    stories       TEXT NOT NULL DEFAULT '',
    saved_by      BIGINT,
    saved_at      TIMESTAMPTZ NOT NULL
);

CREATE TRIGGER changes_newsletter_schedule AFTER UPDATE OF schedule, kind, topic_id ON newsletters FOR EACH ROW
    WHEN (OLD.schedule IS DISTINCT FROM NEW.schedule OR OLD.kind IS DISTINCT FROM NEW.kind OR OLD.topic_id IS DISTINCT FROM NEW.topic_id)
    EXECUTE FUNCTION changes_all();
CREATE TRIGGER changes_newsletter_issue_insert AFTER INSERT ON newsletter_issues FOR EACH ROW EXECUTE FUNCTION changes_all();
