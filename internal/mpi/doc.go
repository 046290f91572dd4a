// Package mpi computes the Alkire-Foster (2011) multidimensional poverty
// index, exactly, from counts that add up.
//
// A Spec names dimensions and indicators with weights and cut-offs; TPMAP()
// is the Thai preset. New compiles a Spec into an Index whose weights are
// integers over one common denominator D, so a person's deprivation score is
// an integer s in 0..D and "poor" (s/D ≥ k) is decided without rounding.
//
// The statistics kept per village (Stats) are counts: people by score, and
// people by score deprived in each indicator. They are additive — a tambon's
// Stats is the sum of its villages' — and they answer any poverty cut-off k
// at query time (Stats.Result), so nothing has to be recomputed when an
// analyst changes k. Calculate is the analyst's calculator over a CSV file
// with one person per row.
//
// The package does no I/O beyond the readers and writers it is handed.
package mpi
