package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"tambon/internal/survey"
	"tambon/internal/thai"
	"tambon/internal/xform"
)

// Erasure and retention remove a person's data from the household record and
// then from every other place it was copied to: the household's edit
// history, the audit log's payloads, OpenRosa submissions' raw XML and
// attachments, programme participants, plan targets and help given. The
// scrub functions here are that second half; docs/privacy.md lists each
// place and what happens there.

// person is what identifies someone in stored text: their citizen ID (bare
// and as printed on the card) and their name. A name counts only as first
// and last name together, so that scrubbing "สมชาย" does not wipe every
// other สมชาย's entries.
type person struct {
	first, last, cid string
}

func personOf(m survey.Member) person {
	return person{first: strings.TrimSpace(m.FirstName), last: strings.TrimSpace(m.LastName), cid: m.CitizenID}
}

// in reports whether text mentions the person.
func (p person) in(text string) bool {
	if p.cid != "" && (strings.Contains(text, p.cid) || strings.Contains(text, thai.FormatCitizenID(p.cid))) {
		return true
	}
	return p.first != "" && p.last != "" && strings.Contains(text, p.first) && strings.Contains(text, p.last)
}

// redact replaces the person's identifiers in text (an erasure's written
// reason may name the person it is about).
func (p person) redact(text string) string {
	for _, s := range []string{p.cid, thai.FormatCitizenID(p.cid), p.first, p.last} {
		if len(s) >= 2 {
			text = strings.ReplaceAll(text, s, "***")
		}
	}
	return text
}

func anyIn(ps []person, text string) bool {
	for _, p := range ps {
		if p.in(text) {
			return true
		}
	}
	return false
}

// likeEscape quotes % _ and \ for a LIKE pattern with ESCAPE '\'.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// personLike is the SQL condition "col mentions one of ps", with its
// arguments numbered from next.
func personLike(col string, ps []person, next int) (string, []any) {
	var conds []string
	var args []any
	arg := func(s string) string {
		args = append(args, "%"+likeEscape(s)+"%")
		return fmt.Sprintf("%s LIKE $%d ESCAPE '\\'", col, next+len(args)-1)
	}
	for _, p := range ps {
		if p.cid != "" {
			conds = append(conds, arg(p.cid), arg(thai.FormatCitizenID(p.cid)))
		}
		if p.first != "" && p.last != "" {
			conds = append(conds, "("+arg(p.first)+" AND "+arg(p.last)+")")
		}
	}
	if len(conds) == 0 {
		return "FALSE", nil
	}
	return "(" + strings.Join(conds, " OR ") + ")", args
}

// erasedDetail replaces an audit entry's payload that held erased data: who,
// when, what and where stay; the data go.
const erasedDetail = `{"erased":"pdpa"}`

// scrubAudit blanks the payload of every earlier audit entry about the
// household (its object is household:ID or a /households/ID path) or that
// mentions one of the people. The erasure's own entries (pdpa.*) are kept.
func scrubAudit(ctx context.Context, tx *sql.Tx, householdID int64, ps []person) (int64, error) {
	id := fmt.Sprint(householdID)
	cond, args := personLike("detail", ps, 5)
	res, err := tx.ExecContext(ctx, `UPDATE audit_log SET detail = $1 WHERE action NOT LIKE 'pdpa.%' AND detail <> $1
		AND (object = $2 OR object = $3 OR object LIKE $4 OR `+cond+`)`,
		append([]any{erasedDetail, "household:" + id, "/households/" + id, "/households/" + id + "/%"}, args...)...)
	if err != nil {
		return 0, mapErr(err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}

// scrubHistory rewrites a household's edit history without the changes drop
// picks, keeping each entry's version, time and author. It returns how many
// changes went.
func scrubHistory(ctx context.Context, tx *sql.Tx, round, key string, drop func(survey.Change) bool) (int64, error) {
	rows, err := tx.QueryContext(ctx, "SELECT id, changes FROM household_history WHERE round_id = $1 AND hh_key = $2", round, key)
	if err != nil {
		return 0, mapErr(err)
	}
	type entry struct {
		id      int64
		changes string
	}
	var all []entry
	for rows.Next() {
		var e entry
		if err := rows.Scan(&e.id, &e.changes); err != nil {
			rows.Close()
			return 0, err
		}
		all = append(all, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	var dropped int64
	for _, e := range all {
		var cs []survey.Change
		if err := json.Unmarshal([]byte(e.changes), &cs); err != nil {
			return 0, fmt.Errorf("history %d: %w", e.id, err)
		}
		kept := make([]survey.Change, 0, len(cs))
		for _, c := range cs {
			if drop(c) {
				dropped++
			} else {
				kept = append(kept, c)
			}
		}
		if len(kept) == len(cs) {
			continue
		}
		b, err := json.Marshal(kept)
		if err != nil {
			return 0, err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE household_history SET changes = $1 WHERE id = $2", string(b), e.id); err != nil {
			return 0, mapErr(err)
		}
	}
	return dropped, nil
}

// scrubHistoryMentions drops, from the history of every other household
// of the round, the changes that mention one of the people: a member who
// moved from one household to another is named in the history of the one
// they left (survey.ResurveyChanges, or an edit that removed them).
func scrubHistoryMentions(ctx context.Context, tx *sql.Tx, round, key string, ps []person) (int64, error) {
	cond, args := personLike("changes", ps, 3)
	rows, err := tx.QueryContext(ctx, "SELECT DISTINCT hh_key FROM household_history WHERE round_id = $1 AND hh_key <> $2 AND "+cond,
		append([]any{round, key}, args...)...)
	if err != nil {
		return 0, mapErr(err)
	}
	var keys []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			rows.Close()
			return 0, err
		}
		keys = append(keys, k)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	var dropped int64
	for _, k := range keys {
		n, err := scrubHistory(ctx, tx, round, k, func(c survey.Change) bool { return changeMentions(c, ps) })
		if err != nil {
			return 0, err
		}
		dropped += n
	}
	return dropped, nil
}

// changeMentions reports whether a history change's old or new value
// mentions one of the people.
func changeMentions(c survey.Change, ps []person) bool {
	return anyIn(ps, fmt.Sprint(c.Old)) || anyIn(ps, fmt.Sprint(c.New))
}

// scrubSubmissions empties the raw XML and deletes the attachments of every
// OpenRosa submission of the household (by key) or that mentions one of the
// people, in its village (or with no village: unreadable ones). The row
// stays, with its instance ID and checksum, so that the phone resending the
// same form is told it is a duplicate instead of writing the data again; a
// submission still waiting for review is closed as rejected.
func scrubSubmissions(ctx context.Context, tx *sql.Tx, round, key, village string, ps []person, by, now string) (int64, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, hh_key, status, xml, problems FROM submissions
		WHERE (round_id = $1 OR round_id = '') AND (hh_key = $2 OR village_code = $3 OR village_code = '')`, round, key, village)
	if err != nil {
		return 0, mapErr(err)
	}
	type hit struct {
		id     int64
		status string
	}
	var hits []hit
	for rows.Next() {
		var id int64
		var k, st, problems string
		var xml []byte
		if err := rows.Scan(&id, &k, &st, &xml, &problems); err != nil {
			rows.Close()
			return 0, err
		}
		if (k == key && key != "") || anyIn(ps, string(xml)) || anyIn(ps, problems) {
			hits = append(hits, hit{id, st})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for _, h := range hits {
		if _, err := tx.ExecContext(ctx, "DELETE FROM submission_media WHERE submission_id = $1", h.id); err != nil {
			return 0, mapErr(err)
		}
		if h.status == string(xform.Review) {
			_, err = tx.ExecContext(ctx, `UPDATE submissions SET xml = $1, problems = '', note = $2, status = $3, decided_at = $4, decided_by = $5 WHERE id = $6`,
				[]byte{}, erasedNote, string(xform.Rejected), now, by, h.id)
		} else {
			_, err = tx.ExecContext(ctx, `UPDATE submissions SET xml = $1, problems = '', note = $2 WHERE id = $3`, []byte{}, erasedNote, h.id)
		}
		if err != nil {
			return 0, mapErr(err)
		}
	}
	return int64(len(hits)), nil
}

// erasedNote marks a submission whose XML was removed.
const erasedNote = "ลบข้อมูลส่วนบุคคลแล้ว (PDPA) / personal data removed (PDPA)"

// How scrubParticipants treats a participant named after an erased person.
const (
	participantsOfMember    = iota // the member is erased: their participant record goes
	participantsOfHousehold        // the household is erased: its participants go too
	participantsRenamed            // retention: the participant stays, named after the house
)

// scrubParticipants deals with programme participants of the household or
// its village and tambon: those named after one of the people are deleted
// with their steps, scores, attendance and files (or, under retention,
// renamed after the house number, without their photos); with
// participantsOfHousehold the household's own participants go too. Any other participant keeps their
// record, with every field that mentions the people emptied.
func scrubParticipants(ctx context.Context, tx *sql.Tx, householdID int64, village, houseNo string, ps []person, mode int) (int64, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, name, fields, COALESCE(household_id, 0) FROM programme_participants
		WHERE household_id = $1 OR area_code = $2 OR area_code = $3`, householdID, village, village[:min(6, len(village))])
	if err != nil {
		return 0, mapErr(err)
	}
	type part struct {
		id     int64
		name   string
		fields string
		hh     int64
	}
	var all []part
	for rows.Next() {
		var p part
		if err := rows.Scan(&p.id, &p.name, &p.fields, &p.hh); err != nil {
			rows.Close()
			return 0, err
		}
		all = append(all, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	var n int64
	for _, p := range all {
		named := anyIn(ps, p.name)
		if (mode == participantsOfHousehold && p.hh == householdID) || (named && mode != participantsRenamed) {
			if _, err := tx.ExecContext(ctx, "DELETE FROM programme_participants WHERE id = $1", p.id); err != nil {
				return 0, mapErr(err)
			}
			n++
			continue
		}
		if !named && !anyIn(ps, p.fields) {
			continue
		}
		name := p.name
		if named {
			name = "บ้านเลขที่ " + houseNo + " / house no. " + houseNo
			// Photos of a household kept under another name go.
			if _, err := tx.ExecContext(ctx, "DELETE FROM programme_photos WHERE participant_id = $1", p.id); err != nil {
				return 0, mapErr(err)
			}
		}
		var fields map[string]string
		if err := json.Unmarshal([]byte(p.fields), &fields); err != nil {
			return 0, fmt.Errorf("participant %d: %w", p.id, err)
		}
		for k, v := range fields {
			if anyIn(ps, v) {
				fields[k] = ""
			}
		}
		b, _ := json.Marshal(fields)
		if _, err := tx.ExecContext(ctx, "UPDATE programme_participants SET name = $1, fields = $2 WHERE id = $3", name, string(b), p.id); err != nil {
			return 0, mapErr(err)
		}
		n++
	}
	return n, scrubProgrammeTexts(ctx, tx, ps)
}

// scrubAssistance empties the free-text note of help given to the
// household when it mentions one of the people.
func scrubAssistance(ctx context.Context, tx *sql.Tx, householdID int64, ps []person) error {
	cond, args := personLike("note", ps, 2)
	_, err := tx.ExecContext(ctx, "UPDATE assistance SET note = '' WHERE household_id = $1 AND "+cond, append([]any{householdID}, args...)...)
	return mapErr(err)
}

// programmeTexts are the free texts written about programme participants
// after enrolment, where a person may be named: an action plan, a change's
// values and note, what a session saw, a photo's caption, why a stage was
// moved back.
var programmeTexts = []struct{ table, key, column string }{
	{"programme_participants", "id", "action_plan"},
	{"programme_changes", "id", "old_value"},
	{"programme_changes", "id", "new_value"},
	{"programme_changes", "id", "note"},
	{"programme_sessions", "id", "observations"},
	{"programme_photos", "id", "caption"},
	{"programme_stage_moves", "id", "reason"},
}

// redactProgrammeTexts rewrites the programme texts (programmeTexts) that
// where picks, as redact returns them when it changed them.
func redactProgrammeTexts(ctx context.Context, tx *sql.Tx, where func(column string) (string, []any), redact func(string) (string, bool)) error {
	for _, pt := range programmeTexts {
		cond, args := where(pt.column)
		rows, err := tx.QueryContext(ctx, fmt.Sprintf("SELECT %s, %s FROM %s WHERE %s", pt.key, pt.column, pt.table, cond), args...)
		if err != nil {
			return fmt.Errorf("%s.%s: %w", pt.table, pt.column, mapErr(err))
		}
		type hit struct {
			id   int64
			text string
		}
		var hits []hit
		for rows.Next() {
			var h hit
			if err := rows.Scan(&h.id, &h.text); err != nil {
				rows.Close()
				return err
			}
			if text, changed := redact(h.text); changed {
				hits = append(hits, hit{h.id, text})
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, h := range hits {
			if _, err := tx.ExecContext(ctx, fmt.Sprintf("UPDATE %s SET %s = $1 WHERE %s = $2", pt.table, pt.column, pt.key), h.text, h.id); err != nil {
				return mapErr(err)
			}
		}
	}
	return nil
}

// scrubProgrammeTexts redacts the people in every programme text that
// mentions one of them.
func scrubProgrammeTexts(ctx context.Context, tx *sql.Tx, ps []person) error {
	return redactProgrammeTexts(ctx, tx, func(col string) (string, []any) { return personLike(col, ps, 1) }, func(text string) (string, bool) {
		changed := false
		for _, p := range ps {
			if p.in(text) {
				text, changed = p.redact(text), true
			}
		}
		return text, changed
	})
}
