package area_test

import (
	"testing"
	"unicode/utf8"
)

// FuzzSearch feeds arbitrary text to Search: it must not panic, must respect
// the limit and must only return areas that exist.
func FuzzSearch(f *testing.F) {
	tr := MustEmbedded(f)
	for _, s := range []string{"เขาขลุง", "ต.เขาขลุง อ.บ้านโป่ง", "หมู่ 4", "ม.", "หมู่ที่", "บ้าน", "Khao Khlung, Ban Pong", "7005", "๗", "ํา", "\u00a0", "a,b,,c", "ตำบล"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		if !utf8.ValidString(q) {
			return
		}
		got := tr.Search(q, 5)
		if len(got) > 5 {
			t.Fatalf("Search(%q) returned %d > 5", q, len(got))
		}
		for _, m := range got {
			if _, ok := tr.Get(m.Area.Code); !ok {
				t.Fatalf("Search(%q) returned unknown %s", q, m.Area.Code)
			}
			if m.Score < 100 {
				t.Fatalf("Search(%q) returned %s with score %d", q, m.Area.Code, m.Score)
			}
		}
	})
}
