package surveyfile_test

import (
	"testing"

	"tambon/internal/survey"
	"tambon/internal/surveyfile"
)

// Example's households are what the lead's import test and the store tests
// write, so they must pass the same validation an import applies.
func TestExampleIsValid(t *testing.T) {
	for _, tc := range []struct {
		name, set, village string
		n                  int
		seed               uint64
	}{
		{"2560-2564 small", "bmn-2560-2564", "70051304", 12, 1},
		{"2560-2564 many", "bmn-2560-2564", "70051301", 400, 7},
		{"2566-2570", "bmn-2566-2570", "10010101", 300, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			set := MustSet(t, tc.set)
			round := surveyfile.ExampleRound(set)
			hs := surveyfile.Example(set, tc.village, tc.n, tc.seed)
			if len(hs) != tc.n {
				t.Fatalf("got %d households, want %d", len(hs), tc.n)
			}
			ids, keys := map[string]bool{}, map[string]bool{}
			ages := map[int]bool{}
			for _, h := range hs {
				if ps := survey.Validate(h, set, round.ReferenceDate()); len(ps) > 0 {
					t.Fatalf("household %s invalid: %v", h.Key(), ps)
				}
				if keys[h.Key()] {
					t.Fatalf("key %s repeats", h.Key())
				}
				keys[h.Key()] = true
				for i := range h.Members {
					m := &h.Members[i]
					if ids[m.CitizenID] {
						t.Fatalf("citizen ID %s repeats", m.CitizenID)
					}
					ids[m.CitizenID] = true
					ages[m.AgeAt(round.ReferenceDate())/5] = true
				}
			}
			if tc.n >= 100 {
				for band := 0; band <= 16; band++ {
					if !ages[band] {
						t.Errorf("no member aged %d-%d", band*5, band*5+4)
					}
				}
			}
		})
	}
}

// The same arguments give the same households; another seed gives others.
func TestExampleIsDeterministic(t *testing.T) {
	set := MustSet(t, "bmn-2560-2564")
	a := surveyfile.Example(set, "70051304", 5, 9)
	b := surveyfile.Example(set, "70051304", 5, 9)
	c := surveyfile.Example(set, "70051304", 5, 10)
	for i := range a {
		if a[i].Members[0].CitizenID != b[i].Members[0].CitizenID {
			t.Fatal("same seed, different households")
		}
		if a[i].Members[0].CitizenID == c[i].Members[0].CitizenID {
			t.Fatal("different seeds, same citizen IDs")
		}
	}
}
