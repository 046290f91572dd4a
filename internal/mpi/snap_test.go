package mpi_test

import (
	"reflect"
	"strings"
	"testing"

	"tambon/internal/apperr"
	"tambon/internal/mpi"
)

func TestSnapDecimalReadsWhatPapersPrint(t *testing.T) {
	for _, c := range []struct {
		in, want string
		snapped  bool
	}{
		{"0.1667", "1/6", true},
		{"0.0556", "1/18", true},
		{"0.0833", "1/12", true},
		{"0.0417", "1/24", true},
		{"0.333", "1/3", true},
		{"0.33", "1/3", true},
		{"0.6667", "2/3", true},
		{"0.1111", "1/9", true},
		// Already simple: kept exactly as written.
		{"0.05", "1/20", false},
		{"0.01", "1/100", false},
		{"0.25", "1/4", false},
		{"0.125", "1/8", false},
		{"0.2", "1/5", false},
		{"0.35", "7/20", false},
		// Not decimals: never touched.
		{"1/7", "1/7", false},
		{"2", "2", false},
	} {
		f, err := mpi.ParseFrac(c.in)
		if err != nil {
			t.Fatal(err)
		}
		got, snapped := mpi.SnapDecimal(f)
		if got.String() != c.want || snapped != c.snapped {
			t.Errorf("SnapDecimal(%s) = %s, %v; want %s, %v", c.in, got, snapped, c.want, c.snapped)
		}
	}
}

// OPHI's global MPI as papers print it: ten indicators weighted 1/6 and
// 1/18, with k = 1/3, written 0.1667, 0.0556 and 0.3333. The measure is the
// one with exact fractions, and the report says what it read as what.
func TestCalculateAcceptsPublishedDecimalWeights(t *testing.T) {
	const csvText = "nutrition,mortality,schooling,attendance,fuel,sanitation,water,electricity,housing,assets\n" +
		"1,0,1,0,1,1,0,0,1,0\n0,0,0,0,1,0,0,0,0,0\n1,1,1,1,1,1,1,1,1,1\n0,1,0,1,0,0,1,0,0,1\n"
	exact := strings.Split("1/6,1/6,1/6,1/6,1/18,1/18,1/18,1/18,1/18,1/18", ",")
	printed := strings.Split("0.1667,0.1667,0.1667,0.1667,0.0556,0.0556,0.0556,0.0556,0.0556,0.0556", ",")
	calc := func(ws []string, k string) (*mpi.Report, error) {
		opts := mpi.CalcOptions{K: mustFrac(t, k), Dimensions: strings.Split("h,h,e,e,l,l,l,l,l,l", ",")}
		for _, w := range ws {
			opts.Weights = append(opts.Weights, mustFrac(t, w))
		}
		return mpi.Calculate(strings.NewReader(csvText), opts)
	}
	want, err := calc(exact, "1/3")
	if err != nil {
		t.Fatal(err)
	}
	got, err := calc(printed, "0.3333")
	if err != nil {
		t.Fatalf("published decimal weights refused: %v", err)
	}
	if !reflect.DeepEqual(got.Total, want.Total) || !reflect.DeepEqual(got.Spec, want.Spec) {
		t.Errorf("decimals give %+v, fractions %+v", got.Total, want.Total)
	}
	if len(got.Snapped) != 11 || got.Snapped[0].String() != "weights[0]: 0.1667 read as 1/6 (within ±0.00005)" ||
		got.Snapped[10].Field != "k" || got.Snapped[10].Used.String() != "1/3" {
		t.Errorf("snapped: %v", got.Snapped)
	}
	if len(want.Snapped) != 0 {
		t.Errorf("exact fractions reported as snapped: %v", want.Snapped)
	}

	// A weight left out: 0.9448 is not 1 whatever the rounding.
	_, err = calc(append(printed[:9:9], "0"), "0.3333")
	if err == nil || !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), "0.9448") {
		t.Errorf("weights summing to 0.9448 accepted or badly refused: %v", err)
	}
}

// A spec file copied from a paper: OPHI's global MPI, four indicators at
// 0.1667 and six at 0.0556, k = 0.3333. As written it cannot be compiled;
// snapped, it is the measure with sixths and eighteenths.
func TestSpecSnapPrinted(t *testing.T) {
	s := mpi.Spec{ID: "paper", Name: apperr.T("ตามบทความ", "as published"), K: mustFrac(t, "0.3333")}
	for _, d := range []string{"health", "education", "living"} {
		s.Dimensions = append(s.Dimensions, mpi.Dimension{ID: d, Name: apperr.T(d, d)})
		ids, w := "ab", "0.1667"
		if d == "living" {
			ids, w = "abcdef", "0.0556"
		}
		for _, i := range ids {
			id := d + string(i)
			s.Indicators = append(s.Indicators, mpi.Indicator{ID: id, Name: apperr.T(id, id), Dimension: d, Weight: mustFrac(t, w)})
		}
	}
	if _, err := mpi.New(s); err == nil {
		t.Fatal("the rounded spec compiles without snapping: the test proves nothing")
	}
	snaps, err := s.SnapPrinted()
	if err != nil {
		t.Fatal(err)
	}
	if len(snaps) != 11 || s.Indicators[3].Weight.String() != "1/6" || s.Indicators[9].Weight.String() != "1/18" || s.K.String() != "1/3" || snaps[10].Field != "k" {
		t.Errorf("snaps %v, k %s", snaps, s.K)
	}
	if _, err := mpi.New(s); err != nil {
		t.Errorf("the snapped spec does not compile: %v", err)
	}
	s.Indicators[0].Weight = mustFrac(t, "0.5")
	s.Indicators[1].Weight = mustFrac(t, "0.1667")
	if _, err := s.SnapPrinted(); err == nil {
		t.Error("weights adding up to 1.3337 accepted")
	}
}

func mustFrac(t *testing.T, s string) mpi.Frac {
	t.Helper()
	f, err := mpi.ParseFrac(s)
	if err != nil {
		t.Fatal(err)
	}
	return f
}
