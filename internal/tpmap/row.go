package tpmap

// Area levels, as in Row.Level. The country is level 0 so that a deeper area
// always has a larger level.
const (
	LevelCountry  = 0
	LevelProvince = 1
	LevelAmphoe   = 2
	LevelTambon   = 3
	LevelVillage  = 4
)

// Country is the code of the whole-country row that RollUp produces.
const Country = "TH"

// NumIndicators is the size of the 2560-2564 จปฐ. indicator set that the 2561
// files report on.
const NumIndicators = 31

// Count is one indicator's figures for an area: All is the number of people
// or households the indicator was measured on (indicatorN.ALL), Fail the
// number of them failing it (indicatorN.CNT). Fail ≤ All.
type Count struct {
	All, Fail int64
}

// Row is one area of a *_common.csv file, or a roll-up of village rows.
type Row struct {
	// Code is the area's code in the national tree: 8 digits for a village,
	// 6 a tambon, 4 an amphoe, 2 a province, "TH" the country.
	Code string
	// ID is the area id exactly as published. For village rows it has 10
	// digits: Code and a 2-digit unit number (see the package documentation).
	// Rows made by RollUp have ID == Code.
	ID string
	// Line is the row's number in its file as a spreadsheet shows it (the
	// header is line 1); 0 for rows made by RollUp.
	Line  int
	Level int // LevelProvince (1) … LevelVillage (4); LevelCountry (0) for "TH"

	Households int64 // household.CNT
	Members    int64 // HOUSEMEMBER_CNT: people in the surveyed households
	MOFReg     int64 // MOF_REG_CNT: people registered for the state welfare card
	MOFVal     int64 // MOF_VAL_CNT: people whose welfare-card registration was validated
	Elderly    int64 // ELDERLY_CNT
	Disabled   int64 // DISABLED_CNT
	Chronic    int64 // CHRONICPATIENT_CNT: chronically ill people

	// Happiness is the households' mean happiness score (0-10), as published
	// or, for a roll-up, HappinessSum ÷ Households.
	Happiness float64
	// HappinessSum is the total of the households' integer scores, recovered
	// as Happiness × Households (a whole number in every published row). It
	// is what adds up across areas.
	HappinessSum int64

	// Indicators holds indicators 1…31 at index 0…30.
	Indicators [NumIndicators]Count
}

// Dimensions names TPMAP's five poverty dimensions in the order of the file
// mask and of PovertyRow.Dimensions.
var Dimensions = [5]string{"health", "living", "education", "income", "accessibility"}

// PovertyRow is one area of a poverty file (*_11111.csv and the other
// dimension masks). "Target poor" (คนจนเป้าหมาย) are people poor by the จปฐ.
// survey in at least one switched-on dimension whose welfare-card registration
// was validated.
type PovertyRow struct {
	Code  string // as Row.Code
	ID    string // as Row.ID
	Line  int    // as Row.Line
	Level int    // as Row.Level

	PoorHouseholds int64 // poor.household.CNT
	Poor           int64 // poor.JPT.CNT: people poor by the จปฐ. survey
	PoorMOFReg     int64 // poor.JPT.MOFreg.CNT: of them, registered for the welfare card
	TargetPoor     int64 // poor.JPT.MOFval.CNT: of them, validated (the target poor)

	// Dimensions holds the target poor deprived in each dimension, in the
	// order of the package variable Dimensions. A person can count in several.
	Dimensions [5]int64

	// Rate is JPT.MOFval.pov.rate: the target poor as a percentage of the
	// members of the matching common row. It does not add up; RollUpPoverty
	// recomputes it.
	Rate float64

	// Indicators holds, for indicators 1…31 at index 0…30, the target poor
	// failing the indicator (poor.JPT.MOFval.indN.CNT).
	Indicators [NumIndicators]int64
}

// Kind says what a file holds.
type Kind int

// The kinds of file.
const (
	KindCommon  Kind = iota + 1 // *_common.csv: Rows
	KindPoverty                 // *_<mask>.csv: Poverty
)

func (k Kind) String() string {
	switch k {
	case KindCommon:
		return "common"
	case KindPoverty:
		return "poverty"
	}
	return "unknown"
}

// File is one parsed TPMAP file.
type File struct {
	Name     string // the name given to Parse
	Kind     Kind
	Level    int    // LevelAmphoe, LevelTambon or LevelVillage
	Province string // the 2-digit province code shared by every row
	// Year is the TPMAP year (Buddhist era) the name says: 2561 for
	// 61_70_village_common.csv; 0 when the name does not follow the
	// publisher's pattern. The rows themselves carry no year.
	Year int
	// Mask is the poverty file's dimension mask from its name, such as
	// "11111" (health, living, education, income, accessibility); "" for
	// common files and for poverty files whose name does not carry one.
	Mask    string
	Rows    []Row        // KindCommon
	Poverty []PovertyRow // KindPoverty
}

// Collision is a village code that more than one published row maps to.
type Collision struct {
	Code  string   // the 8-digit village code
	IDs   []string // the published 10-digit ids, in file order
	Lines []int    // their line numbers
}

// Collisions lists the village codes that several rows of a village file map
// to, in file order. Such rows are separate units of one village (see the
// package documentation), not errors; RollUp sums them.
func (f *File) Collisions() []Collision {
	var ids, codes []string
	var lines []int
	switch {
	case f.Level != LevelVillage:
		return nil
	case f.Kind == KindCommon:
		for _, r := range f.Rows {
			ids, codes, lines = append(ids, r.ID), append(codes, r.Code), append(lines, r.Line)
		}
	default:
		for _, r := range f.Poverty {
			ids, codes, lines = append(ids, r.ID), append(codes, r.Code), append(lines, r.Line)
		}
	}
	first := map[string]int{} // code → index of its first row
	at := map[string]int{}    // code → index in out, once it has collided
	var out []Collision
	for i, c := range codes {
		j, seen := first[c]
		if !seen {
			first[c] = i
			continue
		}
		k, ok := at[c]
		if !ok {
			k = len(out)
			at[c] = k
			out = append(out, Collision{Code: c, IDs: []string{ids[j]}, Lines: []int{lines[j]}})
		}
		out[k].IDs = append(out[k].IDs, ids[i])
		out[k].Lines = append(out[k].Lines, lines[i])
	}
	return out
}
