package mpi

import (
	"fmt"

	"tambon/internal/apperr"
)

// MaxIndicators is the most indicators a Spec may have: a person's
// deprivations are one uint64 bitset, which keeps the per-person hot path
// free of allocation.
const MaxIndicators = 64

// Spec describes a multidimensional poverty measure: which indicators, how
// they are grouped into dimensions, how much each weighs, and the cut-offs.
// A custom Spec is stored per installation as JSON; New validates and
// compiles it.
//
// Conventions, following Alkire and Foster (2011) and OPHI:
//   - A person is deprived in an indicator when the survey indicator it maps to
//     is failed (or, in Calculate, when the achievement is strictly below the
//     indicator's cut-off). A person to whom an indicator does not apply (no
//     child of school age, no elderly member) counts as not deprived in it;
//     resolving that is the caller's job.
//   - Weights are relative: they are divided by their sum, so "1, 1, 2" and
//     "1/4, 1/4, 1/2" are the same measure.
//   - The deprivation score c is the sum of the normalised weights of the
//     indicators a person is deprived in, so 0 ≤ c ≤ 1.
//   - K, Vulnerable and Severe are fractions of the total weight (c's scale),
//     never weight units: K = 1/3 means "deprived in a third of the weighted
//     indicators". A person is poor when c ≥ K, vulnerable when
//     Vulnerable ≤ c < K (near poverty but not poor; OPHI's 20–33.3% band
//     when K = 1/3), and in severe poverty when c ≥ max(K, Severe).
type Spec struct {
	ID         string      `json:"id"`
	Name       apperr.Text `json:"name"`
	Provenance string      `json:"provenance,omitempty"` // where the spec comes from and how sure we are
	Dimensions []Dimension `json:"dimensions"`
	Indicators []Indicator `json:"indicators"`
	K          Frac        `json:"k"`                   // poverty cut-off, a fraction of the total weight, 0 < K ≤ 1
	Vulnerable Frac        `json:"vulnerable,omitzero"` // vulnerability cut-off; unset means DefaultVulnerable
	Severe     Frac        `json:"severe,omitzero"`     // severe-poverty cut-off; unset means DefaultSevere
}

// The global MPI conventions of OPHI and UNDP (HDR technical notes):
// vulnerable to poverty when the score is 20% up to the poverty cut-off,
// severely poor at 50% or more.
var (
	DefaultVulnerable = F(1, 5)
	DefaultSevere     = F(1, 2)
)

// Dimension is a group of indicators (health, education, …). Its weight is
// the sum of its indicators' weights; its contribution to M0 is the sum of
// theirs.
type Dimension struct {
	ID   string      `json:"id"`
	Name apperr.Text `json:"name"`
}

// Indicator is one deprivation a person can have.
type Indicator struct {
	ID        string      `json:"id"`
	Name      apperr.Text `json:"name"`
	Dimension string      `json:"dimension"` // a Dimension.ID
	Weight    Frac        `json:"weight"`    // relative, positive
	// Maps says where the deprivation comes from, for the caller to resolve:
	// a survey indicator code such as "bmn-2560-2564:22" (deprived when the
	// indicator is failed), or an answer key. This package does not read it.
	Maps string `json:"maps,omitempty"`
}

// Validate checks s and returns every problem found as apperr.Problems,
// each located by its field (e.g. "indicators[3].weight"), or nil.
func (s Spec) Validate() error {
	var ps apperr.Problems
	add := func(field, value string, reason apperr.Text) {
		ps = append(ps, apperr.Problem{Field: field, Value: value, Reason: reason})
	}
	if len(s.Dimensions) == 0 {
		add("dimensions", "", apperr.T("ต้องมีอย่างน้อยหนึ่งมิติ", "There must be at least one dimension."))
	}
	if len(s.Indicators) == 0 {
		add("indicators", "", apperr.T("ต้องมีตัวชี้วัดอย่างน้อยหนึ่งตัว", "There must be at least one indicator."))
	}
	if len(s.Indicators) > MaxIndicators {
		add("indicators", fmt.Sprint(len(s.Indicators)), apperr.Tf(
			"มีตัวชี้วัดได้ไม่เกิน %d ตัว", "There can be at most %d indicators.", MaxIndicators))
	}
	dims := make(map[string]int, len(s.Dimensions))
	for i, d := range s.Dimensions {
		f := fmt.Sprintf("dimensions[%d]", i)
		checkID(add, f, d.ID, i, dims)
		checkName(add, f, d.Name)
	}
	used := make(map[string]bool, len(s.Dimensions))
	inds := make(map[string]int, len(s.Indicators))
	for i, in := range s.Indicators {
		f := fmt.Sprintf("indicators[%d]", i)
		checkID(add, f, in.ID, i, inds)
		checkName(add, f, in.Name)
		if _, ok := dims[in.Dimension]; !ok {
			add(f+".dimension", in.Dimension, apperr.T(
				"ไม่มีมิตินี้ในรายการมิติ", "There is no dimension with this id."))
		}
		used[in.Dimension] = true
		if in.Weight.Den <= 0 || in.Weight.Num <= 0 {
			add(f+".weight", in.Weight.String(), apperr.T(
				"น้ำหนักต้องมากกว่าศูนย์", "The weight must be more than zero."))
		}
	}
	for i, d := range s.Dimensions {
		if d.ID != "" && !used[d.ID] {
			add(fmt.Sprintf("dimensions[%d]", i), d.ID, apperr.T(
				"มิตินี้ไม่มีตัวชี้วัด (น้ำหนักเป็นศูนย์)", "This dimension has no indicators (its weight would be zero)."))
		}
	}
	checkCutoff(add, "k", s.K, true)
	checkCutoff(add, "vulnerable", s.Vulnerable, false)
	checkCutoff(add, "severe", s.Severe, false)
	if len(ps) > 0 {
		return ps
	}
	return nil
}

func checkID(add func(string, string, apperr.Text), field, id string, i int, seen map[string]int) {
	if id == "" {
		add(field+".id", "", apperr.T("ต้องมีรหัส", "The id is missing."))
		return
	}
	if j, dup := seen[id]; dup {
		add(field+".id", id, apperr.Tf("รหัสซ้ำกับรายการที่ %d (นับจาก 0)", "The id repeats item %d (counting from 0).", j))
		return
	}
	seen[id] = i
}

func checkName(add func(string, string, apperr.Text), field string, n apperr.Text) {
	if n.TH == "" && n.EN == "" {
		add(field+".name", "", apperr.T("ต้องมีชื่อ (ไทยหรืออังกฤษ)", "The name is missing (Thai or English)."))
	}
}

// checkCutoff requires 0 < c ≤ 1; an unset optional cut-off is fine.
func checkCutoff(add func(string, string, apperr.Text), field string, c Frac, required bool) {
	if c.IsZero() {
		if required {
			add(field, "", apperr.T("ต้องกำหนดค่าตัดแบ่ง (เศษส่วนของน้ำหนักรวม เช่น 1/3)",
				"The cut-off is missing (a fraction of the total weight, such as 1/3)."))
		}
		return
	}
	if c.Den < 0 || c.Num <= 0 || c.Num > c.Den {
		add(field, c.String(), apperr.T("ค่าตัดแบ่งต้องมากกว่า 0 และไม่เกิน 1 (เศษส่วนของน้ำหนักรวม)",
			"The cut-off must be more than 0 and at most 1 (a fraction of the total weight)."))
	}
}
