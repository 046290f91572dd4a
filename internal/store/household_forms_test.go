package store_test

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"

	"tambon/internal/store"
	"tambon/internal/store/storetest"
	"tambon/internal/survey"
	"tambon/internal/surveyfile"
)

// A database written before the stores kept households in the binary form
// (SQLite before 2026-12-04, PostgreSQL before migration 0029) holds them
// as JSON. Such rows must read exactly as before, a re-import of
// the same households must find them unchanged (and leave them alone), and
// an edit must record only what really changed.
func TestHouseholdsStoredAsJSONReadOn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		eng := mustEngine(t)
		mustRound(t, s, "bmn-2564", false)
		hs := surveyfile.Example(eng.Set(), "70051304", 40, 5)
		for _, h := range hs {
			h.RoundID = "bmn-2564"
		}
		if _, err := s.WriteHouseholds(ctx, eng, "bmn-2564", hs, "import", nil); err != nil {
			t.Fatal(err)
		}
		// New rows: the binary form, a BLOB on SQLite, BYTEA on PostgreSQL.
		form := "SELECT count(*) FROM households WHERE typeof(data) = 'blob' AND substr(data, 1, 1) = x'01'"
		jsonForm := "SELECT count(*) FROM households WHERE data LIKE '{%'"
		if s.Dialect() == "postgres" {
			form = "SELECT count(*) FROM households WHERE substring(data from 1 for 1) = '\\x01'::bytea"
			jsonForm = "SELECT count(*) FROM households WHERE substring(data from 1 for 1) = '{'::bytea"
		}
		if n, err := s.QueryIntForTest(ctx, form); err != nil || n != int64(len(hs)) {
			t.Fatalf("%d of %d households in the dialect's form (%v)", n, len(hs), err)
		}
		before := map[string]survey.Record{}
		if err := s.EachHousehold(ctx, "bmn-2564", "TH", func(r survey.Record) error {
			before[r.Key] = r
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		// Turn every row into the JSON an older version wrote.
		for _, h := range hs {
			j, err := json.Marshal(h)
			if err != nil {
				t.Fatal(err)
			}
			// Text on SQLite, as it was written; bytes on PostgreSQL, the
			// JSON as migration 0029 kept it.
			var arg any = string(j)
			if s.Dialect() == "postgres" {
				arg = j
			}
			if err := s.ExecForTest(ctx, "UPDATE households SET data = $1 WHERE round_id = $2 AND hh_key = $3", arg, "bmn-2564", h.Key()); err != nil {
				t.Fatal(err)
			}
		}
		jsonRows := func() int64 {
			n, err := s.QueryIntForTest(ctx, jsonForm)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		if n := jsonRows(); n != int64(len(hs)) {
			t.Fatalf("%d JSON rows, want %d", n, len(hs))
		}
		for key, want := range before {
			got, err := s.HouseholdByKey(ctx, "bmn-2564", key)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got.Household, want.Household) {
				t.Fatalf("household %s reads differently from JSON:\n got %+v\nwant %+v", key, got.Household, want.Household)
			}
		}
		sum, err := s.WriteHouseholds(ctx, eng, "bmn-2564", hs, "import", nil)
		if err != nil {
			t.Fatal(err)
		}
		if sum.Unchanged != len(hs) || sum.Inserted+sum.Updated != 0 {
			t.Fatalf("re-import over JSON rows: %+v, want all %d unchanged", sum, len(hs))
		}
		if n := jsonRows(); n != int64(len(hs)) {
			t.Fatalf("an unchanged household was rewritten: %d JSON rows left of %d", n, len(hs))
		}
		edited := *hs[3]
		edited.Savings += 100
		if _, err := s.WriteHouseholds(ctx, eng, "bmn-2564", []*survey.Household{&edited}, "somchai", nil); err != nil {
			t.Fatal(err)
		}
		hist, err := s.HouseholdHistory(ctx, "bmn-2564", edited.Key())
		if err != nil {
			t.Fatal(err)
		}
		if len(hist) != 1 || len(hist[0].Changes) != 1 || hist[0].Changes[0].Field != "savings" {
			t.Fatalf("history of the edit over a JSON row: %+v, want one change of savings", hist)
		}
		assertStatsMatch(t, s, eng, "bmn-2564")
	})
}
