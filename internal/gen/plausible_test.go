package gen_test

import (
	"math"
	"testing"

	"tambon/internal/gen"
	"tambon/internal/geo"
	"tambon/internal/indicator"
	"tambon/internal/survey"
)

// TestPlausible checks, over villages with no target (national rates), that
// the people look like Thailand's: age structure, household size, income
// per person, titles and education consistent with age, survey dates in
// January-April of the survey year.
func TestPlausible(t *testing.T) {
	villages := gen.Villages(MustTree(t), "40") // Khon Kaen: no targets
	villages = villages[:min(200, len(villages))]
	ref := survey.ReferenceDate(2561)
	var hh, people, children, elderly, badTitle, badEdu, badDate, parentTooYoung int
	var income float64
	var withGPS, farGPS, poor int
	var out []indicator.Outcome
	set := MustSet(t)
	MustGenerate(t, Options(t, 5, nil), villages, func(h *survey.Household) bool {
		hh++
		if y, m := h.SurveyDate.Year(), h.SurveyDate.Month(); y != 2018 || m > 4 {
			badDate++
		}
		income += float64(h.NetIncome())
		out = set.EvaluateCounts(h, 2561, out)
		if out[21].Passed == 0 {
			poor++
		}
		if h.Lat != nil {
			withGPS++
			// Khon Kaen lies within about 15.7-17.1 N, 101.7-103.2 E.
			if *h.Lat < 15.7 || *h.Lat > 17.1 || *h.Lon < 101.7 || *h.Lon > 103.2 {
				farGPS++
			}
		}
		headAge := h.Members[0].AgeAt(ref)
		for i := range h.Members {
			m := &h.Members[i]
			people++
			a := m.AgeAt(ref)
			switch {
			case a < 15:
				children++
				if m.Title != "เด็กชาย" && m.Title != "เด็กหญิง" {
					if badTitle < 3 {
						t.Logf("%d %s %s %s %v", a, m.Sex, m.Title, m.Relation, m.BirthDate)
					}
					badTitle++
				}
			case a >= 60:
				elderly++
			}
			if a >= 15 && (m.Sex == survey.Male) != (m.Title == "นาย") {
				if badTitle < 3 {
					t.Logf("%d %s %s %s", a, m.Sex, m.Title, m.Relation)
				}
				badTitle++
			}
			if r, _ := survey.EducationRank(m.Education); a < 12 && r > 1 || a < 15 && r > 2 || a < 18 && r > 3 {
				badEdu++
			}
			if m.Relation == survey.RelChild && headAge-a < 16 || m.Relation == survey.RelParent && a-headAge < 18 {
				parentTooYoung++
			}
		}
		return true
	})
	share := func(n int) float64 { return float64(n) / float64(people) }
	tests := []struct {
		name    string
		got     float64
		lo, hi  float64
		problem int
	}{
		{"children 0-14 ≈ 16 %", share(children), 0.13, 0.19, 0},
		{"elderly 60+ ≈ 20 %", share(elderly), 0.17, 0.23, 0},
		{"household size ≈ 2.84", float64(people) / float64(hh), 2.6, 3.1, 0},
		{"income per person ≈ 80,000 baht", income / float64(people), 65000, 100000, 0},
		{"2-5 % of households under the income line (#22)", float64(poor) / float64(hh), 0.02, 0.05, 0},
		{"about 70 % of households have GPS", float64(withGPS) / float64(hh), 0.65, 0.75, 0},
		{"GPS points inside the province", 0, 0, 0, farGPS},
		{"titles match age and sex", 0, 0, 0, badTitle},
		{"education within what the age allows", 0, 0, 0, badEdu},
		{"survey dates in Jan-Apr 2018", 0, 0, 0, badDate},
		{"parents 18+ years older than their children", 0, 0, 0, parentTooYoung},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got < tt.lo || tt.got > tt.hi || math.IsNaN(tt.got) || tt.problem != 0 {
				t.Errorf("got %.3f (want %.3f-%.3f), %d problems", tt.got, tt.lo, tt.hi, tt.problem)
			}
		})
	}
}

// TestCloneIsIndependent checks a cloned household survives the buffer's
// reuse.
func TestCloneIsIndependent(t *testing.T) {
	var kept []*survey.Household
	var firstName, firstAnswer string
	MustGenerate(t, Options(t, 1, nil), []string{"70051304"}, func(h *survey.Household) bool {
		kept = append(kept, gen.Clone(h))
		if len(kept) == 1 {
			firstName = h.Members[0].FirstName + h.Members[0].CitizenID
			firstAnswer = h.Answers["q9"].String()
		}
		return len(kept) < 20
	})
	if got := kept[0].Members[0].FirstName + kept[0].Members[0].CitizenID; got != firstName {
		t.Errorf("first household's head became %s, was %s", got, firstName)
	}
	if got := kept[0].Answers["q9"].String(); got != firstAnswer || len(kept[0].Answers) == 0 {
		t.Errorf("first household's answers changed: q9 %s, was %s", got, firstAnswer)
	}
}

// Households are placed around their own tambon, not anywhere in the
// province: every household of ตำบลเขาขลุง lies within 0.05° (about 5 km)
// of the middle of its boundary.
func TestHouseholdsLieInTheirTambon(t *testing.T) {
	lat0, lon0, ok := geo.Centre("700513")
	if !ok {
		t.Fatal("no boundary for 700513")
	}
	villages := gen.Villages(MustTree(t), "700513")
	n := 0
	MustGenerate(t, Options(t, 3, nil), villages, func(h *survey.Household) bool {
		if h.Lat == nil { // some households are surveyed without GPS
			return true
		}
		n++
		if math.Abs(*h.Lat-lat0) > 0.05 || math.Abs(*h.Lon-lon0) > 0.05 {
			t.Errorf("household %s of %s at %.4f, %.4f, far from the tambon's middle %.4f, %.4f", h.HouseNo, h.VillageCode, *h.Lat, *h.Lon, lat0, lon0)
		}
		return true
	})
	if n == 0 {
		t.Fatal("no household with GPS generated")
	}
}
