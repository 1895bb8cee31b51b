package news

import (
	"net/mail"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// CommentStatus is where a reader comment stands in moderation.
type CommentStatus string

const (
	CommentPending  CommentStatus = "pending"
	CommentApproved CommentStatus = "approved"
	CommentSpam     CommentStatus = "spam"
	CommentTrash    CommentStatus = "trash"
)

// Limits on what a reader may submit.
const (
	MaxCommentNameLen  = 100
	MaxCommentEmailLen = 254
	MaxCommentURLLen   = 300
	MaxCommentBodyLen  = 5000
)

// Comment is a reader's (or a staff member's) comment on an article.
type Comment struct {
	ID        int64
	ArticleID int64
	ParentID  int64 // 0 for a top-level comment
	Name      string
	Email     string // never shown publicly
	Website   string
	Body      string // plain text as typed
	Status    CommentStatus
	IsStaff   bool
	ReaderID  int64 // the signed-in reader's account that posted it; 0: none
	IP        string
	UserAgent string
	CreatedAt time.Time
	EditedAt  time.Time // when the newsroom last edited its text; zero if never
	Handle    string    // a fediverse reply's author, "@user@host"; "" for others

	Replies []*Comment // filled by Thread
}

// CommentEdit is one change the newsroom made to a comment's text, kept
// for editors: the text before and after, who, when and why.
type CommentEdit struct {
	ID        int64
	CommentID int64
	UserID    int64
	UserName  string // "" when the account is gone
	OldBody   string
	NewBody   string
	Note      string
	CreatedAt time.Time
}

// CommentInput is what the "Leave a Reply" form submits.
type CommentInput struct {
	ParentID int64
	Name     string
	Email    string
	Website  string
	Body     string
}

// Normalize trims surrounding space and normalises the email's case, so that
// what is validated is what is stored.
func (in *CommentInput) Normalize() {
	in.Name = strings.TrimSpace(in.Name)
	in.Email = strings.ToLower(strings.TrimSpace(in.Email))
	in.Website = strings.TrimSpace(in.Website)
	in.Body = strings.TrimSpace(strings.ReplaceAll(in.Body, "\r\n", "\n"))
	if in.Website != "" && !strings.Contains(in.Website, "://") {
		in.Website = "https://" + in.Website
	}
	if i := strings.Index(in.Website, "://"); i > 0 {
		in.Website = strings.ToLower(in.Website[:i]) + in.Website[i:] // "Http://" is stored as http://
	}
}

// Validate checks a normalised comment and says what is wrong with each field.
func (in CommentInput) Validate() FieldErrors {
	fe := FieldErrors{}
	switch n := utf8.RuneCountInString(in.Name); {
	case n == 0:
		fe["name"] = "Please enter your name."
	case n > MaxCommentNameLen:
		fe["name"] = "Please keep your name under 100 characters."
	}
	if in.Email == "" {
		fe["email"] = "Please enter your email address. It is not published."
	} else if a, err := mail.ParseAddress(in.Email); err != nil || a.Address != in.Email || len(in.Email) > MaxCommentEmailLen || !strings.Contains(in.Email[strings.LastIndexByte(in.Email, '@')+1:], ".") {
		fe["email"] = "That does not look like an email address."
	}
	if in.Website != "" {
		u, err := url.Parse(in.Website)
		// A site on the public web has a dot in its host, as an email's
		// domain must ("http://0" is not one).
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || !strings.Contains(u.Host, ".") || len(in.Website) > MaxCommentURLLen {
			fe["website"] = "Please enter a web address starting with http:// or https://, or leave it empty."
		}
	}
	switch n := utf8.RuneCountInString(in.Body); {
	case n == 0:
		fe["comment"] = "Please write a comment."
	case n > MaxCommentBodyLen:
		fe["comment"] = "Please keep your comment under 5,000 characters."
	}
	if !utf8.ValidString(in.Name+in.Email+in.Website+in.Body) || hasControl(in.Name+in.Email+in.Website, "") || hasControl(in.Body, "\n\t") {
		fe["comment"] = "The comment contains characters we cannot read or store (control characters)."
	}
	return fe
}

// hasControl reports whether s has a control character other than those
// allowed; they cannot be stored everywhere (NUL) or shown meaningfully.
func hasControl(s, allowed string) bool {
	for _, r := range s {
		if (r < 0x20 || r == 0x7f) && !strings.ContainsRune(allowed, r) {
			return true
		}
	}
	return false
}

// InitialCommentStatus decides moderation for a new reader comment: a reader
// whose email already has an approved comment is trusted; everyone else
// waits for a moderator.
func InitialCommentStatus(hasApprovedBefore bool) CommentStatus {
	if hasApprovedBefore {
		return CommentApproved
	}
	return CommentPending
}

// Thread arranges comments (oldest first) into a tree. A reply whose parent is
// not in the list (not approved, or deleted) is shown at the top level rather
// than lost.
func Thread(comments []*Comment) []*Comment {
	byID := make(map[int64]*Comment, len(comments))
	for _, c := range comments {
		c.Replies = nil
		byID[c.ID] = c
	}
	var roots []*Comment
	for _, c := range comments {
		if p, ok := byID[c.ParentID]; ok && c.ParentID != 0 && p != c {
			p.Replies = append(p.Replies, c)
			continue
		}
		roots = append(roots, c)
	}
	return roots
}
