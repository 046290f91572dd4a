package dhis2

import (
	"fmt"
	"sort"
	"strconv"

	"tambon/internal/apperr"
	"tambon/internal/area"
	"tambon/internal/engine"
	"tambon/internal/indicator"
)

// Import is what a file holds for one round, checked whole: every area it
// gives, as statistics, and which of them are leaves (no other area of the
// file lies under them).
type Import struct {
	Period string
	Areas  map[string]*engine.Totals
	Leaves []string
	// Notes say what was read but not kept, in Thai and English.
	Notes []apperr.Text
}

// areaAcc gathers one area's values.
type areaAcc struct {
	first                    RawValue
	hh, people, income       *int64
	surveyed, passed, failed []*int64
	score                    []*int64
	deprived                 [][]*int64
}

// Resolve names the values by the mapping and checks them whole: an
// unknown data element, category option combination, organisation unit or
// period, a value that is not a count, the same figure twice, a figure
// without its households, passing and failing that do not add up to those
// surveyed, a count larger than the households (or people) it counts, a
// poverty index whose counts do not fit together, and an area whose figures
// are not the sum of the areas under it given in the file. Every problem is
// reported, with where it is; nothing is kept of a file with one.
func (m *Mapping) Resolve(vals []RawValue, tree *area.Tree, eng *engine.Engine, file string) (*Import, error) {
	var ps apperr.Problems
	bad := func(v RawValue, value string, th, en string, args ...any) {
		ps = append(ps, v.problem(file, value, apperr.Tf(th, en, args...)))
	}
	if len(vals) == 0 {
		return nil, apperr.Problems{{File: file, Reason: apperr.T("ไฟล์ไม่มีค่าข้อมูล (dataValue) เลย", "the file holds no data values")}}
	}
	units := m.orgUnitCodes(tree)
	set := eng.Set()
	nInd := len(set.Indicators)
	indOf := map[string]int{}
	for i, in := range set.Indicators {
		indOf[keySurveyed(in.Code)], indOf[keyResult(in.Code)] = i, i
	}
	mpiOf := map[string]int{}
	for j, id := range m.mpiIndicators() {
		mpiOf[keyDeprived(id)] = j
	}
	rows := 0
	if m.pov != nil {
		rows = int(m.pov.Denominator()) + 1
	}
	imp := &Import{Period: vals[0].Period, Areas: map[string]*engine.Totals{}}
	accs := map[string]*areaAcc{}
	covers := map[string]*coverAcc{}
	seen := map[string]RawValue{}
	headline, scores := false, false
	for _, v := range vals {
		e := m.index.de["id:"+v.DataElement]
		if e == nil {
			e = m.index.de["code:"+v.DataElement]
		}
		if e == nil {
			bad(v, v.DataElement, "ไม่รู้จักรายการข้อมูล (data element) นี้ในการจับคู่ของชุด %s", "no data element of the mapping of set %s has this id or code", m.SetID)
			continue
		}
		code, ok := units[v.OrgUnit]
		if !ok {
			bad(v, v.OrgUnit, "ไม่รู้จักหน่วยงาน (organisation unit) นี้: ต้องเป็นรหัสพื้นที่ หรือ UID ในการจับคู่",
				"unknown organisation unit: it must be an area code or a UID of the mapping")
			continue
		}
		if v.Period != imp.Period {
			bad(v, v.Period, "ไฟล์หนึ่งเป็นของรอบเดียว: ช่วงเวลา (period) นี้ต่างจาก %s ของค่าแรก",
				"a file is of one round: this period differs from %s of the first value", imp.Period)
			continue
		}
		if v.AttributeOptionCombo != "" && v.AttributeOptionCombo != DefaultCOC {
			bad(v, v.AttributeOptionCombo, "tambon รับเฉพาะ attributeOptionCombo ค่าเริ่มต้น (%s)", "tambon takes only the default attributeOptionCombo (%s)", DefaultCOC)
			continue
		}
		opt, ok := m.optionOf(v, e)
		if !ok {
			bad(v, v.CategoryOptionCombo+fmtCats(v.Categories), "หมวดย่อย (category option combo) นี้ไม่ใช่ของรายการข้อมูล %s",
				"this category option combination is not one of data element %s", e.Code)
			continue
		}
		key := e.Key + "|" + opt + "|" + code
		if prev, dup := seen[key]; dup {
			at := prev.Field
			if at == "" {
				at = "row " + strconv.Itoa(prev.Line)
			}
			bad(v, v.Value, "ตัวเลขนี้ซ้ำกับที่ %s", "this figure is given twice, also at %s", at)
			continue
		}
		seen[key] = v
		if e.ValueType == "NUMBER" {
			if _, err := strconv.ParseFloat(v.Value, 64); err != nil {
				bad(v, v.Value, "ค่าต้องเป็นตัวเลข", "the value must be a number")
			}
			headline = true
			continue
		}
		n, err := strconv.ParseInt(v.Value, 10, 64)
		if err != nil || n < 0 && e.ValueType != "INTEGER" {
			bad(v, v.Value, "ค่าต้องเป็นจำนวนเต็มไม่ติดลบ", "the value must be a whole number, not negative")
			continue
		}
		if isCoverKey(e.Key) {
			cv := covers[code]
			if cv == nil {
				cv = &coverAcc{first: v, n: map[string]int64{}}
				covers[code] = cv
			}
			cv.n[e.Key] = n
			continue
		}
		a := accs[code]
		if a == nil {
			a = &areaAcc{first: v, surveyed: make([]*int64, nInd), passed: make([]*int64, nInd), failed: make([]*int64, nInd)}
			if rows > 0 {
				a.score, a.deprived = make([]*int64, rows), make([][]*int64, rows)
			}
			accs[code] = a
		}
		switch k := e.Key; {
		case k == KeyHouseholds:
			a.hh = &n
		case k == KeyPeople:
			a.people = &n
		case k == KeyNetIncome:
			a.income = &n
		case k == KeyMPIN || k == KeyMPIQ:
			headline = true
		case k == KeyMPIScore:
			a.score[scoreRow(opt)] = &n
			scores = true
		default:
			if j, ok := mpiOf[k]; ok {
				s := scoreRow(opt)
				if a.deprived[s] == nil {
					a.deprived[s] = make([]*int64, len(mpiOf))
				}
				a.deprived[s][j] = &n
				continue
			}
			i := indOf[k]
			switch opt {
			case "":
				a.surveyed[i] = &n
			case optPassed:
				a.passed[i] = &n
			case optFailed:
				a.failed[i] = &n
			}
		}
	}
	ps = append(ps, checkCovers(covers, file)...)
	codes := make([]string, 0, len(accs))
	for c := range accs {
		codes = append(codes, c)
	}
	SortCodes(codes)
	for _, c := range codes {
		t, p := m.totalsOf(c, accs[c], set, eng, file)
		ps = append(ps, p...)
		if t != nil {
			imp.Areas[c] = t
		}
	}
	if len(ps) > 0 {
		return nil, ps
	}
	imp.Leaves = leaves(codes)
	sums := rollUp(tree, eng, imp.Areas, imp.Leaves)
	leaf := map[string]bool{}
	for _, l := range imp.Leaves {
		leaf[l] = true
	}
	for _, c := range codes {
		if s := sums[c]; s != nil && !leaf[c] {
			if what := differs(imp.Areas[c], s, set); what != "" {
				ps = append(ps, accs[c].first.problem(file, c, apperr.Tf(
					"ตัวเลขของพื้นที่ %s ไม่เท่ากับผลรวมของพื้นที่ย่อยในไฟล์ (%s)",
					"the figures of area %s are not the sum of the areas under it in the file (%s)", c, what)))
			}
		}
	}
	if len(ps) > 0 {
		return nil, ps
	}
	income := false
	for _, c := range codes {
		if a := accs[c]; a.income != nil {
			income = true
			imp.Areas[c].NetIncome = 0
		}
	}
	if income {
		imp.Notes = append(imp.Notes, apperr.T(
			"รายได้สุทธิของครัวเรือนอ่านและตรวจแล้วแต่ไม่ได้บันทึก: รอบข้อมูลสรุปไม่มีรายได้ (ทุกหน้าแสดงเป็น —) ถ้าต้องการรายได้ ให้นำเข้าข้อมูลครัวเรือน",
			"the households' net income was read and checked but not stored: a round of published aggregates holds no income (pages show —); to keep incomes, import the households"))
	}
	if len(covers) > 0 {
		imp.Notes = append(imp.Notes, apperr.T(
			"ความครอบคลุมและการรับรองอ่านและตรวจแล้วแต่ไม่ได้บันทึก: ระบบนับความครอบคลุมของรอบข้อมูลสรุปจากหมู่บ้านที่มีตัวเลขเอง และรอบข้อมูลสรุปไม่มีการตรวจรับรองในระบบนี้ จึงแสดงเป็นตัวเลขเผยแพร่ ไม่ใช่ตัวเลขที่รับรองแล้ว",
			"coverage and certification were read and checked but not stored: tambon counts an aggregate round's coverage from its villages with figures, and an aggregate round is not reviewed here, so it is shown as published figures, never as certified"))
	}
	if headline && !scores {
		imp.Notes = append(imp.Notes, apperr.T(
			"ตัวเลขสรุปของดัชนีความยากจน (N, Q, H, A, M0) ไม่ได้บันทึก: tambon คำนวณจากจำนวนคนตามคะแนนการขาดแคลน ซึ่งไฟล์นี้ไม่มี",
			"the poverty index's headline figures (N, Q, H, A, M0) were not stored: tambon computes them from the people by deprivation score, which this file lacks"))
	}
	return imp, nil
}

func fmtCats(c map[string]string) string {
	if len(c) == 0 {
		return ""
	}
	keys := make([]string, 0, len(c))
	for k := range c {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	s := ""
	for _, k := range keys {
		s += " " + k + "=" + c[k]
	}
	return s
}

// optionOf is the option key of a value's disaggregation ("" for the
// default), and whether it fits the data element.
func (m *Mapping) optionOf(v RawValue, e *DataElement) (string, bool) {
	if e.Category == "" {
		return "", len(v.Categories) == 0 && (v.CategoryOptionCombo == "" || v.CategoryOptionCombo == DefaultCOC)
	}
	var ref optionRef
	if v.Categories != nil {
		if len(v.Categories) != 1 {
			return "", false
		}
		for c, o := range v.Categories {
			ref = m.index.option[c+"="+o]
		}
	} else {
		ref = m.index.option["id:"+v.CategoryOptionCombo]
	}
	if ref.cat == nil || ref.cat.Key != e.Category {
		return "", false
	}
	return ref.opt.Key, true
}

func scoreRow(opt string) int {
	n, _ := strconv.Atoi(opt[1:])
	return n
}

// orgUnitCodes maps every organisation unit id or code tambon knows to its
// area code: the area codes themselves, the mapping's own UIDs and the
// UIDs tambon derives.
func (m *Mapping) orgUnitCodes(tree *area.Tree) map[string]string {
	m.unitsMu.Lock()
	defer m.unitsMu.Unlock()
	if m.unitsOf == tree && m.units != nil {
		return m.units
	}
	all := tree.All()
	out := make(map[string]string, 2*len(all))
	for _, a := range all {
		out[a.Code] = a.Code
		out[m.OrgUnit(a.Code)] = a.Code
	}
	for code, id := range m.OrgUnits {
		out[id] = code
	}
	m.units, m.unitsOf = out, tree
	return out
}

// totalsOf checks one area's values and makes its statistics.
func (m *Mapping) totalsOf(code string, a *areaAcc, set *indicator.Set, eng *engine.Engine, file string) (*engine.Totals, apperr.Problems) {
	var ps apperr.Problems
	bad := func(th, en string, args ...any) {
		ps = append(ps, a.first.problem(file, code, apperr.Tf(th, en, args...)))
	}
	if a.hh == nil {
		bad("พื้นที่ %s มีตัวเลขแต่ไม่มีจำนวนครัวเรือน (ถ้าถูกปกปิดเพราะน้อย ให้ส่งออกตัวเลขจริงจากต้นทาง)",
			"area %s has figures but no households (if they were withheld as small counts, export the exact figures at the source)", code)
		return nil, ps
	}
	t := eng.NewTotals()
	t.Households = *a.hh
	if a.people != nil {
		t.People = *a.people
	}
	if a.income != nil {
		t.NetIncome = *a.income
	}
	for i, in := range set.Indicators {
		s, p, f := a.surveyed[i], a.passed[i], a.failed[i]
		if s == nil && p == nil && f == nil {
			continue
		}
		if p == nil || f == nil {
			bad("พื้นที่ %s ตัวชี้วัดข้อ %d: ต้องมีทั้งจำนวนผ่านและไม่ผ่าน", "area %s indicator %d: both passed and failed are needed", code, in.Number)
			continue
		}
		if s != nil && *s != *p+*f {
			bad("พื้นที่ %s ตัวชี้วัดข้อ %d: ผ่าน %d + ไม่ผ่าน %d ไม่เท่ากับที่สำรวจ %d", "area %s indicator %d: passed %d + failed %d is not the %d surveyed",
				code, in.Number, *p, *f, *s)
			continue
		}
		n := *p + *f
		switch {
		case in.Unit == indicator.UnitHousehold && n > t.Households:
			bad("พื้นที่ %s ตัวชี้วัดข้อ %d: สำรวจ %d ครัวเรือน มากกว่าครัวเรือนทั้งหมด %d", "area %s indicator %d: %d households surveyed, more than its %d households",
				code, in.Number, n, t.Households)
			continue
		case in.Unit == indicator.UnitPerson && a.people != nil && n > t.People:
			bad("พื้นที่ %s ตัวชี้วัดข้อ %d: สำรวจ %d คน มากกว่าคนทั้งหมด %d", "area %s indicator %d: %d people surveyed, more than its %d people",
				code, in.Number, n, t.People)
			continue
		}
		t.Indicators[i] = engine.Count{Eligible: n, Passed: *p}
	}
	if m.pov != nil && a.score != nil {
		given := false
		byScore, deprived := make([]int64, len(a.score)), make([][]int64, len(a.score))
		var n int64
		for s := range a.score {
			deprived[s] = make([]int64, len(m.mpiIndicators()))
			if a.score[s] != nil {
				given = true
				byScore[s] = *a.score[s]
				n += byScore[s]
			}
			for j, x := range a.deprived[s] {
				if x != nil {
					given = true
					deprived[s][j] = *x
				}
			}
		}
		if given {
			st, err := m.pov.LoadStats(n, byScore, deprived)
			if err != nil {
				msg := apperr.MessageOf(err)
				ps = append(ps, a.first.problem(file, code, apperr.T(fmt.Sprintf("พื้นที่ %s ดัชนีความยากจน: %s", code, msg.TH),
					fmt.Sprintf("area %s poverty index: %s", code, msg.EN))))
			} else {
				t.Poverty = st
			}
		}
	}
	return t, ps
}

// leaves are the codes with no other code of the list under them (codes
// in SortCodes order: an area's descendants follow it).
func leaves(codes []string) []string {
	var out []string
	for i, c := range codes {
		if i+1 < len(codes) && InSubtree(codes[i+1], c) && codes[i+1] != c {
			continue
		}
		out = append(out, c)
	}
	return out
}

// rollUp sums the leaves into every area above them, up to the country.
func rollUp(tree *area.Tree, eng *engine.Engine, areas map[string]*engine.Totals, leaves []string) map[string]*engine.Totals {
	sums := map[string]*engine.Totals{}
	for _, l := range leaves {
		for _, a := range tree.Ancestors(l) {
			s := sums[a.Code]
			if s == nil {
				s = eng.NewTotals()
				sums[a.Code] = s
			}
			s.Add(areas[l])
		}
	}
	return sums
}

// differs names the first figure in which t and s differ, or "".
func differs(t, s *engine.Totals, set *indicator.Set) string {
	switch {
	case t.Households != s.Households:
		return fmt.Sprintf("households %d ≠ %d", t.Households, s.Households)
	case t.People != s.People:
		return fmt.Sprintf("people %d ≠ %d", t.People, s.People)
	case t.NetIncome != s.NetIncome:
		return fmt.Sprintf("net income %d ≠ %d", t.NetIncome, s.NetIncome)
	}
	for i := range t.Indicators {
		if t.Indicators[i] != s.Indicators[i] {
			return fmt.Sprintf("indicator %d %d/%d ≠ %d/%d", set.Indicators[i].Number, t.Indicators[i].Passed, t.Indicators[i].Eligible,
				s.Indicators[i].Passed, s.Indicators[i].Eligible)
		}
	}
	if !t.Equal(s) {
		return "poverty index"
	}
	return ""
}

// RoundTotals are the statistics an aggregate round holds after the
// import: the file's leaves, the leaves of old (the round's statistics
// before) that lie outside every area of the file, and every area above
// them summed. An old leaf with an area of the file under it is dropped,
// so nothing is counted twice.
func (imp *Import) RoundTotals(tree *area.Tree, eng *engine.Engine, old map[string]*engine.Totals) map[string]*engine.Totals {
	out := map[string]*engine.Totals{}
	leavesAll := append([]string(nil), imp.Leaves...)
	for _, l := range imp.Leaves {
		out[l] = imp.Areas[l]
	}
	var oldCodes []string
	for c, t := range old {
		if t != nil && t.Households > 0 && c != area.CountryCode {
			oldCodes = append(oldCodes, c)
		}
	}
	SortCodes(oldCodes)
	given, above := map[string]bool{}, map[string]bool{} // the file's areas; the areas above them
	for c := range imp.Areas {
		given[c] = true
		for _, p := range prefixes(c) {
			above[p] = true
		}
	}
	for _, l := range leaves(oldCodes) {
		keep := !above[l]
		for _, p := range append(prefixes(l), l) {
			keep = keep && !given[p]
		}
		if keep {
			out[l] = old[l]
			leavesAll = append(leavesAll, l)
		}
	}
	for c, s := range rollUp(tree, eng, out, leavesAll) {
		out[c] = s
	}
	return out
}

// prefixes are the codes of the areas above code: the country and the
// shorter DOPA codes it begins with.
func prefixes(code string) []string {
	if code == area.CountryCode {
		return nil
	}
	out := []string{area.CountryCode}
	for n := 2; n < len(code); n += 2 {
		out = append(out, code[:n])
	}
	return out
}

func isCoverKey(k string) bool {
	return k == KeyVillagesWithData || k == KeyVillages || k == KeyTambons || k == KeyTambonsCertified
}

// coverAcc gathers one area's coverage and certification counts.
type coverAcc struct {
	first RawValue
	n     map[string]int64
}

// checkCovers refuses coverage that covers more villages than the register
// has, and more tambons certified than there are.
func checkCovers(covers map[string]*coverAcc, file string) apperr.Problems {
	codes := make([]string, 0, len(covers))
	for c := range covers {
		codes = append(codes, c)
	}
	SortCodes(codes)
	var ps apperr.Problems
	for _, c := range codes {
		cv := covers[c]
		for _, pair := range [][2]string{{KeyVillagesWithData, KeyVillages}, {KeyTambonsCertified, KeyTambons}} {
			part, okp := cv.n[pair[0]]
			whole, okw := cv.n[pair[1]]
			if okp && okw && part > whole {
				ps = append(ps, cv.first.problem(file, c, apperr.Tf("พื้นที่ %s: %s %d มากกว่า %s %d", "area %s: %s %d is more than %s %d",
					c, pair[0], part, pair[1], whole)))
			}
		}
	}
	return ps
}
