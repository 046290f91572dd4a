package mpi_test

import (
	"encoding/json"
	"testing"

	"tambon/internal/apperr"
	"tambon/internal/mpi"
)

func TestStatsAddMask(t *testing.T) {
	x := MustIndex(t, mpi.TPMAP())
	health, _ := x.Bit("birth_weight")
	income, _ := x.Bit("income")
	care, _ := x.Bit("elderly_care")
	tests := []struct {
		name      string
		mask      uint64
		wantScore int64 // in 1/60
		wantErr   bool
	}{
		{"not deprived", 0, 0, false},
		{"one health indicator weighs 1/20", health, 3, false},
		{"one income indicator weighs 1/15", income, 4, false},
		{"one access indicator weighs 1/10", care, 6, false},
		{"all three", health | income | care, 13, false},
		{"every indicator scores 1", 1<<17 - 1, 60, false},
		{"a bit beyond the 17 indicators", 1 << 17, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := x.NewStats()
			err := st.AddMask(tt.mask)
			if tt.wantErr {
				if !apperr.Is(err, apperr.Invalid) || st.N != 0 {
					t.Fatalf("AddMask = %v with N = %d, want an invalid error and nothing counted", err, st.N)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if st.N != 1 || st.ByScore[tt.wantScore] != 1 {
				t.Errorf("after AddMask: N = %d, ByScore = %v; want one person at score %d", st.N, st.ByScore, tt.wantScore)
			}
			for j := range 17 {
				want := int64(tt.mask >> j & 1)
				if got := st.Deprived[tt.wantScore][j]; got != want {
					t.Errorf("Deprived[%d][%d] = %d, want %d", tt.wantScore, j, got, want)
				}
			}
		})
	}
}

func TestStatsAdd(t *testing.T) {
	x := MustIndex(t, equalSpec(3, mpi.F(1, 3)))
	tests := []struct {
		name    string
		vec     []bool
		wantErr bool
	}{
		{"right length", []bool{true, false, true}, false},
		{"too short", []bool{true}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := x.NewStats()
			err := st.Add(tt.vec)
			if (err != nil) != tt.wantErr {
				t.Fatalf("Add = %v, wantErr %v", err, tt.wantErr)
			}
			if !tt.wantErr && st.ByScore[2] != 1 {
				t.Errorf("ByScore = %v, want one person at score 2", st.ByScore)
			}
		})
	}
}

// TestStatsRemoval covers live updates: removing what is not there must
// fail and leave the statistics as they were.
func TestStatsRemoval(t *testing.T) {
	x := MustIndex(t, equalSpec(3, mpi.F(1, 3)))
	base := func() *mpi.Stats {
		st := x.NewStats()
		for _, m := range []uint64{0b001, 0b011, 0b011} {
			if err := st.AddMask(m); err != nil {
				t.Fatal(err)
			}
		}
		return st
	}
	other := func(masks ...uint64) *mpi.Stats {
		st := x.NewStats()
		for _, m := range masks {
			_ = st.AddMask(m)
		}
		return st
	}
	tests := []struct {
		name    string
		remove  func(*mpi.Stats) error
		wantErr bool
		wantN   int64
	}{
		{"SubMask a counted person", func(st *mpi.Stats) error { return st.SubMask(0b011) }, false, 2},
		{"SubMask a score nobody has", func(st *mpi.Stats) error { return st.SubMask(0b111) }, true, 3},
		{"SubMask same score, other indicator", func(st *mpi.Stats) error { return st.SubMask(0b100) }, true, 3},
		{"SubMask a stray bit", func(st *mpi.Stats) error { return st.SubMask(1 << 5) }, true, 3},
		{"Sub a household that is there", func(st *mpi.Stats) error { return st.Sub(other(0b001, 0b011)) }, false, 1},
		{"Sub a household that is not", func(st *mpi.Stats) error { return st.Sub(other(0b001, 0b001)) }, true, 3},
		{"Sub under other weights", func(st *mpi.Stats) error {
			return st.Sub(MustIndex(t, equalSpec(4, mpi.F(1, 3))).NewStats())
		}, true, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := base()
			before := st.Clone()
			err := tt.remove(st)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if tt.wantErr && !st.Equal(before) {
				t.Errorf("a failed removal changed the statistics: %v → %v", before, st)
			}
			if st.N != tt.wantN {
				t.Errorf("N = %d, want %d", st.N, tt.wantN)
			}
		})
	}
}

func TestStatsMergeIncompatible(t *testing.T) {
	a := MustIndex(t, equalSpec(3, mpi.F(1, 3))).NewStats()
	tests := []struct {
		name    string
		other   *mpi.Stats
		wantErr bool
	}{
		{"same weights, separately compiled", MustIndex(t, equalSpec(3, mpi.F(2, 3))).NewStats(), false},
		{"more indicators", MustIndex(t, equalSpec(4, mpi.F(1, 3))).NewStats(), true},
		{"TPMAP", MustIndex(t, mpi.TPMAP()).NewStats(), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := a.Merge(tt.other); (err != nil) != tt.wantErr {
				t.Errorf("Merge = %v, wantErr %v", err, tt.wantErr)
			}
		})
	}
}

// TestLoadStats proves statistics survive a trip through storage (JSON here)
// and that inconsistent stored counts are refused.
func TestLoadStats(t *testing.T) {
	x := MustIndex(t, equalSpec(3, mpi.F(1, 3)))
	st := x.NewStats()
	for _, m := range []uint64{0, 0b001, 0b011, 0b110, 0b111} {
		_ = st.AddMask(m)
	}
	b, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		edit    func(*mpi.Stats)
		wantErr bool
	}{
		{"as stored", func(*mpi.Stats) {}, false},
		{"N does not match", func(s *mpi.Stats) { s.N++ }, true},
		{"negative count", func(s *mpi.Stats) { s.ByScore[0] = -1; s.N -= 2 }, true},
		{"indicator count above the row", func(s *mpi.Stats) { s.Deprived[1][0] = 2 }, true},
		{"indicator counts do not add up to the score", func(s *mpi.Stats) { s.Deprived[2][2] = 0 }, true},
		{"missing score row", func(s *mpi.Stats) { s.ByScore = s.ByScore[:3] }, true},
		{"short indicator row", func(s *mpi.Stats) { s.Deprived[1] = s.Deprived[1][:2] }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var raw mpi.Stats
			if err := json.Unmarshal(b, &raw); err != nil {
				t.Fatal(err)
			}
			tt.edit(&raw)
			got, err := x.LoadStats(raw.N, raw.ByScore, raw.Deprived)
			if (err != nil) != tt.wantErr {
				t.Fatalf("LoadStats = %v, wantErr %v", err, tt.wantErr)
			}
			if err == nil && !got.Equal(st) {
				t.Errorf("loaded %v, want %v", got, st)
			}
		})
	}
}

// TestStatsWithoutIndex: a Stats literal has no weights; every method says
// so instead of panicking.
func TestStatsWithoutIndex(t *testing.T) {
	good := MustIndex(t, equalSpec(2, mpi.F(1, 2))).NewStats()
	tests := []struct {
		name string
		call func(*mpi.Stats) error
	}{
		{"AddMask", func(st *mpi.Stats) error { return st.AddMask(1) }},
		{"SubMask", func(st *mpi.Stats) error { return st.SubMask(1) }},
		{"Add", func(st *mpi.Stats) error { return st.Add([]bool{true, false}) }},
		{"Merge", func(st *mpi.Stats) error { return st.Merge(good) }},
		{"Merge into a good one", func(st *mpi.Stats) error { return good.Merge(st) }},
		{"Sub", func(st *mpi.Stats) error { return st.Sub(good) }},
		{"Result", func(st *mpi.Stats) error { _, err := st.Result(mpi.F(1, 2)); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.call(&mpi.Stats{}); err == nil {
				t.Error("want an error for statistics without weights")
			}
		})
	}
}

// TestStatsMergeDelta merges a difference of Stats: a person who moves from
// one health indicator to another (both 3/60) leaves ByScore unchanged and
// the score row +1/−1. Merge and Clone must carry that row.
func TestStatsMergeDelta(t *testing.T) {
	x := MustIndex(t, mpi.TPMAP())
	weight, _ := x.Bit("birth_weight")
	vaccine, _ := x.Bit("exercise")
	before, after := x.NewStats(), x.NewStats()
	if err := before.AddMask(weight); err != nil {
		t.Fatal(err)
	}
	if err := after.AddMask(vaccine); err != nil {
		t.Fatal(err)
	}
	s := x.Score(weight)
	if x.Score(vaccine) != s {
		t.Fatalf("the two indicators should weigh alike")
	}
	delta := x.NewStats() // after − before, built by hand as a store keeps it
	jw, jv := bitIndex(weight), bitIndex(vaccine)
	delta.Deprived[s][jv], delta.Deprived[s][jw] = 1, -1

	live := before.Clone()
	if err := live.Merge(delta); err != nil {
		t.Fatal(err)
	}
	if !live.Equal(after) {
		t.Errorf("before + delta = %v %v, want %v %v", live, live.Deprived[s], after, after.Deprived[s])
	}
	if c := delta.Clone(); !c.Equal(delta) {
		t.Errorf("Clone(delta) row %d = %v, want %v", s, c.Deprived[s], delta.Deprived[s])
	}
}

func bitIndex(b uint64) int {
	for j := range 64 {
		if b == 1<<uint(j) {
			return j
		}
	}
	return -1
}
