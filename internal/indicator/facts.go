package indicator

import (
	"bytes"
	"fmt"
	"math"

	"tambon/internal/apperr"
)

// Person flags a rule can test with {"flag": name}. They come from the roster,
// never from answers, so they are known before any question is asked.
const (
	flagDisabled uint32 = 1 << iota
	flagChronic
	flagBedridden
	flagDependent // cannot look after themselves
	flagWelfareCard
	flagHead
	flagMale
	flagFemale
	flagStudying     // occupation "student"
	flagNoOccupation // occupation "none"
	flagWorking      // any other occupation code
	flagBornRefYear  // born in the reference year
)

var flagNames = map[string]uint32{
	"disabled":               flagDisabled,
	"chronic_ill":            flagChronic,
	"bedridden":              flagBedridden,
	"dependent":              flagDependent,
	"welfare_card":           flagWelfareCard,
	"head":                   flagHead,
	"male":                   flagMale,
	"female":                 flagFemale,
	"studying":               flagStudying,
	"no_occupation":          flagNoOccupation,
	"working":                flagWorking,
	"born_in_reference_year": flagBornRefYear,
}

// measure is a household figure a rule can compare with {"m": name}.
type measure int

const (
	mMembers              measure = iota // resident members
	mIncomePerPerson                     // net income ÷ resident members
	mGrossIncomePerPerson                // gross income ÷ resident members (the form as transcribed)
	mNetIncome
	mGrossIncome
	mCashIncome
	mIncomeMain
	mIncomeSecondary
	mIncomeOther
	mOwnProduce
	mOccupationCosts
	mSavings
	mDebtInSystem
	mDebtOutOfSystem
	nMeasures
)

type measureInfo struct {
	name  string
	label apperr.Text
	unit  apperr.Text
}

var measures = [nMeasures]measureInfo{
	mMembers:              {"members", apperr.T("จำนวนสมาชิก", "members"), apperr.T("คน", "persons")},
	mIncomePerPerson:      {"income_per_person", apperr.T("รายได้เฉลี่ย", "average income"), apperr.T("บาท/คน/ปี", "baht/person/year")},
	mGrossIncomePerPerson: {"gross_income_per_person", apperr.T("รายได้รวมเฉลี่ย", "average gross income"), apperr.T("บาท/คน/ปี", "baht/person/year")},
	mNetIncome:            {"net_income", apperr.T("รายได้สุทธิของครัวเรือน", "household net income"), apperr.T("บาท/ปี", "baht/year")},
	mGrossIncome:          {"gross_income", apperr.T("รายได้รวมของครัวเรือน", "household gross income"), apperr.T("บาท/ปี", "baht/year")},
	mCashIncome:           {"cash_income", apperr.T("รายได้ที่เป็นเงินสด", "cash income"), apperr.T("บาท/ปี", "baht/year")},
	mIncomeMain:           {"income_main", apperr.T("รายได้จากอาชีพหลัก", "income from main occupation"), apperr.T("บาท/ปี", "baht/year")},
	mIncomeSecondary:      {"income_secondary", apperr.T("รายได้จากอาชีพรอง", "income from secondary occupation"), apperr.T("บาท/ปี", "baht/year")},
	mIncomeOther:          {"income_other", apperr.T("รายได้อื่น", "other income"), apperr.T("บาท/ปี", "baht/year")},
	mOwnProduce:           {"own_produce", apperr.T("มูลค่าผลผลิตที่ใช้เอง", "value of own produce"), apperr.T("บาท/ปี", "baht/year")},
	mOccupationCosts:      {"occupation_costs", apperr.T("ต้นทุนการประกอบอาชีพ", "occupational costs"), apperr.T("บาท/ปี", "baht/year")},
	mSavings:              {"savings", apperr.T("เงินออม", "savings"), apperr.T("บาท", "baht")},
	mDebtInSystem:         {"debt_in_system", apperr.T("หนี้ในระบบ", "debt in the system"), apperr.T("บาท", "baht")},
	mDebtOutOfSystem:      {"debt_out_of_system", apperr.T("หนี้นอกระบบ", "debt outside the system"), apperr.T("บาท", "baht")},
}

func measureByName(name string) (measure, bool) {
	for i := range measures {
		if measures[i].name == name {
			return measure(i), true
		}
	}
	return 0, false
}

// measure compiles a comparison of a household measure, such as income
// per person against a threshold.
func (cp *compiler) measure(r *rule, path string) (*node, error) {
	name, op, raw := r.M, "", r.IncomePerPersonGte
	if raw != nil {
		name, op = "income_per_person", "gte"
	} else {
		var err error
		if op, raw, err = cp.comparison(r, path); err != nil {
			return nil, err
		}
		if op == "in" || op == "answered" {
			return nil, cp.errf(path, "ค่าวัดใช้ได้กับ eq, ne, gte, gt, lte หรือ lt", "a measure takes eq, ne, gte, gt, lte or lt")
		}
	}
	k, ok := measureByName(name)
	if !ok {
		return nil, cp.errf(path, "ไม่มีค่าวัด %q", "unknown measure %q", name)
	}
	rhs, err := cp.number(raw, path)
	if err != nil {
		return nil, err
	}
	info, cm := measures[k], cmpByName[op]
	return &node{op: "leaf",
		eval: func(c *ctx, _ int) bool { return cm.holds(c.meas[k], rhs.value(c)) },
		desc: func(c *ctx, _ int) apperr.Text {
			a, b := c.meas[k], rhs.value(c)
			sym := opSymbol[op]
			if !cm.holds(a, b) {
				sym = negSymbol[op]
			}
			return apperr.Text{
				TH: fmt.Sprintf("%s %s %s %s เกณฑ์ %s", info.label.TH, num(a), info.unit.TH, sym, num(b)),
				EN: fmt.Sprintf("%s %s %s %s %s", info.label.EN, num(a), sym, num(b), info.unit.EN),
			}
		}}, nil
}

// negSymbol is the symbol that holds when a comparison fails.
var negSymbol = map[string]string{"eq": "≠", "ne": "=", "gte": "<", "gt": "≤", "lte": ">", "lt": "≥"}

// num formats a figure with thousands separators and at most two decimals.
func num(x float64) string {
	if math.IsNaN(x) {
		return "-"
	}
	neg := x < 0
	if neg {
		x = -x
	}
	r := math.Round(x*100) / 100
	whole := int64(r)
	frac := int64(math.Round((r - float64(whole)) * 100))
	s := fmt.Sprint(whole)
	var b bytes.Buffer
	for i, ch := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(ch)
	}
	if frac != 0 {
		fmt.Fprintf(&b, ".%02d", frac)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
