package tabular

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"tambon/internal/apperr"
)

// metaParts are the parts of a workbook excelize needs to list its sheets
// and know its cell styles. openMeta hands excelize a copy of the workbook
// holding only these, so that opening it costs nothing however large the
// sheets are: excelize reads every part of a workbook when it opens it, and
// unpacks a large sheet to a temporary file.
var metaParts = []string{
	"[Content_Types].xml",
	"_rels/.rels",
	"xl/workbook.xml",
	"xl/_rels/workbook.xml.rels",
	"xl/styles.xml",
}

// openMeta opens, with excelize, a copy of the workbook that holds only its
// metaParts. The compressed bytes are copied as they are, not unpacked.
func openMeta(parts zipParts, eo excelize.Options) (*excelize.File, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range parts.zr.File {
		name := strings.ReplaceAll(f.Name, "\\", "/")
		for _, p := range metaParts {
			if name == p {
				if err := zw.Copy(f); err != nil {
					return nil, err
				}
			}
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return excelize.OpenReader(&buf, eo)
}

// cellFormats decides how a numeric cell with a style reads, the way the
// excelize path did after normaliseFormats: a style whose format is a
// number gives the stored value, and a date, date-time or time style gives
// the ISO text excelize formats. Only those few cells go through excelize,
// on the metadata workbook whose styles have been normalised the same way;
// results are remembered, because a sheet repeats its dates.
type cellFormats struct {
	f     *excelize.File
	dated []bool // by cellXfs index: the format is not the raw number format
	iso   []bool // by cellXfs index: the format is exactly isoDate
	sheet string // the scratch sheet formatting happens on, once made
	cache map[fmtKey]string
	err   error
}

type fmtKey struct {
	style int
	value string
}

const fmtCacheSize = 1 << 16

// newCellFormats reads the normalised styles of f.
func newCellFormats(f *excelize.File) *cellFormats {
	c := &cellFormats{f: f, cache: map[fmtKey]string{}}
	if f.Styles == nil || f.Styles.CellXfs == nil {
		return c
	}
	codes := map[int]string{}
	if f.Styles.NumFmts != nil {
		for _, nf := range f.Styles.NumFmts.NumFmt {
			if nf != nil && nf.FormatCode16 == "" {
				codes[nf.NumFmtID] = nf.FormatCode
			} else if nf != nil {
				codes[nf.NumFmtID] = nf.FormatCode16
			}
		}
	}
	props, err := f.GetWorkbookProps()
	date1900 := err == nil && (props.Date1904 == nil || !*props.Date1904)
	c.dated = make([]bool, len(f.Styles.CellXfs.Xf))
	c.iso = make([]bool, len(f.Styles.CellXfs.Xf))
	for i, xf := range f.Styles.CellXfs.Xf {
		c.dated[i] = xf.NumFmtID != nil && *xf.NumFmtID != rawNumFmtID
		if c.dated[i] {
			code, ok := codes[*xf.NumFmtID]
			c.iso[i] = ok && code == isoDate && date1900
		}
	}
	return c
}

// styled reports whether a numeric cell with style s is formatted: excelize
// formats no cell with style 0 or a style the workbook does not define.
func (c *cellFormats) styled(s int) bool {
	return s > 0 && s < len(c.dated) && c.dated[s]
}

// number is what excelize returns for a numeric cell (t="n", no t, t="e"
// or an unknown t) holding v with style s.
func (c *cellFormats) number(s int, v string) string {
	canon := excelNumber(v)
	if !c.styled(s) {
		return canon
	}
	if ok, _, _ := excelIsNumeric(canon); !ok {
		return canon
	}
	return c.format(s, v)
}

// date is what excelize returns for a t="d" cell, whose ISO date has become
// the serial number v.
func (c *cellFormats) date(s int, v string) string {
	if !c.styled(s) {
		return v
	}
	if ok, _, _ := excelIsNumeric(v); !ok {
		return v
	}
	return c.format(s, v)
}

// format has excelize format v with style s: it stores v in a scratch cell
// of the metadata workbook and reads it back, which takes the same path
// Rows.Columns took.
func (c *cellFormats) format(s int, v string) string {
	if c.iso[s] {
		if out, ok := isoDateOf(v); ok {
			return out
		}
	}
	k := fmtKey{s, v}
	if out, ok := c.cache[k]; ok {
		return out
	}
	out, err := c.formatNow(s, v)
	if err != nil {
		// Cannot happen for a valid style and a numeric value; keep the
		// value rather than lose it.
		c.err = err
		return excelNumber(v)
	}
	if len(c.cache) >= fmtCacheSize {
		clear(c.cache)
	}
	c.cache[k] = out
	return out
}

func (c *cellFormats) formatNow(s int, v string) (string, error) {
	if c.sheet == "" {
		name := "tabular-format"
		for i := 2; ; i++ {
			if idx, err := c.f.GetSheetIndex(name); err == nil && idx < 0 {
				break
			}
			name = "tabular-format-" + strconv.Itoa(i)
		}
		if _, err := c.f.NewSheet(name); err != nil {
			return "", err
		}
		c.sheet = name
	}
	if err := c.f.SetCellDefault(c.sheet, "A1", v); err != nil {
		return "", err
	}
	if err := c.f.SetCellStyle(c.sheet, "A1", "A1", s); err != nil {
		return "", err
	}
	return c.f.GetCellValue(c.sheet, "A1")
}

// readSharedStrings reads the workbook's shared strings table once, with
// encoding/xml as excelize does (it is small next to the sheet: each
// string once), each item's text and rich-text runs joined as excelize's
// xlsxSI.String joins them.
func readSharedStrings(name string, parts zipParts, limit int64) ([]string, error) {
	f, ok := parts.byName[sharedStringsPart]
	if !ok {
		return nil, nil
	}
	if f.UncompressedSize64 > uint64(limit) {
		return nil, refusePartTooLarge(name, "sharedStrings", f.UncompressedSize64, limit)
	}
	zr, err := f.Open()
	if err != nil {
		return nil, err
	}
	rc := &partLimit{rc: zr, limit: limit, name: name, label: "sharedStrings"}
	defer rc.Close()
	type text struct {
		Val string `xml:",chardata"`
	}
	type item struct {
		T *text `xml:"t"`
		R []struct {
			T *text `xml:"t"`
		} `xml:"r"`
	}
	d := xml.NewDecoder(rc)
	var out []string
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, sharedStringsErr(err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok || se.Name.Local != "si" {
			continue
		}
		var si item
		if err := d.DecodeElement(&si, &se); err != nil {
			return nil, sharedStringsErr(err)
		}
		if len(out) >= maxSharedStrings {
			return nil, refuseTooManyStrings(name)
		}
		var b []byte
		if si.T != nil {
			b = append(b, si.T.Val...)
		}
		for _, r := range si.R {
			if r.T != nil {
				b = append(b, r.T.Val...)
			}
		}
		out = append(out, bstrUnmarshal(string(b)))
	}
}

// sharedStringsErr passes a cap's refusal through as it is, and wraps
// anything else.
func sharedStringsErr(err error) error {
	var ae *apperr.Error
	if errors.As(err, &ae) {
		return err
	}
	return fmt.Errorf("sharedStrings.xml: %w", err)
}

func refuseTooManyStrings(name string) error {
	return apperr.New(apperr.Invalid, apperr.Tf(
		"ไฟล์ %[1]s มีข้อความในตารางข้อความร่วม (shared strings) เกิน %[2]s รายการ ซึ่งเป็นขีดจำกัด — โปรดแบ่งเป็นหลายไฟล์ หรือบันทึกเป็น CSV",
		"%[1]s holds more than %[2]s shared strings, the limit. Split it into smaller files, or save it as CSV.",
		name, groupDigits(maxSharedStrings)))
}

// Whole-day serial numbers isoDateOf formats itself. Below 61 lie Excel's
// 1900 leap-year bug and its day 0; TestISODatesMatchExcelize checks every
// serial in the range against excelize.
const (
	firstPlainSerial = 61
	lastPlainSerial  = 2958465 // 9999-12-31
)

var excelEpoch = time.Date(1899, time.December, 30, 0, 0, 0, 0, time.UTC)

// isoDateOf formats a serial number that is a whole day, in the 1900 date
// system, as yyyy-mm-dd, which is what excelize gives for isoDate. Other
// values report false and go through excelize.
func isoDateOf(v string) (string, bool) {
	n, ok := smallUint([]byte(v))
	if !ok || n < firstPlainSerial || n > lastPlainSerial {
		return "", false
	}
	return excelEpoch.AddDate(0, 0, n).Format("2006-01-02"), true
}
