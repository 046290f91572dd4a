package tabular_test

import (
	"bytes"
	"fmt"
	"strconv"
	"testing"
	"time"

	"tambon/internal/tabular"
)

const benchRows = 100_000

var benchHeader = []string{"เลขประจำตัวประชาชน", "ชื่อ-สกุล", "บ้านเลขที่", "หมู่", "รายได้", "วันเกิด", "หมายเหตุ"}

func benchWrite(b *testing.B, w tabular.Writer) {
	b.Helper()
	if err := w.NewSheet("ครัวเรือน", benchHeader); err != nil {
		b.Fatal(err)
	}
	born := time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range benchRows {
		if err := w.Write(fmt.Sprintf("1%012d", i), "นายสมชาย ใจดี", strconv.Itoa(i%300)+"/1", i%12+1, 38000+i, born.AddDate(0, 0, i%20000), "ไม่มี"); err != nil {
			b.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
}

func benchRead(b *testing.B, name string, data []byte) {
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		rd, err := tabular.Open(name, bytes.NewReader(data), int64(len(data)), tabular.Options{})
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for rd.Next() {
			_ = rd.Row().Get("รายได้")
			n++
		}
		if err := rd.Err(); err != nil || n != benchRows {
			b.Fatalf("read %d rows: %v", n, err)
		}
		rd.Close()
	}
	b.ReportMetric(float64(benchRows*b.N)/b.Elapsed().Seconds(), "rows/s")
}

func BenchmarkReadCSV(b *testing.B) {
	var buf bytes.Buffer
	benchWrite(b, tabular.NewCSVWriter(&buf))
	benchRead(b, "bench.csv", buf.Bytes())
}

func BenchmarkReadXLSX(b *testing.B) {
	var buf bytes.Buffer
	benchWrite(b, tabular.NewXLSXWriter(&buf))
	benchRead(b, "bench.xlsx", buf.Bytes())
}

func BenchmarkWriteXLSX(b *testing.B) {
	for b.Loop() {
		var buf bytes.Buffer
		benchWrite(b, tabular.NewXLSXWriter(&buf))
	}
	b.ReportMetric(float64(benchRows*b.N)/b.Elapsed().Seconds(), "rows/s")
}
