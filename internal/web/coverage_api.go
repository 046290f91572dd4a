package web

// apiCoverage is how much of the area an API answer's figures stand on.
type apiCoverage struct {
	VillagesWithData int `json:"villages_with_data"`
	Villages         int `json:"villages"`
	// Households is left out when the public may not see the area's count.
	Households *int64 `json:"households,omitempty"`
	// HouseholdsExpected is the previous round's count when that round
	// covered every village; left out when not known (never guessed).
	HouseholdsExpected int64 `json:"households_expected,omitempty"`
	// Left out of public figures because not yet certified (only when the
	// installation publishes certified tambons only).
	TambonsLeftOut  int `json:"tambons_left_out,omitempty"`
	VillagesLeftOut int `json:"villages_left_out,omitempty"`
}

// apiCertification counts the tambons in an answer's figures and how many
// of them the province has certified.
type apiCertification struct {
	Tambons          int `json:"tambons"`
	TambonsCertified int `json:"tambons_certified"`
}

// coverageFields fills the coverage, status and certification of an answer.
func (b *apiResults) coverageFields(c coverage) {
	if !c.Known {
		return
	}
	ac := &apiCoverage{VillagesWithData: c.VillagesWithData, Villages: c.Villages, HouseholdsExpected: c.HouseholdsExpected,
		TambonsLeftOut: c.Hidden, VillagesLeftOut: c.HiddenVillages}
	if !c.HouseholdsWithheld {
		h := c.Households
		ac.Households = &h
	}
	b.Coverage, b.Status = ac, c.Status()
	b.Certification = &apiCertification{Tambons: c.Tambons, TambonsCertified: c.Certified}
}
