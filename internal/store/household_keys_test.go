package store_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"tambon/internal/apperr"
	"tambon/internal/store"
	"tambon/internal/store/storetest"
	"tambon/internal/survey"
	"tambon/internal/surveyfile"

	_ "github.com/jackc/pgx/v5/stdlib"
)

// On PostgreSQL households name their round and village through statement
// triggers (migration 0030), not foreign keys. They must keep every rule
// the keys kept: a household of an unknown round or village is refused
// whichever way it is written, a household cannot be moved to an unknown
// village, and a round or village a household still names cannot be
// deleted, renamed or truncated away; deleting the households first, in the
// same statement, frees it. No write locks its round or village row, so
// writers never write a row in common for the check; a delete of a round
// or area waits for the writes in flight instead, and a write at a higher
// isolation level than READ COMMITTED still locks the rows it names.
func TestHouseholdKeysPerStatementOnPostgres(t *testing.T) {
	dsn := storetest.PostgresDSN(t)
	ctx := context.Background()
	s, err := store.Open(ctx, dsn, store.Options{Now: storetest.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	areas, villages := areasOf(t, "70")
	if _, err := s.SyncAreas(ctx, areas, true); err != nil {
		t.Fatal(err)
	}
	if n := mustInt(t, s, "SELECT count(*) FROM pg_constraint WHERE conrelid = 'households'::regclass AND contype = 'f'"); n != 0 {
		t.Fatalf("households still has %d foreign keys after migration 0030", n)
	}
	eng := mustEngine(t)
	mustRound(t, s, "bmn-2564", false)
	village := villages[0]
	hs := surveyfile.Example(eng.Set(), village, 6, 7)
	if _, err := s.WriteHouseholds(ctx, eng, "bmn-2564", hs[:5], "import", nil); err != nil {
		t.Fatal(err)
	}

	// Unknown village or round, by the store and by hand.
	stray := *hs[5]
	stray.VillageCode = "70059999"
	if _, err := s.WriteHouseholds(ctx, eng, "bmn-2564", []*survey.Household{&stray}, "import", nil); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("a household of a village not in the register: %v, want refused as invalid", err)
	}
	insert := func(round, village, key string) error {
		return s.ExecForTest(ctx, `INSERT INTO households (round_id, hh_key, village_code, house_no, status, data, version, created_at, updated_at)
			VALUES ($1, $2, $3, '1', 'complete', '{}', 1, 'x', 'x')`, round, key, village)
	}
	// A round that does not exist has no partition to hold a row; given
	// one by hand, the trigger still refuses the row.
	if err := insert("bmn-2599", village, "70999999901"); err == nil {
		t.Error("a household of a round that does not exist was stored")
	}
	if err := s.ExecForTest(ctx, "CREATE TABLE households_ghost PARTITION OF households FOR VALUES IN ('bmn-2599')"); err != nil {
		t.Fatal(err)
	}
	if err := insert("bmn-2599", village, "70999999901"); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("a household of a round that does not exist: %v, want refused as invalid", err)
	}
	if err := insert("bmn-2564", "70059999", "70999999902"); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("a household of an area that does not exist: %v, want refused as invalid", err)
	}
	if err := s.ExecForTest(ctx, "UPDATE households SET village_code = '70059999' WHERE hh_key = $1", hs[0].Key()); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("a household moved to an area that does not exist: %v, want refused as invalid", err)
	}
	if n := mustInt(t, s, "SELECT count(*) FROM households"); n != 5 {
		t.Errorf("%d households stored, want the 5 written", n)
	}

	// No write locks the village row (a lock is a write of that row, shared
	// by every writer of the village): not an edit, not a new household.
	lockedBy := func() int64 {
		return mustInt(t, s, "SELECT xmax::text::bigint FROM areas WHERE code = $1", village)
	}
	roundLockedBy := func() int64 {
		return mustInt(t, s, "SELECT xmax::text::bigint FROM rounds WHERE id = 'bmn-2564'")
	}
	roundBefore := roundLockedBy()
	before := lockedBy()
	edited := *hs[1]
	edited.Phone = "0812345678"
	if _, err := s.WriteHouseholds(ctx, eng, "bmn-2564", []*survey.Household{&edited}, "web", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.WriteHouseholds(ctx, eng, "bmn-2564", []*survey.Household{hs[5]}, "web", nil); err != nil {
		t.Fatal(err)
	}
	if after := lockedBy(); after != before {
		t.Errorf("a write locked its village row (xmax %d → %d)", before, after)
	}
	if after := roundLockedBy(); after != roundBefore {
		t.Errorf("a write locked its round's row, which every province's writers share (xmax %d → %d)", roundBefore, after)
	}

	// The other side: what households name stays.
	for _, q := range []string{
		"DELETE FROM areas WHERE code = '" + village + "'",
		"UPDATE areas SET code = '70059998' WHERE code = '" + village + "'",
		"UPDATE rounds SET id = 'bmn-2598' WHERE id = 'bmn-2564'",
		"DELETE FROM rounds WHERE id = 'bmn-2564'",
	} {
		if err := s.ExecForTest(ctx, q); err == nil {
			t.Errorf("%s: done, want refused while households name it", q)
		}
	}
	if err := s.ExecForTest(ctx, "TRUNCATE areas CASCADE"); err == nil {
		t.Error("TRUNCATE areas CASCADE: done, want refused while households name its rows")
	}
	if n := mustInt(t, s, "SELECT count(*) FROM areas WHERE code = $1", village); n != 1 {
		t.Fatalf("the village row is gone (%d)", n)
	}
	// A village whose households go in the same statement may go: a
	// village no other table names.
	lone := "70059997"
	if err := s.ExecForTest(ctx, `INSERT INTO areas (code, level, name_th, name_en, parent_code, region, moo)
		SELECT $1, level, name_th, name_en, parent_code, region, 97 FROM areas WHERE code = $2`, lone, village); err != nil {
		t.Fatal(err)
	}
	if err := insert("bmn-2564", lone, "70999999903"); err != nil {
		t.Fatal(err)
	}
	if err := s.ExecForTest(ctx, "DELETE FROM areas WHERE code = $1", lone); err == nil {
		t.Error("a village deleted while a household names it")
	}
	if err := s.ExecForTest(ctx, `WITH gone AS (DELETE FROM households WHERE village_code = $1)
		DELETE FROM areas WHERE code = $1`, lone); err != nil {
		t.Errorf("a village deleted with its households: %v", err)
	}

	// A delete waits for a write in flight that names the village, then is
	// refused; a write at REPEATABLE READ whose snapshot still shows a
	// village deleted since is refused.
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	other := "70059996"
	if err := s.ExecForTest(ctx, `INSERT INTO areas (code, level, name_th, name_en, parent_code, region, moo)
		SELECT $1, level, name_th, name_en, parent_code, region, 96 FROM areas WHERE code = $2`, other, village); err != nil {
		t.Fatal(err)
	}
	writer, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer writer.Rollback()
	if _, err := writer.ExecContext(ctx, `INSERT INTO households (round_id, hh_key, village_code, house_no, status, data, version, created_at, updated_at)
		VALUES ('bmn-2564', '70999999904', $1, '1', 'complete', '{}', 1, 'x', 'x')`, other); err != nil {
		t.Fatal(err)
	}
	deleted := make(chan error, 1)
	go func() {
		_, err := db.ExecContext(ctx, "DELETE FROM areas WHERE code = $1", other)
		deleted <- err
	}()
	// The delete must be seen waiting for a lock before the write commits.
	for waiting := false; !waiting; {
		select {
		case err := <-deleted:
			t.Fatalf("the delete of a village did not wait for a write in flight naming it (%v)", err)
		case <-time.After(20 * time.Millisecond):
		}
		if err := db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_stat_activity
			WHERE wait_event_type = 'Lock' AND query LIKE 'DELETE FROM areas%')`).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
	}
	if err := writer.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := <-deleted; err == nil {
		t.Error("a village was deleted while a write that had named it committed")
	}
	if err := s.ExecForTest(ctx, "DELETE FROM households WHERE village_code = $1", other); err != nil {
		t.Fatal(err)
	}
	reader, err := db.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead})
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Rollback()
	var n int
	if err := reader.QueryRowContext(ctx, "SELECT count(*) FROM areas WHERE code = $1", other).Scan(&n); err != nil || n != 1 {
		t.Fatalf("the village is not there to begin with (%d, %v)", n, err)
	}
	if err := s.ExecForTest(ctx, "DELETE FROM areas WHERE code = $1", other); err != nil {
		t.Fatal(err)
	}
	if _, err := reader.ExecContext(ctx, `INSERT INTO households (round_id, hh_key, village_code, house_no, status, data, version, created_at, updated_at)
		VALUES ('bmn-2564', '70999999905', $1, '1', 'complete', '{}', 1, 'x', 'x')`, other); err == nil {
		t.Error("a REPEATABLE READ write named a village deleted after its snapshot")
	}
}
