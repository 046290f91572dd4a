package dhis2_test

import (
	"context"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"tambon/internal/area"
	"tambon/internal/dhis2"
	"tambon/internal/engine"
	"tambon/internal/gen"
	"tambon/internal/survey"
)

var (
	treeOnce sync.Once
	tree     *area.Tree
	treeErr  error
)

func mustTree(tb testing.TB) *area.Tree {
	tb.Helper()
	treeOnce.Do(func() { tree, treeErr = area.Embedded() })
	if treeErr != nil {
		tb.Fatal(treeErr)
	}
	return tree
}

// round2564 is a จปฐ. round of 2564 judged by the built-in set.
var round2564 = survey.Round{ID: "bmn-2564", Kind: survey.KindBMN, SurveyYear: 2564, SetID: "bmn-2560-2564"}

// mustFigures generates the households of a tambon's villages, works out
// every level's statistics as the store would hold them, and returns the
// round's engine and the exact figures of the subtree, parents first.
func mustFigures(tb testing.TB, tambon string) (*engine.Engine, []dhis2.Figures) {
	tb.Helper()
	eng, err := engine.ForRound(round2564)
	if err != nil {
		tb.Fatal(err)
	}
	opts := gen.Options{Set: eng.Set(), SurveyYear: 2564, RoundID: round2564.ID, Seed: 7}
	villages, err := eng.Recompute(context.Background(), func(yield func(*survey.Household) bool) error {
		return gen.Generate(opts, gen.Villages(mustTree(tb), tambon), func(h *survey.Household) bool { return yield(gen.Clone(h)) })
	}, 1)
	if err != nil {
		tb.Fatal(err)
	}
	all := engine.RollUp(villages, eng.NewTotals)
	var codes []string
	for c := range all {
		if dhis2.InSubtree(c, tambon) {
			codes = append(codes, c)
		}
	}
	dhis2.SortCodes(codes)
	var figs []dhis2.Figures
	for _, c := range codes {
		figs = append(figs, dhis2.FromTotals(eng, c, all[c], true))
	}
	return eng, figs
}

// adxSchema is the ADX XML schema kept beside the package.
var adxSchema = filepath.Join("schema", "adx.xsd")

// xmllint is the schema validator (Debian: libxml2-utils); the test is
// skipped, saying why, only where it is not installed. CI installs it.
func xmllint(tb testing.TB) string {
	tb.Helper()
	p, err := exec.LookPath("xmllint")
	if err != nil {
		tb.Skip("xmllint is not installed (apt-get install libxml2-utils): the ADX schema cannot be checked here")
	}
	return p
}
