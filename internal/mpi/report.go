package mpi

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"

	"tambon/internal/tabular"
)

// WriteJSON writes the report as indented JSON: the spec used (normalised
// weights, K as a fraction of the total weight), the total and the groups.
func (rep *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}

// WriteCSV writes the report as one row per population — the total first
// (level "total"), then each group (level "group") — with the headline
// figures followed by three columns per indicator (uncensored and censored
// headcount ratios, contribution to M0) and one per dimension (contribution),
// all as fractions, so a spreadsheet can chart any column across groups. A
// group name a spreadsheet would run as a formula is written behind a single
// quote (tabular.SafeCSVText).
func (rep *Report) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	head := []string{"level", "group", "population_share", "group_contribution", "k", "n", "q", "h", "a", "m0",
		"vulnerable_share", "severe_share"}
	for _, in := range rep.Spec.Indicators {
		head = append(head, in.ID+"_uncensored", in.ID+"_censored", in.ID+"_contribution")
	}
	for _, d := range rep.Spec.Dimensions {
		head = append(head, "dimension_"+d.ID+"_contribution")
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	row := func(level, name string, share, contrib float64, r Result) []string {
		rec := []string{level, tabular.SafeCSVText(name), num(share), num(contrib), r.K.String(),
			strconv.FormatInt(r.N, 10), strconv.FormatInt(r.Q, 10),
			num(r.H), num(r.A), num(r.M0), num(r.VulnerableShare), num(r.SevereShare)}
		for _, in := range r.Indicators {
			rec = append(rec, num(in.UncensoredRatio), num(in.CensoredRatio), num(in.Contribution))
		}
		for _, d := range r.Dimensions {
			rec = append(rec, num(d.Contribution))
		}
		return rec
	}
	contrib := 0.0
	if rep.Total.PoorScore > 0 {
		contrib = 1
	}
	if err := cw.Write(row("total", "", 1, contrib, rep.Total)); err != nil {
		return err
	}
	for _, g := range rep.Groups {
		if err := cw.Write(row("group", g.Name, g.PopulationShare, g.Contribution, g.Result)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// num formats a ratio with the fewest digits that read back to the same
// float64, never in exponent form (spreadsheets mis-read "1e-05").
func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
