package tpmap

// ancestors returns code's own key and the keys of every area above it:
// 70051304 → 70051304, 700513, 7005, 70, TH.
func ancestors(code string) []string {
	keys := []string{code}
	for _, n := range []int{6, 4, 2} {
		if len(code) > n {
			keys = append(keys, code[:n])
		}
	}
	if code != Country {
		keys = append(keys, Country)
	}
	return keys
}

// levelOf gives the level of a code by its length.
func levelOf(code string) int {
	if code == Country {
		return LevelCountry
	}
	switch len(code) {
	case 8:
		return LevelVillage
	case 6:
		return LevelTambon
	case 4:
		return LevelAmphoe
	case 2:
		return LevelProvince
	}
	return LevelCountry
}

// RollUp sums rows into their own area and every area above it, and returns
// the sums keyed by code: for village rows, one row per 8-digit village (the
// sum of its published units), per 6-digit tambon, 4-digit amphoe, 2-digit
// province, and "TH" for the country. Pass rows of one level only; rows of
// several levels would be counted twice.
//
// Every count is a plain sum. Happiness is recomputed as HappinessSum ÷
// Households (0 for no households), which is how TPMAP's published tambon
// and amphoe values are made (see the package documentation).
func RollUp(rows []Row) map[string]Row {
	out := map[string]Row{}
	for _, r := range rows {
		for _, key := range ancestors(r.Code) {
			s, ok := out[key]
			if !ok {
				s = Row{Code: key, ID: key, Level: levelOf(key)}
			}
			s.Households += r.Households
			s.Members += r.Members
			s.MOFReg += r.MOFReg
			s.MOFVal += r.MOFVal
			s.Elderly += r.Elderly
			s.Disabled += r.Disabled
			s.Chronic += r.Chronic
			s.HappinessSum += r.HappinessSum
			for k, c := range r.Indicators {
				s.Indicators[k].All += c.All
				s.Indicators[k].Fail += c.Fail
			}
			out[key] = s
		}
	}
	for key, s := range out {
		s.Happiness = 0
		if s.Households > 0 {
			s.Happiness = float64(s.HappinessSum) / float64(s.Households)
		}
		out[key] = s
	}
	return out
}

// PovertyRate is TPMAP's JPT.MOFval.pov.rate: the target poor as a percentage
// of the members surveyed, 0 when there are none. It is computed in the
// order TPMAP's figures were, (targetPoor ÷ members) × 100, so that the
// float64 result is the published one to the last digit.
func PovertyRate(targetPoor, members int64) float64 {
	if members <= 0 {
		return 0
	}
	return float64(targetPoor) / float64(members) * 100
}

// RollUpPoverty sums poverty rows as RollUp sums common rows. The rate does
// not add up, so each sum's Rate is recomputed with PovertyRate from the
// Members of the same code in common (usually RollUp of the matching common
// file); a code missing from common gets Rate 0.
func RollUpPoverty(rows []PovertyRow, common map[string]Row) map[string]PovertyRow {
	out := map[string]PovertyRow{}
	for _, r := range rows {
		for _, key := range ancestors(r.Code) {
			s, ok := out[key]
			if !ok {
				s = PovertyRow{Code: key, ID: key, Level: levelOf(key)}
			}
			s.PoorHouseholds += r.PoorHouseholds
			s.Poor += r.Poor
			s.PoorMOFReg += r.PoorMOFReg
			s.TargetPoor += r.TargetPoor
			for k, n := range r.Dimensions {
				s.Dimensions[k] += n
			}
			for k, n := range r.Indicators {
				s.Indicators[k] += n
			}
			out[key] = s
		}
	}
	for key, s := range out {
		s.Rate = PovertyRate(s.TargetPoor, common[key].Members)
		out[key] = s
	}
	return out
}
