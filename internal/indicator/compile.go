package indicator

import (
	"fmt"
	"slices"
)

// indicator compiles one indicator of a set file and appends it to s.
func (s *Set) indicator(fi *fileIndicator, i int) error {
	path := fmt.Sprintf("indicators[%d] (%s)", i, fi.Code)
	if fi.Code == "" || fi.Name.TH == "" || fi.Name.EN == "" {
		return bi("indicators[%d]: ตัวชี้วัดต้องมีรหัสและชื่อทั้งภาษาไทยและภาษาอังกฤษ", "indicators[%d]: an indicator needs a code and a name in Thai and English", i)
	}
	for _, o := range s.Indicators {
		if o.Code == fi.Code {
			return bi("%s: รหัสนี้ใช้ซ้ำ", "%s: the code is used twice", path)
		}
	}
	if _, ok := s.groupIdx[fi.Group]; !ok {
		return bi("%s: ไม่มีหมวด %q", "%s: unknown group %q", path, fi.Group)
	}
	switch fi.Provenance.Confidence {
	case "S", "R":
	default:
		return bi("%s.provenance.confidence: ต้องเป็น S (มีแหล่งอ้างอิง) หรือ R (เรียบเรียงเอง) ไม่ใช่ %q", "%s.provenance.confidence: must be S (a source says so) or R (recollection), not %q", path, fi.Provenance.Confidence)
	}
	ind := Indicator{Code: fi.Code, Number: fi.Number, Name: fi.Name, Group: fi.Group, Unit: Unit(fi.Unit),
		Who: fi.Who, FailNote: fi.FailNote, Provenance: Provenance(fi.Provenance)}
	if ind.Unit != UnitHousehold && ind.Unit != UnitPerson {
		return bi("%s.unit: ต้องเป็น household หรือ person ไม่ใช่ %q", "%s.unit: must be household or person, not %q", path, fi.Unit)
	}
	cp := &compiler{s: s, person: ind.Unit == UnitPerson}
	ind.elig = everyone
	if fi.Eligible != nil {
		g, err := cp.eligible(fi.Eligible, path+".eligible")
		if err != nil {
			return err
		}
		ind.elig = g
	}
	cp.reads = nil // questions read by eligibility decide who is asked, not what is asked
	switch {
	case (fi.Pass == nil) == (len(fi.Items) == 0):
		return bi("%s: ให้ pass หรือ items อย่างใดอย่างหนึ่ง ไม่ใช่ทั้งสองหรือไม่มีเลย", "%s: give either pass or items, not both or neither", path)
	case fi.Pass != nil:
		n, err := cp.compile(fi.Pass, path+".pass")
		if err != nil {
			return err
		}
		ind.pass, ind.passEval = n, n.eval
	default:
		if err := cp.items(&ind, fi, path); err != nil {
			return err
		}
	}
	ind.needs = cp.needs
	ind.fastPass()
	for _, q := range cp.reads {
		s.questions[q].users = append(s.questions[q].users, len(s.Indicators))
	}
	s.Indicators = append(s.Indicators, ind)
	return nil
}

// items compiles sub-items; the indicator passes when at least MinItems of
// them pass (all of them unless the file says otherwise).
func (cp *compiler) items(ind *Indicator, fi *fileIndicator, path string) error {
	fs := make([]pred, len(fi.Items))
	for j := range fi.Items {
		it := &fi.Items[j]
		if it.Code == "" || slices.ContainsFunc(ind.Items, func(o Item) bool { return o.Code == it.Code }) {
			return bi("%s.items[%d]: รหัสข้อย่อย %q ว่างหรือใช้ซ้ำ", "%s.items[%d]: the item code %q is empty or used twice", path, j, it.Code)
		}
		n, err := cp.compile(&it.Pass, fmt.Sprintf("%s.items[%d] (%s).pass", path, j, it.Code))
		if err != nil {
			return err
		}
		ind.Items = append(ind.Items, Item{Code: it.Code, Label: it.Label, pass: n})
		fs[j] = n.eval
	}
	need := fi.MinItems
	if need == 0 {
		need = len(fs)
	}
	if need < 0 || need > len(fs) {
		return bi("%s.min_items: ต้องอยู่ระหว่าง 1 ถึง %d", "%s.min_items: must be between 1 and %d", path, len(fs))
	}
	ind.MinItems = need
	if f := allEqual(ind.Items, need); f != nil {
		ind.passEval = f
		return nil
	}
	ind.passEval = func(c *ctx, m int) bool {
		passed, left := 0, len(fs)
		for _, f := range fs {
			if f(c, m) {
				passed++
			}
			left--
			if passed >= need {
				return true
			}
			if passed+left < need {
				return false
			}
		}
		return false
	}
	return nil
}

// allEqual returns a call-free check for the common multi-item indicator
// (4, 5, 8, 11-14: every item one household answer compared with a constant,
// all needed), or nil.
func allEqual(items []Item, need int) pred {
	if need != len(items) {
		return nil
	}
	slots, xs := make([]int, len(items)), make([]float64, len(items))
	for i, it := range items {
		if !it.pass.isEq {
			return nil
		}
		slots[i], xs[i] = it.pass.eqSlot, it.pass.eqX
	}
	return func(c *ctx, _ int) bool {
		for i, s := range slots {
			if c.hh[s] != xs[i] {
				return false
			}
		}
		return true
	}
}

// fastPass records the pass rule as data when it is one of the common
// shapes Judge checks inline.
func (ind *Indicator) fastPass() {
	ind.kind = kindCall
	switch {
	case ind.pass != nil && ind.pass.isEq:
		ind.kind, ind.fSlots, ind.fXs = kindHHEq, []int{ind.pass.eqSlot}, []float64{ind.pass.eqX}
	case ind.pass != nil && ind.pass.isPerEq:
		ind.kind, ind.fSlots, ind.fXs = kindPerEq, []int{ind.pass.eqSlot}, []float64{ind.pass.eqX}
	case ind.pass == nil && ind.MinItems == len(ind.Items):
		for _, it := range ind.Items {
			if !it.pass.isEq {
				ind.fSlots, ind.fXs = nil, nil
				return
			}
			ind.fSlots, ind.fXs = append(ind.fSlots, it.pass.eqSlot), append(ind.fXs, it.pass.eqX)
		}
		ind.kind = kindHHEq
	}
}
