package survey

import (
	"time"
)

// HouseholdStatus says whether a record is still being filled in.
type HouseholdStatus string

// The household statuses. Only complete records count in the figures.
const (
	Draft    HouseholdStatus = "draft"
	Complete HouseholdStatus = "complete"
)

// Income is the household's income over the reference year, in whole baht per
// year, as item 22 of the form collects it.
type Income struct {
	MainOccupation      int64 `json:"main_occupation"`      // 22.1 1)
	SecondaryOccupation int64 `json:"secondary_occupation"` // 22.1 2)
	Other               int64 `json:"other"`                // 22.1 3) remittances, pensions, allowances, rent, interest, dividends
	OwnProduce          int64 `json:"own_produce"`          // 22.1 4) value of what was grown, raised or gathered and consumed
	OccupationCosts     int64 `json:"occupation_costs"`     // 22.2 1) production costs
}

// Cash is the money income: main and secondary occupations and other income.
func (in Income) Cash() int64 { return in.MainOccupation + in.SecondaryOccupation + in.Other }

// Gross is cash income plus the value of own produce (22.1 5) on the form).
func (in Income) Gross() int64 { return in.Cash() + in.OwnProduce }

// Net is gross income minus occupational costs. The form as transcribed divides
// gross income; the CDD domain reference assumes net [R]. Both are kept and the
// indicator set chooses.
func (in Income) Net() int64 { return in.Gross() - in.OccupationCosts }

// Debt is what the household owes at the survey, in baht (item 22.4).
type Debt struct {
	InSystem    int64 `json:"in_system"`     // banks, co-operatives, community funds
	OutOfSystem int64 `json:"out_of_system"` // money-lenders, traders (หนี้นอกระบบ)
}

// Household is one จปฐ. record: who lives there and what they answered. It
// holds raw answers only; pass and fail are worked out by package indicator.
type Household struct {
	RoundID     string          `json:"round_id"`
	VillageCode string          `json:"village_code"`         // 8 digits
	HouseCode   string          `json:"house_code,omitempty"` // 11 digits (รหัสประจำบ้าน), when the house is registered
	HouseNo     string          `json:"house_no"`             // e.g. "31/1"
	Lat         *float64        `json:"lat,omitempty"`
	Lon         *float64        `json:"lon,omitempty"`
	Respondent  string          `json:"respondent,omitempty"`
	Collector   string          `json:"collector,omitempty"`
	Phone       string          `json:"phone,omitempty"`
	SurveyDate  time.Time       `json:"survey_date"`
	Members     []Member        `json:"members"`
	Income      Income          `json:"income"`
	Savings     int64           `json:"savings"` // saved in the reference year, baht (23.2)
	Debt        Debt            `json:"debt"`
	Answers     Answers         `json:"answers,omitempty"` // household-level answers
	Status      HouseholdStatus `json:"status"`
	// Resurvey is set when the record was started from the same household's
	// record in an earlier round (resurvey.go). It is not stored with the
	// record: WriteHouseholds writes it into the household's history.
	Resurvey *Resurvey `json:"-"`
	// Photos came with the record (the phone's form): WriteHouseholds adds
	// them to the household's photos when it writes the record, up to
	// MaxPhotos. Not stored in the record itself.
	Photos []Photo `json:"-"`
}

// NetIncome is cash income plus own produce minus occupational costs, baht/year.
func (h *Household) NetIncome() int64 { return h.Income.Net() }

// ResidentCount is the number of members actually living in the household.
func (h *Household) ResidentCount() int {
	n := 0
	for i := range h.Members {
		if h.Members[i].Resident {
			n++
		}
	}
	return n
}

// IncomePerPerson is net income divided by resident members, baht/person/year.
// It returns false when nobody lives there: the figure does not apply.
func (h *Household) IncomePerPerson() (float64, bool) {
	n := h.ResidentCount()
	if n == 0 {
		return 0, false
	}
	return float64(h.NetIncome()) / float64(n), true
}
