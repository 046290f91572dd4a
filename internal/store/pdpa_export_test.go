package store

import (
	"context"
	"fmt"
	"strings"
)

// GrepForTest looks for each needle in every column of every row of every
// table (household data in SQLite's binary form too, bytes as they are) and
// returns "table: needle" for each hit. A table that a feature adds later is
// searched without anyone remembering to add it.
func (s *Store) GrepForTest(ctx context.Context, needles ...string) ([]string, error) {
	tables, err := s.Columns(ctx)
	if err != nil {
		return nil, err
	}
	var hits []string
	for table := range tables {
		rows, err := s.read.QueryContext(ctx, "SELECT * FROM "+table)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", table, err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				return nil, err
			}
			for i, v := range vals {
				var text string
				switch x := v.(type) {
				case []byte:
					text = string(x)
				case string:
					text = x
				default:
					text = fmt.Sprint(x)
				}
				for _, n := range needles {
					if n != "" && strings.Contains(text, n) {
						hits = append(hits, fmt.Sprintf("%s.%s: %s", table, cols[i], n))
					}
				}
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return hits, nil
}
