package xform

import (
	"time"

	"tambon/internal/apperr"
	"tambon/internal/survey"
)

// Status is where a received submission stands. Nothing submitted is ever
// deleted: a submission only moves between these states, and its raw XML
// and media stay as they arrived.
type Status string

// The submission statuses.
const (
	Accepted Status = "accepted" // written as a household through the one write path
	Review   Status = "review"   // failed validation; waits for a reviewer to fix or reject it
	Rejected Status = "rejected" // a reviewer refused it, with a reason; still kept
	Replaced Status = "replaced" // a later submission named it as its deprecatedID
)

// Submission is one OpenRosa submission as tambon keeps it: the raw
// instance XML exactly as sent, who sent it, and what became of it.
type Submission struct {
	ID           int64
	InstanceID   string // the form's meta/instanceID, e.g. "uuid:…"; unique
	DeprecatedID string // meta/deprecatedID: the instance this one edits
	FormID       string
	FormVersion  string
	RoundID      string
	VillageCode  string // as the instance says; may be wrong when Status is Review
	HouseholdKey string
	Username     string // the account that sent it
	DeviceID     string // the device token's name, or the client's deviceID
	SHA256       string // of XML, hex; the same instanceID with another hash is a conflict
	XML          []byte
	Status       Status
	Problems     apperr.Problems // why it is in review (or was rejected)
	ReplacedBy   string          // instanceID of the edit that replaced it
	ReceivedAt   time.Time
	DecidedAt    time.Time // when a reviewer fixed or rejected it
	DecidedBy    string
	Note         string // the reviewer's reason
	Media        []Media
	// UnreadPhotos are the photo questions whose file is not a readable
	// picture (PhotosOf): it is not on the household's page. Worked out
	// when the submission is read, not stored.
	UnreadPhotos []survey.PhotoKind
}

// Media is one file sent with a submission (a photo, a signature), named as
// the instance XML refers to it.
type Media struct {
	Name        string
	ContentType string
	Data        []byte
	// Lat and Lon are where a photo's camera said it was taken, read
	// before its metadata were stripped on arrival and kept apart with the
	// submission's file; nil when it did not say.
	Lat, Lon *float64
}

// Device is a phone or tablet given its own secret token, so that it never
// holds its user's password: the token goes in the server URL
// (/openrosa/key/<token>) or serves as the password for Basic and Digest.
type Device struct {
	ID        int64
	UserID    int64
	Username  string
	Name      string // e.g. "ODK Collect, Somchai's phone"
	CreatedAt time.Time
	CreatedBy string
	RevokedAt time.Time // zero while the device may submit
	DigestHA1 string    // MD5(username:realm:token), hex; see openrosa's auth
}
