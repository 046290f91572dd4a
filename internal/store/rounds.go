package store

import (
	"context"
	"database/sql"

	"tambon/internal/apperr"
	"tambon/internal/survey"
)

// CreateRound stores a new round; an existing id is a conflict.
func (s *Store) CreateRound(ctx context.Context, r survey.Round) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO rounds (id, kind, survey_year, set_id, aggregate_only, source, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, r.ID, string(r.Kind), r.SurveyYear, r.SetID, r.AggregateOnly, r.Source, formatTime(s.now())); err != nil {
			return mapErr(err)
		}
		return bumpGeneration(ctx, tx)
	})
	if apperr.Is(mapErr(err), apperr.Conflict) {
		return apperr.Wrap(err, apperr.Conflict, apperr.Tf("มีรอบสำรวจ %s อยู่แล้ว", "the round %s exists already", r.ID))
	}
	return mapErr(err)
}

func scanRound(row interface{ Scan(...any) error }) (survey.Round, error) {
	var r survey.Round
	var kind, created string
	err := row.Scan(&r.ID, &kind, &r.SurveyYear, &r.SetID, &r.AggregateOnly, &r.Source, &created)
	r.Kind = survey.Kind(kind)
	r.CreatedAt = parseTime(created)
	return r, err
}

const roundColumns = "id, kind, survey_year, set_id, aggregate_only, source, created_at"

// Round returns a round by id.
func (s *Store) Round(ctx context.Context, id string) (survey.Round, error) {
	r, err := scanRound(s.read.QueryRowContext(ctx, "SELECT "+roundColumns+" FROM rounds WHERE id = $1", id))
	if err == sql.ErrNoRows {
		return r, apperr.New(apperr.NotFound, apperr.Tf(
			"ไม่มีรอบสำรวจ %s (ดูรายการด้วย tambon rounds)", "there is no round %s (list them with tambon rounds)", id))
	}
	return r, mapErr(err)
}

// Rounds lists the rounds, newest survey year first.
func (s *Store) Rounds(ctx context.Context) ([]survey.Round, error) {
	rows, err := s.read.QueryContext(ctx, "SELECT "+roundColumns+" FROM rounds ORDER BY survey_year DESC, id")
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []survey.Round
	for rows.Next() {
		r, err := scanRound(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// PreviousRound returns the latest round of the same kind before r, or
// NotFound.
func (s *Store) PreviousRound(ctx context.Context, r survey.Round) (survey.Round, error) {
	p, err := scanRound(s.read.QueryRowContext(ctx, "SELECT "+roundColumns+
		" FROM rounds WHERE kind = $1 AND survey_year < $2 ORDER BY survey_year DESC, aggregate_only ASC LIMIT 1", string(r.Kind), r.SurveyYear))
	if err == sql.ErrNoRows {
		return p, apperr.New(apperr.NotFound, apperr.Tf("ไม่มีรอบก่อน %s", "no round before %s", r.ID))
	}
	return p, mapErr(err)
}

// requireRound fails unless the round exists and holds households.
func requireHouseholdRound(ctx context.Context, q querier, id string) error {
	var agg bool
	err := q.QueryRowContext(ctx, "SELECT aggregate_only FROM rounds WHERE id = $1", id).Scan(&agg)
	if err == sql.ErrNoRows {
		return apperr.New(apperr.NotFound, apperr.Tf("ไม่มีรอบสำรวจ %s", "there is no round %s", id))
	}
	if err != nil {
		return mapErr(err)
	}
	if agg {
		return apperr.New(apperr.Invalid, apperr.Tf(
			"รอบ %s เป็นข้อมูลสรุปที่เผยแพร่แล้ว ไม่มีข้อมูลรายครัวเรือน", "round %s holds published aggregates only, not households", id))
	}
	return nil
}

// querier is what both *sql.DB and *sql.Tx offer.
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}
