package welfare

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"

	"tambon/internal/apperr"
	"tambon/internal/indicator"
)

// Dimension is one of TPMAP's five poverty dimensions and the จปฐ.
// indicators (codes of one set) under it.
type Dimension struct {
	ID         string   `json:"id"`
	TH         string   `json:"th"`
	EN         string   `json:"en"`
	Indicators []string `json:"indicators"`
}

// Name is the dimension's name in Thai and English.
func (d Dimension) Name() apperr.Text { return apperr.T(d.TH, d.EN) }

// Mapping is the dimensions for one indicator set. Provisional says the
// indicators under the dimensions could not be confirmed from a published
// source: pages say so ("ยังไม่ยืนยัน").
type Mapping struct {
	Set         string `json:"set"`
	Provisional bool   `json:"provisional"`
	Source      string `json:"source"`
	// Unit says whose deprivation makes a person poor: "person" — their
	// own (a household indicator deprives every resident, a person
	// indicator the member it judges); "household" — their household's,
	// every resident counting the dimensions any resident is deprived in.
	Unit       string      `json:"unit"`
	Dimensions []Dimension `json:"dimensions"`
}

// The units a mapping may judge poverty by.
const (
	UnitPerson    = "person"
	UnitHousehold = "household"
)

//go:embed dimensions.json
var dimensionsFile []byte

var mappings = mustLoad(dimensionsFile)

// MappingFor returns the dimensions for an indicator set; ok is false when
// tambon has none for it (a set TPMAP has not published against).
func MappingFor(setID string) (Mapping, bool) {
	i := slices.IndexFunc(mappings, func(m Mapping) bool { return m.Set == setID })
	if i < 0 {
		return Mapping{}, false
	}
	return mappings[i], true
}

// LoadMappings reads a dimensions file: {"sets": [Mapping…]}. Unknown
// fields are refused, so that a misspelt key is not silently ignored.
func LoadMappings(b []byte) ([]Mapping, error) {
	var f struct {
		Note string    `json:"note"`
		Sets []Mapping `json:"sets"`
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("welfare dimensions: %w", err)
	}
	for _, m := range f.Sets {
		if m.Unit != UnitPerson && m.Unit != UnitHousehold {
			return nil, fmt.Errorf("welfare dimensions of %s: unit %q, want %q or %q", m.Set, m.Unit, UnitPerson, UnitHousehold)
		}
		if len(m.Dimensions) != 5 {
			return nil, fmt.Errorf("welfare dimensions of %s: %d dimensions, TPMAP has 5", m.Set, len(m.Dimensions))
		}
		seen := map[string]bool{}
		for _, d := range m.Dimensions {
			for _, c := range d.Indicators {
				if seen[c] {
					return nil, fmt.Errorf("welfare dimensions of %s: indicator %s is under two dimensions", m.Set, c)
				}
				seen[c] = true
			}
		}
	}
	return f.Sets, nil
}

func mustLoad(b []byte) []Mapping {
	ms, err := LoadMappings(b)
	if err != nil {
		panic(err)
	}
	return ms
}

// Bind resolves the mapping's indicator codes in set: dims[i] is the
// dimension bits of set indicator i (0 when it is under none). An
// indicator code the set lacks is an error naming it.
func (m Mapping) Bind(set *indicator.Set) ([]uint8, error) {
	dims := make([]uint8, len(set.Indicators))
	for j, d := range m.Dimensions {
		for _, c := range d.Indicators {
			i := slices.IndexFunc(set.Indicators, func(in indicator.Indicator) bool { return in.Code == c })
			if i < 0 {
				return nil, apperr.New(apperr.Invalid, apperr.Tf("มิติ %s อ้างถึงตัวชี้วัด %s ซึ่งไม่มีในชุด %s",
					"dimension %s names indicator %s, which set %s lacks", d.ID, c, set.ID))
			}
			dims[i] |= 1 << uint(j)
		}
	}
	return dims, nil
}
