package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"tambon/internal/engine"
	"tambon/internal/survey"
)

// ExecForTest runs a statement on the writer; tests use it to set up states
// the API refuses to make (a future schema version).
func (s *Store) ExecForTest(ctx context.Context, q string, args ...any) error {
	_, err := s.write.ExecContext(ctx, q, args...)
	return mapErr(err)
}

// RebuildVillageStatsForTest empties village_stats and runs the INSERTs of
// the migration that created it and the DELETEs of the later one that
// dropped the country's rows, as an upgraded database does.
func (s *Store) RebuildVillageStatsForTest(ctx context.Context) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	if _, err := s.write.ExecContext(ctx, "DELETE FROM village_stats"); err != nil {
		return mapErr(err)
	}
	for _, m := range ms {
		if m.name != "village_stats" && m.name != "area_generations" {
			continue
		}
		for _, stmt := range splitStatements(s.dialect.expand(m.sql)) {
			if strings.HasPrefix(stmt, "INSERT INTO village_stats") || strings.HasPrefix(stmt, "DELETE FROM village_stats") {
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

// InsertOnlyForTest writes households the way an import's first write into a
// round does, and nothing else: the rows of households (in the dialect's
// stored form, already encoded in stored) and of the citizen-ID index, in
// one transaction. No lookups, no checks, no statistics, no history; the
// import benchmarks compare a full import with it.
func (s *Store) InsertOnlyForTest(ctx context.Context, round string, hs []*survey.Household, stored [][]byte) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.insertRowsForTest(ctx, tx, "households", round, hs, stored); err != nil {
			return err
		}
		ms := newBulkInsert(ctx, tx, s.dialect, "INSERT INTO members (round_id, citizen_id, hh_key, member_no) VALUES ", 4, writeBatch)
		defer ms.close()
		for _, h := range hs {
			for _, m := range h.Members {
				if err := ms.add(round, m.CitizenID, h.Key(), m.No); err != nil {
					return mapErr(err)
				}
			}
		}
		return mapErr(ms.flush())
	})
}

// InsertBareForTest is InsertOnlyForTest without the citizen-ID index and
// into a copy of the households table that has no index, key or foreign key
// at all: one plain row per household, the least a store can write.
func (s *Store) InsertBareForTest(ctx context.Context, round string, hs []*survey.Household, stored [][]byte) error {
	if _, err := s.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS bare_households (round_id TEXT, hh_key TEXT, village_code TEXT,
		house_code TEXT, house_no TEXT, status TEXT, data BLOB, version INTEGER, created_at TEXT, updated_at TEXT, updated_by TEXT)`); err != nil {
		return mapErr(err)
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		return s.insertRowsForTest(ctx, tx, "bare_households", round, hs, stored)
	})
}

// insertRowsForTest inserts one row per household into table, which has the
// households table's columns.
func (s *Store) insertRowsForTest(ctx context.Context, tx *sql.Tx, table, round string, hs []*survey.Household, stored [][]byte) error {
	now := formatTime(s.now())
	hh := newBulkInsert(ctx, tx, s.dialect, "INSERT INTO "+table+` (round_id, hh_key, village_code, house_code, house_no, status, data, version, created_at, updated_at, updated_by) VALUES `, 11, writeBatch)
	defer hh.close()
	for i, h := range hs {
		if err := hh.add(round, h.Key(), h.VillageCode, h.HouseCode, h.HouseNo, string(h.Status), stored[i], 1, now, now, "import"); err != nil {
			return mapErr(err)
		}
	}
	return mapErr(hh.flush())
}

// StoredFormForTest is the bytes this store keeps for h.
func (s *Store) StoredFormForTest(h *survey.Household) []byte {
	return appendHouseholdBinary(nil, h)
}

// SetRowImportForTest makes this store's bulk imports use multi-row INSERTs
// even on PostgreSQL, where they would use COPY.
func (s *Store) SetRowImportForTest(on bool) { s.rowImport = on }

// RowsForTest returns what a query reads, one string a row, its columns
// joined by "|": for comparing what two stores hold.
func (s *Store) RowsForTest(ctx context.Context, q string, args ...any) ([]string, error) {
	rows, err := s.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		parts := make([]string, len(vals))
		for i, v := range vals {
			if b, ok := v.([]byte); ok {
				v = string(b)
			}
			parts[i] = fmt.Sprint(v)
		}
		out = append(out, strings.Join(parts, "|"))
	}
	return out, rows.Err()
}

// PutTotalsForTest stores one area's statistics row as it is, as a database
// written before may hold it.
func (s *Store) PutTotalsForTest(ctx context.Context, round, code string, t *engine.Totals) error {
	return s.putTotals(ctx, s.write, round, code, t)
}

// MigrateToForTest applies the migrations up to version only that are not
// applied yet, as an older tambon left the database; Migrate then brings it
// up to date.
func (s *Store) MigrateToForTest(ctx context.Context, version int) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	conn, err := s.write.Conn(ctx)
	if err != nil {
		return mapErr(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		return mapErr(err)
	}
	done, err := appliedVersions(ctx, conn)
	if err != nil {
		return err
	}
	for _, m := range ms {
		if m.version > version {
			break
		}
		if done[m.version] {
			continue
		}
		if err := s.apply(ctx, conn, m); err != nil {
			return err
		}
	}
	return nil
}

// RoundPartitionForTest names a round's partition of households on
// PostgreSQL.
func RoundPartitionForTest(round string) string { return roundPartition(round) }

// HouseholdPageQueryForTest is the query, with its arguments, that reads
// one page of ListHouseholds (no Keep, a Limit).
func (s *Store) HouseholdPageQueryForTest(q HouseholdQuery) (string, []any) {
	where, args := s.householdWhere(q)
	return householdPageQuery(where, householdOrder(q.Sort), q.Limit, q.Offset), args
}
