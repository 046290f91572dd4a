package area_test

import (
	"slices"
	"strings"
	"testing"

	"tambon/internal/area"
)

func TestSearchFindsThePlace(t *testing.T) {
	tr := MustEmbedded(t)
	tests := []struct {
		name  string
		q     string
		first string // the code of the best match
		only  bool   // the best match is the only one
	}{
		{"Thai name", "เขาขลุง", "700513", false},
		{"extra spaces", "   เขาขลุง  ", "700513", false},
		{"ต. prefix glued", "ต.เขาขลุง", "700513", true},
		{"ต. prefix apart", "ต. เขาขลุง", "700513", true},
		{"ตำบล prefix", "ตำบลเขาขลุง", "700513", true},
		{"name prefix", "เขาขล", "700513", false},
		{"tambon and amphoe", "เขาขลุง บ้านโป่ง", "700513", false},
		{"amphoe and tambon", "บ้านโป่ง เขาขลุง", "700513", false},
		{"tambon and amphoe with level words", "ต.เขาขลุง อ.บ้านโป่ง", "700513", true},
		{"three levels", "ตำบลเขาขลุง อำเภอบ้านโป่ง จังหวัดราชบุรี", "700513", true},
		{"หมู่ 4 and tambon", "หมู่ 4 เขาขลุง", "70051304", true},
		{"หมู่ที่ 4", "หมู่ที่ 4 ต.เขาขลุง", "70051304", true},
		{"ม.4 glued", "ม.4 ต.เขาขลุง", "70051304", true},
		{"หมู่4 glued", "หมู่4 เขาขลุง", "70051304", true},
		{"Thai digit", "หมู่ ๔ เขาขลุง", "70051304", true},
		{"หมู่ with the amphoe", "หมู่ 4 เขาขลุง บ้านโป่ง", "70051304", true},
		{"village name", "หนองไม้เฝ้า", "70051304", false},
		{"village with บ้าน glued", "บ้านหนองไม้เฝ้า", "70051304", false},
		{"village with บ้าน apart", "บ้าน หนองไม้เฝ้า", "70051304", false},
		{"village and tambon", "หนองไม้เฝ้า เขาขลุง", "70051304", true},
		{"บ้าน is also the start of names", "บ้านโป่ง", "7005", false},
		{"province with จ.", "จ.ราชบุรี", "70", true},
		{"province", "ราชบุรี", "70", false},
		{"เขต", "เขตบางรัก", "1004", true},
		{"แขวง", "แขวงบางรัก", "100404", false},
		{"กรุงเทพฯ", "กรุงเทพฯ", "10", false},
		{"กทม", "กทม", "10", false},
		{"country", "ประเทศไทย", "TH", true},
		{"English", "khao khlung", "700513", true},
		{"English upper case", "KHAO KHLUNG", "700513", true},
		{"English without space", "khaokhlung", "700513", true},
		{"English with Tambon", "Tambon Khao Khlung", "700513", true},
		{"English with Subdistrict after", "Khao Khlung Subdistrict", "700513", true},
		{"English with a comma", "Khao Khlung, Ban Pong", "700513", true},
		{"English without a comma", "Khao Khlung Ban Pong", "700513", true},
		{"English Amphoe", "Amphoe Ban Pong", "7005", true},
		{"English Province", "Ratchaburi Province", "70", true},
		{"English Moo", "Moo 4 Khao Khlung", "70051304", true},
		{"English country", "thailand", "TH", true},
		{"code", "700513", "700513", false},
		{"code of a village", "70051304", "70051304", true},
		{"code of the country", "TH", "TH", false},
		{"code prefix", "70051", "700513", false}, // 700510-700515, in Thai order: เขาขลุง first
		{"Thai digits code", "๗๐๐๕๑๓", "700513", false},
		{"tambon named like its amphoe", "ต.บ้านโป่ง อ.บ้านโป่ง", "700501", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tr.Search(tt.q, 0)
			if len(got) == 0 {
				t.Fatalf("Search(%q) found nothing", tt.q)
			}
			if got[0].Area.Code != tt.first {
				t.Errorf("Search(%q)[0] = %s %s, want %s", tt.q, got[0].Area.Code, got[0].Path, tt.first)
			}
			if tt.only && len(got) != 1 {
				t.Errorf("Search(%q) = %d matches, want only %s: %v", tt.q, len(got), tt.first, codes(got[:min(5, len(got))]))
			}
		})
	}
}

func TestSearchFindsNothing(t *testing.T) {
	tr := MustEmbedded(t)
	for _, q := range []string{"", "   ", ",", "xyzzyx", "ต.ราชบุรี", "จ.เขาขลุง", "หมู่ 99 เขาขลุง", "99", "TH1"} {
		t.Run(q, func(t *testing.T) {
			if got := tr.Search(q, 10); len(got) != 0 {
				t.Errorf("Search(%q) = %v, want nothing", q, codes(got))
			}
		})
	}
}

func TestSearchLevelWordsFilter(t *testing.T) {
	tr := MustEmbedded(t)
	tests := []struct {
		q     string
		level area.Level
	}{
		{"ต.หนองบัว", area.Subdistrict},
		{"ตำบล หนองบัว", area.Subdistrict},
		{"อ.หนองบัว", area.District},
		{"อำเภอ หนองบัว", area.District},
		{"จ.หนองบัว", area.Province},
		{"Tambon Nong Bua", area.Subdistrict},
		{"Nong Bua District", area.District},
		{"บ้าน หนองบัว", area.Village},
		{"หมู่ 1 หนองบัว", area.Village},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			got := tr.Search(tt.q, 0)
			if len(got) == 0 {
				t.Fatalf("Search(%q) found nothing", tt.q)
			}
			for _, m := range got {
				if m.Area.Level != tt.level {
					t.Fatalf("Search(%q) found %s %s, a %v; want only %v", tt.q, m.Area.Code, m.Path, m.Area.Level, tt.level)
				}
			}
		})
	}
}

func TestSearchSharedName(t *testing.T) {
	tr := MustEmbedded(t)
	var got []area.Match
	for _, m := range tr.Search("ต.หนองบัว", 0) {
		if m.Score == 300 { // exact; prefix matches such as หนองบัวบาน follow
			got = append(got, m)
		}
	}
	if len(got) < 10 {
		t.Fatalf("ต.หนองบัว: %d exact matches, want many tambons of that name", len(got))
	}
	paths := map[string]bool{}
	for _, m := range got {
		if m.Area.NameTH != "หนองบัว" {
			t.Errorf("%s %s matched exactly", m.Area.Code, m.Path)
		}
		if !strings.HasPrefix(m.Path, "ต.หนองบัว อ.") || !strings.Contains(m.Path, " จ.") {
			t.Errorf("path %q does not name the amphoe and province", m.Path)
		}
		if !strings.HasPrefix(m.PathEN, "Nong Bua, ") {
			t.Errorf("English path %q", m.PathEN)
		}
		if paths[m.Path] {
			t.Errorf("two matches share the path %q", m.Path)
		}
		paths[m.Path] = true
	}
	if n := len(tr.Search("ต.หนองบัว", 3)); n != 3 {
		t.Errorf("limit 3 gave %d matches", n)
	}
}

func TestSearchRanking(t *testing.T) {
	tr := MustEmbedded(t)
	t.Run("exact, then prefix, then substring", func(t *testing.T) {
		got := tr.Search("ขลุง", 0)
		var kinds []int
		for _, m := range got {
			kinds = append(kinds, m.Score/100)
		}
		if !slices.IsSortedFunc(kinds, func(a, b int) int { return b - a }) {
			t.Errorf("scores not in descending order: %v", kinds)
		}
		if got[0].Area.Code != "2202" || got[0].Score != 300 {
			t.Errorf("first = %s %d, want อำเภอขลุง 2202 exact", got[0].Area.Code, got[0].Score)
		}
		if !slices.Contains(kinds, 2) || !slices.Contains(kinds, 1) {
			t.Errorf("want prefix and substring matches too: %v", kinds)
		}
	})
	t.Run("wider levels first within a score", func(t *testing.T) {
		got := tr.Search("บ้านโป่ง", 0)
		for i := 1; i < len(got); i++ {
			a, b := got[i-1], got[i]
			if a.Score == b.Score && a.Area.Level > b.Area.Level {
				t.Fatalf("%s (%v) before %s (%v) at the same score", a.Area.Code, a.Area.Level, b.Area.Code, b.Area.Level)
			}
		}
		if got[0].Area.Code != "7005" {
			t.Errorf("first = %s, want the amphoe 7005", got[0].Area.Code)
		}
	})
	t.Run("Thai order within a level", func(t *testing.T) {
		// หมู่ 4 of every tambon: same score and level, so Thai order of names;
		// ก.ม.7 sorts first in Thai order, as no name starts before ก.
		got := tr.Search("หมู่ 4", 3)
		if len(got) != 3 || got[0].Area.NameTH != "ก.ม.7" {
			t.Errorf("Search(หมู่ 4) starts %v", codes(got))
		}
	})
	t.Run("code search lists the area, then what is inside", func(t *testing.T) {
		got := tr.Search("7005", 0)
		if got[0].Area.Code != "7005" || got[0].Score != 300 {
			t.Errorf("first = %s %d", got[0].Area.Code, got[0].Score)
		}
		for _, m := range got[1:] {
			if !strings.HasPrefix(m.Area.Code, "7005") || m.Score != 200 {
				t.Errorf("%s scored %d", m.Area.Code, m.Score)
			}
		}
		if got[1].Area.Level != area.Subdistrict {
			t.Errorf("second = %s, want a tambon before the villages", got[1].Area.Code)
		}
	})
}

func TestSearchPaths(t *testing.T) {
	tr := MustEmbedded(t)
	tests := []struct {
		q, path, pathEN string
	}{
		{"700513", "ต.เขาขลุง อ.บ้านโป่ง จ.ราชบุรี", "Khao Khlung, Ban Pong, Ratchaburi"},
		{"70051304", "ม.4 บ้านหนองไม้เฝ้า ต.เขาขลุง อ.บ้านโป่ง จ.ราชบุรี", "Moo 4 (หนองไม้เฝ้า), Khao Khlung, Ban Pong, Ratchaburi"},
		{"70", "จ.ราชบุรี", "Ratchaburi"},
		{"100404", "แขวงบางรัก เขตบางรัก กรุงเทพมหานคร", "Bang Rak, Bang Rak, Bangkok"},
		{"ประเทศไทย", "ประเทศไทย", "Thailand"},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			got := tr.Search(tt.q, 1)
			if len(got) != 1 {
				t.Fatalf("Search(%q) = %d matches", tt.q, len(got))
			}
			if got[0].Path != tt.path || got[0].PathEN != tt.pathEN {
				t.Errorf("paths = %q, %q; want %q, %q", got[0].Path, got[0].PathEN, tt.path, tt.pathEN)
			}
		})
	}
}

func codes(ms []area.Match) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Area.Code+" "+m.Path)
	}
	return out
}

// Paths is the address Search writes, found by code.
func TestPathsByCode(t *testing.T) {
	tree := MustEmbedded(t)
	matches := tree.Search("เขาขลุง", 0)
	if len(matches) == 0 {
		t.Fatal("no area named เขาขลุง to look up")
	}
	for _, m := range matches {
		th, en, ok := tree.Paths(m.Area.Code)
		if !ok || th != m.Path || en != m.PathEN {
			t.Errorf("%s: Paths gives %q, %q; Search wrote %q, %q", m.Area.Code, th, en, m.Path, m.PathEN)
		}
	}
	if _, _, ok := tree.Paths("99999999"); ok {
		t.Error("an unknown code has an address")
	}
}
