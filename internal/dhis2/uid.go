package dhis2

import "crypto/sha256"

const (
	uidLetters  = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	uidAlphanum = uidLetters + "0123456789"
)

// The DHIS2 defaults every instance has, with the same identifiers: figures
// without disaggregation use them.
const (
	DefaultCategoryCombo = "bjDvmb4bfuf"
	DefaultCOC           = "HllvX50cXC0" // the default category option combo
)

// UID is the DHIS2 identifier tambon gives one of its objects: 11
// characters, a letter first, the rest letters and digits, derived from
// what the object is (kind) and tambon's code for it (key). The same kind
// and key always give the same UID, so metadata generated twice matches.
// The bias of taking bytes modulo 52 or 62 is immaterial for identifiers.
func UID(kind, key string) string {
	sum := sha256.Sum256([]byte("tambon/dhis2/" + kind + "/" + key))
	b := make([]byte, 11)
	b[0] = uidLetters[int(sum[0])%len(uidLetters)]
	for i := 1; i < 11; i++ {
		b[i] = uidAlphanum[int(sum[i])%len(uidAlphanum)]
	}
	return string(b)
}

// ValidUID reports whether s has the shape of a DHIS2 UID.
func ValidUID(s string) bool {
	if len(s) != 11 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if i == 0 && !letter || !letter && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}
