package store

import (
	"context"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"tambon/internal/apperr"
	"tambon/internal/welfare"
)

// The state welfare-card register's lists (welfare_imports,
// welfare_entries). A person is kept as PersonLink of their citizen ID, the
// keyed hash retention already uses, so the register matches pseudonymised
// households too and the ID cannot be read back without the database's key;
// the ID itself is kept only while an administrator's setting says so
// (SetWelfareRawIDs). Matching to the survey happens when an area is asked
// for (welfare_area.go), so it always reflects the households as they are.

// WelfareImport is one imported list of the register.
type WelfareImport struct {
	ID      int64
	Round   string
	Area    string // the area the list covers: a province or anything below
	File    string // the file's name as uploaded
	Entries int
	RawIDs  bool // citizen IDs were kept as they are
	At      time.Time
	By      string
}

const welfareRawMeta = "welfare_raw_ids"

// WelfareRawIDs reports whether imports keep citizen IDs as they are (an
// administrator's choice; by default only their keyed hashes are kept).
func (s *Store) WelfareRawIDs(ctx context.Context) bool {
	return s.metaValue(ctx, welfareRawMeta) == "1"
}

// SetWelfareRawIDs sets whether later imports keep citizen IDs as they are,
// and logs who changed it. Lists already imported keep what they kept.
func (s *Store) SetWelfareRawIDs(ctx context.Context, on bool, by string) error {
	v := "0"
	if on {
		v = "1"
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ($1, $2)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, welfareRawMeta, v); err != nil {
			return mapErr(err)
		}
		return insertAudit(ctx, tx, s.now(), by, "welfare.raw_ids", "", "setting:"+welfareRawMeta, fmt.Sprintf(`{"keep_citizen_ids":%t}`, on))
	})
}

// ImportWelfare stores a list of the register for an area and a round, in
// one transaction, audited. The caller has read and checked the entries
// (welfare.Read): an entry's village must lie in the area. A list whose
// area overlaps one already imported for the round is refused: delete the
// earlier one first, so that nobody is counted twice.
func (s *Store) ImportWelfare(ctx context.Context, im WelfareImport, entries []welfare.Entry) (WelfareImport, error) {
	if len(im.Area) != 2 && len(im.Area) != 4 && len(im.Area) != 6 && len(im.Area) != 8 {
		return im, apperr.New(apperr.Invalid, apperr.T("รายชื่อผู้ลงทะเบียนต้องระบุจังหวัด อำเภอ ตำบล หรือหมู่บ้าน", "a register list is for a province, amphoe, tambon or village"))
	}
	if len(entries) == 0 {
		return im, apperr.New(apperr.Invalid, apperr.T("ไฟล์ไม่มีรายชื่อผู้ลงทะเบียน", "the file lists nobody registered"))
	}
	for _, e := range entries {
		if e.Village != "" && !strings.HasPrefix(e.Village, im.Area) {
			return im, apperr.New(apperr.Invalid, apperr.Tf("แถว %d: หมู่บ้าน %s อยู่นอกพื้นที่ %s", "row %d: village %s is outside area %s", e.Row, e.Village, im.Area))
		}
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := requireHouseholdRound(ctx, tx, im.Round); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, "SELECT id, area_code FROM welfare_imports WHERE round_id = $1", im.Round)
		if err != nil {
			return mapErr(err)
		}
		for rows.Next() {
			var id int64
			var code string
			if err := rows.Scan(&id, &code); err != nil {
				rows.Close()
				return err
			}
			if strings.HasPrefix(code, im.Area) || strings.HasPrefix(im.Area, code) {
				rows.Close()
				return apperr.New(apperr.Conflict, apperr.Tf(
					"รอบ %s มีรายชื่อผู้ลงทะเบียนของพื้นที่ %s อยู่แล้ว (ชุดที่ %d): ลบชุดเดิมก่อนนำเข้าใหม่",
					"round %s already holds a register list for area %s (list %d): delete it before importing again", im.Round, code, id))
			}
		}
		rows.Close()
		key, err := linkKey(ctx, tx)
		if err != nil {
			return err
		}
		var raw string
		if err := tx.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = $1", welfareRawMeta).Scan(&raw); err != nil && err != sql.ErrNoRows {
			return mapErr(err)
		}
		im.RawIDs, im.Entries, im.At = raw == "1", len(entries), s.now()
		if err := tx.QueryRowContext(ctx, `INSERT INTO welfare_imports (round_id, area_code, file_name, entries, raw_ids, imported_at, imported_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, im.Round, im.Area, im.File, im.Entries, im.RawIDs, formatTime(im.At), im.By).Scan(&im.ID); err != nil {
			return mapErr(err)
		}
		st, err := tx.PrepareContext(ctx, `INSERT INTO welfare_entries (import_id, person, citizen_id, row_no, reg_year, card_status, income_band, village_code)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`)
		if err != nil {
			return mapErr(err)
		}
		defer st.Close()
		for _, e := range entries {
			cid := ""
			if im.RawIDs {
				cid = e.CitizenID
			}
			if _, err := st.ExecContext(ctx, im.ID, PersonLink(key, e.CitizenID), cid, e.Row, e.Year, e.Status, e.IncomeBand, e.Village); err != nil {
				return mapErr(err)
			}
		}
		detail, _ := json.Marshal(map[string]any{"round": im.Round, "file": im.File, "entries": im.Entries, "keep_citizen_ids": im.RawIDs})
		if err := insertAudit(ctx, tx, im.At, im.By, "welfare.import", im.Area, fmt.Sprintf("welfare:%d", im.ID), string(detail)); err != nil {
			return err
		}
		return bumpGeneration(ctx, tx)
	})
	if err != nil {
		return WelfareImport{}, fmt.Errorf("import welfare register: %w", err)
	}
	return im, nil
}

const welfareImportColumns = "id, round_id, area_code, file_name, entries, raw_ids, imported_at, imported_by"

func scanWelfareImport(sc interface{ Scan(...any) error }) (WelfareImport, error) {
	var im WelfareImport
	var at string
	err := sc.Scan(&im.ID, &im.Round, &im.Area, &im.File, &im.Entries, &im.RawIDs, &at, &im.By)
	im.At = parseTime(at)
	return im, err
}

// WelfareImports lists the register's lists of a round ("" for every
// round) whose area lies inside scope ("TH" for all), newest first.
func (s *Store) WelfareImports(ctx context.Context, round, scope string) ([]WelfareImport, error) {
	rows, err := s.read.QueryContext(ctx, "SELECT "+welfareImportColumns+" FROM welfare_imports WHERE round_id = $1 OR $1 = '' ORDER BY id DESC", round)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []WelfareImport
	for rows.Next() {
		im, err := scanWelfareImport(rows)
		if err != nil {
			return nil, err
		}
		if scope == "TH" || strings.HasPrefix(im.Area, scope) && scope != "" {
			out = append(out, im)
		}
	}
	return out, rows.Err()
}

// DeleteWelfareImport deletes a list and every entry of it, audited. The
// list's area must lie inside scope.
func (s *Store) DeleteWelfareImport(ctx context.Context, id int64, scope, by string) (WelfareImport, error) {
	var im WelfareImport
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		im, err = scanWelfareImport(tx.QueryRowContext(ctx, "SELECT "+welfareImportColumns+" FROM welfare_imports WHERE id = $1", id))
		if err == sql.ErrNoRows {
			return apperr.New(apperr.NotFound, apperr.Tf("ไม่มีรายชื่อผู้ลงทะเบียนชุดที่ %d", "there is no register list %d", id))
		}
		if err != nil {
			return mapErr(err)
		}
		if scope != "TH" && (scope == "" || !strings.HasPrefix(im.Area, scope)) {
			return apperr.New(apperr.Forbidden, apperr.T("รายชื่อชุดนี้อยู่นอกพื้นที่ที่บัญชีของท่านรับผิดชอบ", "this list is outside the area your account is responsible for"))
		}
		r, err := tx.ExecContext(ctx, "DELETE FROM welfare_entries WHERE import_id = $1", id)
		if err != nil {
			return mapErr(err)
		}
		n, _ := r.RowsAffected()
		if _, err := tx.ExecContext(ctx, "DELETE FROM welfare_imports WHERE id = $1", id); err != nil {
			return mapErr(err)
		}
		detail, _ := json.Marshal(map[string]any{"round": im.Round, "file": im.File, "entries": n})
		if err := insertAudit(ctx, tx, s.now(), by, "welfare.delete", im.Area, fmt.Sprintf("welfare:%d", id), string(detail)); err != nil {
			return err
		}
		return bumpGeneration(ctx, tx)
	})
	if err != nil {
		return WelfareImport{}, fmt.Errorf("delete welfare register list: %w", err)
	}
	return im, nil
}

// welfareKey returns the database's link key, or nil when none has been
// made yet (then no list has been imported and no household pseudonymised).
func (s *Store) welfareKey(ctx context.Context) ([]byte, error) {
	v := s.metaValue(ctx, linkKeyMeta)
	if v == "" {
		return nil, nil
	}
	return hex.DecodeString(v)
}

// eraseWelfare deletes a round's register entries of the given people
// (citizen IDs; and the members of a pseudonymised household by their
// kept links), for an erasure. It runs before the links are deleted.
func eraseWelfare(ctx context.Context, tx *sql.Tx, round, hhKey string, members []int, cids []string) (int64, error) {
	var links []string
	var v string
	if err := tx.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = $1", linkKeyMeta).Scan(&v); err == sql.ErrNoRows {
		return 0, nil // no key: nothing was ever hashed, so nothing was imported
	} else if err != nil {
		return 0, mapErr(err)
	}
	key, err := hex.DecodeString(v)
	if err != nil {
		return 0, err
	}
	for _, c := range cids {
		if c != "" {
			links = append(links, PersonLink(key, c))
		}
	}
	for _, no := range members {
		var l string
		err := tx.QueryRowContext(ctx, "SELECT link FROM person_links WHERE round_id = $1 AND hh_key = $2 AND member_no = $3", round, hhKey, no).Scan(&l)
		if err == nil {
			links = append(links, l)
		} else if err != sql.ErrNoRows {
			return 0, mapErr(err)
		}
	}
	var n int64
	for _, l := range links {
		r, err := tx.ExecContext(ctx, "DELETE FROM welfare_entries WHERE person = $1 AND import_id IN (SELECT id FROM welfare_imports WHERE round_id = $2)", l, round)
		if err != nil {
			return 0, mapErr(err)
		}
		k, _ := r.RowsAffected()
		n += k
	}
	if n > 0 {
		if _, err := tx.ExecContext(ctx, `UPDATE welfare_imports SET entries = (SELECT count(*) FROM welfare_entries e WHERE e.import_id = welfare_imports.id)
			WHERE round_id = $1`, round); err != nil {
			return 0, mapErr(err)
		}
	}
	return n, nil
}
