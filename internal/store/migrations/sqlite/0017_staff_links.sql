-- A member of staff's profiles elsewhere (website, Mastodon, X, Bluesky,
-- LinkedIn): a JSON object, empty for none. They show on the author page
-- and in the author box, so a change empties the page cache, as a changed
-- bio does.

ALTER TABLE users ADD COLUMN links TEXT NOT NULL DEFAULT '';

DROP TRIGGER changes_user_update;
CREATE TRIGGER changes_user_update AFTER UPDATE OF name, slug, job_title, bio, photo_url, disabled, links ON users
WHEN OLD.name IS NOT NEW.name OR OLD.slug IS NOT NEW.slug OR OLD.job_title IS NOT NEW.job_title
  OR OLD.bio IS NOT NEW.bio OR OLD.photo_url IS NOT NEW.photo_url OR OLD.disabled IS NOT NEW.disabled
  OR OLD.links IS NOT NEW.links
BEGIN INSERT INTO changes (kind) VALUES ('all'); END;
