package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"tambon/internal/apperr"
	"tambon/internal/engine"
	"tambon/internal/survey"
	"tambon/internal/xform"
)

// SubmitResult says what became of one OpenRosa submission.
type SubmitResult struct {
	Submission xform.Submission // as stored (its ID, status and problems)
	Duplicate  bool             // the same instance was already stored with the same bytes
	Written    WriteSummary     // what the household write did, when it was accepted
	Err        error            // this submission was refused (a conflict); the others stand
}

// SubmitItem is one submission to store: the raw submission and, when it
// parsed, its household and the engine of its round.
type SubmitItem struct {
	Sub       xform.Submission
	Household *survey.Household // nil when the XML could not be read
	Engine    *engine.Engine
}

// Submit stores one submission; see SubmitBatch.
func (s *Store) Submit(ctx context.Context, eng *engine.Engine, sub xform.Submission, h *survey.Household) (SubmitResult, error) {
	res, err := s.SubmitBatch(ctx, []SubmitItem{{Sub: sub, Household: h, Engine: eng}})
	if err != nil {
		return SubmitResult{}, err
	}
	return res[0], res[0].Err
}

// SubmitBatch keeps submissions raw and, for each that parsed into a valid
// household (a Household and no Sub.Problems), writes the household through
// the same path as web entry and imports (writeHouseholds: history,
// citizen-ID index, live statistics) — all in one transaction. A household
// the write refuses (a citizen ID in another household, a locked tambon) is
// not an error: that submission is kept in review with the reason. So
// whatever arrives is stored, exactly once:
//
//   - the same instanceID with the same bytes again (a retried upload) is a
//     duplicate: nothing changes, media not yet stored are added;
//   - the same instanceID with other bytes is a conflict (that item's Err);
//   - a deprecatedID marks the earlier submission replaced; replacing one
//     that is already replaced is a conflict.
//
// Submissions that arrive together are written together (group commit):
// the households of one round go through one writeHouseholds, so the area
// statistics are read and written once per batch, not once per household.
// If that write refuses anything, each household is written on its own
// instead, so one bad household only sends itself to review.
func (s *Store) SubmitBatch(ctx context.Context, items []SubmitItem) ([]SubmitResult, error) {
	var out []SubmitResult
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		out = make([]SubmitResult, len(items))
		replaced := make([]int64, len(items))
		var rounds []string
		byRound := map[string][]int{}
		for i := range items {
			write, rid, err := s.keepRaw(ctx, tx, &items[i], &out[i])
			if err != nil {
				return err
			}
			replaced[i] = rid
			if write {
				r := items[i].Sub.RoundID
				if byRound[r] == nil {
					rounds = append(rounds, r)
				}
				byRound[r] = append(byRound[r], i)
			}
		}
		for _, r := range rounds {
			if err := s.writeSubmitted(ctx, tx, r, items, out, byRound[r]); err != nil {
				return err
			}
		}
		now := s.now()
		for i := range items {
			sub := &out[i].Submission
			if out[i].Err != nil || out[i].Duplicate {
				continue
			}
			if replaced[i] != 0 {
				if _, err := tx.ExecContext(ctx, "UPDATE submissions SET status = $1, replaced_by = $2 WHERE id = $3",
					string(xform.Replaced), sub.InstanceID, replaced[i]); err != nil {
					return mapErr(err)
				}
			}
			if err := insertAudit(ctx, tx, now, sub.Username, "submission."+string(sub.Status), sub.VillageCode,
				fmt.Sprintf("submission:%d", sub.ID), sub.InstanceID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("submissions: %w", err)
	}
	return out, nil
}

// keepRaw stores one submission as it arrived (or finds it already stored)
// and reports whether its household is to be written, and the ID of the
// submission it replaces.
func (s *Store) keepRaw(ctx context.Context, tx *sql.Tx, it *SubmitItem, res *SubmitResult) (bool, int64, error) {
	sub := it.Sub
	if sub.SHA256 == "" {
		sum := sha256.Sum256(sub.XML)
		sub.SHA256 = hex.EncodeToString(sum[:])
	}
	var id int64
	var hash, status string
	err := tx.QueryRowContext(ctx, "SELECT id, sha256, status FROM submissions WHERE instance_id = $1", sub.InstanceID).Scan(&id, &hash, &status)
	switch {
	case err == nil && hash == sub.SHA256:
		sub.ID, sub.Status = id, xform.Status(status)
		res.Submission, res.Duplicate = sub, true
		return false, 0, addMedia(ctx, tx, id, sub.Media, true)
	case err == nil:
		res.Submission, res.Err = sub, apperr.New(apperr.Conflict, apperr.Tf(
			"ได้รับแบบสอบถาม %s ไปแล้วแต่เนื้อหาต่างกัน: การแก้ไขต้องส่งเป็นฉบับใหม่ที่อ้างถึงฉบับเดิม (deprecatedID)",
			"the instance %s was already received with different content: an edit must come as a new instance naming the old one (deprecatedID)", sub.InstanceID))
		return false, 0, nil
	case !errors.Is(err, sql.ErrNoRows):
		return false, 0, mapErr(err)
	}
	var replacedID int64
	if sub.DeprecatedID != "" {
		var by string
		err := tx.QueryRowContext(ctx, "SELECT id, status, replaced_by FROM submissions WHERE instance_id = $1", sub.DeprecatedID).Scan(&replacedID, &status, &by)
		switch {
		case err == nil && xform.Status(status) == xform.Replaced:
			res.Submission, res.Err = sub, apperr.New(apperr.Conflict, apperr.Tf(
				"ฉบับ %s ถูกแทนที่ด้วย %s ไปแล้ว: ให้แก้ไขจากฉบับล่าสุด",
				"the instance %s was already replaced by %s: edit the latest one", sub.DeprecatedID, by))
			return false, 0, nil
		case errors.Is(err, sql.ErrNoRows): // the original never arrived: keep the edit as it is
			replacedID = 0
		case err != nil:
			return false, 0, mapErr(err)
		}
	}
	h := it.Household
	sub.Status = xform.Accepted
	if h == nil || it.Engine == nil || len(sub.Problems) > 0 {
		sub.Status = xform.Review
	}
	sub.ReceivedAt = s.now()
	if h != nil {
		sub.VillageCode, sub.HouseholdKey = h.VillageCode, h.Key()
	}
	if err := tx.QueryRowContext(ctx, `INSERT INTO submissions (instance_id, deprecated_id, form_id, form_version, round_id, village_code, hh_key,
		username, device_id, sha256, xml, status, problems, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
		sub.InstanceID, sub.DeprecatedID, sub.FormID, sub.FormVersion, sub.RoundID, sub.VillageCode, sub.HouseholdKey,
		sub.Username, sub.DeviceID, sub.SHA256, sub.XML, string(sub.Status), problemsJSON(sub.Problems), formatTime(sub.ReceivedAt)).Scan(&sub.ID); err != nil {
		return false, 0, mapErr(err)
	}
	if err := addMedia(ctx, tx, sub.ID, sub.Media, false); err != nil {
		return false, 0, err
	}
	res.Submission = sub
	return sub.Status == xform.Accepted, replacedID, nil
}

// writeSubmitted writes the households of one round's accepted submissions:
// all at once, each under its sender's name, or, if that is refused, one by
// one so that only the refused ones go to review.
func (s *Store) writeSubmitted(ctx context.Context, tx *sql.Tx, round string, items []SubmitItem, out []SubmitResult, idx []int) error {
	eng := items[idx[0]].Engine
	if len(idx) > 1 {
		hs := make([]*survey.Household, len(idx))
		for k, i := range idx {
			hs[k] = items[i].Household
		}
		sender := func(k int) string { return items[idx[k]].Sub.Username }
		_, ps, err := s.writeOne(ctx, tx, eng, round, hs, sender)
		if err != nil {
			return err
		}
		if len(ps) == 0 {
			return nil
		}
	}
	for _, i := range idx {
		sender := func(int) string { return items[i].Sub.Username }
		sum, ps, err := s.writeOne(ctx, tx, eng, round, []*survey.Household{items[i].Household}, sender)
		if err != nil {
			return err
		}
		out[i].Written = sum
		if len(ps) > 0 {
			sub := &out[i].Submission
			sub.Status, sub.Problems = xform.Review, ps
			if _, err := tx.ExecContext(ctx, "UPDATE submissions SET status = $1, problems = $2 WHERE id = $3",
				string(sub.Status), problemsJSON(ps), sub.ID); err != nil {
				return mapErr(err)
			}
		}
	}
	return nil
}

// writeOne writes households inside tx behind a savepoint: when the write
// refuses the household for a reason a reviewer can act on (its problems, a
// conflict, a locked tambon), the savepoint is rolled back and the reasons
// are returned instead of an error, so the caller can keep the submission.
func (s *Store) writeOne(ctx context.Context, tx *sql.Tx, eng *engine.Engine, round string, hs []*survey.Household, by func(i int) string) (WriteSummary, apperr.Problems, error) {
	if _, err := tx.ExecContext(ctx, "SAVEPOINT submission_write"); err != nil {
		return WriteSummary{}, nil, mapErr(err)
	}
	sum, err := s.writeHouseholdsBy(ctx, tx, eng, round, hs, by, nil)
	if err == nil {
		_, err := tx.ExecContext(ctx, "RELEASE SAVEPOINT submission_write")
		return sum, nil, mapErr(err)
	}
	var ps apperr.Problems
	switch {
	case errors.As(err, &ps):
	case apperr.Is(err, apperr.Invalid), apperr.Is(err, apperr.Conflict), apperr.Is(err, apperr.Forbidden), apperr.Is(err, apperr.NotFound):
		ps = apperr.Problems{{Reason: apperr.MessageOf(err)}}
	default:
		return WriteSummary{}, nil, err
	}
	if _, rerr := tx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT submission_write"); rerr != nil {
		return WriteSummary{}, nil, mapErr(rerr)
	}
	return WriteSummary{}, ps, nil
}

// addMedia stores a submission's files; onlyNew skips names already stored
// (a retried or split upload repeats the XML and brings more files).
func addMedia(ctx context.Context, tx *sql.Tx, id int64, media []xform.Media, onlyNew bool) error {
	for _, m := range media {
		if onlyNew {
			var n int
			if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM submission_media WHERE submission_id = $1 AND name = $2", id, m.Name).Scan(&n); err != nil {
				return mapErr(err)
			}
			if n > 0 {
				continue
			}
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO submission_media (submission_id, name, content_type, data) VALUES ($1, $2, $3, $4)",
			id, m.Name, m.ContentType, m.Data); err != nil {
			return mapErr(err)
		}
	}
	return nil
}

// insertAudit appends to the audit log inside tx, so the entry commits with
// what it records.
func insertAudit(ctx context.Context, tx *sql.Tx, at time.Time, user, action, area, object, detail string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO audit_log (at, user_name, action, area_code, object, detail) VALUES ($1, $2, $3, $4, $5, $6)`,
		formatTime(at), user, action, area, object, detail)
	return mapErr(err)
}

func problemsJSON(ps apperr.Problems) string {
	if len(ps) == 0 {
		return ""
	}
	b, _ := json.Marshal(ps)
	return string(b)
}

func parseProblems(s string) apperr.Problems {
	if s == "" {
		return nil
	}
	var ps apperr.Problems
	if json.Unmarshal([]byte(s), &ps) != nil {
		return apperr.Problems{{Reason: apperr.T(s, s)}}
	}
	return ps
}
