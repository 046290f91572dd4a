package tabular

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/xuri/excelize/v2"

	"tambon/internal/apperr"
)

// inMemoryXLSX is the largest workbook handed to excelize from memory.
// excelize reads a workbook either from a path or by copying a whole
// io.Reader into memory; above this size Open spools the bytes to a
// temporary file instead, so memory stays bounded whatever the upload.
const inMemoryXLSX = 32 << 20

// unzipFactor bounds how far a workbook may expand when unpacked, as a
// multiple of MaxBytes. Spreadsheet XML compresses about ten to one; a zip
// bomb compresses a thousand to one.
const unzipFactor = 20

// openXLSX opens a workbook and prepares to stream one sheet. The sheet's
// XML is read by sheetSource, a byte scanner that returns what excelize's
// Rows iterator returned, about ten times faster; excelize itself still
// lists the sheets and formats date cells, on a copy of the workbook that
// holds only its small parts (openMeta). A workbook the scanner does not
// take on is read by excelize as before: one whose sheets or shared strings
// declare an encoding other than UTF-8 (Excel never writes one; the scanner
// reads UTF-8 only), or whose chosen sheet's part cannot be found from its
// relationships (excelize has its own ways of finding it).
//
// A panic while opening is answered as a damaged file: excelize has
// panicked on malformed workbooks before (qax-os/excelize#188), and an upload
// must not take the server down with it.
func openXLSX(name string, r io.ReaderAt, size int64, parts zipParts, opts Options) (_ *Reader, err error) {
	rd := &Reader{name: name, format: FormatXLSX}
	defer func() {
		if p := recover(); p != nil {
			rd.Close()
			err = refuseDamaged(name, fmt.Errorf("panic: %v", p))
		}
	}()
	unzipLimit := min(opts.maxBytes()*unzipFactor, 16<<30)
	if u := parts.unzippedSize(); u > uint64(unzipLimit) {
		return nil, refuseZipBomb(name, u, unzipLimit)
	}
	paths, err := parts.sheetPaths()
	if err != nil {
		return nil, refuseDamaged(name, err)
	}
	if err := checkParts(name, parts, paths, opts); err != nil {
		return nil, err
	}
	eo := excelize.Options{
		UnzipSizeLimit:    unzipLimit,
		UnzipXMLSizeLimit: min(unzipLimit, 16<<20),
		TmpDir:            opts.TempDir,
	}
	meta, err := openMeta(parts, eo)
	if err != nil {
		return nil, refuseDamaged(name, err)
	}
	rd.closers = append(rd.closers, meta.Close)
	fail := func(err error) (*Reader, error) {
		rd.Close()
		return nil, err
	}
	sheet, err := pickSheet(name, meta, opts.Sheet)
	if err != nil {
		return fail(err)
	}
	list := meta.GetSheetList()
	part, ok := paths[sheet]
	if !ok || !parts.has(part) || !allUTF8(parts, paths, list) {
		rd.Close()
		return openXLSXExcelize(name, r, size, parts, opts)
	}
	rd.sheet = sheet
	if err := normaliseFormats(meta); err != nil {
		return fail(refuseDamaged(name, err))
	}
	formats := newCellFormats(meta)
	sst, err := readSharedStrings(name, parts, opts.maxSharedStrings())
	if err != nil {
		if apperr.CodeOf(err) == apperr.Invalid {
			return fail(err)
		}
		return fail(refuseDamaged(name, err))
	}
	if !opts.Checked {
		rd.warnings = ignoredSheets(name, list, sheet, func(s string) bool {
			rc, err := parts.open(paths[s])
			if err != nil {
				return false
			}
			src := newSheetSource(name, s, rc, sst, formats)
			defer src.close()
			return sourceHasData(src)
		})
		if rd.merges, err = parts.mergedRanges(part); err != nil {
			return fail(refuseDamaged(name, err))
		}
	}
	rc, err := parts.open(part)
	if err != nil {
		return fail(refuseDamaged(name, err))
	}
	rc = &partLimit{rc: rc, limit: opts.maxSheetBytes(), name: name, label: fmt.Sprintf("%q", sheet)}
	rd.src = newPrefetch(newLimitSource(newSheetSource(name, sheet, rc, sst, formats), name, sheet, opts))
	return rd.start(opts)
}

// allUTF8 reports whether the shared strings and every listed sheet are
// UTF-8, so that the scanner can read them all.
func allUTF8(parts zipParts, paths map[string]string, sheets []string) bool {
	if !parts.declaresUTF8(sharedStringsPart) {
		return false
	}
	for _, s := range sheets {
		if p, ok := paths[s]; ok && !parts.declaresUTF8(p) {
			return false
		}
	}
	return true
}

// openXLSXExcelize opens a workbook with excelize and streams the sheet
// with excelize's Rows iterator: the way every workbook was read before
// sheetSource, kept for workbooks in an encoding other than UTF-8.
func openXLSXExcelize(name string, r io.ReaderAt, size int64, parts zipParts, opts Options) (_ *Reader, err error) {
	var f *excelize.File
	defer func() {
		if p := recover(); p != nil {
			if f != nil {
				f.Close()
			}
			err = refuseDamaged(name, fmt.Errorf("excelize panic: %v", p))
		}
	}()
	unzipLimit := min(opts.maxBytes()*unzipFactor, 16<<30)
	if u := parts.unzippedSize(); u > uint64(unzipLimit) {
		return nil, refuseZipBomb(name, u, unzipLimit)
	}
	paths, err := parts.sheetPaths()
	if err != nil {
		return nil, refuseDamaged(name, err)
	}
	if err := checkParts(name, parts, paths, opts); err != nil {
		return nil, err
	}
	eo := excelize.Options{
		UnzipSizeLimit:    unzipLimit,
		UnzipXMLSizeLimit: min(unzipLimit, 16<<20),
		TmpDir:            opts.TempDir,
	}
	f, err = openExcelize(r, size, eo)
	if err != nil {
		return nil, refuseDamaged(name, err)
	}
	rd := &Reader{name: name, format: FormatXLSX}
	rd.closers = append(rd.closers, f.Close)
	fail := func(err error) (*Reader, error) {
		rd.Close()
		return nil, err
	}
	if err := normaliseFormats(f); err != nil {
		return fail(refuseDamaged(name, err))
	}
	sheet, err := pickSheet(name, f, opts.Sheet)
	if err != nil {
		return fail(err)
	}
	rd.sheet = sheet
	rd.warnings = ignoredSheets(name, f.GetSheetList(), sheet, func(s string) bool { return sheetHasData(f, s) })
	if part, ok := paths[sheet]; ok && !opts.Checked {
		if rd.merges, err = parts.mergedRanges(part); err != nil {
			return fail(refuseDamaged(name, err))
		}
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		return fail(refuseDamaged(name, err))
	}
	rd.src = newPrefetch(newLimitSource(&xlsxSource{name: name, sheet: sheet, rows: rows}, name, sheet, opts))
	return rd.start(opts)
}

// openExcelize hands the workbook to excelize without holding a large one in
// memory: a file is opened by path, a small reader is read into memory, and
// anything else is spooled to a temporary file first. excelize has read every
// part it needs (or unpacked it to its own temporary files) when OpenFile
// returns, so the spool is removed at once.
func openExcelize(r io.ReaderAt, size int64, eo excelize.Options) (*excelize.File, error) {
	if f, ok := r.(*os.File); ok && sameFile(f, size) {
		return excelize.OpenFile(f.Name(), eo)
	}
	if size <= inMemoryXLSX {
		return excelize.OpenReader(io.NewSectionReader(r, 0, size), eo)
	}
	tmp, err := os.CreateTemp(eo.TmpDir, "tabular-*.xlsx")
	if err != nil {
		return nil, fmt.Errorf("spool workbook: %w", err)
	}
	defer os.Remove(tmp.Name())
	_, err = io.Copy(tmp, io.NewSectionReader(r, 0, size))
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("spool workbook: %w", err)
	}
	return excelize.OpenFile(tmp.Name(), eo)
}

// sameFile reports whether f's name still leads to f, whole: excelize opens
// by path, and an open file may since have been renamed or unlinked (as
// upload temporaries are).
func sameFile(f *os.File, size int64) bool {
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() || st.Size() != size {
		return false
	}
	byName, err := os.Stat(f.Name())
	return err == nil && os.SameFile(st, byName)
}

// pickSheet returns the sheet to read: the one asked for (ignoring case and
// surrounding spaces, as officials type sheet names from memory), or the
// first visible sheet.
func pickSheet(name string, f *excelize.File, want string) (string, error) {
	list := f.GetSheetList()
	if len(list) == 0 {
		return "", refuseDamaged(name, fmt.Errorf("workbook has no sheets"))
	}
	if want == "" {
		for _, s := range list {
			if visible, err := f.GetSheetVisible(s); err == nil && visible {
				return s, nil
			}
		}
		return list[0], nil
	}
	for _, s := range list {
		if s == want {
			return s, nil
		}
	}
	for _, s := range list {
		if normHeader(s) == normHeader(want) {
			return s, nil
		}
	}
	quoted := make([]string, len(list))
	for i, s := range list {
		quoted[i] = fmt.Sprintf("%q", s)
	}
	return "", apperr.New(apperr.Invalid, apperr.Tf(
		"ไม่พบชีต %q ในไฟล์ %s — ชีตที่มีคือ %s โปรดเปลี่ยนชื่อชีตหรือเลือกชีตให้ถูกต้อง",
		"%[2]s has no sheet called %[1]q; its sheets are %[3]s. Rename the sheet or choose the right one.",
		want, name, strings.Join(quoted, ", ")))
}

// ignoredSheets warns about other sheets that hold data: an official who
// typed households on "Sheet2" should hear that tambon read "Sheet1" only.
func ignoredSheets(name string, list []string, chosen string, hasData func(sheet string) bool) []apperr.Problem {
	var out []apperr.Problem
	for _, s := range list {
		if s == chosen || !hasData(s) {
			continue
		}
		out = append(out, apperr.Problem{File: name, Sheet: s, Reason: apperr.Tf(
			"ชีต %q มีข้อมูลแต่ไม่ได้นำเข้า (ระบบอ่านเฉพาะชีต %q)",
			"sheet %q holds data but was not imported (only sheet %q was read)", s, chosen)})
	}
	return out
}

// sheetHasData streams a sheet until it meets a non-blank cell; blank
// formatted rows, which Excel leaves behind, do not count.
func sheetHasData(f *excelize.File, sheet string) bool {
	rows, err := f.Rows(sheet)
	if err != nil {
		return false
	}
	defer rows.Close()
	for rows.Next() {
		cells, err := rows.Columns()
		if err != nil {
			return false
		}
		if !blank(cells) {
			return true
		}
	}
	return false
}

// sourceHasData reads a sheet until it meets a non-blank row.
func sourceHasData(src source) bool {
	for {
		cells, _, err := src.next()
		if err != nil {
			return false
		}
		if !blank(cells) {
			return true
		}
	}
}

// xlsxSource yields a sheet's rows. excelize's iterator stops at every row
// number, including missing ones (as empty rows), so counting calls to Next
// gives the row number Excel shows.
type xlsxSource struct {
	name, sheet string
	rows        *excelize.Rows
	row         int
}

func (s *xlsxSource) next() (cells []string, row int, err error) {
	defer func() {
		if p := recover(); p != nil {
			cells, row, err = nil, s.row, s.damaged(s.row, fmt.Errorf("excelize panic: %v", p))
		}
	}()
	if !s.rows.Next() {
		if err := s.rows.Error(); err != nil {
			return nil, s.row + 1, s.damaged(s.row+1, err)
		}
		return nil, 0, io.EOF
	}
	s.row++
	cells, err = s.rows.Columns()
	if err != nil {
		return nil, s.row, s.damaged(s.row, err)
	}
	return cells, s.row, nil
}

func (s *xlsxSource) damaged(row int, err error) error {
	return apperr.Problems{{File: s.name, Sheet: s.sheet, Row: row, Value: err.Error(), Reason: apperr.T(
		"อ่านแถวนี้ไม่ได้ ไฟล์อาจเสียหาย — โปรดเปิดใน Excel แล้วบันทึกใหม่",
		"this row cannot be read; the file may be damaged. Open it in Excel and save it again.")}}
}

func (s *xlsxSource) close() error { return s.rows.Close() }
