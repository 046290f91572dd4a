// Package partner holds the agencies and people tambon's users work with:
// the provincial and district community development offices, the อบต. or
// เทศบาล, the kamnan and village heads, companies and NGOs — with their
// contacts and the areas they serve. Plans name a responsible partner;
// activities list the partners that took part. It does no I/O.
package partner

import (
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"tambon/internal/apperr"
)

// Kind says what sort of partner this is.
type Kind string

// The kinds. Organisations first, then people.
const (
	ProvinceCDD Kind = "province_cdd" // สำนักงานพัฒนาชุมชนจังหวัด (พช.จังหวัด)
	DistrictCDD Kind = "district_cdd" // สำนักงานพัฒนาชุมชนอำเภอ (พช.อำเภอ)
	LocalGov    Kind = "local_gov"    // องค์การบริหารส่วนตำบล or เทศบาล
	Agency      Kind = "agency"       // another government agency (health, agriculture, school …)
	Company     Kind = "company"      // a private company
	NGO         Kind = "ngo"          // a foundation, association or community group
	Kamnan      Kind = "kamnan"       // กำนัน
	VillageHead Kind = "village_head" // ผู้ใหญ่บ้าน
	Person      Kind = "person"       // any other person: an official, a representative, a volunteer
)

// Kinds lists every kind in the order forms offer them.
var Kinds = []Kind{ProvinceCDD, DistrictCDD, LocalGov, Agency, Company, NGO, Kamnan, VillageHead, Person}

// IsPerson reports whether partners of this kind are people rather than
// organisations. People may belong to an organisation (Partner.OrgID).
func (k Kind) IsPerson() bool { return k == Kamnan || k == VillageHead || k == Person }

// Name returns the kind's name in Thai and English.
func (k Kind) Name() apperr.Text {
	switch k {
	case ProvinceCDD:
		return apperr.T("สำนักงานพัฒนาชุมชนจังหวัด", "Provincial community development office")
	case DistrictCDD:
		return apperr.T("สำนักงานพัฒนาชุมชนอำเภอ", "District community development office")
	case LocalGov:
		return apperr.T("องค์กรปกครองส่วนท้องถิ่น (อบต./เทศบาล)", "Local government (SAO or municipality)")
	case Agency:
		return apperr.T("หน่วยงานราชการอื่น", "Other government agency")
	case Company:
		return apperr.T("บริษัทเอกชน", "Private company")
	case NGO:
		return apperr.T("องค์กรพัฒนาเอกชน/กลุ่มชุมชน", "NGO or community group")
	case Kamnan:
		return apperr.T("กำนัน", "Kamnan (tambon headman)")
	case VillageHead:
		return apperr.T("ผู้ใหญ่บ้าน", "Village head")
	case Person:
		return apperr.T("บุคคล", "Person")
	}
	return apperr.T(string(k), string(k))
}

// ParseKind checks a kind's name.
func ParseKind(s string) (Kind, error) {
	for _, k := range Kinds {
		if string(k) == s {
			return k, nil
		}
	}
	names := make([]string, len(Kinds))
	for i, k := range Kinds {
		names[i] = string(k)
	}
	list := strings.Join(names, ", ")
	return "", apperr.New(apperr.Invalid, apperr.Tf("ไม่รู้จักประเภทภาคี %q (ใช้ได้: %s)",
		"unknown partner kind %q (one of: %s)", s, list))
}

// Partner is an agency or a person that works with the tambon team.
type Partner struct {
	ID     int64
	Kind   Kind
	NameTH string // e.g. "สำนักงานพัฒนาชุมชนจังหวัดราชบุรี" or "นายสมชาย ใจดี"
	NameEN string // optional
	// PositionTH/EN is a person's title or role, e.g. "นายกองค์การบริหารส่วนตำบลเขาขลุง".
	PositionTH string
	PositionEN string
	// OrgID is the organisation a person belongs to (0 for none).
	OrgID int64
	// AreaCode is where the partner sits: its office's tambon, province … It
	// decides who may edit the record (an account covering this area).
	AreaCode string
	// Serves lists the areas the partner works in (at least AreaCode).
	Serves  []string
	Phone   string
	Email   string
	Address string
	Note    string

	CreatedAt time.Time
	UpdatedAt time.Time
	CreatedBy string
}

// Name returns the partner's name in lang, Thai when there is no English one.
func (p Partner) Name(lang string) string {
	if lang == "en" && p.NameEN != "" {
		return p.NameEN
	}
	return p.NameTH
}

// Position returns the person's position in lang, Thai when there is no English one.
func (p Partner) Position(lang string) string {
	if lang == "en" && p.PositionEN != "" {
		return p.PositionEN
	}
	return p.PositionTH
}

// WorksIn reports whether the partner works in an area: it sits in or
// serves that area, an area inside it, an area that contains it, or the
// whole country ("TH"). It is Filter.Serves for one partner.
//
// It is also the rule for who may see and name a partner: an account may
// open a partner's page, and a form (an activity's partners and organiser,
// a plan item's responsible partner, a person's organisation) may refer to
// a partner, only when the partner works in the account's area — so a
// tambon team names its own partners and the provincial and national
// offices that serve it, never another province's.
func (p Partner) WorksIn(code string) bool {
	if code == "" {
		return false
	}
	for _, c := range append([]string{p.AreaCode}, p.Serves...) {
		if c == "" {
			continue
		}
		if c == "TH" || code == "TH" || strings.HasPrefix(c, code) || strings.HasPrefix(code, c) {
			return true
		}
	}
	return false
}

// Filter selects partners. The zero value selects all.
type Filter struct {
	// Within keeps partners that sit in, or serve an area in, this subtree
	// ("70" keeps everything in Ratchaburi; "" or "TH" keeps all).
	Within string
	// Serves keeps partners that work in this area: they serve it, an area
	// that contains it (a provincial office serves each of its tambons) or an
	// area inside it.
	Serves string
	Kind   Kind
	// Search matches a part of the Thai or English name or position.
	Search string
	Limit  int // 0 means 500
}

// Field limits, in characters.
const (
	MaxName    = 200
	MaxText    = 2000
	MaxContact = 200
)

// Normalize trims every text field, drops duplicate served areas and makes
// sure the partner serves at least its own area.
func (p *Partner) Normalize() {
	for _, s := range []*string{&p.NameTH, &p.NameEN, &p.PositionTH, &p.PositionEN, &p.AreaCode, &p.Phone, &p.Email, &p.Address, &p.Note} {
		*s = strings.TrimSpace(*s)
	}
	seen := map[string]bool{}
	var serves []string
	for _, a := range append([]string{p.AreaCode}, p.Serves...) {
		a = strings.TrimSpace(a)
		if a == "" || seen[a] {
			continue
		}
		seen[a] = true
		serves = append(serves, a)
	}
	p.Serves = serves
}

// Validate checks a normalized partner and names every field that is wrong.
// Whether the area codes exist is the store's question.
func (p Partner) Validate() error {
	var ps apperr.Problems
	add := func(field, value string, reason apperr.Text) {
		ps = append(ps, apperr.Problem{Field: field, Value: value, Reason: reason})
	}
	if _, err := ParseKind(string(p.Kind)); err != nil {
		add("kind", string(p.Kind), apperr.MessageOf(err))
	}
	if p.NameTH == "" {
		add("name_th", "", apperr.T("ต้องระบุชื่อภาษาไทย", "the Thai name is required"))
	}
	limits := []struct {
		field, value string
		max          int
	}{
		{"name_th", p.NameTH, MaxName}, {"name_en", p.NameEN, MaxName},
		{"position_th", p.PositionTH, MaxName}, {"position_en", p.PositionEN, MaxName},
		{"phone", p.Phone, MaxContact}, {"email", p.Email, MaxContact},
		{"address", p.Address, MaxText}, {"note", p.Note, MaxText},
	}
	for _, l := range limits {
		if utf8.RuneCountInString(l.value) > l.max {
			add(l.field, "", apperr.Tf("ยาวเกิน %d ตัวอักษร", "longer than %d characters", l.max))
		}
	}
	if p.Email != "" {
		if a, err := mail.ParseAddress(p.Email); err != nil || a.Address != p.Email {
			add("email", p.Email, apperr.T("ไม่ใช่ที่อยู่อีเมลที่ถูกต้อง (เช่น name@example.org)", "not a valid e-mail address (e.g. name@example.org)"))
		}
	}
	if p.Phone != "" && strings.Trim(p.Phone, "0123456789 +-()#,") != "" {
		add("phone", p.Phone, apperr.T("หมายเลขโทรศัพท์มีได้เฉพาะตัวเลข เว้นวรรค + - ( ) และ ,", "a phone number may hold only digits, spaces, + - ( ) and commas"))
	}
	if p.AreaCode == "" {
		add("area_code", "", apperr.T("ต้องระบุพื้นที่ที่ตั้ง", "the area where the partner sits is required"))
	}
	for i, a := range p.Serves {
		if a != "TH" && strings.Trim(a, "0123456789") != "" {
			add("serves", a, apperr.Tf("รหัสพื้นที่ลำดับที่ %d ต้องเป็นตัวเลข (เช่น 700513)", "area code number %d must be digits (e.g. 700513)", i+1))
		}
	}
	if p.OrgID != 0 && !p.Kind.IsPerson() {
		add("org_id", "", apperr.T("สังกัดหน่วยงานได้เฉพาะภาคีที่เป็นบุคคล", "only a person can belong to an organisation"))
	}
	if p.OrgID != 0 && p.OrgID == p.ID {
		add("org_id", "", apperr.T("ภาคีสังกัดตัวเองไม่ได้", "a partner cannot belong to itself"))
	}
	if len(ps) > 0 {
		return ps
	}
	return nil
}
