package welfare

import (
	"tambon/internal/indicator"
	"tambon/internal/survey"
)

// Judge finds whom a round's survey finds poor in TPMAP's dimensions. It
// is safe for concurrent use.
type Judge struct {
	Mapping Mapping
	set     *indicator.Set
	year    int
	dims    []uint8 // dimension bits of each set indicator
}

// NewJudge binds a mapping to the round's indicator set and survey year
// (BE, the year whose thresholds apply).
func NewJudge(m Mapping, set *indicator.Set, surveyYear int) (*Judge, error) {
	dims, err := m.Bind(set)
	if err != nil {
		return nil, err
	}
	return &Judge{Mapping: m, set: set, year: surveyYear, dims: dims}, nil
}

// Person is one member of a household as the survey found them.
type Person struct {
	Member    int    // roster index in Household.Members
	CitizenID string // as recorded (may be empty)
	Judged    bool   // a resident of a complete household: the indicators speak of them
	Dims      uint8  // bit j: deprived in Mapping.Dimensions[j]
}

// Poor reports whether the person is poor by the survey: deprived in at
// least one dimension.
func (p Person) Poor() bool { return p.Dims != 0 }

// People returns every member of h. Residents of a complete household are
// judged: a household indicator failed deprives every resident, a person
// indicator the member it judges (as the MPI counts people); under a
// household mapping (Mapping.Unit) every resident then takes the
// dimensions any resident is deprived in. Drafts and members not living
// there are found in the survey but not judged, so they are never counted
// poor.
func (j *Judge) People(h *survey.Household) []Person {
	out := make([]Person, len(h.Members))
	for i, m := range h.Members {
		out[i] = Person{Member: i, CitizenID: m.CitizenID}
	}
	if h.Status != survey.Complete {
		return out
	}
	j.set.PersonDeprivations(h, j.year, func(member, ind int, eligible, deprived bool) {
		out[member].Judged = true
		if eligible && deprived {
			out[member].Dims |= j.dims[ind]
		}
	})
	if j.Mapping.Unit == UnitHousehold {
		var all uint8
		for _, p := range out {
			all |= p.Dims
		}
		for i := range out {
			if out[i].Judged {
				out[i].Dims = all
			}
		}
	}
	return out
}
