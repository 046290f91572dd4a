package engine_test

import (
	"slices"
	"testing"

	"tambon/internal/engine"
	"tambon/internal/mpi"
	"tambon/internal/survey"
)

func TestTarget(t *testing.T) {
	e := MustEngine(t, true)
	w := e.Worker()
	poorer := func() *survey.Household {
		h := base()
		h.Income.MainOccupation = 60000                  // 22 failed: everybody deprived in income (4/60)
		h.Members[2].Answers["q16"] = survey.Bool(false) // 16 failed: the child also in compulsory education (3/60)
		return h
	}
	for _, c := range []struct {
		name    string
		h       func() *survey.Household
		f       engine.Filter
		hit     bool
		matched []string
	}{
		{"failed a chosen indicator", poorer, engine.Filter{Indicators: []string{"9", "22"}}, true, []string{"indicator:22"}},
		{"chosen indicator passed", poorer, engine.Filter{Indicators: []string{"9"}}, false, nil},
		{"poor at k = 1/10: the child's 7/60", poorer, engine.Filter{PoorAt: mpi.F(1, 10)}, true, []string{"poor"}},
		{"nobody poor at k = 1/5", poorer, engine.Filter{PoorAt: mpi.F(1, 5)}, false, nil},
		{"deprived in education", poorer, engine.Filter{Dimensions: []string{"health", "education"}}, true, []string{"dimension:education"}},
		{"not deprived in health", poorer, engine.Filter{Dimensions: []string{"health"}}, false, nil},
		{"empty filter: any failed indicator", poorer, engine.Filter{}, true, []string{"failed"}},
		{"empty filter, nothing failed", base, engine.Filter{}, false, nil},
		{"drafts are never targeted", func() *survey.Household { h := poorer(); h.Status = survey.Draft; return h }, engine.Filter{}, false, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			hit, ok := engine.Target(w, c.h(), c.f)
			if ok != c.hit || !slices.Equal(hit.Matched, c.matched) {
				t.Fatalf("hit = %v, matched %v; want %v, %v", ok, hit.Matched, c.hit, c.matched)
			}
			if !ok {
				return
			}
			if !slices.Equal(hit.Failed, []string{"16", "22"}) || hit.Score != mpi.F(7, 60) || len(hit.People) != 3 {
				t.Fatalf("failed %v, score %v, %d people; want [16 22], 7/60, 3", hit.Failed, hit.Score, len(hit.People))
			}
			child := hit.People[2]
			if child.Member != 2 || child.Score != mpi.F(7, 60) || !slices.Equal(child.Deprived, []string{"compulsory_education", "income"}) {
				t.Fatalf("child: %+v", child)
			}
			if len(hit.Reasons) != 2 || hit.Reasons[0].Code != "16" || hit.Reasons[1].Code != "22" || hit.Reasons[1].Text.EN == "" {
				t.Fatalf("reasons: %+v", hit.Reasons)
			}
		})
	}
}
