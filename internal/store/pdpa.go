package store

import (
	"context"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"tambon/internal/apperr"
	"tambon/internal/engine"
	"tambon/internal/survey"
	"tambon/internal/thai"
)

// ErasureRequest asks to erase one person, or a whole household, from a
// round at the request of the person (PDPA section 33). The household is
// named by its id, or found through a member's citizen ID.
type ErasureRequest struct {
	Round       string
	HouseholdID int64  // the household; or 0 with CitizenID
	CitizenID   string // a member's ID: finds the household and the member
	MemberNo    int    // with HouseholdID: the member to erase
	Whole       bool   // erase the whole household
	Scope       string // the area the person asking is responsible for ("TH": all)
	By          string
	Reason      string // required: why (the request, its date, its reference)
}

// MaxReason bounds an erasure's written reason, in characters.
const MaxReason = 1000

// ErasureTarget is what a request points at, for confirming before the
// erasure: no personal data, only where the household is.
type ErasureTarget struct {
	Round       string
	HouseholdID int64
	Village     string
	HouseNo     string `json:"-"` // shown to confirm, never logged: it is the household's address
	MemberNo    int    // 0 for a whole household
	Members     int    // members the household has now
}

// ErasureResult says what an erasure removed besides the record itself.
type ErasureResult struct {
	ErasureTarget
	History      int64  `json:"history_changes"`  // history changes dropped (member) or entries deleted (household)
	Audit        int64  `json:"audit_payloads"`   // earlier audit entries whose payload was blanked
	Submissions  int64  `json:"submissions"`      // OpenRosa submissions emptied
	Participants int64  `json:"participants"`     // programme participants deleted or scrubbed
	Targets      int64  `json:"plan_targets"`     // plan targets deleted (household)
	Assistance   int64  `json:"assistance"`       // help records deleted (household)
	Links        int64  `json:"pseudonymous_ids"` // pseudonyms of citizen IDs deleted
	Welfare      int64  `json:"welfare_register"` // entries of the welfare-card register's lists deleted
	Photos       int64  `json:"photos"`           // household photos deleted (documents may show the person)
	Reason       string `json:"reason,omitempty"` // as audited (identifiers masked)
}

// FindErasure checks a request and returns what it would erase, without
// changing anything.
func (s *Store) FindErasure(ctx context.Context, req ErasureRequest) (ErasureTarget, error) {
	t, _, _, err := resolveErasure(ctx, s.read, s.dialect, req, false)
	return t, err
}

// resolveErasure finds the household and member of a request, checking the
// round, the scope and the reason.
func resolveErasure(ctx context.Context, q querier, d dialect, req ErasureRequest, lock bool) (ErasureTarget, *survey.Household, int, error) {
	t := ErasureTarget{Round: req.Round, HouseholdID: req.HouseholdID, MemberNo: req.MemberNo}
	if utf8.RuneCountInString(req.Reason) > MaxReason {
		return t, nil, 0, apperr.New(apperr.Invalid, apperr.Tf("เหตุผลยาวเกิน %d ตัวอักษร", "the reason is longer than %d characters", MaxReason))
	}
	if strings.TrimSpace(req.Reason) == "" {
		return t, nil, 0, apperr.New(apperr.Invalid, apperr.T(
			"การลบข้อมูลส่วนบุคคลต้องระบุเหตุผล (เช่น คำขอของเจ้าของข้อมูล วันที่ และเลขที่คำขอ)",
			"erasing personal data needs a written reason (such as the person's request, its date and reference)"))
	}
	if err := requireHouseholdRound(ctx, q, req.Round); err != nil {
		return t, nil, 0, err
	}
	if req.HouseholdID == 0 {
		cid, err := thai.NormalizeCitizenID(req.CitizenID)
		if err != nil {
			return t, nil, 0, apperr.New(apperr.Invalid, apperr.T(
				"ระบุครัวเรือน หรือเลขประจำตัวประชาชน 13 หลักที่ถูกต้องของสมาชิก", "name a household, or a member's valid 13-digit citizen ID"))
		}
		var key string
		var no int
		err = q.QueryRowContext(ctx, "SELECT hh_key, member_no FROM members WHERE round_id = $1 AND citizen_id = $2", req.Round, cid).Scan(&key, &no)
		if err == sql.ErrNoRows {
			// A pseudonymised household keeps the ID only as its link.
			err = linkedMember(ctx, q, req.Round, cid, &key, &no)
		}
		if err == sql.ErrNoRows {
			return t, nil, 0, apperr.New(apperr.NotFound, apperr.Tf(
				"ไม่มีสมาชิกที่มีเลขประจำตัวประชาชนนี้ในรอบ %s", "no member of round %s has this citizen ID", req.Round))
		}
		if err != nil {
			return t, nil, 0, mapErr(err)
		}
		if err := q.QueryRowContext(ctx, "SELECT id FROM households WHERE round_id = $1 AND hh_key = $2", req.Round, key).Scan(&t.HouseholdID); err != nil {
			return t, nil, 0, mapErr(err)
		}
		t.MemberNo = no
	}
	if req.Whole {
		t.MemberNo = 0
	} else if t.MemberNo <= 0 {
		return t, nil, 0, apperr.New(apperr.Invalid, apperr.T(
			"ระบุลำดับสมาชิกที่จะลบ หรือเลือกลบทั้งครัวเรือน", "name the member to erase, or choose to erase the whole household"))
	}
	forUpdate := ""
	if lock {
		forUpdate = d.forUpdate
	}
	var round string
	var data []byte
	where, args, err := householdByID(ctx, q, d, t.HouseholdID, 1)
	if err != nil {
		return t, nil, 0, err
	}
	err = q.QueryRowContext(ctx, "SELECT round_id, village_code, house_no, data FROM households WHERE "+where+forUpdate, args...).
		Scan(&round, &t.Village, &t.HouseNo, &data)
	if err == sql.ErrNoRows || (err == nil && round != req.Round) {
		return t, nil, 0, apperr.New(apperr.NotFound, apperr.Tf(
			"รอบ %s ไม่มีครัวเรือนหมายเลข %d", "round %s has no household with the id %d", req.Round, t.HouseholdID))
	}
	if err != nil {
		return t, nil, 0, mapErr(err)
	}
	if req.Scope == "" || (req.Scope != "TH" && !strings.HasPrefix(t.Village, req.Scope)) {
		return t, nil, 0, apperr.New(apperr.Forbidden, apperr.T(
			"ครัวเรือนนี้อยู่นอกพื้นที่ที่บัญชีของท่านรับผิดชอบ", "this household is outside the area your account is responsible for"))
	}
	h := new(survey.Household)
	if err := decodeHousehold(data, h); err != nil {
		return t, nil, 0, fmt.Errorf("household %d: %w", t.HouseholdID, err)
	}
	t.Members = len(h.Members)
	idx := -1
	if t.MemberNo > 0 {
		for i, m := range h.Members {
			if m.No == t.MemberNo {
				idx = i
			}
		}
		if idx < 0 {
			return t, nil, 0, apperr.New(apperr.NotFound, apperr.Tf(
				"ครัวเรือนนี้ไม่มีสมาชิกลำดับที่ %d", "this household has no member number %d", t.MemberNo))
		}
		if len(h.Members) == 1 {
			return t, nil, 0, apperr.New(apperr.Invalid, apperr.T(
				"สมาชิกคนนี้เป็นสมาชิกคนเดียวของครัวเรือน: ให้ลบทั้งครัวเรือนแทน", "this is the household's only member: erase the whole household instead"))
		}
	}
	return t, h, idx, nil
}

// Erase removes a person, or a whole household, from a round, and every
// copy of their data elsewhere (see the scrub functions and
// docs/privacy.md), in one transaction. The statistics are updated in the
// same transaction: a household without the member counts as it would have
// been entered without them; an erased household no longer counts. Erasure
// is a person's right, so it applies to certified (locked) data too; the
// audit log keeps who, when, which kind, which round and area and why, but
// nothing of the erased data.
func (s *Store) Erase(ctx context.Context, eng *engine.Engine, req ErasureRequest) (ErasureResult, error) {
	var res ErasureResult
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		t, h, idx, err := resolveErasure(ctx, tx, s.dialect, req, true)
		if err != nil {
			return err
		}
		res = ErasureResult{ErasureTarget: t}
		now := formatTime(s.now())
		key := h.Key()
		var ps []person
		if idx >= 0 {
			ps = []person{personOf(h.Members[idx])}
		} else {
			for _, m := range h.Members {
				ps = append(ps, personOf(m))
			}
		}
		var nos []int
		var cids []string
		for i, m := range h.Members {
			if idx < 0 || i == idx {
				nos, cids = append(nos, m.No), append(cids, m.CitizenID)
			}
		}
		if res.Welfare, err = eraseWelfare(ctx, tx, req.Round, key, nos, cids); err != nil {
			return err
		}
		w := eng.Worker()
		delta := eng.NewTotals()
		delta.Sub(w.Contribution(h))
		if idx >= 0 {
			if err := s.eraseMember(ctx, tx, req.Round, t, h, idx, ps[0], now, req.By, &res); err != nil {
				return err
			}
			w.Add(h, delta) // h is now the household without the member
		} else if err := eraseHousehold(ctx, tx, req.Round, key, t, ps, &res); err != nil {
			return err
		}
		// A re-survey names the members who left and joined in the history
		// of the household they left: the person may be there too.
		n, err := scrubHistoryMentions(ctx, tx, req.Round, key, ps)
		if err != nil {
			return err
		}
		res.History += n
		if res.Submissions, err = scrubSubmissions(ctx, tx, req.Round, key, t.Village, ps, req.By, now); err != nil {
			return err
		}
		if res.Audit, err = scrubAudit(ctx, tx, t.HouseholdID, ps); err != nil {
			return err
		}
		if err := s.applyDeltas(ctx, tx, eng, req.Round, map[string]*engine.Totals{t.Village: delta}); err != nil {
			return err
		}
		res.Reason = strings.TrimSpace(req.Reason)
		for _, p := range ps {
			res.Reason = p.redact(res.Reason)
		}
		action := "pdpa.erase_household"
		if idx >= 0 {
			action = "pdpa.erase_member"
		}
		detail, err := json.Marshal(struct {
			Round string `json:"round"`
			ErasureResult
		}{req.Round, res})
		if err != nil {
			return err
		}
		return insertAudit(ctx, tx, s.now(), req.By, action, t.Village, fmt.Sprintf("household:%d", t.HouseholdID), string(detail))
	})
	if err != nil {
		return ErasureResult{}, fmt.Errorf("erase: %w", err)
	}
	return res, nil
}

// eraseMember rewrites the household without member idx (h is changed in
// place) and removes the member from the citizen-ID index, the pseudonyms,
// the history, programme participants and help notes.
func (s *Store) eraseMember(ctx context.Context, tx *sql.Tx, round string, t ErasureTarget, h *survey.Household, idx int, p person, now, by string, res *ErasureResult) error {
	h.Members = append(h.Members[:idx:idx], h.Members[idx+1:]...)
	respondent := p.first != "" && strings.Contains(h.Respondent, p.first)
	if respondent {
		h.Respondent = ""
	}
	data := appendHouseholdBinary(nil, h)
	where, args, err := householdByID(ctx, tx, s.dialect, t.HouseholdID, 1)
	if err != nil {
		return err
	}
	var version int
	if err := tx.QueryRowContext(ctx, "SELECT version FROM households WHERE "+where, args...).Scan(&version); err != nil {
		return mapErr(err)
	}
	where, args, err = householdByID(ctx, tx, s.dialect, t.HouseholdID, 5)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "UPDATE households SET data = $1, version = $2, updated_at = $3, updated_by = $4 WHERE "+where,
		append([]any{data, version + 1, now, by}, args...)...); err != nil {
		return mapErr(err)
	}
	if err := forgetVillageColumns(ctx, tx, round, h.VillageCode); err != nil {
		return err
	}
	key := h.Key()
	note, _ := json.Marshal([]survey.Change{{Field: "members", New: fmt.Sprintf("PDPA: member %d erased / ลบสมาชิกลำดับที่ %d ตามคำขอ", t.MemberNo, t.MemberNo)}})
	if _, err := tx.ExecContext(ctx, `INSERT INTO household_history (round_id, hh_key, version, changed_at, changed_by, changes) VALUES ($1, $2, $3, $4, $5, $6)`,
		round, key, version+1, now, by, string(note)); err != nil {
		return mapErr(err)
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM members WHERE round_id = $1 AND hh_key = $2 AND member_no = $3", round, key, t.MemberNo); err != nil {
		return mapErr(err)
	}
	r, err := tx.ExecContext(ctx, "DELETE FROM person_links WHERE round_id = $1 AND hh_key = $2 AND member_no = $3", round, key, t.MemberNo)
	if err != nil {
		return mapErr(err)
	}
	res.Links, _ = r.RowsAffected()
	ps := []person{p}
	if res.History, err = scrubHistory(ctx, tx, round, key, func(c survey.Change) bool {
		return strings.HasPrefix(c.Field, "members[") || (respondent && c.Field == "respondent") || changeMentions(c, ps)
	}); err != nil {
		return err
	}
	if res.Participants, err = scrubParticipants(ctx, tx, t.HouseholdID, t.Village, t.HouseNo, ps, participantsOfMember); err != nil {
		return err
	}
	// A photo of a document may show the person (an ID card, the house
	// registration): the household's documents go, and any photo whose
	// caption names them.
	cond, args := personLike("caption", ps, 4)
	r, err = tx.ExecContext(ctx, "DELETE FROM household_photos WHERE round_id = $1 AND hh_key = $2 AND (kind = $3 OR "+cond+")",
		append([]any{round, key, string(survey.PhotoDocument)}, args...)...)
	if err != nil {
		return mapErr(err)
	}
	res.Photos, _ = r.RowsAffected()
	if err := scrubAssistance(ctx, tx, t.HouseholdID, ps); err != nil {
		return err
	}
	// A visit outcome's note about the house (any round) may name them.
	cond, args = personLike("note", ps, 3)
	_, err = tx.ExecContext(ctx, "UPDATE visit_outcomes SET note = '' WHERE village_code = $1 AND hh_key = $2 AND "+cond,
		append([]any{t.Village, key}, args...)...)
	return mapErr(err)
}

// eraseHousehold deletes the household and everything kept about it: its
// history, citizen-ID index and pseudonyms, the plan targets and help given
// naming it, and its programme participants.
func eraseHousehold(ctx context.Context, tx *sql.Tx, round, key string, t ErasureTarget, ps []person, res *ErasureResult) error {
	var err error
	if res.Participants, err = scrubParticipants(ctx, tx, t.HouseholdID, t.Village, t.HouseNo, ps, participantsOfHousehold); err != nil {
		return err
	}
	count := func(n *int64, q string, args ...any) error {
		r, err := tx.ExecContext(ctx, q, args...)
		if err != nil {
			return mapErr(err)
		}
		if n != nil {
			*n, _ = r.RowsAffected()
		}
		return nil
	}
	var deleted int64 // the household itself, found by its round and key
	steps := []struct {
		n    *int64
		q    string
		args []any
	}{
		{&res.Targets, "DELETE FROM plan_targets WHERE household_id = $1", []any{t.HouseholdID}},
		{&res.Assistance, "DELETE FROM assistance WHERE household_id = $1", []any{t.HouseholdID}},
		{&res.History, "DELETE FROM household_history WHERE round_id = $1 AND hh_key = $2", []any{round, key}},
		{&res.Photos, "DELETE FROM household_photos WHERE round_id = $1 AND hh_key = $2", []any{round, key}},
		{nil, "DELETE FROM members WHERE round_id = $1 AND hh_key = $2", []any{round, key}},
		{&res.Links, "DELETE FROM person_links WHERE round_id = $1 AND hh_key = $2", []any{round, key}},
		// The field work about the house: its visit outcomes (a note may name
		// people) and its own assignments, in whichever round they were made.
		{nil, "DELETE FROM visit_outcomes WHERE village_code = $1 AND hh_key = $2", []any{t.Village, key}},
		{nil, "DELETE FROM assignments WHERE village_code = $1 AND hh_key = $2", []any{t.Village, key}},
		{&deleted, "DELETE FROM households WHERE round_id = $1 AND hh_key = $2 AND id = $3", []any{round, key, t.HouseholdID}},
		{nil, "DELETE FROM household_columns WHERE round_id = $1 AND village_code = $2", []any{round, t.Village}},
	}
	for _, st := range steps {
		if err := count(st.n, st.q, st.args...); err != nil {
			return err
		}
	}
	if deleted != 1 {
		return apperr.New(apperr.Internal, apperr.Tf("ครัวเรือนหมายเลข %d ของรอบ %s ไม่ได้เก็บไว้ด้วยรหัส %s จึงไม่ได้ลบ",
			"household %d of round %s is not stored under the key %s, so nothing was erased", t.HouseholdID, round, key))
	}
	return nil
}

// linkedMember finds a member of a pseudonymised household by the link of
// their citizen ID; sql.ErrNoRows when there is none.
func linkedMember(ctx context.Context, q querier, round, cid string, key *string, no *int) error {
	var v string
	if err := q.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = $1", linkKeyMeta).Scan(&v); err != nil {
		return err
	}
	k, err := hex.DecodeString(v)
	if err != nil {
		return err
	}
	return q.QueryRowContext(ctx, "SELECT hh_key, member_no FROM person_links WHERE round_id = $1 AND link = $2", round, PersonLink(k, cid)).Scan(key, no)
}
