package store

import (
	"context"

	"tambon/internal/engine"
	"tambon/internal/survey"
)

// TambonCover is one tambon's share of a round's figures: how many of its
// villages hold households, how many households, and where the tambon's
// review stands. It is what coverage and certification on published
// figures are made of.
type TambonCover struct {
	Code       string
	Villages   int // villages with any household or person recorded
	Households int64
	Status     survey.Status // open until submitted
}

// RoundCoverage lists, in code order, the tambons under an area (any level,
// "TH" for the country) that hold data in a round, with their review
// status. It reads only village statistics rows (one indexed range) and
// the round's review states, so the country costs one scan of the round's
// village rows.
func (s *Store) RoundCoverage(ctx context.Context, round, code string) ([]TambonCover, error) {
	lo, hi := codeRange(code, 8)
	rows, err := s.read.QueryContext(ctx, `SELECT v.t, v.n, v.h, COALESCE(ra.status, 'open') FROM
		(SELECT substr(area_code, 1, 6) AS t, count(*) AS n, CAST(sum(households) AS BIGINT) AS h FROM area_stats
		 WHERE round_id = $1 AND length(area_code) = 8 AND area_code BETWEEN $2 AND $3 AND (households > 0 OR people > 0)
		 GROUP BY substr(area_code, 1, 6)) v
		LEFT JOIN round_areas ra ON ra.round_id = $1 AND ra.area_code = v.t
		ORDER BY v.t`, round, lo, hi)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []TambonCover
	for rows.Next() {
		var c TambonCover
		var st string
		if err := rows.Scan(&c.Code, &c.Villages, &c.Households, &st); err != nil {
			return nil, err
		}
		c.Status = survey.Status(st)
		out = append(out, c)
	}
	return out, rows.Err()
}

// SumTotals adds up the stored statistics of the given areas in a round
// (areas without a row add nothing). The codes should not nest, or their
// households count twice.
func (s *Store) SumTotals(ctx context.Context, eng *engine.Engine, round string, codes []string) (*engine.Totals, error) {
	sum := eng.NewTotals()
	err := chunks(codes, 500, func(part []string) error {
		rows, err := s.read.QueryContext(ctx, "SELECT area_code, households, people, net_income, indicators, poverty FROM area_stats WHERE "+
			s.dialect.inList("area_code", len(part)), strArgs([]any{round}, part)...)
		if err != nil {
			return mapErr(err)
		}
		m, err := scanTotals(rows, eng)
		if err != nil {
			return err
		}
		for _, t := range m {
			sum.Add(t)
		}
		return nil
	})
	return sum, err
}
