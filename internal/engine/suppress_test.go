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
		// what Withheld says of indicator 1: hidden, and the eligible count kept for "<5"
		withheld0 bool
		eligible0 int64
	}{
		{"big and clean", mk(100, engine.Count{Eligible: 100, Passed: 90}), false, true, true, false, 0},
		{"3 failing of 100", mk(100, engine.Count{Eligible: 100, Passed: 97}), true, true, false, true, 100},
		{"4 eligible", mk(100, engine.Count{Eligible: 4, Passed: 4}), true, true, false, true, 0},
		{"nobody failing is fine", mk(100, engine.Count{Eligible: 100, Passed: 100}), false, true, true, false, 0},
		{"a village of 3 households", mk(3, engine.Count{Eligible: 3, Passed: 3}), true, false, false, false, 0},
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
			w := out.Withheld
			if (w != nil) != hidden {
				t.Fatalf("Withheld = %+v while hidden = %v", w, hidden)
			}
			if w == nil {
				return
			}
			if w.Below != 5 || w.Area != !tc.keepHH {
				t.Errorf("Withheld below %d, area %v; want 5, %v", w.Below, w.Area, !tc.keepHH)
			}
			if w.Indicators[0] != tc.withheld0 || w.Eligible[0] != tc.eligible0 {
				t.Errorf("Withheld indicator 1: %v with %d eligible; want %v, %d", w.Indicators[0], w.Eligible[0], tc.withheld0, tc.eligible0)
			}
			r := engine.Results(set, out, nil, nil)
			ir := r.Indicators[0]
			if ir.Withheld != tc.withheld0 || ir.WithheldSurveyed != tc.eligible0 || ir.Surveyed != 0 && tc.withheld0 || r.WithheldBelow != 5 {
				t.Errorf("report of indicator 1: %+v (threshold %d)", ir, r.WithheldBelow)
			}
			for _, n := range w.Eligible {
				if n > 0 && n < 5 {
					t.Errorf("Withheld keeps a small eligible count %d", n)
				}
			}
		})
	}
}
