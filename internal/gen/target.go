package gen

import (
	"tambon/internal/tpmap"
)

// NumIndicators is the size of the 2560-2564 set the targets describe.
const NumIndicators = tpmap.NumIndicators

// Count is one indicator's published figures for a village, as TPMAP counts
// them: All is the people living in households where the indicator applies,
// Fail the people living in households that fail it.
type Count struct {
	All, Fail int64
}

// Target is what one village's generated households should reproduce.
type Target struct {
	Village    string // 8-digit village code
	Households int64  // exact
	Members    int64  // exact (raised to Households if smaller: nobody lives alone in no one)
	// People says Elderly, Disabled and Chronic are known; when false the
	// generator uses national rates for them.
	People   bool
	Elderly  int64 // people aged 60 and over, exact when People
	Disabled int64 // disabled people, exact when People
	Chronic  int64 // chronically ill people, exact when People
	// Fail holds indicators 1…31 at 0…30. When every All is 0 the target
	// has no indicator figures and national rates apply; otherwise an
	// indicator with All == 0 fails nowhere in the village.
	Fail [NumIndicators]Count
}

// TargetsFromTPMAP turns TPMAP village rows (tpmap.Ratchaburi2561's common
// file) into targets by village code. Rows of other levels are skipped;
// several rows of one village (TPMAP's units) are summed.
func TargetsFromTPMAP(rows []tpmap.Row) map[string]Target {
	out := make(map[string]Target)
	for i := range rows {
		r := &rows[i]
		if r.Level != tpmap.LevelVillage || len(r.Code) != 8 {
			continue
		}
		t := out[r.Code]
		t.Village = r.Code
		t.People = true
		t.Households += r.Households
		t.Members += r.Members
		t.Elderly += r.Elderly
		t.Disabled += r.Disabled
		t.Chronic += r.Chronic
		for k := range t.Fail {
			t.Fail[k].All += r.Indicators[k].All
			t.Fail[k].Fail += r.Indicators[k].Fail
		}
		out[r.Code] = t
	}
	return out
}

// nationalFail is the share of people living in households failing each
// indicator where no target says otherwise: most indicators pass for 95-100 %
// of households; income (#22) fails for about 3 %, while saving (#23),
// alcohol (#24), smoking (#25) and the older people's occupation (#21) fail
// far more often, as in TPMAP's 2561 figures.
var nationalFail = [NumIndicators]float64{
	0.03, 0.05, 0.01, 0.01, 0.01, 0.04, 0.03, 0.01, 0.005, 0.005,
	0.02, 0.01, 0.01, 0.005, 0.01, 0.005, 0.05, 0.30, 0.005, 0.04,
	0.20, 0.03, 0.15, 0.15, 0.12, 0.05, 0.01, 0.02, 0.01, 0.02,
	0.01,
}

// National shares of the population used where no target gives them (CDD
// domain reference §9; NSO 2018): 0-14 ≈ 16 %, 15-59 ≈ 64 %, 60+ ≈ 20 %;
// about 2 % disabled and 12 % chronically ill.
const (
	shareChildren = 0.16
	shareElderly  = 0.20
	shareDisabled = 0.02
	shareChronic  = 0.12
	// nationalHouseholdSize is 36.6 M people ÷ 12.9 M households.
	nationalHouseholdSize = 2.84
	// nationalVillageSize is 12.9 M households ÷ ~75,000 villages.
	nationalVillageSize = 172
	// incomeMean is the village mean net income per person per year
	// (Ratchaburi's จปฐ. 2561 level is about 80,000 baht).
	incomeMean = 80000.0
)
