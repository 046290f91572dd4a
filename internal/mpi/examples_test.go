package mpi_test

import (
	"math/big"
	"testing"

	"tambon/internal/mpi"
)

// TestAlkireFoster2011 reproduces the illustration in Alkire and Foster
// (2011), J. Public Economics 95, 476–487 (see testdata/README.md): four
// people, four equally weighted dimensions, z = (13, 12, 3, 1), k = 2.
func TestAlkireFoster2011(t *testing.T) {
	rep, err := mpi.Calculate(MustOpen(t, "af2011.csv"), mpi.CalcOptions{
		File:    "af2011.csv",
		Cutoffs: []float64{13, 12, 3, 1},
		K:       mpi.F(2, 1), // two dimensions, in weight units
	})
	if err != nil {
		t.Fatal(err)
	}
	r := rep.Total
	exact := []struct {
		name      string
		got, want *big.Rat
	}{
		{"H", r.HRat(), rat(1, 2)},
		{"A", r.ARat(), rat(3, 4)},
		{"M0", r.M0Rat(), rat(3, 8)},
		{"k as a fraction of the total weight", r.K.Rat(), rat(1, 2)},
	}
	for _, c := range exact {
		t.Run(c.name, func(t *testing.T) {
			if c.got.Cmp(c.want) != 0 {
				t.Errorf("%s = %s, want %s", c.name, c.got.RatString(), c.want.RatString())
			}
		})
	}
	// Uncensored deprivations g0 by column: (1, 3, 1, 2); censored g0(k), with
	// person 4 (one deprivation) censored out: (1, 2, 1, 2).
	wantUnc := []int64{1, 3, 1, 2}
	wantCen := []int64{1, 2, 1, 2}
	for j, in := range r.Indicators {
		t.Run("headcounts "+in.ID, func(t *testing.T) {
			if in.Uncensored != wantUnc[j] || in.Censored != wantCen[j] {
				t.Errorf("uncensored, censored = %d, %d; want %d, %d", in.Uncensored, in.Censored, wantUnc[j], wantCen[j])
			}
			// w_j × CH_j / M0 = (1/4 × c/4) / (3/8) = c/6.
			if !near(in.Contribution, float64(wantCen[j])/6) {
				t.Errorf("contribution = %v, want %v", in.Contribution, float64(wantCen[j])/6)
			}
		})
	}
	if r.N != 4 || r.Q != 2 || r.H != 0.5 || r.A != 0.75 || r.M0 != 0.375 {
		t.Errorf("n, q, H, A, M0 = %d, %d, %v, %v, %v; want 4, 2, 0.5, 0.75, 0.375", r.N, r.Q, r.H, r.A, r.M0)
	}
}

// TestRPackageMPIBastia reproduces the R package MPI 0.1.0 (CRAN, 2022)
// vignette: AF_Seq(examplePovertydf, g = "Region", k = 3), group "Bastia"
// (see testdata/README.md): H = 1, A = M0 = 0.4090909 = 9/22, and
// dimensional contributions 1/9 or 2/9.
func TestRPackageMPIBastia(t *testing.T) {
	rep, err := mpi.Calculate(MustOpen(t, "mpi_r_bastia.csv"), mpi.CalcOptions{
		File:  "mpi_r_bastia.csv",
		K:     mpi.F(3, 1), // as in AF_Seq: weights 1 each, k = 3
		Group: "Region",
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Groups) != 1 || rep.Groups[0].Name != "Bastia" {
		t.Fatalf("groups = %+v, want one group Bastia", rep.Groups)
	}
	r := rep.Groups[0].Result
	if r.N != 2 || r.Q != 2 {
		t.Errorf("total, poors = %d, %d; want 2, 2 (vignette)", r.N, r.Q)
	}
	for _, c := range []struct {
		name      string
		got, want *big.Rat
	}{
		{"H", r.HRat(), rat(1, 1)},
		{"A", r.ARat(), rat(9, 22)},
		{"M0", r.M0Rat(), rat(9, 22)},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.got.Cmp(c.want) != 0 {
				t.Errorf("%s = %s, want %s", c.name, c.got.RatString(), c.want.RatString())
			}
		})
	}
	// The vignette prints 7 significant digits.
	for _, c := range []struct {
		name      string
		got, want float64
	}{{"A", r.A, 0.4090909}, {"M0", r.M0, 0.4090909}} {
		if d := c.got - c.want; d > 5e-8 || d < -5e-8 {
			t.Errorf("%s = %v, vignette prints %v", c.name, c.got, c.want)
		}
	}
	// diCont, UncensoredHCounts, CensoredHCounts as printed.
	want := map[string]struct {
		contrib  float64
		unc, cen int64
	}{
		"Access to health care":           {1.0 / 9, 1, 1},
		"Child Mortality":                 {1.0 / 9, 1, 1},
		"Access to clean source of water": {1.0 / 9, 1, 1},
		"Access to an improve sanatation": {2.0 / 9, 2, 2},
		"Electricity":                     {0, 0, 0},
		"Asset ownership":                 {2.0 / 9, 2, 2},
		"Cooking Fuel":                    {0, 0, 0},
		"Housing Materials":               {1.0 / 9, 1, 1},
		"School lag":                      {0, 0, 0},
		"School attendance":               {1.0 / 9, 1, 1},
		"Years of education":              {0, 0, 0},
	}
	if len(r.Indicators) != len(want) {
		t.Fatalf("%d indicators, want %d", len(r.Indicators), len(want))
	}
	for _, in := range r.Indicators {
		t.Run(in.ID, func(t *testing.T) {
			w, ok := want[in.ID]
			if !ok {
				t.Fatalf("unexpected indicator %q", in.ID)
			}
			if !near(in.Contribution, w.contrib) || in.Uncensored != w.unc || in.Censored != w.cen {
				t.Errorf("contribution, uncensored, censored = %v, %d, %d; want %v, %d, %d",
					in.Contribution, in.Uncensored, in.Censored, w.contrib, w.unc, w.cen)
			}
		})
	}
}
