package store

import "context"

// ExplainHouseholdForTest returns EXPLAIN (FORMAT JSON) of the query
// Household runs for id.
func (s *Store) ExplainHouseholdForTest(ctx context.Context, id int64) (string, error) {
	where, args, err := householdByID(ctx, s.read, s.dialect, id, 1)
	if err != nil {
		return "", err
	}
	var plan string
	err = s.read.QueryRowContext(ctx, "EXPLAIN (FORMAT JSON) "+householdSelect+where, args...).Scan(&plan)
	return plan, err
}
