package gen

import (
	"fmt"
	"strconv"
	"time"

	"tambon/internal/indicator"
	"tambon/internal/survey"
)

// SetID is the indicator set whose questions the generator's calibrated
// answers are written for; other sets are answered from their own rules
// (generic.go).
const SetID = "bmn-2560-2564"

// Options say what to generate.
type Options struct {
	Set        *indicator.Set // bmn-2560-2564 (calibrated answers) or any other set (answered from its rules)
	SurveyYear int            // Buddhist Era, e.g. 2561
	RoundID    string         // written into every household
	Seed       uint64
	// Targets by village code; villages without one get national-average
	// sizes and rates.
	Targets map[string]Target
}

// Generate makes the households of each village in turn and hands each to
// yield, stopping early when yield returns false. It never holds more than
// one household: the *survey.Household given to yield, with its members and
// their answer maps, is a buffer reused for the next household, so a yield
// that keeps it must copy it first (Clone). The same Options and village
// code always give the same households, whichever villages come with it.
func Generate(opts Options, villages []string, yield func(*survey.Household) bool) error {
	g, err := newGenerator(opts)
	if err != nil {
		return err
	}
	for _, code := range villages {
		if !isVillageCode(code) {
			return fmt.Errorf("generate: %q is not an 8-digit village code", code)
		}
		t, ok := opts.Targets[code]
		g.v.start(code, opts.Seed, t, ok)
		for g.v.hhLeft > 0 {
			if err := g.household(); err != nil {
				return fmt.Errorf("generate village %s: %w", code, err)
			}
			if !yield(&g.h) {
				return nil
			}
		}
	}
	return nil
}

// generator holds the reusable buffers of one Generate call.
type generator struct {
	opts     Options
	refYear  int // CE year of the reference date: everybody's age is counted at its 31 December
	surveyCE int // CE year of the survey
	v        village
	h        survey.Household
	members  []survey.Member
	people   []person
	lat, lon float64
	idBuf    []byte
	// local are the question slots a province's own version of the set
	// adds to the national questions (local.go).
	local []int
}

// person is what the generator knows of a member beyond the record.
type person struct {
	age      int // completed years at the reference date
	months   int // completed months at the reference date
	band     int
	m3       bool // finished ม.3 in the reference year
	failAns  [NumIndicators]bool
	eligible [NumIndicators]bool
}

func newGenerator(opts Options) (*generator, error) {
	if opts.Set == nil {
		return nil, fmt.Errorf("generate: no indicator set")
	}
	var local []int
	if !genericSet(opts.Set) {
		var err error
		if local, err = localQuestions(opts.Set); err != nil {
			return nil, err
		}
		for _, q := range allQuestions {
			if opts.Set.QuestionIndex(q) < 0 {
				return nil, fmt.Errorf("generate: set %s has no question %s", opts.Set.ID, q)
			}
		}
	}
	if opts.SurveyYear < 2400 || opts.SurveyYear > 2700 {
		return nil, fmt.Errorf("generate: survey year %d is not a Buddhist Era year", opts.SurveyYear)
	}
	ce := opts.SurveyYear - 543
	return &generator{opts: opts, refYear: ce - 1, surveyCE: ce, local: local}, nil
}

func isVillageCode(s string) bool {
	if len(s) != 8 {
		return false
	}
	for i := 0; i < 8; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// household builds the next household of the current village into g.h.
func (g *generator) household() error {
	v := &g.v
	r := v.rng
	s := v.size()
	v.hhLeft--
	v.memLeft -= int64(s)
	v.hhSeq++

	ans := g.h.Answers
	if ans == nil {
		ans = make(survey.Answers, 48)
	}
	clear(ans)
	g.h = survey.Household{
		RoundID:     g.opts.RoundID,
		VillageCode: v.code,
		Answers:     ans,
		Status:      survey.Complete,
	}
	h := &g.h

	// House number: mostly the next number, sometimes a sub-number ("45/3").
	if v.houseSub >= 0 && v.houseNo > 0 && r.IntN(8) == 0 {
		v.houseSub++
		h.HouseNo = strconv.Itoa(v.houseNo) + "/" + strconv.Itoa(v.houseSub)
	} else {
		v.houseNo += 1 + r.IntN(3)/2
		v.houseSub = 0
		h.HouseNo = strconv.Itoa(v.houseNo)
	}
	// House code: the amphoe's registration office, tambon, หมู่ and the
	// household's number in the village; houses past 999 are unregistered.
	if v.hhSeq <= 999 {
		b := append(g.idBuf[:0], v.code...)
		b = appendDigits(b, v.hhSeq, 3)
		h.HouseCode = string(b)
	}
	dlat, dlon, gps := r.Float64()-0.5, r.Float64()-0.5, r.IntN(10) >= 3
	if v.hasGPS && gps {
		g.lat, g.lon = v.lat+0.02*dlat, v.lon+0.02*dlon
		h.Lat, h.Lon = &g.lat, &g.lon
	}
	day := v.day0 + r.IntN(20)
	h.SurveyDate = time.Date(g.surveyCE, time.January, 1+day, 0, 0, 0, 0, time.UTC)

	if err := g.roster(s); err != nil {
		return err
	}
	if genericSet(g.opts.Set) {
		g.moneyAnswers()
		g.genericAnswers()
		return nil
	}
	g.answers()
	g.localAnswers()
	return nil
}
