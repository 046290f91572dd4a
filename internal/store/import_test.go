package store_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"tambon/internal/engine"
	"tambon/internal/indicator"
	"tambon/internal/mpi"
	"tambon/internal/store"
	"tambon/internal/survey"
	"tambon/internal/surveyfile"
	"tambon/internal/tabular"
)

// importNow is the clock imports read with: after every example round.
func importNow() time.Time { return time.Date(2027, time.June, 30, 5, 0, 0, 0, time.UTC) }

// mustImportEngine is the engine of the example round: the 2560-2564 set
// with TPMAP's poverty index.
func mustImportEngine(tb testing.TB) *engine.Engine {
	tb.Helper()
	set, err := indicator.Lookup("bmn-2560-2564")
	if err != nil {
		tb.Fatal(err)
	}
	pov, err := mpi.New(mpi.TPMAP())
	if err != nil {
		tb.Fatal(err)
	}
	eng, err := engine.New(set, surveyfile.ExampleRound(set).SurveyYear, pov)
	if err != nil {
		tb.Fatal(err)
	}
	return eng
}

// mustWriteFile writes households in the import template to dir/name, as
// CSV or XLSX by the name's extension.
func mustWriteFile(tb testing.TB, dir, name string, set *indicator.Set, hs []*survey.Household) string {
	tb.Helper()
	path := filepath.Join(dir, name)
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	var w tabular.Writer = tabular.NewCSVWriter(f)
	if filepath.Ext(name) == ".xlsx" {
		w = tabular.NewXLSXWriter(f)
	}
	if err := surveyfile.Write(w, set, hs); err != nil {
		tb.Fatal(err)
	}
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
	return path
}

// importFile does what `tambon import households FILE --round R` does: read
// the file twice (surveyfile.Stream), writing each valid household as the
// second reading hands it on, in one transaction with the members' index and
// the statistics of every level; a problem means nothing is written.
func importFile(tb testing.TB, s *store.Store, eng *engine.Engine, round survey.Round, path string) store.WriteSummary {
	tb.Helper()
	ctx := context.Background()
	open := func(pass int) (*tabular.Reader, error) {
		return tabular.OpenFile(path, tabular.Options{Expect: surveyfile.Columns(eng.Set()), Checked: pass == 2})
	}
	var res *surveyfile.Summary
	sum, err := s.ImportHouseholds(ctx, eng, round.ID, "import", nil, func(add func(*survey.Household) error) error {
		var err error
		res, err = surveyfile.Stream(open, eng.Set(), round, surveyfile.ReadOptions{Now: importNow}, func(h *survey.Household, problems int) error {
			if problems > 0 {
				return nil
			}
			return add(h)
		})
		if err == nil && len(res.Problems) > 0 {
			err = res.Problems
		}
		return err
	})
	if err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
	return sum
}
