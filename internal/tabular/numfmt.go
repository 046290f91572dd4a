package tabular

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Formats tabular substitutes for a workbook's own when reading. Cells come
// back as text, so a date must be text a program can parse, whatever the
// official's locale showed: Thai Excel displays 15/3/2566 for the serial
// number that means 2023-03-15.
//
// The [$-409] (en-US) locale tag changes nothing in the output; it lets
// excelize find its language table by a direct lookup instead of a scan of
// every language for each cell, which made reading dates ten times slower.
const (
	isoDate     = "[$-409]yyyy-mm-dd"
	isoDateTime = "[$-409]yyyy-mm-dd hh:mm:ss"
	isoTime     = "[$-409]hh:mm:ss"
)

// rawNumFmtID is a number-format id that is neither built in nor defined, so
// excelize returns the cell's stored value unformatted: 38000 rather than
// "38,000", 0.125 rather than "13%", all thirteen digits of a citizen ID
// rather than 1.23457E+12.
const rawNumFmtID = 1 << 30

// normaliseFormats rewrites the workbook's cell styles, in memory only, so
// that excelize's Rows iterator returns dates as ISO text and every other
// number as a plain decimal. excelize's iterator returns either formatted or
// raw text but never the cell's style, so a date cannot be recognised after
// the fact; rewriting the formats before reading is the one place where the
// style is still known. Text cells are unaffected: excelize formats only
// numeric values.
func normaliseFormats(f *excelize.File) error {
	if f.Styles == nil || f.Styles.CellXfs == nil {
		return nil
	}
	custom := map[int]string{}
	if f.Styles.NumFmts != nil {
		for _, nf := range f.Styles.NumFmts.NumFmt {
			if nf != nil {
				custom[nf.NumFmtID] = nf.FormatCode
			}
		}
	}
	ids := map[dateKind]int{}
	for _, k := range []struct {
		kind dateKind
		code string
	}{{kindDate, isoDate}, {kindDateTime, isoDateTime}, {kindTime, isoTime}} {
		code := k.code
		style, err := f.NewStyle(&excelize.Style{CustomNumFmt: &code})
		if err != nil {
			return fmt.Errorf("add %s style: %w", code, err)
		}
		id := f.Styles.CellXfs.Xf[style].NumFmtID
		if id == nil {
			return fmt.Errorf("add %s style: no number format id", code)
		}
		ids[k.kind] = *id
	}
	raw := rawNumFmtID
	for i := range f.Styles.CellXfs.Xf {
		xf := &f.Styles.CellXfs.Xf[i]
		id := 0
		if xf.NumFmtID != nil {
			id = *xf.NumFmtID
		}
		kind := builtinKind(id)
		if code, ok := custom[id]; ok {
			kind = classifyFormat(code)
		}
		if kind == kindNumber {
			xf.NumFmtID = &raw
			continue
		}
		v := ids[kind]
		xf.NumFmtID = &v
	}
	return nil
}

type dateKind int

const (
	kindNumber dateKind = iota
	kindDate
	kindDateTime
	kindTime
)

// builtinKind classifies Excel's built-in format ids, including the
// locale-dependent ones (27-36, 50-58 for East Asian locales and 71-81 for
// Thai) that excelize only knows by culture.
func builtinKind(id int) dateKind {
	switch {
	case id >= 14 && id <= 17, id >= 27 && id <= 31, id >= 34 && id <= 36,
		id >= 50 && id <= 58, id >= 71 && id <= 75:
		return kindDate
	case id == 22 || id == 76:
		return kindDateTime
	case id >= 18 && id <= 21, id >= 45 && id <= 47, id == 32 || id == 33, id >= 77 && id <= 81:
		return kindTime
	}
	return kindNumber
}

// classifyFormat reads a custom format code the way Excel does: quoted text,
// escaped characters and bracketed parts ([Red], [$-th-TH], [$-D07041E]) are
// not tokens, except elapsed-time brackets such as [h]. Year (y, and b for the
// Buddhist era Thai Excel uses), day or month tokens make a date; hours or
// seconds make a time. A scientific "E+" is a number, not a date.
func classifyFormat(code string) dateKind {
	if i := strings.IndexByte(code, ';'); i >= 0 {
		code = code[:i] // the positive section decides
	}
	var b strings.Builder
	for i := 0; i < len(code); i++ {
		switch c := code[i]; c {
		case '"':
			if j := strings.IndexByte(code[i+1:], '"'); j >= 0 {
				i += j + 1
			} else {
				i = len(code)
			}
		case '\\', '_', '*':
			i++
		case '[':
			j := strings.IndexByte(code[i:], ']')
			if j < 0 {
				i = len(code)
				break
			}
			inner := strings.ToLower(code[i+1 : i+j])
			if strings.Trim(inner, "hms") == "" {
				b.WriteString(inner)
			}
			i += j
		default:
			b.WriteByte(c)
		}
	}
	s := strings.ToLower(b.String())
	s = strings.ReplaceAll(s, "general", "")
	if strings.Contains(s, "e+") || strings.Contains(s, "e-") {
		return kindNumber
	}
	s = strings.NewReplacer("am/pm", "", "a/p", "").Replace(s)
	hasDate := strings.ContainsAny(s, "ydb")
	hasTime := strings.ContainsAny(s, "hs")
	if !hasDate && !hasTime && strings.ContainsRune(s, 'm') {
		hasDate = true // "mmm" alone is a month
	}
	switch {
	case hasDate && hasTime:
		return kindDateTime
	case hasDate:
		return kindDate
	case hasTime:
		return kindTime
	}
	return kindNumber
}
