package villagefile_test

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"

	"tambon/internal/tabular"
	"tambon/internal/village"
	"tambon/internal/village/villagefile"
)

// FuzzRead feeds the village reader broken and odd files: it must never
// panic, and it gives either records or problems, never both; every record
// it gives is a distinct, accepted village whose answers the set accepts.
func FuzzRead(f *testing.F) {
	set := village.Sets()[0]
	var good bytes.Buffer
	w := tabular.NewCSVWriter(&good)
	r := rand.New(rand.NewPCG(1, 2))
	err := villagefile.Write(w, set, func(string) string { return "หนองไม้เฝ้า" }, func(yield func(village.Record) bool) {
		for _, code := range []string{"70051301", "70051304"} {
			if !yield(village.Record{Village: code, Answers: set.Synthetic(r, 0.5)}) {
				return
			}
		}
	})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good.Bytes())
	f.Add(bytes.Replace(good.Bytes(), []byte("70051304"), []byte("70051301"), 1)) // a duplicate
	f.Add(bytes.Replace(good.Bytes(), []byte("70051304"), []byte("7005130?"), 1)) // a broken code
	f.Add([]byte("village_code\n70051304\n"))
	f.Add([]byte("\xef\xbb\xbf"))
	known := villagefile.Known(func(code string) bool { return strings.HasPrefix(code, "700513") && len(code) == 8 })
	f.Fuzz(func(t *testing.T, data []byte) {
		rd, err := tabular.Open("fuzz.csv", bytes.NewReader(data), int64(len(data)), tabular.Options{Expect: villagefile.Columns(set)})
		if err != nil {
			return
		}
		defer rd.Close()
		recs, ps, err := villagefile.Read(rd, set, known)
		if err != nil {
			return
		}
		if (len(recs) > 0) == (len(ps) > 0) {
			t.Fatalf("%d records and %d problems: want exactly one of them", len(recs), len(ps))
		}
		seen := map[string]bool{}
		for _, rec := range recs {
			if _, ok := known(rec.Village); !ok || seen[rec.Village] {
				t.Fatalf("record of village %q: unknown or repeated", rec.Village)
			}
			seen[rec.Village] = true
			if bad := set.Validate(rec.Answers); len(bad) > 0 {
				t.Fatalf("village %s: answers the set refuses: %v", rec.Village, bad)
			}
		}
		for _, p := range ps {
			if p.Reason.TH == "" || p.Reason.EN == "" {
				t.Fatalf("a problem without a Thai and English reason: %+v", p)
			}
		}
	})
}
