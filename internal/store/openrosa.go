package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"tambon/internal/apperr"
	"tambon/internal/assign"
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
	// Scope is the area subtree of the sender ("TH" for the whole
	// country): an edit (Sub.DeprecatedID) may replace only a submission
	// of a village in it — or, when that one names no village, one sent
	// by the same user — of the same form and round. "" replaces nothing.
	Scope string
	// Visit, for a submission that reports a visit to one of the previous
	// round's households that was not interviewed (no Household), is what
	// became of it: recorded with the submission, in its transaction, as
	// RecordVisitOutcome records it.
	Visit *VisitOutcome
}

// VisitOutcome is a visit to one of the previous round's households that
// found no interview: its key there and the outcome (assign.Refused,
// assign.Moved, assign.NotFound).
type VisitOutcome struct {
	Key     string
	Outcome assign.Outcome
}

// Submit stores one submission with no sender's scope, so an edit in it
// replaces nothing (see SubmitItem.Scope); see SubmitBatch.
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
//     that is already replaced is a conflict; naming one outside the
//     sender's scope, or of another form or round, is forbidden (that
//     item's Err, and nothing of it is stored).
//
// Submissions that arrive together are written together (group commit),
// with the same outcome as sending them one by one in item order: the raw
// submissions are looked up and inserted with one statement each, and the
// households of one round go through one writeHouseholds, so the area
// statistics are read and written once per batch, not once per household.
// If that write refuses anything, each household is written on its own
// instead, so one bad household only sends itself to review.
func (s *Store) SubmitBatch(ctx context.Context, items []SubmitItem) ([]SubmitResult, error) {
	var out []SubmitResult
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		out = make([]SubmitResult, len(items))
		kept, err := s.keepRaw(ctx, tx, items, out)
		if err != nil {
			return err
		}
		var rounds []string
		byRound := map[string][]int{}
		for i, k := range kept {
			if k.write {
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
		for i, k := range kept {
			if k.visit {
				it := items[i]
				err := s.recordVisitOutcome(ctx, tx, it.Sub.RoundID, it.Visit.Key, it.Visit.Outcome, "", it.Sub.Username)
				if apperr.Is(err, apperr.NotFound) {
					// Not one of the previous round's households: kept for a reviewer.
					sub := &out[i].Submission
					sub.Status, sub.Problems = xform.Review, apperr.Problems{{Field: "prev_household", Value: it.Visit.Key, Reason: apperr.MessageOf(err)}}
					if _, err := tx.ExecContext(ctx, "UPDATE submissions SET status = $1, problems = $2 WHERE id = $3",
						string(sub.Status), problemsJSON(sub.Problems), sub.ID); err != nil {
						return mapErr(err)
					}
					continue
				}
				if err != nil {
					return err
				}
			}
		}
		return s.recordKept(ctx, tx, kept, out)
	})
	if err != nil {
		return nil, fmt.Errorf("submissions: %w", err)
	}
	return out, nil
}

// storedSubmission is what a batch needs to know of a submission with a
// given instanceID: one stored before the batch (item -1), or one an earlier
// item of the batch keeps (its ID known once inserted). Its status and
// replacedBy follow the batch's replacements, in item order.
type storedSubmission struct {
	id         int64
	item       int
	sha256     string
	status     xform.Status
	replacedBy string
	// Whose it is, for an edit that names it: see SubmitItem.Scope.
	village, form, round, username string
}

// editableBy reports whether an edit sent within scope may replace this
// submission: the same form and round, and a village in the scope (a
// submission naming no village, only by the same user).
func (st *storedSubmission) editableBy(sub xform.Submission, scope string) bool {
	if st.form != sub.FormID || st.round != sub.RoundID || scope == "" {
		return false
	}
	if st.village == "" {
		return st.username != "" && st.username == sub.Username
	}
	return scope == "TH" || strings.HasPrefix(st.village, scope)
}

// keptItem says what keepRaw made of one item.
type keptItem struct {
	write    bool              // its household is to be written
	replaces *storedSubmission // the submission it replaces, if stored
	// repeats is the submission a duplicate repeats. When that is kept by
	// an earlier item of this batch and not replaced, the duplicate's status
	// is that item's status after its household write (as if one by one).
	repeats       *storedSubmission
	statusOfWrite bool
	visit         bool // it reports a visit's outcome (SubmitItem.Visit) to record
}

// keepRaw stores the items' submissions as they arrived, or finds them
// already stored, with the same outcome as storing them one by one in item
// order: a repeated instanceID within the batch is a duplicate or a
// conflict, and an edit replacing a submission makes a later edit of that
// same submission a conflict. Every submission it needs to know is read in
// one query, and the new ones are inserted in one statement per
// submissionsPerInsert.
func (s *Store) keepRaw(ctx context.Context, tx *sql.Tx, items []SubmitItem, out []SubmitResult) ([]keptItem, error) {
	known, err := loadStoredSubmissions(ctx, tx, s.dialect, items)
	if err != nil {
		return nil, err
	}
	kept := make([]keptItem, len(items))
	var fresh []int
	for i := range items {
		if s.judgeRaw(&items[i], i, known, &out[i], &kept[i]) {
			fresh = append(fresh, i)
		}
	}
	if err := insertSubmissions(ctx, tx, s.dialect, out, fresh); err != nil {
		return nil, err
	}
	for _, i := range fresh {
		sub := out[i].Submission
		known[sub.InstanceID].id = sub.ID
		if err := addMedia(ctx, tx, sub.ID, sub.Media, false); err != nil {
			return nil, err
		}
	}
	for i, k := range kept {
		if k.repeats == nil {
			continue
		}
		// A retried or split upload repeats the XML and may bring more files.
		out[i].Submission.ID = k.repeats.id
		if err := addMedia(ctx, tx, k.repeats.id, out[i].Submission.Media, true); err != nil {
			return nil, err
		}
	}
	return kept, nil
}

// judgeRaw decides what becomes of item i given the submissions known so
// far, and reports whether it is a new submission to insert; known then
// holds it, and the submission it replaces is marked replaced.
func (s *Store) judgeRaw(it *SubmitItem, i int, known map[string]*storedSubmission, res *SubmitResult, k *keptItem) bool {
	sub := it.Sub
	if sub.SHA256 == "" {
		sum := sha256.Sum256(sub.XML)
		sub.SHA256 = hex.EncodeToString(sum[:])
	}
	res.Submission = sub
	if prev := known[sub.InstanceID]; prev != nil {
		if prev.sha256 != sub.SHA256 {
			res.Err = apperr.New(apperr.Conflict, apperr.Tf(
				"ได้รับแบบสอบถาม %s ไปแล้วแต่เนื้อหาต่างกัน: การแก้ไขต้องส่งเป็นฉบับใหม่ที่อ้างถึงฉบับเดิม (deprecatedID)",
				"the instance %s was already received with different content: an edit must come as a new instance naming the old one (deprecatedID)", sub.InstanceID))
			return false
		}
		res.Duplicate, res.Submission.Status = true, prev.status
		k.repeats, k.statusOfWrite = prev, prev.item >= 0 && prev.status != xform.Replaced
		return false
	}
	if sub.DeprecatedID != "" {
		// An original that never arrived is no obstacle: the edit is kept as it is.
		if old := known[sub.DeprecatedID]; old != nil {
			if !old.editableBy(sub, it.Scope) {
				res.Err = apperr.New(apperr.Forbidden, apperr.Tf(
					"แก้ไขฉบับ %s ไม่ได้: ฉบับนั้นอยู่นอกพื้นที่ของผู้ส่ง หรือเป็นของแบบสอบถามหรือรอบอื่น",
					"the instance %s cannot be edited: it lies outside the sender's area, or belongs to another form or round", sub.DeprecatedID))
				return false
			}
			if old.status == xform.Replaced {
				res.Err = apperr.New(apperr.Conflict, apperr.Tf(
					"ฉบับ %s ถูกแทนที่ด้วย %s ไปแล้ว: ให้แก้ไขจากฉบับล่าสุด",
					"the instance %s was already replaced by %s: edit the latest one", sub.DeprecatedID, old.replacedBy))
				return false
			}
			old.status, old.replacedBy = xform.Replaced, sub.InstanceID
			k.replaces = old
		}
	}
	h := it.Household
	sub.Status = xform.Accepted
	if (h == nil && it.Visit == nil) || (h != nil && it.Engine == nil) || len(sub.Problems) > 0 {
		sub.Status = xform.Review
	}
	sub.ReceivedAt = s.now()
	if h != nil {
		sub.VillageCode, sub.HouseholdKey = h.VillageCode, h.Key()
	} else if it.Visit != nil {
		sub.HouseholdKey = it.Visit.Key
	}
	res.Submission = sub
	k.write = sub.Status == xform.Accepted && h != nil
	k.visit = sub.Status == xform.Accepted && h == nil
	known[sub.InstanceID] = &storedSubmission{item: i, sha256: sub.SHA256, status: sub.Status,
		village: sub.VillageCode, form: sub.FormID, round: sub.RoundID, username: sub.Username}
	return true
}

// loadStoredSubmissions reads the stored submissions the items name, as
// their own instanceID or as the one they replace.
func loadStoredSubmissions(ctx context.Context, tx *sql.Tx, d dialect, items []SubmitItem) (map[string]*storedSubmission, error) {
	seen := map[string]bool{}
	var ids []string
	for _, it := range items {
		for _, id := range []string{it.Sub.InstanceID, it.Sub.DeprecatedID} {
			if id != "" && !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
	}
	known := map[string]*storedSubmission{}
	err := chunks(ids, 500, func(part []string) error {
		rows, err := tx.QueryContext(ctx, "SELECT instance_id, id, sha256, status, replaced_by, village_code, form_id, round_id, username FROM submissions WHERE instance_id IN "+
			d.rows(1, len(part)), d.oneOff(strArgs(nil, part))...)
		if err != nil {
			return mapErr(err)
		}
		defer rows.Close()
		for rows.Next() {
			var instance, status string
			st := &storedSubmission{item: -1}
			if err := rows.Scan(&instance, &st.id, &st.sha256, &status, &st.replacedBy, &st.village, &st.form, &st.round, &st.username); err != nil {
				return err
			}
			st.status = xform.Status(status)
			known[instance] = st
		}
		return rows.Err()
	})
	return known, err
}

// insertedColumns is the number of columns insertSubmissions writes;
// submissionsPerInsert keeps one INSERT's parameters (896) far below both
// databases' limits while a whole group-commit batch (at most 64) goes in
// one statement.
const (
	insertedColumns      = 14
	submissionsPerInsert = 64
)

// insertSubmissions inserts the submissions out[i] for i in fresh, in
// multi-row INSERTs, and sets their IDs.
func insertSubmissions(ctx context.Context, tx *sql.Tx, d dialect, out []SubmitResult, fresh []int) error {
	for start := 0; start < len(fresh); start += submissionsPerInsert {
		part := fresh[start:min(start+submissionsPerInsert, len(fresh))]
		args := make([]any, 0, insertedColumns*len(part))
		item := make(map[string]int, len(part))
		for _, i := range part {
			sub := &out[i].Submission
			item[sub.InstanceID] = i
			args = append(args, sub.InstanceID, sub.DeprecatedID, sub.FormID, sub.FormVersion, sub.RoundID, sub.VillageCode, sub.HouseholdKey,
				sub.Username, sub.DeviceID, sub.SHA256, sub.XML, string(sub.Status), problemsJSON(sub.Problems), formatTime(sub.ReceivedAt))
		}
		// RETURNING gives no promise of order: each ID comes back with its
		// instanceID, which is unique.
		rows, err := tx.QueryContext(ctx, `INSERT INTO submissions (instance_id, deprecated_id, form_id, form_version, round_id, village_code, hh_key,
		username, device_id, sha256, xml, status, problems, received_at) VALUES `+d.rows(len(part), insertedColumns)+` RETURNING id, instance_id`, d.oneOff(args)...)
		if err != nil {
			return mapErr(err)
		}
		if err := scanSubmissionIDs(rows, out, item); err != nil {
			return err
		}
	}
	return nil
}

func scanSubmissionIDs(rows *sql.Rows, out []SubmitResult, item map[string]int) error {
	defer rows.Close()
	n := 0
	for rows.Next() {
		var id int64
		var instance string
		if err := rows.Scan(&id, &instance); err != nil {
			return err
		}
		out[item[instance]].Submission.ID = id
		n++
	}
	if err := rows.Err(); err != nil {
		return mapErr(err)
	}
	if n != len(item) {
		return fmt.Errorf("stored %d submissions, %d IDs came back", len(item), n)
	}
	return nil
}

// recordKept finishes a batch after the household writes: a duplicate of a
// submission of this batch takes that one's status, each replaced
// submission is marked, and each new submission gets its audit entry.
func (s *Store) recordKept(ctx context.Context, tx *sql.Tx, kept []keptItem, out []SubmitResult) error {
	now := formatTime(s.now())
	audit := newBulkInsert(ctx, tx, s.dialect, auditInsert, 6, writeBatch)
	defer audit.close()
	for i, k := range kept {
		sub := &out[i].Submission
		if k.statusOfWrite {
			sub.Status = out[k.repeats.item].Submission.Status
		}
		if out[i].Err != nil || out[i].Duplicate {
			continue
		}
		if k.replaces != nil {
			if _, err := tx.ExecContext(ctx, "UPDATE submissions SET status = $1, replaced_by = $2 WHERE id = $3",
				string(xform.Replaced), sub.InstanceID, k.replaces.id); err != nil {
				return mapErr(err)
			}
		}
		if err := audit.add(now, sub.Username, "submission."+string(sub.Status), sub.VillageCode,
			fmt.Sprintf("submission:%d", sub.ID), sub.InstanceID); err != nil {
			return mapErr(err)
		}
	}
	return mapErr(audit.flush())
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
		if _, err := tx.ExecContext(ctx, "INSERT INTO submission_media (submission_id, name, content_type, data, lat, lon) VALUES ($1, $2, $3, $4, $5, $6)",
			id, m.Name, m.ContentType, m.Data, m.Lat, m.Lon); err != nil {
			return mapErr(err)
		}
	}
	return nil
}

// auditInsert heads an INSERT of audit rows; the VALUES follow.
const auditInsert = "INSERT INTO audit_log (at, user_name, action, area_code, object, detail) VALUES "

// insertAudit appends to the audit log inside tx, so the entry commits with
// what it records.
func insertAudit(ctx context.Context, tx *sql.Tx, at time.Time, user, action, area, object, detail string) error {
	_, err := tx.ExecContext(ctx, auditInsert+"($1, $2, $3, $4, $5, $6)", formatTime(at), user, action, area, object, detail)
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
