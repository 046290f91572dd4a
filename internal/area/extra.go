package area

import (
	"strconv"
	"strings"
)

// NewVillage describes a village that the embedded list lacks but a trusted
// source names (a later survey, TPMAP's published rows): its 8-digit code and,
// when known, its name. Its tambon must exist.
func NewVillage(code, nameTH string) (Area, bool) {
	if len(code) != 8 || strings.Trim(code, "0123456789") != "" || code[6:] == "00" {
		return Area{}, false
	}
	moo, _ := strconv.Atoi(code[6:])
	if nameTH == "" {
		nameTH = "หมู่ " + strconv.Itoa(moo)
	}
	return Area{Code: code, Level: Village, NameTH: nameTH, Parent: code[:6], Moo: moo}, true
}

// WithVillages returns a tree that also holds the given villages (those whose
// tambon exists and whose code is new), and how many it added. The receiver
// is not changed. The area register grows this way when a source names
// villages the 2559 list did not have, so that their figures have a place.
func (t *Tree) WithVillages(extra []Area) (*Tree, int) {
	b := &builder{rep: newReporter(), byCode: make(map[string]int32, len(t.areas)+len(extra)), regions: t.regions}
	b.rep.rep = t.report
	for _, a := range t.areas {
		b.byCode[a.Code] = int32(len(b.areas))
		b.areas = append(b.areas, a)
	}
	added := 0
	for _, v := range extra {
		p, ok := t.byCode[v.Parent]
		if v.Level != Village || !ok || t.areas[p].Level != Subdistrict {
			continue
		}
		if _, taken := b.byCode[v.Code]; taken {
			continue
		}
		v.Region = t.areas[p].Region
		b.byCode[v.Code] = int32(len(b.areas))
		b.areas = append(b.areas, v)
		added++
	}
	if added == 0 {
		return t, 0
	}
	return b.build(), added
}
