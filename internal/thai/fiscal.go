package thai

import "time"

// FiscalYear returns the Thai government fiscal year (ปีงบประมาณ) that t falls
// in, as a BE year. The fiscal year runs 1 October – 30 September and is named
// by the calendar year it ends in: 1 October 2020 starts fiscal year 2564.
// Budgets, plans and programme reports are all counted this way. The date is
// read in t's own location; convert with t.In(Bangkok()) first for instants.
func FiscalYear(t time.Time) int {
	y, m, _ := t.Date()
	if m >= time.October {
		y++
	}
	return BE(y)
}

// FiscalYearRange returns the first and the last day of the BE fiscal year
// beYear, both at midnight UTC and both inclusive: 2564 gives 1 October 2020
// and 30 September 2021. For a half-open range [start, next) use
// end.AddDate(0, 0, 1) as next.
func FiscalYearRange(beYear int) (start, end time.Time) {
	y := CE(beYear)
	return time.Date(y-1, time.October, 1, 0, 0, 0, 0, time.UTC),
		time.Date(y, time.September, 30, 0, 0, 0, 0, time.UTC)
}
