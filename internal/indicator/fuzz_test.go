package indicator_test

import (
	"bytes"
	"strings"
	"testing"

	"tambon/internal/apperr"
	"tambon/internal/indicator"
)

// FuzzLoad feeds Load mangled set files: it must refuse them with an Invalid
// error, never panic, and a set it accepts must evaluate a household.
func FuzzLoad(f *testing.F) {
	f.Add([]byte(local))
	for _, s := range indicator.Sets() {
		f.Add(s.File())
	}
	f.Add([]byte(strings.Replace(local, `"eq": true`, `"in": [true, false]`, 1)))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := indicator.Load(bytes.NewReader(b))
		if err != nil {
			if apperr.CodeOf(err) != apperr.Invalid {
				t.Fatalf("code %s for %v", apperr.CodeOf(err), err)
			}
			return
		}
		h := clone(base60())
		out := s.EvaluateCounts(h, 2567, nil)
		if len(out) != len(s.Indicators) {
			t.Fatalf("%d outcomes for %d indicators", len(out), len(s.Indicators))
		}
		s.Explain(h, 2567)
	})
}
