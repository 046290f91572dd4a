package indicator

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"

	"tambon/internal/apperr"
	"tambon/internal/survey"
)

// question compiles {"q": code, <comparison>} into a leaf that reads the
// question's slot directly.
func (cp *compiler) question(r *rule, path string) (*node, error) {
	qi, ok := cp.s.qIndex[r.Q]
	if !ok {
		return nil, cp.errf(path, "ไม่มีคำถาม %q (ประกาศไว้ใน \"questions\")", "unknown question %q (declare it under \"questions\")", r.Q)
	}
	q := &cp.s.questions[qi]
	personQ := q.Level == survey.LevelPerson
	if personQ && !cp.person {
		return nil, cp.errf(path, "คำถาม %q ถามรายคน กฎรายครัวเรือนต้องครอบด้วย any_member", "question %q is asked per person; a household rule must wrap it in any_member", r.Q)
	}
	if !slices.Contains(cp.reads, qi) {
		cp.reads = append(cp.reads, qi)
	}
	op, raw, err := cp.comparison(r, path)
	if err != nil {
		return nil, err
	}
	slot, nPer := q.slot, cp.s.nPer
	get := func(c *ctx, m int) float64 {
		if personQ {
			return c.per[m*nPer+slot]
		}
		return c.hh[slot]
	}
	n := &node{op: "leaf"}
	switch op {
	case "answered":
		want := *r.Answered
		n.eval = func(c *ctx, m int) bool { v := get(c, m); return (v == v) == want }
		n.desc = func(c *ctx, m int) apperr.Text { return q.describe(get(c, m)) }
		return n, nil
	case "in":
		xs := make([]float64, len(r.In))
		for i, raw := range r.In {
			if xs[i], err = cp.constant(q, raw, fmt.Sprintf("%s.in[%d]", path, i)); err != nil {
				return nil, err
			}
		}
		n.eval = func(c *ctx, m int) bool { return slices.Contains(xs, get(c, m)) }
		n.desc = func(c *ctx, m int) apperr.Text { return q.describe(get(c, m)) }
		return n, nil
	}
	var rhs operand
	if q.Type == survey.TypeNumber {
		rhs, err = cp.number(raw, path+"."+op)
	} else if op != "eq" && op != "ne" {
		err = cp.errf(path, "คำถาม %q เป็นแบบ %s ใช้ได้เฉพาะ eq, ne และ in", "question %q is %s; only eq, ne and in apply", r.Q, q.Type)
	} else {
		rhs.th = -1
		rhs.x, err = cp.constant(q, raw, path+"."+op)
	}
	if err != nil {
		return nil, err
	}
	n.eval = fastLeaf(personQ, slot, nPer, op, rhs)
	if rhs.th < 0 {
		n.cmpQ, n.cmpOp, n.cmpX = qi, op, rhs.x
	}
	if !personQ && op == "eq" && rhs.th < 0 {
		n.isEq, n.eqSlot, n.eqX = true, slot, rhs.x
	}
	if personQ && op == "eq" && rhs.th < 0 {
		n.isPerEq, n.eqSlot, n.eqX = true, slot, rhs.x
	}
	if n.eval == nil {
		cm := cmpByName[op]
		n.eval = func(c *ctx, m int) bool { return cm.holds(get(c, m), rhs.value(c)) }
	}
	n.desc = func(c *ctx, m int) apperr.Text {
		t := q.describe(get(c, m))
		if q.Type == survey.TypeNumber {
			x := num(rhs.value(c))
			t.TH += fmt.Sprintf(" (เกณฑ์ %s %s)", opSymbol[op], x)
			t.EN += fmt.Sprintf(" (needs %s %s)", opSymbol[op], x)
		}
		return t
	}
	return n, nil
}

// fastLeaf returns a closure for the common leaves (eq and gte with a
// constant) that reads the slot itself, saving two indirect calls per leaf
// on the hot path; nil for the others.
func fastLeaf(personQ bool, slot, nPer int, op string, rhs operand) pred {
	if rhs.th >= 0 {
		return nil
	}
	x := rhs.x
	switch {
	case personQ && op == "eq":
		return func(c *ctx, m int) bool { return c.per[m*nPer+slot] == x }
	case personQ && op == "gte":
		return func(c *ctx, m int) bool { return c.per[m*nPer+slot] >= x }
	case op == "eq":
		return func(c *ctx, _ int) bool { return c.hh[slot] == x }
	case op == "gte":
		return func(c *ctx, _ int) bool { return c.hh[slot] >= x }
	}
	return nil
}

// constant reads a literal answer for q: true/false, a number, or a choice code.
func (cp *compiler) constant(q *question, raw json.RawMessage, path string) (float64, error) {
	switch q.Type {
	case survey.TypeBool:
		var b bool
		if err := json.Unmarshal(raw, &b); err != nil {
			return 0, cp.errf(path, "คำถาม %q เป็นแบบใช่/ไม่ใช่ ต้องเทียบกับ true หรือ false ไม่ใช่ %s", "question %q is yes/no; compare it with true or false, not %s", q.Code, raw)
		}
		if b {
			return 1, nil
		}
		return 0, nil
	case survey.TypeChoice:
		var s string
		if err := json.Unmarshal(raw, &s); err == nil {
			if i := slices.Index(q.Choices, s); i >= 0 {
				return float64(i), nil
			}
		}
		return 0, cp.errf(path, "คำถาม %q ไม่มีตัวเลือก %s (ตัวเลือก: %v)", "question %q has no choice %s (choices: %v)", q.Code, raw, q.Choices)
	}
	var x float64
	if err := json.Unmarshal(raw, &x); err != nil {
		return 0, cp.errf(path, "คำถาม %q รับตัวเลข ไม่ใช่ %s", "question %q takes a number, not %s", q.Code, raw)
	}
	return x, nil
}

// personLeaf compiles the roster tests: age bands, flags, education.
func (cp *compiler) personLeaf(r *rule, path string) (*node, error) {
	if !cp.person {
		return nil, cp.errf(path, "การทดสอบอายุ สถานะ และการศึกษาเป็นของสมาชิกคนเดียว ในกฎรายครัวเรือนให้ครอบด้วย any_member", "age, flag and education tests are about one member; in a household rule wrap them in any_member")
	}
	n := &node{op: "leaf"}
	switch {
	case r.AgeBetween != nil || r.AgeMonthsBetween != nil:
		b, months := r.AgeBetween, r.AgeMonthsBetween != nil
		if months {
			b = r.AgeMonthsBetween
		}
		if len(b) != 2 || b[0] > b[1] || b[0] < 0 {
			return nil, cp.errf(path, "ช่วงอายุคือ [ต่ำสุด, สูงสุด] รวมทั้งสองค่า และต่ำสุด ≤ สูงสุด", "an age band is [lowest, highest], both inclusive, lowest ≤ highest")
		}
		lo, hi := int32(b[0]), int32(b[1])
		n.eval = func(c *ctx, m int) bool {
			a := c.mem[m].age
			if months {
				a = c.mem[m].months
			}
			return a >= lo && a <= hi
		}
		n.desc = func(c *ctx, m int) apperr.Text { return ageText(c.mem[m]) }
	case r.Flag != "":
		f, ok := flagNames[r.Flag]
		if !ok {
			return nil, cp.errf(path, "ไม่มีสถานะ %q", "unknown flag %q", r.Flag)
		}
		name := r.Flag
		n.eval = func(c *ctx, m int) bool { return c.mem[m].flags&f != 0 }
		n.desc = func(c *ctx, m int) apperr.Text {
			if c.mem[m].flags&f != 0 {
				return apperr.T(name, name)
			}
			return apperr.T("ไม่ใช่ "+name, "not "+name)
		}
	case r.EducationGte != "":
		rank, ok := survey.EducationRank(r.EducationGte)
		if !ok {
			return nil, cp.errf(path, "ไม่มีระดับการศึกษา %q", "unknown education level %q", r.EducationGte)
		}
		lo := int8(rank)
		n.eval = func(c *ctx, m int) bool { return c.mem[m].edu >= lo }
		n.desc = func(c *ctx, m int) apperr.Text {
			return apperr.Tf("การศึกษาต่ำกว่า %s", "education below %s", r.EducationGte)
		}
	default:
		var mask uint32
		for _, e := range r.EducationIn {
			rank, ok := survey.EducationRank(e)
			if !ok {
				return nil, cp.errf(path, "ไม่มีระดับการศึกษา %q", "unknown education level %q", e)
			}
			mask |= 1 << rank
		}
		n.eval = func(c *ctx, m int) bool { e := c.mem[m].edu; return e >= 0 && mask&(1<<e) != 0 }
		n.desc = func(c *ctx, m int) apperr.Text {
			return apperr.Tf("การศึกษาไม่อยู่ใน %v", "education not in %v", r.EducationIn)
		}
	}
	return n, nil
}

func ageText(p person) apperr.Text {
	if p.age == 0 {
		return apperr.Tf("อายุ %d เดือน", "age %d months", p.months)
	}
	return apperr.Tf("อายุ %d", "age %d", p.age)
}

// describe shows an answer in both languages, or says it is missing.
func (q *question) describe(v float64) apperr.Text {
	var a apperr.Text
	switch {
	case math.IsNaN(v):
		a = apperr.T("ยังไม่ได้ตอบ", "not answered")
	case q.Type == survey.TypeBool && v == 1:
		a = apperr.T("ใช่", "yes")
	case q.Type == survey.TypeBool:
		a = apperr.T("ไม่ใช่", "no")
	case q.Type == survey.TypeChoice:
		a = q.choiceLabels[int(v)]
	default:
		a = apperr.T(num(v), num(v))
	}
	return apperr.Text{TH: q.Label.TH + ": " + a.TH, EN: q.Label.EN + ": " + a.EN}
}
