package engine_test

import (
	"context"
	"math/rand/v2"
	"strings"
	"testing"

	"tambon/internal/engine"
	"tambon/internal/survey"
)

var villages = []string{"70051301", "70051302", "70051401", "70060101", "10010101"}

// reference computes a household's Totals the slow, obvious way: the set's
// one-call EvaluateCounts for the counts and PersonDeprivations for the masks.
func reference(t *testing.T, e *engine.Engine, h *survey.Household) *engine.Totals {
	out := e.NewTotals()
	if h.Status != survey.Complete {
		return out
	}
	s := e.Set()
	out.Households, out.People, out.NetIncome = 1, int64(h.ResidentCount()), h.NetIncome()
	for i, o := range s.EvaluateCounts(h, year, nil) {
		out.Indicators[i] = engine.Count{Eligible: int64(o.Eligible), Passed: int64(o.Passed)}
	}
	bits := map[int]uint64{}
	for j, in := range e.Poverty().Spec().Indicators {
		code := strings.TrimPrefix(in.Maps, s.ID+":")
		for i := range s.Indicators {
			if s.Indicators[i].Code == code {
				bits[i] |= 1 << uint(j)
			}
		}
	}
	masks := map[int]uint64{}
	s.PersonDeprivations(h, year, func(m, i int, eligible, deprived bool) {
		masks[m] |= 0
		if eligible && deprived {
			masks[m] |= bits[i]
		}
	})
	for _, m := range masks {
		if err := out.Poverty.AddMask(m); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func TestWorkerMatchesReference(t *testing.T) {
	e := MustEngine(t, true)
	w := e.Worker()
	for i, h := range randomHouseholds(1, e.Set(), villages, 2000) {
		if got, want := w.Contribution(h), reference(t, e, h); !got.Equal(want) {
			t.Fatalf("household %d: got %+v %v, want %+v %v", i, *got, got.Poverty, *want, want.Poverty)
		}
	}
}

// TestLiveDeltasEqualRecompute applies random inserts, edits and deletes as
// the store does (per-village deltas new − old) and checks every village and
// level against a recompute of the households that remain.
func TestLiveDeltasEqualRecompute(t *testing.T) {
	e := MustEngine(t, true)
	s := e.Set()
	for _, seed := range []uint64{1, 2, 3} {
		rng := rand.New(rand.NewPCG(seed, 99))
		w := e.Worker()
		live := map[string]*engine.Totals{}
		var hs []*survey.Household
		n := 0
		for range 600 {
			deltas := map[string]*engine.Totals{}
			delta := func(v string) *engine.Totals {
				if deltas[v] == nil {
					deltas[v] = e.NewTotals()
				}
				return deltas[v]
			}
			switch op := rng.IntN(10); {
			case op < 5 || len(hs) == 0: // insert
				h := randomHousehold(rng, s, villages, n)
				n++
				hs = append(hs, h)
				w.Add(h, delta(h.VillageCode))
			case op < 8: // edit: may move village, turn draft, change anything
				i := rng.IntN(len(hs))
				old, h := hs[i], randomHousehold(rng, s, villages, n)
				n++
				delta(old.VillageCode).Sub(w.Contribution(old))
				w.Add(h, delta(h.VillageCode))
				hs[i] = h
			default: // delete
				i := rng.IntN(len(hs))
				delta(hs[i].VillageCode).Sub(w.Contribution(hs[i]))
				hs = append(hs[:i], hs[i+1:]...)
			}
			for v, d := range deltas {
				for _, code := range engine.Ancestors(v) {
					if live[code] == nil {
						live[code] = e.NewTotals()
					}
					live[code].Add(d)
				}
			}
		}
		fresh, err := e.Recompute(context.Background(), slice(hs), 2)
		if err != nil {
			t.Fatal(err)
		}
		all := engine.RollUp(fresh, e.NewTotals)
		for code, got := range live {
			want := all[code]
			if want == nil {
				want = e.NewTotals()
			}
			if !got.Equal(want) {
				t.Errorf("seed %d, area %s: live %+v, recomputed %+v", seed, code, *got, *want)
			}
		}
		for code, want := range all {
			if live[code] == nil && !want.IsZero() {
				t.Errorf("seed %d, area %s: no live figures, recomputed %+v", seed, code, *want)
			}
		}
	}
}

func TestRecomputeWorkersAgree(t *testing.T) {
	for _, poverty := range []bool{true, false} {
		e := MustEngine(t, poverty)
		hs := randomHouseholds(5, e.Set(), villages, 3000)
		serial := map[string]*engine.Totals{}
		w := e.Worker()
		for _, h := range hs {
			if h.Status != survey.Complete {
				continue
			}
			if serial[h.VillageCode] == nil {
				serial[h.VillageCode] = e.NewTotals()
			}
			w.Add(h, serial[h.VillageCode])
		}
		for _, workers := range []int{1, 4} {
			got, err := e.Recompute(context.Background(), slice(hs), workers)
			if err != nil {
				t.Fatal(err)
			}
			if !sameAreas(got, serial) {
				t.Errorf("poverty %v, %d workers: recompute differs from serial adds", poverty, workers)
			}
		}
	}
}

func TestRecomputeStopsOnCancel(t *testing.T) {
	e := MustEngine(t, false)
	hs := randomHouseholds(6, e.Set(), villages, 2000)
	for _, workers := range []int{1, 3} {
		ctx, cancel := context.WithCancel(context.Background())
		seen := 0
		_, err := e.Recompute(ctx, func(yield func(*survey.Household) bool) error {
			for _, h := range hs {
				if seen++; seen == 700 {
					cancel()
				}
				if !yield(h) {
					return nil
				}
			}
			return nil
		}, workers)
		if err == nil || seen > 1000 {
			t.Errorf("%d workers: err = %v after %d households, want context.Canceled soon after 700", workers, err, seen)
		}
		cancel()
	}
}

// TestRollUpSums checks every level of RollUp against a direct sum of the
// villages whose codes start with it.
func TestRollUpSums(t *testing.T) {
	e := MustEngine(t, true)
	fresh, err := e.Recompute(context.Background(), slice(randomHouseholds(8, e.Set(), villages, 1500)), 1)
	if err != nil {
		t.Fatal(err)
	}
	all := engine.RollUp(fresh, e.NewTotals)
	for code, got := range all {
		want := e.NewTotals()
		for v, t := range fresh {
			if code == "TH" || strings.HasPrefix(v, code) {
				want.Add(t)
			}
		}
		if !got.Equal(want) {
			t.Errorf("%s: rolled up %+v, direct sum %+v", code, *got, *want)
		}
	}
}

func sameAreas(a, b map[string]*engine.Totals) bool {
	if len(a) != len(b) {
		return false
	}
	for k, t := range a {
		if o, ok := b[k]; !ok || !t.Equal(o) {
			return false
		}
	}
	return true
}

// TestRollUpOtherCodes: a code that is not a village (figures loaded for an
// amphoe, say) counts in itself and in "TH" once, and the villages under it
// still add into it.
func TestRollUpOtherCodes(t *testing.T) {
	e := MustEngine(t, true)
	fresh, err := e.Recompute(context.Background(), slice(randomHouseholds(9, e.Set(), villages, 800)), 1)
	if err != nil {
		t.Fatal(err)
	}
	in := map[string]*engine.Totals{}
	for v, x := range fresh {
		in[v] = x
	}
	amphoe, th := e.NewTotals(), e.NewTotals()
	amphoe.Households, amphoe.People = 7, 20
	th.Households = 3
	in["7005"], in["TH"] = amphoe, th
	all := engine.RollUp(in, e.NewTotals)
	wantAmphoe, wantTH := amphoe.Clone(), th.Clone()
	wantTH.Add(amphoe)
	for v, x := range fresh {
		if strings.HasPrefix(v, "7005") {
			wantAmphoe.Add(x)
		}
		wantTH.Add(x)
	}
	if !all["7005"].Equal(wantAmphoe) {
		t.Errorf("7005: %+v, want %+v", *all["7005"], *wantAmphoe)
	}
	if !all["TH"].Equal(wantTH) {
		t.Errorf("TH: %+v, want %+v", *all["TH"], *wantTH)
	}
	if in["7005"].Households != 7 || in["TH"].Households != 3 {
		t.Error("RollUp changed its input")
	}
}
