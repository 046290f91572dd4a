package store_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"tambon/internal/apperr"
	"tambon/internal/store"
	"tambon/internal/store/storetest"
	"tambon/internal/survey"
	"tambon/internal/surveyfile"
)

// assertRegistry fails unless household_ids holds exactly every
// household's id, round and key (PostgreSQL, migration 0028).
func assertRegistry(t *testing.T, s *store.Store, step string) {
	t.Helper()
	n := mustInt(t, s, `SELECT count(*) FROM (
		(SELECT id, round_id, hh_key FROM households EXCEPT ALL SELECT id, round_id, hh_key FROM household_ids)
		UNION ALL (SELECT id, round_id, hh_key FROM household_ids EXCEPT ALL SELECT id, round_id, hh_key FROM households)) d`)
	if n != 0 {
		t.Errorf("after %s: household_ids differs from households in %d rows", step, n)
	}
	if mustInt(t, s, "SELECT count(*) FROM households") == 0 {
		t.Errorf("after %s: no households to compare", step)
	}
}

// scannedRelations counts the tables an EXPLAIN (FORMAT JSON) plan reads.
func scannedRelations(t *testing.T, plan string) []string {
	t.Helper()
	var doc []struct{ Plan map[string]any }
	if err := json.Unmarshal([]byte(plan), &doc); err != nil || len(doc) != 1 {
		t.Fatalf("EXPLAIN: %v\n%s", err, plan)
	}
	var out []string
	var walk func(n map[string]any)
	walk = func(n map[string]any) {
		if r, ok := n["Relation Name"].(string); ok {
			out = append(out, r)
		}
		subs, _ := n["Plans"].([]any)
		for _, sub := range subs {
			if m, ok := sub.(map[string]any); ok {
				walk(m)
			}
		}
	}
	walk(doc[0].Plan)
	return out
}

// The household page's lookup by id finds the same households on both
// stores; on PostgreSQL household_ids follows households through an
// import, one-household writes, a move between villages, an erasure, a
// delete and a new round, and the lookup by id plans one partition of the
// partitioned households, not all of them. The references' rules hold.
func TestHouseholdIDsFollowHouseholds(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		pg := s.Dialect() == "postgres"
		check := func(step string) {
			t.Helper()
			if pg {
				assertRegistry(t, s, step)
			}
		}
		areas, villages := areasOf(t, "70", "71")
		if _, err := s.SyncAreas(ctx, areas, true); err != nil {
			t.Fatal(err)
		}
		eng := mustEngine(t)
		round := "bmn-2563"
		if err := s.CreateRound(ctx, survey.Round{ID: round, Kind: survey.KindBMN, SurveyYear: 2563, SetID: "bmn-2560-2564"}); err != nil {
			t.Fatal(err)
		}
		var hs []*survey.Household
		for j, v := range villages {
			hs = append(hs, surveyfile.Example(eng.Set(), v, 30, uint64(500+j))...)
		}
		hs[3].HouseCode = "70000000301" // a house code: its key stays when it moves
		if _, err := s.WriteHouseholds(ctx, eng, round, hs, "import", nil); err != nil {
			t.Fatal(err)
		}
		check("the import")
		idOf := func(r string, h *survey.Household) int64 {
			t.Helper()
			return mustInt(t, s, "SELECT id FROM households WHERE round_id = $1 AND hh_key = $2", r, h.Key())
		}
		for _, h := range hs[:3] {
			id := idOf(round, h)
			got, err := s.Household(ctx, id)
			if err != nil || got.ID != id || got.Key != h.Key() {
				t.Fatalf("household %d: %+v, %v", id, got.ID, err)
			}
		}
		missing := mustInt(t, s, "SELECT max(id) FROM households") + 1000
		if _, err := s.Household(ctx, missing); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("household %d that does not exist: %v, want not found", missing, err)
		}

		// One household written again, and one moved to a village of the
		// other province: same id, same key.
		hs[2].Respondent = "ผู้ตอบคนใหม่"
		moved := hs[3]
		movedID := idOf(round, moved)
		moved.VillageCode = villages[1]
		if _, err := s.WriteHouseholds(ctx, eng, round, []*survey.Household{hs[2], moved}, "edit", nil); err != nil {
			t.Fatal(err)
		}
		check("one-household writes and a move")
		if got, err := s.Household(ctx, movedID); err != nil || got.Household.VillageCode != villages[1] {
			t.Errorf("moved household %d: village %v, %v; want %s", movedID, got.Household, err, villages[1])
		}

		// An erasure of a whole household, and a plain delete.
		erased := idOf(round, hs[4])
		if _, err := s.Erase(ctx, eng, store.ErasureRequest{Round: round, HouseholdID: erased, Whole: true, Scope: "TH", By: "admin",
			Reason: "คำขอลงวันที่ 1 ธ.ค. 2569"}); err != nil {
			t.Fatal(err)
		}
		check("an erasure")
		if _, err := s.Household(ctx, erased); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("erased household %d: %v, want not found", erased, err)
		}
		if _, err := s.Erase(ctx, eng, store.ErasureRequest{Round: round, HouseholdID: erased, Whole: true, Scope: "TH", By: "admin",
			Reason: "คำขอซ้ำ"}); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("erasing household %d again: %v, want not found", erased, err)
		}
		if err := s.ExecForTest(ctx, "DELETE FROM households WHERE round_id = $1 AND hh_key = $2", round, hs[5].Key()); err != nil {
			t.Fatal(err)
		}
		check("a delete")

		// A new round.
		next := "bmn-2564"
		if err := s.CreateRound(ctx, survey.Round{ID: next, Kind: survey.KindBMN, SurveyYear: 2564, SetID: "bmn-2560-2564"}); err != nil {
			t.Fatal(err)
		}
		nhs := surveyfile.Example(eng.Set(), villages[0], 12, 900)
		if _, err := s.WriteHouseholds(ctx, eng, next, nhs, "import", nil); err != nil {
			t.Fatal(err)
		}
		check("a new round")
		newID := idOf(next, nhs[0])
		if got, err := s.Household(ctx, newID); err != nil || got.ID != newID {
			t.Errorf("household %d of the new round: %v", newID, err)
		}

		// Help given names a household by id: a missing one is refused, a
		// named one cannot be deleted.
		addHelp := func(id int64) error {
			return s.ExecForTest(ctx, `INSERT INTO assistance (round_id, household_id, hh_key, village_code, house_no, what, helper, helped_on, status, created_by, created_at)
				VALUES ($1, $2, 'k', $3, '1', 'ข้าวสาร', 'อบต.', '2026-11-01', 'done', 't', '2026-11-01T00:00:00.000000Z')`, next, id, villages[0])
		}
		if err := addHelp(missing); err == nil {
			t.Errorf("help for household %d that does not exist was stored", missing)
		}
		if err := addHelp(newID); err != nil {
			t.Fatal(err)
		}
		if err := s.ExecForTest(ctx, "DELETE FROM households WHERE id = $1", newID); err == nil {
			t.Errorf("household %d named by help given was deleted", newID)
		}
		check("refused writes")

		if !pg {
			return
		}
		plan, err := s.ExplainHouseholdForTest(ctx, newID)
		if err != nil {
			t.Fatal(err)
		}
		if rels := scannedRelations(t, plan); len(rels) != 1 || !strings.HasPrefix(rels[0], store.RoundPartitionForTest(next)+"_p70") {
			t.Errorf("the lookup of household %d reads %d tables %v, want its one partition:\n%s", newID, len(rels), rels, plan)
		}
		plan, err = s.ExplainHouseholdForTest(ctx, missing)
		if err != nil {
			t.Fatal(err)
		}
		if rels := scannedRelations(t, plan); len(rels) != 0 {
			t.Errorf("the lookup of household %d that does not exist reads %v, want none", missing, rels)
		}
	})
}
