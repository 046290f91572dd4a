package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"unicode/utf8"

	"tambon/internal/apperr"
	"tambon/internal/plan"
	"tambon/internal/survey"
)

// Development plans: plans, problems, items, target households, evidence.
// The assistance log is in assistance.go.

func planNotFound(id int64) error {
	return apperr.New(apperr.NotFound, apperr.Tf("ไม่มีแผนพัฒนาหมายเลข %d", "no development plan has the id %d", id))
}

// CreatePlan stores a plan with the problems the team took into it, in one
// transaction. The plan's round must hold households.
func (s *Store) CreatePlan(ctx context.Context, p plan.Plan, problems []plan.Problem) (plan.Plan, error) {
	if err := p.Validate(); err != nil {
		return p, err
	}
	now := s.now()
	p.CreatedAt, p.UpdatedAt = now, now
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := requireHouseholdRound(ctx, tx, p.RoundID); err != nil {
			return err
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO plans (area_code, fiscal_year, round_id, title, created_by, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id`, p.AreaCode, p.FiscalYear, p.RoundID, p.Title, p.CreatedBy, formatTime(now)).Scan(&p.ID)
		if apperr.Is(mapErr(err), apperr.Conflict) {
			return apperr.New(apperr.Conflict, apperr.Tf("พื้นที่นี้มีแผนชื่อ %q ของปี %d แล้ว", "this area already has a plan called %q for %d", p.Title, p.FiscalYear))
		}
		if err != nil {
			return mapErr(err)
		}
		return addProblems(ctx, tx, p.ID, 0, problems)
	})
	if err != nil {
		return p, fmt.Errorf("create plan: %w", err)
	}
	return p, nil
}

func addProblems(ctx context.Context, tx *sql.Tx, planID int64, after int, problems []plan.Problem) error {
	for i := range problems {
		pr := problems[i]
		pr.Priority = after + i + 1
		if err := pr.Validate(); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO plan_problems (plan_id, source, code, title_th, title_en, households, priority, note)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, planID, pr.Source, pr.Code, pr.Title.TH, pr.Title.EN, pr.Households, pr.Priority, pr.Note)
		if apperr.Is(mapErr(err), apperr.Conflict) {
			return apperr.New(apperr.Conflict, apperr.Tf("ปัญหา %s อยู่ในแผนแล้ว", "the problem %s is already in the plan", pr.Title.TH))
		}
		if err != nil {
			return mapErr(err)
		}
	}
	return nil
}

// AddProblems appends problems to a plan, ranked after those it has.
func (s *Store) AddProblems(ctx context.Context, planID int64, problems []plan.Problem) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var n sql.NullInt64
		if err := tx.QueryRowContext(ctx, "SELECT max(priority) FROM plan_problems WHERE plan_id = $1", planID).Scan(&n); err != nil {
			return mapErr(err)
		}
		return addProblems(ctx, tx, planID, int(n.Int64), problems)
	})
}

const planColumns = "id, area_code, fiscal_year, round_id, title, created_by, created_at, updated_at"

func scanPlan(row interface{ Scan(...any) error }) (plan.Plan, error) {
	var p plan.Plan
	var c, u string
	err := row.Scan(&p.ID, &p.AreaCode, &p.FiscalYear, &p.RoundID, &p.Title, &p.CreatedBy, &c, &u)
	p.CreatedAt, p.UpdatedAt = parseTime(c), parseTime(u)
	return p, err
}

// Plan returns one plan.
func (s *Store) Plan(ctx context.Context, id int64) (plan.Plan, error) {
	p, err := scanPlan(s.read.QueryRowContext(ctx, "SELECT "+planColumns+" FROM plans WHERE id = $1", id))
	if err == sql.ErrNoRows {
		return p, planNotFound(id)
	}
	return p, mapErr(err)
}

// Plans lists the plans of an area and of every area inside it, newest
// fiscal year first.
func (s *Store) Plans(ctx context.Context, area string) ([]plan.Plan, error) {
	if area == "TH" {
		area = ""
	}
	if strings.Trim(area, "0123456789") != "" {
		return nil, apperr.New(apperr.Invalid, apperr.Tf("รหัสพื้นที่ %q ต้องเป็นตัวเลข", "the area code %q must be digits", area))
	}
	rows, err := s.read.QueryContext(ctx, "SELECT "+planColumns+" FROM plans WHERE area_code LIKE $1 ORDER BY fiscal_year DESC, area_code, id", area+"%")
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []plan.Plan
	for rows.Next() {
		p, err := scanPlan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// PlanProblems lists a plan's problems by priority.
func (s *Store) PlanProblems(ctx context.Context, planID int64) ([]plan.Problem, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, plan_id, source, code, title_th, title_en, households, priority, note
		FROM plan_problems WHERE plan_id = $1 ORDER BY priority, id`, planID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []plan.Problem
	for rows.Next() {
		var p plan.Problem
		if err := rows.Scan(&p.ID, &p.PlanID, &p.Source, &p.Code, &p.Title.TH, &p.Title.EN, &p.Households, &p.Priority, &p.Note); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// RankProblems sets a plan's priorities: order lists every problem of the
// plan, most urgent first.
func (s *Store) RankProblems(ctx context.Context, planID int64, order []int64) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM plan_problems WHERE plan_id = $1", planID).Scan(&n); err != nil {
			return mapErr(err)
		}
		seen := map[int64]bool{}
		for _, id := range order {
			if seen[id] {
				return apperr.New(apperr.Invalid, apperr.Tf("ปัญหาหมายเลข %d ถูกจัดลำดับซ้ำ", "problem %d is ranked twice", id))
			}
			seen[id] = true
		}
		if len(order) != n {
			return apperr.New(apperr.Invalid, apperr.Tf("ต้องจัดลำดับปัญหาทั้ง %d ข้อของแผน (ได้ %d)", "rank all %d problems of the plan (got %d)", n, len(order)))
		}
		for i, id := range order {
			res, err := tx.ExecContext(ctx, "UPDATE plan_problems SET priority = $1 WHERE id = $2 AND plan_id = $3", i+1, id, planID)
			if err != nil {
				return mapErr(err)
			}
			if k, _ := res.RowsAffected(); k != 1 {
				return apperr.New(apperr.Invalid, apperr.Tf("ปัญหาหมายเลข %d ไม่ได้อยู่ในแผนนี้", "problem %d is not in this plan", id))
			}
		}
		_, err := tx.ExecContext(ctx, "UPDATE plans SET updated_at = $1 WHERE id = $2", formatTime(s.now()), planID)
		return mapErr(err)
	})
}

// SaveItem inserts an item (ID 0) or updates one, and returns it as stored.
// Its problem must belong to its plan, its partner must exist.
func (s *Store) SaveItem(ctx context.Context, it plan.Item, by string) (plan.Item, error) {
	if err := it.Validate(); err != nil {
		return it, err
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM plans WHERE id = $1", it.PlanID).Scan(&n); err != nil {
			return mapErr(err)
		}
		if n == 0 {
			return planNotFound(it.PlanID)
		}
		var problem any
		if it.ProblemID != 0 {
			problem = it.ProblemID
			if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM plan_problems WHERE id = $1 AND plan_id = $2", it.ProblemID, it.PlanID).Scan(&n); err != nil {
				return mapErr(err)
			}
			if n == 0 {
				return apperr.New(apperr.Invalid, apperr.Tf("ปัญหาหมายเลข %d ไม่ได้อยู่ในแผนนี้", "problem %d is not in this plan", it.ProblemID))
			}
		}
		var partner any
		if it.PartnerID != 0 {
			partner = it.PartnerID
			if err := checkPartner(ctx, tx, it.PartnerID); err != nil {
				return err
			}
		}
		now := formatTime(s.now())
		args := []any{it.PlanID, problem, it.Title, it.Objective, partner, it.Budget, it.BudgetSource, formatDay(it.Start), formatDay(it.End), it.Physical, it.Financial, by, now}
		if it.ID == 0 {
			err := tx.QueryRowContext(ctx, `INSERT INTO plan_items (plan_id, problem_id, title, objective, partner_id, budget, budget_source,
				start_date, end_date, physical, financial, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
				args...).Scan(&it.ID)
			if err != nil {
				return mapErr(err)
			}
		} else {
			res, err := tx.ExecContext(ctx, `UPDATE plan_items SET problem_id = $2, title = $3, objective = $4, partner_id = $5, budget = $6,
				budget_source = $7, start_date = $8, end_date = $9, physical = $10, financial = $11, updated_by = $12, updated_at = $13
				WHERE plan_id = $1 AND id = $14`, append(args, it.ID)...)
			if err != nil {
				return mapErr(err)
			}
			if k, _ := res.RowsAffected(); k != 1 {
				return itemNotFound(it.ID)
			}
		}
		_, err := tx.ExecContext(ctx, "UPDATE plans SET updated_at = $1 WHERE id = $2", now, it.PlanID)
		return mapErr(err)
	})
	if err != nil {
		return it, fmt.Errorf("save plan item: %w", err)
	}
	return s.Item(ctx, it.ID)
}

func itemNotFound(id int64) error {
	return apperr.New(apperr.NotFound, apperr.Tf("ไม่มีโครงการหมายเลข %d", "no plan item has the id %d", id))
}

const itemColumns = `i.id, i.plan_id, COALESCE(i.problem_id, 0), i.title, i.objective, COALESCE(i.partner_id, 0), i.budget, i.budget_source,
	i.start_date, i.end_date, i.physical, i.financial, i.updated_at,
	(SELECT count(*) FROM plan_targets t WHERE t.item_id = i.id)`

func scanItem(row interface{ Scan(...any) error }) (plan.Item, error) {
	var it plan.Item
	var start, end, upd string
	err := row.Scan(&it.ID, &it.PlanID, &it.ProblemID, &it.Title, &it.Objective, &it.PartnerID, &it.Budget, &it.BudgetSource,
		&start, &end, &it.Physical, &it.Financial, &upd, &it.Targets)
	it.Start, it.End, it.UpdatedAt = parseDay(start), parseDay(end), parseTime(upd)
	return it, err
}

// Item returns one plan item.
func (s *Store) Item(ctx context.Context, id int64) (plan.Item, error) {
	it, err := scanItem(s.read.QueryRowContext(ctx, "SELECT "+itemColumns+" FROM plan_items i WHERE i.id = $1", id))
	if err == sql.ErrNoRows {
		return it, itemNotFound(id)
	}
	if err != nil {
		return it, mapErr(err)
	}
	it.PartnerName, it.PartnerEN, err = partnerName(ctx, s.read, it.PartnerID)
	return it, err
}

// PlanItems lists a plan's items in the order they were added.
func (s *Store) PlanItems(ctx context.Context, planID int64) ([]plan.Item, error) {
	rows, err := s.read.QueryContext(ctx, "SELECT "+itemColumns+" FROM plan_items i WHERE i.plan_id = $1 ORDER BY i.id", planID)
	if err != nil {
		return nil, mapErr(err)
	}
	var out []plan.Item
	for rows.Next() {
		it, err := scanItem(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, it)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].PartnerName, out[i].PartnerEN, err = partnerName(ctx, s.read, out[i].PartnerID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// SetItemTargets replaces an item's target households. Every household must be
// a record of the plan's round inside the plan's area.
func (s *Store) SetItemTargets(ctx context.Context, itemID int64, ids []int64) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var round, area string
		err := tx.QueryRowContext(ctx, `SELECT p.round_id, p.area_code FROM plan_items i JOIN plans p ON p.id = i.plan_id WHERE i.id = $1`, itemID).Scan(&round, &area)
		if err == sql.ErrNoRows {
			return itemNotFound(itemID)
		}
		if err != nil {
			return mapErr(err)
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM plan_targets WHERE item_id = $1", itemID); err != nil {
			return mapErr(err)
		}
		seen := map[int64]bool{}
		for _, id := range ids {
			if seen[id] {
				continue
			}
			seen[id] = true
			var key, village, houseNo, r string
			where, args, err := householdByID(ctx, tx, s.dialect, id, 1)
			if err != nil {
				return err
			}
			err = tx.QueryRowContext(ctx, "SELECT hh_key, village_code, house_no, round_id FROM households WHERE "+where, args...).Scan(&key, &village, &houseNo, &r)
			if err == sql.ErrNoRows || err == nil && (r != round || !strings.HasPrefix(village, area)) {
				return apperr.New(apperr.Invalid, apperr.Tf("ครัวเรือนหมายเลข %d ไม่ใช่ครัวเรือนของรอบ %s ในพื้นที่ของแผน", "household %d is not a household of round %s in the plan's area", id, round))
			}
			if err != nil {
				return mapErr(err)
			}
			if _, err := tx.ExecContext(ctx, "INSERT INTO plan_targets (item_id, household_id, hh_key, village_code, house_no) VALUES ($1, $2, $3, $4, $5)",
				itemID, id, key, village, houseNo); err != nil {
				return mapErr(err)
			}
		}
		return nil
	})
}

// ItemTargets lists an item's target households by village and house number.
func (s *Store) ItemTargets(ctx context.Context, itemID int64) ([]plan.Target, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT item_id, household_id, hh_key, village_code, house_no FROM plan_targets
		WHERE item_id = $1 ORDER BY village_code, hh_key`, itemID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []plan.Target
	for rows.Next() {
		var t plan.Target
		if err := rows.Scan(&t.ItemID, &t.HouseholdID, &t.Key, &t.VillageCode, &t.HouseNo); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// AddEvidence stores a photo or document of an item's progress.
func (s *Store) AddEvidence(ctx context.Context, e plan.Evidence, data []byte) (plan.Evidence, error) {
	e.Caption = strings.TrimSpace(e.Caption)
	switch {
	case len(data) == 0:
		return e, apperr.New(apperr.Invalid, apperr.T("ไฟล์หลักฐานว่างเปล่า", "the evidence file is empty"))
	case len(data) > plan.MaxEvidence:
		return e, apperr.New(apperr.Invalid, apperr.Tf("ไฟล์ %s ใหญ่เกิน %d KB", "the file %s is larger than %d KB", e.Name, plan.MaxEvidence>>10))
	case utf8.RuneCountInString(e.Caption) > plan.MaxText:
		return e, apperr.New(apperr.Invalid, apperr.Tf("คำบรรยายยาวเกิน %d ตัวอักษร", "the caption is longer than %d characters", plan.MaxText))
	case utf8.RuneCountInString(e.Name) > 200:
		return e, apperr.New(apperr.Invalid, apperr.Tf("ชื่อไฟล์ยาวเกิน %d ตัวอักษร", "the file name is longer than %d characters", 200))
	}
	e.Size, e.UploadedAt = len(data), s.now()
	err := s.write.QueryRowContext(ctx, `INSERT INTO plan_evidence (item_id, name, content_type, caption, size, data, uploaded_by, uploaded_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, e.ItemID, e.Name, e.ContentType, e.Caption, e.Size, data, e.UploadedBy, formatTime(e.UploadedAt)).Scan(&e.ID)
	if err != nil {
		return e, fmt.Errorf("add evidence: %w", mapErr(err))
	}
	return e, nil
}

// ItemEvidence lists an item's evidence, without the files.
func (s *Store) ItemEvidence(ctx context.Context, itemID int64) ([]plan.Evidence, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, item_id, name, content_type, caption, size, uploaded_by, uploaded_at FROM plan_evidence
		WHERE item_id = $1 ORDER BY id`, itemID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []plan.Evidence
	for rows.Next() {
		var e plan.Evidence
		var at string
		if err := rows.Scan(&e.ID, &e.ItemID, &e.Name, &e.ContentType, &e.Caption, &e.Size, &e.UploadedBy, &at); err != nil {
			return nil, err
		}
		e.UploadedAt = parseTime(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

// DeleteEvidence removes an evidence file of a plan's item; one of another
// plan is NotFound.
func (s *Store) DeleteEvidence(ctx context.Context, planID, id int64) error {
	res, err := s.write.ExecContext(ctx, `DELETE FROM plan_evidence WHERE id = $1 AND item_id IN (SELECT id FROM plan_items WHERE plan_id = $2)`, id, planID)
	if err != nil {
		return mapErr(err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return apperr.New(apperr.NotFound, apperr.T("ไม่พบไฟล์หลักฐานนี้", "no such evidence file"))
	}
	return nil
}

// EvidenceFile returns one evidence file.
func (s *Store) EvidenceFile(ctx context.Context, id int64) (plan.Evidence, []byte, error) {
	var e plan.Evidence
	var data []byte
	var at string
	err := s.read.QueryRowContext(ctx, `SELECT id, item_id, name, content_type, caption, size, uploaded_by, uploaded_at, data FROM plan_evidence WHERE id = $1`, id).
		Scan(&e.ID, &e.ItemID, &e.Name, &e.ContentType, &e.Caption, &e.Size, &e.UploadedBy, &at, &data)
	if err == sql.ErrNoRows {
		return e, nil, apperr.New(apperr.NotFound, apperr.T("ไม่พบไฟล์หลักฐานนี้", "no such evidence file"))
	}
	e.UploadedAt = parseTime(at)
	return e, data, mapErr(err)
}

// HouseholdByKey returns a round's record of the household with this key.
func (s *Store) HouseholdByKey(ctx context.Context, round, key string) (survey.Record, error) {
	var id int64
	err := s.read.QueryRowContext(ctx, "SELECT id FROM households WHERE round_id = $1 AND hh_key = $2", round, key).Scan(&id)
	if err == sql.ErrNoRows {
		return survey.Record{}, apperr.New(apperr.NotFound, apperr.Tf("รอบ %s ไม่มีครัวเรือนนี้", "round %s has no record of this household", round))
	}
	if err != nil {
		return survey.Record{}, mapErr(err)
	}
	return s.Household(ctx, id)
}
