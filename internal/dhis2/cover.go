package dhis2

import (
	"time"

	"tambon/internal/area"
	"tambon/internal/thai"
)

// Cover is what one area's figures stand on and how far they are
// certified, as every published figure says beside it (docs/publishing.md):
// villages with data out of the register's and, for a round reviewed here,
// tambons the province has certified out of those in the figures. It
// counts areas, never households or people, so it reveals no count the
// disclosure rules withhold.
type Cover struct {
	Villages, VillagesWithData int
	// Reviewed is false for a round of published aggregates (TPMAP's, or
	// figures imported from DHIS2), which nobody reviews here: its figures
	// carry no certification at all, so they never look certified.
	Reviewed           bool
	Tambons, Certified int
	// CertifiedOn is when the last of the area's tambons was certified;
	// zero unless all are. It is DHIS2's completeDate.
	CertifiedOn time.Time
	// TambonsLeftOut and VillagesLeftOut are the uncertified tambons, and
	// their villages with data, left out of public figures under
	// `serve --publish certified`.
	TambonsLeftOut, VillagesLeftOut int
}

// IsCertified reports whether the figures are certified: the round is
// reviewed here and the province has certified every tambon in them.
func (c *Cover) IsCertified() bool {
	return c != nil && c.Reviewed && c.Tambons > 0 && c.Certified == c.Tambons
}

// Tambon is one tambon's share of a round, as the store lists it: its
// villages with data, and whether and when the province certified it.
type Tambon struct {
	Code        string
	Villages    int
	Certified   bool
	CertifiedOn time.Time
}

// Covers are the covers of the areas given, worked out from the tambons
// holding data under them (one read of the store for a whole subtree) as
// the results API works them out for a signed-in caller: every tambon
// counted. reviewed is false for a round of published aggregates.
func Covers(tree *area.Tree, codes []string, tambons []Tambon, reviewed bool) map[string]*Cover {
	// Sums by every area above the tambons: the country, provinces, amphoes.
	sums := map[string]*Cover{}
	byCode := map[string]Tambon{}
	for _, t := range tambons {
		byCode[t.Code] = t
		for _, p := range append(prefixes(t.Code), t.Code) {
			c := sums[p]
			if c == nil {
				c = &Cover{Reviewed: reviewed}
				sums[p] = c
			}
			c.add(t, t.Villages)
		}
	}
	out := make(map[string]*Cover, len(codes))
	for _, code := range codes {
		c := &Cover{Reviewed: reviewed}
		switch {
		case len(code) > 6: // a village: itself, in its tambon
			if t, ok := byCode[code[:6]]; ok {
				c.add(t, 1)
			}
		case sums[code] != nil:
			*c = *sums[code]
		}
		c.finish(tree.Villages(code))
		out[code] = c
	}
	return out
}

func (c *Cover) add(t Tambon, villages int) {
	c.Tambons++
	c.VillagesWithData += villages
	if t.Certified {
		c.Certified++
		if t.CertifiedOn.After(c.CertifiedOn) {
			c.CertifiedOn = t.CertifiedOn
		}
	}
}

// finish sets the register's villages (a village a source added after the
// tree was built still counts) and drops the date of figures not wholly
// certified.
func (c *Cover) finish(register int) {
	c.Villages = max(register, c.VillagesWithData+c.VillagesLeftOut)
	if !c.IsCertified() {
		c.CertifiedOn = time.Time{}
	}
}

// LastCertified is when the last certified tambon within code was
// certified: the completeDate of figures a caller knows to be certified.
func LastCertified(code string, tambons []Tambon) time.Time {
	var last time.Time
	for _, t := range tambons {
		inside := code == area.CountryCode || len(code) <= 6 && InSubtree(t.Code, code) || len(code) > 6 && t.Code == code[:6]
		if inside && t.Certified && t.CertifiedOn.After(last) {
			last = t.CertifiedOn
		}
	}
	return last
}

// PublicCover is a cover as the results API gives it to its caller (the
// public's leaves uncertified tambons out under --publish certified), with
// the date of certification from the store's list.
func PublicCover(code string, c Cover, tambons []Tambon) *Cover {
	if c.IsCertified() {
		c.CertifiedOn = LastCertified(code, tambons)
	}
	c.finish(c.Villages)
	return &c
}

// coverageNote and certificationNote are the cover said in words, Thai then English, for the comment of
// a data value: what a DHIS2 user reading the value sees beside it.
func (c *Cover) coverageNote() string {
	s := "ข้อมูล " + thai.FormatInt(int64(c.VillagesWithData)) + " จาก " + thai.FormatInt(int64(c.Villages)) + " หมู่บ้าน"
	en := "data from " + thai.FormatInt(int64(c.VillagesWithData)) + " of " + thai.FormatInt(int64(c.Villages)) + " villages"
	if c.TambonsLeftOut > 0 {
		s += " ไม่รวม " + thai.FormatInt(int64(c.TambonsLeftOut)) + " ตำบลที่ยังไม่รับรอง"
		en += ", leaving out " + thai.FormatInt(int64(c.TambonsLeftOut)) + " tambons not yet certified"
	}
	if !c.Reviewed {
		s += " · ตัวเลขเผยแพร่ ไม่ได้ตรวจรับรองในระบบนี้"
		en += "; published figures, not reviewed here"
	}
	return s + " (" + en + ")"
}

func (c *Cover) certificationNote() string {
	n, of := thai.FormatInt(int64(c.Certified)), thai.FormatInt(int64(c.Tambons))
	if c.IsCertified() {
		if c.CertifiedOn.IsZero() {
			return "รับรองแล้ว: จังหวัดรับรองครบ " + of + " ตำบล (certified: " + of + " of " + of + " tambons certified by the province)"
		}
		on := c.CertifiedOn.UTC().Format(time.DateOnly)
		return "รับรองแล้ว: จังหวัดรับรองครบ " + of + " ตำบล ล่าสุดเมื่อ " + on + " (certified: " + of + " of " + of + " tambons certified by the province, the last on " + on + ")"
	}
	return "ยังไม่รับรอง: จังหวัดรับรองแล้ว " + n + " จาก " + of + " ตำบล (provisional: " + n + " of " + of + " tambons certified by the province)"
}

// coverElements are the data elements of coverage and certification: plain
// counts of areas, so that DHIS2 keeps them as it keeps any figure, shows
// them beside the figures in the same data set and can sum and divide them
// (a share of tambons certified is an indicator of two of them).
func coverElements() []DataElement {
	el := func(key, code, name, desc string) DataElement {
		return DataElement{Key: key, Object: Object{ID: UID("dataElement", key), Code: code, Name: name, ShortName: shortName(name), Description: desc},
			ValueType: "INTEGER_ZERO_OR_POSITIVE", Aggregation: "SUM"}
	}
	return []DataElement{
		el(KeyVillagesWithData, "TBN_VILLAGES_WITH_DATA", "tambon หมู่บ้านที่มีข้อมูล (villages with data)",
			"หมู่บ้านที่มีครัวเรือนอยู่ในตัวเลขของพื้นที่ในรอบนี้ คู่กับหมู่บ้านในทะเบียน บอกว่าตัวเลขครอบคลุมเท่าใด (villages whose households are in the area's figures of the round; "+
				"with the villages in the register it says what the figures cover. There is no household register: coverage is counted in villages)"),
		el(KeyVillages, "TBN_VILLAGES", "tambon หมู่บ้านในทะเบียน (villages in the register)",
			"หมู่บ้านของพื้นที่ตามทะเบียนพื้นที่ของกรมการปกครอง (the area's villages in the DOPA register)"),
		el(KeyTambons, "TBN_TAMBONS", "tambon ตำบลในตัวเลข (tambons in the figures)",
			"ตำบลที่มีข้อมูลอยู่ในตัวเลขของพื้นที่ ตัวเลขรับรองแล้วเมื่อจังหวัดรับรองครบทุกตำบล และเฉพาะเมื่อนั้นชุดข้อมูลจึงมี completeDate "+
				"รอบข้อมูลสรุปที่เผยแพร่ไม่มีตัวเลขนี้ (tambons with data in the area's figures; the figures are certified when the province has certified all of them, "+
				"and only then does the data set carry a completeDate. Rounds of published aggregates are not reviewed and have no value)"),
		el(KeyTambonsCertified, "TBN_TAMBONS_CERTIFIED", "tambon ตำบลที่จังหวัดรับรองแล้ว (tambons certified by the province)",
			"ตำบลในตัวเลขที่จังหวัดรับรองแล้ว (ตำบลส่ง อำเภอตรวจ จังหวัดรับรอง) น้อยกว่าตำบลในตัวเลข แปลว่าตัวเลขยังไม่รับรอง "+
				"(tambons in the figures the province has certified: tambon submits, district verifies, province certifies; fewer than the tambons in the figures means provisional)"),
	}
}
