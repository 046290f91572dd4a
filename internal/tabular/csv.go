package tabular

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"tambon/internal/apperr"
)

// Encodings Open reports for CSV files.
const (
	EncodingUTF8       = "UTF-8"
	EncodingUTF16      = "UTF-16"
	EncodingWindows874 = "Windows-874"
)

// csvSampleLen is how much decoded text the delimiter sniffer looks at.
const csvSampleLen = 64 << 10

// openCSV reads delimited text. The encoding is decided from the whole file:
// a Windows-874 file often starts with an ASCII header and numbers, and its
// first Thai byte may be megabytes in, so sniffing a prefix would pick UTF-8
// and then fail half way. The check is a second sequential read, which costs
// far less than parsing.
func openCSV(name string, r io.ReaderAt, size int64, opts Options) (*Reader, error) {
	var head [3]byte
	n, _ := r.ReadAt(head[:], 0)
	var (
		text     io.Reader = io.NewSectionReader(r, 0, size)
		encoding           = EncodingUTF8
		warnings []apperr.Problem
	)
	switch {
	case n >= 2 && (head[0] == 0xFF && head[1] == 0xFE || head[0] == 0xFE && head[1] == 0xFF):
		// Excel's "Unicode Text" is UTF-16 with a BOM; the decoder reads
		// the BOM to learn the byte order and drops it.
		encoding = EncodingUTF16
		text = transform.NewReader(text, unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder())
	default:
		st, err := scanText(r, size)
		if err != nil {
			return nil, fmt.Errorf("open %s: %w", name, err)
		}
		if st.binary() {
			return nil, refuseBinary(name)
		}
		if n == 3 && bytes.Equal(head[:], bomUTF8) {
			text = io.NewSectionReader(r, 3, size-3)
		}
		if !st.validUTF8 {
			encoding = EncodingWindows874
			text = transform.NewReader(text, charmap.Windows874.NewDecoder())
			warnings = append(warnings, apperr.Problem{File: name, Reason: apperr.T(
				"ไฟล์นี้ไม่ได้บันทึกเป็น UTF-8 ระบบจึงอ่านเป็นภาษาไทยแบบ Windows-874 (TIS-620) — โปรดตรวจว่าตัวอักษรไทยถูกต้อง",
				"The file is not UTF-8, so it was read as Thai Windows-874 (TIS-620); check that the Thai text looks right.")})
		}
	}

	limit := &recordLimit{r: text, limit: maxRecordBytes}
	br := bufio.NewReaderSize(limit, csvSampleLen)
	sample, err := br.Peek(csvSampleLen)
	complete := err != nil // the whole file fits in the sample
	if complete && len(bytes.TrimSpace(bytes.TrimPrefix(sample, bomUTF8))) == 0 {
		return nil, refuseEmpty(name)
	}
	comma := opts.Comma
	// Excel honours a first line "sep=;" and hides it; so do we.
	if line, ok := bytes.CutPrefix(sample, []byte("sep=")); ok {
		if c, size := utf8.DecodeRune(line); validComma(c) {
			if rest := bytes.TrimLeft(line[size:], "\r"); len(rest) == 0 || rest[0] == '\n' {
				if comma == 0 {
					comma = c
				}
				if _, err := br.ReadBytes('\n'); err != nil && err != io.EOF {
					return nil, fmt.Errorf("open %s: %w", name, err)
				}
			}
		}
	}
	if comma == 0 {
		comma = sniffComma(sample, complete)
	}
	if !validComma(comma) {
		return nil, fmt.Errorf("open %s: invalid CSV delimiter %q", name, comma)
	}
	cr := csv.NewReader(br)
	cr.Comma = comma
	cr.FieldsPerRecord = -1 // short rows are normal in hand-made files
	cr.ReuseRecord = true
	src := newPrefetch(newLimitSource(&csvSource{name: name, cr: cr, limit: limit}, name, "", opts))
	rd := &Reader{name: name, format: FormatCSV, encoding: encoding, comma: comma, src: src, warnings: warnings}
	return rd.start(opts)
}

// validComma reports whether encoding/csv accepts c as a delimiter.
func validComma(c rune) bool {
	return c != 0 && c != '"' && c != '\r' && c != '\n' && c != utf8.RuneError && utf8.ValidRune(c)
}

// csvSource yields CSV records. A record is a spreadsheet row: Excel shows a
// quoted field with line breaks inside one cell, and shows a blank line as an
// empty row. encoding/csv skips blank lines, so the row number is rebuilt
// from line positions: each record adds one row plus the blank lines before
// it.
type csvSource struct {
	name     string
	cr       *csv.Reader
	row      int
	nextLine int // the line after the previous record
	limit    *recordLimit
}

func (s *csvSource) next() ([]string, int, error) {
	if s.nextLine == 0 {
		s.nextLine = 1
	}
	rec, err := s.cr.Read()
	s.limit.n = 0
	if err == io.EOF {
		return nil, 0, io.EOF
	}
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			s.row += 1 + max(pe.StartLine-s.nextLine, 0)
			return nil, s.row, apperr.Problems{csvProblem(s.name, s.row, pe)}
		}
		return nil, s.row + 1, fmt.Errorf("read %s row %d: %w", s.name, s.row+1, err)
	}
	for i, f := range rec {
		rec[i] = unquoteCSVText(f) // what CSVWriter wrote behind a quote
	}
	start, _ := s.cr.FieldPos(0)
	s.row += 1 + max(start-s.nextLine, 0)
	last := len(rec) - 1
	end, _ := s.cr.FieldPos(last)
	s.nextLine = end + strings.Count(rec[last], "\n") + 1
	return rec, s.row, nil
}

func (s *csvSource) close() error { return nil }

// csvProblem turns encoding/csv's parse error into a located Problem. The
// official opens the file in Excel, so the row is the record number; the
// line number is added for someone using a text editor.
func csvProblem(name string, row int, pe *csv.ParseError) apperr.Problem {
	// ParseError.Column is a byte offset, not a field, so the line is the
	// most precise place to give.
	p := apperr.Problem{File: name, Row: row}
	switch {
	case errors.Is(pe.Err, csv.ErrBareQuote):
		p.Reason = apperr.Tf(
			"มีเครื่องหมายคำพูด (\") อยู่กลางช่องที่ไม่ได้ครอบด้วยคำพูด (บรรทัดที่ %d) — โปรดเปิดใน Excel แล้วบันทึกเป็น CSV ใหม่",
			"a quote mark (\") appears inside a field that is not quoted (line %d); open the file in Excel and save it as CSV again", pe.Line)
	case errors.Is(pe.Err, csv.ErrQuote):
		p.Reason = apperr.Tf(
			"เครื่องหมายคำพูด (\") เปิดแล้วไม่ปิด หรือปิดไม่ถูกที่ (บรรทัดที่ %d) — ไฟล์อาจถูกตัดหรือแก้ด้วยมือ",
			"a quoted field is not closed properly (line %d); the file may be cut short or edited by hand", pe.Line)
	default:
		p.Reason = apperr.Tf("อ่านไฟล์ CSV ไม่ได้ที่บรรทัด %d: %v", "cannot read the CSV at line %d: %v", pe.Line, pe.Err)
	}
	return p
}

// textStats describes a file's bytes, enough to tell UTF-8 from Windows-874
// and either from binary data.
type textStats struct {
	total, nul, ctrl, high, undefined874 int64
	validUTF8                            bool
}

// binary reports whether the bytes are not text in any encoding we accept. A
// text file never holds NUL; a few stray control characters survive copy and
// paste, so up to 1% are tolerated; and Thai text in Windows-874 uses almost
// none of the code points that encoding leaves undefined.
func (st textStats) binary() bool {
	if st.nul > 0 || st.ctrl*100 > st.total {
		return true
	}
	return !st.validUTF8 && st.undefined874*20 > st.high
}

// byteClass tables the kinds of byte scanText counts.
var byteClass = func() (t [256]uint8) {
	const ctrl, high, undef = 1, 2, 3
	for c := 0; c < 0x20; c++ {
		t[c] = ctrl
	}
	for _, c := range []byte{'\t', '\n', '\r', '\f', 0x1A} { // 0x1A: DOS end-of-file mark
		t[c] = 0
	}
	t[0x7F] = ctrl
	for c := 0x80; c < 0x100; c++ {
		t[c] = high
	}
	for _, rg := range [][2]int{{0x81, 0x84}, {0x86, 0x90}, {0x98, 0x9F}, {0xDB, 0xDE}, {0xFC, 0xFF}} {
		for c := rg[0]; c <= rg[1]; c++ {
			t[c] = undef
		}
	}
	return t
}()

// scanText reads the size bytes of r and counts what they hold, validating
// UTF-8 across buffer boundaries. The first pass counts only what a UTF-8
// file is judged by, eight bytes at a time; a file that turns out not to be
// UTF-8 (Windows-874, or binary) is read a second time, byte by byte, to
// count the bytes Windows-874 leaves undefined. Scanning a large file was a
// noticeable part of importing it.
func scanText(r io.ReaderAt, size int64) (textStats, error) {
	st, err := scanPass(io.NewSectionReader(r, 0, size), false)
	if err == nil && !st.validUTF8 {
		st, err = scanPass(io.NewSectionReader(r, 0, size), true)
	}
	return st, err
}

// countFast adds b's bytes to st: control characters and NULs exactly, high
// bytes by population count, undefined874 not at all.
func countFast(st *textStats, b []byte) {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	i := 0
	for ; i+8 <= len(b); i += 8 {
		x := binary.LittleEndian.Uint64(b[i:])
		st.high += int64(bits.OnesCount64(x & highs))
		del := x ^ (ones * 0x7F)
		if (x-ones*0x20)&^x&highs == 0 && (del-ones)&^del&highs == 0 {
			continue // no byte below 0x20 and no DEL: nothing else to count
		}
		for _, c := range b[i : i+8] {
			if byteClass[c] == 1 {
				st.ctrl++
				if c == 0 {
					st.nul++
				}
			}
		}
	}
	for _, c := range b[i:] {
		switch byteClass[c] {
		case 1:
			st.ctrl++
			if c == 0 {
				st.nul++
			}
		case 2, 3:
			st.high++
		}
	}
}

// countAll adds b's bytes to st, every class.
func countAll(st *textStats, b []byte) {
	for _, c := range b {
		switch byteClass[c] {
		case 1:
			st.ctrl++
			if c == 0 {
				st.nul++
			}
		case 2:
			st.high++
		case 3:
			st.high++
			st.undefined874++
		}
	}
}

func scanPass(r io.Reader, all bool) (textStats, error) {
	st := textStats{validUTF8: true}
	buf := make([]byte, 256<<10)
	pending := 0
	for {
		n, err := r.Read(buf[pending:])
		if all {
			countAll(&st, buf[pending:pending+n])
		} else {
			countFast(&st, buf[pending:pending+n])
		}
		st.total += int64(n)
		chunk := buf[:pending+n]
		end := len(chunk)
		if err == nil {
			end = completeRunes(chunk)
		}
		if st.validUTF8 && !utf8.Valid(chunk[:end]) {
			st.validUTF8 = false
		}
		pending = copy(buf, chunk[end:])
		if err == io.EOF {
			return st, nil
		}
		if err != nil {
			return st, fmt.Errorf("scan text: %w", err)
		}
	}
}

// completeRunes returns the length of b without a trailing incomplete UTF-8
// sequence, which the next read will complete.
func completeRunes(b []byte) int {
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			if !utf8.FullRune(b[i:]) {
				return i
			}
			break
		}
	}
	return len(b)
}

// sniffComma picks the delimiter from the first lines: the candidate that
// splits the most lines into the same number of fields as the header wins,
// and a wider split breaks ties. Quoted text is skipped, so a comma inside
// "1,000" does not vote. Excel writes semicolons where the decimal separator
// is a comma and tabs for "Unicode Text"; with no vote a file has one column
// and the comma is as good as any.
func sniffComma(sample []byte, complete bool) rune {
	lines := bytes.Split(sample, []byte("\n"))
	if !complete && len(lines) > 1 {
		lines = lines[:len(lines)-1] // the last line is cut off
	}
	if len(lines) > 30 {
		lines = lines[:30]
	}
	best, bestAgree, bestWidth := ',', 0, 0
	for _, c := range []byte{',', '\t', ';'} {
		width, agree, inQuote := -1, 0, false
		for _, line := range lines {
			n := 0
			for _, b := range line {
				switch {
				case b == '"':
					inQuote = !inQuote
				case b == c && !inQuote:
					n++
				}
			}
			if inQuote || len(bytes.TrimSpace(line)) == 0 {
				continue // a quoted field runs on; count the record once
			}
			if width < 0 {
				width = n
			}
			if n == width && n > 0 {
				agree++
			}
		}
		if agree > bestAgree || agree == bestAgree && agree > 0 && width > bestWidth {
			best, bestAgree, bestWidth = rune(c), agree, width
		}
	}
	return best
}
