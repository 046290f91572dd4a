package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"tambon/internal/apperr"
	"tambon/internal/survey"
)

// HouseholdQuery narrows and orders a round's household list. The fields
// that the database can answer (area, village, status, house number, help
// received, not re-surveyed) become SQL; Keep, when set, judges what only the
// decoded record can tell (MPI poverty, failed indicators, names).
type HouseholdQuery struct {
	Round   string
	Area    string // a tambon or a village (any level works)
	Status  survey.HouseholdStatus
	HouseNo string // house numbers containing this text
	Helped  int    // 1: received help (plan assistance) at least once; -1: never; 0: either
	// Missing lists the households of the round before Round (Prev) that
	// Round does not have yet: not re-surveyed.
	Missing bool
	Prev    string // the previous round, for Missing
	Sort    string // "house" (village, house number; the default), "-house", "updated" (latest first)
	Offset  int
	Limit   int                        // at most this many rows; 0 means all
	Keep    func(r survey.Record) bool // optional; rows it refuses are neither counted nor returned
}

// HouseholdPage is one page of a household list and how many rows the
// whole list has.
type HouseholdPage struct {
	Rows  []survey.Record
	Total int
}

// ListHouseholds returns one page of a round's households. Without Keep the
// database counts and pages (LIMIT/OFFSET), so a page of a large area reads
// only its own rows; with Keep the records the SQL filters leave are
// streamed and judged one by one, and only the page is kept in memory.
func (s *Store) ListHouseholds(ctx context.Context, q HouseholdQuery) (HouseholdPage, error) {
	var page HouseholdPage
	if q.Missing && q.Prev == "" {
		return page, nil
	}
	where, args := s.householdWhere(q)
	if q.Keep == nil {
		if err := s.read.QueryRowContext(ctx, "SELECT count(*) FROM households h WHERE "+where, args...).Scan(&page.Total); err != nil {
			return page, mapErr(err)
		}
		if q.Offset >= page.Total && q.Offset > 0 {
			return page, nil
		}
	}
	query := householdCols + "WHERE " + where + " ORDER BY " + householdOrder(q.Sort)
	if q.Keep == nil && q.Limit > 0 {
		query = householdPageQuery(where, householdOrder(q.Sort), q.Limit, q.Offset)
	}
	rows, err := s.read.QueryContext(ctx, query, args...)
	if err != nil {
		return page, mapErr(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var rec survey.Record
		var updated string
		var data sql.RawBytes
		if err := rows.Scan(&rec.ID, &rec.Key, &rec.Version, &updated, &rec.UpdatedBy, &data); err != nil {
			return page, err
		}
		if q.Keep != nil {
			// Decoding is the cost here; rows outside the page are judged
			// and dropped.
			rec.UpdatedAt = parseTime(updated)
			rec.Household = new(survey.Household)
			if err := decodeHousehold(data, rec.Household); err != nil {
				return page, fmt.Errorf("household %d: %w", rec.ID, err)
			}
			if !q.Keep(rec) {
				continue
			}
			n++
			if n <= q.Offset || (q.Limit > 0 && n > q.Offset+q.Limit) {
				continue
			}
			page.Rows = append(page.Rows, rec)
			continue
		}
		rec.UpdatedAt = parseTime(updated)
		rec.Household = new(survey.Household)
		if err := decodeHousehold(data, rec.Household); err != nil {
			return page, fmt.Errorf("household %d: %w", rec.ID, err)
		}
		page.Rows = append(page.Rows, rec)
	}
	if q.Keep != nil {
		page.Total = n
	}
	return page, rows.Err()
}

const householdCols = "SELECT h.id, h.hh_key, h.version, h.updated_at, h.updated_by, h.data FROM households h "

// householdPageQuery reads one page of the households that where selects
// ($1 is their round): the page's ids and keys first, sorted without the
// records beside them, then only those records, from the round's
// households (on PostgreSQL only its partitions are planned and read). By
// id and key: SQLite finds a record by its id at once; a key names the one
// province partition that holds it, so PostgreSQL reads each record from
// that partition alone, where by id it would probe every province
// partition's id index for each record.
func householdPageQuery(where, order string, limit, offset int) string {
	return householdCols + fmt.Sprintf("JOIN (SELECT h.id, h.hh_key FROM households h WHERE %s ORDER BY %s LIMIT %d OFFSET %d) p ON p.id = h.id AND p.hh_key = h.hh_key WHERE h.round_id = $1 ORDER BY %s",
		where, order, limit, max(offset, 0), order)
}

// householdWhere is the SQL condition of a query on households h, with its
// arguments ($1…).
func (s *Store) householdWhere(q HouseholdQuery) (string, []any) {
	lo, hi := codeRange(q.Area, 8)
	var conds []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	if q.Missing {
		conds = append(conds, "h.round_id = "+arg(q.Prev),
			"NOT EXISTS (SELECT 1 FROM households c WHERE c.round_id = "+arg(q.Round)+" AND c.hh_key = h.hh_key)")
	} else {
		conds = append(conds, "h.round_id = "+arg(q.Round))
	}
	conds = append(conds, "h.village_code BETWEEN "+arg(lo)+" AND "+arg(hi))
	if q.Status != "" {
		conds = append(conds, "h.status = "+arg(string(q.Status)))
	}
	if t := strings.TrimSpace(q.HouseNo); t != "" {
		// instr/strpos would differ by dialect; a LIKE with the wildcards
		// escaped reads the same on both.
		esc := strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(t)
		conds = append(conds, "h.house_no LIKE "+arg("%"+esc+"%")+` ESCAPE '\'`)
	}
	helped := "EXISTS (SELECT 1 FROM assistance a WHERE a.village_code = h.village_code AND a.hh_key = h.hh_key)"
	switch {
	case q.Helped > 0:
		conds = append(conds, helped)
	case q.Helped < 0:
		conds = append(conds, "NOT "+helped)
	}
	return strings.Join(conds, " AND "), args
}

// householdOrder orders by village, then house number as people read it
// (shorter numbers first: 2 before 10), then key for a stable page.
func householdOrder(sort string) string {
	switch sort {
	case "-house":
		return "h.village_code DESC, length(h.house_no) DESC, h.house_no DESC, h.hh_key DESC"
	case "updated":
		return "h.updated_at DESC, h.id DESC"
	default:
		return "h.village_code, length(h.house_no), h.house_no, h.hh_key"
	}
}

// PreviousHouseholdRound returns the latest round of r's kind before it
// that holds household records (published aggregates do not), or NotFound.
func (s *Store) PreviousHouseholdRound(ctx context.Context, r survey.Round) (survey.Round, error) {
	p, err := scanRound(s.read.QueryRowContext(ctx, "SELECT "+roundColumns+roundsFrom+
		" WHERE r.kind = $1 AND r.survey_year < $2 AND r.aggregate_only = $3 ORDER BY r.survey_year DESC LIMIT 1",
		string(r.Kind), r.SurveyYear, false))
	if err == sql.ErrNoRows {
		return p, apperr.New(apperr.NotFound, apperr.Tf("ไม่มีรอบสำรวจครัวเรือนก่อน %s", "no household round before %s", r.ID))
	}
	if err != nil {
		return p, mapErr(err)
	}
	return p, s.internRound(ctx, p)
}
