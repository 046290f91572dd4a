package area

import (
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// levelMask is a set of levels a query word may match.
type levelMask uint8

const anyLevel levelMask = 1<<Country | 1<<Province | 1<<District | 1<<Subdistrict | 1<<Village

func maskOf(l Level) levelMask       { return 1 << l }
func (m levelMask) has(l Level) bool { return m&maskOf(l) != 0 }

// alt is one reading of a query word: a folded key and the levels it may
// match. "บ้านโป่ง" has two: the name บ้านโป่ง at any level, and a village
// named โป่ง.
type alt struct {
	key  string
	mask levelMask
}

// term is one place named in a query, e.g. "ต.เขาขลุง" or "Khao Khlung".
type term struct {
	alts     []alt
	explicit bool     // a level word was given for it
	words    []string // the Latin words joined into it, for re-splitting
}

// query is a parsed search string.
type query struct {
	terms []term
	moo   int      // หมู่ที่ asked for, 0 if none
	codes []string // digit-only words, used when the query is only codes
}

// Level words, as typed. A word on its own applies to the next name; glued
// to a name ("ต.เขาขลุง", "ตำบลเขาขลุง") it applies to that name.
var levelWords = map[string]Level{
	"ต.": Subdistrict, "ตำบล": Subdistrict, "แขวง": Subdistrict,
	"อ.": District, "อำเภอ": District, "เขต": District, "กิ่งอำเภอ": District,
	"จ.": Province, "จังหวัด": Province,
	"tambon": Subdistrict, "khwaeng": Subdistrict, "subdistrict": Subdistrict, "sub-district": Subdistrict, "t.": Subdistrict,
	"amphoe": District, "amphur": District, "khet": District, "district": District, "a.": District,
	"changwat": Province, "province": Province, "ch.": Province,
	"village": Village, "หมู่บ้าน": Village,
}

// englishSuffixes are level words English puts after the name ("Ban Pong
// District"); they apply to the name before them when it has no level yet.
var englishSuffixes = map[string]bool{"province": true, "district": true, "subdistrict": true, "sub-district": true}

// mooWords introduce a village number: "หมู่ 4", "หมู่ที่ 4", "ม.4", "Moo 4".
// Longest first, so "หมู่ที่4" is not read as "หมู่" + "ที่4".
var mooWords = []string{"หมู่ที่", "หมู่", "ม.", "moo", "mu", "m.", "ม"}

// gluedLevels are level words that may be typed stuck to a name. Full words
// could also begin a real name ("ตำบลตลาดเหนือ" is a village), so for them
// the literal reading is kept too; the dotted abbreviations are never part
// of a name.
var gluedLevels = []struct {
	prefix  string
	level   Level
	literal bool
}{
	{"กิ่งอำเภอ", District, true},
	{"ตำบล", Subdistrict, true}, {"อำเภอ", District, true}, {"จังหวัด", Province, true},
	{"แขวง", Subdistrict, true}, {"เขต", District, true},
	{"ต.", Subdistrict, false}, {"อ.", District, false}, {"จ.", Province, false},
}

// parseQuery splits a search string into places. Words are separated by
// spaces (and commas); each Thai word is one place, while consecutive Latin
// words form one place ("Khao Khlung"), so English names with spaces work and
// a comma or a level word separates places ("Khao Khlung, Ban Pong").
func parseQuery(s string) query {
	var q query
	var (
		pending    levelMask // level word waiting for its name
		pendingBan bool      // "บ้าน" on its own
		pendingMoo bool      // "หมู่" waiting for its number
		openLatin  = -1      // index of the Latin term the next Latin word joins
	)
	newTerm := func(t term) {
		q.terms = append(q.terms, t)
		openLatin = -1
	}
	for _, tok := range tokenize(s) {
		if tok == "," {
			openLatin = -1
			continue
		}
		low := strings.ToLower(tok)
		if pendingMoo {
			pendingMoo = false
			if n, ok := number(tok); ok {
				q.moo = n
				continue
			}
		}
		if slices.Contains(mooWords, low) {
			pendingMoo = true
			openLatin = -1
			continue
		}
		if n, ok := gluedMoo(low); ok {
			q.moo = n
			openLatin = -1
			continue
		}
		if lv, ok := levelWords[low]; ok {
			if englishSuffixes[low] && openLatin >= 0 && !q.terms[openLatin].explicit {
				setLevel(&q.terms[openLatin], lv)
				openLatin = -1
				continue
			}
			pending = maskOf(lv)
			openLatin = -1
			continue
		}
		if tok == "บ้าน" {
			pendingBan = true
			openLatin = -1
			continue
		}
		if code, ok := digitsOnly(tok); ok {
			q.codes = append(q.codes, code)
		}

		latin := isLatin(tok)
		if latin && openLatin >= 0 && pending == 0 && !pendingBan {
			t := &q.terms[openLatin]
			t.words = append(t.words, low)
			for i := range t.alts {
				t.alts[i].key += foldKey(tok)
			}
			continue
		}

		t := readWord(tok, pending, pendingBan)
		pending, pendingBan = 0, false
		if latin {
			t.words = []string{low}
			newTerm(t)
			openLatin = len(q.terms) - 1
		} else {
			newTerm(t)
		}
	}
	return q
}

// readWord turns one word into a term, reading a glued level word or "บ้าน"
// and applying a level word or "บ้าน" that came before it.
func readWord(tok string, pending levelMask, ban bool) term {
	t := term{explicit: pending != 0}
	mask := anyLevel
	if pending != 0 {
		mask = pending
	}
	switch {
	case ban:
		// "บ้าน หนองไม้เฝ้า": a village, or a name that starts with บ้าน.
		t.alts = []alt{{foldKey(tok), maskOf(Village)}, {foldKey("บ้าน" + tok), mask}}
		return t
	case pending == 0:
		for _, g := range gluedLevels {
			if rest, ok := strings.CutPrefix(tok, g.prefix); ok && rest != "" {
				t.explicit = true
				t.alts = append(t.alts, alt{foldKey(rest), maskOf(g.level)})
				if g.literal {
					t.alts = append(t.alts, alt{foldKey(tok), anyLevel})
				}
				return t
			}
		}
	}
	t.alts = []alt{{foldKey(tok), mask}}
	if rest, ok := strings.CutPrefix(tok, "บ้าน"); ok && rest != "" && mask.has(Village) {
		// Villages are indexed without their "บ้าน".
		t.alts = append(t.alts, alt{foldKey(rest), maskOf(Village)})
	}
	return t
}

// setLevel restricts a term to one level.
func setLevel(t *term, lv Level) {
	t.explicit = true
	for i := range t.alts {
		t.alts[i].mask = maskOf(lv)
	}
}

// tokenize splits on white space (including U+00A0) and returns each comma
// as a token of its own.
func tokenize(s string) []string {
	return strings.Fields(strings.ReplaceAll(s, ",", " , "))
}

// gluedMoo reads "ม.4", "หมู่4", "หมู่ที่4", "moo4".
func gluedMoo(low string) (int, bool) {
	for _, w := range mooWords {
		if rest, ok := strings.CutPrefix(low, w); ok && rest != "" {
			return number(rest)
		}
	}
	return 0, false
}

// number reads a village number in Arabic or Thai digits.
func number(s string) (int, bool) {
	d, ok := digitsOnly(s)
	if !ok || len(d) > 3 {
		return 0, false
	}
	n, err := strconv.Atoi(d)
	return n, err == nil && n > 0
}

// digitsOnly returns s with Thai digits made Arabic, if s is only digits.
func digitsOnly(s string) (string, bool) {
	if s == "" {
		return "", false
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r >= '๐' && r <= '๙':
			b.WriteRune('0' + r - '๐')
		default:
			return "", false
		}
	}
	return b.String(), true
}

// isLatin reports whether a word starts with a Latin letter.
func isLatin(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return r < utf8.RuneSelf && unicode.IsLetter(r)
}
