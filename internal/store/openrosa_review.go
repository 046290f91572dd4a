package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"tambon/internal/apperr"
	"tambon/internal/engine"
	"tambon/internal/survey"
	"tambon/internal/xform"
)

const submissionColumns = `id, instance_id, deprecated_id, form_id, form_version, round_id, village_code, hh_key, username, device_id,
	sha256, status, problems, replaced_by, received_at, decided_at, decided_by, note`

func scanSubmission(row interface{ Scan(...any) error }) (xform.Submission, error) {
	var sub xform.Submission
	var status, problems, received, decided string
	err := row.Scan(&sub.ID, &sub.InstanceID, &sub.DeprecatedID, &sub.FormID, &sub.FormVersion, &sub.RoundID, &sub.VillageCode,
		&sub.HouseholdKey, &sub.Username, &sub.DeviceID, &sub.SHA256, &status, &problems, &sub.ReplacedBy, &received, &decided,
		&sub.DecidedBy, &sub.Note)
	sub.Status, sub.Problems = xform.Status(status), parseProblems(problems)
	sub.ReceivedAt = parseTime(received)
	if decided != "" {
		sub.DecidedAt = parseTime(decided)
	}
	return sub, err
}

// SubmissionFilter narrows a list of submissions; empty fields match all.
type SubmissionFilter struct {
	Status     xform.Status
	AreaPrefix string // village codes starting with it; "TH" or "" for all
	Limit      int    // at most 500; 100 when zero
}

// Submissions lists submissions, oldest first (the review queue is worked
// in the order things arrived), without their XML.
func (s *Store) Submissions(ctx context.Context, f SubmissionFilter) ([]xform.Submission, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	q := "SELECT " + submissionColumns + " FROM submissions WHERE 1 = 1"
	var args []any
	if f.Status != "" {
		args = append(args, string(f.Status))
		q += fmt.Sprintf(" AND status = $%d", len(args))
	}
	if f.AreaPrefix != "" && f.AreaPrefix != "TH" {
		lo, hi := codeRange(f.AreaPrefix, 8)
		args = append(args, lo, hi)
		q += fmt.Sprintf(" AND village_code BETWEEN $%d AND $%d", len(args)-1, len(args))
	}
	args = append(args, f.Limit)
	q += fmt.Sprintf(" ORDER BY id LIMIT $%d", len(args))
	rows, err := s.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("submissions: %w", mapErr(err))
	}
	defer rows.Close()
	var out []xform.Submission
	for rows.Next() {
		sub, err := scanSubmission(rows)
		if err != nil {
			return nil, fmt.Errorf("submissions: %w", mapErr(err))
		}
		out = append(out, sub)
	}
	return out, rows.Err()
}

// Submission returns one submission with its raw XML and its media.
func (s *Store) Submission(ctx context.Context, id int64) (xform.Submission, error) {
	sub, err := scanSubmission(s.read.QueryRowContext(ctx, "SELECT "+submissionColumns+" FROM submissions WHERE id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return sub, apperr.New(apperr.NotFound, apperr.Tf("ไม่พบแบบสอบถามที่ส่งมาหมายเลข %d", "no submission has the number %d", id))
	}
	if err != nil {
		return sub, fmt.Errorf("submission %d: %w", id, mapErr(err))
	}
	if err := s.read.QueryRowContext(ctx, "SELECT xml FROM submissions WHERE id = $1", id).Scan(&sub.XML); err != nil {
		return sub, fmt.Errorf("submission %d: %w", id, mapErr(err))
	}
	rows, err := s.read.QueryContext(ctx, "SELECT name, content_type, data, lat, lon FROM submission_media WHERE submission_id = $1 ORDER BY name", id)
	if err != nil {
		return sub, fmt.Errorf("submission %d: %w", id, mapErr(err))
	}
	defer rows.Close()
	for rows.Next() {
		var m xform.Media
		if err := rows.Scan(&m.Name, &m.ContentType, &m.Data, &m.Lat, &m.Lon); err != nil {
			return sub, mapErr(err)
		}
		sub.Media = append(sub.Media, m)
	}
	return sub, rows.Err()
}

// CountSubmissions counts submissions in one status under an area.
func (s *Store) CountSubmissions(ctx context.Context, status xform.Status, area string) (int, error) {
	lo, hi := codeRange(area, 8)
	if area == "" || area == "TH" {
		lo, hi = "", "~"
	}
	var n int
	err := s.read.QueryRowContext(ctx, "SELECT count(*) FROM submissions WHERE status = $1 AND village_code BETWEEN $2 AND $3",
		string(status), lo, hi).Scan(&n)
	return n, mapErr(err)
}

// FixSubmission writes a reviewer's corrected household for a submission in
// review, through the same write as everything else, and marks it accepted;
// the raw XML stays as it arrived. If the write still refuses the household,
// its problems are returned and nothing changes.
func (s *Store) FixSubmission(ctx context.Context, eng *engine.Engine, id int64, h *survey.Household, by, note string) (WriteSummary, error) {
	var sum WriteSummary
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		sub, err := s.lockReview(ctx, tx, id)
		if err != nil {
			return err
		}
		if sum, err = s.writeHouseholds(ctx, tx, eng, sub.RoundID, []*survey.Household{h}, by, nil); err != nil {
			return err
		}
		now := s.now()
		if _, err := tx.ExecContext(ctx, `UPDATE submissions SET status = $1, village_code = $2, hh_key = $3, decided_at = $4, decided_by = $5, note = $6
			WHERE id = $7`, string(xform.Accepted), h.VillageCode, h.Key(), formatTime(now), by, note, id); err != nil {
			return mapErr(err)
		}
		return insertAudit(ctx, tx, now, by, "submission.fix", h.VillageCode, fmt.Sprintf("submission:%d", id), sub.InstanceID)
	})
	if err != nil {
		return WriteSummary{}, fmt.Errorf("fix submission %d: %w", id, err)
	}
	return sum, nil
}

// RejectSubmission refuses a submission in review, with a reason. It is kept.
func (s *Store) RejectSubmission(ctx context.Context, id int64, by, reason string) error {
	if reason == "" {
		return apperr.New(apperr.Invalid, apperr.T("ต้องระบุเหตุผลที่ปฏิเสธ", "give a reason for rejecting"))
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		sub, err := s.lockReview(ctx, tx, id)
		if err != nil {
			return err
		}
		now := s.now()
		if _, err := tx.ExecContext(ctx, "UPDATE submissions SET status = $1, decided_at = $2, decided_by = $3, note = $4 WHERE id = $5",
			string(xform.Rejected), formatTime(now), by, reason, id); err != nil {
			return mapErr(err)
		}
		return insertAudit(ctx, tx, now, by, "submission.reject", sub.VillageCode, fmt.Sprintf("submission:%d", id), reason)
	})
	if err != nil {
		return fmt.Errorf("reject submission %d: %w", id, err)
	}
	return nil
}

// lockReview reads a submission that must be in review, locking it.
func (s *Store) lockReview(ctx context.Context, tx *sql.Tx, id int64) (xform.Submission, error) {
	sub, err := scanSubmission(tx.QueryRowContext(ctx, "SELECT "+submissionColumns+" FROM submissions WHERE id = $1"+s.dialect.forUpdate, id))
	if errors.Is(err, sql.ErrNoRows) {
		return sub, apperr.New(apperr.NotFound, apperr.Tf("ไม่พบแบบสอบถามที่ส่งมาหมายเลข %d", "no submission has the number %d", id))
	}
	if err != nil {
		return sub, mapErr(err)
	}
	if sub.Status != xform.Review {
		return sub, apperr.New(apperr.Conflict, apperr.Tf("แบบสอบถามหมายเลข %d ไม่ได้รอตรวจแล้ว (สถานะ %s)",
			"submission %d is no longer waiting for review (it is %s)", id, sub.Status))
	}
	return sub, nil
}

// ReviewQueue lists the submissions in one status under an area (the web
// adapter's view of Submissions).
func (s *Store) ReviewQueue(ctx context.Context, status xform.Status, area string, limit int) ([]xform.Submission, error) {
	return s.Submissions(ctx, SubmissionFilter{Status: status, AreaPrefix: area, Limit: limit})
}
