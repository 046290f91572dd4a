// Package rounds holds the rules for opening a new survey round, a จปฐ.
// household round or a กชช. 2ค village round: what the survey year must be,
// which stored set judges it when none is named, and what its id defaults
// to. The command line (tambon round, tambon villages round) and the
// administration page both call it, so they accept and refuse the same
// requests. It does no I/O: the store creates the round.
package rounds

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"tambon/internal/apperr"
	"tambon/internal/indicator"
	"tambon/internal/survey"
	"tambon/internal/village"
)

// The survey years a round may have (Buddhist Era). A year outside is almost
// always a Common Era year typed by mistake (2021 for 2564).
const (
	MinYear = 2500
	MaxYear = 2700
)

// The fields a Problem names, as the forms call their inputs.
const (
	FieldID   = "id"
	FieldYear = "survey_year"
	FieldSet  = "set"
)

var idPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,39}$`)

// ValidYear checks a survey year in the Buddhist Era.
func ValidYear(year int) error {
	if year < MinYear || year > MaxYear {
		return apperr.Problems{{Field: FieldYear, Value: fmt.Sprint(year), Reason: apperr.Tf(
			"ปีสำรวจต้องเป็นปี พ.ศ. ระหว่าง %d ถึง %d เช่น 2564", "the survey year must be a Buddhist Era year from %d to %d, such as 2564", MinYear, MaxYear)}}
	}
	return nil
}

// ValidID checks a round id: it appears in addresses and file names, so it
// is 1 to 40 lowercase letters, digits, dots, hyphens or underscores.
func ValidID(id string) error {
	if !idPattern.MatchString(id) {
		return apperr.Problems{{Field: FieldID, Value: id, Reason: apperr.T(
			"รหัสรอบใช้ได้เฉพาะอักษรอังกฤษตัวเล็ก ตัวเลข และ . _ - ไม่เกิน 40 ตัว เช่น bmn-2564",
			"a round id is up to 40 lowercase letters, digits, dots, hyphens or underscores, e.g. bmn-2564")}}
	}
	return nil
}

// SetFor picks, among sets (the newest stored version of each, from
// store.HouseholdSets), the จปฐ. indicator set whose plan period covers a
// survey year (BE).
func SetFor(year int, sets []*indicator.Set) (*indicator.Set, error) {
	for _, s := range sets {
		if year >= s.PeriodFrom && year <= s.PeriodTo {
			return s, nil
		}
	}
	return nil, apperr.Problems{{Field: FieldSet, Value: fmt.Sprint(year), Reason: apperr.Tf(
		"ไม่มีชุดตัวชี้วัดสำหรับปี %d: โปรดเลือกชุดตัวชี้วัด", "no indicator set covers the year %d: choose one", year)}}
}

// Household builds a new จปฐ. household round from what an administrator
// gives: the survey year (BE), and optionally an id (default bmn-YEAR) and
// an indicator set (default the set whose period covers the year). Its
// reference year is always the survey year − 1 (survey.Round.ReferenceYear).
// sets are the stored sets to choose from (store.HouseholdSets). Every
// refused field is named in the returned apperr.Problems.
func Household(id string, year int, setID string, sets []*indicator.Set) (survey.Round, error) {
	setID = strings.TrimSpace(setID)
	id, ps := yearAndID(id, year, "bmn")
	var set *indicator.Set
	var err error
	if setID != "" {
		for _, s := range sets {
			if s.ID == setID {
				set = s
			}
		}
		if set == nil {
			ps = append(ps, apperr.Problem{Field: FieldSet, Value: setID, Reason: apperr.Tf(
				"ไม่พบชุดตัวชี้วัด %q", "there is no indicator set %q", setID)})
		}
	} else if len(ps) == 0 {
		if set, err = SetFor(year, sets); err != nil {
			ps = append(ps, err.(apperr.Problems)...)
		}
	}
	if len(ps) > 0 {
		return survey.Round{}, ps
	}
	return survey.Round{ID: id, Kind: survey.KindBMN, SurveyYear: year, SetID: set.ID}, nil
}

// Village builds a new กชช. 2ค round: the survey year (BE), and optionally
// an id (default kcc2k-YEAR) and a village set (default the set whose period
// covers the year, else the newest), among sets (store.VillageSets).
func Village(id string, year int, setID string, sets []*village.Set) (village.Round, error) {
	setID = strings.TrimSpace(setID)
	id, ps := yearAndID(id, year, "kcc2k")
	if setID != "" {
		if !slices.ContainsFunc(sets, func(s *village.Set) bool { return s.ID == setID }) {
			ps = append(ps, apperr.Problem{Field: FieldSet, Value: setID, Reason: apperr.Tf(
				"ไม่พบชุดตัวชี้วัด กชช. 2ค %q", "there is no กชช. 2ค set %q", setID)})
		}
	} else if len(ps) == 0 {
		switch {
		case len(sets) == 0:
			ps = append(ps, apperr.Problem{Field: FieldSet, Value: fmt.Sprint(year), Reason: apperr.T(
				"ไม่มีชุดตัวชี้วัด กชช. 2ค ในฐานข้อมูล", "there is no กชช. 2ค set in the database")})
		default:
			setID = sets[len(sets)-1].ID
			for _, s := range sets {
				if s.Period[0] <= year && year <= s.Period[1] {
					setID = s.ID
					break
				}
			}
		}
	}
	if len(ps) > 0 {
		return village.Round{}, ps
	}
	return village.Round{ID: id, SurveyYear: year, SetID: setID}, nil
}

// yearAndID checks the survey year and the round id (by default
// prefix-YEAR), naming every refused field.
func yearAndID(id string, year int, prefix string) (string, apperr.Problems) {
	id = strings.TrimSpace(id)
	var ps apperr.Problems
	if err := ValidYear(year); err != nil {
		ps = append(ps, err.(apperr.Problems)...)
	}
	if id == "" && len(ps) == 0 {
		id = fmt.Sprintf("%s-%d", prefix, year)
	}
	if id != "" {
		if err := ValidID(id); err != nil {
			ps = append(ps, err.(apperr.Problems)...)
		}
	}
	return id, ps
}

// The audit log's names for opening a round, from the command line or the
// page: the action, and the object prefix before the round's id.
const (
	AuditHousehold       = "round.create"
	AuditHouseholdObject = "round:"
	AuditVillage         = "village-round.create"
	AuditVillageObject   = "village-round:"
)

// AuditDetail is the audit log's detail of a new round.
func AuditDetail(year int, setID string) string {
	return fmt.Sprintf(`{"survey_year":%d,"set":%q}`, year, setID)
}
