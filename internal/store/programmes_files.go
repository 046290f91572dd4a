package store

import (
	"context"
	"database/sql"
	"fmt"

	"tambon/internal/apperr"
	"tambon/internal/programme"
)

// AddProgrammeFile stores an evidence document of a participant (for a
// step of the programme's type when f.Step is set). Nothing is written
// when the file or the participant is refused.
func (s *Store) AddProgrammeFile(ctx context.Context, programmeID int64, f programme.File, data []byte) (programme.File, error) {
	if err := programme.CheckFile(&f, len(data)); err != nil {
		return f, err
	}
	f.At = s.now()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		p, err := participantOf(ctx, tx, programmeID, f.ParticipantID)
		if err != nil {
			return err
		}
		if f.Step != "" {
			t, _ := programme.Lookup(p.Type)
			known := false
			for _, st := range t.Steps {
				known = known || st.Key == f.Step
			}
			if !known {
				return apperr.New(apperr.Invalid, apperr.Tf("ขั้นตอน %q ไม่มีในโครงการนี้", "step %q is not one of this programme's", f.Step))
			}
		}
		return mapErr(tx.QueryRowContext(ctx, `INSERT INTO programme_files (participant_id, step, name, content_type, size, data, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
			f.ParticipantID, f.Step, f.Name, f.ContentType, f.Size, data, f.By, formatTime(f.At)).Scan(&f.ID))
	})
	if err != nil {
		return f, fmt.Errorf("add evidence file to programme %d: %w", programmeID, err)
	}
	return f, nil
}

// DeleteProgrammeFile removes an evidence document put on the wrong
// participant or step, and returns what it was; a document of another
// programme is NotFound.
func (s *Store) DeleteProgrammeFile(ctx context.Context, programmeID, id int64) (programme.File, error) {
	var f programme.File
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		f, err = scanProgrammeFile(tx.QueryRowContext(ctx, "SELECT "+programmeFileColumns+` FROM programme_files f
			JOIN programme_participants p ON p.id = f.participant_id WHERE f.id = $1 AND p.programme_id = $2`, id, programmeID))
		if err == sql.ErrNoRows {
			return apperr.New(apperr.NotFound, apperr.T("ไม่พบไฟล์หลักฐานนี้", "no such evidence file"))
		}
		if err != nil {
			return mapErr(err)
		}
		_, err = tx.ExecContext(ctx, "DELETE FROM programme_files WHERE id = $1", id)
		return mapErr(err)
	})
	return f, err
}

const programmeFileColumns = "f.id, f.participant_id, f.step, f.name, f.content_type, f.size, f.created_by, f.created_at"

func scanProgrammeFile(row interface{ Scan(...any) error }, more ...any) (programme.File, error) {
	var f programme.File
	var at string
	err := row.Scan(append([]any{&f.ID, &f.ParticipantID, &f.Step, &f.Name, &f.ContentType, &f.Size, &f.By, &at}, more...)...)
	f.At = parseTime(at)
	return f, err
}

// ProgrammeFiles lists a programme's evidence documents, without their bytes.
func (s *Store) ProgrammeFiles(ctx context.Context, programmeID int64) ([]programme.File, error) {
	rows, err := s.read.QueryContext(ctx, "SELECT "+programmeFileColumns+` FROM programme_files f
		JOIN programme_participants p ON p.id = f.participant_id WHERE p.programme_id = $1 ORDER BY f.participant_id, f.step, f.id`, programmeID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []programme.File
	for rows.Next() {
		f, err := scanProgrammeFile(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// ProgrammeFile returns one evidence document with its bytes, and the
// programme it belongs to, so the caller can decide who may have it.
func (s *Store) ProgrammeFile(ctx context.Context, id int64) (programme.File, int64, []byte, error) {
	var data []byte
	var prog int64
	f, err := scanProgrammeFile(s.read.QueryRowContext(ctx, "SELECT "+programmeFileColumns+`, p.programme_id, f.data FROM programme_files f
		JOIN programme_participants p ON p.id = f.participant_id WHERE f.id = $1`, id), &prog, &data)
	if err == sql.ErrNoRows {
		return f, 0, nil, apperr.New(apperr.NotFound, apperr.Tf("ไม่พบไฟล์หลักฐานหมายเลข %d", "no evidence file number %d", id))
	}
	if err != nil {
		return f, 0, nil, fmt.Errorf("evidence file %d: %w", id, mapErr(err))
	}
	return f, prog, data, nil
}

// SetSelfAssessment records a participant's own scores and reasons,
// replacing earlier ones criterion by criterion, in one transaction.
func (s *Store) SetSelfAssessment(ctx context.Context, programmeID int64, scores []programme.SelfScore) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		for _, sc := range scores {
			p, err := participantOf(ctx, tx, programmeID, sc.ParticipantID)
			if err != nil {
				return err
			}
			if err := sc.Check(p.Criteria); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO programme_self_scores (participant_id, criterion, score, note) VALUES ($1, $2, $3, $4)
				ON CONFLICT (participant_id, criterion) DO UPDATE SET score = excluded.score, note = excluded.note`,
				sc.ParticipantID, sc.Criterion, sc.Score, sc.Note); err != nil {
				return mapErr(err)
			}
		}
		return nil
	})
}

// SelfAssessment lists a programme's self scores.
func (s *Store) SelfAssessment(ctx context.Context, programmeID int64) ([]programme.SelfScore, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT s.participant_id, s.criterion, s.score, s.note FROM programme_self_scores s
		JOIN programme_participants p ON p.id = s.participant_id WHERE p.programme_id = $1 ORDER BY s.participant_id, s.criterion`, programmeID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []programme.SelfScore
	for rows.Next() {
		var sc programme.SelfScore
		if err := rows.Scan(&sc.ParticipantID, &sc.Criterion, &sc.Score, &sc.Note); err != nil {
			return nil, err
		}
		out = append(out, sc)
	}
	return out, rows.Err()
}
