package main

import (
	"encoding/json"
	"strings"
	"testing"

	"tambon/internal/apperr"
)

// The worked example of Alkire & Foster (2011): z = (13, 12, 3, 1), k = 2
// gives H = 1/2, A = 3/4, M0 = 3/8.
func TestMPICommandReproducesAlkireFoster2011(t *testing.T) {
	out, _, err := run(t, nil, "", "mpi", "--input", "testdata/af2011.csv", "--cutoffs", "13,12,3,1", "--k", "2")
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Total struct {
			N, Q     int
			H, A, M0 float64
		} `json:"total"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if rep.Total.N != 4 || rep.Total.Q != 2 || rep.Total.H != 0.5 || rep.Total.A != 0.75 || rep.Total.M0 != 0.375 {
		t.Errorf("got %+v, want n=4 q=2 H=0.5 A=0.75 M0=0.375", rep.Total)
	}
	csv, _, err := run(t, nil, "", "mpi", "--input", "testdata/af2011.csv", "--cutoffs", "13,12,3,1", "--k", "2", "--format", "csv")
	if err != nil || !strings.Contains(csv, "total,,1,1,1/2,4,2,0.5,0.75,0.375") {
		t.Errorf("csv: %v\n%s", err, csv)
	}
	if _, _, err := run(t, nil, "", "mpi", "--input", "testdata/af2011.csv", "--cutoffs", "13,x"); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("bad cutoffs: %v", err)
	}
	if _, _, err := run(t, nil, "", "mpi", "--input", "testdata/missing.csv"); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("missing file: %v", err)
	}
}

// Weights and k typed as a paper prints them (0.1667 for 1/6) give the same
// measure as the fractions, and the command says what it read them as;
// weights that do not add up to 1 are refused, saying by how much.
func TestMPICommandAcceptsPublishedDecimals(t *testing.T) {
	args := []string{"mpi", "--input", "testdata/af2011.csv", "--cutoffs", "13,12,3,1"}
	exact, _, err := run(t, nil, "", append(args, "--weights", "1/6,1/6,1/3,1/3", "--k", "1/3")...)
	if err != nil {
		t.Fatal(err)
	}
	printed, notes, err := run(t, nil, "", append(args, "--weights", "0.1667,0.1667,0.3333,0.3333", "--k", "0.3333")...)
	if err != nil {
		t.Fatalf("published decimals refused: %v", err)
	}
	total := func(out string) string {
		var rep struct {
			Total json.RawMessage `json:"total"`
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		return string(rep.Total)
	}
	if total(printed) != total(exact) {
		t.Errorf("decimals: %s\nfractions: %s", total(printed), total(exact))
	}
	for _, want := range []string{"weights[0]: read 0.1667 as 1/6 (within ±0.00005 of rounding)", "k: read 0.3333 as 1/3"} {
		if !strings.Contains(notes, want) {
			t.Errorf("the output does not say %q:\n%s", want, notes)
		}
	}
	if !strings.Contains(printed, `"snapped"`) {
		t.Errorf("the JSON report does not list the snapped values:\n%s", printed)
	}
	_, _, err = run(t, nil, "", append(args, "--weights", "0.1667,0.1667,0.3333,0.1667")...)
	if !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), "add up to 0.8334, not 1") {
		t.Errorf("weights adding up to 0.8334: %v", err)
	}
}
