package gen

import (
	"math"
	"time"

	"tambon/internal/indicator"
	"tambon/internal/survey"
)

// A set other than bmn-2560-2564 (the 2566-2570 set, a province's version
// of it with its own indicators, any set an office writes) is answered from
// its own rules rather than from answers written for its questions. The
// roster, incomes, debts and savings are drawn as for 2560-2564. Each asked
// question is then answered so that it passes its indicator's rule, or
// fails it with the village's deprivation rate (the mean of its calibrated
// 2560-2564 rates, so poorer villages stay poorer): Set.PassingAnswer says
// which answer passes. Questions no pass rule compares with a constant
// (those that only decide who is asked or eligible, say "gave birth this
// year") are answered like local questions: yes once in ten when optional,
// four times in five otherwise, a number within its range, a choice drawn
// evenly. Who is asked follows the set (AskedOf); since an answer can decide
// whether another question is asked, the answers are settled again until
// nothing changes. Members of working age who have no occupation yet get
// one matching their "occupation and income" answer, or none.

// genericSet reports whether opts.Set is answered from its own rules.
func genericSet(set *indicator.Set) bool { return set.ID != SetID }

// genericRate is the village's deprivation rate: the mean of its
// indicators' calibrated failure rates.
func (v *village) genericRate() float64 {
	sum := 0.0
	for i := range v.ind {
		sum += v.ind[i].rate
	}
	return min(max(sum/float64(len(v.ind)), 0.01), 0.5)
}

// genericAnswers answers every question of the set asked of the household
// just built (roster, income and savings already drawn).
func (g *generator) genericAnswers() {
	h, set := &g.h, g.opts.Set
	qs := set.Questions()
	ref := time.Date(g.refYear, time.December, 31, 0, 0, 0, 0, time.UTC)
	rate := g.v.genericRate()
	for range 8 { // each round settles at least one more level of asked_if
		asked := set.AskedOf(h, ref)
		changed := false
		for qi := range qs {
			q := &qs[qi]
			if q.Level == survey.LevelHousehold {
				changed = g.settle(h.Answers, q, qi, asked(qi, -1), rate) || changed
				continue
			}
			for k := range h.Members {
				if h.Members[k].Answers == nil {
					h.Members[k].Answers = survey.Answers{}
				}
				changed = g.settle(h.Members[k].Answers, q, qi, asked(qi, k), rate) || changed
			}
		}
		if !changed {
			break
		}
	}
	for k := range h.Members {
		m := &h.Members[k]
		if m.Occupation != "" || g.people[k].age < 15 {
			continue
		}
		m.Occupation = survey.OccNone
		for _, v := range m.Answers {
			if t, ok := v.Text(); ok && t == "occupation_and_income" {
				if g.people[k].age >= 60 {
					m.Occupation = elderWork[g.v.rng.IntN(len(elderWork))]
				} else {
					m.Occupation = workingAge[0].code
					x := g.v.rng.IntN(100)
					for _, w := range workingAge {
						if x < w.weight {
							m.Occupation = w.code
							break
						}
						x -= w.weight
					}
				}
				break
			}
		}
	}
}

// settle answers question q in ans when asked and not answered yet, and
// drops its answer when not asked; it reports whether ans changed.
func (g *generator) settle(ans survey.Answers, q *survey.QuestionSpec, qi int, asked bool, rate float64) bool {
	_, have := ans[q.Code]
	switch {
	case asked && !have:
		ans[q.Code] = g.genericValue(q, qi, rate)
		return true
	case !asked && have:
		delete(ans, q.Code)
		return true
	}
	return false
}

// genericValue draws an answer to q: passing its rule, or failing it with
// probability rate.
func (g *generator) genericValue(q *survey.QuestionSpec, qi int, rate float64) survey.Value {
	r := g.v.rng
	lo, hi := 0.0, 100.0
	if q.Min != nil {
		lo = *q.Min
	}
	if q.Max != nil {
		hi = *q.Max
	} else if q.Min != nil {
		hi = lo + 100
	}
	op, x, ok := g.opts.Set.PassingAnswer(qi)
	if !ok {
		switch q.Type {
		case survey.TypeBool:
			if q.Optional {
				return survey.Bool(r.IntN(10) == 0)
			}
			return survey.Bool(r.IntN(5) != 0)
		case survey.TypeChoice:
			return survey.Text(q.Choices[r.IntN(len(q.Choices))])
		}
		return survey.Number(math.Round(lo + r.Float64()*(hi-lo)))
	}
	fail := r.Float64() < rate
	switch q.Type {
	case survey.TypeBool:
		yes := x == 1
		if op == "ne" {
			yes = !yes
		}
		return survey.Bool(yes != fail)
	case survey.TypeChoice:
		want := int(x)
		pass := (op == "eq") != fail
		if pass || len(q.Choices) == 1 {
			return survey.Text(q.Choices[want])
		}
		other := r.IntN(len(q.Choices) - 1)
		if other >= want {
			other++
		}
		return survey.Text(q.Choices[other])
	}
	// A number: x itself for eq, or a value on the passing (or failing)
	// side of x, up to half of x beyond it; always within the range.
	clamp := func(v float64) survey.Value { return survey.Number(min(hi, max(lo, v))) }
	spread := max(1, math.Abs(x)*0.5)
	switch op {
	case "eq", "ne":
		if (op == "eq") != fail {
			return clamp(x)
		}
		if x+1 <= hi {
			return clamp(x + 1)
		}
		return clamp(x - 1)
	}
	if above := (op == "gte" || op == "gt") != fail; above {
		v := math.Round(x + r.Float64()*spread)
		if (op == "gt" && !fail) || (op == "lte" && fail) {
			v = max(v, math.Floor(x)+1)
		}
		return clamp(v)
	}
	v := math.Round(x - r.Float64()*spread)
	if (op == "gte" && fail) || (op == "lt" && !fail) {
		v = min(v, math.Ceil(x)-1)
	}
	return clamp(v)
}
