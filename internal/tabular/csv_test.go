package tabular_test

import (
	"reflect"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"tambon/internal/apperr"
	"tambon/internal/tabular"
)

func windows874(t *testing.T, s string) []byte {
	t.Helper()
	b, err := charmap.Windows874.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatalf("encode Windows-874: %v", err)
	}
	return b
}

func utf16LE(t *testing.T, s string) []byte {
	t.Helper()
	b, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatalf("encode UTF-16: %v", err)
	}
	return b
}

const thaiCSV = "ชื่อ,เลขประจำตัวประชาชน,รายได้\r\nสมชาย ใจดี,1101700203451,\"38,000\"\r\nสมหญิง,0012,5\r\n"

var thaiRows = [][]string{
	{"ชื่อ", "เลขประจำตัวประชาชน", "รายได้"},
	{"2", "สมชาย ใจดี", "1101700203451", "38,000"},
	{"3", "สมหญิง", "0012", "5"},
}

// TestCSVEncodingsAndDelimiters reads the CSV variants Thai offices produce.
func TestCSVEncodingsAndDelimiters(t *testing.T) {
	longASCII := strings.Repeat("x,1,2\r\n", 20000) // Thai only after 140 KB
	tests := []struct {
		name     string
		data     []byte
		opts     tabular.Options
		want     [][]string
		encoding string
		comma    rune
		warned   bool
	}{
		{name: "UTF-8", data: []byte(thaiCSV), want: thaiRows, encoding: "UTF-8", comma: ','},
		{name: "UTF-8 with BOM", data: []byte("\xEF\xBB\xBF" + thaiCSV), want: thaiRows, encoding: "UTF-8", comma: ','},
		{name: "Windows-874 from Thai Excel", data: windows874(t, thaiCSV), want: thaiRows, encoding: "Windows-874", comma: ',', warned: true},
		{name: "UTF-16 Unicode Text with tabs", data: utf16LE(t, "ชื่อ\tเลขประจำตัวประชาชน\tรายได้\r\nสมชาย ใจดี\t1101700203451\t38,000\r\nสมหญิง\t0012\t5\r\n"), want: thaiRows, encoding: "UTF-16", comma: '\t'},
		{name: "semicolon delimited", data: []byte("ชื่อ;เลขประจำตัวประชาชน;รายได้\nสมชาย ใจดี;1101700203451;38,000\nสมหญิง;0012;5\n"), want: thaiRows, encoding: "UTF-8", comma: ';'},
		{name: "tab delimited", data: []byte("ชื่อ\tเลขประจำตัวประชาชน\tรายได้\nสมชาย ใจดี\t1101700203451\t38,000\nสมหญิง\t0012\t5"), want: thaiRows, encoding: "UTF-8", comma: '\t'},
		{name: "sep= line from Excel", data: []byte("sep=;\r\nชื่อ;เลขประจำตัวประชาชน;รายได้\r\nสมชาย ใจดี;1101700203451;38,000\r\nสมหญิง;0012;5\r\n"),
			want: thaiRows, encoding: "UTF-8", comma: ';'},
		{name: "forced delimiter", data: []byte("a|b\n1|2\n"), opts: tabular.Options{Comma: '|'}, want: [][]string{{"a", "b"}, {"2", "1", "2"}}, encoding: "UTF-8", comma: '|'},
		{name: "quoted line breaks count as one row", data: []byte("ที่อยู่,หมู่\r\n\"12 ถ.สุขุมวิท\r\nแขวงคลองเตย\",3\r\n\r\nx,4\r\n"),
			want: [][]string{{"ที่อยู่", "หมู่"}, {"2", "12 ถ.สุขุมวิท\nแขวงคลองเตย", "3"}, {"4", "x", "4"}}, encoding: "UTF-8", comma: ','},
		{name: "Windows-874 whose first Thai byte is far in", data: append([]byte("a,b,c\r\n"+longASCII), windows874(t, "ไทย,1,2\r\n")...),
			encoding: "Windows-874", comma: ',', warned: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rd, got := MustReadAll(t, "data.csv", tt.data, tt.opts)
			if tt.want != nil && !reflect.DeepEqual(got, tt.want) {
				t.Errorf("rows\n got %q\nwant %q", got, tt.want)
			}
			if tt.want == nil && got[len(got)-1][1] != "ไทย" {
				t.Errorf("last row %q, want ไทย first", got[len(got)-1])
			}
			if rd.Encoding() != tt.encoding || rd.Comma() != tt.comma || rd.Format() != tabular.FormatCSV {
				t.Errorf("read as %s %q %s, want %s %q csv", rd.Encoding(), rd.Comma(), rd.Format(), tt.encoding, tt.comma)
			}
			if warned := len(rd.Warnings()) > 0; warned != tt.warned {
				t.Errorf("warnings %v, want some: %v", rd.Warnings(), tt.warned)
			}
		})
	}
}

// TestCSVBroken locates a broken quote by row, as Excel numbers rows.
func TestCSVBroken(t *testing.T) {
	tests := []struct {
		name string
		data string
		want apperr.Problem
		frag string
	}{
		{"bare quote", "ชื่อ,บ้านเลขที่\r\nก,12\r\nข,5\"ก\r\n", apperr.Problem{File: "b.csv", Row: 3}, `a quote mark (") appears inside a field that is not quoted (line 3)`},
		{"unclosed quote", "ชื่อ,บ้านเลขที่\r\nก,\"12\r\nข,5\r\n", apperr.Problem{File: "b.csv", Row: 2}, "a quoted field is not closed properly"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rd, err := openBytes("b.csv", []byte(tt.data), tabular.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer rd.Close()
			for rd.Next() {
			}
			wantInvalid(t, rd.Err(), tt.frag)
			ps := problemsOf(t, rd.Err())
			p := ps[0]
			p.Reason = apperr.Text{}
			if p != tt.want {
				t.Errorf("problem at %+v, want %+v", p, tt.want)
			}
		})
	}
}

func charmapEncode(s string) ([]byte, error) {
	return charmap.Windows874.NewEncoder().Bytes([]byte(s))
}
