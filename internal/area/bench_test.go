package area_test

import (
	"testing"

	"tambon/internal/area"
)

// BenchmarkEmbedded measures a cold load of the embedded data: gunzip,
// parse, clean, collate and index. It runs at every start of the program.
func BenchmarkEmbedded(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := area.LoadEmbeddedFresh(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSearch(b *testing.B) {
	tr := MustEmbedded(b)
	queries := []struct{ name, q string }{
		{"tambon", "เขาขลุง"},
		{"tambon and amphoe", "ต.เขาขลุง อ.บ้านโป่ง"},
		{"moo and tambon", "หมู่ 4 เขาขลุง"},
		{"shared name", "หนองบัว"},
		{"English", "Khao Khlung"},
		{"code prefix", "7005"},
		{"one letter", "ก"},
	}
	for _, q := range queries {
		b.Run(q.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if len(tr.Search(q.q, 20)) == 0 {
					b.Fatal("no match")
				}
			}
		})
	}
}
