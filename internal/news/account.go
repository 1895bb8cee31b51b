package news

import "time"

// Session is a signed-in browser.
type Session struct {
	Staff     *Staff
	TokenHash string
	ExpiresAt time.Time
}

// AppPassword is an application password's record (never the password).
type AppPassword struct {
	ID         int64
	StaffID    int64
	Name       string
	CreatedAt  time.Time
	LastUsedAt time.Time
	LastIP     string
}
