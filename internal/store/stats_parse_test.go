package store

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"testing"

	"tambon/internal/engine"
	"tambon/internal/indicator"
	"tambon/internal/mpi"
	"tambon/internal/surveyfile"
)

// The stored counts read without reflection give exactly what
// encoding/json reads from the same text, and anything not in the form
// the writers write is left to encoding/json.
func TestStoredCountsParseAsJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 500 {
		pairs := [][2]int64{}
		for range r.IntN(40) {
			pairs = append(pairs, [2]int64{r.Int64N(1e9) - 5, r.Int64N(1e6)})
		}
		pov := povertyJSON{N: r.Int64N(1e7), S: [][]int64{}}
		for range r.IntN(12) {
			row := []int64{}
			for range r.IntN(8) {
				row = append(row, r.Int64N(1e8))
			}
			pov.S = append(pov.S, row)
		}
		bp, _ := json.Marshal(pairs)
		bv, _ := json.Marshal(pov)
		var wantP [][2]int64
		var wantV povertyJSON
		json.Unmarshal(bp, &wantP)
		json.Unmarshal(bv, &wantV)
		gotP, ok := parsePairs(string(bp))
		if !ok || len(gotP) != len(wantP) || (len(wantP) > 0 && !reflect.DeepEqual(gotP, wantP)) {
			t.Fatalf("%s: %v, %v", bp, gotP, ok)
		}
		gotV, ok := parsePoverty(string(bv))
		if !ok || !reflect.DeepEqual(gotV, wantV) {
			t.Fatalf("%s: %+v, %v", bv, gotV, ok)
		}
	}
	for _, bad := range []string{"", "[", "[[1,2]", "[[1,2],]", "[[1, 2]]", "[[1,x]]", "[1,2]", " [[1,2]]", "[[1,2]][[3,4]]", "[[1,2,3]]"} {
		if _, ok := parsePairs(bad); ok {
			t.Errorf("parsePairs(%q) was taken", bad)
		}
	}
	for _, bad := range []string{"", `{"n":1}`, `{"n":1,"s":[[1]]`, `{"s":[],"n":1}`, `{"n":x,"s":[]}`, `{"n":1,"s":[[1],]}`, `{"n": 1,"s":[]}`} {
		if _, ok := parsePoverty(bad); ok {
			t.Errorf("parsePoverty(%q) was taken", bad)
		}
	}
}

// The counts a write stores are written by hand; they are the text
// encoding/json writes for the same counts, so every reader (parsePairs,
// parsePoverty, or encoding/json) reads them back.
func TestStoredCountsEncodeAsJSON(t *testing.T) {
	set, err := indicator.Lookup("bmn-2560-2564")
	if err != nil {
		t.Fatal(err)
	}
	pov, err := mpi.New(mpi.TPMAP())
	if err != nil {
		t.Fatal(err)
	}
	eng, err := engine.New(set, 2564, pov)
	if err != nil {
		t.Fatal(err)
	}
	w := eng.Worker()
	for _, n := range []int{0, 1, 3, 40, 300} {
		tot := eng.NewTotals()
		for _, h := range surveyfile.Example(set, "70010101", n, uint64(n)) {
			w.Add(h, tot)
		}
		var pairs [][2]int64
		for _, c := range tot.Indicators {
			pairs = append(pairs, [2]int64{c.Eligible, c.Passed})
		}
		want := povertyJSON{N: tot.Poverty.N, S: [][]int64{}}
		for s, k := range tot.Poverty.ByScore {
			if k != 0 {
				want.S = append(want.S, append([]int64{int64(s), k}, tot.Poverty.Deprived[s]...))
			}
		}
		wantP, _ := json.Marshal(pairs)
		wantV, _ := json.Marshal(want)
		if got := encodeIndicators(tot); got != string(wantP) {
			t.Errorf("%d households: indicators %s, want %s", n, got, wantP)
		}
		if got, err := encodePoverty(tot); err != nil || got != string(wantV) {
			t.Errorf("%d households: poverty %s (%v), want %s", n, got, err, wantV)
		}
	}
}
