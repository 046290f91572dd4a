package tpmap_test

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"tambon/internal/tpmap"
)

func TestParsePublishedFiles(t *testing.T) {
	tests := []struct {
		name       string
		kind       tpmap.Kind
		level      int
		province   string
		mask       string
		rows       int
		collisions int // village codes with more than one published unit
	}{
		{"61_70_village_common.csv", tpmap.KindCommon, tpmap.LevelVillage, "70", "", 1118, 6},
		{"61_70_village_11111.csv", tpmap.KindPoverty, tpmap.LevelVillage, "70", "11111", 1118, 6},
		{"61_70_tambol_common.csv", tpmap.KindCommon, tpmap.LevelTambon, "70", "", 111, 0},
		{"61_70_tambol_11111.csv", tpmap.KindPoverty, tpmap.LevelTambon, "70", "11111", 111, 0},
		{"61_70_amphur_common.csv", tpmap.KindCommon, tpmap.LevelAmphoe, "70", "", 10, 0},
		{"61_57_village_common.csv", tpmap.KindCommon, tpmap.LevelVillage, "57", "", 1879, 49},
		{"61_57_tambol_common.csv", tpmap.KindCommon, tpmap.LevelTambon, "57", "", 124, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := MustParse(t, tt.name)
			if f.Kind != tt.kind || f.Level != tt.level || f.Province != tt.province || f.Mask != tt.mask {
				t.Errorf("kind, level, province, mask = %v, %d, %q, %q; want %v, %d, %q, %q",
					f.Kind, f.Level, f.Province, f.Mask, tt.kind, tt.level, tt.province, tt.mask)
			}
			n := len(f.Rows) + len(f.Poverty)
			if n != tt.rows {
				t.Errorf("%d rows, want %d", n, tt.rows)
			}
			if tt.kind == tpmap.KindCommon && len(f.Poverty) > 0 || tt.kind == tpmap.KindPoverty && len(f.Rows) > 0 {
				t.Errorf("rows of the wrong kind: %d common, %d poverty", len(f.Rows), len(f.Poverty))
			}
			if got := len(f.Collisions()); got != tt.collisions {
				t.Errorf("%d collisions, want %d", got, tt.collisions)
			}
		})
	}
}

// The village id is the 8-digit DOPA village code and a 2-digit unit number;
// several units of one village are reported, not merged or dropped.
func TestVillageUnits(t *testing.T) {
	f := MustParse(t, "61_70_village_common.csv")
	tests := []struct {
		name  string
		line  int
		id    string
		code  string
		house int64
	}{
		{"first data row", 2, "7001020201", "70010202", 227},
		{"unit 01 of a split village", 0, "7009010901", "70090109", 30},
		{"unit 02 of the same village", 0, "7009010902", "70090109", 5},
	}
	rows := map[string]tpmap.Row{}
	for _, r := range f.Rows {
		rows[r.ID] = r
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, ok := rows[tt.id]
			if !ok {
				t.Fatalf("no row with id %s", tt.id)
			}
			if r.Code != tt.code || r.Level != tpmap.LevelVillage || r.Households != tt.house {
				t.Errorf("code, level, households = %s, %d, %d; want %s, 4, %d", r.Code, r.Level, r.Households, tt.code, tt.house)
			}
			if tt.line > 0 && r.Line != tt.line {
				t.Errorf("line %d, want %d", r.Line, tt.line)
			}
		})
	}

	want := []tpmap.Collision{
		{Code: "70090109", IDs: []string{"7009010901", "7009010902"}},
		{Code: "70090110", IDs: []string{"7009011001", "7009011002"}},
		{Code: "70090301", IDs: []string{"7009030101", "7009030102"}},
		{Code: "70090303", IDs: []string{"7009030301", "7009030302"}},
		{Code: "70090304", IDs: []string{"7009030401", "7009030402"}},
		{Code: "70090307", IDs: []string{"7009030701", "7009030702"}},
	}
	got := f.Collisions()
	if len(got) != len(want) {
		t.Fatalf("collisions %v, want %v", got, want)
	}
	for i := range want {
		if got[i].Code != want[i].Code || !slices.Equal(got[i].IDs, want[i].IDs) || len(got[i].Lines) != 2 {
			t.Errorf("collision %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

// Known facts from the published files (reference Appendix B).
func TestKhaoKhlung(t *testing.T) {
	f := MustParse(t, "61_70_village_common.csv")
	var units int
	for _, r := range f.Rows {
		if r.Code[:6] == "700513" {
			units++
		}
	}
	sum := tpmap.RollUp(f.Rows)["700513"]
	pub := byCode(MustParse(t, "61_70_tambol_common.csv").Rows)["700513"]
	tests := []struct {
		name      string
		got, want int64
	}{
		{"village rows", int64(units), 18},
		{"households summed", sum.Households, 2949},
		{"people summed", sum.Members, 7873},
		{"households published", pub.Households, 2949},
		{"people published", pub.Members, 7873},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %d, want %d", tt.got, tt.want)
			}
		})
	}
}

func TestRatchaburi2561(t *testing.T) {
	common, poverty, err := tpmap.Ratchaburi2561()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		f    *tpmap.File
		kind tpmap.Kind
		rows int
	}{
		{"common", common, tpmap.KindCommon, len(common.Rows)},
		{"poverty", poverty, tpmap.KindPoverty, len(poverty.Poverty)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.f.Kind != tt.kind || tt.f.Level != tpmap.LevelVillage || tt.f.Province != "70" {
				t.Errorf("kind %v level %d province %q", tt.f.Kind, tt.f.Level, tt.f.Province)
			}
			if tt.rows != 1118 {
				t.Errorf("%d rows, want 1118", tt.rows)
			}
		})
	}
	if common.Rows[0].Code != "70010202" || poverty.Poverty[0].Code != "70010202" {
		t.Errorf("first codes %s, %s; want 70010202", common.Rows[0].Code, poverty.Poverty[0].Code)
	}
	// Each call parses afresh: changing one result does not change the next.
	common.Rows[0].Households = -1
	again, _, err := tpmap.Ratchaburi2561()
	if err != nil || again.Rows[0].Households != 227 {
		t.Errorf("second call: households %d, err %v; want 227", again.Rows[0].Households, err)
	}
}

// BenchmarkParse measures reading a province's village file (Chiang Rai,
// 1,879 rows); a national file is about 40 times larger.
func BenchmarkParse(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("data", "61_57_village_common.csv"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := tpmap.Parse("61_57_village_common.csv", bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}
