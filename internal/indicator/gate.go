package indicator

import (
	"math"

	"tambon/internal/survey"
)

// gate is an indicator's eligibility, compiled: the roster tests (age bands,
// flags, education) are plain fields checked inline, because every person
// indicator runs them for every member; only "when" needs a rule call.
type gate struct {
	ageLo, ageHi int32  // completed years, inclusive
	monLo, monHi int32  // completed months, inclusive
	all, none    uint32 // flags that must be set / must be clear
	edu          uint32 // education ranks allowed, as bits; 0 = any
	when         pred   // further condition, or nil
}

var everyone = gate{ageHi: math.MaxInt32, monHi: math.MaxInt32}

// ok reports whether resident member m (or the household, m < 0) is eligible.
func (g *gate) ok(c *ctx, m int) bool {
	if m >= 0 {
		p := &c.mem[m]
		if p.age < g.ageLo || p.age > g.ageHi || p.months < g.monLo || p.months > g.monHi ||
			p.flags&g.all != g.all || p.flags&g.none != 0 {
			return false
		}
		if g.edu != 0 && (p.edu < 0 || g.edu&(1<<p.edu) == 0) {
			return false
		}
	}
	return g.when == nil || g.when(c, m)
}

// eligible compiles who counts: the age bands, flags and education of a
// member, and any further condition in "when" (the only part a household
// indicator may use).
func (cp *compiler) eligible(e *fileEligible, path string) (gate, error) {
	g := everyone
	person := e.MinAge != nil || e.MaxAge != nil || e.MinAgeMonths != nil || e.MaxAgeMonths != nil ||
		e.Flags != nil || e.NotFlags != nil || e.EducationIn != nil
	if person && !cp.person {
		return g, bi("%s: อายุ สถานะ และการศึกษาใช้กับตัวชี้วัดรายคน ตัวชี้วัดรายครัวเรือนใช้ \"when\"", "%s: ages, flags and education are for person indicators; a household indicator uses \"when\"", path)
	}
	if !person && e.When == nil {
		return g, bi("%s: ว่างเปล่า ถ้าทุกคนเข้าเกณฑ์ให้ละไว้", "%s: empty; leave it out when everybody is eligible", path)
	}
	band := func(lo, hi *int, glo, ghi *int32, what string) error {
		if lo != nil {
			*glo = int32(*lo)
		}
		if hi != nil {
			*ghi = int32(*hi)
		}
		if *glo < 0 || *glo > *ghi {
			return bi("%s: ช่วง %s ต้องเป็น 0 ≤ ต่ำสุด ≤ สูงสุด", "%s: the %s band needs 0 ≤ lowest ≤ highest", path, what)
		}
		return nil
	}
	if err := band(e.MinAge, e.MaxAge, &g.ageLo, &g.ageHi, "age"); err != nil {
		return g, err
	}
	if err := band(e.MinAgeMonths, e.MaxAgeMonths, &g.monLo, &g.monHi, "age-in-months"); err != nil {
		return g, err
	}
	for _, fs := range []struct {
		names []string
		into  *uint32
	}{{e.Flags, &g.all}, {e.NotFlags, &g.none}} {
		for _, name := range fs.names {
			f, ok := flagNames[name]
			if !ok {
				return g, bi("%s: ไม่มีสถานะ %q", "%s: unknown flag %q", path, name)
			}
			*fs.into |= f
		}
	}
	for _, code := range e.EducationIn {
		rank, ok := survey.EducationRank(code)
		if !ok {
			return g, bi("%s: ไม่มีระดับการศึกษา %q", "%s: unknown education level %q", path, code)
		}
		g.edu |= 1 << rank
	}
	if e.When != nil {
		n, err := cp.compile(e.When, path+".when")
		if err != nil {
			return g, err
		}
		g.when = n.eval
	}
	return g, nil
}
