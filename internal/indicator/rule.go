package indicator

import (
	"encoding/json"
	"fmt"
	"slices"

	"tambon/internal/apperr"
)

// rule is one node of the rule language as written in a set file. Exactly one
// of its forms is used per node:
//
//	{"all": [...]}  {"any": [...]}  {"not": {...}}  {"any_member": {...}}
//	{"q": "q6", "eq": true}          question, with eq/ne/gte/gt/lte/lt/in/answered
//	{"m": "income_per_person", "gte": "income_threshold"}   household measure
//	{"income_per_person_gte": "income_threshold"}           shorthand for the line above
//	{"age_between": [6, 14]}  {"age_months_between": [6, 12]}  {"flag": "disabled"}
//	{"education_gte": "lower_secondary"}  {"education_in": ["lower_secondary"]}
//
// A number operand may name a threshold instead ("income_threshold"), which is
// looked up for the survey year at evaluation time.
type rule struct {
	All       []rule `json:"all,omitempty"`
	Any       []rule `json:"any,omitempty"`
	Not       *rule  `json:"not,omitempty"`
	AnyMember *rule  `json:"any_member,omitempty"`

	Q        string            `json:"q,omitempty"`
	M        string            `json:"m,omitempty"`
	Eq       json.RawMessage   `json:"eq,omitempty"`
	Ne       json.RawMessage   `json:"ne,omitempty"`
	Gte      json.RawMessage   `json:"gte,omitempty"`
	Gt       json.RawMessage   `json:"gt,omitempty"`
	Lte      json.RawMessage   `json:"lte,omitempty"`
	Lt       json.RawMessage   `json:"lt,omitempty"`
	In       []json.RawMessage `json:"in,omitempty"`
	Answered *bool             `json:"answered,omitempty"`

	IncomePerPersonGte json.RawMessage `json:"income_per_person_gte,omitempty"`
	AgeBetween         []int           `json:"age_between,omitempty"`
	AgeMonthsBetween   []int           `json:"age_months_between,omitempty"`
	Flag               string          `json:"flag,omitempty"`
	EducationGte       string          `json:"education_gte,omitempty"`
	EducationIn        []string        `json:"education_in,omitempty"`
}

// pred is a compiled rule: does household (m < 0) or resident member m pass?
type pred func(c *ctx, m int) bool

// node is a compiled rule kept as a tree, so that Explain can say which part
// failed; eval is the flat closure the fast path calls.
type node struct {
	op   string // "all", "any", "not", "any_member" or "leaf"
	eval pred
	kids []*node
	desc func(c *ctx, m int) apperr.Text // leaves: what was seen, in both languages
	// isEq marks a leaf "household answer in slot eqSlot equals eqX", which
	// items() can fold into one loop without calls.
	isEq   bool
	eqSlot int
	eqX    float64
	// isPerEq marks a leaf "person answer in slot eqSlot equals eqX", which
	// Judge checks inline.
	isPerEq bool
	// A leaf comparing a question with a constant keeps what it compares
	// (PassingAnswer): the question's index, the comparison and the
	// constant in slot form. cmpOp is "" for every other node.
	cmpQ  int
	cmpOp string
	cmpX  float64
}

// compiler turns rules into nodes for one place in a set file.
type compiler struct {
	s      *Set
	person bool  // rules are judged per member (m ≥ 0)
	reads  []int // questions the rules read, by index
	needs  []int // thresholds the rules need, by index
}

// errf is a refusal of the rule at path, why in Thai and in English.
func (cp *compiler) errf(path, th, en string, args ...any) error {
	return bi("%s: "+th, "%s: "+en, append([]any{path}, args...)...)
}

// compile turns one rule into a node; path says where the rule is in the
// file (indicators[5] (6).pass.all[1]) for error messages.
func (cp *compiler) compile(r *rule, path string) (*node, error) {
	forms := 0
	for _, used := range []bool{r.All != nil, r.Any != nil, r.Not != nil, r.AnyMember != nil, r.Q != "", r.M != "",
		r.IncomePerPersonGte != nil, r.AgeBetween != nil, r.AgeMonthsBetween != nil, r.Flag != "",
		r.EducationGte != "", r.EducationIn != nil} {
		if used {
			forms++
		}
	}
	if forms != 1 {
		return nil, cp.errf(path, "กฎต้องมีรูปแบบเดียวพอดี (all, any, not, any_member, q, m, age_between, flag, …) แต่พบ %d", "a rule needs exactly one form (all, any, not, any_member, q, m, age_between, flag, …); found %d", forms)
	}
	switch {
	case r.All != nil || r.Any != nil:
		return cp.group(r, path)
	case r.Not != nil:
		k, err := cp.compile(r.Not, path+".not")
		if err != nil {
			return nil, err
		}
		f := k.eval
		return &node{op: "not", kids: []*node{k}, eval: func(c *ctx, m int) bool { return !f(c, m) }}, nil
	case r.AnyMember != nil:
		if cp.person {
			return nil, cp.errf(path, "any_member ใช้ในกฎรายครัวเรือน กฎนี้เป็นกฎของสมาชิกคนเดียวอยู่แล้ว", "any_member is for household rules; this rule is already about one member")
		}
		cp.person = true
		k, err := cp.compile(r.AnyMember, path+".any_member")
		cp.person = false
		if err != nil {
			return nil, err
		}
		f := k.eval
		return &node{op: "any_member", kids: []*node{k}, eval: func(c *ctx, _ int) bool {
			for m := range c.mem {
				if f(c, m) {
					return true
				}
			}
			return false
		}}, nil
	case r.Q != "":
		return cp.question(r, path)
	case r.M != "" || r.IncomePerPersonGte != nil:
		return cp.measure(r, path)
	}
	return cp.personLeaf(r, path)
}

// group compiles all and any; both stop at the first child that decides.
func (cp *compiler) group(r *rule, path string) (*node, error) {
	op, rs := "all", r.All
	if r.Any != nil {
		op, rs = "any", r.Any
	}
	if len(rs) == 0 {
		return nil, cp.errf(path, "%s ต้องมีกฎอย่างน้อยหนึ่งข้อ", "%s needs at least one rule", op)
	}
	n := &node{op: op}
	fs := make([]pred, len(rs))
	for i := range rs {
		k, err := cp.compile(&rs[i], fmt.Sprintf("%s.%s[%d]", path, op, i))
		if err != nil {
			return nil, err
		}
		n.kids = append(n.kids, k)
		fs[i] = k.eval
	}
	if op == "all" {
		n.eval = func(c *ctx, m int) bool {
			for _, f := range fs {
				if !f(c, m) {
					return false
				}
			}
			return true
		}
	} else {
		n.eval = func(c *ctx, m int) bool {
			for _, f := range fs {
				if f(c, m) {
					return true
				}
			}
			return false
		}
	}
	return n, nil
}

// operand is the right-hand side of a comparison: a constant or a threshold.
type operand struct {
	x  float64
	th int // threshold index, or -1
}

func (o operand) value(c *ctx) float64 {
	if o.th >= 0 {
		return c.th[o.th]
	}
	return o.x
}

// cmp is a comparison, decoded from its name once at load.
type cmp uint8

const (
	cmpEq cmp = iota
	cmpNe
	cmpGte
	cmpGt
	cmpLte
	cmpLt
)

var cmpByName = map[string]cmp{"eq": cmpEq, "ne": cmpNe, "gte": cmpGte, "gt": cmpGt, "lte": cmpLte, "lt": cmpLt}

// holds compares a with b; NaN (not answered, not set) never compares true.
func (op cmp) holds(a, b float64) bool {
	switch op {
	case cmpEq:
		return a == b
	case cmpNe:
		return a == a && b == b && a != b
	case cmpGte:
		return a >= b
	case cmpGt:
		return a > b
	case cmpLte:
		return a <= b
	}
	return a < b
}

var opSymbol = map[string]string{"eq": "=", "ne": "≠", "gte": "≥", "gt": ">", "lte": "≤", "lt": "<", "in": "∈"}

// comparison returns the one comparison r carries.
func (cp *compiler) comparison(r *rule, path string) (string, json.RawMessage, error) {
	op, raw, n := "", json.RawMessage(nil), 0
	for _, c := range []struct {
		op  string
		raw json.RawMessage
	}{{"eq", r.Eq}, {"ne", r.Ne}, {"gte", r.Gte}, {"gt", r.Gt}, {"lte", r.Lte}, {"lt", r.Lt}} {
		if c.raw != nil {
			op, raw = c.op, c.raw
			n++
		}
	}
	if r.In != nil {
		op = "in"
		n++
	}
	if r.Answered != nil {
		op = "answered"
		n++
	}
	if n != 1 {
		return "", nil, cp.errf(path, "ให้ eq, ne, gte, gt, lte, lt, in, answered อย่างใดอย่างหนึ่งเท่านั้น", "give exactly one of eq, ne, gte, gt, lte, lt, in, answered")
	}
	return op, raw, nil
}

// number reads a number operand, or the name of a threshold of the set.
func (cp *compiler) number(raw json.RawMessage, path string) (operand, error) {
	var x float64
	if err := json.Unmarshal(raw, &x); err == nil {
		return operand{x: x, th: -1}, nil
	}
	var name string
	if err := json.Unmarshal(raw, &name); err != nil {
		return operand{}, cp.errf(path, "ต้องเป็นตัวเลขหรือชื่อเกณฑ์ แต่ได้ %s", "expected a number or a threshold name, got %s", raw)
	}
	ti, ok := cp.s.thIndex[name]
	if !ok {
		return operand{}, cp.errf(path, "ไม่มีเกณฑ์ %q (ประกาศไว้ใน \"thresholds\")", "unknown threshold %q (declare it under \"thresholds\")", name)
	}
	if !slices.Contains(cp.needs, ti) {
		cp.needs = append(cp.needs, ti)
	}
	return operand{th: ti}, nil
}
