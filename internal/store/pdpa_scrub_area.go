package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"tambon/internal/xform"
)

// Retention scrubs a whole tambon at once: one pass over each place (the
// audit log, submissions, participants, help notes) for all its households,
// instead of one pass per household, since the audit log of a province
// runs to millions of rows. An erasure (one household) uses the exact
// per-household scrubs of pdpa_scrub.go instead.

// matcher finds any of many people in a text without trying each: citizen
// IDs are looked up from the text's 13-digit runs (bare or printed with
// dashes), names from its words: a word that is someone's last name, with
// their first name also in the text.
type matcher struct {
	cids  map[string]int            // citizen ID → person
	lasts map[string][]matcherFirst // last name → first names
}

type matcherFirst struct {
	first  string
	person int
}

func newMatcher(ps []person) *matcher {
	m := &matcher{cids: map[string]int{}, lasts: map[string][]matcherFirst{}}
	for i, p := range ps {
		if p.cid != "" {
			m.cids[p.cid] = i
		}
		if p.first != "" && p.last != "" {
			for _, w := range words(p.last) {
				m.lasts[w] = append(m.lasts[w], matcherFirst{p.first, i})
			}
		}
	}
	return m
}

// words splits text at everything that is not a letter, mark or digit.
func words(text string) []string {
	return strings.FieldsFunc(text, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsMark(r) && !unicode.IsDigit(r)
	})
}

// find returns the person text mentions, or -1.
func (m *matcher) find(text string) int {
	run := make([]byte, 0, 17)
	flush := func() int {
		if len(run) == 13 {
			if i, ok := m.cids[string(run)]; ok {
				return i
			}
		}
		run = run[:0]
		return -1
	}
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case c >= '0' && c <= '9':
			run = append(run, c)
		case c == '-' && len(run) > 0:
		default:
			if p := flush(); p >= 0 {
				return p
			}
		}
	}
	if p := flush(); p >= 0 {
		return p
	}
	if len(m.lasts) == 0 {
		return -1
	}
	for _, w := range words(text) {
		for _, f := range m.lasts[w] {
			if strings.Contains(text, f.first) {
				return f.person
			}
		}
	}
	return -1
}

// areaScrub is what retention scrubs in one tambon.
type areaScrub struct {
	round, tambon string
	ids           map[int64]string // household id → house number
	keys          map[string]bool
	people        []person
	houseOf       []string // each person's house number
	m             *matcher
}

// householdObject returns the household id an audit object names
// (household:ID, /households/ID…), or 0.
func householdObject(object string) int64 {
	var rest string
	switch {
	case strings.HasPrefix(object, "household:"):
		rest = object[len("household:"):]
	case strings.HasPrefix(object, "/households/"):
		rest, _, _ = strings.Cut(object[len("/households/"):], "/")
	default:
		return 0
	}
	id, _ := strconv.ParseInt(rest, 10, 64)
	return id
}

// audit blanks the payloads of audit entries filed under the tambon,
// its villages or the areas above it that are about one of its households
// or mention one of its people.
func (a *areaScrub) audit(ctx context.Context, tx *sql.Tx) error {
	lo, hi := codeRange(a.tambon, 8)
	rows, err := tx.QueryContext(ctx, `SELECT id, object, detail FROM audit_log WHERE action NOT LIKE 'pdpa.%' AND detail <> $1
		AND (area_code BETWEEN $2 AND $3 OR area_code IN ('', 'TH', $4, $5, $6))`, erasedDetail, lo, hi, a.tambon[:2], a.tambon[:4], a.tambon)
	if err != nil {
		return mapErr(err)
	}
	var hits []int64
	for rows.Next() {
		var id int64
		var object, detail string
		if err := rows.Scan(&id, &object, &detail); err != nil {
			rows.Close()
			return err
		}
		if _, ok := a.ids[householdObject(object)]; ok || a.m.find(detail) >= 0 {
			hits = append(hits, id)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, id := range hits {
		if _, err := tx.ExecContext(ctx, "UPDATE audit_log SET detail = $1 WHERE id = $2", erasedDetail, id); err != nil {
			return mapErr(err)
		}
	}
	return nil
}

// submissions empties the submissions of the tambon's households, and any
// in its villages (or unreadable, with no village) that mention its people.
func (a *areaScrub) submissions(ctx context.Context, tx *sql.Tx, by, now string) error {
	lo, hi := codeRange(a.tambon, 8)
	rows, err := tx.QueryContext(ctx, `SELECT id, hh_key, status, xml, problems FROM submissions
		WHERE (round_id = $1 OR round_id = '') AND (village_code BETWEEN $2 AND $3 OR village_code = '') AND note <> $4`, a.round, lo, hi, erasedNote)
	if err != nil {
		return mapErr(err)
	}
	type hit struct {
		id     int64
		status string
	}
	var hits []hit
	for rows.Next() {
		var id int64
		var key, st, problems string
		var xml []byte
		if err := rows.Scan(&id, &key, &st, &xml, &problems); err != nil {
			rows.Close()
			return err
		}
		if a.keys[key] || a.m.find(string(xml)) >= 0 || a.m.find(problems) >= 0 {
			hits = append(hits, hit{id, st})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, h := range hits {
		if _, err := tx.ExecContext(ctx, "DELETE FROM submission_media WHERE submission_id = $1", h.id); err != nil {
			return mapErr(err)
		}
		if h.status == string(xform.Review) {
			_, err = tx.ExecContext(ctx, `UPDATE submissions SET xml = $1, problems = '', note = $2, status = $3, decided_at = $4, decided_by = $5 WHERE id = $6`,
				[]byte{}, erasedNote, string(xform.Rejected), now, by, h.id)
		} else {
			_, err = tx.ExecContext(ctx, `UPDATE submissions SET xml = $1, problems = '', note = $2 WHERE id = $3`, []byte{}, erasedNote, h.id)
		}
		if err != nil {
			return mapErr(err)
		}
	}
	return nil
}

// participants renames the participants of the tambon named after one of
// its people after their house, and empties fields that mention them.
func (a *areaScrub) participants(ctx context.Context, tx *sql.Tx) error {
	lo, hi := codeRange(a.tambon, 8)
	rows, err := tx.QueryContext(ctx, `SELECT id, name, fields, COALESCE(household_id, 0) FROM programme_participants
		WHERE area_code BETWEEN $1 AND $2 OR area_code = $3`, lo, hi, a.tambon)
	if err != nil {
		return mapErr(err)
	}
	type part struct {
		id           int64
		name, fields string
		hh           int64
	}
	var all []part
	for rows.Next() {
		var p part
		if err := rows.Scan(&p.id, &p.name, &p.fields, &p.hh); err != nil {
			rows.Close()
			return err
		}
		all = append(all, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, p := range all {
		who := a.m.find(p.name)
		if who < 0 && a.m.find(p.fields) < 0 {
			continue
		}
		name := p.name
		if who >= 0 {
			house := a.houseOf[who]
			if h, ok := a.ids[p.hh]; ok {
				house = h
			}
			name = "บ้านเลขที่ " + house + " / house no. " + house
			if _, err := tx.ExecContext(ctx, "DELETE FROM programme_photos WHERE participant_id = $1", p.id); err != nil {
				return mapErr(err)
			}
		}
		var fields map[string]string
		if err := json.Unmarshal([]byte(p.fields), &fields); err != nil {
			return fmt.Errorf("participant %d: %w", p.id, err)
		}
		for k, v := range fields {
			if a.m.find(v) >= 0 {
				fields[k] = ""
			}
		}
		b, _ := json.Marshal(fields)
		if _, err := tx.ExecContext(ctx, "UPDATE programme_participants SET name = $1, fields = $2 WHERE id = $3", name, string(b), p.id); err != nil {
			return mapErr(err)
		}
	}
	// What was written about participants after enrolment (programmeTexts):
	// every non-empty text is read, as the tables are small beside the
	// audit log.
	return redactProgrammeTexts(ctx, tx, func(col string) (string, []any) { return col + " <> ''", nil }, func(text string) (string, bool) {
		changed := false
		for range a.people {
			i := a.m.find(text)
			if i < 0 {
				break
			}
			text, changed = a.people[i].redact(text), true
		}
		return text, changed
	})
}

// assistance empties the notes of help given in the tambon that mention
// one of its people.
func (a *areaScrub) assistance(ctx context.Context, tx *sql.Tx) error {
	lo, hi := codeRange(a.tambon, 8)
	rows, err := tx.QueryContext(ctx, "SELECT id, note FROM assistance WHERE village_code BETWEEN $1 AND $2 AND note <> ''", lo, hi)
	if err != nil {
		return mapErr(err)
	}
	var hits []int64
	for rows.Next() {
		var id int64
		var note string
		if err := rows.Scan(&id, &note); err != nil {
			rows.Close()
			return err
		}
		if a.m.find(note) >= 0 {
			hits = append(hits, id)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, id := range hits {
		if _, err := tx.ExecContext(ctx, "UPDATE assistance SET note = '' WHERE id = $1", id); err != nil {
			return mapErr(err)
		}
	}
	return nil
}

// visitNotes empties the notes of visit outcomes (assignments) in the
// tambon that mention one of its people.
func (a *areaScrub) visitNotes(ctx context.Context, tx *sql.Tx) error {
	lo, hi := codeRange(a.tambon, 8)
	rows, err := tx.QueryContext(ctx, "SELECT round_id, hh_key, note FROM visit_outcomes WHERE village_code BETWEEN $1 AND $2 AND note <> ''", lo, hi)
	if err != nil {
		return mapErr(err)
	}
	var hits [][2]string
	for rows.Next() {
		var round, key, note string
		if err := rows.Scan(&round, &key, &note); err != nil {
			rows.Close()
			return err
		}
		if a.m.find(note) >= 0 {
			hits = append(hits, [2]string{round, key})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, h := range hits {
		if _, err := tx.ExecContext(ctx, "UPDATE visit_outcomes SET note = '' WHERE round_id = $1 AND hh_key = $2", h[0], h[1]); err != nil {
			return mapErr(err)
		}
	}
	return nil
}
