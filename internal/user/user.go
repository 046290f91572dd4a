// Package user holds accounts and roles. Every account is bound to an area
// subtree: an enumerator sees their villages, a district officer their
// district, an administrator the whole country.
package user

import (
	"regexp"
	"time"

	"tambon/internal/apperr"
)

// Role is what an account may do inside its area.
type Role string

// The roles, from the most to the least powerful.
const (
	Admin      Role = "admin"      // everything, everywhere in its area (usually the country)
	Province   Role = "province"   // provincial CDD office: certifies rounds
	District   Role = "district"   // district CDD office: verifies rounds
	Tambon     Role = "tambon"     // tambon team: enters and submits data
	Enumerator Role = "enumerator" // collects households in assigned villages
	Partner    Role = "partner"    // sees plans and activities of its area, no personal data
	Viewer     Role = "viewer"     // reads figures
)

// Roles lists every role in order.
var Roles = []Role{Admin, Province, District, Tambon, Enumerator, Partner, Viewer}

// Name returns the role's name in Thai and English.
func (r Role) Name() apperr.Text {
	switch r {
	case Admin:
		return apperr.T("ผู้ดูแลระบบ", "Administrator")
	case Province:
		return apperr.T("เจ้าหน้าที่จังหวัด", "Province officer")
	case District:
		return apperr.T("เจ้าหน้าที่อำเภอ", "District officer")
	case Tambon:
		return apperr.T("ทีมตำบล", "Tambon officer")
	case Enumerator:
		return apperr.T("ผู้จัดเก็บข้อมูล", "Enumerator")
	case Partner:
		return apperr.T("ภาคีเครือข่าย", "Partner")
	case Viewer:
		return apperr.T("ผู้ชม", "Viewer")
	}
	return apperr.T(string(r), string(r))
}

// ParseRole checks a role name.
func ParseRole(s string) (Role, error) {
	for _, r := range Roles {
		if string(r) == s {
			return r, nil
		}
	}
	return "", apperr.New(apperr.Invalid, apperr.Tf(
		"ไม่รู้จักบทบาท %q (ใช้ได้: admin, province, district, tambon, enumerator, partner, viewer)",
		"unknown role %q (one of: admin, province, district, tambon, enumerator, partner, viewer)", s))
}

// User is an account.
type User struct {
	ID           int64
	Username     string
	DisplayName  string
	PasswordHash string
	Role         Role
	AreaCode     string // the root of the subtree the account works in
	Disabled     bool
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

var usernameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,39}$`)

// ValidUsername checks a username: 2-40 lower-case letters, digits, dot,
// dash or underscore, so it can be typed on any phone keyboard.
func ValidUsername(s string) error {
	if !usernameRE.MatchString(s) {
		return apperr.New(apperr.Invalid, apperr.Tf(
			"ชื่อผู้ใช้ %q ใช้ไม่ได้: ใช้อักษรอังกฤษตัวเล็ก ตัวเลข . _ - ได้ 2-40 ตัว",
			"username %q is not valid: use 2-40 lower-case letters, digits, '.', '_' or '-'", s))
	}
	return nil
}
