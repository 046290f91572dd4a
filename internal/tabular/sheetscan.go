package tabular

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"tambon/internal/apperr"
)

// sheetSource yields a worksheet's rows by scanning its XML directly,
// replacing excelize's Rows iterator, which decodes the sheet with
// encoding/xml token by token and costs about 2 µs per cell. It returns
// exactly what that iterator returned (TestScannerMatchesExcelize): rows
// numbered as Excel shows them, with missing rows given as empty ones; cells
// placed by their r reference and gaps filled with ""; trailing empty cells
// dropped; shared and inline strings with their rich-text runs joined and
// _xHHHH_ escapes decoded; booleans as TRUE and FALSE; formulas as their
// cached value; numbers in their shortest form; dates and times formatted
// by excelize itself, through cellFormats.
type sheetSource struct {
	name, sheet string
	x           *xmlScan
	rc          io.Closer
	sst         []string
	formats     *cellFormats

	row     int  // rows returned so far: the row number Excel shows
	curRow  int  // number of the last <row> element met
	pending bool // Next found a <row> that Columns has not read yet
	pendNum int  // its r, or 0
	pendErr error
	done    bool // </sheetData> or the end of the part

	cells  []string
	arena  []byte
	ends   []int // where each cell's text ends in arena, or -1-i for strs[i]
	strs   []string
	isBuf  []byte // scratch for a rich-text run
	cell   scanCell
	failed bool
}

// scanCell is one <c> element as excelize's cellXMLHandler reads it.
type scanCell struct {
	r        []byte
	s        int
	t        string
	hasF     bool
	hasIS    bool
	v        []byte
	isT      []byte // the inline string's last direct <t>
	isRuns   []byte // its runs' texts, joined
	badStyle bool
}

// totalRows is Excel's row limit; excelize refuses a row numbered past it.
const totalRows = excelize.TotalRows

func newSheetSource(name, sheet string, rc io.ReadCloser, sst []string, formats *cellFormats) *sheetSource {
	return &sheetSource{name: name, sheet: sheet, x: newXMLScan(rc), rc: rc, sst: sst, formats: formats}
}

// next follows excelize's Rows.Next and Rows.Columns, including their
// handling of rows out of order: a <row> numbered at or below the current
// row adds its cells to the current row.
func (s *sheetSource) next() (cells []string, row int, err error) {
	defer func() {
		if p := recover(); p != nil {
			cells, row, err = nil, s.row, s.damaged(s.row, fmt.Errorf("sheet scanner panic: %v", p))
		}
	}()
	if s.failed {
		return nil, 0, io.EOF
	}
	seek := s.row + 1
	if s.curRow < seek {
		// Next: find the next <row>.
		ok, err := s.findRow()
		if err != nil {
			return s.fail(seek, err)
		}
		if !ok {
			return nil, 0, io.EOF
		}
		if s.pendNum > totalRows {
			return s.fail(seek, excelize.ErrMaxRows)
		}
		s.curRow++
		if s.pendNum != 0 {
			s.curRow = s.pendNum
		}
	}
	s.row = seek
	if s.curRow > seek {
		return nil, s.row, nil // a row the sheet leaves out
	}
	// Columns: a <row> found by Next is read again, and a number that is
	// not a number is an error now.
	if s.pending {
		s.pending = false
		if s.pendErr != nil {
			return s.fail(s.row, s.pendErr)
		}
	}
	s.startRow()
	col := 0
	for {
		t, ok, err := s.x.nextTag()
		if err != nil {
			return s.fail(s.row, err)
		}
		if !ok {
			s.done = true
			return s.finishRow(), s.row, nil
		}
		switch {
		case t.kind == tagEnd:
			if string(t.name) == "sheetData" {
				// excelize's Columns stops here, and its Next reads on
				// for another <row> up to the next </sheetData>.
				return s.finishRow(), s.row, nil
			}
		case string(t.name) == "row":
			num, nerr := rowAttr(t.attrs)
			if num > totalRows {
				return s.fail(s.row, excelize.ErrMaxRows)
			}
			if num != 0 {
				s.curRow = num
			} else {
				s.curRow++
			}
			if nerr != nil {
				return s.fail(s.row, nerr)
			}
			if s.curRow > s.row {
				return s.finishRow(), s.row, nil // the next row starts
			}
		case string(t.name) == "c":
			if col, err = s.readCell(t, col); err != nil {
				return s.fail(s.row, err)
			}
		}
	}
}

// findRow reads up to the next <row> start tag and leaves it pending.
func (s *sheetSource) findRow() (bool, error) {
	if s.done {
		return false, nil
	}
	for {
		t, ok, err := s.x.nextTag()
		if err != nil || !ok {
			s.done = true
			return false, err
		}
		if t.kind == tagEnd {
			if string(t.name) == "sheetData" {
				s.done = true
				return false, nil
			}
			continue
		}
		if string(t.name) == "row" {
			s.pending = true
			s.pendNum, s.pendErr = rowAttr(t.attrs)
			return true, nil
		}
	}
}

// rowAttr is excelize's attrValToInt("r"): the last r attribute wins, and
// the first that is not a number stops with its error.
func rowAttr(attrs []byte) (int, error) {
	val := 0
	for {
		name, value, rest, ok, err := nextAttr(attrs)
		if err != nil || !ok {
			return val, nil
		}
		attrs = rest
		if string(name) == "r" {
			v, err := attrString(value)
			if err != nil {
				return 0, err
			}
			if val, err = strconv.Atoi(v); err != nil {
				return val, err
			}
		}
	}
}

func (s *sheetSource) startRow() {
	s.arena, s.ends, s.strs = s.arena[:0], s.ends[:0], s.strs[:0]
}

// put appends a cell value. Text scanned from the sheet goes to one byte
// arena per row, so a row costs one allocation, not one per cell.
func (s *sheetSource) put(b []byte, str string, inArena bool) {
	if inArena {
		s.arena = append(s.arena, b...)
		s.ends = append(s.ends, len(s.arena))
		return
	}
	s.ends = append(s.ends, -1-len(s.strs))
	s.strs = append(s.strs, str)
}

func (s *sheetSource) finishRow() []string {
	if len(s.ends) == 0 {
		return nil
	}
	all := string(s.arena)
	s.cells = s.cells[:0]
	start := 0
	for _, e := range s.ends {
		if e < 0 {
			s.cells = append(s.cells, s.strs[-1-e])
			continue
		}
		s.cells = append(s.cells, all[start:e])
		start = e
	}
	return s.cells
}

// readCell reads one <c> element (its start tag t already read) and adds its
// value at its column, as excelize's rowXMLHandler does. col is the column
// of the previous cell.
func (s *sheetSource) readCell(t xmlTag, col int) (int, error) {
	c := &s.cell
	*c = scanCell{r: c.r[:0], v: c.v[:0], isT: c.isT[:0], isRuns: c.isRuns[:0]}
	if err := c.attrs(t.attrs); err != nil {
		return col, err
	}
	if t.kind == tagStart && !c.badStyle {
		done, err := s.plainBody()
		if err == nil && !done {
			err = s.cellBody()
		}
		if err != nil {
			return col, err
		}
	}
	col++
	if len(c.r) > 0 {
		n, err := cellColumn(c.r)
		if err != nil {
			return col, err
		}
		col = n
	}
	blank := col - len(s.ends)
	b, str, inArena, err := s.value()
	if err != nil {
		return col, err
	}
	if (inArena && len(b) > 0) || (!inArena && str != "") || c.hasF {
		for i := 1; i < blank; i++ {
			s.put(nil, "", true)
		}
		s.put(b, str, inArena)
	}
	return col, nil
}

// attrs is excelize's cellXMLAttrHandler: r, s and t in document order; an
// s that is not a number stops the reading of the cell, which then reads as
// empty.
func (c *scanCell) attrs(attrs []byte) error {
	for {
		name, value, rest, ok, err := nextAttr(attrs)
		if err != nil {
			return err
		}
		if !ok {
			return nil
		}
		attrs = rest
		if len(name) != 1 {
			continue
		}
		if bytes.IndexByte(value, '&') >= 0 || bytes.IndexByte(value, '\r') >= 0 {
			v, err := attrString(value)
			if err != nil {
				return err
			}
			value = []byte(v)
		}
		switch name[0] {
		case 'r':
			c.r = append(c.r[:0], value...)
		case 's':
			n, ok := smallUint(value)
			if !ok {
				n64, err := strconv.ParseInt(string(value), 10, 64)
				if err != nil {
					c.badStyle = true
					return nil
				}
				n = int(n64)
			}
			c.s = n
		case 't':
			c.t = cellType(value)
		}
	}
}

// cellType returns t as a string, without allocating for the types Excel
// writes.
func cellType(t []byte) string {
	switch string(t) {
	case "s":
		return "s"
	case "str":
		return "str"
	case "inlineStr":
		return "inlineStr"
	case "n":
		return "n"
	case "b":
		return "b"
	case "e":
		return "e"
	case "d":
		return "d"
	}
	return string(t)
}

// plainBody reads the two bodies nearly every cell has, exactly as
// written by Excel and excelize, "<v>…</v></c>" and
// "<is><t>…</t></is></c>", without parsing their tags. It reports false,
// having read nothing, for any other body, which cellBody then reads.
func (s *sheetSource) plainBody() (bool, error) {
	x, c := s.x, &s.cell
	open, close := "<v>", "</v></c>"
	if ok, err := x.has(0, open); err != nil {
		return false, err
	} else if !ok {
		open, close = "<is><t>", "</t></is></c>"
		if ok, err := x.has(0, open); err != nil || !ok {
			return false, err
		}
	}
	i, err := x.find(len(open), '<')
	if i < 0 {
		return false, err
	}
	if ok, err := x.has(i, close); err != nil || !ok {
		return false, err
	}
	text := x.buf[x.pos+len(open) : x.pos+i]
	if open == "<v>" {
		c.v, err = appendText(c.v[:0], text)
	} else {
		c.isT, err = appendText(c.isT[:0], text)
		c.hasIS = true
	}
	if err != nil {
		return false, err
	}
	x.pos += i + len(close)
	return true, nil
}

// cellBody reads a cell's children up to its end tag: <v> (the last one
// counts), <f> (only its presence matters) and <is>, at any depth, as
// excelize's cellXMLHandler finds them.
func (s *sheetSource) cellBody() error {
	c := &s.cell
	for {
		t, ok, err := s.x.nextTag()
		if err != nil {
			return err
		}
		if !ok {
			return io.ErrUnexpectedEOF
		}
		name := string(t.name)
		if name == "c" && t.kind != tagStart {
			return nil // its end tag (or, as excelize sees it, a nested <c/>'s)
		}
		switch {
		case t.kind == tagEnd:
		case t.kind == tagEmpty:
			switch name {
			case "v":
				c.v = c.v[:0]
			case "f":
				c.hasF = true
			case "is":
				c.hasIS = true
			}
		case name == "v":
			if c.v, err = s.x.elementText(c.v[:0]); err != nil {
				return err
			}
		case name == "f":
			c.hasF = true
			if err := s.x.skipElement(); err != nil {
				return err
			}
		case name == "is":
			c.hasIS = true
			if err := s.inlineString(); err != nil {
				return err
			}
		}
	}
}

// inlineString reads an <is> element the way encoding/xml unmarshals
// excelize's xlsxSI: the last direct <t> is the text, and each direct <r>
// adds its last direct <t>. A second <is> in the same cell replaces the
// text and adds runs, as decoding into the same struct does.
func (s *sheetSource) inlineString() error {
	c := &s.cell
	for {
		t, ok, err := s.x.nextTag()
		if err != nil {
			return err
		}
		if !ok {
			return io.ErrUnexpectedEOF
		}
		switch t.kind {
		case tagEnd:
			return nil
		case tagEmpty:
			if string(t.name) == "t" {
				c.isT = c.isT[:0]
			}
			continue
		}
		switch string(t.name) {
		case "t":
			if c.isT, err = s.x.elementText(c.isT[:0]); err != nil {
				return err
			}
		case "r":
			if err := s.run(); err != nil {
				return err
			}
		default:
			if err := s.x.skipElement(); err != nil {
				return err
			}
		}
	}
}

// run reads a rich-text run <r> and appends its text to the cell's runs.
func (s *sheetSource) run() error {
	c := &s.cell
	var text []byte
	has := false
	for {
		t, ok, err := s.x.nextTag()
		if err != nil {
			return err
		}
		if !ok {
			return io.ErrUnexpectedEOF
		}
		switch t.kind {
		case tagEnd:
			if has {
				c.isRuns = append(c.isRuns, text...)
			}
			return nil
		case tagEmpty:
			if string(t.name) == "t" {
				text, has = text[:0], true
			}
			continue
		}
		if string(t.name) == "t" {
			if text, err = s.x.elementText(s.isBuf[:0]); err != nil {
				return err
			}
			s.isBuf, has = text, true
			continue
		}
		if err := s.x.skipElement(); err != nil {
			return err
		}
	}
}

// value is excelize's getValueFrom for the cell just read. The value is
// either bytes to copy into the row's arena or a string made already.
func (s *sheetSource) value() (b []byte, str string, inArena bool, err error) {
	c := &s.cell
	switch c.t {
	case "b":
		switch string(c.v) {
		case "1":
			return nil, "TRUE", false, nil
		case "0":
			return nil, "FALSE", false, nil
		}
		return c.v, "", true, nil // text is never formatted
	case "d":
		return nil, s.formats.date(c.s, isoDateSerial(string(c.v))), false, nil
	case "s":
		if len(c.v) == 0 {
			return nil, "", true, nil
		}
		i, ok := smallUint(c.v)
		if !ok {
			i, _ = strconv.Atoi(strings.TrimSpace(string(c.v)))
		}
		if i < 0 || i >= len(s.sst) {
			// excelize's getValueFrom answers an error, which rowXMLHandler
			// drops: the cell reads as empty.
			return nil, "", false, nil
		}
		return nil, s.sst[i], false, nil
	case "str":
		return c.v, "", true, nil
	case "inlineStr":
		if !c.hasIS {
			return c.v, "", true, nil
		}
		if len(c.isRuns) == 0 {
			if bytesHasEscape(c.isT) {
				return nil, bstrUnmarshal(string(c.isT)), false, nil
			}
			return c.isT, "", true, nil
		}
		joined := string(c.isT) + string(c.isRuns)
		if joined == "" {
			return nil, "", false, nil
		}
		return nil, bstrUnmarshal(joined), false, nil
	}
	if plainDecimal(string(c.v)) && !s.formats.styled(c.s) {
		return c.v, "", true, nil
	}
	return nil, s.formats.number(c.s, string(c.v)), false, nil
}

func bytesHasEscape(b []byte) bool { return bytes.Contains(b, []byte("_x")) }

// smallUint parses a plain run of up to nine digits.
func smallUint(b []byte) (int, bool) {
	if len(b) == 0 || len(b) > 9 {
		return 0, false
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// cellColumn is excelize's CellNameToCoordinates, column only, with a fast
// path for the usual "AB12".
func cellColumn(ref []byte) (int, error) {
	col, i := 0, 0
	for ; i < len(ref) && i < 3 && ref[i] >= 'A' && ref[i] <= 'Z'; i++ {
		col = col*26 + int(ref[i]-'A'+1)
	}
	if i > 0 && i < len(ref) && ref[i] >= '1' && ref[i] <= '9' && len(ref)-i <= 7 && col <= excelize.MaxColumns {
		row := 0
		j := i
		for ; j < len(ref) && ref[j] >= '0' && ref[j] <= '9'; j++ {
			row = row*10 + int(ref[j]-'0')
		}
		if j == len(ref) && row <= totalRows {
			return col, nil
		}
	}
	col, _, err := excelize.CellNameToCoordinates(string(ref))
	return col, err
}

func (s *sheetSource) fail(row int, err error) ([]string, int, error) {
	s.failed = true
	var ae *apperr.Error
	if errors.As(err, &ae) {
		return nil, row, err // a cap's refusal (partLimit), already worded
	}
	return nil, row, s.damaged(row, err)
}

func (s *sheetSource) damaged(row int, err error) error {
	return (&xlsxSource{name: s.name, sheet: s.sheet}).damaged(row, err)
}

func (s *sheetSource) close() error { return s.rc.Close() }
