package news

import (
	"strings"
	"unicode/utf8"
)

// StaffReply builds the comment a member of staff posts from the newsroom:
// a reply to parent, or a top-level comment on the article when parent is
// nil. It is approved at once, marked as staff and signed with the staff
// member's name.
//
// Answering a comment that waits for moderation approves it (a reply to
// something readers cannot see would make no sense), so approveParent asks
// the caller to store both together. Spam and binned comments must be
// restored before anyone answers them.
func StaffReply(staff Staff, articleID int64, parent *Comment, body string) (reply *Comment, approveParent bool, err error) {
	body = strings.TrimSpace(strings.ReplaceAll(body, "\r\n", "\n"))
	switch n := utf8.RuneCountInString(body); {
	case n == 0:
		return nil, false, FieldErrors{"reply": "Please write a reply."}
	case n > MaxCommentBodyLen:
		return nil, false, FieldErrors{"reply": "Please keep your reply under 5,000 characters."}
	case !utf8.ValidString(body):
		return nil, false, FieldErrors{"reply": "The reply contains characters we cannot read."}
	}
	c := &Comment{ArticleID: articleID, Name: staff.Name, Email: staff.Email, Body: body, Status: CommentApproved, IsStaff: true}
	if parent != nil {
		if parent.ArticleID != articleID {
			return nil, false, ErrNotFound
		}
		if parent.Status == CommentSpam || parent.Status == CommentTrash {
			return nil, false, FieldErrors{"reply": "This comment is in the " + string(parent.Status) + " folder. Restore it before replying."}
		}
		c.ParentID = parent.ID
		approveParent = parent.Status == CommentPending
	}
	return c, approveParent, nil
}

// ModerationItem is a comment with the headline and path of its article.
type ModerationItem struct {
	Comment  *Comment
	Headline string
	Path     string
}

// MaxEditNoteLen is the longest note an editor may give for editing a
// reader's comment.
const MaxEditNoteLen = 500

// CommentRedaction checks the newsroom's new text for a reader's comment,
// and the note that says why, and returns them as they are to be stored
// (normalised as a reader's comment is).
func CommentRedaction(body, note string) (string, string, FieldErrors) {
	body = strings.TrimSpace(strings.ReplaceAll(body, "\r\n", "\n"))
	note = strings.TrimSpace(note)
	fe := FieldErrors{}
	switch n := utf8.RuneCountInString(body); {
	case n == 0:
		fe["body"] = "The comment cannot be empty. To take it down whole, move it to the trash."
	case n > MaxCommentBodyLen:
		fe["body"] = "Keep the comment under 5,000 characters."
	case !utf8.ValidString(body) || hasControl(body, "\n\t"):
		fe["body"] = "The text contains characters we cannot read or store (control characters)."
	}
	if utf8.RuneCountInString(note) > MaxEditNoteLen || !utf8.ValidString(note) || hasControl(note, "") {
		fe["note"] = "Keep the note to one line of up to 500 characters."
	}
	return body, note, fe
}
