package tpmap

// TargetPoor is what TPMAP published about the target poor (คนจนเป้าหมาย)
// of one area for one TPMAP year: the poverty file's counts (*_11111.csv,
// all five dimensions) and, when the matching common file was loaded, the
// households and people surveyed. It is TPMAP's figure, not one tambon
// computed: tambon keeps it as published so that its own figure can stand
// beside it.
type TargetPoor struct {
	// Year is the TPMAP year in the Buddhist era, e.g. 2561 for the files
	// named 61_*. TPMAP builds year Y from the จปฐ. survey of Y−1 and the
	// state welfare-card register (see SurveyYear).
	Year int
	// Code is the area: 8-digit village, 6 tambon, 4 amphoe, 2 province,
	// "TH" the country.
	Code  string
	Level int // LevelCountry … LevelVillage
	// Published is true when TPMAP published a row for this area in a file
	// that was loaded; false when the figures are the sum of the published
	// rows below it (a level whose file was not loaded). Where both exist
	// they are equal: the import refuses files that do not add up.
	Published bool

	// Households and People are the households and people TPMAP counted in
	// the จปฐ. survey (household.CNT, HOUSEMEMBER_CNT of the common file);
	// 0 when no common file of the year was loaded for the area.
	Households, People int64

	PoorHouseholds int64 // poor.household.CNT: households with a target-poor member
	Poor           int64 // poor.JPT.CNT: people poor by the จปฐ. survey
	Registered     int64 // poor.JPT.MOFreg.CNT: of them, registered for the welfare card
	TargetPoor     int64 // poor.JPT.MOFval.CNT: of them, validated: the target poor

	// Dimensions holds the target poor deprived in each of TPMAP's five
	// dimensions, in the order of the package variable Dimensions (health,
	// living, education, income, accessibility). A person counts in every
	// dimension they are deprived in.
	Dimensions [5]int64

	// Rate is JPT.MOFval.pov.rate, the target poor as a percentage of the
	// people surveyed, as published; for an area summed here it is
	// PovertyRate(TargetPoor, People), 0 without People.
	Rate float64

	// Indicators holds, for each จปฐ. indicator (index 0 = indicator 1), the
	// target poor failing it (poor.JPT.MOFval.indN.CNT).
	Indicators []int64
}

// SurveyYear is the year of the จปฐ. survey that TPMAP year y is built on:
// y − 1, as TPMAP states it ("ข้อมูลปี 2567 … จปฐ 2566 และ บัตรสวัสดิการแห่งรัฐ
// ปี 2565", tpmap.in.th/2562/501405). The year of the welfare-card register
// varies and is not in the files, so no function guesses it.
func SurveyYear(tpmapYear int) int { return tpmapYear - 1 }
