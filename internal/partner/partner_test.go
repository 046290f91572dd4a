package partner_test

import (
	"testing"

	"tambon/internal/partner"
)

// WorksIn is the rule for which partners an account may see and name.
func TestWorksIn(t *testing.T) {
	province := partner.Partner{AreaCode: "70", Serves: []string{"70"}}
	tambonOrg := partner.Partner{AreaCode: "700513", Serves: []string{"700513"}}
	serving := partner.Partner{AreaCode: "710101", Serves: []string{"710101", "700513"}}
	national := partner.Partner{AreaCode: "10", Serves: []string{"10", "TH"}}
	other := partner.Partner{AreaCode: "710101", Serves: []string{"710101"}}
	for _, c := range []struct {
		name string
		p    partner.Partner
		area string
		want bool
	}{
		{"the province's office, for a tambon team", province, "700513", true},
		{"a tambon's own partner", tambonOrg, "700513", true},
		{"a tambon's partner, for the province", tambonOrg, "70", true},
		{"a partner serving the tambon from elsewhere", serving, "700513", true},
		{"a national partner", national, "700513", true},
		{"anything, for a national account", other, "TH", true},
		{"another province's partner", other, "700513", false},
		{"another tambon's partner", tambonOrg, "700514", false},
		{"a neighbouring province", province, "71", false},
		{"no area", tambonOrg, "", false},
	} {
		if got := c.p.WorksIn(c.area); got != c.want {
			t.Errorf("%s: WorksIn(%q) = %v, want %v", c.name, c.area, got, c.want)
		}
	}
}
