package tabular

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"tambon/internal/apperr"
)

// scanned is everything a reader gave for one workbook: the raw rows of
// every sheet as the source yields them (blank and missing rows included),
// then what Open's Reader made of it.
type scanned struct {
	Sheets   map[string][]string // sheet → one line per row: number, cells, or the error
	Header   []string
	Warnings []string
	Rows     []string
	Err      string
}

// readOld reads a workbook the way tabular read every workbook before the
// sheet scanner: excelize's Rows iterator after normaliseFormats.
func readOld(t testing.TB, data []byte, opts Options) scanned {
	t.Helper()
	var out scanned
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("excelize open: %v", err)
	}
	defer f.Close()
	if err := normaliseFormats(f); err != nil {
		t.Fatal(err)
	}
	out.Sheets = map[string][]string{}
	for _, sheet := range f.GetSheetList() {
		rows, err := f.Rows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		out.Sheets[sheet] = drain(&xlsxSource{name: "t.xlsx", sheet: sheet, rows: rows})
	}
	parts := mustParts(t, data)
	rd, err := openXLSXExcelize("t.xlsx", bytes.NewReader(data), int64(len(data)), parts, opts)
	out.reader(rd, err)
	return out
}

// readNew reads a workbook with the sheet scanner.
func readNew(t testing.TB, data []byte, opts Options) scanned {
	t.Helper()
	var out scanned
	parts := mustParts(t, data)
	meta, err := openMeta(parts, excelize.Options{})
	if err != nil {
		t.Fatalf("open meta: %v", err)
	}
	defer meta.Close()
	list := meta.GetSheetList()
	if err := normaliseFormats(meta); err != nil {
		t.Fatal(err)
	}
	formats := newCellFormats(meta)
	sst, err := readSharedStrings("test.xlsx", parts, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	paths, err := parts.sheetPaths()
	if err != nil {
		t.Fatal(err)
	}
	out.Sheets = map[string][]string{}
	for _, sheet := range list {
		rc, err := parts.open(paths[sheet])
		if err != nil {
			t.Fatal(err)
		}
		out.Sheets[sheet] = drain(newSheetSource("t.xlsx", sheet, rc, sst, formats))
	}
	if formats.err != nil {
		t.Errorf("formatting through excelize failed: %v", formats.err)
	}
	rd, err := openXLSX("t.xlsx", bytes.NewReader(data), int64(len(data)), parts, opts)
	out.reader(rd, err)
	return out
}

func mustParts(t testing.TB, data []byte) zipParts {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	return newZipParts(zr)
}

func drain(src source) []string {
	defer src.close()
	var lines []string
	for len(lines) < 5000 {
		cells, num, err := src.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			lines = append(lines, fmt.Sprintf("%d error %s", num, problemText(err)))
			break
		}
		lines = append(lines, fmt.Sprintf("%d %q", num, cells))
	}
	return lines
}

func problemText(err error) string {
	var ps apperr.Problems
	if errors.As(err, &ps) {
		var b strings.Builder
		for _, p := range ps {
			b.WriteString(p.String())
		}
		return b.String()
	}
	return err.Error()
}

func (s *scanned) reader(rd *Reader, err error) {
	if err != nil {
		s.Err = problemText(err)
		return
	}
	defer rd.Close()
	s.Header = rd.Header()
	for _, w := range rd.Warnings() {
		s.Warnings = append(s.Warnings, w.String())
	}
	for len(s.Rows) < 5000 && rd.Next() {
		s.Rows = append(s.Rows, fmt.Sprintf("%d %q", rd.Row().Num, rd.Row().Cells))
	}
	if err := rd.Err(); err != nil {
		s.Err = problemText(err)
	}
}

// compareReaders fails when the scanner and the excelize path disagree.
func compareReaders(t testing.TB, data []byte, opts Options) {
	t.Helper()
	old, got := readOld(t, data, opts), readNew(t, data, opts)
	if reflect.DeepEqual(old, got) {
		return
	}
	for sheet, want := range old.Sheets {
		have := got.Sheets[sheet]
		for i := range max(len(want), len(have)) {
			var w, h string
			if i < len(want) {
				w = want[i]
			}
			if i < len(have) {
				h = have[i]
			}
			if w != h {
				t.Fatalf("sheet %q row line %d:\nexcelize %s\nscanner  %s", sheet, i, w, h)
			}
		}
	}
	t.Fatalf("readers differ:\nexcelize %+v\nscanner  %+v", old, got)
}

// Values a generated cell may hold.
var (
	thaiWords = []string{"นายสมชาย ใจดี", "นางสาวกุหลาบ  มีสุข", "ใช่", "ไม่ใช่", "บ้านเลขที่ 12/3 หมู่ ๔",
		"ผู้ใหญ่บ้าน", "น้ำ", "ก", "สำนักงานพัฒนาชุมชนอำเภอ", "ฯลฯ", "ๆ"}
	oddTexts = []string{"", " ", "  leading", "trailing  ", "\t", "a\nb", "line\r\nbreak", "cr\ronly",
		"<tag> & \"quotes\" 'apos'", "_x000D_ literal", "under_x005F_score", "x_x0041_y", "_x00e9_",
		"0012", "1E5", "1,234", "TRUE", "=1+1", "emoji 🙂", "ทดสอบ\u00a0nbsp", "]]>", "&amp;"}
	numberFormats = []int{0, 1, 2, 3, 4, 9, 10, 11, 12, 14, 15, 16, 17, 18, 19, 20, 21, 22, 37, 45, 46, 47, 49}
	customFormats = []string{"d/m/yyyy", "[$-th-TH]d mmm bbbb", "dd/mm/yy hh:mm", "hh:mm:ss", "[h]:mm",
		"0.00%", "#,##0.00", "0.00E+00", "yyyy-mm-dd", "mmm", "\"฿\"#,##0", "[Red]0.0;[Blue]-0.0", "@",
		"d mmmm yyyy;@", "[$-D07041E]d/m/yyyy", "B1dd/mm/yyyy"}
)

func randomNumber(r *rand.Rand) any {
	switch r.IntN(9) {
	case 0:
		return r.IntN(100)
	case 1:
		return r.Int64N(1e13) + 1e12 // a citizen ID typed as a number
	case 2:
		return float64(r.IntN(2_000_000)) / 100
	case 3:
		return -r.Float64() * 1e6
	case 4:
		return r.Float64() * 1e-6
	case 5:
		return math.Pow(10, float64(r.IntN(40)-20)) * r.Float64()
	case 6:
		return float64(r.IntN(60000)) + float64(r.IntN(86400))/86400 // a date serial
	case 7:
		return int64(r.Uint64() >> 1)
	}
	return r.Float32()
}

func randomText(r *rand.Rand) string {
	if r.IntN(3) == 0 {
		return oddTexts[r.IntN(len(oddTexts))]
	}
	s := thaiWords[r.IntN(len(thaiWords))]
	if r.IntN(4) == 0 {
		s += " " + strconv.Itoa(r.IntN(1000))
	}
	return s
}

// randomWorkbook builds a workbook with excelize: several sheets, sparse and
// long rows, every kind of cell, styles with built-in and custom number
// formats on numbers, text and booleans.
func randomWorkbook(t testing.TB, seed uint64) []byte {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, seed*7+1))
	f := excelize.NewFile()
	defer f.Close()
	var styles []int
	for range 6 {
		var st excelize.Style
		if r.IntN(2) == 0 {
			st.NumFmt = numberFormats[r.IntN(len(numberFormats))]
		} else {
			code := customFormats[r.IntN(len(customFormats))]
			st.CustomNumFmt = &code
		}
		id, err := f.NewStyle(&st)
		if err != nil {
			t.Fatal(err)
		}
		styles = append(styles, id)
	}
	if r.IntN(4) == 0 {
		if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: ptr(true)}); err != nil {
			t.Fatal(err)
		}
	}
	sheets := []string{"Sheet1"}
	for i := range r.IntN(3) {
		name := []string{"ครัวเรือน", "สมาชิก", "Data 2"}[i]
		if _, err := f.NewSheet(name); err != nil {
			t.Fatal(err)
		}
		sheets = append(sheets, name)
	}
	for _, sheet := range sheets {
		nrows := r.IntN(40)
		for row := 1; row <= nrows; row++ {
			if r.IntN(6) == 0 {
				continue // a missing row
			}
			ncols := r.IntN(12)
			if r.IntN(15) == 0 {
				ncols = 200 + r.IntN(200) // a very long row
			}
			for col := 1; col <= ncols; col++ {
				if r.IntN(4) == 0 {
					continue // a sparse cell
				}
				cell, _ := excelize.CoordinatesToCellName(col, row)
				setRandomCell(t, r, f, sheet, cell)
				if r.IntN(5) == 0 {
					if err := f.SetCellStyle(sheet, cell, cell, styles[r.IntN(len(styles))]); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func setRandomCell(t testing.TB, r *rand.Rand, f *excelize.File, sheet, cell string) {
	var err error
	switch r.IntN(10) {
	case 0, 1, 2:
		err = f.SetCellValue(sheet, cell, randomText(r))
	case 3, 4:
		err = f.SetCellValue(sheet, cell, randomNumber(r))
	case 5:
		err = f.SetCellValue(sheet, cell, r.IntN(2) == 0)
	case 6:
		d := time.Date(1900+r.IntN(200), time.Month(1+r.IntN(12)), 1+r.IntN(28), r.IntN(24), r.IntN(60), r.IntN(60), 0, time.UTC)
		if r.IntN(2) == 0 {
			d = d.Truncate(24 * time.Hour)
		}
		err = f.SetCellValue(sheet, cell, d)
	case 7:
		err = f.SetCellFormula(sheet, cell, "SUM(A1:A3)")
	case 8:
		err = f.SetCellRichText(sheet, cell, []excelize.RichTextRun{
			{Text: randomText(r), Font: &excelize.Font{Bold: true}},
			{Text: randomText(r)},
		})
	default:
		err = f.SetCellStr(sheet, cell, randomText(r))
	}
	if err != nil {
		t.Fatal(err)
	}
}

func ptr[T any](v T) *T { return &v }

// streamedWorkbook builds a workbook with tambon's own writer (excelize's
// StreamWriter: inline strings, styled dates), the way exports are made.
func streamedWorkbook(t testing.TB, seed uint64) []byte {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 99))
	var buf bytes.Buffer
	w := NewXLSXWriter(&buf)
	for s := range 1 + r.IntN(2) {
		if err := w.NewSheet(fmt.Sprintf("ชีต %d", s+1), []string{"เลขประจำตัวประชาชน", "ชื่อ", "วันเกิด", "รายได้", "หมายเหตุ"}); err != nil {
			t.Fatal(err)
		}
		for range r.IntN(300) {
			born := time.Date(1930+r.IntN(90), time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC)
			var when any = born
			if r.IntN(4) == 0 {
				when = born.Add(time.Duration(r.IntN(86400)) * time.Second)
			}
			if err := w.Write(r.Int64N(9e12)+1e12, randomText(r), when, randomNumber(r), randomText(r)); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestScannerMatchesExcelize is the sheet scanner's proof: on generated
// workbooks, every sheet's rows, and everything Open's Reader returns, are
// exactly what the excelize path gives.
func TestScannerMatchesExcelize(t *testing.T) {
	n := 150
	if testing.Short() {
		n = 40
	}
	for seed := range uint64(n) {
		compareReaders(t, randomWorkbook(t, seed), Options{})
	}
	for seed := range uint64(n / 10) {
		compareReaders(t, streamedWorkbook(t, seed), Options{})
	}
}

// handSheet is a workbook whose first sheet's XML is given, the shapes
// excelize never writes but Excel, LibreOffice or other programs do.
func handSheet(t testing.TB, sheetData string, extra map[string]string) []byte {
	t.Helper()
	base := handBase
	if base == nil {
		base = func() []byte {
			f := excelize.NewFile()
			defer f.Close()
			f.SetCellValue("Sheet1", "A1", "x")
			f.SetCellValue("Sheet1", "A2", "shared")
			f.SetCellValue("Sheet1", "A3", "สอง")
			id, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
			f.SetCellStyle("Sheet1", "B1", "B1", id)
			id, _ = f.NewStyle(&excelize.Style{NumFmt: 10})
			f.SetCellStyle("Sheet1", "B2", "B2", id)
			var buf bytes.Buffer
			if _, err := f.WriteTo(&buf); err != nil {
				t.Fatal(err)
			}
			return buf.Bytes()
		}()
		handBase = base
	}
	zr, err := zip.NewReader(bytes.NewReader(base), int64(len(base)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		if f.Name == "xl/worksheets/sheet1.xml" {
			io.WriteString(w, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+"\n"+
				`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`+
				`<dimension ref="A1"/><sheetData>`+sheetData+`</sheetData><mergeCells count="0"/></worksheet>`)
			continue
		}
		if body, ok := extra[f.Name]; ok {
			io.WriteString(w, body)
			continue
		}
		rc, _ := f.Open()
		io.Copy(w, rc)
		rc.Close()
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// handBase is the workbook handSheet edits, made once.
var handBase []byte

// handSheets are sheet bodies that exercise the scanner's corners; each is
// checked against excelize.
var handSheets = []string{
	// cells without r, rows without r, rows out of order and repeated
	`<row><c><v>1</v></c><c t="s"><v>0</v></c><c/><c><v>3</v></c></row><row><c r="C2"><v>2</v></c></row>`,
	`<row r="3"><c r="B3"><v>1</v></c></row><row r="2"><c r="A2"><v>2</v></c></row><row r="5"><c r="A5"><v>5</v></c></row>`,
	`<row r="2"><c r="D2"><v>1</v></c></row><row r="2"><c r="A2"><v>2</v></c></row><row><c><v>x</v></c></row>`,
	// types: d, str, e, b with odd values, n explicit, unknown
	`<row r="1"><c r="A1" t="d"><v>2023-03-15T00:00:00Z</v></c><c r="B1" t="d" s="1"><v>2023-03-15T12:30:00Z</v></c><c r="C1" t="d" s="1"><v>garbage</v></c></row>`,
	`<row r="1"><c r="A1" t="str"><f>A2&amp;"x"</f><v>cached &lt;text&gt;</v></c><c r="B1" t="e"><v>#DIV/0!</v></c><c r="C1" t="b"><v>2</v></c><c r="D1" t="b" s="1"><v>1</v></c><c r="E1" t="n"><v>1.50</v></c><c r="F1" t="zz"><v>7E3</v></c></row>`,
	// formulas with cached numbers, shared formulas, array formulas
	`<row r="1"><c r="A1"><f>1+1</f><v>2</v></c><c r="B1" s="1"><f t="shared" ref="B1:B2" si="0">A1*2</f><v>45000</v></c><c r="C1"><f t="array" ref="C1">SUM(A1:B1)</f><v>0.5</v></c></row>` +
		`<row r="2"><c r="B2" s="1"><f t="shared" si="0"/><v>45001.5</v></c><c r="C2" t="b"><f>TRUE()</f><v>1</v></c><c r="D2" t="e"><f>1/0</f><v>#DIV/0!</v></c></row>`,
	// formulas with no cached value, empty values, whitespace
	`<row r="1"><c r="A1"><f>1+1</f></c><c r="B1"><f/><v></v></c><c r="D1" t="inlineStr"><is><t xml:space="preserve">  sp  </t></is></c><c r="E1"><v> 12 </v></c></row>`,
	// inline rich text, several <t>, phonetic runs, an <is> with no text
	`<row r="1"><c r="A1" t="inlineStr"><is><r><rPr><b/></rPr><t>ตัว</t></r><r><t>หนา</t></r><rPh sb="0" eb="1"><t>ignored</t></rPh></is></c>` +
		`<c r="B1" t="inlineStr"><is><t>first</t><t>second</t><r><t>run</t></r></is></c><c r="C1" t="inlineStr"><is/></c><c r="D1" t="inlineStr"><v>v only</v></c></row>`,
	// entities, character references, CDATA, comments, CR LF, escapes
	`<row r="1"><c r="A1" t="inlineStr"><is><t>a&amp;b &#3585;&#x0E02; &quot;q&quot; &apos;</t></is></c><c r="B1" t="inlineStr"><is><t><![CDATA[<raw> & stuff]]></t></is></c>` +
		`<c r="C1" t="inlineStr"><is><t>one<!-- note -->two</t></is></c><c r="D1" t="inlineStr"><is><t>crlf` + "\r\n" + `lf` + "\r" + `cr</t></is></c>` +
		`<c r="E1" t="inlineStr"><is><t>_x000D__x000A_ _x005F_x0041_ _xD800_ _x0041</t></is></c><c r="F1"><v>&#49;&#50;</v></c></row>`,
	// namespace prefixes, attributes in another order, single quotes, spaces
	`<x:row r='1' spans="1:3"><x:c t='inlineStr' r = 'B1' ><x:is><x:t>pfx</x:t></x:is></x:c><x:c s="2" r="C1"><x:v>0.1</x:v></x:c></x:row>`,
	// styles: date style on numbers, text, booleans; out-of-range and bad styles
	`<row r="1"><c r="A1" s="1"><v>45000.75</v></c><c r="B1" s="1" t="s"><v>1</v></c><c r="C1" s="1" t="b"><v>1</v></c><c r="D1" s="99"><v>45000</v></c>` +
		`<c r="E1" s="-1"><v>1</v></c><c r="F1" s="abc"><v>9</v></c><c r="G1" t="s" s="x"><v>0</v></c><c r="H1" s="2"><v>0.125</v></c><c r="I1" s="1"><v>-1</v></c><c r="J1" s="1"><v>1e400</v></c></row>`,
	// numbers in every shape
	`<row r="1"><c r="A1"><v>00012</v></c><c r="B1"><v>-0</v></c><c r="C1"><v>1234567890123456789</v></c><c r="D1"><v>0.30000000000000004</v></c><c r="E1"><v>-0.00001234567891</v></c>` +
		`<c r="F1"><v>+5</v></c><c r="G1"><v>.5</v></c><c r="H1"><v>1_000</v></c><c r="I1"><v>0x10</v></c><c r="J1"><v>NaN</v></c><c r="K1"><v>Inf</v></c><c r="L1"><v>100000000000000000000</v></c></row>`,
	// shared string indexes: spaced, not a number
	`<row r="1"><c r="A1" t="s"><v> 2 </v></c><c r="B1" t="s"><v>abc</v></c><c r="C1" t="s"><v></v></c></row>`,
	// lower-case and absolute references, a gap before a cell, cells out of order
	`<row r="1"><c r="c1"><v>1</v></c><c r="$E$1"><v>2</v></c><c r="B1"><v>3</v></c></row>`,
	// blank rows Excel leaves behind, then data far down
	`<row r="1" ht="20" customHeight="1"/><row r="2" s="1" customFormat="1"><c r="A2" s="1"/></row><row r="40"><c r="A40"><v>far</v></c></row>`,
	// errors: bad row number, row past the limit, bad reference, bad shared string
	`<row r="1"><c r="A1"><v>1</v></c></row><row r="x"><c r="A2"><v>2</v></c></row>`,
	`<row r="1"><c r="A1"><v>1</v></c></row><row r="1048577"><c r="A2"><v>2</v></c></row>`,
	`<row r="1"><c r="A1"><v>1</v></c><c r="1A"><v>2</v></c></row>`,
	`<row r="1"><c r="A1"><v>1</v></c><c r="XFE1"><v>2</v></c></row>`,
	`<row r="1"><c r="A1" t="s"><v>99</v></c></row>`,
	`<row r="9999999999999999999999"><c><v>1</v></c></row>`,
}

func TestScannerMatchesExcelizeByHand(t *testing.T) {
	for i, body := range handSheets {
		t.Run(strconv.Itoa(i), func(t *testing.T) {
			compareReaders(t, handSheet(t, body, nil), Options{})
		})
	}
}

// TestScannerSharedStrings checks a hand-written shared strings table: rich
// text, phonetic runs, escapes and entities.
func TestScannerSharedStrings(t *testing.T) {
	sst := `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="5" uniqueCount="5">` +
		`<si><t>หัว</t></si><si><r><t>ตัว</t></r><r><rPr><b/></rPr><t xml:space="preserve"> หนา </t></r></si>` +
		`<si><t>base</t><rPh sb="0" eb="1"><t>ふりがな</t></rPh></si><si><t>a_x000D_b &amp; &#3585;</t></si><si/></sst>`
	body := `<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c><c r="E1" t="s"><v>4</v></c><c r="F1" t="s"><v>5</v></c></row>`
	data := handSheet(t, body, map[string]string{"xl/sharedStrings.xml": sst})
	compareReaders(t, data, Options{})
	got := readNew(t, data, Options{})
	if want := `1 ["หัว" "ตัว หนา " "base" "a\rb & ก"]`; got.Sheets["Sheet1"][0] != want {
		t.Errorf("got %s, want %s", got.Sheets["Sheet1"][0], want)
	}
}

// TestScannerFallsBackForOtherEncodings: a sheet declared in another
// encoding is read by excelize, which converts it.
func TestScannerFallsBackForOtherEncodings(t *testing.T) {
	data := handSheet(t, `<row r="1"><c r="A1" t="inlineStr"><is><t>caf`+"\xe9"+`</t></is></c></row>`, nil)
	data = rewriteEntry(t, data, "xl/worksheets/sheet1.xml", func(b []byte) []byte {
		return bytes.Replace(b, []byte(`encoding="UTF-8"`), []byte(`encoding="ISO-8859-1"`), 1)
	})
	parts := mustParts(t, data)
	if parts.declaresUTF8("xl/worksheets/sheet1.xml") {
		t.Fatal("ISO-8859-1 sheet taken for UTF-8")
	}
	rd, err := openXLSX("t.xlsx", bytes.NewReader(data), int64(len(data)), parts, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	if _, ok := rd.src.(*prefetch).src.(*limitSource).src.(*xlsxSource); !ok {
		t.Fatalf("read by %T, want the excelize path", rd.src.(*prefetch).src.(*limitSource).src)
	}
	if h := rd.Header(); len(h) != 1 || h[0] != "café" {
		t.Errorf("header %q, want café", h)
	}
}

func rewriteEntry(t testing.TB, data []byte, name string, edit func([]byte) []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		if f.Name == name {
			b = edit(b)
		}
		w, _ := zw.Create(f.Name)
		w.Write(b)
	}
	zw.Close()
	return out.Bytes()
}

// wellFormed reports whether every XML part encoding/xml can parse: on a
// part it cannot, excelize stops reading without a word, and the scanner
// may read on or refuse instead.
func wellFormed(data []byte) bool {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return false
	}
	for _, f := range zr.File {
		if !strings.HasSuffix(f.Name, ".xml") && !strings.HasSuffix(f.Name, ".rels") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return false
		}
		d := xmlDecoder(rc)
		for {
			_, err := d.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				rc.Close()
				return false
			}
		}
		rc.Close()
	}
	return true
}

func xmlDecoder(r io.Reader) *xml.Decoder { return xml.NewDecoder(r) }

// sheetDataOf returns what is inside a workbook's first sheet's
// <sheetData>, to seed the fuzzer with real sheets.
func sheetDataOf(t testing.TB, data []byte) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name != "xl/worksheets/sheet1.xml" {
			continue
		}
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		s := string(b)
		i, j := strings.Index(s, "<sheetData>"), strings.Index(s, "</sheetData>")
		if i < 0 || j < i {
			return ""
		}
		return s[i+len("<sheetData>") : j]
	}
	return ""
}

// FuzzSheetScanner puts arbitrary text inside a sheet's <sheetData>. The
// scanner must never panic and must answer any error as a damaged file;
// and when the sheet is well-formed XML (so that excelize does not stop
// reading silently), it must read exactly what excelize reads.
func FuzzSheetScanner(f *testing.F) {
	for _, s := range handSheets {
		f.Add(s)
	}
	for seed := range uint64(8) {
		if s := sheetDataOf(f, randomWorkbook(f, seed)); len(s) < 6000 {
			f.Add(s)
		}
	}
	f.Add(sheetDataOf(f, streamedWorkbook(f, 1)))
	longNumber := regexp.MustCompile(`[0-9]{5,}`)
	f.Fuzz(func(t *testing.T, body string) {
		if longNumber.MatchString(body) {
			// A row far down makes both readers step through every row
			// above it; the hand-written cases cover row limits.
			t.Skip()
		}
		data := handSheet(t, body, nil)
		got := readNew(t, data, Options{})
		for _, lines := range got.Sheets {
			for _, l := range lines {
				if strings.Contains(l, "panic") {
					t.Fatalf("scanner panicked: %s", l)
				}
			}
		}
		if wellFormed(data) && utf8.ValidString(body) {
			compareReaders(t, data, Options{})
		}
	})
}

// TestISODatesMatchExcelize checks the dates the scanner formats itself
// against excelize's formatting of the same serial numbers, for every day
// from 1900 to 2119 and the last days Excel knows.
func TestISODatesMatchExcelize(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	style, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		t.Fatal(err)
	}
	if err := normaliseFormats(f); err != nil {
		t.Fatal(err)
	}
	c := newCellFormats(f)
	if !c.iso[style] {
		t.Fatalf("style %d with format 14 is not taken for an ISO date", style)
	}
	step := 1
	if testing.Short() {
		step = 13
	}
	check := func(n int) {
		v := strconv.Itoa(n)
		want, err := c.formatNow(style, v)
		if err != nil {
			t.Fatal(err)
		}
		if got, ok := isoDateOf(v); ok && got != want {
			t.Fatalf("serial %d: got %s, excelize %s", n, got, want)
		}
	}
	for n := 0; n <= 80_000; n += step {
		check(n)
	}
	for n := lastPlainSerial - 400; n <= lastPlainSerial+2; n++ {
		check(n)
	}
}

// TestMergedRangesAcrossChunks finds every merged range of a sheet far
// larger than the search's chunk, as excelize lists them.
func TestMergedRangesAcrossChunks(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	long := strings.Repeat("ข้อความยาว mergeCell <mergeCell> ", 40)
	for row := 1; row <= 3000; row++ {
		cell, _ := excelize.CoordinatesToCellName(1, row)
		f.SetCellValue("Sheet1", cell, long+strconv.Itoa(row))
	}
	for i := range 700 {
		a, _ := excelize.CoordinatesToCellName(2+i%20, 1+i*4)
		b, _ := excelize.CoordinatesToCellName(3+i%20, 2+i*4)
		if err := f.MergeCell("Sheet1", a, b); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	g, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	merged, err := g.GetMergeCells("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, m := range merged {
		want = append(want, m.GetStartAxis()+":"+m.GetEndAxis())
	}
	got, err := mustParts(t, data).mergedRanges("xl/worksheets/sheet1.xml")
	if err != nil {
		t.Fatal(err)
	}
	if len(want) != 700 || !reflect.DeepEqual(got, want) {
		t.Errorf("got %d ranges, excelize %d; first %q vs %q", len(got), len(want), got[:min(3, len(got))], want[:min(3, len(want))])
	}
}

// TestScannerBackslashNames reads a workbook whose zip entries are named
// with backslashes, as some Windows tools write them.
func TestScannerBackslashNames(t *testing.T) {
	data := randomWorkbook(t, 7)
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		w, err := zw.CreateHeader(&zip.FileHeader{Name: strings.ReplaceAll(f.Name, "/", `\`), Method: zip.Deflate})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(b)
	}
	zw.Close()
	data = out.Bytes()
	old := readOld(t, data, Options{})
	parts := mustParts(t, data)
	rd, err := openXLSX("t.xlsx", bytes.NewReader(data), int64(len(data)), parts, Options{})
	var got scanned
	got.reader(rd, err)
	if old.Err != "" || got.Err != old.Err || !reflect.DeepEqual(got.Rows, old.Rows) || !reflect.DeepEqual(got.Header, old.Header) {
		t.Fatalf("backslash names:\nexcelize %+v\nscanner  %+v", old, got)
	}
}
