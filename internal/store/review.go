package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"tambon/internal/apperr"
	"tambon/internal/survey"
)

// ReviewEntry is one recorded step of a round's review.
type ReviewEntry = survey.ReviewEntry

// RoundStatus returns a round's review status for an area (a tambon): open
// until it is submitted.
func (s *Store) RoundStatus(ctx context.Context, round, area string) (survey.Status, error) {
	return roundStatus(ctx, s.read, round, area, "")
}

func roundStatus(ctx context.Context, q querier, round, area, lock string) (survey.Status, error) {
	var st string
	err := q.QueryRowContext(ctx, "SELECT status FROM round_areas WHERE round_id = $1 AND area_code = $2"+lock, round, area).Scan(&st)
	if err == sql.ErrNoRows {
		return survey.StatusOpen, nil
	}
	return survey.Status(st), mapErr(err)
}

// Review moves a round's status for an area one step and records who did it,
// when and why. Returning and reopening need a comment.
func (s *Store) Review(ctx context.Context, round, area string, step survey.Review, by, comment string) (survey.Status, error) {
	if (step == survey.Return || step == survey.Reopen) && comment == "" {
		return "", apperr.New(apperr.Invalid, apperr.T("การส่งกลับหรือเปิดแก้ไขใหม่ต้องระบุเหตุผล", "returning or reopening needs a reason"))
	}
	var to survey.Status
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := requireHouseholdRound(ctx, tx, round); err != nil {
			return err
		}
		from, err := roundStatus(ctx, tx, round, area, s.dialect.forUpdate)
		if err != nil {
			return err
		}
		if to, err = survey.Next(from, step); err != nil {
			return err
		}
		now := formatTime(s.now())
		if _, err := tx.ExecContext(ctx, `INSERT INTO round_areas (round_id, area_code, status, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (round_id, area_code) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
			round, area, string(to), now, by); err != nil {
			return mapErr(err)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO round_reviews (round_id, area_code, step, from_status, to_status, comment, at, by_user)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, round, area, string(step), string(from), string(to), comment, now, by)
		return mapErr(err)
	})
	return to, err
}

// ReviewHistory lists an area's review steps in a round, oldest first.
func (s *Store) ReviewHistory(ctx context.Context, round, area string) ([]ReviewEntry, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT step, from_status, to_status, comment, at, by_user FROM round_reviews
		WHERE round_id = $1 AND area_code = $2 ORDER BY id`, round, area)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []ReviewEntry
	for rows.Next() {
		var e ReviewEntry
		var step, from, to, at string
		if err := rows.Scan(&step, &from, &to, &e.Comment, &at, &e.By); err != nil {
			return nil, err
		}
		e.Step, e.From, e.To, e.At = survey.Review(step), survey.Status(from), survey.Status(to), parseTime(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

// checkUnlocked refuses writes to households of tambons whose round is
// submitted, verified or certified: certified data are read-only until
// reopened with a reason.
func checkUnlocked(ctx context.Context, tx *sql.Tx, round string, villages map[string]bool) error {
	seen := map[string]bool{}
	for v := range villages {
		if len(v) < 6 || seen[v[:6]] {
			continue
		}
		seen[v[:6]] = true
		st, err := roundStatus(ctx, tx, round, v[:6], "")
		if err != nil {
			return err
		}
		if st.Locked() {
			return apperr.New(apperr.Conflict, apperr.Tf(
				"ข้อมูลรอบ %s ของตำบล %s อยู่ในสถานะ %s จึงแก้ไขไม่ได้ (ต้องส่งกลับหรือเปิดแก้ไขใหม่ก่อน)",
				"round %s for tambon %s is %s and cannot be changed (it must be returned or reopened first)", round, v[:6], string(st)))
		}
	}
	return nil
}

// AuditEntry is one line of the audit log: every write, every view of a
// person's or household's record, every export of personal data.
type AuditEntry struct {
	At     time.Time
	User   string
	Action string // e.g. household.write, household.view, personal.reveal, export.personal
	Area   string
	Object string // e.g. "household:123", "round:bmn-2564"
	Detail string // JSON: old → new, or what was shown
}

// Audit appends to the audit log.
func (s *Store) Audit(ctx context.Context, e AuditEntry) error {
	if e.At.IsZero() {
		e.At = s.now()
	}
	_, err := s.write.ExecContext(ctx, `INSERT INTO audit_log (at, user_name, action, area_code, object, detail) VALUES ($1, $2, $3, $4, $5, $6)`,
		formatTime(e.At), e.User, e.Action, e.Area, e.Object, e.Detail)
	if err != nil {
		return fmt.Errorf("audit: %w", mapErr(err))
	}
	return nil
}

// AuditFilter narrows an audit search; empty fields match everything.
type AuditFilter struct {
	User, Action, AreaPrefix, Object string
	Limit                            int
}

// AuditLog searches the audit log, newest first.
func (s *Store) AuditLog(ctx context.Context, f AuditFilter) ([]AuditEntry, error) {
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 200
	}
	_, hi := codeRange(f.AreaPrefix, 8)
	q := `SELECT at, user_name, action, area_code, object, detail FROM audit_log
		WHERE ($1 = '' OR user_name = $1) AND ($2 = '' OR action = $2) AND ($3 = '' OR object = $3)
		AND ($4 = '' OR (area_code >= $5 AND area_code <= $6))
		ORDER BY id DESC LIMIT $7`
	rows, err := s.read.QueryContext(ctx, q, f.User, f.Action, f.Object, f.AreaPrefix, f.AreaPrefix, hi, f.Limit)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		var at string
		if err := rows.Scan(&at, &e.User, &e.Action, &e.Area, &e.Object, &e.Detail); err != nil {
			return nil, err
		}
		e.At = parseTime(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

// AuditEvent appends to the audit log; adapters that cannot name
// AuditEntry call it.
func (s *Store) AuditEvent(ctx context.Context, user, action, area, object, detail string) error {
	return s.Audit(ctx, AuditEntry{User: user, Action: action, Area: area, Object: object, Detail: detail})
}
