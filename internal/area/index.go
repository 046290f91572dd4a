package area

import (
	"sort"
	"strings"
)

// Match kinds, best last: how a query word matched a name.
const (
	kindNone      uint8 = iota
	kindSubstring       // the word is inside the name
	kindPrefix          // the name starts with the word
	kindExact           // the word is the whole name
)

// searchIndex finds names by exact, prefix and substring match. All distinct
// folded names (Thai and English, see foldKey) are stored in one string,
// each preceded by a 0 byte, so one strings.Index pass over ~430 KB finds
// every name containing a word, and the position tells prefix and exact
// matches apart. A trie or n-gram index would be faster for very short
// words but costs more memory and load time than the ~100 µs this takes.
type searchIndex struct {
	blob   string  // "\x00" key0 "\x00" key1 … "\x00"
	starts []int32 // byte offset in blob of each key; one extra entry past the end
	postAt []int32 // the areas of key k are post[postAt[k]:postAt[k+1]]
	post   []int32 // area indexes, grouped by key
}

// extraNames are everyday names an area is also found under.
var extraNames = map[string][]string{
	CountryCode: {"ไทย"},
	bangkok:     {"กทม", "Krung Thep Maha Nakhon"},
}

// searchNames returns the names under which an area can be found: its Thai
// and English names, a village's name without a leading "บ้าน" (so
// "หนองไม้เฝ้า" and "บ้านหนองไม้เฝ้า" find the same village), and its
// extraNames.
func searchNames(a Area, dst []string) []string {
	th := a.NameTH
	if a.Level == Village {
		if rest, ok := strings.CutPrefix(th, "บ้าน"); ok && rest != "" {
			th = rest
		}
	}
	dst = append(dst[:0], th)
	if a.NameEN != "" {
		dst = append(dst, a.NameEN)
	}
	if a.Level <= Province {
		dst = append(dst, extraNames[a.Code]...)
	}
	return dst
}

// buildIndex indexes every area under its folded search names.
func buildIndex(areas []Area) searchIndex {
	ids := make(map[string]int32, len(areas))
	var keys []string
	var postings [][]int32
	var names []string
	var buf []byte
	for i, a := range areas {
		names = searchNames(a, names)
		for _, n := range names {
			buf = appendFold(buf[:0], n)
			if len(buf) == 0 {
				continue
			}
			id, ok := ids[string(buf)] // no allocation for a lookup
			if !ok {
				k := string(buf)
				id = int32(len(keys))
				ids[k] = id
				keys = append(keys, k)
				postings = append(postings, nil)
			}
			if p := postings[id]; len(p) == 0 || p[len(p)-1] != int32(i) {
				postings[id] = append(p, int32(i))
			}
		}
	}
	var ix searchIndex
	var blob strings.Builder
	size := len(keys) + 1
	for _, k := range keys {
		size += len(k)
	}
	blob.Grow(size)
	ix.starts = make([]int32, 0, len(keys)+1)
	ix.postAt = make([]int32, 0, len(keys)+1)
	ix.post = make([]int32, 0, len(areas)*2)
	for id, k := range keys {
		blob.WriteByte(0)
		ix.starts = append(ix.starts, int32(blob.Len()))
		blob.WriteString(k)
		ix.postAt = append(ix.postAt, int32(len(ix.post)))
		ix.post = append(ix.post, postings[id]...)
	}
	blob.WriteByte(0)
	ix.starts = append(ix.starts, int32(blob.Len()))
	ix.postAt = append(ix.postAt, int32(len(ix.post)))
	ix.blob = blob.String()
	return ix
}

// find calls fn for every key that contains word, once per key, with how it
// matched and the areas indexed under it.
func (ix *searchIndex) find(word string, fn func(kind uint8, areas []int32)) {
	if word == "" {
		return
	}
	for pos := 0; pos < len(ix.blob); {
		i := strings.Index(ix.blob[pos:], word)
		if i < 0 {
			return
		}
		p := pos + i
		k := sort.Search(len(ix.starts), func(j int) bool { return int(ix.starts[j]) > p }) - 1
		start, end := int(ix.starts[k]), int(ix.starts[k+1])-1 // end is the 0 after the key
		kind := kindSubstring
		if p == start {
			kind = kindPrefix
			if end-start == len(word) {
				kind = kindExact
			}
		}
		fn(kind, ix.post[ix.postAt[k]:ix.postAt[k+1]])
		pos = end // a key is reported once: its first occurrence is its best
	}
}
