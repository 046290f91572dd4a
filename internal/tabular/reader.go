package tabular

import (
	"errors"
	"io"
	"strings"

	"tambon/internal/apperr"
)

// source yields raw rows with their 1-based spreadsheet row numbers and
// io.EOF at the end.
type source interface {
	next() (cells []string, row int, err error)
	close() error
}

// Reader streams the data rows of one table. Open finds and checks the
// header; Next then yields the rows below it. Entirely blank rows are skipped,
// since Excel keeps formatted empty rows that no official thinks of as data.
//
//	for rd.Next() {
//		row := rd.Row()
//		id := row.Get("citizen_id")
//	}
//	if err := rd.Err(); err != nil { … }
type Reader struct {
	name, sheet string
	format      Format
	encoding    string
	comma       rune
	src         source
	closers     []func() error
	merges      []string

	header    []string
	headerRow int
	cols      map[string]int // key, header text and their normalised forms → column index
	pending   []bufRow       // rows read while looking for the header
	row       Row
	err       error
	done      bool
	warnings  []apperr.Problem
}

type bufRow struct {
	num   int
	cells []string
}

// Format reports what the file was read as.
func (r *Reader) Format() Format { return r.format }

// Sheet is the worksheet being read; empty for CSV.
func (r *Reader) Sheet() string { return r.sheet }

// Encoding is the text encoding a CSV file was decoded from (EncodingUTF8,
// EncodingUTF16 or EncodingWindows874); empty for XLSX.
func (r *Reader) Encoding() string { return r.encoding }

// Comma is the CSV delimiter found or forced; zero for XLSX.
func (r *Reader) Comma() rune { return r.comma }

// Header returns the header row's cells as they appear in the file.
func (r *Reader) Header() []string { return r.header }

// HeaderRow is the 1-based row number of the header.
func (r *Reader) HeaderRow() int { return r.headerRow }

// Warnings lists what Open noticed but accepted: title rows skipped, other
// sheets with data, unknown columns, a Windows-874 file. Import pages show
// them so the official can check nothing was lost.
func (r *Reader) Warnings() []apperr.Problem { return r.warnings }

// Next advances to the next non-blank data row. It returns false at the end
// of the table or on error; Err tells which.
func (r *Reader) Next() bool {
	if r.err != nil || r.done {
		return false
	}
	for {
		var (
			cells []string
			num   int
		)
		if len(r.pending) > 0 {
			cells, num = r.pending[0].cells, r.pending[0].num
			r.pending = r.pending[1:]
		} else {
			var err error
			cells, num, err = r.src.next()
			if err == io.EOF {
				r.done = true
				return false
			}
			if err != nil {
				r.err = err
				return false
			}
		}
		if blank(cells) {
			continue
		}
		r.row = Row{Num: num, Cells: cells, r: r}
		return true
	}
}

// Row returns the current row. Its Cells are reused by the next call to
// Next; copy them to keep them.
func (r *Reader) Row() Row { return r.row }

// Err returns the error that stopped Next, if any: an apperr.Problems
// locating a broken CSV quote or a damaged XLSX row.
func (r *Reader) Err() error { return r.err }

// Close releases the workbook, temporary files and the underlying file.
func (r *Reader) Close() error {
	var errs []error
	if r.src != nil {
		errs = append(errs, r.src.close())
		r.src = nil
	}
	for i := len(r.closers) - 1; i >= 0; i-- {
		errs = append(errs, r.closers[i]())
	}
	r.closers = nil
	return errors.Join(errs...)
}

// Row is one data row of a table.
type Row struct {
	Num   int      // 1-based row number, as the spreadsheet shows it
	Cells []string // the cells in column order, as stored; shorter than the header when trailing cells are empty
	r     *Reader
}

// index returns the column index for a key, a header text or its
// normalised form.
func (row Row) index(key string) (int, bool) {
	if row.r == nil {
		return 0, false
	}
	if i, ok := row.r.cols[key]; ok {
		return i, true
	}
	i, ok := row.r.cols[normHeader(key)]
	return i, ok
}

// Index returns the position in Row.Cells of a column, found by the Key of
// an expected Column or by header text as Get finds it. A reader of many
// rows looks its columns up once and reads each cell with Row.At, rather
// than paying a map lookup per cell.
func (r *Reader) Index(key string) (int, bool) {
	return Row{r: r}.index(key)
}

// At returns the cell at index i (from Reader.Index) with surrounding
// spaces trimmed, as Get does; "" when the row is shorter or i is negative.
func (row Row) At(i int) string {
	if i < 0 || i >= len(row.Cells) {
		return ""
	}
	c := row.Cells[i]
	if n := len(c); n == 0 || solidStart(c) && solidEnd(c) {
		return c // nothing to trim: most cells
	}
	return strings.TrimSpace(c)
}

// solidStart reports whether s starts with a character that is surely not
// white space: printable ASCII, or a Thai letter (U+0E00–U+0E7F, encoded
// E0 B8/B9 …), which start most cells of a Thai file. TrimSpace decodes
// every non-ASCII rune to check, which was a tenth of reading a file.
func solidStart(s string) bool {
	c := s[0]
	return c > ' ' && c < 0x7F || c == 0xE0 && len(s) >= 3 && (s[1] == 0xB8 || s[1] == 0xB9)
}

// solidEnd is solidStart for the last character.
func solidEnd(s string) bool {
	n := len(s)
	c := s[n-1]
	return c > ' ' && c < 0x7F || c >= 0x80 && n >= 3 && s[n-3] == 0xE0 && (s[n-2] == 0xB8 || s[n-2] == 0xB9)
}

// Get returns the cell under a column, found by the Key of an expected
// Column or by header text, with surrounding spaces trimmed (officials' cells
// often end in a space they cannot see). A column the file lacks reads as "".
func (row Row) Get(key string) string {
	i, ok := row.index(key)
	if !ok || i >= len(row.Cells) {
		return ""
	}
	return strings.TrimSpace(row.Cells[i])
}

// Has reports whether the table has the column.
func (row Row) Has(key string) bool {
	_, ok := row.index(key)
	return ok
}

// Column names a column for a message the way an official finds it in
// Excel: its letter, then its header, such as "C (เลขประจำตัวประชาชน)".
func (row Row) Column(key string) string {
	i, ok := row.index(key)
	if !ok {
		return key
	}
	return row.r.columnLabel(i)
}

// Problem builds a Problem located at this row and the key's column, with
// the cell's value, so that a validation rule only has to say why.
func (row Row) Problem(key string, reason apperr.Text) apperr.Problem {
	p := apperr.Problem{Row: row.Num, Column: row.Column(key), Value: row.Get(key), Reason: reason}
	if row.r != nil {
		p.File, p.Sheet = row.r.name, row.r.sheet
	}
	return p
}

func (r *Reader) columnLabel(i int) string {
	letter := columnLetter(i)
	if i < len(r.header) {
		if h := strings.TrimSpace(r.header[i]); h != "" {
			return letter + " (" + h + ")"
		}
	}
	return letter
}

// blank reports whether every cell is empty or white space.
func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// columnLetter turns a 0-based index into Excel's letters: 0 → A, 27 → AB.
func columnLetter(i int) string {
	if i < 0 {
		return ""
	}
	var b []byte
	for i++; i > 0; i = (i - 1) / 26 {
		b = append([]byte{byte('A' + (i-1)%26)}, b...)
	}
	return string(b)
}
