package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
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
	return s.review(ctx, round, area, step, by, comment, nil)
}

// review takes one step in one transaction: the status moves, the public's
// cached figures are refreshed (what they show and how they are marked
// follow the status), and the history records the step. gate, when set,
// runs inside the transaction before anything is written and returns the
// comment to record, or an error that refuses the step.
func (s *Store) review(ctx context.Context, round, area string, step survey.Review, by, comment string, gate func(tx *sql.Tx) (string, error)) (survey.Status, error) {
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
		note := comment
		if gate != nil {
			if note, err = gate(tx); err != nil {
				return err
			}
		}
		if err := s.bumpSubtree(ctx, tx, area); err != nil {
			return err
		}
		now := formatTime(s.now())
		if _, err := tx.ExecContext(ctx, `INSERT INTO round_areas (round_id, area_code, status, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (round_id, area_code) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
			round, area, string(to), now, by); err != nil {
			return mapErr(err)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO round_reviews (round_id, area_code, step, from_status, to_status, comment, at, by_user)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, round, area, string(step), string(from), string(to), note, now, by)
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
	return checkUnlockedBy(round, villages, func(tambon string) (survey.Status, error) {
		return roundStatus(ctx, tx, round, tambon, "")
	})
}

// checkUnlockedBy is checkUnlocked with the tambons' statuses read by
// status.
func checkUnlockedBy(round string, villages map[string]bool, status func(tambon string) (survey.Status, error)) error {
	seen := map[string]bool{}
	for v := range villages {
		if len(v) < 6 || seen[v[:6]] {
			continue
		}
		seen[v[:6]] = true
		st, err := status(v[:6])
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

// VillageCheck is one village's line of a round's completeness checklist.
type VillageCheck struct {
	Code          string
	Moo           int
	NameTH        string
	NameEN        string
	Expected      int  // households the previous round counted here
	ExpectedKnown bool // false: no earlier round counted this village (never guessed)
	Surveyed      int  // households of this round, drafts included
	Drafts        int
	Waiting       int // OpenRosa submissions waiting for a reviewer
	NotResurveyed int // households of the previous round not in this one
}

// EnumeratorCheck is what one account entered or submitted in a tambon's
// round: households it last saved, drafts among them, submissions waiting.
type EnumeratorCheck struct {
	User       string
	Households int
	Drafts     int
	Waiting    int
}

// Checklist is a tambon's completeness in a round, village by village: what
// a reviewer reads before submitting, verifying or certifying.
type Checklist struct {
	Round       string
	Prev        string // the previous round compared with ("" when there is none)
	PrevRecords bool   // the previous round holds household records (not only published counts)
	Villages    []VillageCheck
	Enumerators []EnumeratorCheck
}

// Reasons lists, in Thai and English, why the tambon is not complete; empty
// when it is.
func (c Checklist) Reasons() []apperr.Text {
	var out []apperr.Text
	for _, v := range c.Villages {
		nameEN := v.NameEN
		if nameEN == "" { // village names are often only in Thai
			nameEN = v.NameTH
		}
		th, en := fmt.Sprintf("หมู่ %d %s", v.Moo, v.NameTH), fmt.Sprintf("Moo %d %s", v.Moo, nameEN)
		if v.Surveyed == 0 {
			out = append(out, apperr.T(th+": ยังไม่มีครัวเรือนในรอบนี้เลย", en+": no households at all in this round"))
		}
		if v.Drafts > 0 {
			out = append(out, apperr.T(fmt.Sprintf("%s: ร่างที่ยังไม่บันทึกสมบูรณ์ %d ครัวเรือน", th, v.Drafts), fmt.Sprintf("%s: %d households are still drafts", en, v.Drafts)))
		}
		if v.Waiting > 0 {
			out = append(out, apperr.T(fmt.Sprintf("%s: แบบสำรวจจากแอป (ODK) รอตรวจ %d รายการ", th, v.Waiting), fmt.Sprintf("%s: %d OpenRosa (ODK) submissions wait for review", en, v.Waiting)))
		}
		if v.NotResurveyed > 0 {
			out = append(out, apperr.T(fmt.Sprintf("%s: ครัวเรือนของรอบก่อนที่ยังไม่ได้สำรวจซ้ำ %d ครัวเรือน", th, v.NotResurveyed), fmt.Sprintf("%s: %d households of the previous round are not re-surveyed", en, v.NotResurveyed)))
		} else if !c.PrevRecords && v.ExpectedKnown && v.Surveyed > 0 && v.Surveyed < v.Expected {
			out = append(out, apperr.T(fmt.Sprintf("%s: สำรวจแล้ว %d จาก %d ครัวเรือนที่รอบก่อนนับได้", th, v.Surveyed, v.Expected), fmt.Sprintf("%s: %d surveyed of the %d households the previous round counted", en, v.Surveyed, v.Expected)))
		}
	}
	return out
}

// IncompleteError is a review step refused because the tambon's checklist
// is not complete. It unwraps to an apperr Conflict whose message lists the
// reasons.
type IncompleteError struct {
	Step    survey.Review
	Reasons []apperr.Text
}

func (e *IncompleteError) Error() string { return e.message().String() }

func (e *IncompleteError) message() apperr.Text {
	th, en := make([]string, len(e.Reasons)), make([]string, len(e.Reasons))
	for i, r := range e.Reasons {
		th[i], en[i] = r.TH, r.EN
	}
	return apperr.T(fmt.Sprintf("ข้อมูลยังไม่ครบ จึง%sไม่ได้: %s (ถ้าจำเป็นต้องทำต่อ ให้ระบุเหตุผลการยกเว้น)", stepTH[e.Step], strings.Join(th, "; ")),
		fmt.Sprintf("the data are not complete, so the round cannot be %s: %s (to go ahead anyway, give a written reason for the override)", stepEN[e.Step], strings.Join(en, "; ")))
}

// Unwrap gives the Conflict that pages and the command line report.
func (e *IncompleteError) Unwrap() error { return apperr.New(apperr.Conflict, e.message()) }

var stepTH = map[survey.Review]string{survey.Submit: "ส่ง", survey.Verify: "ตรวจสอบ", survey.Certify: "รับรอง"}
var stepEN = map[survey.Review]string{survey.Submit: "submitted", survey.Verify: "verified", survey.Certify: "certified"}

// gated reports whether a step needs a complete checklist: the steps that
// move data up (submit, verify, certify), not returning or reopening.
func gated(step survey.Review) bool {
	return step == survey.Submit || step == survey.Verify || step == survey.Certify
}

// RoundChecklist builds a tambon's completeness checklist for a round:
// every village of the tambon, even those with nothing yet.
func (s *Store) RoundChecklist(ctx context.Context, round, tambon string) (Checklist, error) {
	return roundChecklist(ctx, s.read, round, tambon)
}

// previousRound is the round a round's checklist and completeness compare
// with: the newest of its kind surveyed before it, a round of household
// records preferred to published aggregates of the same year; records
// tells whether it keeps household records.
func previousRound(ctx context.Context, q querier, round string) (prev string, records bool, err error) {
	var kind string
	var year int
	err = q.QueryRowContext(ctx, "SELECT kind, survey_year FROM rounds WHERE id = $1", round).Scan(&kind, &year)
	if err == sql.ErrNoRows {
		return "", false, apperr.New(apperr.NotFound, apperr.Tf("ไม่มีรอบ %s", "no round %s", round))
	}
	if err != nil {
		return "", false, mapErr(err)
	}
	var agg bool
	err = q.QueryRowContext(ctx, `SELECT id, aggregate_only FROM rounds WHERE kind = $1 AND survey_year < $2
		ORDER BY survey_year DESC, aggregate_only ASC LIMIT 1`, kind, year).Scan(&prev, &agg)
	if err != nil && err != sql.ErrNoRows {
		return "", false, mapErr(err)
	}
	return prev, prev != "" && !agg, nil
}

func roundChecklist(ctx context.Context, q querier, round, tambon string) (Checklist, error) {
	c := Checklist{Round: round}
	prev, records, err := previousRound(ctx, q, round)
	if err != nil {
		return c, err
	}
	c.Prev, c.PrevRecords = prev, records
	rows, err := q.QueryContext(ctx, "SELECT code, moo, name_th, name_en FROM areas WHERE parent_code = $1 ORDER BY code", tambon)
	if err != nil {
		return c, mapErr(err)
	}
	at := map[string]int{}
	for rows.Next() {
		var v VillageCheck
		if err := rows.Scan(&v.Code, &v.Moo, &v.NameTH, &v.NameEN); err != nil {
			rows.Close()
			return c, err
		}
		at[v.Code] = len(c.Villages)
		c.Villages = append(c.Villages, v)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return c, err
	}
	lo, hi := codeRange(tambon, 8)
	each := func(query string, fn func(code string, n, m int), args ...any) error {
		rows, err := q.QueryContext(ctx, query, args...)
		if err != nil {
			return mapErr(err)
		}
		defer rows.Close()
		for rows.Next() {
			var code string
			var n, m int
			if err := rows.Scan(&code, &n, &m); err != nil {
				return err
			}
			if _, ok := at[code]; ok {
				fn(code, n, m)
			}
		}
		return rows.Err()
	}
	v := func(code string) *VillageCheck { return &c.Villages[at[code]] }
	if err := each(`SELECT village_code, count(*), sum(CASE WHEN status = 'draft' THEN 1 ELSE 0 END) FROM households
		WHERE round_id = $1 AND village_code BETWEEN $2 AND $3 GROUP BY village_code`,
		func(code string, n, m int) { v(code).Surveyed, v(code).Drafts = n, m }, round, lo, hi); err != nil {
		return c, err
	}
	if err := each(`SELECT village_code, count(*), 0 FROM submissions
		WHERE status = 'review' AND round_id = $1 AND village_code BETWEEN $2 AND $3 GROUP BY village_code`,
		func(code string, n, _ int) { v(code).Waiting = n }, round, lo, hi); err != nil {
		return c, err
	}
	switch {
	case c.PrevRecords:
		if err := each(`SELECT p.village_code, count(*), sum(CASE WHEN EXISTS (SELECT 1 FROM households c WHERE c.round_id = $2 AND c.hh_key = p.hh_key) THEN 0 ELSE 1 END)
			FROM households p WHERE p.round_id = $1 AND p.village_code BETWEEN $3 AND $4 GROUP BY p.village_code`,
			func(code string, n, m int) {
				v(code).Expected, v(code).ExpectedKnown, v(code).NotResurveyed = n, true, m
			}, c.Prev, round, lo, hi); err != nil {
			return c, err
		}
	case c.Prev != "":
		if err := each(`SELECT area_code, households, 0 FROM area_stats WHERE round_id = $1 AND area_code BETWEEN $2 AND $3`,
			func(code string, n, _ int) { v(code).Expected, v(code).ExpectedKnown = n, true }, c.Prev, lo, hi); err != nil {
			return c, err
		}
	}
	// Who entered what: the account that last saved each household, and
	// the accounts whose submissions wait.
	by := map[string]*EnumeratorCheck{}
	var order []string
	who := func(name string) *EnumeratorCheck {
		if e, ok := by[name]; ok {
			return e
		}
		by[name] = &EnumeratorCheck{User: name}
		order = append(order, name)
		return by[name]
	}
	for _, part := range []struct {
		query string
		fn    func(e *EnumeratorCheck, n, m int)
	}{
		{`SELECT updated_by, count(*), sum(CASE WHEN status = 'draft' THEN 1 ELSE 0 END) FROM households
			WHERE round_id = $1 AND village_code BETWEEN $2 AND $3 GROUP BY updated_by ORDER BY updated_by`,
			func(e *EnumeratorCheck, n, m int) { e.Households, e.Drafts = n, m }},
		{`SELECT username, count(*), 0 FROM submissions
			WHERE status = 'review' AND round_id = $1 AND village_code BETWEEN $2 AND $3 GROUP BY username ORDER BY username`,
			func(e *EnumeratorCheck, n, _ int) { e.Waiting = n }},
	} {
		rows, err := q.QueryContext(ctx, part.query, round, lo, hi)
		if err != nil {
			return c, mapErr(err)
		}
		for rows.Next() {
			var name string
			var n, m int
			if err := rows.Scan(&name, &n, &m); err != nil {
				rows.Close()
				return c, err
			}
			part.fn(who(name), n, m)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return c, err
		}
	}
	for _, name := range order {
		c.Enumerators = append(c.Enumerators, *by[name])
	}
	return c, nil
}

// ReviewChecked is Review behind the completeness gate: submitting,
// verifying and certifying are refused with an *IncompleteError (its reasons
// in Thai and English) while the checklist has any. An override with a
// written reason takes the step anyway; the reason and the reasons it
// overrode are kept in the review history and the audit log, in the same
// transaction as the step.
func (s *Store) ReviewChecked(ctx context.Context, round, area string, step survey.Review, by, comment, override string) (survey.Status, error) {
	override = strings.TrimSpace(override)
	if !gated(step) {
		return s.Review(ctx, round, area, step, by, comment)
	}
	return s.review(ctx, round, area, step, by, comment, func(tx *sql.Tx) (string, error) {
		c, err := roundChecklist(ctx, tx, round, area)
		if err != nil {
			return "", err
		}
		reasons := c.Reasons()
		if len(reasons) == 0 {
			return comment, nil
		}
		if override == "" {
			return "", &IncompleteError{Step: step, Reasons: reasons}
		}
		en := make([]string, len(reasons))
		for i, r := range reasons {
			en[i] = r.EN
		}
		detail, _ := json.Marshal(map[string]any{"step": string(step), "reason": override, "overrode": en})
		if _, err := tx.ExecContext(ctx, `INSERT INTO audit_log (at, user_name, action, area_code, object, detail) VALUES ($1, $2, $3, $4, $5, $6)`,
			formatTime(s.now()), by, "round.override", area, "round:"+round, string(detail)); err != nil {
			return "", mapErr(err)
		}
		return strings.TrimSpace("ยกเว้นการตรวจความครบถ้วน (override): " + override + "\n" + comment), nil
	})
}
