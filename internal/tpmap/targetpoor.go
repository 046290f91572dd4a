package tpmap

import (
	"slices"
	"strings"
)

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

	PoorHouseholds int64 // poor.household.CNT: poor households as TPMAP counts them (the files do not define it further)
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

// TargetPoorYear turns the files of one TPMAP year (CheckSums passed) into
// the target poor of every area they cover: per province, the deepest
// poverty file's rows summed into their own area and every area above it up
// to the province (the country is WithCountry's), with the households and
// people of the deepest common file of the province when there is one. An
// area TPMAP published a row for is marked Published and keeps the published
// rate; the sums equal its counts. Areas come out in code order.
func TargetPoorYear(year int, files []*File) []TargetPoor {
	deepest := func(kind Kind, province string) *File {
		var best *File
		for _, f := range files {
			if f.Kind == kind && f.Province == province && (best == nil || f.Level > best.Level) {
				best = f
			}
		}
		return best
	}
	published := map[string]PovertyRow{}
	units := map[string]int{}
	provinces := map[string]bool{}
	for _, f := range files {
		if f.Kind != KindPoverty {
			continue
		}
		provinces[f.Province] = true
		for _, r := range f.Poverty {
			published[r.Code] = r
			units[r.Code]++
		}
	}
	var out []TargetPoor
	for prov := range provinces {
		var people map[string]Row
		if c := deepest(KindCommon, prov); c != nil {
			people = RollUp(c.Rows)
		}
		for code, s := range RollUpPoverty(deepest(KindPoverty, prov).Poverty, people) {
			if code == Country {
				continue
			}
			p, pub := published[code]
			t := TargetPoor{
				Year: year, Code: code, Level: levelOf(code), Published: pub,
				Households: people[code].Households, People: people[code].Members,
				PoorHouseholds: s.PoorHouseholds, Poor: s.Poor, Registered: s.PoorMOFReg, TargetPoor: s.TargetPoor,
				Dimensions: s.Dimensions, Rate: s.Rate, Indicators: slices.Clone(s.Indicators[:]),
			}
			if pub && units[code] == 1 {
				t.Rate = p.Rate
			}
			out = append(out, t)
		}
	}
	slices.SortFunc(out, func(a, b TargetPoor) int { return strings.Compare(a.Code, b.Code) })
	return out
}

// WithCountry returns rows without any country row they had, and with the
// country's, the sum of the province rows among them (all the same year).
// Households and people are summed as given; the rate is recomputed.
func WithCountry(rows []TargetPoor) []TargetPoor {
	var out []TargetPoor
	th := TargetPoor{Code: Country, Level: LevelCountry}
	for _, r := range rows {
		if r.Code == Country {
			continue
		}
		out = append(out, r)
		if r.Level != LevelProvince {
			continue
		}
		th.Year = r.Year
		th.Households += r.Households
		th.People += r.People
		th.PoorHouseholds += r.PoorHouseholds
		th.Poor += r.Poor
		th.Registered += r.Registered
		th.TargetPoor += r.TargetPoor
		for k, n := range r.Dimensions {
			th.Dimensions[k] += n
		}
		for len(th.Indicators) < len(r.Indicators) {
			th.Indicators = append(th.Indicators, 0)
		}
		for k, n := range r.Indicators {
			th.Indicators[k] += n
		}
	}
	if th.Year == 0 {
		return out
	}
	th.Rate = PovertyRate(th.TargetPoor, th.People)
	return append(out, th)
}
