package village

import "tambon/internal/apperr"

// Counts are the villages of an area by level and, per indicator, by score.
// They are sums over villages, so a parent's Counts equal the Add of its
// children's.
type Counts struct {
	Villages int               // villages surveyed
	ByLevel  [4]int            // index 1-3: villages at each level
	ByScore  map[string][4]int // indicator code → villages scoring 1-3 (index = score)
}

// NewCounts returns empty Counts.
func NewCounts() Counts { return Counts{ByScore: map[string][4]int{}} }

// AddResult counts one village.
func (c *Counts) AddResult(r Result) {
	if c.ByScore == nil {
		c.ByScore = map[string][4]int{}
	}
	c.Villages++
	c.ByLevel[r.Level]++
	for _, sc := range r.Scores {
		n := c.ByScore[sc.Indicator.Code]
		n[sc.Score]++
		c.ByScore[sc.Indicator.Code] = n
	}
}

// Add adds o into c (e.g. a child area into its parent).
func (c *Counts) Add(o Counts) {
	if c.ByScore == nil {
		c.ByScore = map[string][4]int{}
	}
	c.Villages += o.Villages
	for l := range c.ByLevel {
		c.ByLevel[l] += o.ByLevel[l]
	}
	for code, n := range o.ByScore {
		m := c.ByScore[code]
		for i := range m {
			m[i] += n[i]
		}
		c.ByScore[code] = m
	}
}

// Equal reports whether two Counts hold the same figures.
func (c Counts) Equal(o Counts) bool {
	if c.Villages != o.Villages || c.ByLevel != o.ByLevel {
		return false
	}
	for code, n := range c.ByScore {
		if o.ByScore[code] != n {
			return false
		}
	}
	for code, n := range o.ByScore {
		if c.ByScore[code] != n {
			return false
		}
	}
	return true
}

// Problem is one indicator scored as a problem (1 or 2) in some villages of
// an area, with those villages: what the plans work proposes to fix.
type Problem struct {
	Code      string         `json:"code"`   // indicator code, e.g. "k02"
	Number    int            `json:"number"` // its number in the set
	Name      apperr.Text    `json:"name"`
	Group     string         `json:"group"`
	Uncertain bool           `json:"uncertain"` // its rule is not confirmed by the handbook
	Villages  []VillageScore `json:"villages"`  // serious first, then by village code
}

// VillageScore is one village's score on a Problem's indicator.
type VillageScore struct {
	Village string  `json:"village"`
	Score   int     `json:"score"` // 1 serious, 2 moderate
	Value   float64 `json:"value"` // the raw answer behind it
}

// Serious counts the villages where the problem is serious.
func (p Problem) Serious() int {
	n := 0
	for _, v := range p.Villages {
		if v.Score == Serious {
			n++
		}
	}
	return n
}

// Moderate counts the villages where the problem is moderate.
func (p Problem) Moderate() int { return len(p.Villages) - p.Serious() }

// Change compares one village's level and scores with the previous round.
type Change struct {
	Before, After int      // levels; 0 when the village was not surveyed
	Better, Worse []string // indicator codes whose score rose / fell
}

// WriteSummary says what a write of village records did.
type WriteSummary struct {
	Inserted  int `json:"inserted"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
}

// Standing is a village's level and problem counts in one round, without
// its answers: what lists and comparisons need.
type Standing struct {
	Village  string `json:"village"`
	Level    int    `json:"level"`
	Serious  int    `json:"serious"`
	Moderate int    `json:"moderate"`
}
