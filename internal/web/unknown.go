package web

import (
	"tambon/internal/engine"
	"tambon/internal/survey"
)

// Unknown is not zero. A round of published aggregates (TPMAP's) holds how
// many pass each indicator and nothing else: no income, no one's
// deprivations, so no poverty index. Its income is not 0 baht but unknown,
// and the API says null, pages and exports "—".

// incomeKnown reports whether rep's net income is a figure of round rd: the
// round surveyed households (published aggregates hold no income, whatever
// a total says), and the area's people are not withheld.
func incomeKnown(rd survey.Round, rep engine.Report) bool {
	return !rd.AggregateOnly && !rep.AreaWithheld
}

// perPersonKnown reports whether rep's income per person is a figure: the
// income is, and there is somebody to divide it by.
func perPersonKnown(rd survey.Round, rep engine.Report) bool {
	return incomeKnown(rd, rep) && rep.People > 0
}

// IncomeKnown is perPersonKnown for templates: an area's or a child's
// report in the profile's round.
func (p *profile) IncomeKnown(rep engine.Report) bool { return perPersonKnown(p.Round, rep) }

// apiIncome is the API's net income and income per person: nil (JSON null)
// when unknown.
func apiIncome(rd survey.Round, rep engine.Report) (*int64, *float64) {
	if !incomeKnown(rd, rep) {
		return nil, nil
	}
	net := rep.NetIncome
	if rep.People == 0 {
		return &net, nil
	}
	return &net, ptr(round2(rep.IncomePerPerson))
}

// unknownCell is what a spreadsheet shows for a figure a round lacks.
const unknownCell = "—"

// MPIAbsence says why the profile shows no poverty index: the round holds
// no one's deprivations (published aggregates), the figures were withheld
// from the public, or the area simply has none in this round. Each is said
// differently: only the first is a property of the round.
func (p *profile) MPIAbsence() string {
	switch {
	case p.Round.AggregateOnly:
		return "mpi.none"
	case p.Totals != nil && p.Totals.Withheld != nil && p.Totals.Withheld.Poverty != nil:
		return "mpi.none.withheld"
	}
	return "mpi.none.area"
}
