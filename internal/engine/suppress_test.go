package engine_test

import (
	"testing"

	"tambon/internal/engine"
	"tambon/internal/indicator"
)

func TestSuppressHidesSmallCells(t *testing.T) {
	set, err := indicator.Lookup("bmn-2560-2564")
	if err != nil {
		t.Fatal(err)
	}
	eng, err := engine.New(set, 2564, nil)
	if err != nil {
		t.Fatal(err)
	}
	mk := func(hh int64, counts ...engine.Count) *engine.Totals {
		tt := eng.NewTotals()
		tt.Households, tt.People, tt.NetIncome = hh, 3*hh, 1000*hh
		copy(tt.Indicators, counts)
		return tt
	}
	tests := []struct {
		name     string
		in       *engine.Totals
		hidden   bool
		keepHH   bool
		keepInd0 bool
	}{
		{"big and clean", mk(100, engine.Count{Eligible: 100, Passed: 90}), false, true, true},
		{"3 failing of 100", mk(100, engine.Count{Eligible: 100, Passed: 97}), true, true, false},
		{"4 eligible", mk(100, engine.Count{Eligible: 4, Passed: 4}), true, true, false},
		{"nobody failing is fine", mk(100, engine.Count{Eligible: 100, Passed: 100}), false, true, true},
		{"a village of 3 households", mk(3, engine.Count{Eligible: 3, Passed: 3}), true, false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := tc.in.Clone()
			out, hidden := engine.Suppress(tc.in, 5)
			if hidden != tc.hidden {
				t.Errorf("hidden = %v, want %v", hidden, tc.hidden)
			}
			if (out.Households != 0) != tc.keepHH {
				t.Errorf("households %d shown=%v", out.Households, tc.keepHH)
			}
			if (out.Indicators[0].Eligible != 0) != tc.keepInd0 {
				t.Errorf("indicator 1 = %+v, shown should be %v", out.Indicators[0], tc.keepInd0)
			}
			if !tc.in.Equal(before) {
				t.Error("Suppress changed its argument")
			}
		})
	}
}
