package village_test

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"tambon/internal/apperr"
	"tambon/internal/village"
)

// FuzzLoad feeds Load mangled กชช. 2ค set files: a refusal is Invalid and
// says why in Thai and in English; a set it accepts scores any village it
// generates to a level of 1, 2 or 3 with every indicator scored 1 to 3.
//
//	go test -run XXX -fuzz FuzzLoad ./internal/village/
func FuzzLoad(f *testing.F) {
	for _, s := range village.Sets() {
		f.Add(s.File())
	}
	local, err := os.ReadFile(filepath.Join("..", "..", "docs", "examples", "kcc2k-2560-2564-local.json"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(local)
	f.Add(bytes.Replace(local, []byte(`"min_moderate": 8`), []byte(`"min_moderate": 8, "max_moderate": 2`), 1))
	f.Add(bytes.Replace(local, []byte(`"better": "higher"`), []byte(`"better": "sideways"`), 1))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := village.Load(b)
		if err != nil {
			msg := apperr.MessageOf(err)
			if apperr.CodeOf(err) != apperr.Invalid || msg.TH == "" || msg.EN == "" || msg.TH == msg.EN {
				t.Fatalf("refusal %s %+v", apperr.CodeOf(err), msg)
			}
			return
		}
		r := rand.New(rand.NewPCG(uint64(len(b)), 1))
		for _, q := range []float64{0, 0.5, 1} {
			res, err := s.Evaluate(s.Synthetic(r, q))
			if err != nil {
				t.Fatalf("a generated village is refused: %v", err)
			}
			if res.Level < 1 || res.Level > 3 || len(res.Scores) != len(s.Indicators) {
				t.Fatalf("level %d, %d scores for %d indicators", res.Level, len(res.Scores), len(s.Indicators))
			}
			for _, sc := range res.Scores {
				if sc.Score < 1 || sc.Score > 3 {
					t.Fatalf("%s scored %d", sc.Indicator.Code, sc.Score)
				}
			}
		}
	})
}
