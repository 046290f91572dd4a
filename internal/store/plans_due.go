package store

import (
	"context"
	"strings"
	"time"

	"tambon/internal/apperr"
)

// ItemDue names a plan item by its plan and its own id.
type ItemDue struct{ PlanID, ItemID int64 }

// ItemsPastDue lists, oldest end first, the items of the plans of an area
// and every area inside it whose end date is before today while their
// physical progress is under 100%: what the home page counts as "plan items
// past their end and not finished". One read, whatever the number of plans.
func (s *Store) ItemsPastDue(ctx context.Context, area string, today time.Time, limit int) ([]ItemDue, error) {
	if area == "TH" {
		area = ""
	}
	if strings.Trim(area, "0123456789") != "" {
		return nil, apperr.New(apperr.Invalid, apperr.Tf("รหัสพื้นที่ %q ต้องเป็นตัวเลข", "the area code %q must be digits", area))
	}
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	rows, err := s.read.QueryContext(ctx, `SELECT i.plan_id, i.id FROM plan_items i JOIN plans p ON p.id = i.plan_id
		WHERE p.area_code LIKE $1 AND i.end_date <> '' AND i.end_date < $2 AND i.physical < 100
		ORDER BY i.end_date, i.id LIMIT $3`, area+"%", formatDay(today), limit)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []ItemDue
	for rows.Next() {
		var d ItemDue
		if err := rows.Scan(&d.PlanID, &d.ItemID); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}
