package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"tambon/internal/apperr"
	"tambon/internal/programme"
	"tambon/internal/thai"
)

// Participants after enrolment: their values changed with history, and a
// nomination's stage moves. See internal/programme/progress.go.

const participantColumns = "id, programme_id, name, area_code, COALESCE(household_id, 0), level, status, fields, action_plan"

func scanParticipant(row interface{ Scan(...any) error }) (programme.Participant, error) {
	var pt programme.Participant
	var fields string
	if err := row.Scan(&pt.ID, &pt.ProgrammeID, &pt.Name, &pt.AreaCode, &pt.HouseholdID, &pt.Level, &pt.Status, &fields, &pt.ActionPlan); err != nil {
		return pt, err
	}
	return pt, json.Unmarshal([]byte(fields), &pt.Fields)
}

// participantIn returns a participant of a programme, with the programme
// and its type; a participant of another programme is refused as not in it.
func (s *Store) participantIn(ctx context.Context, q querier, programmeID, id int64) (programme.Programme, programme.Type, programme.Participant, error) {
	p, err := participantOf(ctx, q, programmeID, id)
	if err != nil {
		return p, programme.Type{}, programme.Participant{}, err
	}
	t, err := programme.Lookup(p.Type)
	if err != nil {
		return p, t, programme.Participant{}, err
	}
	pt, err := scanParticipant(q.QueryRowContext(ctx, "SELECT "+participantColumns+" FROM programme_participants WHERE id = $1"+s.dialect.forUpdate, id))
	return p, t, pt, mapErr(err)
}

// UpdateParticipant changes a participant's status, level, action plan
// and fields (its name, place and household stay) and keeps each value
// changed as a Change by whom, with the note, in one transaction. Nothing
// changed is no error and writes nothing. A staged programme's status
// moves only through MoveStage.
func (s *Store) UpdateParticipant(ctx context.Context, programmeID int64, pt programme.Participant, by, note string) ([]programme.Change, error) {
	if err := programme.CheckNote(&note); err != nil {
		return nil, err
	}
	var out []programme.Change
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		_, t, was, err := s.participantIn(ctx, tx, programmeID, pt.ID)
		if err != nil {
			return err
		}
		is := was
		is.Level, is.Status, is.ActionPlan = pt.Level, pt.Status, pt.ActionPlan
		if is.Status == "" {
			is.Status = was.Status // a form without the status leaves it as it is
		}
		is.Fields = map[string]string{}
		for k, v := range pt.Fields {
			is.Fields[k] = v
		}
		if t.Stages != nil && is.Status != was.Status {
			return apperr.New(apperr.Invalid, apperr.T("สถานะของผู้ถูกเสนอชื่อเปลี่ยนได้ด้วยการเลื่อนขั้นเท่านั้น", "a nominee's status changes only by moving it to another stage"))
		}
		if err := is.Validate(t); err != nil {
			return err
		}
		// A field the type no longer lists, or one left out of the form, keeps its value.
		for k, v := range was.Fields {
			if _, ok := is.Fields[k]; !ok {
				is.Fields[k] = v
			}
		}
		out = programme.Changes(t, was, is)
		if len(out) == 0 {
			return nil
		}
		fields, _ := json.Marshal(is.Fields)
		if _, err := tx.ExecContext(ctx, "UPDATE programme_participants SET level = $1, status = $2, fields = $3, action_plan = $4 WHERE id = $5",
			is.Level, is.Status, string(fields), is.ActionPlan, is.ID); err != nil {
			return mapErr(err)
		}
		now := s.now()
		for i := range out {
			c := &out[i]
			c.Note, c.By, c.At = note, by, now
			if err := tx.QueryRowContext(ctx, `INSERT INTO programme_changes (participant_id, field, old_value, new_value, note, by_user, changed_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, c.ParticipantID, c.Field, c.Old, c.New, c.Note, c.By, formatTime(now)).Scan(&c.ID); err != nil {
				return mapErr(err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("update participant %d: %w", pt.ID, err)
	}
	return out, nil
}

// ParticipantChanges lists the changes of a programme's participants,
// oldest first.
func (s *Store) ParticipantChanges(ctx context.Context, programmeID int64) ([]programme.Change, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT c.id, c.participant_id, c.field, c.old_value, c.new_value, c.note, c.by_user, c.changed_at
		FROM programme_changes c JOIN programme_participants p ON p.id = c.participant_id
		WHERE p.programme_id = $1 ORDER BY c.changed_at, c.id`, programmeID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []programme.Change
	for rows.Next() {
		var c programme.Change
		var at string
		if err := rows.Scan(&c.ID, &c.ParticipantID, &c.Field, &c.Old, &c.New, &c.Note, &c.By, &at); err != nil {
			return nil, err
		}
		c.At = parseTime(at)
		out = append(out, c)
	}
	return out, rows.Err()
}

// MoveStage moves a nominee to another stage on a day (programme.Type.CheckMove:
// forward one stage, or back by an administrator with a reason). The day
// is neither in the future nor before the nominee's last move.
func (s *Store) MoveStage(ctx context.Context, programmeID int64, m programme.StageMove, mayReverse bool) (programme.StageMove, error) {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		_, t, pt, err := s.participantIn(ctx, tx, programmeID, m.ParticipantID)
		if err != nil {
			return err
		}
		m.From = pt.Status
		if err := t.CheckMove(&m, mayReverse); err != nil {
			return err
		}
		if formatDay(m.Date) > formatDay(s.now().In(thai.Bangkok())) {
			return apperr.New(apperr.Invalid, apperr.Tf("วันที่ %[1]s ยังมาไม่ถึง", "the date %[2]s is in the future", thai.FormatDate(m.Date, thai.DateShort), m.Date.Format(time.DateOnly)))
		}
		var last sql.NullString
		if err := tx.QueryRowContext(ctx, "SELECT max(moved_on) FROM programme_stage_moves WHERE participant_id = $1", m.ParticipantID).Scan(&last); err != nil {
			return mapErr(err)
		}
		if last.Valid && formatDay(m.Date) < last.String {
			d := parseDay(last.String)
			return apperr.New(apperr.Invalid, apperr.Tf("วันที่ต้องไม่ก่อนการเลื่อนขั้นครั้งก่อน (%[1]s)", "the date must not be before the last move (%[2]s)", thai.FormatDate(d, thai.DateShort), d.Format(time.DateOnly)))
		}
		if _, err := tx.ExecContext(ctx, "UPDATE programme_participants SET status = $1 WHERE id = $2", m.To, m.ParticipantID); err != nil {
			return mapErr(err)
		}
		m.At = s.now()
		return mapErr(tx.QueryRowContext(ctx, `INSERT INTO programme_stage_moves (participant_id, from_stage, to_stage, moved_on, reason, by_user, recorded_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, m.ParticipantID, m.From, m.To, formatDay(m.Date), m.Reason, m.By, formatTime(m.At)).Scan(&m.ID))
	})
	if err != nil {
		return m, fmt.Errorf("move participant %d: %w", m.ParticipantID, err)
	}
	return m, nil
}

// StageMoves lists the stage moves of a programme's participants, in the
// order they were made.
func (s *Store) StageMoves(ctx context.Context, programmeID int64) ([]programme.StageMove, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT m.id, m.participant_id, m.from_stage, m.to_stage, m.moved_on, m.reason, m.by_user, m.recorded_at
		FROM programme_stage_moves m JOIN programme_participants p ON p.id = m.participant_id
		WHERE p.programme_id = $1 ORDER BY m.id`, programmeID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []programme.StageMove
	for rows.Next() {
		var m programme.StageMove
		var day, at string
		if err := rows.Scan(&m.ID, &m.ParticipantID, &m.From, &m.To, &day, &m.Reason, &m.By, &at); err != nil {
			return nil, err
		}
		m.Date, m.At = parseDay(day), parseTime(at)
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return out, nil
	}
	p, err := s.Programme(ctx, programmeID)
	if err != nil {
		return nil, err
	}
	t, err := programme.Lookup(p.Type)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Back = indexOf(t.Statuses, out[i].To) < indexOf(t.Statuses, out[i].From)
	}
	return out, nil
}

func indexOf(xs []string, x string) int {
	for i, v := range xs {
		if v == x {
			return i
		}
	}
	return -1
}

// WithClock returns a handle on the same database that stamps what it
// writes with now's time: the demo records its story's changes on the
// days they happened. It shares the original's connections, so only the
// original is closed.
func (s *Store) WithClock(now func() time.Time) *Store {
	c := *s
	c.now = now
	return &c
}
