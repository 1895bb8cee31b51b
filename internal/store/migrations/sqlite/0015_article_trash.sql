-- The article trash. Moving an article to the trash takes it off the
-- reader site at once (a published one becomes unpublished, a scheduled
-- one a draft, so the change-log, listing and search triggers do what
-- they do for any unpublishing) and records here when, by whom, and the
-- status and publication time to give back on restore. An article with a
-- row here is in the trash: the newsroom's lists leave it out, and it is
-- deleted for good 30 days after trashed_at (newsroom.PurgeTrash).
-- Readers never see this table, so it needs no change-log trigger.

CREATE TABLE article_trash (
    article_id  INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    trashed_at  TEXT NOT NULL,
    trashed_by  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    from_status TEXT NOT NULL CHECK (from_status IN ('draft', 'review', 'scheduled', 'published', 'unpublished')),
    publish_at  TEXT
);
CREATE INDEX article_trash_trashed_at ON article_trash (trashed_at);
