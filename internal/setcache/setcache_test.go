package setcache_test

import (
	"errors"
	"testing"

	"tambon/internal/setcache"
)

type set struct{ body, digest string }

// The same bytes compile once and are shared; other bytes get their own
// set; a file that does not compile is not kept.
func TestInternSharesOneSetPerFile(t *testing.T) {
	var c setcache.Cache[*set]
	loads := 0
	load := func(b []byte) (*set, error) {
		loads++
		if string(b) == "broken" {
			return nil, errors.New("broken")
		}
		return &set{body: string(b)}, nil
	}
	stamp := func(s *set, d string) { s.digest = d }
	a1, _ := c.Intern([]byte("a"), load, stamp)
	a2, _ := c.Intern([]byte("a"), load, stamp)
	b, _ := c.Intern([]byte("b"), load, stamp)
	if a1 != a2 || a1 == b || loads != 2 {
		t.Errorf("a twice gave %p and %p, b %p, after %d loads", a1, a2, b, loads)
	}
	if got, ok := c.ByDigest(setcache.Digest([]byte("a"))); !ok || got != a1 || a1.digest != setcache.Digest([]byte("a")) {
		t.Errorf("by digest: %v %v, stamped %q", got, ok, a1.digest)
	}
	if _, err := c.Intern([]byte("broken"), load, stamp); err == nil {
		t.Error("a broken file compiled")
	}
	if _, ok := c.ByDigest(setcache.Digest([]byte("broken"))); ok {
		t.Error("a broken file was kept")
	}
}
