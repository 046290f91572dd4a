package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"tambon/internal/activity"
	"tambon/internal/apperr"
)

const activityColumns = `a.id, a.kind, a.title_th, a.title_en, a.starts_at, a.ends_at, a.area_code, a.venue, a.organiser_id,
	a.summary, a.safety, a.safety_note, a.created_at, a.updated_at, a.created_by, a.updated_by,
	COALESCE((SELECT n.id FROM news_posts n WHERE n.activity_id = a.id), 0)`

// CreateActivity validates and stores an activity with its partners,
// attendees, agenda, resolutions and follow-ups, in one transaction.
func (s *Store) CreateActivity(ctx context.Context, a activity.Activity, by string) (activity.Activity, error) {
	a.Normalize()
	if err := a.Validate(); err != nil {
		return activity.Activity{}, err
	}
	now := formatTime(s.now())
	for i := range a.FollowUps {
		a.FollowUps[i].ID = 0 // a new activity's follow-ups are new rows
	}
	var id int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := checkActivityRefs(ctx, tx, a); err != nil {
			return err
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO activities (kind, title_th, title_en, starts_at, ends_at, area_code, venue,
			organiser_id, summary, safety, safety_note, created_at, updated_at, created_by, updated_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13, $13) RETURNING id`,
			string(a.Kind), a.TitleTH, a.TitleEN, formatTime(a.Start), optTime(a.End), a.AreaCode, a.Venue,
			nullID(a.OrganiserID), a.Summary, strings.Join(a.Safety, " "), a.SafetyNote, now, by).Scan(&id)
		if err != nil {
			return mapErr(err)
		}
		return writeActivityParts(ctx, tx, id, a, s.now())
	})
	if err != nil {
		return activity.Activity{}, fmt.Errorf("create activity %s: %w", a.TitleTH, err)
	}
	return s.Activity(ctx, id)
}

// UpdateActivity replaces an activity's fields and lists. Follow-ups are
// replaced too; photos and a news post stay.
func (s *Store) UpdateActivity(ctx context.Context, a activity.Activity, by string) (activity.Activity, error) {
	a.Normalize()
	if err := a.Validate(); err != nil {
		return activity.Activity{}, err
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := checkActivityRefs(ctx, tx, a); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE activities SET kind = $1, title_th = $2, title_en = $3, starts_at = $4, ends_at = $5,
			area_code = $6, venue = $7, organiser_id = $8, summary = $9, safety = $10, safety_note = $11, updated_at = $12, updated_by = $13
			WHERE id = $14`,
			string(a.Kind), a.TitleTH, a.TitleEN, formatTime(a.Start), optTime(a.End), a.AreaCode, a.Venue,
			nullID(a.OrganiserID), a.Summary, strings.Join(a.Safety, " "), a.SafetyNote, formatTime(s.now()), by, a.ID)
		if err != nil {
			return mapErr(err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return activityNotFound(a.ID)
		}
		// A follow-up sent back with its id stays that row, so its id — and the
		// audit log's history of its status, kept under /followups/{id} — lives
		// on; one typed again without an id keeps the day it was done.
		type kept struct{ status, doneAt string }
		known := map[int64]kept{}
		done := map[string]string{}
		rows, err := tx.QueryContext(ctx, "SELECT id, action, status, done_at FROM followups WHERE activity_id = $1", a.ID)
		if err != nil {
			return mapErr(err)
		}
		for rows.Next() {
			var id int64
			var action, status, at string
			if err := rows.Scan(&id, &action, &status, &at); err != nil {
				rows.Close()
				return err
			}
			known[id] = kept{status, at}
			if status == string(activity.Done) {
				done[action] = at
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return mapErr(err)
		}
		var ps apperr.Problems
		for i, f := range a.FollowUps {
			k, ok := known[f.ID]
			switch {
			case f.ID != 0 && !ok:
				ps = append(ps, apperr.Problem{Field: "followups", Row: i + 1, Value: fmt.Sprint(f.ID),
					Reason: apperr.Tf("กิจกรรมนี้ไม่มีงานติดตามหมายเลข %d", "this activity has no follow-up number %d", f.ID)})
			case f.Status == activity.Done && f.DoneAt.IsZero() && f.ID != 0 && k.status == string(activity.Done):
				a.FollowUps[i].DoneAt = parseTime(k.doneAt)
			case f.Status == activity.Done && f.DoneAt.IsZero() && f.ID == 0 && done[f.Action] != "":
				a.FollowUps[i].DoneAt = parseTime(done[f.Action])
			}
		}
		if len(ps) > 0 {
			return ps
		}
		for _, t := range []string{"activity_partners", "activity_attendees", "activity_agenda", "activity_resolutions"} {
			if _, err := tx.ExecContext(ctx, "DELETE FROM "+t+" WHERE activity_id = $1", a.ID); err != nil {
				return mapErr(err)
			}
		}
		keep := map[int64]bool{}
		for _, f := range a.FollowUps {
			keep[f.ID] = true
		}
		for id := range known {
			if !keep[id] {
				if _, err := tx.ExecContext(ctx, "DELETE FROM followups WHERE id = $1", id); err != nil {
					return mapErr(err)
				}
			}
		}
		// The kept rows step aside from the sequence numbers they are given
		// again, which are unique per activity.
		if _, err := tx.ExecContext(ctx, "UPDATE followups SET seq = -seq WHERE activity_id = $1", a.ID); err != nil {
			return mapErr(err)
		}
		return writeActivityParts(ctx, tx, a.ID, a, s.now())
	})
	if err != nil {
		return activity.Activity{}, fmt.Errorf("update activity %d: %w", a.ID, err)
	}
	return s.Activity(ctx, a.ID)
}

func writeActivityParts(ctx context.Context, tx *sql.Tx, id int64, a activity.Activity, now time.Time) error {
	exec := func(q string, args ...any) error {
		_, err := tx.ExecContext(ctx, q, args...)
		return mapErr(err)
	}
	for _, p := range a.PartnerIDs {
		if err := exec("INSERT INTO activity_partners (activity_id, partner_id) VALUES ($1, $2)", id, p); err != nil {
			return err
		}
	}
	for i, x := range a.Attendees {
		if err := exec("INSERT INTO activity_attendees (activity_id, seq, partner_id, name, role) VALUES ($1, $2, $3, $4, $5)",
			id, i+1, nullID(x.PartnerID), x.Name, x.Role); err != nil {
			return err
		}
	}
	for i, t := range a.Agenda {
		if err := exec("INSERT INTO activity_agenda (activity_id, seq, title) VALUES ($1, $2, $3)", id, i+1, t); err != nil {
			return err
		}
	}
	for i, t := range a.Resolutions {
		if err := exec("INSERT INTO activity_resolutions (activity_id, seq, text) VALUES ($1, $2, $3)", id, i+1, t); err != nil {
			return err
		}
	}
	for i, f := range a.FollowUps {
		if f.Status == activity.Done && f.DoneAt.IsZero() {
			f.DoneAt = now
		}
		if f.Status != activity.Done {
			f.DoneAt = time.Time{}
		}
		if f.ID != 0 {
			if err := exec(`UPDATE followups SET seq = $1, area_code = $2, action = $3, owner_id = $4, owner = $5, due = $6, status = $7, done_at = $8
				WHERE id = $9 AND activity_id = $10`,
				i+1, a.AreaCode, f.Action, nullID(f.OwnerID), f.Owner, f.Due.Format(dateLayout), string(f.Status), optTime(f.DoneAt), f.ID, id); err != nil {
				return err
			}
			continue
		}
		if err := exec(`INSERT INTO followups (activity_id, seq, area_code, action, owner_id, owner, due, status, done_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
			id, i+1, a.AreaCode, f.Action, nullID(f.OwnerID), f.Owner, f.Due.Format(dateLayout), string(f.Status), optTime(f.DoneAt)); err != nil {
			return err
		}
	}
	return nil
}

// checkActivityRefs names an area or partner that does not exist.
func checkActivityRefs(ctx context.Context, tx *sql.Tx, a activity.Activity) error {
	var ps apperr.Problems
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM areas WHERE code = $1", a.AreaCode).Scan(&n); err != nil {
		return mapErr(err)
	}
	if n == 0 {
		ps = append(ps, apperr.Problem{Field: "area_code", Value: a.AreaCode,
			Reason: apperr.Tf("ไม่มีพื้นที่รหัส %s", "there is no area with code %s", a.AreaCode)})
	}
	check := func(field string, id int64) error {
		if id == 0 {
			return nil
		}
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM partners WHERE id = $1", id).Scan(&n); err != nil {
			return mapErr(err)
		}
		if n == 0 {
			ps = append(ps, apperr.Problem{Field: field, Value: fmt.Sprint(id),
				Reason: apperr.Tf("ไม่มีภาคีหมายเลข %d", "there is no partner number %d", id)})
		}
		return nil
	}
	ids := []struct {
		field string
		id    int64
	}{{"organiser_id", a.OrganiserID}}
	for _, p := range a.PartnerIDs {
		ids = append(ids, struct {
			field string
			id    int64
		}{"partners", p})
	}
	for _, x := range a.Attendees {
		ids = append(ids, struct {
			field string
			id    int64
		}{"attendees", x.PartnerID})
	}
	for _, f := range a.FollowUps {
		ids = append(ids, struct {
			field string
			id    int64
		}{"followups", f.OwnerID})
	}
	for _, x := range ids {
		if err := check(x.field, x.id); err != nil {
			return err
		}
	}
	if len(ps) > 0 {
		return ps
	}
	return nil
}

// Activity returns one activity with everything recorded about it.
func (s *Store) Activity(ctx context.Context, id int64) (activity.Activity, error) {
	as, err := s.queryActivities(ctx, "SELECT "+activityColumns+" FROM activities a WHERE a.id = $1", id)
	if err != nil {
		return activity.Activity{}, fmt.Errorf("activity %d: %w", id, err)
	}
	if len(as) == 0 {
		return activity.Activity{}, activityNotFound(id)
	}
	a := as[0]
	if err := s.activityParts(ctx, &a); err != nil {
		return activity.Activity{}, fmt.Errorf("activity %d: %w", id, err)
	}
	return a, nil
}

func (s *Store) activityParts(ctx context.Context, a *activity.Activity) error {
	each := func(q string, scan func(*sql.Rows) error) error {
		rows, err := s.read.QueryContext(ctx, q, a.ID)
		if err != nil {
			return mapErr(err)
		}
		defer rows.Close()
		for rows.Next() {
			if err := scan(rows); err != nil {
				return err
			}
		}
		return rows.Err()
	}
	err := each("SELECT partner_id FROM activity_partners WHERE activity_id = $1 ORDER BY partner_id", func(r *sql.Rows) error {
		var id int64
		err := r.Scan(&id)
		a.PartnerIDs = append(a.PartnerIDs, id)
		return err
	})
	if err == nil {
		err = each("SELECT partner_id, name, role FROM activity_attendees WHERE activity_id = $1 ORDER BY seq", func(r *sql.Rows) error {
			var x activity.Attendee
			var pid sql.NullInt64
			err := r.Scan(&pid, &x.Name, &x.Role)
			x.PartnerID = pid.Int64
			a.Attendees = append(a.Attendees, x)
			return err
		})
	}
	if err == nil {
		err = each("SELECT title FROM activity_agenda WHERE activity_id = $1 ORDER BY seq", func(r *sql.Rows) error {
			var t string
			err := r.Scan(&t)
			a.Agenda = append(a.Agenda, t)
			return err
		})
	}
	if err == nil {
		err = each("SELECT text FROM activity_resolutions WHERE activity_id = $1 ORDER BY seq", func(r *sql.Rows) error {
			var t string
			err := r.Scan(&t)
			a.Resolutions = append(a.Resolutions, t)
			return err
		})
	}
	if err == nil {
		err = each("SELECT "+followUpColumns+" FROM followups f JOIN activities a ON a.id = f.activity_id WHERE f.activity_id = $1 ORDER BY f.seq",
			func(r *sql.Rows) error {
				f, err := scanFollowUp(r)
				a.FollowUps = append(a.FollowUps, f)
				return err
			})
	}
	if err == nil {
		err = each("SELECT id, activity_id, caption, width, height FROM activity_photos WHERE activity_id = $1 ORDER BY id", func(r *sql.Rows) error {
			var p activity.Photo
			err := r.Scan(&p.ID, &p.ActivityID, &p.Caption, &p.Width, &p.Height)
			a.Photos = append(a.Photos, p)
			return err
		})
	}
	return err
}

// Activities lists the activities the filter selects, in start order,
// without their lists (Activity reads one whole).
func (s *Store) Activities(ctx context.Context, f activity.Filter) ([]activity.Activity, error) {
	within := f.Within
	if within == "TH" {
		within = ""
	}
	if strings.Trim(within, "0123456789") != "" {
		return nil, apperr.New(apperr.Invalid, apperr.Tf("รหัสพื้นที่ %q ต้องเป็นตัวเลข", "the area code %q must be digits", within))
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 500
	}
	from, to := "", ""
	if !f.From.IsZero() {
		from = formatTime(f.From)
	}
	if !f.To.IsZero() {
		to = formatTime(f.To)
	}
	order := "a.starts_at, a.id"
	if f.Latest {
		order = "a.starts_at DESC, a.id DESC"
	}
	as, err := s.queryActivities(ctx, "SELECT "+activityColumns+` FROM activities a
		WHERE a.area_code LIKE $1 AND ($2 = '' OR a.starts_at >= $2) AND ($3 = '' OR a.starts_at < $3) AND ($4 = '' OR a.kind = $4)
		ORDER BY `+order+` LIMIT $5`, within+"%", from, to, string(f.Kind), limit)
	if err != nil {
		return nil, fmt.Errorf("list activities: %w", err)
	}
	return as, nil
}

func (s *Store) queryActivities(ctx context.Context, q string, args ...any) ([]activity.Activity, error) {
	rows, err := s.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []activity.Activity
	for rows.Next() {
		var a activity.Activity
		var kind, start, end, safety, created, updated string
		var org sql.NullInt64
		if err := rows.Scan(&a.ID, &kind, &a.TitleTH, &a.TitleEN, &start, &end, &a.AreaCode, &a.Venue, &org,
			&a.Summary, &safety, &a.SafetyNote, &created, &updated, &a.CreatedBy, &a.UpdatedBy, &a.NewsID); err != nil {
			return nil, err
		}
		a.Kind, a.OrganiserID = activity.Kind(kind), org.Int64
		a.Start, a.End = parseTime(start), parseTime(end)
		a.CreatedAt, a.UpdatedAt = parseTime(created), parseTime(updated)
		a.Safety = strings.Fields(safety)
		out = append(out, a)
	}
	return out, rows.Err()
}

const followUpColumns = `f.id, f.seq, f.action, f.owner_id, f.owner, f.due, f.status, f.done_at, f.area_code, f.activity_id, a.title_th`

func scanFollowUp(r interface{ Scan(...any) error }) (activity.FollowUp, error) {
	var f activity.FollowUp
	var owner sql.NullInt64
	var due, status, done string
	err := r.Scan(&f.ID, &f.Seq, &f.Action, &owner, &f.Owner, &due, &status, &done, &f.AreaCode, &f.ActivityID, &f.ActivityTitle)
	f.OwnerID, f.Status, f.DoneAt = owner.Int64, activity.FollowUpStatus(status), parseTime(done)
	f.Due, _ = time.Parse(dateLayout, due)
	return f, err
}

// OverdueFollowUps lists the follow-up actions in an area subtree that are
// not closed and were due before today (a date), the most overdue first.
func (s *Store) OverdueFollowUps(ctx context.Context, within string, today time.Time, limit int) ([]activity.FollowUp, error) {
	if within == "TH" {
		within = ""
	}
	if limit <= 0 {
		limit = 50
	}
	rows, err := s.read.QueryContext(ctx, "SELECT "+followUpColumns+` FROM followups f JOIN activities a ON a.id = f.activity_id
		WHERE f.status IN ('open', 'in_progress') AND f.due < $1 AND f.area_code LIKE $2
		ORDER BY f.due, f.id LIMIT $3`, activity.DateOf(today).Format(dateLayout), within+"%", limit)
	if err != nil {
		return nil, fmt.Errorf("overdue follow-ups: %w", mapErr(err))
	}
	defer rows.Close()
	var out []activity.FollowUp
	for rows.Next() {
		f, err := scanFollowUp(rows)
		if err != nil {
			return nil, fmt.Errorf("overdue follow-ups: %w", err)
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// SetFollowUpStatus moves one follow-up action to a new status and returns
// it; done records when.
func (s *Store) SetFollowUpStatus(ctx context.Context, id int64, status activity.FollowUpStatus) (activity.FollowUp, error) {
	if !status.Valid() {
		return activity.FollowUp{}, apperr.New(apperr.Invalid, apperr.Tf("ไม่รู้จักสถานะ %q (ใช้ได้: open, in_progress, done, cancelled)",
			"unknown status %q (one of: open, in_progress, done, cancelled)", status))
	}
	done := ""
	if status == activity.Done {
		done = formatTime(s.now())
	}
	res, err := s.write.ExecContext(ctx, "UPDATE followups SET status = $1, done_at = $2 WHERE id = $3", string(status), done, id)
	if err != nil {
		return activity.FollowUp{}, fmt.Errorf("follow-up %d: %w", id, mapErr(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return activity.FollowUp{}, apperr.New(apperr.NotFound, apperr.Tf("ไม่พบงานติดตามหมายเลข %d", "no follow-up number %d", id))
	}
	got, err := scanFollowUp(s.read.QueryRowContext(ctx, "SELECT "+followUpColumns+" FROM followups f JOIN activities a ON a.id = f.activity_id WHERE f.id = $1", id))
	if err != nil {
		return activity.FollowUp{}, fmt.Errorf("follow-up %d: %w", id, mapErr(err))
	}
	return got, nil
}

// AddPhoto stores a shrunk photo of an activity.
func (s *Store) AddPhoto(ctx context.Context, activityID int64, caption string, p activity.Shrunk, by string) (activity.Photo, error) {
	caption = strings.TrimSpace(caption)
	if len([]rune(caption)) > activity.MaxTitle {
		return activity.Photo{}, apperr.New(apperr.Invalid, apperr.Tf("คำบรรยายรูปยาวเกิน %d ตัวอักษร", "the caption is longer than %d characters", activity.MaxTitle))
	}
	var id int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM activities WHERE id = $1", activityID).Scan(&n); err != nil {
			return mapErr(err)
		}
		if n == 0 {
			return activityNotFound(activityID)
		}
		return mapErr(tx.QueryRowContext(ctx, `INSERT INTO activity_photos (activity_id, caption, width, height, image, thumb, created_at, created_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
			activityID, caption, p.Width, p.Height, p.Image, p.Thumb, formatTime(s.now()), by).Scan(&id))
	})
	if err != nil {
		return activity.Photo{}, fmt.Errorf("add photo to activity %d: %w", activityID, err)
	}
	return activity.Photo{ID: id, ActivityID: activityID, Caption: caption, Width: p.Width, Height: p.Height}, nil
}

// PhotoData returns a photo's JPEG (or its thumbnail) and the activity it
// belongs to, so the caller can decide who may see it.
func (s *Store) PhotoData(ctx context.Context, id int64, thumb bool) ([]byte, activity.Activity, error) {
	col := "image"
	if thumb {
		col = "thumb"
	}
	var data []byte
	var aid int64
	err := s.read.QueryRowContext(ctx, "SELECT "+col+", activity_id FROM activity_photos WHERE id = $1", id).Scan(&data, &aid)
	if err == sql.ErrNoRows {
		return nil, activity.Activity{}, apperr.New(apperr.NotFound, apperr.Tf("ไม่พบรูปหมายเลข %d", "no photo number %d", id))
	}
	if err != nil {
		return nil, activity.Activity{}, fmt.Errorf("photo %d: %w", id, mapErr(err))
	}
	as, err := s.queryActivities(ctx, "SELECT "+activityColumns+" FROM activities a WHERE a.id = $1", aid)
	if err != nil || len(as) == 0 {
		return nil, activity.Activity{}, fmt.Errorf("photo %d: %w", id, activityNotFound(aid))
	}
	return data, as[0], nil
}

func activityNotFound(id int64) error {
	return apperr.New(apperr.NotFound, apperr.Tf("ไม่พบกิจกรรมหมายเลข %d", "no activity number %d", id))
}

// optTime stores a zero time as ”.
func optTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return formatTime(t)
}
