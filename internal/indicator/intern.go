package indicator

import (
	"bytes"

	"tambon/internal/apperr"
	"tambon/internal/setcache"
	"tambon/internal/survey"
)

// Sets stored in a database are compiled once per process and shared by
// every store, addressed by the SHA-256 of their file (internal/setcache).
var interned setcache.Cache[*Set]

// Digest returns the hex SHA-256 of a set file, the key Intern files it under.
func Digest(file []byte) string { return setcache.Digest(file) }

// Intern compiles a set file once per process and returns the shared set.
// A file that does not compile is an apperr Invalid, as from Load.
func Intern(file []byte) (*Set, error) {
	return interned.Intern(file, func(b []byte) (*Set, error) { return Load(bytes.NewReader(b)) },
		func(s *Set, digest string) { s.digest = digest })
}

// ByDigest returns a set Intern has compiled, by its file's digest.
func ByDigest(digest string) (*Set, bool) { return interned.ByDigest(digest) }

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
