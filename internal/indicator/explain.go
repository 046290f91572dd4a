package indicator

import (
	"fmt"
	"strings"

	"tambon/internal/apperr"
	"tambon/internal/survey"
)

// Explain judges h like EvaluateCounts and also says why, in one line in Thai
// and English with the figures: which sub-items failed, which members failed
// (by first name and age), or why the indicator does not apply. It allocates
// and is meant for pages that show one household.
func (s *Set) Explain(h *survey.Household, surveyYear int) []Outcome {
	e := s.evaluator()
	defer s.release(e)
	e.Bind(h, surveyYear)
	c := &e.c
	out := e.Counts(make([]Outcome, 0, len(s.Indicators)))
	for i := range s.Indicators {
		out[i].Reason = c.reason(&s.Indicators[i], out[i], surveyYear)
	}
	return out
}

func (c *ctx) reason(ind *Indicator, o Outcome, surveyYear int) apperr.Text {
	switch {
	case len(c.mem) == 0:
		return apperr.T("ไม่มีสมาชิกที่อาศัยอยู่จริง", "nobody actually lives in the household")
	case !c.thresholdsSet(ind):
		for _, t := range ind.needs {
			th := &c.s.Thresholds[t]
			if _, ok := th.ByYear[surveyYear]; !ok {
				return apperr.Text{
					TH: fmt.Sprintf("ยังไม่ได้กำหนด%s สำหรับปี %d", th.Label.TH, surveyYear),
					EN: fmt.Sprintf("no %s is set for survey year %d", strings.ToLower(th.Label.EN), surveyYear),
				}
			}
		}
	case !o.Applicable && ind.Unit == UnitHousehold:
		return apperr.Text{TH: "ไม่เข้าเกณฑ์: " + ind.Who.TH, EN: "not applicable: " + ind.Who.EN}
	case !o.Applicable:
		return apperr.Text{TH: "ไม่มีสมาชิกในกลุ่มเป้าหมาย (" + ind.Who.TH + ")", EN: "no member in the target group (" + ind.Who.EN + ")"}
	case ind.Unit == UnitHousehold && o.Passed == 1:
		if ind.pass != nil && ind.pass.op == "leaf" {
			return ind.pass.desc(c, -1)
		}
		return apperr.T("ผ่าน", "passed")
	case ind.Unit == UnitHousehold:
		return withNote(ind.FailNote, c.failure(ind, -1))
	case o.Passed == o.Eligible:
		return apperr.Tf("ผ่านทุกคน (%d/%d คน)", "all %[2]d eligible members pass", o.Passed, o.Eligible)
	}
	var th, en []string
	for m := range c.mem {
		if !ind.elig.ok(c, m) || ind.passEval(c, m) {
			continue
		}
		who, age := c.h.Members[c.row[m]].FirstName, ageText(c.mem[m])
		what := ind.FailNote
		if what.TH == "" {
			what = c.failure(ind, m)
		}
		th = append(th, fmt.Sprintf("%s (%s) %s", who, age.TH, what.TH))
		en = append(en, fmt.Sprintf("%s (%s) %s", who, age.EN, what.EN))
	}
	return apperr.Text{TH: strings.Join(th, "; "), EN: strings.Join(en, "; ")}
}

func withNote(note, detail apperr.Text) apperr.Text {
	if note.TH == "" {
		return detail
	}
	return apperr.Text{TH: note.TH + ": " + detail.TH, EN: note.EN + ": " + detail.EN}
}

// failure says what failed for the household (m < 0) or member m.
func (c *ctx) failure(ind *Indicator, m int) apperr.Text {
	if ind.pass != nil {
		return c.explain(ind.pass, m)
	}
	var th, en []string
	for _, it := range ind.Items {
		if !it.pass.eval(c, m) {
			t := c.explain(it.pass, m)
			th, en = append(th, it.Code+" "+t.TH), append(en, it.Code+" "+t.EN)
		}
	}
	t := apperr.Text{TH: strings.Join(th, "; "), EN: strings.Join(en, "; ")}
	if ind.MinItems < len(ind.Items) {
		t.TH += fmt.Sprintf(" (ต้องผ่านอย่างน้อย %d จาก %d ข้อ)", ind.MinItems, len(ind.Items))
		t.EN += fmt.Sprintf(" (needs %d of %d)", ind.MinItems, len(ind.Items))
	}
	return t
}

// explain describes why n failed. For "any", it follows the branch whose
// first condition holds (the branch that applies to this household, such as
// "two or more members" for indicator 31), or else the first branch.
func (c *ctx) explain(n *node, m int) apperr.Text {
	switch n.op {
	case "leaf":
		return n.desc(c, m)
	case "not":
		t := c.explain(n.kids[0], m)
		return apperr.Text{TH: "ไม่ควรเป็น: " + t.TH, EN: "should not be: " + t.EN}
	case "any_member":
		return apperr.T("ไม่มีสมาชิกคนใดเข้าเงื่อนไข", "no member meets the condition")
	case "any":
		for _, k := range n.kids {
			if k.op == "all" && k.kids[0].eval(c, m) {
				return c.explain(k, m)
			}
		}
		return c.explain(n.kids[0], m)
	}
	var th, en []string
	for _, k := range n.kids {
		if !k.eval(c, m) {
			t := c.explain(k, m)
			th, en = append(th, t.TH), append(en, t.EN)
		}
	}
	return apperr.Text{TH: strings.Join(th, "; "), EN: strings.Join(en, "; ")}
}
