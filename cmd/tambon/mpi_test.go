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
