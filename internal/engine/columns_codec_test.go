package engine_test

import (
	"testing"

	"tambon/internal/engine"
	"tambon/internal/indicator"
)

// TestEncodedBatchesRecomputeTheSame: villages written with AppendBinary and
// read back with AppendEncoded give exactly the Totals of the columns they
// came from, and a batch cut short or read under another set's questions is
// refused, not misread.
func TestEncodedBatchesRecomputeTheSame(t *testing.T) {
	eng := MustEngine(t, true)
	cols := engine.NewColumns(eng.Set())
	engine.Synthetic(eng.Set(), 3000, 17, cols.AppendRow)
	back := engine.NewColumns(eng.Set())
	if cols.Layout() != back.Layout() {
		t.Fatal("two Columns of one set report different layouts")
	}
	var last []byte
	for _, b := range cols.Batches() {
		last = b.AppendBinary(nil)
		if err := back.AppendEncoded(b.Village(), last); err != nil {
			t.Fatal(err)
		}
	}
	if back.Len() != cols.Len() || back.People() != cols.People() {
		t.Fatalf("read back %d households, %d people; wrote %d, %d", back.Len(), back.People(), cols.Len(), cols.People())
	}
	want, got := eng.RecomputeColumns(cols, 2), eng.RecomputeColumns(back, 2)
	if len(got) != len(want) || len(want) != 17 {
		t.Fatalf("%d villages read back, %d written", len(got), len(want))
	}
	for v, w := range want {
		if !w.Equal(got[v]) {
			t.Errorf("village %s: read back %+v, written %+v", v, got[v], w)
		}
	}
	if err := back.AppendEncoded("x", last[:len(last)-1]); err == nil {
		t.Error("a batch cut short was read")
	}
	if err := back.AppendEncoded(cols.Batches()[0].Village(), last); err == nil {
		t.Error("a village already held was added again")
	}
	set2566, err := indicator.Lookup("bmn-2566-2570")
	if err != nil {
		t.Fatal(err)
	}
	other := engine.NewColumns(set2566)
	if other.Layout() == cols.Layout() {
		t.Error("sets with different questions report one layout")
	}
	if err := other.AppendEncoded("x", last); err == nil {
		t.Error("a batch of the 2560 questions was read into 2566 columns")
	}
}
