package user

import "time"

// Session is a signed-in browser. ID is the SHA-256 of the cookie's token, so
// a copy of the database does not hand out live sessions.
type Session struct {
	ID        string
	UserID    int64
	CreatedAt time.Time
	ExpiresAt time.Time
}
