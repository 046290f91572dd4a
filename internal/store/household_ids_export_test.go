package store

import (
	"context"

	"tambon/internal/survey"
)

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

// HouseholdByIDAloneForTest runs Household's query by id alone, as it was
// before household_ids, to time the two side by side.
func (s *Store) HouseholdByIDAloneForTest(ctx context.Context, id int64) error {
	var sid int64
	var key, updated, by string
	var version int
	var data []byte
	if err := s.read.QueryRowContext(ctx, householdSelect+"id = $1", id).Scan(&sid, &key, &version, &updated, &by, &data); err != nil {
		return err
	}
	return decodeHousehold(data, new(survey.Household))
}
