package tpmap_test

import (
	"fmt"
	"slices"
	"strconv"
	"testing"

	"tambon/internal/tpmap"
)

// g15 writes a float as R writes it by default, with 15 significant digits;
// TPMAP's files were written that way, so equal g15 strings mean the same
// published figure.
func g15(f float64) string { return strconv.FormatFloat(f, 'g', 15, 64) }

// countColumns lists every count of a common row by its published column
// name, so that a mismatch names the column.
func countColumns(r tpmap.Row) map[string]int64 {
	m := map[string]int64{
		"household.CNT": r.Households, "HOUSEMEMBER_CNT": r.Members,
		"MOF_REG_CNT": r.MOFReg, "MOF_VAL_CNT": r.MOFVal, "ELDERLY_CNT": r.Elderly,
		"DISABLED_CNT": r.Disabled, "CHRONICPATIENT_CNT": r.Chronic,
		"happiness total score": r.HappinessSum,
	}
	for k, c := range r.Indicators {
		m[fmt.Sprintf("indicator%d.ALL", k+1)] = c.All
		m[fmt.Sprintf("indicator%d.CNT", k+1)] = c.Fail
	}
	return m
}

// The village files add up exactly to the published tambon and amphoe rows:
// every count column, and happiness to the last published digit.
func TestRollUpMatchesPublished(t *testing.T) {
	tests := []struct {
		name      string
		villages  string
		published string
		level     int
	}{
		{"Ratchaburi tambons", "61_70_village_common.csv", "61_70_tambol_common.csv", tpmap.LevelTambon},
		{"Ratchaburi amphoe", "61_70_village_common.csv", "61_70_amphur_common.csv", tpmap.LevelAmphoe},
		{"Chiang Rai tambons", "61_57_village_common.csv", "61_57_tambol_common.csv", tpmap.LevelTambon},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sums := tpmap.RollUp(MustParse(t, tt.villages).Rows)
			pub := MustParse(t, tt.published).Rows

			var summed, published []string
			for code, s := range sums {
				if s.Level == tt.level {
					summed = append(summed, code)
				}
			}
			for _, p := range pub {
				published = append(published, p.Code)
			}
			slices.Sort(summed)
			slices.Sort(published)
			if !slices.Equal(summed, published) {
				t.Fatalf("areas differ:\nsummed    %v\npublished %v", summed, published)
			}

			for _, p := range pub {
				s := sums[p.Code]
				want, got := countColumns(p), countColumns(s)
				for col, w := range want {
					if got[col] != w {
						t.Errorf("%s %s: sum of villages %d, published %d", p.Code, col, got[col], w)
					}
				}
				if g15(s.Happiness) != g15(p.Happiness) {
					t.Errorf("%s happiness: from villages %s, published %s", p.Code, g15(s.Happiness), g15(p.Happiness))
				}
				if s.Level != tt.level || s.Code != p.Code || s.Line != 0 {
					t.Errorf("%s: level %d, code %s, line %d", p.Code, s.Level, s.Code, s.Line)
				}
			}
		})
	}
}

// A plain mean of the village values is not what TPMAP published; this
// guards the documented rule against a well-meant "simplification".
func TestHappinessIsHouseholdWeighted(t *testing.T) {
	villages := MustParse(t, "61_70_village_common.csv").Rows
	pub := byCode(MustParse(t, "61_70_tambol_common.csv").Rows)["700513"]
	var plain float64
	var n int
	for _, v := range villages {
		if v.Code[:6] == "700513" {
			plain += v.Happiness
			n++
		}
	}
	plain /= float64(n)
	weighted := tpmap.RollUp(villages)["700513"].Happiness
	tests := []struct {
		name  string
		value float64
		same  bool
	}{
		{"household-weighted mean", weighted, true},
		{"plain mean of villages", plain, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if (g15(tt.value) == g15(pub.Happiness)) != tt.same {
				t.Errorf("%s vs published %s: same = %v, want %v", g15(tt.value), g15(pub.Happiness), !tt.same, tt.same)
			}
		})
	}
}

// Units of one village are summed into one village row, and every level up
// to the country is a sum of its villages.
func TestRollUpLevels(t *testing.T) {
	villages := MustParse(t, "61_70_village_common.csv").Rows
	sums := tpmap.RollUp(villages)
	var all int64
	for _, v := range villages {
		all += v.Households
	}
	tests := []struct {
		name       string
		code       string
		level      int
		households int64
	}{
		{"village of two units", "70090109", tpmap.LevelVillage, 30 + 5},
		{"village of one unit", "70010202", tpmap.LevelVillage, 227},
		{"tambon", "700513", tpmap.LevelTambon, 2949},
		{"province", "70", tpmap.LevelProvince, all},
		{"country", tpmap.Country, tpmap.LevelCountry, all},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, ok := sums[tt.code]
			if !ok {
				t.Fatalf("no row for %s", tt.code)
			}
			if s.Level != tt.level || s.Households != tt.households {
				t.Errorf("level %d, households %d; want %d, %d", s.Level, s.Households, tt.level, tt.households)
			}
		})
	}
	if got := len(sums); got != 1112+111+10+1+1 {
		t.Errorf("%d rolled-up areas, want 1,112 villages + 111 tambons + 10 amphoe + province + country", got)
	}
}

func povertyColumns(r tpmap.PovertyRow) map[string]int64 {
	m := map[string]int64{
		"poor.household.CNT": r.PoorHouseholds, "poor.JPT.CNT": r.Poor,
		"poor.JPT.MOFreg.CNT": r.PoorMOFReg, "poor.JPT.MOFval.CNT": r.TargetPoor,
	}
	for k, d := range tpmap.Dimensions {
		m["poor.JPT.MOFval."+d] = r.Dimensions[k]
	}
	for k, n := range r.Indicators {
		m[fmt.Sprintf("poor.JPT.MOFval.ind%d.CNT", k+1)] = n
	}
	return m
}

// The poverty village file adds up exactly to the published tambon poverty
// rows, and the rate is reproduced from the common file's members.
func TestRollUpPovertyMatchesPublished(t *testing.T) {
	common := tpmap.RollUp(MustParse(t, "61_70_village_common.csv").Rows)
	villages := MustParse(t, "61_70_village_11111.csv").Poverty
	sums := tpmap.RollUpPoverty(villages, common)
	pub := MustParse(t, "61_70_tambol_11111.csv").Poverty
	if len(pub) != 111 {
		t.Fatalf("%d published tambon rows, want 111", len(pub))
	}
	for _, p := range pub {
		t.Run(p.Code, func(t *testing.T) {
			s, ok := sums[p.Code]
			if !ok {
				t.Fatal("no sum for this tambon")
			}
			want, got := povertyColumns(p), povertyColumns(s)
			for col, w := range want {
				if got[col] != w {
					t.Errorf("%s: sum of villages %d, published %d", col, got[col], w)
				}
			}
			if g15(s.Rate) != g15(p.Rate) {
				t.Errorf("rate: recomputed %s, published %s", g15(s.Rate), g15(p.Rate))
			}
		})
	}
}

// The published village rates are PovertyRate of the village's own counts.
func TestPovertyRateMatchesPublishedVillages(t *testing.T) {
	members := map[string]int64{}
	for _, r := range MustParse(t, "61_70_village_common.csv").Rows {
		members[r.ID] = r.Members
	}
	tests := []struct {
		name   string
		target int64
		people int64
		want   string
	}{
		{"none", 0, 559, "0"},
		{"no members", 3, 0, "0"},
		{"tambon 700102 as published", 24, 10747, "0.22331813529357"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := g15(tpmap.PovertyRate(tt.target, tt.people)); got != tt.want {
				t.Errorf("PovertyRate(%d, %d) = %s, want %s", tt.target, tt.people, got, tt.want)
			}
		})
	}
	for _, p := range MustParse(t, "61_70_village_11111.csv").Poverty {
		if g15(tpmap.PovertyRate(p.TargetPoor, members[p.ID])) != g15(p.Rate) {
			t.Errorf("%s: rate %s, published %s", p.ID, g15(tpmap.PovertyRate(p.TargetPoor, members[p.ID])), g15(p.Rate))
		}
	}
}
