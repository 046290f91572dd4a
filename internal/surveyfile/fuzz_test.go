package surveyfile_test

import (
	"reflect"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"tambon/internal/survey"
	"tambon/internal/surveyfile"
)

// FuzzRead feeds Read arbitrary CSV bytes. Whatever the input, Read must not
// panic; Stream must find what Read finds (checkStream); every household it
// accepts must pass survey.Validate; and writing
// the accepted households and reading them again must give them back
// exactly, so what an import stores, an export reproduces.
func FuzzRead(f *testing.F) {
	set := MustSet(f, "bmn-2560-2564")
	hs := surveyfile.Example(set, "70051304", 3, 11)
	good := MustGrid(f, set, hs)
	f.Add(good.CSV())
	thai874, _ := charmap.Windows874.NewEncoder().Bytes(good.CSV())
	f.Add(thai874)
	g := MustGrid(f, set, hs)
	g.Set(f, 2, "birth_date", "5 มีนาคม 2510")
	g.Set(f, 3, "village_code", "")
	g.Set(f, 3, "house_no", "")
	g.Set(f, 3, "house_code", "")
	g.Set(f, 2, "income_main", "๑๒,๐๐๐ บาท")
	f.Add(g.CSV())
	f.Add([]byte("village_code,house_no\n70051304,1\n"))
	f.Add([]byte("\xef\xbb\xbf"))
	round := surveyfile.ExampleRound(set)
	f.Fuzz(func(t *testing.T, data []byte) {
		rd, err := Open("fuzz.csv", set, data)
		if err != nil {
			return
		}
		res, err := surveyfile.Read(rd, set, round, surveyfile.ReadOptions{Now: now})
		rd.Close()
		if err != nil {
			return
		}
		checkStream(t, "fuzz.csv", set, data, surveyfile.ReadOptions{Now: now}, res)
		if len(res.Households)+len(res.Invalid) != res.Total {
			t.Fatalf("%d valid + %d invalid of %d", len(res.Households), len(res.Invalid), res.Total)
		}
		for _, h := range res.Households {
			if ps := survey.Validate(h, set, round.ReferenceDate()); len(ps) > 0 {
				t.Fatalf("accepted an invalid household: %v", ps)
			}
		}
		if len(res.Households) == 0 {
			return
		}
		again := MustRead(t, "again.csv", set, MustWrite(t, "csv", set, res.Households), surveyfile.ReadOptions{})
		if len(again.Problems) > 0 {
			t.Fatalf("re-reading the export: %v", again.Problems)
		}
		if !reflect.DeepEqual(again.Households, res.Households) {
			for i := range res.Households {
				if !reflect.DeepEqual(again.Households[i], res.Households[i]) {
					t.Fatalf("export changed a household:\nread  %s\nagain %s", dump(res.Households[i]), dump(again.Households[i]))
				}
			}
			t.Fatal("export changed the households")
		}
	})
}
