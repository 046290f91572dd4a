package tabular

import (
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"tambon/internal/apperr"
)

// The caps below bound what one table may cost before a row reaches the
// caller. Each is checked before the thing it bounds is allocated or read
// whole: a zip part by its declared size and compression ratio before it is
// opened, a row by its number and width before the prefetcher copies it, a
// CSV record by the bytes read for it. A province file fits all of them
// with room: a province is up to about 900,000 households of three members,
// 2.7 million rows of CSV; an XLSX sheet holds at most 1,048,576 rows
// anyway.
const (
	// DefaultMaxRows is the largest row number read when Options.MaxRows
	// is zero: one and a half times the largest province.
	DefaultMaxRows = 4_000_000

	// DefaultMaxColumns is the widest row read when Options.MaxColumns is
	// zero. The household template has about 150 columns.
	DefaultMaxColumns = 2000

	// DefaultMaxCellChars is the longest cell read when
	// Options.MaxCellChars is zero: Excel's own limit, so no cell Excel
	// wrote is refused.
	DefaultMaxCellChars = 32767

	// DefaultMaxSheetBytes is the largest worksheet, unpacked, when
	// Options.MaxSheetBytes is zero. tambon's own export of province 70
	// (402,476 rows of the household template, inline strings) unpacks to
	// 1.97 GB, so Excel's 1,048,576 rows would be about 5 GB; the sheet is
	// streamed, so this bounds time and disk, not memory.
	DefaultMaxSheetBytes = 8 << 30

	// DefaultMaxSharedStringsBytes is the largest shared strings table,
	// unpacked, when Options.MaxSharedStringsBytes is zero. The table is
	// held in memory while the sheet is read, so this bounds memory: a
	// full sheet of distinct names and addresses needs about a tenth of it.
	DefaultMaxSharedStringsBytes = 256 << 20

	// maxSharedStrings bounds the number of shared strings, whose headers
	// cost 16 bytes each in memory however short the strings are.
	maxSharedStrings = 8_000_000

	// maxZipRatio is the largest compression ratio accepted for a part
	// over ratioFloor bytes. Worksheet XML compresses about 8–15 to one
	// (province 70's export 13.5, a sheet of a million near-identical
	// short rows 8.3); a zip bomb a thousand to one.
	maxZipRatio = 200
	ratioFloor  = 1 << 20

	// maxRecordBytes bounds one CSV record: encoding/csv holds a whole
	// record in memory, and a file with no line break would be one record.
	maxRecordBytes = 16 << 20
)

func (o Options) maxRows() int         { return orDefault(o.MaxRows, DefaultMaxRows) }
func (o Options) maxColumns() int      { return orDefault(o.MaxColumns, DefaultMaxColumns) }
func (o Options) maxCellChars() int    { return orDefault(o.MaxCellChars, DefaultMaxCellChars) }
func (o Options) maxSheetBytes() int64 { return orDefault(o.MaxSheetBytes, DefaultMaxSheetBytes) }
func (o Options) maxSharedStrings() int64 {
	return orDefault(o.MaxSharedStringsBytes, DefaultMaxSharedStringsBytes)
}
func orDefault[T int | int64](v, def T) T {
	if v > 0 {
		return v
	}
	return def
}

// limitSource refuses a row past the row cap, wider than the column cap or
// with a cell longer than the cell cap. It sits between a source and the
// prefetcher, so a refused row is never copied.
type limitSource struct {
	src                  source
	name, sheet          string
	rows, cols, cellChar int
	failed               error
}

func newLimitSource(src source, name, sheet string, opts Options) *limitSource {
	return &limitSource{src: src, name: name, sheet: sheet, rows: opts.maxRows(), cols: opts.maxColumns(), cellChar: opts.maxCellChars()}
}

func (l *limitSource) next() ([]string, int, error) {
	if l.failed != nil {
		return nil, 0, l.failed
	}
	cells, num, err := l.src.next()
	switch {
	case err != nil:
		if errors.Is(err, errRecordTooLong) {
			err = refuseRecordTooLong(l.name, num)
		}
	case num > l.rows:
		err = refuseTooManyRows(l.name, l.sheet, l.rows)
	case len(cells) > l.cols && !blank(cells[l.cols:]):
		err = refuseTooManyColumns(l.name, l.sheet, num, len(cells), l.cols)
	default:
		for i, c := range cells {
			// A cell of up to cellChar characters has at most 4 bytes
			// each; only a longer one is counted.
			if len(c) > l.cellChar && utf8.RuneCountInString(c) > l.cellChar {
				err = refuseCellTooLong(l.name, l.sheet, num, columnLetter(i), l.cellChar)
				break
			}
		}
	}
	if err != nil && err != io.EOF {
		l.failed = err
	}
	return cells, num, err
}

func (l *limitSource) close() error { return l.src.close() }

// errRecordTooLong is what recordLimit answers once a CSV record passes
// maxRecordBytes.
var errRecordTooLong = errors.New("CSV record too long")

// recordLimit counts the bytes encoding/csv reads for a record (with its
// read-ahead, at most a buffer more) and fails past the limit; csvSource
// resets it after each record.
type recordLimit struct {
	r     io.Reader
	n     int64
	limit int64
}

func (l *recordLimit) Read(p []byte) (int, error) {
	if l.n > l.limit {
		return 0, errRecordTooLong
	}
	n, err := l.r.Read(p)
	l.n += int64(n)
	return n, err
}

// checkParts refuses, from the zip directory alone, a worksheet or shared
// strings table that would unpack past its cap or that compresses like a
// zip bomb, before any of it is read.
func checkParts(name string, parts zipParts, paths map[string]string, opts Options) error {
	check := func(part, label string, limit int64) error {
		f, ok := parts.byName[part]
		if !ok {
			return nil
		}
		if f.UncompressedSize64 > uint64(limit) {
			return refusePartTooLarge(name, label, f.UncompressedSize64, limit)
		}
		if f.UncompressedSize64 > ratioFloor && f.UncompressedSize64 > maxZipRatio*max(f.CompressedSize64, 1) {
			return refuseRatio(name, label, f.UncompressedSize64/max(f.CompressedSize64, 1))
		}
		return nil
	}
	for sheet, part := range paths {
		if err := check(part, fmt.Sprintf("%q", sheet), opts.maxSheetBytes()); err != nil {
			return err
		}
	}
	return check(sharedStringsPart, "sharedStrings", opts.maxSharedStrings())
}

// partLimit fails a part that unpacks past limit while it is read, whatever
// its zip entry declared. archive/zip already refuses to read past the
// declared size; this makes the cap hold by itself and say so.
type partLimit struct {
	rc          io.ReadCloser
	n, limit    int64
	name, label string
}

func (p *partLimit) Read(b []byte) (int, error) {
	n, err := p.rc.Read(b)
	p.n += int64(n)
	if p.n > p.limit {
		return n, refusePartTooLarge(p.name, p.label, uint64(p.n), p.limit)
	}
	return n, err
}

func (p *partLimit) Close() error { return p.rc.Close() }

func refuseTooManyRows(name, sheet string, limit int) error {
	return apperr.New(apperr.Invalid, apperr.Tf(
		"ไฟล์ %[1]s%[2]s มีเกิน %[3]s แถว ซึ่งเป็นขีดจำกัด — โปรดแบ่งเป็นหลายไฟล์ (เช่น ทีละอำเภอ)",
		"%[1]s%[4]s has more than %[3]s rows, the limit. Split it into smaller files (an amphoe at a time, say).",
		name, sheetTH(sheet), groupDigits(int64(limit)), sheetEN(sheet)))
}

func refuseTooManyColumns(name, sheet string, row, cols, limit int) error {
	return apperr.New(apperr.Invalid, apperr.Tf(
		"ไฟล์ %[1]s%[2]s แถวที่ %[3]d มี %[4]s คอลัมน์ เกินขีดจำกัด %[5]s คอลัมน์ — โปรดลบคอลัมน์ที่ไม่ใช้ทางขวาของตาราง",
		"%[1]s%[6]s row %[3]d has %[4]s columns, over the limit of %[5]s. Delete the unused columns to the right of the table.",
		name, sheetTH(sheet), row, groupDigits(int64(cols)), groupDigits(int64(limit)), sheetEN(sheet)))
}

func refuseCellTooLong(name, sheet string, row int, col string, limit int) error {
	return apperr.New(apperr.Invalid, apperr.Tf(
		"ไฟล์ %[1]s%[2]s ช่อง %[3]s%[4]d ยาวเกิน %[5]s ตัวอักษร ซึ่งเป็นขีดจำกัด — ช่องหนึ่งช่องใน Excel ยาวได้ไม่เกินนี้ ไฟล์อาจเสียหาย",
		"%[1]s%[6]s cell %[3]s%[4]d is longer than %[5]s characters, the limit (and Excel's own); the file may be damaged.",
		name, sheetTH(sheet), col, row, groupDigits(int64(limit)), sheetEN(sheet)))
}

func refuseRecordTooLong(name string, row int) error {
	return apperr.New(apperr.Invalid, apperr.Tf(
		"ไฟล์ %[1]s แถวที่ %[2]d ยาวเกิน %[3]s ซึ่งเป็นขีดจำกัดของหนึ่งแถว — ไฟล์อาจไม่มีการขึ้นบรรทัดใหม่ หรือมีเครื่องหมายคำพูด (\") ที่ไม่ได้ปิด",
		"%[1]s row %[2]d is longer than %[3]s, the limit for one row; the file may lack line breaks or have an unclosed quote (\").",
		name, row, formatSize(maxRecordBytes)))
}

func refusePartTooLarge(name, label string, size uint64, limit int64) error {
	return apperr.New(apperr.Invalid, apperr.Tf(
		"ไฟล์ %[1]s: ส่วน %[2]s เมื่อคลายการบีบอัดมีขนาด %[3]s เกินขีดจำกัด %[4]s — โปรดแบ่งเป็นหลายไฟล์ หรือบันทึกเป็น CSV",
		"%[1]s: its part %[2]s unpacks to %[3]s, over the limit of %[4]s. Split it into smaller files, or save it as CSV.",
		name, label, formatSize(int64(min(size, 1<<62))), formatSize(limit)))
}

func refuseRatio(name, label string, ratio uint64) error {
	return apperr.New(apperr.Invalid, apperr.Tf(
		"ไฟล์ %[1]s: ส่วน %[2]s ถูกบีบอัดไว้ %[3]d เท่า เกินขีดจำกัด %[4]d เท่า (ลักษณะของไฟล์ zip bomb) จึงไม่เปิดอ่าน — โปรดเปิดใน Excel แล้วบันทึกใหม่",
		"%[1]s: its part %[2]s is compressed %[3]d to one, over the limit of %[4]d to one (the mark of a zip bomb), so it was not opened. Open it in Excel and save it again.",
		name, label, ratio, maxZipRatio))
}

func sheetTH(sheet string) string {
	if sheet == "" {
		return ""
	}
	return fmt.Sprintf(" ชีต %q", sheet)
}

func sheetEN(sheet string) string {
	if sheet == "" {
		return ""
	}
	return fmt.Sprintf(" sheet %q", sheet)
}

// groupDigits writes 4000000 as 4,000,000.
func groupDigits(n int64) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
