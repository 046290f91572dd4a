package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"tambon/internal/apperr"
	"tambon/internal/programme"
)

// Sessions of a programme: trainings and follow-up visits, with who
// attended, what was seen (observations, each household's garden) and
// photos.

// AddSession stores a training or visit with who attended and what was
// seen; attendees and gardens must be the programme's participants, each
// garden one its type knows. Nothing is written when anything is refused.
func (s *Store) AddSession(ctx context.Context, se programme.Session) (programme.Session, error) {
	se.Title, se.Place = strings.TrimSpace(se.Title), strings.TrimSpace(se.Place)
	if se.Title == "" || se.Date.IsZero() {
		return se, apperr.New(apperr.Invalid, apperr.T("การฝึกอบรม/การเยี่ยมต้องมีชื่อและวันที่", "a session needs a title and a date"))
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		p, err := scanProgramme(tx.QueryRowContext(ctx, "SELECT "+programmeColumns+" FROM programmes WHERE id = $1", se.ProgrammeID))
		if err == sql.ErrNoRows {
			return programmeNotFound(se.ProgrammeID)
		}
		if err != nil {
			return mapErr(err)
		}
		t, err := programme.Lookup(p.Type)
		if err != nil {
			return err
		}
		if err := t.CheckSession(&se); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO programme_sessions (programme_id, title, held_on, place, observations) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			se.ProgrammeID, se.Title, formatDay(se.Date), se.Place, se.Observations).Scan(&se.ID); err != nil {
			return mapErr(err)
		}
		for _, id := range se.Attendees {
			if _, err := participantOf(ctx, tx, se.ProgrammeID, id); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, "INSERT INTO programme_attendance (session_id, participant_id) VALUES ($1, $2) ON CONFLICT DO NOTHING", se.ID, id); err != nil {
				return mapErr(err)
			}
		}
		for id, g := range se.Gardens {
			if _, err := participantOf(ctx, tx, se.ProgrammeID, id); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, "INSERT INTO programme_gardens (session_id, participant_id, garden) VALUES ($1, $2, $3)", se.ID, id, g); err != nil {
				return mapErr(err)
			}
		}
		return nil
	})
	if err != nil {
		return se, fmt.Errorf("add session: %w", err)
	}
	return se, nil
}

// Sessions lists a programme's sessions by date, with attendees, gardens
// seen and photos (without their bytes).
func (s *Store) Sessions(ctx context.Context, programmeID int64) ([]programme.Session, error) {
	var out []programme.Session
	byID := map[int64]int{}
	err := s.eachRow(ctx, `SELECT id, programme_id, title, held_on, place, observations FROM programme_sessions WHERE programme_id = $1 ORDER BY held_on, id`,
		[]any{programmeID}, func(r *sql.Rows) error {
			var se programme.Session
			var day string
			if err := r.Scan(&se.ID, &se.ProgrammeID, &se.Title, &day, &se.Place, &se.Observations); err != nil {
				return err
			}
			se.Date = parseDay(day)
			byID[se.ID] = len(out)
			out = append(out, se)
			return nil
		})
	if err != nil || len(out) == 0 {
		return out, err
	}
	err = s.eachRow(ctx, `SELECT a.session_id, a.participant_id FROM programme_attendance a JOIN programme_sessions se ON se.id = a.session_id
		WHERE se.programme_id = $1 ORDER BY a.session_id, a.participant_id`, []any{programmeID}, func(r *sql.Rows) error {
		var sid, pid int64
		if err := r.Scan(&sid, &pid); err != nil {
			return err
		}
		out[byID[sid]].Attendees = append(out[byID[sid]].Attendees, pid)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = s.eachRow(ctx, `SELECT g.session_id, g.participant_id, g.garden FROM programme_gardens g JOIN programme_sessions se ON se.id = g.session_id
		WHERE se.programme_id = $1`, []any{programmeID}, func(r *sql.Rows) error {
		var sid, pid int64
		var g string
		if err := r.Scan(&sid, &pid, &g); err != nil {
			return err
		}
		se := &out[byID[sid]]
		if se.Gardens == nil {
			se.Gardens = map[int64]string{}
		}
		se.Gardens[pid] = g
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = s.eachRow(ctx, `SELECT ph.id, ph.session_id, COALESCE(ph.participant_id, 0), ph.caption, ph.width, ph.height, ph.created_by, ph.created_at
		FROM programme_photos ph JOIN programme_sessions se ON se.id = ph.session_id WHERE se.programme_id = $1 ORDER BY ph.id`, []any{programmeID}, func(r *sql.Rows) error {
		var ph programme.Photo
		var at string
		if err := r.Scan(&ph.ID, &ph.SessionID, &ph.ParticipantID, &ph.Caption, &ph.Width, &ph.Height, &ph.By, &at); err != nil {
			return err
		}
		ph.At = parseTime(at)
		se := &out[byID[ph.SessionID]]
		se.Photos = append(se.Photos, ph)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// eachRow runs a query on the read pool and calls fn for each row.
func (s *Store) eachRow(ctx context.Context, query string, args []any, fn func(*sql.Rows) error) error {
	rows, err := s.read.QueryContext(ctx, query, args...)
	if err != nil {
		return mapErr(err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// AddSessionPhoto stores a shrunk photo of a session (ph.Image and
// ph.Thumb, JPEG); ph.ParticipantID, when set, is the programme's
// participant it shows.
func (s *Store) AddSessionPhoto(ctx context.Context, programmeID int64, ph programme.Photo) (programme.Photo, error) {
	if err := programme.CheckNote(&ph.Caption); err != nil {
		return ph, err
	}
	if len(ph.Image) == 0 || len(ph.Thumb) == 0 {
		return ph, apperr.New(apperr.Invalid, apperr.T("ไม่ได้แนบรูป", "no photo was attached"))
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM programme_sessions WHERE id = $1 AND programme_id = $2", ph.SessionID, programmeID).Scan(&n); err != nil {
			return mapErr(err)
		}
		if n == 0 {
			return errNoSession
		}
		var who any
		if ph.ParticipantID != 0 {
			if _, err := participantOf(ctx, tx, programmeID, ph.ParticipantID); err != nil {
				return err
			}
			who = ph.ParticipantID
		}
		ph.At = s.now()
		return mapErr(tx.QueryRowContext(ctx, `INSERT INTO programme_photos (session_id, participant_id, caption, width, height, image, thumb, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`, ph.SessionID, who, ph.Caption, ph.Width, ph.Height, ph.Image, ph.Thumb, ph.By, formatTime(ph.At)).Scan(&ph.ID))
	})
	ph.Image, ph.Thumb = nil, nil
	if err != nil {
		return ph, fmt.Errorf("add session photo: %w", err)
	}
	return ph, nil
}

var errNoSession = apperr.New(apperr.NotFound, apperr.T("ไม่พบการฝึกอบรมหรือการเยี่ยมนี้ในโครงการ", "no such session in this programme"))

var errNoPhoto = apperr.New(apperr.NotFound, apperr.T("ไม่พบรูปนี้", "no such photo"))

// SessionPhoto returns a session photo of a programme with its JPEG (or
// thumbnail); a photo of another programme is not found.
func (s *Store) SessionPhoto(ctx context.Context, programmeID, id int64, thumb bool) (programme.Photo, []byte, error) {
	col := "ph.image"
	if thumb {
		col = "ph.thumb"
	}
	var ph programme.Photo
	var data []byte
	err := s.read.QueryRowContext(ctx, `SELECT ph.id, ph.session_id, COALESCE(ph.participant_id, 0), ph.caption, `+col+`
		FROM programme_photos ph JOIN programme_sessions se ON se.id = ph.session_id WHERE ph.id = $1 AND se.programme_id = $2`, id, programmeID).
		Scan(&ph.ID, &ph.SessionID, &ph.ParticipantID, &ph.Caption, &data)
	if err == sql.ErrNoRows {
		return ph, nil, errNoPhoto
	}
	if err != nil {
		return ph, nil, fmt.Errorf("photo %d: %w", id, mapErr(err))
	}
	return ph, data, nil
}
