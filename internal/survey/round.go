// Package survey holds the จปฐ. household record: survey rounds, households,
// their members and raw answers, and the checks a record must pass before it
// is stored. It never judges pass or fail (that is package indicator) and does
// no I/O.
package survey

import "time"

// Kind names a kind of survey. Only the yearly household survey exists so far.
type Kind string

// KindBMN is the yearly Basic Minimum Needs survey (จปฐ.).
const KindBMN Kind = "bmn"

// Status is where a round stands in one area: collection opens, the area
// submits, the district verifies, the province certifies.
type Status string

// The round statuses, in the order an area moves through them.
const (
	StatusOpen      Status = "open"
	StatusSubmitted Status = "submitted"
	StatusVerified  Status = "verified"
	StatusCertified Status = "certified"
)

// Round is one survey round, e.g. จปฐ. ปี 2564.
type Round struct {
	ID         string `json:"id"`          // e.g. "bmn-2564"
	Kind       Kind   `json:"kind"`        // "bmn"
	SurveyYear int    `json:"survey_year"` // Buddhist Era, e.g. 2564
	SetID      string `json:"set_id"`      // the indicator set that judges it, e.g. "bmn-2560-2564"
	// SetVersion is the stored version of the set the round is pinned to,
	// and SetDigest the SHA-256 of that version's file; the store fills both
	// when it reads the round. A round built by hand has neither and is
	// judged by the built-in set of its id.
	SetVersion int    `json:"-"`
	SetDigest  string `json:"-"`
	// AggregateOnly rounds hold published figures (TPMAP's) and no households.
	AggregateOnly bool      `json:"aggregate_only,omitempty"`
	Source        string    `json:"source,omitempty"` // where an aggregate round's figures come from
	CreatedAt     time.Time `json:"created_at,omitzero"`
}

// ReferenceYear is the Buddhist Era year the answers describe. จปฐ. ปี 2564 asks
// about life in 2563 ("ในรอบปีที่ผ่านมา"), so it is always SurveyYear-1.
func (r Round) ReferenceYear() int { return r.SurveyYear - 1 }

// ReferenceDate is 31 December of the reference year, in the Common Era, UTC.
// Ages for every age band are counted in completed years at this date, not at
// the day the enumerator happened to call: two households visited weeks apart
// must put a child born on the same day in the same band, and "born in the
// reference year" must mean the same calendar year for everybody.
func (r Round) ReferenceDate() time.Time { return ReferenceDate(r.SurveyYear) }

// ReferenceDate returns 31 December (UTC) of the year before the Buddhist Era
// survey year surveyYear.
func ReferenceDate(surveyYear int) time.Time {
	return time.Date(surveyYear-1-543, time.December, 31, 0, 0, 0, 0, time.UTC)
}
