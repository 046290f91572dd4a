package thai

import "tambon/internal/apperr"

var citizenID = idKind{th: "เลขประจำตัวประชาชน", en: "citizen ID", digits: 13}

// ValidCitizenID checks a 13-digit Thai personal identification number
// (เลขประจำตัวประชาชน) as issued by the Department of Provincial
// Administration (DOPA). Dashes, spaces and Thai digits are allowed and
// ignored. It returns nil or an apperr.Invalid error saying, in Thai and
// English, whether the number has a non-digit (which one, where), the wrong
// number of digits, an impossible first digit or a wrong check digit.
//
// The first digit is the person category. 1–8 are the categories of the
// population register (1–2 Thai born since 1984, 3–5 people registered when
// the numbers began or added later, 6–7 foreigners staying temporarily or
// entered illegally and their Thai-born children, 8 foreigners with permanent
// residence or naturalised). 0 is also real: DOPA gives 0-numbers to people
// without registration status (stateless people, registered migrant workers),
// who live in surveyed households, so 0 is accepted. 9 is reserved for the
// Queen and royal family members who are exempt from registration; it never
// appears in survey data, so it is refused as a typing error.
//
// The 13th digit is the check digit: with d0…d11 the first twelve digits,
// check = (11 − Σ dᵢ·(13−i) mod 11) mod 10. It catches most single typing
// errors but not all: the third digit has weight 11 ≡ 0 and is never checked.
func ValidCitizenID(s string) error {
	_, err := NormalizeCitizenID(s)
	return err
}

// NormalizeCitizenID checks s like ValidCitizenID and returns the ID as 13
// ASCII digits, the form tambon stores and compares.
func NormalizeCitizenID(s string) (string, error) {
	d, err := idDigits(s, citizenID)
	if err != nil {
		return "", err
	}
	if d[0] == '9' {
		return "", apperr.New(apperr.Invalid, apperr.T(
			"เลขประจำตัวประชาชนหลักที่ 1 เป็น 9 ซึ่งไม่ออกให้บุคคลทั่วไป: โปรดตรวจหลักแรก",
			"digit 1 of the citizen ID is 9, which is never issued to the public: check the first digit"))
	}
	if int(d[12]-'0') != citizenCheckDigit(d) {
		return "", apperr.New(apperr.Invalid, apperr.T(
			"เลขประจำตัวประชาชนหลักที่ 13 (เลขตรวจสอบ) ไม่ตรงกับ 12 หลักแรก: มีหลักใดหลักหนึ่งพิมพ์ผิด โปรดตรวจทุกหลักกับบัตร",
			"digit 13 of the citizen ID (the check digit) does not match the first 12: a digit is mistyped; check every digit against the card"))
	}
	return d, nil
}

// citizenCheckDigit computes the check digit of the first 12 digits of d.
func citizenCheckDigit(d string) int {
	sum := 0
	for i := 0; i < 12; i++ {
		sum += int(d[i]-'0') * (13 - i)
	}
	return (11 - sum%11) % 10
}

// FormatCitizenID writes a citizen ID in the grouping printed on the card,
// 1-2345-67890-12-3. The check digit is not verified, so that a wrong ID can
// still be shown for correction; input that is not 13 digits is returned
// unchanged.
func FormatCitizenID(s string) string {
	d, err := idDigits(s, citizenID)
	if err != nil {
		return s
	}
	return d[0:1] + "-" + d[1:5] + "-" + d[5:10] + "-" + d[10:12] + "-" + d[12:13]
}

// MaskCitizenID writes a citizen ID with its personal part hidden,
// 1-2345-xxxxx-xx-3: the category and registration office stay visible so that
// staff can tell records apart, as the PDPA asks of lists shown to people who
// do not need the full number. Input that is not 13 digits is masked
// entirely, so that a malformed value never leaks.
func MaskCitizenID(s string) string {
	d, err := idDigits(s, citizenID)
	if err != nil {
		return "x-xxxx-xxxxx-xx-x"
	}
	return d[0:1] + "-" + d[1:5] + "-xxxxx-xx-" + d[12:13]
}
