package village

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"sync"

	"tambon/internal/apperr"
)

// Sets stored in a database are addressed by the SHA-256 of their file, as
// indicator sets are (indicator.Intern): one compiled set per distinct file.
var interned sync.Map // digest → *Set

// Digest returns the hex SHA-256 of a set file.
func Digest(file []byte) string {
	sum := sha256.Sum256(file)
	return hex.EncodeToString(sum[:])
}

// Intern loads a set file once per process and returns the shared set.
func Intern(file []byte) (*Set, error) {
	d := Digest(file)
	if s, ok := interned.Load(d); ok {
		return s.(*Set), nil
	}
	s, err := Load(file)
	if err != nil {
		return nil, err
	}
	s.digest = d
	got, _ := interned.LoadOrStore(d, s)
	return got.(*Set), nil
}

// ByDigest returns a set Intern has loaded, by its file's digest.
func ByDigest(digest string) (*Set, bool) {
	s, ok := interned.Load(digest)
	if !ok {
		return nil, false
	}
	return s.(*Set), true
}

// File returns the file s was loaded from.
func (s *Set) File() []byte { return bytes.Clone(s.raw) }

// Digest returns the SHA-256 of the file s was loaded from.
func (s *Set) Digest() string {
	if s.digest != "" {
		return s.digest
	}
	return Digest(s.raw)
}

// ForRound returns the set that scores a round: the stored version the round
// is pinned to (the store fills SetDigest when it reads the round), or for a
// round built by hand, the built-in set of its id.
func ForRound(r Round) (*Set, error) {
	if r.SetDigest == "" {
		return Lookup(r.SetID)
	}
	if s, ok := ByDigest(r.SetDigest); ok {
		return s, nil
	}
	return nil, apperr.New(apperr.Internal, apperr.Tf("ชุดตัวชี้วัด กชช. 2ค %s รุ่น %d ยังไม่ได้อ่านจากฐานข้อมูล",
		"the กชช. 2ค set %s version %d was not read from the database", r.SetID, r.SetVersion))
}
