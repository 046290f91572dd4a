package store

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"tambon/internal/apperr"
	"tambon/internal/engine"
	"tambon/internal/survey"
)

// A round's retention rule says how long its personal data are kept once a
// tambon's data are certified: after KeepMonths, ApplyRetention removes the
// names, citizen IDs and exact birth dates of that tambon's households and
// keeps only what the statistics and next year's follow-up need (see
// pseudonymise and docs/privacy.md).

// RetentionRule is a round's retention setting.
type RetentionRule struct {
	Round      string
	KeepMonths int
	UpdatedAt  time.Time
	UpdatedBy  string
}

// MaxKeepMonths bounds a retention rule (ten years).
const MaxKeepMonths = 120

// SetRetention sets how many months after certification a round keeps
// personal data, and logs the change.
func (s *Store) SetRetention(ctx context.Context, round string, months int, by string) error {
	if months < 0 || months > MaxKeepMonths {
		return apperr.New(apperr.Invalid, apperr.Tf(
			"ระยะเวลาเก็บข้อมูลต้องอยู่ระหว่าง 0 ถึง %d เดือน", "the retention period must be 0 to %d months", MaxKeepMonths))
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := requireHouseholdRound(ctx, tx, round); err != nil {
			return err
		}
		now := s.now()
		if _, err := tx.ExecContext(ctx, `INSERT INTO round_retention (round_id, keep_months, updated_at, updated_by) VALUES ($1, $2, $3, $4)
			ON CONFLICT (round_id) DO UPDATE SET keep_months = excluded.keep_months, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
			round, months, formatTime(now), by); err != nil {
			return mapErr(err)
		}
		return insertAudit(ctx, tx, now, by, "pdpa.retention_rule", "", "round:"+round, fmt.Sprintf(`{"keep_months":%d}`, months))
	})
}

// Retention returns a round's rule; ok is false when it has none.
func (s *Store) Retention(ctx context.Context, round string) (rule RetentionRule, ok bool, err error) {
	var at string
	err = s.read.QueryRowContext(ctx, "SELECT round_id, keep_months, updated_at, updated_by FROM round_retention WHERE round_id = $1", round).
		Scan(&rule.Round, &rule.KeepMonths, &at, &rule.UpdatedBy)
	if err == sql.ErrNoRows {
		return rule, false, nil
	}
	if err != nil {
		return rule, false, mapErr(err)
	}
	rule.UpdatedAt = parseTime(at)
	return rule, true, nil
}

// RetentionArea is one certified tambon of a round and where it stands
// under the round's rule.
type RetentionArea struct {
	Area        string
	CertifiedAt time.Time
	DueAt       time.Time // zero when the round has no rule
	Due         bool      // the rule's time has come and the data are still there
	AppliedAt   time.Time // zero until retention was applied
	AppliedBy   string
	Households  int // households pseudonymised (once applied)
}

// RetentionAreas lists a round's certified tambons inside scope, and those
// already pseudonymised, with their due dates under the round's rule.
func (s *Store) RetentionAreas(ctx context.Context, round, scope string) ([]RetentionArea, error) {
	return retentionAreas(ctx, s.read, s.now(), round, scope)
}

func retentionAreas(ctx context.Context, q querier, now time.Time, round, scope string) ([]RetentionArea, error) {
	if err := requireHouseholdRound(ctx, q, round); err != nil {
		return nil, err
	}
	months := -1
	if err := q.QueryRowContext(ctx, "SELECT keep_months FROM round_retention WHERE round_id = $1", round).Scan(&months); err != nil && err != sql.ErrNoRows {
		return nil, mapErr(err)
	}
	if scope == "" || (scope != "TH" && len(scope) > 6) {
		return nil, nil // retention goes by tambon: a village's account has none to itself
	}
	lo, hi := codeRange(scope, 6)
	byArea := map[string]*RetentionArea{}
	rows, err := q.QueryContext(ctx, `SELECT a.area_code, max(r.at) FROM round_areas a JOIN round_reviews r
		ON r.round_id = a.round_id AND r.area_code = a.area_code AND r.step = $2
		WHERE a.round_id = $1 AND a.status = $3 AND a.area_code BETWEEN $4 AND $5 GROUP BY a.area_code`,
		round, string(survey.Certify), string(survey.StatusCertified), lo, hi)
	if err != nil {
		return nil, mapErr(err)
	}
	for rows.Next() {
		var code, at string
		if err := rows.Scan(&code, &at); err != nil {
			rows.Close()
			return nil, err
		}
		byArea[code] = &RetentionArea{Area: code, CertifiedAt: parseTime(at)}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = q.QueryContext(ctx, `SELECT area_code, certified_at, applied_at, applied_by, households FROM retained_areas
		WHERE round_id = $1 AND area_code BETWEEN $2 AND $3`, round, lo, hi)
	if err != nil {
		return nil, mapErr(err)
	}
	for rows.Next() {
		var a RetentionArea
		var cert, applied string
		if err := rows.Scan(&a.Area, &cert, &applied, &a.AppliedBy, &a.Households); err != nil {
			rows.Close()
			return nil, err
		}
		a.CertifiedAt, a.AppliedAt = parseTime(cert), parseTime(applied)
		byArea[a.Area] = &a
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]RetentionArea, 0, len(byArea))
	for _, a := range byArea {
		if months >= 0 {
			a.DueAt = a.CertifiedAt.AddDate(0, months, 0)
			a.Due = a.AppliedAt.IsZero() && !now.Before(a.DueAt)
		}
		out = append(out, *a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Area < out[j].Area })
	return out, nil
}

// RetentionResult says what ApplyRetention did.
type RetentionResult struct {
	Round      string
	Areas      []string // tambons pseudonymised now
	Households int
	Members    int // members whose names, IDs and birth days went
}

// ApplyRetention pseudonymises the households of every tambon of the round,
// inside scope, whose retention time has come (RetentionAreas' Due), one
// transaction per tambon (a province's tambons are thousands of households
// each), each logged. The statistics do not change: every household is
// checked to count exactly as before, or nothing of its tambon is written.
// On an error, the tambons already done stay done and are in the result.
func (s *Store) ApplyRetention(ctx context.Context, eng *engine.Engine, round, scope, by string) (RetentionResult, error) {
	res := RetentionResult{Round: round}
	if scope == "" {
		return res, apperr.New(apperr.Forbidden, apperr.T("ไม่ได้ระบุพื้นที่ที่รับผิดชอบ", "no area of responsibility was given"))
	}
	areas, err := retentionAreas(ctx, s.read, s.now(), round, scope)
	if err != nil {
		return res, fmt.Errorf("retention of round %s: %w", round, err)
	}
	w := eng.Worker()
	for _, due := range areas {
		if !due.Due {
			continue
		}
		var n, members int
		done := false
		err := s.inTx(ctx, func(tx *sql.Tx) error {
			now := s.now()
			// Still due, now that the tambon is ours to write.
			again, err := retentionAreas(ctx, tx, now, round, due.Area)
			if err != nil {
				return err
			}
			if len(again) != 1 || !again[0].Due {
				return nil
			}
			a := again[0]
			key, err := linkKey(ctx, tx)
			if err != nil {
				return err
			}
			if n, members, err = s.retainArea(ctx, tx, w, key, round, a.Area, by, now); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO retained_areas (round_id, area_code, certified_at, applied_at, applied_by, households)
				VALUES ($1, $2, $3, $4, $5, $6)`, round, a.Area, formatTime(a.CertifiedAt), formatTime(now), by, n); err != nil {
				return mapErr(err)
			}
			detail, _ := json.Marshal(map[string]any{"round": round, "certified_at": formatTime(a.CertifiedAt), "due_at": formatTime(a.DueAt),
				"households": n, "members": members})
			if err := insertAudit(ctx, tx, now, by, "pdpa.retention", a.Area, "round:"+round, string(detail)); err != nil {
				return err
			}
			done = true
			return bumpGeneration(ctx, tx)
		})
		if err != nil {
			return res, fmt.Errorf("retention of round %s, tambon %s: %w", round, due.Area, err)
		}
		if done {
			res.Areas = append(res.Areas, due.Area)
			res.Households += n
			res.Members += members
		}
	}
	return res, nil
}

// retainArea pseudonymises one tambon's households.
func (s *Store) retainArea(ctx context.Context, tx *sql.Tx, w *engine.Worker, key []byte, round, tambon, by string, now time.Time) (households, members int, err error) {
	lo, hi := codeRange(tambon, 8)
	rows, err := tx.QueryContext(ctx, "SELECT id, hh_key, version, data FROM households WHERE round_id = $1 AND village_code BETWEEN $2 AND $3 ORDER BY id",
		round, lo, hi)
	if err != nil {
		return 0, 0, mapErr(err)
	}
	type row struct {
		id      int64
		key     string
		version int
		data    []byte
	}
	var all []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.key, &r.version, &r.data); err != nil {
			rows.Close()
			return 0, 0, err
		}
		all = append(all, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, 0, err
	}
	stamp := formatTime(now)
	area := &areaScrub{round: round, tambon: tambon, ids: map[int64]string{}, keys: map[string]bool{}}
	note, _ := json.Marshal([]survey.Change{{Field: "members", New: "PDPA: personal data removed after the retention period / ลบข้อมูลส่วนบุคคลเมื่อครบระยะเวลาเก็บรักษา"}})
	for _, r := range all {
		h := new(survey.Household)
		if err := decodeHousehold(r.data, h); err != nil {
			return 0, 0, fmt.Errorf("household %d: %w", r.id, err)
		}
		before := w.Contribution(h)
		var ps []person
		for _, m := range h.Members {
			ps = append(ps, personOf(m))
		}
		links := pseudonymise(h, key)
		if !w.Contribution(h).Equal(before) {
			return 0, 0, apperr.New(apperr.Internal, apperr.Tf(
				"การทำข้อมูลแฝงของครัวเรือน %d จะเปลี่ยนสถิติ จึงไม่ได้ทำ", "pseudonymising household %d would change the statistics, so nothing was done", r.id))
		}
		if _, err := tx.ExecContext(ctx, "UPDATE households SET data = $1, version = $2, updated_at = $3, updated_by = $4 WHERE round_id = $5 AND hh_key = $6 AND id = $7",
			appendHouseholdBinary(nil, h), r.version+1, stamp, by, round, r.key, r.id); err != nil {
			return 0, 0, mapErr(err)
		}
		if err := forgetVillageColumns(ctx, tx, round, h.VillageCode); err != nil {
			return 0, 0, err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO household_history (round_id, hh_key, version, changed_at, changed_by, changes) VALUES ($1, $2, $3, $4, $5, $6)`,
			round, r.key, r.version+1, stamp, by, string(note)); err != nil {
			return 0, 0, mapErr(err)
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM members WHERE round_id = $1 AND hh_key = $2", round, r.key); err != nil {
			return 0, 0, mapErr(err)
		}
		for no, link := range links {
			if _, err := tx.ExecContext(ctx, `INSERT INTO person_links (round_id, hh_key, member_no, link) VALUES ($1, $2, $3, $4)
				ON CONFLICT (round_id, hh_key, member_no) DO UPDATE SET link = excluded.link`, round, r.key, no, link); err != nil {
				return 0, 0, mapErr(err)
			}
			// The register keeps the person by the same link: a citizen ID
			// kept beside it goes with the household's.
			if _, err := tx.ExecContext(ctx, "UPDATE welfare_entries SET citizen_id = '' WHERE person = $1 AND citizen_id <> ''", link); err != nil {
				return 0, 0, mapErr(err)
			}
		}
		if _, err := scrubHistory(ctx, tx, round, r.key, func(c survey.Change) bool {
			return retainedField(c.Field) || changeMentions(c, ps)
		}); err != nil {
			return 0, 0, err
		}
		// Photos of documents show names and IDs: they go. Photos of the
		// house stay, without a caption that could name someone.
		if _, err := tx.ExecContext(ctx, "DELETE FROM household_photos WHERE round_id = $1 AND hh_key = $2 AND kind = $3", round, r.key, string(survey.PhotoDocument)); err != nil {
			return 0, 0, mapErr(err)
		}
		if _, err := tx.ExecContext(ctx, "UPDATE household_photos SET caption = '' WHERE round_id = $1 AND hh_key = $2", round, r.key); err != nil {
			return 0, 0, mapErr(err)
		}
		for _, p := range ps {
			area.people = append(area.people, p)
			area.houseOf = append(area.houseOf, h.HouseNo)
		}
		area.ids[r.id], area.keys[r.key] = h.HouseNo, true
		households++
		members += len(h.Members)
	}
	area.m = newMatcher(area.people)
	if err := area.audit(ctx, tx); err != nil {
		return 0, 0, err
	}
	if err := area.submissions(ctx, tx, by, stamp); err != nil {
		return 0, 0, err
	}
	if err := area.participants(ctx, tx); err != nil {
		return 0, 0, err
	}
	if err := area.assistance(ctx, tx); err != nil {
		return 0, 0, err
	}
	if err := area.visitNotes(ctx, tx); err != nil {
		return 0, 0, err
	}
	return households, members, nil
}

// pseudonymise removes what identifies the household's people and keeps
// what the statistics and follow-up need: each citizen ID becomes a keyed
// hash (returned by member number, kept in person_links), names, the
// respondent and the phone number go, and a birth date keeps its year and
// month only (the first of the month): ages in completed years and months at
// the round's reference date (31 December) are the same, so every
// indicator counts the same.
func pseudonymise(h *survey.Household, key []byte) map[int]string {
	links := map[int]string{}
	for i := range h.Members {
		m := &h.Members[i]
		if m.CitizenID != "" {
			links[m.No] = PersonLink(key, m.CitizenID)
		}
		m.Title, m.FirstName, m.LastName, m.CitizenID = "", "", "", ""
		if !m.BirthDate.IsZero() {
			y, mo, _ := m.BirthDate.Date()
			m.BirthDate = time.Date(y, mo, 1, 0, 0, 0, 0, time.UTC)
		}
	}
	h.Respondent, h.Phone = "", ""
	return links
}

// retainedField reports whether a history change is of a field that
// retention removes.
func retainedField(field string) bool {
	last := field[strings.LastIndexByte(field, '.')+1:]
	switch last {
	case "title", "first_name", "last_name", "citizen_id", "birth_date", "respondent", "phone":
		return true
	case "moved_out", "died", "joined": // a re-survey's leavers and newcomers, by name (survey.ResurveyChanges)
		return true
	}
	return false
}

// PersonLink is the keyed pseudonym of a citizen ID: HMAC-SHA-256 under the
// database's link key, hex. The same ID gives the same link in every round
// of the database, so a pseudonymised household can still be followed into
// the next round, but the ID cannot be read back from it without the key.
func PersonLink(key []byte, citizenID string) string {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(citizenID))
	return hex.EncodeToString(mac.Sum(nil))
}

const linkKeyMeta = "pdpa_link_key"

// linkKey returns the database's pseudonym key, making it on first use.
func linkKey(ctx context.Context, tx *sql.Tx) ([]byte, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING", linkKeyMeta, hex.EncodeToString(b[:])); err != nil {
		return nil, mapErr(err)
	}
	var v string
	if err := tx.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = $1", linkKeyMeta).Scan(&v); err != nil {
		return nil, mapErr(err)
	}
	return hex.DecodeString(v)
}

// PersonLinks returns the pseudonyms kept for a round's household, by
// member number.
func (s *Store) PersonLinks(ctx context.Context, round, key string) (map[int]string, error) {
	rows, err := s.read.QueryContext(ctx, "SELECT member_no, link FROM person_links WHERE round_id = $1 AND hh_key = $2", round, key)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := map[int]string{}
	for rows.Next() {
		var no int
		var link string
		if err := rows.Scan(&no, &link); err != nil {
			return nil, err
		}
		out[no] = link
	}
	return out, rows.Err()
}
