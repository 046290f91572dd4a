package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"time"

	"tambon/internal/activity"
	"tambon/internal/apperr"
)

const newsColumns = `n.id, n.activity_id, n.area_code, n.title_th, n.title_en, n.body_th, n.body_en, n.published_at, n.published_by,
	a.starts_at, COALESCE((SELECT sum(v.n) FROM news_visits v WHERE v.post_id = n.id), 0),
	COALESCE((SELECT v.n FROM news_visits v WHERE v.post_id = n.id AND v.day = $1), 0)`

// PublishNews makes an activity public news. An activity is published at
// most once: a second time is a conflict that names the existing post.
func (s *Store) PublishNews(ctx context.Context, n activity.News) (activity.News, error) {
	n.TitleTH, n.TitleEN = strings.TrimSpace(n.TitleTH), strings.TrimSpace(n.TitleEN)
	n.BodyTH, n.BodyEN = strings.TrimSpace(n.BodyTH), strings.TrimSpace(n.BodyEN)
	var ps apperr.Problems
	if n.TitleTH == "" {
		ps = append(ps, apperr.Problem{Field: "title_th", Reason: apperr.T("ต้องระบุหัวข้อข่าวภาษาไทย", "the Thai headline is required")})
	}
	if len([]rune(n.TitleTH)) > activity.MaxTitle || len([]rune(n.TitleEN)) > activity.MaxTitle {
		ps = append(ps, apperr.Problem{Field: "title_th", Reason: apperr.Tf("หัวข้อข่าวยาวเกิน %d ตัวอักษร", "the headline is longer than %d characters", activity.MaxTitle)})
	}
	if len([]rune(n.BodyTH)) > activity.MaxText || len([]rune(n.BodyEN)) > activity.MaxText {
		ps = append(ps, apperr.Problem{Field: "body_th", Reason: apperr.Tf("เนื้อข่าวยาวเกิน %d ตัวอักษร", "the text is longer than %d characters", activity.MaxText)})
	}
	if len(ps) > 0 {
		return activity.News{}, ps
	}
	// A post published earlier elsewhere (a bulletin being entered late, the
	// demo's story) keeps its date; otherwise, and never in the future, now.
	at := s.now()
	if !n.PublishedAt.IsZero() && n.PublishedAt.Before(at) {
		at = n.PublishedAt
	}
	var id int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var areaCode string
		err := tx.QueryRowContext(ctx, "SELECT area_code FROM activities WHERE id = $1", n.ActivityID).Scan(&areaCode)
		if err == sql.ErrNoRows {
			return activityNotFound(n.ActivityID)
		}
		if err != nil {
			return mapErr(err)
		}
		var existing int64
		err = tx.QueryRowContext(ctx, "SELECT id FROM news_posts WHERE activity_id = $1", n.ActivityID).Scan(&existing)
		if err == nil {
			return apperr.New(apperr.Conflict, apperr.Tf("กิจกรรมนี้เผยแพร่เป็นข่าวแล้ว (ข่าวหมายเลข %d)",
				"this activity is already published (news post %d)", existing))
		}
		if err != sql.ErrNoRows {
			return mapErr(err)
		}
		return mapErr(tx.QueryRowContext(ctx, `INSERT INTO news_posts (activity_id, area_code, title_th, title_en, body_th, body_en, published_at, published_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
			n.ActivityID, areaCode, n.TitleTH, n.TitleEN, n.BodyTH, n.BodyEN, formatTime(at), n.PublishedBy).Scan(&id))
	})
	if err != nil {
		return activity.News{}, fmt.Errorf("publish activity %d: %w", n.ActivityID, err)
	}
	return s.NewsPost(ctx, id, s.now())
}

// NewsPost returns one post with its photos and visit counts; VisitsToday
// counts the visits on today's date (Bangkok).
func (s *Store) NewsPost(ctx context.Context, id int64, today time.Time) (activity.News, error) {
	ns, err := s.queryNews(ctx, today, "SELECT "+newsColumns+" FROM news_posts n JOIN activities a ON a.id = n.activity_id WHERE n.id = $2", id)
	if err != nil {
		return activity.News{}, fmt.Errorf("news %d: %w", id, err)
	}
	if len(ns) == 0 {
		return activity.News{}, apperr.New(apperr.NotFound, apperr.Tf("ไม่พบข่าวหมายเลข %d", "no news post number %d", id))
	}
	n := ns[0]
	rows, err := s.read.QueryContext(ctx, "SELECT id, activity_id, caption, width, height FROM activity_photos WHERE activity_id = $1 ORDER BY id", n.ActivityID)
	if err != nil {
		return activity.News{}, fmt.Errorf("news %d: %w", id, mapErr(err))
	}
	defer rows.Close()
	for rows.Next() {
		var p activity.Photo
		if err := rows.Scan(&p.ID, &p.ActivityID, &p.Caption, &p.Width, &p.Height); err != nil {
			return activity.News{}, err
		}
		n.Photos = append(n.Photos, p)
	}
	return n, rows.Err()
}

// NewsList returns the newest posts first (within an area subtree, "" for
// all), each with its first photo only.
func (s *Store) NewsList(ctx context.Context, within string, today time.Time, limit int) ([]activity.News, error) {
	if within == "TH" {
		within = ""
	}
	if limit <= 0 {
		limit = 50
	}
	ns, err := s.queryNews(ctx, today, "SELECT "+newsColumns+` FROM news_posts n JOIN activities a ON a.id = n.activity_id
		WHERE n.area_code LIKE $2 ORDER BY n.published_at DESC, n.id DESC LIMIT $3`, within+"%", limit)
	if err != nil {
		return nil, fmt.Errorf("list news: %w", err)
	}
	for i := range ns {
		var p activity.Photo
		err := s.read.QueryRowContext(ctx, "SELECT id, activity_id, caption, width, height FROM activity_photos WHERE activity_id = $1 ORDER BY id LIMIT 1",
			ns[i].ActivityID).Scan(&p.ID, &p.ActivityID, &p.Caption, &p.Width, &p.Height)
		if err == nil {
			ns[i].Photos = []activity.Photo{p}
		} else if err != sql.ErrNoRows {
			return nil, fmt.Errorf("list news: %w", mapErr(err))
		}
	}
	return ns, nil
}

func (s *Store) queryNews(ctx context.Context, today time.Time, q string, args ...any) ([]activity.News, error) {
	day := activity.DateOf(today).Format(dateLayout)
	rows, err := s.read.QueryContext(ctx, q, append([]any{day}, args...)...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []activity.News
	for rows.Next() {
		var n activity.News
		var pub, start string
		if err := rows.Scan(&n.ID, &n.ActivityID, &n.AreaCode, &n.TitleTH, &n.TitleEN, &n.BodyTH, &n.BodyEN, &pub, &n.PublishedBy,
			&start, &n.Visits, &n.VisitsToday); err != nil {
			return nil, err
		}
		n.PublishedAt, n.ActivityStart = parseTime(pub), parseTime(start)
		out = append(out, n)
	}
	return out, rows.Err()
}

// AddVisits adds counted visits to the posts' totals for a day, in one
// transaction: the web server counts in memory and flushes here every few
// seconds. Posts deleted meanwhile are skipped.
func (s *Store) AddVisits(ctx context.Context, day time.Time, counts map[int64]int64) error {
	if len(counts) == 0 {
		return nil
	}
	ids := make([]int64, 0, len(counts))
	for id := range counts {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] }) // a fixed order: no deadlock between servers
	d := activity.DateOf(day).Format(dateLayout)
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		for _, id := range ids {
			_, err := tx.ExecContext(ctx, `INSERT INTO news_visits (post_id, day, n)
				SELECT id, CAST($2 AS TEXT), CAST($3 AS BIGINT) FROM news_posts WHERE id = $1
				ON CONFLICT (post_id, day) DO UPDATE SET n = news_visits.n + excluded.n`, id, d, counts[id])
			if err != nil {
				return mapErr(err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("add news visits: %w", err)
	}
	return nil
}
