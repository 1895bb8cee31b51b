-- A member of staff's profiles elsewhere (website, Mastodon, X, Bluesky,
-- LinkedIn): a JSON object, empty for none. They show on the author page
-- and in the author box, so a change empties the page cache, as a changed
-- bio does.

ALTER TABLE users ADD COLUMN links TEXT NOT NULL DEFAULT '';

DROP TRIGGER changes_user_update ON users;
CREATE TRIGGER changes_user_update AFTER UPDATE OF name, slug, job_title, bio, photo_url, disabled, links ON users FOR EACH ROW
    WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.slug IS DISTINCT FROM NEW.slug OR OLD.job_title IS DISTINCT FROM NEW.job_title
      OR OLD.bio IS DISTINCT FROM NEW.bio OR OLD.photo_url IS DISTINCT FROM NEW.photo_url OR OLD.disabled IS DISTINCT FROM NEW.disabled
      OR OLD.links IS DISTINCT FROM NEW.links)
    EXECUTE FUNCTION changes_all();
