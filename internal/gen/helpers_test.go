package gen_test

import (
	"slices"
	"sync"
	"testing"

	"tambon/internal/area"
	"tambon/internal/gen"
	"tambon/internal/indicator"
	"tambon/internal/survey"
	"tambon/internal/tpmap"
)

// mustLookup returns a built-in indicator set by id.
func mustLookup(tb testing.TB, id string) *indicator.Set {
	tb.Helper()
	s, err := indicator.Lookup(id)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// MustSet returns the 2560-2564 indicator set.
func MustSet(tb testing.TB) *indicator.Set {
	tb.Helper()
	s, err := indicator.Lookup(gen.SetID)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

var (
	treeOnce sync.Once
	tree     *area.Tree
	treeErr  error
)

// MustTree returns the embedded national area tree, loaded once.
func MustTree(tb testing.TB) *area.Tree {
	tb.Helper()
	treeOnce.Do(func() { tree, treeErr = area.Embedded() })
	if treeErr != nil {
		tb.Fatal(treeErr)
	}
	return tree
}

// MustTargets returns TPMAP's Ratchaburi 2561 village targets.
func MustTargets(tb testing.TB) map[string]gen.Target {
	tb.Helper()
	common, _, err := tpmap.Ratchaburi2561()
	if err != nil {
		tb.Fatal(err)
	}
	return gen.TargetsFromTPMAP(common.Rows)
}

// Options returns generation options for the 2561 round.
func Options(tb testing.TB, seed uint64, targets map[string]gen.Target) gen.Options {
	return gen.Options{Set: MustSet(tb), SurveyYear: 2561, RoundID: "bmn-2561", Seed: seed, Targets: targets}
}

// sortedKeys returns the target villages under prefix, by code.
func sortedKeys(targets map[string]gen.Target, prefix string) []string {
	var out []string
	for k := range targets {
		if len(k) >= len(prefix) && k[:len(prefix)] == prefix {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// MustGenerate runs Generate and fails the test on an error.
func MustGenerate(tb testing.TB, opts gen.Options, villages []string, yield func(*survey.Household) bool) {
	tb.Helper()
	if err := gen.Generate(opts, villages, yield); err != nil {
		tb.Fatal(err)
	}
}
