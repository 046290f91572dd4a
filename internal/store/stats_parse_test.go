package store

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"testing"
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
