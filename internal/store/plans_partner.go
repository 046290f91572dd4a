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

func partnerName(ctx context.Context, q querier, id int64) (string, error) {
	if id == 0 {
		return "", nil
	}
	var name string
	err := q.QueryRowContext(ctx, "SELECT name_th FROM partners WHERE id = $1", id).Scan(&name)
	if err == sql.ErrNoRows {
		return "", nil
	}
	return name, mapErr(err)
}
