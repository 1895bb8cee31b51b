package news

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Reader is an email address the site knows, with an account once the
// address has signed in (HasAccount). Newsletter subscriptions hang off
// readers too, which is why an address may be known without an account.
type Reader struct {
	ID        int64
	Email     string
	Name      string // signs the reader's comments; may be empty
	CreatedAt time.Time
	AccountAt time.Time // when the account was created; zero: none
}

// HasAccount reports whether the reader can sign in and has a page.
func (r *Reader) HasAccount() bool { return !r.AccountAt.IsZero() }

// ReaderSession is a browser signed in to a reader's account.
type ReaderSession struct {
	Reader    *Reader
	TokenHash string
	ExpiresAt time.Time
}

// ReaderSignIn is one sign-in to a reader's account, as its history
// shows it.
type ReaderSignIn struct {
	At        time.Time
	IP        string
	UserAgent string
}

// ReaderComment is one of a reader's comments with where it was posted.
// Public says whether readers can see it on the article (it is approved
// and the article is published), so it may be linked to.
type ReaderComment struct {
	Comment  *Comment
	Headline string
	Path     string
	Public   bool
}

// DeletedReaderName signs the comments an account left behind when its
// reader deleted it and chose to keep them.
const DeletedReaderName = "deleted reader"

// ReaderName normalises and checks the name a reader signs comments
// with, as a comment's name is checked; "" and a message when it is not
// acceptable.
func ReaderName(name string) (string, string) {
	name = strings.Join(strings.Fields(name), " ")
	switch n := utf8.RuneCountInString(name); {
	case n == 0:
		return "", "Please enter your name. It is shown with your comments."
	case n > MaxCommentNameLen:
		return "", "Please keep your name under 100 characters."
	case !utf8.ValidString(name) || hasControl(name, ""):
		return "", "Your name contains characters we cannot store."
	}
	return name, ""
}
