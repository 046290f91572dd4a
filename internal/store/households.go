package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"

	"tambon/internal/apperr"
	"tambon/internal/engine"
	"tambon/internal/survey"
)

// WriteSummary says what a write of households did.
type WriteSummary = survey.WriteSummary

type existing struct {
	id      int64
	version int
	data    string
}

const writeBatch = 200

// WriteHouseholds stores households of one round in one transaction: new
// keys are inserted, known keys updated (with their history) and identical
// ones left alone; the members' citizen IDs are indexed (a citizen ID already
// in another household of the round is refused); and the statistics of every
// area they count in are updated by the difference. Nothing is written unless
// everything is. The households must already be valid (survey.Validate).
func (s *Store) WriteHouseholds(ctx context.Context, eng *engine.Engine, round string, hs []*survey.Household, by string, progress func(done int)) (WriteSummary, error) {
	var sum WriteSummary
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		sum, err = s.writeHouseholds(ctx, tx, eng, round, hs, by, progress)
		return err
	})
	if err == nil && s.dialect == dialectPostgres && sum.Inserted >= analyzeAfter {
		// A bulk import into a fresh database leaves PostgreSQL planning the
		// next writes' lookups (stored keys, citizen IDs) from empty-table
		// statistics until autovacuum comes by; refresh them now. Failing
		// to is harmless: the data are committed.
		if _, aerr := s.write.ExecContext(ctx, "ANALYZE households, members"); aerr != nil {
			slog.Warn("analyze after import", "err", aerr)
		}
	}
	return sum, err
}

// analyzeAfter is how many new households make an import refresh
// PostgreSQL's table statistics.
const analyzeAfter = 5000

// writeHouseholds is WriteHouseholds inside a transaction the caller owns, so
// that another write (an OpenRosa submission kept raw) commits with it.
func (s *Store) writeHouseholds(ctx context.Context, tx *sql.Tx, eng *engine.Engine, round string, hs []*survey.Household, by string, progress func(done int)) (WriteSummary, error) {
	return s.writeHouseholdsBy(ctx, tx, eng, round, hs, func(int) string { return by }, progress)
}

// writeHouseholdsBy is writeHouseholds with a writer per household (by(i)
// wrote hs[i]): a batch of OpenRosa submissions from several senders is one
// write, yet each household and history row names its own sender.
func (s *Store) writeHouseholdsBy(ctx context.Context, tx *sql.Tx, eng *engine.Engine, round string, hs []*survey.Household, by func(i int) string, progress func(done int)) (WriteSummary, error) {
	var sum WriteSummary
	err := func(tx *sql.Tx) error {
		if err := requireHouseholdRound(ctx, tx, round); err != nil {
			return err
		}
		villages := map[string]bool{}
		for _, h := range hs {
			villages[h.VillageCode] = true
		}
		if err := checkUnlocked(ctx, tx, round, villages); err != nil {
			return err
		}
		keys := make([]string, len(hs))
		index := make(map[string]int, len(hs))
		for i, h := range hs {
			keys[i] = h.Key()
			if j, dup := index[keys[i]]; dup {
				return apperr.Problems{{Field: fmt.Sprintf("households[%d]", i), Value: keys[i], Reason: apperr.Tf(
					"ครัวเรือนรหัส %s ซ้ำกับรายการที่ %d", "household %s appears twice (also item %d)", keys[i], j+1)}}
			}
			index[keys[i]] = i
		}
		// The first import into a round has nothing to compare with: one
		// query saves looking up every key and citizen ID.
		var stored bool
		if err := tx.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM households WHERE round_id = $1)", round).Scan(&stored); err != nil {
			return mapErr(err)
		}
		old := map[string]existing{}
		if stored {
			var err error
			if old, err = loadExisting(ctx, tx, s.dialect, round, keys); err != nil {
				return err
			}
		}
		if err := checkCitizenIDs(ctx, tx, s.dialect, round, hs, keys, index, stored); err != nil {
			return err
		}
		now := formatTime(s.now())
		var memberKeys []string
		var memberArgs []any
		inserts := newBulkInsert(ctx, tx, s.dialect, `INSERT INTO households (round_id, hh_key, village_code, house_code, house_no, status, data, version, created_at, updated_at, updated_by) VALUES `, 11, writeBatch)
		defer inserts.close()
		// Encoding, diffing and counting run beside the SQL (see
		// prepareHouseholds); this goroutine only writes.
		batches := make(chan []preparedHousehold, 4)
		stop := make(chan struct{})
		wait := prepareHouseholds(s.dialect, eng, hs, keys, old, batches, stop)
		defer func() {
			close(stop)
			wait()
		}()
		for batch := range batches {
			for _, p := range batch {
				i, h := p.i, hs[p.i]
				if progress != nil && i%1000 == 0 {
					progress(i)
				}
				if p.unchanged {
					sum.Unchanged++
					continue
				}
				if prev, known := old[keys[i]]; known {
					if _, err := tx.ExecContext(ctx, `UPDATE households SET village_code = $1, house_code = $2, house_no = $3, status = $4, data = $5,
					version = $6, updated_at = $7, updated_by = $8 WHERE id = $9`,
						h.VillageCode, h.HouseCode, h.HouseNo, string(h.Status), s.dialect.storedArg(p.data), prev.version+1, now, by(i), prev.id); err != nil {
						return householdErr(err)
					}
					if _, err := tx.ExecContext(ctx, `INSERT INTO household_history (round_id, hh_key, version, changed_at, changed_by, changes) VALUES ($1, $2, $3, $4, $5, $6)`,
						round, keys[i], prev.version+1, now, by(i), p.changes); err != nil {
						return mapErr(err)
					}
					sum.Updated++
				} else {
					if err := inserts.add(round, keys[i], h.VillageCode, h.HouseCode, h.HouseNo, string(h.Status), s.dialect.storedArg(p.data), 1, now, now, by(i)); err != nil {
						return householdErr(err)
					}
					sum.Inserted++
				}
				memberKeys = append(memberKeys, keys[i])
				for _, m := range h.Members {
					if m.CitizenID != "" {
						memberArgs = append(memberArgs, round, m.CitizenID, keys[i], m.No)
					}
				}
			}
		}
		deltas, err := wait()
		if err != nil {
			return err
		}
		if err := inserts.flush(); err != nil {
			return householdErr(err)
		}
		if err := s.replaceMembers(ctx, tx, round, memberKeys, memberArgs, len(old) > 0); err != nil {
			return err
		}
		if err := s.applyDeltas(ctx, tx, eng, round, deltas); err != nil {
			return err
		}
		if progress != nil {
			progress(len(hs))
		}
		return nil
	}(tx)
	return sum, err
}

// householdErr explains the constraint failures a household write can meet.
func householdErr(err error) error {
	err = mapErr(err)
	if apperr.Is(err, apperr.Invalid) {
		return apperr.Wrap(err, apperr.Invalid, apperr.T("รหัสหมู่บ้านไม่มีอยู่ในทะเบียนพื้นที่", "the village code is not in the area register"))
	}
	return err
}

// chunks calls fn with slices of at most n items.
func chunks(items []string, n int, fn func(part []string) error) error {
	for start := 0; start < len(items); start += n {
		if err := fn(items[start:min(start+n, len(items))]); err != nil {
			return err
		}
	}
	return nil
}

// inList returns "round_id = $1 AND col IN ($2,…)" for n values: anonymous
// "?" on SQLite, whose driver binds numbered parameters in quadratic time
// (see bulkInsert).
func (d dialect) inList(col string, n int) string {
	var b strings.Builder
	if d.name == dialectSQLite.name {
		b.WriteString("round_id = ? AND " + col + " IN (")
		b.WriteString(strings.Repeat("?,", n-1))
		b.WriteString("?)")
		return b.String()
	}
	b.WriteString("round_id = $1 AND " + col + " IN (")
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "$%d", 2+i)
	}
	b.WriteByte(')')
	return b.String()
}

func strArgs(head []any, items []string) []any {
	args := append([]any(nil), head...)
	for _, it := range items {
		args = append(args, it)
	}
	return args
}

func loadExisting(ctx context.Context, tx *sql.Tx, d dialect, round string, keys []string) (map[string]existing, error) {
	out := map[string]existing{}
	err := chunks(keys, 500, func(part []string) error {
		rows, err := tx.QueryContext(ctx, "SELECT hh_key, id, version, data FROM households WHERE "+d.inList("hh_key", len(part)),
			d.oneOff(strArgs([]any{round}, part))...)
		if err != nil {
			return mapErr(err)
		}
		defer rows.Close()
		for rows.Next() {
			var k string
			var e existing
			if err := rows.Scan(&k, &e.id, &e.version, &e.data); err != nil {
				return err
			}
			out[k] = e
		}
		return rows.Err()
	})
	return out, err
}

// checkCitizenIDs refuses a citizen ID that appears twice among the
// households being written, or that already belongs to another household of
// the round.
func checkCitizenIDs(ctx context.Context, tx *sql.Tx, d dialect, round string, hs []*survey.Household, keys []string, index map[string]int, stored bool) error {
	owner := map[string]int{}
	var ids []string
	var ps apperr.Problems
	for i, h := range hs {
		for j, m := range h.Members {
			if m.CitizenID == "" {
				continue
			}
			if o, dup := owner[m.CitizenID]; dup && o != i {
				ps = append(ps, apperr.Problem{Field: fmt.Sprintf("households[%d].members[%d].citizen_id", i, j), Value: m.CitizenID,
					Reason: apperr.Tf("เลขประจำตัวประชาชนซ้ำกับสมาชิกของครัวเรือน %s", "the citizen ID is also a member of household %s", keys[o])})
				continue
			}
			owner[m.CitizenID] = i
			ids = append(ids, m.CitizenID)
		}
	}
	if !stored {
		ids = nil // no household of the round is stored: no member to meet
	}
	err := chunks(ids, 500, func(part []string) error {
		rows, err := tx.QueryContext(ctx, "SELECT citizen_id, hh_key FROM members WHERE "+d.inList("citizen_id", len(part)),
			d.oneOff(strArgs([]any{round}, part))...)
		if err != nil {
			return mapErr(err)
		}
		defer rows.Close()
		for rows.Next() {
			var id, key string
			if err := rows.Scan(&id, &key); err != nil {
				return err
			}
			i := owner[id]
			if _, same := index[key]; !same {
				ps = append(ps, apperr.Problem{Field: fmt.Sprintf("households[%d].members", i), Value: id,
					Reason: apperr.Tf("เลขประจำตัวประชาชนนี้เป็นสมาชิกของครัวเรือน %s ในรอบนี้อยู่แล้ว", "this citizen ID is already a member of household %s in this round", key)})
			}
		}
		return rows.Err()
	})
	if err != nil {
		return err
	}
	if len(ps) > 0 {
		return ps
	}
	return nil
}

// replaceMembers rewrites the citizen-ID index of the written households.
func (s *Store) replaceMembers(ctx context.Context, tx *sql.Tx, round string, keys []string, args []any, anyOld bool) error {
	if anyOld {
		if err := chunks(keys, 500, func(part []string) error {
			_, err := tx.ExecContext(ctx, "DELETE FROM members WHERE "+s.dialect.inList("hh_key", len(part)), s.dialect.oneOff(strArgs([]any{round}, part))...)
			return mapErr(err)
		}); err != nil {
			return err
		}
	}
	const cols = 4
	ins := newBulkInsert(ctx, tx, s.dialect, "INSERT INTO members (round_id, citizen_id, hh_key, member_no) VALUES ", cols, writeBatch)
	defer ins.close()
	for start := 0; start < len(args); start += cols {
		if err := ins.add(args[start : start+cols]...); err != nil {
			return mapErr(err)
		}
	}
	return mapErr(ins.flush())
}

// Household returns one stored household by id.
func (s *Store) Household(ctx context.Context, id int64) (survey.Record, error) {
	var sh survey.Record
	var updated string
	var data []byte
	err := s.read.QueryRowContext(ctx, "SELECT id, hh_key, version, updated_at, updated_by, data FROM households WHERE id = $1", id).
		Scan(&sh.ID, &sh.Key, &sh.Version, &updated, &sh.UpdatedBy, &data)
	if err == sql.ErrNoRows {
		return sh, apperr.New(apperr.NotFound, apperr.Tf("ไม่มีครัวเรือนหมายเลข %d", "no household has the id %d", id))
	}
	if err != nil {
		return sh, mapErr(err)
	}
	sh.UpdatedAt = parseTime(updated)
	sh.Household = new(survey.Household)
	return sh, decodeHousehold(data, sh.Household)
}

// EachHousehold streams the households of a round inside an area (any
// level; "TH" for all), ordered by village and key. fn must not keep h.
func (s *Store) EachHousehold(ctx context.Context, round, area string, fn func(sh survey.Record) error) error {
	lo, hi := codeRange(area, 8)
	rows, err := s.read.QueryContext(ctx, `SELECT id, hh_key, version, updated_at, updated_by, data FROM households
		WHERE round_id = $1 AND village_code BETWEEN $2 AND $3 ORDER BY village_code, hh_key`, round, lo, hi)
	if err != nil {
		return mapErr(err)
	}
	defer rows.Close()
	for rows.Next() {
		var sh survey.Record
		var updated string
		var data sql.RawBytes
		if err := rows.Scan(&sh.ID, &sh.Key, &sh.Version, &updated, &sh.UpdatedBy, &data); err != nil {
			return err
		}
		sh.UpdatedAt = parseTime(updated)
		sh.Household = new(survey.Household)
		if err := decodeHousehold(data, sh.Household); err != nil {
			return fmt.Errorf("household %d: %w", sh.ID, err)
		}
		if err := fn(sh); err != nil {
			return err
		}
	}
	return rows.Err()
}

// HistoryEntry is one edit of a household.
type HistoryEntry = survey.HistoryEntry

// HouseholdHistory lists a household's edits, newest first.
func (s *Store) HouseholdHistory(ctx context.Context, round, key string) ([]HistoryEntry, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT version, changed_at, changed_by, changes FROM household_history
		WHERE round_id = $1 AND hh_key = $2 ORDER BY version DESC`, round, key)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []HistoryEntry
	for rows.Next() {
		var e HistoryEntry
		var at, ch string
		if err := rows.Scan(&e.Version, &at, &e.ChangedBy, &ch); err != nil {
			return nil, err
		}
		e.ChangedAt = parseTime(at)
		if err := json.Unmarshal([]byte(ch), &e.Changes); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// CountHouseholds counts a round's households inside an area.
func (s *Store) CountHouseholds(ctx context.Context, round, area string) (int, error) {
	lo, hi := codeRange(area, 8)
	var n int
	err := s.read.QueryRowContext(ctx, "SELECT count(*) FROM households WHERE round_id = $1 AND village_code BETWEEN $2 AND $3", round, lo, hi).Scan(&n)
	return n, mapErr(err)
}

// codeRange returns the smallest and largest codes of length n inside an
// area: "7005" → "70050000", "70059999". Codes are digits, so the range reads
// the same under any collation and uses the index (a LIKE prefix may not).
func codeRange(area string, n int) (lo, hi string) {
	if area == "TH" {
		area = ""
	}
	if len(area) > n {
		area = area[:n]
	}
	return area + strings.Repeat("0", n-len(area)), area + strings.Repeat("9", n-len(area))
}
