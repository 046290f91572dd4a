package engine_test

import (
	"testing"

	"tambon/internal/engine"
)

func TestMatch(t *testing.T) {
	ref := func(id int64, key, village string, poor bool, ids ...string) engine.HouseholdRef {
		return engine.HouseholdRef{ID: id, Key: key, Village: village, CitizenIDs: ids, Poor: poor}
	}
	prev := []engine.HouseholdRef{
		ref(1, "H1", "70051301", true, "a1", "a2"),              // graduates, same house
		ref(2, "H2", "70051301", false, "b1"),                   // falls back
		ref(3, "H3", "70051301", true, "c1"),                    // stays poor
		ref(4, "H4", "70051302", false, "d1", "d2", "d3", "d4"), // splits: d1-d3 move to H9, d4 to H10
		ref(5, "H5", "70051302", true, "e1"),                    // gone
		ref(6, "", "70051302", false, "f1", "f2"),               // no house code; matched by members
	}
	cur := []engine.HouseholdRef{
		ref(11, "H1", "70051301", false, "a1", "a2"),
		ref(12, "H2", "70051301", true, "b1"),
		ref(13, "H3", "70051301", true, "c1"),
		ref(14, "H10", "70051302", false, "d4"),
		ref(15, "H9", "70060101", false, "d1", "d2", "d3"),
		ref(16, "", "70051302", false, "f2", "x9"),
		ref(17, "H7", "70051302", true, "z1"),
	}
	pairs := engine.Match(prev, cur)
	type want struct {
		prev, cur int64
		by        string
		kind      engine.Transition
	}
	wants := []want{
		{1, 11, engine.ByKey, engine.Graduated},
		{2, 12, engine.ByKey, engine.FellBack},
		{3, 13, engine.ByKey, engine.StillPoor},
		{0, 14, "", engine.NewHousehold}, // the split-off part with fewer members
		{4, 15, engine.ByCitizenID, engine.NeverPoor},
		{6, 16, engine.ByCitizenID, engine.NeverPoor},
		{0, 17, "", engine.NewHousehold},
		{5, 0, "", engine.Gone},
	}
	if len(pairs) != len(wants) {
		t.Fatalf("%d pairs, want %d: %+v", len(pairs), len(wants), pairs)
	}
	for i, w := range wants {
		p := pairs[i]
		var gotPrev, gotCur int64
		if p.Prev != nil {
			gotPrev = p.Prev.ID
		}
		if p.Cur != nil {
			gotCur = p.Cur.ID
		}
		if gotPrev != w.prev || gotCur != w.cur || p.By != w.by || p.Kind != w.kind {
			t.Errorf("pair %d: %d→%d by %q %s, want %d→%d by %q %s", i, gotPrev, gotCur, p.By, p.Kind, w.prev, w.cur, w.by, w.kind)
		}
	}

	table := engine.TransitionTable(pairs, nil)
	for _, c := range []struct {
		code string
		want engine.TransitionCounts
	}{
		{"70051301", engine.TransitionCounts{Graduated: 1, FellBack: 1, StillPoor: 1}},
		// 14 and 17 new; 16 never poor; 5 gone (where it was); 15 moved to 70060101.
		{"70051302", engine.TransitionCounts{NeverPoor: 1, New: 2, Gone: 1}},
		{"70060101", engine.TransitionCounts{NeverPoor: 1}},
		{"7005", engine.TransitionCounts{Graduated: 1, FellBack: 1, StillPoor: 1, NeverPoor: 1, New: 2, Gone: 1}},
		{"TH", engine.TransitionCounts{Graduated: 1, FellBack: 1, StillPoor: 1, NeverPoor: 2, New: 2, Gone: 1}},
	} {
		t.Run(c.code, func(t *testing.T) {
			if got := table[c.code]; got == nil || *got != c.want {
				t.Fatalf("%s: %+v, want %+v", c.code, got, c.want)
			}
		})
	}
}
