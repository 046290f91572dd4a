package engine

import (
	"cmp"
	"slices"

	"tambon/internal/apperr"
	"tambon/internal/indicator"
	"tambon/internal/mpi"
)

// DefaultTarget is the target share passing (%) of an indicator with no
// target of its own: the จปฐ. aim is that everybody passes.
const DefaultTarget = 100.0

// IndicatorResult is one indicator's figures in an area, as the area's page
// and the plan's problem list show them.
type IndicatorResult struct {
	Code   string
	Number int
	Name   apperr.Text
	Group  string
	Unit   indicator.Unit

	Surveyed  int64   // eligible units: the denominator
	Passed    int64   //
	Failed    int64   // Surveyed − Passed: the households or people still to reach
	PassedPct float64 // 0..100; 0 when nobody was surveyed
	FailedPct float64 // 100 − PassedPct when anybody was surveyed, else 0

	// Withheld: the counts are hidden from the public (Totals.Withheld):
	// every count above is 0, as for an indicator nobody was surveyed for,
	// so nothing that reads them can show them; pages say "hidden".
	// WithheldSurveyed is the eligible count when that is shown (0 when it
	// is hidden too).
	Withheld         bool
	WithheldSurveyed int64
	// ChangeWithheld: both rounds surveyed somebody but one of them hides
	// the counts, so the change is hidden too (it would reveal them).
	ChangeWithheld bool

	Target      float64 // % passing aimed at
	MeetsTarget bool    // PassedPct ≥ Target; false when nobody was surveyed

	// HasPrev is set when the previous round surveyed anybody for this
	// indicator and this round did too: the changes are then defined.
	HasPrev         bool
	ChangePassedPct float64 // percentage points, this round − previous
	ChangeFailed    int64   // failed units, this round − previous

	order int // set order, the last tie-break of Problems
}

// GroupResult summarises one หมวด: how many of its indicators were assessed
// (anybody surveyed) and how many meet their targets. Units differ between
// indicators (people, households), so it counts indicators, not people.
type GroupResult struct {
	Code        string
	Name        apperr.Text
	Indicators  int // in the set
	Assessed    int // with anybody surveyed
	MeetTarget  int
	BelowTarget int   // Assessed − MeetTarget
	Failed      int64 // failed units over its indicators, for ranking groups only
	// Withheld counts its indicators whose counts are hidden from the
	// public: they are neither assessed nor below target here.
	Withheld int
}

// Report is an area's จปฐ. figures for one round.
type Report struct {
	Households      int64
	People          int64
	NetIncome       int64
	IncomePerPerson float64 // NetIncome / People, baht a person a year; 0 with nobody
	HasPrev         bool    // a previous round was given
	// WithheldBelow is the public threshold when anything is hidden (0
	// otherwise); AreaWithheld when the whole area is (too few households
	// or people). HouseholdsWithheld, PeopleWithheld and IncomeWithheld say
	// which of the first three figures are hidden (then 0 above).
	WithheldBelow      int64
	AreaWithheld       bool
	HouseholdsWithheld bool
	PeopleWithheld     bool
	IncomeWithheld     bool
	Indicators         []IndicatorResult
	Groups             []GroupResult
}

// Results works out an area's report from its Totals. prev is the same area
// in the previous round (nil when there is none); targets maps indicator
// codes to the % passing aimed at (DefaultTarget when absent).
func Results(set *indicator.Set, cur *Totals, prev *Totals, targets map[string]float64) Report {
	r := Report{Households: cur.Households, People: cur.People, NetIncome: cur.NetIncome, HasPrev: prev != nil,
		Indicators: make([]IndicatorResult, len(set.Indicators))}
	if w := cur.Withheld; w != nil {
		r.WithheldBelow, r.AreaWithheld = w.Below, w.Area
		r.HouseholdsWithheld, r.PeopleWithheld, r.IncomeWithheld = w.Households, w.People, w.Income
	}
	if cur.People > 0 && !r.IncomeWithheld && !r.PeopleWithheld {
		r.IncomePerPerson = float64(cur.NetIncome) / float64(cur.People)
	}
	for i := range set.Indicators {
		ind := &set.Indicators[i]
		var c Count
		if i < len(cur.Indicators) {
			c = cur.Indicators[i]
		}
		target, ok := targets[ind.Code]
		if !ok {
			target = DefaultTarget
		}
		ir := IndicatorResult{Code: ind.Code, Number: ind.Number, Name: ind.Name, Group: ind.Group, Unit: ind.Unit,
			Surveyed: c.Eligible, Passed: c.Passed, Failed: c.Eligible - c.Passed, Target: target, order: i}
		if c.Eligible > 0 {
			ir.PassedPct = pct(c.Passed, c.Eligible)
			ir.FailedPct = 100 - ir.PassedPct
			// Compare in integers-as-floats, not with the rounded percentage:
			// 2 of 3 passing meets a target of 66.66… exactly when it should.
			ir.MeetsTarget = float64(c.Passed)*100 >= target*float64(c.Eligible)
		}
		if prev != nil && i < len(prev.Indicators) && prev.Indicators[i].Eligible > 0 && c.Eligible > 0 {
			p := prev.Indicators[i]
			ir.HasPrev = true
			ir.ChangePassedPct = ir.PassedPct - pct(p.Passed, p.Eligible)
			ir.ChangeFailed = ir.Failed - (p.Eligible - p.Passed)
		}
		if w := cur.Withheld; w != nil && i < len(w.Indicators) && w.Indicators[i] {
			ir.Withheld, ir.WithheldSurveyed = true, w.Eligible[i]
		}
		if prev != nil && !ir.HasPrev && (ir.Withheld && prevSurveyed(prev, i) || c.Eligible > 0 && prevHidden(prev, i)) {
			ir.ChangeWithheld = true
		}
		r.Indicators[i] = ir
	}
	for _, g := range set.Groups {
		gr := GroupResult{Code: g.Code, Name: g.Name}
		for _, ir := range r.Indicators {
			if ir.Group != g.Code {
				continue
			}
			gr.Indicators++
			gr.Failed += ir.Failed
			if ir.Withheld {
				gr.Withheld++
			}
			if ir.Surveyed == 0 {
				continue
			}
			gr.Assessed++
			if ir.MeetsTarget {
				gr.MeetTarget++
			}
		}
		gr.BelowTarget = gr.Assessed - gr.MeetTarget
		r.Groups = append(r.Groups, gr)
	}
	return r
}

// prevSurveyed reports whether the previous round shows or hides anybody
// surveyed for indicator i.
func prevSurveyed(prev *Totals, i int) bool {
	return i < len(prev.Indicators) && prev.Indicators[i].Eligible > 0 || prevHidden(prev, i)
}

// prevHidden reports whether the previous round hides indicator i's counts.
func prevHidden(prev *Totals, i int) bool {
	w := prev.Withheld
	return w != nil && i < len(w.Indicators) && w.Indicators[i]
}

func pct(part, whole int64) float64 { return float64(part) * 100 / float64(whole) }

// Problems ranks the indicators with anybody failing, most failed units
// first; ties go to the lower % passing, then to set order. It is the
// starting list of a village plan: where the most households or people are
// still to be reached.
func (r Report) Problems() []IndicatorResult {
	var out []IndicatorResult
	for _, ir := range r.Indicators {
		if ir.Failed > 0 {
			out = append(out, ir)
		}
	}
	slices.SortStableFunc(out, func(a, b IndicatorResult) int {
		if c := cmp.Compare(b.Failed, a.Failed); c != 0 {
			return c
		}
		// a.Passed/a.Surveyed vs b.Passed/b.Surveyed, exactly.
		if c := cmp.Compare(a.Passed*b.Surveyed, b.Passed*a.Surveyed); c != 0 {
			return c
		}
		return cmp.Compare(a.order, b.order)
	})
	return out
}

// Poverty computes the MPI of an area from its Totals at cut-off k (the
// index's own K when k is zero). Totals without MPI counts are an
// apperr.Invalid error.
func Poverty(t *Totals, k mpi.Frac) (mpi.Result, error) {
	if t.Poverty == nil || t.Poverty.Index() == nil {
		return mpi.Result{}, apperr.New(apperr.Invalid, apperr.T(
			"ไม่มีสถิติความยากจนหลายมิติสำหรับรอบนี้", "this round keeps no multidimensional poverty statistics"))
	}
	if k.IsZero() {
		k = t.Poverty.Index().K()
	}
	return t.Poverty.Result(k)
}
