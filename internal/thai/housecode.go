package thai

var houseCode = idKind{th: "รหัสประจำบ้าน", en: "house code", digits: 11}

// ValidHouseCode checks an 11-digit DOPA house code (รหัสประจำบ้าน, from the
// house registration book): 4 digits of the registration office (province +
// district, or a municipal office such as 3099), a 6-digit running number and
// a final check digit. Dashes, spaces and Thai digits are allowed and ignored.
//
// Only the length and the digits are checked. DOPA has not published how the
// last digit is computed, and guessing a rule would refuse real houses; the
// office code is not checked against the gazetteer here either, since that is
// data, not a rule of this package.
func ValidHouseCode(s string) error {
	_, err := NormalizeHouseCode(s)
	return err
}

// NormalizeHouseCode checks s like ValidHouseCode and returns the code as 11
// ASCII digits, the form tambon stores and compares.
func NormalizeHouseCode(s string) (string, error) {
	return idDigits(s, houseCode)
}

// FormatHouseCode writes a house code as XXXX-XXXXXX-X (office, running
// number, check digit). Input that is not 11 digits is returned unchanged.
func FormatHouseCode(s string) string {
	d, err := idDigits(s, houseCode)
	if err != nil {
		return s
	}
	return d[0:4] + "-" + d[4:10] + "-" + d[10:11]
}

// MaskHouseCode writes a house code with the house itself hidden,
// 7005-xxxxxx-x: the registration office says only which district the house
// is in, which the area already shows. Input that is not 11 digits is masked
// entirely, so that a malformed value never leaks.
func MaskHouseCode(s string) string {
	d, err := idDigits(s, houseCode)
	if err != nil {
		return "xxxx-xxxxxx-x"
	}
	return d[0:4] + "-xxxxxx-x"
}
