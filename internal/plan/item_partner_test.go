package plan

import "testing"

func TestItemPartnerInLanguage(t *testing.T) {
	for _, tc := range []struct {
		it         Item
		lang, want string
	}{
		{Item{PartnerName: "อบต.เขาขลุง", PartnerEN: "Khao Khlung SAO"}, "en", "Khao Khlung SAO"},
		{Item{PartnerName: "อบต.เขาขลุง", PartnerEN: "Khao Khlung SAO"}, "th", "อบต.เขาขลุง"},
		{Item{PartnerName: "อบต.เขาขลุง"}, "en", "อบต.เขาขลุง"},
		{Item{}, "en", ""},
	} {
		if got := tc.it.Partner(tc.lang); got != tc.want {
			t.Errorf("%+v in %s: %q, want %q", tc.it, tc.lang, got, tc.want)
		}
	}
}
