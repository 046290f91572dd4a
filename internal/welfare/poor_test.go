package welfare_test

import (
	"bytes"
	"encoding/json"
	"time"

	"testing"

	"tambon/internal/indicator"
	"tambon/internal/survey"
	"tambon/internal/welfare"
)

// tinySet is the 2560-2564 set cut down to two indicators, one of each
// unit: 7 (people aged 6+ exercise: a person indicator) and 22 (income per
// person at least the threshold: a household indicator), so that who is
// poor can be worked out by hand.
func tinySet(t *testing.T) *indicator.Set {
	t.Helper()
	full, err := indicator.Lookup("bmn-2560-2564")
	if err != nil {
		t.Fatal(err)
	}
	var f map[string]any
	if err := json.Unmarshal(full.File(), &f); err != nil {
		t.Fatal(err)
	}
	var keep []any
	for _, in := range f["indicators"].([]any) {
		if c := in.(map[string]any)["code"]; c == "7" || c == "22" {
			keep = append(keep, in)
		}
	}
	f["id"], f["indicators"] = "tiny", keep
	b, _ := json.Marshal(f)
	set, err := indicator.Load(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return set
}

// household is three residents, aged 40, 35 and 4, who all exercise, with
// 300,000 baht a year: nobody fails 7 or 22.
func household() *survey.Household {
	ref := survey.Round{SurveyYear: 2564}.ReferenceDate()
	born := func(age int) time.Time { return ref.AddDate(-age, -1, 0) }
	h := &survey.Household{RoundID: "bmn-2564", VillageCode: "70051304", HouseNo: "1", Status: survey.Complete,
		Income: survey.Income{MainOccupation: 300000}}
	for i, age := range []int{40, 35, 4} {
		h.Members = append(h.Members, survey.Member{No: i + 1, FirstName: "ก", LastName: "ข", BirthDate: born(age), Resident: true,
			Relation: survey.RelHead, Answers: survey.Answers{"q7": survey.Text("exercise")}})
	}
	h.Members[1].Relation, h.Members[2].Relation = survey.RelSpouse, survey.RelChild
	return h
}

func TestTargetPoorByHand(t *testing.T) {
	set := tinySet(t)
	m := welfare.Mapping{Set: "tiny", Unit: welfare.UnitPerson, Dimensions: []welfare.Dimension{
		{ID: "health", Indicators: []string{"7"}}, {ID: "living"}, {ID: "education"}, {ID: "income", Indicators: []string{"22"}}, {ID: "access"}}}
	j, err := welfare.NewJudge(m, set, 2564)
	if err != nil {
		t.Fatal(err)
	}
	const health, income = 1 << 0, 1 << 3
	h := household()
	n := len(h.Members)
	for _, p := range j.People(h) {
		if !p.Judged || p.Poor() {
			t.Fatalf("clean household: member %d judged %v poor %v", p.Member, p.Judged, p.Poor())
		}
	}

	// The spouse stops exercising: indicator 7 (health) is a person
	// indicator, so only she is poor, in health only.
	const adult = 1
	h.Members[adult].Answers["q7"] = survey.Text("neither")
	for _, p := range j.People(h) {
		want := uint8(0)
		if p.Member == adult {
			want = health
		}
		if p.Dims != want {
			t.Errorf("no exercise: member %d dims %05b, want %05b", p.Member, p.Dims, want)
		}
	}

	// No income at all: indicator 22 judges the household, so everybody
	// is poor in income as well.
	h.Income = survey.Income{}
	var c welfare.Counts
	registered := map[int]bool{adult: true, 0: true}
	for _, p := range j.People(h) {
		if !p.Judged || p.Dims&income == 0 {
			t.Errorf("no income: member %d not deprived in income (%05b)", p.Member, p.Dims)
		}
		if (p.Member == adult) != (p.Dims&health != 0) {
			t.Errorf("no income: member %d health %v", p.Member, p.Dims&health != 0)
		}
		c.AddPerson(p, registered[p.Member])
	}
	c.AddNotFound()
	want := welfare.Counts{People: int64(n), Poor: int64(n), Registered: 3, TargetPoor: 2, PoorUnregistered: int64(n - 2),
		RegisteredNotFound: 1, TargetByDimension: [5]int64{1, 0, 0, 2, 0}}
	if c != want {
		t.Errorf("counts\n got %+v\nwant %+v", c, want)
	}

	// Judged by the household: the spouse's missed exercise makes all
	// three poor in health, and the lost income in income.
	m.Unit = welfare.UnitHousehold
	jh, err := welfare.NewJudge(m, set, 2564)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range jh.People(h) {
		if p.Dims != health|income {
			t.Errorf("household unit: member %d dims %05b, want %05b", p.Member, p.Dims, health|income)
		}
	}
	h.Members[2].Resident = false
	if ps := jh.People(h); ps[2].Judged || ps[2].Poor() || ps[0].Dims != health|income {
		t.Errorf("household unit, a member not living there: %+v", ps)
	}
	h.Members[2].Resident = true

	// A draft is found but judged for nobody.
	h.Status = survey.Draft
	for _, p := range j.People(h) {
		if p.Judged || p.Poor() {
			t.Errorf("draft: member %d judged %v poor %v", p.Member, p.Judged, p.Poor())
		}
	}
}

func TestMappingFile(t *testing.T) {
	if _, err := welfare.LoadMappings([]byte(`{"sets":[{"set":"x","unit":"person","dimensions":[]}]}`)); err == nil {
		t.Error("a mapping without five dimensions was accepted")
	}
	if _, err := welfare.LoadMappings([]byte(`{"sets":[],"extra":1}`)); err == nil {
		t.Error("an unknown field was accepted")
	}
	if _, err := welfare.LoadMappings([]byte(`{"sets":[{"set":"x","unit":"village","dimensions":[{"id":"a"},{"id":"b"},{"id":"c"},{"id":"d"},{"id":"e"}]}]}`)); err == nil {
		t.Error("an unknown unit was accepted")
	}
	twice := `{"sets":[{"set":"x","unit":"person","dimensions":[{"id":"a","indicators":["1"]},{"id":"b","indicators":["1"]},{"id":"c"},{"id":"d"},{"id":"e"}]}]}`
	if _, err := welfare.LoadMappings([]byte(twice)); err == nil {
		t.Error("an indicator under two dimensions was accepted")
	}
	if _, ok := welfare.MappingFor("bmn-2566-2570"); ok {
		t.Error("a mapping for the 2566-2570 set exists: TPMAP has published none to check it against")
	}
}

func TestBuiltinMappingBinds(t *testing.T) {
	set, err := indicator.Lookup("bmn-2560-2564")
	if err != nil {
		t.Fatal(err)
	}
	m, ok := welfare.MappingFor(set.ID)
	if !ok || !m.Provisional || m.Unit != welfare.UnitHousehold {
		t.Fatalf("mapping for %s: %+v %v", set.ID, m, ok)
	}
	n := 0
	for _, d := range m.Dimensions {
		n += len(d.Indicators)
	}
	if n != 17 {
		t.Errorf("%d indicators under TPMAP's dimensions, the reference recalls 17", n)
	}
	if _, err := welfare.NewJudge(m, set, 2564); err != nil {
		t.Fatal(err)
	}
}
