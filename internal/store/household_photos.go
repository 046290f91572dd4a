package store

import (
	"context"
	"database/sql"
	"time"

	"tambon/internal/apperr"
	"tambon/internal/survey"
)

// HouseholdPhoto is a photo of a household's house or of one of its
// supporting documents (migration 0020). Image and Thumb are re-encoded
// JPEGs without metadata; Lat and Lon are where the camera said it was
// taken, kept apart from the picture, nil when it did not say.
type HouseholdPhoto struct {
	ID        int64
	Round     string
	Key       string // the household's key in the round
	Village   string
	Kind      survey.PhotoKind
	Caption   string
	Width     int
	Height    int
	Lat, Lon  *float64
	CreatedBy string
	CreatedAt time.Time
	Image     []byte // only from HouseholdPhotoData
	Thumb     []byte
}

// AddHouseholdPhoto stores a photo of a household of the round: the
// household must be stored under the key, its tambon not locked by the
// review, and it may hold at most survey.MaxPhotos photos.
func (s *Store) AddHouseholdPhoto(ctx context.Context, p HouseholdPhoto) (HouseholdPhoto, error) {
	if !p.Kind.Valid() {
		return p, apperr.New(apperr.Invalid, apperr.T("ชนิดของรูปต้องเป็น รูปบ้าน หรือ รูปเอกสารประกอบ", "a photo is of the house or of a supporting document"))
	}
	if len(p.Caption) > 500 {
		p.Caption = p.Caption[:500]
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var village string
		err := tx.QueryRowContext(ctx, "SELECT village_code FROM households WHERE round_id = $1 AND hh_key = $2", p.Round, p.Key).Scan(&village)
		if err == sql.ErrNoRows {
			return apperr.New(apperr.NotFound, apperr.T("ไม่พบครัวเรือนนี้ในรอบนี้", "this household is not in the round"))
		}
		if err != nil {
			return mapErr(err)
		}
		p.Village = village
		if err := checkUnlocked(ctx, tx, p.Round, map[string]bool{village: true}); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM household_photos WHERE round_id = $1 AND hh_key = $2", p.Round, p.Key).Scan(&n); err != nil {
			return mapErr(err)
		}
		if n >= survey.MaxPhotos {
			return apperr.New(apperr.Invalid, apperr.Tf("ครัวเรือนหนึ่งเก็บรูปได้ไม่เกิน %d รูป: ลบรูปเดิมก่อน",
				"a household keeps at most %d photos: delete one first", survey.MaxPhotos))
		}
		p.CreatedAt = s.now().UTC()
		return mapErr(tx.QueryRowContext(ctx, `INSERT INTO household_photos (round_id, hh_key, village_code, kind, caption, width, height, image, thumb, lat, lon, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
			p.Round, p.Key, p.Village, string(p.Kind), p.Caption, p.Width, p.Height, p.Image, p.Thumb, p.Lat, p.Lon, p.CreatedBy, formatTime(p.CreatedAt)).Scan(&p.ID))
	})
	p.Image, p.Thumb = nil, nil
	return p, err
}

const householdPhotoColumns = "id, round_id, hh_key, village_code, kind, caption, width, height, lat, lon, created_by, created_at"

func scanHouseholdPhoto(sc interface{ Scan(...any) error }, extra ...any) (HouseholdPhoto, error) {
	var p HouseholdPhoto
	var kind, at string
	var lat, lon sql.NullFloat64
	err := sc.Scan(append([]any{&p.ID, &p.Round, &p.Key, &p.Village, &kind, &p.Caption, &p.Width, &p.Height, &lat, &lon, &p.CreatedBy, &at}, extra...)...)
	p.Kind, p.CreatedAt = survey.PhotoKind(kind), parseTime(at)
	if lat.Valid && lon.Valid {
		p.Lat, p.Lon = &lat.Float64, &lon.Float64
	}
	return p, err
}

// HouseholdPhotos lists a household's photos in the order they were added,
// without their pictures.
func (s *Store) HouseholdPhotos(ctx context.Context, round, key string) ([]HouseholdPhoto, error) {
	rows, err := s.read.QueryContext(ctx, "SELECT "+householdPhotoColumns+" FROM household_photos WHERE round_id = $1 AND hh_key = $2 ORDER BY id", round, key)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []HouseholdPhoto
	for rows.Next() {
		p, err := scanHouseholdPhoto(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// HouseholdPhotoData returns one photo with its picture and thumbnail.
func (s *Store) HouseholdPhotoData(ctx context.Context, id int64) (HouseholdPhoto, error) {
	var img, thumb []byte
	p, err := scanHouseholdPhoto(s.read.QueryRowContext(ctx, "SELECT "+householdPhotoColumns+", image, thumb FROM household_photos WHERE id = $1", id), &img, &thumb)
	if err == sql.ErrNoRows {
		return p, apperr.New(apperr.NotFound, apperr.T("ไม่พบรูปนี้", "no such photo"))
	}
	if err != nil {
		return p, mapErr(err)
	}
	p.Image, p.Thumb = img, thumb
	return p, nil
}

// DeleteHouseholdPhoto removes a photo, unless its tambon is locked by the
// review.
func (s *Store) DeleteHouseholdPhoto(ctx context.Context, id int64) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var round, village string
		err := tx.QueryRowContext(ctx, "SELECT round_id, village_code FROM household_photos WHERE id = $1", id).Scan(&round, &village)
		if err == sql.ErrNoRows {
			return apperr.New(apperr.NotFound, apperr.T("ไม่พบรูปนี้", "no such photo"))
		}
		if err != nil {
			return mapErr(err)
		}
		if err := checkUnlocked(ctx, tx, round, map[string]bool{village: true}); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, "DELETE FROM household_photos WHERE id = $1", id)
		return mapErr(err)
	})
}

// addPhotosOf adds the photos that came with a household's record
// (survey.Household.Photos) to its photos, while it holds fewer than
// survey.MaxPhotos: the record is written either way.
func addPhotosOf(ctx context.Context, tx *sql.Tx, round, key string, h *survey.Household, by, now string) error {
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM household_photos WHERE round_id = $1 AND hh_key = $2", round, key).Scan(&n); err != nil {
		return mapErr(err)
	}
	for _, p := range h.Photos {
		if n >= survey.MaxPhotos || !p.Kind.Valid() || len(p.Image) == 0 {
			continue
		}
		caption := p.Caption
		if len(caption) > 500 {
			caption = caption[:500]
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO household_photos (round_id, hh_key, village_code, kind, caption, width, height, image, thumb, lat, lon, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
			round, key, h.VillageCode, string(p.Kind), caption, p.Width, p.Height, p.Image, p.Thumb, p.Lat, p.Lon, by, now); err != nil {
			return mapErr(err)
		}
		n++
	}
	return nil
}
