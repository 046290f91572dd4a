package store_test

import (
	"context"
	"testing"

	"tambon/internal/area"
	"tambon/internal/engine"
	"tambon/internal/store/storetest"
)

// BenchmarkRoundCoverage measures what coverage and certification add to
// an uncached area page: the round's village rows under the area, grouped
// by tambon, with a statistics row for every village of the register
// (71,825) as in `tambon loadtest`.
func BenchmarkRoundCoverage(b *testing.B) {
	s := storetest.MustOpenSQLite(b)
	ctx := context.Background()
	eng := mustEngine(&testing.T{})
	mustRound(&testing.T{}, s, "bmn-2564", true)
	tree, err := area.Embedded()
	if err != nil {
		b.Fatal(err)
	}
	villages := map[string]*engine.Totals{}
	for _, a := range tree.All() {
		if a.Level == area.Village {
			t := eng.NewTotals()
			t.Households, t.People = 150, 450
			villages[a.Code] = t
		}
	}
	if err := s.ReplaceTotals(ctx, "bmn-2564", engine.RollUp(villages, eng.NewTotals)); err != nil {
		b.Fatal(err)
	}
	for _, code := range []string{"TH", "70", "700513"} {
		b.Run(code, func(b *testing.B) {
			for b.Loop() {
				if _, err := s.RoundCoverage(ctx, "bmn-2564", code); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
