package store

import (
	"context"
	"strings"
)

// ExecForTest runs a statement on the writer; tests use it to set up states
// the API refuses to make (a future schema version).
func (s *Store) ExecForTest(ctx context.Context, q string, args ...any) error {
	_, err := s.write.ExecContext(ctx, q, args...)
	return mapErr(err)
}

// RebuildVillageStatsForTest empties village_stats and runs the INSERTs of
// the migration that created it, as an upgraded database does.
func (s *Store) RebuildVillageStatsForTest(ctx context.Context) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	if _, err := s.write.ExecContext(ctx, "DELETE FROM village_stats"); err != nil {
		return mapErr(err)
	}
	for _, m := range ms {
		if m.name != "village_stats" {
			continue
		}
		for _, stmt := range splitStatements(s.dialect.expand(m.sql)) {
			if strings.HasPrefix(stmt, "INSERT") {
				if _, err := s.write.ExecContext(ctx, stmt); err != nil {
					return mapErr(err)
				}
			}
		}
	}
	return nil
}

// QueryIntForTest reads one integer.
func (s *Store) QueryIntForTest(ctx context.Context, q string, args ...any) (int64, error) {
	var n int64
	err := s.read.QueryRowContext(ctx, q, args...).Scan(&n)
	return n, mapErr(err)
}
