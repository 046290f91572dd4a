// Package setcache keeps each compiled set file (an indicator set, a village
// survey set) once per process, addressed by the SHA-256 of its bytes: two
// databases holding the same file share one compiled set, and two holding
// different files under the same id and version never see each other's.
package setcache

import (
	"crypto/sha256"
	"encoding/hex"
	"sync"
)

// Digest returns the hex SHA-256 of a set file, the key a Cache files it under.
func Digest(file []byte) string {
	sum := sha256.Sum256(file)
	return hex.EncodeToString(sum[:])
}

// Cache holds compiled sets of one kind by their file's digest.
type Cache[T any] struct{ m sync.Map }

// Intern returns the set compiled from file, compiling it with load the
// first time the file is seen; stamp is told the digest of a newly compiled
// set before it is shared. An error from load is returned as it is.
func (c *Cache[T]) Intern(file []byte, load func([]byte) (T, error), stamp func(T, string)) (T, error) {
	d := Digest(file)
	if s, ok := c.m.Load(d); ok {
		return s.(T), nil
	}
	s, err := load(file)
	if err != nil {
		var zero T
		return zero, err
	}
	stamp(s, d)
	got, _ := c.m.LoadOrStore(d, s)
	return got.(T), nil
}

// ByDigest returns a set Intern has compiled, by its file's digest.
func (c *Cache[T]) ByDigest(digest string) (T, bool) {
	s, ok := c.m.Load(digest)
	if !ok {
		var zero T
		return zero, false
	}
	return s.(T), true
}
