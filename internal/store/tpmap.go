package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"tambon/internal/area"
	"tambon/internal/engine"
	"tambon/internal/survey"
	"tambon/internal/tpmap"
)

const tpmapColumns = `year, area_code, level, published, households, people, poor_households, poor, registered,
	target_poor, dim_health, dim_living, dim_education, dim_income, dim_access, rate, indicators`

// TPMAPTargetPoor returns TPMAP's published target poor of an area (8-digit
// village, 6 tambon, 4 amphoe, 2 province or "TH") for a TPMAP year, such as
// 2561. ok is false when no TPMAP file of that year covered the area.
func (s *Store) TPMAPTargetPoor(ctx context.Context, areaCode string, year int) (tpmap.TargetPoor, bool, error) {
	rows, err := s.read.QueryContext(ctx, "SELECT "+tpmapColumns+" FROM tpmap_target_poor WHERE year = $1 AND area_code = $2", year, areaCode)
	if err != nil {
		return tpmap.TargetPoor{}, false, fmt.Errorf("read TPMAP target poor: %w", mapErr(err))
	}
	got, err := scanTargetPoor(rows)
	if err != nil || len(got) == 0 {
		return tpmap.TargetPoor{}, false, err
	}
	return got[0], true, nil
}

// TPMAPYears returns the TPMAP years that hold figures for an area, newest
// first.
func (s *Store) TPMAPYears(ctx context.Context, areaCode string) ([]int, error) {
	rows, err := s.read.QueryContext(ctx, "SELECT year FROM tpmap_target_poor WHERE area_code = $1 ORDER BY year DESC", areaCode)
	if err != nil {
		return nil, fmt.Errorf("read TPMAP years: %w", mapErr(err))
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var y int
		if err := rows.Scan(&y); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, y)
	}
	return out, mapErr(rows.Err())
}

// TPMAPTargetPoorChildren returns the target poor of an area's children
// (the areas one level below it) for a year, in code order.
func (s *Store) TPMAPTargetPoorChildren(ctx context.Context, areaCode string, year int) ([]tpmap.TargetPoor, error) {
	n := map[int]int{0: 2, 2: 4, 4: 6, 6: 8}[len(areaCode)]
	prefix := areaCode
	if areaCode == tpmap.Country {
		n, prefix = 2, ""
	}
	if n == 0 {
		return nil, nil
	}
	rows, err := s.read.QueryContext(ctx, "SELECT "+tpmapColumns+` FROM tpmap_target_poor
		WHERE year = $1 AND length(area_code) = $2 AND substr(area_code, 1, $3) = $4 AND area_code <> $5 ORDER BY area_code`,
		year, n, len(prefix), prefix, tpmap.Country)
	if err != nil {
		return nil, fmt.Errorf("read TPMAP target poor: %w", mapErr(err))
	}
	return scanTargetPoor(rows)
}

// TPMAPTargetPoorYear returns every area's target poor of a TPMAP year.
func (s *Store) TPMAPTargetPoorYear(ctx context.Context, year int) ([]tpmap.TargetPoor, error) {
	rows, err := s.read.QueryContext(ctx, "SELECT "+tpmapColumns+" FROM tpmap_target_poor WHERE year = $1 ORDER BY area_code", year)
	if err != nil {
		return nil, fmt.Errorf("read TPMAP target poor: %w", mapErr(err))
	}
	return scanTargetPoor(rows)
}

// ReplaceTPMAPYear replaces every stored figure of a TPMAP year with all, in
// one transaction: readers see the old year or the new one, never a mix.
func (s *Store) ReplaceTPMAPYear(ctx context.Context, year int, all []tpmap.TargetPoor) error {
	return s.inTx(ctx, func(tx *sql.Tx) error { return replaceTPMAPYear(ctx, tx, year, all) })
}

func replaceTPMAPYear(ctx context.Context, tx *sql.Tx, year int, all []tpmap.TargetPoor) error {
	sorted := append([]tpmap.TargetPoor(nil), all...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Code < sorted[j].Code })
	if _, err := tx.ExecContext(ctx, "DELETE FROM tpmap_target_poor WHERE year = $1", year); err != nil {
		return mapErr(err)
	}
	if err := bumpGeneration(ctx, tx); err != nil {
		return err
	}
	for _, t := range sorted {
		if t.Year != year {
			return fmt.Errorf("TPMAP figures of %s are for year %d, not %d", t.Code, t.Year, year)
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO tpmap_target_poor ("+tpmapColumns+`)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17)`,
			t.Year, t.Code, t.Level, t.Published, t.Households, t.People, t.PoorHouseholds, t.Poor, t.Registered,
			t.TargetPoor, t.Dimensions[0], t.Dimensions[1], t.Dimensions[2], t.Dimensions[3], t.Dimensions[4],
			t.Rate, joinCounts(t.Indicators)); err != nil {
			return fmt.Errorf("store TPMAP target poor of %s: %w", t.Code, mapErr(err))
		}
	}
	return nil
}

// TPMAPLoad is everything one import of TPMAP files writes for one year.
type TPMAPLoad struct {
	Year int
	// Round is the year's aggregate round; nil when no village common file
	// was loaded. NewRound says it is to be created.
	Round    *survey.Round
	NewRound bool
	Areas    []area.Area               // villages and municipal tambons the area register lacks
	Totals   map[string]*engine.Totals // the round's statistics, every level
	// TargetPoor is the year's target poor, every area; nil leaves the
	// stored ones as they are.
	TargetPoor []tpmap.TargetPoor
}

// LoadTPMAP writes one import of TPMAP files in one transaction: the round
// (created when new), the added areas, the round's statistics and the
// year's target poor commit together or not at all.
func (s *Store) LoadTPMAP(ctx context.Context, l TPMAPLoad) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if l.Round != nil && l.NewRound {
			if err := s.createRound(ctx, tx, *l.Round); err != nil {
				return err
			}
		}
		if len(l.Areas) > 0 {
			if err := addAreas(ctx, tx, l.Areas); err != nil {
				return err
			}
		}
		if l.Round != nil {
			if err := s.replaceTotals(ctx, tx, l.Round.ID, l.Totals); err != nil {
				return err
			}
		}
		if l.TargetPoor != nil {
			return replaceTPMAPYear(ctx, tx, l.Year, l.TargetPoor)
		}
		return nil
	})
}

func scanTargetPoor(rows *sql.Rows) ([]tpmap.TargetPoor, error) {
	defer rows.Close()
	var out []tpmap.TargetPoor
	for rows.Next() {
		var t tpmap.TargetPoor
		var inds string
		if err := rows.Scan(&t.Year, &t.Code, &t.Level, &t.Published, &t.Households, &t.People, &t.PoorHouseholds,
			&t.Poor, &t.Registered, &t.TargetPoor, &t.Dimensions[0], &t.Dimensions[1], &t.Dimensions[2],
			&t.Dimensions[3], &t.Dimensions[4], &t.Rate, &inds); err != nil {
			return nil, fmt.Errorf("read TPMAP target poor: %w", mapErr(err))
		}
		var err error
		if t.Indicators, err = splitCounts(inds); err != nil {
			return nil, fmt.Errorf("read TPMAP target poor of %s: %w", t.Code, err)
		}
		out = append(out, t)
	}
	return out, mapErr(rows.Err())
}

func joinCounts(ns []int64) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = strconv.FormatInt(n, 10)
	}
	return strings.Join(parts, ",")
}

func splitCounts(s string) ([]int64, error) {
	if s == "" {
		return nil, nil
	}
	parts := strings.Split(s, ",")
	out := make([]int64, len(parts))
	for i, p := range parts {
		n, err := strconv.ParseInt(p, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("indicator %d: %q is not a count", i+1, p)
		}
		out[i] = n
	}
	return out, nil
}
