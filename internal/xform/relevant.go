package xform

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"tambon/internal/indicator"
	"tambon/internal/survey"
)

// Who is asked a person-level question, as XPath relevance, so that the
// phone shows a member only the questions that apply to them — the same
// rule AskedOf applies on the server (a question with "asked_if" is asked
// when that holds; otherwise when an indicator whose pass rule reads it
// applies to the member; always when none reads it; never of a
// non-resident).
//
// Ages are exact in XPath because the reference date is 31 December: a
// member's completed years then are the reference year minus the birth
// year, and completed months (ref year − birth year)·12 + 12 − birth month.
// Only the rule forms whose XPath is certain are translated (age and month
// bands, roster flags, education, answers compared for equality or order,
// all/any/not); a question whose rules use anything else gets no relevance
// and stays visible, and the server's own relevance step (DropUnasked)
// still applies. A household-level question gets its asked_if, or its
// household indicators' gates ("members" counts resident members).

// rule is the part of the indicator set file's rule language translated.
type rule struct {
	All              []rule            `json:"all"`
	Any              []rule            `json:"any"`
	Not              *rule             `json:"not"`
	Q                string            `json:"q"`
	Eq               json.RawMessage   `json:"eq"`
	Gte              json.RawMessage   `json:"gte"`
	Gt               json.RawMessage   `json:"gt"`
	Lte              json.RawMessage   `json:"lte"`
	Lt               json.RawMessage   `json:"lt"`
	In               []json.RawMessage `json:"in"`
	AgeBetween       []int             `json:"age_between"`
	AgeMonthsBetween []int             `json:"age_months_between"`
	Flag             string            `json:"flag"`
	M                string            `json:"m"`
	raw              map[string]json.RawMessage
}

func (r *rule) UnmarshalJSON(b []byte) error {
	type plain rule
	if err := json.Unmarshal(b, (*plain)(r)); err != nil {
		return err
	}
	return json.Unmarshal(b, &r.raw)
}

type eligible struct {
	MinAge       *int     `json:"min_age"`
	MaxAge       *int     `json:"max_age"`
	MinAgeMonths *int     `json:"min_age_months"`
	MaxAgeMonths *int     `json:"max_age_months"`
	Flags        []string `json:"flags"`
	NotFlags     []string `json:"not_flags"`
	EducationIn  []string `json:"education_in"`
	When         *rule    `json:"when"`
}

type setFile struct {
	Questions []struct {
		Code    string `json:"code"`
		AskedIf *rule  `json:"asked_if"`
	} `json:"questions"`
	Indicators []struct {
		Unit     string    `json:"unit"`
		Eligible *eligible `json:"eligible"`
		Pass     *rule     `json:"pass"`
		Items    []struct {
			Pass rule `json:"pass"`
		} `json:"items"`
	} `json:"indicators"`
}

// relevance returns the relevant="…" of each person-level question of the
// set (bound in the members repeat), for the round whose reference year
// (CE) is refYear; questions missing from the map have none.
func relevance(set *indicator.Set, refYear int) map[string]string {
	var file setFile
	if json.Unmarshal(set.File(), &file) != nil {
		return nil
	}
	levels := map[string]survey.Level{}
	for _, q := range set.Questions() {
		levels[q.Code] = q.Level
	}
	x := xpather{levels: levels, refYear: refYear}
	// Which indicators' pass rules read each question.
	users := map[string][]int{}
	for i, ind := range file.Indicators {
		seen := map[string]bool{}
		var walk func(r *rule)
		walk = func(r *rule) {
			if r == nil {
				return
			}
			if r.Q != "" && !seen[r.Q] {
				seen[r.Q] = true
				users[r.Q] = append(users[r.Q], i)
			}
			for k := range r.All {
				walk(&r.All[k])
			}
			for k := range r.Any {
				walk(&r.Any[k])
			}
			walk(r.Not)
		}
		walk(ind.Pass)
		for k := range ind.Items {
			walk(&ind.Items[k].Pass)
		}
		// Readings this translator does not understand still count as
		// reads; unknown rule keys make the reader's relevance unknown.
		for _, k := range rawQuestions(set.File(), i) {
			if !seen[k] {
				seen[k] = true
				users[k] = append(users[k], i)
			}
		}
	}
	out := map[string]string{}
	for _, q := range file.Questions {
		if levels[q.Code] == survey.LevelHousehold {
			if cond, ok := x.household(q.AskedIf, users[q.Code], &file); ok && cond != "true()" {
				out[q.Code] = cond
			}
			continue
		}
		if levels[q.Code] != survey.LevelPerson {
			continue
		}
		var cond string
		var ok bool
		switch {
		case q.AskedIf != nil:
			cond, ok = x.rule(q.AskedIf)
		case len(users[q.Code]) == 0:
			cond, ok = "true()", true
		default:
			var parts []string
			ok = true
			for _, i := range users[q.Code] {
				ind := file.Indicators[i]
				p, good := "true()", true
				if ind.Eligible != nil {
					if ind.Unit == "household" {
						p, good = "", false // a household gate read from a member: leave it to the server
					} else {
						p, good = x.eligible(ind.Eligible)
					}
				}
				if !good {
					ok = false
					break
				}
				parts = append(parts, p)
			}
			cond = orAll(parts)
		}
		if ok {
			out[q.Code] = "../resident = '1' and (" + cond + ")"
		}
	}
	return out
}

// household is the relevance of a household-level question: its asked_if,
// or the household gates of the indicators that read it (a person
// indicator's gate — "any member eligible" — is left to the server).
func (x xpather) household(askedIf *rule, users []int, file *setFile) (string, bool) {
	if askedIf != nil {
		return x.rule(askedIf)
	}
	var parts []string
	for _, i := range users {
		ind := file.Indicators[i]
		if ind.Unit != "household" {
			return "", false
		}
		if ind.Eligible == nil {
			return "true()", true
		}
		if ind.Eligible.When == nil {
			return "", false
		}
		p, ok := x.rule(ind.Eligible.When)
		if !ok {
			return "", false
		}
		parts = append(parts, p)
	}
	if len(parts) == 0 {
		return "true()", true
	}
	return orAll(parts), true
}

// rawQuestions lists every "q" an indicator's rules mention anywhere in the
// file (pass, items, eligibility), found by a generic walk.
func rawQuestions(file []byte, i int) []string {
	var f struct {
		Indicators []json.RawMessage `json:"indicators"`
	}
	if json.Unmarshal(file, &f) != nil || i >= len(f.Indicators) {
		return nil
	}
	var v any
	json.Unmarshal(f.Indicators[i], &v)
	var out []string
	var walk func(v any, key string)
	walk = func(v any, key string) {
		switch t := v.(type) {
		case map[string]any:
			for k, c := range t {
				if k == "eligible" || k == "provenance" || k == "name" || k == "who" || k == "fail_note" || k == "label" {
					continue
				}
				walk(c, k)
			}
		case []any:
			for _, c := range t {
				walk(c, key)
			}
		case string:
			if key == "q" {
				out = append(out, t)
			}
		}
	}
	walk(v, "")
	sort.Strings(out)
	return out
}

func orAll(parts []string) string {
	if len(parts) == 0 {
		return "false()"
	}
	for _, p := range parts {
		if p == "true()" {
			return "true()"
		}
	}
	return "(" + strings.Join(parts, ") or (") + ")"
}

type xpather struct {
	levels  map[string]survey.Level
	refYear int
}

func (x xpather) age() string {
	return fmt.Sprintf("(%d - number(substr(string(../birth_date), 0, 4)))", x.refYear)
}

func (x xpather) months() string {
	return fmt.Sprintf("((%d - number(substr(string(../birth_date), 0, 4))) * 12 + 12 - number(substr(string(../birth_date), 5, 7)))", x.refYear)
}

var flagXPath = map[string]string{
	"disabled":      "selected(../flags, 'disabled')",
	"chronic_ill":   "selected(../flags, 'chronic_ill')",
	"bedridden":     "selected(../flags, 'bedridden')",
	"dependent":     "selected(../flags, 'dependent')",
	"welfare_card":  "selected(../flags, 'welfare_card')",
	"head":          "../relation = 'head'",
	"male":          "../sex = 'm'",
	"female":        "../sex = 'f'",
	"studying":      "../occupation = '" + survey.OccStudent + "'", // codes of the occupation list
	"no_occupation": "../occupation = '" + survey.OccNone + "'",
}

func (x xpather) flag(name string) (string, bool) {
	if name == "born_in_reference_year" {
		return fmt.Sprintf("number(substr(string(../birth_date), 0, 4)) = %d", x.refYear), true
	}
	p, ok := flagXPath[name]
	return p, ok
}

func (x xpather) eligible(e *eligible) (string, bool) {
	var parts []string
	if e.MinAge != nil {
		parts = append(parts, fmt.Sprintf("%s >= %d", x.age(), *e.MinAge))
	}
	if e.MaxAge != nil {
		parts = append(parts, fmt.Sprintf("%s <= %d", x.age(), *e.MaxAge))
	}
	if e.MinAgeMonths != nil {
		parts = append(parts, fmt.Sprintf("%s >= %d", x.months(), *e.MinAgeMonths))
	}
	if e.MaxAgeMonths != nil {
		parts = append(parts, fmt.Sprintf("%s <= %d", x.months(), *e.MaxAgeMonths))
	}
	for _, f := range e.Flags {
		p, ok := x.flag(f)
		if !ok {
			return "", false
		}
		parts = append(parts, p)
	}
	for _, f := range e.NotFlags {
		p, ok := x.flag(f)
		if !ok {
			return "", false
		}
		parts = append(parts, "not("+p+")")
	}
	if len(e.EducationIn) > 0 {
		var or []string
		for _, code := range e.EducationIn {
			or = append(or, "../education = "+quote(code))
		}
		parts = append(parts, "("+strings.Join(or, " or ")+")")
	}
	if e.When != nil {
		p, ok := x.rule(e.When)
		if !ok {
			return "", false
		}
		parts = append(parts, p)
	}
	if len(parts) == 0 {
		return "true()", true
	}
	return "(" + strings.Join(parts, ") and (") + ")", true
}

func quote(s string) string {
	if strings.Contains(s, "'") {
		return `"` + s + `"`
	}
	return "'" + s + "'"
}

// known lists the rule keys translated.
var known = map[string]bool{"all": true, "any": true, "not": true, "q": true, "eq": true, "gte": true, "gt": true, "lte": true,
	"lt": true, "in": true, "age_between": true, "age_months_between": true, "flag": true, "m": true}

func (x xpather) rule(r *rule) (string, bool) {
	for k := range r.raw {
		if !known[k] {
			return "", false
		}
	}
	join := func(rs []rule, op string) (string, bool) {
		var parts []string
		for i := range rs {
			p, ok := x.rule(&rs[i])
			if !ok {
				return "", false
			}
			parts = append(parts, "("+p+")")
		}
		return strings.Join(parts, " "+op+" "), len(parts) > 0
	}
	switch {
	case r.All != nil:
		return join(r.All, "and")
	case r.Any != nil:
		return join(r.Any, "or")
	case r.Not != nil:
		p, ok := x.rule(r.Not)
		return "not(" + p + ")", ok
	case len(r.AgeBetween) == 2:
		return fmt.Sprintf("%s >= %d and %s <= %d", x.age(), r.AgeBetween[0], x.age(), r.AgeBetween[1]), true
	case len(r.AgeMonthsBetween) == 2:
		return fmt.Sprintf("%s >= %d and %s <= %d", x.months(), r.AgeMonthsBetween[0], x.months(), r.AgeMonthsBetween[1]), true
	case r.Flag != "":
		return x.flag(r.Flag)
	case r.Q != "" || r.M == "members":
		return x.compare(r)
	}
	return "", false
}

// compare translates an answer test. An unanswered question passes no test
// on the server (its slot is NaN), and none here: ” equals no code, and
// number(”) is NaN.
func (x xpather) compare(r *rule) (string, bool) {
	var ref string
	switch x.levels[r.Q] {
	case "":
		if r.M != "members" {
			return "", false
		}
		// The "members" measure counts resident members.
		ref = residentMembers
	case survey.LevelPerson:
		ref = "../" + r.Q
	case survey.LevelHousehold:
		ref = "/data/" + r.Q
	default:
		return "", false
	}
	lit := func(raw json.RawMessage) (string, bool, bool) { // XPath, is a number, ok
		var b bool
		if json.Unmarshal(raw, &b) == nil {
			if b {
				return "'1'", false, true
			}
			return "'0'", false, true
		}
		var f float64
		if json.Unmarshal(raw, &f) == nil {
			return strconv.FormatFloat(f, 'f', -1, 64), true, true
		}
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return quote(s), false, true
		}
		return "", false, false
	}
	switch {
	case r.Eq != nil:
		v, num, ok := lit(r.Eq)
		if num {
			return "number(" + ref + ") = " + v, ok
		}
		return ref + " = " + v, ok
	case r.In != nil:
		var or []string
		for _, raw := range r.In {
			v, num, ok := lit(raw)
			if !ok || num {
				return "", false
			}
			or = append(or, ref+" = "+v)
		}
		return "(" + strings.Join(or, " or ") + ")", len(or) > 0
	}
	for op, raw := range map[string]json.RawMessage{">=": r.Gte, ">": r.Gt, "<=": r.Lte, "<": r.Lt} {
		if raw != nil {
			v, num, ok := lit(raw)
			if !ok || !num {
				return "", false
			}
			return "number(" + ref + ") " + op + " " + v, true
		}
	}
	return "", false
}
