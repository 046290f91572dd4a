package thai

import (
	"sync"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// A collate.Collator keeps scratch buffers and is not safe for concurrent use,
// while building one costs far more than a comparison. A pool gives each
// goroutine its own collator and reuses it, so the helpers below are safe for
// concurrent use and cost no allocation in the steady state.
type collator struct {
	c   *collate.Collator
	buf collate.Buffer
}

var collators = sync.Pool{New: func() any {
	return &collator{c: collate.New(language.Thai)}
}}

// Compare orders two strings as a Thai dictionary does (ราชบัณฑิตยสถาน order),
// returning -1, 0 or +1. This differs from byte order: the leading vowels
// เ แ โ ใ ไ are written before the consonant but sorted after it, so เขาขลุง
// files under ข, after ขอนแก่น and before คลองเตย; tone marks only break ties.
// Lists of villages, tambons and people are sorted this way. It is safe for
// concurrent use.
func Compare(a, b string) int {
	c := collators.Get().(*collator)
	r := c.c.CompareString(a, b)
	collators.Put(c)
	return r
}

// SortStrings sorts list in place in Thai dictionary order (see Compare). It
// is safe for concurrent use on different slices.
func SortStrings(list []string) {
	c := collators.Get().(*collator)
	c.c.SortStrings(list)
	collators.Put(c)
}

// Key returns the sort key of s: bytes.Compare of two keys orders the strings
// as Compare does. Compute keys once to sort or index many rows by Thai
// order (an ORDER BY column, a large report); the slice is the caller's to
// keep. It is safe for concurrent use.
func Key(s string) []byte {
	c := collators.Get().(*collator)
	k := c.c.KeyFromString(&c.buf, s)
	out := make([]byte, len(k))
	copy(out, k)
	c.buf.Reset()
	collators.Put(c)
	return out
}
