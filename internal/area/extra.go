package area

import (
	"slices"
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

// NewMunicipalTambon describes one of the municipal survey areas that the
// จปฐ. numbers like tambons from 51 up (700151: the first municipal area of
// อำเภอเมืองราชบุรี). The gazetteer does not list them, and no source gives
// their names, so the name says what they are.
func NewMunicipalTambon(code string) (Area, bool) {
	if len(code) != 6 || strings.Trim(code, "0123456789") != "" || code[4:] < "50" {
		return Area{}, false
	}
	return Area{Code: code, Level: Subdistrict, NameTH: "เขตเทศบาล " + code[4:], NameEN: "Municipal area " + code[4:], Parent: code[:4]}, true
}

// WithVillages returns a tree that also holds the given areas — villages
// whose tambon exists, and municipal tambons whose amphoe exists (with their
// villages) — and how many it added. The receiver is not changed. The area
// register grows this way when a source names areas the gazetteer and the
// 2559 village list did not have, so that their figures have a place.
func (t *Tree) WithVillages(extra []Area) (*Tree, int) {
	b := &builder{rep: newReporter(), byCode: make(map[string]int32, len(t.areas)+len(extra)), regions: t.regions}
	b.rep.rep = t.report
	for _, a := range t.areas {
		b.byCode[a.Code] = int32(len(b.areas))
		b.areas = append(b.areas, a)
	}
	added := 0
	sorted := slices.Clone(extra)
	slices.SortFunc(sorted, func(x, y Area) int { return strings.Compare(x.Code, y.Code) }) // parents first
	for _, v := range sorted {
		p, ok := b.byCode[v.Parent]
		if !ok || (v.Level != Village && v.Level != Subdistrict) || b.areas[p].Level != v.Level-1 {
			continue
		}
		if _, taken := b.byCode[v.Code]; taken {
			continue
		}
		v.Region = b.areas[p].Region
		b.byCode[v.Code] = int32(len(b.areas))
		b.areas = append(b.areas, v)
		added++
	}
	if added == 0 {
		return t, 0
	}
	return b.build(), added
}
