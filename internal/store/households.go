package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
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
	if s.dialect == dialectPostgres && len(hs) <= pipelineMax {
		return s.writeFewHouseholds(ctx, eng, round, hs, by, progress)
	}
	var sum WriteSummary
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		sum, err = s.writeHouseholds(ctx, tx, eng, round, hs, by, progress)
		return err
	})
	if err == nil {
		s.analyzeAfterImport(ctx, sum)
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
// write, yet each household and history row names its own sender. The
// households are written as one batch of householdWriter.
func (s *Store) writeHouseholdsBy(ctx context.Context, tx *sql.Tx, eng *engine.Engine, round string, hs []*survey.Household, by func(i int) string, progress func(done int)) (WriteSummary, error) {
	w, err := s.newHouseholdWriter(ctx, tx, nil, nil, eng, round, progress)
	if err != nil {
		return WriteSummary{}, err
	}
	defer w.close()
	if err := w.write(hs, by); err != nil {
		return WriteSummary{}, err
	}
	if err := w.finish(); err != nil {
		return WriteSummary{}, err
	}
	return w.sum, nil
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

// householdSelect is the query of Household, up to its condition.
const householdSelect = "SELECT id, hh_key, version, updated_at, updated_by, data FROM households WHERE "

// Household returns one stored household by id.
func (s *Store) Household(ctx context.Context, id int64) (survey.Record, error) {
	var sh survey.Record
	var updated string
	var data []byte
	where, args, err := householdByID(ctx, s.read, s.dialect, id, 1)
	if err != nil {
		return sh, err
	}
	err = s.read.QueryRowContext(ctx, householdSelect+where, args...).
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
