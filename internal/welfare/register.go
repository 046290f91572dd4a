package welfare

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"tambon/internal/apperr"
	"tambon/internal/tabular"
	"tambon/internal/thai"
)

// Entry is one person on the register's list: the citizen ID and what the
// register says of them. Names in the file are not read: the ID is what is
// matched, and it is kept only as a keyed hash (see store).
type Entry struct {
	Row        int    // the file's row, for finding the person in the file again
	CitizenID  string // 13 ASCII digits, checked
	Year       int    // registration year, Buddhist era; 0 when the file has none
	Status     string // card status as the register writes it
	IncomeBand string // income band as the register writes it
	Village    string // the 8-digit village of the registered address, when the file has it
}

// The register's columns.
const (
	ColCitizenID  = "citizen_id"
	ColYear       = "registration_year"
	ColStatus     = "card_status"
	ColIncomeBand = "income_band"
	ColVillage    = "village_code"
)

// MaxText bounds the register's free-text cells (status, income band), in
// characters.
const MaxText = 80

// Columns are the register's columns for tabular.Options.Expect, with the
// headers the Ministry of Finance's lists and officials' own sheets use, in
// Thai and English. Only the citizen ID is required.
func Columns() []tabular.Column {
	return []tabular.Column{
		{Key: ColCitizenID, Required: true, Aliases: []string{"เลขประจำตัวประชาชน", "เลขบัตรประชาชน", "เลขประจำตัวประชาชน 13 หลัก",
			"เลขบัตรประจำตัวประชาชน", "citizen id", "national id", "id card", "pid"}},
		{Key: ColYear, Aliases: []string{"ปีที่ลงทะเบียน", "ปีลงทะเบียน", "ปี", "registration year", "year registered", "year"}},
		{Key: ColStatus, Aliases: []string{"สถานะบัตร", "สถานะ", "สถานะบัตรสวัสดิการ", "card status", "status"}},
		{Key: ColIncomeBand, Aliases: []string{"ช่วงรายได้", "รายได้", "ระดับรายได้", "income band", "income"}},
		{Key: ColVillage, Aliases: []string{"รหัสหมู่บ้าน", "village code", "village"}},
	}
}

// VillageCheck says whether a village code may stand on an entry (a real
// village inside the import's area), and why not.
type VillageCheck func(code string) (why apperr.Text, ok bool)

// Read reads every row of rd. Entries come back only when there is no
// problem at all: an import is all or nothing. Every problem is located by
// file, row and column and says why in Thai and English; a citizen ID that
// appears twice is refused at its second row, naming the first.
func Read(rd *tabular.Reader, village VillageCheck) ([]Entry, apperr.Problems, error) {
	at := map[string]int{}
	for _, c := range Columns() {
		if i, ok := rd.Index(c.Key); ok {
			at[c.Key] = i
		} else {
			at[c.Key] = -1
		}
	}
	var (
		out   []Entry
		ps    apperr.Problems
		first = map[string]int{}
	)
	for rd.Next() {
		row := rd.Row()
		e := Entry{Row: row.Num}
		cid, err := thai.NormalizeCitizenID(row.At(at[ColCitizenID]))
		switch {
		case row.At(at[ColCitizenID]) == "":
			ps = append(ps, row.Problem(ColCitizenID, apperr.T("ไม่มีเลขประจำตัวประชาชน", "the citizen ID is missing")))
		case err != nil:
			ps = append(ps, row.Problem(ColCitizenID, apperr.MessageOf(err)))
		case first[cid] > 0:
			ps = append(ps, row.Problem(ColCitizenID, apperr.Tf("เลขประจำตัวประชาชนนี้ซ้ำกับแถว %d", "this citizen ID repeats row %d", first[cid])))
		default:
			first[cid] = row.Num
			e.CitizenID = cid
		}
		if y := row.At(at[ColYear]); y != "" {
			if e.Year = Year(y); e.Year == 0 {
				ps = append(ps, row.Problem(ColYear, apperr.T(
					"ปีที่ลงทะเบียนต้องเป็นปี พ.ศ. 4 หลัก (เช่น 2565) หรือ ค.ศ.", "the registration year must be a 4-digit Buddhist-era year (such as 2565) or a Common Era year")))
			}
		}
		for _, k := range []string{ColStatus, ColIncomeBand} {
			if utf8.RuneCountInString(row.At(at[k])) > MaxText {
				ps = append(ps, row.Problem(k, apperr.Tf("ยาวเกิน %d ตัวอักษร", "longer than %d characters", MaxText)))
			}
		}
		e.Status, e.IncomeBand = row.At(at[ColStatus]), row.At(at[ColIncomeBand])
		if v := row.At(at[ColVillage]); v != "" {
			if why, ok := village(v); !ok {
				ps = append(ps, row.Problem(ColVillage, why))
			}
			e.Village = v
		}
		out = append(out, e)
	}
	if err := rd.Err(); err != nil {
		return nil, nil, err
	}
	if len(ps) > 0 {
		return nil, ps, nil
	}
	if len(out) == 0 {
		return nil, apperr.Problems{{Reason: apperr.T("ไฟล์ไม่มีรายชื่อผู้ลงทะเบียน", "the file lists nobody registered")}}, nil
	}
	return out, nil, nil
}

// Year reads a registration year: a Buddhist-era year (2550–2700), or a
// Common Era one (2000–2157), which it converts; 0 when it is neither.
func Year(s string) int {
	s = strings.TrimSuffix(strings.TrimSpace(thai.FromThaiDigits(s)), ".0")
	y, err := strconv.Atoi(s)
	switch {
	case err != nil:
		return 0
	case y >= 2550 && y <= 2700:
		return y
	case y >= 2000 && y <= 2157:
		return y + 543
	}
	return 0
}

// InArea is the VillageCheck of an import for an area: known says whether
// an 8-digit code names a real village, which must lie inside the area.
// The web upload and the command line both use it.
func InArea(known func(code string) bool, area string) VillageCheck {
	return func(code string) (apperr.Text, bool) {
		if !known(code) {
			return apperr.Tf("ไม่มีหมู่บ้านรหัส %q (ต้องเป็นรหัสหมู่บ้าน 8 หลักของกรมการปกครอง)",
				"there is no village with the code %q (an 8-digit DOPA village code)", code), false
		}
		if !strings.HasPrefix(code, area) {
			return apperr.Tf("หมู่บ้าน %s อยู่นอกพื้นที่ %s ที่นำเข้า", "village %s is outside area %s being imported", code, area), false
		}
		return apperr.Text{}, true
	}
}
