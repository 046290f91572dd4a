package web

import (
	"bytes"
	"fmt"
	"testing"
)

// The page cache never holds more than its bounds, keeps bodies at their
// own length, and counts a replaced page once.
func TestPageCacheStaysBounded(t *testing.T) {
	var c pageCache
	check := func(when string) {
		t.Helper()
		total := 0
		for _, p := range c.entries {
			total += len(p.body)
			if cap(p.body) != len(p.body) {
				t.Fatalf("%s: a body of %d bytes keeps %d", when, len(p.body), cap(p.body))
			}
		}
		if total != c.bytes || total > maxCachedBytes || len(c.entries) > maxCachedPages {
			t.Fatalf("%s: %d pages, %d bytes counted as %d (bounds %d pages, %d bytes)", when, len(c.entries), total, c.bytes, maxCachedPages, maxCachedBytes)
		}
	}
	big := make([]byte, 300<<10, 600<<10) // a recorder's buffer, grown by doubling
	for i := range 400 {
		c.put(fmt.Sprintf("/areas/%d", i%150), &cachedPage{body: big})
		check(fmt.Sprintf("after %d large pages", i+1))
	}
	if len(c.entries) == 0 {
		t.Fatal("the cache kept nothing")
	}
	small := bytes.Repeat([]byte("x"), 100)
	for i := range maxCachedPages + 10 {
		c.put(fmt.Sprintf("/api/%d", i), &cachedPage{body: small})
	}
	check("after many small pages")
	kept := len(c.entries)
	c.put("/huge", &cachedPage{body: make([]byte, maxCachedBytes+1)})
	check("after a page larger than the cache")
	if c.entries["/huge"] != nil || len(c.entries) != kept {
		t.Fatalf("a page larger than the whole cache: kept %v, %d pages left of %d", c.entries["/huge"] != nil, len(c.entries), kept)
	}
}
