package mpi_test

import (
	"errors"
	"strings"
	"testing"

	"tambon/internal/apperr"
	"tambon/internal/mpi"
)

func TestCalculateProblems(t *testing.T) {
	tests := []struct {
		name    string
		csv     string
		opts    mpi.CalcOptions
		wantRow int
		wantCol string
		wantFld string
	}{
		{"empty file", "", mpi.CalcOptions{}, 0, "", ""},
		{"header only", "a,b\n", mpi.CalcOptions{}, 0, "", ""},
		{"non-numeric cell", "a,b\n1,0\n0,x\n", mpi.CalcOptions{}, 3, "b", ""},
		{"deprivation neither 0 nor 1", "a,b\n1,2\n", mpi.CalcOptions{}, 2, "b", ""},
		{"NaN is not a number", "a,b\n1,NaN\n", mpi.CalcOptions{Cutoffs: []float64{1, 1}}, 2, "b", ""},
		{"empty cell", "a,b\n1,\n", mpi.CalcOptions{}, 2, "b", ""},
		{"short row", "a,b\n1,0\n1\n", mpi.CalcOptions{}, 3, "", ""},
		{"row after a blank line keeps its line number", "a,b\n1,0\n\n1,z\n", mpi.CalcOptions{}, 4, "b", ""},
		{"missing group column", "a,b\n1,0\n", mpi.CalcOptions{Group: "village"}, 1, "village", ""},
		{"missing indicator column", "a,b\n1,0\n", mpi.CalcOptions{Indicators: []string{"a", "c"}}, 1, "c", ""},
		{"duplicate column", "a,a\n1,0\n", mpi.CalcOptions{}, 1, "a", ""},
		{"too few weights", "a,b,c\n1,0,0\n", mpi.CalcOptions{Weights: []mpi.Frac{mpi.F(1, 1)}}, 0, "", "weights"},
		{"too many cut-offs", "a,b\n1,0\n", mpi.CalcOptions{Cutoffs: []float64{1, 2, 3}}, 0, "", "cutoffs"},
		{"zero weight", "a,b\n1,0\n", mpi.CalcOptions{Weights: []mpi.Frac{mpi.F(1, 1), mpi.F(0, 1)}}, 0, "", "indicators[1].weight"},
		{"k above the total weight", "a,b\n1,0\n", mpi.CalcOptions{K: mpi.F(3, 1)}, 0, "", "k"},
		{"broken quotes", "a,b\n\"1,0\n", mpi.CalcOptions{}, 2, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.File = "people.csv"
			rep, err := mpi.Calculate(strings.NewReader(tt.csv), tt.opts)
			if err == nil {
				t.Fatalf("Calculate = %v, want problems", rep)
			}
			var ps apperr.Problems
			if !errors.As(err, &ps) || len(ps) == 0 {
				t.Fatalf("error %v is not apperr.Problems", err)
			}
			p := ps[0]
			if p.Row != tt.wantRow || p.Column != tt.wantCol || p.Field != tt.wantFld {
				t.Errorf("first problem at row %d, column %q, field %q; want %d, %q, %q (%v)",
					p.Row, p.Column, p.Field, tt.wantRow, tt.wantCol, tt.wantFld, p)
			}
			if p.File != "people.csv" || p.Reason.TH == "" || p.Reason.EN == "" {
				t.Errorf("problem %+v lacks the file or a language", p)
			}
		})
	}
}

// TestCalculateGroups checks the decomposition a CSV with a group column
// gets, and the defaults (equal weights, k = 1/3 of the total).
func TestCalculateGroups(t *testing.T) {
	const in = "\ufeffvillage,water,school,income\n" +
		"A,1,1,0\n" + // 2/3: poor
		"A,0,0,0\n" +
		"B,1,1,1\n" + // 1: poor
		"B,0,0,1\n" + // 1/3: poor at k = 1/3
		"B,0,0,0\n"
	tests := []struct {
		name       string
		opts       mpi.CalcOptions
		wantQ      int64
		wantGroups []string
		wantM0     [2]int64 // numerator, denominator of the total M0
	}{
		{"default k is a third", mpi.CalcOptions{Group: "village"}, 3, []string{"A", "B"}, [2]int64{6, 15}},
		{"k in weight units", mpi.CalcOptions{Group: "village", K: mpi.F(2, 1)}, 2, []string{"A", "B"}, [2]int64{5, 15}},
		{"weighted", mpi.CalcOptions{Group: "village", Weights: []mpi.Frac{mpi.F(1, 1), mpi.F(1, 1), mpi.F(2, 1)}, K: mpi.F(2, 1)},
			3, []string{"A", "B"}, [2]int64{8, 20}}, // k = 2/4; scores 2/4, 0, 4/4, 2/4, 0
		{"no groups", mpi.CalcOptions{Indicators: []string{"water", "school", "income"}}, 3, nil, [2]int64{6, 15}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := mpi.Calculate(strings.NewReader(in), tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Total.Q != tt.wantQ {
				t.Errorf("q = %d, want %d", rep.Total.Q, tt.wantQ)
			}
			if want := rat(tt.wantM0[0], tt.wantM0[1]); rep.Total.M0Rat().Cmp(want) != 0 {
				t.Errorf("M0 = %s, want %s", rep.Total.M0Rat().RatString(), want.RatString())
			}
			var names []string
			sum := 0.0
			for _, g := range rep.Groups {
				names = append(names, g.Name)
				sum += g.PopulationShare * g.Result.M0
			}
			if strings.Join(names, ",") != strings.Join(tt.wantGroups, ",") {
				t.Errorf("groups = %v, want %v", names, tt.wantGroups)
			}
			if len(rep.Groups) > 0 && !near(sum, rep.Total.M0) {
				t.Errorf("Σ share × M0 = %v, total M0 = %v", sum, rep.Total.M0)
			}
		})
	}
}
