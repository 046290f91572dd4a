package dhis2

import (
	"strconv"
	"time"

	"tambon/internal/engine"
	"tambon/internal/survey"
)

// Figures are one area's figures of a round as the caller may see them: a
// nil figure is withheld (or unknown) and has no data value, never 0.
type Figures struct {
	Area       string
	Households *int64
	People     *int64
	NetIncome  *int64
	Indicators []IndicatorFigures // in set order
	MPI        *PovertyFigures
	// Cover is what the figures stand on and whether they are certified;
	// nil: not known, and nothing is said.
	Cover *Cover
}

// IndicatorFigures are one indicator's counts.
type IndicatorFigures struct {
	Surveyed, Passed, Failed *int64
}

// PovertyFigures are the poverty index: the headline figures, and, for
// exact figures only, the people by deprivation score and, per score, how
// many are deprived in each indicator (what the index is computed from, and
// what an imported round needs to compute it again).
type PovertyFigures struct {
	N, Q     *int64
	H, A, M0 *float64
	ByScore  []int64   // nil: not given
	Deprived [][]int64 // [score][spec indicator]
}

// FromTotals are exact figures from statistics. income says whether the
// round holds incomes (an aggregate round does not).
func FromTotals(eng *engine.Engine, code string, t *engine.Totals, income bool) Figures {
	f := Figures{Area: code, Households: ptr(t.Households), People: ptr(t.People)}
	if income {
		f.NetIncome = ptr(t.NetIncome)
	}
	for _, c := range t.Indicators {
		f.Indicators = append(f.Indicators, IndicatorFigures{Surveyed: ptr(c.Eligible), Passed: ptr(c.Passed), Failed: ptr(c.Eligible - c.Passed)})
	}
	if res, _, ok := engine.PublicPoverty(t); ok && eng.Poverty() != nil {
		p := &PovertyFigures{N: ptr(res.N), Q: ptr(res.Q), H: ptr(res.H), A: ptr(res.A), M0: ptr(res.M0)}
		p.ByScore = append([]int64(nil), t.Poverty.ByScore...)
		for _, row := range t.Poverty.Deprived {
			p.Deprived = append(p.Deprived, append([]int64(nil), row...))
		}
		f.MPI = p
	}
	return f
}

func ptr[T any](v T) *T { return &v }

// Value is one DHIS2 data value, named by the mapping's objects.
type Value struct {
	DataElement *DataElement
	Option      *Option // nil: the default combination
	Category    *Category
	OrgUnit     string // area code
	Period      string
	Value       string
	// Comment is said beside the value in DHIS2 (a data value's comment,
	// ADX's annotation): the coverage and the certification in words.
	Comment string
	// Complete is when the province certified the area's figures, zero
	// when they are not certified: DHIS2's completeDate of the area.
	Complete time.Time
}

// COC is the value's category option combination UID.
func (v Value) COC() string {
	if v.Option == nil {
		return DefaultCOC
	}
	return v.Option.COC
}

// Values are the data values of figures of round r, area by area in the
// order given, each area's in the mapping's order. A zero count is written
// (zero is a figure); a withheld one is not. Rows of the deprivation score
// that no one has are left out, as the store leaves them out.
func (m *Mapping) Values(r survey.Round, set []Figures) []Value {
	pe := m.Period(r)
	var out []Value
	for _, f := range set {
		add := func(key string, opt *Option, v string) {
			e := m.index.de[key]
			if e == nil {
				return
			}
			val := Value{DataElement: e, Option: opt, OrgUnit: f.Area, Period: pe, Value: v}
			if opt != nil {
				val.Category = m.index.cat[e.Category]
			}
			out = append(out, val)
		}
		count := func(key string, n *int64) {
			if n != nil {
				add(key, nil, strconv.FormatInt(*n, 10))
			}
		}
		first := len(out)
		count(KeyHouseholds, f.Households)
		count(KeyPeople, f.People)
		count(KeyNetIncome, f.NetIncome)
		own, covered := len(out), len(out) // the area's figures before its cover; after it
		if c := f.Cover; c != nil {
			noted := func(key string, n int, comment string) {
				k := len(out)
				if add(key, nil, strconv.Itoa(n)); len(out) > k {
					out[k].Comment = comment
				}
			}
			noted(KeyVillagesWithData, c.VillagesWithData, c.coverageNote())
			noted(KeyVillages, c.Villages, "")
			if c.Reviewed {
				noted(KeyTambons, c.Tambons, "")
				noted(KeyTambonsCertified, c.Certified, c.certificationNote())
			}
			covered = len(out)
		}
		passed, failed := m.index.option[catResult+"/"+optPassed].opt, m.index.option[catResult+"/"+optFailed].opt
		for i, in := range f.Indicators {
			code := m.indicatorCode(i)
			count(keySurveyed(code), in.Surveyed)
			if in.Passed != nil {
				add(keyResult(code), passed, strconv.FormatInt(*in.Passed, 10))
			}
			if in.Failed != nil {
				add(keyResult(code), failed, strconv.FormatInt(*in.Failed, 10))
			}
		}
		if p := f.MPI; p != nil && m.MPISpec != "" {
			count(KeyMPIN, p.N)
			count(KeyMPIQ, p.Q)
			ratio := func(key string, x *float64) {
				if x != nil {
					add(key, nil, strconv.FormatFloat(*x, 'f', 4, 64))
				}
			}
			ratio(KeyMPIH, p.H)
			ratio(KeyMPIA, p.A)
			ratio(KeyMPIM0, p.M0)
			for s, n := range p.ByScore {
				if n == 0 {
					continue
				}
				opt := m.index.option[catScore+"/"+keyScoreOption(s)].opt
				add(KeyMPIScore, opt, strconv.FormatInt(n, 10))
				for j, id := range m.mpiIndicators() {
					if j < len(p.Deprived[s]) {
						add(keyDeprived(id), opt, strconv.FormatInt(p.Deprived[s][j], 10))
					}
				}
			}
		}
		if own == first && covered == len(out) && f.Cover.VillagesWithData == 0 {
			out = out[:first] // nothing of the area is in the figures (all left out): nothing to say
			continue
		}
		if f.Cover.IsCertified() && !f.Cover.CertifiedOn.IsZero() {
			for i := first; i < len(out); i++ {
				out[i].Complete = f.Cover.CertifiedOn
			}
		}
	}
	return out
}
