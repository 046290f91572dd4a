package indicator_test

import (
	"testing"

	"tambon/internal/indicator"
)

// BenchmarkEvaluateCountsWithBind is the one-call Set.EvaluateCounts: bind a
// typical three-person household (answers from maps into slots, ages) and
// count all 31 indicators.
func BenchmarkEvaluateCountsWithBind(b *testing.B) {
	s, h := mustSet(b, "bmn-2560-2564"), base60()
	out := make([]indicator.Outcome, 0, len(s.Indicators))
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		out = s.EvaluateCounts(h, year, out)
	}
	cpuNsPerOp(b, start)
}

// BenchmarkEvaluateCounts is the hot path: all 31 indicators counted for a
// typical three-person household already bound to the set (answers in slot
// form), as a recompute loop runs it.
func BenchmarkEvaluateCounts(b *testing.B) {
	s, h := mustSet(b, "bmn-2560-2564"), base60()
	e := s.NewEvaluator()
	e.Bind(h, year)
	out := make([]indicator.Outcome, 0, len(s.Indicators))
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		out = e.Counts(out)
	}
	cpuNsPerOp(b, start)
}

// BenchmarkBind is loading a household into an Evaluator.
func BenchmarkBind(b *testing.B) {
	s, h := mustSet(b, "bmn-2560-2564"), base60()
	e := s.NewEvaluator()
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		e.Bind(h, year)
	}
	cpuNsPerOp(b, start)
}

// BenchmarkPersonDeprivations is the per-member, per-indicator pass the MPI needs.
func BenchmarkPersonDeprivations(b *testing.B) {
	s, h := mustSet(b, "bmn-2560-2564"), base60()
	var n int
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		s.PersonDeprivations(h, year, func(_, _ int, _, deprived bool) {
			if deprived {
				n++
			}
		})
	}
	cpuNsPerOp(b, start)
}

// BenchmarkExplain is the slow path with reasons, for pages.
func BenchmarkExplain(b *testing.B) {
	s, h := mustSet(b, "bmn-2560-2564"), base60()
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		s.Explain(h, year)
	}
	cpuNsPerOp(b, start)
}

// BenchmarkBindRosterJudge is the columnar recompute's hot path: the same
// household bound from slot arrays and a packed roster (no maps, no
// time.Time), then judged once for counts and every member's deprivations.
func BenchmarkBindRosterJudge(b *testing.B) {
	s, h := mustSet(b, "bmn-2560-2564"), base60()
	hh, roster, per := slotForm(s, h)
	e := s.NewEvaluator()
	var out []indicator.Outcome
	var failed []uint64
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		e.BindRoster(year, hh, roster, per, h.Income, h.Savings, h.Debt)
		out, failed = e.Judge(out, failed)
	}
	cpuNsPerOp(b, start)
}
