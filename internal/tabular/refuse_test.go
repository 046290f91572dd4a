package tabular_test

import (
	"bytes"
	"crypto/rand"
	"io"
	mrand "math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"tambon/internal/tabular"
)

// TestRefuse gives every kind of file officials send by mistake and checks
// that each is refused with a message saying what it is and what to do.
func TestRefuse(t *testing.T) {
	xlsx := MustXLSX(t, func(f *excelize.File) {
		MustSet(t, f, "Sheet1", 1, [][]any{{"Name"}, {"ก"}})
	})
	garbage := make([]byte, 4096)
	rand.Read(garbage)
	tests := []struct {
		name string
		data []byte
		opts tabular.Options
		want []string
	}{
		{"empty file", nil, tabular.Options{}, []string{"report.csv is empty", "ว่างเปล่า"}},
		{"only a BOM and blank lines", []byte("\xEF\xBB\xBF\r\n \r\n"), tabular.Options{}, []string{"is empty"}},
		{"HTML saved as xls", []byte("\xEF\xBB\xBF\r\n<html xmlns:x=\"urn:schemas-microsoft-com:office:excel\"><body><table><tr><td>1</td></tr></table></body></html>"), tabular.Options{},
			[]string{"web page (HTML)", "หน้าเว็บ (HTML)", "Save As Excel Workbook (.xlsx)"}},
		{"bare HTML table", []byte("<TABLE border=1><TR><TD>ชื่อ</TD></TR></TABLE>"), tabular.Options{}, []string{"web page (HTML)"}},
		{"MHTML single-file web page", []byte("MIME-Version: 1.0\r\nContent-Type: multipart/related"), tabular.Options{}, []string{"web page (HTML)"}},
		{"XML Spreadsheet 2003", []byte(`<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">`), tabular.Options{}, []string{"XML Spreadsheet 2003"}},
		{"legacy xls (OLE2)", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 504)...), tabular.Options{},
			[]string{"legacy Excel 97-2003 workbook (.xls)", "Save As Excel Workbook (.xlsx) or CSV", "Excel รุ่นเก่า"}},
		{"PDF", []byte("%PDF-1.7\n..."), tabular.Options{}, []string{"is a PDF"}},
		{"ODS", MustZip(t, map[string]string{"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": "<x/>"}), tabular.Options{},
			[]string{"OpenDocument spreadsheet (.ods)", "Excel 2007-365 (.xlsx)"}},
		{"Word document", MustZip(t, map[string]string{"word/document.xml": "<w/>"}), tabular.Options{}, []string{"zip archive but not an Excel workbook (it holds a Word document)"}},
		{"zip that is not xlsx", MustZip(t, map[string]string{"photos/1.jpg": "x"}), tabular.Options{}, []string{"zip archive but not an Excel workbook (it holds other files)"}},
		{"truncated xlsx", xlsx[:len(xlsx)/2], tabular.Options{}, []string{"damaged or incomplete", "เสียหาย"}},
		{"xlsx with a corrupt sheet", RewriteZip(t, xlsx, func(name string, b []byte) []byte {
			if name == "xl/workbook.xml" {
				return []byte("<workbook><sheets><sheet")
			}
			return b
		}), tabular.Options{}, []string{"damaged or incomplete"}},
		{"binary garbage", garbage, tabular.Options{}, []string{"not a table (it holds binary data"}},
		{"over the size limit", bytes.Repeat([]byte("a,b\r\n"), 300), tabular.Options{MaxBytes: 1000}, []string{"report.csv is 1.5 KB, over the limit of 1000 bytes"}},
		{"zip bomb", MustZip(t, map[string]string{"xl/workbook.xml": "<workbook/>", "xl/worksheets/sheet1.xml": strings.Repeat(" ", 10<<20)}),
			tabular.Options{MaxBytes: 64 << 10}, []string{"expands to 10.0 MB when unpacked, over the limit of 1.2 MB"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rd, err := openBytes("report.csv", tt.data, tt.opts)
			if err == nil {
				rd.Close()
			}
			wantInvalid(t, err, tt.want...)
		})
	}
}

// endless is a ReaderAt that claims to be huge and fails the test if anyone
// reads it: a 2 GB upload must be refused on its size alone.
type endless struct{ t *testing.T }

func (e endless) ReadAt(p []byte, off int64) (int, error) {
	e.t.Errorf("read %d bytes at %d from an oversized file", len(p), off)
	return 0, io.EOF
}

// generated yields n bytes of CSV-looking text without holding them.
type generated struct {
	n   int64
	rng *mrand.Rand
}

func (g *generated) Read(p []byte) (int, error) {
	if g.n <= 0 {
		return 0, io.EOF
	}
	p = p[:min(int64(len(p)), g.n)]
	for i := range p {
		p[i] = "0123456789,\n"[g.rng.IntN(12)]
	}
	g.n -= int64(len(p))
	return len(p), nil
}

// TestOversize refuses big files without reading them into memory.
func TestOversize(t *testing.T) {
	t.Run("known size is refused before reading", func(t *testing.T) {
		_, err := tabular.Open("big.xlsx", endless{t}, 2<<30, tabular.Options{})
		wantInvalid(t, err, "big.xlsx is 2.0 GB, over the limit of 512.0 MB")
	})
	t.Run("a stream stops at the limit", func(t *testing.T) {
		src := &generated{n: 10 << 20, rng: mrand.New(mrand.NewPCG(1, 2))}
		_, err := tabular.OpenStream("upload.csv", src, tabular.Options{MaxBytes: 1 << 20, TempDir: t.TempDir()})
		wantInvalid(t, err, "upload.csv is 1.0 MB, over the limit of 1.0 MB")
		if read := 10<<20 - src.n; read > 1<<20+64<<10 {
			t.Errorf("read %d bytes of the stream, want about the 1 MiB limit", read)
		}
	})
	t.Run("a stream under the limit is read", func(t *testing.T) {
		src := bytes.NewReader([]byte("a,b\r\n1,2\r\n"))
		rd, err := tabular.OpenStream("ok.csv", src, tabular.Options{MaxBytes: 1 << 20, TempDir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		defer rd.Close()
		if !rd.Next() || rd.Row().Get("b") != "2" {
			t.Errorf("row %+v", rd.Row())
		}
	})
}

// TestOpenFile reads a workbook from disk, the path excelize opens without
// copying the file into memory.
func TestOpenFile(t *testing.T) {
	path := t.TempDir() + "/ครัวเรือน.xlsx"
	data := MustXLSX(t, func(f *excelize.File) {
		MustSet(t, f, "Sheet1", 1, [][]any{{"Name"}, {"ก"}})
	})
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	rd, err := tabular.OpenFile(path, tabular.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	if !rd.Next() || rd.Row().Get("name") != "ก" || rd.Format() != tabular.FormatXLSX {
		t.Errorf("row %+v format %s", rd.Row().Cells, rd.Format())
	}
}

// TestOpenUnlinkedFile reads an upload whose temporary file was removed
// after it was opened, which excelize cannot reopen by name.
func TestOpenUnlinkedFile(t *testing.T) {
	path := t.TempDir() + "/upload.xlsx"
	data := MustXLSX(t, func(f *excelize.File) {
		MustSet(t, f, "Sheet1", 1, [][]any{{"Name"}, {"ข"}})
	})
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	rd, err := tabular.Open("upload.xlsx", f, int64(len(data)), tabular.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	if !rd.Next() || rd.Row().Get("name") != "ข" {
		t.Errorf("row %+v", rd.Row().Cells)
	}
}
