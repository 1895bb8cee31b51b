-- Editors may edit a reader's comment (to take out a phone number or a
-- defamatory line). The comment then holds the new text and edited_at,
-- which the reader page shows as "edited by the newsroom"; comment_edits
-- keeps every version for editors only: each edit's text before and after,
-- who made it, when and why. The first row's old_body is the original.
-- Readers never see comment_edits; the comment's own update fires the
-- existing changes_comment_update trigger, which refreshes its article.

ALTER TABLE comments ADD COLUMN edited_at TEXT;

CREATE TABLE comment_edits (
    id         INTEGER PRIMARY KEY,
    comment_id INTEGER NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    user_id    INTEGER REFERENCES users (id) ON DELETE SET NULL,
    old_body   TEXT NOT NULL,
    new_body   TEXT NOT NULL,
    note       TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX comment_edits_comment ON comment_edits (comment_id, id);
