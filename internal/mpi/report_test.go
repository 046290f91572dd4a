package mpi_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"flag"
	"os"
	"strings"
	"testing"

	"tambon/internal/mpi"
)

var update = flag.Bool("update", false, "rewrite the golden report files in testdata")

// TestReportGolden pins the JSON and CSV reports of the published examples;
// run `go test ./internal/mpi -update` after an intended change and review
// the diff.
func TestReportGolden(t *testing.T) {
	tests := []struct {
		name string
		file string
		opts mpi.CalcOptions
	}{
		{"af2011", "af2011.csv", mpi.CalcOptions{Cutoffs: []float64{13, 12, 3, 1}, K: mpi.F(2, 1)}},
		{"mpi_r_bastia", "mpi_r_bastia.csv", mpi.CalcOptions{K: mpi.F(3, 1), Group: "Region"}},
	}
	for _, tt := range tests {
		rep, err := mpi.Calculate(MustOpen(t, tt.file), tt.opts)
		if err != nil {
			t.Fatal(err)
		}
		for _, format := range []struct {
			ext   string
			write func(*bytes.Buffer) error
		}{
			{"json", func(b *bytes.Buffer) error { return rep.WriteJSON(b) }},
			{"csv", func(b *bytes.Buffer) error { return rep.WriteCSV(b) }},
		} {
			t.Run(tt.name+"."+format.ext, func(t *testing.T) {
				var got bytes.Buffer
				if err := format.write(&got); err != nil {
					t.Fatal(err)
				}
				golden := "testdata/" + tt.name + ".report." + format.ext
				if *update {
					if err := os.WriteFile(golden, got.Bytes(), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (run with -update to create it)", err)
				}
				if !bytes.Equal(got.Bytes(), want) {
					t.Errorf("report differs from %s:\n%s", golden, got.String())
				}
			})
		}
	}
}

// TestReportReadsBack proves the written reports parse: JSON into a Report
// with the same figures, CSV into rows of equal width.
func TestReportReadsBack(t *testing.T) {
	rep, err := mpi.Calculate(MustOpen(t, "mpi_r_bastia.csv"), mpi.CalcOptions{K: mpi.F(3, 1), Group: "Region"})
	if err != nil {
		t.Fatal(err)
	}
	t.Run("json", func(t *testing.T) {
		var b bytes.Buffer
		if err := rep.WriteJSON(&b); err != nil {
			t.Fatal(err)
		}
		var back mpi.Report
		if err := json.Unmarshal(b.Bytes(), &back); err != nil {
			t.Fatal(err)
		}
		if back.Total.M0 != rep.Total.M0 || back.Total.K != rep.Total.K || len(back.Groups) != 1 {
			t.Errorf("read back %+v, want %+v", back.Total, rep.Total)
		}
	})
	t.Run("csv", func(t *testing.T) {
		var b bytes.Buffer
		if err := rep.WriteCSV(&b); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(&b).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 3 || rows[1][0] != "total" || rows[2][1] != "Bastia" {
			t.Errorf("rows = %v, want a header, the total and Bastia", rows)
		}
	})
}

// TestReportCSVFormulaGroup writes a group name a spreadsheet would run as a
// formula behind a single quote, so opening the report cannot run it.
func TestReportCSVFormulaGroup(t *testing.T) {
	in := "a,b,group\n1,0,=cmd|' /C calc'!A0\n0,1,=cmd|' /C calc'!A0\n1,1,-2+3\n"
	rep, err := mpi.Calculate(strings.NewReader(in), mpi.CalcOptions{K: mpi.F(1, 1), Group: "group"})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := rep.WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	groups := map[string]bool{}
	for _, r := range rows[2:] {
		groups[r[1]] = true
	}
	if !groups["'=cmd|' /C calc'!A0"] || !groups["'-2+3"] || len(groups) != 2 {
		t.Errorf("group cells %v, want both behind a single quote", groups)
	}
}
