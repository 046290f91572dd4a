package area

import (
	"fmt"
	"io/fs"
	"slices"
	"strings"
)

// headerNames are the village_name labels of header rows that were pasted
// into the middle of the village file, one per tambon sheet
// ("250939หม,ชื่อหมู่บ้าน").
var headerNames = map[string]bool{"village_name": true, "ชื่อหมู่บ้าน": true}

// villageRow is one data row of the village file with its code classified.
type villageRow struct {
	line   int
	rec    []string // the fields as read, for examples
	code   string   // trimmed
	name   string   // cleaned, commas rejoined
	fix    nameFix
	comma  bool   // the name had unquoted commas and was rejoined
	reason Reason // why the code is unusable; "" for 8 digits, and for 7 (resolved later)
}

// example formats the row for the report.
func (r *villageRow) example() string {
	return fmt.Sprintf("line %d: %s", r.line, strings.Join(r.rec, ","))
}

// readVillages reads the จปฐ. 2559 village list, cleans it and adds the
// villages under their tambons. The rules, in the order they apply:
//
//  1. header rows inside the file are dropped;
//  2. codes are classified: '?' (unreadable), Latin letters (municipal
//     community numbering such as 501471A0), other stray characters, 6 digits
//     (a municipal community list) and other lengths are dropped;
//  3. a 7-digit code is a copy of a nearby row that lost one 0 — but not
//     always the leading one (1412801 is 14128001, 4240401 is 40240401). It
//     is restored only when putting a 0 back at exactly one position gives a
//     code that the file holds with the same name, which makes it a
//     duplicate; otherwise it is dropped as unresolved;
//  4. a code seen before is a duplicate: same name, or different name (the
//     first row wins);
//  5. หมู่ 00 is dropped; so is a code whose tambon is not in the gazetteer
//     (mostly municipal communities, ชุมชน…, numbered under pseudo-tambons).
//
// Names are repaired, not dropped: unquoted commas rejoined, '*' removed,
// spaces collapsed. Repairs are counted for kept rows only.
func (b *builder) readVillages(fsys fs.FS) error {
	t, err := readTable(fsys, fileVillages)
	if err != nil {
		return err
	}
	if _, err := t.need("village_ID", "village_name"); err != nil {
		return err
	}
	rows := make([]villageRow, len(t.rows))
	first := make(map[uint32]int, len(t.rows)) // 8-digit code → index of its first row
	for i, rec := range t.rows {
		r := &rows[i]
		r.line, r.rec = t.line[i], rec
		r.code = strings.TrimSpace(rec[0])
		switch {
		case len(rec) == 2:
			r.name = rec[1]
		case len(rec) > 2:
			r.name = strings.Join(rec[1:], ",")
			r.comma = true
		}
		r.name, r.fix = cleanName(r.name)
		r.reason = classifyVillageCode(r.code, r.name)
		if r.reason == "" && len(r.code) == 8 {
			if _, seen := first[codeNum(r.code)]; !seen {
				first[codeNum(r.code)] = i
			}
		}
	}

	kept := 0
	b.areas = slices.Grow(b.areas, len(rows))
	// Villages come grouped by tambon, so remembering the last tambon saves
	// most map lookups.
	lastTambon, lastIdx, lastOK := "", int32(0), false
	for i := range rows {
		r := &rows[i]
		if r.reason != "" {
			b.rep.note(fileVillages, r.reason, true, r.example)
			continue
		}
		if len(r.code) == 7 {
			code, ok := restoreSevenDigits(r.code, r.name, rows, first)
			if !ok {
				b.rep.note(fileVillages, ReasonCodeSevenUnresolved, true, r.example)
				continue
			}
			b.rep.note(fileVillages, ReasonCodeSevenRestored, false, func() string {
				return fmt.Sprintf("%s → %s (line %d)", r.example(), code, rows[first[codeNum(code)]].line)
			})
			r.code = code
		}
		if j := first[codeNum(r.code)]; j != i {
			reason := ReasonDuplicateSame
			if rows[j].name != r.name {
				reason = ReasonDuplicateDifferent
			}
			b.rep.note(fileVillages, reason, true, func() string {
				return fmt.Sprintf("%s (first at line %d: %s)", r.example(), rows[j].line, rows[j].name)
			})
			continue
		}
		if r.code[6:] == "00" {
			b.rep.note(fileVillages, ReasonMooZero, true, r.example)
			continue
		}
		if tambon := r.code[:6]; tambon != lastTambon {
			i, ok := b.byCode[tambon]
			lastTambon, lastIdx, lastOK = tambon, i, ok
		}
		if !lastOK {
			b.rep.note(fileVillages, ReasonUnknownTambon, true, r.example)
			continue
		}
		if r.name == "" {
			b.rep.note(fileVillages, ReasonEmptyName, true, r.example)
			continue
		}
		if r.comma {
			b.rep.note(fileVillages, ReasonNameComma, false, r.example)
		}
		if r.fix.spaces {
			b.rep.note(fileVillages, ReasonNameSpaces, false, r.example)
		}
		if r.fix.asterisk {
			b.rep.note(fileVillages, ReasonNameAsterisk, false, r.example)
		}
		moo := int(r.code[6]-'0')*10 + int(r.code[7]-'0')
		// Codes are unique by now and names clean, so the village goes in
		// directly rather than through add; nothing is looked up under a
		// village's code while loading, so byCode does not need it.
		b.areas = append(b.areas, Area{Code: r.code, Level: Village, NameTH: r.name, Parent: r.code[:6], Region: b.areas[lastIdx].Region, Moo: moo})
		kept++
	}
	b.rep.file(fileVillages, len(t.rows), kept)
	return nil
}

// classifyVillageCode returns why a village code cannot be used as it is, or
// "" for 8 digits and for 7 digits (which may be restorable).
func classifyVillageCode(code, name string) Reason {
	if headerNames[name] || code == "village_ID" {
		return ReasonHeaderRow
	}
	var digits, letters, question, other int
	for _, r := range code {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '?':
			question++
		case r >= 'A' && r <= 'Z', r >= 'a' && r <= 'z':
			letters++
		default:
			other++
		}
	}
	switch {
	case question > 0:
		return ReasonCodeQuestionMark
	case other > 0:
		return ReasonCodeGarbled
	case letters > 0:
		return ReasonCodeLetters
	case digits == 8, digits == 7:
		return ""
	case digits == 6:
		return ReasonCodeSixDigits
	}
	return ReasonCodeLength
}

// restoreSevenDigits puts a dropped 0 back into a 7-digit code. Every
// position is tried; a candidate is confirmed only if the file has a row with
// that 8-digit code and the same name. Checking the gazetteer instead would
// mislead: 1412801 gives 14120801, a real tambon's หมู่ 1 named "โพธิ์", while
// the row it copies, 14128001 "ชุมชนเขตก.", is a municipal community.
func restoreSevenDigits(code, name string, rows []villageRow, first map[uint32]int) (string, bool) {
	found := ""
	for pos := 0; pos <= len(code); pos++ {
		c := code[:pos] + "0" + code[pos:]
		if c == found {
			continue // a 0 next to a 0 gives the same code twice
		}
		if j, ok := first[codeNum(c)]; ok && rows[j].name == name {
			if found != "" {
				return "", false
			}
			found = c
		}
	}
	return found, found != ""
}

// codeNum is an all-digit code as a number, a cheaper map key than the string.
func codeNum(code string) uint32 {
	var n uint32
	for i := 0; i < len(code); i++ {
		n = n*10 + uint32(code[i]-'0')
	}
	return n
}
