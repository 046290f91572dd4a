package store

import (
	"context"
	"strconv"
)

// The statistics generation is a counter bumped in the same transaction as
// anything that changes what an area's pages show (household writes,
// replaced statistics, new rounds, targets). Servers that cache rendered
// pages compare it on every request, so a cached page is served only while
// it is still exactly what a fresh render would give — across processes
// sharing one database too.

const genKey = "stats_gen"

// bumpGeneration increments the statistics generation inside tx.
func bumpGeneration(ctx context.Context, tx querier) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ($1, '1')
		ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(meta.value AS INTEGER) + 1 AS TEXT)`, genKey)
	return mapErr(err)
}

// StatsGeneration returns the statistics generation: it changes whenever
// anything an area page shows changes.
func (s *Store) StatsGeneration(ctx context.Context) (int64, error) {
	v := s.metaValue(ctx, genKey)
	if v == "" {
		return 0, nil
	}
	return strconv.ParseInt(v, 10, 64)
}
