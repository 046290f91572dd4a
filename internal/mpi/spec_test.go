package mpi_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"tambon/internal/apperr"
	"tambon/internal/mpi"
)

func TestSpecValidate(t *testing.T) {
	tests := []struct {
		name      string
		edit      func(*mpi.Spec)
		wantField string // a field that must be reported; "" means valid
	}{
		{"TPMAP preset is valid", func(*mpi.Spec) {}, ""},
		{"no indicators", func(s *mpi.Spec) { s.Indicators = nil }, "indicators"},
		{"no dimensions", func(s *mpi.Spec) { s.Dimensions = nil }, "dimensions"},
		{"zero weight", func(s *mpi.Spec) { s.Indicators[2].Weight = mpi.F(0, 1) }, "indicators[2].weight"},
		{"missing weight", func(s *mpi.Spec) { s.Indicators[2].Weight = mpi.Frac{} }, "indicators[2].weight"},
		{"negative denominator", func(s *mpi.Spec) { s.Indicators[2].Weight = mpi.Frac{Num: 1, Den: -20} }, "indicators[2].weight"},
		{"unknown dimension", func(s *mpi.Spec) { s.Indicators[5].Dimension = "wealth" }, "indicators[5].dimension"},
		{"duplicate indicator id", func(s *mpi.Spec) { s.Indicators[3].ID = s.Indicators[0].ID }, "indicators[3].id"},
		{"duplicate dimension id", func(s *mpi.Spec) { s.Dimensions[1].ID = s.Dimensions[0].ID }, "dimensions[1].id"},
		{"empty indicator id", func(s *mpi.Spec) { s.Indicators[0].ID = "" }, "indicators[0].id"},
		{"nameless indicator", func(s *mpi.Spec) { s.Indicators[0].Name = apperr.Text{} }, "indicators[0].name"},
		{"dimension with no indicators", func(s *mpi.Spec) {
			s.Dimensions = append(s.Dimensions, mpi.Dimension{ID: "empty", Name: apperr.T("ว่าง", "empty")})
		}, "dimensions[5]"},
		{"k missing", func(s *mpi.Spec) { s.K = mpi.Frac{} }, "k"},
		{"k zero", func(s *mpi.Spec) { s.K = mpi.F(0, 1) }, "k"},
		{"k above one", func(s *mpi.Spec) { s.K = mpi.F(6, 5) }, "k"},
		{"severe above one", func(s *mpi.Spec) { s.Severe = mpi.F(3, 2) }, "severe"},
		{"too many indicators", func(s *mpi.Spec) {
			*s = equalSpec(65, mpi.F(1, 3))
		}, "indicators"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mpi.TPMAP()
			tt.edit(&s)
			err := s.Validate()
			if tt.wantField == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			var ps apperr.Problems
			if !errors.As(err, &ps) {
				t.Fatalf("Validate() = %v, want apperr.Problems", err)
			}
			if apperr.CodeOf(err) != apperr.Invalid {
				t.Errorf("code = %v, want invalid", apperr.CodeOf(err))
			}
			for _, p := range ps {
				if p.Field == tt.wantField {
					if p.Reason.TH == "" || p.Reason.EN == "" {
						t.Errorf("problem %v is not bilingual", p)
					}
					return
				}
			}
			t.Errorf("problems %v do not name field %q", ps, tt.wantField)
		})
	}
}

func TestNewNormalisesWeights(t *testing.T) {
	tests := []struct {
		name      string
		weights   []mpi.Frac
		wantDenom int64
		wantUnits []int64
	}{
		{"equal ones", []mpi.Frac{mpi.F(1, 1), mpi.F(1, 1), mpi.F(1, 1)}, 3, []int64{1, 1, 1}},
		{"relative weights", []mpi.Frac{mpi.F(1, 1), mpi.F(1, 1), mpi.F(2, 1)}, 4, []int64{1, 1, 2}},
		{"global MPI style sixths and eighteenths", []mpi.Frac{mpi.F(1, 6), mpi.F(1, 6), mpi.F(1, 18), mpi.F(1, 18),
			mpi.F(1, 18), mpi.F(1, 18), mpi.F(1, 18), mpi.F(1, 18), mpi.F(1, 6), mpi.F(1, 6)}, 18, []int64{3, 3, 1, 1, 1, 1, 1, 1, 3, 3}},
		{"decimals that do not sum to one", []mpi.Frac{mpi.F(3, 10), mpi.F(3, 10), mpi.F(3, 10)}, 3, []int64{1, 1, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := equalSpec(len(tt.weights), mpi.F(1, 3))
			for j := range s.Indicators {
				s.Indicators[j].Weight = tt.weights[j]
			}
			x := MustIndex(t, s)
			if x.Denominator() != tt.wantDenom {
				t.Errorf("D = %d, want %d", x.Denominator(), tt.wantDenom)
			}
			units := x.Units()
			for j := range units {
				if units[j] != tt.wantUnits[j] {
					t.Fatalf("units = %v, want %v", units, tt.wantUnits)
				}
			}
			sum := mpi.F(0, 1).Rat()
			for _, in := range x.Spec().Indicators {
				sum.Add(sum, in.Weight.Rat())
			}
			if sum.Cmp(rat(1, 1)) != 0 {
				t.Errorf("normalised weights sum to %s, want 1", sum.RatString())
			}
		})
	}
}

func TestNewRefusesHugeDenominator(t *testing.T) {
	s := equalSpec(2, mpi.F(1, 3))
	s.Indicators[1].Weight = mpi.F(mpi.MaxDenominator, 1) // normalised: 1/10001 and 10000/10001
	_, err := mpi.New(s)
	if !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("New = %v, want an invalid error", err)
	}
	if !strings.Contains(err.Error(), "simpler weights") {
		t.Errorf("error %q does not say how to fix it", err)
	}
}

func TestTPMAP(t *testing.T) {
	x := MustIndex(t, mpi.TPMAP())
	if x.Denominator() != 60 {
		t.Errorf("D = %d, want 60", x.Denominator())
	}
	if x.K() != mpi.F(1, 5) {
		t.Errorf("default k = %v, want 1/5", x.K())
	}
	spec := x.Spec()
	wantMaps := []string{"1", "4", "5", "7", "8", "9", "10", "11", "15", "16", "17", "19", "20", "21", "22", "27", "28"}
	if len(spec.Indicators) != len(wantMaps) {
		t.Fatalf("%d indicators, want %d", len(spec.Indicators), len(wantMaps))
	}
	sums := map[string]int64{}
	units := x.Units()
	for j, in := range spec.Indicators {
		if in.Maps != "bmn-2560-2564:"+wantMaps[j] {
			t.Errorf("indicator %s maps to %q, want bmn-2560-2564:%s", in.ID, in.Maps, wantMaps[j])
		}
		sums[in.Dimension] += units[j]
	}
	for _, d := range spec.Dimensions {
		if sums[d.ID] != 12 { // 1/5 of 60
			t.Errorf("dimension %s weighs %d/60, want 12/60", d.ID, sums[d.ID])
		}
		if d.Name.TH == "" || d.Name.EN == "" {
			t.Errorf("dimension %s is not named in both languages", d.ID)
		}
	}
	if !strings.Contains(mpi.TPMAP().Provenance, "[R]") {
		t.Error("TPMAP provenance does not mark the mapping as a recollection [R]")
	}
}

// TestSpecJSON proves a custom spec stored as JSON comes back the same.
func TestSpecJSON(t *testing.T) {
	tests := []struct {
		name string
		spec mpi.Spec
	}{
		{"TPMAP", mpi.TPMAP()},
		{"custom", equalSpec(3, mpi.F(2, 3))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(tt.spec)
			if err != nil {
				t.Fatal(err)
			}
			var back mpi.Spec
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatal(err)
			}
			b2, _ := json.Marshal(back)
			if string(b) != string(b2) {
				t.Errorf("round trip changed the spec:\n%s\n%s", b, b2)
			}
			if _, err := mpi.New(back); err != nil {
				t.Errorf("New(decoded) = %v", err)
			}
		})
	}
	t.Run("weights written as fractions", func(t *testing.T) {
		b, _ := json.Marshal(mpi.TPMAP())
		if !strings.Contains(string(b), `"weight":"1/15"`) || !strings.Contains(string(b), `"k":"1/5"`) {
			t.Errorf("JSON %s does not show weights and k as fractions", b)
		}
	})
}
