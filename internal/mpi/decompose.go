package mpi

import "tambon/internal/apperr"

// Group is a named population (a village, an age band, a sex) with its
// statistics, for Decompose.
type Group struct {
	Name  string
	Stats *Stats
}

// GroupResult is one group's part of a decomposition.
type GroupResult struct {
	Name            string  `json:"name"`
	PopulationShare float64 `json:"population_share"` // n_g / n
	// Contribution is (n_g/n) × M0_g / M0: the group's share of the whole
	// population's M0. Contributions sum to 1 whenever anyone is poor.
	Contribution float64 `json:"contribution"`
	Result       Result  `json:"result"`
}

// Decomposition is the MPI of a population and of the groups that partition
// it. Because M0 is subgroup decomposable, M0 = Σ_g (n_g/n) × M0_g exactly.
type Decomposition struct {
	Total  Result        `json:"total"`
	Groups []GroupResult `json:"groups"`
}

// Decompose computes the MPI at cut-off k (a fraction of the total weight)
// for each group and for their union. The groups must not overlap and must
// share the same weights.
func Decompose(k Frac, groups []Group) (Decomposition, error) {
	if len(groups) == 0 {
		return Decomposition{}, apperr.New(apperr.Invalid, apperr.T(
			"ไม่มีกลุ่มให้แยกองค์ประกอบ", "There are no groups to decompose."))
	}
	x := groups[0].Stats.Index()
	if x == nil {
		return Decomposition{}, errNoIndex
	}
	total := x.NewStats()
	for _, g := range groups {
		if err := total.Merge(g.Stats); err != nil {
			return Decomposition{}, err
		}
	}
	var d Decomposition
	var err error
	if d.Total, err = total.Result(k); err != nil {
		return Decomposition{}, err
	}
	d.Groups = make([]GroupResult, len(groups))
	for i, g := range groups {
		r, err := g.Stats.Result(k)
		if err != nil {
			return Decomposition{}, err
		}
		gr := GroupResult{Name: g.Name, Result: r}
		if d.Total.N > 0 {
			gr.PopulationShare = float64(r.N) / float64(d.Total.N)
		}
		if d.Total.PoorScore > 0 {
			gr.Contribution = float64(r.PoorScore) / float64(d.Total.PoorScore)
		}
		d.Groups[i] = gr
	}
	return d, nil
}
