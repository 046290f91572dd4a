package mpi

import (
	"math/big"

	"tambon/internal/apperr"
)

// Result is the Alkire-Foster MPI of a population at one poverty cut-off.
//
// Ratios are float64 for display, each computed by a single division of
// exact integer counts; the counts are kept (N, Q, PoorScore, the headcounts)
// so that anything can be recomputed exactly, and HRat, ARat and M0Rat give
// the exact values. Shares and contributions are fractions (0..1); multiply
// by 100 for percentages.
type Result struct {
	K           Frac  `json:"k"`           // the poverty cut-off, a fraction of the total weight
	KScore      int64 `json:"k_score"`     // the least poor score, in units of 1/Denominator
	Denominator int64 `json:"denominator"` // D: scores are integers over D

	N         int64 `json:"n"`          // people
	Q         int64 `json:"q"`          // poor people: score ≥ KScore
	PoorScore int64 `json:"poor_score"` // Σ of the poor's scores, in units of 1/D

	H  float64 `json:"h"`  // headcount ratio q/n
	A  float64 `json:"a"`  // intensity: average score of the poor
	M0 float64 `json:"m0"` // adjusted headcount ratio, H × A

	Vulnerable      int64   `json:"vulnerable"`       // not poor but score ≥ the vulnerability cut-off
	VulnerableShare float64 `json:"vulnerable_share"` // Vulnerable / N
	Severe          int64   `json:"severe"`           // score ≥ max(K, severe cut-off)
	SevereShare     float64 `json:"severe_share"`     // Severe / N

	Indicators []IndicatorResult `json:"indicators"`
	Dimensions []DimensionResult `json:"dimensions"`
}

// IndicatorResult is one indicator's part of a Result.
type IndicatorResult struct {
	ID              string  `json:"id"`
	Dimension       string  `json:"dimension"`
	Weight          Frac    `json:"weight"`           // normalised
	Uncensored      int64   `json:"uncensored"`       // people deprived in it
	Censored        int64   `json:"censored"`         // poor people deprived in it
	UncensoredRatio float64 `json:"uncensored_ratio"` // Uncensored / N
	CensoredRatio   float64 `json:"censored_ratio"`   // Censored / N
	// Contribution is w_j × CensoredRatio / M0: the share of M0 due to this
	// indicator. Contributions sum to 1 whenever anyone is poor (0 otherwise).
	Contribution float64 `json:"contribution"`
}

// DimensionResult is one dimension's part of a Result: the sums of its
// indicators' weights and contributions.
type DimensionResult struct {
	ID           string  `json:"id"`
	Weight       Frac    `json:"weight"`
	Contribution float64 `json:"contribution"`
}

// Result computes the MPI at poverty cut-off k, a fraction of the total
// weight (0 < k ≤ 1). A person is poor when their score c ≥ k. It costs
// O(D × indicators), whatever the population.
func (st *Stats) Result(k Frac) (Result, error) {
	if st.idx == nil {
		return Result{}, errNoIndex
	}
	var ps apperr.Problems
	checkCutoff(func(f, v string, r apperr.Text) {
		ps = append(ps, apperr.Problem{Field: f, Value: v, Reason: r})
	}, "k", k, true)
	if len(ps) > 0 {
		return Result{}, ps
	}
	x := st.idx
	nInd := len(x.units)
	r := Result{
		K: F(k.Num, k.Den), KScore: x.scoreAtLeast(k), Denominator: x.denom, N: st.N,
		Indicators: make([]IndicatorResult, nInd),
		Dimensions: make([]DimensionResult, len(x.spec.Dimensions)),
	}
	vuln := x.scoreAtLeast(x.spec.Vulnerable)
	sev := max(x.scoreAtLeast(x.spec.Severe), r.KScore)
	for s, c := range st.ByScore {
		if c == 0 {
			continue
		}
		s64 := int64(s)
		poor := s64 >= r.KScore
		row := st.Deprived[s]
		for j := range r.Indicators {
			r.Indicators[j].Uncensored += row[j]
			if poor {
				r.Indicators[j].Censored += row[j]
			}
		}
		switch {
		case poor:
			r.Q += c
			r.PoorScore += s64 * c
			if s64 >= sev {
				r.Severe += c
			}
		case s64 >= vuln:
			r.Vulnerable += c
		}
	}
	if r.N > 0 {
		n := float64(r.N)
		r.H = float64(r.Q) / n
		r.M0 = float64(r.PoorScore) / (n * float64(x.denom))
		r.VulnerableShare = float64(r.Vulnerable) / n
		r.SevereShare = float64(r.Severe) / n
	}
	if r.Q > 0 {
		r.A = float64(r.PoorScore) / (float64(r.Q) * float64(x.denom))
	}
	for i, d := range x.spec.Dimensions {
		r.Dimensions[i] = DimensionResult{ID: d.ID}
	}
	dimUnits := make([]int64, len(r.Dimensions))
	dimContrib := make([]int64, len(r.Dimensions))
	for j := range r.Indicators {
		in := &r.Indicators[j]
		spec := x.spec.Indicators[j]
		in.ID, in.Dimension, in.Weight = spec.ID, spec.Dimension, spec.Weight
		if r.N > 0 {
			in.UncensoredRatio = float64(in.Uncensored) / float64(r.N)
			in.CensoredRatio = float64(in.Censored) / float64(r.N)
		}
		// w_j·CH_j / M0 = units_j·Censored_j / PoorScore, exactly.
		part := x.units[j] * in.Censored
		if r.PoorScore > 0 {
			in.Contribution = float64(part) / float64(r.PoorScore)
		}
		d := x.dimOf[j]
		dimUnits[d] += x.units[j]
		dimContrib[d] += part
	}
	for i := range r.Dimensions {
		r.Dimensions[i].Weight = F(dimUnits[i], x.denom)
		if r.PoorScore > 0 {
			r.Dimensions[i].Contribution = float64(dimContrib[i]) / float64(r.PoorScore)
		}
	}
	return r, nil
}

// HRat returns the headcount ratio q/n exactly (0 when n = 0).
func (r Result) HRat() *big.Rat { return ratio(r.Q, r.N) }

// ARat returns the intensity exactly: PoorScore / (q × D) (0 when q = 0).
func (r Result) ARat() *big.Rat {
	return ratio(r.PoorScore, r.Q*r.Denominator)
}

// M0Rat returns the adjusted headcount ratio exactly: PoorScore / (n × D).
func (r Result) M0Rat() *big.Rat {
	return ratio(r.PoorScore, r.N*r.Denominator)
}

func ratio(a, b int64) *big.Rat {
	if b == 0 {
		return new(big.Rat)
	}
	return big.NewRat(a, b)
}
