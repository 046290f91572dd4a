package store

import (
	"context"
	"database/sql"
)

// The responsible partner of a plan item is a row of the partners table
// (partners.go).

func checkPartner(ctx context.Context, tx *sql.Tx, id int64) error {
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM partners WHERE id = $1", id).Scan(&n); err != nil {
		return mapErr(err)
	}
	if n == 0 {
		return partnerNotFound(id)
	}
	return nil
}

// partnerName returns a partner's Thai and English names ("" for no partner).
func partnerName(ctx context.Context, q querier, id int64) (th, en string, err error) {
	if id == 0 {
		return "", "", nil
	}
	err = q.QueryRowContext(ctx, "SELECT name_th, name_en FROM partners WHERE id = $1", id).Scan(&th, &en)
	if err == sql.ErrNoRows {
		return "", "", nil
	}
	return th, en, mapErr(err)
}
