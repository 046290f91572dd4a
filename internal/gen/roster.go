package gen

import (
	"fmt"
	"math"
	"time"

	"tambon/internal/survey"
)

// Band weights for who is disabled and who is chronically ill: both are far
// more common among older people.
var (
	disabledWeight = [nBands]float64{0.3, 1, 3}
	chronicWeight  = [nBands]float64{0.05, 1, 4}
)

// roster fills g.members[:s] and g.people[:s]: a head, often a spouse, then
// children, grandchildren, parents and relatives whose relation follows from
// their age against the head's.
func (g *generator) roster(s int) error {
	v := &g.v
	r := v.rng
	for len(g.members) < s {
		g.members = append(g.members, survey.Member{Answers: make(survey.Answers, 12)})
		g.people = append(g.people, person{})
	}
	family := lastNames[r.IntN(len(lastNames))]
	headAge, headSex := 0, survey.Male
	hasSpouse := false
	for i := 0; i < s; i++ {
		m, p := &g.members[i], &g.people[i]
		ans := m.Answers
		clear(ans)
		*m = survey.Member{No: i + 1, Answers: ans, Resident: true}
		*p = person{}

		var b int
		var before [nBands]int64
		switch {
		case i == 0:
			// Heads are mostly of working age, so that older people are
			// spread over more households, as TPMAP's counts show.
			mask := 1<<bandAdult | 1<<bandElder
			if r.IntN(4) != 0 && v.band[bandAdult] > 0 {
				mask = 1 << bandAdult
			}
			b, before = v.draw(mask)
			p.age = ageIn(r, b, 28)
			if r.IntN(10) >= 7 {
				headSex = survey.Female
			}
			m.Sex, m.Relation, m.LastName = headSex, survey.RelHead, family
		case i == 1 && r.IntN(100) < 78 && v.band[bandAdult]+v.band[bandElder] > v.hhLeft:
			mask := 1 << bandOf(headAge)
			if v.band[bandOf(headAge)] == 0 {
				mask = 1<<bandAdult | 1<<bandElder
			}
			b, before = v.draw(mask)
			d := int(math.Round(3*r.NormFloat64())) - 2
			if headSex == survey.Female {
				d = -d
			}
			p.age = clampToBand(headAge+d, b)
			m.Sex, m.Relation = opposite(headSex), survey.RelSpouse
			m.LastName = family
			if r.IntN(10) < 3 {
				m.LastName = lastNames[r.IntN(len(lastNames))]
			}
			hasSpouse = true
		default:
			pref := -1
			switch {
			case g.people[i-1].band == bandChild:
				pref = bandChild // siblings come together
			case bandOf(headAge) == bandElder && i <= 2:
				pref = bandAdult
			case bandOf(headAge) == bandAdult && r.IntN(100) < 30:
				pref = bandElder
			}
			b, before = v.drawOther(pref)
			p.age = ageIn(r, b, 15)
			m.Sex = survey.Male
			if r.IntN(2) == 0 {
				m.Sex = survey.Female
			}
			m.Relation, m.LastName = relationTo(r, headAge, p.age, family)
		}
		if i == 0 {
			headAge = p.age
		}
		p.band = b
		m.Disabled = v.pick(&v.disLeft, b, before, disabledWeight)
		m.ChronicIll = v.pick(&v.chrLeft, b, before, chronicWeight)
		if m.Disabled && r.IntN(4) == 0 {
			m.Dependent = true
			m.Bedridden = p.age >= 60 && r.IntN(2) == 0
		}
		m.WelfareCard = p.age >= 18 && r.IntN(100) < 35

		if m.Sex == survey.Male {
			m.FirstName = maleNames[r.IntN(len(maleNames))]
		} else {
			m.FirstName = femaleNames[r.IntN(len(femaleNames))]
		}
		m.Title = title(m.Sex, p.age, m.Relation, hasSpouse)
		by := g.refYear - p.age
		days := 365
		if isLeap(by) {
			days = 366
		}
		m.BirthDate = time.Date(by, time.January, 1+r.IntN(days), 0, 0, 0, 0, time.UTC)
		p.months = completedMonths(m.BirthDate, g.refYear)
		p.m3 = p.age == 15 && r.IntN(10) < 9
		m.Education = education(r, p.age, p.m3)
		m.Occupation = youngOccupation(r, p.age)

		id, err := g.citizenID(by)
		if err != nil {
			return err
		}
		m.CitizenID = id
	}
	if hasSpouse && headSex == survey.Female && headAge >= 15 {
		g.members[0].Title = "นาง"
	}
	g.h.Members = g.members[:s]
	g.h.Respondent = g.members[0].FirstName + " " + g.members[0].LastName
	return nil
}

// citizenID makes a valid 13-digit ID unique within any run: the category
// (1, or 3 for people born before 1984, when the numbers began; further
// categories only when a village has more than 1,000 people of a kind), the
// village code (its first four digits are the amphoe, the registration
// office, as on real cards), a 3-digit serial and the mod-11 check digit.
func (g *generator) citizenID(birthYear int) (string, error) {
	v := &g.v
	kind := 0
	cats := [2][4]byte{{'1', '2', '6', '7'}, {'3', '4', '5', '8'}}
	if birthYear < 1984 {
		kind = 1
	}
	n := v.serial[kind]
	v.serial[kind]++
	if n >= 4000 {
		return "", fmt.Errorf("more than 4,000 people born %s 1984: citizen IDs would repeat", map[int]string{0: "since", 1: "before"}[kind])
	}
	b := append(g.idBuf[:0], cats[kind][n/1000])
	b = append(b, v.code...)
	b = appendDigits(b, n%1000, 3)
	sum := 0
	for i := 0; i < 12; i++ {
		sum += int(b[i]-'0') * (13 - i)
	}
	b = append(b, byte('0'+(11-sum%11)%10))
	g.idBuf = b
	return string(b), nil
}

func bandOf(age int) int {
	switch {
	case age < 15:
		return bandChild
	case age < 60:
		return bandAdult
	}
	return bandElder
}

// ageIn draws an age within band b; adults are at least minAdult (22 for a
// head). Older ages thin out roughly as Thailand's life table does.
func ageIn(r interface {
	IntN(int) int
	ExpFloat64() float64
}, b, minAdult int) int {
	switch b {
	case bandChild:
		// Fewer young children than older ones: Thai births have fallen
		// for decades (about 0.35 of a 10-year-old cohort are infants in
		// the จปฐ.).
		for {
			a := r.IntN(15)
			if r.IntN(100) < childWeight[a] {
				return a
			}
		}
	case bandAdult:
		return minAdult + r.IntN(60-minAdult)
	}
	return min(60+int(r.ExpFloat64()*9), 99)
}

// childWeight is the relative chance, in percent, of each age 0-14.
var childWeight = [15]int{30, 70, 75, 75, 75, 80, 95, 100, 100, 100, 100, 100, 100, 100, 100}

func clampToBand(age, b int) int {
	switch b {
	case bandChild:
		return min(max(age, 0), 14)
	case bandAdult:
		return min(max(age, 18), 59)
	}
	return min(max(age, 60), 99)
}

func opposite(s survey.Sex) survey.Sex {
	if s == survey.Male {
		return survey.Female
	}
	return survey.Male
}

// relationTo works out a member's relation from the age gap to the head.
func relationTo(r interface{ IntN(int) int }, headAge, age int, family string) (survey.Relation, string) {
	gap := headAge - age
	switch {
	case gap >= 16 && gap <= 45:
		return survey.RelChild, family
	case gap > 45:
		return survey.RelGrandchild, family
	case gap <= -18:
		return survey.RelParent, family
	case age >= 18 && gap >= -12 && gap <= 12 && r.IntN(2) == 0:
		return survey.RelSibling, family
	case age >= 18 && gap >= 14:
		return survey.RelChildInLaw, lastNames[r.IntN(len(lastNames))]
	}
	return survey.RelRelative, lastNames[r.IntN(len(lastNames))]
}

// title is the Thai title by sex, age and marriage.
func title(s survey.Sex, age int, rel survey.Relation, headMarried bool) string {
	switch {
	case age < 15 && s == survey.Male:
		return "เด็กชาย"
	case age < 15:
		return "เด็กหญิง"
	case s == survey.Male:
		return "นาย"
	case rel == survey.RelSpouse || rel == survey.RelHead && headMarried || age >= 45:
		return "นาง"
	}
	return "นางสาว"
}

// education is the highest level completed, consistent with age: ป.6 at 12,
// ม.3 at 15, ม.6 at 18; older generations mostly stopped at ป.4-ป.6.
func education(r interface{ IntN(int) int }, age int, m3 bool) string {
	x := r.IntN(100)
	switch {
	case age < 5:
		return survey.EduNone
	case age < 13:
		return survey.EduPreschool
	case age < 15 || age == 15 && !m3:
		return survey.EduPrimary
	case age < 18:
		return survey.EduLowerSecondary
	case age < 23:
		switch {
		case x < 10:
			return survey.EduPrimary
		case x < 35:
			return survey.EduLowerSecondary
		case x < 90:
			return survey.EduUpperSecondary
		}
		return survey.EduDiploma
	case age < 60:
		old := (age - 23) / 2 // older adults left school earlier
		switch {
		case x < 15+old:
			return survey.EduPrimary
		case x < 33+old:
			return survey.EduLowerSecondary
		case x < 60+old/2:
			return survey.EduUpperSecondary
		case x < 72+old/3:
			return survey.EduDiploma
		case x < 98:
			return survey.EduBachelor
		}
		return survey.EduPostgraduate
	}
	switch {
	case x < 8:
		return survey.EduNone
	case x < 88:
		return survey.EduPrimary
	case x < 93:
		return survey.EduLowerSecondary
	case x < 97:
		return survey.EduUpperSecondary
	}
	return survey.EduBachelor
}

// youngOccupation settles children and students; everybody else's occupation
// follows from indicators 20 and 21 (see answers), so that a working-age
// member with no occupation is exactly one who fails them.
func youngOccupation(r interface{ IntN(int) int }, age int) string {
	switch {
	case age < 6:
		return ""
	case age < 15:
		return survey.OccStudent
	case age < 18 && r.IntN(100) < 85, age < 23 && r.IntN(100) < 35:
		return survey.OccStudent
	}
	return ""
}

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

// completedMonths is a member's age in completed months on 31 December of
// refYear, as package survey counts it.
func completedMonths(birth time.Time, refYear int) int {
	by, bm, bd := birth.Date()
	n := (refYear-by)*12 + int(time.December-bm)
	if 31 < bd {
		n--
	}
	return max(n, 0)
}
