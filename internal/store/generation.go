package store

import (
	"context"
	"database/sql"
	"sort"
	"strconv"

	"tambon/internal/area"
)

// Generations tell servers that cache rendered pages whether what an area's
// pages show has changed, so a cached page is served only while it is
// still exactly what a fresh render would give — across processes sharing
// one database too.
//
// Each area below the country (village, tambon, amphoe, province) has a
// counter in area_generations. Whatever changes an area's figures (a
// household or กชช. 2ค village write, a review step, an erasure) bumps the
// counters of its villages' chains — village, tambon, amphoe, province — in
// its own transaction, so an area's counter moves whenever anything in it
// moves, and a write in one province touches no row that a write in
// another province touches. The country has no counter of its own: its
// generation is the sum of the province counters (they only grow, so the
// sum moves exactly when one of them does).
//
// Events that change what every area shows (a new round, replaced
// statistics, a changed target, threshold or set, a TPMAP or welfare list)
// bump the global counter in meta instead; every area's generation
// includes it.

const genKey = "stats_gen"

// bumpGeneration increments the global generation inside tx: every area's
// pages are refreshed.
func bumpGeneration(ctx context.Context, tx querier) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ($1, '1')
		ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(meta.value AS INTEGER) + 1 AS TEXT)`, genKey)
	return mapErr(err)
}

// bumpAreas increments, inside tx, the generations of the given areas and
// of their parents up to the province (never the country). Rows are
// written in code order in one statement per 500, so concurrent writers
// cannot deadlock on them.
func (s *Store) bumpAreas(ctx context.Context, tx querier, codes ...string) error {
	return chunks(chainsOf(codes), 500, func(part []string) error {
		q, args := s.bumpSQL(part)
		_, err := tx.ExecContext(ctx, q, s.dialect.oneOff(args)...)
		return mapErr(err)
	})
}

// chainsOf lists, in code order, the areas of the chains of codes
// (chainOf), each once.
func chainsOf(codes []string) []string {
	set := map[string]bool{}
	for _, c := range codes {
		for _, a := range chainOf(c) {
			set[a] = true
		}
	}
	all := make([]string, 0, len(set))
	for c := range set {
		all = append(all, c)
	}
	sort.Strings(all)
	return all
}

// bumpSQL is the statement that increments the generations of the areas
// codes, in their order, and its arguments.
func (s *Store) bumpSQL(codes []string) (string, []any) {
	args := make([]any, 0, 2*len(codes))
	for _, c := range codes {
		args = append(args, c, 1)
	}
	return "INSERT INTO area_generations (area_code, gen) VALUES " + s.dialect.rows(len(codes), 2) +
		" ON CONFLICT (area_code) DO UPDATE SET gen = area_generations.gen + 1", args
}

// bumpSubtree increments, inside tx, the generations of an area, its
// parents up to the province and every area inside it, for an event that
// changes what all of them show (a tambon's review step changes which of
// its villages the public sees). The country's is the global generation.
func (s *Store) bumpSubtree(ctx context.Context, tx querier, code string) error {
	if len(chainOf(code)) == 0 {
		return bumpGeneration(ctx, tx)
	}
	if err := s.bumpAreas(ctx, tx, code); err != nil {
		return err
	}
	lo, hi := code, code+"~"
	_, err := tx.ExecContext(ctx, `INSERT INTO area_generations (area_code, gen)
		SELECT code, 1 FROM areas WHERE code > $1 AND code < $2 ORDER BY code
		ON CONFLICT (area_code) DO UPDATE SET gen = area_generations.gen + 1`, lo, hi)
	return mapErr(err)
}

// chainOf lists an area code and its parents below the country: a village
// gives itself, its tambon, amphoe and province. The country, and a code
// that is not digits, give nothing.
func chainOf(code string) []string {
	if code == area.CountryCode || code == "" || !allDigits(code) {
		return nil
	}
	var out []string
	for _, n := range []int{8, 6, 4, 2} {
		if len(code) >= n {
			out = append(out, code[:n])
		}
	}
	return out
}

func allDigits(s string) bool {
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// StatsGeneration returns the country's generation: it changes whenever
// anything any area page shows changes, anywhere.
func (s *Store) StatsGeneration(ctx context.Context) (int64, error) {
	return countryGeneration(ctx, s.read)
}

// AreaGeneration returns an area's generation: it changes whenever
// anything the area's pages show changes — a write anywhere in the area,
// or an event that changes every area. A write in another area that is
// not its parent or child leaves it alone. The country's is
// StatsGeneration.
func (s *Store) AreaGeneration(ctx context.Context, code string) (int64, error) {
	if code == area.CountryCode || code == "" {
		return countryGeneration(ctx, s.read)
	}
	var g int64
	var global sql.NullString
	err := s.read.QueryRowContext(ctx, `SELECT (SELECT value FROM meta WHERE key = $1),
		COALESCE((SELECT gen FROM area_generations WHERE area_code = $2), 0)`, genKey, code).Scan(&global, &g)
	if err != nil {
		return 0, mapErr(err)
	}
	return addGlobal(global, g)
}

// countryGeneration is the global generation plus every province's.
func countryGeneration(ctx context.Context, q querier) (int64, error) {
	var g int64
	var global sql.NullString
	err := q.QueryRowContext(ctx, `SELECT (SELECT value FROM meta WHERE key = $1),
		COALESCE((SELECT CAST(sum(gen) AS BIGINT) FROM area_generations WHERE length(area_code) = 2), 0)`, genKey).Scan(&global, &g)
	if err != nil {
		return 0, mapErr(err)
	}
	return addGlobal(global, g)
}

func addGlobal(global sql.NullString, g int64) (int64, error) {
	if !global.Valid || global.String == "" {
		return g, nil
	}
	n, err := strconv.ParseInt(global.String, 10, 64)
	return n + g, err
}
