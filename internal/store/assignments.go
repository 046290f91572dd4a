package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"time"

	"tambon/internal/apperr"
	"tambon/internal/assign"
	"tambon/internal/survey"
	"tambon/internal/user"
)

// Field assignments (migration 0019, rules in internal/assign).
//
// The households to visit in a round are the previous round's households
// (previousRound: the same kind, the latest earlier survey year) of the
// area, plus the new ones found. A tambon team gives a whole village, or
// chosen households of it, to an enumerator; a household's own assignment
// stands before its village's. A household of the previous round is
// visited when this round holds a household linked to it: the same key
// (house code, else village and house number), or else the same village
// and house number. Otherwise its recorded outcome (refused, moved away,
// not found) tells what became of the visit, or it remains to be visited.
// A household of this round linked to none of the previous round's is a
// new household found.
//
// The functions for other doors:
//
//   - Assign, Unassign: the web page and `tambon assign` (each checks
//     assign.Check, in the transaction that writes).
//   - RecordVisitOutcome, ClearVisitOutcome: the web page and the phone's
//     update form, after assign.MayRecord.
//   - AssignedHouseholds, AssignedVillages: what an enumerator's phone
//     preloads.
//   - Assignments, AssignPanel, AssignProgress: the page, the CLI and the
//     Excel download.

// Assignment is a village, or one household of it, given to an account for
// a round.
type Assignment struct {
	ID         int64
	Round      string
	Village    string
	Household  string // the previous round's household key; "" for the whole village
	Username   string
	AssignedAt time.Time
	AssignedBy string
}

// householdRound checks that round exists and holds household records, and
// returns its previous round ("" when none holds records).
func householdRound(ctx context.Context, q querier, round string) (string, error) {
	var agg bool
	err := q.QueryRowContext(ctx, "SELECT aggregate_only FROM rounds WHERE id = $1", round).Scan(&agg)
	if err == sql.ErrNoRows {
		return "", apperr.New(apperr.NotFound, apperr.Tf("ไม่มีรอบสำรวจ %s", "there is no round %s", round))
	}
	if err != nil {
		return "", mapErr(err)
	}
	if agg {
		return "", apperr.New(apperr.Invalid, apperr.Tf(
			"รอบ %s มีแต่ตัวเลขที่เผยแพร่ ไม่มีครัวเรือนให้สำรวจ", "the round %s holds published figures only, no households to visit", round))
	}
	prev, records, err := previousRound(ctx, q, round)
	if err != nil || !records {
		return "", err
	}
	return prev, nil
}

// Assign gives village (8 digits) to the account username for round, the
// whole village when households is empty, else those households of the
// previous round (their keys, all in the village). An earlier assignment of
// the same village or household to someone else is replaced. by must pass
// assign.Check for the account and the village; nothing is written unless
// every household is one of the previous round's in the village.
func (s *Store) Assign(ctx context.Context, by user.User, round, village, username string, households []string) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		to, err := scanUser(tx.QueryRowContext(ctx, "SELECT "+userColumns+" FROM users WHERE username = $1", username))
		if err == sql.ErrNoRows {
			return apperr.Problems{{Field: assign.FieldUser, Value: username, Reason: apperr.Tf("ไม่มีผู้ใช้ชื่อ %s", "no user is named %s", username)}}
		}
		if err != nil {
			return mapErr(err)
		}
		if err := checkVillage(ctx, tx, village); err != nil {
			return err
		}
		if err := assign.Check(by, to, village); err != nil {
			return err
		}
		prev, err := householdRound(ctx, tx, round)
		if err != nil {
			return err
		}
		if err := checkPanelKeys(ctx, tx, prev, village, households); err != nil {
			return err
		}
		targets := households
		if len(targets) == 0 {
			targets = []string{""}
		}
		now := formatTime(s.now())
		for _, key := range targets {
			if _, err := tx.ExecContext(ctx, `INSERT INTO assignments (round_id, village_code, hh_key, username, assigned_at, assigned_by)
				VALUES ($1, $2, $3, $4, $5, $6)
				ON CONFLICT (round_id, village_code, hh_key) DO UPDATE SET username = excluded.username,
					assigned_at = excluded.assigned_at, assigned_by = excluded.assigned_by`,
				round, village, key, to.Username, now, by.Username); err != nil {
				return mapErr(err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("assign %s in %s: %w", username, village, err)
	}
	return nil
}

// Unassign takes back village (households empty) or those households of it
// in round. The village's own assignment and its households' are separate:
// taking back the village leaves the households given one by one. by must
// be allowed to assign work in the village.
func (s *Store) Unassign(ctx context.Context, by user.User, round, village string, households []string) error {
	if !by.CanAt(user.AssignWork, village) {
		return apperr.New(apperr.Forbidden, apperr.Tf(
			"บัญชี %s ไม่มีสิทธิ์มอบงานสำรวจในหมู่บ้าน %s", "the account %s may not assign survey work in the village %s", by.Username, village))
	}
	targets := households
	if len(targets) == 0 {
		targets = []string{""}
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		for _, key := range targets {
			res, err := tx.ExecContext(ctx, "DELETE FROM assignments WHERE round_id = $1 AND village_code = $2 AND hh_key = $3", round, village, key)
			if err != nil {
				return mapErr(err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				what := village
				if key != "" {
					what = key
				}
				return apperr.New(apperr.NotFound, apperr.Tf("ไม่มีการมอบงาน %s ในรอบ %s", "nothing is assigned for %s in the round %s", what, round))
			}
		}
		return nil
	})
}

func checkVillage(ctx context.Context, q querier, village string) error {
	var n int
	if err := q.QueryRowContext(ctx, "SELECT count(*) FROM areas WHERE code = $1 AND length(code) = 8", village).Scan(&n); err != nil {
		return mapErr(err)
	}
	if n == 0 {
		return apperr.Problems{{Field: assign.FieldVillage, Value: village, Reason: apperr.Tf(
			"ไม่มีหมู่บ้านรหัส %s", "no village has the code %s", village)}}
	}
	return nil
}

// checkPanelKeys refuses a key that is not one of prev's households in village.
func checkPanelKeys(ctx context.Context, q querier, prev, village string, keys []string) error {
	if len(keys) == 0 {
		return nil
	}
	if prev == "" {
		return apperr.Problems{{Field: "households", Reason: apperr.T(
			"ไม่มีรอบก่อนหน้าที่มีครัวเรือน จึงมอบได้ทั้งหมู่บ้านเท่านั้น", "no previous round holds households, so only whole villages can be assigned")}}
	}
	var ps apperr.Problems
	for _, k := range keys {
		var n int
		if err := q.QueryRowContext(ctx, "SELECT count(*) FROM households WHERE round_id = $1 AND village_code = $2 AND hh_key = $3",
			prev, village, k).Scan(&n); err != nil {
			return mapErr(err)
		}
		if n == 0 {
			ps = append(ps, apperr.Problem{Field: "households", Value: k, Reason: apperr.Tf(
				"ไม่มีครัวเรือนนี้ในหมู่บ้าน %s ของรอบ %s", "this household is not in the village %s in the round %s", village, prev)})
		}
	}
	if len(ps) > 0 {
		return ps
	}
	return nil
}

// Assignments lists round's assignments in an area (any level), by village,
// whole villages first, then by household key.
func (s *Store) Assignments(ctx context.Context, round, area string) ([]Assignment, error) {
	lo, hi := codeRange(area, 8)
	rows, err := s.read.QueryContext(ctx, `SELECT id, round_id, village_code, hh_key, username, assigned_at, assigned_by FROM assignments
		WHERE round_id = $1 AND village_code BETWEEN $2 AND $3 ORDER BY village_code, hh_key`, round, lo, hi)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []Assignment
	for rows.Next() {
		var a Assignment
		var at string
		if err := rows.Scan(&a.ID, &a.Round, &a.Village, &a.Household, &a.Username, &at, &a.AssignedBy); err != nil {
			return nil, err
		}
		a.AssignedAt = parseTime(at)
		out = append(out, a)
	}
	return out, rows.Err()
}

// AssignedVillages lists the villages in which username holds any
// assignment for round (the whole village or some of its households), in
// code order. None means the account has no assignment in the round.
func (s *Store) AssignedVillages(ctx context.Context, round, username string) ([]string, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT DISTINCT village_code FROM assignments WHERE round_id = $1 AND username = $2 ORDER BY village_code`,
		round, username)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// AssignedHouseholds returns the previous round's households assigned to
// username for round (its key, village, house code, house number and the
// head's name, outcome as AssignPanel tells it), by village and key: every
// household of a village given whole, except those given one by one to
// someone else, and the households given to it one by one. An
// enumerator's phone preloads them.
func (s *Store) AssignedHouseholds(ctx context.Context, round, username string) ([]assign.Household, error) {
	villages, err := s.AssignedVillages(ctx, round, username)
	if err != nil {
		return nil, err
	}
	var out []assign.Household
	for _, v := range villages {
		hs, err := s.panel(ctx, round, v, true)
		if err != nil {
			return nil, err
		}
		for _, h := range hs.households {
			if h.Assignee == username {
				out = append(out, h)
			}
		}
	}
	return out, nil
}

// AssignPanel returns every household of the previous round in an area
// (any level) with its assignee and outcome, by village and key; names
// tells whether to read the heads' names (decoding every household).
func (s *Store) AssignPanel(ctx context.Context, round, area string, names bool) ([]assign.Household, error) {
	p, err := s.panel(ctx, round, area, names)
	return p.households, err
}

// RecordVisitOutcome records what became of the visit to one of the
// previous round's households in round: assign.Refused, assign.Moved (moved
// away or dissolved) or assign.NotFound, with an optional note (at most
// assign.MaxNote characters), by the account named by. householdKey is the
// previous round's household key (survey.Household.Key: the house code,
// else "village/house number"). A later record replaces an earlier one. A
// household surveyed in round counts as visited whatever is recorded. The
// caller checks the account's scope first (assign.MayRecord with the
// household's village, from VisitHousehold); the web page and the phone's
// update form both call this.
func (s *Store) RecordVisitOutcome(ctx context.Context, round, householdKey string, outcome assign.Outcome, note, by string) error {
	if _, err := assign.ParseOutcome(string(outcome)); err != nil {
		return err
	}
	note = strings.TrimSpace(note)
	if err := assign.CheckNote(note); err != nil {
		return err
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		return s.recordVisitOutcome(ctx, tx, round, householdKey, outcome, note, by)
	})
	if err != nil {
		return fmt.Errorf("record visit outcome: %w", err)
	}
	return nil
}

// recordVisitOutcome is RecordVisitOutcome's write inside the caller's
// transaction (an OpenRosa submission reporting the visit is kept in the
// same one).
func (s *Store) recordVisitOutcome(ctx context.Context, tx *sql.Tx, round, householdKey string, outcome assign.Outcome, note, by string) error {
	village, err := panelVillage(ctx, tx, round, householdKey)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO visit_outcomes (round_id, hh_key, village_code, outcome, note, recorded_at, recorded_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (round_id, hh_key) DO UPDATE SET outcome = excluded.outcome, note = excluded.note,
			recorded_at = excluded.recorded_at, recorded_by = excluded.recorded_by`,
		round, householdKey, village, string(outcome), note, formatTime(s.now()), by)
	return mapErr(err)
}

// ClearVisitOutcome forgets the recorded outcome of a household's visit:
// it remains to be visited (or stays visited, if surveyed).
func (s *Store) ClearVisitOutcome(ctx context.Context, round, householdKey string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "DELETE FROM visit_outcomes WHERE round_id = $1 AND hh_key = $2", round, householdKey)
		return mapErr(err)
	})
}

// VisitHousehold returns the village of one of the previous round's
// households of round, for the caller's scope check before
// RecordVisitOutcome. An unknown key is not found.
func (s *Store) VisitHousehold(ctx context.Context, round, householdKey string) (village string, err error) {
	return panelVillage(ctx, s.read, round, householdKey)
}

func panelVillage(ctx context.Context, q querier, round, key string) (string, error) {
	prev, err := householdRound(ctx, q, round)
	if err != nil {
		return "", err
	}
	var village string
	if prev != "" {
		err = q.QueryRowContext(ctx, "SELECT village_code FROM households WHERE round_id = $1 AND hh_key = $2", prev, key).Scan(&village)
	}
	if prev == "" || err == sql.ErrNoRows {
		return "", apperr.New(apperr.NotFound, apperr.Tf(
			"ไม่มีครัวเรือน %s ในรอบก่อนหน้าของรอบ %s", "no household %s in the round before %s", key, round))
	}
	return village, mapErr(err)
}

// panelData is the previous round's households of an area and this
// round's new ones, linked.
type panelData struct {
	prev       string
	households []assign.Household
	fresh      []freshHousehold // this round's households linked to none of the previous round's
	assigned   []Assignment
}

type freshHousehold struct {
	Key, Village, HouseNo, UpdatedBy string
}

func houseNoKey(village, no string) string {
	return village + "/" + strings.Join(strings.Fields(no), " ")
}

func (s *Store) panel(ctx context.Context, round, area string, names bool) (panelData, error) {
	var p panelData
	prev, err := householdRound(ctx, s.read, round)
	if err != nil {
		return p, err
	}
	p.prev = prev
	lo, hi := codeRange(area, 8)
	if p.assigned, err = s.Assignments(ctx, round, area); err != nil {
		return p, err
	}
	byVillage, byHousehold := map[string]string{}, map[string]string{}
	for _, a := range p.assigned {
		if a.Household == "" {
			byVillage[a.Village] = a.Username
		} else {
			byHousehold[a.Household] = a.Username
		}
	}
	if prev != "" {
		cols := "id, hh_key, village_code, house_code, house_no, ''"
		if names {
			cols = "id, hh_key, village_code, house_code, house_no, data"
		}
		rows, err := s.read.QueryContext(ctx, "SELECT "+cols+" FROM households WHERE round_id = $1 AND village_code BETWEEN $2 AND $3 ORDER BY village_code, hh_key",
			prev, lo, hi)
		if err != nil {
			return p, mapErr(err)
		}
		for rows.Next() {
			var h assign.Household
			var data []byte
			if err := rows.Scan(&h.ID, &h.Key, &h.Village, &h.HouseCode, &h.HouseNo, &data); err != nil {
				rows.Close()
				return p, err
			}
			if names {
				var hh survey.Household
				if err := decodeHousehold(data, &hh); err != nil {
					rows.Close()
					return p, fmt.Errorf("household %s: %w", h.Key, err)
				}
				if m := headOf(&hh); m != nil {
					h.HeadName = strings.TrimSpace(m.FirstName + " " + m.LastName)
				}
			}
			h.Assignee = byVillage[h.Village]
			if u, ok := byHousehold[h.Key]; ok {
				h.Assignee = u
			}
			p.households = append(p.households, h)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return p, err
		}
	}
	// Link this round's households: by key, else by village and house number.
	at := make(map[string]int, len(p.households))
	atNo := make(map[string]int, len(p.households))
	for i, h := range p.households {
		at[h.Key] = i
		atNo[houseNoKey(h.Village, h.HouseNo)] = i
	}
	rows, err := s.read.QueryContext(ctx, "SELECT hh_key, village_code, house_no, updated_by FROM households WHERE round_id = $1 AND village_code BETWEEN $2 AND $3 ORDER BY village_code, hh_key",
		round, lo, hi)
	if err != nil {
		return p, mapErr(err)
	}
	var unlinked []freshHousehold
	for rows.Next() {
		var f freshHousehold
		if err := rows.Scan(&f.Key, &f.Village, &f.HouseNo, &f.UpdatedBy); err != nil {
			rows.Close()
			return p, err
		}
		if i, ok := at[f.Key]; ok && p.households[i].Current == "" {
			p.households[i].Current, p.households[i].Outcome = f.Key, assign.Visited
			continue
		}
		unlinked = append(unlinked, f)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return p, err
	}
	for _, f := range unlinked {
		if i, ok := atNo[houseNoKey(f.Village, f.HouseNo)]; ok && p.households[i].Current == "" {
			p.households[i].Current, p.households[i].Outcome = f.Key, assign.Visited
			continue
		}
		p.fresh = append(p.fresh, f)
	}
	// Recorded outcomes of the households not visited.
	rows, err = s.read.QueryContext(ctx, "SELECT hh_key, outcome, note, recorded_at, recorded_by FROM visit_outcomes WHERE round_id = $1 AND village_code BETWEEN $2 AND $3",
		round, lo, hi)
	if err != nil {
		return p, mapErr(err)
	}
	defer rows.Close()
	for rows.Next() {
		var key, outcome, note, when, by string
		if err := rows.Scan(&key, &outcome, &note, &when, &by); err != nil {
			return p, err
		}
		if i, ok := at[key]; ok {
			h := &p.households[i]
			h.Note, h.RecordedAt, h.RecordedBy = note, parseTime(when), by
			if h.Outcome != assign.Visited {
				h.Outcome = assign.Outcome(outcome)
			}
		}
	}
	return p, rows.Err()
}

// headOf returns the resident head of household, or the first member.
func headOf(h *survey.Household) *survey.Member {
	for i := range h.Members {
		if h.Members[i].Relation == survey.RelHead && h.Members[i].Resident {
			return &h.Members[i]
		}
	}
	if len(h.Members) > 0 {
		return &h.Members[0]
	}
	return nil
}

// Progress counts the previous round's households by what became of their
// visits. Visited + Remaining + Refused + Moved + NotFound is every
// household counted (Households); New counts this round's households linked
// to none of the previous round's.
type Progress struct {
	Households int
	Visited    int
	Remaining  int
	Refused    int
	Moved      int
	NotFound   int
	New        int
}

func (p *Progress) add(o assign.Outcome) {
	p.Households++
	switch o {
	case assign.Visited:
		p.Visited++
	case assign.Refused:
		p.Refused++
	case assign.Moved:
		p.Moved++
	case assign.NotFound:
		p.NotFound++
	default:
		p.Remaining++
	}
}

// VillageProgress is one village's field work: every household of the
// previous round in it (Households), how many are assigned to someone, and
// who holds the village or some of its households.
type VillageProgress struct {
	Code       string
	Whole      string   // the account given the whole village; "" when none
	Assignees  []string // every account holding the village or some of its households
	Assigned   int      // households with an assignee
	Unassigned int
	Progress
}

// EnumeratorProgress is one account's assignment: its households
// (Households = those assigned to it) and the villages they are in. New
// counts the new households found in villages given to it whole, and in
// villages where it holds households, those it saved itself when nobody
// holds the whole village.
type EnumeratorProgress struct {
	User     string
	Villages int
	Progress
}

// AssignProgress is a round's field work under an area.
type AssignProgress struct {
	Round       string
	Prev        string // the previous round holding households ("" when none)
	Villages    []VillageProgress
	Enumerators []EnumeratorProgress
}

// Total adds the villages up.
func (a AssignProgress) Total() VillageProgress {
	t := VillageProgress{}
	for _, v := range a.Villages {
		t.Assigned += v.Assigned
		t.Unassigned += v.Unassigned
		t.Households += v.Households
		t.Visited += v.Visited
		t.Remaining += v.Remaining
		t.Refused += v.Refused
		t.Moved += v.Moved
		t.NotFound += v.NotFound
		t.New += v.New
	}
	return t
}

// AssignProgress counts round's field work under an area (any level): per
// village, the villages with the previous round's households, new ones or
// assignments, in code order; per enumerator, every account holding an
// assignment there, by username.
func (s *Store) AssignProgress(ctx context.Context, round, area string) (AssignProgress, error) {
	out := AssignProgress{Round: round}
	p, err := s.panel(ctx, round, area, false)
	if err != nil {
		return out, err
	}
	out.Prev = p.prev
	villages := map[string]*VillageProgress{}
	village := func(code string) *VillageProgress {
		if v, ok := villages[code]; ok {
			return v
		}
		v := &VillageProgress{Code: code}
		villages[code] = v
		return v
	}
	people := map[string]*EnumeratorProgress{}
	person := func(name string) *EnumeratorProgress {
		if e, ok := people[name]; ok {
			return e
		}
		e := &EnumeratorProgress{User: name}
		people[name] = e
		return e
	}
	holds := map[string]map[string]bool{} // village → accounts holding some of it
	hold := func(v, u string) {
		if holds[v] == nil {
			holds[v] = map[string]bool{}
		}
		holds[v][u] = true
	}
	for _, a := range p.assigned {
		v := village(a.Village)
		if a.Household == "" {
			v.Whole = a.Username
		}
		hold(a.Village, a.Username)
		person(a.Username)
	}
	for _, h := range p.households {
		v := village(h.Village)
		v.add(h.Outcome)
		if h.Assignee == "" {
			v.Unassigned++
			continue
		}
		v.Assigned++
		person(h.Assignee).add(h.Outcome)
	}
	for _, f := range p.fresh {
		v := village(f.Village)
		v.New++
		switch {
		case v.Whole != "":
			person(v.Whole).New++
		case holds[f.Village][f.UpdatedBy]:
			person(f.UpdatedBy).New++
		}
	}
	for code, v := range villages {
		for u := range holds[code] {
			v.Assignees = append(v.Assignees, u)
		}
		sort.Strings(v.Assignees)
		out.Villages = append(out.Villages, *v)
	}
	sort.Slice(out.Villages, func(i, j int) bool { return out.Villages[i].Code < out.Villages[j].Code })
	for name, e := range people {
		e.Villages = countHeld(holds, name)
		out.Enumerators = append(out.Enumerators, *e)
	}
	sort.Slice(out.Enumerators, func(i, j int) bool { return out.Enumerators[i].User < out.Enumerators[j].User })
	return out, nil
}

func countHeld(holds map[string]map[string]bool, name string) int {
	n := 0
	for _, us := range holds {
		if us[name] {
			n++
		}
	}
	return n
}
