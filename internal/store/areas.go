package store

import (
	"context"
	"database/sql"
	"fmt"

	"tambon/internal/area"
)

// SyncAreas makes the areas table hold exactly the names and parents of the
// given tree, inserting what is missing and renaming what changed. It does
// nothing when the counts already agree and force is false, so a normal start
// costs one query.
func (s *Store) SyncAreas(ctx context.Context, all []area.Area, force bool) (int, error) {
	var n int
	if err := s.read.QueryRowContext(ctx, "SELECT count(*) FROM areas").Scan(&n); err != nil {
		return 0, fmt.Errorf("sync areas: %w", mapErr(err))
	}
	if n == len(all) && !force {
		return 0, nil
	}
	const cols, batch = 7, 500
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		for start := 0; start < len(all); start += batch {
			end := min(start+batch, len(all))
			args := make([]any, 0, (end-start)*cols)
			for _, a := range all[start:end] {
				var parent any
				if a.Parent != "" {
					parent = a.Parent
				}
				args = append(args, a.Code, int(a.Level), a.NameTH, a.NameEN, parent, a.Region, a.Moo)
			}
			q := "INSERT INTO areas (code, level, name_th, name_en, parent_code, region, moo) VALUES " +
				placeholders(end-start, cols) +
				` ON CONFLICT (code) DO UPDATE SET name_th = excluded.name_th, name_en = excluded.name_en,
				  parent_code = excluded.parent_code, region = excluded.region, moo = excluded.moo, level = excluded.level`
			if _, err := tx.ExecContext(ctx, q, args...); err != nil {
				return fmt.Errorf("sync areas: %w", mapErr(err))
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return len(all) - n, nil
}

// AreaCount returns how many areas of a level are stored.
func (s *Store) AreaCount(ctx context.Context, level area.Level) (int, error) {
	var n int
	err := s.read.QueryRowContext(ctx, "SELECT count(*) FROM areas WHERE level = $1", int(level)).Scan(&n)
	return n, mapErr(err)
}

// StoredChildren returns the codes of an area's children as stored.
func (s *Store) StoredChildren(ctx context.Context, code string) ([]string, error) {
	rows, err := s.read.QueryContext(ctx, "SELECT code FROM areas WHERE parent_code = $1 ORDER BY code", code)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
