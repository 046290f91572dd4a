package store_test

import (
	"context"
	"testing"

	"tambon/internal/store/storetest"
)

// BenchmarkWriteVillages writes every Ratchaburi village (1,113) into a fresh
// round per iteration: the cost of importing a province's กชช. 2ค file.
func BenchmarkWriteVillages(b *testing.B) {
	s := storetest.MustOpenSQLite(b)
	ctx := context.Background()
	codes := villagesUnder(&testing.T{}, "70")
	recs := synthRecords(&testing.T{}, codes, 1)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		rd := mustVillageRoundB(b, s, 2500+i)
		if _, err := s.WriteVillages(ctx, rd, recs, "bench"); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(recs)*b.N)/b.Elapsed().Seconds(), "villages/s")
}

// BenchmarkVillageCounts counts a province's villages by level and score.
func BenchmarkVillageCounts(b *testing.B) {
	s := storetest.MustOpenSQLite(b)
	ctx := context.Background()
	rd := mustVillageRoundB(b, s, 2562)
	if _, err := s.WriteVillages(ctx, rd, synthRecords(&testing.T{}, villagesUnder(&testing.T{}, "70"), 1), "bench"); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := s.VillageCounts(ctx, rd, "70"); err != nil {
			b.Fatal(err)
		}
	}
}
