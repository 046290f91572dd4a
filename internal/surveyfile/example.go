package surveyfile

import (
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"time"

	"tambon/internal/indicator"
	"tambon/internal/survey"
)

// ExampleRound is the round Example's households belong to: the last survey
// year of the set's plan period (จปฐ. 2564 for bmn-2560-2564). Who is asked
// which question depends on ages at the round's reference date, so examples
// are valid for this round.
func ExampleRound(set *indicator.Set) survey.Round {
	year := set.PeriodTo
	if year == 0 {
		year = 2564
	}
	return survey.Round{ID: fmt.Sprintf("bmn-%d", year), Kind: survey.KindBMN, SurveyYear: year, SetID: set.ID}
}

// ageBands are the ages Example cycles through so that every indicator's
// target group appears: newborns (born in the reference year), infants,
// pre-school and school children, teenagers, working age and the elderly.
var ageBands = [][2]int{{0, 0}, {1, 2}, {3, 5}, {6, 11}, {12, 14}, {15, 17}, {18, 24}, {25, 39}, {40, 59}, {60, 69}, {70, 79}, {80, 100}}

var (
	maleNames   = []string{"สมชาย", "ประเสริฐ", "วิชัย", "สุรชัย", "อนุชา", "ธนากร", "กิตติ", "ณัฐพล"}
	femaleNames = []string{"สมศรี", "มาลี", "วันเพ็ญ", "สุดารัตน์", "กัญญา", "นภา", "ปราณี", "อรุณี"}
	lastNames   = []string{"ใจดี", "รักถิ่น", "ศรีสุข", "บุญมา", "แก้วมณี", "ทองคำ", "สายสุวรรณ", "มีสุข"}
	jobs        = []string{"ทำนา", "ทำสวน", "รับจ้างทั่วไป", "ค้าขาย", "รับราชการ", "เลี้ยงสัตว์"}
)

// Example returns n valid, varied households of village (an 8-digit code)
// for ExampleRound(set), the same for the same arguments: citizen IDs with
// correct check digits, unique within the call and unlikely to meet another
// seed's; members of every age band; an answer to every question asked and
// none to questions not asked; some households without a house code or
// coordinates; a few drafts. Tests and benchmarks use it; the template's
// example row comes from it.
func Example(set *indicator.Set, village string, n int, seed uint64) []*survey.Household {
	round := ExampleRound(set)
	ref := round.ReferenceDate()
	hs := fnv.New64a()
	fmt.Fprintf(hs, "%s/%d", village, seed)
	base := hs.Sum64()
	rng := rand.New(rand.NewPCG(seed, base))
	idBase := base % 1e11
	nextID := uint64(0)
	office := (village + "0000")[:4]
	out := make([]*survey.Household, 0, n)
	for i := range n {
		h := &survey.Household{
			RoundID:     round.ID,
			VillageCode: village,
			HouseNo:     fmt.Sprint(int(base%900) + i + 1),
			Status:      survey.Complete,
			SurveyDate:  time.Date(ref.Year()+1, time.January, 5+rng.IntN(80), 0, 0, 0, 0, time.UTC),
		}
		if i%5 == 2 {
			h.HouseNo += fmt.Sprintf("/%d", 1+rng.IntN(9))
		}
		if i%4 != 3 {
			h.HouseCode = fmt.Sprintf("%s%07d", office, (base/1000+uint64(i))%1e7)
		}
		if i%3 != 1 {
			lat := math.Round((13+rng.Float64()*7)*1e6) / 1e6
			lon := math.Round((98+rng.Float64()*7)*1e6) / 1e6
			h.Lat, h.Lon = &lat, &lon
		}
		if i%11 == 10 {
			h.Status = survey.Draft
		}
		h.Income = survey.Income{
			MainOccupation:      int64(rng.IntN(3000)) * 100,
			SecondaryOccupation: int64(rng.IntN(500)) * 100 * int64(i%2),
			Other:               int64(rng.IntN(200)) * 100,
			OwnProduce:          int64(rng.IntN(100)) * 100,
			OccupationCosts:     int64(rng.IntN(800)) * 100,
		}
		h.Savings = int64(rng.IntN(300)) * 100
		h.Debt = survey.Debt{InSystem: int64(rng.IntN(4)) * 25000, OutOfSystem: int64(i%7/6) * 10000}
		size := 1 + (i*7+rng.IntN(3))%6
		for k := range size {
			m := exampleMember(rng, ref, i, k)
			m.CitizenID = exampleCitizenID(i+k, (idBase+nextID)%1e11)
			nextID++
			h.Members = append(h.Members, m)
		}
		if size > 2 && i%7 == 5 {
			h.Members[size-1].Resident = false
		}
		head := &h.Members[0]
		h.Respondent = head.Title + head.FirstName + " " + head.LastName
		if i%2 == 0 {
			h.Collector = "อสม. " + femaleNames[rng.IntN(len(femaleNames))]
			h.Phone = fmt.Sprintf("08%08d", rng.IntN(1e8))
		}
		answerAll(set, h, ref, rng)
		out = append(out, h)
	}
	return out
}

// exampleMember makes member k of household i: the head first, aged 25 or
// more, then members whose ages walk through ageBands.
func exampleMember(rng *rand.Rand, ref time.Time, i, k int) survey.Member {
	band := ageBands[(i+k*5)%len(ageBands)]
	rel := survey.RelChild
	switch {
	case k == 0:
		band, rel = ageBands[7+(i%5)], survey.RelHead
	case k == 1 && band[0] >= 18:
		rel = survey.RelSpouse
	case band[0] >= 60:
		rel = survey.RelParent
	case band[0] <= 5 && i%2 == 0:
		rel = survey.RelGrandchild
	}
	age := band[0] + rng.IntN(band[1]-band[0]+1)
	// Born any day of the year ref.Year()-age: at ref (31 December) the
	// member has completed exactly age years.
	birth := time.Date(ref.Year()-age, time.January, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rng.IntN(365))
	sex := survey.Sex("m")
	if (i+k)%2 == 1 {
		sex = "f"
	}
	m := survey.Member{No: k + 1, Sex: sex, BirthDate: birth, Relation: rel, Resident: true,
		LastName: lastNames[(i/3)%len(lastNames)]}
	if sex == "m" {
		m.FirstName = maleNames[rng.IntN(len(maleNames))]
		m.Title = map[bool]string{true: "ด.ช.", false: "นาย"}[age < 15]
	} else {
		m.FirstName = femaleNames[rng.IntN(len(femaleNames))]
		m.Title = map[bool]string{true: "ด.ญ.", false: "นาง"}[age < 15]
	}
	switch {
	case age < 3:
	case age < 6:
		m.Education = survey.EduPreschool
	case age < 18:
		m.Education, m.Occupation = survey.EduPrimary, survey.OccStudent
	default:
		m.Education = []string{survey.EduPrimary, survey.EduLowerSecondary, survey.EduUpperSecondary, survey.EduBachelor, survey.EduNone}[rng.IntN(5)]
		m.Occupation = jobs[rng.IntN(len(jobs))]
		if age >= 70 && rng.IntN(2) == 0 {
			m.Occupation = survey.OccNone
		}
	}
	m.ChronicIll = age >= 40 && rng.IntN(4) == 0
	m.Disabled = rng.IntN(25) == 0
	m.Bedridden = age >= 70 && rng.IntN(6) == 0
	m.Dependent = m.Bedridden
	m.WelfareCard = age >= 18 && rng.IntN(3) == 0
	return m
}

// exampleCitizenID builds a valid ID from a category digit (never 9) and 11
// digits, adding the check digit.
func exampleCitizenID(pick int, body uint64) string {
	s := fmt.Sprintf("%d%011d", []int{1, 3, 5, 8, 1, 2}[pick%6], body)
	sum := 0
	for j := range 12 {
		sum += int(s[j]-'0') * (13 - j)
	}
	return s + fmt.Sprint((11-sum%11)%10)
}

// answerAll answers every question asked of h and removes answers to
// questions not asked. Whether a question is asked can depend on another
// answer (a follow-up), so it repeats until nothing changes.
func answerAll(set *indicator.Set, h *survey.Household, ref time.Time, rng *rand.Rand) {
	qs := set.Questions()
	for range 5 {
		changed := false
		asked := set.AskedOf(h, ref)
		for qi := range qs {
			q := &qs[qi]
			if q.Level == survey.LevelHousehold {
				changed = setAnswer(&h.Answers, q, asked(qi, -1), rng) || changed
				continue
			}
			for k := range h.Members {
				changed = setAnswer(&h.Members[k].Answers, q, asked(qi, k), rng) || changed
			}
		}
		if !changed {
			return
		}
	}
}

func setAnswer(a *survey.Answers, q *survey.QuestionSpec, asked bool, rng *rand.Rand) bool {
	_, have := (*a)[q.Code]
	switch {
	case asked && !have:
		if *a == nil {
			*a = survey.Answers{}
		}
		(*a)[q.Code] = exampleAnswer(q, rng)
		return true
	case !asked && have:
		delete(*a, q.Code)
		if len(*a) == 0 {
			*a = nil
		}
		return true
	}
	return false
}

func exampleAnswer(q *survey.QuestionSpec, rng *rand.Rand) survey.Value {
	switch q.Type {
	case survey.TypeNumber:
		lo, hi := 0.0, 100.0
		if q.Min != nil {
			lo = *q.Min
		}
		if q.Max != nil {
			hi = *q.Max
		}
		// Mostly whole, sometimes a fraction, to exercise number precision.
		v := lo + math.Floor(rng.Float64()*(hi-lo))
		if rng.IntN(4) == 0 && v+0.25 <= hi {
			v += 0.25
		}
		return survey.Number(v)
	case survey.TypeChoice:
		return survey.Text(q.Choices[rng.IntN(len(q.Choices))])
	}
	return survey.Bool(rng.IntN(5) != 0)
}
