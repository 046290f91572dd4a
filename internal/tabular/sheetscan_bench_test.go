package tabular

import (
	"bytes"
	"fmt"
	"syscall"
	"testing"
	"time"
)

// cpuTime is the CPU time the process has used, every thread together:
// the machine is shared, so wall time says little.
func cpuTime(tb testing.TB) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		tb.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// wideWorkbook is shaped like a household survey file: 100 columns a row,
// mostly short Thai answers, some numbers, a date, written by tambon's
// writer as exports are.
func wideWorkbook(b *testing.B, rows int) []byte {
	b.Helper()
	header := make([]string, 100)
	for i := range header {
		header[i] = fmt.Sprintf("คำถาม %d (q%d)", i, i)
	}
	var buf bytes.Buffer
	w := NewXLSXWriter(&buf)
	if err := w.NewSheet("ครัวเรือน", header); err != nil {
		b.Fatal(err)
	}
	born := time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC)
	row := make([]any, 100)
	for i := range rows {
		for c := range row {
			switch {
			case c == 0:
				row[c] = fmt.Sprintf("7005%04d", i%10000)
			case c == 1:
				row[c] = "นายสมชาย ใจดี"
			case c == 2:
				row[c] = born.AddDate(0, 0, i%20000)
			case c < 12:
				row[c] = (i * c) % 90000
			case c%7 == 0:
				row[c] = "ไม่ใช่"
			default:
				row[c] = "ใช่"
			}
		}
		if err := w.Write(row...); err != nil {
			b.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

// BenchmarkXLSXRows compares, in one run, reading the same wide workbook
// through excelize's Rows iterator (the path before the sheet scanner) and
// through the scanner. Both open the workbook with Open's code and read
// every row.
func BenchmarkXLSXRows(b *testing.B) {
	const rows = 20_000
	data := wideWorkbook(b, rows)
	for _, c := range []struct {
		name string
		open func(string, *bytes.Reader, int64, zipParts, Options) (*Reader, error)
	}{
		{"excelize", func(n string, r *bytes.Reader, s int64, p zipParts, o Options) (*Reader, error) {
			return openXLSXExcelize(n, r, s, p, o)
		}},
		{"scanner", func(n string, r *bytes.Reader, s int64, p zipParts, o Options) (*Reader, error) {
			return openXLSX(n, r, s, p, o)
		}},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			var cpu time.Duration
			for b.Loop() {
				start := cpuTime(b)
				parts := mustParts(b, data)
				rd, err := c.open("wide.xlsx", bytes.NewReader(data), int64(len(data)), parts, Options{})
				if err != nil {
					b.Fatal(err)
				}
				n := 0
				for rd.Next() {
					n++
				}
				if err := rd.Err(); err != nil || n != rows {
					b.Fatalf("read %d rows: %v", n, err)
				}
				rd.Close()
				cpu += cpuTime(b) - start
			}
			b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
			b.ReportMetric(float64(cpu.Nanoseconds())/float64(rows*100*b.N), "cpu-ns/cell")
		})
	}
}
