package mpi_test

import (
	"math/big"
	"testing"

	"tambon/internal/apperr"
	"tambon/internal/mpi"
)

// TestResultCutoffs counts one person at each score 0..10 of ten equally
// weighted indicators, so every cut-off rule can be read off by hand: poor
// at k = 1/3 means score ≥ 4 (ceil(10/3)); vulnerable 2/10 ≤ c < 1/3 is
// scores 2 and 3; severe c ≥ 1/2 is scores 5..10.
func TestResultCutoffs(t *testing.T) {
	x := MustIndex(t, equalSpec(10, mpi.F(1, 3)))
	st := x.NewStats()
	for s := range 11 {
		if err := st.AddMask(1<<s - 1); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name               string
		k                  mpi.Frac
		q, poorScore       int64
		vulnerable, severe int64
	}{
		{"OPHI k = 1/3", mpi.F(1, 3), 7, 49, 2, 6},
		{"union: any deprivation", mpi.F(1, 10), 10, 55, 0, 6},
		{"intersection: every indicator", mpi.F(1, 1), 1, 10, 8, 1},
		{"k on a score exactly", mpi.F(1, 2), 6, 45, 3, 6},
		{"k above the severe cut-off", mpi.F(7, 10), 4, 34, 5, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := MustResult(t, st, tt.k)
			if r.Q != tt.q || r.PoorScore != tt.poorScore || r.Vulnerable != tt.vulnerable || r.Severe != tt.severe {
				t.Errorf("q, poor score, vulnerable, severe = %d, %d, %d, %d; want %d, %d, %d, %d",
					r.Q, r.PoorScore, r.Vulnerable, r.Severe, tt.q, tt.poorScore, tt.vulnerable, tt.severe)
			}
			if want := big.NewRat(tt.poorScore, 110); r.M0Rat().Cmp(want) != 0 {
				t.Errorf("M0 = %s, want %s", r.M0Rat().RatString(), want.RatString())
			}
			if !near(r.VulnerableShare, float64(tt.vulnerable)/11) || !near(r.SevereShare, float64(tt.severe)/11) {
				t.Errorf("shares = %v, %v", r.VulnerableShare, r.SevereShare)
			}
		})
	}
}

// TestResultExactAtTheCutoff is why scores are integers: with weights
// 7/10, 1/10, 1/10, 1/10, a float sum for someone deprived in all four is
// 0.9999999999999999 and would miss k = 1.
func TestResultExactAtTheCutoff(t *testing.T) {
	ws := []float64{0.7, 0.1, 0.1, 0.1} // variables: Go constants would be summed exactly
	if ws[0]+ws[1]+ws[2]+ws[3] >= 1 {
		t.Fatal("the float sum reaches 1; this example no longer shows the rounding problem")
	}
	s := equalSpec(4, mpi.F(1, 1))
	for j, w := range []mpi.Frac{mpi.F(7, 10), mpi.F(1, 10), mpi.F(1, 10), mpi.F(1, 10)} {
		s.Indicators[j].Weight = w
	}
	st := MustIndex(t, s).NewStats()
	_ = st.AddMask(0b1111)
	tests := []struct {
		name  string
		k     mpi.Frac
		wantQ int64
	}{
		{"k = 1", mpi.F(1, 1), 1},
		{"k = 0.7 (the big indicator alone)", mpi.F(7, 10), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if r := MustResult(t, st, tt.k); r.Q != tt.wantQ {
				t.Errorf("q = %d, want %d", r.Q, tt.wantQ)
			}
		})
	}
}

// TestResultTPMAP checks the preset by hand: dimension contributions sum to
// one, and k = 1/20 (the smallest weight) is TPMAP's union "poor".
func TestResultTPMAP(t *testing.T) {
	x := MustIndex(t, mpi.TPMAP())
	bit := func(ids ...string) uint64 {
		var m uint64
		for _, id := range ids {
			b, ok := x.Bit(id)
			if !ok {
				t.Fatalf("no indicator %q", id)
			}
			m |= b
		}
		return m
	}
	st := x.NewStats()
	for _, m := range []uint64{
		0,
		bit("birth_weight", "food", "medicine", "exercise"), // all of health: 12/60 = 1/5
		bit("income"),                        // 4/60
		bit("elderly_care", "disabled_care"), // all of access: 12/60
		bit("literacy"),                      // 3/60
	} {
		_ = st.AddMask(m)
	}
	tests := []struct {
		name      string
		k         mpi.Frac
		wantQ     int64
		wantDims  map[string]*big.Rat // dimension contributions
		wantM0Rat *big.Rat
	}{
		{"default k = 1/5", x.K(), 2, map[string]*big.Rat{
			"health": rat(1, 2), "access": rat(1, 2), "income": rat(0, 1), "education": rat(0, 1), "living": rat(0, 1)},
			rat(24, 300)},
		{"union k = 1/20 is anyone deprived", mpi.F(1, 20), 4, map[string]*big.Rat{
			"health": rat(12, 31), "access": rat(12, 31), "income": rat(4, 31), "education": rat(3, 31), "living": rat(0, 1)},
			rat(31, 300)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := MustResult(t, st, tt.k)
			if r.Q != tt.wantQ {
				t.Errorf("q = %d, want %d", r.Q, tt.wantQ)
			}
			if r.M0Rat().Cmp(tt.wantM0Rat) != 0 {
				t.Errorf("M0 = %s, want %s", r.M0Rat().RatString(), tt.wantM0Rat.RatString())
			}
			sum := 0.0
			for _, d := range r.Dimensions {
				want, _ := tt.wantDims[d.ID].Float64()
				if !near(d.Contribution, want) {
					t.Errorf("dimension %s contributes %v, want %v", d.ID, d.Contribution, want)
				}
				if d.Weight != mpi.F(1, 5) {
					t.Errorf("dimension %s weighs %v, want 1/5", d.ID, d.Weight)
				}
				sum += d.Contribution
			}
			if !near(sum, 1) {
				t.Errorf("dimension contributions sum to %v, want 1", sum)
			}
		})
	}
}

func TestResultEdgeCases(t *testing.T) {
	x := MustIndex(t, equalSpec(3, mpi.F(1, 3)))
	tests := []struct {
		name    string
		masks   []uint64
		k       mpi.Frac
		wantErr bool
	}{
		{"nobody: all zero, no NaN", nil, mpi.F(1, 3), false},
		{"nobody poor: contributions zero", []uint64{0, 0b001}, mpi.F(2, 3), false},
		{"k zero refused", []uint64{0}, mpi.F(0, 1), true},
		{"k unset refused", []uint64{0}, mpi.Frac{}, true},
		{"k above one refused", []uint64{0}, mpi.F(4, 3), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := x.NewStats()
			for _, m := range tt.masks {
				_ = st.AddMask(m)
			}
			r, err := st.Result(tt.k)
			if tt.wantErr {
				if !apperr.Is(err, apperr.Invalid) {
					t.Fatalf("Result = %v, want an invalid error", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			vals := []float64{r.H, r.A, r.M0, r.VulnerableShare, r.SevereShare}
			for _, in := range r.Indicators {
				vals = append(vals, in.Contribution, in.CensoredRatio, in.UncensoredRatio)
			}
			for _, v := range vals {
				if v != v {
					t.Fatalf("result %+v has NaN", r)
				}
			}
			if r.Q != 0 || r.M0 != 0 {
				t.Errorf("q, M0 = %d, %v; want 0, 0", r.Q, r.M0)
			}
		})
	}
}
