package engine

import (
	"fmt"
	"math/rand/v2"
	"time"

	"tambon/internal/indicator"
	"tambon/internal/survey"
)

// Synthetic yields a synthetic round in slot form for benchmarks (go test
// -bench, tambon bench, and the DuckDB and PostgreSQL comparisons in bench/),
// so that every engine is measured on the same data: households spread
// evenly over villages (national shape: 12.9 M households over 75,000
// villages gives 172 a village), 1-6 resident members (36.6 / 12.9 ≈ 2.84 on
// average), ages 0-90, incomes around the income line, every question
// answered and passing 95 % of the time. It is deterministic: PCG seeded by
// village. Village v's code is VillageCode(v). fn gets one reused Row.
func Synthetic(set *indicator.Set, households, villages int, fn func(r *Row)) {
	var nh, np int
	var hhKinds, perKinds []int // per slot: 0 number, else the number of answers
	for _, q := range set.Questions() {
		k := 2
		if len(q.Choices) > 0 {
			k = len(q.Choices)
		}
		if q.Type == survey.TypeNumber {
			k = 0
		}
		if q.Level == survey.LevelHousehold {
			hhKinds = append(hhKinds, k)
			nh++
		} else {
			perKinds = append(perKinds, k)
			np++
		}
	}
	answer := func(rng *rand.Rand, kinds int) float64 {
		switch {
		case kinds == 0:
			return float64(2200 + rng.IntN(2000))
		case rng.IntN(20) == 0:
			return float64(rng.IntN(kinds))
		case kinds == 2:
			return 1
		}
		return 0
	}
	sizes := []int{1, 2, 2, 3, 3, 3, 4, 4, 5, 1, 2, 3, 4, 6} // mean ≈ 2.93, trimmed by the running target below
	epoch := time.Date(1930, 1, 1, 0, 0, 0, 0, time.UTC)
	row := &Row{HH: make([]float64, nh)}
	people, total := 0, int64(households)*36_600_000/12_900_000
	for v := range villages {
		rng := rand.New(rand.NewPCG(uint64(v), 2564))
		row.Village = VillageCode(v)
		lo, hi := v*households/villages, (v+1)*households/villages
		for h := lo; h < hi; h++ {
			row.Income = survey.Income{MainOccupation: 30000 + rng.Int64N(250000), OccupationCosts: rng.Int64N(30000)}
			row.Savings = rng.Int64N(2) * 5000
			for i, k := range hhKinds {
				row.HH[i] = answer(rng, k)
			}
			n := sizes[rng.IntN(len(sizes))]
			if want := int((int64(h) + 1) * total / int64(households)); people+n > want+3 {
				n = max(1, want-people)
			}
			people += n
			if cap(row.Members) < n {
				row.Members = make([]RowMember, n)
			}
			row.Members = row.Members[:n]
			for i := range row.Members {
				m := &row.Members[i]
				m.BirthDate = epoch.AddDate(0, 0, rng.IntN(33000))
				m.Resident, m.Relation, m.Occupation, m.Education = true, survey.RelChild, "farming", survey.EduPrimary
				if i == 0 {
					m.Relation = survey.RelHead
				}
				m.Disabled, m.ChronicIll = rng.IntN(50) == 0, rng.IntN(12) == 0
				if len(m.Per) != np {
					m.Per = make([]float64, np)
				}
				for j, k := range perKinds {
					m.Per[j] = answer(rng, k)
				}
			}
			fn(row)
		}
	}
}

// VillageCode is the code Synthetic gives village v: 8 digits, 10 villages a
// tambon, 10 tambons an amphoe, 20 amphoes a province (2,000 villages), the
// provinces numbered from 10.
func VillageCode(v int) string {
	return fmt.Sprintf("%02d%02d%02d%02d", 10+v/2000, v/100%20+1, v/10%10+1, v%10+1)
}
