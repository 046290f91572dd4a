package user

import (
	_ "embed"
	"sort"
	"strings"
	"sync"
	"unicode"

	"tambon/internal/apperr"
)

// The password policy, the one place that says what a new password must be.
// It applies wherever a password is set: `tambon user create` and `passwd`,
// the administrator's account page (create and reset).
//
// MinPasswordLength is 10 characters. Guessing over the network is throttled
// (internal/signin), so length guards mainly against a copy of the database
// being cracked offline: ten characters screened against the common-password
// list are far out of reach of argon2id at 64 MiB per guess, yet still short
// enough for an enumerator to type once into ODK Collect on a phone. NIST SP
// 800-63B asks for at least 8 and for screening against known-bad lists;
// 10 adds a margin for passwords built from a word and a year.
const (
	MinPasswordLength = 10
	MaxPasswordLength = 200 // hashing stays cheap; nobody types more
)

// commonPasswords is the passwords dictionary of the npm package
// @zxcvbn-ts/language-common 4.1.3 (src/passwords.json, 49,233 passwords
// from leaked password lists, MIT licence: commonpasswords.LICENSE), lower-
// cased, sorted and one per line. Fetched with `npm pack
// @zxcvbn-ts/language-common@4.1.3`.
//
//go:embed commonpasswords.txt
var commonPasswordsFile string

// commonList splits the embedded list once; the strings share the embedded
// bytes, so the list costs a slice header per password (≈0.8 MB).
var commonList = sync.OnceValue(func() []string {
	return strings.Split(strings.TrimSpace(commonPasswordsFile), "\n")
})

// IsCommonPassword reports whether p, ignoring case, is in the list of common
// passwords — or is one with digits or punctuation around it
// ("password!!!!", "2567qwerty"), the usual way a list word is made long
// enough.
func IsCommonPassword(p string) bool {
	list := commonList()
	in := func(s string) bool {
		i := sort.SearchStrings(list, s)
		return i < len(list) && list[i] == s
	}
	lower := strings.ToLower(p)
	if in(lower) {
		return true
	}
	core := strings.TrimFunc(lower, func(r rune) bool { return !unicode.IsLetter(r) })
	return len([]rune(core)) >= 4 && core != lower && in(core)
}

// ValidPassword checks a new password for the account username against the
// policy, and says in Thai and English what is wrong.
func ValidPassword(username, p string) error {
	bad := func(th, en string) error {
		return apperr.New(apperr.Invalid, apperr.T("รหัสผ่านใช้ไม่ได้: "+th, "the password is not usable: "+en))
	}
	n := len([]rune(p))
	if n < MinPasswordLength || n > MaxPasswordLength {
		return apperr.New(apperr.Invalid, apperr.Tf(
			"รหัสผ่านใช้ไม่ได้: ต้องยาว %d-%d ตัวอักษร (ใช้หลายคำต่อกันจะจำง่ายกว่า)",
			"the password is not usable: it must be %d to %d characters long (a few words together are easier to remember)",
			MinPasswordLength, MaxPasswordLength))
	}
	if strings.TrimSpace(p) == "" {
		return bad("มีแต่ช่องว่าง", "it is only spaces")
	}
	if oneCharacter(p) {
		return bad("เป็นตัวอักษรเดียวซ้ำกัน", "it repeats a single character")
	}
	lower, name := strings.ToLower(p), strings.ToLower(strings.TrimSpace(username))
	if name != "" && (lower == name || (len(name) >= 3 && strings.Contains(lower, name))) {
		return bad("ต้องไม่ใช่หรือมีชื่อผู้ใช้อยู่ในรหัสผ่าน", "it must not be or contain the username")
	}
	if IsCommonPassword(p) {
		return bad("เป็นรหัสผ่านที่ใช้กันทั่วไปและถูกเดาได้ง่าย", "it is a common password, among the first that attackers try")
	}
	return nil
}

func oneCharacter(p string) bool {
	var first rune
	for i, r := range p {
		if i == 0 {
			first = r
		} else if r != first {
			return false
		}
	}
	return true
}
