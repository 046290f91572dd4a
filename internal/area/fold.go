package area

import "unicode"

// foldKey turns a name or a query word into the form the search index
// compares, so that the spellings people type match the spellings in the
// data:
//
//   - Latin letters are lower-cased ("Khao Khlung" = "khao khlung");
//   - Thai digits are Arabic digits (๔ = 4);
//   - NIKHAHIT + SARA AA, a common way of typing SARA AM, is SARA AM (ํา = ำ);
//   - spaces, punctuation and symbols are dropped ("Su-ngai Padi" =
//     "sungaipadi", "กรุงเทพฯ" = "กรุงเทพ", "(ม.1)" = "ม1").
//
// Thai characters are then written as one byte each (U+0E01..U+0E5B become
// 0xA1..0xFB, the TIS-620 layout) instead of three UTF-8 bytes. The result is
// not UTF-8; it is only compared with other keys. One byte per character
// makes the index a third of the size and lets substring search skip ahead on
// the first character, which in UTF-8 would be the same lead byte (0xE0) for
// every Thai letter.
func foldKey(s string) string {
	return string(appendFold(make([]byte, 0, len(s)), s))
}

// appendFold appends the folded form of s to out (see foldKey), so the index
// builder can fold into one buffer and allocate only for new keys.
func appendFold(out []byte, s string) []byte {
	for _, r := range s {
		switch {
		case r == '\u0e32' && len(out) > 0 && out[len(out)-1] == thaiByte('\u0e4d'):
			out[len(out)-1] = thaiByte('\u0e33') // ํ + า → ำ
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			out = append(out, byte(r))
		case r >= 'A' && r <= 'Z':
			out = append(out, byte(r)+'a'-'A')
		case r >= '\u0e50' && r <= '\u0e59': // Thai digits
			out = append(out, byte('0'+r-'\u0e50'))
		case r == 'ฯ': // PAIYANNOI marks an abbreviation ("กรุงเทพฯ"); it is not spelled out
		case r >= '\u0e01' && r <= '\u0e5b':
			if unicode.IsLetter(r) || unicode.IsMark(r) {
				out = append(out, thaiByte(r))
			}
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			// Other scripts do not occur in the data; keep them apart from
			// Thai and ASCII without claiming to match them exactly.
			out = append(out, 0x80)
		}
	}
	return out
}

// thaiByte is the one-byte (TIS-620) form of a Thai character.
func thaiByte(r rune) byte { return byte(0xa0 + r - '\u0e00') }
