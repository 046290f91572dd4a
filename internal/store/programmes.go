package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"tambon/internal/apperr"
	"tambon/internal/programme"
)

// Programmes: see internal/programme. A participant's fields and a
// programme's rubric are stored as JSON: they differ by type.

// CreateProgramme stores a programme with its rubric (the type's unless given).
func (s *Store) CreateProgramme(ctx context.Context, p programme.Programme) (programme.Programme, error) {
	if err := p.Validate(); err != nil {
		return p, err
	}
	crit, _ := json.Marshal(p.Criteria)
	p.CreatedAt = s.now()
	err := s.write.QueryRowContext(ctx, `INSERT INTO programmes (type, title, area_code, fiscal_year, phase, quota, criteria, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`, p.Type, p.Title, p.AreaCode, p.FiscalYear, p.Phase, p.Quota, string(crit),
		p.CreatedBy, formatTime(p.CreatedAt)).Scan(&p.ID)
	if err != nil {
		return p, fmt.Errorf("create programme: %w", mapErr(err))
	}
	return p, nil
}

// SetRubric replaces a programme's criteria and weights.
func (s *Store) SetRubric(ctx context.Context, id int64, cs []programme.Criterion) error {
	if err := programme.CheckRubric(cs); err != nil {
		return err
	}
	b, _ := json.Marshal(cs)
	res, err := s.write.ExecContext(ctx, "UPDATE programmes SET criteria = $1 WHERE id = $2", string(b), id)
	if err != nil {
		return mapErr(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return programmeNotFound(id)
	}
	return nil
}

func programmeNotFound(id int64) error {
	return apperr.New(apperr.NotFound, apperr.Tf("ไม่มีโครงการหมายเลข %d", "no programme has the id %d", id))
}

const programmeColumns = "id, type, title, area_code, fiscal_year, phase, quota, criteria, created_by, created_at"

func scanProgramme(row interface{ Scan(...any) error }) (programme.Programme, error) {
	var p programme.Programme
	var crit, at string
	if err := row.Scan(&p.ID, &p.Type, &p.Title, &p.AreaCode, &p.FiscalYear, &p.Phase, &p.Quota, &crit, &p.CreatedBy, &at); err != nil {
		return p, err
	}
	p.CreatedAt = parseTime(at)
	return p, json.Unmarshal([]byte(crit), &p.Criteria)
}

// Programme returns one programme.
func (s *Store) Programme(ctx context.Context, id int64) (programme.Programme, error) {
	p, err := scanProgramme(s.read.QueryRowContext(ctx, "SELECT "+programmeColumns+" FROM programmes WHERE id = $1", id))
	if err == sql.ErrNoRows {
		return p, programmeNotFound(id)
	}
	return p, mapErr(err)
}

// Programmes lists the programmes of an area and every area inside it, and
// the programmes run above it that an area inside it takes part in (the
// province's model-tambon selection, for the tambon chosen).
func (s *Store) Programmes(ctx context.Context, area string) ([]programme.Programme, error) {
	if area == "TH" {
		area = ""
	}
	if strings.Trim(area, "0123456789") != "" {
		return nil, apperr.New(apperr.Invalid, apperr.Tf("รหัสพื้นที่ %q ต้องเป็นตัวเลข", "the area code %q must be digits", area))
	}
	rows, err := s.read.QueryContext(ctx, "SELECT "+programmeColumns+` FROM programmes
		WHERE area_code LIKE $1 OR id IN (SELECT programme_id FROM programme_participants WHERE area_code LIKE $1)
		ORDER BY fiscal_year DESC, type, id`, area+"%")
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []programme.Programme
	for rows.Next() {
		p, err := scanProgramme(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// AddParticipant stores a participant. It must lie in the programme's area;
// a household must be one of the survey's, in that area; the quota holds.
func (s *Store) AddParticipant(ctx context.Context, pt programme.Participant) (programme.Participant, error) {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		p, err := scanProgramme(tx.QueryRowContext(ctx, "SELECT "+programmeColumns+" FROM programmes WHERE id = $1", pt.ProgrammeID))
		if err == sql.ErrNoRows {
			return programmeNotFound(pt.ProgrammeID)
		}
		if err != nil {
			return mapErr(err)
		}
		t, err := programme.Lookup(p.Type)
		if err != nil {
			return err
		}
		if pt.HouseholdID != 0 {
			where, args, err := householdByID(ctx, tx, s.dialect, pt.HouseholdID, 1)
			if err != nil {
				return err
			}
			err = tx.QueryRowContext(ctx, "SELECT village_code FROM households WHERE "+where, args...).Scan(&pt.AreaCode)
			if err == sql.ErrNoRows {
				return apperr.New(apperr.NotFound, apperr.Tf("ไม่มีครัวเรือนหมายเลข %d", "no household has the id %d", pt.HouseholdID))
			}
			if err != nil {
				return mapErr(err)
			}
		}
		if pt.Fields == nil {
			pt.Fields = map[string]string{}
		}
		if t.Stages != nil && pt.Status != "" && pt.Status != t.Statuses[0] {
			return apperr.New(apperr.Invalid, apperr.T("ผู้ถูกเสนอชื่อเริ่มที่ขั้นแรกเสมอ แล้วจึงเลื่อนขั้นทีละขั้นในหน้าของผู้ถูกเสนอชื่อ",
				"a nominee starts at the first stage and moves on stage by stage, on the nominee's page"))
		}
		if err := pt.Validate(t); err != nil {
			return err
		}
		if p.AreaCode != "TH" && !strings.HasPrefix(pt.AreaCode, p.AreaCode) {
			return apperr.New(apperr.Invalid, apperr.Tf("พื้นที่ %s อยู่นอกพื้นที่ของโครงการ (%s)", "area %s lies outside the programme's area (%s)", pt.AreaCode, p.AreaCode))
		}
		if p.Quota > 0 {
			var n int
			if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM programme_participants WHERE programme_id = $1", p.ID).Scan(&n); err != nil {
				return mapErr(err)
			}
			if n >= p.Quota {
				return apperr.New(apperr.Conflict, apperr.Tf("โครงการนี้มีผู้เข้าร่วมครบโควตา %d แล้ว", "this programme has reached its quota of %d", p.Quota))
			}
		}
		fields, _ := json.Marshal(pt.Fields)
		var hh any
		if pt.HouseholdID != 0 {
			hh = pt.HouseholdID
		}
		return mapErr(tx.QueryRowContext(ctx, `INSERT INTO programme_participants (programme_id, name, area_code, household_id, level, status, fields, action_plan)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, pt.ProgrammeID, pt.Name, pt.AreaCode, hh, pt.Level, pt.Status, string(fields), pt.ActionPlan).Scan(&pt.ID))
	})
	if err != nil {
		return pt, fmt.Errorf("add participant: %w", err)
	}
	return pt, nil
}

// Participants lists a programme's participants in the order they joined.
func (s *Store) Participants(ctx context.Context, programmeID int64) ([]programme.Participant, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, programme_id, name, area_code, COALESCE(household_id, 0), level, status, fields, action_plan
		FROM programme_participants WHERE programme_id = $1 ORDER BY id`, programmeID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []programme.Participant
	for rows.Next() {
		var pt programme.Participant
		var fields string
		if err := rows.Scan(&pt.ID, &pt.ProgrammeID, &pt.Name, &pt.AreaCode, &pt.HouseholdID, &pt.Level, &pt.Status, &fields, &pt.ActionPlan); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(fields), &pt.Fields); err != nil {
			return nil, err
		}
		out = append(out, pt)
	}
	return out, rows.Err()
}

// participantOf checks that a participant belongs to a programme and returns its type.
func participantOf(ctx context.Context, q querier, programmeID, participantID int64) (programme.Programme, error) {
	p, err := scanProgramme(q.QueryRowContext(ctx, "SELECT "+programmeColumns+" FROM programmes WHERE id = $1", programmeID))
	if err == sql.ErrNoRows {
		return p, programmeNotFound(programmeID)
	}
	if err != nil {
		return p, mapErr(err)
	}
	var n int
	if err := q.QueryRowContext(ctx, "SELECT count(*) FROM programme_participants WHERE id = $1 AND programme_id = $2", participantID, programmeID).Scan(&n); err != nil {
		return p, mapErr(err)
	}
	if n == 0 {
		return p, apperr.New(apperr.Invalid, apperr.Tf("ผู้เข้าร่วมหมายเลข %d ไม่ได้อยู่ในโครงการนี้", "participant %d is not in this programme", participantID))
	}
	return p, nil
}

// MarkStep records a step done by a participant, with its evidence.
func (s *Store) MarkStep(ctx context.Context, programmeID int64, d programme.StepDone) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		p, err := participantOf(ctx, tx, programmeID, d.ParticipantID)
		if err != nil {
			return err
		}
		t, _ := programme.Lookup(p.Type)
		known := false
		for _, st := range t.Steps {
			known = known || st.Key == d.Step
		}
		if !known || d.Date.IsZero() {
			return apperr.New(apperr.Invalid, apperr.Tf("ขั้นตอน %q ไม่มีในโครงการนี้ หรือไม่ได้ระบุวันที่", "step %q is not one of this programme's, or no date was given", d.Step))
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO programme_steps (participant_id, step, done_on, evidence, by_user) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (participant_id, step) DO UPDATE SET done_on = excluded.done_on, evidence = excluded.evidence, by_user = excluded.by_user`,
			d.ParticipantID, d.Step, formatDay(d.Date), strings.TrimSpace(d.Evidence), d.By)
		return mapErr(err)
	})
}

// Steps lists the steps done in a programme.
func (s *Store) Steps(ctx context.Context, programmeID int64) ([]programme.StepDone, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT s.participant_id, s.step, s.done_on, s.evidence, s.by_user FROM programme_steps s
		JOIN programme_participants p ON p.id = s.participant_id WHERE p.programme_id = $1 ORDER BY s.participant_id, s.done_on`, programmeID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []programme.StepDone
	for rows.Next() {
		var d programme.StepDone
		var day string
		if err := rows.Scan(&d.ParticipantID, &d.Step, &day, &d.Evidence, &d.By); err != nil {
			return nil, err
		}
		d.Date = parseDay(day)
		out = append(out, d)
	}
	return out, rows.Err()
}

// SetScores records one judge's scores of a participant (0-100 each),
// replacing that judge's earlier ones, in one transaction.
func (s *Store) SetScores(ctx context.Context, programmeID int64, scores []programme.Score) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		for _, sc := range scores {
			p, err := participantOf(ctx, tx, programmeID, sc.ParticipantID)
			if err != nil {
				return err
			}
			known := false
			for _, c := range p.Criteria {
				known = known || c.Key == sc.Criterion
			}
			switch {
			case !known:
				return apperr.New(apperr.Invalid, apperr.Tf("เกณฑ์ %q ไม่มีในโครงการนี้", "criterion %q is not one of this programme's", sc.Criterion))
			case sc.Score < 0 || sc.Score > 100:
				return apperr.New(apperr.Invalid, apperr.Tf("คะแนนต้องอยู่ระหว่าง 0 ถึง 100 (ได้ %g)", "a score must be between 0 and 100 (got %g)", sc.Score))
			case strings.TrimSpace(sc.Judge) == "":
				return apperr.New(apperr.Invalid, apperr.T("ต้องระบุกรรมการผู้ให้คะแนน", "name the judge"))
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO programme_scores (participant_id, criterion, judge, score) VALUES ($1, $2, $3, $4)
				ON CONFLICT (participant_id, criterion, judge) DO UPDATE SET score = excluded.score`, sc.ParticipantID, sc.Criterion, sc.Judge, sc.Score); err != nil {
				return mapErr(err)
			}
		}
		return nil
	})
}

// Scores lists a programme's committee scores.
func (s *Store) Scores(ctx context.Context, programmeID int64) ([]programme.Score, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT s.participant_id, s.criterion, s.judge, s.score FROM programme_scores s
		JOIN programme_participants p ON p.id = s.participant_id WHERE p.programme_id = $1 ORDER BY s.participant_id, s.judge`, programmeID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []programme.Score
	for rows.Next() {
		var sc programme.Score
		if err := rows.Scan(&sc.ParticipantID, &sc.Criterion, &sc.Judge, &sc.Score); err != nil {
			return nil, err
		}
		out = append(out, sc)
	}
	return out, rows.Err()
}
