package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"tambon/internal/apperr"
	"tambon/internal/partner"
)

const partnerColumns = `p.id, p.kind, p.name_th, p.name_en, p.position_th, p.position_en, p.org_id, p.area_code,
	p.phone, p.email, p.address, p.note, p.created_at, p.updated_at, p.created_by`

// CreatePartner validates and stores a new partner with the areas it serves,
// in one transaction, and returns it as stored. The same name twice in one
// area is a conflict.
func (s *Store) CreatePartner(ctx context.Context, p partner.Partner, by string) (partner.Partner, error) {
	p.Normalize()
	if err := p.Validate(); err != nil {
		return partner.Partner{}, err
	}
	now := formatTime(s.now())
	var id int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := checkPartnerRefs(ctx, tx, p); err != nil {
			return err
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO partners (kind, name_th, name_en, position_th, position_en, org_id, area_code,
			phone, email, address, note, created_at, updated_at, created_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13) RETURNING id`,
			string(p.Kind), p.NameTH, p.NameEN, p.PositionTH, p.PositionEN, nullID(p.OrgID), p.AreaCode,
			p.Phone, p.Email, p.Address, p.Note, now, by).Scan(&id)
		if err != nil {
			return partnerWriteErr(err, p)
		}
		return writePartnerAreas(ctx, tx, id, p.Serves)
	})
	if err != nil {
		return partner.Partner{}, fmt.Errorf("create partner %s: %w", p.NameTH, err)
	}
	return s.Partner(ctx, id)
}

// UpdatePartner replaces a partner's fields and served areas and returns it
// as stored. The creation time and author are kept.
func (s *Store) UpdatePartner(ctx context.Context, p partner.Partner) (partner.Partner, error) {
	p.Normalize()
	if err := p.Validate(); err != nil {
		return partner.Partner{}, err
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := checkPartnerRefs(ctx, tx, p); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE partners SET kind = $1, name_th = $2, name_en = $3, position_th = $4,
			position_en = $5, org_id = $6, area_code = $7, phone = $8, email = $9, address = $10, note = $11, updated_at = $12
			WHERE id = $13`,
			string(p.Kind), p.NameTH, p.NameEN, p.PositionTH, p.PositionEN, nullID(p.OrgID), p.AreaCode,
			p.Phone, p.Email, p.Address, p.Note, formatTime(s.now()), p.ID)
		if err != nil {
			return partnerWriteErr(err, p)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return partnerNotFound(p.ID)
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM partner_areas WHERE partner_id = $1", p.ID); err != nil {
			return mapErr(err)
		}
		return writePartnerAreas(ctx, tx, p.ID, p.Serves)
	})
	if err != nil {
		return partner.Partner{}, fmt.Errorf("update partner %d: %w", p.ID, err)
	}
	return s.Partner(ctx, p.ID)
}

// Partner returns one partner with the areas it serves.
func (s *Store) Partner(ctx context.Context, id int64) (partner.Partner, error) {
	ps, err := s.queryPartners(ctx, "SELECT "+partnerColumns+" FROM partners p WHERE p.id = $1", id)
	if err != nil {
		return partner.Partner{}, fmt.Errorf("partner %d: %w", id, err)
	}
	if len(ps) == 0 {
		return partner.Partner{}, partnerNotFound(id)
	}
	return ps[0], nil
}

// PartnerByName returns the partner of that Thai name sitting in that area.
func (s *Store) PartnerByName(ctx context.Context, areaCode, nameTH string) (partner.Partner, error) {
	ps, err := s.queryPartners(ctx, "SELECT "+partnerColumns+" FROM partners p WHERE p.area_code = $1 AND p.name_th = $2",
		areaCode, strings.TrimSpace(nameTH))
	if err != nil {
		return partner.Partner{}, fmt.Errorf("partner %s: %w", nameTH, err)
	}
	if len(ps) == 0 {
		return partner.Partner{}, apperr.New(apperr.NotFound, apperr.Tf("ไม่พบภาคี %s ในพื้นที่ %s",
			"no partner %s in area %s", nameTH, areaCode))
	}
	return ps[0], nil
}

// Partners lists the partners the filter selects, organisations before
// people, then by Thai name.
func (s *Store) Partners(ctx context.Context, f partner.Filter) ([]partner.Partner, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = 500
	}
	within := f.Within
	if within == "TH" {
		within = ""
	}
	serves := f.Serves
	if serves == "TH" {
		serves = ""
	}
	for _, code := range []string{within, serves} {
		if strings.Trim(code, "0123456789") != "" {
			return nil, apperr.New(apperr.Invalid, apperr.Tf("รหัสพื้นที่ %q ต้องเป็นตัวเลข", "the area code %q must be digits", code))
		}
	}
	search := strings.ToLower(strings.TrimSpace(f.Search))
	like := "%" + strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(search) + "%"
	// Area codes are digits only, so their LIKE patterns need no escaping.
	q := "SELECT " + partnerColumns + ` FROM partners p
		WHERE ($1 = '' OR p.area_code LIKE $2 OR EXISTS (SELECT 1 FROM partner_areas a WHERE a.partner_id = p.id AND a.area_code LIKE $2))
		AND ($3 = '' OR EXISTS (SELECT 1 FROM partner_areas a WHERE a.partner_id = p.id
			AND (a.area_code = 'TH' OR a.area_code LIKE $4 OR $3 LIKE a.area_code || '%')))
		AND ($5 = '' OR p.kind = $5)
		AND ($6 = '' OR lower(p.name_th) LIKE $7 ESCAPE '\' OR lower(p.name_en) LIKE $7 ESCAPE '\'
			OR lower(p.position_th) LIKE $7 ESCAPE '\' OR lower(p.position_en) LIKE $7 ESCAPE '\')
		ORDER BY CASE WHEN p.kind IN ('kamnan', 'village_head', 'person') THEN 1 ELSE 0 END, p.area_code, p.name_th, p.id
		LIMIT $8`
	ps, err := s.queryPartners(ctx, q, within, within+"%", serves, serves+"%", string(f.Kind), search, like, limit)
	if err != nil {
		return nil, fmt.Errorf("list partners: %w", err)
	}
	return ps, nil
}

func (s *Store) queryPartners(ctx context.Context, q string, args ...any) ([]partner.Partner, error) {
	rows, err := s.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []partner.Partner
	index := map[int64]int{}
	for rows.Next() {
		var p partner.Partner
		var kind, created, updated string
		var org sql.NullInt64
		if err := rows.Scan(&p.ID, &kind, &p.NameTH, &p.NameEN, &p.PositionTH, &p.PositionEN, &org, &p.AreaCode,
			&p.Phone, &p.Email, &p.Address, &p.Note, &created, &updated, &p.CreatedBy); err != nil {
			return nil, err
		}
		p.Kind, p.OrgID = partner.Kind(kind), org.Int64
		p.CreatedAt, p.UpdatedAt = parseTime(created), parseTime(updated)
		index[p.ID] = len(out)
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return out, nil
	}
	// The served areas of every partner listed, in one read.
	ids := make([]any, 0, len(out))
	for _, p := range out {
		ids = append(ids, p.ID)
	}
	arows, err := s.read.QueryContext(ctx, "SELECT partner_id, area_code FROM partner_areas WHERE partner_id IN ("+
		inList(len(ids))+") ORDER BY partner_id, area_code", ids...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer arows.Close()
	for arows.Next() {
		var id int64
		var code string
		if err := arows.Scan(&id, &code); err != nil {
			return nil, err
		}
		i := index[id]
		out[i].Serves = append(out[i].Serves, code)
	}
	return out, arows.Err()
}

// checkPartnerRefs answers, precisely, for area codes and an organisation
// that do not exist, before the foreign keys would answer vaguely.
func checkPartnerRefs(ctx context.Context, tx *sql.Tx, p partner.Partner) error {
	var ps apperr.Problems
	for _, code := range p.Serves {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM areas WHERE code = $1", code).Scan(&n); err != nil {
			return mapErr(err)
		}
		if n == 0 {
			field := "serves"
			if code == p.AreaCode {
				field = "area_code"
			}
			ps = append(ps, apperr.Problem{Field: field, Value: code,
				Reason: apperr.Tf("ไม่มีพื้นที่รหัส %s", "there is no area with code %s", code)})
		}
	}
	if p.OrgID != 0 {
		var kind string
		err := tx.QueryRowContext(ctx, "SELECT kind FROM partners WHERE id = $1", p.OrgID).Scan(&kind)
		if err == sql.ErrNoRows {
			ps = append(ps, apperr.Problem{Field: "org_id", Value: fmt.Sprint(p.OrgID),
				Reason: apperr.T("ไม่มีหน่วยงานนี้", "there is no such organisation")})
		} else if err != nil {
			return mapErr(err)
		} else if partner.Kind(kind).IsPerson() {
			ps = append(ps, apperr.Problem{Field: "org_id", Value: fmt.Sprint(p.OrgID),
				Reason: apperr.T("สังกัดได้เฉพาะหน่วยงาน ไม่ใช่บุคคล", "a person can belong only to an organisation, not to another person")})
		}
	}
	if len(ps) > 0 {
		return ps
	}
	return nil
}

func writePartnerAreas(ctx context.Context, tx *sql.Tx, id int64, codes []string) error {
	for _, code := range codes {
		if _, err := tx.ExecContext(ctx, "INSERT INTO partner_areas (partner_id, area_code) VALUES ($1, $2)", id, code); err != nil {
			return mapErr(err)
		}
	}
	return nil
}

func partnerWriteErr(err error, p partner.Partner) error {
	err = mapErr(err)
	if apperr.Is(err, apperr.Conflict) {
		return apperr.Wrap(err, apperr.Conflict, apperr.Tf("มีภาคีชื่อ %s ในพื้นที่ %s อยู่แล้ว",
			"a partner named %s already exists in area %s", p.NameTH, p.AreaCode))
	}
	return err
}

func partnerNotFound(id int64) error {
	return apperr.New(apperr.NotFound, apperr.Tf("ไม่พบภาคีหมายเลข %d", "no partner number %d", id))
}

// nullID stores 0 as NULL for an optional reference.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// inList returns "$1,$2,…,$n".
func inList(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		if i > 1 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "$%d", i)
	}
	return b.String()
}
