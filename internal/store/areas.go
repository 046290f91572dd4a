package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

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
	mark := fmt.Sprintf("%d:%s:%s", len(all), all[len(all)-1].Code, all[len(all)-1].NameTH)
	if !force && n >= len(all) && s.metaValue(ctx, "area_tree") == mark {
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
				s.dialect.rows(end-start, cols) +
				` ON CONFLICT (code) DO UPDATE SET name_th = excluded.name_th, name_en = excluded.name_en,
				  parent_code = excluded.parent_code, region = excluded.region, moo = excluded.moo, level = excluded.level`
			if _, err := tx.ExecContext(ctx, q, args...); err != nil {
				return fmt.Errorf("sync areas: %w", mapErr(err))
			}
		}
		if err := s.partitionNewProvinces(ctx, tx); err != nil {
			return fmt.Errorf("sync areas: partitions of households: %w", err)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	if err := s.setMeta(ctx, "area_tree", mark); err != nil {
		return 0, err
	}
	return max(len(all)-n, 0), nil
}

// AddAreas stores tambons and villages that the embedded tree lacks (see
// area.Tree.WithVillages), parents first; codes already stored are left alone.
func (s *Store) AddAreas(ctx context.Context, vs []area.Area) error {
	return s.inTx(ctx, func(tx *sql.Tx) error { return addAreas(ctx, tx, vs) })
}

// addAreas is AddAreas inside a transaction.
func addAreas(ctx context.Context, tx *sql.Tx, vs []area.Area) error {
	vs = slices.Clone(vs)
	slices.SortFunc(vs, func(a, b area.Area) int { return strings.Compare(a.Code, b.Code) })
	for _, v := range vs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO areas (code, level, name_th, name_en, parent_code, region, moo)
			VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (code) DO NOTHING`,
			v.Code, int(v.Level), v.NameTH, v.NameEN, v.Parent, v.Region, v.Moo); err != nil {
			return fmt.Errorf("add village %s: %w", v.Code, mapErr(err))
		}
	}
	return nil
}

// ExtraAreas returns the stored tambons and villages that tree does not hold
// (see area.Tree.WithVillages).
func (s *Store) ExtraAreas(ctx context.Context, tree *area.Tree) ([]area.Area, error) {
	rows, err := s.read.QueryContext(ctx, "SELECT code, level, name_th, name_en, parent_code, region, moo FROM areas WHERE level >= $1", int(area.Subdistrict))
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []area.Area
	for rows.Next() {
		var a area.Area
		if err := rows.Scan(&a.Code, &a.Level, &a.NameTH, &a.NameEN, &a.Parent, &a.Region, &a.Moo); err != nil {
			return nil, err
		}
		if _, ok := tree.Get(a.Code); !ok {
			out = append(out, a)
		}
	}
	return out, rows.Err()
}

func (s *Store) metaValue(ctx context.Context, key string) string {
	var v string
	if err := s.read.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = $1", key).Scan(&v); err != nil {
		return ""
	}
	return v
}

func (s *Store) setMeta(ctx context.Context, key, value string) error {
	_, err := s.write.ExecContext(ctx, "INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value", key, value)
	return mapErr(err)
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
