package area_test

import (
	"testing"

	"tambon/internal/area"
)

// TestVillages: every area's village count is the sum of its children's,
// and the country's is every village of the register.
func TestVillages(t *testing.T) {
	tr := MustEmbedded(t)
	if got, want := tr.Villages(area.CountryCode), tr.Count(area.Village); got != want {
		t.Errorf("country: %d villages, want %d", got, want)
	}
	if got, want := tr.Villages("700513"), len(tr.Children("700513")); got != want || got == 0 {
		t.Errorf("เขาขลุง: %d villages, want %d", got, want)
	}
	if got := tr.Villages("70051304"); got != 1 {
		t.Errorf("a village counts %d, want 1", got)
	}
	if got := tr.Villages("99"); got != 0 {
		t.Errorf("an unknown code counts %d", got)
	}
	sum := 0
	for _, d := range tr.Children("70") {
		sum += tr.Villages(d.Code)
	}
	if got := tr.Villages("70"); got != sum {
		t.Errorf("Ratchaburi: %d villages, its amphoes %d", got, sum)
	}
	// A tree grown with a village counts it.
	v, _ := area.NewVillage("70051399", "บ้านใหม่")
	grown, _ := tr.WithVillages([]area.Area{v})
	if got := grown.Villages("700513"); got != tr.Villages("700513")+1 {
		t.Errorf("grown tree: %d villages in เขาขลุง", got)
	}
}
