package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"tambon/internal/apperr"
	"tambon/internal/area"
	"tambon/internal/engine"
	"tambon/internal/store"
	"tambon/internal/store/storetest"
	"tambon/internal/survey"
	"tambon/internal/surveyfile"
)

// areasOf returns the country and every area of the given provinces,
// parents first, and the first village of each province.
func areasOf(t testing.TB, provinces ...string) ([]area.Area, []string) {
	t.Helper()
	tree, err := area.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	var out []area.Area
	for _, a := range tree.All() {
		keep := a.Code == area.CountryCode
		for _, p := range provinces {
			keep = keep || strings.HasPrefix(a.Code, p)
		}
		if keep {
			out = append(out, a)
		}
	}
	var villages []string
	for _, p := range provinces {
		code := p
		for {
			cs := tree.Children(code)
			if len(cs) == 0 {
				break
			}
			code = cs[0].Code
		}
		if len(code) != 8 {
			t.Fatalf("province %s: no village found (stopped at %s)", p, code)
		}
		villages = append(villages, code)
	}
	return out, villages
}

// fingerprint is what must not change when households move: every row,
// field for field, in id order.
const fingerprint = `SELECT count(*)::text, COALESCE(max(id), 0)::text,
	md5(COALESCE(string_agg(id || '|' || round_id || '|' || hh_key || '|' || village_code || '|' || house_code || '|' || house_no || '|' ||
		status || '|' || version || '|' || created_at || '|' || updated_at || '|' || updated_by || '|' || data, E'\n' ORDER BY id), ''))
	FROM households`

// A PostgreSQL database that already holds households of two rounds in two
// provinces is moved into partitioned households by migration 0027 in one
// step: every row keeps its id and fields, the figures a recompute gives
// still equal the stored ones (what tambon check proves), each row sits in
// its round's and its key's province's partition, ids go on from where they
// were, a key stays unique in its round across partitions, and the
// references to households keep the rules their foreign keys had.
func TestHouseholdsPartitionedOnPostgres(t *testing.T) {
	dsn := storetest.PostgresDSN(t)
	ctx := context.Background()
	s, err := store.Open(ctx, dsn, store.Options{Now: storetest.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.MigrateToForTest(ctx, 26); err != nil {
		t.Fatal(err)
	}
	areas, villages := areasOf(t, "70", "71")
	if _, err := s.SyncAreas(ctx, areas, true); err != nil {
		t.Fatal(err)
	}
	eng := mustEngine(t)
	rounds := []string{"bmn-2563", "bmn-2564"}
	for i, r := range rounds {
		if err := s.CreateRound(ctx, survey.Round{ID: r, Kind: survey.KindBMN, SurveyYear: 2563 + i, SetID: "bmn-2560-2564"}); err != nil {
			t.Fatal(err)
		}
		var hs []*survey.Household
		for j, v := range villages {
			hs = append(hs, surveyfile.Example(eng.Set(), v, 20+10*i+5*j, uint64(300+10*i+j))...)
		}
		// A house code of the other province, and one of no province in the
		// register, surveyed in the first village.
		hs[0].HouseCode = "71" + fmt.Sprintf("%09d", 100+i)
		hs[1].HouseCode = "00" + fmt.Sprintf("%09d", 200+i)
		if _, err := s.WriteHouseholds(ctx, eng, r, hs, "import", nil); err != nil {
			t.Fatal(err)
		}
		// Stored as the tambon of schema 26 stored them: JSON text.
		for _, h := range hs {
			j, err := json.Marshal(h)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.ExecForTest(ctx, "UPDATE households SET data = $1 WHERE round_id = $2 AND hh_key = $3", string(j), r, h.Key()); err != nil {
				t.Fatal(err)
			}
		}
	}
	records := func(s *store.Store) map[string]survey.Record {
		out := map[string]survey.Record{}
		for _, r := range rounds {
			if err := s.EachHousehold(ctx, r, "TH", func(rec survey.Record) error {
				out[r+"/"+rec.Key] = rec
				return nil
			}); err != nil {
				t.Fatal(err)
			}
		}
		return out
	}
	stored := records(s)
	before, err := s.RowsForTest(ctx, fingerprint)
	if err != nil {
		t.Fatal(err)
	}
	referenced := mustInt(t, s, "SELECT min(id) FROM households WHERE round_id = $1", rounds[0])
	addHelp := func(id int64) error {
		return s.ExecForTest(ctx, `INSERT INTO assistance (round_id, household_id, hh_key, village_code, house_no, what, helper, helped_on, status, created_by, created_at)
			VALUES ($1, $2, 'k', $3, '1', 'ข้าวสาร', 'อบต.', '2026-11-01', 'done', 't', '2026-11-01T00:00:00.000000Z')`, rounds[0], id, villages[0])
	}
	if err := addHelp(referenced); err != nil {
		t.Fatal(err)
	}

	if err := s.MigrateToForTest(ctx, 28); err != nil {
		t.Fatal(err)
	}
	if n := mustInt(t, s, "SELECT count(*) FROM pg_class WHERE oid = 'households'::regclass AND relkind = 'p'"); n != 1 {
		t.Fatal("households is not a partitioned table after migration 0027")
	}
	after, err := s.RowsForTest(ctx, fingerprint)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(after) != fmt.Sprint(before) {
		t.Fatalf("households changed in the move: before %v, after %v", before, after)
	}
	// Migration 0029 makes the column BYTEA and keeps the JSON as it was:
	// every household reads as before.
	if applied, err := s.Migrate(ctx); err != nil || len(applied) == 0 || applied[0] != 29 {
		t.Fatalf("migrate: applied %v (%v), want 29 first", applied, err)
	}
	if n := mustInt(t, s, "SELECT count(*) FROM households WHERE substring(data from 1 for 1) <> '{'::bytea"); n != 0 {
		t.Errorf("%d households not kept as their JSON by migration 0029", n)
	}
	// A new process reads them (a running one's prepared statements still
	// expect TEXT: tambon migrates before it serves).
	fresh, err := store.Open(ctx, dsn, store.Options{Now: storetest.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	if got := records(fresh); !reflect.DeepEqual(got, stored) {
		t.Errorf("households read differently after migration 0029 (%d records, %d before)", len(got), len(stored))
	}
	assertRegistry(t, s, "migrations 0027 and 0028 of stored households")
	for _, r := range rounds {
		assertFiguresHold(t, s, eng, r)
	}

	// Every row is in its round's partition, in its key's province's
	// partition when the register holds that province, else in "other".
	rows, err := s.RowsForTest(ctx, "SELECT h.round_id, h.hh_key, c.relname::text FROM households h JOIN pg_class c ON c.oid = h.tableoid")
	if err != nil {
		t.Fatal(err)
	}
	placed := map[string]int{}
	for _, line := range rows {
		row := strings.Split(line, "|")
		want := store.RoundPartitionForTest(row[0]) + "_other"
		if p := row[1][:2]; p == "70" || p == "71" {
			want = store.RoundPartitionForTest(row[0]) + "_p" + p
		}
		if row[2] != want {
			t.Errorf("household %s/%s is in %s, want %s", row[0], row[1], row[2], want)
		}
		placed[row[2]]++
	}
	if len(placed) != 6 {
		t.Errorf("households are in %d partitions (%v), want 2 rounds × (2 provinces + other)", len(placed), placed)
	}

	// New households get new ids, above every id the move kept.
	maxBefore := mustInt(t, s, "SELECT max(id) FROM households")
	more := surveyfile.Example(eng.Set(), villages[1], 5, 999)
	if _, err := s.WriteHouseholds(ctx, eng, rounds[0], more, "import", nil); err != nil {
		t.Fatal(err)
	}
	if n := mustInt(t, s, "SELECT count(*) FROM households WHERE id > $1", maxBefore); n != 5 {
		t.Errorf("%d households above the old largest id, want the 5 new ones", n)
	}
	if n := mustInt(t, s, "SELECT count(*) - count(DISTINCT id) FROM households"); n != 0 {
		t.Errorf("%d ids repeated", n)
	}
	assertFiguresHold(t, s, eng, rounds[0])

	// A key is unique in its round whichever partition holds it.
	for _, key := range []string{more[0].Key(), "71" + fmt.Sprintf("%09d", 100), "00" + fmt.Sprintf("%09d", 200)} {
		err := s.ExecForTest(ctx, `INSERT INTO households (round_id, hh_key, village_code, house_no, status, data, version, created_at, updated_at)
			VALUES ($1, $2, $3, '1', 'complete', '{}', 1, 'x', 'x')`, rounds[0], key, villages[0])
		if !apperr.Is(err, apperr.Conflict) {
			t.Errorf("a second household %s in %s: %v, want a conflict", key, rounds[0], err)
		}
	}

	// The references keep the rules of their foreign keys.
	if err := addHelp(1 << 40); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("help for a household that does not exist: %v, want refused as invalid", err)
	}
	if err := s.ExecForTest(ctx, "UPDATE assistance SET household_id = $1", int64(1<<40)); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("help moved to a household that does not exist: %v, want refused as invalid", err)
	}
	if err := s.ExecForTest(ctx, "DELETE FROM households WHERE id = $1", referenced); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("deleting a household that help names: %v, want refused as invalid", err)
	}
	if n := mustInt(t, s, "SELECT count(*) FROM households WHERE id = $1", referenced); n != 1 {
		t.Fatal("the refused delete took the household")
	}
	for _, table := range []string{"plan_targets", "assistance", "programme_participants"} {
		if n := mustInt(t, s, "SELECT count(*) FROM pg_trigger WHERE tgrelid = $1::regclass AND tgname = $2", table, table+"_household"); n != 1 {
			t.Errorf("%s has no check of its household", table)
		}
	}
	// Deleting what names it first, in one transaction, is what erasure does.
	if err := s.ExecForTest(ctx, `WITH a AS (DELETE FROM assistance WHERE household_id = $1) DELETE FROM households WHERE id = $1`, referenced); err != nil {
		t.Errorf("deleting the household with its help: %v", err)
	}

	// A backup restores into partitions, help given after its household.
	if err := addHelp(maxBefore); err != nil {
		t.Fatal(err)
	}
	wantRows, err := s.RowsForTest(ctx, fingerprint)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "tambon.backup")
	if err := s.Backup(ctx, path); err != nil {
		t.Fatal(err)
	}
	dst := emptyPostgres(t)
	if _, err := dst.RestorePostgres(ctx, path, store.RestoreOptions{}); err != nil {
		t.Fatalf("restore: %v", err)
	}
	if got, err := dst.RowsForTest(ctx, fingerprint); err != nil || fmt.Sprint(got) != fmt.Sprint(wantRows) {
		t.Errorf("restored households %v (%v), want %v", got, err, wantRows)
	}
	if n := mustInt(t, dst, "SELECT count(*) FROM assistance WHERE household_id = $1", maxBefore); n != 1 {
		t.Errorf("restored help for household %d: %d rows, want 1", maxBefore, n)
	}
	if n := mustInt(t, dst, "SELECT count(*) FROM pg_inherits WHERE inhparent = $1::regclass", store.RoundPartitionForTest(rounds[1])); n != 3 {
		t.Errorf("restored round %s has %d partitions, want 3", rounds[1], n)
	}
	assertFiguresHold(t, dst, eng, rounds[1])

	// A new round gets its partitions, and so does a province the register
	// gains; EXPLAIN shows a national read touching one round's partitions
	// and a province's read one partition.
	if err := s.CreateRound(ctx, survey.Round{ID: "bmn-2565", Kind: survey.KindBMN, SurveyYear: 2565, SetID: "bmn-2560-2564"}); err != nil {
		t.Fatal(err)
	}
	wider, _ := areasOf(t, "70", "71", "72")
	if _, err := s.SyncAreas(ctx, wider, true); err != nil {
		t.Fatal(err)
	}
	for _, r := range append(rounds, "bmn-2565") {
		n := mustInt(t, s, "SELECT count(*) FROM pg_inherits WHERE inhparent = $1::regclass", store.RoundPartitionForTest(r))
		if n != 4 {
			t.Errorf("round %s has %d partitions, want provinces 70, 71, 72 and other", r, n)
		}
	}
	if _, err := s.WriteHouseholds(ctx, eng, "bmn-2565", surveyfile.Example(eng.Set(), villages[0], 3, 7), "import", nil); err != nil {
		t.Fatal(err)
	}
	national := explain(t, s, "SELECT village_code, data FROM households WHERE round_id = 'bmn-2564'")
	province := explain(t, s, "SELECT village_code, data FROM households WHERE round_id = 'bmn-2564' AND hh_key >= '70' AND hh_key < '71'")
	t.Logf("a national read:\n%s\na province's read:\n%s", national, province)
	for _, r := range []string{"bmn-2563", "bmn-2565"} {
		if strings.Contains(national, store.RoundPartitionForTest(r)) {
			t.Errorf("a read of bmn-2564 touches %s's partitions:\n%s", r, national)
		}
	}
	p := store.RoundPartitionForTest("bmn-2564")
	if !strings.Contains(province, p+"_p70") || strings.Contains(province, p+"_p71") || strings.Contains(province, p+"_other") {
		t.Errorf("a read of province 70 touches other partitions:\n%s", province)
	}
}

// assertFiguresHold fails unless a recompute of round from the stored
// households, with one reader and with several, equals the stored figures.
func assertFiguresHold(t *testing.T, s *store.Store, eng *engine.Engine, round string) {
	t.Helper()
	ctx := context.Background()
	stored, err := s.AllTotals(ctx, eng, round)
	if err != nil {
		t.Fatal(err)
	}
	for _, readers := range []int{1, 3} {
		s.SetRecomputeStreams(readers)
		rc, err := s.RebuildRound(ctx, round, eng, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(rc.Totals) != len(stored) || len(stored) == 0 {
			t.Errorf("round %s, %d readers: %d areas recomputed, %d stored", round, readers, len(rc.Totals), len(stored))
		}
		for code, want := range stored {
			if got := rc.Totals[code]; got == nil || !got.Equal(want) {
				t.Errorf("round %s, %d readers, area %s: recomputed %+v, stored %+v", round, readers, code, got, want)
			}
		}
	}
	s.SetRecomputeStreams(0)
}

func mustInt(t *testing.T, s *store.Store, q string, args ...any) int64 {
	t.Helper()
	n, err := s.QueryIntForTest(context.Background(), q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func explain(t *testing.T, s *store.Store, q string) string {
	t.Helper()
	rows, err := s.RowsForTest(context.Background(), "EXPLAIN (COSTS OFF) "+q)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(r + "\n")
	}
	return b.String()
}
