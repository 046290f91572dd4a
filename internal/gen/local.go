package gen

import (
	"fmt"
	"math"
	"time"

	"tambon/internal/indicator"
	"tambon/internal/survey"
)

// A stored version of bmn-2560-2564 may carry a province's own indicators
// after the national ones (docs/indicators.md, "Adding a local indicator").
// The generator calibrates the national indicators as before and answers
// the local questions plausibly: yes four times in five, a number within
// its range, a choice drawn evenly, each only where the set asks it.

// localQuestions checks that set begins with the national indicators of the
// built-in file, in order, and returns the slots of the questions it adds.
func localQuestions(set *indicator.Set) ([]int, error) {
	national, err := indicator.Lookup(SetID)
	if err != nil {
		return nil, err
	}
	if len(set.Indicators) < NumIndicators {
		return nil, fmt.Errorf("generate: set %s has %d indicators, fewer than the %d national ones", set.ID, len(set.Indicators), NumIndicators)
	}
	for i := range NumIndicators {
		if set.Indicators[i].Code != national.Indicators[i].Code {
			return nil, fmt.Errorf("generate: indicator %d of set %s is %s, not the national %s: local indicators go after the national ones",
				i+1, set.ID, set.Indicators[i].Code, national.Indicators[i].Code)
		}
	}
	known := map[string]bool{}
	for _, q := range national.Questions() {
		known[q.Code] = true
	}
	var out []int
	for qi, q := range set.Questions() {
		if !known[q.Code] {
			out = append(out, qi)
		}
	}
	return out, nil
}

// localAnswers answers the local questions of the household just built.
func (g *generator) localAnswers() {
	if len(g.local) == 0 {
		return
	}
	h, r := &g.h, g.v.rng
	qs := g.opts.Set.Questions()
	ref := time.Date(g.refYear, time.December, 31, 0, 0, 0, 0, time.UTC)
	value := func(q survey.QuestionSpec) survey.Value {
		switch q.Type {
		case survey.TypeBool:
			return survey.Bool(r.IntN(5) != 0)
		case survey.TypeChoice:
			return survey.Text(q.Choices[r.IntN(len(q.Choices))])
		}
		lo, hi := 0.0, 100.0
		if q.Min != nil {
			lo = *q.Min
		}
		if q.Max != nil {
			hi = *q.Max
		} else if q.Min != nil {
			hi = lo + 100
		}
		return survey.Number(min(hi, max(lo, math.Round(lo+r.Float64()*(hi-lo)))))
	}
	for _, qi := range g.local {
		q := qs[qi]
		asked := g.opts.Set.AskedOf(h, ref) // a local question may be asked after another
		if q.Level == survey.LevelHousehold {
			if asked(qi, -1) {
				h.Answers[q.Code] = value(q)
			}
			continue
		}
		for k := range h.Members {
			if asked(qi, k) {
				if h.Members[k].Answers == nil {
					h.Members[k].Answers = survey.Answers{}
				}
				h.Members[k].Answers[q.Code] = value(q)
			}
		}
	}
}
