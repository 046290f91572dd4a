package web

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"tambon/internal/apperr"
)

// The OData feed's $filter: a small parser for the part of the OData URL
// convention's expression language that a table wants — comparisons (eq,
// ne, gt, ge, lt, le) of a property with a literal, and, or, not,
// parentheses, and the string functions contains, startswith and
// endswith. Anything else is refused with a clear error rather than
// guessed at.

// odataExpr is a parsed $filter expression.
type odataExpr struct {
	op    string // "and", "or", "not", "eq" … "le", "contains", "startswith", "endswith", "prop", "lit"
	l, r  *odataExpr
	name  string // a property
	value any    // a literal: string, int64, float64, bool or nil
}

type odataLexer struct {
	toks []string
	i    int
}

// filterError is a refused $filter, in Thai and English.
func filterError(th, en string, args ...any) error {
	return apperr.New(apperr.Invalid, apperr.Tf("$filter: "+th, "$filter: "+en, args...))
}

func lexFilter(src string) ([]string, error) {
	var toks []string
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == ' ' || c == '\t':
			i++
		case c == '(' || c == ')' || c == ',':
			toks = append(toks, string(c))
			i++
		case c == '\'':
			j := i + 1
			var b strings.Builder
			for {
				if j >= len(src) {
					return nil, filterError("ข้อความที่เริ่มที่ตำแหน่ง %d ไม่มีเครื่องหมาย ' ปิด", "the string starting at %d has no closing quote", i+1)
				}
				if src[j] == '\'' {
					if j+1 < len(src) && src[j+1] == '\'' { // '' is one quote
						b.WriteByte('\'')
						j += 2
						continue
					}
					break
				}
				b.WriteByte(src[j])
				j++
			}
			toks = append(toks, "'"+b.String())
			i = j + 1
		default:
			j := i
			for j < len(src) && !strings.ContainsRune(" \t(),'", rune(src[j])) {
				j++
			}
			toks = append(toks, src[i:j])
			i = j
		}
	}
	return toks, nil
}

// parseFilter parses a $filter expression; props are the names it may use.
func parseFilter(src string, props map[string]string) (*odataExpr, error) {
	if len(src) > 2000 {
		return nil, filterError("ยาวเกิน 2,000 ตัวอักษร", "longer than 2,000 characters")
	}
	toks, err := lexFilter(src)
	if err != nil {
		return nil, err
	}
	p := &odataLexer{toks: toks}
	e, err := p.or(props, 0)
	if err != nil {
		return nil, err
	}
	if p.i < len(p.toks) {
		return nil, filterError("อ่านไม่ได้ตั้งแต่ %q", "cannot read from %q on", p.toks[p.i])
	}
	return e, nil
}

func (p *odataLexer) peek() string {
	if p.i < len(p.toks) {
		return p.toks[p.i]
	}
	return ""
}

func (p *odataLexer) next() string { t := p.peek(); p.i++; return t }

const maxFilterDepth = 50

func (p *odataLexer) or(props map[string]string, depth int) (*odataExpr, error) {
	if depth > maxFilterDepth {
		return nil, filterError("ซ้อนกันลึกเกินไป", "nested too deep")
	}
	l, err := p.and(props, depth)
	if err != nil {
		return nil, err
	}
	for p.peek() == "or" {
		p.next()
		r, err := p.and(props, depth)
		if err != nil {
			return nil, err
		}
		l = &odataExpr{op: "or", l: l, r: r}
	}
	return l, nil
}

func (p *odataLexer) and(props map[string]string, depth int) (*odataExpr, error) {
	l, err := p.not(props, depth)
	if err != nil {
		return nil, err
	}
	for p.peek() == "and" {
		p.next()
		r, err := p.not(props, depth)
		if err != nil {
			return nil, err
		}
		l = &odataExpr{op: "and", l: l, r: r}
	}
	return l, nil
}

func (p *odataLexer) not(props map[string]string, depth int) (*odataExpr, error) {
	if p.peek() == "not" {
		p.next()
		e, err := p.not(props, depth+1)
		if err != nil {
			return nil, err
		}
		return &odataExpr{op: "not", l: e}, nil
	}
	return p.compare(props, depth)
}

var odataCompare = map[string]bool{"eq": true, "ne": true, "gt": true, "ge": true, "lt": true, "le": true}

func (p *odataLexer) compare(props map[string]string, depth int) (*odataExpr, error) {
	l, err := p.primary(props, depth)
	if err != nil {
		return nil, err
	}
	if op := p.peek(); odataCompare[op] {
		p.next()
		r, err := p.primary(props, depth)
		if err != nil {
			return nil, err
		}
		if (l.op == "prop") == (r.op == "prop") {
			return nil, filterError("การเปรียบเทียบ %s ต้องมีชื่อคุณสมบัติข้างหนึ่งและค่าอีกข้างหนึ่ง", "%s must compare a property with a value", op)
		}
		return &odataExpr{op: op, l: l, r: r}, nil
	}
	switch {
	case l.op == "prop" && props[l.name] == "Edm.Boolean":
		return &odataExpr{op: "eq", l: l, r: &odataExpr{op: "lit", value: true}}, nil
	case l.op == "prop" || l.op == "lit":
		return nil, filterError("ต้องการ eq ne gt ge lt le หลัง %q", "expected eq, ne, gt, ge, lt or le after %q", p.toks[p.i-1])
	}
	return l, nil
}

func (p *odataLexer) primary(props map[string]string, depth int) (*odataExpr, error) {
	t := p.next()
	switch {
	case t == "":
		return nil, filterError("จบก่อนครบนิพจน์", "ends before the expression does")
	case t == "(":
		e, err := p.or(props, depth+1)
		if err != nil {
			return nil, err
		}
		if p.next() != ")" {
			return nil, filterError("ไม่มีวงเล็บปิด", "a parenthesis is not closed")
		}
		return e, nil
	case t[0] == '\'':
		return &odataExpr{op: "lit", value: t[1:]}, nil
	case t == "true" || t == "false":
		return &odataExpr{op: "lit", value: t == "true"}, nil
	case t == "null":
		return &odataExpr{op: "lit", value: nil}, nil
	case t == "contains" || t == "startswith" || t == "endswith":
		if p.next() != "(" {
			return nil, filterError("%s ต้องตามด้วย (", "%s must be followed by (", t)
		}
		prop := p.next()
		if _, ok := props[prop]; !ok {
			return nil, unknownProp(prop)
		}
		if props[prop] != "Edm.String" {
			return nil, filterError("%s ใช้ได้กับข้อความเท่านั้น ไม่ใช่ %s", "%s works on strings only, not on %s", t, prop)
		}
		if p.next() != "," {
			return nil, filterError("%s ต้องมีสองอาร์กิวเมนต์: ชื่อคุณสมบัติ และข้อความ", "%s takes two arguments: a property and a string", t)
		}
		lit := p.next()
		if lit == "" || lit[0] != '\'' {
			return nil, filterError("อาร์กิวเมนต์ที่สองของ %s ต้องเป็นข้อความใน ' '", "the second argument of %s must be a string in quotes", t)
		}
		if p.next() != ")" {
			return nil, filterError("%s ไม่มีวงเล็บปิด", "%s is not closed", t)
		}
		return &odataExpr{op: t, l: &odataExpr{op: "prop", name: prop}, r: &odataExpr{op: "lit", value: lit[1:]}}, nil
	}
	if c := rune(t[0]); c == '-' || unicode.IsDigit(c) {
		if n, err := strconv.ParseInt(t, 10, 64); err == nil {
			return &odataExpr{op: "lit", value: n}, nil
		}
		if f, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSuffix(t, "M"), "m"), 64); err == nil {
			return &odataExpr{op: "lit", value: f}, nil
		}
		return nil, filterError("%q ไม่ใช่ตัวเลข", "%q is not a number", t)
	}
	if p.peek() == "(" {
		return nil, filterError("ไม่รองรับฟังก์ชัน %s (ใช้ได้: contains, startswith, endswith)", "the function %s is not supported (contains, startswith and endswith are)", t)
	}
	if _, ok := props[t]; !ok {
		return nil, unknownProp(t)
	}
	return &odataExpr{op: "prop", name: t}, nil
}

func unknownProp(name string) error {
	return filterError("ไม่มีคุณสมบัติ %q", "there is no property %q", name)
}

// eval reports whether a row passes the expression.
func (e *odataExpr) eval(row map[string]any) bool {
	switch e.op {
	case "and":
		return e.l.eval(row) && e.r.eval(row)
	case "or":
		return e.l.eval(row) || e.r.eval(row)
	case "not":
		return !e.l.eval(row)
	case "contains", "startswith", "endswith":
		s, ok := row[e.l.name].(string)
		if !ok {
			return false
		}
		lit := e.r.value.(string)
		switch e.op {
		case "contains":
			return strings.Contains(s, lit)
		case "startswith":
			return strings.HasPrefix(s, lit)
		}
		return strings.HasSuffix(s, lit)
	}
	// A comparison: the property on either side.
	prop, lit, op := e.l, e.r, e.op
	if prop.op != "prop" {
		prop, lit = lit, prop
		op = map[string]string{"gt": "lt", "ge": "le", "lt": "gt", "le": "ge", "eq": "eq", "ne": "ne"}[op]
	}
	v := row[prop.name]
	c, comparable := compareValues(v, lit.value)
	switch op {
	case "eq":
		return comparable && c == 0
	case "ne":
		return !comparable || c != 0
	case "gt":
		return comparable && c > 0
	case "ge":
		return comparable && c >= 0
	case "lt":
		return comparable && c < 0
	}
	return comparable && c <= 0
}

// compareValues orders a row's value against a literal; false when they
// cannot be compared (a null against a value, a string against a number).
func compareValues(v, lit any) (int, bool) {
	if v == nil || lit == nil {
		if v == nil && lit == nil {
			return 0, true
		}
		return 0, false
	}
	num := func(x any) (float64, bool) {
		switch n := x.(type) {
		case int64:
			return float64(n), true
		case int:
			return float64(n), true
		case float64:
			return n, true
		}
		return 0, false
	}
	if a, ok := num(v); ok {
		b, ok := num(lit)
		if !ok {
			return 0, false
		}
		switch {
		case a < b:
			return -1, true
		case a > b:
			return 1, true
		}
		return 0, true
	}
	switch a := v.(type) {
	case string:
		b, ok := lit.(string)
		if !ok {
			return 0, false
		}
		return strings.Compare(a, b), true
	case bool:
		b, ok := lit.(bool)
		if !ok {
			return 0, false
		}
		if a == b {
			return 0, true
		}
		return 1, true
	}
	return 0, false
}

// hints are what a filter pins down for certain, so a feed need not read
// every area: a property's exact value, or its prefix, when the property
// is compared in a conjunction at the top of the expression.
func (e *odataExpr) hints(prop string) (exact string, prefix string) {
	if e == nil {
		return "", ""
	}
	switch e.op {
	case "and":
		ex, pre := e.l.hints(prop)
		ex2, pre2 := e.r.hints(prop)
		if ex == "" {
			ex = ex2
		}
		if len(pre2) > len(pre) {
			pre = pre2
		}
		return ex, pre
	case "eq":
		p, l := e.l, e.r
		if p.op != "prop" {
			p, l = l, p
		}
		if s, ok := l.value.(string); ok && p.name == prop {
			return s, ""
		}
	case "startswith":
		if e.l.name == prop {
			return "", e.r.value.(string)
		}
	}
	return "", ""
}

func (e *odataExpr) String() string {
	if e == nil {
		return ""
	}
	switch e.op {
	case "prop":
		return e.name
	case "lit":
		return fmt.Sprint(e.value)
	case "not":
		return "not " + e.l.String()
	}
	return "(" + e.l.String() + " " + e.op + " " + e.r.String() + ")"
}
