package indicator

import (
	"time"

	"tambon/internal/survey"
)

// Roster is one roster row packed for binding from columns: what the rules
// need of a member that does not depend on the survey year, worked out once
// when a round is loaded (RosterOf), so that BindRoster touches no
// time.Time, strings or maps. Ages are worked out from Birth at bind time,
// for the round's reference date, with integer arithmetic only.
type Roster struct {
	Birth int32  // birth date packed as year<<9 | month<<5 | day (PackDate)
	Flags uint16 // roster flags, and RosterResident
	Edu   int8   // survey.EducationRank, −1 blank or unknown
}

// RosterResident marks a resident member in Roster.Flags: only residents
// are judged and counted.
const RosterResident uint16 = 1 << 15

// PackDate packs a calendar date as Roster.Birth holds it. The packed
// values order like the dates.
func PackDate(y int, m time.Month, d int) int32 { return int32(y)<<9 | int32(m)<<5 | int32(d) }

// RosterOf packs a member's roster facts.
func RosterOf(m *survey.Member) Roster {
	y, mo, d := m.BirthDate.Date()
	r := Roster{Birth: PackDate(y, mo, d), Edu: -1}
	if rank, ok := survey.EducationRank(m.Education); ok {
		r.Edu = int8(rank)
	}
	var f uint32
	set := func(b bool, bit uint32) {
		if b {
			f |= bit
		}
	}
	set(m.Disabled, flagDisabled)
	set(m.ChronicIll, flagChronic)
	set(m.Bedridden, flagBedridden)
	set(m.Dependent, flagDependent)
	set(m.WelfareCard, flagWelfareCard)
	set(m.Relation == survey.RelHead, flagHead)
	set(m.Sex == survey.Male, flagMale)
	set(m.Sex == survey.Female, flagFemale)
	switch m.Occupation {
	case survey.OccStudent:
		f |= flagStudying
	case survey.OccNone:
		f |= flagNoOccupation
	case "":
	default:
		f |= flagWorking
	}
	r.Flags = uint16(f)
	if m.Resident {
		r.Flags |= RosterResident
	}
	return r
}

// refDate is the reference date of a survey year, unpacked once per year.
type refDate struct {
	year       int // survey year (BE) it was worked out for; 0 = none yet
	ry, rm, rd int32
}

func (r *refDate) set(surveyYear int) {
	if r.year == surveyYear {
		return
	}
	y, m, d := survey.ReferenceDate(surveyYear).Date()
	*r = refDate{year: surveyYear, ry: int32(y), rm: int32(m), rd: int32(d)}
}

// person works out a packed member's facts at the reference date: ages in
// completed years and months (a birthday on the date counts) and flags,
// including "born in the reference year". A zero birth date (year 1) is
// never born in the reference year.
func (r *refDate) person(ro Roster) person {
	by, bm, bd := ro.Birth>>9, ro.Birth>>5&15, ro.Birth&31
	months := (r.ry-by)*12 + r.rm - bm
	if r.rd < bd {
		months--
	}
	months = max(months, 0)
	p := person{age: months / 12, months: months, flags: uint32(ro.Flags &^ RosterResident), edu: ro.Edu}
	if by == r.ry && (bm < r.rm || bm == r.rm && bd <= r.rd) && by != 1 {
		p.flags |= flagBornRefYear
	}
	return p
}

// BindRoster loads one household given in slot form, for the survey year
// (BE), into e: hh holds the household answers by slot, roster the whole
// roster in order, per the person answers member-major over the whole
// roster (len(roster) × person slots; non-residents' rows are not read), and
// the household's income, savings and debts. Slots hold NaN for unanswered,
// 1/0 for yes/no, a choice's index, a number itself; a question's slot is
// its position among the set's questions of its level (Set.Questions). The
// slices are copied. It judges exactly as Bind does the same household.
func (e *Evaluator) BindRoster(surveyYear int, hh []float64, roster []Roster, per []float64, in survey.Income, savings int64, debt survey.Debt) {
	c := &e.c
	s := c.s
	c.h = nil
	c.ref.set(surveyYear)
	c.th = s.thresholdsFor(surveyYear)
	c.hh = append(c.hh[:0], hh[:s.nHH]...)
	c.mem, c.row, c.per = c.mem[:0], c.row[:0], c.per[:0]
	n := s.nPer
	for i, ro := range roster {
		if ro.Flags&RosterResident == 0 {
			continue
		}
		c.mem = append(c.mem, c.ref.person(ro))
		c.row = append(c.row, i)
		c.per = append(c.per, per[i*n:i*n+n]...)
	}
	c.measures(&in, savings, &debt)
}
