package indicator_test

import (
	"strings"
	"testing"

	"tambon/internal/apperr"
	"tambon/internal/indicator"
	"tambon/internal/survey"
)

// local is a small local set: one household indicator with three sub-items
// of which two must pass, and one person indicator.
const local = `{
 "id": "local-khaokhlung", "name": {"th": "ชุดท้องถิ่น", "en": "Local set"}, "period": [2567, 2569],
 "groups": [{"code": "g", "name": {"th": "กลุ่ม", "en": "group"}}],
 "thresholds": {"line": {"label": {"th": "เกณฑ์", "en": "line"}, "by_year": {"2567": 50000}}},
 "questions": [
  {"code": "a", "label": {"th": "ก", "en": "a"}, "type": "bool", "level": "household"},
  {"code": "b", "label": {"th": "ข", "en": "b"}, "type": "bool", "level": "household"},
  {"code": "c", "label": {"th": "ค", "en": "c"}, "type": "bool", "level": "household"},
  {"code": "garden", "label": {"th": "ปลูกผัก", "en": "grows vegetables"}, "type": "bool", "level": "person"}
 ],
 "indicators": [
  {"code": "L1", "number": 1, "name": {"th": "สองในสาม", "en": "two of three"}, "group": "g", "unit": "household",
   "items": [{"code": "a", "label": {"th": "ก", "en": "a"}, "pass": {"q": "a", "eq": true}},
             {"code": "b", "label": {"th": "ข", "en": "b"}, "pass": {"q": "b", "eq": true}},
             {"code": "c", "label": {"th": "ค", "en": "c"}, "pass": {"q": "c", "eq": true}}],
   "min_items": 2, "provenance": {"source": "local", "confidence": "S"}},
  {"code": "L2", "number": 2, "name": {"th": "ปลูกผัก", "en": "gardens"}, "group": "g", "unit": "person",
   "eligible": {"min_age": 15, "when": {"income_per_person_gte": "line"}}, "pass": {"q": "garden", "eq": true},
   "provenance": {"source": "local", "confidence": "R"}}
 ]}`

func TestLoadLocalSet(t *testing.T) {
	s, err := indicator.Load(strings.NewReader(local))
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := s.Threshold("line", 2567); !ok || v != 50000 {
		t.Errorf("threshold line 2567 = %v, %v; want 50000", v, ok)
	}
	if _, ok := s.Threshold("line", 2568); ok {
		t.Error("threshold line 2568 should be unset")
	}
	tests := []struct {
		name   string
		hh     survey.Answers
		income int64
		want   [2]counts
	}{
		{"two of three items pass", answers("a", true, "b", false, "c", true), 200000, [2]counts{{1, 1}, {1, 1}}},
		{"one of three fails", answers("a", true, "b", false, "c", false), 200000, [2]counts{{1, 0}, {1, 1}}},
		{"income under the local line: L2 does not apply", answers("a", true, "b", true, "c", true), 99999, [2]counts{{1, 1}, na}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := &survey.Household{Answers: tc.hh, Income: survey.Income{MainOccupation: tc.income},
				Members: []survey.Member{
					member("ก", "1980-01-01", survey.RelHead, "garden", true),
					member("ข", "2015-01-01", survey.RelChild),
				}}
			got := s.EvaluateCounts(h, 2567, nil)
			for i := range tc.want {
				if got[i] != tc.want[i].outcome() {
					t.Errorf("%s: got %+v, want %+v", s.Indicators[i].Code, got[i], tc.want[i].outcome())
				}
			}
		})
	}
}

func TestLoadRejectsBadFiles(t *testing.T) {
	tests := []struct {
		name string
		old  string // replaced in the local set
		new  string
		want string // part of the English message
	}{
		{"syntax error with line and column", `"number": 1,`, `"number": 1,,`, "line 12, column 31"},
		{"unknown field", `"min_items": 2`, `"min_itemz": 2`, `unknown field "min_itemz"`},
		{"unknown question", `{"q": "garden", "eq": true}`, `{"q": "gardn", "eq": true}`, `indicators[1] (L2).pass: unknown question "gardn"`},
		{"yes/no compared with a number", `{"q": "garden", "eq": true}`, `{"q": "garden", "eq": 1}`, "compare it with true or false"},
		{"person question in a household rule", `{"q": "a", "eq": true}`, `{"q": "garden", "eq": true}`, "must wrap it in any_member"},
		{"age in a household rule", `"pass": {"q": "b", "eq": true}`, `"pass": {"age_between": [1, 2]}`, "about one member"},
		{"two forms in one rule", `{"q": "c", "eq": true}`, `{"q": "c", "eq": true, "flag": "head"}`, "exactly one form"},
		{"no comparison", `{"q": "c", "eq": true}`, `{"q": "c"}`, "exactly one of eq"},
		{"unknown threshold", `"income_per_person_gte": "line"`, `"income_per_person_gte": "lines"`, `unknown threshold "lines"`},
		{"unknown flag", `"min_age": 15,`, `"flags": ["tall"],`, `unknown flag "tall"`},
		{"min_items above the items", `"min_items": 2`, `"min_items": 4`, "min_items: must be between 1 and 3"},
		{"unknown group", `"group": "g", "unit": "person"`, `"group": "x", "unit": "person"`, `unknown group "x"`},
		{"bad unit", `"unit": "person"`, `"unit": "village"`, "must be household or person"},
		{"bad confidence", `"confidence": "R"`, `"confidence": "maybe"`, "must be S"},
		{"both pass and items", `"min_items": 2,`, `"min_items": 2, "pass": {"q": "a", "eq": true},`, "either pass or items"},
		{"duplicate question", `"code": "c", "label": {"th": "ค", "en": "c"}, "type": "bool"`, `"code": "a", "label": {"th": "ค", "en": "c"}, "type": "bool"`, "used twice"},
		{"bad survey year", `"2567": 50000`, `"67": 50000`, "not a Buddhist Era survey year"},
		{"backwards age band", `"min_age": 15,`, `"min_age": 15, "max_age": 10,`, "lowest ≤ highest"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := strings.Replace(local, tc.old, tc.new, 1)
			if src == local {
				t.Fatalf("the test's old text %q is not in the set", tc.old)
			}
			_, err := indicator.Load(strings.NewReader(src))
			if err == nil {
				t.Fatal("loaded a bad file")
			}
			if apperr.CodeOf(err) != apperr.Invalid {
				t.Errorf("code %s, want invalid", apperr.CodeOf(err))
			}
			msg := apperr.MessageOf(err)
			if !strings.Contains(msg.EN, tc.want) {
				t.Errorf("message %q does not say %q", msg.EN, tc.want)
			}
			if !strings.HasPrefix(msg.TH, "ไฟล์ชุดตัวชี้วัดไม่ถูกต้อง") {
				t.Errorf("Thai message %q", msg.TH)
			}
		})
	}
}

func TestLookup(t *testing.T) {
	for _, id := range []string{"bmn-2560-2564", "bmn-2566-2570"} {
		if s, err := indicator.Lookup(id); err != nil || s.ID != id {
			t.Errorf("Lookup(%q) = %v, %v", id, s, err)
		}
	}
	if _, err := indicator.Lookup("bmn-2555-2559"); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("unknown set: err %v, want not_found", err)
	}
}

// The built-in sets have the shape the references give them.
func TestBuiltinSets(t *testing.T) {
	tests := []struct {
		id     string
		groups []int // indicators per group, in order
		line   float64
	}{
		{"bmn-2560-2564", []int{7, 7, 5, 4, 8}, 38000},
		{"bmn-2566-2570", []int{12, 9, 5, 4, 5, 2}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.id, func(t *testing.T) {
			s := mustSet(t, tc.id)
			var got []int
			for _, g := range s.Groups {
				n := 0
				for _, ind := range s.Indicators {
					if ind.Group == g.Code {
						n++
					}
				}
				got = append(got, n)
			}
			if len(got) != len(tc.groups) {
				t.Fatalf("groups %v, want %v", got, tc.groups)
			}
			for i := range got {
				if got[i] != tc.groups[i] {
					t.Fatalf("groups %v, want %v", got, tc.groups)
				}
			}
			for _, ind := range s.Indicators {
				if ind.Name.TH == "" || ind.Name.EN == "" || ind.Provenance.Note.TH == "" || ind.Provenance.Note.EN == "" || ind.Who.TH == "" {
					t.Errorf("%s lacks a name, a provenance note or who is eligible", ind.Code)
				}
			}
			v, ok := s.Threshold("income_threshold", s.PeriodFrom)
			if tc.line != 0 && (!ok || v != tc.line) || tc.line == 0 && ok {
				t.Errorf("income line for %d = %v, %v; want %v", s.PeriodFrom, v, ok, tc.line)
			}
		})
	}
}
