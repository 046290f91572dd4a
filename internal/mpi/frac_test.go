package mpi_test

import (
	"encoding/json"
	"testing"

	"tambon/internal/mpi"
)

func TestParseFrac(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    mpi.Frac
		wantErr bool
	}{
		{"fraction in lowest terms", "2/10", mpi.F(1, 5), false},
		{"decimal read exactly", "0.2", mpi.F(1, 5), false},
		{"whole number", "3", mpi.F(3, 1), false},
		{"spaces around", " 1/3 ", mpi.F(1, 3), false},
		{"zero", "0", mpi.F(0, 1), false},
		{"negative refused", "-1/5", mpi.Frac{}, true},
		{"words refused", "one fifth", mpi.Frac{}, true},
		{"empty refused", "", mpi.Frac{}, true},
		{"zero denominator refused", "1/0", mpi.Frac{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := mpi.ParseFrac(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("ParseFrac(%q) error = %v, wantErr %v", tt.in, err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("ParseFrac(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestFracJSON(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want mpi.Frac
	}{
		{"string fraction", `"1/60"`, mpi.F(1, 60)},
		{"string decimal", `"0.25"`, mpi.F(1, 4)},
		{"number read as written, not as a float", `0.1`, mpi.F(1, 10)},
		{"null is unset", `null`, mpi.Frac{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var f mpi.Frac
			if err := json.Unmarshal([]byte(tt.in), &f); err != nil {
				t.Fatal(err)
			}
			if f != tt.want {
				t.Fatalf("Unmarshal(%s) = %v, want %v", tt.in, f, tt.want)
			}
			b, err := json.Marshal(f)
			if err != nil {
				t.Fatal(err)
			}
			var back mpi.Frac
			if err := json.Unmarshal(b, &back); err != nil || back != f {
				t.Errorf("round trip via %s = %v (%v), want %v", b, back, err, f)
			}
		})
	}
}
