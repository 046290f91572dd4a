package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"tambon/internal/area"
	"tambon/internal/store"
	"tambon/internal/store/storetest"
	"tambon/internal/survey"
	"tambon/internal/surveyfile"
)

// A household's key does not always begin with its village's province: a
// house code of another province (or of none in the register) is accepted
// by the validation every way in uses (file import, web form, API,
// OpenRosa) and becomes the key, and on PostgreSQL the row is stored in the
// partition of the key's province, or in the round's "other" partition. An
// area's pages count the household where it was surveyed, so every query of
// an area (its list, count, records and completeness) must find it there —
// which is why those queries cannot be narrowed to the area's province
// partition by a condition on hh_key (docs/deploy.md, "Partitioned
// households").
func TestAreaQueriesFindHouseholdsKeyedInAnotherProvince(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		rd, here, there, villages := storeKeyedElsewhere(t, s)

		if s.Dialect() == "postgres" {
			p := store.RoundPartitionForTest(rd.ID)
			for key, want := range map[string]string{here[0].Key(): p + "_p71", here[1].Key(): p + "_other", here[2].Key(): p + "_p70"} {
				rows, err := s.RowsForTest(ctx, "SELECT c.relname::text FROM households h JOIN pg_class c ON c.oid = h.tableoid WHERE h.hh_key = $1", key)
				if err != nil || len(rows) != 1 || rows[0] != want {
					t.Errorf("household %s of village %s is stored in %v (%v), want %s", key, villages[0], rows, err, want)
				}
			}
		}

		for _, code := range []string{villages[0], villages[0][:6], villages[0][:4], villages[0][:2]} {
			var want []string
			for _, h := range append(slices.Clone(here), there...) {
				if strings.HasPrefix(h.VillageCode, code) {
					want = append(want, h.Key())
				}
			}
			slices.Sort(want)
			page, err := s.ListHouseholds(ctx, store.HouseholdQuery{Round: rd.ID, Area: code, Limit: 50})
			if err != nil {
				t.Fatal(err)
			}
			var listed []string
			for _, r := range page.Rows {
				listed = append(listed, r.Key)
			}
			slices.Sort(listed)
			if page.Total != len(want) || !slices.Equal(listed, want) {
				t.Errorf("area %s lists %d households %v, want %d %v", code, page.Total, listed, len(want), want)
			}
			if n, err := s.CountHouseholds(ctx, rd.ID, code); err != nil || n != len(want) {
				t.Errorf("area %s counts %d households (%v), want %d", code, n, err, len(want))
			}
			var each []string
			if err := s.EachHousehold(ctx, rd.ID, code, func(r survey.Record) error {
				each = append(each, r.Key)
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			slices.Sort(each)
			if !slices.Equal(each, want) {
				t.Errorf("area %s reads households %v, want %v", code, each, want)
			}
			c, err := s.RoundCompleteness(ctx, rd.ID, code)
			if err != nil {
				t.Fatal(err)
			}
			if got := c.Total().Surveyed; got != len(want) {
				t.Errorf("area %s completeness counts %d surveyed, want %d", code, got, len(want))
			}
		}
	})
}

// storeKeyedElsewhere stores a round with households of a village of
// province 70 (here) and of one of province 71 (there), the first two of
// here keyed by a house code of province 71 and one of province 00.
func storeKeyedElsewhere(t *testing.T, s *store.Store) (rd survey.Round, here, there []*survey.Household, villages []string) {
	t.Helper()
	ctx := context.Background()
	areas, villages := areasOf(t, "70", "71")
	if _, err := s.SyncAreas(ctx, areas, true); err != nil {
		t.Fatal(err)
	}
	eng := mustEngine(t)
	rd = survey.Round{ID: "bmn-2564", Kind: survey.KindBMN, SurveyYear: 2564, SetID: "bmn-2560-2564"}
	if err := s.CreateRound(ctx, rd); err != nil {
		t.Fatal(err)
	}
	here = surveyfile.Example(eng.Set(), villages[0], 6, 41)
	there = surveyfile.Example(eng.Set(), villages[1], 4, 42)
	// Surveyed in province 70's village: a house code of province 71
	// (written by one import), one of province 00, which the register does
	// not hold (written alone, as the web form and a phone write).
	here[0].HouseCode = "71" + fmt.Sprintf("%09d", 17)
	here[1].HouseCode = "00" + fmt.Sprintf("%09d", 18)
	for _, h := range here[:2] {
		for _, p := range survey.Validate(h, eng.Set(), rd.ReferenceDate()) {
			if p.Field == "house_code" || p.Field == "village_code" {
				t.Fatalf("house code %s of village %s refused: %v", h.HouseCode, h.VillageCode, p)
			}
		}
	}
	if _, err := s.WriteHouseholds(ctx, eng, rd.ID, append(slices.Clone(here[:1]), here[2:]...), "import", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.WriteHouseholds(ctx, eng, rd.ID, here[1:2], "form", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportHouseholds(ctx, eng, rd.ID, "import", nil, func(add func(*survey.Household) error) error {
		for _, h := range there {
			if err := add(h); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return rd, here, there, villages
}

// A page of an area's household list reads its records by key, so on
// PostgreSQL each record is read from the one partition holding it: for a
// village, a tambon and a province, the plan's record reads run only in
// the partitions of the page's keys (province 70's, and province 71's and
// the other partition for the households keyed there), and in no other
// province's.
func TestHouseholdPageReadsRecordsFromTheirPartitions(t *testing.T) {
	s := storetest.MustOpenDSN(t, storetest.PostgresDSN(t))
	ctx := context.Background()
	more, others := areasOf(t, "72", "73")
	if _, err := s.SyncAreas(ctx, more, true); err != nil {
		t.Fatal(err)
	}
	rd, _, _, villages := storeKeyedElsewhere(t, s)
	// The village's neighbour in its tambon holds more, so the tambon's and
	// the province's pages are a page of many; province 72 holds
	// thousands, so the round is large enough for its page's records to be
	// looked up by key rather than the round read whole.
	tree, err := area.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	next := tree.Children(villages[0][:6])[1].Code
	eng := mustEngine(t)
	if _, err := s.WriteHouseholds(ctx, eng, rd.ID, append(surveyfile.Example(eng.Set(), next, 120, 43),
		surveyfile.Example(eng.Set(), others[0], 3000, 44)...), "import", nil); err != nil {
		t.Fatal(err)
	}
	if err := s.ExecForTest(ctx, "ANALYZE households"); err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{villages[0], villages[0][:6], villages[0][:2]} {
		q, args := s.HouseholdPageQueryForTest(store.HouseholdQuery{Round: rd.ID, Area: code, Limit: 50})
		rows, err := s.RowsForTest(ctx, "SELECT DISTINCT c.relname::text FROM households h JOIN pg_class c ON c.oid = h.tableoid WHERE h.hh_key IN (SELECT hh_key FROM ("+q+") page)", args...)
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(rows)
		out, err := s.RowsForTest(ctx, "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF, FORMAT JSON) "+q, args...)
		if err != nil {
			t.Fatal(err)
		}
		plan := strings.Join(out, "\n")
		var top []struct{ Plan planNode }
		if err := json.Unmarshal([]byte(plan), &top); err != nil || len(top) != 1 {
			t.Fatalf("plan %v: %v", plan, err)
		}
		read := top[0].Plan.find("Nested Loop")
		if read == nil || len(read.Plans) != 2 {
			t.Fatalf("area %s: the page is not read by a nested loop over its keys:\n%s", code, plan)
		}
		got := read.Plans[1].ran()
		slices.Sort(got)
		got = slices.Compact(got)
		if len(rows) < 2 || !slices.Equal(got, rows) {
			t.Errorf("area %s: records read from %v, want only the partitions of the page's keys %v", code, got, rows)
		}
		t.Logf("area %s: records read from %v", code, got)
	}
}

// planNode is a node of EXPLAIN (FORMAT JSON).
type planNode struct {
	NodeType    string     `json:"Node Type"`
	Relation    string     `json:"Relation Name"`
	ActualLoops float64    `json:"Actual Loops"`
	Plans       []planNode `json:"Plans"`
}

// find returns the first node of the given type, depth first.
func (n *planNode) find(typ string) *planNode {
	if n.NodeType == typ {
		return n
	}
	for i := range n.Plans {
		if f := n.Plans[i].find(typ); f != nil {
			return f
		}
	}
	return nil
}

// ran lists the tables the subtree read: those of its scans that ran.
func (n *planNode) ran() []string {
	var out []string
	if n.Relation != "" && n.ActualLoops > 0 {
		out = append(out, n.Relation)
	}
	for i := range n.Plans {
		out = append(out, n.Plans[i].ran()...)
	}
	return out
}
