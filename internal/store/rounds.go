package store

import (
	"context"
	"database/sql"

	"tambon/internal/apperr"
	"tambon/internal/survey"
)

// CreateRound stores a new round; an existing id is a conflict.
func (s *Store) CreateRound(ctx context.Context, r survey.Round) error {
	return s.inTx(ctx, func(tx *sql.Tx) error { return s.createRound(ctx, tx, r) })
}

// createRound is CreateRound inside a transaction.
func (s *Store) createRound(ctx context.Context, tx *sql.Tx, r survey.Round) error {
	err := func() error {
		// A round is pinned to the newest version of its set.
		version, err := latestVersion(ctx, tx, SetKindHousehold, r.SetID)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO rounds (id, kind, survey_year, set_id, aggregate_only, source, created_at, set_version)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, r.ID, string(r.Kind), r.SurveyYear, r.SetID, r.AggregateOnly, r.Source, formatTime(s.now()), version); err != nil {
			return mapErr(err)
		}
		if s.dialect == dialectPostgres {
			if done, err := householdsPartitioned(ctx, tx); err != nil {
				return err
			} else if done {
				if err := partitionRound(ctx, tx, r.ID); err != nil {
					return err
				}
			}
		}
		return bumpGeneration(ctx, tx)
	}()
	if apperr.Is(mapErr(err), apperr.Conflict) {
		return apperr.Wrap(err, apperr.Conflict, apperr.Tf("มีรอบสำรวจ %s อยู่แล้ว", "the round %s exists already", r.ID))
	}
	return mapErr(err)
}

func scanRound(row interface{ Scan(...any) error }) (survey.Round, error) {
	var r survey.Round
	var kind, created string
	err := row.Scan(&r.ID, &kind, &r.SurveyYear, &r.SetID, &r.AggregateOnly, &r.Source, &created, &r.SetVersion, &r.SetDigest)
	r.Kind = survey.Kind(kind)
	r.CreatedAt = parseTime(created)
	return r, err
}

// roundColumns reads a round with the digest of the set version it is
// pinned to; roundsFrom joins the two.
const (
	roundColumns = "r.id, r.kind, r.survey_year, r.set_id, r.aggregate_only, r.source, r.created_at, r.set_version, COALESCE(x.digest, '')"
	roundsFrom   = " FROM rounds r LEFT JOIN indicator_sets x ON x.kind = r.kind AND x.id = r.set_id AND x.version = r.set_version"
)

// internRound compiles the set file a round is pinned to, once per process,
// so that engine.ForRound finds it by digest.
func (s *Store) internRound(ctx context.Context, r survey.Round) error {
	if r.SetDigest == "" {
		return nil
	}
	_, err := s.householdSetByDigest(ctx, r.SetDigest)
	return err
}

// Round returns a round by id.
func (s *Store) Round(ctx context.Context, id string) (survey.Round, error) {
	r, err := scanRound(s.read.QueryRowContext(ctx, "SELECT "+roundColumns+roundsFrom+" WHERE r.id = $1", id))
	if err == sql.ErrNoRows {
		return r, apperr.New(apperr.NotFound, apperr.Tf(
			"ไม่มีรอบสำรวจ %s (ดูรายการด้วย tambon rounds)", "there is no round %s (list them with tambon rounds)", id))
	}
	if err != nil {
		return r, mapErr(err)
	}
	return r, s.internRound(ctx, r)
}

// Rounds lists the rounds, newest survey year first.
func (s *Store) Rounds(ctx context.Context) ([]survey.Round, error) {
	rows, err := s.read.QueryContext(ctx, "SELECT "+roundColumns+roundsFrom+" ORDER BY r.survey_year DESC, r.id")
	if err != nil {
		return nil, mapErr(err)
	}
	var out []survey.Round
	for rows.Next() {
		r, err := scanRound(rows)
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
		if err := s.internRound(ctx, r); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// PreviousRound returns the latest round of the same kind before r, or
// NotFound.
func (s *Store) PreviousRound(ctx context.Context, r survey.Round) (survey.Round, error) {
	p, err := scanRound(s.read.QueryRowContext(ctx, "SELECT "+roundColumns+roundsFrom+
		" WHERE r.kind = $1 AND r.survey_year < $2 ORDER BY r.survey_year DESC, r.aggregate_only ASC LIMIT 1", string(r.Kind), r.SurveyYear))
	if err == sql.ErrNoRows {
		return p, apperr.New(apperr.NotFound, apperr.Tf("ไม่มีรอบก่อน %s", "no round before %s", r.ID))
	}
	if err != nil {
		return p, mapErr(err)
	}
	return p, s.internRound(ctx, p)
}

// requireRound fails unless the round exists and holds households.
func requireHouseholdRound(ctx context.Context, q querier, id string) error {
	var agg bool
	err := q.QueryRowContext(ctx, "SELECT aggregate_only FROM rounds WHERE id = $1", id).Scan(&agg)
	return householdRoundErr(id, agg, err)
}

// householdRoundErr is requireHouseholdRound's answer from what it read:
// the round's aggregate_only flag, or the error of reading it.
func householdRoundErr(id string, agg bool, err error) error {
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
