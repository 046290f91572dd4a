package area_test

import (
	"testing"

	"tambon/internal/area"
)

func TestWithVillages(t *testing.T) {
	tree, err := area.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := tree.Get("70010801"); ok {
		t.Skip("70010801 is in the embedded list now; pick another missing village")
	}
	v, ok := area.NewVillage("70010801", "")
	if !ok {
		t.Fatal("NewVillage refused a well-formed code")
	}
	bad, _ := area.NewVillage("99990101", "")
	bigger, n := tree.WithVillages([]area.Area{v, bad})
	if n != 1 {
		t.Fatalf("added %d, want 1 (the village whose tambon exists)", n)
	}
	got, ok := bigger.Get("70010801")
	if !ok || got.NameTH != "หมู่ 1" || got.Moo != 1 || got.Region != 4 {
		t.Errorf("added village = %+v, %v", got, ok)
	}
	if _, ok := tree.Get("70010801"); ok {
		t.Error("the original tree changed")
	}
	if bigger.Count(area.Village) != tree.Count(area.Village)+1 {
		t.Error("village count did not grow by one")
	}
	found := false
	for _, c := range bigger.Children("700108") {
		found = found || c.Code == "70010801"
	}
	if !found {
		t.Error("the village is not among its tambon's children")
	}
	if _, ok := area.NewVillage("7001080", ""); ok {
		t.Error("a 7-digit code was accepted")
	}
}

func TestWithMunicipalTambons(t *testing.T) {
	tree, _ := area.Embedded()
	tb, ok := area.NewMunicipalTambon("700151")
	if !ok {
		t.Fatal("refused 700151")
	}
	v, _ := area.NewVillage("70015101", "")
	bigger, n := tree.WithVillages([]area.Area{v, tb}) // the village first: order must not matter
	if n != 2 {
		t.Fatalf("added %d, want 2", n)
	}
	got, ok := bigger.Get("70015101")
	if !ok || got.Parent != "700151" {
		t.Errorf("village under the municipal area: %+v %v", got, ok)
	}
	if a, _ := bigger.Get("700151"); a.Level != area.Subdistrict || a.Parent != "7001" {
		t.Errorf("municipal area = %+v", a)
	}
	if _, ok := area.NewMunicipalTambon("700113"); ok {
		t.Error("an ordinary tambon number was taken as municipal")
	}
}
