// Package village holds the กชช. 2ค village survey (ข้อมูลพื้นฐานระดับหมู่บ้าน):
// versioned indicator sets as data, the raw answers of one village, the
// problem score of each indicator (1 = serious, 2 = moderate, 3 = little or
// none) with its reason, the village's development level, and counts of
// villages by level and by problem that add up from villages to the country.
// It does no I/O; a new plan period's set is a new file in sets/.
package village

import (
	"embed"
	"fmt"
	"io/fs"
	"sync"

	"tambon/internal/apperr"
)

// Kind says what an indicator's raw answer is.
type Kind string

// The kinds of raw answer.
const (
	KindPercent Kind = "percent" // a share, 0-100
	KindNumber  Kind = "number"  // a count or amount, in Unit
	KindChoice  Kind = "choice"  // one of Choices, stored as its Value
)

// Provenance says where a rule comes from and how sure we are: Confidence
// "S" (a cited source says so) or "R" (reconstruction, not confirmed).
type Provenance struct {
	Source     string      `json:"source"`
	Confidence string      `json:"confidence"`
	Note       apperr.Text `json:"note"`
}

// Uncertain reports whether users must be told the rule is not confirmed.
func (p Provenance) Uncertain() bool { return p.Confidence != "S" }

// Group is a ด้าน of indicators.
type Group struct {
	Code string      `json:"code"`
	Name apperr.Text `json:"name"`
}

// Choice is one answer of a choice indicator and the score it gives.
type Choice struct {
	Value int         `json:"value"`
	Score int         `json:"score"`
	Label apperr.Text `json:"label"`
}

// Scoring turns a number into a score: with Better "higher", a value at or
// above Good scores 3, at or above Moderate 2, else 1; "lower" mirrors it.
type Scoring struct {
	Better   string  `json:"better"`
	Good     float64 `json:"good"`
	Moderate float64 `json:"moderate"`
}

// Indicator is one กชช. 2ค indicator: what is asked, and how it is scored.
type Indicator struct {
	Code       string      `json:"code"`
	Number     int         `json:"number"`
	Group      string      `json:"group"`
	Name       apperr.Text `json:"name"`
	Question   apperr.Text `json:"question"`
	Kind       Kind        `json:"kind"`
	Unit       apperr.Text `json:"unit"`
	Min        float64     `json:"min"`
	Max        float64     `json:"max"`
	Choices    []Choice    `json:"choices,omitempty"`
	Scoring    Scoring     `json:"scoring"`
	Provenance Provenance  `json:"provenance"`
}

// LevelRule gives Level to a village whose counts of serious and moderate
// problems fall in its bounds (nil: no bound). The first rule that matches
// wins; the last must have no bounds.
type LevelRule struct {
	Level       int  `json:"level"`
	MinSerious  *int `json:"min_serious,omitempty"`
	MaxSerious  *int `json:"max_serious,omitempty"`
	MinModerate *int `json:"min_moderate,omitempty"`
	MaxModerate *int `json:"max_moderate,omitempty"`
}

// Levels is how a set ranks villages.
type Levels struct {
	Rules      []LevelRule `json:"rules"`
	Provenance Provenance  `json:"provenance"`
}

// Set is one versioned กชช. 2ค indicator set. It is immutable after Load.
type Set struct {
	ID          string      `json:"id"`
	Name        apperr.Text `json:"name"`
	Period      [2]int      `json:"period"`
	Provisional bool        `json:"provisional"`
	Source      string      `json:"source"`
	Note        apperr.Text `json:"note"`
	Groups      []Group     `json:"groups"`
	Levels      Levels      `json:"levels"`
	Indicators  []Indicator `json:"indicators"`

	index  map[string]int
	raw    []byte // the file it was loaded from
	digest string
}

// Indicator returns the indicator with the code.
func (s *Set) Indicator(code string) (*Indicator, bool) {
	i, ok := s.index[code]
	if !ok {
		return nil, false
	}
	return &s.Indicators[i], true
}

// Group returns the group with the code.
func (s *Set) Group(code string) (Group, bool) {
	for _, g := range s.Groups {
		if g.Code == code {
			return g, true
		}
	}
	return Group{}, false
}

//go:embed sets/*.json
var setFiles embed.FS

var builtin = sync.OnceValues(func() ([]*Set, error) {
	names, err := fs.Glob(setFiles, "sets/*.json")
	if err != nil {
		return nil, err
	}
	var sets []*Set
	for _, n := range names {
		b, err := setFiles.ReadFile(n)
		if err != nil {
			return nil, err
		}
		s, err := Load(b)
		if err != nil {
			return nil, fmt.Errorf("built-in set %s: %w", n, err)
		}
		sets = append(sets, s)
	}
	return sets, nil
})

// Sets returns the built-in sets, oldest first. A broken embedded file is a
// bug in the build, so it panics; the tests load every file.
func Sets() []*Set {
	sets, err := builtin()
	if err != nil {
		panic(err)
	}
	return sets
}

// Lookup returns the built-in set with the id, or NotFound.
func Lookup(id string) (*Set, error) {
	for _, s := range Sets() {
		if s.ID == id {
			return s, nil
		}
	}
	return nil, apperr.New(apperr.NotFound, apperr.Tf("ไม่พบชุดตัวชี้วัด กชช. 2ค %q", "there is no กชช. 2ค set %q", id))
}

// ForYear returns the built-in set whose period covers a survey year (BE),
// else the newest set.
func ForYear(year int) *Set {
	sets := Sets()
	for _, s := range sets {
		if s.Period[0] <= year && year <= s.Period[1] {
			return s
		}
	}
	return sets[len(sets)-1]
}
