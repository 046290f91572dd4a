package indicator

import "testing"

// PassingAnswer reads the pass rules: a yes/no that passes on no, a weight
// that passes from 2,500 g, a choice, a comparison under "not" turned round,
// and a question that only decides eligibility.
func TestPassingAnswer(t *testing.T) {
	s, err := Lookup("bmn-2566-2570")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		q  string
		op string
		x  float64
		ok bool
	}{
		{"he03", "eq", 0, true},
		{"h01", "eq", 1, true},
		{"h02_weight_g", "gte", 2500, true},
		{"ec01", "eq", 0, true}, // occupation_and_income, the first choice
		{"h01_gave_birth", "", 0, false},
	}
	for _, tt := range tests {
		op, x, ok := s.PassingAnswer(s.QuestionIndex(tt.q))
		if op != tt.op || x != tt.x || ok != tt.ok {
			t.Errorf("PassingAnswer(%s) = %q %v %v, want %q %v %v", tt.q, op, x, ok, tt.op, tt.x, tt.ok)
		}
	}
	n := &node{op: "not", kids: []*node{{op: "leaf", cmpOp: "gte", cmpQ: 3, cmpX: 4}}}
	v := &Set{Indicators: []Indicator{{pass: n}}}
	if op, x, ok := v.PassingAnswer(3); op != "lt" || x != 4 || !ok {
		t.Errorf("under not: %q %v %v, want lt 4", op, x, ok)
	}
}
