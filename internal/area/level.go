package area

import "strconv"

// Level is the rank of an area in the administrative hierarchy. Its value is
// the number of steps below the country, so it orders areas from the widest
// to the narrowest and is what the store keeps in the areas table.
type Level int

// The levels of the tree, widest first.
const (
	Country     Level = iota // ประเทศไทย, code "TH"
	Province                 // จังหวัด (and กรุงเทพมหานคร), 2 digits
	District                 // อำเภอ, or เขต in Bangkok, 4 digits
	Subdistrict              // ตำบล, or แขวง in Bangkok, 6 digits
	Village                  // หมู่บ้าน, 8 digits, the last two are หมู่ที่
)

// CountryCode is the code of the root of the tree. DOPA codes have no code
// for the whole country, so the ISO 3166 code stands in for it.
const CountryCode = "TH"

var levelNames = [...]string{"country", "province", "district", "subdistrict", "village"}

// String returns the level's lower-case English name ("country", "province",
// "district", "subdistrict", "village"), stable enough for logs, URLs and
// message keys.
func (l Level) String() string {
	if l < Country || l > Village {
		return "level(" + strconv.Itoa(int(l)) + ")"
	}
	return levelNames[l]
}

// LevelOf tells the level of an area code from its shape alone: "TH" is the
// country and 2, 4, 6 and 8 ASCII digits are a province, district,
// subdistrict and village. Anything else reports false. It does not say
// whether the area exists; use [Tree.Get] for that.
func LevelOf(code string) (Level, bool) {
	if code == CountryCode {
		return Country, true
	}
	if !allDigits(code) {
		return 0, false
	}
	switch len(code) {
	case 2:
		return Province, true
	case 4:
		return District, true
	case 6:
		return Subdistrict, true
	case 8:
		return Village, true
	}
	return 0, false
}

// allDigits reports whether s is non-empty and made only of ASCII digits.
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
