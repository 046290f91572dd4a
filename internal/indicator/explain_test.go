package indicator_test

import (
	"testing"

	"tambon/internal/survey"
)

func TestExplainReasons(t *testing.T) {
	s := mustSet(t, "bmn-2560-2564")
	tests := []struct {
		name   string
		code   string
		mod    mod
		th, en string
	}{
		{"income below the line, with figures", "22",
			also(add(member("ก", "1950-01-01", survey.RelParent, "q21", "occupation_and_income")), income(125000, 0)),
			"รายได้เฉลี่ย 31,250 บาท/คน/ปี < เกณฑ์ 38,000", "average income 31,250 < 38,000 baht/person/year"},
		{"income passing, with figures", "22", nil,
			"รายได้เฉลี่ย 48,000 บาท/คน/ปี ≥ เกณฑ์ 38,000", "average income 48,000 ≥ 38,000 baht/person/year"},
		{"names the member who failed, with age", "6", setP(0, "q6", false),
			"สมชาย (อายุ 40) ไม่ได้ตรวจสุขภาพประจำปี", "สมชาย (age 40) had no annual health check"},
		{"names every member who failed", "24", also(setP(0, "q24", true), setP(1, "q24", true)),
			"สมชาย (อายุ 40) ดื่มสุรา; สมหญิง (อายุ 38) ดื่มสุรา", "สมชาย (age 40) drinks alcohol; สมหญิง (age 38) drinks alcohol"},
		{"an infant's age in months and the weight against the line", "1", add(member("น้อง", "2020-03-10", survey.RelChild, "q1_weight_g", 2400)),
			"น้อง (อายุ 9 เดือน) น้ำหนักแรกเกิด (กรัม): 2,400 (เกณฑ์ ≥ 2,500)", "น้อง (age 9 months) birth weight (g): 2,400 (needs ≥ 2,500)"},
		{"a choice answer is shown by its label", "20", setP(1, "q20", "income_only"),
			"สมหญิง (อายุ 38) อาชีพและรายได้: ไม่มีอาชีพแต่มีรายได้", "สมหญิง (age 38) occupation and income: no occupation but an income"},
		{"lists the failing sub-items", "11", also(set("q11_5_2", false), drop("q11_7")),
			"q11_5_2 คัดแยกขยะ 4 ประเภท: ไม่ใช่; q11_7 ส้วมแข็งแรง สะอาด: ยังไม่ได้ตอบ",
			"q11_5_2 separates waste into 4 kinds: no; q11_7 sound, clean toilet: not answered"},
		{"follows the branch that applies to a lone member", "31", alone("q31_has_relatives", true, "q31_visits", false),
			"ไปเยี่ยมเยือนญาติอย่างน้อยปีละ 1 ครั้ง: ไม่ใช่", "visits relatives at least once a year: no"},
		{"nobody eligible", "27", nil,
			"ไม่มีสมาชิกในกลุ่มเป้าหมาย (คนอายุ 60 ปีขึ้นไป)", "no member in the target group (members aged 60+)"},
		{"everybody passes", "25", nil, "ผ่านทุกคน (3/3 คน)", "all 3 eligible members pass"},
		{"a one-question household indicator shows the answer", "9", nil,
			"มีน้ำสะอาดดื่มและบริโภคเพียงพอตลอดปี คนละ 5 ลิตร/วัน: ใช่", "enough clean drinking water all year, 5 L/person/day: yes"},
		{"a multi-item household indicator passes", "4", nil, "ผ่าน", "passed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := clone(base60())
			if tc.mod != nil {
				tc.mod(h)
			}
			got := s.Explain(h, year)[index(t, s, tc.code)].Reason
			if got.TH != tc.th || got.EN != tc.en {
				t.Errorf("got\n  %q\n  %q\nwant\n  %q\n  %q", got.TH, got.EN, tc.th, tc.en)
			}
		})
	}
}

// A household where nobody actually lives has no applicable indicator, in
// either set, and no division by zero.
func TestZeroResidents(t *testing.T) {
	for _, tc := range []struct {
		id   string
		year int
		base func() *survey.Household
	}{{"bmn-2560-2564", year, base60}, {"bmn-2566-2570", year66, base66}} {
		t.Run(tc.id, func(t *testing.T) {
			s := mustSet(t, tc.id)
			h := clone(tc.base())
			for i := range h.Members {
				h.Members[i].Resident = false
			}
			for i, o := range s.Explain(h, tc.year) {
				if o.Applicable || o.Eligible != 0 || o.Passed != 0 {
					t.Errorf("%s: got %+v, want not applicable", s.Indicators[i].Code, o)
				}
				if o.Reason.EN != "nobody actually lives in the household" {
					t.Errorf("%s: reason %q", s.Indicators[i].Code, o.Reason.EN)
				}
			}
		})
	}
}

func TestPersonDeprivations(t *testing.T) {
	s := mustSet(t, "bmn-2560-2564")
	h := clone(base60())
	h.Members[0].Answers["q6"] = survey.Bool(false) // the head had no check-up
	h.Income = survey.Income{MainOccupation: 90000} // 30,000 per person: #22 fails
	h.Members = append(h.Members, member("ผู้มาเยือน", "1990-01-01", survey.RelOther))
	h.Members[3].Resident = false
	type key struct{ member, ind int }
	got := map[key][2]bool{}
	s.PersonDeprivations(h, year, func(m, i int, eligible, deprived bool) { got[key{m, i}] = [2]bool{eligible, deprived} })
	i6, i22, i3 := index(t, s, "6"), index(t, s, "22"), index(t, s, "3")
	tests := []struct {
		name     string
		member   int
		ind      int
		eligible bool
		deprived bool
	}{
		{"head, no check-up", 0, i6, true, true},
		{"spouse, checked", 1, i6, true, false},
		{"child, too young for check-ups", 2, i6, false, false},
		{"household income fails for the head", 0, i22, true, true},
		{"household income fails for the child too", 2, i22, true, true},
		{"head is too old for vaccines", 0, i3, false, false},
		{"child vaccinated", 2, i3, true, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g, ok := got[key{tc.member, tc.ind}]
			if !ok || g != [2]bool{tc.eligible, tc.deprived} {
				t.Errorf("got %v (reported %v), want eligible=%v deprived=%v", g, ok, tc.eligible, tc.deprived)
			}
		})
	}
	if len(got) != 3*len(s.Indicators) {
		t.Errorf("reported %d pairs, want %d (3 residents × %d indicators; the visitor is not a member)", len(got), 3*len(s.Indicators), len(s.Indicators))
	}
}
