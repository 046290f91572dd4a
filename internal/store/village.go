package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"maps"
	"slices"

	"tambon/internal/apperr"
	"tambon/internal/area"
	"tambon/internal/village"
)

// CreateVillageRound stores a new กชช. 2ค round; an existing id or survey
// year is a conflict.
func (s *Store) CreateVillageRound(ctx context.Context, r village.Round) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		// A round is pinned to the newest version of its set.
		version, err := latestVersion(ctx, tx, SetKindVillage, r.SetID)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO village_rounds (id, survey_year, set_id, created_at, set_version) VALUES ($1, $2, $3, $4, $5)`,
			r.ID, r.SurveyYear, r.SetID, formatTime(s.now()), version); err != nil {
			return mapErr(err)
		}
		return bumpGeneration(ctx, tx)
	})
	if apperr.Is(err, apperr.Conflict) {
		return apperr.Wrap(err, apperr.Conflict, apperr.Tf("มีรอบ กชช. 2ค %s หรือปี %d อยู่แล้ว", "the กชช. 2ค round %s or year %d exists already", r.ID, r.SurveyYear))
	}
	return err
}

// villageRoundColumns reads a round with the digest of the set version it
// is pinned to; villageRoundsFrom joins the two.
const (
	villageRoundColumns = "r.id, r.survey_year, r.set_id, r.created_at, r.set_version, COALESCE(x.digest, '')"
	villageRoundsFrom   = " FROM village_rounds r LEFT JOIN indicator_sets x ON x.kind = 'kcc2k' AND x.id = r.set_id AND x.version = r.set_version"
)

func scanVillageRound(row interface{ Scan(...any) error }) (village.Round, error) {
	var r village.Round
	var created string
	err := row.Scan(&r.ID, &r.SurveyYear, &r.SetID, &created, &r.SetVersion, &r.SetDigest)
	r.CreatedAt = parseTime(created)
	return r, err
}

// internVillageRound loads the set file a round is pinned to, once per
// process, so that village.ForRound finds it by digest.
func (s *Store) internVillageRound(ctx context.Context, r village.Round) error {
	if r.SetDigest == "" {
		return nil
	}
	_, err := s.villageSetByDigest(ctx, r.SetDigest)
	return err
}

// VillageRound returns a กชช. 2ค round by id, or NotFound.
func (s *Store) VillageRound(ctx context.Context, id string) (village.Round, error) {
	r, err := scanVillageRound(s.read.QueryRowContext(ctx, "SELECT "+villageRoundColumns+villageRoundsFrom+" WHERE r.id = $1", id))
	if err == sql.ErrNoRows {
		return r, apperr.New(apperr.NotFound, apperr.Tf("ไม่มีรอบ กชช. 2ค %s", "there is no กชช. 2ค round %s", id))
	}
	if err != nil {
		return r, mapErr(err)
	}
	return r, s.internVillageRound(ctx, r)
}

// VillageRounds lists the กชช. 2ค rounds, newest first.
func (s *Store) VillageRounds(ctx context.Context) ([]village.Round, error) {
	rows, err := s.read.QueryContext(ctx, "SELECT "+villageRoundColumns+villageRoundsFrom+" ORDER BY r.survey_year DESC")
	if err != nil {
		return nil, mapErr(err)
	}
	var out []village.Round
	for rows.Next() {
		r, err := scanVillageRound(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, mapErr(err)
	}
	for _, r := range out {
		if err := s.internVillageRound(ctx, r); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// PreviousVillageRound returns the latest round before r, or NotFound.
func (s *Store) PreviousVillageRound(ctx context.Context, r village.Round) (village.Round, error) {
	p, err := scanVillageRound(s.read.QueryRowContext(ctx, "SELECT "+villageRoundColumns+villageRoundsFrom+
		" WHERE r.survey_year < $1 ORDER BY r.survey_year DESC LIMIT 1", r.SurveyYear))
	if err == sql.ErrNoRows {
		return p, apperr.New(apperr.NotFound, apperr.Tf("ไม่มีรอบ กชช. 2ค ก่อน %s", "no กชช. 2ค round before %s", r.ID))
	}
	if err != nil {
		return p, mapErr(err)
	}
	return p, s.internVillageRound(ctx, p)
}

// WriteVillages stores village records in a round, all or nothing: a record
// is judged against the round's set, inserted, updated (version + 1) when
// its answers changed, or left alone. Any bad record (unknown village,
// repeated village, an answer the set refuses) writes nothing and is named.
func (s *Store) WriteVillages(ctx context.Context, roundID string, recs []village.Record, by string) (village.WriteSummary, error) {
	var sum village.WriteSummary
	rd, err := s.VillageRound(ctx, roundID)
	if err != nil {
		return sum, err
	}
	set, err := village.ForRound(rd)
	if err != nil {
		return sum, err
	}
	results := make([]village.Result, len(recs))
	seen := map[string]bool{}
	for i, rec := range recs {
		if seen[rec.Village] {
			return sum, apperr.New(apperr.Invalid, apperr.Tf("หมู่บ้าน %s ซ้ำ", "village %s is given twice", rec.Village))
		}
		seen[rec.Village] = true
		if results[i], err = set.Evaluate(rec.Answers); err != nil {
			return sum, apperr.Wrap(err, apperr.Invalid, apperr.Tf("หมู่บ้าน %s: %v", "village %s: %v", rec.Village, err))
		}
	}
	now := formatTime(s.now())
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		// Prepared once: a province is a thousand villages.
		prep := func(q string) (*sql.Stmt, error) { return tx.PrepareContext(ctx, q) }
		levelQ, err := prep("SELECT level FROM areas WHERE code = $1")
		if err != nil {
			return mapErr(err)
		}
		defer levelQ.Close()
		oldQ, err := prep("SELECT answers, version, level FROM village_records WHERE round_id = $1 AND village_code = $2" + s.dialect.forUpdate)
		if err != nil {
			return mapErr(err)
		}
		defer oldQ.Close()
		oldScoresQ, err := prep("SELECT indicator, score FROM village_scores WHERE round_id = $1 AND village_code = $2")
		if err != nil {
			return mapErr(err)
		}
		defer oldScoresQ.Close()
		counts := villageDeltas{}
		insert, err := prep(`INSERT INTO village_records (round_id, village_code, answers, level, serious, moderate, version, updated_at, updated_by)
			VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8)`)
		if err != nil {
			return mapErr(err)
		}
		defer insert.Close()
		scores, err := prep("INSERT INTO village_scores (round_id, village_code, indicator, score, value) VALUES " + s.dialect.rows(len(set.Indicators), 5))
		if err != nil {
			return mapErr(err)
		}
		defer scores.Close()
		args := make([]any, 0, 5*len(set.Indicators))
		for i, rec := range recs {
			var level int
			err := levelQ.QueryRowContext(ctx, rec.Village).Scan(&level)
			if err == sql.ErrNoRows || err == nil && area.Level(level) != area.Village {
				return apperr.New(apperr.Invalid, apperr.Tf("ไม่มีหมู่บ้านรหัส %s", "there is no village with the code %s", rec.Village))
			}
			if err != nil {
				return mapErr(err)
			}
			ans, err := json.Marshal(rec.Answers)
			if err != nil {
				return err
			}
			var old string
			var version, oldLevel int
			err = oldQ.QueryRowContext(ctx, rd.ID, rec.Village).Scan(&old, &version, &oldLevel)
			res := results[i]
			switch {
			case err == sql.ErrNoRows:
				_, err = insert.ExecContext(ctx, rd.ID, rec.Village, string(ans), res.Level, res.Serious, res.Moderate, now, by)
				sum.Inserted++
			case err != nil:
				return mapErr(err)
			case sameAnswers(old, rec.Answers):
				sum.Unchanged++
				continue
			default:
				if err := counts.remove(ctx, oldScoresQ, rd.ID, rec.Village, oldLevel); err != nil {
					return err
				}
				_, err = tx.ExecContext(ctx, `UPDATE village_records SET answers = $1, level = $2, serious = $3, moderate = $4, version = $5, updated_at = $6, updated_by = $7
					WHERE round_id = $8 AND village_code = $9`, string(ans), res.Level, res.Serious, res.Moderate, version+1, now, by, rd.ID, rec.Village)
				if err == nil {
					_, err = tx.ExecContext(ctx, "DELETE FROM village_scores WHERE round_id = $1 AND village_code = $2", rd.ID, rec.Village)
				}
				sum.Updated++
			}
			if err != nil {
				return mapErr(err)
			}
			args = args[:0]
			for _, sc := range res.Scores {
				args = append(args, rd.ID, rec.Village, sc.Indicator.Code, sc.Score, sc.Value)
				counts.add(rec.Village, sc.Indicator.Code, sc.Score, +1)
			}
			counts.add(rec.Village, "", res.Level, +1)
			if _, err := scores.ExecContext(ctx, args...); err != nil {
				return mapErr(err)
			}
		}
		if err := counts.write(ctx, tx, rd.ID); err != nil {
			return err
		}
		return s.bumpAreas(ctx, tx, counts.villages()...)
	})
	if err != nil {
		return village.WriteSummary{}, fmt.Errorf("write villages: %w", err)
	}
	return sum, nil
}

// villageDeltas are the changes a write makes to village_stats: per area
// (the village's tambon, amphoe and province: the country's counts are the
// sum of its provinces', so no row is written by two provinces' writes),
// per indicator (empty for the level) and score, villages added or taken
// away. Villages changed are kept with the empty key's area.
type villageDeltas map[villageStatKey]int

type villageStatKey struct {
	area, indicator string
	score           int
}

func (d villageDeltas) add(village, indicator string, score, n int) {
	for _, a := range [...]string{village[:2], village[:4], village[:6]} {
		d[villageStatKey{a, indicator, score}] += n
	}
	d[villageStatKey{area: village, score: -1}] = 0
}

// villages lists the villages the deltas come from.
func (d villageDeltas) villages() []string {
	var out []string
	for k := range d {
		if k.score == -1 {
			out = append(out, k.area)
		}
	}
	return out
}

// remove takes a stored village's level and scores out of the counts.
func (d villageDeltas) remove(ctx context.Context, oldScores *sql.Stmt, round, village string, level int) error {
	rows, err := oldScores.QueryContext(ctx, round, village)
	if err != nil {
		return mapErr(err)
	}
	defer rows.Close()
	for rows.Next() {
		var ind string
		var score int
		if err := rows.Scan(&ind, &score); err != nil {
			return err
		}
		d.add(village, ind, score, -1)
	}
	d.add(village, "", level, -1)
	return rows.Err()
}

// write adds the deltas to village_stats.
func (d villageDeltas) write(ctx context.Context, tx *sql.Tx, round string) error {
	if len(d) == 0 {
		return nil
	}
	up, err := tx.PrepareContext(ctx, `INSERT INTO village_stats (round_id, area_code, indicator, score, n) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (round_id, area_code, indicator, score) DO UPDATE SET n = village_stats.n + excluded.n`)
	if err != nil {
		return mapErr(err)
	}
	defer up.Close()
	// In key order, so that concurrent writers lock rows in one order and
	// cannot deadlock.
	keys := make([]villageStatKey, 0, len(d))
	for k, n := range d {
		if n != 0 {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(a, b villageStatKey) int {
		return cmp.Or(cmp.Compare(a.area, b.area), cmp.Compare(a.indicator, b.indicator), cmp.Compare(a.score, b.score))
	})
	for _, k := range keys {
		n := d[k]
		if _, err := up.ExecContext(ctx, round, k.area, k.indicator, k.score, n); err != nil {
			return mapErr(err)
		}
	}
	return nil
}

func sameAnswers(stored string, a village.Answers) bool {
	var old village.Answers
	return json.Unmarshal([]byte(stored), &old) == nil && maps.Equal(old, a)
}

// villageArea returns the condition that keeps the villages of an area and
// its arguments, numbered from n. Village codes start with their parents'
// codes, so an area is a range of codes, which the primary keys index
// (LIKE would not use them on SQLite).
func villageArea(areaCode string, n int) (string, []any) {
	if areaCode == area.CountryCode || areaCode == "" {
		return "", nil
	}
	return fmt.Sprintf(" AND village_code >= $%d AND village_code < $%d", n, n+1), []any{areaCode, areaCode + "~"}
}

// VillageRecord returns one village's record in a round, or NotFound.
func (s *Store) VillageRecord(ctx context.Context, round, code string) (village.Record, error) {
	var rec village.Record
	err := s.EachVillageRecord(ctx, round, code, func(r village.Record) error {
		if r.Village == code {
			rec = r
		}
		return nil
	})
	if err == nil && rec.Village == "" {
		err = apperr.New(apperr.NotFound, apperr.Tf("หมู่บ้าน %s ยังไม่มีข้อมูล กชช. 2ค รอบ %s", "village %s has no กชช. 2ค record in round %s", code, round))
	}
	return rec, err
}

// EachVillageRecord calls fn with every record of the villages in an area
// (any level), in village-code order.
func (s *Store) EachVillageRecord(ctx context.Context, round, areaCode string, fn func(village.Record) error) error {
	cond, args := villageArea(areaCode, 2)
	rows, err := s.read.QueryContext(ctx, `SELECT village_code, answers, version, updated_at, updated_by FROM village_records
		WHERE round_id = $1`+cond+" ORDER BY village_code", append([]any{round}, args...)...)
	if err != nil {
		return mapErr(err)
	}
	defer rows.Close()
	for rows.Next() {
		rec := village.Record{Round: round}
		var ans, at string
		if err := rows.Scan(&rec.Village, &ans, &rec.Version, &at, &rec.UpdatedBy); err != nil {
			return err
		}
		rec.UpdatedAt = parseTime(at)
		if err := json.Unmarshal([]byte(ans), &rec.Answers); err != nil {
			return fmt.Errorf("village %s: %w", rec.Village, err)
		}
		if err := fn(rec); err != nil {
			return err
		}
	}
	return rows.Err()
}

// VillageStandings lists the level and problem counts of the villages of an
// area in a round, in village-code order.
func (s *Store) VillageStandings(ctx context.Context, round, areaCode string) ([]village.Standing, error) {
	cond, args := villageArea(areaCode, 2)
	rows, err := s.read.QueryContext(ctx, `SELECT village_code, level, serious, moderate FROM village_records
		WHERE round_id = $1`+cond+" ORDER BY village_code", append([]any{round}, args...)...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []village.Standing
	for rows.Next() {
		var st village.Standing
		if err := rows.Scan(&st.Village, &st.Level, &st.Serious, &st.Moderate); err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, rows.Err()
}

// VillageCounts counts the villages of an area (any level) in a round by
// level and, per indicator, by score. Every figure is a count of village
// rows, so a parent's counts are exactly the sum of its children's.
//
// Above the village they come from village_stats, which every write keeps
// current, so the country costs what a tambon costs.
func (s *Store) VillageCounts(ctx context.Context, round, areaCode string) (village.Counts, error) {
	if areaCode == "" {
		areaCode = area.CountryCode
	}
	if areaCode == area.CountryCode { // the sum of the provinces: the country has no row
		return s.villageCounts(ctx, `SELECT indicator, score, CAST(sum(n) AS BIGINT) FROM village_stats WHERE round_id = $1 AND length(area_code) = 2
			GROUP BY indicator, score HAVING sum(n) <> 0`, round)
	}
	if lvl, ok := area.LevelOf(areaCode); ok && lvl != area.Village {
		return s.villageCounts(ctx, "SELECT indicator, score, n FROM village_stats WHERE round_id = $1 AND area_code = $2 AND n <> 0", round, areaCode)
	}
	// One village: count its record and scores directly.
	cond, args := villageArea(areaCode, 2)
	return s.villageCounts(ctx, "SELECT CAST('' AS TEXT), level, COUNT(*) FROM village_records WHERE round_id = $1"+cond+" GROUP BY level"+
		" UNION ALL SELECT indicator, score, COUNT(*) FROM village_scores WHERE round_id = $1"+cond+" GROUP BY indicator, score",
		append([]any{round}, args...)...)
}

// VillageProblems returns, for an area (a village or any parent), the
// กชช. 2ค indicators scored as problems (1 or 2) in a round, in set order,
// each with the villages behind it (serious first, then by code). An area
// with no problems gives an empty list; an unknown round is NotFound.
func (s *Store) VillageProblems(ctx context.Context, round, areaCode string) ([]village.Problem, error) {
	rd, err := s.VillageRound(ctx, round)
	if err != nil {
		return nil, err
	}
	set, err := village.ForRound(rd)
	if err != nil {
		return nil, err
	}
	cond, args := villageArea(areaCode, 2)
	rows, err := s.read.QueryContext(ctx, `SELECT indicator, village_code, score, value FROM village_scores
		WHERE round_id = $1 AND score < 3`+cond+" ORDER BY indicator, score, village_code", append([]any{round}, args...)...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	byCode := map[string]*village.Problem{}
	for rows.Next() {
		var code string
		var vs village.VillageScore
		if err := rows.Scan(&code, &vs.Village, &vs.Score, &vs.Value); err != nil {
			return nil, err
		}
		p := byCode[code]
		if p == nil {
			p = &village.Problem{Code: code}
			if ind, ok := set.Indicator(code); ok {
				p.Number, p.Name, p.Group, p.Uncertain = ind.Number, ind.Name, ind.Group, ind.Provenance.Uncertain()
			}
			byCode[code] = p
		}
		p.Villages = append(p.Villages, vs)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := []village.Problem{}
	for _, ind := range set.Indicators {
		if p := byCode[ind.Code]; p != nil {
			out = append(out, *p)
		}
	}
	return out, nil
}

// villageCounts reads counts as rows of (indicator, score, villages), the
// empty indicator holding the villages by level.
func (s *Store) villageCounts(ctx context.Context, query string, args ...any) (village.Counts, error) {
	c := village.NewCounts()
	rows, err := s.read.QueryContext(ctx, query, args...)
	if err != nil {
		return c, mapErr(err)
	}
	defer rows.Close()
	for rows.Next() {
		var ind string
		var score, n int
		if err := rows.Scan(&ind, &score, &n); err != nil {
			return c, err
		}
		switch {
		case ind == "":
			if score >= 1 && score <= 3 {
				c.ByLevel[score] += n
			}
			c.Villages += n
		case score >= 1 && score <= 3:
			m := c.ByScore[ind]
			m[score] += n
			c.ByScore[ind] = m
		}
	}
	return c, rows.Err()
}
