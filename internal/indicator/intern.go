package indicator

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"sync"

	"tambon/internal/apperr"
	"tambon/internal/survey"
)

// Sets stored in a database are addressed by the SHA-256 of their file, so a
// compiled set can be shared by every store in the process: two databases
// holding the same bytes get the same *Set, and two holding different bytes
// under the same id and version never see each other's.
var interned sync.Map // digest → *Set

// Digest returns the hex SHA-256 of a set file, the key Intern files it under.
func Digest(file []byte) string {
	sum := sha256.Sum256(file)
	return hex.EncodeToString(sum[:])
}

// Intern compiles a set file once per process and returns the shared set.
// A file that does not compile is an apperr Invalid, as from Load.
func Intern(file []byte) (*Set, error) {
	d := Digest(file)
	if s, ok := interned.Load(d); ok {
		return s.(*Set), nil
	}
	s, err := Load(bytes.NewReader(file))
	if err != nil {
		return nil, err
	}
	s.digest = d
	got, _ := interned.LoadOrStore(d, s)
	return got.(*Set), nil
}

// ByDigest returns a set Intern has compiled, by its file's digest.
func ByDigest(digest string) (*Set, bool) {
	s, ok := interned.Load(digest)
	if !ok {
		return nil, false
	}
	return s.(*Set), true
}

// Digest returns the SHA-256 of the file s was loaded from (computed for a set
// that did not come through Intern).
func (s *Set) Digest() string {
	if s.digest != "" {
		return s.digest
	}
	return Digest(s.raw)
}

// ForRound returns the set that judges a round: the stored version the round
// is pinned to (the store fills SetDigest when it reads a round and interns
// its file), or for a round built by hand, the built-in set of its id.
func ForRound(r survey.Round) (*Set, error) {
	if r.SetDigest == "" {
		return Lookup(r.SetID)
	}
	if s, ok := ByDigest(r.SetDigest); ok {
		return s, nil
	}
	return nil, apperr.New(apperr.Internal, apperr.Tf("ชุดตัวชี้วัด %s รุ่น %d ยังไม่ได้อ่านจากฐานข้อมูล",
		"the indicator set %s version %d was not read from the database", r.SetID, r.SetVersion))
}
