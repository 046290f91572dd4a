package area_test

import (
	"slices"
	"strings"
	"sync"
	"testing"

	"tambon/internal/area"
)

// MustEmbedded returns the shared embedded tree or stops the test.
func MustEmbedded(tb testing.TB) *area.Tree {
	tb.Helper()
	tr, err := area.Embedded()
	if err != nil {
		tb.Fatal(err)
	}
	return tr
}

func TestEmbeddedIsShared(t *testing.T) {
	a, b := MustEmbedded(t), MustEmbedded(t)
	if a != b {
		t.Error("Embedded returned two different trees; it should load once")
	}
}

// The loaded counts, as measured from the embedded data. Where they come from:
//   - provinces: 77 rows of provinces.csv (76 provinces and Bangkok);
//   - districts: 929 rows of districts.csv less 2 registration offices (7074,
//     9077) = 927: 877 amphoe and 50 khet (DOPA lists 878 amphoe);
//   - subdistricts: all 7,451 rows of sub_districts.csv (7,282 tambons and 169
//     of Bangkok's khwaeng; DOPA lists 7,255 and 180);
//   - villages: 92,622 rows of the จปฐ. 2559 list less 20,797 left out
//     (20,702 of them under tambons the gazetteer does not have) = 71,825
//     (DOPA lists 75,086).
//
// A change in any of them means the data or a cleaning rule changed, and
// docs/data-cleaning.md must be updated with it.
func TestCounts(t *testing.T) {
	tr := MustEmbedded(t)
	tests := []struct {
		level area.Level
		want  int
	}{
		{area.Country, 1},
		{area.Province, 77},
		{area.District, 927},
		{area.Subdistrict, 7451},
		{area.Village, 71825},
		{area.Level(7), 0},
	}
	for _, tt := range tests {
		t.Run(tt.level.String(), func(t *testing.T) {
			if got := tr.Count(tt.level); got != tt.want {
				t.Errorf("Count(%v) = %d, want %d", tt.level, got, tt.want)
			}
		})
	}
	t.Run("Bangkok has 50 khet", func(t *testing.T) {
		if n := len(tr.Children("10")); n != 50 {
			t.Errorf("Bangkok has %d khet, want 50", n)
		}
	})
}

func TestKnownPlaces(t *testing.T) {
	tr := MustEmbedded(t)
	tests := []struct {
		name     string
		code     string
		level    area.Level
		nameTH   string
		nameEN   string
		parent   string
		region   int
		moo      int
		children int
	}{
		{"the country", "TH", area.Country, "ประเทศไทย", "Thailand", "", 0, 0, 77},
		{"Ratchaburi has 10 amphoe", "70", area.Province, "ราชบุรี", "Ratchaburi", "TH", 4, 0, 10},
		{"Ban Pong has 15 tambons", "7005", area.District, "บ้านโป่ง", "Ban Pong", "70", 4, 0, 15},
		{"Khao Khlung has 18 villages", "700513", area.Subdistrict, "เขาขลุง", "Khao Khlung", "7005", 4, 0, 18},
		{"หมู่ 4 of Khao Khlung", "70051304", area.Village, "หนองไม้เฝ้า", "", "700513", 4, 4, 0},
		{"Bangkok", "10", area.Province, "กรุงเทพมหานคร", "Bangkok", "TH", 2, 0, 50},
		{"a khet keeps a bare name", "1004", area.District, "บางรัก", "Bang Rak", "10", 2, 0, 5},
		{"1050 เขตบางบอน is a khet, not a registration office", "1050", area.District, "บางบอน", "Bang Bon", "10", 2, 0, 1},
		{"double space repaired", "450109", area.Subdistrict, "ปอภาร (ปอพาน)", "Po Phan", "4501", 3, 0, 14},
		{"asterisk removed from an English name", "470704", area.Subdistrict, "สุวรรณคาม", "Suwannakarm", "4707", 3, 0, -1},
		{"unquoted comma rejoined", "70071702", area.Village, "เตาอิฐ,โคก", "", "700717", 4, 2, 0},
		{"asterisk removed from a village", "14011704", area.Village, "ตั้งใหม่", "", "140117", 2, 4, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, ok := tr.Get(tt.code)
			if !ok {
				t.Fatalf("Get(%q) found nothing", tt.code)
			}
			want := area.Area{Code: tt.code, Level: tt.level, NameTH: tt.nameTH, NameEN: tt.nameEN, Parent: tt.parent, Region: tt.region, Moo: tt.moo}
			if a != want {
				t.Errorf("Get(%q) = %+v\nwant %+v", tt.code, a, want)
			}
			if n := len(tr.Children(tt.code)); tt.children >= 0 && n != tt.children {
				t.Errorf("%s has %d children, want %d", tt.code, n, tt.children)
			}
		})
	}
}

func TestLeftOutAreasAreNotInTheTree(t *testing.T) {
	tr := MustEmbedded(t)
	tests := []struct{ name, code string }{
		{"registration office 7074 ท้องถิ่นเทศบาลตำบลบ้านฆ้อง", "7074"},
		{"registration office 9077", "9077"},
		{"municipal community under an unknown tambon", "25096206"},
		{"village number 00", "19043900"},
		{"seven-digit code is not stored as such", "1412801"},
		{"letters in the code", "501471A0"},
		{"unknown code", "99999999"},
		{"empty", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if a, ok := tr.Get(tt.code); ok {
				t.Errorf("Get(%q) = %+v, want nothing", tt.code, a)
			}
			if kids := tr.Children(tt.code); kids != nil {
				t.Errorf("Children(%q) = %d areas, want nil", tt.code, len(kids))
			}
			if anc := tr.Ancestors(tt.code); anc != nil {
				t.Errorf("Ancestors(%q) = %d areas, want nil", tt.code, len(anc))
			}
		})
	}
}

func TestAncestors(t *testing.T) {
	tr := MustEmbedded(t)
	tests := []struct {
		code string
		want []string
	}{
		{"TH", nil},
		{"70", []string{"TH"}},
		{"700513", []string{"TH", "70", "7005"}},
		{"70051304", []string{"TH", "70", "7005", "700513"}},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			var got []string
			for _, a := range tr.Ancestors(tt.code) {
				got = append(got, a.Code)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Ancestors(%q) = %v, want %v", tt.code, got, tt.want)
			}
		})
	}
}

func TestChildrenOrder(t *testing.T) {
	tr := MustEmbedded(t)
	names := func(code string) []string {
		var out []string
		for _, a := range tr.Children(code) {
			out = append(out, a.NameTH)
		}
		return out
	}

	t.Run("Thai dictionary order, not byte order", func(t *testing.T) {
		// เขาขลุง starts with the vowel เ (U+0E40), which sorts after ค
		// (U+0E04) in bytes; Thai dictionaries file it under ข, before ค.
		got := names("7005")
		i, j := slices.Index(got, "เขาขลุง"), slices.Index(got, "คุ้งพยอม")
		if i < 0 || j < 0 {
			t.Fatalf("Ban Pong's tambons %v lack เขาขลุง or คุ้งพยอม", got)
		}
		if i > j {
			t.Errorf("เขาขลุง at %d after คุ้งพยอม at %d: %v", i, j, got)
		}
		if "เขาขลุง" < "คุ้งพยอม" {
			t.Error("the pair no longer differs in byte order; pick another")
		}
		want := []string{"กรับใหญ่", "เขาขลุง", "คุ้งพยอม", "ดอนกระเบื้อง", "ท่าผา", "นครชุมน์", "บ้านโป่ง", "บ้านม่วง",
			"เบิกไพร", "ปากแรต", "ลาดบัวขาว", "สวนกล้วย", "หนองกบ", "หนองปลาหมอ", "หนองอ้อ"}
		if !slices.Equal(got, want) {
			t.Errorf("Children(7005) =\n%v\nwant\n%v", got, want)
		}
	})
	t.Run("provinces in Thai order", func(t *testing.T) {
		got := names("TH")
		if got[0] != "กระบี่" || got[1] != "กรุงเทพมหานคร" {
			t.Errorf("first provinces %v, want กระบี่, กรุงเทพมหานคร", got[:2])
		}
		if slices.IsSorted(got) {
			t.Error("provinces are in byte order; want Thai order")
		}
	})
	t.Run("villages by หมู่", func(t *testing.T) {
		kids := tr.Children("700513")
		for i, a := range kids {
			if a.Moo != i+1 {
				t.Errorf("child %d is หมู่ %d (%s)", i, a.Moo, a.Code)
			}
		}
	})
}

func TestAllPutsParentsFirst(t *testing.T) {
	tr := MustEmbedded(t)
	all := tr.All()
	seen := make(map[string]bool, len(all))
	perLevel := map[area.Level]int{}
	for i, a := range all {
		if i == 0 && a.Code != area.CountryCode {
			t.Fatalf("All()[0] = %s, want the country", a.Code)
		}
		if a.Code != area.CountryCode && !seen[a.Parent] {
			t.Fatalf("%s comes before its parent %s", a.Code, a.Parent)
		}
		if lv, ok := area.LevelOf(a.Code); !ok || lv != a.Level {
			t.Errorf("%s has level %v, its code says %v", a.Code, a.Level, lv)
		}
		if a.Level > area.Country && (a.Region < 1 || a.Region > 6) {
			t.Errorf("%s has region %d", a.Code, a.Region)
		}
		if strings.TrimSpace(a.NameTH) != a.NameTH || a.NameTH == "" || strings.Contains(a.NameTH, "*") {
			t.Errorf("%s has an untidy name %q", a.Code, a.NameTH)
		}
		seen[a.Code] = true
		perLevel[a.Level]++
	}
	for lv, n := range perLevel {
		if n != tr.Count(lv) {
			t.Errorf("All() has %d of %v, Count says %d", n, lv, tr.Count(lv))
		}
	}
	all[1].NameTH = "changed"
	if a, _ := tr.Get(all[1].Code); a.NameTH == "changed" {
		t.Error("changing All()'s result changed the tree")
	}
}

func TestRegions(t *testing.T) {
	tr := MustEmbedded(t)
	want := []area.Region{
		{1, "ภาคเหนือ", "Northern"},
		{2, "ภาคกลาง", "Central"},
		{3, "ภาคตะวันออกเฉียงเหนือ", "Northeastern"},
		{4, "ภาคตะวันตก", "Western"},
		{5, "ภาคตะวันออก", "Eastern"},
		{6, "ภาคใต้", "Southern"},
	}
	if got := tr.Regions(); !slices.Equal(got, want) {
		t.Errorf("Regions() = %v, want %v", got, want)
	}
	perRegion := map[int]int{}
	for _, p := range tr.Children("TH") {
		perRegion[p.Region]++
	}
	// As the gazetteer groups them (the six-region scheme of its geographies.csv).
	wantPer := map[int]int{1: 9, 2: 22, 3: 20, 4: 5, 5: 7, 6: 14}
	for id, n := range wantPer {
		if perRegion[id] != n {
			t.Errorf("region %d has %d provinces, want %d", id, perRegion[id], n)
		}
	}
}

// The tree is shared by every request; -race checks that reading it from
// many goroutines at once is safe.
func TestConcurrentUse(t *testing.T) {
	tr := MustEmbedded(t)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for range 20 {
				if m := tr.Search("หนองบัว", 5); len(m) != 5 {
					t.Errorf("goroutine %d: %d matches", g, len(m))
				}
				if kids := tr.Children("7005"); len(kids) != 15 {
					t.Errorf("goroutine %d: %d children", g, len(kids))
				}
			}
		})
	}
	wg.Wait()
}
