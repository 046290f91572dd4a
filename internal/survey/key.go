package survey

import "strings"

// Key identifies a household within a round: its 11-digit house code when it
// has one, otherwise its village code and house number ("70051304/12/1").
// Re-importing a file updates the households with the same keys.
func (h *Household) Key() string {
	if hc := strings.TrimSpace(h.HouseCode); hc != "" {
		return hc
	}
	return h.VillageCode + "/" + strings.Join(strings.Fields(h.HouseNo), " ")
}
