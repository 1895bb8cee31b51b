-- Newsletter schedules, section and author digests, briefings prepared
-- for their time.
--
-- schedule is '' (sent by hand), 'daily HH:MM' or 'weekly DAY HH:MM', in
-- the site's time zone (news.Schedule); schedule_since is when it last
-- changed, so that a new schedule never fires for a time already past.
ALTER TABLE newsletters ADD COLUMN schedule TEXT NOT NULL DEFAULT '';
ALTER TABLE newsletters ADD COLUMN schedule_since TEXT;

-- One row per newsletter and scheduled time handled, written in the
-- transaction that queues its issue (or finds nothing to send): the
-- primary key is what makes a scheduled issue go out once, however many
-- instances and restarts. A digest collects the stories published since
-- its newsletter's latest run (ran_at).
CREATE TABLE newsletter_runs (
    newsletter_id INTEGER NOT NULL REFERENCES newsletters (id) ON DELETE CASCADE,
    period        TEXT NOT NULL,
    ran_at        TEXT NOT NULL,
    issue_id      INTEGER,
    PRIMARY KEY (newsletter_id, period)
);

-- A briefing the editor has prepared for the newsletter's next scheduled
-- time: its subject, introduction and chosen stories (ids, in order,
-- comma-separated). It is sent, and removed, by that time's run.
CREATE TABLE newsletter_drafts (
    newsletter_id INTEGER PRIMARY KEY REFERENCES newsletters (id) ON DELETE CASCADE,
    subject       TEXT NOT NULL,
    intro         TEXT NOT NULL,
    stories       TEXT NOT NULL DEFAULT '',
    saved_by      INTEGER,
    saved_at      TEXT NOT NULL
);

-- The sign-up forms say how often a newsletter comes and show a follow
-- form beside the section or author it follows; the archive lists issues.
CREATE TRIGGER changes_newsletter_schedule AFTER UPDATE OF schedule, kind, topic_id ON newsletters
    WHEN OLD.schedule IS NOT NEW.schedule OR OLD.kind IS NOT NEW.kind OR OLD.topic_id IS NOT NEW.topic_id
BEGIN INSERT INTO changes (kind) VALUES ('all'); END;
CREATE TRIGGER changes_newsletter_issue_insert AFTER INSERT ON newsletter_issues BEGIN INSERT INTO changes (kind) VALUES ('all'); END;
