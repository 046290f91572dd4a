package store_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"tambon/internal/engine"
	"tambon/internal/store"
	"tambon/internal/store/storetest"
	"tambon/internal/survey"
	"tambon/internal/surveyfile"
)

// On PostgreSQL a bulk import writes by COPY; the row path (multi-row
// INSERTs, one UPDATE a changed household) is what every other write and
// SQLite use. The same imports through both leave the same database: the
// same households (ids, versions, stored forms, times, writers), history,
// citizen-ID index, statistics of every level, kept columns and
// statistics generation — for a first import, and for a re-import that
// leaves some households alone, changes others, adds new ones and moves a
// person from one household to another.
func TestCopyImportEqualsRowImport(t *testing.T) {
	dsnCopy, dsnRow := storetest.PostgresDSN(t), storetest.PostgresDSN(t)
	byCopy, byRow := storetest.MustOpenDSN(t, dsnCopy), storetest.MustOpenDSN(t, dsnRow)
	byRow.SetRowImportForTest(true)
	ctx := context.Background()
	eng, round := mustImportRound(t, byCopy)
	if err := byRow.CreateRound(ctx, round); err != nil {
		t.Fatal(err)
	}

	first := surveyfile.Example(eng.Set(), "70051304", 1300, 41)
	first = append(first, surveyfile.Example(eng.Set(), "70051305", 400, 42)...)
	// The second import: the first 600 households as they are, the next
	// 700 changed, 350 new ones, and a person moved from one changed
	// household into another.
	second := make([]*survey.Household, 0, 1650)
	for i, h := range first[:1300] {
		c := *h
		c.Members = slices.Clone(h.Members)
		if i >= 600 {
			c.Income.Other += int64(1000 + i)
			c.Collector = "second visit"
		}
		second = append(second, &c)
	}
	from, to := second[700], second[701]
	moved := from.Members[len(from.Members)-1]
	from.Members = from.Members[:len(from.Members)-1]
	moved.No = len(to.Members) + 1
	to.Members = append(to.Members, moved)
	second = append(second, surveyfile.Example(eng.Set(), "70051306", 350, 43)...)

	for _, step := range []struct {
		name string
		hs   []*survey.Household
		want store.WriteSummary
	}{
		{"first import", first, store.WriteSummary{Inserted: 1700}},
		{"re-import", second, store.WriteSummary{Unchanged: 600, Updated: 700, Inserted: 350}},
	} {
		for _, s := range []*store.Store{byCopy, byRow} {
			sum, err := s.ImportHouseholds(ctx, eng, round.ID, "import", nil, func(add func(*survey.Household) error) error {
				for _, h := range step.hs {
					if err := add(h); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil || sum != step.want {
				t.Fatalf("%s: %+v, %v; want %+v", step.name, sum, err, step.want)
			}
			assertStatsMatch(t, s, eng, round.ID)
		}
		assertSameRows(t, step.name, byCopy, byRow)
	}
	assertHistory(t, byCopy, eng, round.ID, second[650].Key())
}

// assertSameRows compares everything a household import writes.
func assertSameRows(t *testing.T, when string, a, b *store.Store) {
	t.Helper()
	ctx := context.Background()
	for _, q := range []string{
		`SELECT id, round_id, hh_key, village_code, house_code, house_no, status, data, version, created_at, updated_at, updated_by
		 FROM households ORDER BY id`,
		"SELECT round_id, hh_key, version, changed_at, changed_by, changes FROM household_history ORDER BY round_id, hh_key, version",
		"SELECT round_id, citizen_id, hh_key, member_no FROM members ORDER BY round_id, citizen_id",
		"SELECT round_id, area_code, households, people, net_income, indicators, poverty FROM area_stats ORDER BY round_id, area_code",
		"SELECT round_id, village_code, layout, households, encode(data, 'hex') FROM household_columns ORDER BY round_id, village_code",
		"SELECT key, value FROM meta ORDER BY key",
	} {
		ra, err := a.RowsForTest(ctx, q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		rb, err := b.RowsForTest(ctx, q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		if len(ra) == 0 && !strings.Contains(q, "household_history") {
			t.Errorf("%s: %s read no rows", when, q)
		}
		if !slices.Equal(ra, rb) {
			n := 0
			for i := range min(len(ra), len(rb)) {
				if ra[i] != rb[i] {
					at := 0
					for at < min(len(ra[i]), len(rb[i])) && ra[i][at] == rb[i][at] {
						at++
					}
					from := max(0, at-60)
					t.Errorf("%s: %s\nrow %d differs from byte %d: by COPY …%.160s\nby rows …%.160s", when, q, i, at, ra[i][from:], rb[i][from:])
					if n++; n == 3 {
						break
					}
				}
			}
			t.Errorf("%s: %s: %d rows by COPY, %d by rows, and they differ", when, q, len(ra), len(rb))
		}
	}
}

// assertHistory checks that a household changed by a COPY re-import has
// its history entry, readable as an edit.
func assertHistory(t *testing.T, s *store.Store, _ *engine.Engine, round, key string) {
	t.Helper()
	h, err := s.HouseholdHistory(context.Background(), round, key)
	if err != nil {
		t.Fatal(err)
	}
	if len(h) != 1 || h[0].Version != 2 || h[0].ChangedBy != "import" || len(h[0].Changes) == 0 {
		t.Fatalf("history of %s after a COPY re-import: %+v", key, h)
	}
}
