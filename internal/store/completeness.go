package store

import (
	"context"
	"sort"

	"tambon/internal/area"
)

// Completeness is how far a round has got under any area (a village, a
// tambon, a district, a province): every register village under it with
// the counts of the tambon's review checklist (RoundChecklist), and every
// account that entered or submitted households there, with the households
// it surveyed in the previous round that are not re-surveyed yet. The
// completeness dashboard and the home page's "what needs doing" read it;
// for a tambon its villages are the checklist's, line for line.
type Completeness struct {
	Round       string
	Prev        string // the previous round compared with ("" when there is none)
	PrevRecords bool   // the previous round holds household records
	Villages    []VillageCheck
	Enumerators []EnumeratorWork
}

// EnumeratorWork is one account's part of a round under an area.
type EnumeratorWork struct {
	User          string
	Villages      int // villages it saved households in, this round
	Households    int // households it last saved in this round, drafts included
	Drafts        int
	Waiting       int // its OpenRosa submissions waiting for a reviewer
	NotResurveyed int // households it last saved in the previous round that are not in this one
}

// Total adds the villages up; ExpectedKnown only when every village's is.
func (c Completeness) Total() VillageCheck {
	t := VillageCheck{ExpectedKnown: len(c.Villages) > 0}
	for _, v := range c.Villages {
		t.Expected += v.Expected
		t.ExpectedKnown = t.ExpectedKnown && v.ExpectedKnown
		t.Surveyed += v.Surveyed
		t.Drafts += v.Drafts
		t.Waiting += v.Waiting
		t.NotResurveyed += v.NotResurveyed
	}
	return t
}

// RoundCompleteness counts a round's completeness under an area. Villages
// are the register's under the area, in code order, plus any village the
// data name that the register lacks; for the whole country ("TH") only the
// villages with something to count are listed.
func (s *Store) RoundCompleteness(ctx context.Context, round, code string) (Completeness, error) {
	q := s.read
	c := Completeness{Round: round}
	prev, records, err := previousRound(ctx, q, round)
	if err != nil {
		return c, err
	}
	c.Prev, c.PrevRecords = prev, records
	lo, hi := codeRange(code, 8)
	at := map[string]int{}
	village := func(code string) *VillageCheck {
		i, ok := at[code]
		if !ok {
			i = len(c.Villages)
			at[code] = i
			c.Villages = append(c.Villages, VillageCheck{Code: code})
		}
		return &c.Villages[i]
	}
	if code != "" && code != area.CountryCode {
		rows, err := q.QueryContext(ctx, "SELECT code, moo, name_th, name_en FROM areas WHERE level = $1 AND code BETWEEN $2 AND $3 ORDER BY code",
			int(area.Village), lo, hi)
		if err != nil {
			return c, mapErr(err)
		}
		for rows.Next() {
			var v VillageCheck
			if err := rows.Scan(&v.Code, &v.Moo, &v.NameTH, &v.NameEN); err != nil {
				rows.Close()
				return c, err
			}
			*village(v.Code) = v
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return c, err
		}
	}
	each := func(query string, fn func(key string, n, m int), args ...any) error {
		rows, err := q.QueryContext(ctx, query, args...)
		if err != nil {
			return mapErr(err)
		}
		defer rows.Close()
		for rows.Next() {
			var key string
			var n, m int
			if err := rows.Scan(&key, &n, &m); err != nil {
				return err
			}
			fn(key, n, m)
		}
		return rows.Err()
	}
	if err := each(`SELECT village_code, count(*), sum(CASE WHEN status = 'draft' THEN 1 ELSE 0 END) FROM households
		WHERE round_id = $1 AND village_code BETWEEN $2 AND $3 GROUP BY village_code`,
		func(code string, n, m int) { v := village(code); v.Surveyed, v.Drafts = n, m }, round, lo, hi); err != nil {
		return c, err
	}
	if err := each(`SELECT village_code, count(*), 0 FROM submissions
		WHERE status = 'review' AND round_id = $1 AND village_code BETWEEN $2 AND $3 GROUP BY village_code`,
		func(code string, n, _ int) { village(code).Waiting = n }, round, lo, hi); err != nil {
		return c, err
	}
	switch {
	case c.PrevRecords:
		if err := each(`SELECT p.village_code, count(*), sum(CASE WHEN EXISTS (SELECT 1 FROM households c WHERE c.round_id = $2 AND c.hh_key = p.hh_key) THEN 0 ELSE 1 END)
			FROM households p WHERE p.round_id = $1 AND p.village_code BETWEEN $3 AND $4 GROUP BY p.village_code`,
			func(code string, n, m int) {
				v := village(code)
				v.Expected, v.ExpectedKnown, v.NotResurveyed = n, true, m
			}, c.Prev, round, lo, hi); err != nil {
			return c, err
		}
	case c.Prev != "":
		if err := each(`SELECT area_code, households, 0 FROM area_stats WHERE round_id = $1 AND area_code BETWEEN $2 AND $3 AND length(area_code) = 8`,
			func(code string, n, _ int) { v := village(code); v.Expected, v.ExpectedKnown = n, true }, c.Prev, lo, hi); err != nil {
			return c, err
		}
	}
	sort.SliceStable(c.Villages, func(i, j int) bool { return c.Villages[i].Code < c.Villages[j].Code })

	by := map[string]*EnumeratorWork{}
	who := func(name string) *EnumeratorWork {
		if e, ok := by[name]; ok {
			return e
		}
		by[name] = &EnumeratorWork{User: name}
		return by[name]
	}
	parts := []struct {
		query string
		args  []any
		fn    func(e *EnumeratorWork, n, m int)
	}{
		{`SELECT updated_by, count(*), sum(CASE WHEN status = 'draft' THEN 1 ELSE 0 END) FROM households
			WHERE round_id = $1 AND village_code BETWEEN $2 AND $3 GROUP BY updated_by`, []any{round, lo, hi},
			func(e *EnumeratorWork, n, m int) { e.Households, e.Drafts = n, m }},
		{`SELECT updated_by, count(DISTINCT village_code), 0 FROM households
			WHERE round_id = $1 AND village_code BETWEEN $2 AND $3 GROUP BY updated_by`, []any{round, lo, hi},
			func(e *EnumeratorWork, n, _ int) { e.Villages = n }},
		{`SELECT username, count(*), 0 FROM submissions
			WHERE status = 'review' AND round_id = $1 AND village_code BETWEEN $2 AND $3 GROUP BY username`, []any{round, lo, hi},
			func(e *EnumeratorWork, n, _ int) { e.Waiting = n }},
	}
	if c.PrevRecords {
		parts = append(parts, struct {
			query string
			args  []any
			fn    func(e *EnumeratorWork, n, m int)
		}{`SELECT p.updated_by, count(*), 0 FROM households p WHERE p.round_id = $1 AND p.village_code BETWEEN $3 AND $4
			AND NOT EXISTS (SELECT 1 FROM households c WHERE c.round_id = $2 AND c.hh_key = p.hh_key) GROUP BY p.updated_by`,
			[]any{c.Prev, round, lo, hi}, func(e *EnumeratorWork, n, _ int) { e.NotResurveyed = n }})
	}
	for _, p := range parts {
		if err := each(p.query, func(name string, n, m int) { p.fn(who(name), n, m) }, p.args...); err != nil {
			return c, err
		}
	}
	for _, e := range by {
		c.Enumerators = append(c.Enumerators, *e)
	}
	sort.Slice(c.Enumerators, func(i, j int) bool { return c.Enumerators[i].User < c.Enumerators[j].User })
	return c, nil
}
