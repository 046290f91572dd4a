package tpmap

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"

	"tambon/internal/apperr"
)

// maxProblems caps a report: past this many, a file is wrong as a whole and
// more lines would only bury the first ones.
const maxProblems = 100

// Parse reads one TPMAP file. The header decides what the file holds (the
// kind and the level); when name follows the publisher's pattern
// 61_<PP>_<level>_<kind>.csv, the name must agree with the header and with
// every row's province. A file is taken whole or not at all: if anything is
// wrong, Parse returns no File and an apperr.Problems naming the file, row,
// column and value of each fault, with the reason in Thai and English.
// Errors reading r are returned wrapped, as they are.
func Parse(name string, r io.Reader) (*File, error) {
	p := &parser{name: name, tail: &tailReader{r: r}}
	f, err := p.parse()
	if err != nil {
		return nil, err
	}
	if len(p.problems) > 0 {
		return nil, p.problems
	}
	return f, nil
}

type parser struct {
	name     string
	tail     *tailReader
	problems apperr.Problems
	full     bool // maxProblems reached
}

// tailReader remembers the last byte read, to tell a file cut short in the
// middle of a row from one that ends with a line break.
type tailReader struct {
	r    io.Reader
	last byte
}

func (t *tailReader) Read(b []byte) (int, error) {
	n, err := t.r.Read(b)
	if n > 0 {
		t.last = b[n-1]
	}
	return n, err
}

func (p *parser) add(pr apperr.Problem) {
	if p.full {
		return
	}
	pr.File = p.name
	pr.Value = clip(pr.Value)
	if len(p.problems) == maxProblems {
		p.full = true
		pr = apperr.Problem{File: p.name, Reason: apperr.Tf(
			"พบปัญหามากกว่า %d รายการ หยุดตรวจแล้ว",
			"more than %d problems; stopped checking", maxProblems)}
	}
	p.problems = append(p.problems, pr)
}

func (p *parser) addAt(row int, col, value string, why apperr.Text) {
	p.add(apperr.Problem{Row: row, Column: col, Value: value, Reason: why})
}

func (p *parser) parse() (*File, error) {
	br := bufio.NewReader(p.tail)
	head, err := br.Peek(512)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, fmt.Errorf("read %s: %w", p.name, err)
	}
	if bytes.HasPrefix(head, []byte("\xef\xbb\xbf")) {
		_, _ = br.Discard(3) // a UTF-8 byte-order mark from a spreadsheet program
		head = head[3:]
	}
	t := bytes.TrimSpace(head)
	if len(t) == 0 {
		p.add(apperr.Problem{Reason: apperr.T(
			"ไฟล์ว่างเปล่า ไม่มีหัวตารางหรือข้อมูล",
			"the file is empty: no header and no rows")})
		return nil, nil
	}
	if t[0] == '<' {
		first, _, _ := bytes.Cut(t, []byte("\n"))
		p.addAt(1, "", string(bytes.TrimSpace(first)), apperr.T(
			"ไฟล์นี้เป็นหน้าเว็บ (HTML) ไม่ใช่ไฟล์ CSV ของ TPMAP อาจดาวน์โหลดไม่สำเร็จ",
			"this is a web page (HTML), not a TPMAP CSV file; the download may have failed"))
		return nil, nil
	}

	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1 // column counts are checked here, with a better message
	cr.ReuseRecord = false
	header, err := cr.Read()
	if err != nil {
		return nil, p.readError(err, 1)
	}
	lay := p.checkHeader(header)
	if lay == nil {
		return nil, nil
	}
	f := &File{Name: p.name, Kind: lay.kind, Level: lay.level}
	fn, named := parseName(p.name)
	if named {
		p.checkName(fn, lay)
		f.Mask, f.Year = fn.mask, fn.year
	}

	seen := map[string]int{}
	lastLine, lastBad := 0, false
	for !p.full {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, p.readError(err, lastLine+1)
		}
		line, _ := cr.FieldPos(0)
		before := len(p.problems)
		p.record(f, lay, rec, line, fn, named, seen)
		lastLine, lastBad = line, len(p.problems) > before
	}
	switch {
	case lastLine == 0 && !p.full:
		p.addAt(1, "", "", apperr.T(
			"มีแต่หัวตาราง ไม่มีข้อมูลสักแถว ไฟล์อาจถูกตัดหรือส่งออกไม่ครบ",
			"the file has a header but no rows; it may be truncated or a failed export"))
	case lastBad && p.tail.last != '\n':
		p.addAt(lastLine, "", "", apperr.T(
			"ไฟล์จบกลางแถวโดยไม่มีการขึ้นบรรทัดใหม่ ไฟล์น่าจะถูกตัดหรือดาวน์โหลดไม่ครบ",
			"the file ends in the middle of a row, without a line break; it looks cut short (truncated)"))
	}
	return f, nil
}

// readError turns a CSV syntax error into a problem; other errors come from
// the reader and are returned.
func (p *parser) readError(err error, line int) error {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return fmt.Errorf("read %s: %w", p.name, err)
	}
	if pe.Line > 0 {
		line = pe.Line
	}
	why := apperr.Tf("รูปแบบ CSV ผิดที่ตัวอักษรที่ %d: %v", "broken CSV at character %d: %v", pe.Column, pe.Err)
	if errors.Is(pe.Err, csv.ErrQuote) && p.tail.last != '\n' {
		why = apperr.Tf(
			"เครื่องหมายคำพูด (\") เปิดไว้แต่ไม่ได้ปิด และไฟล์จบกลางแถว ไฟล์น่าจะถูกตัดหรือดาวน์โหลดไม่ครบ (ตัวอักษรที่ %d)",
			"a quote (\") is opened and never closed, and the file ends mid-row; it looks cut short (truncated) (character %d)",
			pe.Column)
	}
	p.addAt(line, "", "", why)
	return nil
}

// checkHeader matches the header against the known layouts, reporting the
// first column that differs.
func (p *parser) checkHeader(header []string) *layout {
	lay := layoutFor(header)
	if lay == nil {
		got := ""
		if len(header) > 0 {
			got = header[0]
		}
		p.addAt(1, "A", got, apperr.T(
			"ไม่รู้จักรูปแบบคอลัมน์: คอลัมน์แรกต้องเป็น village_ID, tumbol_ID หรือ amphur_ID และคอลัมน์ที่สองต้องเป็น household.CNT หรือ poor.household.CNT",
			"unknown column layout: the first column must be village_ID, tumbol_ID or amphur_ID, and the second household.CNT or poor.household.CNT"))
		return nil
	}
	for i, want := range lay.header {
		if i >= len(header) {
			p.addAt(1, want, "", apperr.Tf(
				"หัวตารางมี %d คอลัมน์ ขาดคอลัมน์ %q (คอลัมน์ที่ %d) และคอลัมน์ต่อจากนั้น",
				"the header has %d columns: %q (column %d) and the columns after it are missing",
				len(header), want, i+1))
			return nil
		}
		if header[i] != want {
			p.addAt(1, want, header[i], apperr.Tf(
				"คอลัมน์ที่ %d ต้องชื่อ %q ตรงตามที่ TPMAP เผยแพร่",
				"column %d must be named %q, exactly as TPMAP publishes it",
				i+1, want))
			return nil
		}
	}
	if len(header) > len(lay.header) {
		p.addAt(1, "", header[len(lay.header)], apperr.Tf(
			"หัวตารางมี %d คอลัมน์ เกินกว่า %d คอลัมน์ที่ TPMAP เผยแพร่",
			"the header has %d columns, more than the %d that TPMAP publishes",
			len(header), len(lay.header)))
		return nil
	}
	return lay
}

// checkName reports a file whose name and header disagree about what it is.
func (p *parser) checkName(fn fileName, lay *layout) {
	if fn.level != lay.level {
		nth, nen := levelWord(fn.level)
		hth, hen := levelWord(lay.level)
		p.addAt(1, lay.idCol, lay.idCol, apperr.Text{
			TH: fmt.Sprintf("ชื่อไฟล์บอกว่าเป็นข้อมูลระดับ%s แต่หัวตารางเป็นระดับ%s", nth, hth),
			EN: fmt.Sprintf("the file name says %s level, but the header is %s level", nen, hen),
		})
	}
	if fn.kind != lay.kind {
		nth, nen := kindWord(fn.kind)
		hth, hen := kindWord(lay.kind)
		p.addAt(1, lay.header[1], lay.header[1], apperr.Text{
			TH: fmt.Sprintf("ชื่อไฟล์บอกว่าเป็น%s แต่หัวตารางเป็น%s", nth, hth),
			EN: fmt.Sprintf("the file name says %s, but the header holds %s", nen, hen),
		})
	}
}

// record checks and converts one data row.
func (p *parser) record(f *File, lay *layout, rec []string, line int, fn fileName, named bool, seen map[string]int) {
	if len(rec) != len(lay.header) {
		p.addAt(line, "", "", apperr.Tf(
			"แถวนี้มี %d คอลัมน์ แต่หัวตารางมี %d คอลัมน์",
			"this row has %d columns, but the header has %d",
			len(rec), len(lay.header)))
		return
	}
	before := len(p.problems)
	id := rec[0]
	if why := checkCode(id, lay.digits); why != nil {
		p.addAt(line, lay.idCol, id, *why)
	} else if first, dup := seen[id]; dup {
		p.addAt(line, lay.idCol, id, apperr.Tf(
			"รหัสพื้นที่ซ้ำกับแถวที่ %d",
			"the area id appears twice; first at row %d", first))
	} else {
		seen[id] = line
	}
	validID := checkCode(id, lay.digits) == nil
	prov := rec[len(rec)-1]
	switch {
	case len(prov) != 2 || !isDigits(prov):
		p.addAt(line, provinceCol, prov, apperr.T(
			"รหัสจังหวัดต้องเป็นตัวเลข 2 หลัก", "the province code must be 2 digits"))
	case validID && id[:2] != prov:
		p.addAt(line, provinceCol, prov, apperr.Tf(
			"รหัสจังหวัดไม่ตรงกับ 2 หลักแรกของรหัสพื้นที่ %s",
			"the province code does not match the first 2 digits of area id %s", id))
	case named && prov != fn.province:
		p.addAt(line, provinceCol, prov, apperr.Tf(
			"ชื่อไฟล์เป็นของจังหวัด %s แต่แถวนี้เป็นจังหวัด %s",
			"the file name is for province %s, but this row is in province %s", fn.province, prov))
	case f.Province != "" && prov != f.Province:
		p.addAt(line, provinceCol, prov, apperr.Tf(
			"ไฟล์หนึ่งต้องเป็นจังหวัดเดียว แถวก่อนหน้าเป็นจังหวัด %s",
			"a file holds one province; earlier rows are in province %s", f.Province))
	case f.Province == "":
		f.Province = prov
	}

	code := id
	if lay.level == LevelVillage && validID {
		code = id[:8]
	}
	if lay.kind == KindCommon {
		r := Row{Code: code, ID: id, Line: line, Level: lay.level}
		p.common(&r, lay, rec, line)
		if len(p.problems) == before {
			f.Rows = append(f.Rows, r)
		}
		return
	}
	r := PovertyRow{Code: code, ID: id, Line: line, Level: lay.level}
	p.poverty(&r, lay, rec, line)
	if len(p.problems) == before {
		f.Poverty = append(f.Poverty, r)
	}
}

// count reads count column i of rec.
func (p *parser) count(lay *layout, rec []string, i, line int) int64 {
	n, why := parseCount(rec[i])
	if why != nil {
		p.addAt(line, lay.header[i], rec[i], *why)
	}
	return n
}

// notMore reports column i when its count exceeds the count of column of,
// which it is a part of.
func (p *parser) notMore(lay *layout, rec []string, line, i int, n int64, of int, total int64) {
	if n > total {
		p.addAt(line, lay.header[i], rec[i], apperr.Tf(
			"%d มากกว่า %s (%d) ซึ่งเป็นจำนวนทั้งหมดของกลุ่มนี้",
			"%d is more than %s (%d), the whole of which it is a part",
			n, lay.header[of], total))
	}
}

func (p *parser) common(r *Row, lay *layout, rec []string, line int) {
	dst := []*int64{&r.Households, &r.Members, &r.MOFReg, &r.MOFVal, &r.Elderly, &r.Disabled, &r.Chronic}
	for k, d := range dst {
		*d = p.count(lay, rec, 1+k, line)
	}
	const hcol = 8
	h, why := parseFloat(rec[hcol], 10)
	if why != nil {
		p.addAt(line, lay.header[hcol], rec[hcol], *why)
	} else {
		// The mean of whole-number scores times the number of households is
		// the whole total; 15 significant digits leave an error far below
		// the tolerance even for a million households.
		total := h * float64(r.Households)
		sum := math.Round(total)
		if math.Abs(total-sum) > 1e-6 {
			p.addAt(line, lay.header[hcol], rec[hcol], apperr.Tf(
				"ค่าเฉลี่ยความสุขคูณจำนวนครัวเรือน (%s × %d = %s) ต้องเป็นจำนวนเต็ม เพราะคะแนนความสุขของแต่ละครัวเรือนเป็นจำนวนเต็ม 0-10",
				"happiness × households (%s × %d = %s) must be a whole number, since each household scores a whole number 0-10",
				rec[hcol], r.Households, strconv.FormatFloat(total, 'g', 10, 64)))
		}
		r.Happiness, r.HappinessSum = h, int64(sum)
	}
	for k := range NumIndicators {
		ai, fi := commonFirstAll+k, commonFirstFail+k
		all := p.count(lay, rec, ai, line)
		fail := p.count(lay, rec, fi, line)
		if fail > all {
			p.addAt(line, lay.header[fi], rec[fi], apperr.Tf(
				"จำนวนที่ไม่ผ่านตัวชี้วัดที่ %d (%d) มากกว่าจำนวนที่วัด %s (%d)",
				"the number failing indicator %d (%d) is more than the number measured, %s (%d)",
				k+1, fail, lay.header[ai], all))
		}
		r.Indicators[k] = Count{All: all, Fail: fail}
	}
}

func (p *parser) poverty(r *PovertyRow, lay *layout, rec []string, line int) {
	r.PoorHouseholds = p.count(lay, rec, 1, line)
	r.Poor = p.count(lay, rec, 2, line)
	r.PoorMOFReg = p.count(lay, rec, 3, line)
	r.TargetPoor = p.count(lay, rec, 4, line)
	// The welfare-card groups are parts of the poor. Registered and validated
	// are not nested in the published data (two Ratchaburi villages have more
	// validated than registered), so that pair is not checked.
	p.notMore(lay, rec, line, 3, r.PoorMOFReg, 2, r.Poor)
	p.notMore(lay, rec, line, 4, r.TargetPoor, 2, r.Poor)
	for k := range r.Dimensions {
		r.Dimensions[k] = p.count(lay, rec, 5+k, line)
		p.notMore(lay, rec, line, 5+k, r.Dimensions[k], 4, r.TargetPoor)
	}
	rate, why := parseFloat(rec[povertyRateCol], 100)
	if why != nil {
		p.addAt(line, lay.header[povertyRateCol], rec[povertyRateCol], *why)
	}
	r.Rate = rate
	for k := range NumIndicators {
		i := povertyFirstInd + k
		r.Indicators[k] = p.count(lay, rec, i, line)
		p.notMore(lay, rec, line, i, r.Indicators[k], 4, r.TargetPoor)
	}
}
