package store_test

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"tambon/internal/engine"
	"tambon/internal/indicator"
	"tambon/internal/store"
	"tambon/internal/store/storetest"
	"tambon/internal/survey"
	"tambon/internal/surveyfile"
	"tambon/internal/tabular"
)

// A generated 10,000-household file imports, exports and re-imports
// identically: the second import finds every household unchanged, and the
// exported file holds the same households as the original.
func TestImportExportReimportIsIdentical(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 10,000 households twice")
	}
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		eng := mustImportEngine(t)
		round := surveyfile.ExampleRound(eng.Set())
		if err := s.CreateRound(ctx, round); err != nil {
			t.Fatal(err)
		}
		const n = 10_000
		dir := t.TempDir()
		original := mustWriteFile(t, dir, "households.csv", eng.Set(), surveyfile.Example(eng.Set(), "70051304", n, 11))

		if sum := importFile(t, s, eng, round, original); sum != (store.WriteSummary{Inserted: n}) {
			t.Fatalf("first import: %+v", sum)
		}
		assertStatsMatch(t, s, eng, round.ID)
		if s.Dialect() == "postgres" { // a bulk import leaves PostgreSQL's statistics current
			rows, err := s.QueryIntForTest(ctx, "SELECT reltuples::bigint FROM pg_class WHERE oid = 'members'::regclass")
			if err != nil || rows < n {
				t.Errorf("PostgreSQL estimates %d members after importing %d households (err %v): not analysed", rows, n, err)
			}
		}

		exported := mustExport(t, s, eng.Set(), round.ID, filepath.Join(dir, "exported.csv"))
		if sum := importFile(t, s, eng, round, exported); sum != (store.WriteSummary{Unchanged: n}) {
			t.Fatalf("re-import of the export: %+v, want %d unchanged", sum, n)
		}
		want, got := readByKey(t, eng, round, original), readByKey(t, eng, round, exported)
		if len(got) != n || len(want) != n {
			t.Fatalf("the export holds %d households, the original %d, want %d", len(got), len(want), n)
		}
		for key, h := range want {
			if !reflect.DeepEqual(got[key], h) {
				t.Fatalf("household %s differs after export:\n got %+v\nwant %+v", key, got[key], h)
			}
		}
		assertStatsMatch(t, s, eng, round.ID)
	})
}

// mustExport writes a round's households to path as `tambon export
// households` does.
func mustExport(t *testing.T, s *store.Store, set *indicator.Set, round, path string) string {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := tabular.NewCSVWriter(f)
	var serr error
	seq := func(yield func(*survey.Household) bool) {
		serr = s.EachHousehold(context.Background(), round, "TH", func(r survey.Record) error {
			if !yield(r.Household) {
				return context.Canceled
			}
			return nil
		})
	}
	if err := surveyfile.WriteSeq(w, set, seq); err != nil {
		t.Fatal(err)
	}
	if serr != nil {
		t.Fatal(serr)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// readByKey reads a file's households, which must all be valid, by key.
func readByKey(t *testing.T, eng *engine.Engine, round survey.Round, path string) map[string]*survey.Household {
	t.Helper()
	rd, err := tabular.OpenFile(path, tabular.Options{Expect: surveyfile.Columns(eng.Set())})
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	res, err := surveyfile.Read(rd, eng.Set(), round, surveyfile.ReadOptions{Now: importNow})
	if err != nil || len(res.Problems) > 0 {
		t.Fatalf("read %s: %v %v", path, err, res.Problems)
	}
	out := make(map[string]*survey.Household, len(res.Households))
	for _, h := range res.Households {
		out[h.Key()] = h
	}
	return out
}
