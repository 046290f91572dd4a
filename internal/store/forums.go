package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"tambon/internal/activity"
	"tambon/internal/apperr"
)

// SaveForum stores what a village forum recorded (activity.ForumRecord),
// replacing what was there, in one transaction: the activity must be of
// kind forum, the round must exist, and every partner named as doing an
// agreed activity must exist. Nothing is written when anything is wrong.
func (s *Store) SaveForum(ctx context.Context, f activity.ForumRecord, by string) (activity.ForumRecord, error) {
	f.Normalize()
	if err := f.Validate(); err != nil {
		return activity.ForumRecord{}, err
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var kind string
		err := tx.QueryRowContext(ctx, "SELECT kind FROM activities WHERE id = $1", f.ActivityID).Scan(&kind)
		if err == sql.ErrNoRows {
			return activityNotFound(f.ActivityID)
		}
		if err != nil {
			return mapErr(err)
		}
		if kind != string(activity.Forum) {
			return apperr.New(apperr.Invalid, apperr.T("บันทึกผลประชาคมได้เฉพาะกิจกรรมประเภทประชาคม",
				"only an activity of the kind village forum records a forum's results"))
		}
		var ps apperr.Problems
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM rounds WHERE id = $1", f.RoundID).Scan(&n); err != nil {
			return mapErr(err)
		}
		if n == 0 {
			ps = append(ps, apperr.Problem{Field: "round", Value: f.RoundID, Reason: apperr.Tf("ไม่มีรอบสำรวจ %s", "there is no survey round %s", f.RoundID)})
		}
		for i, a := range f.Actions {
			if a.OwnerID == 0 {
				continue
			}
			if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM partners WHERE id = $1", a.OwnerID).Scan(&n); err != nil {
				return mapErr(err)
			}
			if n == 0 {
				ps = append(ps, apperr.Problem{Field: "actions", Column: "owner", Row: i + 1, Value: fmt.Sprint(a.OwnerID),
					Reason: apperr.Tf("ไม่มีภาคีหมายเลข %d", "there is no partner number %d", a.OwnerID)})
			}
		}
		if len(ps) > 0 {
			return ps
		}
		for _, t := range []string{"forum_actions", "forum_problems", "forum_headcount", "forums"} {
			if _, err := tx.ExecContext(ctx, "DELETE FROM "+t+" WHERE activity_id = $1", f.ActivityID); err != nil {
				return mapErr(err)
			}
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO forums (activity_id, round_id, minutes, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5)",
			f.ActivityID, f.RoundID, f.Minutes, formatTime(s.now()), by); err != nil {
			return mapErr(err)
		}
		for _, h := range f.Headcount {
			if _, err := tx.ExecContext(ctx, "INSERT INTO forum_headcount (activity_id, sex, band, n) VALUES ($1, $2, $3, $4)",
				f.ActivityID, h.Sex, h.Band, h.N); err != nil {
				return mapErr(err)
			}
		}
		for _, p := range f.Problems {
			if _, err := tx.ExecContext(ctx, `INSERT INTO forum_problems (activity_id, rank, source, code, title_th, title_en, votes, note)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, f.ActivityID, p.Rank, p.Source, p.Code, p.TitleTH, p.TitleEN, p.Votes, p.Note); err != nil {
				return mapErr(err)
			}
		}
		for i, a := range f.Actions {
			due := ""
			if !a.Due.IsZero() {
				due = a.Due.Format("2006-01-02")
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO forum_actions (activity_id, seq, problem, action, owner_id, owner, due)
				VALUES ($1, $2, $3, $4, $5, $6, $7)`, f.ActivityID, i+1, a.Problem, a.Action, nullID(a.OwnerID), a.Owner, due); err != nil {
				return mapErr(err)
			}
		}
		return nil
	})
	if err != nil {
		return activity.ForumRecord{}, fmt.Errorf("save forum of activity %d: %w", f.ActivityID, err)
	}
	return s.Forum(ctx, f.ActivityID)
}

// Forum reads what a village forum recorded; not found when nothing was.
func (s *Store) Forum(ctx context.Context, activityID int64) (activity.ForumRecord, error) {
	fs, err := s.forums(ctx, "f.activity_id = $1", activityID)
	if err != nil {
		return activity.ForumRecord{}, err
	}
	if len(fs) == 0 {
		return activity.ForumRecord{}, apperr.New(apperr.NotFound, apperr.Tf("กิจกรรมหมายเลข %d ยังไม่ได้บันทึกผลประชาคม",
			"activity %d has no forum results recorded", activityID))
	}
	return fs[0], nil
}

// Forums lists the forums held within an area (a subtree) that were shown
// a round, newest first.
func (s *Store) Forums(ctx context.Context, within, round string) ([]activity.ForumRecord, error) {
	if within == "" || within == "TH" {
		return s.forums(ctx, "f.round_id = $1", round)
	}
	return s.forums(ctx, "f.round_id = $1 AND a.area_code >= $2 AND a.area_code < $3", round, within, within+"~")
}

func (s *Store) forums(ctx context.Context, where string, args ...any) ([]activity.ForumRecord, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT f.activity_id, f.round_id, f.minutes, f.updated_at, f.updated_by, a.area_code, a.starts_at, a.venue
		FROM forums f JOIN activities a ON a.id = f.activity_id WHERE `+where+` ORDER BY a.starts_at DESC, f.activity_id DESC`, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	var out []activity.ForumRecord
	for rows.Next() {
		var f activity.ForumRecord
		var updated, start string
		if err := rows.Scan(&f.ActivityID, &f.RoundID, &f.Minutes, &updated, &f.UpdatedBy, &f.AreaCode, &start, &f.Venue); err != nil {
			rows.Close()
			return nil, err
		}
		f.UpdatedAt, f.Start = parseTime(updated), parseTime(start)
		out = append(out, f)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, mapErr(err)
	}
	for i := range out {
		if err := s.forumParts(ctx, &out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (s *Store) forumParts(ctx context.Context, f *activity.ForumRecord) error {
	rows, err := s.read.QueryContext(ctx, "SELECT sex, band, n FROM forum_headcount WHERE activity_id = $1", f.ActivityID)
	if err != nil {
		return mapErr(err)
	}
	counts := map[string]int{}
	for rows.Next() {
		var sex, band string
		var n int
		if err := rows.Scan(&sex, &band, &n); err != nil {
			rows.Close()
			return err
		}
		counts[sex+" "+band] = n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return mapErr(err)
	}
	for _, sex := range activity.Sexes { // in the order the page shows them
		for _, band := range activity.AgeBands {
			if n := counts[sex+" "+band]; n != 0 {
				f.Headcount = append(f.Headcount, activity.Headcount{Sex: sex, Band: band, N: n})
			}
		}
	}
	rows, err = s.read.QueryContext(ctx, `SELECT rank, source, code, title_th, title_en, votes, note FROM forum_problems
		WHERE activity_id = $1 ORDER BY rank`, f.ActivityID)
	if err != nil {
		return mapErr(err)
	}
	for rows.Next() {
		var p activity.ForumProblem
		if err := rows.Scan(&p.Rank, &p.Source, &p.Code, &p.TitleTH, &p.TitleEN, &p.Votes, &p.Note); err != nil {
			rows.Close()
			return err
		}
		f.Problems = append(f.Problems, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return mapErr(err)
	}
	rows, err = s.read.QueryContext(ctx, `SELECT problem, action, COALESCE(owner_id, 0), owner, due FROM forum_actions
		WHERE activity_id = $1 ORDER BY seq`, f.ActivityID)
	if err != nil {
		return mapErr(err)
	}
	defer rows.Close()
	for rows.Next() {
		var a activity.ForumAction
		var due string
		if err := rows.Scan(&a.Problem, &a.Action, &a.OwnerID, &a.Owner, &due); err != nil {
			return err
		}
		if due != "" {
			a.Due, _ = time.Parse("2006-01-02", strings.TrimSpace(due))
		}
		f.Actions = append(f.Actions, a)
	}
	return mapErr(rows.Err())
}
