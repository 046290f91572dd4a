package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"tambon/internal/apperr"
	"tambon/internal/plan"
)

// AddAssistance writes one record of the household assistance log. The
// household must exist; a plan item, when named, must be of a plan whose
// area holds the household.
func (s *Store) AddAssistance(ctx context.Context, a plan.Assistance) (plan.Assistance, error) {
	if err := a.Validate(); err != nil {
		return a, err
	}
	a.CreatedAt = s.now()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		where, args, err := householdByID(ctx, tx, s.dialect, a.HouseholdID, 1)
		if err != nil {
			return err
		}
		err = tx.QueryRowContext(ctx, "SELECT round_id, hh_key, village_code, house_no FROM households WHERE "+where, args...).
			Scan(&a.RoundID, &a.Key, &a.VillageCode, &a.HouseNo)
		if err == sql.ErrNoRows {
			return apperr.New(apperr.NotFound, apperr.Tf("ไม่มีครัวเรือนหมายเลข %d", "no household has the id %d", a.HouseholdID))
		}
		if err != nil {
			return mapErr(err)
		}
		var item any
		if a.ItemID != 0 {
			item = a.ItemID
			var area string
			err := tx.QueryRowContext(ctx, "SELECT p.area_code FROM plan_items i JOIN plans p ON p.id = i.plan_id WHERE i.id = $1", a.ItemID).Scan(&area)
			if err == sql.ErrNoRows {
				return itemNotFound(a.ItemID)
			}
			if err != nil {
				return mapErr(err)
			}
			if !strings.HasPrefix(a.VillageCode, area) {
				return apperr.New(apperr.Invalid, apperr.Tf("ครัวเรือนนี้อยู่นอกพื้นที่ของแผน (%s)", "this household lies outside the plan's area (%s)", area))
			}
		}
		return mapErr(tx.QueryRowContext(ctx, `INSERT INTO assistance (round_id, household_id, hh_key, village_code, house_no, item_id, programme,
			what, helper, helped_on, status, note, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
			a.RoundID, a.HouseholdID, a.Key, a.VillageCode, a.HouseNo, item, a.Programme, a.What, a.Helper, formatDay(a.Date), a.Status, a.Note,
			a.CreatedBy, formatTime(a.CreatedAt)).Scan(&a.ID))
	})
	if err != nil {
		return a, fmt.Errorf("add assistance: %w", err)
	}
	return a, nil
}

// Assistance lists the log's records that match, by date.
func (s *Store) Assistance(ctx context.Context, f plan.AssistanceFilter) ([]plan.Assistance, error) {
	if strings.Trim(f.Area, "0123456789") != "" && f.Area != "TH" {
		return nil, apperr.New(apperr.Invalid, apperr.Tf("รหัสพื้นที่ %q ต้องเป็นตัวเลข", "the area code %q must be digits", f.Area))
	}
	area := f.Area
	if area == "TH" {
		area = ""
	}
	rows, err := s.read.QueryContext(ctx, `SELECT a.id, a.round_id, a.household_id, a.hh_key, a.village_code, a.house_no, COALESCE(a.item_id, 0),
		COALESCE(i.title, ''), COALESCE(i.plan_id, 0), a.programme, a.what, a.helper, a.helped_on, a.status, a.note, a.created_by, a.created_at
		FROM assistance a LEFT JOIN plan_items i ON i.id = a.item_id
		WHERE ($1 = '' OR (a.round_id = $1 AND a.hh_key = $2)) AND ($3 = 0 OR a.item_id = $3) AND ($4 = 0 OR i.plan_id = $4)
		AND a.village_code LIKE $5
		ORDER BY a.helped_on, a.id`, f.Round, f.Key, f.ItemID, f.PlanID, area+"%")
	if err != nil {
		return nil, fmt.Errorf("assistance: %w", mapErr(err))
	}
	defer rows.Close()
	var out []plan.Assistance
	for rows.Next() {
		var a plan.Assistance
		var day, at string
		if err := rows.Scan(&a.ID, &a.RoundID, &a.HouseholdID, &a.Key, &a.VillageCode, &a.HouseNo, &a.ItemID, &a.ItemTitle, &a.PlanID,
			&a.Programme, &a.What, &a.Helper, &day, &a.Status, &a.Note, &a.CreatedBy, &at); err != nil {
			return nil, err
		}
		a.Date, a.CreatedAt = parseDay(day), parseTime(at)
		out = append(out, a)
	}
	return out, rows.Err()
}
