package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"tambon/internal/apperr"
	"tambon/internal/area"
	"tambon/internal/engine"
)

// Statistics are kept per (round, area) for the village, tambon, amphoe and
// province levels, so that any area's figures are one row read, and the
// country's the sum of its 77 province rows. They are updated in the same
// transaction as the households they come from; `tambon check` proves every
// row equals a recompute from the households (and so that each level is the
// sum of its villages). No row is written by writes in two provinces: the
// country has no row to lock, so writers in different provinces never wait
// for each other.
//
// A row holds the household, people and income sums as columns, the
// per-indicator eligible/passed counts as a JSON array in set order, and the
// MPI counts as JSON with only the deprivation scores that occur.

type povertyJSON struct {
	N int64     `json:"n"`
	S [][]int64 `json:"s"` // [score, people, deprived in indicator 0, 1, …]
}

func encodeIndicators(t *engine.Totals) string {
	b := make([]byte, 0, 16*len(t.Indicators)+2)
	b = append(b, '[')
	for i, c := range t.Indicators {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '[')
		b = strconv.AppendInt(b, c.Eligible, 10)
		b = append(b, ',')
		b = strconv.AppendInt(b, c.Passed, 10)
		b = append(b, ']')
	}
	return string(append(b, ']'))
}

// encodePoverty writes the MPI counts as encoding/json would write
// povertyJSON, without reflection: a write encodes four areas' counts.
func encodePoverty(t *engine.Totals) (string, error) {
	if t.Poverty == nil {
		return "", nil
	}
	b := append(make([]byte, 0, 256), `{"n":`...)
	b = strconv.AppendInt(b, t.Poverty.N, 10)
	b = append(b, `,"s":[`...)
	first := true
	for s, n := range t.Poverty.ByScore {
		if n == 0 {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, '[')
		b = strconv.AppendInt(b, int64(s), 10)
		b = append(b, ',')
		b = strconv.AppendInt(b, n, 10)
		for _, d := range t.Poverty.Deprived[s] {
			b = append(b, ',')
			b = strconv.AppendInt(b, d, 10)
		}
		b = append(b, ']')
	}
	return string(append(b, "]}"...)), nil
}

// decodeTotals rebuilds Totals from a stored row.
func decodeTotals(eng *engine.Engine, households, people, income int64, indicators, poverty string) (*engine.Totals, error) {
	t := eng.NewTotals()
	t.Households, t.People, t.NetIncome = households, people, income
	ind, ok := parsePairs(indicators)
	if !ok {
		if err := json.Unmarshal([]byte(indicators), &ind); err != nil {
			return nil, fmt.Errorf("stored indicator counts: %w", err)
		}
	}
	if len(ind) != len(t.Indicators) {
		return nil, apperr.New(apperr.Conflict, apperr.Tf(
			"สถิติที่เก็บไว้มี %d ตัวชี้วัด แต่ชุดตัวชี้วัดมี %d: สั่ง tambon recompute",
			"stored statistics have %d indicators but the set has %d: run tambon recompute", len(ind), len(t.Indicators)))
	}
	for i, c := range ind {
		t.Indicators[i] = engine.Count{Eligible: c[0], Passed: c[1]}
	}
	if poverty != "" && eng.Poverty() != nil {
		p, ok := parsePoverty(poverty)
		if !ok {
			if err := json.Unmarshal([]byte(poverty), &p); err != nil {
				return nil, fmt.Errorf("stored poverty counts: %w", err)
			}
		}
		x := eng.Poverty()
		byScore := make([]int64, x.Denominator()+1)
		deprived := make([][]int64, x.Denominator()+1)
		nInd := len(x.Spec().Indicators)
		for s := range deprived {
			deprived[s] = make([]int64, nInd)
		}
		for _, row := range p.S {
			if len(row) != 2+nInd || row[0] < 0 || row[0] > x.Denominator() {
				return nil, apperr.New(apperr.Conflict, apperr.T(
					"สถิติความยากจนที่เก็บไว้ไม่ตรงกับเกณฑ์ MPI ปัจจุบัน: สั่ง tambon recompute",
					"stored poverty counts do not fit the current MPI spec: run tambon recompute"))
			}
			byScore[row[0]] = row[1]
			copy(deprived[row[0]], row[2:])
		}
		st, err := x.LoadStats(p.N, byScore, deprived)
		if err != nil {
			return nil, err
		}
		t.Poverty = st
	}
	return t, nil
}

// parsePairs reads indicator counts as encodeIndicators writes them,
// [[e,p],[e,p],…], without reflection: the country's figures decode 77
// province rows. Anything else gives false, and the caller reads it as
// JSON.
func parsePairs(s string) ([][2]int64, bool) {
	rows, ok := parseRows(s)
	if !ok {
		return nil, false
	}
	out := make([][2]int64, len(rows))
	for i, r := range rows {
		if len(r) != 2 {
			return nil, false
		}
		out[i] = [2]int64{r[0], r[1]}
	}
	return out, true
}

// parsePoverty reads poverty counts as encodePoverty writes them,
// {"n":N,"s":[[…],…]}; anything else gives false.
func parsePoverty(s string) (povertyJSON, bool) {
	rest, ok := strings.CutPrefix(s, `{"n":`)
	if !ok {
		return povertyJSON{}, false
	}
	i := strings.IndexByte(rest, ',')
	if i < 0 {
		return povertyJSON{}, false
	}
	n, err := strconv.ParseInt(rest[:i], 10, 64)
	if err != nil {
		return povertyJSON{}, false
	}
	rest, ok = strings.CutPrefix(rest[i:], `,"s":`)
	if !ok {
		return povertyJSON{}, false
	}
	rest, ok = strings.CutSuffix(rest, "}")
	if !ok {
		return povertyJSON{}, false
	}
	rows, ok := parseRows(rest)
	return povertyJSON{N: n, S: rows}, ok
}

// parseRows reads an array of arrays of integers with no spaces,
// [[1,2],[3],[]] or [].
func parseRows(s string) ([][]int64, bool) {
	if len(s) < 2 || s[0] != '[' || s[len(s)-1] != ']' {
		return nil, false
	}
	out := [][]int64{}
	s = s[1 : len(s)-1]
	for len(s) > 0 {
		if s[0] != '[' {
			return nil, false
		}
		end := strings.IndexByte(s, ']')
		if end < 0 {
			return nil, false
		}
		row := []int64{}
		if end > 1 {
			for f := range strings.SplitSeq(s[1:end], ",") {
				v, err := strconv.ParseInt(f, 10, 64)
				if err != nil {
					return nil, false
				}
				row = append(row, v)
			}
		}
		out = append(out, row)
		s = s[end+1:]
		if len(s) > 0 {
			if s[0] != ',' || len(s) == 1 {
				return nil, false
			}
			s = s[1:]
		}
	}
	return out, true
}

// AreaTotals returns one area's statistics in a round; an area with no data
// gives zero Totals. The country's are the sum of its provinces'.
func (s *Store) AreaTotals(ctx context.Context, eng *engine.Engine, round, code string) (*engine.Totals, error) {
	if code == area.CountryCode {
		return s.countryTotals(ctx, eng, round)
	}
	var h, p, inc int64
	var ind, pov string
	err := s.read.QueryRowContext(ctx, "SELECT households, people, net_income, indicators, poverty FROM area_stats WHERE round_id = $1 AND area_code = $2",
		round, code).Scan(&h, &p, &inc, &ind, &pov)
	if err == sql.ErrNoRows {
		return eng.NewTotals(), nil
	}
	if err != nil {
		return nil, mapErr(err)
	}
	return decodeTotals(eng, h, p, inc, ind, pov)
}

// countryTotals adds up the province rows of a round.
func (s *Store) countryTotals(ctx context.Context, eng *engine.Engine, round string) (*engine.Totals, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT area_code, households, people, net_income, indicators, poverty FROM area_stats
		WHERE round_id = $1 AND length(area_code) = 2`, round)
	if err != nil {
		return nil, mapErr(err)
	}
	provinces, err := scanTotals(rows, eng)
	if err != nil {
		return nil, err
	}
	return sumOf(eng, provinces), nil
}

// sumOf adds up the province entries of a map of statistics.
func sumOf(eng *engine.Engine, all map[string]*engine.Totals) *engine.Totals {
	th := eng.NewTotals()
	for code, t := range all {
		if len(code) == 2 {
			th.Add(t)
		}
	}
	return th
}

// ChildTotals returns the statistics of every child area of code that has
// data, keyed by area code.
func (s *Store) ChildTotals(ctx context.Context, eng *engine.Engine, round, code string, childLen int) (map[string]*engine.Totals, error) {
	lo, hi := codeRange(code, childLen)
	rows, err := s.read.QueryContext(ctx, `SELECT area_code, households, people, net_income, indicators, poverty FROM area_stats
		WHERE round_id = $1 AND area_code BETWEEN $2 AND $3 AND length(area_code) = $4`, round, lo, hi, childLen)
	if err != nil {
		return nil, mapErr(err)
	}
	return scanTotals(rows, eng)
}

// AllTotals returns the statistics of every area of a round that has a row,
// and the country's (the sum of its provinces') when any has.
func (s *Store) AllTotals(ctx context.Context, eng *engine.Engine, round string) (map[string]*engine.Totals, error) {
	rows, err := s.read.QueryContext(ctx, "SELECT area_code, households, people, net_income, indicators, poverty FROM area_stats WHERE round_id = $1", round)
	if err != nil {
		return nil, mapErr(err)
	}
	all, err := scanTotals(rows, eng)
	if err != nil || len(all) == 0 {
		return all, err
	}
	all[area.CountryCode] = sumOf(eng, all)
	return all, nil
}

func scanTotals(rows *sql.Rows, eng *engine.Engine) (map[string]*engine.Totals, error) {
	defer rows.Close()
	out := map[string]*engine.Totals{}
	for rows.Next() {
		var code, ind, pov string
		var h, p, inc int64
		if err := rows.Scan(&code, &h, &p, &inc, &ind, &pov); err != nil {
			return nil, err
		}
		t, err := decodeTotals(eng, h, p, inc, ind, pov)
		if err != nil {
			return nil, err
		}
		out[code] = t
	}
	return out, rows.Err()
}

// applyDeltas adds per-village changes to the stored statistics of every
// level below the country, and bumps the generations of the same areas: one
// query reads (and on PostgreSQL locks) every row touched, one writes them
// back, so a write costs three statements whatever the number of areas.
// Rows are locked in code order (PostgreSQL locks the rows of
// ORDER BY … FOR UPDATE as they come out of the sort), so concurrent writers
// cannot deadlock; the rows are the write's own villages and their tambons,
// amphoes and provinces, so writers in different provinces share none.
func (s *Store) applyDeltas(ctx context.Context, tx *sql.Tx, eng *engine.Engine, round string, villages map[string]*engine.Totals) error {
	byArea, codes, written := areaDeltas(villages)
	if err := s.bumpAreas(ctx, tx, written...); err != nil {
		return err
	}
	return chunks(codes, 500, func(part []string) error {
		cur, err := s.lockTotals(ctx, tx, eng, round, part)
		if err != nil {
			return err
		}
		for _, code := range part {
			if cur[code] == nil {
				cur[code] = eng.NewTotals()
			}
			cur[code].Add(byArea[code])
		}
		return s.putAllTotals(ctx, tx, round, part, cur)
	})
}

// areaDeltas adds per-village changes up the levels below the country:
// byArea holds every area whose figures move, codes lists them in order,
// written the villages written (every one counts, even when its figures
// did not move — a draft, a changed name: its pages show its households).
func areaDeltas(villages map[string]*engine.Totals) (byArea map[string]*engine.Totals, codes, written []string) {
	byArea = map[string]*engine.Totals{}
	for v, d := range villages {
		if d.IsZero() {
			continue
		}
		for _, code := range chainOf(v) {
			if t, ok := byArea[code]; ok {
				t.Add(d)
			} else {
				byArea[code] = d.Clone()
			}
		}
	}
	codes = make([]string, 0, len(byArea))
	for c := range byArea {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	written = make([]string, 0, len(villages))
	for v := range villages {
		written = append(written, v)
	}
	return byArea, codes, written
}

// lockTotals reads the stored statistics of the areas codes (sorted), locked
// for update on PostgreSQL; an area with no row yet is missing from the map.
func (s *Store) lockTotals(ctx context.Context, tx *sql.Tx, eng *engine.Engine, round string, codes []string) (map[string]*engine.Totals, error) {
	rows, err := tx.QueryContext(ctx, "SELECT area_code, households, people, net_income, indicators, poverty FROM area_stats WHERE "+
		s.dialect.inList("area_code", len(codes))+" ORDER BY area_code"+s.dialect.forUpdate, s.dialect.oneOff(strArgs([]any{round}, codes))...)
	if err != nil {
		return nil, mapErr(err)
	}
	return scanTotals(rows, eng)
}

// putAllTotals stores the statistics of the areas codes in one multi-row
// upsert.
func (s *Store) putAllTotals(ctx context.Context, tx *sql.Tx, round string, codes []string, all map[string]*engine.Totals) error {
	q, args, err := s.putAllTotalsSQL(round, codes, all)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, q, s.dialect.oneOff(args)...)
	return mapErr(err)
}

// putAllTotalsSQL is putAllTotals' statement and arguments.
func (s *Store) putAllTotalsSQL(round string, codes []string, all map[string]*engine.Totals) (string, []any, error) {
	const cols = 7
	args := make([]any, 0, cols*len(codes))
	for _, code := range codes {
		t := all[code]
		pov, err := encodePoverty(t)
		if err != nil {
			return "", nil, err
		}
		args = append(args, round, code, t.Households, t.People, t.NetIncome, encodeIndicators(t), pov)
	}
	return `INSERT INTO area_stats (round_id, area_code, households, people, net_income, indicators, poverty)
		VALUES ` + s.dialect.rows(len(codes), cols) + totalsUpsert, args, nil
}

// totalsUpsert makes an INSERT INTO area_stats replace the rows it meets.
const totalsUpsert = `
		ON CONFLICT (round_id, area_code) DO UPDATE SET households = excluded.households, people = excluded.people,
		net_income = excluded.net_income, indicators = excluded.indicators, poverty = excluded.poverty`

func (s *Store) putTotals(ctx context.Context, tx querier, round, code string, t *engine.Totals) error {
	pov, err := encodePoverty(t)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO area_stats (round_id, area_code, households, people, net_income, indicators, poverty)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`+totalsUpsert,
		round, code, t.Households, t.People, t.NetIncome, encodeIndicators(t), pov)
	return mapErr(err)
}

// ReplaceTotals replaces every statistics row of a round (after a recompute,
// or when loading published aggregates), in one transaction.
func (s *Store) ReplaceTotals(ctx context.Context, round string, all map[string]*engine.Totals) error {
	return s.inTx(ctx, func(tx *sql.Tx) error { return s.replaceTotals(ctx, tx, round, all) })
}

// replaceTotals is ReplaceTotals inside a transaction.
func (s *Store) replaceTotals(ctx context.Context, tx *sql.Tx, round string, all map[string]*engine.Totals) error {
	if _, err := tx.ExecContext(ctx, "DELETE FROM area_stats WHERE round_id = $1", round); err != nil {
		return mapErr(err)
	}
	if err := bumpGeneration(ctx, tx); err != nil {
		return err
	}
	for _, c := range storedCodes(all) {
		if err := s.putTotals(ctx, tx, round, c, all[c]); err != nil {
			return err
		}
	}
	return nil
}

// storedCodes lists, in order, the areas of all that get a row: every one
// but the country, which is the sum of its provinces.
func storedCodes(all map[string]*engine.Totals) []string {
	codes := make([]string, 0, len(all))
	for c := range all {
		if c != area.CountryCode {
			codes = append(codes, c)
		}
	}
	sort.Strings(codes)
	return codes
}
